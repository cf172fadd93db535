// Scoring detected moves against true ones (from simulate.h or any ground truth).
//
// A detected move matches an unmatched true move of the same user, origin and destination whose
// date is within `window_days` of the detected date (the closest one; detected moves are taken in
// date order). precision = matched / detected, recall = matched / true (NaN when a denominator is
// 0); with `min_spell` > 0 only true moves whose spells before and after (TrueMove::home_days,
// destination_days) last at least that many days count in recall's denominator (shorter ones
// cannot be residences; a detected move matching one is still a correct detection); the date error
// of a match is detected - true in days; `within_uncertainty` is the share of matches whose true
// date lies in [detected date - uncertainty - 1, detected date] (the detected date is the first day
// at the destination and the reported uncertainty counts the unobserved days between the two
// residences).
//
//   ScoreResult score = ScoreMoves(detected, truth, 30);
#ifndef KAZMIG_TRACES_SCORE_H_
#define KAZMIG_TRACES_SCORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kazmig/traces/simulate.h"

namespace kazmig::traces {

struct ScoredMove {
  std::string user_id;
  std::string home;
  std::string destination;
  int32_t day = 0;
  int32_t uncertainty = 0;
};

struct ScoreResult {
  uint64_t detected = 0;
  uint64_t truth = 0;  // eligible true moves (see min_spell)
  uint64_t matched = 0;
  double precision = 0;
  double recall = 0;
  double mean_abs_date_error = 0;  // days, over matches (NaN without matches)
  double within_uncertainty = 0;   // share of matches (NaN without matches)
};

ScoreResult ScoreMoves(const std::vector<ScoredMove>& detected, const std::vector<TrueMove>& truth,
                       int window_days = 30, int min_spell = 0);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_SCORE_H_

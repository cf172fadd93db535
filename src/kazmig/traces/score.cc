#include "kazmig/traces/score.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace kazmig::traces {

ScoreResult ScoreMoves(const std::vector<ScoredMove>& detected, const std::vector<TrueMove>& truth,
                       int window_days, int min_spell) {
  using Key = std::tuple<std::string, std::string, std::string>;
  struct Candidate {
    int32_t day;
    bool eligible;
    bool matched;
  };
  std::map<Key, std::vector<Candidate>> true_by_key;
  uint64_t eligible = 0;
  for (const TrueMove& move : truth) {
    const bool counts = move.home_days >= min_spell && move.destination_days >= min_spell;
    eligible += counts;
    true_by_key[{move.user_id, move.home, move.destination}].push_back({move.day, counts, false});
  }
  std::vector<const ScoredMove*> ordered;
  for (const ScoredMove& move : detected) ordered.push_back(&move);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const ScoredMove* a, const ScoredMove* b) { return a->day < b->day; });
  ScoreResult result;
  result.detected = detected.size();
  result.truth = eligible;
  uint64_t matched_eligible = 0;
  double total_error = 0;
  uint64_t within = 0;
  for (const ScoredMove* move : ordered) {
    auto it = true_by_key.find({move->user_id, move->home, move->destination});
    if (it == true_by_key.end()) continue;
    Candidate* best = nullptr;
    for (Candidate& candidate : it->second) {
      if (candidate.matched || std::abs(candidate.day - move->day) > window_days) continue;
      if (best == nullptr ||
          std::abs(candidate.day - move->day) < std::abs(best->day - move->day)) {
        best = &candidate;
      }
    }
    if (best == nullptr) continue;
    best->matched = true;
    ++result.matched;
    matched_eligible += best->eligible;
    total_error += std::abs(move->day - best->day);
    if (best->day <= move->day && best->day >= move->day - move->uncertainty - 1) ++within;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.precision =
      result.detected ? static_cast<double>(result.matched) / static_cast<double>(result.detected)
                      : nan;
  result.recall = result.truth
                      ? static_cast<double>(matched_eligible) / static_cast<double>(result.truth)
                      : nan;
  result.mean_abs_date_error =
      result.matched ? total_error / static_cast<double>(result.matched) : nan;
  result.within_uncertainty =
      result.matched ? static_cast<double>(within) / static_cast<double>(result.matched) : nan;
  return result;
}

}  // namespace kazmig::traces

// Synthetic trace events with known true moves, to score detection (score.h) and to check the
// transition curves against their analytic value.
//
// Model, per user u (all randomness from kazmig::Rng, one stream per user from Split(u), so the
// output depends only on the seed): the user starts at a uniformly chosen residence; after each
// arrival they stay `min_stay` days, then move after a further geometric number of days with
// daily hazard 1 - exp(-move_rate) (the day-discretised Poisson process, so with min_stay = 0 the
// probability of no move in i days is exactly exp(-move_rate * i)); the destination is uniform
// among the other locations (or among unvisited ones with `no_returns`). Temporary trips start
// at daily rate `trip_rate`, last 1-60 days (uniform) at another location and do not change the
// residence. The user is active on a day with probability p_u ~ Beta(activity_alpha,
// activity_beta) (always when activity_beta = 0), except during blackouts (daily rate
// `blackout_rate`, length 1 + Exponential(mean 14) days); an active day has 1 + NB events (negative
// binomial with mean events_mean - 1 and size events_size, as a Gamma-Poisson mixture); each
// event is attributed to the next location in the list with probability `misattribution`.
// Locations are the KATO ids of kz-2022 when there are at most 20 of them, else L0001, L0002, ...
//
//   SimulateParams params;
//   params.users = 1000;
//   std::vector<TrueMove> truth = Simulate(params, [&](std::string_view csv) { file << csv; });
#ifndef KAZMIG_TRACES_SIMULATE_H_
#define KAZMIG_TRACES_SIMULATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::traces {

struct SimulateParams {
  uint64_t users = 1000;
  int days = 365;
  int32_t start_day = 17532;  // 2018-01-01
  uint64_t seed = 1;
  int locations = 20;
  double move_rate = 1.0 / 365.0;  // per day, after min_stay
  int min_stay = 120;              // days at a residence before the next move can happen
  bool no_returns = false;
  double trip_rate = 0.0;  // per day
  double activity_alpha = 20.0;
  double activity_beta = 2.0;  // 0: active every day
  double events_mean = 2.0;    // >= 1
  double events_size = 2.0;
  double misattribution = 0.0;
  double blackout_rate = 0.0;
  bool with_time = false;  // ISO date-times with an hour instead of YYYYMMDD
};

struct TrueMove {
  std::string user_id;
  std::string home;
  std::string destination;
  int32_t day = 0;  // first day at the destination
  // Days of the spells before and after the move inside the simulated window (the first spell
  // starts, the last ends, with the window), so a scorer can tell detectable moves.
  int32_t home_days = 0;
  int32_t destination_days = 0;
};

// Throws UsageError naming the parameter when one is out of range.
void CheckSimulateParams(const SimulateParams& params);

// Generates events (CSV text with the header `user_id,date,location`, in chunks passed to
// `sink`, ordered by user then day) and returns the true moves ordered by user then day.
// `progress`, when given, is called after each user with the users done so far and the total.
std::vector<TrueMove> Simulate(
    const SimulateParams& params, const std::function<void(std::string_view chunk)>& sink,
    const std::function<void(uint64_t users_done, uint64_t users)>& progress = {});

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_SIMULATE_H_

#include "kazmig/traces/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/core/rng.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces {
namespace {

constexpr size_t kChunkBytes = size_t{4} << 20;

std::vector<std::string> LocationIds(int count) {
  std::vector<std::string> ids;
  const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
  if (static_cast<size_t>(count) <= kz.size()) {
    for (int loc_idx = 0; loc_idx < count; ++loc_idx)
      ids.push_back(kz[static_cast<size_t>(loc_idx)].id);
  } else {
    for (int loc_idx = 0; loc_idx < count; ++loc_idx)
      ids.push_back(fmt::format("L{:04d}", loc_idx + 1));
  }
  return ids;
}

// Days until the next event of a daily-hazard process with rate `rate` (>= 1).
int64_t GeometricDays(Rng& rng, double rate) {
  if (rate <= 0.0) return INT64_MAX / 4;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(rng.Exponential(rate))));
}

}  // namespace

void CheckSimulateParams(const SimulateParams& params) {
  CheckSetting(params.days >= 1, "simulate", "--days must be at least 1");
  CheckSetting(params.locations >= 2, "simulate", "--locations must be at least 2");
  CheckSetting(params.move_rate >= 0.0, "simulate", "--move-rate must be >= 0");
  CheckSetting(params.min_stay >= 0, "simulate", "--min-stay must be >= 0");
  CheckSetting(params.trip_rate >= 0.0, "simulate", "--trip-rate must be >= 0");
  CheckSetting(
      params.activity_beta == 0.0 || (params.activity_alpha > 0.0 && params.activity_beta > 0.0),
      "simulate", "--activity-alpha and --activity-beta must be > 0 (or beta 0 for always active)");
  CheckSetting(params.events_mean >= 1.0, "simulate", "--events-mean must be at least 1");
  CheckSetting(params.events_size > 0.0, "simulate", "--events-size must be > 0");
  CheckSetting(params.misattribution >= 0.0 && params.misattribution <= 1.0, "simulate",
               "--misattribution must be in [0, 1]");
  CheckSetting(params.blackout_rate >= 0.0, "simulate", "--blackout-rate must be >= 0");
}

std::vector<TrueMove> Simulate(
    const SimulateParams& params, const std::function<void(std::string_view chunk)>& sink,
    const std::function<void(uint64_t users_done, uint64_t users)>& progress) {
  CheckSimulateParams(params);
  const std::vector<std::string> ids = LocationIds(params.locations);
  const auto location_count = static_cast<uint64_t>(ids.size());
  std::vector<std::string> dates(static_cast<size_t>(params.days));
  for (int day_idx = 0; day_idx < params.days; ++day_idx) {
    if (params.with_time) {
      int year = 0, month = 0, mday = 0;
      CivilFromDays(params.start_day + day_idx, &year, &month, &mday);
      dates[static_cast<size_t>(day_idx)] = fmt::format("{:04d}-{:02d}-{:02d}T", year, month, mday);
    } else {
      dates[static_cast<size_t>(day_idx)] = FormatYmd(params.start_day + day_idx);
    }
  }
  const Rng root(params.seed);
  std::vector<TrueMove> truth;
  std::string chunk = "user_id,date,location\n";
  std::vector<char> visited(location_count, 0);
  for (uint64_t user_idx = 0; user_idx < params.users; ++user_idx) {
    Rng rng = root.Split(user_idx);
    const std::string user_id = std::to_string(user_idx + 1);
    const double activity = params.activity_beta == 0.0 ? 1.0 : [&] {
      const double x = rng.Gamma(params.activity_alpha);
      const double y = rng.Gamma(params.activity_beta);
      return x / (x + y);
    }();
    const size_t first_move = truth.size();
    std::fill(visited.begin(), visited.end(), 0);
    uint64_t residence = rng.UniformInt(location_count);
    visited[residence] = 1;
    int64_t next_move = params.min_stay + GeometricDays(rng, params.move_rate);
    int64_t next_trip = GeometricDays(rng, params.trip_rate);
    int64_t trip_end = -1;
    uint64_t trip_location = 0;
    int64_t next_blackout = GeometricDays(rng, params.blackout_rate);
    int64_t blackout_end = -1;
    for (int64_t day_idx = 0; day_idx < params.days; ++day_idx) {
      if (day_idx == next_move) {
        uint64_t destination = residence;
        if (params.no_returns) {
          std::vector<uint64_t> fresh;
          for (uint64_t loc_idx = 0; loc_idx < location_count; ++loc_idx) {
            if (!visited[loc_idx]) fresh.push_back(loc_idx);
          }
          if (fresh.empty()) throw UsageError("simulate: --no-returns ran out of --locations");
          destination = fresh[rng.UniformInt(fresh.size())];
        } else {
          destination = (residence + 1 + rng.UniformInt(location_count - 1)) % location_count;
        }
        truth.push_back(TrueMove{user_id, ids[residence], ids[destination],
                                 params.start_day + static_cast<int32_t>(day_idx)});
        residence = destination;
        visited[residence] = 1;
        next_move = day_idx + params.min_stay + GeometricDays(rng, params.move_rate);
      }
      if (day_idx == next_trip) {
        trip_end = day_idx + 1 + static_cast<int64_t>(rng.UniformInt(60));
        trip_location = (residence + 1 + rng.UniformInt(location_count - 1)) % location_count;
        next_trip = trip_end + GeometricDays(rng, params.trip_rate);
      }
      if (day_idx == next_blackout) {
        blackout_end = day_idx + 1 + static_cast<int64_t>(rng.Exponential(1.0 / 14.0));
        next_blackout = blackout_end + GeometricDays(rng, params.blackout_rate);
      }
      if (day_idx < blackout_end) continue;
      if (activity < 1.0 && !rng.Bernoulli(activity)) continue;
      const uint64_t here = day_idx < trip_end ? trip_location : residence;
      uint64_t events = 1;
      if (params.events_mean > 1.0) {
        const double mean = params.events_mean - 1.0;
        events += rng.Poisson(rng.Gamma(params.events_size, mean / params.events_size));
      }
      const std::string& date = dates[static_cast<size_t>(day_idx)];
      for (uint64_t event_idx = 0; event_idx < events; ++event_idx) {
        uint64_t reported = here;
        if (params.misattribution > 0.0 && rng.Bernoulli(params.misattribution)) {
          reported = (here + 1) % location_count;
        }
        chunk += user_id;
        chunk += ',';
        chunk += date;
        if (params.with_time) {
          const uint64_t hour = rng.UniformInt(24);
          chunk += static_cast<char>('0' + hour / 10);
          chunk += static_cast<char>('0' + hour % 10);
          chunk += ":00:00";
        }
        chunk += ',';
        chunk += ids[reported];
        chunk += '\n';
      }
      if (chunk.size() >= kChunkBytes) {
        sink(chunk);
        chunk.clear();
      }
    }
    int32_t previous = params.start_day;
    for (size_t move_idx = first_move; move_idx < truth.size(); ++move_idx) {
      truth[move_idx].home_days = truth[move_idx].day - previous;
      previous = truth[move_idx].day;
      const int32_t next =
          move_idx + 1 < truth.size() ? truth[move_idx + 1].day : params.start_day + params.days;
      truth[move_idx].destination_days = next - truth[move_idx].day;
    }
    if (progress) progress(user_idx + 1, params.users);
  }
  if (!chunk.empty()) sink(chunk);
  return truth;
}

}  // namespace kazmig::traces

#include "kazmig/project/regional.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::project {
namespace {

// Bounds that keep populations positive (see regional.h).
constexpr double kMaxDeathRate = 0.1;           // per person
constexpr double kMaxNetRatePerThousand = 150;  // inter-regional before balancing; international
constexpr double kMinShareKept = 0.01;          // a scenario may not take a region below 1%

double Clamp(double value, double low, double high, size_t& bounded) {
  if (value < low) {
    ++bounded;
    return low;
  }
  if (value > high) {
    ++bounded;
    return high;
  }
  return value;
}

// Shares of a mix given the current populations (see RegionWeight): written to `out` in the
// mix's order.
void MixShares(const std::vector<RegionWeight>& mix, const double* population,
               std::vector<double>& out) {
  out.resize(mix.size());
  bool by_population = true;
  for (const RegionWeight& entry : mix) by_population = by_population && entry.weight == 0;
  double total = 0;
  for (size_t idx = 0; idx < mix.size(); ++idx) {
    out[idx] = by_population ? population[mix[idx].region_idx] : mix[idx].weight;
    total += out[idx];
  }
  for (double& share : out) share = total > 0 ? share / total : 0;
}

bool Active(int year, int first_year, int last_year) {
  return year >= first_year && year <= last_year;
}

// The rate paths of one draw, shared by every scenario.
struct DrawPaths {
  std::vector<double> birth_rate;          // horizon x R, per person
  std::vector<double> death_rate;          // horizon x R
  std::vector<double> internal_rate;       // horizon x R, per 1,000 (bounded, before balancing)
  std::vector<double> international_rate;  // horizon, per 1,000 (national)
};

void SimulatePaths(const RegionalModel& model, int horizon, size_t draw_idx, Rng& rng,
                   DrawPaths& paths, size_t& bounded) {
  const size_t region_count = model.region_ids.size();
  paths.birth_rate.assign(static_cast<size_t>(horizon) * region_count, 0);
  paths.death_rate.assign(static_cast<size_t>(horizon) * region_count, 0);
  paths.international_rate.assign(static_cast<size_t>(horizon), 0);
  // Parameters of the draw first (a fixed order of the stream), then the yearly shocks.
  std::vector<double> birth_drift(region_count);
  std::vector<double> death_drift(region_count);
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    birth_drift[region_idx] =
        model.birth[region_idx].drift + model.birth[region_idx].drift_se * rng.Normal();
    death_drift[region_idx] =
        model.death[region_idx].drift + model.death[region_idx].drift_se * rng.Normal();
  }
  const Ar1Fit& intl = model.international;
  const double intl_mu = intl.mu + intl.mu_se * rng.Normal();
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    double log_birth = model.birth[region_idx].last_log_rate;
    double log_death = model.death[region_idx].last_log_rate;
    for (int step = 0; step < horizon; ++step) {
      log_birth += birth_drift[region_idx] + model.birth[region_idx].sigma * rng.Normal();
      log_death += death_drift[region_idx] + model.death[region_idx].sigma * rng.Normal();
      const size_t cell = static_cast<size_t>(step) * region_count + region_idx;
      paths.birth_rate[cell] = std::exp(log_birth);
      paths.death_rate[cell] = Clamp(std::exp(log_death), 0.0, kMaxDeathRate, bounded);
    }
  }
  double previous = intl.last;
  for (int step = 0; step < horizon; ++step) {
    const double value = intl_mu + intl.phi * (previous - intl_mu) + intl.sigma * rng.Normal();
    paths.international_rate[static_cast<size_t>(step)] =
        Clamp(value, -kMaxNetRatePerThousand, kMaxNetRatePerThousand, bounded);
    previous = value;
  }
  paths.internal_rate.assign(static_cast<size_t>(horizon) * region_count, 0);
  if (model.internal) model.internal(draw_idx, rng, paths.internal_rate);
  CheckShape(paths.internal_rate.size() == static_cast<size_t>(horizon) * region_count,
             "ProjectRegions", "the internal rate sampler changed the size of its output");
  for (double& rate : paths.internal_rate) {
    if (!std::isfinite(rate)) {
      throw ComputeError(fmt::format(
          "ProjectRegions: the inter-regional net rate of draw {} is not finite", draw_idx));
    }
    rate = Clamp(rate, -kMaxNetRatePerThousand, kMaxNetRatePerThousand, bounded);
  }
}

// Projects one scenario for one draw along `paths`; writes the draw's slices of `run`.
void ProjectDraw(const RegionalModel& model, const Scenario& scenario, const DrawPaths& paths,
                 size_t draw_idx, size_t slot, ProjectionRun& run, std::vector<double>& scratch,
                 std::vector<double>& shares) {
  const size_t region_count = model.region_ids.size();
  const int horizon = run.horizon;
  double* population = &run.population[slot * static_cast<size_t>(horizon + 1) * region_count];
  std::copy(model.base_population.begin(), model.base_population.end(), population);
  scratch.assign(2 * region_count, 0);
  double* baseline_internal = scratch.data();
  double* changes = scratch.data() + region_count;
  for (int step = 0; step < horizon; ++step) {
    const int year = model.base_year + step;
    const double* now = population + static_cast<size_t>(step) * region_count;
    double* next = population + static_cast<size_t>(step + 1) * region_count;
    const size_t row = static_cast<size_t>(step) * region_count;
    const size_t out = run.ComponentIndex(slot, step, 0);
    double total_population = 0;
    double total_internal = 0;
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      total_population += now[region_idx];
      baseline_internal[region_idx] =
          paths.internal_rate[row + region_idx] / 1000 * now[region_idx];
      total_internal += baseline_internal[region_idx];
    }
    // Balance: subtract the population-weighted share of the sum (zero-sum in every draw).
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      baseline_internal[region_idx] -= now[region_idx] / total_population * total_internal;
    }
    const double national_international =
        paths.international_rate[static_cast<size_t>(step)] / 1000 * total_population;
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      run.births[out + region_idx] = paths.birth_rate[row + region_idx] * now[region_idx];
      run.deaths[out + region_idx] = paths.death_rate[row + region_idx] * now[region_idx];
      run.internal[out + region_idx] = baseline_internal[region_idx];
      run.international[out + region_idx] =
          national_international * (now[region_idx] / total_population);
    }
    // Scenario changes, each measured against this draw's baseline (additive, canonical order).
    std::fill(changes, changes + region_count, 0.0);
    for (const UrbanPull& pull : scenario.urban_pulls) {
      if (!Active(year, pull.first_year, pull.last_year)) continue;
      double gained = 0;
      double others_population = 0;
      std::vector<bool> is_city(region_count, false);
      for (size_t city_idx : pull.cities) is_city[city_idx] = true;
      for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
        if (is_city[region_idx]) {
          const double extra = pull.percent / 100 * std::max(baseline_internal[region_idx], 0.0);
          run.internal[out + region_idx] += extra;
          gained += extra;
        } else {
          others_population += now[region_idx];
        }
      }
      for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
        if (!is_city[region_idx]) {
          run.internal[out + region_idx] -= gained * (now[region_idx] / others_population);
        }
      }
    }
    for (const InternalTransfer& transfer : scenario.transfers) {
      if (!Active(year, transfer.first_year, transfer.last_year)) continue;
      MixShares(transfer.origins, now, shares);
      for (size_t idx = 0; idx < transfer.origins.size(); ++idx) {
        run.internal[out + transfer.origins[idx].region_idx] -= transfer.persons * shares[idx];
      }
      MixShares(transfer.destinations, now, shares);
      for (size_t idx = 0; idx < transfer.destinations.size(); ++idx) {
        run.internal[out + transfer.destinations[idx].region_idx] += transfer.persons * shares[idx];
      }
    }
    for (const InternationalChange& change : scenario.international) {
      if (!Active(year, change.first_year, change.last_year)) continue;
      if (change.regions.empty()) {
        for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
          run.international[out + region_idx] +=
              change.persons * (now[region_idx] / total_population);
        }
      } else {
        MixShares(change.regions, now, shares);
        for (size_t idx = 0; idx < change.regions.size(); ++idx) {
          run.international[out + change.regions[idx].region_idx] += change.persons * shares[idx];
        }
      }
    }
    // The accounting identity, exactly as stated.
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      next[region_idx] = now[region_idx] + run.births[out + region_idx] -
                         run.deaths[out + region_idx] + run.internal[out + region_idx] +
                         run.international[out + region_idx];
      if (!(next[region_idx] >= kMinShareKept * now[region_idx])) {
        throw InputError(
            scenario.name, 0, 0,
            fmt::format("the scenario's outflows would take region {} from {:.0f} to {:.0f} "
                        "persons in {} (draw {}): reduce them",
                        model.region_ids[region_idx], now[region_idx], next[region_idx], year + 1,
                        draw_idx));
      }
    }
  }
}

void CheckLogRateWalk(const LogRateWalk& walk, const std::string& what) {
  if (!std::isfinite(walk.last_log_rate) || !std::isfinite(walk.drift) ||
      !std::isfinite(walk.drift_se) || !std::isfinite(walk.sigma) || walk.sigma < 0 ||
      walk.drift_se < 0) {
    throw InputError(fmt::format("ProjectRegions: the {} model is not finite", what));
  }
}

}  // namespace

LogRateWalk FitLogRateWalk(const std::vector<double>& rates) {
  CheckData(rates.size() >= 3, "FitLogRateWalk",
            fmt::format("needs at least 3 years of rates, got {}", rates.size()));
  CheckAllFinite("FitLogRateWalk", "rates", rates);
  CheckPositive("FitLogRateWalk", "rates", rates);
  LogRateWalk walk;
  walk.differences = static_cast<int>(rates.size()) - 1;
  double sum = 0;
  for (size_t idx = 1; idx < rates.size(); ++idx) {
    sum += std::log(rates[idx]) - std::log(rates[idx - 1]);
  }
  walk.drift = sum / walk.differences;
  // A robust scale: 1.4826 x the median absolute deviation of the differences, so that one
  // exceptional year (the COVID-19 deaths of 2020-2021) does not set the noise of every future
  // year; the drift (their mean) is (log r_last - log r_first) / n and so unaffected by a spike
  // that reverts.
  std::vector<double> deviations;
  for (size_t idx = 1; idx < rates.size(); ++idx) {
    deviations.push_back(std::fabs(std::log(rates[idx]) - std::log(rates[idx - 1]) - walk.drift));
  }
  std::sort(deviations.begin(), deviations.end());
  const size_t half = deviations.size() / 2;
  const double mad = deviations.size() % 2 == 1 ? deviations[half]
                                                : 0.5 * (deviations[half - 1] + deviations[half]);
  walk.sigma = 1.4826 * mad;
  walk.drift_se = walk.sigma / std::sqrt(static_cast<double>(walk.differences));
  walk.last_log_rate = std::log(rates.back());
  return walk;
}

Ar1Fit FitAr1(const std::vector<double>& values) {
  CheckData(values.size() >= 4, "FitAr1",
            fmt::format("needs at least 4 years of values, got {}", values.size()));
  CheckAllFinite("FitAr1", "values", values);
  const size_t pairs = values.size() - 1;
  // Least squares of x(t) on x(t-1): x(t) = c + phi x(t-1); mu = c / (1 - phi).
  double mean_x = 0;
  double mean_y = 0;
  for (size_t idx = 1; idx < values.size(); ++idx) {
    mean_x += values[idx - 1];
    mean_y += values[idx];
  }
  mean_x /= static_cast<double>(pairs);
  mean_y /= static_cast<double>(pairs);
  double sxy = 0;
  double sxx = 0;
  for (size_t idx = 1; idx < values.size(); ++idx) {
    sxy += (values[idx - 1] - mean_x) * (values[idx] - mean_y);
    sxx += (values[idx - 1] - mean_x) * (values[idx - 1] - mean_x);
  }
  Ar1Fit fit;
  fit.observations = static_cast<int>(values.size());
  fit.phi = std::clamp(sxx > 0 ? sxy / sxx : 0.0, 0.0, 0.98);
  // The mean given phi: mean of (x(t) - phi x(t-1)) / (1 - phi).
  double level = 0;
  for (size_t idx = 1; idx < values.size(); ++idx) level += values[idx] - fit.phi * values[idx - 1];
  fit.mu = level / static_cast<double>(pairs) / (1 - fit.phi);
  double squares = 0;
  for (size_t idx = 1; idx < values.size(); ++idx) {
    const double residual = values[idx] - fit.mu - fit.phi * (values[idx - 1] - fit.mu);
    squares += residual * residual;
  }
  fit.sigma = std::sqrt(squares / static_cast<double>(pairs > 2 ? pairs - 2 : 1));
  fit.mu_se = fit.sigma / ((1 - fit.phi) * std::sqrt(static_cast<double>(pairs)));
  fit.last = values.back();
  return fit;
}

DrawSpan DrawRange(size_t draws, int rank, int ranks) {
  CheckShape(ranks >= 1 && rank >= 0 && rank < ranks, "DrawRange", "rank out of range");
  const size_t base = draws / static_cast<size_t>(ranks);
  const size_t extra = draws % static_cast<size_t>(ranks);
  const size_t r = static_cast<size_t>(rank);
  DrawSpan span;
  span.first = r * base + std::min(r, extra);
  span.count = base + (r < extra ? 1 : 0);
  return span;
}

std::vector<ProjectionRun> ProjectRegions(const RegionalModel& model,
                                          const std::vector<Scenario>& scenarios,
                                          const ProjectionSettings& settings) {
  const size_t region_count = model.region_ids.size();
  CheckShape(region_count > 0, "ProjectRegions", "no regions");
  CheckSameSize("ProjectRegions", "region_ids", region_count, "base_population",
                model.base_population.size());
  CheckSameSize("ProjectRegions", "region_ids", region_count, "birth", model.birth.size());
  CheckSameSize("ProjectRegions", "region_ids", region_count, "death", model.death.size());
  CheckAllFinite("ProjectRegions", "base population", model.base_population);
  CheckPositive("ProjectRegions", "base population", model.base_population);
  CheckAtLeastSetting("ProjectRegions", "horizon", settings.horizon, 1);
  CheckAtLeastSetting("ProjectRegions", "draws", static_cast<double>(settings.draws), 1);
  CheckSetting(settings.first_draw + settings.draw_count <= settings.draws, "ProjectRegions",
               "the draw range exceeds the number of draws");
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    CheckLogRateWalk(model.birth[region_idx], "birth-rate");
    CheckLogRateWalk(model.death[region_idx], "death-rate");
  }
  const Ar1Fit& intl = model.international;
  if (!std::isfinite(intl.mu) || !std::isfinite(intl.phi) || !std::isfinite(intl.sigma) ||
      !std::isfinite(intl.mu_se) || !std::isfinite(intl.last)) {
    throw InputError("ProjectRegions: the international-migration model is not finite");
  }
  for (const Scenario& scenario : scenarios) {
    ValidateScenario(scenario, model.region_ids, model.base_population);
  }

  const size_t first_draw = settings.first_draw;
  const size_t draw_count =
      settings.draw_count > 0 ? settings.draw_count : settings.draws - settings.first_draw;
  const int horizon = settings.horizon;
  std::vector<ProjectionRun> runs(scenarios.size());
  for (size_t scenario_idx = 0; scenario_idx < scenarios.size(); ++scenario_idx) {
    ProjectionRun& run = runs[scenario_idx];
    run.scenario = scenarios[scenario_idx].name;
    run.draws = draw_count;
    run.regions = region_count;
    run.horizon = horizon;
    const size_t flows = draw_count * static_cast<size_t>(horizon) * region_count;
    run.population.assign(draw_count * static_cast<size_t>(horizon + 1) * region_count, 0);
    run.births.assign(flows, 0);
    run.deaths.assign(flows, 0);
    run.internal.assign(flows, 0);
    run.international.assign(flows, 0);
  }

  const Rng root(settings.seed);
  const int threads = std::max(
      1, std::min<int>(settings.threads, static_cast<int>(std::max<size_t>(draw_count, 1))));
  std::vector<size_t> bounded(static_cast<size_t>(threads), 0);
  // The failure of the lowest draw wins, so the message does not depend on the thread count.
  std::mutex failure_mutex;
  size_t failed_draw = std::numeric_limits<size_t>::max();
  std::exception_ptr failure;
  auto work = [&](int thread_idx) {
    DrawPaths paths;
    std::vector<double> scratch;
    std::vector<double> shares;
    const DrawSpan span = DrawRange(draw_count, thread_idx, threads);
    for (size_t slot = span.first; slot < span.first + span.count; ++slot) {
      const size_t draw_idx = first_draw + slot;
      try {
        Rng rng = root.Split(draw_idx);
        SimulatePaths(model, horizon, draw_idx, rng, paths,
                      bounded[static_cast<size_t>(thread_idx)]);
        for (size_t scenario_idx = 0; scenario_idx < scenarios.size(); ++scenario_idx) {
          ProjectDraw(model, scenarios[scenario_idx], paths, draw_idx, slot, runs[scenario_idx],
                      scratch, shares);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (draw_idx < failed_draw) {
          failed_draw = draw_idx;
          failure = std::current_exception();
        }
        return;
      }
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
      pool.emplace_back(work, thread_idx);
    }
    for (std::thread& thread : pool) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
  size_t bounded_total = 0;
  for (size_t count : bounded) bounded_total += count;
  for (ProjectionRun& run : runs) run.bounded_values = bounded_total;
  return runs;
}

ProjectionRun ConcatenateDraws(const std::vector<ProjectionRun>& parts) {
  CheckShape(!parts.empty(), "ConcatenateDraws", "no parts");
  ProjectionRun all;
  all.scenario = parts.front().scenario;
  all.regions = parts.front().regions;
  all.horizon = parts.front().horizon;
  for (const ProjectionRun& part : parts) {
    CheckShape(part.regions == all.regions && part.horizon == all.horizon, "ConcatenateDraws",
               "parts of different shapes");
    all.draws += part.draws;
    all.bounded_values += part.bounded_values;
    all.population.insert(all.population.end(), part.population.begin(), part.population.end());
    all.births.insert(all.births.end(), part.births.begin(), part.births.end());
    all.deaths.insert(all.deaths.end(), part.deaths.begin(), part.deaths.end());
    all.internal.insert(all.internal.end(), part.internal.begin(), part.internal.end());
    all.international.insert(all.international.end(), part.international.begin(),
                             part.international.end());
  }
  return all;
}

Quantiles QuantilesOf(std::vector<double>& values) {
  Quantiles q;
  if (values.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan, nan};
  }
  std::sort(values.begin(), values.end());
  auto at = [&](double probability) {
    const double position = probability * static_cast<double>(values.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
  };
  q.median = at(0.5);
  q.lower80 = at(0.1);
  q.upper80 = at(0.9);
  q.lower95 = at(0.025);
  q.upper95 = at(0.975);
  return q;
}

}  // namespace kazmig::project

#include "kazmig/app/project.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "kazmig/app/crosswalk.h"
#include "kazmig/app/risk.h"
#include "kazmig/app/scenarios.h"
#include "kazmig/core/check.h"
#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/core/rng.h"
#include "kazmig/project/net_migration_model.h"

namespace kazmig::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kFirstYear = 2000;
const char* const kVintages[] = {"kz-2009", "kz-2018", "kz-2022"};

// The regional history at kz-2022 units (see docs/projection.md, "Regional projections").
struct History {
  std::vector<std::string> ids;
  std::vector<std::string> names;
  int first_year = kFirstYear;
  int last_year = kFirstYear;  // last year of population (1 January)
  // [region_idx][year - first_year]; NaN where missing.
  std::vector<std::vector<double>> population;
  std::vector<bool> population_estimated;  // [year]: reconstructed by accounting
  std::vector<std::vector<double>> births;
  std::vector<std::vector<double>> deaths;
  std::vector<std::vector<double>> internal;  // inter-regional net of the year (flows t -> t+1)
  std::vector<bool> internal_official;        // [year]
  std::vector<double> international;          // national net of the year (official)
  int last_official_population = 0;

  size_t regions() const { return ids.size(); }
  size_t Index(int year) const { return static_cast<size_t>(year - first_year); }
  bool Has(int year) const { return year >= first_year && year <= last_year; }
  double Get(const std::vector<std::vector<double>>& table, size_t region_idx, int year) const {
    if (!Has(year)) return kNaN;
    const auto& row = table[region_idx];
    return Index(year) < row.size() ? row[Index(year)] : kNaN;
  }
  double TotalPopulation(int year) const {
    double total = 0;
    for (size_t region_idx = 0; region_idx < regions(); ++region_idx) {
      total += Get(population, region_idx, year);
    }
    return total;
  }
};

std::vector<double> ColumnOf(const RegionSeries& series, const RegionSystem& system, int year) {
  std::vector<double> values(system.size(), kNaN);
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    if (const auto idx = series.Find(system[region_idx].id)) {
      if (const auto value = series.Get(*idx, year)) values[region_idx] = *value;
    }
  }
  return values;
}

std::map<std::string, double> CrosswalkWeights(KzDataset& kz) {
  const RegionSeries& population = kz.Series("population_avg");
  std::map<std::string, double> weights;
  for (const Region& region : kz.system().regions()) {
    const double value = SeriesValueOf(population, region.id, WeightsYear(region.id, 0));
    if (std::isfinite(value)) weights[region.id] = value;
  }
  return weights;
}

// `indicator` by year at kz-2022 units (counts), each year from its newest vintage.
std::map<int, std::vector<double>> CountsAt2022(KzDataset& kz, const std::string& indicator,
                                                const std::map<std::string, double>& weights) {
  std::map<int, std::vector<double>> by_year;
  const RegionSystem& target = RegionSystem::Builtin("kz-2022");
  for (const char* vintage : kVintages) {
    const RegionSeries& series = kz.Series(indicator, vintage);
    if (series.region_count() == 0) continue;
    const RegionSystem& system = RegionSystem::Builtin(vintage);
    const Crosswalk crosswalk(system, target, weights);
    for (int year : series.Years()) {
      by_year[year] = std::string(vintage) == "kz-2022"
                          ? ColumnOf(series, system, year)
                          : crosswalk.ConvertCounts(ColumnOf(series, system, year));
    }
  }
  return by_year;
}

History LoadHistory(KzDataset& kz) {
  History history;
  const RegionSystem& system = kz.system();
  for (const Region& region : system.regions()) {
    history.ids.push_back(region.id);
    history.names.push_back(region.name_en);
  }
  const auto weights = CrosswalkWeights(kz);
  const auto population = CountsAt2022(kz, "population_jan1", weights);
  const auto births = CountsAt2022(kz, "births", weights);
  const auto deaths = CountsAt2022(kz, "deaths", weights);
  if (population.empty()) {
    throw ComputeError(
        "the built-in dataset has no population_jan1 series; run `kazmig data init`");
  }
  const RegionSeries& net_all = kz.Series("net_all");
  const RegionSeries& net_internal = kz.Series("net_internal");
  const RegionSeries& intl_net = kz.Series("intl_net");
  history.last_official_population = population.rbegin()->first;
  // 1 January after the last official one: P + B - D + net_all while the components exist.
  int last_year = history.last_official_population;
  while (true) {
    const int year = last_year;
    const auto b = births.find(year);
    const auto d = deaths.find(year);
    const std::vector<double> net = ColumnOf(net_all, system, year);
    const bool complete =
        b != births.end() && d != deaths.end() &&
        std::all_of(net.begin(), net.end(), [](double v) { return std::isfinite(v); });
    if (!complete) break;
    last_year = year + 1;
  }
  history.last_year = last_year;
  const size_t years = static_cast<size_t>(last_year - kFirstYear + 1);
  const size_t region_count = system.size();
  auto table = [&] {
    return std::vector<std::vector<double>>(region_count, std::vector<double>(years, kNaN));
  };
  history.population = table();
  history.births = table();
  history.deaths = table();
  history.internal = table();
  history.population_estimated.assign(years, false);
  history.internal_official.assign(years, false);
  history.international.assign(years, kNaN);
  for (int year = kFirstYear; year <= last_year; ++year) {
    const size_t y = history.Index(year);
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      if (const auto it = population.find(year); it != population.end()) {
        history.population[region_idx][y] = it->second[region_idx];
      }
      if (const auto it = births.find(year); it != births.end()) {
        history.births[region_idx][y] = it->second[region_idx];
      }
      if (const auto it = deaths.find(year); it != deaths.end()) {
        history.deaths[region_idx][y] = it->second[region_idx];
      }
    }
    history.international[y] = SeriesValueOf(intl_net, "KZ", year);
  }
  for (int year = history.last_official_population + 1; year <= last_year; ++year) {
    const size_t y = history.Index(year);
    const std::vector<double> net = ColumnOf(net_all, system, year - 1);
    history.population_estimated[y] = true;
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      history.population[region_idx][y] = history.population[region_idx][y - 1] +
                                          history.births[region_idx][y - 1] -
                                          history.deaths[region_idx][y - 1] + net[region_idx];
    }
  }
  // Inter-regional nets: official where published, else the residual of the accounting less the
  // region's population share of the official national international net (estimated).
  for (int year = kFirstYear; year < last_year; ++year) {
    const size_t y = history.Index(year);
    const std::vector<double> official = ColumnOf(net_internal, system, year);
    if (std::all_of(official.begin(), official.end(), [](double v) { return std::isfinite(v); })) {
      history.internal_official[y] = true;
      for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
        history.internal[region_idx][y] = official[region_idx];
      }
      continue;
    }
    const double total = history.TotalPopulation(year);
    const double national = history.international[y];
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      const double residual = history.population[region_idx][y + 1] -
                              history.population[region_idx][y] - history.births[region_idx][y] +
                              history.deaths[region_idx][y];
      history.internal[region_idx][y] =
          residual - history.population[region_idx][y] / total * national;
    }
  }
  return history;
}

// The last run of consecutive finite values of `values(year)` for years <= last, at most
// `window` long (0: unlimited). Returns the first year of the run and the values.
std::pair<int, std::vector<double>> LastRun(const std::function<double(int)>& values, int first,
                                            int last, int window) {
  std::vector<double> run;
  int year = last;
  while (year >= first && std::isfinite(values(year)) &&
         (window == 0 || static_cast<int>(run.size()) < window)) {
    run.push_back(values(year));
    --year;
  }
  std::reverse(run.begin(), run.end());
  return {year + 1, run};
}

uint64_t NetModelSeed(uint64_t seed) { return MixSeed(seed ^ 0x6e65742d6d6f64ULL); }

struct BuiltModel {
  project::RegionalModel model;
  std::shared_ptr<project::RateTrajectories> paths;
  std::vector<size_t> unit_of_region;  // index in paths, or npos
  ProjectionModelInfo info;
};

// Fits the birth, death, international and inter-regional models for base year `base` and
// simulates the inter-regional rates of draws [0, draws) (with `span`, of its draws only).
BuiltModel BuildModel(const History& history, int base, int horizon, const ProjectRequest& request,
                      std::vector<std::string>& notes,
                      const std::optional<project::DrawSpan>& span = std::nullopt) {
  BuiltModel built;
  project::RegionalModel& model = built.model;
  const size_t region_count = history.regions();
  model.region_ids = history.ids;
  model.base_year = base;
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    const double value = history.Get(history.population, region_idx, base);
    if (!std::isfinite(value) || value <= 0) {
      throw InputError("--from", 0, 0,
                       fmt::format("no population of region {} on 1 January {} in the built-in "
                                   "data (1 January {}-{}; {} by accounting)",
                                   history.ids[region_idx], base, kFirstYear,
                                   history.last_official_population, history.last_year));
    }
    model.base_population.push_back(value);
  }
  // Birth and death rates per person of the years base - window .. base - 1.
  const int vital_first = base - request.vital_window;
  auto rate = [&](const std::vector<std::vector<double>>& counts, size_t region_idx) {
    return [&, region_idx](int year) {
      return history.Get(counts, region_idx, year) /
             history.Get(history.population, region_idx, year);
    };
  };
  std::vector<size_t> missing_vital;
  model.birth.resize(region_count);
  model.death.resize(region_count);
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    const auto births = LastRun(rate(history.births, region_idx), vital_first, base - 1, 0);
    const auto deaths = LastRun(rate(history.deaths, region_idx), vital_first, base - 1, 0);
    if (births.second.size() < 3 || deaths.second.size() < 3) {
      missing_vital.push_back(region_idx);
      continue;
    }
    model.birth[region_idx] = project::FitLogRateWalk(births.second);
    model.death[region_idx] = project::FitLogRateWalk(deaths.second);
  }
  if (!missing_vital.empty()) {
    // The aggregate rates of the regions with data stand in for those without.
    auto aggregate = [&](const std::vector<std::vector<double>>& counts) {
      return [&](int year) {
        double events = 0;
        double people = 0;
        for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
          const double count = history.Get(counts, region_idx, year);
          const double pop = history.Get(history.population, region_idx, year);
          if (std::isfinite(count) && std::isfinite(pop)) {
            events += count;
            people += pop;
          }
        }
        return people > 0 ? events / people : kNaN;
      };
    };
    const auto births = LastRun(aggregate(history.births), vital_first, base - 1, 0);
    const auto deaths = LastRun(aggregate(history.deaths), vital_first, base - 1, 0);
    if (births.second.size() < 3 || deaths.second.size() < 3) {
      throw InputError("--from", 0, 0,
                       fmt::format("fewer than 3 years of births and deaths before {} in the "
                                   "built-in data",
                                   base));
    }
    std::string ids;
    for (size_t region_idx : missing_vital) {
      model.birth[region_idx] = project::FitLogRateWalk(births.second);
      model.death[region_idx] = project::FitLogRateWalk(deaths.second);
      ids += (ids.empty() ? "" : ", ") + history.ids[region_idx];
    }
    notes.push_back(fmt::format(
        "regions {} have fewer than 3 years of births and deaths before {} at 2022 borders: the "
        "national rates of the other regions stand in for theirs",
        ids, base));
  }
  // National international net per 1,000.
  const auto intl = LastRun(
      [&](int year) {
        return history.international[history.Index(year)] / history.TotalPopulation(year) * 1000;
      },
      std::max(kFirstYear, base - request.international_window), base - 1, 0);
  if (intl.second.size() < 4) {
    throw InputError("--from", 0, 0,
                     fmt::format("fewer than 4 years of international migration before {}", base));
  }
  model.international = project::FitAr1(intl.second);
  // Inter-regional nets per 1,000: the Bayesian AR(1) model over every region with 3 years.
  std::vector<project::RateSeries> series;
  built.unit_of_region.assign(region_count, static_cast<size_t>(-1));
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    const auto run = LastRun(
        [&](int year) {
          return history.Get(history.internal, region_idx, year) /
                 history.Get(history.population, region_idx, year) * 1000;
        },
        kFirstYear, base - 1, 0);
    if (run.second.size() < 3) {
      built.info.units_without_history.push_back(history.ids[region_idx]);
      continue;
    }
    built.unit_of_region[region_idx] = series.size();
    series.push_back({history.ids[region_idx], run.first, run.second});
  }
  if (!built.info.units_without_history.empty()) {
    std::string ids;
    for (const std::string& id : built.info.units_without_history) {
      ids += (ids.empty() ? "" : ", ") + id;
    }
    notes.push_back(fmt::format(
        "regions {} have fewer than 3 years of inter-regional net migration before {}: their "
        "rate is 0 before balancing",
        ids, base));
  }
  project::NetMigrationSettings net;
  net.chains = request.net_model.chains;
  net.iterations = request.net_model.iterations;
  net.burn_in = request.net_model.burn_in;
  net.thin = request.net_model.thin;
  net.seed = NetModelSeed(request.seed);
  net.threads = ResolveThreads(request.threads);
  const project::NetMigrationFit fit = project::FitNetMigration(series, net);
  built.info.net_model_warnings = fit.warnings;
  for (const std::string& warning : fit.warnings) {
    notes.push_back("inter-regional net model: " + warning);
  }
  project::TrajectoryRequest trajectories;
  trajectories.base_year = base - 1;
  trajectories.to_year = base + horizon - 1;
  trajectories.trajectories = request.draws;
  trajectories.seed = NetModelSeed(request.seed);
  trajectories.threads = ResolveThreads(request.threads);
  if (span) {
    trajectories.begin = span->first;
    trajectories.end = span->first + span->count;
  }
  built.paths =
      std::make_shared<project::RateTrajectories>(project::SimulateTrajectories(fit, trajectories));
  const auto paths = built.paths;
  const std::vector<size_t> unit_of_region = built.unit_of_region;
  model.internal = [paths, unit_of_region, region_count](size_t draw_idx, Rng& /*rng*/,
                                                         std::vector<double>& rates) {
    const size_t k = draw_idx - paths->trajectory_begin;
    for (size_t step = 0; step < paths->years; ++step) {
      for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
        const size_t unit = unit_of_region[region_idx];
        rates[step * region_count + region_idx] =
            unit == static_cast<size_t>(-1) ? 0.0 : paths->at(k, unit, step);
      }
    }
  };
  built.info.settings =
      Json{{"base_year", base},
           {"to", base + horizon},
           {"draws", request.draws},
           {"seed", request.seed},
           {"vital_rates",
            {{"model", "random walk with drift on log rates, per region"},
             {"window", fmt::format("{}-{}", vital_first, base - 1)}}},
           {"international",
            {{"model", "AR(1) on the national net rate per 1,000, distributed by population"},
             {"window", fmt::format("{}-{}", intl.first, base - 1)},
             {"mu", model.international.mu},
             {"phi", model.international.phi},
             {"sigma", model.international.sigma}}},
           {"inter_regional",
            {{"model",
              "Bayesian hierarchical AR(1) (bayesMig), balanced per draw by subtracting the "
              "population-weighted mean rate"},
             {"chains", net.chains},
             {"iterations", net.iterations},
             {"burn_in", net.burn_in},
             {"thin", net.thin}}}};
  return built;
}

// Quantiles of every region x year (and the country) of one run.
void Summarise(const project::ProjectionRun& run, ScenarioProjection& out, int threads) {
  const size_t regions = run.regions;
  const size_t years = static_cast<size_t>(run.horizon) + 1;
  out.cells.assign(years * regions, RegionYear{});
  out.national.assign(years, RegionYear{});
  const Quantiles missing{kNaN, kNaN, kNaN, kNaN, kNaN};
  auto one_year = [&](size_t year_idx) {
    std::vector<double> values(run.draws);
    auto component = [&](const std::vector<double>& data, size_t region_idx) {
      for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
        values[draw_idx] =
            data[run.ComponentIndex(draw_idx, static_cast<int>(year_idx) - 1, region_idx)];
      }
      return project::QuantilesOf(values);
    };
    auto national = [&](const std::vector<double>& data) {
      for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
        double total = 0;
        for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
          total += data[run.ComponentIndex(draw_idx, static_cast<int>(year_idx) - 1, region_idx)];
        }
        values[draw_idx] = total;
      }
      return project::QuantilesOf(values);
    };
    for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
      RegionYear& cell = out.cells[year_idx * regions + region_idx];
      for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
        values[draw_idx] = run.Population(draw_idx, static_cast<int>(year_idx), region_idx);
      }
      cell.population = project::QuantilesOf(values);
      if (year_idx == 0) {
        cell.births = cell.deaths = cell.internal = cell.international = missing;
        continue;
      }
      cell.births = component(run.births, region_idx);
      cell.deaths = component(run.deaths, region_idx);
      cell.internal = component(run.internal, region_idx);
      cell.international = component(run.international, region_idx);
    }
    RegionYear& country = out.national[year_idx];
    for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
      double total = 0;
      for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
        total += run.Population(draw_idx, static_cast<int>(year_idx), region_idx);
      }
      values[draw_idx] = total;
    }
    country.population = project::QuantilesOf(values);
    if (year_idx == 0) {
      country.births = country.deaths = country.internal = country.international = missing;
      return;
    }
    country.births = national(run.births);
    country.deaths = national(run.deaths);
    country.internal = national(run.internal);
    country.international = national(run.international);
  };
  const int workers = std::max(1, std::min(threads, static_cast<int>(years)));
  std::vector<std::thread> pool;
  for (int worker = 0; worker < workers; ++worker) {
    pool.emplace_back([&, worker] {
      for (size_t year_idx = static_cast<size_t>(worker); year_idx < years;
           year_idx += static_cast<size_t>(workers)) {
        one_year(year_idx);
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
}

// Rank 0 receives every rank's draws of every scenario (the doubles as bytes, in rank order) and
// returns the concatenated runs; other ranks return nothing. Collective.
std::vector<project::ProjectionRun> GatherRuns(const std::vector<project::ProjectionRun>& local,
                                               size_t draws, const MpiWorld& world) {
  std::string bytes;
  auto put = [&bytes](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
  };
  for (const project::ProjectionRun& run : local) {
    const uint64_t bounded = run.bounded_values;
    put(&bounded, sizeof bounded);
    for (const std::vector<double>* values :
         {&run.population, &run.births, &run.deaths, &run.internal, &run.international}) {
      put(values->data(), values->size() * sizeof(double));
    }
  }
  const std::string all = GatherToRoot(bytes);
  if (!world.root()) return {};
  std::vector<std::vector<project::ProjectionRun>> parts(local.size());
  size_t offset = 0;
  auto get = [&all, &offset](void* data, size_t size) {
    if (offset + size > all.size()) throw ComputeError("internal: short MPI gather of draws");
    std::copy_n(all.data() + offset, size, static_cast<char*>(data));
    offset += size;
  };
  for (int rank = 0; rank < world.size; ++rank) {
    const project::DrawSpan span = project::DrawRange(draws, rank, world.size);
    for (size_t scenario_idx = 0; scenario_idx < local.size(); ++scenario_idx) {
      const project::ProjectionRun& shape = local[scenario_idx];
      project::ProjectionRun part;
      part.scenario = shape.scenario;
      part.draws = span.count;
      part.regions = shape.regions;
      part.horizon = shape.horizon;
      uint64_t bounded = 0;
      get(&bounded, sizeof bounded);
      part.bounded_values = static_cast<size_t>(bounded);
      const size_t steps = static_cast<size_t>(shape.horizon);
      part.population.resize(span.count * (steps + 1) * shape.regions);
      for (std::vector<double>* values :
           {&part.births, &part.deaths, &part.internal, &part.international}) {
        values->resize(span.count * steps * shape.regions);
      }
      for (std::vector<double>* values :
           {&part.population, &part.births, &part.deaths, &part.internal, &part.international}) {
        get(values->data(), values->size() * sizeof(double));
      }
      parts[scenario_idx].push_back(std::move(part));
    }
  }
  if (offset != all.size()) throw ComputeError("internal: long MPI gather of draws");
  std::vector<project::ProjectionRun> runs;
  for (const auto& scenario_parts : parts) {
    runs.push_back(project::ConcatenateDraws(scenario_parts));
  }
  return runs;
}

void CheckSettings(const ProjectRequest& request) {
  CheckSetting(request.draws >= 1 && request.draws <= 1'000'000, "project",
               "--draws must be between 1 and 1,000,000");
  CheckSetting(request.vital_window >= 3 && request.international_window >= 4, "project",
               "the fitting windows must cover at least 3 (vital rates) and 4 (international) "
               "years");
}

ProjectionResult ProjectWithHistory(KzDataset& kz, const History& history,
                                    const ProjectRequest& request) {
  // Under MPI every rank does the same up to the projection (same data, same seeded fit), then
  // projects its own range of the draws.
  const MpiWorld world = request.split_across_ranks ? World() : MpiWorld{};
  const std::optional<project::DrawSpan> span =
      world.size > 1 ? std::optional<project::DrawSpan>(
                           project::DrawRange(request.draws, world.rank, world.size))
                     : std::nullopt;
  std::vector<ScenarioSpec> specs;
  ProjectionResult result;
  BuiltModel built;
  project::ProjectionSettings settings;
  std::vector<project::ProjectionRun> runs;
  // The steps before the gather; under MPI every rank agrees on a failure (reported once).
  const auto prepare = [&] {
    CheckSettings(request);
    if (span && request.draws < static_cast<size_t>(world.size)) {
      throw UsageError(
          fmt::format("--draws {}: fewer draws than MPI ranks ({})", request.draws, world.size));
    }
    if (request.to <= request.from) {
      throw InputError("--to", 0, 0,
                       fmt::format("the horizon {} is not after the base year {} (--from)",
                                   request.to, request.from));
    }
    if (request.to > request.from + 100) {
      throw UsageError(fmt::format("--to {}: at most 100 years after the base year", request.to));
    }
    if (request.from < kFirstYear + 4 || request.from > history.last_year) {
      throw InputError("--from", 0, 0,
                       fmt::format("base year {} outside the built-in population data: 1 January "
                                   "{}-{} official, {}-{} by accounting; a base needs 4 years "
                                   "before it",
                                   request.from, kFirstYear, history.last_official_population,
                                   history.last_official_population + 1, history.last_year));
    }
    const std::filesystem::path dir = request.scenario_dir.empty()
                                          ? BuiltinScenarioDir(kz.builtin_dir())
                                          : std::filesystem::path(request.scenario_dir);
    const SeriesLookup lookup = [&kz](std::string_view indicator,
                                      int year) -> std::optional<double> {
      const double value = SeriesValueOf(kz.Series(indicator), "KZ", year);
      if (!std::isfinite(value)) return std::nullopt;
      return value;
    };
    if (request.scenarios.empty()) throw UsageError("--scenario: no scenario given");
    for (const std::string& argument : request.scenarios) {
      specs.push_back(ResolveScenario(argument, dir, kz.system(), lookup));
      for (const ScenarioSpec& earlier : specs) {
        if (&earlier != &specs.back() && earlier.scenario.name == specs.back().scenario.name) {
          throw UsageError(fmt::format("--scenario: '{}' given twice", argument));
        }
      }
    }
    result.region_ids = history.ids;
    result.region_names = history.names;
    result.base_year = request.from;
    for (int year = request.from; year <= request.to; ++year) result.years.push_back(year);
    result.draws = request.draws;
    result.seed = request.seed;
    result.base_estimated = history.population_estimated[history.Index(request.from)];
    const int horizon = request.to - request.from;
    built = BuildModel(history, request.from, horizon, request, result.notes, span);
    std::vector<project::Scenario> scenarios;
    for (const ScenarioSpec& spec : specs) scenarios.push_back(spec.scenario);
    settings.horizon = horizon;
    settings.draws = request.draws;
    settings.seed = request.seed;
    settings.threads = ResolveThreads(request.threads);
    if (span) {
      settings.first_draw = span->first;
      settings.draw_count = span->count;
    }
    runs = project::ProjectRegions(built.model, scenarios, settings);
  };
  if (span) {
    AgreeOnFailure(prepare);
  } else {
    prepare();
  }
  if (span) {
    runs = GatherRuns(runs, request.draws, world);
    if (!world.root()) {
      result.is_root = false;
      return result;
    }
  }
  result.model = built.info;
  result.model.bounded_values = runs.empty() ? 0 : runs.front().bounded_values;
  Json scenario_names = Json::array();
  for (size_t idx = 0; idx < specs.size(); ++idx) {
    ScenarioProjection projection;
    projection.name = specs[idx].scenario.name;
    projection.description = specs[idx].scenario.description;
    if (specs[idx].sources.size() == 1) {
      projection.description_ru = ReadScenarioLinks(specs[idx].sources.front()).description_ru;
    }
    projection.text = specs[idx].text;
    projection.sources = specs[idx].sources;
    Summarise(runs[idx], projection, settings.threads);
    projection.run = std::move(runs[idx]);
    scenario_names.push_back(projection.name);
    result.scenarios.push_back(std::move(projection));
  }
  result.model.settings["scenarios"] = scenario_names;
  result.last_official_population_year = history.last_official_population;
  // The notes in English (CLI, JSON); the report writes them in its language from the fields.
  if (result.base_estimated) {
    result.notes.push_back(fmt::format(
        "the regional population on 1 January {} is not published: it is the 1 January {} "
        "population plus the official births, deaths and all-flows net migration (net_all) of "
        "the years between",
        request.from, history.last_official_population));
  }
  if (result.model.bounded_values > 0) {
    result.notes.push_back(fmt::format(
        "{} simulated rates were held at their bounds (deaths <= 100 per 1,000; net migration "
        "within +-150 per 1,000)",
        result.model.bounded_values));
  }
  result.provenance = fmt::format(
      "estimated: components-of-change projection of regional totals, {} draws, seed {}, base "
      "{} (kazmig project; inputs: population_jan1, births, deaths, net_internal, net_all, "
      "intl_net)",
      request.draws, request.seed, request.from);
  return result;
}

Cell Rounded(double value) {
  return std::isfinite(value) ? Cell::Number(std::round(value)) : Cell::Missing();
}

void AddQuantiles(std::vector<Cell>& row, const Quantiles& q) {
  row.push_back(Rounded(q.median));
  row.push_back(Rounded(q.lower80));
  row.push_back(Rounded(q.upper80));
  row.push_back(Rounded(q.lower95));
  row.push_back(Rounded(q.upper95));
}

}  // namespace

ProjectionResult ProjectionResult::OnlyScenario(const std::string& name) const {
  std::string names;
  const ScenarioProjection* found = nullptr;
  for (const ScenarioProjection& s : scenarios) {
    names += (names.empty() ? "" : ", ") + s.name;
    if (s.name == name) found = &s;
  }
  if (found == nullptr) {
    throw UsageError(fmt::format("scenario '{}': not projected (one of {})", name, names));
  }
  // Every field but the scenarios (whose draws are large; keep this list with the struct's).
  ProjectionResult one;
  one.region_ids = region_ids;
  one.region_names = region_names;
  one.base_year = base_year;
  one.years = years;
  one.draws = draws;
  one.seed = seed;
  one.scenarios = {*found};
  one.model = model;
  one.base_estimated = base_estimated;
  one.last_official_population_year = last_official_population_year;
  one.provenance = provenance;
  one.notes = notes;
  one.is_root = is_root;
  return one;
}

size_t ProjectionResult::RegionIndex(const std::string& id) const {
  const auto it = std::find(region_ids.begin(), region_ids.end(), id);
  if (it == region_ids.end()) {
    throw ComputeError(fmt::format("internal: no region {} in the projection", id));
  }
  return static_cast<size_t>(it - region_ids.begin());
}

size_t ProjectionResult::YearIndex(int year) const {
  const auto it = std::find(years.begin(), years.end(), year);
  if (it == years.end()) {
    throw ComputeError(fmt::format("internal: no year {} in the projection", year));
  }
  return static_cast<size_t>(it - years.begin());
}

const RegionYear& ProjectionResult::At(size_t scenario_idx, size_t region_idx, int year) const {
  return scenarios.at(scenario_idx).cells.at(YearIndex(year) * region_ids.size() + region_idx);
}

ProjectionResult ProjectScenarios(KzDataset& kz, const ProjectRequest& request) {
  History history;
  const auto load = [&] {
    CheckSettings(request);
    history = LoadHistory(kz);
  };
  if (request.split_across_ranks) {
    AgreeOnFailure(load);
  } else {
    load();
  }
  return ProjectWithHistory(kz, history, request);
}

ResultTable ProjectionTable(const ProjectionResult& result) {
  std::vector<std::string> columns = {"region",  "year",    "scenario", "median", "lower80",
                                      "upper80", "lower95", "upper95",  "name"};
  for (const char* component : {"births", "deaths", "internal", "international"}) {
    for (const char* stat : {"median", "lower80", "upper80", "lower95", "upper95"}) {
      columns.push_back(fmt::format("{}_{}", component, stat));
    }
  }
  // For people: projected persons to 3 significant digits (they are estimates), ids and years
  // as they are.
  std::vector<Unit> units(columns.size(), Unit::kEstimatedPersons);
  units[0] = Unit::kId;
  units[1] = Unit::kYear;
  units[2] = units[8] = Unit::kAuto;
  ResultTable table(columns, units);
  const size_t provenance = table.AddProvenance(result.provenance);
  for (size_t scenario_idx = 0; scenario_idx < result.scenarios.size(); ++scenario_idx) {
    for (size_t region_idx = 0; region_idx < result.region_ids.size(); ++region_idx) {
      for (int year : result.years) {
        const RegionYear& cell = result.At(scenario_idx, region_idx, year);
        std::vector<Cell> row = {Cell::Text(result.region_ids[region_idx]), Cell::Integer(year),
                                 Cell::Text(result.scenarios[scenario_idx].name)};
        AddQuantiles(row, cell.population);
        if (year == result.years.front()) {
          // The base year's population is the official figure: whole persons.
          for (size_t col = 3; col < row.size(); ++col) row[col] = row[col].In(Unit::kPersons);
        }
        row.push_back(Cell::Text(result.region_names[region_idx]));
        AddQuantiles(row, cell.births);
        AddQuantiles(row, cell.deaths);
        AddQuantiles(row, cell.internal);
        AddQuantiles(row, cell.international);
        table.AddRow(std::move(row), provenance);
      }
    }
  }
  return table;
}

Json ProjectionJson(const ProjectionResult& result) {
  Json scenarios = Json::array();
  for (const ScenarioProjection& scenario : result.scenarios) {
    scenarios.push_back({{"name", scenario.name},
                         {"description", scenario.description},
                         {"sources", scenario.sources}});
  }
  Json national = Json::array();
  for (size_t scenario_idx = 0; scenario_idx < result.scenarios.size(); ++scenario_idx) {
    for (size_t year_idx = 0; year_idx < result.years.size(); ++year_idx) {
      const Quantiles& q = result.scenarios[scenario_idx].national[year_idx].population;
      national.push_back({{"scenario", result.scenarios[scenario_idx].name},
                          {"year", result.years[year_idx]},
                          {"median", std::round(q.median)},
                          {"lower80", std::round(q.lower80)},
                          {"upper80", std::round(q.upper80)},
                          {"lower95", std::round(q.lower95)},
                          {"upper95", std::round(q.upper95)}});
    }
  }
  return Json{{"method", result.model.settings},
              {"provenance", result.provenance},
              {"scenarios", scenarios},
              {"notes", result.notes},
              {"national", national},
              {"rows", ProjectionTable(result).ToJson()}};
}

long long StoreProjection(KzDataset& kz, const ProjectionResult& result) {
  const ResultTable table = ProjectionTable(result);
  long long first_id = 0;
  for (const ScenarioProjection& scenario : result.scenarios) {
    ResultTable rows(table.columns());
    for (size_t row_idx = 0; row_idx < table.row_count(); ++row_idx) {
      if (table.at(row_idx, "scenario").text == scenario.name) rows.AddRow(table.row(row_idx));
    }
    store::ProjectionRunRecord record;
    record.dataset = "kz";
    record.scenario = scenario.name;
    record.scenario_text = scenario.text;
    record.seed = result.seed;
    record.draws = static_cast<long long>(result.draws);
    record.base_year = result.base_year;
    record.to_year = result.years.back();
    record.settings = result.model.settings.dump();
    record.results = rows.Csv();
    const long long id = kz.mutable_store().SaveProjectionRun(record);
    if (first_id == 0) first_id = id;
  }
  return first_id;
}

const std::vector<RegionGroup>& CompareGroups() {
  static const std::vector<RegionGroup> groups = [] {
    auto as = [](const char* id, const char* group) {
      RegionGroup out = *FindRegionGroup(group);
      out.id = id;
      return out;
    };
    return std::vector<RegionGroup>{as("NORTH", "north"), as("SOUTH", "labour-surplus"),
                                    as("CITIES", "cities"), RegionGroup{"KZ", "Kazakhstan", {}}};
  }();
  return groups;
}

CompareResult CompareScenarios(KzDataset& kz, const CompareRequest& request) {
  ProjectRequest projection = request.projection;
  if (std::find(projection.scenarios.begin(), projection.scenarios.end(), "baseline") ==
      projection.scenarios.end()) {
    projection.scenarios.insert(projection.scenarios.begin(), "baseline");
  }
  CompareResult result;
  result.year = projection.to;
  result.projection = ProjectScenarios(kz, projection);
  // The risk index of each region under each scenario (app/risk.h) unless the caller gives its own.
  result.table = CompareTable(result.projection, result.year,
                              request.risk_score ? request.risk_score : ProjectedRiskScores());
  return result;
}

ResultTable CompareTable(const ProjectionResult& p, int year, const RiskScoreFn& risk_score) {
  std::optional<size_t> baseline_idx;
  for (size_t idx = 0; idx < p.scenarios.size(); ++idx) {
    if (p.scenarios[idx].name == "baseline") baseline_idx = idx;
  }
  const int step = static_cast<int>(p.YearIndex(year));
  const size_t regions = p.region_ids.size();
  ResultTable table(
      {"scenario", "region", "name", "population", "lower95", "upper95", "change", "change_percent",
       "diff_baseline", "diff_lower95", "diff_upper95", "share_percent", "risk_score"},
      {Unit::kAuto, Unit::kId, Unit::kAuto, Unit::kEstimatedPersons, Unit::kEstimatedPersons,
       Unit::kEstimatedPersons, Unit::kEstimatedPersons, Unit::kPercent, Unit::kEstimatedPersons,
       Unit::kEstimatedPersons, Unit::kEstimatedPersons, Unit::kPercent, Unit::kScore});
  const size_t provenance = table.AddProvenance(p.provenance);
  // Units: every region, then the groups; members as indices (KZ: every region).
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::vector<size_t>> members;
  for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
    labels.emplace_back(p.region_ids[region_idx], p.region_names[region_idx]);
    members.push_back({region_idx});
  }
  for (const RegionGroup& group : CompareGroups()) {
    labels.emplace_back(group.id, group.name);
    std::vector<size_t> indices;
    if (group.members.empty()) {
      for (size_t region_idx = 0; region_idx < regions; ++region_idx) indices.push_back(region_idx);
    } else {
      for (const std::string& id : group.members) indices.push_back(p.RegionIndex(id));
    }
    members.push_back(indices);
  }
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    const project::ProjectionRun& run = p.scenarios[scenario_idx].run;
    const project::ProjectionRun* base_run =
        baseline_idx ? &p.scenarios[*baseline_idx].run : nullptr;
    for (size_t unit_idx = 0; unit_idx < labels.size(); ++unit_idx) {
      std::vector<double> level(run.draws);
      std::vector<double> change(run.draws);
      std::vector<double> diff(run.draws);
      std::vector<double> share(run.draws);
      double base_total = 0;
      for (size_t region_idx : members[unit_idx]) base_total += run.Population(0, 0, region_idx);
      for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
        double value = 0;
        double baseline = 0;
        double country = 0;
        for (size_t region_idx : members[unit_idx]) {
          value += run.Population(draw_idx, step, region_idx);
          if (base_run != nullptr) baseline += base_run->Population(draw_idx, step, region_idx);
        }
        for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
          country += run.Population(draw_idx, step, region_idx);
        }
        level[draw_idx] = value;
        change[draw_idx] = value - base_total;
        diff[draw_idx] = base_run != nullptr ? value - baseline : kNaN;
        share[draw_idx] = value / country * 100;
      }
      const Quantiles q_level = project::QuantilesOf(level);
      const Quantiles q_change = project::QuantilesOf(change);
      const Quantiles q_diff = project::QuantilesOf(diff);
      const Quantiles q_share = project::QuantilesOf(share);
      std::optional<double> risk;
      if (risk_score && unit_idx < regions) risk = risk_score(p, scenario_idx, unit_idx);
      table.AddRow({Cell::Text(p.scenarios[scenario_idx].name), Cell::Text(labels[unit_idx].first),
                    Cell::Text(labels[unit_idx].second), Rounded(q_level.median),
                    Rounded(q_level.lower95), Rounded(q_level.upper95), Rounded(q_change.median),
                    Cell::Number(std::round(q_change.median / base_total * 1000) / 10),
                    Rounded(q_diff.median), Rounded(q_diff.lower95), Rounded(q_diff.upper95),
                    Cell::Number(std::round(q_share.median * 100) / 100),
                    risk ? Cell::Number(std::round(*risk * 1000) / 1000) : Cell::Missing()},
                   provenance);
    }
  }
  return table;
}

ProspectsInput ComputeProspects(KzDataset& kz, const ProspectsRequest& request) {
  ProspectsInput input;
  // A dataset without the regional population (e.g. a test dataset) has no prospects to show.
  if (kz.Series("population_jan1").region_count() == 0) return input;
  ProjectRequest projection;
  static_cast<ProjectionSettings&>(projection) = request;
  projection.from = request.from;
  projection.to = request.to;
  projection.scenario_dir = request.scenario_dir;
  const std::filesystem::path dir = request.scenario_dir.empty()
                                        ? BuiltinScenarioDir(kz.builtin_dir())
                                        : std::filesystem::path(request.scenario_dir);
  projection.scenarios = {"baseline"};
  for (const std::string& name : BuiltinScenarioNames(dir)) {
    if (name != "baseline") projection.scenarios.push_back(name);
  }
  try {
    input.projection = ProjectScenarios(kz, projection);
    input.year = request.to;
    input.comparison = CompareTable(input.projection, input.year, ProjectedRiskScores());
    input.available = true;
  } catch (const Error& error) {
    input.unavailable = error.what();
    return input;
  }
  try {
    BacktestRequest backtest;
    static_cast<ProjectionSettings&>(backtest) = request;
    backtest.fit_to = request.backtest_fit_to;
    backtest.to = request.backtest_to;
    input.backtest = RunBacktest(kz, backtest);
    input.backtest_available = true;
  } catch (const Error& error) {
    input.backtest.notes.push_back(error.what());
  }
  return input;
}

BacktestResult RunBacktest(KzDataset& kz, const BacktestRequest& request) {
  const History history = LoadHistory(kz);
  BacktestResult result;
  result.fit_to = request.fit_to;
  result.to = request.to;
  if (request.to <= request.fit_to) {
    throw InputError("--to", 0, 0,
                     fmt::format("the horizon {} is not after the base year {} (--fit-to)",
                                 request.to, request.fit_to));
  }
  if (request.to > history.last_official_population) {
    throw InputError("--to", 0, 0,
                     fmt::format("official regional population ends on 1 January {}: cannot "
                                 "score {}",
                                 history.last_official_population, request.to));
  }
  ProjectRequest projection;
  projection.from = request.fit_to;
  projection.to = request.to;
  projection.draws = request.draws;
  projection.seed = request.seed;
  projection.threads = request.threads;
  projection.net_model = request.net_model;
  projection.scenarios = {"baseline"};
  // Only data before the base year are used: the rates of years < fit_to and P(fit_to).
  const ProjectionResult p = ProjectWithHistory(kz, history, projection);
  result.notes = p.notes;
  const project::ProjectionRun& run = p.scenarios.front().run;
  const size_t regions = p.region_ids.size();
  const int base = request.fit_to;
  // Benchmarks at kz-2022 units: constant growth rate (mean of the 5 years before the base) and
  // a linear trend (least squares over the 10 years up to the base).
  std::vector<double> growth(regions, 0);
  std::vector<double> slope(regions, 0);
  std::vector<double> intercept(regions, 0);
  for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
    double sum = 0;
    int count = 0;
    for (int year = base - 5; year < base; ++year) {
      const double now = history.Get(history.population, region_idx, year);
      const double next = history.Get(history.population, region_idx, year + 1);
      if (std::isfinite(now) && std::isfinite(next) && now > 0) {
        sum += next / now - 1;
        ++count;
      }
    }
    growth[region_idx] = count > 0 ? sum / count : 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (int year = base - 10; year <= base; ++year) {
      const double value = history.Get(history.population, region_idx, year);
      if (!std::isfinite(value)) continue;
      const double x = year - base;
      sx += x;
      sy += value;
      sxx += x * x;
      sxy += x * value;
      ++n;
    }
    const double denominator = n * sxx - sx * sx;
    slope[region_idx] = denominator > 0 ? (n * sxy - sx * sy) / denominator : 0;
    intercept[region_idx] = n > 0 ? (sy - slope[region_idx] * sx) / n : 0;
  }
  struct Tally {
    size_t observations = 0;
    double ape = 0;
    size_t in80 = 0;
    size_t in95 = 0;
  };
  const std::vector<std::string> models = {"kazmig", "constant-rate", "linear-trend"};
  std::map<std::pair<size_t, int>, Tally> tallies;
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  const auto weights = CrosswalkWeights(kz);  // the Crosswalk asks for them; merges only add
  std::map<int, std::string> newest_vintage;  // kVintages are oldest first
  for (const char* vintage : kVintages) {
    for (int year : kz.Series("population_jan1", vintage).Years()) newest_vintage[year] = vintage;
  }
  for (const char* vintage : kVintages) {
    const RegionSeries& official = kz.Series("population_jan1", vintage);
    const RegionSystem& system = RegionSystem::Builtin(vintage);
    const Crosswalk merge(kz2022, system, weights);
    for (int year : official.Years()) {
      if (year <= base || year > request.to) continue;
      if (newest_vintage[year] != vintage) continue;  // scored at the newest vintage
      const std::vector<double> observed = ColumnOf(official, system, year);
      const int step = year - base;
      std::vector<std::vector<double>> draws(system.size(), std::vector<double>(run.draws));
      std::vector<double> at2022(regions);
      for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
        for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
          at2022[region_idx] = run.Population(draw_idx, step, region_idx);
        }
        const std::vector<double> merged = merge.ConvertCounts(at2022);
        for (size_t unit_idx = 0; unit_idx < system.size(); ++unit_idx) {
          draws[unit_idx][draw_idx] = merged[unit_idx];
        }
      }
      std::vector<double> constant(regions);
      std::vector<double> linear(regions);
      for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
        constant[region_idx] =
            p.At(0, region_idx, base).population.median * std::pow(1 + growth[region_idx], step);
        linear[region_idx] = intercept[region_idx] + slope[region_idx] * step;
      }
      const std::vector<double> constant_merged = merge.ConvertCounts(constant);
      const std::vector<double> linear_merged = merge.ConvertCounts(linear);
      for (size_t unit_idx = 0; unit_idx < system.size(); ++unit_idx) {
        const double value = observed[unit_idx];
        if (!std::isfinite(value) || value <= 0) continue;
        const Quantiles q = project::QuantilesOf(draws[unit_idx]);
        const double predictions[] = {q.median, constant_merged[unit_idx], linear_merged[unit_idx]};
        for (size_t model_idx = 0; model_idx < models.size(); ++model_idx) {
          for (int key_year : {year, 0}) {
            Tally& tally = tallies[{model_idx, key_year}];
            ++tally.observations;
            tally.ape += std::fabs(predictions[model_idx] - value) / value * 100;
            if (model_idx == 0) {
              tally.in80 += (value >= q.lower80 && value <= q.upper80) ? 1 : 0;
              tally.in95 += (value >= q.lower95 && value <= q.upper95) ? 1 : 0;
            }
          }
        }
      }
    }
  }
  result.table = ResultTable(
      {"model", "year", "observations", "mape", "coverage80", "coverage95"},
      {Unit::kAuto, Unit::kAuto, Unit::kCount, Unit::kPercent, Unit::kShare, Unit::kShare});
  const size_t provenance = result.table.AddProvenance(fmt::format(
      "estimated: backtest fitted to 1 January {}, scored against population_jan1 (official, "
      "BNS table 6584) {}-{}",
      base, base + 1, request.to));
  for (size_t model_idx = 0; model_idx < models.size(); ++model_idx) {
    std::vector<int> keys;
    for (int year = base + 1; year <= request.to; ++year) keys.push_back(year);
    keys.push_back(0);
    for (int key_year : keys) {
      const auto it = tallies.find({model_idx, key_year});
      if (it == tallies.end()) continue;
      const Tally& tally = it->second;
      BacktestScore score;
      score.model = models[model_idx];
      score.year = key_year;
      score.observations = tally.observations;
      score.mape = tally.ape / static_cast<double>(tally.observations);
      score.coverage80 =
          model_idx == 0 ? static_cast<double>(tally.in80) / static_cast<double>(tally.observations)
                         : kNaN;
      score.coverage95 =
          model_idx == 0 ? static_cast<double>(tally.in95) / static_cast<double>(tally.observations)
                         : kNaN;
      result.scores.push_back(score);
      result.table.AddRow(
          {Cell::Text(score.model), key_year == 0 ? Cell::Text("all") : Cell::Integer(key_year),
           Cell::Integer(static_cast<long long>(score.observations)),
           Cell::Number(std::round(score.mape * 1000) / 1000),
           std::isfinite(score.coverage80)
               ? Cell::Number(std::round(score.coverage80 * 1000) / 1000)
               : Cell::Missing(),
           std::isfinite(score.coverage95)
               ? Cell::Number(std::round(score.coverage95 * 1000) / 1000)
               : Cell::Missing()},
          provenance);
    }
  }
  result.notes.push_back(fmt::format(
      "scored at the boundaries the Bureau published each year (projections merged to kz-2009 "
      "or kz-2018 units where needed); the 2022-border units before 2022 are crosswalk splits "
      "(population_avg weights of 2018 and 2022)"));
  return result;
}

}  // namespace kazmig::app

// The use cases of `kazmig project`, `kazmig project backtest` and `kazmig compare`: probabilistic
// projections of the regions' population totals from the built-in data, under scenarios, side by
// side, and scored out of sample. Methods and data limits: docs/projection.md.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::ProjectRequest request;                       // base 2024, to 2035, 1,000 draws, seed 1
//   request.scenarios = {"baseline", "resettlement-quota+kandas-inflow"};
//   app::ProjectionResult result = app::ProjectScenarios(kz, request);
//   const app::RegionYear& cell = result.At(1, result.RegionIndex("59"), 2035);
//   cell.population.median;  cell.population.lower95;  cell.internal.median;  // persons
//   std::cout << app::ProjectionTable(result).Encode(app::Format::kCsv);
//
// ProjectScenarios is the one function every face (the CLI, the report, the risk module's
// `kazmig risk --scenario`) calls for projected values: for every scenario x region x year it
// gives the median and the 80% and 95% intervals of the population on 1 January and of the
// components of the year before (births, deaths, inter-regional net, international net), the same
// for the country, and the draws themselves (ScenarioProjection::run) for differences between
// scenarios (the same draws of the rates are used for every scenario).
#ifndef KAZMIG_APP_PROJECT_H_
#define KAZMIG_APP_PROJECT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/region_groups.h"
#include "kazmig/app/result_table.h"
#include "kazmig/project/regional.h"

namespace kazmig::app {

using project::Quantiles;

// Settings of the Bayesian inter-regional net migration model (project/net_migration_model.h).
struct NetModelSettings {
  int chains = 3;
  int iterations = 20000;
  int burn_in = 5000;
  int thin = 10;
};

// The model settings every projection use case shares (the projection, the backtest, the
// report's prospects): one struct, so a request passes them on in one assignment.
struct ProjectionSettings {
  size_t draws = 1000;
  uint64_t seed = 1;
  int threads = 0;  // 0: every core
  NetModelSettings net_model;
};

struct ProjectRequest : ProjectionSettings {
  int from =
      2024;  // base year: population on 1 January `from` (observed, or 2024/2025 by accounting)
  int to = 2035;  // last year shown (1 January); must be > from (InputError otherwise)
  // Scenarios to run side by side; each "NAME", "FILE.json" or several joined by '+' (composed).
  std::vector<std::string> scenarios = {"baseline"};
  // Window (years before the base year) of the birth and death rate walks and of the national
  // international migration model.
  int vital_window = 10;
  int international_window = 20;
  // When set, the built-in scenario folder (else BuiltinScenarioDir(kz.builtin_dir())).
  std::string scenario_dir;
  // Under MPI (mpiexec -n N, core/parallel.h): every rank fits the same seeded model and projects
  // its DrawRange of the draws; rank 0 gathers the draws in rank order, so its result equals the
  // single-process one. Collective: every rank must call ProjectScenarios; errors are agreed on.
  bool split_across_ranks = false;
};

// One region (or the country) in one year under one scenario. `population` is on 1 January of the
// year; the components are those of the year before (they take the population from 1 January of
// year - 1 to this one) and are NaN in the base year.
struct RegionYear {
  Quantiles population;
  Quantiles births;
  Quantiles deaths;
  Quantiles internal;       // inter-regional net (zero-sum over regions in every draw)
  Quantiles international;  // international net
};

struct ScenarioProjection {
  std::string name;            // as the user wrote it ("a+b" for a composition)
  std::string description;     // from the scenario files
  std::string description_ru;  // the file's "description_ru" (one built-in file only)
  std::string text;            // the scenario files' text ("" for the baseline)
  std::vector<std::string> sources;
  std::vector<RegionYear> cells;     // [year_idx * regions + region_idx], year_idx 0 = base year
  std::vector<RegionYear> national;  // [year_idx]: the country (sum of the regions per draw)
  project::ProjectionRun run;        // the draws
};

// What the model was fitted on and how, for the notes, the JSON `method` key and the store.
struct ProjectionModelInfo {
  Json settings;  // every setting and window, the seed and the draws (to reproduce a run)
  std::vector<std::string> net_model_warnings;  // convergence warnings of the Bayesian model
  std::vector<std::string> units_without_history;
  size_t bounded_values = 0;
};

// A new field must also be copied by OnlyScenario (project.cc).
struct ProjectionResult {
  std::vector<std::string> region_ids;  // kz-2022 order
  std::vector<std::string> region_names;
  int base_year = 0;
  std::vector<int> years;  // base_year .. to
  size_t draws = 0;
  uint64_t seed = 0;
  std::vector<ScenarioProjection> scenarios;
  ProjectionModelInfo model;
  bool base_estimated = false;  // base population reconstructed by accounting (2024, 2025)
  int last_official_population_year = 0;  // the 1 January population it was reconstructed from
  std::string provenance;                 // "estimated: ..." for every projected value
  std::vector<std::string> notes;
  // False on the ranks other than 0 of a run split across MPI ranks: nothing else is filled.
  bool is_root = true;

  size_t RegionIndex(const std::string& id) const;  // throws ComputeError (internal) when absent
  // The cell of `scenario_idx`, `region_idx`, `year` (a year of `years`).
  const RegionYear& At(size_t scenario_idx, size_t region_idx, int year) const;
  size_t YearIndex(int year) const;  // throws ComputeError (internal) when absent
  // The same result with only the scenario named `name` (every other field as here); UsageError
  // naming the projected scenarios when there is none of that name.
  ProjectionResult OnlyScenario(const std::string& name) const;
};

// Projects every requested scenario from the built-in data. Throws InputError for a horizon
// before (or at) the base year, a base year without population data, a bad scenario (file and
// key); UsageError for an unknown scenario name or bad settings.
ProjectionResult ProjectScenarios(KzDataset& kz, const ProjectRequest& request);

// The `kazmig project` table: region,year,scenario,median,lower80,upper80,lower95,upper95
// (population), then name and, for each component (births, deaths, internal, international),
// COMPONENT_median, _lower80, _upper80, _lower95, _upper95. One row per region x year x scenario
// (scenario-major, then region in kz-2022 order, then year).
ResultTable ProjectionTable(const ProjectionResult& result);
// The JSON document: method and settings, notes, and the table's rows.
Json ProjectionJson(const ProjectionResult& result);

// Stores every scenario of `result` as a projection run (store migration 4): the scenario text,
// seed, draws, model settings (JSON) and the scenario's rows of ProjectionTable (CSV). Returns
// the id of the first run stored.
long long StoreProjection(KzDataset& kz, const ProjectionResult& result);

// The risk score of a region under a scenario: `kazmig compare` and the report use the risk index
// of app/risk.h (ProjectedRiskScores) when CompareRequest::risk_score is empty.
using RiskScoreFn = std::function<std::optional<double>(const ProjectionResult&,
                                                        size_t scenario_idx, size_t region_idx)>;

// `kazmig compare`: scenarios side by side in one year.
struct CompareRequest {
  ProjectRequest projection;  // scenarios, base, draws, seed; `to` is the year compared
  RiskScoreFn risk_score;
};
// The groups of regions compared, as rows of the compare table (ids NORTH = the group "north",
// SOUTH = "labour-surplus", CITIES = "cities" of app/region_groups.h, and KZ = the country).
const std::vector<RegionGroup>& CompareGroups();

struct CompareResult {
  ProjectionResult projection;  // with "baseline" first (added when not requested)
  int year = 0;
  // scenario,region,name,population,lower95,upper95,change,change_percent,diff_baseline,
  // diff_lower95,diff_upper95,share_percent,risk_score: one row per scenario x (region, then the
  // groups NORTH, SOUTH, CITIES, KZ).
  ResultTable table;
};
CompareResult CompareScenarios(KzDataset& kz, const CompareRequest& request);
// The compare table of an existing projection (its scenario "baseline" is the reference; without
// one the diff columns are missing) in `year` (a year of the projection).
ResultTable CompareTable(const ProjectionResult& projection, int year,
                         const RiskScoreFn& risk_score = {});

// `kazmig project backtest`: fit on data up to `fit_to` (base year, population on 1 January
// fit_to), project to `to`, score the years fit_to + 1 .. to against the official 1 January
// population at the boundaries the Bureau published for each year.
struct BacktestRequest : ProjectionSettings {
  int fit_to = 2016;
  int to = 2023;
};
struct BacktestScore {
  std::string model;  // kazmig, constant-rate, linear-trend
  int year = 0;       // 0: every year together
  size_t observations = 0;
  double mape = 0;        // mean absolute percentage error of the median (point), %
  double coverage80 = 0;  // share of official values inside the 80% interval (NaN for benchmarks)
  double coverage95 = 0;
};
struct BacktestResult {
  int fit_to = 0;
  int to = 0;
  std::vector<BacktestScore> scores;  // per model: each year, then the overall row (year 0)
  std::vector<std::string> notes;
  ResultTable table;  // model,year,observations,mape,coverage80,coverage95 (year "all")
};
BacktestResult RunBacktest(KzDataset& kz, const BacktestRequest& request);

// ---- the report's "Prospects and policy options" ---------------------------------------------

struct ProspectsRequest : ProjectionSettings {
  int from = 2024;
  int to = 2035;
  int backtest_fit_to = 2016;
  int backtest_to = 2023;
  std::string scenario_dir;  // empty: the built-in folder
};

// What the report section shows, computed: the baseline and every built-in scenario, the compare
// table in `to`, the backtest. When the built-in data cannot be projected, `available` is false
// and `unavailable` says why (the report shows the note instead of the section's figures); a
// dataset without population_jan1 leaves both empty (no section).
struct ProspectsInput {
  bool available = false;
  std::string unavailable;
  ProjectionResult projection;  // "baseline" first, then the built-in scenarios
  int year = 0;
  ResultTable comparison;  // CompareTable(projection, year)
  BacktestResult backtest;
  bool backtest_available = false;
};
ProspectsInput ComputeProspects(KzDataset& kz, const ProspectsRequest& request);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_PROJECT_H_

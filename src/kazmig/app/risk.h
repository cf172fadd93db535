// The use case of `kazmig risk`: the regional migration-risk index with its Monte Carlo rank
// bands and early-warning flags, from the built-in data (KzDataset: the components of
// risk/kz_components.h) or from a user's components file, encoded the same way for every face.
//
//   app::RiskRequest request;
//   request.location = {app::DefaultDbPath(), app::BuiltinDataDir()};
//   request.year = 2024;                        // 0: the latest year with the most components
//   app::RiskResult result = app::RunRisk(request);
//   result.regions[0];                          // rank 1: the highest risk
//   std::cout << app::EncodeRisk(result, app::Format::kJson);
//
//   app::RiskRequest own;                       // the user's components, one year
//   own.data = "components.csv";                // region,component,value,direction
//   own.weights = "weights.csv";                // component,weight ("equal", "pca" or a file)
//
// Files (docs/risk.md): components `region,component,value,direction` (direction '+' = higher
// value, more risk; '-' = less); weights `component,weight` (summing to 1 unless
// normalise_weights); rules `rule,component,test,threshold,years`. Bad files are InputErrors at
// FILE:LINE:COLUMN.
#ifndef KAZMIG_APP_RISK_H_
#define KAZMIG_APP_RISK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kazmig/app/indicators.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/project.h"
#include "kazmig/app/result_table.h"

namespace kazmig::app {

struct RiskRequest {
  int year = 0;         // 0: the default year (built-in) or none (--data)
  std::string data;     // components file; empty: the built-in components
  std::string weights;  // "" or "equal", "pca", or a weights file
  bool normalise_weights = false;
  std::string normalise = "minmax";  // minmax | zscore
  std::string aggregate = "linear";  // linear | geometric
  double winsorise = 0;              // percent in [0, 50)
  size_t draws = 2000;
  uint64_t seed = 1;
  std::string rules;     // rules file; empty: the built-in rules
  std::string scenario;  // a projection scenario (needs the projections)
  int threads = 1;
  DatasetLocation location;  // the store, for the built-in components
};

struct RiskComponentValue {
  double value = 0;  // raw, in the component's unit
  double normalised = 0;
  double weight = 0;
  double contribution = 0;
};

struct RiskFlag {
  std::string rule;
  std::string component;
  std::string detail;
  std::vector<int> years;
  std::vector<double> values;
};

struct RiskRegion {
  std::string id;
  std::string name;
  double score = 0;
  int rank = 0;
  double median_rank = 0;
  double rank_p05 = 0;
  double rank_p95 = 0;
  bool robust = false;
  std::vector<RiskComponentValue> components;  // in RiskResult::components order
  std::vector<RiskFlag> flags;
  // Under a scenario: the region's score under the baseline, normalised together with the
  // scenario's values (so `score - baseline_score` is the scenario's effect on the index).
  double baseline_score = 0;
};

struct RiskComponentInfo {
  std::string name;
  std::string group;
  char direction = '+';
  std::string unit;
  std::string formula;
  std::string source;
  // "official" (every input an official value), "estimated (...)" (an input estimated or a value
  // imputed) or "user file".
  std::string inputs;
};

struct RiskResult {
  int year = 0;  // 0: none (a --data file without --year)
  std::vector<RiskComponentInfo> components;
  std::vector<RiskRegion> regions;  // by rank (1 first)
  std::string aggregate;            // "linear" or "geometric" (how to read contributions)
  std::string scenario;             // the projection scenario, "" for observed data
  Json method;
  // Per year of the built-in data: the components available and missing (empty for --data).
  struct YearCoverage {
    int year = 0;
    std::vector<std::string> available;
    std::vector<std::pair<std::string, std::string>> missing;  // component, reason
  };
  std::vector<YearCoverage> coverage;
  std::vector<std::string> notes;  // "kazmig: note: ..." lines
};

// `kazmig risk`. Throws UsageError for bad settings or a year without data, InputError at the
// file position of bad input, ComputeError when a computation cannot be done.
RiskResult RunRisk(const RiskRequest& request);

// The built-in index of `request.year` on an open dataset (the report uses it). With
// `request.scenario` the index of the projected calendar year `request.year` (default: 2034, the
// last full year of the default projection) under that scenario (app::ProjectScenarios with its
// defaults and `request.seed`): the components the projection gives (depopulation, net loss
// share, volatility) on the medians of the draws, normalised together with the baseline's values
// so that each region's `baseline_score` compares with its `score`.
RiskResult ComputeKzRisk(KzDataset& kz, const RiskRequest& request);

// The risk_score column of `kazmig compare`: for each scenario and region of a projection, the
// index of its last full year (the year before the last 1 January), equal weights, min-max,
// linear, normalised over every scenario of the projection together (so the scores of two
// scenarios compare). nullopt when fewer than two components can be projected.
RiskScoreFn ProjectedRiskScores();

// JSON: {"year", "method", "regions": [{"region", "name", "score", "rank", "median_rank",
// "rank_band", "robust", "components": {NAME: {value, normalised, weight, contribution}},
// "flags": [{"rule", "detail", "years", "values"}]}]}. CSV and table: one row per region with
// year, region, name, score, rank, median_rank, rank_p05, rank_p95, robust, then NAME_value,
// NAME_normalised, NAME_weight, NAME_contribution per component, then flags (rule names joined
// by ';') and flag_details (details joined by "; ").
std::string EncodeRisk(const RiskResult& result, Format format);
ResultTable RiskTable(const RiskResult& result);
Json RiskJson(const RiskResult& result);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_RISK_H_

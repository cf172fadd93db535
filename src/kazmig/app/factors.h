// The use case of `kazmig factors`: what drives Kazakhstan's migration, fitted on the built-in
// official data (docs/factors.md) and stated in plain words.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::FactorsResult result = app::RunFactors(kz, {.spec = "all"});
//   for (const app::FactorModel& model : result.models) {
//     model.n_obs; model.not_identified;                       // what the data cannot say
//     for (const app::FactorEstimate& f : model.factors) f.statement;   // "Regions whose ..."
//   }
//   std::cout << app::EncodeFactors(result, app::Format::kTable);
//
// Specifications (every number *estimated*, the specification in its provenance):
//   regional               OLS-FE: balance per 1,000 on lagged covariates, region and year
//                          effects, standard errors clustered by region; kz-2009 units.
//   gross-arrivals,        PPML: registered internal arrivals / departures 2022-2024 on the same
//   gross-departures       covariates, log average population as exposure (offset), region and year
//                          effects, clustered by region; kz-2009 units.
//   international-network  PPML on the world panel (Abel & Cohen flows, UN DESA stocks, zeros
//                          included): log diaspora stock at the period start, origin x period,
//                          destination x period and pair effects, clustered by pair.
//   cis-arrivals,          PPML: official arrivals from / departures to each CIS partner,
//   cis-departures         2016-2025, partner effects and year indicators (2016 = reference), HC1.
// The inter-regional OD matrix of the built-in data is itself modelled from distance and
// population: no gravity model is fitted to it.
#ifndef KAZMIG_APP_FACTORS_H_
#define KAZMIG_APP_FACTORS_H_

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/models/factor_panel.h"

namespace kazmig::app {

// The region units every Kazakhstan regional specification is fitted at.
inline constexpr const char* kFactorUnits = "kz-2009";

// One factor of one specification, with the effect of a stated change in plain words.
struct FactorEstimate {
  std::string spec;
  std::string factor;      // covariate name, e.g. "log_rel_income"
  std::string label;       // "per-capita income relative to the national level"
  double coefficient = 0;  // NaN when not identified (collinear)
  double std_error = 0;
  double low = 0;  // 95% interval of the coefficient
  double high = 0;
  std::string change;  // the change the effect is stated for, e.g. "+10%"
  double effect = 0;   // effect of `change` in `effect_unit`, with its 95% interval
  double effect_low = 0;
  double effect_high = 0;
  std::string effect_unit;  // "per 1,000 residents a year", "%"
  std::string statement;    // the plain-words sentence
};

// One fitted specification.
struct FactorModel {
  std::string spec;
  std::string title;
  std::string outcome;
  std::string method;         // "OLS with fixed effects", "PPML with fixed effects"
  std::string fixed_effects;  // "region, year"
  std::string std_errors;     // "clustered by region (16 clusters)"
  std::string units;          // "kz-2009 (16 units: ...)"
  std::string years;          // "2015-2023"
  long long n_obs = 0;
  long long n_dropped = 0;
  std::vector<std::string> dropped_reasons;  // "3: all-zero outcome in fixed effect 'pair'"
  std::vector<std::string> collinear;
  int iterations = 0;
  bool converged = true;
  double relative_change = 0;
  std::vector<std::string> names;  // coefficient names (order of beta)
  Eigen::VectorXd beta;
  Eigen::MatrixXd vcov;
  std::vector<FactorEstimate> factors;
  std::vector<std::string> not_identified;
  std::vector<std::string> notes;
  // `notes` as data, one per note in the same order (the report phrases them in its language):
  //   no_region_effects {}                  residual_balances {residual rows, rows}
  //   gross_registration {1: 2024 fitted, 0: not}
  //   left_out {counts} labels {reasons ("no births", ...)}
  //   flows_without_stock {flows, persons}  preliminary {}
  struct Note {
    std::string code;
    std::vector<double> numbers;
    std::vector<std::string> labels;
  };
  std::vector<Note> note_data;
  Provenance provenance;  // estimated: the specification
};

// Kazakhstan's international corridors in the world network model: Abel & Cohen's estimate and
// the network model's prediction (its fitted value) for one partner and period.
struct CorridorFit {
  std::string partner;  // ISO3
  std::string name;
  std::string period;       // "2015-2020"
  double to_kaz = 0;        // Abel & Cohen estimate, partner -> KAZ
  double to_kaz_model = 0;  // network model's fitted value (NaN when not in the fit)
  double from_kaz = 0;
  double from_kaz_model = 0;
  double stock_in_kaz = 0;    // partner-born living in Kazakhstan at the period start
  double stock_from_kaz = 0;  // Kazakhstan-born living in the partner country
};

struct FactorsRequest {
  std::string spec = "all";  // regional | gross | international | all
  int threads = 1;
};

struct FactorsResult {
  std::vector<FactorModel> models;
  std::vector<CorridorFit> corridors;  // with the international specification
  std::vector<std::string> notes;      // for stderr
};

// The regional inputs at kz-2009 units from the dataset's series (HarmonizeSeries with the
// kz-2022 average population of each year as weights). Exposed for the potential use case and
// tests.
models::RegionalInputs LoadRegionalInputs(KzDataset& kz);

// Fits the requested specifications. Throws UsageError for an unknown spec, ComputeError when a
// fit does not converge (iterations and remaining change) or the data give no observation.
FactorsResult RunFactors(KzDataset& kz, const FactorsRequest& request);

// Fits one regional specification on an assembled panel (pure; tests use a hand-made panel).
// `kind` is "regional", "gross-arrivals" or "gross-departures".
FactorModel FitRegionalSpec(const models::RegionalPanel& panel, const RegionSystem& units,
                            const std::string& kind, int threads = 1);

// The plain-words sentence of a factor (sign-aware; says when the interval includes zero).
std::string PlainWords(const FactorEstimate& factor, const std::string& spec);

// The factors as a table: spec, factor, label, coefficient, std_error, ci_low, ci_high, change,
// effect, effect_low, effect_high, effect_unit, n_obs, statement (provenance: each model's).
ResultTable FactorsTable(const FactorsResult& result);
// CSV and table: FactorsTable (table format adds each model's notes and what it cannot
// identify); JSON: {"specifications": [...], "factors": [...], "corridors": [...]}.
std::string EncodeFactors(const FactorsResult& result, Format format, bool with_provenance = false);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_FACTORS_H_

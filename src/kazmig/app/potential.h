// The use case of `kazmig potential`: migration potential under changed factors, from the factor
// models (app/factors.h) without refitting, plus two potential measures from user files.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::PotentialRequest request;
//   request.scenario = "scenario.csv";     // region,factor,change,unit
//   request.survey = "survey.csv";         // area,move_in,move_out,adults   (optional)
//   request.diaspora = "diaspora.csv";     // country,stock[,return_rate]    (optional)
//   app::PotentialResult result = app::RunPotential(kz, request);
//   std::cout << app::EncodePotential(result, app::Format::kJson);
//
// 1. Scenario: each row changes one factor in one region or group of regions (kz-2022 ids or
//    names; groups north, south, west, center, capital, cities, all):
//      region,factor,change,unit
//      north,income,20,%                 # +20% per-capita income in the northern regions
//      Turkistan,unemployment,-2,points  # unemployment in Turkistan down 2 points
//    Factors: income (%), unemployment (points), housing (% or m2_per_1000), grp (%). The changes
//    enter the fitted regional model (balance per 1,000) and the gross models (arrivals,
//    departures; PPML) as covariate changes dx: the predicted change is b'dx (regional) or
//    base * (exp(b'dx) - 1) (gross), with 95% intervals by the delta method from the coefficient
//    covariance (models/prediction.h). Relative income is relative to the population-weighted
//    national mean, so raising income somewhere lowers everyone else's relative income a little.
// 2. PNMI (Gallup): (would move in - would move out) / adults x 100 per area.
// 3. Repatriation outlook: annual kandas returns by country = diaspora stock x return rate, the
//    rates implied by the kandas arrivals and their origin shares in the years reported (or the
//    user's return_rate per 1,000), low / central / high = lowest / mean / highest of those years;
//    cumulative returns over `horizon` years with the stock depleting.
#ifndef KAZMIG_APP_POTENTIAL_H_
#define KAZMIG_APP_POTENTIAL_H_

#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/app/factors.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/region.h"

namespace kazmig::app {

// The factors a scenario may change, as named in scenario files.
inline constexpr const char* kScenarioFactors[] = {"income", "unemployment", "housing", "grp"};

struct ScenarioChange {
  std::string region_text;      // as written
  std::vector<size_t> regions;  // indices into kz-2022
  std::string factor;           // one of kScenarioFactors
  double change = 0;
  std::string unit;  // "%", "points", "m2_per_1000"
};

struct Scenario {
  std::string name;  // the file
  std::vector<ScenarioChange> changes;
};

// Parses a scenario (CSV: region,factor,change,unit). Throws InputError `FILE:LINE:COL: ...` on
// an unknown region or group, an unknown factor, a unit the factor does not take, a non-numeric
// change or a change of -100% or less, and when the file has no rows.
Scenario ParseScenario(const std::string& path);
Scenario ParseScenarioText(const std::string& name, const std::string& text);

// The scenario the report shows: +20% income in the northern regions, unemployment in Turkistan
// down 2 points.
Scenario DefaultScenario();

// A predicted change with its 95% interval.
struct Change {
  double value = 0;
  double low = 0;
  double high = 0;
};

// One kz-2022 region under the scenario.
struct RegionPotential {
  std::string region;  // id ("KZ" for the national total row)
  std::string name;
  std::string changes;  // e.g. "income +20%; unemployment -2 points"
  double d_log_rel_income = 0;
  double d_unemployment = 0;
  double d_housing_per_1000 = 0;
  double d_log_grp = 0;
  double population = 0;  // average population of the base year
  Change net_rate;        // balance per 1,000 a year (regional model)
  Change net;             // persons a year
  Change arrivals;        // registered internal arrivals a year (gross model)
  Change departures;
};

struct PnmiRow {
  std::string area;
  double move_in = 0;
  double move_out = 0;
  double adults = 0;
  double pnmi = 0;
};

struct RepatriationRow {
  std::string country;  // ISO3 (or as written when unknown)
  std::string name;
  double stock = 0;
  std::string rate_basis;  // "kandas origin share 2023, 2025", "rest of the kandas", "user"
  Change rate;             // returns per 1,000 diaspora a year (low, central, high)
  Change per_year;         // returns a year
  Change over_horizon;     // cumulative over the horizon
};

struct PotentialRequest {
  std::string scenario;  // CSV; empty: none
  std::string survey;    // CSV; empty: none
  std::string diaspora;  // CSV; empty: none
  int horizon = 5;       // years of the repatriation outlook
  int threads = 1;
};

struct PotentialResult {
  std::string scenario_name;
  int base_year = 0;  // population and arrivals base year
  // The years of the other base values (income, housing, registered arrivals and departures).
  int income_year = 0, housing_year = 0, flow_year = 0;
  std::vector<RegionPotential> regions;  // kz-2022 order, then the national total "KZ"
  std::vector<PnmiRow> pnmi;
  std::vector<RepatriationRow> repatriation;
  int horizon = 5;
  std::vector<std::string> notes;
  std::string provenance;  // of the scenario rows
  bool has_scenario = false, has_survey = false, has_diaspora = false;
};

// Predicts the scenario from fitted models (regional, gross-arrivals, gross-departures; each may
// be absent: its columns are then NaN) and the dataset's base values (pure given its inputs).
PotentialResult PredictScenario(KzDataset& kz, const Scenario& scenario,
                                const std::vector<FactorModel>& models);

// PNMI of each row of a survey file (area,move_in,move_out,adults). Throws InputError on a
// negative count, adults <= 0, or no rows.
std::vector<PnmiRow> ReadSurvey(const std::string& path);
double Pnmi(double move_in, double move_out, double adults);

// One row of a diaspora file (country,stock[,return_rate]): the country resolved to ISO3
// through the built-in world_countries.csv (code or English name).
struct DiasporaRow {
  std::string country;
  std::string name;
  double stock = 0;
  double return_rate = 0;  // per 1,000 a year; NaN: implied by the kandas series
};
// Throws InputError on an unknown or repeated country, a negative stock, a return_rate outside
// 0..1000, or no rows.
std::vector<DiasporaRow> ReadDiaspora(const std::string& path,
                                      const std::filesystem::path& builtin_dir);

// The user files of a request, read and checked before the store is opened.
struct PotentialInputs {
  Scenario scenario;
  std::vector<PnmiRow> survey;
  std::vector<DiasporaRow> diaspora;
};
// Throws UsageError when the request names no file or the horizon is outside 1..100; InputError
// as the readers.
PotentialInputs ReadPotentialInputs(const PotentialRequest& request,
                                    const std::filesystem::path& builtin_dir);

// Runs everything the request names on the inputs read.
PotentialResult RunPotential(KzDataset& kz, const PotentialRequest& request,
                             const PotentialInputs& inputs);
// ReadPotentialInputs (country names from kz.builtin_dir()), then RunPotential.
PotentialResult RunPotential(KzDataset& kz, const PotentialRequest& request);

ResultTable ScenarioTable(const PotentialResult& result);
ResultTable PnmiTable(const PotentialResult& result);
ResultTable RepatriationTable(const PotentialResult& result);
// JSON: {"scenario": [...], "pnmi": [...], "repatriation": [...], "notes", "provenance"} (the
// parts requested); table: each part under a heading; CSV: the one part requested (UsageError
// when several were: CSV holds one table).
std::string EncodePotential(const PotentialResult& result, Format format,
                            bool with_provenance = false);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_POTENTIAL_H_

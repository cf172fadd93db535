// The use cases of `kazmig policy`: the register of migration-policy measures (built in from
// data/kz/policy_measures.csv, extended with the user's CSV), the measured effect of a measure on
// a series (policy/effects.h: interrupted time series, difference-in-differences, synthetic
// control) on a user's region,year,value panel or on the built-in outcomes, and the foreign-labour
// and repatriation series with the quota utilisation.
//
//   app::PolicyEffectRequest request;
//   request.measure = "resettlement-north";
//   request.outcome = "residual_net_rate";
//   request.db = app::DefaultDbPath();
//   request.builtin_dir = app::BuiltinDataDir();
//   app::PolicyEffectResult r = app::RunPolicyEffect(request);
//   std::cout << app::EncodePolicyEffect(r, app::Format::kJson);
//
// The built-in outcomes (PolicyOutcomeNames), at one consistent set of units across the 2018 and
// 2022 boundary changes: the 16 units of kz-2009 (later units merged into them, counts added):
//   residual_net_rate  residual net migration per 1,000 (estimated): (P_{t+1} - P_t - B_t + D_t)
//                      / ((P_t + P_{t+1}) / 2) * 1000 from the 1 January population, births and
//                      deaths, 2000-2022; it includes international migration. Units with a gap
//                      (South Kazakhstan: births and deaths missing 2000-2016) are left out.
//   net_internal_rate  official inter-regional net migration per 1,000 average population,
//                      2022-2024.
//   intl_net           official international net migration of Kazakhstan (persons), 1991-2025:
//                      one national series (ITS only).
// A national measure is evaluated on the national series (the units summed) by ITS; DiD and the
// synthetic control then say credible: false with the reason.
#ifndef KAZMIG_APP_POLICY_H_
#define KAZMIG_APP_POLICY_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/policy/effects.h"
#include "kazmig/policy/measures.h"

namespace kazmig::app {

// The built-in register (`builtin_dir`/policy_measures.csv, when there) followed by the measures
// of `extra` (a CSV in the same format; "" for none). Throws InputError at FILE:LINE:COLUMN.
std::vector<policy::Measure> LoadPolicyRegister(const std::filesystem::path& builtin_dir,
                                                const std::string& extra = {});

struct PolicyListRequest {
  std::string measures;  // --measures FILE (extends the built-in register)
  std::filesystem::path builtin_dir;
};

// `kazmig policy list`: one row per measure, sorted by date (then id):
// id,date,title,kind,regions,source (regions "all" or kz-2022 ids separated by ';' in CSV and
// text; an array in JSON, ["all"] for a national measure).
struct PolicyListResult {
  std::vector<policy::Measure> measures;
  ResultTable table;
  Json document;
};
PolicyListResult RunPolicyList(const PolicyListRequest& request);
std::string EncodePolicyList(const PolicyListResult& result, Format format);

// The components of population change at the 16 kz-2009 units (later units merged into them),
// from the built-in 1 January population, births and deaths: for every year t with P_t, P_{t+1},
// B_t and D_t, natural increase B_t - D_t (official counts) and net migration as the residual
// P_{t+1} - P_t - (B_t - D_t) (estimated; it includes international migration and corrections
// of the population count). NaN where a unit has a gap. The residual_net_rate outcome is made
// from these.
struct KzComponents {
  std::vector<std::string> unit_ids;  // kz-2009 ids, in the system's order
  std::vector<int> years;             // t (the change from 1 January t to 1 January t+1)
  // [year_idx][unit_idx]
  std::vector<std::vector<double>> population_start, population_end, births, deaths;
  std::vector<std::vector<double>> natural, residual;
};
KzComponents KzComponentsOfChange(KzDataset& kz);

// A unit of the kz-2009 panel left out of a built-in outcome because its series has a gap.
struct PolicyOutcomeGap {
  std::string region_id;  // kz-2009 id
  std::string name_en;
  int first_year = 0;  // the outcome's years
  int last_year = 0;
};

// A built-in outcome as panels.
struct PolicyOutcome {
  std::string name;
  std::string description;  // what the series is, with its years, units and provenance kind
  std::string units;        // "kz-2009 units (16; ...)"
  bool estimated = false;
  policy::Panel regional;  // empty units for a national-only outcome
  policy::Panel national;  // one unit "KZ"
  std::vector<std::string> notes;
  std::vector<PolicyOutcomeGap> gaps;  // the gap notes as data (the notes say the same)
  int units_used = 0;                  // kz-2009 units in `regional` (0: national only)
};
const std::vector<std::string>& PolicyOutcomeNames();
// Throws UsageError for an unknown name.
PolicyOutcome BuiltinPolicyOutcome(KzDataset& kz, std::string_view name);

struct PolicyEffectRequest {
  // A user's panel: region,year,value[,month] (month 1-12 makes a monthly panel).
  std::string series;
  std::optional<int> start;          // --start YEAR: the first year under the measure
  std::optional<int> start_month;    // --start-month M (monthly panels; default 1)
  std::vector<std::string> treated;  // --treated IDS
  std::string method;                // its, did, synth; "" = did with treated regions, else its
  // Or the built-in data.
  std::string measure;   // --measure ID
  std::string outcome;   // --outcome NAME (PolicyOutcomeNames)
  std::string measures;  // --measures FILE (extends the register)
  int lag = -1;          // --lag (ITS Newey–West); -1 = the rule of thumb
  std::filesystem::path db;
  std::filesystem::path builtin_dir;
};

struct PolicyEffectResult {
  policy::EffectResult effect;
  std::string outcome;  // the outcome's name (or the file)
  std::string series;   // which series was used (description with provenance kind)
  std::string units;    // which units
  std::string unit;     // of the values
  std::string measure;  // id, or "" for a user's panel
  std::string start;    // label of the first period under the measure
  policy::Panel panel;  // the panel the design ran on (for charts)
  Json document;
  std::vector<std::string> notes;
  // `units` as data (the report phrases it): how many of the 16 kz-2009 units the outcome has
  // (0: a national series only) and whether the design ran on their national sum.
  int units_used = 0;
  bool units_summed = false;
  std::vector<PolicyOutcomeGap> gaps;  // the outcome's units left out (in `notes` too)
};
// Throws UsageError for inconsistent options, InputError for a bad file (gaps in the panel, a
// treated id not in it, a measure id not in the register).
PolicyEffectResult RunPolicyEffect(const PolicyEffectRequest& request);
// The same on an open dataset (the report): `request.db` and `builtin_dir` are not used.
PolicyEffectResult RunPolicyEffect(KzDataset& kz, const PolicyEffectRequest& request);
// JSON: the document; CSV: one row (method,estimate,ci95_low,ci95_high,std_error,pre_periods,
// post_periods,treated,control,pretrend_p,placebo_p,credible,message); table: the same as
// `key  value` lines.
std::string EncodePolicyEffect(const PolicyEffectResult& result, Format format);

// The effect as a JSON object (the documented keys first; NaN as null).
Json EffectDocument(const policy::EffectResult& effect);

// `kazmig policy labour`: the foreign-labour, repatriation and resettlement series of the
// built-in data (national), one row per indicator and year:
// indicator,year,value,unit,kind (official | estimated) with provenance; plus
// quota_utilisation_pct = foreign_workers_with_permits / foreign_worker_quota * 100 in the years
// where both exist (estimated: permits held on one date of the year against the year's quota).
struct PolicyLabourResult {
  ResultTable table;
};
PolicyLabourResult RunPolicyLabour(KzDataset& kz);

// `kazmig policy ethnicity`: the ethnic composition of international flows, read from the
// store's compositions intl_departures_by_ethnicity and intl_arrivals_by_ethnicity (built in from
// kz_policy_labour/emigration_by_ethnicity.csv; a user's `data import --format tidy-composition`
// under those names adds to them): period,flow,ethnic_group,persons,share_pct with each row's
// provenance (official, as reported). National rows (KZ) only. An empty table when absent.
ResultTable RunPolicyEthnicity(KzDataset& kz);
// The composition indicators RunPolicyEthnicity reads, with their flow names.
const std::vector<std::pair<std::string, std::string>>& PolicyEthnicityIndicators();

// The indicators RunPolicyLabour shows, in order.
const std::vector<std::string>& PolicyLabourIndicators();

}  // namespace kazmig::app

#endif  // KAZMIG_APP_POLICY_H_

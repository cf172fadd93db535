// What the report's "Policy measures and their effects" section shows, computed by
// ComputePolicySection (app/policy.cc) from the register and the built-in data: plain values, so
// the report module formats them without knowing the policy module.
//
//   app::PolicySectionInput policy;
//   app::ComputePolicySection(kz, policy);   // in BuildSituationInput
//   for (const app::PolicyEffectSummary& e : policy.effects) ... e.credible, e.message ...
#ifndef KAZMIG_APP_POLICY_SECTION_H_
#define KAZMIG_APP_POLICY_SECTION_H_

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "kazmig/app/result_table.h"

namespace kazmig::app {

class KzDataset;

// One measure of the register, for the timeline and the chart markers.
struct PolicyMeasureSummary {
  std::string id;
  std::string date;  // YYYY-MM-DD
  double x = 0;      // the date as a decimal year (chart position)
  std::string title;
  std::string kind;
  std::string regions;  // "all" or kz-2022 ids separated by ", "
  std::string source;
  bool national = false;                // regions "all"
  std::vector<std::string> region_ids;  // kz-2022 ids (empty for a national measure)
};

// Why a design is not credible, as data: policy::ReasonCode copied (the report phrases it in its
// language without knowing the policy module). Codes and values: policy/effects.h.
struct PolicyReason {
  std::string code;
  std::vector<double> numbers;
  std::vector<std::string> labels;
};

// One evaluated effect with its diagnostics. `message` and `reason` are the use case's English
// sentences (as `kazmig policy effect` prints them); the fields below them hold the same as data.
struct PolicyEffectSummary {
  std::string measure;
  std::string method;  // its, did, synth
  std::string outcome;
  std::string series;  // which series (with its provenance kind)
  std::string units;   // which units
  std::string unit;
  std::string start;    // first period under the measure
  double estimate = 0;  // NaN when not computed
  double ci_low = 0;
  double ci_high = 0;
  double std_error = 0;
  int pre_periods = 0;
  int post_periods = 0;
  double pretrend_p = 0;  // NaN when the design has none
  double placebo_p = 0;   // NaN when the design has none
  bool credible = false;
  std::string reason;
  std::string message;
  std::vector<std::pair<int, double>> observed;        // (year, value) of the (mean) treated
  std::vector<std::pair<int, double>> counterfactual;  // (year, value) without the measure
  std::vector<std::string> treated;  // the treated units (none: national), of `units_vintage`
  std::string units_vintage;         // the region system of the units ("kz-2009")
  // The sentence as data.
  std::vector<PolicyReason> reasons;  // empty when credible
  // Where the effect was measured: "country" (the national series), "all_regions" (the mean of
  // every unit of the panel), "region" (one unit: `scope_id`), "regions" (the treated units).
  std::string scope;
  std::string scope_id;
  int units_used = 0;         // kz-2009 units of the outcome (0: a national series only)
  bool units_summed = false;  // the design ran on the national sum of those units
};

// A unit left out of an evaluated outcome (its series has a gap), said in the section's notes.
struct PolicyGapNote {
  std::string outcome;    // residual_net_rate
  std::string region_id;  // kz-2009 id
  std::string name_en;
  int first_year = 0;
  int last_year = 0;
};

// One value of the ethnic composition of flows.
struct EthnicFlowRow {
  std::string period;  // "2019", "2013-01..2013-07"
  std::string flow;    // arrivals, departures
  std::string group;
  double persons = 0;    // NaN when only a share is given
  double share_pct = 0;  // NaN when only a count is given
  std::string provenance;
};

// One scenario of the projections and the register measures behind it ("Policy options in the
// projections and the measures behind them").
struct PolicyOptionEffect {
  std::string measure;
  std::string method;  // its, did, synth
  std::string unit;
  double estimate = 0;  // estimated
  double ci_low = 0;
  double ci_high = 0;
  bool credible = false;
};
// One yearly change a scenario assumes (`assumed_change` as data): kind "transfer" (value persons
// a year moved between regions), "international" (international net change, persons a year) or
// "urban" (the cities' inter-regional gains, percent above trend), over first..last year.
struct PolicyAssumedChange {
  std::string kind;
  double value = 0;
  int first_year = 0;
  int last_year = 0;
};
struct PolicyOptionRow {
  std::string scenario;
  std::string description;            // from its file
  std::string description_ru;         // its "description_ru", when it has one
  std::vector<std::string> measures;  // register ids (the file's "measures")
  std::string measures_note;
  std::string measures_note_ru;
  std::string assumed_change;  // the yearly change the file assumes, in words
  std::string target;          // compare-table row: NORTH, SOUTH, CITIES, KZ or a region id
  std::string target_name;
  int year = 0;
  double diff = std::numeric_limits<double>::quiet_NaN();  // projected minus baseline (estimated)
  double diff_low = std::numeric_limits<double>::quiet_NaN();
  double diff_high = std::numeric_limits<double>::quiet_NaN();
  std::vector<PolicyOptionEffect> effects;   // the measures' evaluated effects (effects table)
  std::string sentence;                      // in English, from the fields above and below
  bool assumes_nothing = false;              // the baseline: no change assumed
  std::vector<PolicyAssumedChange> changes;  // `assumed_change` as data
};

struct PolicySectionInput {
  bool present = false;                        // the register was found
  std::vector<PolicyMeasureSummary> measures;  // by date
  std::vector<PolicyEffectSummary> effects;
  ResultTable labour;  // app::RunPolicyLabour's table (with provenance)
  std::vector<EthnicFlowRow> ethnicity;
  std::vector<PolicyOptionRow> options;  // by ComputePolicyOptions
  std::vector<PolicyGapNote> gaps;       // the first notes: units left out of the outcomes
  std::vector<std::string> notes;        // the other notes (English)
};

// Fills `out` from the register in kz.builtin_dir() and the built-in series: the timeline, the
// effects the report evaluates (the northern resettlement programme by DiD and synthetic control
// on the residual net migration rate; the 2011 law by ITS on the national rate; the 2017-2021
// concept and the 2023 entry rules by ITS on international net migration; the 2023 entry rules
// on the official 2022-2024 inter-regional nets, which cannot support a design), labour and
// repatriation, and the ethnic composition of flows.
void ComputePolicySection(KzDataset& kz, PolicySectionInput& out);

struct ProspectsInput;
// Fills out.options (after ComputePolicySection): one row per scenario of `prospects` (baseline
// first), its file's "measures" checked against the register (InputError naming the file and the
// key for an unknown id), its assumed yearly change, its projected difference from the baseline
// in prospects.year on its "target" row of prospects.comparison (95% interval), and the
// out.effects of its measures. `scenario_dir` empty: the built-in folder.
void ComputePolicyOptions(KzDataset& kz, const ProspectsInput& prospects, PolicySectionInput& out,
                          const std::string& scenario_dir = "");

}  // namespace kazmig::app

#endif  // KAZMIG_APP_POLICY_SECTION_H_

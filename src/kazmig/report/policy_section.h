// The report's "Policy measures and their effects" section: the timeline of the register of
// measures, the evaluated effects with their diagnostics (pre-periods, pre-trend test, placebo
// p-value, the credibility verdict and its reason) and a chart of each credible design's observed
// and counterfactual paths, labour migration and repatriation, and the ethnic composition of
// flows. Also the dated markers every time-series chart of the report draws for the measures.
//
//   report::AddPolicySection(data, document);                        // from BuildSituationReport
//   std::string svg = RenderLineChart(chart, report::PolicyMarkers(data));
//
// The numbers come computed in app::SituationInput::policy (app/policy_section.h).
#ifndef KAZMIG_REPORT_POLICY_SECTION_H_
#define KAZMIG_REPORT_POLICY_SECTION_H_

#include <string>
#include <vector>

#include "kazmig/app/report.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

// The markers of a time-series chart: one per measure of the register except boundary changes
// (which the charts already show as series breaks), x = its date, label = its id, tooltip =
// date: title. A chart of the whole country (no `ids`, or "KZ" among them) gets every measure; a
// chart of some regions (`ids` of the built-in `vintage`) gets the national measures and those
// affecting one of those regions (compared through their kz-2022 atoms). RenderLineChart draws
// only the markers inside the chart's years.
std::vector<ChartMarker> PolicyMarkers(const app::SituationInput& data,
                                       const std::string& vintage = "kz-2022",
                                       const std::vector<std::string>& ids = {});

// The sentences of an evaluated effect in `lang`, phrased from its data through the catalogue
// (report/messages.cc, "policy.says*", "policy.why.*"); in English the use case's own sentences
// (e.message, e.reason, e.units), as `kazmig policy effect` prints them.
//   PolicyEffectSentence: what the design measured, with its 95% interval and verdict
//     ("Начиная с 2017 года показатель «...» в 5 затронутых регионах был на 4.90 ‰ выше, ...");
//     `vintage`: the region system of e.scope_id (a region's name).
//   PolicyReasonsText: why the design is not credible (its reasons joined by "; ").
//   PolicyUnitsText: the units the design ran on.
std::string PolicyEffectSentence(const app::PolicyEffectSummary& e, Lang lang,
                                 const std::string& vintage = "kz-2009");
std::string PolicyReasonText(const app::PolicyReason& reason, Lang lang);
std::string PolicyReasonsText(const app::PolicyEffectSummary& e, Lang lang);
std::string PolicyUnitsText(const app::PolicyEffectSummary& e, Lang lang);
// The yearly change a scenario assumes and the options table's sentence of the scenario, in
// `lang` (English: the use case's row.assumed_change and row.sentence); `target`: the name of its
// target row in `lang`.
std::string PolicyAssumedText(const app::PolicyOptionRow& row, Lang lang);
std::string PolicyOptionSentence(const app::PolicyOptionRow& row, Lang lang,
                                 const std::string& target);
// A number as the evaluation sentences write it: 0 decimals from 100, 1 from 10, else 2
// (thousands separated).
std::string PolicyFigure(double value);

// Adds the section (nothing when the register is absent).
void AddPolicySection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_POLICY_SECTION_H_

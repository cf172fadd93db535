// The report's "Risks" section: the regional migration-risk index that `kazmig risk` computes
// (app::ComputeKzRisk, carried in SituationInput::risk): a choropleth of the scores, a ranked chart
// of scores with the 5-95% rank bands of the sensitivity analysis, each region's components, and
// the early-warning flags in words.
//
//   report::AddRiskSection(data, document);   // from BuildSituationReport, after "Flows"
//   std::string svg = report::RenderRiskRanking(data.risk);
#ifndef KAZMIG_REPORT_RISK_SECTION_H_
#define KAZMIG_REPORT_RISK_SECTION_H_

#include <string>

#include "kazmig/app/report.h"
#include "kazmig/app/risk.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

// A ranked chart as inline SVG: one row per region in rank order; on the left a bar of its score,
// on the right its 5-95% rank band (a line), median rank (a dot) and nominal rank (a tick) on an
// axis of ranks 1..n. One <g class="risk-row"> per region.
std::string RenderRiskRanking(const app::RiskResult& risk, int width = 900, Lang lang = Lang::kEn);

// Adds the "Risks" section when `data.risk` has regions; without them, nothing.
void AddRiskSection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_RISK_SECTION_H_

// The report's "Prospects and policy options" section: probabilistic regional projections of the
// built-in data under the built-in scenarios (app::ComputeProspects, app/project.h), drawn as fan
// charts (the country and the largest movers), a small-multiples map of the change by the last
// year under each scenario, the comparison table and the backtest table. Every figure has its
// data table beside it; every projected number is marked estimated.
//
//   report::AddProspectsSection(data, document);   // data.prospects, system, boundaries
//
// An input that was never computed (available false, no reason) adds nothing; one that could not
// be computed adds the section with the reason as a note.
#ifndef KAZMIG_REPORT_PROSPECTS_SECTION_H_
#define KAZMIG_REPORT_PROSPECTS_SECTION_H_

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

void AddProspectsSection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_PROSPECTS_SECTION_H_

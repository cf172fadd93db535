// The report's "Components of population change by region" section: natural increase (official
// births minus deaths) and net migration (the residual of the official 1 January population
// change, estimated) of the 16 kz-2009 units, from app::ComponentsByRegion (app/report.h), as two
// bar panels (per 1,000 mean population per year) and a table of the totals.
//
//   report::AddComponentsSection(data, document);   // data.components_by_region
//
// Nothing is added when the input has no year.
#ifndef KAZMIG_REPORT_COMPONENTS_SECTION_H_
#define KAZMIG_REPORT_COMPONENTS_SECTION_H_

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

void AddComponentsSection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_COMPONENTS_SECTION_H_

// The chord diagrams of Kazakhstan's largest international corridors in the report's "Flows"
// section: the first and the latest period of Abel & Cohen's estimates, side by side, with their
// data table and sources. The selection is the use case's (app::LargestCorridors, as the HTTP API
// serves it); this file only draws it (report/chord.h).
//
//   report::AddCorridorChords(data, document, *document.FindSection("flows"));
#ifndef KAZMIG_REPORT_CORRIDOR_CHORD_H_
#define KAZMIG_REPORT_CORRIDOR_CHORD_H_

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

// Adds a sub-heading, a paragraph, the figure (one chord diagram per entry of
// data.largest_corridors) and its data table to `section`. Nothing when there are no corridors.
void AddCorridorChords(const app::SituationInput& data, Document& document, Section& section);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_CORRIDOR_CHORD_H_

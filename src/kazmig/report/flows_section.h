// The report's "Flows" building block: the largest inter-regional corridors of an estimated
// origin-destination matrix, with the sensitivity band (low–high over the prior's decay × gross
// total grid) and the *estimated* mark on every flow.
//
//   report::CorridorInput in{central, low, high, names};   // FlowMatrix row = origin
//   std::vector<report::Corridor> top = report::TopCorridors(in, 10);
//   report::AddCorridorTable(section, in, 10, {doc.Cite("kazmig gravity/IPF estimate")},
//                            "2024");
#ifndef KAZMIG_REPORT_FLOWS_SECTION_H_
#define KAZMIG_REPORT_FLOWS_SECTION_H_

#include <cstddef>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

struct CorridorInput {
  FlowMatrix central;              // the central estimate, row = origin
  FlowMatrix low;                  // cell-wise minimum over the sensitivity grid (same shape)
  FlowMatrix high;                 // cell-wise maximum over the sensitivity grid (same shape)
  std::vector<std::string> names;  // display names, one per row/column
};

struct Corridor {
  size_t origin = 0;
  size_t destination = 0;
  double flow = 0;
  double low = 0;
  double high = 0;
};

// The `count` largest off-diagonal cells of `input.central`, largest first (ties: by origin, then
// destination index, so the result does not depend on anything but the matrix).
// Throws ComputeError when the matrices or names disagree in size.
std::vector<Corridor> TopCorridors(const CorridorInput& input, size_t count);

// Adds a table "Largest inter-regional corridors, <period>" (origin, destination, flow with the
// "e" mark, low, high, share of all inter-regional moves) with the *estimated* badge.
void AddCorridorTable(Section& section, const CorridorInput& input, size_t count,
                      const std::vector<int>& sources, const std::string& period);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_FLOWS_SECTION_H_

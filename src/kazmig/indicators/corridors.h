// Corridors: the largest origin-destination cells of a flow matrix, with their band when the
// matrix is an estimate (the cell-wise minimum and maximum over a sensitivity grid).
//
//   std::vector<indicators::Corridor> top = indicators::TopCorridors(central, &low, &high, 10);
//   for (const auto& c : top) Print(ids[c.origin], ids[c.destination], c.flow, c.low, c.high);
//   auto into_astana = indicators::TopInto(central, nullptr, nullptr, astana_idx, 5);
//   double share = indicators::SharePercent(top[0].flow, central.Total());  // % of all moves
//
// Off-diagonal cells only; largest first, ties by origin and then destination index, so the
// result depends on nothing but the matrix.
#ifndef KAZMIG_INDICATORS_CORRIDORS_H_
#define KAZMIG_INDICATORS_CORRIDORS_H_

#include <cstddef>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::indicators {

struct Corridor {
  size_t origin = 0;
  size_t destination = 0;
  double flow = 0;
  double low = 0;   // the band's minimum (= flow without a band)
  double high = 0;  // the band's maximum (= flow without a band)
};

// The `count` largest off-diagonal cells of `central`. `low` and `high` (optional, both or
// neither) are the band matrices. Throws ComputeError when their sizes differ from `central`'s.
std::vector<Corridor> TopCorridors(const FlowMatrix& central, const FlowMatrix* low,
                                   const FlowMatrix* high, size_t count);
// The `count` largest flows into region `region` (its column) or out of it (its row). Throws
// ComputeError as TopCorridors, and for a region outside the matrix.
std::vector<Corridor> TopInto(const FlowMatrix& central, const FlowMatrix* low,
                              const FlowMatrix* high, size_t region, size_t count);
std::vector<Corridor> TopOutOf(const FlowMatrix& central, const FlowMatrix* low,
                               const FlowMatrix* high, size_t region, size_t count);

// 100 flow / total: a corridor's share of all moves (e.g. of FlowMatrix::Total()), in percent;
// 0 when the total is not positive.
double SharePercent(double flow, double total);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_CORRIDORS_H_

#include "kazmig/indicators/corridors.h"

#include <fmt/format.h>

#include <algorithm>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::indicators {
namespace {

void CheckBand(const char* function, const FlowMatrix& central, const FlowMatrix* low,
               const FlowMatrix* high) {
  if ((low == nullptr) != (high == nullptr)) {
    throw ComputeError(fmt::format("{}: give both band matrices or neither", function));
  }
  if (low != nullptr) {
    CheckSameSize(function, "central", central.size(), "low", low->size());
    CheckSameSize(function, "central", central.size(), "high", high->size());
  }
}

Corridor CellOf(const FlowMatrix& central, const FlowMatrix* low, const FlowMatrix* high,
                size_t origin, size_t destination) {
  const double flow = central(origin, destination);
  return {origin, destination, flow, low != nullptr ? (*low)(origin, destination) : flow,
          high != nullptr ? (*high)(origin, destination) : flow};
}

// Largest first; the stable sort keeps the (origin, destination) order of ties.
std::vector<Corridor> Largest(std::vector<Corridor> all, size_t count) {
  std::stable_sort(all.begin(), all.end(),
                   [](const Corridor& a, const Corridor& b) { return a.flow > b.flow; });
  if (all.size() > count) all.resize(count);
  return all;
}

void CheckRegion(const char* function, const FlowMatrix& central, size_t region) {
  if (region >= central.size()) {
    throw ComputeError(
        fmt::format("{}: region {} is outside the {} regions", function, region, central.size()));
  }
}

// The `count` largest off-diagonal cells of region `region`'s column (`into`: its origins) or row
// (its destinations); `function` names the caller in errors.
std::vector<Corridor> LargestOfRegion(const char* function, const FlowMatrix& central,
                                      const FlowMatrix* low, const FlowMatrix* high, size_t region,
                                      size_t count, bool into) {
  CheckBand(function, central, low, high);
  CheckRegion(function, central, region);
  std::vector<Corridor> all;
  for (size_t other = 0; other < central.size(); ++other) {
    if (other == region) continue;
    all.push_back(into ? CellOf(central, low, high, other, region)
                       : CellOf(central, low, high, region, other));
  }
  return Largest(std::move(all), count);
}

}  // namespace

std::vector<Corridor> TopCorridors(const FlowMatrix& central, const FlowMatrix* low,
                                   const FlowMatrix* high, size_t count) {
  CheckBand("TopCorridors", central, low, high);
  const size_t n = central.size();
  std::vector<Corridor> all;
  all.reserve(n * n);
  for (size_t origin = 0; origin < n; ++origin) {
    for (size_t destination = 0; destination < n; ++destination) {
      if (origin != destination) all.push_back(CellOf(central, low, high, origin, destination));
    }
  }
  return Largest(std::move(all), count);
}

std::vector<Corridor> TopInto(const FlowMatrix& central, const FlowMatrix* low,
                              const FlowMatrix* high, size_t region, size_t count) {
  return LargestOfRegion("TopInto", central, low, high, region, count, /*into=*/true);
}

std::vector<Corridor> TopOutOf(const FlowMatrix& central, const FlowMatrix* low,
                               const FlowMatrix* high, size_t region, size_t count) {
  return LargestOfRegion("TopOutOf", central, low, high, region, count, /*into=*/false);
}

double SharePercent(double flow, double total) { return total > 0 ? 100.0 * flow / total : 0.0; }

}  // namespace kazmig::indicators

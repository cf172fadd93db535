#include "kazmig/report/flows_section.h"

#include <algorithm>

#include "kazmig/core/error.h"

namespace kazmig::report {

namespace {

void CheckShapes(const CorridorInput& input) {
  const size_t n = input.central.size();
  if (input.low.size() != n || input.high.size() != n || input.names.size() != n) {
    throw ComputeError("corridor table: central, low, high matrices and names differ in size");
  }
}

}  // namespace

std::vector<Corridor> TopCorridors(const CorridorInput& input, size_t count) {
  CheckShapes(input);
  const size_t n = input.central.size();
  std::vector<Corridor> all;
  all.reserve(n * n);
  for (size_t origin = 0; origin < n; ++origin) {
    for (size_t destination = 0; destination < n; ++destination) {
      if (origin == destination) continue;
      all.push_back({origin, destination, input.central(origin, destination),
                     input.low(origin, destination), input.high(origin, destination)});
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Corridor& a, const Corridor& b) { return a.flow > b.flow; });
  if (all.size() > count) all.resize(count);
  return all;
}

void AddCorridorTable(Section& section, const CorridorInput& input, size_t count,
                      const std::vector<int>& sources, const std::string& period) {
  const std::vector<Corridor> top = TopCorridors(input, count);
  double total = 0;
  const size_t n = input.central.size();
  for (size_t origin = 0; origin < n; ++origin) {
    for (size_t destination = 0; destination < n; ++destination) {
      if (origin != destination) total += input.central(origin, destination);
    }
  }
  Table table({"From", "To", "Movers per year", "Low", "High", "Share of all, %"});
  for (const Corridor& corridor : top) {
    table.AddRow({Cell::Text(input.names[corridor.origin]),
                  Cell::Text(input.names[corridor.destination]),
                  Cell::Number(corridor.flow, 0, false, "e"), Cell::Number(corridor.low),
                  Cell::Number(corridor.high),
                  Cell::Number(total > 0 ? 100.0 * corridor.flow / total : 0.0, 1)});
  }
  section.AddTable(table, "Largest inter-regional corridors, " + period, sources,
                   "e: estimated (model-based): a gravity prior constrained to the official net "
                   "migration of each region. Low and high: the smallest and largest value over "
                   "the sensitivity grid of distance decay and gross total. These are not official "
                   "statistics.",
                   {"estimated"});
}

}  // namespace kazmig::report

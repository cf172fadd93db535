#include "kazmig/app/od_matrix.h"

#include <cmath>

#include "kazmig/app/names.h"
#include "kazmig/core/error.h"

namespace kazmig::app {

ResultTable WideOdTable(const WideOd& od, bool for_people) {
  const size_t n = od.ids.size();
  if (od.values.size() != n) throw ComputeError("internal: wide OD matrix of the wrong size");
  std::vector<std::string> columns;
  std::vector<Unit> units;
  if (for_people) {
    columns = {"origin", "id", "code"};
    units = {Unit::kAuto, Unit::kId, Unit::kAuto};
  } else {
    columns = {"year", "orig"};
    units = {Unit::kYear, Unit::kId};
  }
  for (const std::string& id : od.ids) {
    columns.push_back(for_people ? RegionShortName(od.vintage, id) : id);
    units.push_back(od.unit);
  }
  columns.emplace_back("total");
  units.push_back(od.unit);
  ResultTable table(columns, units);
  std::vector<double> column_total(n, 0.0);
  double grand_total = 0;
  bool any_absent = false;
  for (size_t orig = 0; orig < n; ++orig) {
    if (od.values[orig].size() != n) {
      throw ComputeError("internal: wide OD matrix of the wrong size");
    }
    std::vector<Cell> row;
    if (for_people) {
      row = {Cell::Text(RegionDisplayName(od.vintage, od.ids[orig])), Cell::Text(od.ids[orig]),
             Cell::Text(RegionShortName(od.vintage, od.ids[orig]))};
    } else {
      row = {Cell::Integer(od.year), Cell::Text(od.ids[orig])};
    }
    double row_total = 0;
    for (size_t dest = 0; dest < n; ++dest) {
      const double value = od.values[orig][dest];
      if (std::isnan(value)) {
        any_absent = true;
        row.push_back(Cell::Missing());
        continue;
      }
      row.push_back(Cell::Number(value));
      row_total += value;
      column_total[dest] += value;
    }
    grand_total += row_total;
    row.push_back(Cell::Number(row_total));
    table.AddRow(std::move(row));
  }
  std::vector<Cell> totals;
  if (for_people) {
    totals = {Cell::Text("total"), Cell::Text(""), Cell::Text("")};
  } else {
    totals = {Cell::Integer(od.year), Cell::Text("total")};
  }
  for (double value : column_total) totals.push_back(Cell::Number(value));
  totals.push_back(Cell::Number(grand_total));
  table.AddRow(std::move(totals));
  if (for_people) {
    table.AddFootnote(
        "origins in rows, destinations in columns headed by their code (the code column); "
        "totals: row sums (departures) and column sums (arrivals)");
    if (any_absent)
      table.AddFootnote("\xE2\x80\x93: no value (moves within a region are not estimated)");
  }
  return table;
}

}  // namespace kazmig::app

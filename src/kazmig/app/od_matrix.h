// The wide view of an origin-destination matrix (`--wide` of `estimate kz-od` and `data show`):
// origins as rows, destinations as columns, with row and column totals.
//
//   app::WideOd od{"kz-2022", 2023, ids, values};          // values[orig][dest], NaN = absent
//   std::string csv = app::WideOdTable(od, false).Csv();   // year,orig,10,11,...,total
//   std::string text = app::WideOdTable(od, true).Text();  // names, short codes as headers
#ifndef KAZMIG_APP_OD_MATRIX_H_
#define KAZMIG_APP_OD_MATRIX_H_

#include <string>
#include <vector>

#include "kazmig/app/result_table.h"

namespace kazmig::app {

struct WideOd {
  std::string vintage;  // region system of the ids (names and codes from it)
  int year = 0;
  std::vector<std::string> ids;             // regions, in row and column order
  std::vector<std::vector<double>> values;  // [orig][dest]; NaN where there is no value
  Unit unit = Unit::kEstimatedPersons;      // the style of the cells in the aligned text
};

// The matrix as a table. For machines (`for_people` false): columns year, orig, one per
// destination id, total; one row per origin then a row "total" (column sums; the grand total in
// its total column); numbers in full precision, absent cells (the diagonal) missing. For people:
// columns origin (name), id, code (ISO 3166-2 without "KZ-"), one per destination headed by its
// code, total; cells in `unit` style, with a footnote saying what the codes and the dashes mean.
ResultTable WideOdTable(const WideOd& od, bool for_people);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_OD_MATRIX_H_

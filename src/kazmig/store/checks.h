// Consistency checks over a stored dataset (`kazmig data check`). Two are assertions (a failure
// makes the command exit 1); two are information (residuals that show where sources disagree).
//
//   regions_sum_to_national   [assertion] for every count series with a national value (region
//       "KZ"): when every region of the year's vintage is published, |sum - national| <=
//       kSumRelTol * |national| + 1 (rounding). When some regions are missing, the gap is
//       reported and names them (not a failure: e.g. South Kazakhstan absent 2000-2016).
//   internal_net_sums_to_zero [assertion] net_internal summed over regions is 0 (|sum| <= 0.5)
//       every year.
//   population_accounting     [information] P(t+1) - P(t) - (births - deaths) - net migration,
//       per region (net_all = internal + international) and nationally (intl_net; the internal
//       net sums to zero), with P = population_jan1 at the year's borders. Where an input is
//       missing the row names it instead of a residual.
//   cross_source_international [information] per region, net_all - net_internal = the implied
//       international net; their sum over regions is compared with the national intl_net
//       (agreement within kCrossRelTol of national arrivals + departures).
//
//   store::CheckReport report = store::RunChecks(db);
//   if (!report.passed()) ...
#ifndef KAZMIG_STORE_CHECKS_H_
#define KAZMIG_STORE_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "kazmig/store/store.h"

namespace kazmig::store {

inline constexpr double kSumRelTol = 1e-3;
inline constexpr double kCrossRelTol = 0.02;

struct CheckRow {
  std::string region;  // KATO id, "KZ", or a label ("all") for rows about every region
  int year = 0;
  bool computed = false;  // expected/actual/residual are set
  double expected = 0.0;
  double actual = 0.0;
  double residual = 0.0;
  std::string status;  // ok | fail | gap | missing | info | disagree
  std::string note;    // what is missing, which regions, which indicator
  // The series compared, where the check's rows compare different ones (cross_source_international:
  // "net_all" vs "net_internal" by region, "intl_net" vs the regions' implied sum nationally).
  std::string expected_series = {};
  std::string actual_series = {};
};

struct CheckResult {
  std::string name;
  // What CheckRow::region holds in this check: "region", or "indicator" (regions_sum_to_national).
  std::string row_label = "region";
  std::string description;
  std::string tolerance;
  bool assertion = false;
  bool passed = true;
  std::string summary;
  std::vector<CheckRow> rows;
};

struct CheckReport {
  std::vector<CheckResult> checks;
  bool passed() const;
};

CheckReport RunChecks(const Store& store, std::string_view dataset = kBuiltinDataset);

}  // namespace kazmig::store

#endif  // KAZMIG_STORE_CHECKS_H_

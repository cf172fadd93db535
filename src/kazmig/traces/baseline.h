// Frequency-based migration baselines (as in Chi et al. 2020's comparison, after the methods of
// their `frequency_based_method.py`), to compare with the segment method on the same data.
//
// Each calendar month a user's home is the location with the most records (M1), the most
// distinct days (M2; with `prop` > 0 only when those days reach prop * days in the month) or the
// most night-time records (M3: hours 0-9 and 19-23; months without night records have no home).
// Ties go to the first location in natural order. A migration is three consecutive months at A
// followed by three consecutive months at B != A (six consecutive calendar months with a home);
// its month is the third month at A.
//
//   BaselineDetector baseline(BaselineMethod::kM2, 0.0);
//   std::vector<BaselineMove> moves = baseline.Detect(trace);
#ifndef KAZMIG_TRACES_BASELINE_H_
#define KAZMIG_TRACES_BASELINE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "kazmig/traces/user_trace.h"

namespace kazmig::traces {

enum class BaselineMethod { kM1, kM2, kM3 };

// "m1" | "m2" | "m3"; throws UsageError.
BaselineMethod ParseBaselineMethod(std::string_view text);

struct BaselineMove {
  int month = 0;      // year * 12 + (month - 1)
  uint32_t home = 0;  // location indices into the trace
  uint32_t destination = 0;
};

class BaselineDetector {
 public:
  // Throws UsageError when prop is outside [0, 1].
  BaselineDetector(BaselineMethod method, double prop);
  std::vector<BaselineMove> Detect(const UserTrace& trace) const;

 private:
  BaselineMethod method_;
  double prop_;
};

// Month index (year * 12 + month - 1) of a day number, and its `YYYY-MM` text.
int MonthOfDay(int32_t day);
std::string FormatMonth(int month);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_BASELINE_H_

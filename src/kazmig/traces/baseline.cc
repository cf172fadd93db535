#include "kazmig/traces/baseline.h"

#include <fmt/format.h>

#include <map>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces {

BaselineMethod ParseBaselineMethod(std::string_view text) {
  if (text == "m1" || text == "M1") return BaselineMethod::kM1;
  if (text == "m2" || text == "M2") return BaselineMethod::kM2;
  if (text == "m3" || text == "M3") return BaselineMethod::kM3;
  throw UsageError("--method must be m1, m2 or m3, got '" + std::string(text) + "'");
}

int MonthOfDay(int32_t day) {
  int year = 0, month = 0, mday = 0;
  CivilFromDays(day, &year, &month, &mday);
  return year * 12 + month - 1;
}

std::string FormatMonth(int month) {
  return fmt::format("{:04d}-{:02d}", month / 12, month % 12 + 1);
}

BaselineDetector::BaselineDetector(BaselineMethod method, double prop)
    : method_(method), prop_(prop) {
  if (!(prop >= 0.0 && prop <= 1.0)) throw UsageError("--prop must be in [0, 1]");
}

std::vector<BaselineMove> BaselineDetector::Detect(const UserTrace& trace) const {
  // month -> per-location score
  std::map<int, std::vector<uint64_t>> scores;
  for (size_t loc_idx = 0; loc_idx < trace.location_count(); ++loc_idx) {
    const std::span<const int32_t> days = trace.Days(loc_idx);
    for (size_t day_idx = 0; day_idx < days.size(); ++day_idx) {
      const size_t at = trace.offsets[loc_idx] + day_idx;
      std::vector<uint64_t>& month_scores = scores[MonthOfDay(days[day_idx])];
      month_scores.resize(trace.location_count(), 0);
      switch (method_) {
        case BaselineMethod::kM1:
          month_scores[loc_idx] += trace.records[at];
          break;
        case BaselineMethod::kM2:
          month_scores[loc_idx] += 1;
          break;
        case BaselineMethod::kM3:
          month_scores[loc_idx] += trace.night_records[at];
          break;
      }
    }
  }
  std::vector<int> months;
  std::vector<uint32_t> homes;
  for (const auto& [month, month_scores] : scores) {
    uint64_t best = 0;
    int best_loc = -1;
    for (size_t loc_idx = 0; loc_idx < month_scores.size(); ++loc_idx) {
      if (month_scores[loc_idx] > best) {
        best = month_scores[loc_idx];
        best_loc = static_cast<int>(loc_idx);
      }
    }
    if (best_loc < 0) continue;
    if (method_ == BaselineMethod::kM2 && prop_ > 0.0) {
      const int year = month / 12;
      const int32_t first = DaysFromCivil(year, month % 12 + 1, 1);
      const int32_t next =
          month % 12 == 11 ? DaysFromCivil(year + 1, 1, 1) : DaysFromCivil(year, month % 12 + 2, 1);
      if (static_cast<double>(best) < prop_ * static_cast<double>(next - first)) continue;
    }
    months.push_back(month);
    homes.push_back(static_cast<uint32_t>(best_loc));
  }
  std::vector<BaselineMove> moves;
  for (size_t idx = 2; idx + 3 < months.size(); ++idx) {
    if (homes[idx] == homes[idx + 1]) continue;
    if (homes[idx - 2] == homes[idx - 1] && homes[idx - 1] == homes[idx] &&
        homes[idx + 1] == homes[idx + 2] && homes[idx + 2] == homes[idx + 3] &&
        months[idx - 2] + 5 == months[idx + 3]) {
      moves.push_back(BaselineMove{months[idx], homes[idx], homes[idx + 1]});
    }
  }
  return moves;
}

}  // namespace kazmig::traces

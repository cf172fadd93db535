// Aggregating detected moves into origin-destination flows by period.
//
// Periods are `YYYY-MM` (month), `YYYY-Qn` (quarter) or `YYYY` (year) of the migration date.
// Rows come out by period, then origin and destination in the order they are first met in the
// input (the kazmig convention for flow outputs); pairs without moves are absent (sparse: 0).
//
//   FlowAggregator flows(Period::kQuarter);
//   flows.Add("71", "75", day);
//   for (const PeriodFlow& row : flows.Rows()) Use(row.orig, row.dest, row.flow, row.period);
#ifndef KAZMIG_TRACES_FLOWS_H_
#define KAZMIG_TRACES_FLOWS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kazmig::traces {

enum class Period { kMonth, kQuarter, kYear };

// "month" | "quarter" | "year"; throws UsageError.
Period ParsePeriod(std::string_view text);
// The period label of a day.
std::string PeriodLabel(Period period, int32_t day);

struct PeriodFlow {
  std::string orig;
  std::string dest;
  double flow = 0;
  std::string period;
};

class FlowAggregator {
 public:
  explicit FlowAggregator(Period period) : period_(period) {}
  void Add(std::string_view orig, std::string_view dest, int32_t day, double weight = 1.0);
  std::vector<PeriodFlow> Rows() const;

 private:
  size_t RegionIndex(std::string_view id);
  Period period_;
  std::vector<std::string> regions_;
  std::unordered_map<std::string, size_t> region_index_;
  std::map<std::string, std::map<std::pair<size_t, size_t>, double>> flows_;
};

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_FLOWS_H_

// Aggregating detected moves into origin-destination flows by period.
//
// Periods are `YYYY-MM` (month), `YYYY-Qn` (quarter) or `YYYY` (year) of the migration date.
// Rows come out by period, then origin and destination in the order they are first met in the
// input (the kazmig convention for flow outputs); pairs without moves are absent (sparse: 0).
//
//   FlowAggregator flows(Period::kQuarter);
//   flows.Add("71", "75", day);
//   for (const PeriodFlow& row : flows.Rows()) Use(row.orig, row.dest, row.flow, row.period);
//
// Post-stratification weights a move by its origin's population per observed resident, so that
// flows estimate the population's moves rather than the users' (Zagheni and Weber 2015):
//
//   PostStratification strata;
//   strata.AddResident("u1", "71");
//   strata.AddResident("u2", "71");
//   std::map<std::string, double> weights = strata.Weights({{"71", 1000.0}});  // 71: 500
//   flows.Add("71", "75", day, weights.at("71"));
#ifndef KAZMIG_TRACES_FLOWS_H_
#define KAZMIG_TRACES_FLOWS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
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

// A population target of a region.
struct RegionPopulation {
  std::string region;
  double population = 0;
};

// Post-stratification weights by region: w_r = population_r / distinct users with a residence at
// r. Residents are added one at a time (streamed from `traces detect --segments-out`).
class PostStratification {
 public:
  // Counts `user_id` as a resident of `region` (once, however often it is added).
  void AddResident(std::string_view user_id, std::string_view region);
  // The weight of every target region with residents (a region without residents is absent; a
  // region given twice takes its last population). Throws InputError when a population is
  // negative or not finite.
  std::map<std::string, double> Weights(const std::vector<RegionPopulation>& targets) const;

 private:
  std::map<std::string, std::set<std::string>, std::less<>> users_by_region_;
};

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_FLOWS_H_

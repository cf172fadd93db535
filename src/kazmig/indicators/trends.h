// Trend summaries of indicator series: collect (region, indicator) -> year -> value, then the
// change, growth and largest steps of each series (ComputeTrend, region_table.h). Behind
// `kazmig indicators trends`.
//
//   indicators::TrendSeries series;
//   for (const auto& [year, flows] : by_year) indicators::AddFlowYear(series, year, flows, &pop);
//   series.Add("71", "net", 2023, 50078);                 // or any series of one's own
//   for (const indicators::SeriesTrend& t : indicators::ComputeTrends(series)) {
//     Print(t.series->region, t.series->indicator, t.trend.change, t.trend.cagr);
//   }
//
// AddFlowYear adds, for each region of the matrix (diagonal ignored), `in`, `out`, `net` and, with
// a population, `net_rate` (per 1,000); and for the system (region "all") `total_flow`, `mei` and,
// with a population, `cmp` (per 100) — the same formulas as ComputeRegionTable and rates.h.
#ifndef KAZMIG_INDICATORS_TRENDS_H_
#define KAZMIG_INDICATORS_TRENDS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/indicators/region_table.h"

namespace kazmig::indicators {

// One indicator of one region ("all": the whole system) over years.
struct IndicatorSeries {
  std::string region;
  std::string indicator;
  std::map<int, double> values;  // year -> value
};

// Series in the order first added.
class TrendSeries {
 public:
  // Sets the value of (region, indicator) in `year` (a repeated year replaces the value).
  void Add(const std::string& region, const std::string& indicator, int year, double value);
  const std::vector<IndicatorSeries>& series() const { return series_; }

 private:
  std::vector<IndicatorSeries> series_;
  std::map<std::pair<std::string, std::string>, size_t> index_;
};

// Adds one year of a flow matrix (see the header comment). `population` (optional) is in the
// matrix's order; throws ComputeError as ComputeRegionTable does for a population that is not
// positive.
void AddFlowYear(TrendSeries& series, int year, const FlowMatrix& flows,
                 const std::vector<double>* population = nullptr);

struct SeriesTrend {
  const IndicatorSeries* series = nullptr;
  Trend trend;
  bool steps = false;  // two years or more: the largest increase and decrease exist
};
// The trend of every series, in the series' order (pointers into `series`).
std::vector<SeriesTrend> ComputeTrends(const TrendSeries& series);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_TRENDS_H_

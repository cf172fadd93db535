#include "kazmig/indicators/trends.h"

#include "kazmig/indicators/rates.h"

namespace kazmig::indicators {

void TrendSeries::Add(const std::string& region, const std::string& indicator, int year,
                      double value) {
  auto [it, inserted] = index_.emplace(std::make_pair(region, indicator), series_.size());
  if (inserted) series_.push_back({region, indicator, {}});
  series_[it->second].values[year] = value;
}

void AddFlowYear(TrendSeries& series, int year, const FlowMatrix& flows,
                 const std::vector<double>* population) {
  const std::vector<RegionRow> rows = ComputeRegionTable(flows, population);
  std::vector<double> in, out;
  for (const RegionRow& row : rows) {
    series.Add(row.id, "in", year, row.in);
    series.Add(row.id, "out", year, row.out);
    series.Add(row.id, "net", year, row.net);
    if (row.net_rate) series.Add(row.id, "net_rate", year, *row.net_rate);
    in.push_back(row.in);
    out.push_back(row.out);
  }
  const Turnover turnover = SumTurnover(in, out);
  series.Add("all", "total_flow", year, turnover.total);
  series.Add("all", "mei", year, MigrationEffectiveness(turnover));
  if (population != nullptr) {
    double total_population = 0;
    for (double value : *population) total_population += value;
    series.Add("all", "cmp", year, CrudeMigrationProbability(turnover.total, total_population));
  }
}

std::vector<SeriesTrend> ComputeTrends(const TrendSeries& series) {
  std::vector<SeriesTrend> trends;
  for (const IndicatorSeries& one : series.series()) {
    std::vector<int> years;
    std::vector<double> values;
    for (const auto& [year, value] : one.values) {
      years.push_back(year);
      values.push_back(value);
    }
    trends.push_back({&one, ComputeTrend(years, values), years.size() > 1});
  }
  return trends;
}

}  // namespace kazmig::indicators

#include "kazmig/indicators/trends.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::indicators {
namespace {

using ::kazmig::testing::NearRel;

// methods/indicators.md `hyp` scaled by `factor`.
FlowMatrix Hyp(double factor) {
  FlowMatrix m({"A", "B", "C"});
  const double cells[3][3] = {{0, 10, 10}, {20, 0, 20}, {30, 30, 0}};
  for (size_t orig_idx = 0; orig_idx < 3; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < 3; ++dest_idx) {
      m(orig_idx, dest_idx) = factor * cells[orig_idx][dest_idx];
    }
  }
  return m;
}

const IndicatorSeries* Find(const TrendSeries& series, const std::string& region,
                            const std::string& indicator) {
  for (const IndicatorSeries& one : series.series()) {
    if (one.region == region && one.indicator == indicator) return &one;
  }
  return nullptr;
}

TEST(TrendSeries, KeepsTheOrderFirstAddedAndReplacesAYear) {
  TrendSeries series;
  series.Add("B", "net", 2020, 1);
  series.Add("A", "net", 2020, 2);
  series.Add("B", "net", 2021, 3);
  series.Add("B", "net", 2020, 4);
  ASSERT_EQ(series.series().size(), 2u);
  EXPECT_EQ(series.series()[0].region, "B");
  EXPECT_EQ(series.series()[0].values.at(2020), 4.0);
  EXPECT_EQ(series.series()[0].values.size(), 2u);
  EXPECT_EQ(series.series()[1].region, "A");
}

TEST(AddFlowYear, RegionAndSystemSeries) {
  TrendSeries series;
  const std::vector<double> population = {1000, 2000, 3000};
  AddFlowYear(series, 2022, Hyp(1), &population);
  AddFlowYear(series, 2023, Hyp(2), &population);
  // A: in 50 -> 100, out 20 -> 40; net rate 30 -> 60 per 1,000.
  EXPECT_EQ(Find(series, "A", "in")->values.at(2023), 100.0);
  EXPECT_EQ(Find(series, "A", "net_rate")->values.at(2022), 30.0);
  EXPECT_EQ(Find(series, "all", "total_flow")->values.at(2023), 240.0);
  EXPECT_EQ(Find(series, "all", "mei")->values.at(2022), 25.0);
  EXPECT_TRUE(NearRel(Find(series, "all", "cmp")->values.at(2023), 4.0));
  // Per region: in, out, net, net_rate; then the system's total_flow, mei, cmp.
  EXPECT_EQ(series.series().size(), 3u * 4 + 3);
  EXPECT_EQ(series.series()[0].indicator, "in");
  EXPECT_EQ(series.series().back().indicator, "cmp");
}

TEST(AddFlowYear, WithoutPopulationNoRatesNoCmp) {
  TrendSeries series;
  AddFlowYear(series, 2022, Hyp(1));
  EXPECT_EQ(Find(series, "A", "net_rate"), nullptr);
  EXPECT_EQ(Find(series, "all", "cmp"), nullptr);
  EXPECT_EQ(series.series().size(), 3u * 3 + 2);
}

TEST(AddFlowYear, RejectsANonPositivePopulation) {
  TrendSeries series;
  const std::vector<double> population = {1000, 0, 3000};
  EXPECT_THROW(AddFlowYear(series, 2022, Hyp(1), &population), ComputeError);
}

TEST(ComputeTrends, OnePerSeriesWithSteps) {
  TrendSeries series;
  AddFlowYear(series, 2022, Hyp(1));
  AddFlowYear(series, 2023, Hyp(2));
  series.Add("X", "only", 2020, 5);
  const std::vector<SeriesTrend> trends = ComputeTrends(series);
  ASSERT_EQ(trends.size(), series.series().size());
  EXPECT_EQ(trends[0].series->region, "A");
  EXPECT_EQ(trends[0].trend.change, 50.0);  // A in: 50 -> 100
  EXPECT_EQ(trends[0].trend.cagr, 1.0);
  EXPECT_TRUE(trends[0].steps);
  EXPECT_FALSE(trends.back().steps);
  EXPECT_TRUE(std::isnan(trends.back().trend.cagr));
}

}  // namespace
}  // namespace kazmig::indicators

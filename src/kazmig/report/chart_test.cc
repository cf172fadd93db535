#include "kazmig/report/chart.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

TEST(NiceTicks, CoversTheRangeWithRoundSteps) {
  const auto ticks = NiceTicks(0, 477068, 5);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_EQ(ticks.front(), 0.0);
  EXPECT_GE(ticks.back(), 477068.0);
  EXPECT_DOUBLE_EQ(ticks[1] - ticks[0], 100000.0);
  const auto negative = NiceTicks(-406679, 477068, 6);
  EXPECT_LE(negative.front(), -406679.0);
  EXPECT_GE(negative.back(), 477068.0);
  EXPECT_NE(std::find(negative.begin(), negative.end(), 0.0), negative.end());
  // A flat range is widened rather than divided by zero.
  const auto flat = NiceTicks(5, 5, 4);
  EXPECT_LT(flat.front(), 5.0);
  EXPECT_GT(flat.back(), 5.0);
}

TEST(LineChart, DrawsSeriesBreaksAndPreliminaryPoints) {
  LineChart chart;
  chart.title = "International migration";
  chart.y_label = "persons";
  chart.series.push_back({"Arrivals", "#2166ac", {{2023, 25387}, {2024, 26000}, {2025, 23761}}});
  chart.series.push_back(
      {"Departures", "#b2182b", {{2023, 16094}, {2024, std::nan("")}, {2025, 7608}}});
  chart.breaks = {{2024, "2024: registration change"}, {1990, "outside the range"}};
  chart.preliminary_from = 2025;
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<title>International migration</title>"), std::string::npos);
  EXPECT_EQ(CountOccurrences(svg, "class=\"break\""),
            1u);  // the break outside the years is left out
  EXPECT_NE(svg.find("Series break: 2024: registration change"), std::string::npos);
  // Five points (the NaN is skipped), two preliminary; tooltips carry the published numbers.
  EXPECT_EQ(CountOccurrences(svg, "<circle"), 5u + 1u);  // + the legend's hollow marker
  EXPECT_NE(svg.find("Arrivals 2023: 25,387</title>"), std::string::npos);
  EXPECT_NE(svg.find("Arrivals 2025: 23,761 (preliminary)"), std::string::npos);
  EXPECT_EQ(CountOccurrences(svg, "stroke-dasharray=\"5 3\""),
            2u);  // one dashed segment per series
}

TEST(LineChart, DrawsABandUnderTheLineAndCoversIt) {
  LineChart chart;
  chart.title = "Intensity";
  chart.decimals = 2;
  chart.series.push_back({"CMP", "#2166ac", {{2022, 1.5}, {2023, 1.7}}});
  chart.bands.push_back({"CMP: range", "#2166ac", {{2023, 1.2, 2.2}, {2022, 1.1, 1.9}}});
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(CountOccurrences(svg, "class=\"band\""), 1u);
  EXPECT_NE(svg.find("CMP: range"), std::string::npos);
  EXPECT_NE(svg.find("CMP 2023: 1.70</title>"), std::string::npos);
  // The axis reaches the band's top (2.2), not just the line's (1.7).
  EXPECT_NE(svg.find(">2.5</text>"), std::string::npos);
  // The band is drawn before (under) the line.
  EXPECT_LT(svg.find("class=\"band\""), svg.find("<polyline"));
}

TEST(LineChart, DrawsDatedMarkersWithinItsYearsOnly) {
  LineChart chart;
  chart.series.push_back({"Net", "#2166ac", {{2000, 1}, {2010, 3}, {2020, 2}}});
  const std::string plain = RenderLineChart(chart);
  EXPECT_EQ(RenderLineChart(chart, {}), plain);  // no markers: the output is unchanged
  const std::string svg =
      RenderLineChart(chart, {{2011.55, "law-477-iv", "2011-07-22: Law No. 477-IV", ""},
                              {2020.9, "late 2020", "within the last year", ""},
                              {1995, "early", "before the first year", ""},
                              {2021.2, "after", "after the last year", ""}});
  EXPECT_EQ(CountOccurrences(svg, "class=\"marker\""), 2u);
  EXPECT_NE(svg.find("<title>2011-07-22: Law No. 477-IV</title>"), std::string::npos);
  EXPECT_NE(svg.find(">law-477-iv</text>"), std::string::npos);
  EXPECT_EQ(svg.find("before the first year"), std::string::npos);
  // Two markers a few days apart: both lines and tooltips, one label.
  const std::string close = RenderLineChart(
      chart, {{2011.50, "first", "first measure", ""}, {2011.51, "second", "second measure", ""}});
  EXPECT_EQ(CountOccurrences(close, "class=\"marker\""), 2u);
  EXPECT_NE(close.find(">first</text>"), std::string::npos);
  EXPECT_EQ(close.find(">second</text>"), std::string::npos);
  EXPECT_NE(close.find("<title>second measure</title>"), std::string::npos);
  // A Russian chart shows a marker's Russian title (not quoted), else the English one quoted.
  chart.lang = Lang::kRu;
  const std::string ru =
      RenderLineChart(chart, {{2011.55, "law-477-iv", "2011-07-22: Law", "2011-07-22: Закон"},
                              {2015.5, "other", "2015-07-01: Other", ""}});
  EXPECT_NE(ru.find("<g class=\"marker\"><title>2011-07-22: Закон</title>"), std::string::npos);
  EXPECT_NE(ru.find("<g class=\"marker\" lang=\"en\"><title>2015-07-01: Other</title>"),
            std::string::npos);
}

TEST(LineChart, EmptyChartSaysNoData) {
  LineChart chart;
  chart.series.push_back({"Nothing", "#000", {}});
  EXPECT_NE(RenderLineChart(chart).find("no data"), std::string::npos);
}

TEST(BarChart, OneBarPerValueWithSignedLabels) {
  BarChart chart;
  chart.bars = {
      {"Astana", 49.5, true}, {"Turkistan", -14.9, false}, {"Unknown", std::nan(""), false}};
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(CountOccurrences(svg, "<rect"), 3u);
  EXPECT_NE(svg.find("<title>Astana: +49.5</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Turkistan: -14.9</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Unknown: n/a</title>"), std::string::npos);
  EXPECT_NE(svg.find("#c0504d"), std::string::npos);  // negative bars in red
}

TEST(Chart, OneTickFormatPerAxis) {
  // 0 / 2,500 / ... / 12,500: all in full, never "10k" beside "12,500" (issue 18).
  const std::vector<std::string> labels = TickLabels({0, 2500, 5000, 7500, 10000, 12500});
  EXPECT_EQ(labels, (std::vector<std::string>{"0", "2,500", "5,000", "7,500", "10,000", "12,500"}));
  EXPECT_EQ(TickLabels({0, 0.5, 1.0}), (std::vector<std::string>{"0.0", "0.5", "1.0"}));
  LineChart chart;
  chart.series = {{"Arrivals", "#000", {{2020, 12500}, {2021, 0}}}};
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(svg.find("k</text>"), std::string::npos);
}

TEST(Chart, LegendWrapsAndRangesWithoutLines) {
  LineChart chart;
  chart.width = 300;
  for (const char* name : {"Russian Federation", "Uzbekistan", "Kyrgyzstan", "Turkmenistan",
                           "Other countries, total"}) {
    chart.series.push_back({name, "#123456", {{2020, 1}, {2021, 2}}});
  }
  const std::string svg = RenderLineChart(chart);
  // Every legend entry is there, in full, and none starts beyond the chart's width.
  for (const char* name : {"Russian Federation", "Other countries, total"}) {
    EXPECT_NE(svg.find(std::string(">") + name + "</text>"), std::string::npos) << name;
  }
  LineChart ranges;
  ranges.series = {{"CMP", "#00f", {{2022, 1.9}, {2023, 1.9}}, false}};
  ranges.bands = {{"CMP range", "#00f", {{2022, 1.5, 2.4}, {2023, 1.5, 2.5}}, true}};
  const std::string range_svg = RenderLineChart(ranges);
  EXPECT_EQ(range_svg.find("<polyline"), std::string::npos);  // no trend line
  EXPECT_EQ(range_svg.find("class=\"band\""), std::string::npos);
  EXPECT_NE(range_svg.find("class=\"range-bars\""), std::string::npos);
}

}  // namespace
}  // namespace kazmig::report

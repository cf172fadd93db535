// SVG charts for reports: a time-series line chart with series-break markers and preliminary
// values, and a horizontal bar chart. The output is an <svg> element with a viewBox (it scales
// to its container), a <title> and <desc> for screen readers, and <title> tooltips on the marks.
//
//   report::LineChart chart;
//   chart.y_label = "persons";
//   chart.series.push_back({"Arrivals", "#2166ac", {{1991, 53000}, ...}});
//   chart.breaks.push_back({2018, "2018: new regions"});
//   chart.preliminary_from = 2025;   // drawn hollow, joined by a dashed segment
//   chart.bands.push_back({"Arrivals: range", "#2166ac", {{2023, 50000, 56000}, ...}});
//   std::string svg = report::RenderLineChart(chart);
//   svg = report::RenderLineChart(chart, {{2011.55, "law-477-iv", "2011-07-22: Law No. 477-IV"}});
#ifndef KAZMIG_REPORT_CHART_H_
#define KAZMIG_REPORT_CHART_H_

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kazmig/report/messages.h"

namespace kazmig::report {

struct LineSeries {
  std::string name;
  std::string color;                           // CSS colour
  std::vector<std::pair<int, double>> points;  // (year, value), any order; NaN values skipped
  // false: the points are drawn without a line joining them (values that are assumptions, not
  // a trend: e.g. a model's central value beside its range).
  bool connect = true;
};

// An uncertainty band (e.g. the range over sensitivity runs), drawn as a translucent area under
// the lines; it widens the y axis so it is always fully shown.
struct LineBand {
  std::string name;                                   // e.g. "CMP range"
  std::string color;                                  // CSS colour, usually its series' colour
  std::vector<std::tuple<int, double, double>> rows;  // (year, low, high); NaN rows skipped
  // true: a vertical range bar per year instead of a shaded area (no interpolation between
  // years).
  bool bars = false;
};

// A vertical marker at a year where the series' definition or coverage changes.
struct SeriesBreak {
  int year = 0;
  std::string label;  // short, e.g. "2018 boundaries"
};

struct LineChart {
  std::string title;  // for screen readers (<title>)
  std::string y_label;
  std::vector<LineSeries> series;
  std::vector<SeriesBreak> breaks;
  std::vector<LineBand> bands;
  int preliminary_from = 0;  // years >= this are preliminary (0: none)
  int decimals = 0;          // of the values in the point tooltips
  int width = 720;
  int height = 340;
  std::string preliminary_label = "preliminary";  // the legend's word for hollow points
  int first_year = 0;     // >0: only the points from this year on are drawn (a detail panel)
  Lang lang = Lang::kEn;  // of "no data", the tooltips of breaks and preliminary points
};

// A dated annotation (e.g. a policy measure): a dotted vertical at decimal year `x` (2011.55 is
// mid-July 2011), labelled along the line, with `title` as its tooltip.
struct ChartMarker {
  double x = 0;
  std::string label;     // short, e.g. "law-477-iv"
  std::string title;     // e.g. the measure's date and full title, in English
  std::string title_ru;  // the same in Russian when known (a Russian or Kazakh chart shows it)
};

// Renders the chart; an empty chart (no points) renders a frame saying "no data". `markers`
// (optional) are drawn where they fall within the chart's years (from the first year to the end
// of the last); a marker within 12 px of the last labelled one is drawn without its label (its
// tooltip stays). Without markers the output is as before.
std::string RenderLineChart(const LineChart& chart, const std::vector<ChartMarker>& markers = {});

struct Bar {
  std::string label;
  double value = 0.0;
  bool highlight = false;  // drawn in the accent colour
};

struct BarChart {
  std::string title;
  std::string value_label;  // axis label, e.g. "per 1,000 population"
  std::vector<Bar> bars;    // drawn top to bottom in this order
  int decimals = 1;
  int width = 720;
};

// Horizontal bars from a zero line (negative to the left, in red; positive to the right, in blue).
std::string RenderBarChart(const BarChart& chart);

// The labels of an axis's ticks, all in one format: thousands separated, with the decimals of the
// step ("12,500", "10,000", "0"; "0.5", "1.0").
std::vector<std::string> TickLabels(const std::vector<double>& ticks);

// "Nice" axis ticks covering [low, high]: about `target` steps of 1, 2 or 5 × 10^k.
std::vector<double> NiceTicks(double low, double high, int target = 5);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_CHART_H_

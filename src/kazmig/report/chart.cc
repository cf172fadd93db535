#include "kazmig/report/chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kazmig/report/html.h"

namespace kazmig::report {
namespace {

constexpr const char* kFont = "font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\"";

// An estimate of the width of `text` at `font_size` px in a sans-serif font (UTF-8 aware: a
// Cyrillic letter is two bytes but one glyph).
double TextWidth(const std::string& text, double font_size) {
  double glyphs = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) glyphs += 1;
  }
  return glyphs * font_size * 0.56;
}

}  // namespace

std::vector<std::string> TickLabels(const std::vector<double>& ticks) {
  const double step = ticks.size() > 1 ? std::abs(ticks[1] - ticks[0]) : 1.0;
  const int decimals =
      step >= 1 || step <= 0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::vector<std::string> labels;
  for (double tick : ticks) labels.push_back(FormatThousands(tick, decimals));
  return labels;
}

std::vector<double> NiceTicks(double low, double high, int target) {
  if (!(high > low)) {
    const double pad = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(low / step) * step;
  for (double tick = first; tick < high + step * 0.999; tick += step) {
    ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return ticks;
}

std::string RenderLineChart(const LineChart& chart, const std::vector<ChartMarker>& markers) {
  // The legend goes in rows above the plot, wrapped to the chart's width (never cut), then the
  // unit label; the plot starts below them.
  struct LegendItem {
    std::string name;
    std::string color;
    bool hollow = false;
    double x = 0, y = 0;
  };
  const auto shown = [&](int year) { return chart.first_year == 0 || year >= chart.first_year; };
  std::vector<LegendItem> legend;
  for (const LineSeries& series : chart.series) legend.push_back({series.name, series.color});
  for (const LineBand& band : chart.bands) {
    if (band.bars) legend.push_back({band.name, band.color});
  }
  bool any_preliminary = false;
  for (const LineSeries& series : chart.series) {
    for (const auto& [year, value] : series.points) {
      any_preliminary =
          any_preliminary || (shown(year) && !std::isnan(value) && chart.preliminary_from > 0 &&
                              year >= chart.preliminary_from);
    }
  }
  if (any_preliminary) legend.push_back({chart.preliminary_label, "#5b6673", true});
  const double legend_row_h = 16;
  double legend_x = 8, legend_y = 14;
  for (LegendItem& item : legend) {
    const double item_w = 30 + TextWidth(item.name, 12);
    if (legend_x > 8 && legend_x + item_w > chart.width - 8) {
      legend_x = 8;
      legend_y += legend_row_h;
    }
    item.x = legend_x;
    item.y = legend_y;
    legend_x += item_w + 12;
  }
  const double label_y = (legend.empty() ? 0 : legend_y) + 16;
  const double left = 64, right = 16, top = label_y + 12, bottom = 36;
  const double height = std::max<double>(chart.height, top + 180 + bottom);
  const double plot_w = chart.width - left - right;
  const double plot_h = height - top - bottom;
  int min_year = std::numeric_limits<int>::max(), max_year = std::numeric_limits<int>::min();
  double min_value = 0.0, max_value = 0.0;
  bool any = false;
  for (const LineSeries& series : chart.series) {
    for (const auto& [year, value] : series.points) {
      if (std::isnan(value) || !shown(year)) continue;
      any = true;
      min_year = std::min(min_year, year);
      max_year = std::max(max_year, year);
      min_value = std::min(min_value, value);
      max_value = std::max(max_value, value);
    }
  }
  for (const LineBand& band : chart.bands) {
    for (const auto& [year, low, high] : band.rows) {
      if (std::isnan(low) || std::isnan(high) || !shown(year)) continue;
      any = true;
      min_year = std::min(min_year, year);
      max_year = std::max(max_year, year);
      min_value = std::min(min_value, low);
      max_value = std::max(max_value, high);
    }
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" {}>"
      "<title>{}</title>",
      chart.width, SvgNumber(height), kFont, EscapeHtml(chart.title));
  if (!any) {
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f3f6f8\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5b6673\">{}</text></svg>",
        left, top, plot_w, plot_h, left + plot_w / 2, top + plot_h / 2,
        EscapeHtml(Msg(chart.lang, "no_data")));
    return svg;
  }
  // A few range bars side by side need some room at both ends.
  bool bar_bands = false;
  for (const LineBand& band : chart.bands) bar_bands = bar_bands || band.bars;
  const double x_pad = bar_bands ? 0.5 : 0.0;
  if (max_year == min_year) ++max_year;
  const std::vector<double> y_ticks = NiceTicks(min_value, max_value, 6);
  const double y_low = y_ticks.front(), y_high = y_ticks.back();
  auto x_of = [&](double year) {
    return left + (year - min_year + x_pad) / (max_year - min_year + 2 * x_pad) * plot_w;
  };
  auto y_of = [&](double value) { return top + (y_high - value) / (y_high - y_low) * plot_h; };

  // Grid and y axis: one label format for every tick.
  const std::vector<std::string> y_labels = TickLabels(y_ticks);
  for (size_t tick_idx = 0; tick_idx < y_ticks.size(); ++tick_idx) {
    const double tick = y_ticks[tick_idx];
    svg += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6673\">{}</text>",
        left, left + plot_w, SvgNumber(y_of(tick)), SvgNumber(y_of(tick)),
        tick == 0.0 ? "#1d2733" : "#e1e6ea", tick == 0.0 ? 1.2 : 1, left - 6,
        SvgNumber(y_of(tick) + 4), y_labels[tick_idx]);
  }
  if (!chart.y_label.empty()) {
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#5b6673\" text-anchor=\"start\">{}</text>",
        4, SvgNumber(label_y), EscapeHtml(chart.y_label));
  }
  // X axis: ticks every 1, 2, 5 or 10 years.
  const int span = max_year - min_year;
  const int year_step = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : 10;
  for (int year = (min_year + year_step - 1) / year_step * year_step; year <= max_year;
       year += year_step) {
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#1d2733\"/>"
        "<text x=\"{0}\" y=\"{3}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6673\">{4}"
        "</text>",
        SvgNumber(x_of(year)), SvgNumber(top + plot_h), SvgNumber(top + plot_h + 4),
        SvgNumber(top + plot_h + 17), year);
  }
  svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#1d2733\"/>", left,
                     left + plot_w, SvgNumber(top + plot_h), SvgNumber(top + plot_h));

  // Series breaks: dashed verticals, labelled along the line (rotated) so labels never collide.
  for (const SeriesBreak& series_break : chart.breaks) {
    if (series_break.year < min_year || series_break.year > max_year) continue;
    const double x = x_of(series_break.year);
    svg += fmt::format(
        "<g class=\"break\"><title>{6}: {0}</title>"
        "<line x1=\"{1}\" x2=\"{1}\" y1=\"{2}\" y2=\"{3}\" stroke=\"#8a5a00\" "
        "stroke-dasharray=\"4 3\" stroke-width=\"1.2\"/>"
        "<text x=\"{4}\" y=\"{5}\" font-size=\"10\" fill=\"#8a5a00\" text-anchor=\"end\" "
        "transform=\"rotate(-90 {4} {5})\" paint-order=\"stroke\" stroke=\"#fff\" "
        "stroke-width=\"3\">{0}</text></g>",
        EscapeHtml(series_break.label), SvgNumber(x), top, SvgNumber(top + plot_h),
        SvgNumber(x - 3), SvgNumber(top + 2), EscapeHtml(Msg(chart.lang, "chart.break")));
  }
  // Dated markers (policy measures): dotted verticals, labelled from the bottom of the plot; a
  // marker closer than 12 px to the last labelled one keeps its line and tooltip, not its label.
  std::vector<std::pair<double, const ChartMarker*>> placed;
  for (const ChartMarker& marker : markers) {
    if (!(marker.x >= min_year) || !(marker.x < max_year + 1)) continue;
    placed.emplace_back(x_of(std::min(marker.x, static_cast<double>(max_year))), &marker);
  }
  std::stable_sort(placed.begin(), placed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  double last_label = -1e9;
  for (const auto& [x, marker] : placed) {
    const bool local = chart.lang != Lang::kEn && !marker->title_ru.empty();
    std::string label;
    if (x - last_label >= 12) {
      label = fmt::format(
          "<text x=\"{0}\" y=\"{1}\" font-size=\"10\" fill=\"#6a3d9a\" text-anchor=\"start\" "
          "transform=\"rotate(-90 {0} {1})\" paint-order=\"stroke\" stroke=\"#fff\" "
          "stroke-width=\"3\">{2}</text>",
          SvgNumber(x + 10), SvgNumber(top + plot_h - 4), EscapeHtml(marker->label));
      last_label = x;
    }
    svg += fmt::format(
        "<g class=\"marker\"{5}><title>{0}</title>"
        "<line x1=\"{1}\" x2=\"{1}\" y1=\"{2}\" y2=\"{3}\" stroke=\"#6a3d9a\" "
        "stroke-dasharray=\"1 3\" stroke-width=\"1.5\"/>{4}</g>",
        EscapeHtml(local ? marker->title_ru : marker->title), SvgNumber(x), top,
        SvgNumber(top + plot_h), label,
        // The register's titles are English unless the catalogue translates them.
        chart.lang == Lang::kEn || local ? "" : " lang=\"en\"");
  }
  if (chart.preliminary_from > 0 && chart.preliminary_from <= max_year) {
    const double x = x_of(chart.preliminary_from - 0.5);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#8a5a00\" opacity=\"0.07\">"
        "<title>{}</title></rect>",
        SvgNumber(std::max(x, left)), top, SvgNumber(left + plot_w - std::max(x, left)), plot_h,
        EscapeHtml(Msg(chart.lang, "chart.preliminary")));
  }

  // Bands: the area between low and high, under the lines.
  for (const LineBand& series : chart.bands) {
    std::vector<std::tuple<int, double, double>> band;
    for (const auto& item : series.rows) {
      if (!std::isnan(std::get<1>(item)) && !std::isnan(std::get<2>(item)) &&
          shown(std::get<0>(item))) {
        band.push_back(item);
      }
    }
    if (band.empty()) continue;
    std::sort(band.begin(), band.end());
    if (series.bars) {
      svg += fmt::format("<g class=\"range-bars\"><title>{}</title>", EscapeHtml(series.name));
      for (const auto& [year, low, high] : band) {
        svg += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\" fill=\"{}\" fill-opacity=\"0.3\" "
            "stroke=\"{}\"><title>{} {}: {}\u2013{}</title></rect>",
            SvgNumber(x_of(year) - 7), SvgNumber(y_of(high)),
            SvgNumber(std::max(1.0, y_of(low) - y_of(high))), series.color, series.color,
            EscapeHtml(series.name), year, FormatThousands(low, chart.decimals),
            FormatThousands(high, chart.decimals));
      }
      svg += "</g>";
      continue;
    }
    std::string outline;
    for (const auto& [year, low, high] : band) {
      outline += (outline.empty() ? "" : " ") + SvgNumber(x_of(year)) + "," + SvgNumber(y_of(high));
    }
    for (auto it = band.rbegin(); it != band.rend(); ++it) {
      outline += " " + SvgNumber(x_of(std::get<0>(*it))) + "," + SvgNumber(y_of(std::get<1>(*it)));
    }
    svg += fmt::format(
        "<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" "
        "stroke=\"none\"><title>{}</title></polygon>",
        outline, series.color, EscapeHtml(series.name));
  }

  // Lines: final values solid, preliminary ones dashed with hollow markers.
  for (const LineSeries& series : chart.series) {
    std::vector<std::pair<int, double>> points;
    for (const auto& point : series.points) {
      if (!std::isnan(point.second) && shown(point.first)) points.push_back(point);
    }
    std::sort(points.begin(), points.end());
    std::string solid, dashed;
    for (size_t point_idx = 0; point_idx < points.size(); ++point_idx) {
      const auto& [year, value] = points[point_idx];
      const std::string xy = SvgNumber(x_of(year)) + "," + SvgNumber(y_of(value));
      const bool preliminary = chart.preliminary_from > 0 && year >= chart.preliminary_from;
      if (!preliminary) {
        solid += (solid.empty() ? "" : " ") + xy;
      } else {
        if (dashed.empty() && point_idx > 0) {
          dashed = SvgNumber(x_of(points[point_idx - 1].first)) + "," +
                   SvgNumber(y_of(points[point_idx - 1].second));
        }
        dashed += (dashed.empty() ? "" : " ") + xy;
      }
    }
    svg += fmt::format("<g class=\"series\"><title>{}</title>", EscapeHtml(series.name));
    if (!series.connect) solid.clear(), dashed.clear();
    if (!solid.empty()) {
      svg += fmt::format(
          "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
          "stroke-linejoin=\"round\"/>",
          solid, series.color);
    }
    if (!dashed.empty()) {
      svg += fmt::format(
          "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
          "stroke-dasharray=\"5 3\"/>",
          dashed, series.color);
    }
    for (const auto& [year, value] : points) {
      const bool preliminary = chart.preliminary_from > 0 && year >= chart.preliminary_from;
      svg += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\">"
          "<title>{} {}: {}{}</title></circle>",
          SvgNumber(x_of(year)), SvgNumber(y_of(value)), preliminary ? 3.5 : 2.2,
          preliminary ? "#fff" : series.color, series.color, EscapeHtml(series.name), year,
          FormatThousands(value, chart.decimals),
          preliminary ? " (" + std::string(Msg(chart.lang, "preliminary")) + ")" : std::string());
    }
    svg += "</g>";
  }

  // Legend rows along the top.
  for (const LegendItem& item : legend) {
    if (item.hollow) {
      svg += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"#fff\" stroke=\"{}\" "
          "stroke-width=\"1.5\"/>",
          SvgNumber(item.x + 9), SvgNumber(item.y - 4), item.color);
    } else {
      svg += fmt::format(
          "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"3\"/>",
          SvgNumber(item.x), SvgNumber(item.x + 18), SvgNumber(item.y - 4), item.color);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1d2733\">{}</text>",
                       SvgNumber(item.x + 23), SvgNumber(item.y), EscapeHtml(item.name));
  }
  svg += "</svg>";
  return svg;
}

std::string RenderBarChart(const BarChart& chart) {
  const double row_h = 20, top = 28, bottom = 12, label_w = 150, value_w = 56;
  const double height = top + row_h * static_cast<double>(chart.bars.size()) + bottom;
  const double plot_left = label_w, plot_w = chart.width - label_w - value_w;
  double low = 0.0, high = 0.0;
  for (const Bar& bar : chart.bars) {
    if (std::isnan(bar.value)) continue;
    low = std::min(low, bar.value);
    high = std::max(high, bar.value);
  }
  const std::vector<double> ticks = NiceTicks(low, high, 4);
  const std::vector<std::string> tick_labels = TickLabels(ticks);
  const double x_low = ticks.front(), x_high = ticks.back();
  auto x_of = [&](double value) { return plot_left + (value - x_low) / (x_high - x_low) * plot_w; };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" {}>"
      "<title>{}</title>",
      chart.width, SvgNumber(height), kFont, EscapeHtml(chart.title));
  for (size_t tick_idx = 0; tick_idx < ticks.size(); ++tick_idx) {
    const double tick = ticks[tick_idx];
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"/>"
        "<text x=\"{0}\" y=\"{4}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6673\">{5}"
        "</text>",
        SvgNumber(x_of(tick)), top - 4, SvgNumber(height - bottom),
        tick == 0.0 ? "#1d2733" : "#e1e6ea", top - 8, tick_labels[tick_idx]);
  }
  if (!chart.value_label.empty()) {
    svg += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"10\" fill=\"#5b6673\">{}</text>",
                       top - 8, EscapeHtml(chart.value_label));
  }
  double y = top;
  for (const Bar& bar : chart.bars) {
    const double zero = x_of(0.0);
    const bool has_value = !std::isnan(bar.value);
    const double end = has_value ? x_of(bar.value) : zero;
    const std::string color = bar.value < 0 ? "#c0504d" : "#2f6fa6";
    svg += fmt::format(
        "<g><title>{0}: {1}</title><text x=\"{2}\" y=\"{3}\" font-size=\"11\" "
        "text-anchor=\"end\" fill=\"#1d2733\"{4}>{0}</text>"
        "<rect x=\"{5}\" y=\"{6}\" width=\"{7}\" height=\"{8}\" fill=\"{9}\"/>"
        "<text x=\"{10}\" y=\"{3}\" font-size=\"10\" text-anchor=\"{11}\" fill=\"#1d2733\">{1}"
        "</text></g>",
        EscapeHtml(bar.label), has_value ? FormatThousands(bar.value, chart.decimals, true) : "n/a",
        plot_left - 8, SvgNumber(y + row_h * 0.68), bar.highlight ? " font-weight=\"700\"" : "",
        SvgNumber(std::min(zero, end)), SvgNumber(y + 3), SvgNumber(std::abs(end - zero)),
        SvgNumber(row_h - 6), color, chart.width - 4, "end");
    y += row_h;
  }
  svg += "</svg>";
  return svg;
}

}  // namespace kazmig::report

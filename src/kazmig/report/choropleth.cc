#include "kazmig/report/choropleth.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kazmig/core/error.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/html.h"
#include "kazmig/report/map_frame.h"

namespace kazmig::report {
namespace {

// ColorBrewer RdBu, 6 classes (Brewer 2002), from strongly losing to strongly gaining.
constexpr const char* kDiverging[6] = {"#b2182b", "#ef8a62", "#fddbc7",
                                       "#d1e5f0", "#67a9cf", "#2166ac"};
constexpr const char* kNoData = "#d9d9d9";
// Pastel fills for a reference map without values (ColorBrewer Pastel1 and Set3 mixed).
constexpr const char* kReference[8] = {"#e8eef4", "#eef3e6", "#f6efe2", "#f1e9f2",
                                       "#e6f2f1", "#f7ece9", "#eceff8", "#f3f1e4"};

}  // namespace

std::vector<double> DivergingEdges(const std::vector<double>& values) {
  double lowest = 0.0, highest = 0.0;
  for (double value : values) {
    if (std::isnan(value)) continue;
    lowest = std::min(lowest, value);
    highest = std::max(highest, value);
  }
  // Each side gets its own step: about a third of its extreme, rounded down to 1, 2, 2.5 or 5
  // × 10^k, so that skewed data (a few strongly gaining cities, many slowly losing regions) still
  // spread over the classes. A side without values borrows the other side's step.
  auto step_for = [](double extreme) {
    if (extreme <= 0.0) return 0.0;
    const double raw = extreme / 3.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0}) {
      if (factor * magnitude <= raw) step = factor * magnitude;
    }
    return step;
  };
  double negative_step = step_for(-lowest);
  double positive_step = step_for(highest);
  if (negative_step == 0.0) negative_step = positive_step;
  if (positive_step == 0.0) positive_step = negative_step;
  if (negative_step == 0.0) negative_step = positive_step = 1.0;
  std::vector<double> edges;
  for (int edge_idx = -3; edge_idx <= 3; ++edge_idx) {
    edges.push_back(edge_idx * (edge_idx < 0 ? negative_step : positive_step));
  }
  return edges;
}

std::string RenderChoropleth(const Choropleth& map) {
  if (map.features == nullptr || map.features->size() != map.regions.size()) {
    throw ComputeError("internal: RenderChoropleth: one feature per region is required");
  }
  const MapFrame frame(*map.features, map.width);
  const double pad = MapFrame::kPad;
  const double map_h = frame.map_height();

  std::vector<double> values;
  bool any_value = false;
  for (const MapRegion& region : map.regions) {
    values.push_back(region.value);
    any_value = any_value || !std::isnan(region.value);
  }
  // Room for the legend (only with values) and the projection note.
  const double legend_h = any_value ? 56.0 : 16.0;
  const double height = map_h + legend_h;
  const std::vector<double> edges = DivergingEdges(values);
  auto color_of = [&](size_t region_idx) -> std::string {
    const double value = values[region_idx];
    if (!any_value) return kReference[region_idx % 8];
    if (std::isnan(value)) return kNoData;
    int class_idx = 0;
    while (class_idx < 5 && value >= edges[class_idx + 1]) ++class_idx;
    return kDiverging[class_idx];
  };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\"><title>{}</title>"
      "<desc>{}</desc>",
      map.width, SvgNumber(height), EscapeHtml(map.title), EscapeHtml(Msg(map.lang, "map.desc")));
  svg += "<g class=\"regions\" stroke=\"#ffffff\" stroke-width=\"0.8\" stroke-linejoin=\"round\">";
  struct LabelBox {
    double x, y;
  };
  std::vector<LabelBox> anchors(map.regions.size());
  for (size_t region_idx = 0; region_idx < map.regions.size(); ++region_idx) {
    const io::GeoFeature& feature = (*map.features)[region_idx];
    const MapRegion& region = map.regions[region_idx];
    std::string path;
    double bx0 = 1e300, bx1 = -1e300, by0 = 1e300, by1 = -1e300;
    for (const io::GeoPolygon& polygon : feature.polygons) {
      for (const io::GeoRing& ring : polygon.rings) {
        for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
          const auto [x, y] = frame.Screen(ring[point_idx]);
          path += fmt::format("{}{},{}", point_idx == 0 ? "M" : "L", SvgNumber(x), SvgNumber(y));
          bx0 = std::min(bx0, x);
          bx1 = std::max(bx1, x);
          by0 = std::min(by0, y);
          by1 = std::max(by1, y);
        }
        path += "Z";
      }
    }
    if (region.label_lon != 0.0 || region.label_lat != 0.0) {
      const ScreenPoint anchor = frame.Screen({region.label_lon, region.label_lat});
      anchors[region_idx] = {anchor.x, anchor.y};
    } else {
      anchors[region_idx] = {(bx0 + bx1) / 2, (by0 + by1) / 2};
    }
    const std::string value_text = std::isnan(region.value)
                                       ? std::string(Msg(map.lang, "no_data"))
                                       : FormatThousands(region.value, map.decimals, true);
    svg +=
        fmt::format("<path d=\"{}\" fill=\"{}\" fill-rule=\"evenodd\"><title>{}{}{}</title></path>",
                    path, color_of(region_idx), EscapeHtml(region.label),
                    any_value ? ": " + EscapeHtml(value_text) : "",
                    region.tooltip.empty() ? "" : "\n" + EscapeHtml(region.tooltip));
  }
  svg += "</g>";

  // Labels on top of every region, with a white halo.
  svg +=
      "<g class=\"labels\" font-size=\"11\" fill=\"#1d2733\" text-anchor=\"middle\" "
      "paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">";
  for (size_t region_idx = 0; region_idx < map.regions.size(); ++region_idx) {
    const MapRegion& region = map.regions[region_idx];
    double x = anchors[region_idx].x, y = anchors[region_idx].y;
    std::string anchor = "middle";
    if (region.dot) {
      // A city too small to see on the map: a dot in its class colour.
      svg += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#1d2733\" "
          "stroke-width=\"1.2\"/>",
          SvgNumber(x), SvgNumber(y), any_value ? color_of(region_idx) : "#1d2733");
      if (region.label_dx != 0.0 || region.label_dy != 0.0) {
        svg += fmt::format(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#5b6673\" "
            "stroke-width=\"0.8\"/>",
            SvgNumber(x), SvgNumber(y), SvgNumber(x + region.label_dx * 0.85),
            SvgNumber(y + region.label_dy * 0.85));
      }
      x += region.label_dx;
      y += region.label_dy;
      anchor = region.label_dx > 0 ? "start" : region.label_dx < 0 ? "end" : "middle";
    }
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"><tspan font-weight=\"600\">{}"
        "</tspan>",
        SvgNumber(x), SvgNumber(y), anchor, EscapeHtml(region.label));
    if (any_value && map.show_values) {
      svg += fmt::format(
          "<tspan x=\"{}\" dy=\"13\" font-size=\"10.5\">{}</tspan>", SvgNumber(x),
          std::isnan(region.value) ? "n/a" : FormatThousands(region.value, map.decimals, true));
    }
    svg += "</text>";
  }
  svg += "</g>";

  // Legend below the map.
  if (any_value) {
    const double box_w = 56, box_h = 12, legend_x = pad, legend_y = map_h + 20;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" "
        "fill=\"#1d2733\">{}</text>",
        SvgNumber(legend_x), SvgNumber(legend_y - 6), EscapeHtml(map.legend_title));
    for (int class_idx = 0; class_idx < 6; ++class_idx) {
      const double x = legend_x + class_idx * box_w;
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"/>",
          SvgNumber(x), SvgNumber(legend_y), box_w, box_h, kDiverging[class_idx]);
    }
    // Inner class edges at the box boundaries; the outer classes are open-ended. One format for
    // every edge: as many decimals as the finest edge needs (0.05 -> 2), so no two edges read
    // the same.
    int decimals = 0;
    for (double edge : edges) {
      while (decimals < 6 && std::abs(edge * std::pow(10.0, decimals) -
                                      std::round(edge * std::pow(10.0, decimals))) > 1e-6) {
        ++decimals;
      }
    }
    for (int edge_idx = 1; edge_idx <= 5; ++edge_idx) {
      svg += fmt::format(
          "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" "
          "fill=\"#5b6673\">{}</text>",
          SvgNumber(legend_x + edge_idx * box_w), SvgNumber(legend_y + box_h + 12),
          FormatThousands(edges[edge_idx], decimals, true));
    }
    if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
      const double x = legend_x + 6 * box_w + 24;
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>"
          "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#5b6673\">{}</text>",
          SvgNumber(x), SvgNumber(legend_y), box_h * 2, box_h, kNoData,
          SvgNumber(x + box_h * 2 + 4), SvgNumber(legend_y + 10),
          EscapeHtml(Msg(map.lang, "no_data")));
    }
  }
  svg += MapCredit("", map.width - 4, height - 4, map.lang);
  svg += "</svg>";
  return svg;
}

}  // namespace kazmig::report

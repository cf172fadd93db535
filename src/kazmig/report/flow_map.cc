// The flow map of the report's "Flows" section (declared in flows_section.h): arrows with ports
// and labels kept off them, and enlarged insets of the city-region clusters.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/flows_section.h"
#include "kazmig/report/map_frame.h"

namespace kazmig::report {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kFontSize = 13;  // region names, on the map and in the insets

struct Box {
  double x0, y0, x1, y1;
  bool Overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool Contains(const ScreenPoint& p) const {
    return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
  }
  Box Grown(double by) const { return {x0 - by, y0 - by, x1 + by, y1 + by}; }
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

double Apart(const ScreenPoint& a, const ScreenPoint& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

// Whether (x, y) lies inside `ring` (even-odd rule); points with .x and .y.
template <typename Point>
bool InsideRing(const std::vector<Point>& ring, double x, double y) {
  bool inside = false;
  for (size_t idx = 0, prev = ring.size() - 1; idx < ring.size(); prev = idx++) {
    if ((ring[idx].y > y) != (ring[prev].y > y) &&
        x < (ring[prev].x - ring[idx].x) * (y - ring[idx].y) / (ring[prev].y - ring[idx].y) +
                ring[idx].x) {
      inside = !inside;
    }
  }
  return !ring.empty() && inside;
}

// The outer ring of a feature's largest polygon (by the shoelace area of its coordinates).
const io::GeoRing* LargestOuterRing(const io::GeoFeature& feature) {
  const io::GeoRing* best = nullptr;
  double best_area = 0;
  for (const io::GeoPolygon& polygon : feature.polygons) {
    if (polygon.rings.empty()) continue;
    const io::GeoRing& ring = polygon.rings[0];
    double twice = 0;
    for (size_t idx = 0; idx < ring.size(); ++idx) {
      const io::GeoPoint& a = ring[idx];
      const io::GeoPoint& b = ring[(idx + 1) % ring.size()];
      twice += a.x * b.y - b.x * a.y;
    }
    if (std::abs(twice) / 2 > best_area) {
      best_area = std::abs(twice) / 2;
      best = &ring;
    }
  }
  return best;
}

// Ports: the arrows at a region end on a small ring around its dot, spread by the direction they
// come from, so that arrows converging on a city (Astana, Almaty) do not pile up on one point.
// Adjacent ends are at least their half-`room`s plus 3 px apart (room: the arrow's width, or its
// head's); the ring's radius is `spread` times what they need (at least `min_radius`).
void Ports(const std::vector<ScreenPoint>& node, const std::vector<app::Corridor>& arrows,
           const std::vector<double>& widths, double min_radius, double spread,
           std::vector<ScreenPoint>* start_port, std::vector<ScreenPoint>* end_port) {
  struct End {
    size_t arrow;
    bool destination;
    double angle;  // radians, screen
    double width;
  };
  std::map<size_t, std::vector<End>> ends_at;
  for (size_t arrow_idx = 0; arrow_idx < arrows.size(); ++arrow_idx) {
    const app::Corridor& arrow = arrows[arrow_idx];
    const ScreenPoint& a = node[arrow.origin];
    const ScreenPoint& b = node[arrow.destination];
    const double width = widths[arrow_idx];
    ends_at[arrow.origin].push_back({arrow_idx, false, std::atan2(b.y - a.y, b.x - a.x), width});
    ends_at[arrow.destination].push_back(
        {arrow_idx, true, std::atan2(a.y - b.y, a.x - b.x), width});
  }
  start_port->assign(arrows.size(), {});
  end_port->assign(arrows.size(), {});
  for (auto& [region_idx, list] : ends_at) {
    std::sort(list.begin(), list.end(),
              [](const End& a, const End& b) { return a.angle < b.angle; });
    double need = 0;
    for (const End& end : list) need += end.width + 3;
    const double radius = std::max(min_radius, spread * need / kTwoPi);
    // Relax: push adjacent ends apart until each pair has its room (or 60 rounds).
    for (int round = 0; round < 60 && list.size() > 1; ++round) {
      bool moved = false;
      for (size_t idx = 0; idx < list.size(); ++idx) {
        End& a = list[idx];
        End& b = list[(idx + 1) % list.size()];
        double gap = b.angle - a.angle;
        if (idx + 1 == list.size()) gap += kTwoPi;
        const double room = ((a.width + b.width) / 2 + 3) / radius;
        if (gap < room) {
          a.angle -= (room - gap) / 2;
          b.angle += (room - gap) / 2;
          moved = true;
        }
      }
      if (!moved) break;
    }
    const ScreenPoint& centre = node[region_idx];
    for (const End& end : list) {
      const ScreenPoint port{centre.x + radius * std::cos(end.angle),
                             centre.y + radius * std::sin(end.angle)};
      (end.destination ? *end_port : *start_port)[end.arrow] = port;
    }
  }
}

// The widest an arrowhead of an arrow `width` wide is (see ShapeArrow).
double HeadWidth(double width) { return 2 * (2.5 + 0.9 * width); }

// One arrow as a quadratic curve from its start port to the base of its head, and the head.
struct ArrowShape {
  double x0, y0, cx, cy, x1, y1;  // the curve's ends (x1, y1: the tip) and control point
  double base_x, base_y, tx, ty, half, width;

  ScreenPoint At(double t) const {
    return {(1 - t) * (1 - t) * x0 + 2 * t * (1 - t) * cx + t * t * x1,
            (1 - t) * (1 - t) * y0 + 2 * t * (1 - t) * cy + t * t * y1};
  }
  // Boxes along the curve (`steps` + 1 samples; only those inside `within` when given), to keep
  // labels off the arrow. `drawn`: along the drawn shaft (to the head's base) and over the head,
  // else along the curve to the tip (the map's own labels, placed so since issue 19).
  void Sample(int steps, const Box* within, bool drawn, std::vector<Box>* boxes) const {
    auto add = [&](const ScreenPoint& p, double r) {
      const Box box{p.x - r, p.y - r, p.x + r, p.y + r};
      if (within == nullptr || within->Overlaps(box)) boxes->push_back(box);
    };
    for (int step = 0; step <= steps; ++step) {
      const double t = step / static_cast<double>(steps);
      if (!drawn) {
        add(At(t), width / 2 + 1);
        continue;
      }
      add({(1 - t) * (1 - t) * x0 + 2 * t * (1 - t) * cx + t * t * base_x,
           (1 - t) * (1 - t) * y0 + 2 * t * (1 - t) * cy + t * t * base_y},
          width / 2 + 1);
    }
    if (drawn) {
      for (double t = 0; t <= 1.0001; t += 0.25) {
        add({base_x + t * (x1 - base_x), base_y + t * (y1 - base_y)}, half * (1 - t) + 1);
      }
    }
  }
};

ArrowShape ShapeArrow(const ScreenPoint& start, const ScreenPoint& end, double width) {
  ArrowShape s{};
  s.x0 = start.x;
  s.y0 = start.y;
  s.x1 = end.x;
  s.y1 = end.y;
  s.width = width;
  const double dx = s.x1 - s.x0, dy = s.y1 - s.y0;
  const double length = std::max(std::hypot(dx, dy), 1e-9);
  // Bend to the right of the direction of travel: A->B and B->A do not overlap.
  const double bend = std::max(0.2 * length, std::min(18.0, 0.6 * length));
  s.cx = (s.x0 + s.x1) / 2 + bend * dy / length;
  s.cy = (s.y0 + s.y1) / 2 - bend * dx / length;
  // Short corridors (a city and its surrounding region) get a smaller head.
  const double head = std::min(6.0 + 1.3 * width, 0.4 * length);
  // The tip is the destination's port; the curve ends at the head's base.
  double tx = s.x1 - s.cx, ty = s.y1 - s.cy;
  const double tangent = std::max(std::hypot(tx, ty), 1e-9);
  s.tx = tx / tangent;
  s.ty = ty / tangent;
  s.base_x = s.x1 - head * s.tx;
  s.base_y = s.y1 - head * s.ty;
  s.half = std::min(HeadWidth(width) / 2, 0.8 * head);
  return s;
}

std::string ArrowSvg(const FlowMap& map, const app::Corridor& arrow, const ArrowShape& s,
                     const char* css_class) {
  return fmt::format(
      "<g class=\"{}\" data-from=\"{}\" data-to=\"{}\" data-flow=\"{:.0f}\"><title>{}</title>"
      "<path d=\"M{},{} Q{},{} {},{}\" stroke-width=\"{}\"/>"
      "<polygon points=\"{},{} {},{} {},{}\" fill=\"#b35806\" fill-opacity=\"0.85\" "
      "stroke=\"none\"/></g>",
      css_class, EscapeHtml(map.names[arrow.origin]), EscapeHtml(map.names[arrow.destination]),
      arrow.flow,
      EscapeHtml(Tr(map.lang, "flowmap.tooltip", map.names[arrow.origin],
                    map.names[arrow.destination], FormatThousands(arrow.flow),
                    FormatThousands(arrow.low), FormatThousands(arrow.high))),
      SvgNumber(s.x0), SvgNumber(s.y0), SvgNumber(s.cx), SvgNumber(s.cy), SvgNumber(s.base_x),
      SvgNumber(s.base_y), SvgNumber(s.width), SvgNumber(s.x1), SvgNumber(s.y1),
      SvgNumber(s.base_x - s.half * s.ty), SvgNumber(s.base_y + s.half * s.tx),
      SvgNumber(s.base_x + s.half * s.ty), SvgNumber(s.base_y - s.half * s.tx));
}

// Dots and names of regions. Labels (13 px) are placed one by one in `order`, at the first of a
// ring of candidate positions inside `bounds` whose box overlaps nothing in `taken` (placed
// labels, dots) and no arrow box (else, in a second pass, no label and no dot); a label moved away
// from its dot gets a leader line.
struct Labels {
  std::string dots, labels;
  std::vector<Box> boxes;  // the labels'
};

Labels PlaceLabels(const std::vector<std::string>& names, const std::vector<ScreenPoint>& node,
                   const std::vector<size_t>& order, const Box& bounds, std::vector<Box> taken,
                   const std::vector<Box>& arrow_boxes) {
  Labels out;
  for (size_t region_idx : order) {
    const auto [x, y] = node[region_idx];
    const std::string& name = names[region_idx];
    double glyphs = 0;
    for (unsigned char c : name) glyphs += (c & 0xC0) != 0x80 ? 1 : 0;
    const double w = glyphs * kFontSize * 0.56 + 4, h = kFontSize + 2;
    // Candidates: (dx, dy) of the label's centre from the dot, near ones first.
    static constexpr double kCandidates[][2] = {{0, -1}, {0, 1},   {1, 0}, {-1, 0},
                                                {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    Box chosen{};
    double cx = x, cy = y - 10;
    bool found = false, leader = false;
    for (bool avoid_arrows : {true, false}) {
      for (double distance : {1.0, 1.8, 2.6, 3.4, 4.2}) {
        for (const auto& candidate : kCandidates) {
          const double dx = candidate[0], dy = candidate[1];
          const double centre_x = x + dx * (w / 2 + 6) * (dx == 0 ? 0 : 1) * distance;
          const double centre_y = y + dy * (h / 2 + 4) * distance;
          const Box box{centre_x - w / 2, centre_y - h / 2, centre_x + w / 2, centre_y + h / 2};
          if (box.x0 < bounds.x0 || box.x1 > bounds.x1 || box.y0 < bounds.y0 ||
              box.y1 > bounds.y1) {
            continue;
          }
          auto hits = [&](const Box& other) { return box.Overlaps(other); };
          if (std::any_of(taken.begin(), taken.end(), hits)) continue;
          if (avoid_arrows && std::any_of(arrow_boxes.begin(), arrow_boxes.end(), hits)) continue;
          chosen = box;
          cx = centre_x;
          cy = centre_y;
          found = true;
          leader = distance > 1.0;
          break;
        }
        if (found) break;
      }
      if (found) break;
    }
    if (!found) chosen = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    taken.push_back(chosen);
    out.boxes.push_back(chosen);
    out.dots += fmt::format(
        "<circle data-region=\"{}\" cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"#1d2733\" "
        "stroke=\"#fff\"/>",
        EscapeHtml(name), SvgNumber(x), SvgNumber(y));
    if (leader) {
      const double lx = std::clamp(x, chosen.x0, chosen.x1);
      const double ly = std::clamp(y, chosen.y0, chosen.y1);
      out.labels += fmt::format(
          "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#5b6673\" "
          "stroke-width=\"0.8\"/>",
          SvgNumber(x), SvgNumber(y), SvgNumber(lx), SvgNumber(ly));
    }
    out.labels += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", SvgNumber(cx),
                              SvgNumber(cy + kFontSize * 0.35), EscapeHtml(name));
  }
  return out;
}

std::string LabelGroup(const char* css_class, const Labels& labels) {
  return fmt::format(
             "<g class=\"dots\">{}</g>"
             "<g class=\"{}\" font-size=\"{}\" font-weight=\"600\" fill=\"#1d2733\" "
             "text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#ffffff\" "
             "stroke-width=\"3.5\" stroke-linejoin=\"round\">",
             labels.dots, css_class, kFontSize) +
         labels.labels + "</g>";
}

// A coarse raster of what is drawn (cells of `cell` pixels) with a summed-area table, to find
// empty rectangles for the insets.
class Occupancy {
 public:
  Occupancy(double width, double height, double cell)
      : cell_(cell),
        cols_(static_cast<size_t>(std::ceil(width / cell))),
        rows_(static_cast<size_t>(std::ceil(height / cell))),
        width_(width),
        height_(height),
        mark_(cols_ * rows_, 0) {}

  // The inside of a ring (even-odd along each row of cell centres).
  void FillRing(const std::vector<ScreenPoint>& ring) {
    std::vector<double> xs;
    for (size_t row = 0; row < rows_; ++row) {
      const double y = (row + 0.5) * cell_;
      xs.clear();
      for (size_t idx = 0, prev = ring.size() - 1; idx < ring.size(); prev = idx++) {
        const ScreenPoint& a = ring[idx];
        const ScreenPoint& b = ring[prev];
        if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
      }
      std::sort(xs.begin(), xs.end());
      for (size_t idx = 0; idx + 1 < xs.size(); idx += 2) MarkRow(row, xs[idx], xs[idx + 1]);
    }
  }
  void FillBox(const Box& box) {
    for (size_t row = 0; row < rows_; ++row) {
      if ((row + 1) * cell_ <= box.y0 || row * cell_ >= box.y1) continue;
      MarkRow(row, box.x0, box.x1);
    }
  }
  // Call after filling, before Free.
  void Sum() {
    sum_.assign((rows_ + 1) * (cols_ + 1), 0);
    for (size_t row = 0; row < rows_; ++row) {
      for (size_t col = 0; col < cols_; ++col) {
        sum_[(row + 1) * (cols_ + 1) + col + 1] =
            mark_[row * cols_ + col] + sum_[row * (cols_ + 1) + col + 1] +
            sum_[(row + 1) * (cols_ + 1) + col] - sum_[row * (cols_ + 1) + col];
      }
    }
  }
  // Whether `box` lies inside the raster and touches no marked cell.
  bool Free(const Box& box) const {
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > width_ || box.y1 > height_) return false;
    const size_t c0 = static_cast<size_t>(box.x0 / cell_);
    const size_t r0 = static_cast<size_t>(box.y0 / cell_);
    const size_t c1 = std::min(cols_, static_cast<size_t>(std::ceil(box.x1 / cell_)));
    const size_t r1 = std::min(rows_, static_cast<size_t>(std::ceil(box.y1 / cell_)));
    const size_t w = cols_ + 1;
    return sum_[r1 * w + c1] - sum_[r0 * w + c1] - sum_[r1 * w + c0] + sum_[r0 * w + c0] == 0;
  }

 private:
  void MarkRow(size_t row, double x0, double x1) {
    const double lo = std::clamp(x0 / cell_, 0.0, static_cast<double>(cols_ - 1));
    const double hi = std::clamp(x1 / cell_, 0.0, static_cast<double>(cols_ - 1));
    for (size_t col = static_cast<size_t>(lo); col <= static_cast<size_t>(hi); ++col) {
      mark_[row * cols_ + col] = 1;
    }
  }

  double cell_;
  size_t cols_, rows_;
  double width_, height_;
  std::vector<int> mark_;
  std::vector<int> sum_;
};

// The approximate width of a text of `size` pixels.
double TextWidth(std::string_view text, double size) {
  double glyphs = 0;
  for (unsigned char c : text) glyphs += (c & 0xC0) != 0x80 ? 1 : 0;
  return glyphs * size * 0.56;
}

}  // namespace

std::vector<FlowInset> FindFlowInsets(const FlowMap& map) {
  std::vector<FlowInset> insets;
  if (map.features == nullptr || map.features->size() != map.names.size() ||
      map.anchors.size() != map.names.size()) {
    return insets;
  }
  std::set<size_t> ends;
  for (const app::Corridor& arrow : map.arrows) {
    if (arrow.origin < map.names.size()) ends.insert(arrow.origin);
    if (arrow.destination < map.names.size()) ends.insert(arrow.destination);
  }
  for (size_t city : ends) {
    for (size_t around : ends) {
      if (city == around) continue;
      const io::GeoRing* ring = LargestOuterRing((*map.features)[around]);
      if (ring == nullptr || !InsideRing(*ring, map.anchors[city].x, map.anchors[city].y)) {
        continue;
      }
      auto holds = [&](const FlowInset& inset) {
        return std::find(inset.regions.begin(), inset.regions.end(), around) !=
                   inset.regions.end() ||
               std::find(inset.regions.begin(), inset.regions.end(), city) != inset.regions.end();
      };
      const auto it = std::find_if(insets.begin(), insets.end(), holds);
      if (it == insets.end()) {
        insets.push_back({{city, around}});
        continue;
      }
      for (size_t region : {city, around}) {
        if (std::find(it->regions.begin(), it->regions.end(), region) == it->regions.end()) {
          it->regions.push_back(region);
        }
      }
    }
  }
  std::stable_sort(insets.begin(), insets.end(), [&](const FlowInset& a, const FlowInset& b) {
    return map.anchors[a.regions[0]].y > map.anchors[b.regions[0]].y;
  });
  return insets;
}

std::string RenderFlowMap(const FlowMap& map) {
  if (map.features == nullptr || map.features->size() != map.names.size() ||
      map.anchors.size() != map.names.size()) {
    throw ComputeError("internal: RenderFlowMap: one feature, name and anchor per region");
  }
  for (const app::Corridor& arrow : map.arrows) {
    if (arrow.origin >= map.names.size() || arrow.destination >= map.names.size()) {
      throw ComputeError("internal: RenderFlowMap: an arrow refers to no region");
    }
  }
  for (const FlowInset& inset : map.insets) {
    for (size_t region : inset.regions) {
      if (region >= map.names.size()) {
        throw ComputeError("internal: RenderFlowMap: an inset refers to no region");
      }
    }
  }
  // The same framing as the choropleth: the projected outer rings fill the width.
  const MapFrame frame(*map.features, map.width);
  const double pad = MapFrame::kPad;
  const double map_h = frame.map_height();
  const double legend_h = 64.0;
  auto screen = [&](const io::GeoPoint& point) { return frame.Screen(point); };

  // Every ring, projected (the outer rings are index 0 of each polygon).
  std::vector<std::vector<std::vector<ScreenPoint>>> rings(map.names.size());
  std::vector<Box> region_box(map.names.size(), Box{1e300, 1e300, -1e300, -1e300});
  for (size_t region_idx = 0; region_idx < map.names.size(); ++region_idx) {
    for (const io::GeoPolygon& polygon : (*map.features)[region_idx].polygons) {
      for (const io::GeoRing& ring : polygon.rings) {
        std::vector<ScreenPoint> projected;
        for (const io::GeoPoint& point : ring) {
          projected.push_back(screen(point));
          Box& box = region_box[region_idx];
          box = {std::min(box.x0, projected.back().x), std::min(box.y0, projected.back().y),
                 std::max(box.x1, projected.back().x), std::max(box.y1, projected.back().y)};
        }
        rings[region_idx].push_back(std::move(projected));
      }
    }
  }
  // The path of a region's rings through `to` (screen -> drawing coordinates).
  auto region_path = [&](size_t region_idx, auto to) {
    std::string path;
    for (const std::vector<ScreenPoint>& ring : rings[region_idx]) {
      for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
        const ScreenPoint p = to(ring[point_idx]);
        path += fmt::format("{}{},{}", point_idx == 0 ? "M" : "L", SvgNumber(p.x), SvgNumber(p.y));
      }
      path += "Z";
    }
    return path;
  };

  std::string body =
      "<g class=\"regions\" fill=\"#eef1f4\" stroke=\"#ffffff\" stroke-width=\"0.8\">";
  for (size_t region_idx = 0; region_idx < map.features->size(); ++region_idx) {
    body += fmt::format("<path d=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>",
                        region_path(region_idx, [](const ScreenPoint& p) { return p; }),
                        EscapeHtml(map.names[region_idx]));
  }
  body += "</g>";

  double max_flow = 0;
  for (const app::Corridor& arrow : map.arrows) max_flow = std::max(max_flow, arrow.flow);
  auto width_of = [&](double flow) {
    return max_flow > 0 ? std::max(1.0, map.max_width * flow / max_flow) : 1.0;
  };
  std::vector<double> widths;
  for (const app::Corridor& arrow : map.arrows) widths.push_back(width_of(arrow.flow));
  std::set<size_t> ends;
  for (const app::Corridor& arrow : map.arrows) {
    ends.insert(arrow.origin);
    ends.insert(arrow.destination);
  }
  // Where arrows start and end (screen pixels). A region drawn around a city (Akmola around
  // Astana, Almaty Region around Almaty, Turkistan beside Shymkent) has its centre a few pixels
  // from the city's: within 60 px of another end, the larger region's end moves to its area
  // centroid (when that lies inside it and further away), so the short corridors between them
  // have room.
  std::vector<ScreenPoint> node(map.names.size());
  std::vector<double> area(map.names.size(), 0.0);
  std::vector<ScreenPoint> centroid(map.names.size());
  std::vector<bool> centroid_inside(map.names.size(), false);
  for (size_t region_idx = 0; region_idx < map.names.size(); ++region_idx) {
    node[region_idx] = screen(map.anchors[region_idx]);
    // The largest outer ring, projected.
    const std::vector<ScreenPoint>* best = nullptr;
    double best_area = 0;
    for (const std::vector<ScreenPoint>& ring : rings[region_idx]) {
      double twice = 0, cx = 0, cy = 0;
      for (size_t idx = 0; idx < ring.size(); ++idx) {
        const ScreenPoint& a = ring[idx];
        const ScreenPoint& b = ring[(idx + 1) % ring.size()];
        const double cross = a.x * b.y - b.x * a.y;
        twice += cross;
        cx += (a.x + b.x) * cross;
        cy += (a.y + b.y) * cross;
      }
      if (std::abs(twice) / 2 > best_area && twice != 0) {
        best_area = std::abs(twice) / 2;
        best = &ring;
        centroid[region_idx] = {cx / (3 * twice), cy / (3 * twice)};
      }
    }
    area[region_idx] = best_area;
    centroid_inside[region_idx] =
        best != nullptr && InsideRing(*best, centroid[region_idx].x, centroid[region_idx].y);
  }
  for (size_t a : ends) {
    for (size_t b : ends) {
      if (a == b || area[a] <= area[b] || !centroid_inside[a]) continue;
      if (Apart(node[a], node[b]) < 60 && Apart(centroid[a], node[b]) > Apart(node[a], node[b])) {
        node[a] = centroid[a];
      }
    }
  }
  std::vector<ScreenPoint> start_port, end_port;
  Ports(node, map.arrows, widths, 7, 1.15, &start_port, &end_port);
  // Largest first, so that thinner arrows stay visible on top; their sampled boxes keep labels
  // off them.
  std::string flows =
      "<g class=\"flows\" fill=\"none\" stroke=\"#b35806\" stroke-opacity=\"0.72\" "
      "stroke-linecap=\"round\">";
  std::vector<Box> arrow_boxes;
  for (size_t arrow_idx = 0; arrow_idx < map.arrows.size(); ++arrow_idx) {
    const ArrowShape shape =
        ShapeArrow(start_port[arrow_idx], end_port[arrow_idx], widths[arrow_idx]);
    shape.Sample(16, nullptr, false, &arrow_boxes);
    flows += ArrowSvg(map, map.arrows[arrow_idx], shape, "flow-arrow");
  }
  flows += "</g>";
  // Labels of the regions the arrows connect, the most connected regions first.
  std::map<size_t, int> degree;
  for (const app::Corridor& arrow : map.arrows) {
    ++degree[arrow.origin];
    ++degree[arrow.destination];
  }
  std::vector<size_t> label_order(ends.begin(), ends.end());
  std::stable_sort(label_order.begin(), label_order.end(),
                   [&](size_t a, size_t b) { return degree[a] > degree[b]; });
  std::vector<Box> dot_boxes;
  for (size_t region_idx : ends) {
    const auto [x, y] = node[region_idx];
    dot_boxes.push_back({x - 4, y - 4, x + 4, y + 4});
  }
  const Labels labels =
      PlaceLabels(map.names, node, label_order, {0, 0, static_cast<double>(map.width), map_h},
                  dot_boxes, arrow_boxes);

  // The legend's box (below the map, at the left).
  double legend_w = TextWidth(map.legend_title, 12);
  std::vector<double> samples;
  if (max_flow > 0) {
    for (double tick : NiceTicks(0, max_flow, 3)) {
      if (tick > 0 && tick <= max_flow) samples.push_back(tick);
    }
    if (samples.empty()) samples.push_back(max_flow);
    legend_w = std::max(legend_w, 120.0 * static_cast<double>(samples.size()));
  }
  // Below the map at the left; with insets, at the top left when that corner is empty.
  double legend_y = map_h + 22;
  auto legend_box = [&] { return Box{pad, legend_y - 18, pad + legend_w, legend_y + 24}; };

  // Insets: the window each enlarges (map pixels: its regions' ends with a margin that holds
  // their ports and arrowheads, and their names beside them, at least 72 x 44) and where its frame
  // goes: the empty place nearest to the window, outside the country and clear of labels, dots,
  // arrows, the legend and the other insets, each pixel the picture grows at the bottom
  // counting 1.5 (frames are `inset_zoom` times their windows). The insets are placed one after
  // the other, in the order (of all orders, up to four insets) whose total cost is the least.
  struct Placed {
    const FlowInset* inset;
    Box window, frame;
    double zoom;
    std::vector<size_t> members;  // the regions named in it
  };
  std::vector<Placed> placed;
  double bottom = map_h + legend_h;  // the picture's height
  // The ring of ports in an inset: at least kInsetRing px, kInsetSpread times what the ends need.
  constexpr double kInsetRing = 10, kInsetSpread = 1.2;
  if (!map.insets.empty()) {
    constexpr double kExtension = 320;  // how far below the map an inset may go
    constexpr double kCell = 4;
    constexpr double kGrow = 1.5, kMargin = 20;
    std::vector<Box> obstacles = labels.boxes;
    obstacles.insert(obstacles.end(), dot_boxes.begin(), dot_boxes.end());
    obstacles.insert(obstacles.end(), arrow_boxes.begin(), arrow_boxes.end());
    Occupancy base(map.width, map_h + kExtension, kCell);
    for (const auto& region_rings : rings) {
      for (const std::vector<ScreenPoint>& ring : region_rings) base.FillRing(ring);
    }
    for (const Box& box : obstacles) base.FillBox(box);
    base.Sum();
    legend_y = 22;
    if (!base.Free(legend_box().Grown(4))) legend_y = map_h + 22;
    if (legend_y < map_h) bottom = map_h + 20;  // room for the credit line
    base.FillBox(legend_box().Grown(4));
    base.Sum();
    const double zoom = std::max(1.0, map.inset_zoom);
    std::vector<Box> windows;
    for (const FlowInset& inset : map.insets) {
      Box window{1e300, 1e300, -1e300, -1e300};
      for (size_t region : inset.regions) {
        // The ring and the longest arrowhead at this end, in map pixels.
        double need = 0, head = 0;
        for (size_t arrow_idx = 0; arrow_idx < map.arrows.size(); ++arrow_idx) {
          const app::Corridor& arrow = map.arrows[arrow_idx];
          if (arrow.origin != region && arrow.destination != region) continue;
          need += HeadWidth(widths[arrow_idx]) + 3;
          head = std::max(head, 6.0 + 1.3 * widths[arrow_idx]);
        }
        const double ring = std::max(kInsetRing, kInsetSpread * need / kTwoPi);
        const double margin = std::max(kMargin, (ring + head + 4) / zoom);
        // Room for the name beside the dot, left or right.
        const double margin_x =
            std::max(margin, (TextWidth(map.names[region], kFontSize) + 14) / zoom);
        window = {std::min(window.x0, node[region].x - margin_x),
                  std::min(window.y0, node[region].y - margin),
                  std::max(window.x1, node[region].x + margin_x),
                  std::max(window.y1, node[region].y + margin)};
      }
      const double grow_x = std::max(0.0, 72 - window.width()) / 2;
      const double grow_y = std::max(0.0, 44 - window.height()) / 2;
      windows.push_back(
          {window.x0 - grow_x, window.y0 - grow_y, window.x1 + grow_x, window.y1 + grow_y});
    }
    // The best place of window `idx` given what is taken; its cost (1e300: none).
    auto place = [&](size_t idx, const Occupancy& occupied, Box* frame_out) {
      const Box& window = windows[idx];
      const ScreenPoint want{(window.x0 + window.x1) / 2, (window.y0 + window.y1) / 2};
      double best_cost = 1e300;
      const double fw = window.width() * zoom, fh = window.height() * zoom;
      for (double y = 2; y + fh <= map_h + kExtension - 24; y += kCell) {
        for (double x = 2; x + fw <= map.width - 2; x += kCell) {
          const Box candidate{x, y, x + fw, y + fh};
          const double cost = Apart({x + fw / 2, y + fh / 2}, want) +
                              kGrow * std::max(0.0, candidate.y1 + 18 - bottom);
          // 6 px clear of everything, at least 2 px inside the picture.
          const Box clear{std::max(0.0, x - 6), std::max(0.0, y - 6),
                          std::min(static_cast<double>(map.width), x + fw + 6), y + fh + 6};
          if (cost >= best_cost || !occupied.Free(clear)) continue;
          best_cost = cost;
          *frame_out = candidate;
        }
      }
      return best_cost;
    };
    std::vector<size_t> order(windows.size());
    for (size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
    double best_total = 1e300;
    std::vector<Placed> best_placed;
    do {
      Occupancy occupied = base;
      std::vector<Placed> tried(windows.size());
      double total = 0;
      double low = bottom;
      for (size_t idx : order) {
        Placed& p = tried[idx];
        p.inset = &map.insets[idx];
        p.window = windows[idx];
        p.zoom = zoom;
        const double cost = place(idx, occupied, &p.frame);
        if (cost == 1e300) {  // no room: below everything
          const double fw = p.window.width() * p.zoom, fh = p.window.height() * p.zoom;
          p.frame = {map.width - 4 - fw, low, map.width - 4.0, low + fh};
          total += 1e6;
        } else {
          total += cost;
        }
        low = std::max(low, p.frame.y1 + 18);
        occupied.FillBox(p.frame.Grown(4));
        occupied.Sum();
      }
      if (total < best_total) {
        best_total = total;
        best_placed = std::move(tried);
      }
    } while (order.size() <= 4 && std::next_permutation(order.begin(), order.end()));
    placed = std::move(best_placed);
    for (Placed& p : placed) {
      p.members = p.inset->regions;
      for (size_t region : ends) {
        if (p.window.Grown(-4).Contains(node[region]) &&
            std::find(p.members.begin(), p.members.end(), region) == p.members.end()) {
          p.members.push_back(region);
        }
      }
      bottom = std::max(bottom, p.frame.y1 + 18);
    }
  }
  const double height = bottom;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "class=\"flow-map\" font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\">"
      "<title>{}</title><desc>{}</desc>",
      map.width, SvgNumber(height), EscapeHtml(map.title),
      EscapeHtml(Tr(map.lang, "flowmap.desc", map.arrows.size())));
  svg += body;
  // The enlarged areas, outlined under the arrows.
  for (const Placed& p : placed) {
    svg += fmt::format(
        "<rect class=\"inset-outline\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
        "stroke=\"#5b6673\" stroke-width=\"1\"/>",
        SvgNumber(p.window.x0), SvgNumber(p.window.y0), SvgNumber(p.window.width()),
        SvgNumber(p.window.height()));
  }
  svg += flows;
  svg += LabelGroup("labels", labels);
  // The outlines' numbers: at the first corner, outside the outline, clear of labels and dots.
  std::vector<Box> taken = labels.boxes;
  taken.insert(taken.end(), dot_boxes.begin(), dot_boxes.end());
  for (size_t idx = 0; idx < placed.size(); ++idx) {
    const Box& w = placed[idx].window;
    const std::string number = std::to_string(idx + 1);
    const double tw = TextWidth(number, 12) + 2, th = 12;
    const Box corners[] = {{w.x0 - tw - 2, w.y0 - th - 1, w.x0 - 2, w.y0 - 1},
                           {w.x1 + 2, w.y0 - th - 1, w.x1 + tw + 2, w.y0 - 1},
                           {w.x0 - tw - 2, w.y1 + 1, w.x0 - 2, w.y1 + th + 1},
                           {w.x1 + 2, w.y1 + 1, w.x1 + tw + 2, w.y1 + th + 1}};
    Box key = corners[0];
    for (const Box& corner : corners) {
      if (std::none_of(taken.begin(), taken.end(),
                       [&](const Box& other) { return corner.Overlaps(other); })) {
        key = corner;
        break;
      }
    }
    taken.push_back(key);
    svg += fmt::format(
        "<text class=\"inset-key\" x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"700\" "
        "fill=\"#1d2733\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#ffffff\" "
        "stroke-width=\"3\">{}</text>",
        SvgNumber((key.x0 + key.x1) / 2), SvgNumber(key.y1 - 2), number);
  }

  // The insets: a nested <svg> (clipping at its frame) in the window's coordinates times zoom.
  for (size_t idx = 0; idx < placed.size(); ++idx) {
    const Placed& p = placed[idx];
    const double zoom = p.zoom;
    const double fw = p.frame.width(), fh = p.frame.height();
    auto local = [&](const ScreenPoint& q) {
      return ScreenPoint{(q.x - p.window.x0) * zoom, (q.y - p.window.y0) * zoom};
    };
    std::string names;
    for (size_t region : p.inset->regions) {
      names += (names.empty() ? "" : ";") + EscapeHtml(map.names[region]);
    }
    svg += fmt::format(
        "<g class=\"inset\" data-regions=\"{}\" data-window=\"{},{},{},{}\" data-zoom=\"{}\">"
        "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
        "overflow=\"hidden\"><rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>"
        "<g class=\"inset-regions\" fill=\"#eef1f4\" stroke=\"#ffffff\" stroke-width=\"1.5\">",
        names, SvgNumber(p.window.x0), SvgNumber(p.window.y0), SvgNumber(p.window.x1),
        SvgNumber(p.window.y1), SvgNumber(zoom), SvgNumber(p.frame.x0), SvgNumber(p.frame.y0),
        SvgNumber(fw), SvgNumber(fh), SvgNumber(fw), SvgNumber(fh), SvgNumber(fw), SvgNumber(fh));
    for (size_t region_idx = 0; region_idx < map.names.size(); ++region_idx) {
      if (!region_box[region_idx].Overlaps(p.window)) continue;
      svg += fmt::format("<path d=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>",
                         region_path(region_idx, local), EscapeHtml(map.names[region_idx]));
    }
    svg += "</g>";
    // Every arrow that starts or ends at a region of the inset, its ports placed anew.
    auto in_inset = [&](size_t region) {
      return std::find(p.members.begin(), p.members.end(), region) != p.members.end();
    };
    std::vector<app::Corridor> arrows;
    std::vector<double> inset_widths;
    for (size_t arrow_idx = 0; arrow_idx < map.arrows.size(); ++arrow_idx) {
      const app::Corridor& arrow = map.arrows[arrow_idx];
      if (in_inset(arrow.origin) || in_inset(arrow.destination)) {
        arrows.push_back(arrow);
        inset_widths.push_back(widths[arrow_idx]);
      }
    }
    std::vector<ScreenPoint> inset_node(map.names.size());
    for (size_t region : ends) inset_node[region] = local(node[region]);
    std::vector<ScreenPoint> starts, stops;
    // A wider ring than on the map: the ends there have room.
    std::vector<double> rooms;
    for (double width : inset_widths) rooms.push_back(HeadWidth(width));
    Ports(inset_node, arrows, rooms, kInsetRing, kInsetSpread, &starts, &stops);
    const Box bounds{0, 0, fw, fh};
    std::vector<Box> inset_arrow_boxes;
    svg +=
        "<g class=\"flows\" fill=\"none\" stroke=\"#b35806\" stroke-opacity=\"0.72\" "
        "stroke-linecap=\"round\">";
    for (size_t arrow_idx = 0; arrow_idx < arrows.size(); ++arrow_idx) {
      const ArrowShape shape =
          ShapeArrow(starts[arrow_idx], stops[arrow_idx], inset_widths[arrow_idx]);
      const double length = Apart(starts[arrow_idx], stops[arrow_idx]);
      shape.Sample(std::max(16, static_cast<int>(length / 3)), &bounds, true, &inset_arrow_boxes);
      svg += ArrowSvg(map, arrows[arrow_idx], shape, "inset-arrow");
    }
    svg += "</g>";
    std::vector<size_t> order = p.members;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return degree[a] > degree[b]; });
    std::vector<Box> inset_taken;
    for (size_t region : p.members) {
      const auto [x, y] = inset_node[region];
      inset_taken.push_back({x - 4, y - 4, x + 4, y + 4});
    }
    inset_taken.push_back({0, 0, 22, 20});  // the inset's number
    const Labels inset_labels =
        PlaceLabels(map.names, inset_node, order, bounds.Grown(-3), inset_taken, inset_arrow_boxes);
    svg += LabelGroup("labels inset-labels", inset_labels);
    svg += fmt::format(
        "<rect x=\"0\" y=\"0\" width=\"20\" height=\"18\" fill=\"#1d2733\"/>"
        "<text class=\"inset-number\" x=\"10\" y=\"13.5\" font-size=\"12\" font-weight=\"700\" "
        "fill=\"#ffffff\" text-anchor=\"middle\">{}</text></svg>"
        "<rect class=\"inset-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
        "stroke=\"#5b6673\" stroke-width=\"1\"/></g>",
        idx + 1, SvgNumber(p.frame.x0), SvgNumber(p.frame.y0), SvgNumber(fw), SvgNumber(fh));
  }

  // Legend: three sample widths.
  svg += fmt::format(
      "<g class=\"legend\"><text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" "
      "fill=\"#1d2733\">{}</text>",
      SvgNumber(pad), SvgNumber(legend_y - 6), EscapeHtml(map.legend_title));
  double x = pad;
  for (double sample : samples) {
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#b35806\" "
        "stroke-opacity=\"0.72\" "
        "stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" "
        "fill=\"#5b6673\">{}</text>",
        SvgNumber(x), SvgNumber(legend_y + 14), SvgNumber(x + 40), SvgNumber(legend_y + 14),
        SvgNumber(width_of(sample)), SvgNumber(x + 46), SvgNumber(legend_y + 18),
        FormatThousands(sample));
    x += 120;
  }
  svg += "</g>";
  svg += MapCredit(Msg(map.lang, "flowmap.credit"), map.width - 4, height - 4, map.lang);
  svg += "</svg>";
  return svg;
}

}  // namespace kazmig::report

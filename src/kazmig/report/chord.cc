#include "kazmig/report/chord.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "kazmig/core/error.h"
#include "kazmig/report/html.h"

namespace kazmig::report {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

double Positive(double value) { return std::isnan(value) || value < 0 ? 0.0 : value; }

// A point at `angle` (clockwise from the top) and `radius` around (cx, cy).
std::string Point(double cx, double cy, double radius, double angle) {
  return SvgNumber(cx + radius * std::sin(angle)) + " " + SvgNumber(cy - radius * std::cos(angle));
}

// An arc from a0 to a1 (clockwise) on `radius`, as an SVG "A" command from the current point.
std::string Arc(double cx, double cy, double radius, double a0, double a1) {
  return fmt::format("A {0} {0} 0 {1} 1 {2}", SvgNumber(radius), a1 - a0 > std::numbers::pi ? 1 : 0,
                     Point(cx, cy, radius, a1));
}

// A label of at most 16 characters (UTF-8 aware): a longer name is cut at a word and ends with
// an ellipsis (its tooltip has the whole name).
std::string ShortName(const std::string& name) {
  constexpr size_t kMaxGlyphs = 16;
  std::vector<size_t> starts;  // byte offset of each glyph
  for (size_t at = 0; at < name.size(); ++at) {
    if ((static_cast<unsigned char>(name[at]) & 0xC0) != 0x80) starts.push_back(at);
  }
  if (starts.size() <= kMaxGlyphs) return name;
  size_t cut = starts[kMaxGlyphs - 1];
  const size_t space = name.rfind(' ', cut);
  if (space != std::string::npos && space > starts[kMaxGlyphs / 2]) cut = space;
  return name.substr(0, cut) + "\u2026";
}

}  // namespace

ChordLayout LayoutChord(const std::vector<std::vector<double>>& flows, double gap) {
  const size_t n = flows.size();
  ChordLayout layout;
  layout.start.assign(n, 0);
  layout.end.assign(n, 0);
  auto flow = [&](size_t orig, size_t dest) {
    return orig == dest || dest >= flows[orig].size() ? 0.0 : Positive(flows[orig][dest]);
  };
  std::vector<double> totals(n, 0);
  double grand = 0;
  size_t with_flows = 0;
  for (size_t orig = 0; orig < n; ++orig) {
    for (size_t dest = 0; dest < n; ++dest) {
      totals[orig] += flow(orig, dest);
      totals[dest] += flow(orig, dest);
    }
  }
  for (double total : totals) {
    grand += total;
    if (total > 0) ++with_flows;
  }
  if (grand <= 0) return layout;
  const double scale = std::max(0.0, kTwoPi - gap * static_cast<double>(with_flows)) / grand;
  // Sector arcs, and the cursor of each arc as its ribbons are laid.
  std::vector<double> cursor(n, 0);
  double angle = 0;
  for (size_t sector = 0; sector < n; ++sector) {
    layout.start[sector] = angle;
    layout.end[sector] = angle + totals[sector] * scale;
    cursor[sector] = angle;
    if (totals[sector] > 0) angle = layout.end[sector] + gap;
  }
  // Outflows first, in the order of the destinations.
  for (size_t orig = 0; orig < n; ++orig) {
    for (size_t dest = 0; dest < n; ++dest) {
      const double value = flow(orig, dest);
      if (value <= 0) continue;
      ChordLayout::Ribbon ribbon;
      ribbon.orig = orig;
      ribbon.dest = dest;
      ribbon.value = value;
      ribbon.orig_start = cursor[orig];
      ribbon.orig_end = cursor[orig] += value * scale;
      layout.ribbons.push_back(ribbon);
    }
  }
  // Then the inflows, in the order of the origins (the ribbons are in that order already).
  for (ChordLayout::Ribbon& ribbon : layout.ribbons) {
    ribbon.dest_start = cursor[ribbon.dest];
    ribbon.dest_end = cursor[ribbon.dest] += ribbon.value * scale;
  }
  std::stable_sort(
      layout.ribbons.begin(), layout.ribbons.end(),
      [](const ChordLayout::Ribbon& a, const ChordLayout::Ribbon& b) { return a.value < b.value; });
  return layout;
}

std::string RenderChord(const ChordDiagram& chord) {
  const size_t n = chord.sectors.size();
  if (chord.flows.size() != n) {
    throw ComputeError("internal: RenderChord: one row of flows per sector");
  }
  for (const auto& row : chord.flows) {
    if (row.size() != n) throw ComputeError("internal: RenderChord: one column per sector");
  }
  const double cx = chord.width / 2.0;
  const double cy = chord.height / 2.0;
  // The circle leaves room for the labels: 150 px each side, 60 above and below.
  const double outer = std::min(cx - 150.0, cy - 60.0);
  const double inner = outer - 14;       // the arcs are 14 px thick
  const double ribbon_end = inner - 10;  // a ribbon ends short of its destination's arc
  const ChordLayout layout = LayoutChord(chord.flows, 0.035);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chord\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" aria-label=\"{}\" font-family=\"Source Sans Pro, Noto Sans, Arial, "
      "sans-serif\"><title>{}</title>",
      chord.width, chord.height, EscapeHtml(chord.title), EscapeHtml(chord.title));
  std::vector<double> totals(n, 0);
  for (size_t orig = 0; orig < n; ++orig) {
    for (size_t dest = 0; dest < n; ++dest) {
      if (orig == dest) continue;
      totals[orig] += Positive(chord.flows[orig][dest]);
      totals[dest] += Positive(chord.flows[orig][dest]);
    }
  }
  // Ribbons (smallest first, so the largest are on top).
  out += "<g class=\"ribbons\" fill-opacity=\"0.62\" stroke=\"#ffffff\" stroke-width=\"0.5\">";
  for (const ChordLayout::Ribbon& ribbon : layout.ribbons) {
    const double a0 = ribbon.orig_start, a1 = ribbon.orig_end;
    const double b0 = ribbon.dest_start, b1 = ribbon.dest_end;
    out += fmt::format(
        "<path class=\"ribbon\" data-from=\"{}\" data-to=\"{}\" data-flow=\"{:.0f}\" fill=\"{}\" "
        "d=\"M {} {} Q {} {} {} {} Q {} {} {} Z\"><title>{} \u2192 {}: {}</title></path>",
        EscapeHtml(chord.sectors[ribbon.orig].name), EscapeHtml(chord.sectors[ribbon.dest].name),
        ribbon.value, EscapeHtml(chord.sectors[ribbon.orig].color), Point(cx, cy, inner, a0),
        Arc(cx, cy, inner, a0, a1), SvgNumber(cx), SvgNumber(cy), Point(cx, cy, ribbon_end, b0),
        Arc(cx, cy, ribbon_end, b0, b1), SvgNumber(cx), SvgNumber(cy), Point(cx, cy, inner, a0),
        EscapeHtml(chord.sectors[ribbon.orig].name), EscapeHtml(chord.sectors[ribbon.dest].name),
        FormatThousands(ribbon.value));
  }
  out += "</g>";
  // Arcs, and where their labels go: outside the arc's middle, horizontal, anchored away from
  // the circle; labels on one side that would overlap are pushed apart and joined to their arc by
  // a leader line.
  struct Label {
    size_t sector;
    double anchor_x, anchor_y;  // on the arc
    double x, y;                // the label's first baseline
    double natural_y;           // the baseline before labels were pushed apart
    bool right;
  };
  std::vector<Label> labels;
  for (size_t sector = 0; sector < n; ++sector) {
    const double a0 = layout.start[sector], a1 = layout.end[sector];
    if (a1 <= a0) continue;
    const ChordSector& info = chord.sectors[sector];
    out += fmt::format(
        "<path class=\"sector\" fill=\"{}\" d=\"M {} {} L {} {} Z\"><title>{}: {}</title></path>",
        EscapeHtml(info.color), Point(cx, cy, outer, a0), Arc(cx, cy, outer, a0, a1),
        Point(cx, cy, inner, a1),
        fmt::format("A {0} {0} 0 {1} 0 {2}", SvgNumber(inner), a1 - a0 > std::numbers::pi ? 1 : 0,
                    Point(cx, cy, inner, a0)),
        EscapeHtml(info.name), FormatThousands(totals[sector]));
    const double mid = (a0 + a1) / 2;
    Label label;
    label.sector = sector;
    label.anchor_x = cx + (outer + 2) * std::sin(mid);
    label.anchor_y = cy - (outer + 2) * std::cos(mid);
    label.right = std::sin(mid) >= 0;
    label.x = cx + (outer + 12) * std::sin(mid);
    // The two lines of a label sit around the arc's point (above it near the top, below it near
    // the bottom).
    label.y = cy - (outer + 12) * std::cos(mid) - 3 - 17 * std::cos(mid);
    label.natural_y = label.y;
    labels.push_back(label);
  }
  constexpr double kLineGap = 34;  // two lines of text
  for (bool right : {false, true}) {
    std::vector<Label*> side;
    for (Label& label : labels) {
      if (label.right == right) side.push_back(&label);
    }
    std::sort(side.begin(), side.end(), [](const Label* a, const Label* b) { return a->y < b->y; });
    for (size_t idx = 1; idx < side.size(); ++idx) {
      side[idx]->y = std::max(side[idx]->y, side[idx - 1]->y + kLineGap);
    }
    // Back up from the bottom edge when the stack runs past it.
    const double bottom = chord.height - 20.0;
    for (size_t idx = side.size(); idx-- > 0;) {
      const double limit = idx + 1 < side.size() ? side[idx + 1]->y - kLineGap : bottom;
      side[idx]->y = std::min(side[idx]->y, limit);
    }
  }
  for (const Label& label : labels) {
    const ChordSector& info = chord.sectors[label.sector];
    const double y = label.y;
    double x = label.x;
    const char* anchor = label.right ? "start" : "end";
    // A label moved off its arc: a leader line from the arc, the label beside its end.
    if (std::abs(y - label.natural_y) > 4) {
      // The label column beside the circle.
      x = label.right ? cx + outer + 22 : cx - outer - 22;
      out += fmt::format(
          "<polyline class=\"leader\" fill=\"none\" stroke=\"#8a949e\" stroke-width=\"0.8\" "
          "points=\"{},{} {},{}\"/>",
          SvgNumber(label.anchor_x), SvgNumber(label.anchor_y),
          SvgNumber(x + (label.right ? -3 : 3)), SvgNumber(y - 5));
    }
    out += fmt::format(
        "<text class=\"sector-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"14\" "
        "font-weight=\"600\" fill=\"#1d2733\" paint-order=\"stroke\" stroke=\"#ffffff\" "
        "stroke-width=\"3\">{}<title>{}</title></text>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"13\" fill=\"#5b6673\">{}</text>",
        SvgNumber(x), SvgNumber(y), anchor, EscapeHtml(ShortName(info.name)), EscapeHtml(info.name),
        SvgNumber(x), SvgNumber(y + 15), anchor, FormatThousands(totals[label.sector]));
  }
  out += "</svg>";
  return out;
}

}  // namespace kazmig::report

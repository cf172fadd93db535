// Tests of the chord diagram's geometry (arcs as long as the sectors' totals, ribbons as wide as
// their flows at both ends, filling each arc exactly) and its SVG.
#include "kazmig/report/chord.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "kazmig/core/error.h"

namespace kazmig::report {
namespace {

// Kazakhstan (0) and three partners; flows[orig][dest].
const std::vector<std::vector<double>> kFlows = {
    {0, 300, 60, 20}, {100, 0, 0, 0}, {50, 0, 0, 0}, {90, 0, 0, 0}};

TEST(LayoutChord, ArcsProportionalToTotalsWithGaps) {
  const double gap = 0.05;
  const ChordLayout layout = LayoutChord(kFlows, gap);
  // Totals: KAZ 380 out + 240 in = 620; RUS 400; DEU 110; UZB 110; grand 1240.
  const double scale = (2 * std::numbers::pi - 4 * gap) / 1240;
  const std::vector<double> totals = {620, 400, 110, 110};
  for (size_t sector = 0; sector < 4; ++sector) {
    EXPECT_NEAR(layout.end[sector] - layout.start[sector], totals[sector] * scale, 1e-12);
    if (sector > 0) {
      EXPECT_NEAR(layout.start[sector], layout.end[sector - 1] + gap, 1e-12);
    }
  }
  EXPECT_NEAR(layout.end[3] + gap, 2 * std::numbers::pi, 1e-12);
}

TEST(LayoutChord, RibbonsAsWideAsTheirFlowAndFillEachArc) {
  const ChordLayout layout = LayoutChord(kFlows, 0.02);
  ASSERT_EQ(layout.ribbons.size(), 6u);
  std::vector<double> covered(4, 0);
  for (const ChordLayout::Ribbon& ribbon : layout.ribbons) {
    const double width = ribbon.orig_end - ribbon.orig_start;
    EXPECT_NEAR(ribbon.dest_end - ribbon.dest_start, width, 1e-12);
    const ChordLayout::Ribbon& first = layout.ribbons[0];
    EXPECT_NEAR(width / ribbon.value, (first.orig_end - first.orig_start) / first.value, 1e-12)
        << "widths are not proportional to the flows";
    covered[ribbon.orig] += width;
    covered[ribbon.dest] += width;
    // Each end lies on its own sector's arc.
    EXPECT_GE(ribbon.orig_start, layout.start[ribbon.orig] - 1e-12);
    EXPECT_LE(ribbon.orig_end, layout.end[ribbon.orig] + 1e-12);
    EXPECT_GE(ribbon.dest_start, layout.start[ribbon.dest] - 1e-12);
    EXPECT_LE(ribbon.dest_end, layout.end[ribbon.dest] + 1e-12);
  }
  for (size_t sector = 0; sector < 4; ++sector) {
    EXPECT_NEAR(covered[sector], layout.end[sector] - layout.start[sector], 1e-12);
  }
  // The largest ribbon is drawn last (on top).
  EXPECT_EQ(layout.ribbons.back().value, 300);
}

TEST(LayoutChord, EmptyZeroNegativeAndNaNFlows) {
  EXPECT_TRUE(LayoutChord({}, 0.1).ribbons.empty());
  const ChordLayout zero = LayoutChord({{0, 0}, {0, 0}}, 0.1);
  EXPECT_TRUE(zero.ribbons.empty());
  const ChordLayout odd = LayoutChord({{5, -3, NAN}, {7, 0, 0}, {0, 0, 0}}, 0.1);
  ASSERT_EQ(odd.ribbons.size(), 1u);    // only 1 -> 0; the diagonal, -3 and NaN count as 0
  EXPECT_EQ(odd.start[2], odd.end[2]);  // no flows: no arc
}

TEST(RenderChord, OneRibbonPerCorridorLabelsAndTooltips) {
  ChordDiagram chord;
  chord.title = "Corridors & more";
  chord.sectors = {{"Kazakhstan", "#0b4f71"},
                   {"Russia", "#E69F00"},
                   {"Germany", "#56B4E9"},
                   {"Uzbekistan", "#009E73"}};
  chord.flows = kFlows;
  const std::string svg = RenderChord(chord);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<title>Corridors &amp; more</title>"), std::string::npos);
  size_t ribbons = 0;
  for (size_t at = svg.find("class=\"ribbon\""); at != std::string::npos;
       at = svg.find("class=\"ribbon\"", at + 1)) {
    ++ribbons;
  }
  EXPECT_EQ(ribbons, 6u);
  EXPECT_NE(svg.find("Russia \u2192 Kazakhstan: 100"), std::string::npos);
  EXPECT_NE(svg.find(">Kazakhstan<title>Kazakhstan</title></text>"), std::string::npos);
  EXPECT_NE(svg.find(">620</text>"), std::string::npos);  // Kazakhstan's total
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(RenderChord, LongNamesCutWithTheWholeNameInTheTooltip) {
  ChordDiagram chord;
  chord.sectors = {{"Kazakhstan", "#000"}, {"Democratic People's Republic of Korea", "#111"}};
  chord.flows = {{0, 10}, {20, 0}};
  const std::string svg = RenderChord(chord);
  EXPECT_NE(svg.find(">Democratic\u2026<title>Democratic People&#39;s Republic of Korea</title>"),
            std::string::npos)
      << svg;
}

TEST(RenderChord, SizesMustMatch) {
  ChordDiagram chord;
  chord.sectors = {{"A", "#000"}, {"B", "#111"}};
  chord.flows = {{0, 1}};
  EXPECT_THROW(RenderChord(chord), ComputeError);
}

}  // namespace
}  // namespace kazmig::report

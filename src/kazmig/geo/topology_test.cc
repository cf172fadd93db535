#include "kazmig/geo/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "kazmig/testing/testing.h"

namespace kazmig::geo {
namespace {

using io::GeoFeature;
using io::GeoPoint;
using io::GeoRing;

GeoFeature Feature(const std::string& id, std::vector<GeoRing> rings) {
  GeoFeature feature;
  feature.SetProperty("id", id);
  io::GeoPolygon polygon;
  polygon.rings = std::move(rings);
  feature.polygons.push_back(std::move(polygon));
  return feature;
}

// A wiggly line from (1, 0) up to (1, 1): amplitude `amplitude` degrees, `points` points.
std::vector<GeoPoint> Wiggle(double amplitude, int points) {
  std::vector<GeoPoint> line;
  for (int point_idx = 0; point_idx <= points; ++point_idx) {
    const double t = static_cast<double>(point_idx) / points;
    line.push_back({1.0 + amplitude * std::sin(t * 40.0) * std::sin(t * 3.14159), 45.0 + t});
  }
  return line;
}

// Two unit squares at 45°N sharing the wiggly border x ≈ 1; A is left, B right. A walks the
// border upwards, B downwards, and their rings start at different points.
std::vector<GeoFeature> TwoSquares(double amplitude) {
  const std::vector<GeoPoint> border = Wiggle(amplitude, 200);
  GeoRing a{{0.0, 45.0}};
  a.insert(a.end(), border.begin(), border.end());
  a.push_back({0.0, 46.0});
  GeoRing b{{2.0, 46.0}};
  b.insert(b.end(), border.rbegin(), border.rend());
  b.push_back({2.0, 45.0});
  return {Feature("A", {a}), Feature("B", {b})};
}

// Undirected edges of every ring of a feature.
std::set<std::pair<std::pair<double, double>, std::pair<double, double>>> Edges(
    const GeoFeature& feature) {
  std::set<std::pair<std::pair<double, double>, std::pair<double, double>>> edges;
  for (const auto& polygon : feature.polygons) {
    for (const GeoRing& ring : polygon.rings) {
      for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
        std::pair<double, double> from{ring[point_idx].x, ring[point_idx].y};
        const GeoPoint& next = ring[(point_idx + 1) % ring.size()];
        std::pair<double, double> to{next.x, next.y};
        if (to < from) std::swap(from, to);
        edges.emplace(from, to);
      }
    }
  }
  return edges;
}

size_t SharedEdgeCount(const GeoFeature& a, const GeoFeature& b) {
  const auto edges_a = Edges(a);
  const auto edges_b = Edges(b);
  size_t shared = 0;
  for (const auto& edge : edges_a) shared += edges_b.count(edge);
  return shared;
}

// Points of a feature that lie on the border band 0.9 < x < 1.1, sorted.
std::vector<std::pair<double, double>> BorderPoints(const GeoFeature& feature) {
  std::vector<std::pair<double, double>> points;
  for (const GeoPoint& point : feature.polygons[0].rings[0]) {
    if (point.x > 0.9 && point.x < 1.1) points.emplace_back(point.x, point.y);
  }
  std::sort(points.begin(), points.end());
  return points;
}

TEST(Topology, CutsRingsIntoSharedArcs) {
  const Topology topology = BuildTopology(TwoSquares(0.02));
  // The shared border is one arc used twice; each square's outside is one more arc.
  ASSERT_EQ(topology.arcs.size(), 3u);
  EXPECT_EQ(std::count(topology.arc_uses.begin(), topology.arc_uses.end(), 2), 1);
  EXPECT_EQ(std::count(topology.arc_uses.begin(), topology.arc_uses.end(), 1), 2);
  // Reassembling reproduces each ring's points.
  const auto features = TwoSquares(0.02);
  for (size_t feature_idx = 0; feature_idx < 2; ++feature_idx) {
    const GeoRing ring = AssembleRing(topology, topology.rings[feature_idx][0][0]);
    const GeoRing& original = features[feature_idx].polygons[0].rings[0];
    ASSERT_EQ(ring.size(), original.size());
    std::set<std::pair<double, double>> a, b;
    for (const GeoPoint& point : ring) a.emplace(point.x, point.y);
    for (const GeoPoint& point : original) b.emplace(point.x, point.y);
    EXPECT_EQ(a, b);
  }
}

TEST(Topology, SharedBorderStaysIdenticalAfterSimplification) {
  // Amplitude 0.05° (≈ 4 km) against a 1 km tolerance: the border keeps some of its wiggles, and
  // both neighbours must keep exactly the same ones.
  const auto features = TwoSquares(0.05);
  const auto simplified = Simplify(features, SimplifyOptions{});
  ASSERT_EQ(simplified.size(), 2u);
  EXPECT_LT(simplified[0].PointCount(), features[0].PointCount());
  const auto border_a = BorderPoints(simplified[0]);
  const auto border_b = BorderPoints(simplified[1]);
  EXPECT_GT(border_a.size(), 2u);
  EXPECT_EQ(border_a, border_b);
  // Every border edge of one is an edge of the other: no gap, no overlap.
  EXPECT_EQ(SharedEdgeCount(simplified[0], simplified[1]), border_a.size() - 1);
  EXPECT_EQ(*simplified[0].Property("id"), "A");
  EXPECT_EQ(*simplified[1].Property("id"), "B");
}

TEST(Topology, ResultDoesNotDependOnFeatureOrder) {
  auto features = TwoSquares(0.05);
  const auto forward = Simplify(features, SimplifyOptions{});
  std::reverse(features.begin(), features.end());
  const auto backward = Simplify(features, SimplifyOptions{});
  EXPECT_EQ(BorderPoints(forward[0]), BorderPoints(backward[1]));
  EXPECT_EQ(Edges(forward[0]), Edges(backward[1]));
  EXPECT_EQ(Edges(forward[1]), Edges(backward[0]));
}

TEST(Topology, EnclaveSharesItsRingWithTheHole) {
  // A city (a closed ring, no junctions) inside a region's hole, written from a different start
  // point and in the opposite direction.
  const GeoRing outer{{0, 40}, {4, 40}, {4, 44}, {0, 44}};
  GeoRing hole;
  for (int point_idx = 0; point_idx < 60; ++point_idx) {
    const double angle = point_idx * 2 * 3.14159265 / 60;
    hole.push_back(
        {2 + 0.5 * std::cos(angle) + 0.003 * std::sin(7 * angle), 42 + 0.5 * std::sin(angle)});
  }
  GeoRing city(hole.rbegin(), hole.rend());
  std::rotate(city.begin(), city.begin() + 17, city.end());
  const std::vector<GeoFeature> features{Feature("region", {outer, hole}), Feature("city", {city})};
  const Topology topology = BuildTopology(features);
  EXPECT_EQ(topology.arcs.size(), 2u);
  const auto simplified = Simplify(features, SimplifyOptions{});
  ASSERT_EQ(simplified[0].polygons[0].rings.size(), 2u);  // the hole is kept: it is shared
  std::set<std::pair<double, double>> hole_points, city_points;
  for (const GeoPoint& point : simplified[0].polygons[0].rings[1]) {
    hole_points.emplace(point.x, point.y);
  }
  for (const GeoPoint& point : simplified[1].polygons[0].rings[0]) {
    city_points.emplace(point.x, point.y);
  }
  EXPECT_EQ(hole_points, city_points);
  EXPECT_GE(city_points.size(), 3u);
}

TEST(Topology, DropsSmallUnsharedIslandsButKeepsTheMainPolygon) {
  GeoFeature feature = Feature("coast", {{{50, 45}, {52, 45}, {52, 47}, {50, 47}}});
  // An island of about 0.01° × 0.01° (≈ 0.9 km²) and one of 0.2° × 0.2° (≈ 350 km²).
  feature.polygons.push_back({{{{53, 45}, {53.01, 45}, {53.01, 45.01}, {53, 45.01}}}});
  feature.polygons.push_back({{{{54, 45}, {54.2, 45}, {54.2, 45.2}, {54, 45.2}}}});
  // A tiny region on its own is kept: it is its feature's main polygon.
  const GeoFeature tiny = Feature("tiny", {{{60, 45}, {60.01, 45}, {60.01, 45.01}}});
  const auto simplified = Simplify({feature, tiny}, SimplifyOptions{});
  EXPECT_EQ(simplified[0].polygons.size(), 2u);
  EXPECT_EQ(simplified[1].polygons.size(), 1u);
}

TEST(Topology, RingsDoNotCollapse) {
  // A small, nearly circular region (radius ≈ 2 km) with a tolerance of 10 km: plain
  // Douglas–Peucker would keep only its start point; the ring must stay a polygon.
  GeoRing circle;
  for (int point_idx = 0; point_idx < 100; ++point_idx) {
    const double angle = point_idx * 2 * 3.14159265 / 100;
    circle.push_back({70 + 0.025 * std::cos(angle), 45 + 0.018 * std::sin(angle)});
  }
  SimplifyOptions options;
  options.tolerance_km = 10.0;
  const auto simplified = Simplify({Feature("c", {circle})}, options);
  ASSERT_EQ(simplified[0].polygons.size(), 1u);
  EXPECT_GE(simplified[0].polygons[0].rings[0].size(), 3u);
  EXPECT_GT(RingAreaKm2(simplified[0].polygons[0].rings[0]), 1.0);
}

TEST(Topology, SimplificationDoesNotCreateCrossings) {
  // A coast with a shallow bay (0.005° ≈ 0.6 km deep, under the 1 km tolerance) and a small
  // island sitting in the bay and sticking out of it. Dropping the bay's point would close the
  // bay with a straight line across the island; the arc must keep it.
  const GeoFeature coast = Feature(
      "coast",
      {{{60, 45}, {61, 45}, {61, 45.1}, {60.51, 45.1}, {60.5, 45.095}, {60.49, 45.1}, {60, 45.1}}});
  const GeoFeature island =
      Feature("island", {{{60.499, 45.097}, {60.501, 45.097}, {60.5, 45.103}}});
  const auto simplified = Simplify({coast, island}, SimplifyOptions{});
  const GeoRing& ring = simplified[0].polygons[0].rings[0];
  EXPECT_NE(std::find(ring.begin(), ring.end(), GeoPoint{60.5, 45.095}), ring.end());
  // Without the island the bay goes: the refinement is driven by the crossing only.
  const auto alone = Simplify({coast}, SimplifyOptions{});
  const GeoRing& alone_ring = alone[0].polygons[0].rings[0];
  EXPECT_EQ(std::find(alone_ring.begin(), alone_ring.end(), GeoPoint{60.5, 45.095}),
            alone_ring.end());
}

TEST(Topology, RoundsCoordinates) {
  const auto simplified = Simplify(TwoSquares(0.05), SimplifyOptions{});
  for (const GeoPoint& point : simplified[0].polygons[0].rings[0]) {
    EXPECT_NEAR(point.x * 1000, std::round(point.x * 1000), 1e-6);
    EXPECT_NEAR(point.y * 1000, std::round(point.y * 1000), 1e-6);
  }
}

TEST(DouglasPeucker, KeepsEndsAndFarPoints) {
  const std::vector<GeoPoint> line{{0, 0}, {1, 0.001}, {2, 0}, {3, 1}, {4, 0}};
  const auto kept = DouglasPeucker(line, 0.01, 1.0);
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(kept[0], (GeoPoint{0, 0}));
  EXPECT_EQ(kept[1], (GeoPoint{2, 0}));
  EXPECT_EQ(kept[2], (GeoPoint{3, 1}));
  EXPECT_EQ(kept[3], (GeoPoint{4, 0}));
  // With zero tolerance every point that is off the chord is kept.
  EXPECT_EQ(DouglasPeucker(line, 0.0, 1.0).size(), 5u);
  // Two points stay two points.
  EXPECT_EQ(DouglasPeucker({{0, 0}, {1, 1}}, 1.0, 1.0).size(), 2u);
}

TEST(RingArea, OneDegreeCellAtFortyFiveNorth) {
  // ≈ 111.32² × cos(45.5°) km²; the plane approximation is good to well under 1% at this size.
  const double area = RingAreaKm2({{0, 45}, {1, 45}, {1, 46}, {0, 46}});
  EXPECT_TRUE(
      kazmig::testing::NearRel(area, 111.32 * 111.32 * std::cos(45.5 * 3.14159265 / 180), 1e-9));
}

}  // namespace
}  // namespace kazmig::geo

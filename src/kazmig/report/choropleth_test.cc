#include "kazmig/report/choropleth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

io::GeoFeature Square(double lon, double lat) {
  io::GeoFeature feature;
  feature.polygons.push_back({{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}}}});
  return feature;
}

TEST(DivergingEdges, EachSideHasItsOwnStep) {
  // Rates of the 2024 map: -15.7 .. +49.5 → steps 5 (negative) and 10 (positive).
  const auto edges = DivergingEdges({-15.7, -1.4, 1.7, 49.5});
  const std::vector<double> expected{-15, -10, -5, 0, 10, 20, 30};
  EXPECT_EQ(edges, expected);
  // Only gains (9 / 3 = 3, rounded down to 2.5): the negative side borrows the positive step.
  EXPECT_EQ(DivergingEdges({3, 6, 9}), (std::vector<double>{-7.5, -5, -2.5, 0, 2.5, 5, 7.5}));
  // No values at all.
  EXPECT_EQ(DivergingEdges({std::nan("")}).size(), 7u);
}

TEST(Choropleth, ColoursLegendAndLabels) {
  const std::vector<io::GeoFeature> features{Square(60, 45), Square(61, 45), Square(62, 45)};
  Choropleth map;
  map.title = "Test map";
  map.features = &features;
  map.regions.resize(3);
  map.regions[0].label = "Gains";
  map.regions[0].value = 12.0;
  map.regions[1].label = "Loses";
  map.regions[1].value = -12.0;
  map.regions[2].label = "Unknown";
  map.legend_title = "per 1,000";
  const std::string svg = RenderChoropleth(map);
  EXPECT_EQ(CountOccurrences(svg, "<path"), 3u);
  EXPECT_NE(svg.find("fill=\"#2166ac\""), std::string::npos);  // strongest gain class
  EXPECT_NE(svg.find("fill=\"#b2182b\""), std::string::npos);  // strongest loss class
  EXPECT_NE(svg.find("fill=\"#d9d9d9\""), std::string::npos);  // no data
  EXPECT_NE(svg.find("<title>Gains: +12.0</title>"), std::string::npos);
  EXPECT_NE(svg.find("no data</text>"), std::string::npos);  // legend entry
  EXPECT_NE(svg.find(">per 1,000</text>"), std::string::npos);
  EXPECT_NE(svg.find("Albers"), std::string::npos);
  // The west of the map is on the left: the first square's path starts left of the second's.
  const size_t first = svg.find("<path d=\"M");
  const size_t second = svg.find("<path d=\"M", first + 1);
  EXPECT_LT(std::stod(svg.substr(first + 10, 8)), std::stod(svg.substr(second + 10, 8)));
}

// Legend edges with as many decimals as their step needs, the same for all of them: the risk
// map's differences of about +-0.15 (step 0.05) once read "-0.1, -0.1, 0.0, +0.1, +0.1".
TEST(Choropleth, LegendEdgesAreDistinct) {
  const std::vector<io::GeoFeature> features{Square(60, 45), Square(61, 45)};
  Choropleth map;
  map.title = "Risk";
  map.features = &features;
  map.regions.resize(2);
  map.regions[0].value = 0.16;
  map.regions[1].value = -0.17;
  const std::string svg = RenderChoropleth(map);
  for (const char* edge :
       {">-0.10</text>", ">-0.05</text>", ">0.00</text>", ">+0.05</text>", ">+0.10</text>"}) {
    EXPECT_NE(svg.find(edge), std::string::npos) << edge;
  }
  EXPECT_EQ(svg.find(">-0.1</text>"), std::string::npos);
  // A step of 2.5 keeps its decimal on every edge; whole steps stay whole.
  map.regions[0].value = 9;
  map.regions[1].value = 3;
  const std::string halves = RenderChoropleth(map);
  EXPECT_NE(halves.find(">+2.5</text>"), std::string::npos);
  EXPECT_NE(halves.find(">+5.0</text>"), std::string::npos);
  map.regions[0].value = 49.5;
  map.regions[1].value = -15.7;
  const std::string whole = RenderChoropleth(map);
  EXPECT_NE(whole.find(">-10</text>"), std::string::npos);
  EXPECT_NE(whole.find(">+20</text>"), std::string::npos);
}

TEST(Choropleth, RejectsMismatchedInputs) {
  const std::vector<io::GeoFeature> features{Square(60, 45)};
  Choropleth map;
  map.features = &features;
  EXPECT_THROW(RenderChoropleth(map), ComputeError);
}

TEST(Choropleth, DrawsTheBuiltinRegions) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const auto features = geo::LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system);
  Choropleth map;
  map.features = &features;
  for (const Region& region : system.regions()) {
    MapRegion map_region;
    map_region.label = region.name_en;
    map.regions.push_back(map_region);
  }
  const std::string svg = RenderChoropleth(map);
  EXPECT_EQ(CountOccurrences(svg, "<path"), 20u);
  EXPECT_NE(svg.find(">Ulytau</tspan>"), std::string::npos);
  EXPECT_LT(svg.size(), 200u * 1024u);
}

}  // namespace
}  // namespace kazmig::report

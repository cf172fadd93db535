#include "kazmig/io/geojson.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::io {
namespace {

constexpr const char* kTwoFeatures = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"75","name":"Almaty","Year":2018,"x":null},
 "geometry":{"type":"Polygon","coordinates":[[[76,43],[77,43],[77,44],[76,44],[76,43]]]}},
{"type":"Feature","properties":{"id":"71"},
 "geometry":{"type":"MultiPolygon","coordinates":[
   [[[70,50],[72,50],[72,52],[70,52],[70,50]],[[70.5,50.5],[71,50.5],[71,51],[70.5,50.5]]],
   [[[73,50],[74,50],[74,51],[73,50]]]]}}]})";

TEST(GeoJson, ReadsPolygonsMultiPolygonsAndProperties) {
  const auto features = ParseGeoJson(kTwoFeatures, "test.geojson");
  ASSERT_EQ(features.size(), 2u);
  ASSERT_NE(features[0].Property("id"), nullptr);
  EXPECT_EQ(*features[0].Property("id"), "75");
  EXPECT_EQ(*features[0].Property("Year"), "2018");  // numbers kept as their JSON text
  EXPECT_EQ(*features[0].Property("x"), "");         // null as empty
  EXPECT_EQ(features[0].Property("missing"), nullptr);
  ASSERT_EQ(features[0].polygons.size(), 1u);
  // Rings are stored open: the closing point is dropped.
  EXPECT_EQ(features[0].polygons[0].rings[0].size(), 4u);
  EXPECT_EQ(features[0].polygons[0].rings[0][1], (GeoPoint{77, 43}));
  ASSERT_EQ(features[1].polygons.size(), 2u);
  EXPECT_EQ(features[1].polygons[0].rings.size(), 2u);  // outer ring and a hole
  EXPECT_EQ(features[1].PointCount(), 4u + 3u + 3u);
}

TEST(GeoJson, WriteThenReadRoundTrips) {
  const auto features = ParseGeoJson(kTwoFeatures, "test.geojson");
  std::ostringstream out;
  WriteGeoJson(out, features, 3);
  const auto again = ParseGeoJson(out.str(), "again.geojson");
  ASSERT_EQ(again.size(), features.size());
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    EXPECT_EQ(again[feature_idx].properties, features[feature_idx].properties);
    ASSERT_EQ(again[feature_idx].polygons.size(), features[feature_idx].polygons.size());
    for (size_t polygon_idx = 0; polygon_idx < features[feature_idx].polygons.size();
         ++polygon_idx) {
      EXPECT_EQ(again[feature_idx].polygons[polygon_idx].rings,
                features[feature_idx].polygons[polygon_idx].rings);
    }
  }
  // A single polygon is written as Polygon, several as MultiPolygon.
  EXPECT_NE(out.str().find("\"type\":\"Polygon\""), std::string::npos);
  EXPECT_NE(out.str().find("\"type\":\"MultiPolygon\""), std::string::npos);
}

TEST(GeoJson, WriteRoundsCoordinates) {
  GeoFeature feature;
  feature.SetProperty("id", "10");
  feature.polygons.push_back({{{{80.123456, 49.98765}, {81.5, 49.0}, {81.0, 50.0}}}});
  std::ostringstream out;
  WriteGeoJson(out, {feature}, 3);
  EXPECT_NE(out.str().find("[80.123,49.988]"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("[81.5,49]"), std::string::npos) << out.str();
}

TEST(GeoJson, SyntaxErrorIsLocated) {
  try {
    ParseGeoJson("{\"type\":\"FeatureCollection\",\n\"features\": [,]}", "bad.geojson");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "bad.geojson");
    EXPECT_EQ(e.line(), 2);
    EXPECT_GT(e.column(), 0);
  }
}

TEST(GeoJson, StructureErrorsAreInputErrors) {
  EXPECT_THROW(ParseGeoJson("[]", "a"), InputError);
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection"})", "a"), InputError);
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":{"type":"Point","coordinates":[1,2]}}]})",
                            "a"),
               InputError);
  // A feature whose only ring is degenerate, and an out-of-range coordinate.
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]}}]})",
                            "a"),
               InputError);
  try {
    ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":{"type":"Polygon","coordinates":[[[1,2],[3,400],[5,6],[1,2]]]}}]})",
                 "b.geojson");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("b.geojson: feature 1: coordinate out of range"),
              std::string::npos)
        << e.what();
  }
}

TEST(GeoJson, DropsDegenerateRings) {
  // A degenerate hole, and a degenerate second polygon, are dropped; the rest is kept.
  const auto features = ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":{"type":"MultiPolygon","coordinates":[
        [[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,2],[1,1]]],
        [[[5,5],[6,6],[5,5]]]]}}]})",
                                     "a");
  ASSERT_EQ(features.size(), 1u);
  ASSERT_EQ(features[0].polygons.size(), 1u);
  EXPECT_EQ(features[0].polygons[0].rings.size(), 1u);
}

TEST(GeoJson, FuzzFoundInputsAreInputErrors) {
  // A number too large for a double (nlohmann reports out_of_range, not parse_error), and
  // "type" members that are not strings.
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":4444e444444}]})",
                            "a"),
               InputError);
  EXPECT_THROW(ParseGeoJson(R"({"type":5,"features":[]})", "a"), InputError);
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":[1]}]})", "a"),
               InputError);
  EXPECT_THROW(ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "geometry":{"type":{},"coordinates":[]}}]})",
                            "a"),
               InputError);
}

TEST(GeoJson, MissingFileIsInputError) {
  EXPECT_THROW(ReadGeoJson("/nonexistent/regions.geojson"), InputError);
}

}  // namespace
}  // namespace kazmig::io

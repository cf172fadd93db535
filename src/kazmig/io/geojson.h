// GeoJSON reading and writing for region boundaries (RFC 7946).
//
// Reads a FeatureCollection whose features are Polygons or MultiPolygons (other geometry types and
// null geometries are InputErrors naming the feature), keeping each feature's properties as text
// in their original order. Coordinates are [longitude, latitude] in WGS84 degrees; the closing
// point of each ring is kept out of memory (rings are stored open) and added back on writing.
//
//   std::vector<io::GeoFeature> regions = io::ReadGeoJson("regions-2022.geojson");
//   const std::string* id = regions[0].Property("id");     // nullptr when absent
//   io::WriteGeoJson(std::cout, regions, /*decimals=*/3);
#ifndef KAZMIG_IO_GEOJSON_H_
#define KAZMIG_IO_GEOJSON_H_

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kazmig::io {

struct GeoPoint {
  double x = 0.0;  // longitude, degrees east
  double y = 0.0;  // latitude, degrees north
  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

// A ring without its closing point (the first point is not repeated at the end).
using GeoRing = std::vector<GeoPoint>;

// One polygon: rings[0] is the outer boundary, the others are holes.
struct GeoPolygon {
  std::vector<GeoRing> rings;
};

struct GeoFeature {
  // Properties in document order; numbers and booleans are kept as their JSON text, null as "".
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<GeoPolygon> polygons;  // a Polygon is a single-element MultiPolygon

  // The value of property `name`, or nullptr.
  const std::string* Property(std::string_view name) const;
  // Sets (or adds at the end) property `name`.
  void SetProperty(const std::string& name, std::string value);
  // Number of points over all rings.
  size_t PointCount() const;
};

// Parses a GeoJSON FeatureCollection. `name` is used in error messages. Rings with fewer than
// three distinct points (zero area) are dropped, with their polygon when it is the outer ring.
// Throws InputError (`NAME:LINE:COLUMN: message` for syntax errors, `NAME: feature K: message` for
// structure) on malformed JSON, a missing "features" array, non-polygon geometry, a feature left
// without any polygon, or non-finite or out-of-range coordinates.
std::vector<GeoFeature> ParseGeoJson(std::string_view text, const std::string& name);
// Reads and parses a file (InputError when it cannot be read).
std::vector<GeoFeature> ReadGeoJson(const std::filesystem::path& path);

// Writes a FeatureCollection, one feature per line, with coordinates rounded to `decimals`
// places; each feature is a Polygon when it has one polygon, else a MultiPolygon. Properties are
// written as JSON strings. Rings are written closed.
void WriteGeoJson(std::ostream& out, const std::vector<GeoFeature>& features, int decimals);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_GEOJSON_H_

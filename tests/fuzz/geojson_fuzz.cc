// libFuzzer target for the GeoJSON reader (FeatureCollections of Polygons and MultiPolygons).
//
// Any input must either parse or throw kazmig::InputError; crashes, sanitizer reports, hangs and
// other exceptions are bugs. A parsed collection is also written back (WriteGeoJson) and parsed
// again (rounding may legitimately drop rings, so that parse may throw InputError too).
// Seeds: tests/fuzz/corpus/geojson.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "kazmig/core/error.h"
#include "kazmig/io/geojson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto features = kazmig::io::ParseGeoJson(text, "fuzz.geojson");
    size_t points = 0;
    for (const auto& feature : features) {
      points += feature.PointCount();
      volatile bool has_id = feature.Property("id") != nullptr;
      (void)has_id;
    }
    volatile size_t total = points;
    (void)total;
    std::ostringstream out;
    kazmig::io::WriteGeoJson(out, features, 6);
    const auto again = kazmig::io::ParseGeoJson(out.str(), "fuzz-rewritten.geojson");
    volatile size_t count = again.size();
    (void)count;
  } catch (const kazmig::InputError&) {
  }
  return 0;
}

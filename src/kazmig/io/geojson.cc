#include "kazmig/io/geojson.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"

namespace kazmig::io {
namespace {

using Json = nlohmann::json;

// 1-based line and column of byte `offset` in `text`.
std::pair<long, long> LineColumn(std::string_view text, size_t offset) {
  long line = 1;
  long column = 1;
  for (size_t pos = 0; pos < offset && pos < text.size(); ++pos) {
    if (text[pos] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// The string member `key` of `object`, or "" when it is absent or not a string.
std::string StringMember(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class FeatureParser {
 public:
  FeatureParser(const std::string& name, size_t feature_idx)
      : name_(name), feature_idx_(feature_idx) {}

  [[noreturn]] void Fail(const std::string& message) const {
    throw InputError(name_, 0, 0, fmt::format("feature {}: {}", feature_idx_ + 1, message));
  }

  GeoRing Ring(const Json& coordinates) const {
    if (!coordinates.is_array()) Fail("a ring is not an array of positions");
    GeoRing ring;
    ring.reserve(coordinates.size());
    for (const Json& position : coordinates) {
      if (!position.is_array() || position.size() < 2 || !position[0].is_number() ||
          !position[1].is_number()) {
        Fail("a position is not [longitude, latitude]");
      }
      const GeoPoint point{position[0].get<double>(), position[1].get<double>()};
      if (!std::isfinite(point.x) || !std::isfinite(point.y) || std::abs(point.x) > 180.0 ||
          std::abs(point.y) > 90.0) {
        Fail(fmt::format("coordinate out of range: [{}, {}]", point.x, point.y));
      }
      if (!ring.empty() && ring.back() == point) continue;  // repeated point
      ring.push_back(point);
    }
    if (ring.size() > 1 && ring.front() == ring.back()) ring.pop_back();
    return ring;
  }

  GeoPolygon Polygon(const Json& coordinates) const {
    if (!coordinates.is_array() || coordinates.empty()) Fail("a polygon has no rings");
    GeoPolygon polygon;
    for (const Json& ring : coordinates) {
      GeoRing points = Ring(ring);
      // A ring of fewer than three distinct points has no area (an artefact of conversion): an
      // outer one drops its polygon, a hole is dropped.
      if (points.size() < 3) {
        if (polygon.rings.empty()) return polygon;
        continue;
      }
      polygon.rings.push_back(std::move(points));
    }
    return polygon;
  }

  GeoFeature Feature(const Json& feature) const {
    if (!feature.is_object() || StringMember(feature, "type") != "Feature") {
      Fail("not a GeoJSON Feature object");
    }
    GeoFeature result;
    if (auto props = feature.find("properties"); props != feature.end() && props->is_object()) {
      for (const auto& [key, value] : props->items()) {
        std::string text;
        if (value.is_string()) {
          text = value.get<std::string>();
        } else if (!value.is_null()) {
          text = value.dump();
        }
        result.properties.emplace_back(key, std::move(text));
      }
    }
    auto geometry = feature.find("geometry");
    if (geometry == feature.end() || !geometry->is_object()) Fail("missing geometry");
    const std::string type = StringMember(*geometry, "type");
    auto coordinates = geometry->find("coordinates");
    if (coordinates == geometry->end()) Fail("geometry has no coordinates");
    auto add = [&result](GeoPolygon polygon) {
      if (!polygon.rings.empty()) result.polygons.push_back(std::move(polygon));
    };
    if (type == "Polygon") {
      add(Polygon(*coordinates));
    } else if (type == "MultiPolygon") {
      if (!coordinates->is_array()) Fail("MultiPolygon coordinates are not an array");
      for (const Json& polygon : *coordinates) add(Polygon(polygon));
    } else {
      Fail(fmt::format("geometry type '{}' is not Polygon or MultiPolygon", type));
    }
    if (result.polygons.empty()) Fail("no polygon with three or more distinct points");
    return result;
  }

 private:
  const std::string& name_;
  size_t feature_idx_;
};

void WriteRing(std::ostream& out, const GeoRing& ring, int decimals) {
  out << '[';
  for (size_t point_idx = 0; point_idx <= ring.size(); ++point_idx) {
    const GeoPoint& point = ring[point_idx % ring.size()];  // closes the ring
    if (point_idx > 0) out << ',';
    // Rounded, then printed in the shortest form ("51.2", not "51.200").
    const double scale = std::pow(10.0, decimals);
    out << '[' << fmt::format("{}", std::round(point.x * scale) / scale) << ','
        << fmt::format("{}", std::round(point.y * scale) / scale) << ']';
  }
  out << ']';
}

void WritePolygon(std::ostream& out, const GeoPolygon& polygon, int decimals) {
  out << '[';
  for (size_t ring_idx = 0; ring_idx < polygon.rings.size(); ++ring_idx) {
    if (ring_idx > 0) out << ',';
    WriteRing(out, polygon.rings[ring_idx], decimals);
  }
  out << ']';
}

}  // namespace

const std::string* GeoFeature::Property(std::string_view name) const {
  for (const auto& [key, value] : properties) {
    if (key == name) return &value;
  }
  return nullptr;
}

void GeoFeature::SetProperty(const std::string& name, std::string value) {
  for (auto& [key, existing] : properties) {
    if (key == name) {
      existing = std::move(value);
      return;
    }
  }
  properties.emplace_back(name, std::move(value));
}

size_t GeoFeature::PointCount() const {
  size_t count = 0;
  for (const GeoPolygon& polygon : polygons) {
    for (const GeoRing& ring : polygon.rings) count += ring.size();
  }
  return count;
}

std::vector<GeoFeature> ParseGeoJson(std::string_view text, const std::string& name) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, column] = LineColumn(text, offset);
    std::string message = e.what();
    // nlohmann's message repeats the position: keep only the part after "parse error ... : ".
    if (auto colon = message.rfind(": "); colon != std::string::npos) {
      message = message.substr(colon + 2);
    }
    throw InputError(name, line, column, "invalid JSON: " + message);
  } catch (const Json::exception& e) {
    // Other parse failures (a number too large for a double) carry no position.
    throw InputError(name, 0, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!document.is_object() || StringMember(document, "type") != "FeatureCollection") {
    throw InputError(name, 0, 0, "not a GeoJSON FeatureCollection");
  }
  auto features = document.find("features");
  if (features == document.end() || !features->is_array()) {
    throw InputError(name, 0, 0, "FeatureCollection has no \"features\" array");
  }
  std::vector<GeoFeature> result;
  result.reserve(features->size());
  for (size_t feature_idx = 0; feature_idx < features->size(); ++feature_idx) {
    result.push_back(FeatureParser(name, feature_idx).Feature((*features)[feature_idx]));
  }
  return result;
}

std::vector<GeoFeature> ReadGeoJson(const std::filesystem::path& path) {
  return ParseGeoJson(ReadFile(path), path.string());
}

void WriteGeoJson(std::ostream& out, const std::vector<GeoFeature>& features, int decimals) {
  out << "{\"type\":\"FeatureCollection\",\"features\":[\n";
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    const GeoFeature& feature = features[feature_idx];
    nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
    for (const auto& [key, value] : feature.properties) ordered[key] = value;
    out << "{\"type\":\"Feature\",\"properties\":" << ordered.dump() << ",\"geometry\":{";
    if (feature.polygons.size() == 1) {
      out << "\"type\":\"Polygon\",\"coordinates\":";
      WritePolygon(out, feature.polygons.front(), decimals);
    } else {
      out << "\"type\":\"MultiPolygon\",\"coordinates\":[";
      for (size_t polygon_idx = 0; polygon_idx < feature.polygons.size(); ++polygon_idx) {
        if (polygon_idx > 0) out << ',';
        WritePolygon(out, feature.polygons[polygon_idx], decimals);
      }
      out << ']';
    }
    out << "}}" << (feature_idx + 1 < features.size() ? ",\n" : "\n");
  }
  out << "]}\n";
}

}  // namespace kazmig::io

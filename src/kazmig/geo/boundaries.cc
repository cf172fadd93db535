#include "kazmig/geo/boundaries.h"

#include <fmt/format.h>

#include "kazmig/core/error.h"

namespace kazmig::geo {
namespace {

// The 2-digit id of a feature: property `id` as given, else the first two digits of `KATO`.
std::string CodeOf(const io::GeoFeature& feature) {
  if (const std::string* id = feature.Property("id"); id != nullptr && !id->empty()) return *id;
  if (const std::string* kato = feature.Property("KATO"); kato != nullptr && kato->size() >= 2) {
    return kato->substr(0, 2);
  }
  return {};
}

// Index of every feature by region, in the system's order; throws on unknown/duplicate/missing.
std::vector<size_t> MatchFeatures(const std::vector<io::GeoFeature>& features,
                                  const RegionSystem& system, const std::string& name) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> by_region(system.size(), kNone);
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    const std::string code = CodeOf(features[feature_idx]);
    const auto region_idx = system.IndexOfId(code);
    if (!region_idx) {
      throw InputError(name, 0, 0,
                       fmt::format("feature {}: region code '{}' is not a region of {}",
                                   feature_idx + 1, code, system.name()));
    }
    if (by_region[*region_idx] != kNone) {
      throw InputError(name, 0, 0,
                       fmt::format("feature {}: region {} appears twice (also feature {})",
                                   feature_idx + 1, code, by_region[*region_idx] + 1));
    }
    by_region[*region_idx] = feature_idx;
  }
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    if (by_region[region_idx] == kNone) {
      throw InputError(name, 0, 0,
                       fmt::format("no boundary for region {} ({}) of {}", system[region_idx].id,
                                   system[region_idx].name_en, system.name()));
    }
  }
  return by_region;
}

}  // namespace

SimplifyOptions BoundarySimplifyOptions() {
  SimplifyOptions options;
  options.tolerance_km = kBoundaryToleranceKm;
  options.decimals = kBoundaryDecimals;
  options.min_area_km2 = 5.0;
  return options;
}

std::string BoundaryFileName(const std::string& vintage) {
  if (vintage == "kz-2022") return "regions-2022.geojson";
  if (vintage == "kz-2018") return "regions-2018.geojson";
  throw UsageError(
      fmt::format("no built-in boundaries for vintage '{}' (kz-2018, kz-2022)", vintage));
}

std::vector<io::GeoFeature> PrepareRegionBoundaries(const std::vector<io::GeoFeature>& source,
                                                    const RegionSystem& system,
                                                    const SimplifyOptions& options,
                                                    const std::string& source_name) {
  const std::vector<size_t> by_region = MatchFeatures(source, system, source_name);
  std::vector<io::GeoFeature> ordered;
  ordered.reserve(system.size());
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const Region& region = system[region_idx];
    io::GeoFeature feature;
    feature.polygons = source[by_region[region_idx]].polygons;
    feature.SetProperty("id", region.id);
    feature.SetProperty("iso", region.iso);
    feature.SetProperty("name_en", region.name_en);
    feature.SetProperty("name_kk", region.name_kk);
    feature.SetProperty("name_ru", region.name_ru);
    ordered.push_back(std::move(feature));
  }
  return Simplify(ordered, options);
}

std::vector<io::GeoFeature> LoadRegionBoundaries(const std::filesystem::path& path,
                                                 const RegionSystem& system) {
  std::vector<io::GeoFeature> features = io::ReadGeoJson(path);
  const std::vector<size_t> by_region = MatchFeatures(features, system, path.string());
  std::vector<io::GeoFeature> ordered;
  ordered.reserve(system.size());
  for (size_t feature_idx : by_region) ordered.push_back(std::move(features[feature_idx]));
  return ordered;
}

}  // namespace kazmig::geo

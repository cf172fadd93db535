#include "kazmig/geo/boundaries.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/testing/testing.h"

namespace kazmig::geo {
namespace {

using io::GeoFeature;

using Edge = std::pair<std::pair<double, double>, std::pair<double, double>>;

std::map<Edge, std::set<size_t>> EdgeOwners(const std::vector<GeoFeature>& features) {
  std::map<Edge, std::set<size_t>> owners;
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    for (const auto& polygon : features[feature_idx].polygons) {
      for (const auto& ring : polygon.rings) {
        for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
          const auto& a = ring[point_idx];
          const auto& b = ring[(point_idx + 1) % ring.size()];
          std::pair<double, double> from{a.x, a.y}, to{b.x, b.y};
          if (to < from) std::swap(from, to);
          owners[{from, to}].insert(feature_idx);
        }
      }
    }
  }
  return owners;
}

// Pairs of features whose shared edges are longer than `min_km` in total.
std::set<std::pair<size_t, size_t>> Neighbours(const std::vector<GeoFeature>& features,
                                               double min_km = 0.0) {
  std::map<std::pair<size_t, size_t>, double> length;
  for (const auto& [edge, owners] : EdgeOwners(features)) {
    if (owners.size() != 2) continue;
    const double dx = (edge.second.first - edge.first.first) * 0.68;  // cos 47°
    const double dy = edge.second.second - edge.first.second;
    length[{*owners.begin(), *owners.rbegin()}] += std::sqrt(dx * dx + dy * dy) * 111.32;
  }
  std::set<std::pair<size_t, size_t>> pairs;
  for (const auto& [pair, km] : length) {
    if (km > min_km) pairs.insert(pair);
  }
  return pairs;
}

void CheckBuiltinFile(const std::string& vintage) {
  const RegionSystem& system = RegionSystem::Builtin(vintage);
  const auto path = kazmig::testing::SourceDir() / "data" / "kz" / BoundaryFileName(vintage);
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  // Well under the 300 KB budget.
  EXPECT_LT(std::filesystem::file_size(path), 150u * 1024u);
  const auto features = LoadRegionBoundaries(path, system);
  ASSERT_EQ(features.size(), system.size());
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const GeoFeature& feature = features[region_idx];
    EXPECT_EQ(*feature.Property("id"), system[region_idx].id);
    EXPECT_EQ(*feature.Property("iso"), system[region_idx].iso);
    for (const char* name : {"name_en", "name_kk", "name_ru"}) {
      ASSERT_NE(feature.Property(name), nullptr) << name;
      EXPECT_FALSE(feature.Property(name)->empty()) << name;
    }
    ASSERT_FALSE(feature.polygons.empty());
    // The region's centroid from the region tables lies inside its bounding box.
    double min_x = 180, max_x = -180, min_y = 90, max_y = -90;
    for (const auto& polygon : feature.polygons) {
      for (const auto& point : polygon.rings[0]) {
        min_x = std::min(min_x, point.x);
        max_x = std::max(max_x, point.x);
        min_y = std::min(min_y, point.y);
        max_y = std::max(max_y, point.y);
      }
    }
    EXPECT_GE(system[region_idx].longitude, min_x) << system[region_idx].id;
    EXPECT_LE(system[region_idx].longitude, max_x) << system[region_idx].id;
    EXPECT_GE(system[region_idx].latitude, min_y) << system[region_idx].id;
    EXPECT_LE(system[region_idx].latitude, max_y) << system[region_idx].id;
  }
  // Shared borders: an edge belongs to at most two regions (no overlapping copies of a border).
  for (const auto& [edge, owners] : EdgeOwners(features)) EXPECT_LE(owners.size(), 2u);
}

TEST(Boundaries, BuiltinFilesHaveEveryRegion) {
  CheckBuiltinFile("kz-2022");
  CheckBuiltinFile("kz-2018");
}

TEST(Boundaries, BuiltinBordersMatchTheirNeighbours) {
  // Known neighbours share border edges in the simplified file: Astana lies inside Akmola,
  // Shymkent inside Turkistan, Abai borders East Kazakhstan, Ulytau borders Karagandy.
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const auto features = LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system);
  const auto pairs = Neighbours(features);
  auto neighbours = [&](const char* a, const char* b) {
    size_t ia = *system.IndexOfId(a), ib = *system.IndexOfId(b);
    return pairs.count({std::min(ia, ib), std::max(ia, ib)}) == 1;
  };
  EXPECT_TRUE(neighbours("71", "11"));
  EXPECT_TRUE(neighbours("79", "61"));
  EXPECT_TRUE(neighbours("10", "63"));
  EXPECT_TRUE(neighbours("62", "35"));
  EXPECT_TRUE(neighbours("75", "19"));
  EXPECT_FALSE(neighbours("27", "63"));  // West and East Kazakhstan are 2,000 km apart
}

TEST(Boundaries, RegeneratesTheCommittedFilesFromTheSource) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const std::pair<const char*, const char*> files[] = {
      {"kz-2022", "kaz_admbnda_adm1_2024.geojson"}, {"kz-2018", "kaz_admbnda_adm1_2018.geojson"}};
  for (const auto& [vintage, source_file] : files) {
    const auto source_path = shared / "geokz" / source_file;
    const auto source = io::ReadGeoJson(source_path);
    const auto regions = PrepareRegionBoundaries(source, RegionSystem::Builtin(vintage),
                                                 BoundarySimplifyOptions(), source_path.string());
    std::ostringstream text;
    io::WriteGeoJson(text, regions, kBoundaryDecimals);
    const auto committed =
        io::ReadFile(kazmig::testing::SourceDir() / "data" / "kz" / BoundaryFileName(vintage));
    EXPECT_EQ(text.str(), committed) << vintage << ": re-run `kazmig geo simplify`";

    // Every pair of regions that are neighbours in the source stays neighbours. (The 2018 source
    // has a sliver of Akmola, a few metres wide, touching Almaty: it vanishes on the 0.001° grid,
    // hence the 1 km minimum shared border.)
    std::vector<GeoFeature> ordered_source;
    for (const auto& region : RegionSystem::Builtin(vintage).regions()) {
      for (const auto& feature : source) {
        if (feature.Property("KATO")->substr(0, 2) == region.id) ordered_source.push_back(feature);
      }
    }
    EXPECT_EQ(Neighbours(regions), Neighbours(ordered_source, 1.0)) << vintage;
  }
}

TEST(Boundaries, MismatchedSourcesAreInputErrors) {
  GeoFeature feature;
  feature.SetProperty("KATO", "990000000");
  feature.polygons.push_back({{{{70, 45}, {71, 45}, {71, 46}}}});
  EXPECT_THROW(PrepareRegionBoundaries({feature}, RegionSystem::Builtin("kz-2022"),
                                       BoundarySimplifyOptions()),
               InputError);
  feature.SetProperty("KATO", "750000000");
  // Almaty city alone: the other 19 regions are missing.
  try {
    PrepareRegionBoundaries({feature}, RegionSystem::Builtin("kz-2022"), BoundarySimplifyOptions(),
                            "x.geojson");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.geojson: no boundary for region"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(PrepareRegionBoundaries({feature, feature}, RegionSystem::Builtin("kz-2022"),
                                       BoundarySimplifyOptions()),
               InputError);
  EXPECT_THROW(BoundaryFileName("kz-2009"), UsageError);
}

}  // namespace
}  // namespace kazmig::geo

// Simplifying Kazakhstan's 20 regions (26,031 points) with shared arcs: the whole of
// `kazmig geo simplify` minus file I/O. Uses ../shared/data/geokz when present, else the built-in
// (already simplified) boundaries.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "kazmig/core/region.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/geo/topology.h"
#include "kazmig/io/geojson.h"

namespace {

std::vector<kazmig::io::GeoFeature> Source() {
  namespace fs = std::filesystem;
  // The repository: three folders above this file (src/kazmig/geo/).
  const fs::path repo = fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  const fs::path shared =
      repo.parent_path() / "shared" / "data" / "geokz" / "kaz_admbnda_adm1_2024.geojson";
  if (fs::exists(shared)) return kazmig::io::ReadGeoJson(shared);
  return kazmig::io::ReadGeoJson(repo / "data" / "kz" / "regions-2022.geojson");
}

void BM_BuildTopology(benchmark::State& state) {
  const auto features = Source();
  for (auto _ : state) {
    auto topology = kazmig::geo::BuildTopology(features);
    benchmark::DoNotOptimize(topology.arcs.data());
  }
}
BENCHMARK(BM_BuildTopology)->Unit(benchmark::kMillisecond);

void BM_PrepareRegionBoundaries(benchmark::State& state) {
  const auto features = Source();
  const auto& system = kazmig::RegionSystem::Builtin("kz-2022");
  size_t points = 0;
  for (auto _ : state) {
    auto regions = kazmig::geo::PrepareRegionBoundaries(features, system,
                                                        kazmig::geo::BoundarySimplifyOptions());
    points = 0;
    for (const auto& feature : regions) points += feature.PointCount();
    benchmark::DoNotOptimize(points);
  }
  if (points == 0) state.SkipWithError("no points after simplification");
  state.counters["points_out"] = static_cast<double>(points);
}
BENCHMARK(BM_PrepareRegionBoundaries)->Unit(benchmark::kMillisecond);

}  // namespace

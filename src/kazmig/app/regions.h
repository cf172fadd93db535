// The `kazmig regions` and `kazmig geo simplify` use cases: the regions of a boundary vintage, and
// the derivation of the built-in region boundaries (data/kz/regions-*.geojson) from the geokz
// files with shared borders kept identical (geo/topology.h).
//
//   std::string csv = app::ListRegions({"kz-2022", "Almaty"}, app::Format::kCsv);
//   app::SimplifyBoundariesResult shapes = app::SimplifyBoundaries(
//       {"../shared/data/geokz/kaz_admbnda_adm1_2024.geojson", "kz-2022"});
//   // shapes.geojson: the simplified features; shapes.points_before, shapes.points_after
#ifndef KAZMIG_APP_REGIONS_H_
#define KAZMIG_APP_REGIONS_H_

#include <cstddef>
#include <string>

#include "kazmig/app/result_table.h"

namespace kazmig::app {

struct RegionsRequest {
  std::string vintage = "kz-2022";  // a built-in region system
  std::string region;               // one region (KATO, ISO or a name); empty = all
};

// The regions of `request.vintage`, encoded: csv (id, iso, names, centroid, valid), json
// ({"system", "regions"} with aliases) or an aligned table for people. Throws UsageError for an
// unknown vintage and InputError/UsageError as RegionSystem::Resolve for an unknown region.
std::string ListRegions(const RegionsRequest& request, Format format);

// The defaults of the built-in boundaries (geo::kBoundaryToleranceKm, geo::kBoundaryDecimals).
double DefaultBoundaryToleranceKm();
int DefaultBoundaryDecimals();

struct SimplifyBoundariesRequest {
  std::string input;                // source GeoJSON (properties KATO or id)
  std::string vintage = "kz-2022";  // kz-2018 or kz-2022
  double tolerance_km = DefaultBoundaryToleranceKm();
  int decimals = DefaultBoundaryDecimals();
};

struct SimplifyBoundariesResult {
  std::string geojson;  // the simplified features, one per region in the system's order
  size_t regions = 0;
  size_t points_before = 0;
  size_t points_after = 0;
};

// Simplifies the boundaries of `request.input` (geo::PrepareRegionBoundaries: topology-preserving
// Douglas–Peucker on shared arcs). Throws InputError for an unreadable or mismatched file.
SimplifyBoundariesResult SimplifyBoundaries(const SimplifyBoundariesRequest& request);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_REGIONS_H_

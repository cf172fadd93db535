// Region boundaries for the built-in Kazakhstan vintages: from the geokz source files to the
// compact `data/kz/regions-2022.geojson` and `regions-2018.geojson`, and back to regions.
//
// The source (geokz by A. Rodionov, CC BY 4.0, based on BNS and OCHA COD-AB) carries 9-digit KATO
// codes in property `KATO`; each feature is matched to the built-in RegionSystem by the first two
// digits, given the properties `id`, `iso`, `name_en`, `name_kk`, `name_ru` from the region
// tables, ordered as the system, and simplified with shared borders kept identical (topology.h).
//
//   auto source = io::ReadGeoJson("../shared/data/geokz/kaz_admbnda_adm1_2024.geojson");
//   auto regions = geo::PrepareRegionBoundaries(source, RegionSystem::Builtin("kz-2022"), {});
//   io::WriteGeoJson(out, regions, geo::kBoundaryDecimals);
//
//   // Later, to draw them: the features in the system's order (InputError when one is missing).
//   auto shapes = geo::LoadRegionBoundaries("data/kz/regions-2022.geojson", kz2022);
#ifndef KAZMIG_GEO_BOUNDARIES_H_
#define KAZMIG_GEO_BOUNDARIES_H_

#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/core/region.h"
#include "kazmig/geo/topology.h"
#include "kazmig/io/geojson.h"

namespace kazmig::geo {

// Decimal places kept in the built-in boundary files (0.001° ≈ 110 m).
inline constexpr int kBoundaryDecimals = 3;
// Douglas–Peucker tolerance of the built-in boundary files.
inline constexpr double kBoundaryToleranceKm = 1.2;

// Simplification settings of the built-in files.
SimplifyOptions BoundarySimplifyOptions();

// The built-in file name of a vintage: "regions-2022.geojson" for "kz-2022", ...; throws
// UsageError for a vintage without boundaries (kz-2009).
std::string BoundaryFileName(const std::string& vintage);

// Matches the source features to `system` (by property `KATO`, or `id`, 2-digit prefix), sets the
// standard properties, orders them as the system and simplifies. Throws InputError naming
// `source_name` when a feature's code is not in the system, appears twice, or a region of the
// system has no feature.
std::vector<io::GeoFeature> PrepareRegionBoundaries(const std::vector<io::GeoFeature>& source,
                                                    const RegionSystem& system,
                                                    const SimplifyOptions& options,
                                                    const std::string& source_name = "source");

// Reads boundaries with an `id` property (or `KATO`) and returns one feature per region of
// `system`, in its order. Throws InputError for a missing region or an unknown id.
std::vector<io::GeoFeature> LoadRegionBoundaries(const std::filesystem::path& path,
                                                 const RegionSystem& system);

}  // namespace kazmig::geo

#endif  // KAZMIG_GEO_BOUNDARIES_H_

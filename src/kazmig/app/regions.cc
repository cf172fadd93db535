#include "kazmig/app/regions.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "kazmig/app/selection.h"
#include "kazmig/core/region.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/csv.h"
#include "kazmig/io/geojson.h"

namespace kazmig::app {

std::string ListRegions(const RegionsRequest& request, Format format) {
  const RegionSystem& system = RegionSystem::Builtin(request.vintage);
  std::vector<size_t> chosen;
  if (!request.region.empty()) {
    // Unknown in every vintage: the message of every other --region (app/selection.h, with
    // the closest names); a region of another vintage: the system's own message.
    const auto idx = system.Find(request.region);
    const importers::RegionNames names;
    if (!idx && RegionSystem::IsBuiltin(system.name()) && !names.Find(request.region) &&
        !names.IsAmbiguous(request.region)) {
      ResolvePlace("--region", request.region, nullptr);
    }
    chosen.push_back(idx ? *idx : system.Resolve(request.region, "--region"));
  } else {
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      chosen.push_back(region_idx);
    }
  }
  std::ostringstream out;
  switch (format) {
    case Format::kCsv: {
      io::CsvWriter csv(out);
      csv.Row("id", "iso", "name_en", "name_kk", "name_ru", "latitude", "longitude", "valid");
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        csv.Row(r.id, r.iso, r.name_en, r.name_kk, r.name_ru, r.latitude, r.longitude, r.valid);
      }
      break;
    }
    case Format::kJson: {
      nlohmann::ordered_json regions = nlohmann::ordered_json::array();
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        regions.push_back({{"id", r.id},
                           {"iso", r.iso},
                           {"name_en", r.name_en},
                           {"name_kk", r.name_kk},
                           {"name_ru", r.name_ru},
                           {"latitude", r.latitude},
                           {"longitude", r.longitude},
                           {"valid", r.valid},
                           {"aliases", r.aliases}});
      }
      nlohmann::ordered_json doc = {{"system", system.name()}, {"regions", regions}};
      out << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      std::vector<std::vector<std::string>> table{
          {"id", "iso", "name", "қазақша", "по-русски", "lat", "lon", "borders"}};
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        table.push_back({r.id, r.iso, r.name_en, r.name_kk, r.name_ru,
                         fmt::format("{:.2f}", r.latitude), fmt::format("{:.2f}", r.longitude),
                         r.valid});
      }
      out << system.name() << ": " << system.size() << " regions\n\n";
      out << AlignedText(table);
      break;
    }
  }
  return out.str();
}

double DefaultBoundaryToleranceKm() { return geo::kBoundaryToleranceKm; }
int DefaultBoundaryDecimals() { return geo::kBoundaryDecimals; }

SimplifyBoundariesResult SimplifyBoundaries(const SimplifyBoundariesRequest& request) {
  const RegionSystem& system = RegionSystem::Builtin(request.vintage);
  const auto source = io::ReadGeoJson(request.input);
  geo::SimplifyOptions simplify = geo::BoundarySimplifyOptions();
  simplify.tolerance_km = request.tolerance_km;
  simplify.decimals = request.decimals;
  const auto regions = geo::PrepareRegionBoundaries(source, system, simplify, request.input);
  std::ostringstream text;
  io::WriteGeoJson(text, regions, request.decimals);
  SimplifyBoundariesResult result;
  result.geojson = text.str();
  result.regions = regions.size();
  for (const auto& feature : source) result.points_before += feature.PointCount();
  for (const auto& feature : regions) result.points_after += feature.PointCount();
  return result;
}

}  // namespace kazmig::app

// The region endpoints: /api/regions, /api/regions/{id}, /api/boundaries (app/regions.h). A
// separate file: app/regions.h and app/indicators.h both declare an app::RegionsRequest.
#include <fstream>
#include <sstream>

#include "kazmig/app/regions.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/server/handlers.h"

namespace kazmig::server {

Json ParseEncoded(const std::string& text) { return Json::parse(text); }

std::string RegionIdOrNotFound(const std::string& text, bool allow_national) {
  if (allow_national && text == "KZ") return text;
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  if (const auto idx = system.IndexOfId(text)) return system[*idx].id;
  throw NotFound("unknown region '" + text + "' (a kz-2022 id such as 75; see /api/regions)" +
                 (allow_national ? ", or KZ" : ""));
}

namespace {

// The regions array of `kazmig regions VINTAGE --format json`, each with "name" (English) and
// "centroid" [lon, lat] added for the dashboard.
Json RegionsArray(const Json& document) {
  Json regions = document.at("regions");
  for (Json& region : regions) {
    Json out;
    for (auto it = region.begin(); it != region.end(); ++it) {
      out[it.key()] = it.value();
      if (it.key() == "iso") out["name"] = region.value("name_en", "");
    }
    out["centroid"] = {region.value("longitude", 0.0), region.value("latitude", 0.0)};
    region = std::move(out);
  }
  return regions;
}

}  // namespace

Json HandleRegions(HandlerContext& /*context*/, const ApiRequest& request) {
  return RegionsArray(ParseEncoded(app::ListRegions({request.vintage, ""}, app::Format::kJson)));
}

Json HandleRegion(HandlerContext& /*context*/, const ApiRequest& request) {
  const RegionSystem& system = RegionSystem::Builtin(request.vintage);
  if (!system.IndexOfId(request.region)) {
    throw NotFound("unknown region '" + request.region + "' in " + request.vintage +
                   " (see /api/regions)");
  }
  const Json regions =
      RegionsArray(ParseEncoded(app::ListRegions({request.vintage, ""}, app::Format::kJson)));
  for (const Json& region : regions) {
    if (region.value("id", "") == request.region) return region;
  }
  throw NotFound("unknown region '" + request.region + "'");
}

Json HandleBoundaries(HandlerContext& context, const ApiRequest& request) {
  const std::string year = request.vintage.substr(3);  // kz-2022 -> 2022
  const std::filesystem::path path = context.builtin_dir / ("regions-" + year + ".geojson");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound("no boundaries for " + request.vintage);
  std::ostringstream text;
  text << in.rdbuf();
  Json geojson = Json::parse(text.str());
  // properties.id is the region id; properties.name the English name (as /api/regions).
  const RegionSystem& system = RegionSystem::Builtin(request.vintage);
  for (Json& feature : geojson.at("features")) {
    Json& properties = feature["properties"];
    const std::string id = properties.value("id", "");
    if (const auto idx = system.IndexOfId(id)) {
      if (!properties.contains("name")) properties["name"] = system[*idx].name_en;
    }
  }
  return geojson;
}

}  // namespace kazmig::server

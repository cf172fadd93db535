#include "kazmig/app/names.h"

#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {
namespace {
const Region* Find(std::string_view vintage, std::string_view id) {
  const std::string system_name(vintage);
  if (!RegionSystem::IsBuiltin(system_name)) return nullptr;
  const RegionSystem& system = RegionSystem::Builtin(system_name);
  if (auto idx = system.IndexOfId(std::string(id))) return &system[*idx];
  return nullptr;
}
}  // namespace

std::string RegionDisplayName(std::string_view vintage, std::string_view id) {
  if (id == "KZ") return "Kazakhstan";
  if (const Region* region = Find(vintage, id)) return region->name_en;
  return std::string(id);
}

std::string RegionShortName(std::string_view vintage, std::string_view id) {
  if (id == "KZ") return "KZ";
  if (const Region* region = Find(vintage, id)) {
    if (region->iso.starts_with("KZ-")) return region->iso.substr(3);
    if (!region->iso.empty()) return region->iso;
  }
  return std::string(id);
}

}  // namespace kazmig::app

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

CountryNames::CountryNames(const std::filesystem::path& builtin_dir) {
  names_.emplace("CIS", "CIS countries");
  names_.emplace("NON_CIS", "non-CIS countries");
  const std::filesystem::path path = builtin_dir / "world_countries.csv";
  if (builtin_dir.empty() || !std::filesystem::exists(path)) return;
  io::CsvReader csv(path.string());
  const size_t iso3 = csv.Column("iso3");
  const size_t name = csv.Column("name");
  while (csv.Next()) names_.emplace(std::string(csv.Field(iso3)), std::string(csv.Field(name)));
}

std::string CountryNames::Name(std::string_view iso3) const {
  const auto it = names_.find(iso3);
  return it == names_.end() ? std::string(iso3) : it->second;
}

bool CountryNames::Has(std::string_view iso3) const { return names_.find(iso3) != names_.end(); }

}  // namespace kazmig::app

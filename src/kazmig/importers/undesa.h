// Importers for the global bilateral tables of `abel_flows_undesa_stock_x80110/`:
//   UN DESA International Migrant Stock 2020 (`year,orig,orig_region,dest,dest_region,stock`)
//     -> stocks "un_stock" (pob = orig, por = dest)
//   Abel & Cohen 5-year flow estimates (`year0,orig,orig_region,dest,dest_region,flow`)
//     -> flows "abel_flows" (year = year0, period "year0-year0+5"), provenance Estimated
// Country names resolve to ISO3 through `country-metadata-flags.csv` (origin_iso,origin_name),
// plus the spelling variants the chord-diagram files use ("St. Lucia", "Curacao", "FS
// Micronesia", ...). Only rows touching `focus` (ISO3, default KAZ) are kept; an empty focus
// keeps the world table (ImportWorld*: indicators world_un_stock, world_abel_flows). An unknown
// country name, a negative value or a duplicated key: InputError at the line.
//
//   CountryNames countries = CountryNames::FromMetadata(dir / "country-metadata-flags.csv");
//   store::Batch stock = ImportUnStock(dir / "undesa_ims2020_bilateral_stock_bothsexes.csv",
//                                      countries);
#ifndef KAZMIG_IMPORTERS_UNDESA_H_
#define KAZMIG_IMPORTERS_UNDESA_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "kazmig/store/store.h"

namespace kazmig::importers {

class CountryNames {
 public:
  static CountryNames FromMetadata(const std::filesystem::path& path);
  // ISO3 of a country name (case-insensitive, '&' = 'and', "St." = "Saint"), or an ISO3 itself.
  std::optional<std::string> Find(std::string_view name) const;

 private:
  std::map<std::string, std::string> by_key_;
};

store::Batch ImportUnStock(const std::filesystem::path& path, const CountryNames& countries,
                           const std::string& focus = "KAZ");
store::Batch ImportAbelFlows(const std::filesystem::path& path, const CountryNames& countries,
                             const std::string& focus = "KAZ");

// The full world tables, as indicators "world_un_stock" and "world_abel_flows" (every pair; same
// provenance as the Kazakhstan tables). Every country name must map to ISO3 (else InputError).
store::Batch ImportWorldUnStock(const std::filesystem::path& path, const CountryNames& countries);
store::Batch ImportWorldAbelFlows(const std::filesystem::path& path, const CountryNames& countries);

// `world_countries.csv` of the built-in dataset: `iso3,name,region` from the country metadata
// (`origin_iso,origin_name,...,originregion_name`), one row per ISO3 (the first of the metadata's
// spellings names it), sorted by ISO3. A malformed ISO3: InputError at the line.
std::string WorldCountriesCsv(const std::filesystem::path& metadata);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_UNDESA_H_

// Names for people: the one place tables (and the report) turn region ids and ISO3 country codes
// into names. Regions come from the built-in boundary systems (kz-2009, kz-2018, kz-2022);
// countries from the built-in world_countries.csv (iso3,name,region; UN DESA country metadata)
// with the CIS statistics' aggregates added.
//
//   app::RegionDisplayName("kz-2022", "75");     // "Almaty (city)"
//   app::RegionShortName("kz-2022", "75");       // "ALA" (ISO 3166-2 without "KZ-")
//   app::CountryNames countries(app::BuiltinDataDir());
//   countries.Name("DEU");                       // "Germany"
#ifndef KAZMIG_APP_NAMES_H_
#define KAZMIG_APP_NAMES_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace kazmig::app {

// The English name of region `id` of the built-in system `vintage`; "Kazakhstan" for the national
// id "KZ"; `id` itself when the system or the id is unknown.
std::string RegionDisplayName(std::string_view vintage, std::string_view id);

// A short label of region `id` for narrow headers: its ISO 3166-2 code without "KZ-" ("ALA",
// "AST"), "KZ" for the nation, `id` itself when unknown.
std::string RegionShortName(std::string_view vintage, std::string_view id);

// ISO3 -> English name, from `builtin_dir`/world_countries.csv (empty when it is not there) plus
// the aggregates of the CIS statistics ("CIS" -> "CIS countries", "NON_CIS" -> "non-CIS
// countries").
class CountryNames {
 public:
  CountryNames() = default;
  explicit CountryNames(const std::filesystem::path& builtin_dir);
  // The name of `iso3`, or `iso3` itself when unknown.
  std::string Name(std::string_view iso3) const;
  bool Has(std::string_view iso3) const;

 private:
  std::map<std::string, std::string, std::less<>> names_;
};

}  // namespace kazmig::app

#endif  // KAZMIG_APP_NAMES_H_

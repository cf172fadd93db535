// What a user selects with --region, --country and --year, checked against what exists: the one
// place where a selection that would give an empty answer becomes an error (InputError, exit 3)
// naming what is unknown and what exists (the years with data; the closest names).
//
//   app::CountryNames countries = app::CountryNames::Load(app::BuiltinDataDir());
//   countries.Find("Россия");                                  // "RUS"
//   app::PlaceMatch place = app::ResolvePlace("--region", "Narnia", &countries);
//   // throws InputError: "--region: unknown region or country 'Narnia': no region of
//   //                     Kazakhstan or country of that name or code; closest: ..."
//   app::RequireYear("--year", 2021, {2022, 2023, 2024}, "net_internal");
//   // throws InputError: "--year 2021: net_internal has no data for 2021; years with data:
//   //                     2022–2024"
#ifndef KAZMIG_APP_SELECTION_H_
#define KAZMIG_APP_SELECTION_H_

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::app {

// Years as compact runs: "1991–2025", "2009, 2011–2013"; "none" when empty.
std::string YearRanges(const std::vector<int>& years);

// Levenshtein distance over Unicode code points of the two texts lower-cased (ASCII and
// Cyrillic, Kazakh letters included).
size_t EditDistance(std::string_view a, std::string_view b);

// Up to `count` of `names` closest to `text` by EditDistance (a name that starts with or contains
// the text counts as close), nearest first, ties in the order given; only names within half
// their length (at least 2 edits) are offered.
std::vector<std::string> ClosestNames(std::string_view text, const std::vector<std::string>& names,
                                      size_t count = 3);

// The names of the countries of the built-in data (data/kz/country_names.csv: ISO3 with names in
// English, Russian and Kazakh; world_countries.csv when that file is absent).
// Also the one place tables turn ISO3 codes into English names (app/names.h), with the aggregates
// of the CIS statistics ("CIS" -> "CIS countries", "NON_CIS" -> "non-CIS countries").
class CountryNames {
 public:
  CountryNames() = default;
  explicit CountryNames(const std::filesystem::path& builtin_dir)
      : CountryNames(Load(builtin_dir)) {}
  static CountryNames Load(const std::filesystem::path& builtin_dir);
  // ISO3 of a country given as an ISO3 code (any case) or a name in any of the three languages;
  // nullopt when unknown.
  std::optional<std::string> Find(std::string_view text) const;
  // The English name of an ISO3 code or CIS aggregate (the code itself when unknown).
  std::string Name(std::string_view iso3) const;
  // The display name of `iso3` in `lang` ("en", "ru", "kk"): the first name of that language in
  // country_names.csv (the Bureau's name where it differs from ISO's); the English name when the
  // language has none.
  std::string Name(std::string_view iso3, std::string_view lang) const;
  // Whether `iso3` has a name (a country of the built-in data or an aggregate).
  bool Has(std::string_view iso3) const;
  // "Name (ISO3)" of the names closest to `text`.
  std::vector<std::string> Closest(std::string_view text, size_t count = 3) const;
  bool empty() const { return english_.empty(); }

 private:
  std::map<std::string, std::string> by_key_;   // lower-cased name or code -> ISO3
  std::map<std::string, std::string> english_;  // ISO3 -> English name
  std::map<std::pair<std::string, std::string>, std::string> local_;  // (ISO3, lang) -> name
  std::vector<std::pair<std::string, std::string>> names_;            // (name, ISO3), file order
};

struct PlaceMatch {
  std::string text;                    // as the user wrote it
  std::optional<std::string> region;   // KATO id (or "KZ") when a region of Kazakhstan
  std::optional<std::string> country;  // ISO3 when a country (countries given)
  std::string label;                   // "Almaty (75)", "Germany (DEU)"
};

// Resolves `text` (of option `flag`) as a region of Kazakhstan (KATO, ISO 3166-2 or a name in
// English, Kazakh or Russian, historic ones included; "KZ" for the country) and, when `countries`
// is given, as a country (ISO3 or name). Throws InputError when it is neither, naming the closest
// region (and country) names, or when the region name is ambiguous (city or region?).
PlaceMatch ResolvePlace(std::string_view flag, std::string_view text,
                        const CountryNames* countries);

// Throws InputError unless `year` is one of `years`: "FLAG YEAR: WHAT has no data for YEAR; years
// with data: RANGES" ("have" when `what` names several things, e.g. "a and b").
void RequireYear(std::string_view flag, int year, const std::vector<int>& years,
                 std::string_view what, bool plural = false);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_SELECTION_H_

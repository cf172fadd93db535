// Shared pieces of the importers: region-name resolution through the crosswalk, the vintage rule
// for tables that follow the boundaries of each year, and indicator descriptions.
//
//   importers::RegionNames names = importers::RegionNames::FromCrosswalk(
//       shared / "crosswalk" / "kz_regions_crosswalk.csv");
//   std::optional<std::string> id = names.Find("Западно-Казахстанская");   // "27"
//   names.Find("Республика Казахстан");                                     // "KZ"
//   std::string v = importers::VintageOfYear({"11", "61", "79"});           // "kz-2018"
#ifndef KAZMIG_IMPORTERS_COMMON_H_
#define KAZMIG_IMPORTERS_COMMON_H_

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "kazmig/store/store.h"

namespace kazmig::importers {

// Resolves the region names and codes that Kazakhstan's sources use to KATO 2-digit ids: names in
// Russian (BNS), English and Kazakh, ISO 3166-2, 9-digit KATO, the makenerzhan 3-letter codes and
// the islambekov English names, plus "KZ" for the national total ("Республика Казахстан",
// "national", "Kazakhstan"). Historical names resolve to their unit ("Южно-Казахстанская" -> 51,
// "Nur-Sultan" -> 71). "Туркестанская" resolves to 61; callers that read years before 2017
// remap it to 51 (BNS footnote: 2000-2016 values are South Kazakhstan's).
class RegionNames {
 public:
  // Names from the built-in region systems only.
  RegionNames();
  // Adds every name and code column of the collector's crosswalk file (kato2, kato9,
  // iso_3166_2, geokz_adm1_pcode, name_en_geokz2024, name_ru_bns, makenerzhan_code,
  // islambekov_name). Throws InputError on a malformed file or a name mapped to two ids.
  static RegionNames FromCrosswalk(const std::filesystem::path& path);

  // The id, or nullopt for an unknown or ambiguous name ("Almaty": city or region).
  std::optional<std::string> Find(std::string_view text) const;
  bool IsAmbiguous(std::string_view text) const;

 private:
  std::map<std::string, std::string> by_key_;  // normalised name -> id
  std::set<std::string> ambiguous_;            // names of two units
};

// The boundary vintage of one year of a table that follows the borders of each year, from the
// ids present: kz-2022 when Abai, Jetisu or Ulytau (10, 33, 62) is present; else kz-2018 when
// Turkistan or Shymkent (61, 79) is present and South Kazakhstan (51) is not; else kz-2009.
std::string VintageOfYear(const std::set<std::string>& ids);
// The vintage to store `id` under in a year whose vintage is `year_vintage`: that vintage when the
// id is one of its units ("KZ" always is), else the first built-in vintage that has the id (e.g. a
// Shymkent value recalculated for 2014, a kz-2009 year, is stored under kz-2018).
std::string VintageForId(const std::string& id, const std::string& year_vintage);

// Description (unit, notes) of an indicator of the built-in dataset; throws std::out_of_range for
// a name that is not one.
const store::IndicatorMeta& BuiltinIndicator(std::string_view name);
// Every indicator the built-in dataset can contain, in documentation order.
const std::vector<store::IndicatorMeta>& BuiltinIndicators();

// Plausible years of an imported table and of `data import --year`: a year outside is a data error
// (or a usage error on the command line).
inline constexpr int kMinTableYear = 1900;
inline constexpr int kMaxTableYear = 2100;

// True when an indicator may hold negative values (nets and balances); other series reject them.
bool AllowsNegative(std::string_view indicator);

// Line and column (1-based) of a byte offset in a text (for parsers that report offsets).
std::pair<long, long> LineColumnOf(std::string_view text, size_t offset);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_COMMON_H_

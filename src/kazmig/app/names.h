// Names for people: the one place tables (and the report) turn region ids and ISO3 country codes
// into names. Regions come from the built-in boundary systems (kz-2009, kz-2018, kz-2022);
// countries through CountryNames (app/selection.h: data/kz/country_names.csv, English names from
// the UN DESA country metadata, with the CIS statistics' aggregates added).
//
//   app::RegionDisplayName("kz-2022", "75");     // "Almaty (city)"
//   app::RegionShortName("kz-2022", "75");       // "ALA" (ISO 3166-2 without "KZ-")
//   app::CountryNames countries(app::BuiltinDataDir());
//   countries.Name("DEU");                       // "Germany"
#ifndef KAZMIG_APP_NAMES_H_
#define KAZMIG_APP_NAMES_H_

#include <string>
#include <string_view>

#include "kazmig/app/selection.h"  // CountryNames: ISO3 <-> names (English, Russian, Kazakh)

namespace kazmig::app {

// The English name of region `id` of the built-in system `vintage`; "Kazakhstan" for the national
// id "KZ"; `id` itself when the system or the id is unknown.
std::string RegionDisplayName(std::string_view vintage, std::string_view id);

// A short label of region `id` for narrow headers: its ISO 3166-2 code without "KZ-" ("ALA",
// "AST"), "KZ" for the nation, `id` itself when unknown.
std::string RegionShortName(std::string_view vintage, std::string_view id);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_NAMES_H_

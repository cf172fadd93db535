// Importer for the KATO-keyed JSON tables of `bns_kazdata_atlas/` (BNS dynamic tables packaged as
// {"indicator", "unit", "source_download", "periods", "values": {period: {KATO9: value}}}).
//
// The file's "indicator" names the series: births, deaths, migration_balance (-> net_all),
// nominal_income_per_capita (-> income_per_capita), grp_per_capita, housing_commissioned. The
// quarterly unemployment_rate file has no annual values and is rejected (the annual series comes
// from the econdata importer).
//
// Rules, each tested:
//   - Periods are years; the vintage of each year follows the ids present (VintageOfYear): the
//     source keeps only KATO codes of 2026, so South Kazakhstan (51) is absent for 2000-2016; those
//     years are kz-2009 without 51 (excluded, not imputed) and `data check` reports the gap.
//   - null values are missing; negative values are errors except for net_all.
//   - grp_per_capita: a value above 10,000 that is more than 100 times the region's next
//     available (corrected) value, and whose thousandth is within a factor 5 of it, is a
//     thousands-separator error: divided by 1000 and marked Estimated("thousands-separator
//     correction"). Years are processed from the latest back so consecutive errors are caught.
//
//   store::Batch b = importers::ImportKatoJson("bns_kazdata_atlas/births.json");
#ifndef KAZMIG_IMPORTERS_KATO_JSON_H_
#define KAZMIG_IMPORTERS_KATO_JSON_H_

#include <filesystem>
#include <map>
#include <string>

#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportKatoJson(const std::filesystem::path& path);

// The thousands-separator rule for one region's series (year -> value), applied in place; returns
// the years corrected.
std::vector<int> CorrectThousandsSeparator(std::map<int, double>& series);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_KATO_JSON_H_

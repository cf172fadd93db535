// The first releases of Kazakhstan's international migration, before the Bureau revised them.
//
// The Bureau of National Statistics revises published years (2022: 17,293 arrivals and 24,239
// departures when first released, 17,425 and 24,147 now). The first-release figures are not in a
// machine-readable table: they are known from press reports citing the Bureau, which the data
// collector lists in `PROVENANCE.md`, section 8 ("Published BNS figures usable as held-out
// checks"). ImportFirstReleases reads that section's rows
//
//   | International migration 2022: arrivals / departures / net | 17,293 / 24,239 / −6,946 | page |
//
// (whole years only; half years and quarters are skipped) into the national series
// intl_arrivals_first_release and intl_departures_first_release (region KZ, kz-2022), official,
// with the page as the provenance detail. A row of that figure whose values are not three
// numbers, a year repeated, or a file without section 8: InputError naming the line.
//
//   store::Batch b = importers::ImportFirstReleases(shared / "PROVENANCE.md");
#ifndef KAZMIG_IMPORTERS_FIRST_RELEASE_H_
#define KAZMIG_IMPORTERS_FIRST_RELEASE_H_

#include <filesystem>

#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportFirstReleases(const std::filesystem::path& provenance_md);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_FIRST_RELEASE_H_

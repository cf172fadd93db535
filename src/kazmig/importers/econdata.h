// Importers for the long CSVs of `bns_econdata_makenerzhan/` (BNS dynamic tables transcribed from
// makenerzhan-gif/kazakhstan-economic-data).
//
// ImportEcondataSeries reads `date,region,item_code,item_name,value[,transformation][,qa_flag]`:
//   population_avg_by_region_ALL_2009_2025.csv  (item ALL)    -> population_avg
//   grp_nominal_by_region_1993_2025.csv         (item GDP)    -> grp_nominal
//   unemployment_rate_by_region_2001_2025.csv   (item TOTAL)  -> unemployment_rate
// Rules, each tested: region codes resolve through RegionNames ("national" -> KZ); the year is the
// first four characters of `date`; the vintage of each year follows the ids present
// (VintageOfYear) and ids outside it go to the first vintage that has them (VintageForId); a row
// with a non-empty `qa_flag` is EXCLUDED (the flagged value is not imported; SOURCES.md lists
// them); a duplicated (region, year), a negative value (except for nets), an unknown code or item:
// InputError at the line.
//
// ImportCisMigration reads `year,reporter,flow,partner,persons,note`
// (kaz_international_migration_cisstat_1991_2025.csv):
//   KAZ arrivals/departures with partner ALL -> intl_arrivals / intl_departures (region KZ), and
//   intl_net = arrivals - departures for the years with both;
//   KAZ rows with another partner -> intl_arrivals_by_partner (partner -> KAZ) and
//   intl_departures_by_partner (KAZ -> partner), ids ISO3 plus CIS and NON_CIS;
//   rows reported by another country (arrivals_from_kaz, departures_to_kaz) -> intl_mirror.
//   A note ("2025 may be preliminary") goes into the value's provenance detail.
#ifndef KAZMIG_IMPORTERS_ECONDATA_H_
#define KAZMIG_IMPORTERS_ECONDATA_H_

#include <filesystem>
#include <string>

#include "kazmig/importers/common.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

// `indicator` overrides the name chosen from item_code when not empty.
store::Batch ImportEcondataSeries(const std::filesystem::path& path, const RegionNames& names,
                                  const std::string& indicator = {});

store::Batch ImportCisMigration(const std::filesystem::path& path);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_ECONDATA_H_

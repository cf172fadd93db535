// Importer for internal migration by region (`kz_internal_migration_islambekov/`,
// `internal_migration_YYYY.csv`: `region,month,arrivals,departures,net`).
//
// Rules, each tested:
//   - The year is given by the caller (the file name holds it: internal_migration_2024.csv).
//   - Rows with month "Total" are annual values; a file of monthly rows (January..December) is
//     summed to the year, which needs all 12 months of every region (else InputError). A file may
//     not mix the two.
//   - net must equal arrivals - departures on every row (else InputError at the line).
//   - Regions resolve through RegionNames to the 2022 borders (20 regions); each region once.
//   - Stored: net_internal (inter-regional net), arrivals_internal and departures_internal (which
//     include moves between districts inside a region: see the indicator notes).
//
//   store::Batch b = importers::ImportInternalMigration("internal_migration_2024.csv", 2024,
//   names);
#ifndef KAZMIG_IMPORTERS_INTERNAL_MIGRATION_H_
#define KAZMIG_IMPORTERS_INTERNAL_MIGRATION_H_

#include <filesystem>
#include <optional>

#include "kazmig/importers/common.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportInternalMigration(const std::filesystem::path& path, int year,
                                     const RegionNames& names);

// The year in a file name such as "internal_migration_2024.csv", or nullopt.
std::optional<int> YearFromFileName(const std::filesystem::path& path);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_INTERNAL_MIGRATION_H_

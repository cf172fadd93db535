// Builds Kazakhstan's built-in dataset (`data/kz/`) from the collected sources in
// `../shared/data/` (see its PROVENANCE.md): every importer run over its real file, merged into
// one batch (plus the estimated inter-regional OD matrix computed from it), written in the dataset
// folder format (store/builtin.h) with SOURCES.md beside it.
//
//   store::Batch kz = importers::BuildBuiltin("../shared/data");
//   importers::WriteBuiltin(kz, "data/kz");   // CSV files + SOURCES.md, deterministic bytes
#ifndef KAZMIG_IMPORTERS_BUILTIN_H_
#define KAZMIG_IMPORTERS_BUILTIN_H_

#include <filesystem>
#include <string>

#include "kazmig/store/store.h"

namespace kazmig::importers {

// Runs every importer over `shared_data` (the folder holding crosswalk/, bns_population_odk/,
// ...). Throws InputError naming the file when a source is missing or invalid.
store::Batch BuildBuiltin(const std::filesystem::path& shared_data);

// Writes the dataset folder and SOURCES.md (sources, licences, attribution, official vs estimated,
// the rule applied to each flag, and the coverage of each indicator).
void WriteBuiltin(const store::Batch& batch, const std::filesystem::path& out_dir);

// Kazakhstan's estimated inter-regional origin-destination matrix (flows indicator
// `od_internal_estimated`, kz-2022, provenance *estimated*) for every year in which every region
// of kz-2022 has an official net_internal: estimate::EstimateKzOd (default assumptions) over the
// population_avg and net_internal rows of `official`. `value` is the central run, `low`/`high`
// the cell-wise range over the sensitivity grid, all rounded to kOdDecimals decimals (stable
// bytes across machines). Throws ComputeError when a year's inputs are inconsistent.
inline constexpr int kOdDecimals = 2;
store::Batch EstimatedInternalOd(const store::Batch& official);

// Writes `world_countries.csv` (iso3,name,region) from the country metadata of `shared_data`
// (importers::WorldCountriesCsv): not a store indicator, the names of the world tables' ISO3.
void WriteWorldCountries(const std::filesystem::path& shared_data,
                         const std::filesystem::path& out_dir);

// The text of SOURCES.md for `batch`.
std::string SourcesMarkdown(const store::Batch& batch);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_BUILTIN_H_

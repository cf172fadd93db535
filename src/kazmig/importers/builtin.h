// Builds the official part of Kazakhstan's built-in dataset (`data/kz/`) from the collected
// sources in `../shared/data/` (see its PROVENANCE.md): every importer run over its real file,
// merged into one batch, written in the dataset folder format (store/builtin.h) with SOURCES.md
// beside it. The model-based inter-regional OD estimate is an analysis: app::BuildBuiltinBatch
// (app/data.h) appends it before writing, and SourcesMarkdown describes it when it is there.
//
//   store::Batch kz = importers::BuildBuiltin("../shared/data");
//   importers::WriteBuiltin(kz, "data/kz");   // CSV files + SOURCES.md, deterministic bytes
#ifndef KAZMIG_IMPORTERS_BUILTIN_H_
#define KAZMIG_IMPORTERS_BUILTIN_H_

#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/store/store.h"

namespace kazmig::importers {

// Runs every importer over `shared_data` (the folder holding crosswalk/, bns_population_odk/,
// ...). Throws InputError naming the file when a source is missing or invalid.
store::Batch BuildBuiltin(const std::filesystem::path& shared_data);

// Writes the dataset folder and SOURCES.md (sources, licences, attribution, official vs estimated,
// the rule applied to each flag, and the coverage of each indicator).
void WriteBuiltin(const store::Batch& batch, const std::filesystem::path& out_dir);

// Writes `world_countries.csv` (iso3,name,region) from the country metadata of `shared_data`
// (importers::WorldCountriesCsv): not a store indicator, the names of the world tables' ISO3.
void WriteWorldCountries(const std::filesystem::path& shared_data,
                         const std::filesystem::path& out_dir);

// Writes `policy_measures.csv` (the register of measures, importers::ReadPolicyMeasures with the
// accepted `kinds`, re-written by PolicyMeasuresCsv) from `shared_data`/kz_policy_labour: not a
// store indicator, read by `kazmig policy` and the report.
void WritePolicyMeasures(const std::filesystem::path& shared_data,
                         const std::filesystem::path& out_dir,
                         const std::vector<std::string>& kinds);

// The decimals the built-in dataset rounds its model-based od_internal_estimated flows to
// (app::EstimatedInternalOd rounds, SourcesMarkdown says so).
inline constexpr int kOdDecimals = 2;

// The text of SOURCES.md for `batch` (with a paragraph on its od_internal_estimated rows when it
// has them).
std::string SourcesMarkdown(const store::Batch& batch);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_BUILTIN_H_

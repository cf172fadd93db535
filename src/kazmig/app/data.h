// The `kazmig data` use cases: building the built-in dataset folder (data/kz) from the collected
// sources — the importers, then the model-based inter-regional OD estimate computed from their
// official series (the one function app::EstimateInternalOd) — and the store's data commands.
//
//   app::BuildBuiltinResult built = app::BuildBuiltinDataset("../shared/data", "data/kz");
//   // built.values, built.indicators: what was written (CSV files, SOURCES.md,
//   // world_countries.csv; deterministic bytes)
#ifndef KAZMIG_APP_DATA_H_
#define KAZMIG_APP_DATA_H_

#include <cstddef>
#include <filesystem>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/region_series.h"
#include "kazmig/store/store.h"

namespace kazmig::app {

// Kazakhstan's estimated inter-regional origin-destination matrix (flows indicator
// `od_internal_estimated`, kz-2022, provenance *estimated*) for every year in which every region
// of kz-2022 has an official net_internal: app::EstimateInternalOd (default assumptions) over the
// population_avg and net_internal rows of `official`. `value` is the central run, `low`/`high`
// the cell-wise range over the sensitivity grid, all rounded to 2 decimals (stable
// bytes across machines; importers::kOdDecimals). Throws ComputeError when a year's inputs are
// inconsistent.
store::Batch EstimatedInternalOd(const store::Batch& official);

// The whole built-in dataset: importers::BuildBuiltin over `shared_data` (the folder holding
// crosswalk/, bns_population_odk/, ...) followed by EstimatedInternalOd of its official series
// (its indicator listed last). Throws InputError naming a missing or invalid source file.
store::Batch BuildBuiltinBatch(const std::filesystem::path& shared_data);

struct BuildBuiltinResult {
  size_t values = 0;
  size_t indicators = 0;
};

// Builds the built-in dataset and writes the folder `out_dir` (dataset CSV files, SOURCES.md and
// world_countries.csv), the bytes `kazmig data build-builtin` commits as data/kz.
BuildBuiltinResult BuildBuiltinDataset(const std::filesystem::path& shared_data,
                                       const std::filesystem::path& out_dir);

// A Kazakhstan dataset in memory (tests, examples): the kz-2022 values of each of `series` (stored
// under its indicator name, with its provenances) and the OD estimate stored from population_avg
// and net_internal for `od_years`, exactly as EstimatedInternalOd stores it (rounded, banded);
// boundaries and country names come from `builtin_dir`. Throws ComputeError as
// EstimatedInternalOd.
KzDataset InMemoryKzDataset(const std::vector<const RegionSeries*>& series,
                            const std::vector<int>& od_years,
                            const std::filesystem::path& builtin_dir);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_DATA_H_

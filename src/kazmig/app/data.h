// The `kazmig data` use cases: building the built-in dataset folder (data/kz) from the collected
// sources — the importers, then the model-based inter-regional OD estimate computed from their
// official series (the one function app::EstimateInternalOd) — and the store's data commands
// (init, list, show, import, check), each returning its output encoded in the requested format.
//
//   app::BuildBuiltinResult built = app::BuildBuiltinDataset("../shared/data", "data/kz");
//   // built.values, built.indicators: what was written (CSV files, SOURCES.md,
//   // world_countries.csv; deterministic bytes)
//
//   app::DataStore where{app::DefaultDbPath(), app::BuiltinDataDir(), "kz"};
//   std::string csv = app::ListIndicators(where, app::Format::kCsv);
//   app::DataCheckResult check = app::CheckDataset(where, app::Format::kTable);
#ifndef KAZMIG_APP_DATA_H_
#define KAZMIG_APP_DATA_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
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

// ---- the store's data commands -----------------------------------------------------------------

// The name of the built-in dataset in the store ("kz").
inline constexpr std::string_view kBuiltinDatasetName = store::kBuiltinDataset;

// Where the data commands work: the database (the built-in dataset loaded into it on first use
// from `builtin_dir`, store::OpenWithBuiltin) and the dataset they read or write.
struct DataStore {
  std::string db_path;
  std::filesystem::path builtin_dir;
  std::string dataset = std::string(kBuiltinDatasetName);
};

struct DataInitResult {
  size_t indicators = 0;  // distinct indicator names in the database
  long long values = 0;
};

// `kazmig data init`: loads the built-in dataset (again, after deleting it, when `force`).
DataInitResult InitBuiltin(const DataStore& where, bool force);

// `kazmig data list`: the indicators of the dataset (csv: every column; json: {"dataset",
// "indicators"}; table: for people). Throws UsageError when the dataset does not exist.
std::string ListIndicators(const DataStore& where, Format format);

struct DataShowRequest {
  std::string indicator;  // a store indicator, or "population" (population_jan1, population_avg)
  std::string region;     // KATO, ISO, name, "KZ" or ISO3; empty = all
  int year = 0;           // 0 = all
  std::string vintage;    // empty = all
  bool with_provenance = false;
  // Flows of a built-in region system as a matrix per year (app/od_matrix.h): origins as rows,
  // destinations as columns, with totals (csv: ids; table: names and codes; json: unchanged).
  bool wide = false;
};

// `kazmig data show`: the values of an indicator, encoded. Throws UsageError for an unknown
// indicator or an ambiguous region name.
std::string ShowIndicator(const DataStore& where, const DataShowRequest& request, Format format);

// The formats `kazmig data import --format` accepts.
const std::vector<std::string>& ImportFormats();

struct DataImportRequest {
  std::string format;  // one of ImportFormats()
  std::string file;
  std::string indicator;
  std::string unit;
  std::string vintage = "kz-2022";
  std::string source;
  std::string detail;
  bool estimated = false;
  std::string notes;
  int year = 0;
  std::string crosswalk;
  std::string countries;
  std::string focus = "KAZ";
};

struct DataImportResult {
  size_t values = 0;
  std::string indicators;  // "a, b"
};

// `kazmig data import`: reads and validates the whole file first (importers), then writes it into
// the dataset in one transaction. Throws UsageError for missing options, InputError for the file.
DataImportResult ImportFile(const DataStore& where, const DataImportRequest& request);

struct DataCheckResult {
  std::string output;              // the check report, encoded
  std::vector<std::string> lines;  // "NAME: ok — SUMMARY" per check, for stderr
  bool passed = true;              // every assertion holds
};

// `kazmig data check`: the consistency checks of the dataset (store/checks.h).
DataCheckResult CheckDataset(const DataStore& where, Format format);

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

// The kazmig store: one SQLite file holding datasets of region series, flows and stocks, each
// value with its provenance.
//
// The schema evolves through numbered migrations (table `schema_version`); migration 1 creates
// datasets, region_systems, regions, crosswalks, indicators, provenances, series, flows and
// stocks; migration 2 adds the optional low/high band of flows (3 makes the built-in dataset
// reload once, so the bands are read); 4 adds projection_runs (kazmig project); 5 adds the
// indicator kind `composition` and its table `compositions` (a flow or population by group:
// counts, shares or both, e.g. international departures by ethnic group). Every write runs in
// one transaction: a write that fails (a bad value, a duplicated key, a constraint) rolls back and
// leaves the database file byte-identical.
//
//   store::Store db = store::OpenWithBuiltin(globals.ResolvedDbPath(), cli::BuiltinDataDir());
//   RegionSeries pop = db.LoadSeries("population_avg");       // kz-2022 order, then "KZ"
//   std::optional<double> almaty = pop.Get(18, 2023);          // index 18 = "75" in kz-2022
//   RegionSeries arrivals = db.LoadSeries("intl_arrivals");    // one region: "KZ", 1991-2025
//   std::vector<store::FlowRow> by_partner = db.LoadFlows("intl_arrivals_by_partner");
//
//   store::Batch batch;                      // what an importer produces
//   batch.dataset = "kz";
//   batch.indicators.push_back({"births", store::IndicatorKind::kSeries, "persons", "..."});
//   batch.series.push_back({"births", "kz-2022", "75", 2023, 31234,
//                           Provenance::Official("BNS table 6548")});
//   db.Write(batch);                         // one transaction; throws InputError, changes nothing
//
// Indicator names of the built-in dataset "kz" (see docs/data.md): population_jan1,
// population_avg, births, deaths, net_internal, arrivals_internal, departures_internal, net_all,
// intl_arrivals, intl_departures, intl_net, grp_nominal, grp_per_capita, income_per_capita,
// unemployment_rate, housing_commissioned, population_jan1_male, population_jan1_female
// (series); intl_arrivals_by_partner, intl_departures_by_partner, intl_mirror, abel_flows,
// world_abel_flows, od_internal_estimated (flows; the last is model-based, with low/high bands);
// un_stock, world_un_stock (stocks); intl_departures_by_ethnicity, intl_arrivals_by_ethnicity
// (compositions). National totals use region id "KZ".
#ifndef KAZMIG_STORE_STORE_H_
#define KAZMIG_STORE_STORE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/provenance.h"
#include "kazmig/core/region_series.h"

namespace kazmig::store {

// The region id of national totals in series.
inline constexpr std::string_view kNational = "KZ";
// The name of the built-in dataset.
inline constexpr std::string_view kBuiltinDataset = "kz";

enum class IndicatorKind { kSeries, kFlows, kStocks, kComposition };
// "series", "flows", "stocks", "composition".
std::string_view KindName(IndicatorKind kind);
// The kind of a name (KindName's inverse); nullopt for an unknown name.
std::optional<IndicatorKind> ParseKindName(std::string_view name);

// Description of one indicator of a dataset.
struct IndicatorMeta {
  std::string name;
  IndicatorKind kind = IndicatorKind::kSeries;
  std::string unit;   // "persons", "%", "KZT per month", ...
  std::string notes;  // definition and caveats (e.g. "includes intra-regional moves")
};

// One value of a region series. `vintage` names the region system of `region_id` ("kz-2009",
// "kz-2018", "kz-2022"); national totals have region_id "KZ".
struct SeriesRow {
  std::string indicator;
  std::string vintage;
  std::string region_id;
  int year = 0;
  double value = 0.0;
  Provenance provenance;
};

// One origin-destination value. `vintage` names the id system ("kz-2022", "iso3"). `year` is the
// calendar year, or the first year of `period` (e.g. year 2015, period "2015-2020"); `period` is
// empty for annual data. An estimate may carry a band (`low` <= value <= `high`, e.g. the range
// over a sensitivity grid; columns flow_low, flow_high of the dataset folder).
struct FlowRow {
  std::string indicator;
  std::string vintage;
  std::string orig;
  std::string dest;
  int year = 0;
  std::string period;
  double value = 0.0;
  Provenance provenance;
  std::optional<double> low = std::nullopt;
  std::optional<double> high = std::nullopt;
};

// One stock value: people born in `pob` living in `por` at `year`.
struct StockRow {
  std::string indicator;
  std::string vintage;
  std::string pob;
  std::string por;
  int year = 0;
  double value = 0.0;
  Provenance provenance;
};

// One value of a composition (migration 5): how many of `indicator` (a flow or a population of
// `region_id`, "KZ" for the country) over `period` belong to `group`, as a count (`persons`), a
// share of the whole in percent (`share_pct`, in (0, 100]) or both; at least one is given. `year`
// is the period's first year; `period` is "" for the calendar year `year`, else its text
// ("2013-01..2013-07", "2015-2020"). Shares of one indicator, region and period sum to at most
// 100 (groups not listed make up the rest). Not a rate and not a regional series: nothing sums
// or divides it by population.
struct CompositionRow {
  std::string indicator;
  std::string vintage;
  std::string region_id;
  int year = 0;
  std::string period;
  std::string group;
  std::optional<double> persons = std::nullopt;
  std::optional<double> share_pct = std::nullopt;
  Provenance provenance;
};

// A set of rows to write in one transaction (what an importer produces). Every indicator used by
// a row must be described in `indicators` (or already exist in the dataset).
struct Batch {
  std::string dataset = std::string(kBuiltinDataset);
  std::string description;  // used when the dataset is created
  std::vector<IndicatorMeta> indicators;
  std::vector<SeriesRow> series;
  std::vector<FlowRow> flows;
  std::vector<StockRow> stocks;
  std::vector<CompositionRow> compositions;

  size_t size() const { return series.size() + flows.size() + stocks.size() + compositions.size(); }
  // Appends `other`'s rows and indicators (indicators already present are kept once).
  void Append(Batch other);
};

// What `ListIndicators` reports for one indicator (one row per indicator and vintage).
struct IndicatorInfo {
  std::string name;
  IndicatorKind kind = IndicatorKind::kSeries;
  std::string unit;
  std::string vintage;
  int first_year = 0;
  int last_year = 0;
  long long value_count = 0;
  long long region_count = 0;                 // distinct regions (series) or pairs (flows, stocks)
  std::vector<std::string> provenance_kinds;  // "official", "estimated" (sorted, distinct)
  std::string notes;
};

struct DatasetInfo {
  std::string name;
  std::string description;
  std::string fingerprint;  // of the files it was loaded from (built-in: data/kz)
  std::string loaded_at;    // UTC, ISO 8601
};

// One stored projection run of one scenario (migration 4): what reproduces it (the scenario
// files' text, the seed, the model settings as JSON) and its results table (CSV).
struct ProjectionRunRecord {
  long long id = 0;        // assigned by SaveProjectionRun
  std::string created_at;  // UTC, ISO 8601 (now when empty)
  std::string dataset;
  std::string scenario;
  std::string scenario_text;
  uint64_t seed = 0;
  long long draws = 0;
  int base_year = 0;
  int to_year = 0;
  std::string settings;
  std::string results;
};

enum class WriteMode {
  kUpsert,          // a key that exists is replaced (a newer release of the same values)
  kReplaceDataset,  // the dataset's previous contents are deleted first
  // As kReplaceDataset, unless the dataset already holds the given fingerprint: then nothing is
  // written. Checked inside the write transaction, so processes that start on a fresh database
  // at once load the built-in dataset once and the others find it there (instead of replacing
  // it in turn, each waiting for all the previous ones).
  kReplaceDatasetUnlessCurrent,
};

class Store {
 public:
  // Opens (creating the file and its folder when missing) and migrates to the latest schema.
  // Throws ComputeError when the file cannot be opened or is not a kazmig database.
  static Store Open(const std::filesystem::path& path);
  // An in-memory store (tests).
  static Store OpenInMemory();

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;
  static int LatestSchemaVersion();

  bool HasDataset(std::string_view dataset) const;
  std::optional<DatasetInfo> GetDataset(std::string_view dataset) const;
  std::vector<DatasetInfo> ListDatasets() const;

  // One indicator at one vintage; an empty RegionSeries (no regions) when absent. Region order:
  // for a built-in vintage, the system's regions in its order followed by "KZ" when national
  // values exist; otherwise the ids sorted. Unit from the indicator's metadata.
  RegionSeries LoadSeries(std::string_view indicator, std::string_view vintage = "kz-2022",
                          std::string_view dataset = kBuiltinDataset) const;
  // Every value of an indicator at every vintage, ordered by vintage, region, year.
  std::vector<SeriesRow> LoadSeriesRows(std::string_view indicator,
                                        std::string_view dataset = kBuiltinDataset) const;
  // The vintages under which an indicator has values (sorted).
  std::vector<std::string> SeriesVintages(std::string_view indicator,
                                          std::string_view dataset = kBuiltinDataset) const;
  // Flows of one indicator, all years, ordered by year, orig, dest.
  std::vector<FlowRow> LoadFlows(std::string_view indicator,
                                 std::string_view dataset = kBuiltinDataset) const;
  // Stocks of one indicator, all years, ordered by year, pob, por.
  std::vector<StockRow> LoadStocks(std::string_view indicator,
                                   std::string_view dataset = kBuiltinDataset) const;
  // Compositions of one indicator, ordered by year, period, region and vintage, then by share
  // and count (largest first) and group.
  std::vector<CompositionRow> LoadCompositions(std::string_view indicator,
                                               std::string_view dataset = kBuiltinDataset) const;
  std::optional<IndicatorMeta> GetIndicator(std::string_view indicator,
                                            std::string_view dataset = kBuiltinDataset) const;
  std::vector<IndicatorInfo> ListIndicators(std::string_view dataset = kBuiltinDataset) const;

  // Writes `batch` in one transaction. Throws InputError (a row with a duplicated key within the
  // batch, an undescribed indicator, a non-finite value) or ComputeError (SQLite failure); the
  // database is then unchanged. `fingerprint` is recorded for the dataset when not empty (an empty
  // one keeps the recorded fingerprint, so a user import into "kz" does not trigger a reload).
  void Write(const Batch& batch, WriteMode mode = WriteMode::kUpsert,
             std::string_view fingerprint = {});
  // Deletes a dataset and all its rows (one transaction). False when it did not exist.
  bool DeleteDataset(std::string_view dataset);

  // Stores a projection run (one transaction) and returns its id; every run, in id order.
  long long SaveProjectionRun(const ProjectionRunRecord& record);
  std::vector<ProjectionRunRecord> LoadProjectionRuns() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A fingerprint (hex FNV-1a 64 of names and contents) of the *.csv files of a folder.
std::string FolderFingerprint(const std::filesystem::path& dir);

// Opens the store at `db` and loads the built-in dataset from `builtin_dir` (data/kz) when it is
// not loaded yet or the folder changed since (its fingerprint differs). Returns the store.
// Throws InputError when a built-in file is invalid (nothing is then written).
Store OpenWithBuiltin(const std::filesystem::path& db, const std::filesystem::path& builtin_dir);

}  // namespace kazmig::store

#endif  // KAZMIG_STORE_STORE_H_

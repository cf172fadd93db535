// KzDataset: the Kazakhstan dataset as the use cases see it — the built-in series loaded from the
// store once, the stored inter-regional OD estimate read back (not recomputed), one rule for
// incomplete years, and the country names of the built-in data.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   const RegionSeries& net = kz.Series("net_internal");        // kz-2022, loaded once
//   for (int year : kz.CompleteYears()) {                       // every region has net and pop
//     const app::StoredOd* od = kz.StoredOd(year);              // central, low, high; or nullptr
//   }
//   const estimate::KzOdEstimate& runs = kz.OdRuns(2023);       // the 3 x 3 sensitivity grid
//   std::string name = kz.CountryName("RUS");                   // "Russia"
//
// The store is opened (and the built-in dataset loaded into it when missing or changed) by Open;
// a KzDataset is not thread-safe (it caches what it loads).
#ifndef KAZMIG_APP_KZ_DATASET_H_
#define KAZMIG_APP_KZ_DATASET_H_

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/store/store.h"

namespace kazmig::app {

// The stored model-based inter-regional OD matrix of one year (indicator od_internal_estimated):
// the central estimate and its cell-wise band over the sensitivity grid, in kz-2022 order.
struct StoredOd {
  int year = 0;
  FlowMatrix central;
  FlowMatrix low;
  FlowMatrix high;
  Provenance provenance;
};

// The index of region `id` among `series.region_ids()`, or nullopt: the one lookup of a series'
// region by id (the use cases and the report).
std::optional<size_t> SeriesIndexOf(const RegionSeries& series, std::string_view id);
// The value of region `id` in `year`; NaN when the series has no such region or value.
double SeriesValueOf(const RegionSeries& series, std::string_view id, int year);
// The years (sorted) in which `series` has a value for at least one region of `system`.
std::vector<int> RegionalYears(const RegionSeries& series, const RegionSystem& system);

// The Kazakhstan OD estimate of `year` from the official regional nets and average population:
// the one function behind the stored od_internal_estimated table, `estimate kz-od --year` on the
// built-in data, and the indicators' sensitivity bands. Throws ComputeError when a region lacks
// a value or a run does not converge.
estimate::KzOdEstimate EstimateInternalOd(const RegionSeries& population_avg,
                                          const RegionSeries& net_internal, int year,
                                          const estimate::KzOdAssumptions& assumptions = {});

class KzDataset {
 public:
  // Opens the store at `db` and loads the built-in dataset from `builtin_dir` when its files are
  // there (store::OpenWithBuiltin); otherwise opens the store as it is.
  static KzDataset Open(const std::filesystem::path& db, const std::filesystem::path& builtin_dir);
  // A view over an already opened store (tests).
  static KzDataset FromStore(store::Store db, std::filesystem::path builtin_dir = {});

  KzDataset(KzDataset&&) noexcept;
  KzDataset& operator=(KzDataset&&) noexcept;
  ~KzDataset();

  const store::Store& store() const;
  store::Store& mutable_store();
  const std::filesystem::path& builtin_dir() const { return builtin_dir_; }
  // The current region system (kz-2022).
  const RegionSystem& system() const;

  // One series at `vintage` (loaded once; an empty series when absent).
  const RegionSeries& Series(std::string_view indicator, std::string_view vintage = "kz-2022");
  // Flows of one indicator, all years (loaded once).
  const std::vector<store::FlowRow>& Flows(std::string_view indicator);

  // The rule for incomplete years, in one place: a year is complete when every region of
  // system() has an inter-regional net (net_internal) and a positive average population
  // (population_avg). Sorted.
  std::vector<int> CompleteYears();
  // The regions of system() (ids) that lack a net or a positive population in `year`.
  std::vector<std::string> MissingRegions(int year);

  // The years of the stored OD estimate (sorted) and one year's matrix (nullptr when not stored).
  std::vector<int> StoredOdYears();
  const StoredOd* FindStoredOd(int year);
  // The sensitivity grid of `year`'s OD estimate (EstimateInternalOd on the stored series;
  // computed once). Throws ComputeError as EstimateInternalOd does.
  const estimate::KzOdEstimate& OdRuns(int year);

  // The English name of a country (ISO3) from the built-in world_countries.csv, the aggregates
  // "CIS" / "NON_CIS" as such; the code itself when unknown.
  std::string CountryName(std::string_view iso3);

  // "DESCRIPTION; loaded AT" of the built-in dataset, or a hint that it is not loaded.
  std::string Description() const;

 private:
  KzDataset() = default;
  void LoadStoredOd();
  void LoadCountries();

  std::unique_ptr<store::Store> store_;
  std::filesystem::path builtin_dir_;
  std::map<std::string, RegionSeries, std::less<>> series_;
  std::map<std::string, std::vector<store::FlowRow>, std::less<>> flows_;
  std::optional<std::map<int, StoredOd>> stored_od_;
  std::map<int, estimate::KzOdEstimate> od_runs_;
  std::optional<std::unordered_map<std::string, std::string>> countries_;
};

}  // namespace kazmig::app

#endif  // KAZMIG_APP_KZ_DATASET_H_

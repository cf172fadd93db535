#include "kazmig/app/kz_dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {

estimate::KzOdEstimate EstimateInternalOd(const RegionSeries& population_avg,
                                          const RegionSeries& net_internal, int year,
                                          const estimate::KzOdAssumptions& assumptions) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  return estimate::EstimateKzOd(
      estimate::KzOdInputsFromSeries(kz2022, population_avg, net_internal, year), assumptions);
}

KzDataset KzDataset::Open(const std::filesystem::path& db,
                          const std::filesystem::path& builtin_dir) {
  const bool has_builtin = std::filesystem::exists(builtin_dir / "provenance.csv");
  return FromStore(has_builtin ? store::OpenWithBuiltin(db, builtin_dir) : store::Store::Open(db),
                   builtin_dir);
}

KzDataset KzDataset::FromStore(store::Store db, std::filesystem::path builtin_dir) {
  KzDataset dataset;
  dataset.store_ = std::make_unique<store::Store>(std::move(db));
  dataset.builtin_dir_ = std::move(builtin_dir);
  return dataset;
}

KzDataset::KzDataset(KzDataset&&) noexcept = default;
KzDataset& KzDataset::operator=(KzDataset&&) noexcept = default;
KzDataset::~KzDataset() = default;

const store::Store& KzDataset::store() const { return *store_; }
store::Store& KzDataset::mutable_store() { return *store_; }
const RegionSystem& KzDataset::system() const { return RegionSystem::Builtin("kz-2022"); }

const RegionSeries& KzDataset::Series(std::string_view indicator, std::string_view vintage) {
  const std::string key = fmt::format("{}@{}", indicator, vintage);
  auto it = series_.find(key);
  if (it == series_.end()) {
    it = series_.emplace(key, store_->LoadSeries(indicator, vintage)).first;
  }
  return it->second;
}

const std::vector<store::FlowRow>& KzDataset::Flows(std::string_view indicator) {
  auto it = flows_.find(indicator);
  if (it == flows_.end()) {
    it = flows_.emplace(std::string(indicator), store_->LoadFlows(indicator)).first;
  }
  return it->second;
}

std::optional<size_t> SeriesIndexOf(const RegionSeries& series, std::string_view id) {
  return series.Find(id);
}

double SeriesValueOf(const RegionSeries& series, std::string_view id, int year) {
  const auto idx = SeriesIndexOf(series, id);
  if (!idx) return std::numeric_limits<double>::quiet_NaN();
  return series.Get(*idx, year).value_or(std::numeric_limits<double>::quiet_NaN());
}

std::vector<int> RegionalYears(const RegionSeries& series, const RegionSystem& system) {
  std::vector<int> years;
  for (int year : series.Years()) {
    for (const Region& region : system.regions()) {
      if (!std::isnan(SeriesValueOf(series, region.id, year))) {
        years.push_back(year);
        break;
      }
    }
  }
  return years;
}

std::vector<std::string> KzDataset::MissingRegions(int year) {
  const RegionSeries& net = Series("net_internal");
  const RegionSeries& pop = Series("population_avg");
  std::vector<std::string> missing;
  for (const Region& region : system().regions()) {
    const auto net_idx = SeriesIndexOf(net, region.id);
    const auto pop_idx = SeriesIndexOf(pop, region.id);
    const auto n = net_idx ? net.Get(*net_idx, year) : std::nullopt;
    const auto p = pop_idx ? pop.Get(*pop_idx, year) : std::nullopt;
    if (!n || !p || !(*p > 0)) missing.push_back(region.id);
  }
  return missing;
}

std::vector<int> KzDataset::CompleteYears() {
  std::vector<int> years;
  for (int year : Series("net_internal").Years()) {
    if (MissingRegions(year).empty()) years.push_back(year);
  }
  return years;
}

void KzDataset::LoadStoredOd() {
  if (stored_od_) return;
  stored_od_.emplace();
  const RegionSystem& kz2022 = system();
  for (const store::FlowRow& row : Flows("od_internal_estimated")) {
    const auto orig = kz2022.Find(row.orig);
    const auto dest = kz2022.Find(row.dest);
    if (!orig || !dest) {
      throw ComputeError(
          fmt::format("stored od_internal_estimated names a region outside kz-2022: {} -> {} ({})",
                      row.orig, row.dest, row.year));
    }
    auto [it, inserted] = stored_od_->try_emplace(row.year);
    StoredOd& od = it->second;
    if (inserted) {
      std::vector<std::string> ids;
      for (const Region& region : kz2022.regions()) ids.push_back(region.id);
      od.year = row.year;
      od.central = FlowMatrix(ids);
      od.low = FlowMatrix(ids);
      od.high = FlowMatrix(ids);
      od.provenance = row.provenance;
    }
    od.central(*orig, *dest) = row.value;
    od.low(*orig, *dest) = row.low.value_or(row.value);
    od.high(*orig, *dest) = row.high.value_or(row.value);
  }
}

std::vector<int> KzDataset::StoredOdYears() {
  LoadStoredOd();
  std::vector<int> years;
  for (const auto& [year, od] : *stored_od_) years.push_back(year);
  return years;
}

const StoredOd* KzDataset::FindStoredOd(int year) {
  LoadStoredOd();
  const auto it = stored_od_->find(year);
  return it == stored_od_->end() ? nullptr : &it->second;
}

const estimate::KzOdEstimate& KzDataset::OdRuns(int year) {
  auto it = od_runs_.find(year);
  if (it == od_runs_.end()) {
    it = od_runs_
             .emplace(year,
                      EstimateInternalOd(Series("population_avg"), Series("net_internal"), year))
             .first;
  }
  return it->second;
}

void KzDataset::LoadCountries() {
  if (countries_) return;
  countries_.emplace();
  const std::filesystem::path path = builtin_dir_ / "world_countries.csv";
  if (builtin_dir_.empty() || !std::filesystem::exists(path)) return;
  io::CsvReader csv(path.string());
  const size_t iso3 = csv.Column("iso3");
  const size_t name = csv.Column("name");
  while (csv.Next()) {
    countries_->emplace(std::string(csv.Field(iso3)), std::string(csv.Field(name)));
  }
}

std::string KzDataset::CountryName(std::string_view iso3) {
  LoadCountries();
  const auto it = countries_->find(std::string(iso3));
  return it == countries_->end() ? std::string(iso3) : it->second;
}

std::string KzDataset::Description() const {
  if (auto dataset = store_->GetDataset(store::kBuiltinDataset)) {
    return fmt::format("{}; loaded {}", dataset->description, dataset->loaded_at);
  }
  return "built-in dataset not loaded (run `kazmig data init`)";
}

}  // namespace kazmig::app

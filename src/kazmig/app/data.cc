#include "kazmig/app/data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/importers/builtin.h"

namespace kazmig::app {
namespace {

// The year's value of every kz-2022 region of `indicator` in `batch` (kz-2022 rows only).
RegionSeries Kz2022Series(const store::Batch& batch, const std::string& indicator) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::vector<std::string> ids;
  for (const Region& region : kz2022.regions()) ids.push_back(region.id);
  RegionSeries series(indicator, "persons", ids);
  for (const store::SeriesRow& row : batch.series) {
    if (row.indicator != indicator || row.vintage != "kz-2022") continue;
    if (const auto idx = kz2022.IndexOfId(row.region_id)) {
      series.Set(*idx, row.year, row.value, series.AddProvenance(row.provenance));
    }
  }
  return series;
}

double RoundOd(double value) {
  const double scale = std::pow(10.0, importers::kOdDecimals);
  return std::round(value * scale) / scale + 0.0;  // + 0.0: no "-0"
}

constexpr const char* kOdNotes =
    "ESTIMATED, model-based inter-regional origin-destination matrix (kz-2022), one per year "
    "with complete official nets: a gravity prior (average population, great-circle distance "
    "between centroids, decay 1) scaled to an assumed 350,000 movers a year, constrained to the "
    "official net_internal. Only the nets are official; flows between two regions are not "
    "published. flow_low/flow_high: cell-wise range over distance decay 0.5-1.5 and gross total "
    "250,000-450,000. Rounded to 2 decimals.";

}  // namespace

store::Batch EstimatedInternalOd(const store::Batch& official) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  const RegionSeries population = Kz2022Series(official, "population_avg");
  const RegionSeries nets = Kz2022Series(official, "net_internal");
  store::Batch out;
  out.dataset = official.dataset;
  out.indicators.push_back(
      {"od_internal_estimated", store::IndicatorKind::kFlows, "persons", kOdNotes});
  for (int year : nets.Years()) {
    const std::vector<double> column = nets.Column(year);
    if (std::any_of(column.begin(), column.end(), [](double v) { return std::isnan(v); })) {
      continue;  // incomplete nets: no matrix for that year
    }
    const estimate::KzOdEstimate od = EstimateInternalOd(population, nets, year);
    Provenance provenance = od.provenance;
    provenance.detail += fmt::format(
        "; flow_low/flow_high = cell-wise min/max over the {} runs of the grid; rounded to {} "
        "decimals",
        od.scenarios.size(), importers::kOdDecimals);
    const FlowMatrix& central = od.central.fit.flows;
    for (size_t orig_idx = 0; orig_idx < kz2022.size(); ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < kz2022.size(); ++dest_idx) {
        if (orig_idx == dest_idx) continue;
        store::FlowRow row{"od_internal_estimated",
                           "kz-2022",
                           kz2022.regions()[orig_idx].id,
                           kz2022.regions()[dest_idx].id,
                           year,
                           "",
                           RoundOd(central(orig_idx, dest_idx)),
                           provenance};
        row.low = std::min(RoundOd(od.low(orig_idx, dest_idx)), row.value);
        row.high = std::max(RoundOd(od.high(orig_idx, dest_idx)), row.value);
        out.flows.push_back(std::move(row));
      }
    }
  }
  return out;
}

store::Batch BuildBuiltinBatch(const std::filesystem::path& shared_data) {
  store::Batch batch = importers::BuildBuiltin(shared_data);
  // Model-based: after the official series it is computed from (its indicator listed last).
  batch.Append(EstimatedInternalOd(batch));
  return batch;
}

BuildBuiltinResult BuildBuiltinDataset(const std::filesystem::path& shared_data,
                                       const std::filesystem::path& out_dir) {
  const store::Batch batch = BuildBuiltinBatch(shared_data);
  importers::WriteBuiltin(batch, out_dir);
  importers::WriteWorldCountries(shared_data, out_dir);
  return {batch.size(), batch.indicators.size()};
}

KzDataset InMemoryKzDataset(const std::vector<const RegionSeries*>& series,
                            const std::vector<int>& od_years,
                            const std::filesystem::path& builtin_dir) {
  store::Batch batch;
  store::Batch od_inputs;
  for (const RegionSeries* one : series) {
    batch.indicators.push_back(
        {one->indicator(), store::IndicatorKind::kSeries, one->unit(), "in memory"});
    for (size_t region_idx = 0; region_idx < one->region_count(); ++region_idx) {
      for (int year : one->Years()) {
        const auto value = one->Get(region_idx, year);
        if (!value) continue;
        store::SeriesRow row{one->indicator(),
                             "kz-2022",
                             one->region_ids()[region_idx],
                             year,
                             *value,
                             one->ProvenanceOf(region_idx, year)};
        if (std::find(od_years.begin(), od_years.end(), year) != od_years.end()) {
          od_inputs.series.push_back(row);
        }
        batch.series.push_back(std::move(row));
      }
    }
  }
  batch.Append(EstimatedInternalOd(od_inputs));
  store::Store db = store::Store::OpenInMemory();
  db.Write(batch);
  return KzDataset::FromStore(std::move(db), builtin_dir);
}

}  // namespace kazmig::app

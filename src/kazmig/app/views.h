// The observatory's views of the built-in data that the HTTP API (server/), the dashboard and the
// report share: the choropleth layer of one indicator and year, the annotations of a region's
// time series (policy measures, series breaks), the estimated inter-regional flows with names and
// centroids, and Kazakhstan's international corridors with the chord selection of a period. Each
// assembles what the analyses and the store already hold; the faces only encode the result.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::Json layer = app::MapLayer(kz, {.indicator = "net_rate", .year = 2023});
//   // layer["values"][i]: {"region", "region_name", "value", "provenance"}
//   app::Json notes = app::SeriesAnnotations(kz, "net_internal", "75");  // measures, breaks
#ifndef KAZMIG_APP_VIEWS_H_
#define KAZMIG_APP_VIEWS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/app/corridors.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/project.h"
#include "kazmig/app/result_table.h"
#include "kazmig/policy/measures.h"
#include "kazmig/store/store.h"

namespace kazmig::app {

// ---- the choropleth layer ---------------------------------------------------------------------

struct MapIndicator {
  std::string id;     // net_rate, population, ...
  std::string label;  // "Net migration per 1,000"
  std::string unit;   // "per 1,000"
  int decimals = 0;   // how many decimals a legend shows
};
// The eight map indicators, in the order a selector lists them: net_rate (net migration per 1,000
// average population: all flows, net_all, where every region has it, else inter-regional,
// net_internal), population (average annual population), arrivals and departures (internal,
// including moves inside a region), unemployment (%), income (KZT per month per capita),
// risk_score (the risk index of app/risk.h, 0-1) and projected_change (the baseline projection's
// median change of population since its base year, %).
const std::vector<MapIndicator>& MapIndicators();

struct MapLayerRequest {
  std::string indicator;  // one of MapIndicators()
  int year = 0;           // 0: the latest year with data (risk_score: the index's default year)
  // projected_change: the projection to read (its first scenario); nullptr: ComputeProspects
  // with the report's defaults is run here.
  const ProjectionResult* projection = nullptr;
  uint64_t seed = 1;  // risk_score: the Monte Carlo seed of the rank bands (not used by the score)
};

// {"indicator", "label", "unit", "decimals", "year", "years", "indicators": [{"id", "label",
// "unit"} x 8], "note", "values": [{"region", "region_name", "value", "provenance": {"kind",
// "source", "detail", "method"}}]} for the 20 regions of kz-2022 (value null and no provenance
// where missing). Throws UsageError for an unknown indicator, or for a year without data ("year
// 2010: ... available years: 2022, 2023, 2024").
Json MapLayer(KzDataset& kz, const MapLayerRequest& request);
// The years MapLayer has data for (sorted).
std::vector<int> MapLayerYears(KzDataset& kz, const MapLayerRequest& request);

// ---- a region's time series -------------------------------------------------------------------

struct SeriesBreak {
  int year = 0;
  std::string label;
};
// Where a stored series changes meaning: the first year of each boundary vintage after the first
// one it is stored at ("2017: kz-2018 borders from here (Shymkent split from South Kazakhstan)"),
// and the 2024 registration change of internal moves for arrivals_internal, departures_internal
// and their derivatives. Sorted by year.
std::vector<SeriesBreak> SeriesBreaks(KzDataset& kz, std::string_view indicator);

// The measures of `measures` that affect region `region` (a kz-2022 id) or the whole country,
// in their order; for "KZ" every measure.
std::vector<policy::Measure> MeasuresAffecting(const std::vector<policy::Measure>& measures,
                                               std::string_view region);

// {"measures": [{"id", "date", "year", "title", "kind", "scope": "national"|"regional",
// "regions"}], "breaks": [{"year", "label"}]} for the chart of `indicator` in `region`.
Json SeriesAnnotations(KzDataset& kz, std::string_view indicator, std::string_view region);

// ---- flows ------------------------------------------------------------------------------------

// The stored model-based inter-regional matrix of `year` (0: the latest): {"indicator":
// "od_internal_estimated", "year", "years", "note", "method", "provenance" (kind, source,
// detail), "regions": [{"id", "name", "centroid": [lon, lat]}], "flows": [{"origin",
// "origin_name", "dest", "dest_name", "value", "low", "high", "provenance": {"kind", "method"}}]}
// (diagonal left out). Throws UsageError for a year without an
// estimate (naming the years).
Json InternalFlowsView(KzDataset& kz, int year);

// Kazakhstan's international corridors: {"period", "periods" (Abel & Cohen), "years" (official),
// "rows": [{"partner", "partner_name", "direction": "arrivals"|"departures", "source":
// "official"|"abel", "year", "period", "value", "provenance"}], "partners": [{"iso3", "name",
// "centroid": null}], "chord": {"period", "source", "nodes", "links", "other_partners"}} where the
// chord is app::SelectLargestCorridors' 8 largest corridors (the report's selection), drawn as
// directed links partner -> KAZ and KAZ -> partner, nodes KAZ first and then the partners by rank.
// `period` "" = the latest Abel period; a period (1990-1995) selects the Abel rows and the chord of
// that period; a year selects the official rows and the chord of that year. Throws UsageError for a
// period without data.
Json InternationalFlowsView(KzDataset& kz, std::string_view period);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_VIEWS_H_

// The situation report: Kazakhstan's population and migration balance by region, international
// migration since 1991, and the region system with its maps — one self-contained HTML page.
//
// Takes plain in-memory data (series already loaded from the store by the caller); never opens
// the store or any file. Every figure and table cites the provenance of the values it shows and
// marks official and estimated values; series breaks (boundary changes of 2018 and 2022, the 2024
// registration change of internal moves, preliminary figures) are marked on every chart.
//
//   report::SituationData data;
//   data.system = &RegionSystem::Builtin("kz-2022");
//   data.boundaries = &boundaries;                       // geo::LoadRegionBoundaries(...)
//   data.population_avg = store.LoadSeries("population_avg");
//   data.net_internal = store.LoadSeries("net_internal");
//   data.intl_arrivals = store.LoadSeries("intl_arrivals");   // national, region "KZ"
//   ...
//   std::string html = report::BuildSituationReport(data);
#ifndef KAZMIG_REPORT_SITUATION_H_
#define KAZMIG_REPORT_SITUATION_H_

#include <string>
#include <vector>

#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/io/geojson.h"

namespace kazmig::report {

// One flow between countries (ISO3 ids; "KAZ" is Kazakhstan, "CIS" and "NON_CIS" the aggregates of
// the CIS statistics) in `year`, or in the 5-year `period` starting in `year`.
struct CountryFlow {
  std::string orig;
  std::string dest;
  int year = 0;
  std::string period;
  double value = 0;
  Provenance provenance;
};

struct SituationData {
  // The current regions (kz-2022) and their boundaries, one feature per region in order.
  const RegionSystem* system = nullptr;
  const std::vector<io::GeoFeature>* boundaries = nullptr;
  // Optional: the 2018–2022 regions (kz-2018) and their boundaries, for the boundary section.
  const RegionSystem* system_2018 = nullptr;
  const std::vector<io::GeoFeature>* boundaries_2018 = nullptr;

  // Regional series at the borders of `system` (extra ids such as "KZ" are allowed). Empty
  // series (no regions) mean "not loaded": the section says so.
  RegionSeries population_avg;
  RegionSeries net_internal;
  // National series (region "KZ").
  RegionSeries intl_arrivals;
  RegionSeries intl_departures;
  RegionSeries intl_net;

  // Model-based inter-regional origin-destination matrices, one per year with official regional
  // nets, oldest first, each with its 3 x 3 sensitivity grid (estimate::EstimateKzOd, computed by
  // the caller from population_avg and net_internal). Empty: not available; sections say so.
  std::vector<estimate::KzOdEstimate> internal_od;

  // --- "Flows" section: international corridors (flows_section.h) ---
  // Official arrivals to Kazakhstan by country of origin (dest "KAZ") and departures by country of
  // destination (orig "KAZ"), CIS partners and the CIS / non-CIS aggregates (store indicators
  // intl_arrivals_by_partner, intl_departures_by_partner).
  std::vector<CountryFlow> intl_arrivals_by_partner;
  std::vector<CountryFlow> intl_departures_by_partner;
  // Abel & Cohen's estimated 5-year flows to and from Kazakhstan (store indicator abel_flows).
  std::vector<CountryFlow> abel_flows;
  // --- end of the "Flows" block ---

  int preliminary_from = 2025;  // years from this one are marked preliminary
  std::string generated;        // e.g. "2026-11-25 04:10 UTC"
  std::string dataset;          // e.g. "built-in dataset kz (fingerprint 1a2b...)"
  std::string version;          // kazmig version
};

// The complete HTML document. Throws std::invalid_argument when `system` or `boundaries` is
// missing or the boundaries do not match the system.
std::string BuildSituationReport(const SituationData& data);

// Net migration per 1,000 of average population: 1000 * net / population (NaN when either is
// missing or the population is not positive).
double RatePerThousand(double net, double population);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_SITUATION_H_

// The built-in components of Kazakhstan's migration-risk index: formulas on the regional series
// (all at the borders of one vintage, kz-2022, for the regions given), with the stated rule for
// missing values.
//
//   risk::KzSeries series;                     // app/risk.cc fills it from the store
//   series.regions = {"10", "11", ...};
//   series.population_avg = &kz.Series("population_avg");  ...
//   risk::KzYearComponents y = risk::BuildKzComponents(series, 2024);
//   y.components;  // complete components (values imputed where the rule allows, say which)
//   y.missing;     // components that cannot be built in 2024, and why
//
// Missing values: a component that lacks a value for at most a quarter of the regions in a year
// takes, for each such region, the region's own value of the same component in the nearest year
// that has one (the year before first, then the year after; at most 2 years away), marked
// estimated ("imputed from YEAR") in `imputed`; with more regions missing, or no such year, the
// component is missing for that year. Nothing else is imputed.
#ifndef KAZMIG_RISK_KZ_COMPONENTS_H_
#define KAZMIG_RISK_KZ_COMPONENTS_H_

#include <string>
#include <vector>

#include "kazmig/core/region_series.h"
#include "kazmig/risk/index.h"
#include "kazmig/risk/warnings.h"

namespace kazmig::risk {

// What a built-in component is: its group, direction, unit, formula and sources.
struct ComponentInfo {
  std::string name;
  std::string group;  // depopulation, labour market, outflow, urban overload, volatility
  Direction direction = Direction::kMoreRisk;
  std::string unit;
  std::string formula;
  std::string source;
};

// The ten built-in components, in the index's order.
const std::vector<ComponentInfo>& KzComponentCatalogue();

// The regional series the components use, all at one vintage (kz-2022). Any may be null or
// empty (its components are then missing). Ids of `regions` are looked up in each series.
struct KzSeries {
  std::vector<std::string> regions;
  const RegionSeries* population_avg = nullptr;        // persons, average annual
  const RegionSeries* births = nullptr;                // persons
  const RegionSeries* deaths = nullptr;                // persons
  const RegionSeries* net_all = nullptr;               // net migration, internal + international
  const RegionSeries* net_internal = nullptr;          // inter-regional net
  const RegionSeries* departures_internal = nullptr;   // internal departures
  const RegionSeries* arrivals_internal = nullptr;     // internal arrivals
  const RegionSeries* housing_commissioned = nullptr;  // m2
  const RegionSeries* unemployment_rate = nullptr;     // %
  const RegionSeries* income_per_capita = nullptr;     // KZT per month
};

// A value of a component that was imputed (estimated).
struct Imputation {
  std::string component;
  std::string region;
  int year = 0;
  int from_year = 0;
  double value = 0;
};

struct MissingComponent {
  std::string component;
  std::string reason;
};

struct KzYearComponents {
  int year = 0;
  std::vector<Component> components;  // complete, in catalogue order
  std::vector<MissingComponent> missing;
  std::vector<Imputation> imputed;
  // Per built component: true when every input value is official (BNS) — a computed rate of
  // official inputs; false when an input was estimated or a value imputed.
  std::vector<bool> official;
};

// The raw values of component `name` in `year` for each region (NaN where an input is missing).
// Throws ComputeError (internal) for an unknown name.
std::vector<double> KzComponentValues(const KzSeries& series, const std::string& name, int year);

// The components of `year` with the missing-value rule above.
KzYearComponents BuildKzComponents(const KzSeries& series, int year);

// The components' raw values over `years` (for the early-warning rules; no imputation).
std::vector<ComponentHistory> KzHistories(const KzSeries& series, const std::vector<int>& years);

}  // namespace kazmig::risk

#endif  // KAZMIG_RISK_KZ_COMPONENTS_H_

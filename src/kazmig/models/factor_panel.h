// Panels for kazmig's factor models of Kazakhstan's migration: pure assembly of the modelling
// tables (no fitting, no files). The use case (app/factors.h) loads the series, this header lines
// them up, the fixed-effects engine of this module fits them.
//
//   // Series at their own vintages -> one consistent set of units (kz-2009: the 2018 and 2022
//   // splits merged back), counts summed, rates weighted by population.
//   models::AtomWeights weights = ...;                  // kz-2022 population by year
//   RegionSeries births09 = models::HarmonizeSeries({births_2009, births_2018, births_2022},
//                                                   RegionSystem::Builtin("kz-2009"),
//                                                   models::SeriesKind::kCount, weights);
//   models::RegionalPanel panel = models::BuildRegionalPanel(inputs);   // balance per 1,000
//   for (const models::RegionalRow& row : panel.rows) ... row.outcome, row.x[0] ...
//
//   models::NetworkPanel world = models::BuildNetworkPanel(flows, stocks);   // zeros included
//
// The regional panel (specification 1 of docs/factors.md): region r, year t,
//   y_rt = 1000 * net_rt / P̄_rt,  net_rt = official inter-regional net where published, else the
//   residual P_{r,t+1} - P_{r,t} - B_rt + D_rt of 1 January populations, births and deaths
//   (*estimated: residual*; it includes international migration);
//   x_{r,t-1} = (ln(I_r / I_national), unemployment %, housing m² per 1,000, ln GRP per capita),
// I_national the population-weighted mean income of the regions with a value in that year.
#ifndef KAZMIG_MODELS_FACTOR_PANEL_H_
#define KAZMIG_MODELS_FACTOR_PANEL_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"

namespace kazmig::models {

enum class SeriesKind { kCount, kRate };

// Population weights of the kz-2022 atoms by year (year -> atom id -> weight). The weights of a
// year missing here are those of the nearest year present.
using AtomWeights = std::map<int, std::map<std::string, double>>;

// One series at `target` units from its parts at built-in vintages (each part's region ids are a
// built-in vintage's, named by `vintages[i]`). For each year the part with the most target units
// having a value wins (ties: the later part). Counts are summed on merge and split by weight;
// rates are weighted means on merge and copied on split (core Crosswalk). A unit touched by a
// missing source value is missing. Values keep the provenance of their part (source unit's).
// Throws ComputeError (internal) when parts and vintages differ in number.
RegionSeries HarmonizeSeries(const std::vector<const RegionSeries*>& parts,
                             const std::vector<std::string>& vintages, const RegionSystem& target,
                             SeriesKind kind, const AtomWeights& weights);

// The residual net migration of one region and year: P1 - P0 - births + deaths (NaN when any is
// NaN).
double ResidualNet(double pop_start, double pop_end, double births, double deaths);

// Names of the regional covariates, in the order of RegionalRow::x.
inline constexpr const char* kRegionalCovariates[] = {"log_rel_income", "unemployment",
                                                      "housing_per_1000", "log_grp_per_capita"};
inline constexpr size_t kRegionalCovariateCount = 4;

struct RegionalInputs {
  const RegionSystem* system = nullptr;  // the units of every series below
  RegionSeries population_jan1;          // persons, 1 January
  RegionSeries births;
  RegionSeries deaths;
  RegionSeries net_internal;    // official inter-regional net (persons)
  RegionSeries population_avg;  // average annual population (rates per 1,000)
  RegionSeries income;          // income per capita (KZT per month)
  RegionSeries unemployment;    // %
  RegionSeries housing;         // m² commissioned
  RegionSeries grp_per_capita;  // thousand KZT
  RegionSeries arrivals;        // registered internal arrivals (gross panel)
  RegionSeries departures;      // registered internal departures (gross panel)
  int lag = 1;                  // covariates of year t - lag explain year t
  int first_year = 0;           // outcome years considered (0: all)
  int last_year = 0;
};

struct RegionalRow {
  size_t region_idx = 0;
  int year = 0;
  double outcome = 0;     // balance per 1,000 (regional panel)
  double net = 0;         // persons
  bool official = false;  // net from the official inter-regional series (else residual)
  double population = 0;  // average population of `year`
  double arrivals = 0;    // NaN when not published (gross panel)
  double departures = 0;  // NaN when not published
  double x[kRegionalCovariateCount] = {0, 0, 0, 0};  // covariates of year - lag
};

// A region-year left out and why ("no 1 January population of 2017", ...).
struct PanelExclusion {
  size_t region_idx = 0;
  int year = 0;
  std::string reason;
};

struct RegionalPanel {
  std::vector<RegionalRow> rows;  // sorted by year, then region
  std::vector<PanelExclusion> excluded;
  int lag = 1;
};

// The regional panel (rows with an outcome and every lagged covariate). Each candidate year is one
// with an outcome (official net or residual) in some region, within [first_year, last_year].
RegionalPanel BuildRegionalPanel(const RegionalInputs& inputs);

// The gross panel: rows of BuildRegionalPanel's kind for the years with published arrivals and
// departures (both; the net-independent outcome), every lagged covariate present.
RegionalPanel BuildGrossPanel(const RegionalInputs& inputs);

// ---- international migrant networks
// --------------------------------------------------------------

struct CountryFlowRow {
  std::string orig;
  std::string dest;
  int period_start = 0;  // first year of the 5-year period
  double flow = 0;
};
struct CountryStockRow {
  std::string pob;  // place of birth
  std::string por;  // place of residence
  int year = 0;
  double stock = 0;
};

// One origin-destination-period observation of the network panel.
struct NetworkRow {
  size_t orig = 0;  // index into NetworkPanel::countries
  size_t dest = 0;
  size_t period = 0;  // index into NetworkPanel::periods
  double flow = 0;    // 0 where the flow table has no row (zeros included)
  double log_stock = 0;
};

struct NetworkPanel {
  std::vector<std::string> countries;  // sorted
  std::vector<int> periods;            // period starts, sorted
  std::vector<NetworkRow> rows;        // sorted by period, orig, dest
  // Flows left out: their pair had no positive stock at the start of the period (no log).
  size_t flows_without_stock = 0;
  double flow_without_stock_total = 0;
};

// Every (i, j, p) with a positive stock of i-born in j at the start year of period p (a period of
// the flows), the flow of i -> j over p or 0. Self pairs are left out.
NetworkPanel BuildNetworkPanel(const std::vector<CountryFlowRow>& flows,
                               const std::vector<CountryStockRow>& stocks);

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_FACTOR_PANEL_H_

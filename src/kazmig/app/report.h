// The situation report's use case: everything the report shows, loaded from the store through
// KzDataset (the built-in series, the STORED inter-regional OD estimate with its band, the one
// rule for complete years, country names from the built-in data) and assembled here — balances,
// rankings and corridors through the indicators module, the per-year ANMR and the estimated
// matrices' indicators through KzYearIndicators. The report module (report/situation.h) only
// formats a SituationInput.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::SituationResult result = app::BuildSituationInput(kz, {"2026-11-25 04:10 UTC", "0.9"});
//   for (const std::string& note : result.notes) ...;          // "kazmig: note: ..."
//   std::string html = report::BuildSituationReport(result.input);
//
// The rates, rankings and corridors are the indicators module's, through app/indicators.h, so the
// report and `kazmig indicators` compute the same numbers the same way.
#ifndef KAZMIG_APP_REPORT_H_
#define KAZMIG_APP_REPORT_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kazmig/app/corridors.h"
#include "kazmig/app/factors.h"
#include "kazmig/app/indicators.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/policy.h"
#include "kazmig/app/policy_section.h"
#include "kazmig/app/potential.h"
#include "kazmig/app/project.h"
#include "kazmig/app/risk.h"
#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/indicators/bands.h"
#include "kazmig/io/geojson.h"

namespace kazmig::app {

// ---- corridors of an estimated origin-destination matrix ---------------------------------------

// The matrices of the corridors the report shows, with display names. The rates, rankings and
// corridor selections themselves are the indicators module's (re-exported by app/indicators.h:
// app::RatePerThousand, RankByNetRate, TopGainers/TopLosers, TopCorridors, TopInto/TopOutOf,
// SharePercent); e.g. app::TopCorridors(input.central, &input.low, &input.high, 10).
struct CorridorInput {
  FlowMatrix central;              // the central estimate, row = origin
  FlowMatrix low;                  // cell-wise minimum over the sensitivity grid (same shape)
  FlowMatrix high;                 // cell-wise maximum over the sensitivity grid (same shape)
  std::vector<std::string> names;  // display names, one per row/column
};

// The corridors of a stored OD estimate, named by the English names of `system` (the matrix's ids
// are kz-2022 ids; an id outside `system` is shown as it is).
CorridorInput CorridorsOf(const StoredOd& od, const RegionSystem& system);

// ---- the report's inputs -----------------------------------------------------------------------

// One flow between countries (ISO3 ids; "KAZ" is Kazakhstan, "CIS" and "NON_CIS" the aggregates
// of the CIS statistics) in `year`, or in the 5-year `period` starting in `year`.
struct CountryFlow {
  std::string orig;
  std::string dest;
  int year = 0;
  std::string period;
  double value = 0;
  Provenance provenance;
};

// One year of the Regularities section: a complete year's figures as KzYearIndicators computes
// them, so the report and `kazmig indicators --dataset kz` show the same ANMR, CMP and MEI.
struct SituationYear {
  int year = 0;
  // Official ANMR per 100 (KzYear::nets.anmr).
  double anmr = 0;
  // Whether the year has a stored OD estimate; then `od` holds the banded indicators of its
  // estimated matrix (KzYear::estimated->bands: value from the central run, band over the
  // sensitivity grid).
  bool estimated = false;
  indicators::BandedIndicators od;
  estimate::KzOdAssumptions assumptions;  // of the sensitivity grid (KzDataset::OdRuns)
};

// The latest year of the regional balance (section 1), computed.
struct RegionalBalance {
  std::vector<int> net_years;         // years with a net for at least one region (sorted)
  int year = 0;                       // the latest of them; 0 when there is none
  bool have_population = false;       // some region has an average population in `year`
  std::vector<double> nets;           // per region of the system in `year` (NaN: missing)
  std::vector<double> rates;          // RatePerThousand of each region in `year`
  std::vector<size_t> by_net;         // the regions with a net, largest net first
  size_t gainers = 0;                 // regions with a positive net
  std::vector<size_t> by_shown;       // every region by rate (by net without population),
                                      // missing values last
  std::map<int, double> net_totals;   // sum over the regions, per net year
  double population_total = 0;        // sum of the regions' populations in `year`
  std::vector<int> population_years;  // years with a population for at least one region
};

// The national international migration series (section 1), computed.
struct NationalYear {
  int year = 0;
  double arrivals = 0;  // NaN when missing
  double departures = 0;
  double net = 0;            // the stored net, or arrivals - departures when it is missing
  bool net_derived = false;  // net computed here from arrivals and departures
  bool preliminary = false;  // the year is marked preliminary (flag or preliminary_from)
};

// A year whose international migration the Bureau revised after its first release: the first
// release (intl_*_first_release) beside the current figures (intl_arrivals, intl_departures).
struct NationalRevision {
  int year = 0;
  double arrivals = 0;  // now
  double departures = 0;
  double first_arrivals = 0;  // as first released
  double first_departures = 0;
  Provenance first_release;  // where the first release is known from
};

struct NationalMigration {
  std::vector<NationalYear> years;  // every year with a national value, sorted
  // The years whose first release differs from the current figures, sorted.
  std::vector<NationalRevision> revisions;
  int lowest_net_year = 0;  // the year of the largest net outflow; 0 when none
  double lowest_net = 0;
  // The average population of the last population year (national value, else the sum of the
  // regions) and that year; year 0 when there is none.
  int population_year = 0;
  double population = 0;
};

// Official migration with Kazakhstan by partner country (CIS statistics), computed.
struct PartnerFlows {
  std::map<std::string, std::map<int, double>> arrivals;    // partner -> year -> persons
  std::map<std::string, std::map<int, double>> departures;  // partner -> year -> persons
  std::vector<Provenance> provenances;
  std::vector<int> years;                  // sorted
  int latest = 0;                          // 0 when there is no partner flow
  std::vector<std::string> by_latest;      // countries (no aggregates), largest latest total first
  std::vector<std::string> main_partners;  // the 4 largest totals over all years
  // The 4 largest partners of each direction (arrivals, departures) over all years.
  std::vector<std::string> main_arrivals;
  std::vector<std::string> main_departures;
  std::vector<std::string> aggregates;  // "CIS", "NON_CIS" when present
};

// Abel & Cohen's estimated flows to and from Kazakhstan, computed.
struct AbelCorridors {
  std::vector<std::string> periods;   // sorted
  std::vector<std::string> partners;  // the 8 largest totals, then RUS, DEU, UZB, CHN, UKR
  // partner -> period -> (to Kazakhstan, from Kazakhstan)
  std::map<std::string, std::map<std::string, std::pair<double, double>>> by_partner;
  std::vector<Provenance> provenances;
};

// The components of population change by kz-2009 unit over the years of KzComponentsOfChange,
// computed: for each unit the totals over the years where it has no gap.
struct ComponentsByRegion {
  const RegionSystem* units = nullptr;  // kz-2009 (later units merged into these 16)
  int first_year = 0;                   // the change from 1 January first_year ...
  int last_year = 0;                    // ... to 1 January last_year + 1
  // Per unit, in the order of `units`:
  std::vector<int> from, to;                   // its first and last year without a gap (0: none)
  std::vector<double> population_from;         // 1 January `from`
  std::vector<double> population_to;           // 1 January `to` + 1
  std::vector<double> natural, net_migration;  // totals over from..to (net migration: residual)
  std::vector<double> natural_rate, net_rate;  // per 1,000 mean population per year
  // Per year (first_year..last_year), the sums over the units without a gap in that year, and
  // whether every unit is in them.
  std::vector<int> years;
  std::vector<double> national_natural, national_net;
  std::vector<bool> national_complete;
};

struct SituationInput {
  // The current regions (kz-2022) and their boundaries, one feature per region in order.
  const RegionSystem* system = nullptr;
  std::vector<io::GeoFeature> boundaries;
  // Optional: the 2018–2022 regions (kz-2018) and their boundaries, for the boundary section
  // (empty boundaries: not shown).
  const RegionSystem* system_2018 = nullptr;
  std::vector<io::GeoFeature> boundaries_2018;

  // Regional series at the borders of `system` (extra ids such as "KZ" are allowed) and national
  // ones (region "KZ"): the values and provenances the tables show. Empty: not loaded.
  RegionSeries population_avg;
  RegionSeries net_internal;
  RegionSeries intl_arrivals;
  RegionSeries intl_departures;
  RegionSeries intl_net;
  // The first releases of intl_arrivals / intl_departures (national; the years the Bureau's first
  // figures are known): NationalMigration::revisions compares them with the current figures.
  RegionSeries intl_arrivals_first_release;
  RegionSeries intl_departures_first_release;
  // Registered internal arrivals (official; they include moves between districts of the same
  // region): the national total is the gross count of registered internal moves.
  RegionSeries arrivals_internal;
  // The national total of registered internal moves by year: the sum of arrivals_internal over
  // the regions, for the years where every region of `system` has a value.
  std::map<int, double> registered_moves;
  // The reference year of the key figures, maps and corridors: SituationRequest::year, else the
  // latest year with official inter-regional nets (0: none).
  int reference_year = 0;
  // The components of population change by kz-2009 unit (app/policy.h KzComponentsOfChange):
  // natural increase (official births and deaths) and net migration (residual, estimated).
  KzComponents components;
  ComponentsByRegion components_by_region;

  RegionalBalance balance;
  NationalMigration national;

  // The stored model-based inter-regional OD estimate, one per year, oldest first, and the years
  // of the Regularities section (official ANMR and the estimates' indicators), oldest first.
  std::vector<StoredOd> internal_od;
  std::vector<SituationYear> years;
  // Gainers and losers over `period` (the years with official nets), ranked by rate.
  std::vector<RankedNet> ranked;
  std::string period;
  // The corridors of the latest stored OD estimate (names of `system`); empty without one.
  CorridorInput corridors;

  PartnerFlows partners;
  AbelCorridors abel;
  // Kazakhstan's largest international corridors (app/corridors.h LargestCorridors, the API's
  // selection) in the first and the latest period of Abel & Cohen's flows: the chord diagrams of
  // the Flows section. Empty: not shown.
  std::vector<IntlCorridors> largest_corridors;
  // Display names of the partner countries (built-in world_countries.csv; the CIS statistics'
  // aggregates "CIS countries, total", "Other countries, total"); unknown codes as they are.
  std::map<std::string, std::string> country_names;
  // Their Russian and Kazakh names (app/selection.h CountryNames::Name; the aggregates are not
  // here): the report's --lang ru|kk.
  std::map<std::string, std::string> country_names_ru;
  std::map<std::string, std::string> country_names_kk;

  // The migration-risk index of the latest year with the most components (ComputeKzRisk, the
  // defaults of `kazmig risk`): the Risks section. No regions: not shown.
  RiskResult risk;
  // "Prospects and policy options": projections under the built-in scenarios and the backtest
  // (app/project.h, ComputeProspects); not available (and not shown) unless computed.
  ProspectsInput prospects;
  // The Factors and Potential sections (app/factors.h, app/potential.h): every specification's
  // fit and the example scenario's predicted changes (DefaultScenario); empty: not shown.
  std::vector<FactorModel> factor_models;
  std::vector<CorridorFit> factor_corridors;  // Kazakhstan's corridors in the network model
  PotentialResult potential;
  // The "Policy measures and their effects" section (app/policy_section.h).
  PolicySectionInput policy;

  int preliminary_from = 2025;  // years from this one are marked preliminary
  std::string generated;        // e.g. "2026-11-25 04:10 UTC"
  std::string dataset;          // e.g. "built-in dataset kz (fingerprint 1a2b...)"
  std::string version;          // kazmig version
};

// ---- computing the inputs ----------------------------------------------------------------------

// The Regularities years: every complete year (kz.CompleteYears()) with its KzYearIndicators
// ANMR, and for the years with a stored OD estimate the banded indicators of the estimated matrix.
// Throws ComputeError when a stored year's estimate cannot be made (KzDataset::OdRuns).
std::vector<SituationYear> ComputeSituationYears(KzDataset& kz);

// The display name of a partner code: "CIS countries, total" and "Other countries, total" for the
// CIS statistics' aggregates, else `name` (the dataset's country name).
std::string PartnerDisplayName(const std::string& code, const std::string& name);

// The parts of `input` computed from its series and the flows given (balance, national,
// ranked/period, partners, abel, country_names of every code in the flows through `country_name`,
// corridors of the last internal_od): the pure part of BuildSituationInput, also for inputs
// assembled by hand (tests). `years` and `internal_od` are left as they are; `system` must be set.
void ComputeSituationTables(SituationInput& input, const std::vector<CountryFlow>& arrivals,
                            const std::vector<CountryFlow>& departures,
                            const std::vector<CountryFlow>& abel_flows,
                            const std::function<std::string(const std::string&)>& country_name);

struct SituationRequest {
  std::string generated;  // the time shown as "Generated"
  std::string version;    // the kazmig version
  // The reference year (--year); 0: the latest year with official inter-regional nets. A year
  // without them is a UsageError that lists the years there are.
  int year = 0;
};

struct SituationResult {
  SituationInput input;
  std::vector<std::string> notes;  // e.g. a complete year without a stored OD estimate
};

// The stored OD estimate of input.reference_year, else the latest one; nullptr without any.
const StoredOd* ReferenceOd(const SituationInput& input);

// Loads and computes everything the situation report shows: the kz-2022 (and kz-2018) boundaries
// from kz.builtin_dir(), the series and flows through `kz`, the stored OD estimate. Throws
// InputError on unreadable boundaries and ComputeError as ComputeSituationYears.
SituationResult BuildSituationInput(KzDataset& kz, const SituationRequest& request);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_REPORT_H_

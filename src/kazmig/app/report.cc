#include "kazmig/app/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "kazmig/app/selection.h"
#include "kazmig/core/error.h"
#include "kazmig/geo/boundaries.h"

namespace kazmig::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kNationalId = "KZ";
constexpr const char* kKazakhstan = "KAZ";

std::vector<int> NationalYears(const RegionSeries& series) {
  std::vector<int> years;
  for (int year : series.Years()) {
    if (!std::isnan(SeriesValueOf(series, kNationalId, year))) years.push_back(year);
  }
  return years;
}

std::string YearSpan(const std::vector<int>& years) {
  if (years.empty()) return {};
  if (years.front() == years.back()) return std::to_string(years.front());
  return std::to_string(years.front()) + "\u2013" + std::to_string(years.back());
}

void AddUnique(std::vector<Provenance>& provenances, const Provenance& provenance) {
  if (std::find(provenances.begin(), provenances.end(), provenance) == provenances.end()) {
    provenances.push_back(provenance);
  }
}

RegionalBalance ComputeBalance(const SituationInput& input) {
  const RegionSystem& system = *input.system;
  RegionalBalance balance;
  balance.net_years = RegionalYears(input.net_internal, system);
  balance.population_years = RegionalYears(input.population_avg, system);
  if (balance.net_years.empty()) return balance;
  const bool chosen =
      input.reference_year != 0 && std::find(balance.net_years.begin(), balance.net_years.end(),
                                             input.reference_year) != balance.net_years.end();
  const int latest = balance.year = chosen ? input.reference_year : balance.net_years.back();
  balance.have_population =
      std::find(balance.population_years.begin(), balance.population_years.end(), latest) !=
      balance.population_years.end();
  balance.nets.assign(system.size(), kNaN);
  balance.rates.assign(system.size(), kNaN);
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const std::string& id = system[region_idx].id;
    balance.nets[region_idx] = SeriesValueOf(input.net_internal, id, latest);
    balance.rates[region_idx] =
        RatePerThousand(balance.nets[region_idx], SeriesValueOf(input.population_avg, id, latest));
    const double population = SeriesValueOf(input.population_avg, id, latest);
    if (!std::isnan(population)) balance.population_total += population;
    for (int year : balance.net_years) {
      const double net = SeriesValueOf(input.net_internal, id, year);
      if (!std::isnan(net)) balance.net_totals[year] += net;
    }
  }
  const std::vector<double>& nets = balance.nets;
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    if (!std::isnan(nets[region_idx])) balance.by_net.push_back(region_idx);
  }
  std::sort(balance.by_net.begin(), balance.by_net.end(),
            [&](size_t a, size_t b) { return nets[a] > nets[b]; });
  balance.gainers = static_cast<size_t>(std::count_if(balance.by_net.begin(), balance.by_net.end(),
                                                      [&](size_t idx) { return nets[idx] > 0; }));
  const std::vector<double>& shown = balance.have_population ? balance.rates : balance.nets;
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    balance.by_shown.push_back(region_idx);
  }
  std::sort(balance.by_shown.begin(), balance.by_shown.end(), [&](size_t a, size_t b) {
    if (std::isnan(shown[a]) != std::isnan(shown[b])) return std::isnan(shown[b]);
    return shown[a] > shown[b];
  });
  return balance;
}

bool IsPreliminary(const SituationInput& input, const RegionSeries& series, int year) {
  if (input.preliminary_from > 0 && year >= input.preliminary_from) return true;
  const auto idx = SeriesIndexOf(series, kNationalId);
  return idx && series.Get(*idx, year) && series.ProvenanceOf(*idx, year).preliminary;
}

NationalMigration ComputeNational(const SituationInput& input) {
  NationalMigration national;
  std::vector<int> years = NationalYears(input.intl_arrivals);
  for (const RegionSeries* series : {&input.intl_departures, &input.intl_net}) {
    for (int year : NationalYears(*series)) years.push_back(year);
  }
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  if (years.empty()) return national;
  double lowest_net = std::numeric_limits<double>::infinity();
  for (int year : years) {
    NationalYear entry;
    entry.year = year;
    entry.arrivals = SeriesValueOf(input.intl_arrivals, kNationalId, year);
    entry.departures = SeriesValueOf(input.intl_departures, kNationalId, year);
    entry.net = SeriesValueOf(input.intl_net, kNationalId, year);
    if (std::isnan(entry.net) && !std::isnan(entry.arrivals) && !std::isnan(entry.departures)) {
      entry.net = entry.arrivals - entry.departures;
      entry.net_derived = true;
    }
    entry.preliminary = IsPreliminary(input, input.intl_arrivals, year);
    if (!std::isnan(entry.net) && entry.net < lowest_net) {
      lowest_net = entry.net;
      national.lowest_net_year = year;
    }
    national.years.push_back(entry);
  }
  if (national.lowest_net_year != 0) national.lowest_net = lowest_net;
  for (const NationalYear& entry : national.years) {
    const auto first_idx = SeriesIndexOf(input.intl_arrivals_first_release, kNationalId);
    if (!first_idx) break;
    const double first_arrivals =
        SeriesValueOf(input.intl_arrivals_first_release, kNationalId, entry.year);
    const double first_departures =
        SeriesValueOf(input.intl_departures_first_release, kNationalId, entry.year);
    if (std::isnan(first_arrivals) || std::isnan(first_departures)) continue;
    if (first_arrivals == entry.arrivals && first_departures == entry.departures) continue;
    national.revisions.push_back(
        {entry.year, entry.arrivals, entry.departures, first_arrivals, first_departures,
         input.intl_arrivals_first_release.ProvenanceOf(*first_idx, entry.year)});
  }
  const int last = years.back();
  const std::vector<int>& population_years = input.balance.population_years;
  if (!std::isnan(SeriesValueOf(input.population_avg, kNationalId, last)) ||
      !population_years.empty()) {
    // The reference year's population (the year of the regional balance), else the latest.
    const bool reference = std::find(population_years.begin(), population_years.end(),
                                     input.balance.year) != population_years.end();
    national.population_year = population_years.empty() ? last
                               : reference              ? input.balance.year
                                                        : population_years.back();
    double population = SeriesValueOf(input.population_avg, kNationalId, national.population_year);
    if (std::isnan(population)) {
      population = 0.0;
      for (const Region& region : input.system->regions()) {
        const double value =
            SeriesValueOf(input.population_avg, region.id, national.population_year);
        if (!std::isnan(value)) population += value;
      }
    }
    national.population = population;
  }
  return national;
}

// Gainers and losers over the years with official nets (years missing for a region are skipped
// for both its net and its population).
std::vector<RegionNet> PeriodNets(const SituationInput& input) {
  std::vector<RegionNet> regions;
  for (const Region& region : input.system->regions()) {
    RegionNet entry{region.name_en, 0.0, 0.0};
    for (int year : input.balance.net_years) {
      const double net = SeriesValueOf(input.net_internal, region.id, year);
      const double population = SeriesValueOf(input.population_avg, region.id, year);
      if (std::isnan(net) || std::isnan(population)) continue;
      entry.net += net;
      entry.person_years += population;
    }
    if (entry.person_years > 0) regions.push_back(entry);
  }
  return regions;
}

// Adds the flows with Kazakhstan of `flows` to `values` (partner -> year -> persons; `arrivals`:
// the partner is the origin), their years to `years` and their provenances to `provenances`.
void AddPartnerFlows(const std::vector<CountryFlow>& flows, bool arrivals,
                     std::map<std::string, std::map<int, double>>& values, std::set<int>& years,
                     std::vector<Provenance>& provenances) {
  for (const CountryFlow& flow : flows) {
    const std::string& partner = arrivals ? flow.orig : flow.dest;
    if ((arrivals ? flow.dest : flow.orig) != kKazakhstan || partner == kKazakhstan) continue;
    values[partner][flow.year] = flow.value;
    years.insert(flow.year);
    AddUnique(provenances, flow.provenance);
  }
}

double Lookup(const std::map<std::string, std::map<int, double>>& values,
              const std::string& partner, int year) {
  const auto it = values.find(partner);
  if (it == values.end()) return kNaN;
  const auto value = it->second.find(year);
  return value == it->second.end() ? kNaN : value->second;
}

bool IsAggregate(const std::string& code) { return code == "CIS" || code == "NON_CIS"; }

PartnerFlows ComputePartners(const std::vector<CountryFlow>& arrival_flows,
                             const std::vector<CountryFlow>& departure_flows) {
  PartnerFlows out;
  std::set<int> years;
  // Provenances in the order the report cites them: the arrivals', then the departures'.
  std::vector<Provenance> departure_provenances;
  AddPartnerFlows(arrival_flows, true, out.arrivals, years, out.provenances);
  AddPartnerFlows(departure_flows, false, out.departures, years, departure_provenances);
  out.provenances.insert(out.provenances.end(), departure_provenances.begin(),
                         departure_provenances.end());
  if (years.empty()) return out;
  out.years.assign(years.begin(), years.end());
  out.latest = out.years.back();
  std::set<std::string> partners;
  for (const auto* values : {&out.arrivals, &out.departures}) {
    for (const auto& [partner, by_year] : *values) partners.insert(partner);
  }
  for (const std::string& partner : partners) {
    if (!IsAggregate(partner)) out.by_latest.push_back(partner);
  }
  auto total = [&](const std::string& partner, int year) {
    const double a = Lookup(out.arrivals, partner, year);
    const double d = Lookup(out.departures, partner, year);
    return (std::isnan(a) ? 0.0 : a) + (std::isnan(d) ? 0.0 : d);
  };
  std::stable_sort(out.by_latest.begin(), out.by_latest.end(),
                   [&](const std::string& a, const std::string& b) {
                     return total(a, out.latest) > total(b, out.latest);
                   });
  out.main_partners = out.by_latest;
  std::stable_sort(out.main_partners.begin(), out.main_partners.end(),
                   [&](const std::string& a, const std::string& b) {
                     double ta = 0, tb = 0;
                     for (int year : out.years) {
                       ta += total(a, year);
                       tb += total(b, year);
                     }
                     return ta > tb;
                   });
  if (out.main_partners.size() > 4) out.main_partners.resize(4);
  auto largest = [&](const std::map<std::string, std::map<int, double>>& values) {
    std::vector<std::pair<double, std::string>> totals;
    for (const auto& [partner, by_year] : values) {
      if (IsAggregate(partner)) continue;
      double sum = 0;
      for (const auto& [year, value] : by_year) sum += std::isnan(value) ? 0.0 : value;
      totals.emplace_back(sum, partner);
    }
    std::stable_sort(totals.begin(), totals.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> names;
    for (size_t idx = 0; idx < std::min<size_t>(4, totals.size()); ++idx) {
      names.push_back(totals[idx].second);
    }
    return names;
  };
  out.main_arrivals = largest(out.arrivals);
  out.main_departures = largest(out.departures);
  for (const char* aggregate : {"CIS", "NON_CIS"}) {
    if (partners.count(aggregate)) out.aggregates.emplace_back(aggregate);
  }
  return out;
}

AbelCorridors ComputeAbel(const std::vector<CountryFlow>& flows) {
  AbelCorridors out;
  std::map<std::string, double> totals;
  std::set<std::string> periods;
  for (const CountryFlow& flow : flows) {
    const bool in = flow.dest == kKazakhstan;
    if (!in && flow.orig != kKazakhstan) continue;
    const std::string& partner = in ? flow.orig : flow.dest;
    if (partner == kKazakhstan) continue;
    const std::string period =
        flow.period.empty() ? fmt::format("{}\u2013{}", flow.year, flow.year + 5) : flow.period;
    auto& cell = out.by_partner[partner][period];
    (in ? cell.first : cell.second) += flow.value;
    totals[partner] += flow.value;
    periods.insert(period);
    AddUnique(out.provenances, flow.provenance);
  }
  out.periods.assign(periods.begin(), periods.end());
  // The main partners: the 8 largest totals, and the corridors named in the issue when present.
  for (const auto& [partner, sum] : totals) out.partners.push_back(partner);
  std::stable_sort(
      out.partners.begin(), out.partners.end(),
      [&](const std::string& a, const std::string& b) { return totals[a] > totals[b]; });
  if (out.partners.size() > 8) out.partners.resize(8);
  for (const char* named : {"RUS", "DEU", "UZB", "CHN", "UKR"}) {
    if (totals.count(named) &&
        std::find(out.partners.begin(), out.partners.end(), named) == out.partners.end()) {
      out.partners.push_back(named);
    }
  }
  return out;
}

std::vector<CountryFlow> CountryFlows(KzDataset& kz, std::string_view indicator) {
  std::vector<CountryFlow> flows;
  for (const store::FlowRow& row : kz.Flows(indicator)) {
    flows.push_back({row.orig, row.dest, row.year, row.period, row.value, row.provenance});
  }
  return flows;
}

ComponentsByRegion ComputeComponentsByRegion(const KzComponents& components) {
  ComponentsByRegion out;
  if (components.years.empty()) return out;
  out.units = &RegionSystem::Builtin("kz-2009");
  const size_t n_units = components.unit_ids.size();
  out.first_year = components.years.front();
  out.last_year = components.years.back();
  out.from.assign(n_units, 0);
  out.to.assign(n_units, 0);
  out.population_from.assign(n_units, kNaN);
  out.population_to.assign(n_units, kNaN);
  out.natural.assign(n_units, 0.0);
  out.net_migration.assign(n_units, 0.0);
  out.natural_rate.assign(n_units, kNaN);
  out.net_rate.assign(n_units, kNaN);
  std::vector<double> person_years(n_units, 0.0);
  for (size_t year_idx = 0; year_idx < components.years.size(); ++year_idx) {
    const int year = components.years[year_idx];
    double natural = 0, net = 0;
    bool complete = true;
    for (size_t unit = 0; unit < n_units; ++unit) {
      const double p0 = components.population_start[year_idx][unit];
      const double p1 = components.population_end[year_idx][unit];
      const double b = components.natural[year_idx][unit];
      const double m = components.residual[year_idx][unit];
      if (std::isnan(p0) || std::isnan(p1) || std::isnan(b) || std::isnan(m)) {
        complete = false;
        continue;
      }
      natural += b;
      net += m;
      if (out.from[unit] == 0) {
        out.from[unit] = year;
        out.population_from[unit] = p0;
      }
      out.to[unit] = year;
      out.population_to[unit] = p1;
      out.natural[unit] += b;
      out.net_migration[unit] += m;
      person_years[unit] += (p0 + p1) / 2;
    }
    out.years.push_back(year);
    out.national_natural.push_back(natural);
    out.national_net.push_back(net);
    out.national_complete.push_back(complete);
  }
  for (size_t unit = 0; unit < n_units; ++unit) {
    if (person_years[unit] > 0) {
      out.natural_rate[unit] = 1000.0 * out.natural[unit] / person_years[unit];
      out.net_rate[unit] = 1000.0 * out.net_migration[unit] / person_years[unit];
    } else {
      out.natural[unit] = out.net_migration[unit] = kNaN;
    }
  }
  return out;
}

}  // namespace

CorridorInput CorridorsOf(const StoredOd& od, const RegionSystem& system) {
  CorridorInput corridors;
  corridors.central = od.central;
  corridors.low = od.low;
  corridors.high = od.high;
  for (const std::string& id : od.central.ids()) {
    const auto idx = system.IndexOfId(id);
    corridors.names.push_back(idx ? system[*idx].name_en : id);
  }
  return corridors;
}

std::string PartnerDisplayName(const std::string& code, const std::string& name) {
  if (code == "CIS") return "CIS countries, total";
  if (code == "NON_CIS") return "Other countries, total";
  // The source's names write the apostrophe as a backtick ("People`s"): shown as an apostrophe.
  std::string shown = name;
  for (size_t at = shown.find('`'); at != std::string::npos; at = shown.find('`', at)) {
    shown.replace(at, 1, "\u2019");
  }
  return shown;
}

std::vector<SituationYear> ComputeSituationYears(KzDataset& kz) {
  const std::vector<int> stored = kz.StoredOdYears();
  std::vector<SituationYear> years;
  for (int year : kz.CompleteYears()) {
    const KzYear figures = KzYearIndicators(kz, year);
    SituationYear entry;
    entry.year = year;
    entry.anmr = figures.nets.anmr;
    if (std::find(stored.begin(), stored.end(), year) != stored.end()) {
      if (!figures.estimated) throw ComputeError(figures.estimated_unavailable);
      entry.estimated = true;
      entry.od = figures.estimated->bands;
      entry.assumptions = kz.OdRuns(year).assumptions;
    }
    years.push_back(entry);
  }
  return years;
}

void ComputeSituationTables(SituationInput& input, const std::vector<CountryFlow>& arrivals,
                            const std::vector<CountryFlow>& departures,
                            const std::vector<CountryFlow>& abel_flows,
                            const std::function<std::string(const std::string&)>& country_name) {
  if (input.system == nullptr) throw ComputeError("situation report: no region system");
  input.balance = ComputeBalance(input);
  input.registered_moves.clear();
  for (int year : RegionalYears(input.arrivals_internal, *input.system)) {
    double sum = 0;
    bool complete = true;
    for (const Region& region : input.system->regions()) {
      const double value = SeriesValueOf(input.arrivals_internal, region.id, year);
      complete = complete && !std::isnan(value);
      sum += std::isnan(value) ? 0.0 : value;
    }
    if (complete) input.registered_moves[year] = sum;
  }
  input.national = ComputeNational(input);
  input.ranked = RankByNetRate(PeriodNets(input));
  input.period = YearSpan(input.balance.net_years);
  input.partners = ComputePartners(arrivals, departures);
  input.abel = ComputeAbel(abel_flows);
  input.country_names.clear();
  for (const auto* flows : {&arrivals, &departures, &abel_flows}) {
    for (const CountryFlow& flow : *flows) {
      for (const std::string* code : {&flow.orig, &flow.dest}) {
        if (!input.country_names.count(*code)) {
          input.country_names[*code] = PartnerDisplayName(*code, country_name(*code));
        }
      }
    }
  }
  if (input.reference_year == 0) input.reference_year = input.balance.year;
  // The corridors of the reference year's estimate, else of the latest one.
  const StoredOd* corridor_od = ReferenceOd(input);
  input.corridors =
      corridor_od == nullptr ? CorridorInput{} : CorridorsOf(*corridor_od, *input.system);
}

const StoredOd* ReferenceOd(const SituationInput& input) {
  const StoredOd* found = input.internal_od.empty() ? nullptr : &input.internal_od.back();
  for (const StoredOd& od : input.internal_od) {
    if (od.year == input.reference_year) found = &od;
  }
  return found;
}

SituationResult BuildSituationInput(KzDataset& kz, const SituationRequest& request) {
  SituationResult result;
  SituationInput& input = result.input;
  const std::filesystem::path& builtin = kz.builtin_dir();
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  const RegionSystem& kz2018 = RegionSystem::Builtin("kz-2018");
  input.system = &kz2022;
  input.boundaries = geo::LoadRegionBoundaries(builtin / geo::BoundaryFileName("kz-2022"), kz2022);
  if (std::filesystem::exists(builtin / geo::BoundaryFileName("kz-2018"))) {
    input.system_2018 = &kz2018;
    input.boundaries_2018 =
        geo::LoadRegionBoundaries(builtin / geo::BoundaryFileName("kz-2018"), kz2018);
  }
  input.population_avg = kz.Series("population_avg");
  input.net_internal = kz.Series("net_internal");
  input.intl_arrivals = kz.Series("intl_arrivals");
  input.intl_departures = kz.Series("intl_departures");
  input.intl_net = kz.Series("intl_net");
  input.intl_arrivals_first_release = kz.Series("intl_arrivals_first_release");
  input.intl_departures_first_release = kz.Series("intl_departures_first_release");
  input.arrivals_internal = kz.Series("arrivals_internal");
  input.components = KzComponentsOfChange(kz);
  input.components_by_region = ComputeComponentsByRegion(input.components);
  if (request.year != 0) {
    const std::vector<int> net_years = RegionalYears(input.net_internal, kz2022);
    if (std::find(net_years.begin(), net_years.end(), request.year) == net_years.end()) {
      std::string list;
      for (int year : net_years) list += (list.empty() ? "" : ", ") + std::to_string(year);
      throw UsageError(fmt::format(
          "--year {}: the reference year needs official inter-regional nets, which exist for {}",
          request.year, list.empty() ? "no year" : list));
    }
    input.reference_year = request.year;
  }
  // The stored OD estimate; a complete year without one is worth a note.
  const std::vector<int> stored = kz.StoredOdYears();
  for (int year : stored) input.internal_od.push_back(*kz.FindStoredOd(year));
  for (int year : kz.CompleteYears()) {
    if (std::find(stored.begin(), stored.end(), year) == stored.end()) {
      result.notes.push_back(
          fmt::format("no stored estimated OD matrix for {} (rebuild the built-in dataset)", year));
    }
  }
  input.years = ComputeSituationYears(kz);
  ComputeSituationTables(input, CountryFlows(kz, "intl_arrivals_by_partner"),
                         CountryFlows(kz, "intl_departures_by_partner"),
                         CountryFlows(kz, "abel_flows"),
                         [&kz](const std::string& code) { return kz.CountryName(code); });
  // The chord diagrams: the first and the latest period.
  const std::vector<std::string> periods = LargestCorridors(kz, "", 1).periods;
  if (!periods.empty()) {
    for (const std::string& period : {periods.front(), periods.back()}) {
      input.largest_corridors.push_back(LargestCorridors(kz, period, kChordCorridors));
    }
  }
  {
    const CountryNames countries(builtin);
    for (const auto& [code, name] : input.country_names) {
      if (code == "CIS" || code == "NON_CIS" || !countries.Has(code)) continue;
      input.country_names_ru[code] = countries.Name(code, "ru");
      input.country_names_kk[code] = countries.Name(code, "kk");
    }
  }
  // The Risks section: the index of `kazmig risk` with its defaults (a dataset without a year
  // of at least two components has no section, and says why).
  try {
    input.risk = ComputeKzRisk(kz, RiskRequest{});
  } catch (const UsageError& error) {
    result.notes.push_back(fmt::format("no Risks section: {}", error.what()));
  }
  input.prospects = ComputeProspects(kz, ProspectsRequest{});
  if (!input.prospects.available && !input.prospects.unavailable.empty()) {
    result.notes.push_back("prospects not computed: " + input.prospects.unavailable);
  }
  ComputePolicySection(kz, input.policy);
  ComputePolicyOptions(kz, input.prospects, input.policy);
  input.generated = request.generated;
  input.dataset = kz.Description();
  input.version = request.version;
  // Factors and Potential: the fitted specifications and the example scenario, for the parts
  // whose data the store holds (none: no section, silently). A fit that fails leaves the sections
  // out with a note (the rest of the report does not depend on them).
  const bool regional = kz.Series("income_per_capita", "kz-2022").region_count() > 0;
  const bool world = !kz.Flows("world_abel_flows").empty();
  try {
    if (regional) {
      for (const char* spec : {"regional", "gross"}) {
        for (FactorModel& model : RunFactors(kz, {.spec = spec, .threads = 1}).models)
          input.factor_models.push_back(std::move(model));
      }
      input.potential = PredictScenario(kz, DefaultScenario(), input.factor_models);
    }
    if (world) {
      FactorsResult international = RunFactors(kz, {.spec = "international", .threads = 1});
      for (FactorModel& model : international.models)
        input.factor_models.push_back(std::move(model));
      input.factor_corridors = std::move(international.corridors);
    }
  } catch (const Error& error) {
    input.factor_models.clear();
    input.factor_corridors.clear();
    input.potential = {};
    result.notes.push_back(
        fmt::format("the Factors and Potential sections are left out: {}", error.what()));
  }
  return result;
}

}  // namespace kazmig::app

#include "kazmig/models/factor_panel.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <unordered_map>

#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"

namespace kazmig::models {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::map<std::string, double>& WeightsOf(const AtomWeights& weights, int year) {
  static const std::map<std::string, double> kEmpty;
  if (weights.empty()) return kEmpty;
  auto it = weights.lower_bound(year);
  if (it == weights.end()) return std::prev(it)->second;
  if (it->first == year || it == weights.begin()) return it->second;
  auto before = std::prev(it);
  return (year - before->first <= it->first - year) ? before->second : it->second;
}

double Value(const RegionSeries& series, size_t region_idx, int year) {
  if (region_idx >= series.region_count()) return kNaN;
  const auto value = series.Get(region_idx, year);
  return value ? *value : kNaN;
}

// The index of each unit of `system` in `series` (npos when absent).
std::vector<size_t> IndexIn(const RegionSeries& series, const RegionSystem& system) {
  std::vector<size_t> out(system.size(), static_cast<size_t>(-1));
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    if (auto found = series.Find(system[region_idx].id)) out[region_idx] = *found;
  }
  return out;
}

struct Aligned {
  std::vector<size_t> pop_jan1, births, deaths, net, pop_avg, income, unemployment, housing, grp,
      arrivals, departures;
};

double At(const RegionSeries& series, const std::vector<size_t>& index, size_t region_idx,
          int year) {
  const size_t idx = index[region_idx];
  return idx == static_cast<size_t>(-1) ? kNaN : Value(series, idx, year);
}

// The population-weighted mean income of the regions with an income and a population in `year`.
double NationalIncome(const RegionalInputs& in, const Aligned& a, int year) {
  double weighted = 0, total = 0;
  for (size_t region_idx = 0; region_idx < in.system->size(); ++region_idx) {
    const double income = At(in.income, a.income, region_idx, year);
    const double pop = At(in.population_avg, a.pop_avg, region_idx, year);
    if (std::isfinite(income) && std::isfinite(pop) && pop > 0) {
      weighted += income * pop;
      total += pop;
    }
  }
  return total > 0 ? weighted / total : kNaN;
}

// Fills row.x with the covariates of `year`; returns "" or why it cannot.
std::string Covariates(const RegionalInputs& in, const Aligned& a, size_t region_idx, int year,
                       RegionalRow& row) {
  const double income = At(in.income, a.income, region_idx, year);
  const double national = NationalIncome(in, a, year);
  const double unemployment = At(in.unemployment, a.unemployment, region_idx, year);
  const double housing = At(in.housing, a.housing, region_idx, year);
  const double pop = At(in.population_avg, a.pop_avg, region_idx, year);
  const double grp = At(in.grp_per_capita, a.grp, region_idx, year);
  if (!(income > 0) || !(national > 0)) return fmt::format("no income per capita of {}", year);
  if (!std::isfinite(unemployment)) return fmt::format("no unemployment rate of {}", year);
  if (!std::isfinite(housing)) return fmt::format("no housing commissioned of {}", year);
  if (!(pop > 0)) return fmt::format("no average population of {}", year);
  if (!(grp > 0)) return fmt::format("no GRP per capita of {}", year);
  row.x[0] = std::log(income / national);
  row.x[1] = unemployment;
  row.x[2] = housing / pop * 1000.0;
  row.x[3] = std::log(grp);
  return {};
}

Aligned Align(const RegionalInputs& in) {
  const RegionSystem& s = *in.system;
  return {
      IndexIn(in.population_jan1, s), IndexIn(in.births, s),         IndexIn(in.deaths, s),
      IndexIn(in.net_internal, s),    IndexIn(in.population_avg, s), IndexIn(in.income, s),
      IndexIn(in.unemployment, s),    IndexIn(in.housing, s),        IndexIn(in.grp_per_capita, s),
      IndexIn(in.arrivals, s),        IndexIn(in.departures, s)};
}

bool InRange(const RegionalInputs& in, int year) {
  return (in.first_year == 0 || year >= in.first_year) &&
         (in.last_year == 0 || year <= in.last_year);
}

}  // namespace

double ResidualNet(double pop_start, double pop_end, double births, double deaths) {
  return pop_end - pop_start - births + deaths;
}

RegionSeries HarmonizeSeries(const std::vector<const RegionSeries*>& parts,
                             const std::vector<std::string>& vintages, const RegionSystem& target,
                             SeriesKind kind, const AtomWeights& weights) {
  if (parts.size() != vintages.size()) {
    throw ComputeError("HarmonizeSeries: parts and vintages differ in number (internal)");
  }
  std::string indicator, unit;
  std::set<int> years;
  for (const RegionSeries* part : parts) {
    if (part->region_count() == 0) continue;
    if (indicator.empty()) {
      indicator = part->indicator();
      unit = part->unit();
    }
    for (int year : part->Years()) years.insert(year);
  }
  RegionSeries out(indicator, unit, target.ids());
  for (int year : years) {
    std::vector<double> best;
    std::vector<size_t> best_provenance;
    size_t best_count = 0;
    for (size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
      const RegionSeries& part = *parts[part_idx];
      if (part.region_count() == 0) continue;
      const RegionSystem& from = RegionSystem::Builtin(vintages[part_idx]);
      std::vector<double> values(from.size(), kNaN);
      std::vector<int> provenance_of(from.size(), -1);
      for (size_t region_idx = 0; region_idx < from.size(); ++region_idx) {
        if (auto idx = part.Find(from[region_idx].id)) {
          if (auto value = part.Get(*idx, year)) {
            values[region_idx] = *value;
            provenance_of[region_idx] = static_cast<int>(*idx);
          }
        }
      }
      std::vector<double> converted;
      if (from.name() == target.name()) {
        converted = values;
      } else {
        Crosswalk crosswalk(from, target, WeightsOf(weights, year));
        converted = kind == SeriesKind::kCount ? crosswalk.ConvertCounts(values)
                                               : crosswalk.ConvertRates(values);
      }
      const size_t count = static_cast<size_t>(std::count_if(
          converted.begin(), converted.end(), [](double v) { return std::isfinite(v); }));
      if (count == 0 || count < best_count) continue;
      best_count = count;
      best = converted;
      // Provenance: that of the first source unit covering each target unit.
      best_provenance.assign(target.size(), static_cast<size_t>(-1));
      for (size_t target_idx = 0; target_idx < target.size(); ++target_idx) {
        const auto atoms = Crosswalk::Atoms(target.name(), target[target_idx].id);
        for (size_t region_idx = 0; region_idx < from.size(); ++region_idx) {
          if (provenance_of[region_idx] < 0) continue;
          const auto source_atoms = Crosswalk::Atoms(from.name(), from[region_idx].id);
          const bool overlap = std::any_of(atoms.begin(), atoms.end(), [&](const std::string& a) {
            return std::find(source_atoms.begin(), source_atoms.end(), a) != source_atoms.end();
          });
          if (overlap) {
            best_provenance[target_idx] = out.AddProvenance(
                part.ProvenanceOf(static_cast<size_t>(provenance_of[region_idx]), year));
            break;
          }
        }
      }
    }
    for (size_t target_idx = 0; target_idx < best.size(); ++target_idx) {
      if (!std::isfinite(best[target_idx]) ||
          best_provenance[target_idx] == static_cast<size_t>(-1))
        continue;
      out.Set(target_idx, year, best[target_idx], best_provenance[target_idx]);
    }
  }
  return out;
}

RegionalPanel BuildRegionalPanel(const RegionalInputs& in) {
  if (in.system == nullptr) throw ComputeError("BuildRegionalPanel: no region system (internal)");
  const Aligned a = Align(in);
  std::set<int> years;
  for (int year : in.net_internal.Years()) years.insert(year);
  for (int year : in.population_jan1.Years()) years.insert(year);
  RegionalPanel panel;
  panel.lag = in.lag;
  for (int year : years) {
    if (!InRange(in, year)) continue;
    for (size_t region_idx = 0; region_idx < in.system->size(); ++region_idx) {
      RegionalRow row;
      row.region_idx = region_idx;
      row.year = year;
      const double official = At(in.net_internal, a.net, region_idx, year);
      std::string reason;
      if (std::isfinite(official)) {
        row.net = official;
        row.official = true;
      } else {
        const double p0 = At(in.population_jan1, a.pop_jan1, region_idx, year);
        const double p1 = At(in.population_jan1, a.pop_jan1, region_idx, year + 1);
        const double b = At(in.births, a.births, region_idx, year);
        const double d = At(in.deaths, a.deaths, region_idx, year);
        row.net = ResidualNet(p0, p1, b, d);
        if (!std::isfinite(p0))
          reason = fmt::format("no 1 January population of {}", year);
        else if (!std::isfinite(p1))
          reason = fmt::format("no 1 January population of {}", year + 1);
        else if (!std::isfinite(b))
          reason = fmt::format("no births of {}", year);
        else if (!std::isfinite(d))
          reason = fmt::format("no deaths of {}", year);
      }
      row.population = At(in.population_avg, a.pop_avg, region_idx, year);
      if (reason.empty() && !(row.population > 0))
        reason = fmt::format("no average population of {}", year);
      if (reason.empty()) reason = Covariates(in, a, region_idx, year - in.lag, row);
      if (!reason.empty()) {
        panel.excluded.push_back({region_idx, year, reason});
        continue;
      }
      row.outcome = 1000.0 * row.net / row.population;
      row.arrivals = At(in.arrivals, a.arrivals, region_idx, year);
      row.departures = At(in.departures, a.departures, region_idx, year);
      panel.rows.push_back(row);
    }
  }
  return panel;
}

RegionalPanel BuildGrossPanel(const RegionalInputs& in) {
  if (in.system == nullptr) throw ComputeError("BuildGrossPanel: no region system (internal)");
  const Aligned a = Align(in);
  RegionalPanel panel;
  panel.lag = in.lag;
  for (int year : in.arrivals.Years()) {
    if (!InRange(in, year)) continue;
    for (size_t region_idx = 0; region_idx < in.system->size(); ++region_idx) {
      RegionalRow row;
      row.region_idx = region_idx;
      row.year = year;
      row.arrivals = At(in.arrivals, a.arrivals, region_idx, year);
      row.departures = At(in.departures, a.departures, region_idx, year);
      row.population = At(in.population_avg, a.pop_avg, region_idx, year);
      row.net = At(in.net_internal, a.net, region_idx, year);
      row.official = std::isfinite(row.net);
      row.outcome = row.official && row.population > 0 ? 1000.0 * row.net / row.population : kNaN;
      std::string reason;
      if (!std::isfinite(row.arrivals) || !std::isfinite(row.departures))
        reason = fmt::format("no arrivals or departures of {}", year);
      else if (!(row.population > 0))
        reason = fmt::format("no average population of {}", year);
      else
        reason = Covariates(in, a, region_idx, year - in.lag, row);
      if (!reason.empty()) {
        panel.excluded.push_back({region_idx, year, reason});
        continue;
      }
      panel.rows.push_back(row);
    }
  }
  return panel;
}

NetworkPanel BuildNetworkPanel(const std::vector<CountryFlowRow>& flows,
                               const std::vector<CountryStockRow>& stocks) {
  NetworkPanel panel;
  std::set<std::string> countries;
  std::set<int> periods;
  for (const CountryFlowRow& f : flows) {
    countries.insert(f.orig);
    countries.insert(f.dest);
    periods.insert(f.period_start);
  }
  for (const CountryStockRow& s : stocks) {
    countries.insert(s.pob);
    countries.insert(s.por);
  }
  panel.countries.assign(countries.begin(), countries.end());
  panel.periods.assign(periods.begin(), periods.end());
  std::unordered_map<std::string, size_t> country_idx;
  for (size_t idx = 0; idx < panel.countries.size(); ++idx) country_idx[panel.countries[idx]] = idx;
  std::unordered_map<int, size_t> period_idx;
  for (size_t idx = 0; idx < panel.periods.size(); ++idx) period_idx[panel.periods[idx]] = idx;
  const size_t n = panel.countries.size();
  auto key = [n](size_t period, size_t orig, size_t dest) {
    return (period * n + orig) * n + dest;
  };
  std::unordered_map<size_t, double> stock_at;  // positive stocks at period starts
  for (const CountryStockRow& s : stocks) {
    auto p = period_idx.find(s.year);
    if (p == period_idx.end() || !(s.stock > 0) || s.pob == s.por) continue;
    stock_at[key(p->second, country_idx.at(s.pob), country_idx.at(s.por))] += s.stock;
  }
  std::unordered_map<size_t, double> flow_at;
  for (const CountryFlowRow& f : flows) {
    if (f.orig == f.dest) continue;
    flow_at[key(period_idx.at(f.period_start), country_idx.at(f.orig), country_idx.at(f.dest))] +=
        f.flow;
  }
  for (const auto& [k, flow] : flow_at) {
    if (stock_at.count(k) == 0 && flow > 0) {
      ++panel.flows_without_stock;
      panel.flow_without_stock_total += flow;
    }
  }
  panel.rows.reserve(stock_at.size());
  for (const auto& [k, stock] : stock_at) {
    NetworkRow row;
    row.dest = k % n;
    row.orig = (k / n) % n;
    row.period = k / (n * n);
    auto f = flow_at.find(k);
    row.flow = f == flow_at.end() ? 0.0 : f->second;
    row.log_stock = std::log(stock);
    panel.rows.push_back(row);
  }
  std::sort(panel.rows.begin(), panel.rows.end(), [](const NetworkRow& l, const NetworkRow& r) {
    return std::tie(l.period, l.orig, l.dest) < std::tie(r.period, r.orig, r.dest);
  });
  return panel;
}

}  // namespace kazmig::models

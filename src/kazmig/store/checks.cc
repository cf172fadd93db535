#include "kazmig/store/checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "kazmig/core/region.h"

namespace kazmig::store {
namespace {

// year -> vintage -> region -> value
using Table = std::map<int, std::map<std::string, std::map<std::string, double>>>;

Table Load(const Store& store, std::string_view indicator, std::string_view dataset) {
  Table table;
  for (const SeriesRow& row : store.LoadSeriesRows(indicator, dataset)) {
    table[row.year][row.vintage][row.region_id] = row.value;
  }
  return table;
}

// Units of series that are counts (sums over regions make sense).
bool IsCountUnit(const std::string& unit) {
  return unit == "persons" || unit == "million KZT" || unit == "m2";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The regions of a built-in vintage missing from `values`.
std::vector<std::string> MissingRegions(const std::string& vintage,
                                        const std::map<std::string, double>& values) {
  std::vector<std::string> missing;
  if (!RegionSystem::IsBuiltin(vintage)) return missing;
  for (const Region& region : RegionSystem::Builtin(vintage).regions()) {
    if (!values.count(region.id)) missing.push_back(region.id);
  }
  return missing;
}

double SumRegions(const std::map<std::string, double>& values) {
  double sum = 0.0;
  for (const auto& [id, value] : values) {
    if (id != kNational) sum += value;
  }
  return sum;
}

// National total of a count series in `year`: the published "KZ" value, else the sum of the
// regions when every region of the year's vintage is present.
std::optional<double> NationalOf(const Table& table, int year, std::string* why_missing,
                                 const std::string& indicator) {
  const auto it = table.find(year);
  if (it == table.end()) {
    *why_missing = fmt::format("{} {}", indicator, year);
    return std::nullopt;
  }
  for (const auto& [vintage, values] : it->second) {
    if (auto kz = values.find(std::string(kNational)); kz != values.end()) return kz->second;
  }
  for (const auto& [vintage, values] : it->second) {
    const auto missing = MissingRegions(vintage, values);
    if (missing.empty()) return SumRegions(values);
    *why_missing = fmt::format("{} {} for region(s) {}", indicator, year, Join(missing));
  }
  return std::nullopt;
}

// The values kazmig itself excluded as suspect: the econdata rows the collector flagged
// (qa_flag; importers::ImportEcondataSeries skips them; data/kz/SOURCES.md, "Flags"). A region
// missing for one of these reasons is "excluded as suspect", not "not published".
struct Excluded {
  const char* indicator;
  int year;
  const char* region;
};
constexpr Excluded kExcludedAsSuspect[] = {
    {"grp_nominal", 1995, "15"},       {"grp_nominal", 1995, "19"},
    {"grp_nominal", 1995, "47"},       {"unemployment_rate", 2019, "KZ"},
    {"unemployment_rate", 2023, "63"},
};

bool ExcludedAsSuspect(std::string_view indicator, int year, std::string_view region) {
  for (const Excluded& e : kExcludedAsSuspect) {
    if (indicator == e.indicator && year == e.year && region == e.region) return true;
  }
  return false;
}

// Censuses after which the 1 January population is rebased: the accounting residual of the
// census year is the rebasing, not migration (the 2021 census, held in October 2021, is reflected
// in the 1 January 2022 population).
constexpr int kCensusYears[] = {2009, 2021};

CheckResult RegionsSumToNational(const Store& store, std::string_view dataset) {
  CheckResult result;
  result.name = "regions_sum_to_national";
  result.row_label = "indicator";
  result.assertion = true;
  result.description = "Regions sum to the national total where both are published (count series).";
  result.tolerance = fmt::format("|sum - national| <= {} x national + 1", kSumRelTol);
  int compared = 0, gaps = 0, failures = 0;
  for (const IndicatorInfo& info : store.ListIndicators(dataset)) {
    if (info.kind != IndicatorKind::kSeries || !IsCountUnit(info.unit)) continue;
    const Table table = Load(store, info.name, dataset);
    for (const auto& [year, by_vintage] : table) {
      for (const auto& [vintage, values] : by_vintage) {
        if (vintage != info.vintage) continue;
        const auto kz = values.find(std::string(kNational));
        if (kz == values.end() || values.size() == 1) continue;
        CheckRow row;
        row.region = info.name;
        row.year = year;
        row.computed = true;
        row.expected = kz->second;
        row.actual = SumRegions(values);
        row.residual = row.actual - row.expected;
        const auto missing = MissingRegions(vintage, values);
        if (!missing.empty()) {
          std::vector<std::string> unpublished, excluded;
          for (const std::string& id : missing) {
            (ExcludedAsSuspect(info.name, year, id) ? excluded : unpublished).push_back(id);
          }
          std::string why;
          if (!unpublished.empty())
            why = fmt::format("regions {} not published", Join(unpublished));
          if (!excluded.empty()) {
            why += fmt::format("{}regions {} excluded as suspect (flagged by the source)",
                               why.empty() ? "" : "; ", Join(excluded));
          }
          row.status = "gap";
          row.note = fmt::format("{}: {}; residual = sum - national", vintage, why);
          ++gaps;
        } else if (std::fabs(row.residual) <= kSumRelTol * std::fabs(row.expected) + 1) {
          row.status = "ok";
          row.note = vintage;
          ++compared;
          continue;  // only deviations and gaps are listed
        } else {
          row.status = "fail";
          row.note = vintage;
          ++failures;
          result.passed = false;
        }
        result.rows.push_back(row);
      }
    }
  }
  result.summary = fmt::format(
      "{} indicator-years agree within tolerance, {} fail, {} have unpublished regions (gap "
      "reported)",
      compared, failures, gaps);
  return result;
}

CheckResult InternalNetSumsToZero(const Store& store, std::string_view dataset) {
  CheckResult result;
  result.name = "internal_net_sums_to_zero";
  result.assertion = true;
  result.description = "Inter-regional net migration (net_internal) sums to zero over regions.";
  result.tolerance = "|sum| <= 0.5 persons";
  const Table table = Load(store, "net_internal", dataset);
  for (const auto& [year, by_vintage] : table) {
    for (const auto& [vintage, values] : by_vintage) {
      CheckRow row;
      row.region = "all";
      row.year = year;
      row.computed = true;
      row.expected = 0.0;
      row.actual = SumRegions(values);
      row.residual = row.actual;
      const auto missing = MissingRegions(vintage, values);
      if (!missing.empty()) {
        row.status = "gap";
        row.note = fmt::format("regions {} missing", Join(missing));
      } else if (std::fabs(row.residual) <= 0.5) {
        row.status = "ok";
      } else {
        row.status = "fail";
        result.passed = false;
      }
      result.rows.push_back(row);
    }
  }
  result.summary = table.empty() ? "no net_internal values"
                                 : fmt::format("{} years checked", result.rows.size());
  return result;
}

CheckResult PopulationAccounting(const Store& store, std::string_view dataset) {
  CheckResult result;
  result.name = "population_accounting";
  result.description =
      "P(t+1) - P(t) - (births - deaths) - net migration = residual (P = population_jan1). "
      "Regional net migration = net_all; national = intl_net. Information: shows where sources "
      "disagree.";
  result.tolerance = "none (information)";
  const Table pop = Load(store, "population_jan1", dataset);
  const Table births = Load(store, "births", dataset);
  const Table deaths = Load(store, "deaths", dataset);
  const Table net_all = Load(store, "net_all", dataset);
  const Table intl = Load(store, "intl_net", dataset);
  std::set<int> years;
  for (const Table* table : {&pop, &births, &deaths}) {
    for (const auto& entry : *table) years.insert(entry.first);
  }
  int computed = 0, missing_rows = 0;
  // National.
  for (int year : years) {
    std::vector<std::string> missing;
    std::string why;
    const auto p0 = NationalOf(pop, year, &why, "population_jan1");
    if (!p0) missing.push_back(why);
    const auto p1 = NationalOf(pop, year + 1, &why, "population_jan1");
    if (!p1) missing.push_back(why);
    const auto b = NationalOf(births, year, &why, "births");
    if (!b) missing.push_back(why);
    const auto d = NationalOf(deaths, year, &why, "deaths");
    if (!d) missing.push_back(why);
    const auto m = NationalOf(intl, year, &why, "intl_net");
    if (!m) missing.push_back(why);
    CheckRow row;
    row.region = std::string(kNational);
    row.year = year;
    if (missing.empty()) {
      row.computed = true;
      row.expected = *p1 - *p0;
      row.actual = *b - *d + *m;
      row.residual = row.expected - row.actual;
      row.status = "info";
      row.note = "P(t+1)-P(t) vs births-deaths+intl_net";
      if (std::find(std::begin(kCensusYears), std::end(kCensusYears), year) !=
          std::end(kCensusYears)) {
        row.note += fmt::format(
            "; census rebasing: 1 January {} reflects the {} census (the residual is the "
            "rebasing, not migration)",
            year + 1, year);
      }
      ++computed;
    } else {
      row.status = "missing";
      row.note = "missing: " + Join(missing);
      ++missing_rows;
    }
    result.rows.push_back(row);
  }
  // Regional: years where any regional migration input exists.
  std::set<int> migration_years;
  for (const auto& entry : net_all) migration_years.insert(entry.first);
  for (const auto& entry : Load(store, "net_internal", dataset)) {
    migration_years.insert(entry.first);
  }
  auto values_at = [](const Table& table, int year,
                      const std::string& vintage) -> const std::map<std::string, double>* {
    const auto it = table.find(year);
    if (it == table.end()) return nullptr;
    const auto jt = it->second.find(vintage);
    return jt == it->second.end() ? nullptr : &jt->second;
  };
  const std::string vintage = "kz-2022";
  for (int year : migration_years) {
    const auto* p0 = values_at(pop, year, vintage);
    const auto* p1 = values_at(pop, year + 1, vintage);
    const auto* b = values_at(births, year, vintage);
    const auto* d = values_at(deaths, year, vintage);
    const auto* m = values_at(net_all, year, vintage);
    std::vector<std::string> missing;
    if (!p0) missing.push_back(fmt::format("population_jan1 {} (regional)", year));
    if (!p1) {
      missing.push_back(
          fmt::format("population_jan1 {} (regional 1 January {} is not in the "
                      "sources)",
                      year + 1, year + 1));
    }
    if (!b) missing.push_back(fmt::format("births {}", year));
    if (!d) missing.push_back(fmt::format("deaths {}", year));
    if (!m) {
      missing.push_back(fmt::format("net_all {} (regional international migration)", year));
    }
    if (!missing.empty()) {
      result.rows.push_back({"all", year, false, 0, 0, 0, "missing", "missing: " + Join(missing)});
      ++missing_rows;
      continue;
    }
    for (const Region& region : RegionSystem::Builtin(vintage).regions()) {
      const std::string& id = region.id;
      if (!p0->count(id) || !p1->count(id) || !b->count(id) || !d->count(id) || !m->count(id)) {
        result.rows.push_back({id, year, false, 0, 0, 0, "missing", "a value is missing"});
        continue;
      }
      CheckRow row{id, year, true, 0, 0, 0, "info", ""};
      row.expected = p1->at(id) - p0->at(id);
      row.actual = b->at(id) - d->at(id) + m->at(id);
      row.residual = row.expected - row.actual;
      result.rows.push_back(row);
      ++computed;
    }
  }
  result.summary =
      fmt::format("{} residuals computed; {} rows name a missing input", computed, missing_rows);
  return result;
}

CheckResult CrossSource(const Store& store, std::string_view dataset) {
  CheckResult result;
  result.name = "cross_source_international";
  result.description =
      "net_all (all flows) - net_internal (inter-regional) = implied international net per "
      "region; summed over regions it should equal the national intl_net.";
  result.tolerance =
      fmt::format("|sum - intl_net| <= {} x (intl arrivals + departures)", kCrossRelTol);
  const Table net_all = Load(store, "net_all", dataset);
  const Table internal = Load(store, "net_internal", dataset);
  const Table intl = Load(store, "intl_net", dataset);
  const Table arrivals = Load(store, "intl_arrivals", dataset);
  const Table departures = Load(store, "intl_departures", dataset);
  int agree = 0, disagree = 0;
  for (const auto& [year, by_vintage] : net_all) {
    const auto all = by_vintage.find("kz-2022");
    const auto in_it = internal.find(year);
    if (all == by_vintage.end() || in_it == internal.end() || !in_it->second.count("kz-2022")) {
      result.rows.push_back(
          {"all", year, false, 0, 0, 0, "missing", fmt::format("missing: net_internal {}", year)});
      continue;
    }
    const auto& inter = in_it->second.at("kz-2022");
    double implied_sum = 0.0;
    for (const auto& [id, value] : all->second) {
      if (id == kNational) continue;
      if (!inter.count(id)) {
        result.rows.push_back({id, year, false, 0, 0, 0, "missing",
                               fmt::format("missing: net_internal {} {}", id, year)});
        continue;
      }
      const double implied = value - inter.at(id);
      implied_sum += implied;
      CheckRow row{id,
                   year,
                   true,
                   value,
                   inter.at(id),
                   implied,
                   "info",
                   "expected = net_all, actual = net_internal, residual = implied international "
                   "net"};
      row.expected_series = "net_all";
      row.actual_series = "net_internal";
      result.rows.push_back(row);
    }
    std::string why;
    const auto national = NationalOf(intl, year, &why, "intl_net");
    if (!national) {
      result.rows.push_back({"KZ", year, false, 0, 0, 0, "missing", "missing: " + why});
      continue;
    }
    const auto arr = NationalOf(arrivals, year, &why, "intl_arrivals");
    const auto dep = NationalOf(departures, year, &why, "intl_departures");
    const double scale = (arr && dep) ? *arr + *dep : std::fabs(*national);
    CheckRow row{"KZ", year, true, *national, implied_sum, implied_sum - *national, "", ""};
    if (std::fabs(row.residual) <= kCrossRelTol * scale) {
      row.status = "ok";
      ++agree;
    } else {
      row.status = "disagree";
      ++disagree;
    }
    row.note =
        "expected = intl_net (national), actual = sum over regions of net_all - net_internal";
    row.expected_series = "intl_net";
    row.actual_series = "sum(net_all - net_internal)";
    result.rows.push_back(row);
  }
  result.summary =
      fmt::format("{} years agree within tolerance, {} disagree (information)", agree, disagree);
  return result;
}

}  // namespace

bool CheckReport::passed() const {
  for (const CheckResult& check : checks) {
    if (check.assertion && !check.passed) return false;
  }
  return true;
}

CheckReport RunChecks(const Store& store, std::string_view dataset) {
  CheckReport report;
  report.checks.push_back(RegionsSumToNational(store, dataset));
  report.checks.push_back(InternalNetSumsToZero(store, dataset));
  report.checks.push_back(PopulationAccounting(store, dataset));
  report.checks.push_back(CrossSource(store, dataset));
  return report;
}

}  // namespace kazmig::store

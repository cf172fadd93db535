#include "kazmig/risk/kz_components.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

#include "kazmig/core/error.h"

namespace kazmig::risk {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// At most this share of the regions may be imputed in one component and year.
constexpr double kMaxImputedShare = 0.25;
// Imputation looks at most this many years away.
constexpr int kMaxImputeDistance = 2;

// Reads values and remembers whether every value read was official.
class Reader {
 public:
  explicit Reader(const KzSeries& series) : series_(series) {}

  double Get(const RegionSeries* s, const std::string& region, int year) {
    if (s == nullptr) return kNaN;
    const auto idx = s->Find(region);
    if (!idx) return kNaN;
    const std::optional<double> value = s->Get(*idx, year);
    if (!value) return kNaN;
    if (!s->ProvenanceOf(*idx, year).official()) official_ = false;
    return *value;
  }
  double Rate(const RegionSeries* s, const std::string& region, int year) {
    const double pop = Get(series_.population_avg, region, year);
    const double value = Get(s, region, year);
    return pop > 0 ? value / pop * 1000.0 : kNaN;
  }
  bool official() const { return official_; }

 private:
  const KzSeries& series_;
  bool official_ = true;
};

std::vector<double> Evaluate(const KzSeries& series, const std::string& name, int year,
                             bool* all_official) {
  Reader reader(series);
  const std::vector<std::string>& regions = series.regions;
  std::vector<double> out(regions.size(), kNaN);
  if (name == "net_migration_rate_1y") {
    for (size_t r = 0; r < regions.size(); ++r) {
      out[r] = reader.Rate(series.net_all, regions[r], year);
    }
  } else if (name == "net_migration_rate_5y") {
    for (size_t r = 0; r < regions.size(); ++r) {
      double sum = 0;
      for (int y = year - 4; y <= year; ++y) sum += reader.Rate(series.net_all, regions[r], y);
      out[r] = sum / 5.0;  // NaN when any year is missing
    }
  } else if (name == "natural_increase") {
    for (size_t r = 0; r < regions.size(); ++r) {
      const double pop = reader.Get(series.population_avg, regions[r], year);
      const double births = reader.Get(series.births, regions[r], year);
      const double deaths = reader.Get(series.deaths, regions[r], year);
      out[r] = pop > 0 ? (births - deaths) / pop * 1000.0 : kNaN;
    }
  } else if (name == "population_change") {
    for (size_t r = 0; r < regions.size(); ++r) {
      const double now = reader.Get(series.population_avg, regions[r], year);
      const double before = reader.Get(series.population_avg, regions[r], year - 1);
      out[r] = before > 0 ? (now - before) / before * 1000.0 : kNaN;
    }
  } else if (name == "unemployment") {
    for (size_t r = 0; r < regions.size(); ++r) {
      out[r] = reader.Get(series.unemployment_rate, regions[r], year);
    }
  } else if (name == "income_relative") {
    // The national value: the population-weighted mean of the regions that have both.
    double weighted = 0;
    double population = 0;
    std::vector<double> income(regions.size());
    for (size_t r = 0; r < regions.size(); ++r) {
      income[r] = reader.Get(series.income_per_capita, regions[r], year);
      const double pop = reader.Get(series.population_avg, regions[r], year);
      if (std::isfinite(income[r]) && pop > 0) {
        weighted += income[r] * pop;
        population += pop;
      }
    }
    if (population > 0) {
      for (size_t r = 0; r < regions.size(); ++r) {
        out[r] = income[r] / (weighted / population) * 100.0;
      }
    }
  } else if (name == "departures_rate") {
    for (size_t r = 0; r < regions.size(); ++r) {
      out[r] = reader.Rate(series.departures_internal, regions[r], year);
    }
  } else if (name == "net_loss_share") {
    std::vector<double> net(regions.size());
    double losses = 0;
    bool complete = true;
    for (size_t r = 0; r < regions.size(); ++r) {
      net[r] = reader.Get(series.net_internal, regions[r], year);
      complete = complete && std::isfinite(net[r]);
      if (net[r] < 0) losses -= net[r];
    }
    // The share needs every region's net (the denominator is the national sum of losses).
    if (complete) {
      for (size_t r = 0; r < regions.size(); ++r) {
        out[r] = losses > 0 && net[r] < 0 ? -net[r] / losses * 100.0 : 0.0;
      }
    }
  } else if (name == "arrivals_per_housing") {
    for (size_t r = 0; r < regions.size(); ++r) {
      const double arrivals = reader.Get(series.arrivals_internal, regions[r], year);
      const double housing = reader.Get(series.housing_commissioned, regions[r], year);
      out[r] = housing > 0 ? arrivals / housing * 1000.0 : kNaN;
    }
  } else if (name == "net_migration_volatility") {
    for (size_t r = 0; r < regions.size(); ++r) {
      std::vector<double> nets;
      for (int y = year - 4; y <= year; ++y)
        nets.push_back(reader.Get(series.net_all, regions[r], y));
      double mean = 0;
      for (double value : nets) mean += value / 5.0;
      double ss = 0;
      for (double value : nets) ss += (value - mean) * (value - mean);
      out[r] = mean != 0 ? std::sqrt(ss / 4.0) / std::fabs(mean) : kNaN;
    }
  } else {
    throw ComputeError(fmt::format("internal: unknown built-in risk component '{}'", name));
  }
  if (all_official != nullptr) *all_official = reader.official();
  return out;
}

}  // namespace

const std::vector<ComponentInfo>& KzComponentCatalogue() {
  static const std::vector<ComponentInfo> catalogue = {
      {"net_migration_rate_1y", "depopulation", Direction::kLessRisk, "per 1,000",
       "net_all(Y) / population_avg(Y) * 1000",
       "BNS table 6567 (net migration, inter-regional + international), BNS table 6576"},
      {"net_migration_rate_5y", "depopulation", Direction::kLessRisk, "per 1,000 a year",
       "mean over Y-4..Y of net_all / population_avg * 1000 (all five years needed)",
       "BNS tables 6567, 6576"},
      {"natural_increase", "depopulation", Direction::kLessRisk, "per 1,000",
       "(births(Y) - deaths(Y)) / population_avg(Y) * 1000", "BNS tables 6548, 6550, 6576"},
      {"population_change", "depopulation", Direction::kLessRisk, "per 1,000",
       "(population_avg(Y) - population_avg(Y-1)) / population_avg(Y-1) * 1000",
       "BNS table 6576 (2022 borders for every year)"},
      {"unemployment", "labour market", Direction::kMoreRisk, "%", "unemployment_rate(Y)",
       "BNS element 102790"},
      {"income_relative", "labour market", Direction::kLessRisk, "% of national",
       "income_per_capita(Y) / national * 100; national = population-weighted mean of the "
       "regions (computed here)",
       "BNS table 19298, BNS table 6576"},
      {"departures_rate", "outflow", Direction::kMoreRisk, "per 1,000",
       "departures_internal(Y) / population_avg(Y) * 1000 (includes moves between districts "
       "inside a region)",
       "BNS internal migration by region, BNS table 6576"},
      {"net_loss_share", "outflow", Direction::kMoreRisk, "% of national net losses",
       "max(0, -net_internal(Y)) / sum over regions of max(0, -net_internal(Y)) * 100",
       "BNS internal migration by region (inter-regional net)"},
      {"arrivals_per_housing", "urban overload", Direction::kMoreRisk,
       "arrivals per 1,000 m2 commissioned",
       "arrivals_internal(Y) / housing_commissioned(Y) * 1000",
       "BNS internal migration by region, BNS table 4289"},
      {"net_migration_volatility", "volatility", Direction::kMoreRisk, "ratio",
       "sample sd / |mean| of net_all over Y-4..Y (all five years needed)", "BNS table 6567"},
  };
  return catalogue;
}

std::vector<double> KzComponentValues(const KzSeries& series, const std::string& name, int year) {
  return Evaluate(series, name, year, nullptr);
}

KzYearComponents BuildKzComponents(const KzSeries& series, int year) {
  KzYearComponents result;
  result.year = year;
  const size_t region_count = series.regions.size();
  for (const ComponentInfo& info : KzComponentCatalogue()) {
    bool official = true;
    std::vector<double> values = Evaluate(series, info.name, year, &official);
    std::vector<size_t> gaps;
    for (size_t r = 0; r < region_count; ++r) {
      if (!std::isfinite(values[r])) gaps.push_back(r);
    }
    if (gaps.size() == region_count) {
      result.missing.push_back({info.name, "no region has the inputs in this year"});
      continue;
    }
    if (static_cast<double>(gaps.size()) > kMaxImputedShare * static_cast<double>(region_count)) {
      result.missing.push_back(
          {info.name, fmt::format("{} of {} regions lack the inputs (more than a quarter: not "
                                  "imputed)",
                                  gaps.size(), region_count)});
      continue;
    }
    std::vector<Imputation> imputed;
    bool complete = true;
    for (size_t r : gaps) {
      bool found = false;
      for (int distance = 1; distance <= kMaxImputeDistance && !found; ++distance) {
        for (int from : {year - distance, year + distance}) {
          const double value = Evaluate(series, info.name, from, nullptr)[r];
          if (std::isfinite(value)) {
            values[r] = value;
            imputed.push_back({info.name, series.regions[r], year, from, value});
            found = true;
            break;
          }
        }
      }
      if (!found) {
        result.missing.push_back(
            {info.name, fmt::format("region {} lacks the inputs within {} years", series.regions[r],
                                    kMaxImputeDistance)});
        complete = false;
        break;
      }
    }
    if (!complete) continue;
    result.imputed.insert(result.imputed.end(), imputed.begin(), imputed.end());
    result.components.push_back({info.name, info.direction, info.unit, std::move(values)});
    result.official.push_back(official && imputed.empty());
  }
  return result;
}

std::vector<ComponentHistory> KzHistories(const KzSeries& series, const std::vector<int>& years) {
  std::vector<ComponentHistory> histories;
  for (const ComponentInfo& info : KzComponentCatalogue()) {
    ComponentHistory history{info.name, info.direction, {}};
    for (int year : years) history.by_year[year] = KzComponentValues(series, info.name, year);
    histories.push_back(std::move(history));
  }
  return histories;
}

}  // namespace kazmig::risk

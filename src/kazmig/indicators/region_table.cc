#include "kazmig/indicators/region_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/indicators/rates.h"

namespace kazmig::indicators {

std::vector<int> RankDescending(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](size_t idx) {
    return std::isnan(values[idx]) ? -std::numeric_limits<double>::infinity() : values[idx];
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
  std::vector<int> ranks(values.size());
  for (size_t pos = 0; pos < order.size(); ++pos) {
    const bool tie = pos > 0 && key(order[pos]) == key(order[pos - 1]);
    ranks[order[pos]] = tie ? ranks[order[pos - 1]] : static_cast<int>(pos) + 1;
  }
  return ranks;
}

std::vector<RegionRow> ComputeRegionTable(const FlowMatrix& flows,
                                          const std::vector<double>* population) {
  const size_t n = flows.size();
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  const double total = std::accumulate(out.begin(), out.end(), 0.0);
  if (population != nullptr && population->size() != n) {
    throw ComputeError(
        fmt::format("population has {} regions, the flows {}", population->size(), n));
  }
  std::vector<RegionRow> rows(n);
  std::vector<double> nets(n), net_rates(n);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    RegionRow& r = rows[region_idx];
    r.id = region_idx < flows.ids().size() ? flows.ids()[region_idx] : std::to_string(region_idx);
    r.in = in[region_idx];
    r.out = out[region_idx];
    r.net = r.in - r.out;
    r.gross = r.in + r.out;
    r.mei = r.gross > 0 ? 100 * r.net / r.gross : std::numeric_limits<double>::quiet_NaN();
    r.share_in = r.in / total;
    r.share_out = r.out / total;
    nets[region_idx] = r.net;
    if (population != nullptr) {
      const double p = (*population)[region_idx];
      if (!(p > 0) || !std::isfinite(p)) {
        throw ComputeError(fmt::format(
            "region {} has population {}: rates per 1,000 are undefined (need > 0)", r.id, p));
      }
      r.population = p;
      r.in_rate = RatePerThousand(r.in, p);
      r.out_rate = RatePerThousand(r.out, p);
      r.net_rate = RatePerThousand(r.net, p);
      r.gross_rate = RatePerThousand(r.gross, p);
      net_rates[region_idx] = *r.net_rate;
    }
  }
  const std::vector<int> rank_net = RankDescending(nets);
  const std::vector<int> rank_rate = RankDescending(net_rates);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    rows[region_idx].rank_net = rank_net[region_idx];
    if (population != nullptr) rows[region_idx].rank_net_rate = rank_rate[region_idx];
  }
  return rows;
}

Trend ComputeTrend(const std::vector<int>& years, const std::vector<double>& values) {
  if (years.empty() || years.size() != values.size()) {
    throw ComputeError("ComputeTrend: need one value per year and at least one year");
  }
  for (size_t idx = 1; idx < years.size(); ++idx) {
    if (years[idx] <= years[idx - 1]) {
      throw ComputeError(fmt::format("ComputeTrend: years not increasing at {}", years[idx]));
    }
  }
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Trend t;
  t.first_year = years.front();
  t.last_year = years.back();
  t.first = values.front();
  t.last = values.back();
  t.change = t.last - t.first;
  const bool all_positive =
      std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  const bool changes_sign =
      std::any_of(values.begin(), values.end(), [](double v) { return v > 0; }) &&
      std::any_of(values.begin(), values.end(), [](double v) { return v < 0; });
  if (!all_positive) {
    t.undefined = changes_sign ? "the series changes sign" : "the series is zero or below";
  }
  t.percent_change = all_positive ? 100 * t.change / t.first : kNaN;
  const double span = static_cast<double>(t.last_year - t.first_year);
  t.cagr = (span > 0 && all_positive) ? std::pow(t.last / t.first, 1 / span) - 1 : kNaN;
  t.largest_increase = kNaN;
  t.largest_decrease = kNaN;
  // A series that never rises has no largest increase (NaN, year 0), one that never falls no
  // largest decrease: its smallest rise is not a decrease.
  for (size_t idx = 1; idx < years.size(); ++idx) {
    const double step = values[idx] - values[idx - 1];
    if (step > 0 && (std::isnan(t.largest_increase) || step > t.largest_increase)) {
      t.largest_increase = step;
      t.year_largest_increase = years[idx];
    }
    if (step < 0 && (std::isnan(t.largest_decrease) || step < t.largest_decrease)) {
      t.largest_decrease = step;
      t.year_largest_decrease = years[idx];
    }
  }
  return t;
}

}  // namespace kazmig::indicators

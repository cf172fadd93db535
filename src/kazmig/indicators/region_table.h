// Region-level tables and trends: what an analyst reads first about each region.
//
//   std::vector<indicators::RegionRow> rows = indicators::ComputeRegionTable(flows, &population);
//   for (const auto& r : rows) Print(r.id, r.net, r.net_rate, r.rank_net_rate);
//
//   indicators::Trend t = indicators::ComputeTrend({2019, 2020, 2021}, {100, 110, 99});
//   // t.change = -1, t.cagr = (99/100)^(1/2) - 1, t.year_largest_increase = 2020
//
// Per region (diagonal ignored): in D_i (arrivals), out O_i (departures), net N_i = D_i - O_i,
// gross (turnover) D_i + O_i; rates per 1,000 population 1000 x / p_i; regional
// MEI_i = 100 N_i / (D_i + O_i); shares of national in- and out-flows D_i / M, O_i / M; ranks
// 1 = largest (net gain; ties share the smaller rank).
#ifndef KAZMIG_INDICATORS_REGION_TABLE_H_
#define KAZMIG_INDICATORS_REGION_TABLE_H_

#include <optional>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::indicators {

struct RegionRow {
  std::string id;
  double in = 0;
  double out = 0;
  double net = 0;
  double gross = 0;
  double mei = 0;        // NaN when the region has no moves
  double share_in = 0;   // D_i / M
  double share_out = 0;  // O_i / M
  int rank_net = 0;      // by net, 1 = largest gain
  // With population:
  std::optional<double> population;
  std::optional<double> in_rate;  // per 1,000
  std::optional<double> out_rate;
  std::optional<double> net_rate;
  std::optional<double> gross_rate;
  std::optional<int> rank_net_rate;
};

// One row per region of `flows`, in its order. `population` (optional, same order) must be
// positive; throws ComputeError naming the region otherwise.
std::vector<RegionRow> ComputeRegionTable(const FlowMatrix& flows,
                                          const std::vector<double>* population = nullptr);

// Ranks with 1 = largest value (ties get the same, smallest rank; NaN ranks last).
std::vector<int> RankDescending(const std::vector<double>& values);

// Change over a series of (year, value), years strictly increasing.
struct Trend {
  int first_year = 0;
  int last_year = 0;
  double first = 0;
  double last = 0;
  double change = 0;  // last - first (the absolute change: what a net's trend is told by)
  // Percent change and growth are defined only for a series whose every value is positive; a
  // series that starts at zero or below (a net) or changes sign has them NaN and says why in
  // `undefined` (e.g. -936 -> -4,151 is no "-343%" beside a positive CAGR).
  double percent_change = 0;  // 100 (last - first) / first
  double cagr = 0;            // (last / first)^(1 / (last_year - first_year)) - 1; NaN for one year
  std::string undefined;      // empty, or why percent change and growth are undefined
  int year_largest_increase = 0;  // the year whose rise from the previous value is largest
  double largest_increase = 0;    // NaN (year 0) when the series never rises
  int year_largest_decrease = 0;  // the year whose fall is largest
  double largest_decrease = 0;    // NaN (year 0) when the series never falls
};
// Throws ComputeError for an empty series, unequal lengths or years not increasing.
Trend ComputeTrend(const std::vector<int>& years, const std::vector<double>& values);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_REGION_TABLE_H_

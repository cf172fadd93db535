// Rates and balances of regional migration from totals: the one place for rates per 1,000, the
// crude migration probability, the migration effectiveness of in- and out-totals, the sums of
// official regional nets and the ranking of regions by their net rate over a period.
//
//   double rate = indicators::RatePerThousand(50078, 1'392'000);       // 35.98 per 1,000
//   indicators::Turnover t = indicators::SumTurnover(in, out);          // per-region totals
//   double mei = indicators::MigrationEffectiveness(t);                 // 100 sum|D-O| / sum(D+O)
//   double cmp = indicators::CrudeMigrationProbability(t.total, 6000);  // per 100
//   indicators::NetSummary s = indicators::SummariseNets(nets, population);  // s.anmr, s.net_rate
//   auto ranked = indicators::RankByNetRate({{"Astana", 150000, 4.1e6}, ...});
//   auto gainers = indicators::TopGainers(ranked, 3);                   // net > 0, highest first
//
// Formulas (Bell et al. 2002; Rowland 2003, ch. 2): rate per 1,000 = 1000 x / p; CMP = 100 M / P;
// MEI = 100 sum |D_i - O_i| / sum (D_i + O_i); ANMR = 100 (1/2) sum |net_i| / sum p_i. A period's
// net rate is 1000 (sum of yearly nets) / (sum of yearly average populations), per 1,000
// person-years.
#ifndef KAZMIG_INDICATORS_RATES_H_
#define KAZMIG_INDICATORS_RATES_H_

#include <cstddef>
#include <string>
#include <vector>

namespace kazmig::indicators {

// 1000 value / population: a rate per 1,000 (net, in, out or gross migration). NaN when either is
// NaN or the population is not positive.
double RatePerThousand(double value, double population);

// 100 moves / population: the crude migration probability (intensity) per 100.
double CrudeMigrationProbability(double moves, double population);

// Sums over regions of their in- (D_i) and out-totals (O_i), added in region order.
struct Turnover {
  double total = 0;    // sum O_i: every move counted once
  double abs_net = 0;  // sum |D_i - O_i|
  double gross = 0;    // sum (D_i + O_i)
};
// Throws ComputeError when `in` and `out` differ in size.
Turnover SumTurnover(const std::vector<double>& in, const std::vector<double>& out);

// 100 abs_net / gross (Shryock et al. 1975); NaN when there is no move (gross 0).
double MigrationEffectiveness(const Turnover& turnover);

// What official regional nets and populations give without an origin-destination matrix.
struct NetSummary {
  size_t n = 0;                  // regions
  double population = 0;         // sum p_i
  double net_sum = 0;            // sum net_i (0 for internal migration up to rounding)
  double anmr = 0;               // 100 (1/2) sum |net_i| / sum p_i (AnmrFromNets, bands.h)
  std::vector<double> net_rate;  // 1000 net_i / p_i, per region
};
// Sums are taken in region order. Throws ComputeError for unequal sizes or an empty input, and
// when a population is not positive.
NetSummary SummariseNets(const std::vector<double>& nets, const std::vector<double>& population);

// A region's net migration and average population summed over the years of a period.
struct RegionNet {
  std::string name;
  double net = 0;           // sum of the yearly nets
  double person_years = 0;  // sum of the yearly average populations
};
struct RankedNet {
  std::string name;
  double net = 0;
  double rate_per_1000 = 0;  // RatePerThousand(net, person_years)
};
// The regions with positive person-years, by rate per 1,000, highest first (ties by name).
std::vector<RankedNet> RankByNetRate(const std::vector<RegionNet>& regions);
// The `count` largest gainers (net > 0, highest rate first) and losers (net < 0, lowest rate
// first) of a ranking made by RankByNetRate.
std::vector<RankedNet> TopGainers(const std::vector<RankedNet>& ranked, size_t count);
std::vector<RankedNet> TopLosers(const std::vector<RankedNet>& ranked, size_t count);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_RATES_H_

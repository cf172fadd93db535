#include "kazmig/indicators/rates.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kazmig/core/check.h"
#include "kazmig/indicators/bands.h"

namespace kazmig::indicators {

double RatePerThousand(double value, double population) {
  if (std::isnan(value) || std::isnan(population) || !(population > 0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return 1000 * value / population;
}

double CrudeMigrationProbability(double moves, double population) {
  return 100 * moves / population;
}

Turnover SumTurnover(const std::vector<double>& in, const std::vector<double>& out) {
  CheckSameSize("SumTurnover", "in", in.size(), "out", out.size());
  Turnover turnover;
  for (size_t region_idx = 0; region_idx < in.size(); ++region_idx) {
    turnover.total += out[region_idx];
    turnover.abs_net += std::abs(in[region_idx] - out[region_idx]);
    turnover.gross += in[region_idx] + out[region_idx];
  }
  return turnover;
}

double MigrationEffectiveness(const Turnover& turnover) {
  if (turnover.gross == 0) return std::numeric_limits<double>::quiet_NaN();
  return 100 * turnover.abs_net / turnover.gross;
}

NetSummary SummariseNets(const std::vector<double>& nets, const std::vector<double>& population) {
  NetSummary summary;
  summary.anmr = AnmrFromNets(nets, population);  // checks sizes and positive populations
  summary.n = nets.size();
  for (size_t region_idx = 0; region_idx < nets.size(); ++region_idx) {
    summary.net_sum += nets[region_idx];
    summary.population += population[region_idx];
    summary.net_rate.push_back(RatePerThousand(nets[region_idx], population[region_idx]));
  }
  return summary;
}

std::vector<RankedNet> RankByNetRate(const std::vector<RegionNet>& regions) {
  std::vector<RankedNet> ranked;
  for (const RegionNet& region : regions) {
    if (!(region.person_years > 0)) continue;
    ranked.push_back({region.name, region.net, RatePerThousand(region.net, region.person_years)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedNet& a, const RankedNet& b) {
    if (a.rate_per_1000 != b.rate_per_1000) return a.rate_per_1000 > b.rate_per_1000;
    return a.name < b.name;
  });
  return ranked;
}

std::vector<RankedNet> TopGainers(const std::vector<RankedNet>& ranked, size_t count) {
  std::vector<RankedNet> gainers;
  for (const RankedNet& region : ranked) {
    if (region.net > 0 && gainers.size() < count) gainers.push_back(region);
  }
  return gainers;
}

std::vector<RankedNet> TopLosers(const std::vector<RankedNet>& ranked, size_t count) {
  std::vector<RankedNet> losers;
  for (auto it = ranked.rbegin(); it != ranked.rend(); ++it) {
    if (it->net < 0 && losers.size() < count) losers.push_back(*it);
  }
  return losers;
}

}  // namespace kazmig::indicators

// The report's "Regularities" building block: which regions gain and which lose people through
// migration, as official net migration rates per 1,000 average population over a period.
//
//   std::vector<report::RegionNet> nets = {{"Astana", 150000, 1300000}, ...};
//   report::AddGainersLosers(section, nets, 5, {doc.Cite("BNS, net migration")}, "2022–2024");
//
// Rate = 1000 × (sum of yearly nets) / (sum of yearly average populations): the period's net per
// 1,000 person-years (Rowland 2003, ch. 2).
#ifndef KAZMIG_REPORT_REGULARITIES_H_
#define KAZMIG_REPORT_REGULARITIES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "kazmig/report/html.h"

namespace kazmig::report {

struct RegionNet {
  std::string name;
  double net = 0;           // sum of the yearly official nets over the period
  double person_years = 0;  // sum of the yearly average populations over the period
};

struct RankedNet {
  std::string name;
  double net = 0;
  double rate_per_1000 = 0;
};

// All regions with a positive person-years total, by rate, highest first (ties by name).
std::vector<RankedNet> RankByNetRate(const std::vector<RegionNet>& regions);

// A plain-language paragraph ("Gaining: A (+12.3 per 1,000), ...; losing: ...") and a table of the
// `count` largest gainers and `count` largest losers with the *official* badge.
void AddGainersLosers(Section& section, const std::vector<RegionNet>& regions, size_t count,
                      const std::vector<int>& sources, const std::string& period);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_REGULARITIES_H_

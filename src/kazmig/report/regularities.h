// The report's "Regularities" section (AddRegularitiesSection) and its building blocks: intensity
// and effectiveness over time (official ANMR from the regional nets; CMP and MEI of the estimated
// inter-regional matrices with their sensitivity bands), the regions that gain and lose, the
// largest corridors, concentration (Ginis, ACV) and a paragraph saying in plain words what the
// numbers say. Every indicator is computed by the indicators library (indicators/bands.h).
//
//   report::AddRegularitiesSection(data, document);   // data: report::SituationData
//
// The gainers/losers block: which regions gain and which lose people through migration, as
// official net migration rates per 1,000 average population over a period.
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

#include "kazmig/indicators/bands.h"
#include "kazmig/report/html.h"
#include "kazmig/report/situation.h"

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

// One year of the section's series.
struct RegularitiesYear {
  int year = 0;
  // Official ANMR per 100, from the regional nets and average populations of every region of the
  // system (NaN when a region's net or population is missing).
  double anmr = 0;
  // From SituationData::internal_od of the year (estimated), when there is one.
  bool estimated = false;
  indicators::BandedIndicators od;
  estimate::KzOdAssumptions assumptions;
};

// Every year with official nets or an estimated matrix, oldest first.
std::vector<RegularitiesYear> ComputeRegularitiesYears(const SituationData& data);

// The plain-words paragraph (HTML: estimated numbers carry the <sup class="mark">e</sup> mark),
// built from `years` (the latest estimated year is described) and the gainers/losers ranking over
// `period`. Empty when there is nothing to say.
std::string RegularitiesSummaryHtml(const std::vector<RegularitiesYear>& years,
                                    const std::vector<RankedNet>& ranked,
                                    const std::string& period);

// The whole section (nothing when there are neither official nets nor estimated matrices).
void AddRegularitiesSection(const SituationData& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_REGULARITIES_H_

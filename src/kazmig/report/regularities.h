// The report's "Regularities" section (AddRegularitiesSection) and its building blocks: intensity
// and effectiveness over time (official ANMR from the regional nets; CMP and MEI of the stored
// estimated inter-regional matrices with their sensitivity bands), the regions that gain and lose,
// the largest corridors, concentration (Ginis, ACV) and a paragraph saying in plain words what the
// numbers say. Every number is computed by the use case (app/report.h); this file formats them.
//
//   report::AddRegularitiesSection(data, document);   // data: app::SituationInput
//
// The gainers/losers block: which regions gain and which lose people through migration, as
// official net migration rates per 1,000 average population over a period (app::RankByNetRate).
//
//   std::vector<app::RankedNet> ranked = app::RankByNetRate({{"Astana", 150000, 1300000}, ...});
//   report::AddGainersLosers(section, ranked, 5, {doc.Cite("BNS, net migration")}, "2022–2024");
#ifndef KAZMIG_REPORT_REGULARITIES_H_
#define KAZMIG_REPORT_REGULARITIES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

// A plain-language paragraph ("Gaining: A (+12.3 per 1,000), ...; losing: ...") and a table of the
// `count` largest gainers and `count` largest losers of `ranked` with the *official* badge.
void AddGainersLosers(Section& section, const std::vector<app::RankedNet>& ranked, size_t count,
                      const std::vector<int>& sources, const std::string& period);

// The plain-words paragraph (HTML: estimated numbers carry the <sup class="mark">e</sup> mark),
// built from `years` (the latest estimated year is described) and the gainers/losers ranking over
// `period`. Empty when there is nothing to say.
std::string RegularitiesSummaryHtml(const std::vector<app::SituationYear>& years,
                                    const std::vector<app::RankedNet>& ranked,
                                    const std::string& period, Lang lang = Lang::kEn);

// The whole section (nothing when there are neither official nets nor estimated matrices).
void AddRegularitiesSection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_REGULARITIES_H_

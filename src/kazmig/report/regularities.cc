#include "kazmig/report/regularities.h"

#include <algorithm>

namespace kazmig::report {

std::vector<RankedNet> RankByNetRate(const std::vector<RegionNet>& regions) {
  std::vector<RankedNet> ranked;
  for (const RegionNet& region : regions) {
    if (!(region.person_years > 0)) continue;
    ranked.push_back({region.name, region.net, 1000.0 * region.net / region.person_years});
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedNet& a, const RankedNet& b) {
    if (a.rate_per_1000 != b.rate_per_1000) return a.rate_per_1000 > b.rate_per_1000;
    return a.name < b.name;
  });
  return ranked;
}

void AddGainersLosers(Section& section, const std::vector<RegionNet>& regions, size_t count,
                      const std::vector<int>& sources, const std::string& period) {
  const std::vector<RankedNet> ranked = RankByNetRate(regions);
  std::vector<const RankedNet*> gainers;
  std::vector<const RankedNet*> losers;
  for (const RankedNet& region : ranked) {
    if (region.net > 0 && gainers.size() < count) gainers.push_back(&region);
  }
  for (auto it = ranked.rbegin(); it != ranked.rend(); ++it) {
    if (it->net < 0 && losers.size() < count) losers.push_back(&*it);
  }
  auto list = [](const std::vector<const RankedNet*>& items) {
    std::string text;
    for (const RankedNet* item : items) {
      if (!text.empty()) text += ", ";
      text += item->name + " (" + FormatThousands(item->rate_per_1000, 1, true) + " per 1,000)";
    }
    return text.empty() ? std::string("none") : text;
  };
  section.Paragraph("Over " + period +
                    ", the regions gaining most people through migration "
                    "(relative to their population) were " +
                    list(gainers) + "; those losing most were " + list(losers) + ".");
  Table table({"Region", "Net migration, " + period, "Per 1,000 per year"});
  for (const RankedNet* item : gainers) {
    table.AddRow({Cell::Text(item->name), Cell::Number(item->net, 0, true),
                  Cell::Number(item->rate_per_1000, 1, true)});
  }
  for (auto it = losers.rbegin(); it != losers.rend(); ++it) {
    table.AddRow({Cell::Text((*it)->name), Cell::Number((*it)->net, 0, true),
                  Cell::Number((*it)->rate_per_1000, 1, true)});
  }
  section.AddTable(table, "Regions gaining and losing through migration, " + period, sources,
                   "Net migration: official arrivals minus departures summed over the period. "
                   "Rate: net per 1,000 average population per year.",
                   {"official"});
}

}  // namespace kazmig::report

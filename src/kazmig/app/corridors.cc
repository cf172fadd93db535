#include "kazmig/app/corridors.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "kazmig/core/error.h"

namespace kazmig::app {
namespace {

constexpr const char* kKazakhstan = "KAZ";
constexpr const char* kIndicator = "abel_flows";

// A row's period: its own (Abel & Cohen's "2015-2020"), or its year for annual official rows.
std::string PeriodOf(const store::FlowRow& row) {
  return row.period.empty() ? std::to_string(row.year) : row.period;
}

}  // namespace

IntlCorridors SelectLargestCorridors(const std::vector<store::FlowRow>& flows,
                                     std::string_view period, size_t k,
                                     const std::function<std::string(const std::string&)>& name) {
  if (k == 0) throw UsageError("the number of corridors must be at least 1");
  IntlCorridors out;
  out.indicator = kIndicator;
  std::set<std::string> periods;
  for (const store::FlowRow& row : flows) {
    if ((row.orig == kKazakhstan) != (row.dest == kKazakhstan)) periods.insert(PeriodOf(row));
  }
  out.periods.assign(periods.begin(), periods.end());
  if (out.periods.empty()) return out;
  if (period.empty()) {
    out.period = out.periods.back();
  } else if (periods.count(std::string(period)) == 0) {
    std::string list;
    for (const std::string& known : out.periods) list += (list.empty() ? "" : ", ") + known;
    throw UsageError(fmt::format("period '{}': the corridors exist for {}", period, list));
  } else {
    out.period = std::string(period);
  }
  std::map<std::string, IntlCorridor> by_partner;
  for (const store::FlowRow& row : flows) {
    if (PeriodOf(row) != out.period) continue;
    const bool in = row.dest == kKazakhstan;
    if (in == (row.orig == kKazakhstan)) continue;  // not Kazakhstan's, or to itself
    const std::string& partner = in ? row.orig : row.dest;
    if (partner == "CIS" || partner == "NON_CIS") continue;  // aggregates, not partners
    IntlCorridor& corridor = by_partner[partner];
    if (corridor.partner.empty()) {
      corridor.period = out.period;
      corridor.partner = partner;
      corridor.partner_name = name ? name(partner) : partner;
      if (corridor.partner_name.empty()) corridor.partner_name = partner;
      corridor.provenance = row.provenance;
    }
    (in ? corridor.to_kazakhstan : corridor.from_kazakhstan) += row.value;
    corridor.total += row.value;
  }
  std::vector<IntlCorridor> all;
  for (auto& [partner, corridor] : by_partner) all.push_back(std::move(corridor));
  // Largest first; the map's order (the code) breaks ties, so the selection is deterministic.
  std::stable_sort(all.begin(), all.end(),
                   [](const IntlCorridor& a, const IntlCorridor& b) { return a.total > b.total; });
  for (size_t rank_idx = 0; rank_idx < all.size(); ++rank_idx) {
    if (rank_idx < k) {
      all[rank_idx].rank = static_cast<int>(rank_idx) + 1;
      out.rows.push_back(std::move(all[rank_idx]));
    } else {
      ++out.other_partners;
      out.other_to_kazakhstan += all[rank_idx].to_kazakhstan;
      out.other_from_kazakhstan += all[rank_idx].from_kazakhstan;
    }
  }
  return out;
}

IntlCorridors LargestCorridors(KzDataset& kz, std::string_view period, size_t k) {
  return SelectLargestCorridors(kz.Flows(kIndicator), period, k,
                                [&kz](const std::string& code) { return kz.CountryName(code); });
}

}  // namespace kazmig::app

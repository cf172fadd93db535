// Kazakhstan's largest international corridors in one period: the ONE selection that the report's
// chord diagram (report/chord.h, section "Flows") and the HTTP API's /api/flows/international
// show, so that both give the same partners, the same order and the same numbers.
//
// The flows are Abel & Cohen's estimated bilateral 5-year flows to and from Kazakhstan (built-in
// indicator `abel_flows`, ISO3 codes, periods "1990-1995" ... "2015-2020"). A corridor is the pair
// of flows between Kazakhstan and one partner; its size is the sum of both directions.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::IntlCorridors top = app::LargestCorridors(kz, "2015-2020", 8);
//   for (const app::IntlCorridor& row : top.rows)
//     ... row.partner_name, row.to_kazakhstan, row.from_kazakhstan, row.provenance ...;
#ifndef KAZMIG_APP_CORRIDORS_H_
#define KAZMIG_APP_CORRIDORS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/provenance.h"
#include "kazmig/store/store.h"

namespace kazmig::app {

// The flows of one corridor between Kazakhstan and `partner` over `period` (persons).
struct IntlCorridor {
  std::string period;          // e.g. "2015-2020"
  std::string partner;         // ISO3 code
  std::string partner_name;    // English name (built-in world_countries.csv), else the code
  int rank = 0;                // 1: the largest corridor of the period
  double to_kazakhstan = 0;    // partner -> Kazakhstan
  double from_kazakhstan = 0;  // Kazakhstan -> partner
  double total = 0;            // to_kazakhstan + from_kazakhstan
  Provenance provenance;       // of the flows (the first of the two when they differ)
};

struct IntlCorridors {
  std::string indicator;             // "abel_flows"
  std::vector<std::string> periods;  // every period with flows, oldest first
  std::string period;                // the selected period
  std::vector<IntlCorridor> rows;    // at most k, largest total first (ties: partner code)
  // The partners outside `rows`, summed: how many, and their flows (so that a drawing of the
  // corridors can show Kazakhstan's whole exchange).
  size_t other_partners = 0;
  double other_to_kazakhstan = 0;
  double other_from_kazakhstan = 0;
};

// How many corridors a chord diagram shows: the report's and the API's /api/flows/international.
inline constexpr size_t kChordCorridors = 8;  // 8 partners (the rest as one arc) stay readable

// The pure selection: the `k` largest corridors with Kazakhstan ("KAZ") in `period` of `flows`
// (rows of one indicator; a flow not touching Kazakhstan, from Kazakhstan to itself, or with an
// aggregate partner, CIS or NON_CIS, is ignored). A row's period is FlowRow::period, or its year
// as text for annual rows (the official flows by CIS partner). Empty `period`: the latest period.
// `name` gives a partner's display name. Throws UsageError when k is 0 or `period` is not among the
// flows' periods (the message lists them); an empty `flows` gives an empty result.
IntlCorridors SelectLargestCorridors(const std::vector<store::FlowRow>& flows,
                                     std::string_view period, size_t k,
                                     const std::function<std::string(const std::string&)>& name);

// The use case: SelectLargestCorridors over the dataset's `abel_flows`, partners named from the
// built-in country names.
IntlCorridors LargestCorridors(KzDataset& kz, std::string_view period, size_t k);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_CORRIDORS_H_

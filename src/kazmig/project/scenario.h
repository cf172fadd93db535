// Scenarios of the regional projection: named, documented changes to the baseline that compose.
//
// A scenario is plain data (the app layer reads it from a JSON file, see docs/projection.md):
// internal transfers (a resettlement quota: N persons a year from origin regions to destination
// regions, zero-sum), international changes (kandas arrivals, an emigration shock: signed persons
// a year added to the international net of some regions) and urban pulls (inter-regional inflows
// to some cities x% above their baseline trend, taken from the other regions). Every change is
// measured against the baseline of the same draw, so scenarios add up and compose:
//
//   project::Scenario quota;                          // 9,653 a year, south -> north
//   quota.name = "resettlement-quota";
//   quota.transfers.push_back({"resettlement-quota.persons", 2025, 2035, 9653,
//                              {{south_idx, 1.0}}, {{north_idx, 1.0}}});
//   project::Scenario both = project::Compose({quota, kandas});   // == Compose({kandas, quota})
//
// Composition concatenates the changes and sorts them into one canonical order, so the result of
// a composed scenario does not depend on the order of its parts (to the last bit).
#ifndef KAZMIG_PROJECT_SCENARIO_H_
#define KAZMIG_PROJECT_SCENARIO_H_

#include <climits>
#include <cstddef>
#include <string>
#include <vector>

namespace kazmig::project {

// A region and its weight in a mix. A mix whose weights are all 0 (or empty) is "in proportion to
// the regions' populations each year" (ByPopulation); otherwise the weights are normalised to sum
// to 1.
struct RegionWeight {
  size_t region_idx = 0;
  double weight = 0;
  bool operator==(const RegionWeight&) const = default;
  auto operator<=>(const RegionWeight&) const = default;
};

// `persons` a year move between regions in years first_year..last_year (the calendar years of
// the flows): taken from `origins` and added to `destinations` by their mixes. Zero-sum.
struct InternalTransfer {
  std::string key;  // where it came from (file and JSON key), for messages
  int first_year = INT_MIN;
  int last_year = INT_MAX;
  double persons = 0;
  std::vector<RegionWeight> origins;
  std::vector<RegionWeight> destinations;
  bool operator==(const InternalTransfer&) const = default;
  auto operator<=>(const InternalTransfer&) const = default;
};

// `persons` a year (signed: + arrivals, - departures) added to the international net of
// `regions` by their mix (empty: every region, by population).
struct InternationalChange {
  std::string key;
  int first_year = INT_MIN;
  int last_year = INT_MAX;
  double persons = 0;
  std::vector<RegionWeight> regions;
  bool operator==(const InternationalChange&) const = default;
  auto operator<=>(const InternationalChange&) const = default;
};

// The cities' inter-regional inflows `percent` % above the baseline: each city gains
// percent/100 x max(baseline inter-regional net of the draw, 0) and the other regions lose the
// sum in proportion to their populations. Zero-sum.
struct UrbanPull {
  std::string key;
  int first_year = INT_MIN;
  int last_year = INT_MAX;
  double percent = 0;
  std::vector<size_t> cities;
  bool operator==(const UrbanPull&) const = default;
  auto operator<=>(const UrbanPull&) const = default;
};

struct Scenario {
  std::string name = "baseline";
  std::string description;
  std::vector<InternalTransfer> transfers;
  std::vector<InternationalChange> international;
  std::vector<UrbanPull> urban_pulls;

  // True when the scenario changes nothing (the baseline).
  bool empty() const { return transfers.empty() && international.empty() && urban_pulls.empty(); }
};

// The scenario that applies every change of `parts` (the baseline plus all of them); its name is
// the parts' names joined with '+', in the order given (the empty parts, e.g. baseline, are left
// out of the name unless every part is empty). The changes are sorted canonically: the projection
// of Compose({a, b}) equals that of Compose({b, a}) to the last bit.
Scenario Compose(const std::vector<Scenario>& parts);

// Checks a scenario against the regions of the projection: region indices < region_count, finite
// numbers, non-negative weights, first_year <= last_year, non-negative transfer persons and urban
// percent, and no transfer that takes more in a year from an origin than its population
// `population` (by its mix, at the base year). Throws InputError naming the change's key.
void ValidateScenario(const Scenario& scenario, const std::vector<std::string>& region_ids,
                      const std::vector<double>& population);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_SCENARIO_H_

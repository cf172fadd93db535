// Named groups of Kazakhstan's regions (kz-2022 ids), the one table behind every command and
// report section that speaks of "the north", "the labour-surplus south" or "the three cities":
// the scenarios of `kazmig potential`, the comparison of `kazmig compare` and the report.
//
//   const app::RegionGroup* north = app::FindRegionGroup("north");   // case-insensitive
//   std::vector<size_t> idx = app::RegionGroupIndices("cities");      // kz-2022 indices
//
// Groups (docs/factors.md, docs/projection.md):
//   north          Akmola, Abai, East Kazakhstan, Kostanay, North Kazakhstan, Pavlodar — the
//                  receiving regions of the state resettlement programme (policy measure
//                  resettlement-north) and the depopulating north of the Concept 2023–2027;
//   south          the geographic south: Almaty Region, Zhambyl, Jetisu, Kyzylorda, Turkistan,
//                  Almaty, Shymkent;
//   labour-surplus the sending regions of the resettlement programme: Turkistan, Zhambyl,
//                  Kyzylorda, Almaty Region, Mangystau (projection.md's methods file);
//   west           Aktobe, Atyrau, West Kazakhstan, Mangystau;
//   center         Karagandy, Ulytau;
//   capital        Astana;
//   cities         Astana, Almaty, Shymkent (cities of republican significance).
#ifndef KAZMIG_APP_REGION_GROUPS_H_
#define KAZMIG_APP_REGION_GROUPS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::app {

struct RegionGroup {
  std::string id;                    // lower case: "north", "labour-surplus", ...
  std::string name;                  // for people, with the members
  std::vector<std::string> members;  // kz-2022 ids
};

// Every group, in the order above.
const std::vector<RegionGroup>& RegionGroups();
// The group named `id` (case-insensitive), or nullptr.
const RegionGroup* FindRegionGroup(std::string_view id);
// The kz-2022 region indices of a group, every region for "all", or an empty vector when `name`
// is not a group (case-insensitive).
std::vector<size_t> RegionGroupIndices(std::string_view name);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_REGION_GROUPS_H_

#include "kazmig/app/region_groups.h"

#include <algorithm>
#include <cctype>

#include "kazmig/core/region.h"

namespace kazmig::app {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::vector<RegionGroup>& RegionGroups() {
  static const std::vector<RegionGroup> groups = {
      {"north",
       "north (Akmola, Abai, East Kazakhstan, Kostanay, North Kazakhstan, Pavlodar)",
       {"11", "10", "63", "39", "59", "55"}},
      {"south",
       "south (Almaty Region, Zhambyl, Jetisu, Kyzylorda, Turkistan, Almaty, Shymkent)",
       {"19", "31", "33", "43", "61", "75", "79"}},
      {"labour-surplus",
       "south, labour surplus (Turkistan, Zhambyl, Kyzylorda, Almaty Region, Mangystau)",
       {"61", "31", "43", "19", "47"}},
      {"west", "west (Aktobe, Atyrau, West Kazakhstan, Mangystau)", {"15", "23", "27", "47"}},
      {"center", "centre (Karagandy, Ulytau)", {"35", "62"}},
      {"capital", "the capital (Astana)", {"71"}},
      {"cities", "the three cities (Astana, Almaty, Shymkent)", {"71", "75", "79"}},
  };
  return groups;
}

const RegionGroup* FindRegionGroup(std::string_view id) {
  const std::string key = Lower(id);
  for (const RegionGroup& group : RegionGroups()) {
    if (group.id == key) return &group;
  }
  return nullptr;
}

std::vector<size_t> RegionGroupIndices(std::string_view name) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::vector<size_t> out;
  if (Lower(name) == "all") {
    for (size_t idx = 0; idx < kz2022.size(); ++idx) out.push_back(idx);
    return out;
  }
  const RegionGroup* group = FindRegionGroup(name);
  if (group == nullptr) return out;
  for (const std::string& id : group->members) out.push_back(*kz2022.IndexOfId(id));
  return out;
}

}  // namespace kazmig::app

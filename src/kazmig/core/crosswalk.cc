#include "kazmig/core/crosswalk.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "kazmig/core/error.h"

namespace kazmig {

std::vector<std::string> Crosswalk::Atoms(const std::string& vintage, const std::string& id) {
  if (vintage == "kz-2022") return {id};
  // At 2018 and 2009 borders these units still held the 2022 splits.
  if (id == "19") return {"19", "33"};
  if (id == "35") return {"35", "62"};
  if (id == "63") return {"63", "10"};
  if (vintage == "kz-2009" && id == "51") return {"61", "79"};
  return {id};
}

Crosswalk::Crosswalk(const RegionSystem& from, const RegionSystem& to,
                     std::map<std::string, double> atom_weights)
    : from_(&from), to_(&to) {
  if (!RegionSystem::IsBuiltin(from.name()) || !RegionSystem::IsBuiltin(to.name())) {
    throw UsageError(
        fmt::format("no crosswalk between '{}' and '{}': both must be built-in "
                    "Kazakhstan vintages (kz-2009, kz-2018, kz-2022)",
                    from.name(), to.name()));
  }
  auto weight_of = [&](const std::vector<std::string>& atoms, const std::string& why) {
    double w = 0.0;
    for (const auto& atom : atoms) {
      auto it = atom_weights.find(atom);
      if (it == atom_weights.end() || !std::isfinite(it->second) || it->second < 0) {
        throw InputError("weights", 0, 0,
                         fmt::format("no usable weight (population) for region {} at 2022 "
                                     "borders, needed to {}",
                                     atom, why));
      }
      w += it->second;
    }
    return w;
  };
  for (size_t from_idx = 0; from_idx < from.size(); ++from_idx) {
    const auto from_atoms = Atoms(from.name(), from[from_idx].id);
    const std::set<std::string> from_set(from_atoms.begin(), from_atoms.end());
    for (size_t to_idx = 0; to_idx < to.size(); ++to_idx) {
      const auto to_atoms = Atoms(to.name(), to[to_idx].id);
      std::vector<std::string> overlap;
      for (const auto& atom : to_atoms) {
        if (from_set.count(atom) > 0) overlap.push_back(atom);
      }
      if (overlap.empty()) continue;
      Link link{from_idx, to_idx, 1.0, 1.0};
      if (overlap.size() != from_atoms.size()) {  // the source unit is split
        const std::string why =
            fmt::format("split {} ({})", from[from_idx].name_en, from[from_idx].id);
        const double total = weight_of(from_atoms, why);
        link.count_share = total > 0 ? weight_of(overlap, why) / total : 0.0;
      }
      if (overlap.size() != to_atoms.size()) {  // several sources merge into the target
        const std::string why =
            fmt::format("merge into {} ({})", to[to_idx].name_en, to[to_idx].id);
        const double total = weight_of(to_atoms, why);
        link.rate_share = total > 0 ? weight_of(overlap, why) / total : 0.0;
      }
      links_.push_back(link);
    }
  }
}

std::vector<double> Crosswalk::Apply(const std::vector<double>& values, bool counts) const {
  if (values.size() != from_->size()) {
    throw InputError(fmt::format("crosswalk: {} values given for {} regions of {}", values.size(),
                                 from_->size(), from_->name()));
  }
  std::vector<double> out(to_->size(), 0.0);
  // For counts, the last part of a split takes the remainder so that merging back is exact.
  std::vector<double> remaining(values);
  std::vector<size_t> parts_left(from_->size(), 0);
  for (const auto& link : links_) ++parts_left[link.from_idx];
  for (const auto& link : links_) {
    const double v = values[link.from_idx];
    double part;
    if (counts) {
      if (--parts_left[link.from_idx] == 0) {
        part = remaining[link.from_idx];
      } else {
        part = v * link.count_share;
        remaining[link.from_idx] -= part;
      }
    } else {
      part = v * link.rate_share;
    }
    out[link.to_idx] += part;
  }
  return out;
}

std::vector<double> Crosswalk::ConvertCounts(const std::vector<double>& values) const {
  return Apply(values, true);
}

std::vector<double> Crosswalk::ConvertRates(const std::vector<double>& values) const {
  return Apply(values, false);
}

}  // namespace kazmig

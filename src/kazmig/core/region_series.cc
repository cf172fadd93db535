#include "kazmig/core/region_series.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace kazmig {

RegionSeries::RegionSeries(std::string indicator, std::string unit,
                           std::vector<std::string> region_ids)
    : indicator_(std::move(indicator)),
      unit_(std::move(unit)),
      region_ids_(std::move(region_ids)) {}

size_t RegionSeries::AddProvenance(const Provenance& provenance) {
  for (size_t handle = 0; handle < provenances_.size(); ++handle) {
    if (provenances_[handle] == provenance) return handle;
  }
  provenances_.push_back(provenance);
  return provenances_.size() - 1;
}

void RegionSeries::Set(size_t region_idx, int year, double value, size_t provenance_handle) {
  if (region_idx >= region_ids_.size()) throw std::out_of_range("RegionSeries::Set: region");
  if (provenance_handle >= provenances_.size()) {
    throw std::out_of_range("RegionSeries::Set: provenance handle");
  }
  auto& column = by_year_[year];
  column.resize(region_ids_.size());
  column[region_idx] = Cell{value, provenance_handle};
}

std::optional<double> RegionSeries::Get(size_t region_idx, int year) const {
  auto it = by_year_.find(year);
  if (it == by_year_.end() || region_idx >= it->second.size() || !it->second[region_idx]) {
    return std::nullopt;
  }
  return it->second[region_idx]->value;
}

const Provenance& RegionSeries::ProvenanceOf(size_t region_idx, int year) const {
  auto it = by_year_.find(year);
  if (it == by_year_.end() || region_idx >= it->second.size() || !it->second[region_idx]) {
    throw std::out_of_range("RegionSeries::ProvenanceOf: no value");
  }
  return provenances_[it->second[region_idx]->provenance];
}

std::vector<int> RegionSeries::Years() const {
  std::vector<int> years;
  for (const auto& [year, column] : by_year_) years.push_back(year);
  return years;
}

std::vector<double> RegionSeries::Column(int year) const {
  std::vector<double> out(region_ids_.size(), std::numeric_limits<double>::quiet_NaN());
  auto it = by_year_.find(year);
  if (it == by_year_.end()) return out;
  for (size_t region_idx = 0; region_idx < it->second.size(); ++region_idx) {
    if (it->second[region_idx]) out[region_idx] = it->second[region_idx]->value;
  }
  return out;
}

std::optional<size_t> RegionSeries::Find(std::string_view id) const {
  const auto it = std::find(region_ids_.begin(), region_ids_.end(), id);
  if (it == region_ids_.end()) return std::nullopt;
  return static_cast<size_t>(it - region_ids_.begin());
}

}  // namespace kazmig

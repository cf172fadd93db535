#include "kazmig/traces/flows.h"

#include <fmt/format.h>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces {

Period ParsePeriod(std::string_view text) {
  if (text == "month") return Period::kMonth;
  if (text == "quarter") return Period::kQuarter;
  if (text == "year") return Period::kYear;
  throw UsageError("--period must be month, quarter or year, got '" + std::string(text) + "'");
}

std::string PeriodLabel(Period period, int32_t day) {
  int year = 0, month = 0, mday = 0;
  CivilFromDays(day, &year, &month, &mday);
  switch (period) {
    case Period::kMonth:
      return fmt::format("{:04d}-{:02d}", year, month);
    case Period::kQuarter:
      return fmt::format("{:04d}-Q{}", year, (month - 1) / 3 + 1);
    case Period::kYear:
      return fmt::format("{:04d}", year);
  }
  return {};
}

size_t FlowAggregator::RegionIndex(std::string_view id) {
  auto [it, inserted] = region_index_.try_emplace(std::string(id), regions_.size());
  if (inserted) regions_.emplace_back(id);
  return it->second;
}

void FlowAggregator::Add(std::string_view orig, std::string_view dest, int32_t day, double weight) {
  const size_t orig_idx = RegionIndex(orig);
  const size_t dest_idx = RegionIndex(dest);
  flows_[PeriodLabel(period_, day)][{orig_idx, dest_idx}] += weight;
}

std::vector<PeriodFlow> FlowAggregator::Rows() const {
  std::vector<PeriodFlow> rows;
  for (const auto& [period, pairs] : flows_) {
    for (const auto& [pair, flow] : pairs) {
      rows.push_back(PeriodFlow{regions_[pair.first], regions_[pair.second], flow, period});
    }
  }
  return rows;
}

void PostStratification::AddResident(std::string_view user_id, std::string_view region) {
  auto it = users_by_region_.find(region);
  if (it == users_by_region_.end()) it = users_by_region_.try_emplace(std::string(region)).first;
  it->second.emplace(user_id);
}

std::map<std::string, double> PostStratification::Weights(
    const std::vector<RegionPopulation>& targets) const {
  std::map<std::string, double> weights;
  for (const RegionPopulation& target : targets) {
    CheckNonNegative("PostStratification", "population", target.population);
    const auto it = users_by_region_.find(target.region);
    if (it == users_by_region_.end() || it->second.empty()) continue;  // no users: no weight
    weights[target.region] = target.population / static_cast<double>(it->second.size());
  }
  return weights;
}

}  // namespace kazmig::traces

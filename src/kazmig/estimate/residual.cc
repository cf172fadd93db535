#include "kazmig/estimate/residual.h"

#include <fmt/format.h>

#include <cmath>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::estimate {

std::vector<double> VitalStatisticsNet(const std::vector<double>& pop0,
                                       const std::vector<double>& pop1,
                                       const std::vector<double>& births,
                                       const std::vector<double>& deaths) {
  const size_t n = pop0.size();
  CheckSameSize("VitalStatisticsNet", "pop1", pop1.size(), "pop0", n);
  CheckSameSize("VitalStatisticsNet", "births", births.size(), "pop0", n);
  CheckSameSize("VitalStatisticsNet", "deaths", deaths.size(), "pop0", n);
  std::vector<double> net(n);
  for (size_t idx = 0; idx < n; ++idx) {
    net[idx] = (pop1[idx] - pop0[idx]) - (births[idx] - deaths[idx]);
  }
  return net;
}

std::vector<double> SurvivalRatioNet(const std::vector<double>& pop0,
                                     const std::vector<double>& pop1,
                                     const std::vector<double>& survival, SurvivalMethod method) {
  const size_t ages = pop0.size();
  // Fewer than 2 age groups is a property of the user's table; sizes that disagree are ours.
  constexpr const char* kShape =
      "start and end populations need the same age groups (at least 2) and one survival ratio per "
      "start age group but the last";
  CheckData(ages >= 2, "SurvivalRatioNet", kShape);
  CheckShape(pop1.size() == ages && survival.size() + 1 >= ages, "SurvivalRatioNet", kShape);
  std::vector<double> net(ages - 1);
  for (size_t age_idx = 0; age_idx + 1 < ages; ++age_idx) {
    const double s = survival[age_idx];
    CheckData(s > 0 && s <= 1.5 && std::isfinite(s), "SurvivalRatioNet",
              "survival ratios must be in (0, 1.5]");
    const double forward = pop1[age_idx + 1] - s * pop0[age_idx];
    const double reverse = pop1[age_idx + 1] / s - pop0[age_idx];
    switch (method) {
      case SurvivalMethod::kForward:
        net[age_idx] = forward;
        break;
      case SurvivalMethod::kReverse:
        net[age_idx] = reverse;
        break;
      case SurvivalMethod::kAverage:
        net[age_idx] = (forward + reverse) / 2;
        break;
    }
  }
  return net;
}

std::vector<RegionAgeNet> SurvivalRatioNetByRegion(const RegionAgeTable& pop0,
                                                   const RegionAgeTable& pop1,
                                                   const RegionAgeTable& survival,
                                                   SurvivalMethod method) {
  std::vector<RegionAgeNet> rows;
  for (const std::string& region : pop0.regions) {
    const auto& start = pop0.values.at(region);
    const auto end_it = pop1.values.find(region);
    if (end_it == pop1.values.end()) {
      throw InputError(pop1.source, 0, 0, fmt::format("region '{}' is missing", region));
    }
    // Survival ratios per region, or national ones under the region "all".
    auto surv_it = survival.values.find(region);
    if (surv_it == survival.values.end()) surv_it = survival.values.find("all");
    if (surv_it == survival.values.end()) {
      throw InputError(survival.source, 0, 0,
                       fmt::format("no survival ratios for region '{}' (nor for 'all')", region));
    }
    std::vector<double> ages, start_values, end_values, ratios;
    for (const auto& [age, value] : start) {
      ages.push_back(age);
      start_values.push_back(value);
      const auto end_age = end_it->second.find(age);
      if (end_age == end_it->second.end()) {
        throw InputError(pop1.source, 0, 0,
                         fmt::format("age {} is missing for region '{}'", age, region));
      }
      end_values.push_back(end_age->second);
    }
    for (size_t age_idx = 0; age_idx + 1 < ages.size(); ++age_idx) {
      const auto ratio = surv_it->second.find(ages[age_idx]);
      if (ratio == surv_it->second.end()) {
        throw InputError(survival.source, 0, 0,
                         fmt::format("no survival ratio for age {} ({})", ages[age_idx], region));
      }
      ratios.push_back(ratio->second);
    }
    std::vector<double> net;
    try {
      net = SurvivalRatioNet(start_values, end_values, ratios, method);
    } catch (const InputError& error) {
      throw InputError(survival.source, 0, 0, fmt::format("{}: {}", region, error.what()));
    }
    for (size_t age_idx = 0; age_idx < net.size(); ++age_idx) {
      rows.push_back({region, ages[age_idx + 1], net[age_idx]});
    }
  }
  return rows;
}

}  // namespace kazmig::estimate

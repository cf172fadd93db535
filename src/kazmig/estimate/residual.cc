#include "kazmig/estimate/residual.h"

#include <cmath>

#include "kazmig/core/check.h"

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
  CheckShape(pop1.size() == ages && survival.size() + 1 >= ages && ages >= 2, "SurvivalRatioNet",
             "start and end populations need the same age groups (at least 2) and one survival "
             "ratio per start age group but the last");
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

}  // namespace kazmig::estimate

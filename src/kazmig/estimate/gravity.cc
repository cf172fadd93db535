#include "kazmig/estimate/gravity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "kazmig/core/check.h"

namespace kazmig::estimate {

double GreatCircleKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

FlowMatrix GravityPrior(const GravityInput& input, double decay, double total) {
  const size_t n = input.ids.size();
  CheckSameSize("GravityPrior", "populations", input.population.size(), "ids", n);
  CheckSameSize("GravityPrior", "latitudes", input.latitude.size(), "ids", n);
  CheckSameSize("GravityPrior", "longitudes", input.longitude.size(), "ids", n);
  CheckPositiveSetting("GravityPrior", "the total", total);
  CheckSetting(std::isfinite(decay), "GravityPrior", "the decay must be finite");
  FlowMatrix prior(input.ids);
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    CheckData(input.population[orig_idx] > 0, "GravityPrior",
              fmt::format("population of {} is not positive", input.ids[orig_idx]));
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double km = GreatCircleKm(input.latitude[orig_idx], input.longitude[orig_idx],
                                      input.latitude[dest_idx], input.longitude[dest_idx]);
      CheckData(
          km > 0, "GravityPrior",
          fmt::format("{} and {} share a centroid", input.ids[orig_idx], input.ids[dest_idx]));
      prior(orig_idx, dest_idx) =
          input.population[orig_idx] * input.population[dest_idx] * std::pow(km, -decay);
    }
  }
  const double sum = prior.Total();
  for (double& value : prior.data()) value *= total / sum;
  return prior;
}

OdFromNetsResult OdFromNets(const GravityInput& input, const std::vector<double>& nets,
                            const OdFromNetsOptions& options) {
  OdFromNetsResult result;
  result.decay = options.decay;
  result.total = options.total;
  result.prior = GravityPrior(input, options.decay, options.total);
  result.fit = NetMatrix(result.prior, nets, options.method, options.net_options);
  return result;
}

OdSensitivity OdFromNetsSensitivity(const GravityInput& input, const std::vector<double>& nets,
                                    const std::vector<double>& decays,
                                    const std::vector<double>& totals, NetMethod method) {
  OdSensitivity out;
  for (double decay : decays) {
    for (double total : totals) {
      const OdFromNetsResult run =
          OdFromNets(input, nets, {.decay = decay, .total = total, .method = method});
      ++out.runs;
      if (run.fit.converged) ++out.converged_runs;
      if (out.runs == 1) {
        out.low = out.high = run.fit.flows;
        continue;
      }
      for (size_t cell = 0; cell < run.fit.flows.data().size(); ++cell) {
        out.low.data()[cell] = std::min(out.low.data()[cell], run.fit.flows.data()[cell]);
        out.high.data()[cell] = std::max(out.high.data()[cell], run.fit.flows.data()[cell]);
      }
    }
  }
  return out;
}

}  // namespace kazmig::estimate

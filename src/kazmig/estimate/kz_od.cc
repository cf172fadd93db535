#include "kazmig/estimate/kz_od.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/error.h"

namespace kazmig::estimate {
namespace {

std::optional<double> ValueOf(const RegionSeries& series, const std::string& id, int year) {
  const auto& ids = series.region_ids();
  const auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return std::nullopt;
  return series.Get(static_cast<size_t>(it - ids.begin()), year);
}

}  // namespace

KzOdInputs KzOdInputsFromSeries(const RegionSystem& system, const RegionSeries& population_avg,
                                const RegionSeries& net_internal, int year) {
  KzOdInputs inputs;
  inputs.year = year;
  double sum = 0, abs_sum = 0;
  for (const Region& region : system.regions()) {
    const auto pop = ValueOf(population_avg, region.id, year);
    const auto net = ValueOf(net_internal, region.id, year);
    if (!pop || !net) {
      throw ComputeError(fmt::format("the data have no {} for {} ({}) in {}",
                                     !pop ? "population_avg" : "net_internal", region.name_en,
                                     region.id, year));
    }
    inputs.gravity.ids.push_back(region.id);
    inputs.gravity.population.push_back(*pop);
    inputs.gravity.latitude.push_back(region.latitude);
    inputs.gravity.longitude.push_back(region.longitude);
    inputs.nets.push_back(*net);
    sum += *net;
    abs_sum += std::abs(*net);
  }
  if (std::abs(sum) > 1e-9 * std::max(1.0, abs_sum)) {
    throw ComputeError(fmt::format(
        "the official inter-regional nets of {} sum to {:g}, not 0; they cannot be the margins "
        "of one origin-destination matrix",
        year, sum));
  }
  return inputs;
}

KzOdEstimate EstimateKzOd(const KzOdInputs& inputs, const KzOdAssumptions& assumptions) {
  KzOdEstimate out;
  out.year = inputs.year;
  out.assumptions = assumptions;
  auto run = [&](double decay, double total) {
    OdFromNetsResult result =
        OdFromNets(inputs.gravity, inputs.nets,
                   {.decay = decay, .total = total, .method = assumptions.method});
    if (!result.fit.converged) {
      throw ComputeError(fmt::format(
          "net-constrained estimation (decay {:g}, total {:g}) did not converge after {} "
          "iterations (largest relative net error {:g})",
          decay, total, result.fit.iterations, result.fit.max_net_error));
    }
    result.fit.flows.set_ids(inputs.gravity.ids);
    return result;
  };
  out.central = run(assumptions.decay, assumptions.total);
  for (double decay : {assumptions.decay_low, assumptions.decay, assumptions.decay_high}) {
    for (double total : {assumptions.total_low, assumptions.total, assumptions.total_high}) {
      KzOdScenario scenario{decay, total, run(decay, total).fit.flows};
      if (out.scenarios.empty()) {
        out.low = out.high = scenario.flows;
      } else {
        for (size_t cell = 0; cell < scenario.flows.data().size(); ++cell) {
          out.low.data()[cell] = std::min(out.low.data()[cell], scenario.flows.data()[cell]);
          out.high.data()[cell] = std::max(out.high.data()[cell], scenario.flows.data()[cell]);
        }
      }
      out.scenarios.push_back(std::move(scenario));
    }
  }
  out.provenance = Provenance::Estimated(
      "model-based inter-regional OD matrix",
      fmt::format("gravity prior P_i P_j d_ij^-{:g} (great-circle km between region centroids) "
                  "scaled to an assumed {:g} inter-regional movers, constrained to the official "
                  "net_internal of {} (population_avg {}); {}; bands: decay {:g}-{:g}, total "
                  "{:g}-{:g}",
                  assumptions.decay, assumptions.total, inputs.year, inputs.year,
                  out.central.fit.method, assumptions.decay_low, assumptions.decay_high,
                  assumptions.total_low, assumptions.total_high));
  return out;
}

}  // namespace kazmig::estimate

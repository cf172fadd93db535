#include "kazmig/indicators/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>

#include "kazmig/core/error.h"
#include "kazmig/indicators/internal/radix_sort.h"
#include "kazmig/models/spatial_interaction.h"

namespace kazmig::indicators {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string RegionName(const FlowMatrix& flows, size_t region_idx) {
  return region_idx < flows.ids().size() ? flows.ids()[region_idx] : std::to_string(region_idx);
}

// Mean and median migration distance (no decay fit); throws ComputeError for a bad distance.
void DistanceSummaries(const SystemInputs& inputs, SystemIndicators& s) {
  const FlowMatrix& flows = *inputs.flows;
  const FlowMatrix& d = *inputs.distance;
  const size_t n = flows.size();
  if (d.size() != n) {
    throw ComputeError(fmt::format("distances have {} regions, the flows {}", d.size(), n));
  }
  std::vector<double> values, weights;
  double weighted = 0, total = 0;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    const double* flow_row = flows.row(orig_idx);
    const double* dist_row = d.row(orig_idx);
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double dist = dist_row[dest_idx];
      if (!std::isfinite(dist) || dist < 0) {
        throw ComputeError(fmt::format("distance {} -> {} is {}", RegionName(flows, orig_idx),
                                       RegionName(flows, dest_idx), dist));
      }
      const double flow = flow_row[dest_idx];
      if (flow > 0) {
        weighted += flow * dist;
        total += flow;
        values.push_back(dist);
        weights.push_back(flow);
      }
    }
  }
  s.mean_distance = weighted / total;
  s.median_distance = WeightedMedian(std::move(values), std::move(weights));
}

}  // namespace

double WeightedMedian(std::vector<double> values, std::vector<double> weights) {
  std::vector<double> x, w;
  x.reserve(values.size());
  w.reserve(values.size());
  double total = 0;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (weights[idx] > 0 && !std::isnan(values[idx])) {
      x.push_back(values[idx]);
      w.push_back(weights[idx]);
      total += weights[idx];
    }
  }
  if (x.empty()) return kNaN;
  if (x.size() == 1) return x[0];
  // Stable sort by value (ties keep their input order, so the result is deterministic).
  internal::RadixSortNonNegative(x, &w);
  double running = 0, previous_mid = 0;
  for (size_t idx = 0; idx < x.size(); ++idx) {
    const double share = w[idx] / total;
    running += share;
    const double mid = running - share / 2;
    if (mid >= 0.5) {
      if (idx == 0) return x[0];
      const double dx = x[idx] - x[idx - 1];
      return x[idx] + (0.5 - mid) / (mid - previous_mid) * dx;
    }
    previous_mid = mid;
  }
  return x.back();
}

SystemIndicators ComputeSystemIndicators(const SystemInputs& inputs) {
  std::exception_ptr distance_error;
  auto distance_summaries = [&distance_error](const SystemInputs& in, SystemIndicators& out) {
    try {
      DistanceSummaries(in, out);
    } catch (...) {
      distance_error = std::current_exception();
    }
  };
  const FlowMatrix& flows = *inputs.flows;
  const size_t n = flows.size();
  SystemIndicators s;
  s.n = n;
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  double abs_net = 0, turnover = 0;
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    s.total_flow += out[region_idx];
    abs_net += std::abs(in[region_idx] - out[region_idx]);
    turnover += in[region_idx] + out[region_idx];
  }
  s.mei = 100 * abs_net / turnover;
  // With two or more threads the distance summaries run beside the focusing indicators.
  const bool parallel = inputs.threads > 1 && inputs.distance != nullptr;
  std::thread distance_thread;
  if (parallel) {
    distance_thread = std::thread([&] { distance_summaries(inputs, s); });
  }
  try {
    s.focusing = ComputeFocusing(flows, parallel ? inputs.threads - 1 : inputs.threads);
  } catch (...) {
    if (distance_thread.joinable()) distance_thread.join();
    throw;
  }
  if (distance_thread.joinable()) distance_thread.join();
  if (!parallel && inputs.distance != nullptr) distance_summaries(inputs, s);
  if (distance_error) std::rethrow_exception(distance_error);

  if (inputs.population != nullptr) {
    const std::vector<double>& p = *inputs.population;
    if (p.size() != n) {
      throw ComputeError(fmt::format("population has {} regions, the flows {}", p.size(), n));
    }
    for (size_t region_idx = 0; region_idx < n; ++region_idx) {
      if (!(p[region_idx] > 0) || !std::isfinite(p[region_idx])) {
        throw ComputeError(fmt::format(
            "region {} has population {}: rates per population are undefined (need > 0)",
            RegionName(flows, region_idx), p[region_idx]));
      }
    }
    const double total_pop = std::accumulate(p.begin(), p.end(), 0.0);
    s.population = total_pop;
    s.cmp = 100 * s.total_flow / total_pop;
    s.cmp_per_1000 = 1000 * s.total_flow / total_pop;
    s.courgeau_k = *s.cmp / std::log(static_cast<double>(n) * static_cast<double>(n));
    s.anmr = 100 * 0.5 * abs_net / total_pop;
    double preference = 0, velocity = 0;
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      const double* row = flows.row(orig_idx);
      const double s_orig = p[orig_idx] / total_pop;
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        if (orig_idx == dest_idx || row[dest_idx] == 0) continue;
        preference += row[dest_idx] / (s.total_flow * s_orig * (p[dest_idx] / total_pop));
        velocity += row[dest_idx] * total_pop / (p[orig_idx] * p[dest_idx]);
      }
    }
    s.preference = preference;
    s.velocity = velocity;
  }

  if (inputs.distance != nullptr) {
    const FlowMatrix& d = *inputs.distance;
    if (inputs.fit_decay) {
      const models::DoublyConstrainedFit fit =
          models::FitDoublyConstrained(flows, d, models::CostForm::kPower);
      DecayResult decay;
      decay.beta = fit.beta;
      decay.std_error = fit.beta_se;
      decay.deviance = fit.deviance;
      decay.iterations = fit.iterations;
      decay.converged = fit.converged;
      decay.solver = fit.solver;
      decay.observations = fit.observations;
      s.decay = decay;
    }
  }
  return s;
}

MultiplicativeComponents ComputeMultiplicativeComponents(const FlowMatrix& flows) {
  const size_t n = flows.size();
  MultiplicativeComponents c;
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  c.total = std::accumulate(out.begin(), out.end(), 0.0);
  c.origin_share.resize(n);
  c.destination_share.resize(n);
  c.interaction = FlowMatrix(n);
  c.interaction.set_ids(flows.ids());
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    c.origin_share[region_idx] = out[region_idx] / c.total;
    c.destination_share[region_idx] = in[region_idx] / c.total;
  }
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double expected = out[orig_idx] * in[dest_idx] / c.total;
      c.interaction(orig_idx, dest_idx) = expected > 0 ? flows(orig_idx, dest_idx) / expected : 0;
    }
  }
  return c;
}

}  // namespace kazmig::indicators

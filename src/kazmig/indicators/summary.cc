#include "kazmig/indicators/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/indicators/rates.h"
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
  // Positions of the usable values; the order is (value, position), i.e. a stable sort.
  std::vector<uint32_t> candidates;
  candidates.reserve(values.size());
  double total = 0;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (weights[idx] > 0 && !std::isnan(values[idx])) {
      candidates.push_back(static_cast<uint32_t>(idx));
      total += weights[idx];
    }
  }
  if (candidates.empty()) return kNaN;
  if (candidates.size() == 1) return values[candidates[0]];
  auto before = [&](uint32_t a, uint32_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  };
  // Weighted quickselect (expected O(N)) for the first element k of the sorted order whose
  // mid-point cumulative weight 2 C_{k-1} + w_k >= W, and its predecessor. `below` is the weight
  // of everything known to precede the candidates; `previous` the last of those (or none).
  double below = 0;
  int64_t previous = -1;
  auto lo = candidates.begin(), hi = candidates.end();
  Rng rng(0x5eed);  // pivot choice only; any pivot gives the same answer
  while (true) {
    std::iter_swap(
        lo, lo + static_cast<std::ptrdiff_t>(rng.UniformInt(static_cast<uint64_t>(hi - lo))));
    const uint32_t pivot = *lo;
    auto split = std::partition(lo + 1, hi, [&](uint32_t c) { return before(c, pivot); });
    double left_weight = 0;
    int64_t left_last = -1;
    for (auto it = lo + 1; it != split; ++it) {
      left_weight += weights[*it];
      if (left_last < 0 || before(static_cast<uint32_t>(left_last), *it)) left_last = *it;
    }
    const double before_pivot = below + left_weight;
    if (2 * before_pivot + weights[pivot] >= total) {
      // k is the pivot or lies on the left: test the left's last element.
      if (left_last >= 0 && 2 * (before_pivot - weights[left_last]) + weights[left_last] >= total) {
        // Move the left part to the front (the pivot sits at lo) and recurse on it.
        std::iter_swap(lo, split - 1);
        hi = split - 1;
        continue;
      }
      const int64_t pred = left_last >= 0 ? left_last : previous;
      if (pred < 0) return values[pivot];
      const double mid_k = (before_pivot + weights[pivot] / 2) / total;
      const double mid_pred = (before_pivot - weights[pred] / 2) / total;
      return values[pivot] + (0.5 - mid_k) / (mid_k - mid_pred) * (values[pivot] - values[pred]);
    }
    below = before_pivot + weights[pivot];
    previous = pivot;
    lo = split;
  }
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
  const Turnover turnover = SumTurnover(flows.ColSums(), flows.RowSums());
  const double abs_net = turnover.abs_net;
  s.total_flow = turnover.total;
  s.mei = MigrationEffectiveness(turnover);
  // With two or more threads the distance summaries run beside the focusing indicators.
  const bool parallel = inputs.threads > 1 && inputs.distance != nullptr;
  std::thread distance_thread;
  if (parallel) {
    distance_thread = std::thread([&] { distance_summaries(inputs, s); });
  }
  try {
    s.focusing = ComputeFocusing(flows, inputs.threads);
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
    s.cmp = CrudeMigrationProbability(s.total_flow, total_pop);
    s.cmp_per_1000 = RatePerThousand(s.total_flow, total_pop);
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
  c.expected = FlowMatrix(n);
  c.expected.set_ids(flows.ids());
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    c.origin_share[region_idx] = out[region_idx] / c.total;
    c.destination_share[region_idx] = in[region_idx] / c.total;
  }
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double expected = out[orig_idx] * in[dest_idx] / c.total;
      c.interaction(orig_idx, dest_idx) = expected > 0 ? flows(orig_idx, dest_idx) / expected : 0;
      c.expected(orig_idx, dest_idx) =
          c.total * c.origin_share[orig_idx] * c.destination_share[dest_idx];
    }
  }
  return c;
}

}  // namespace kazmig::indicators

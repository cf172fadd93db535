#include "kazmig/indicators/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>
#include <utility>

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

// The weighted median of the distances over the cells with a positive flow, found without
// collecting them, when the arithmetic of WeightedMedian is exact: every positive flow a whole
// number and their total below 2^51, so that every cumulative weight, 2 C + w and C +- w / 2 is an
// exact double whatever the order of summation. The answer is then a function of the order of the
// cells by (distance, row-major position) alone, the order WeightedMedian's quickselect uses
// (its positions are the cells' in row-major order), and both compute the interpolation from the
// same doubles: the result is bit for bit WeightedMedian's.
//
// The element sought is the first k in that order with 2 C_{k-1} + w_k >= W (C: cumulative
// weight, W: total), and its predecessor. Distances are bucketed by the top bits of their order
// key (the bits of a non-negative double, -0 as 0), weights summed per bucket as integers; only
// the buckets that may hold k or its predecessor are kept, bucketed again more finely while they
// hold many cells, and at last their cells are sorted. Each level is one pass over the matrices.
class ExactDistanceMedian {
 public:
  static constexpr int kBucketBits = 16;
  static constexpr double kMaxExactTotal = 0x1p51;

  ExactDistanceMedian() : hist_(size_t{1} << kBucketBits, 0) {}

  static uint64_t Key(double distance) {
    return std::bit_cast<uint64_t>(distance) & ~(uint64_t{1} << 63);
  }
  // Pass 1, cell by cell in row-major order (the caller's loop): the flow if positive, else 0
  // (without a branch: the signs of the flows follow no pattern).
  void Add(double distance, double flow) {
    const bool small = flow < kMaxExactTotal;
    const uint64_t weight = small ? static_cast<uint64_t>(flow) : 0;
    exact_ = exact_ && small && static_cast<double>(weight) == flow;
    hist_[Key(distance) >> shift_] += weight;
    count_ += flow > 0 ? 1 : 0;
  }
  // False when a flow is not a whole number or the total not below kMaxExactTotal: the caller
  // then uses WeightedMedian.
  bool exact(double total) const { return exact_ && total < kMaxExactTotal; }

  // The median (after pass 1 over every cell, when exact(total)); `total` is the caller's sum of
  // the flows, W.
  double Median(const FlowMatrix& flows, const FlowMatrix& d, double total) {
    if (count_ == 0) return kNaN;
    const auto weight_total = static_cast<uint64_t>(total);
    // Invariant: the keys [lo_, lo_ + (hist_.size() << shift_)) hold k and its predecessor (if
    // any), `below_` is the weight of the cells before lo_, count_ the cells in the range.
    while (true) {
      const size_t buckets = hist_.size();
      // The first non-empty bucket where 2 C_end >= W (k is not before it), the last non-empty one
      // before it (its predecessor's, when k is the first of that bucket), and the first from
      // there where 2 C_before + S >= W (k is not after it: the last cell of such a bucket has
      // 2 C_{k-1} + w_k >= 2 C_before + S).
      uint64_t cumulative = below_;
      size_t first = buckets, low = buckets, high = buckets;
      size_t previous = buckets;
      uint64_t below_first = below_;
      uint64_t below_previous = below_;
      for (size_t bucket = 0; bucket < buckets; ++bucket) {
        const uint64_t sum = hist_[bucket];
        if (sum == 0) continue;
        if (low == buckets) {
          if (2 * (cumulative + sum) >= weight_total) {
            low = bucket;
            first = previous != buckets ? previous : bucket;
            below_first = previous != buckets ? below_previous : cumulative;
          } else {
            previous = bucket;
            below_previous = cumulative;
          }
        }
        if (low != buckets && 2 * cumulative + sum >= weight_total) {
          high = bucket;
          break;
        }
        cumulative += sum;
      }
      if (low == buckets || high == buckets) {
        // Not reached: the last non-empty bucket of the range meets both conditions.
        throw ComputeError("median distance: the weighted median was not found");
      }
      const uint64_t lo = lo_ + (uint64_t{first} << shift_);
      const uint64_t hi = lo_ + ((uint64_t{high} + 1) << shift_) - 1;  // inclusive
      below_ = below_first;
      // The next level: the kept range in 2^kBucketBits buckets, while that narrows the buckets;
      // its cells are collected as well while they are few (then they are all there is to sort).
      int shift = 0;
      while (((hi - lo) >> shift) >= hist_.size()) ++shift;
      const bool refine = shift < shift_;
      lo_ = lo;
      shift_ = shift;
      count_ = 0;
      cells_.clear();
      if (refine) std::fill(hist_.begin(), hist_.end(), 0);
      ForEachInRange(flows, d, lo, hi, [&](size_t cell, uint64_t key) {
        ++count_;
        if (refine) hist_[(key - lo) >> shift] += static_cast<uint64_t>(flows.data()[cell]);
        if (cells_.size() < kCollect) cells_.push_back({key, cell});
      });
      if (refine && count_ > kCollect) continue;
      return Select(flows, d, lo, hi, total, weight_total);
    }
  }

 private:
  static constexpr size_t kCollect = size_t{1} << 17;

  // Calls fn(cell, key) for each off-diagonal cell with a positive flow and a key in [lo, hi], in
  // row-major order (the key tested first: few cells are in the range).
  template <typename Fn>
  static void ForEachInRange(const FlowMatrix& flows, const FlowMatrix& d, uint64_t lo, uint64_t hi,
                             Fn&& fn) {
    const size_t n = flows.size();
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      const double* flow_row = flows.row(orig_idx);
      const double* dist_row = d.row(orig_idx);
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        const uint64_t key = Key(dist_row[dest_idx]);
        if (key - lo <= hi - lo && flow_row[dest_idx] > 0 && dest_idx != orig_idx) {
          fn(orig_idx * n + dest_idx, key);
        }
      }
    }
  }

  // The cells with keys in [lo, hi] (those collected, or all of them again), sorted: k is the
  // first with 2 C_{k-1} + w_k >= W.
  double Select(const FlowMatrix& flows, const FlowMatrix& d, uint64_t lo, uint64_t hi,
                double total, uint64_t weight_total) {
    if (cells_.size() < count_) {
      cells_.clear();
      cells_.reserve(count_);
      ForEachInRange(flows, d, lo, hi, [&](size_t cell, uint64_t key) {
        cells_.push_back({key, cell});
      });
    }
    std::sort(cells_.begin(), cells_.end());
    uint64_t cumulative = below_;
    for (size_t idx = 0; idx < cells_.size(); ++idx) {
      const size_t cell = cells_[idx].second;
      const double weight = flows.data()[cell];
      if (2 * cumulative + static_cast<uint64_t>(weight) >= weight_total) {
        const double value = d.data()[cell];
        if (idx == 0) return value;  // the first cell of all (the invariant)
        const size_t pred = cells_[idx - 1].second;
        // WeightedMedian's interpolation, from the same doubles.
        const auto before_pivot = static_cast<double>(cumulative);
        const double mid_k = (before_pivot + weight / 2) / total;
        const double mid_pred = (before_pivot - flows.data()[pred] / 2) / total;
        return value + (0.5 - mid_k) / (mid_k - mid_pred) * (value - d.data()[pred]);
      }
      cumulative += static_cast<uint64_t>(weight);
    }
    throw ComputeError("median distance: the weighted median was not found");
  }

  std::vector<uint64_t> hist_;
  int shift_ = 64 - 1 - kBucketBits;  // keys are below 2^63
  uint64_t lo_ = 0;
  uint64_t below_ = 0;
  uint64_t count_ = 0;
  bool exact_ = true;
  std::vector<std::pair<uint64_t, size_t>> cells_;
};

// Mean and median migration distance (no decay fit); throws ComputeError for a bad distance.
void DistanceSummaries(const SystemInputs& inputs, SystemIndicators& s) {
  const FlowMatrix& flows = *inputs.flows;
  const FlowMatrix& d = *inputs.distance;
  const size_t n = flows.size();
  if (d.size() != n) {
    throw ComputeError(fmt::format("distances have {} regions, the flows {}", d.size(), n));
  }
  ExactDistanceMedian exact;
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
      // A flow that is not positive adds 0 (+0 or -0), which leaves the sums' bits as they
      // were (they start at +0): the same sums as adding only the positive flows, without a branch.
      const double flow = flow_row[dest_idx] > 0 ? flow_row[dest_idx] : 0.0;
      weighted += flow * dist;
      total += flow;
      exact.Add(dist, flow);
    }
  }
  s.mean_distance = weighted / total;
  if (exact.exact(total)) {
    s.median_distance = exact.Median(flows, d, total);
    return;
  }
  std::vector<double> values, weights;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    const double* flow_row = flows.row(orig_idx);
    const double* dist_row = d.row(orig_idx);
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      const double flow = flow_row[dest_idx];
      if (orig_idx != dest_idx && flow > 0) {
        values.push_back(dist_row[dest_idx]);
        weights.push_back(flow);
      }
    }
  }
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
  const bool parallel = inputs.threads > 1 && inputs.distance != nullptr && !inputs.focusing;
  std::thread distance_thread;
  if (parallel) {
    distance_thread = std::thread([&] { distance_summaries(inputs, s); });
  }
  try {
    s.focusing =
        inputs.focusing != nullptr ? *inputs.focusing : ComputeFocusing(flows, inputs.threads);
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

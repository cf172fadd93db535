#include "kazmig/risk/index.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::risk {
namespace {

// Type-7 percentile (R's default) of sorted values, p in [0, 100].
double SortedPercentile(const std::vector<double>& sorted, double p) {
  if (sorted.size() == 1) return sorted[0];
  const double h = (static_cast<double>(sorted.size()) - 1) * p / 100.0;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

char DirectionSign(Direction direction) { return direction == Direction::kMoreRisk ? '+' : '-'; }

std::string_view NormalisationName(Normalisation normalisation) {
  return normalisation == Normalisation::kMinMax ? "minmax" : "zscore";
}
std::string_view AggregationName(Aggregation aggregation) {
  return aggregation == Aggregation::kLinear ? "linear" : "geometric";
}
Normalisation ParseNormalisation(std::string_view name) {
  if (name == "minmax") return Normalisation::kMinMax;
  if (name == "zscore") return Normalisation::kZScore;
  throw UsageError(fmt::format("unknown normalisation '{}' (minmax or zscore)", name));
}
Aggregation ParseAggregation(std::string_view name) {
  if (name == "linear") return Aggregation::kLinear;
  if (name == "geometric") return Aggregation::kGeometric;
  throw UsageError(fmt::format("unknown aggregation '{}' (linear or geometric)", name));
}

std::vector<double> Winsorise(const std::vector<double>& values, double percent) {
  CheckSetting(percent >= 0 && percent < 50, "Winsorise", "the percentile must be in [0, 50)");
  if (percent == 0 || values.empty()) return values;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const double low = SortedPercentile(sorted, percent);
  const double high = SortedPercentile(sorted, 100 - percent);
  std::vector<double> out(values.size());
  for (size_t idx = 0; idx < values.size(); ++idx) out[idx] = std::clamp(values[idx], low, high);
  return out;
}

std::vector<double> Normalise(const std::vector<double>& values, Direction direction,
                              Normalisation normalisation) {
  const double sign = direction == Direction::kMoreRisk ? 1.0 : -1.0;
  std::vector<double> out(values.size());
  if (values.empty()) return out;
  if (normalisation == Normalisation::kMinMax) {
    const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
    const double min = *min_it;
    const double range = *max_it - min;
    for (size_t idx = 0; idx < values.size(); ++idx) {
      if (!(range > 0)) {
        out[idx] = 0.5;
      } else if (sign > 0) {
        out[idx] = (values[idx] - min) / range;
      } else {
        out[idx] = (*max_it - values[idx]) / range;
      }
    }
    return out;
  }
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double ss = 0;
  for (double value : values) ss += (value - mean) * (value - mean);
  const double sd = values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    out[idx] = sd > 0 ? sign * (values[idx] - mean) / sd : 0.0;
  }
  return out;
}

double GeometricShift(const std::vector<double>& normalised, double geometric_shift) {
  if (normalised.empty()) return 0;
  const double min = *std::min_element(normalised.begin(), normalised.end());
  return std::max(0.0, geometric_shift - min);
}

std::vector<double> EqualWeights(size_t count) {
  return std::vector<double>(count, count == 0 ? 0.0 : 1.0 / static_cast<double>(count));
}

void CheckWeights(const std::vector<double>& weights) {
  double sum = 0;
  for (double weight : weights) {
    if (!std::isfinite(weight) || weight < 0) {
      throw InputError(fmt::format("weights: a weight is negative or not finite ({})", weight));
    }
    sum += weight;
  }
  if (std::fabs(sum - 1.0) > 1e-6) {
    throw InputError(fmt::format("weights: they sum to {}, not 1", sum));
  }
}

std::vector<int> RankDescending(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<int> ranks(scores.size());
  for (size_t pos = 0; pos < order.size(); ++pos) ranks[order[pos]] = static_cast<int>(pos + 1);
  return ranks;
}

IndexResult ComputeIndex(const std::vector<Component>& components,
                         const std::vector<double>& weights, const IndexOptions& options) {
  CheckShape(!components.empty(), "ComputeIndex", "no components");
  CheckSameSize("ComputeIndex", "components", components.size(), "weights", weights.size());
  const size_t region_count = components[0].values.size();
  CheckShape(region_count > 0, "ComputeIndex", "no regions");
  CheckWeights(weights);
  CheckSetting(options.geometric_shift > 0, "ComputeIndex", "the geometric shift must be > 0");
  IndexResult result;
  result.weights = weights;
  const size_t component_count = components.size();
  result.normalised.assign(region_count, std::vector<double>(component_count));
  result.contributions.assign(region_count, std::vector<double>(component_count));
  result.shifts.assign(component_count, 0.0);
  for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
    const Component& component = components[comp_idx];
    CheckSameSize("ComputeIndex", component.name, component.values.size(), "regions", region_count);
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      if (!std::isfinite(component.values[region_idx])) {
        throw InputError(fmt::format("component '{}' has no value for region {} (position {})",
                                     component.name, region_idx + 1, region_idx + 1));
      }
    }
    const std::vector<double> normalised = Normalise(Winsorise(component.values, options.winsorise),
                                                     component.direction, options.normalisation);
    if (options.aggregation == Aggregation::kGeometric) {
      result.shifts[comp_idx] = GeometricShift(normalised, options.geometric_shift);
    }
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      result.normalised[region_idx][comp_idx] = normalised[region_idx];
    }
  }
  result.scores.assign(region_count, 0.0);
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    double total = 0;
    for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
      const double x = result.normalised[region_idx][comp_idx];
      const double contribution = options.aggregation == Aggregation::kLinear
                                      ? weights[comp_idx] * x
                                      : weights[comp_idx] * std::log(x + result.shifts[comp_idx]);
      result.contributions[region_idx][comp_idx] = contribution;
      total += contribution;
    }
    result.scores[region_idx] =
        options.aggregation == Aggregation::kLinear ? total : std::exp(total);
  }
  result.ranks = RankDescending(result.scores);
  return result;
}

PcaWeights ComputePcaWeights(const std::vector<Component>& components, double winsorise) {
  CheckData(components.size() >= 2, "PCA weights", "need at least 2 components");
  const size_t region_count = components[0].values.size();
  CheckData(region_count >= 3, "PCA weights", "need at least 3 regions");
  const Eigen::Index k = static_cast<Eigen::Index>(components.size());
  const Eigen::Index n = static_cast<Eigen::Index>(region_count);
  Eigen::MatrixXd z(n, k);
  for (Eigen::Index comp_idx = 0; comp_idx < k; ++comp_idx) {
    const Component& component = components[static_cast<size_t>(comp_idx)];
    CheckSameSize("ComputePcaWeights", component.name, component.values.size(), "regions",
                  region_count);
    for (double value : component.values) {
      CheckData(std::isfinite(value), "PCA weights",
                fmt::format("component '{}' has a missing value", component.name));
    }
    const std::vector<double> values = Winsorise(component.values, winsorise);
    const double min = *std::min_element(values.begin(), values.end());
    const double max = *std::max_element(values.begin(), values.end());
    CheckData(max > min, "PCA weights",
              fmt::format("component '{}' is constant (no correlation)", component.name));
    const std::vector<double> zs = Normalise(values, component.direction, Normalisation::kZScore);
    for (Eigen::Index region_idx = 0; region_idx < n; ++region_idx) {
      z(region_idx, comp_idx) = zs[static_cast<size_t>(region_idx)];
    }
  }
  const Eigen::MatrixXd correlation = (z.transpose() * z) / static_cast<double>(n - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(correlation);
  if (solver.info() != Eigen::Success) {
    throw ComputeError("PCA weights: the eigen decomposition of the correlation matrix failed");
  }
  // Eigen sorts eigenvalues ascending; ours are largest first.
  PcaWeights result;
  for (Eigen::Index f = k - 1; f >= 0; --f) result.eigenvalues.push_back(solver.eigenvalues()(f));
  result.retained = 0;
  // Kaiser's rule, eigenvalue > 1; the margin keeps an eigenvalue of exactly 1 (up to rounding)
  // out whatever the last bits of the decomposition say.
  for (double lambda : result.eigenvalues) result.retained += lambda > 1.0 + 1e-9 ? 1 : 0;
  result.retained = std::max<size_t>(result.retained, 1);
  double retained_sum = 0;
  for (size_t f = 0; f < result.retained; ++f) retained_sum += result.eigenvalues[f];
  result.weights.assign(components.size(), 0.0);
  for (size_t f = 0; f < result.retained; ++f) {
    const Eigen::VectorXd v = solver.eigenvectors().col(k - 1 - static_cast<Eigen::Index>(f));
    const double share = result.eigenvalues[f] / retained_sum;
    for (Eigen::Index comp_idx = 0; comp_idx < k; ++comp_idx) {
      result.weights[static_cast<size_t>(comp_idx)] += share * v(comp_idx) * v(comp_idx);
    }
  }
  // Unit eigenvectors make the weights sum to 1 up to rounding; make it exact for CheckWeights.
  const double sum = std::accumulate(result.weights.begin(), result.weights.end(), 0.0);
  for (double& weight : result.weights) weight /= sum;
  return result;
}

}  // namespace kazmig::risk

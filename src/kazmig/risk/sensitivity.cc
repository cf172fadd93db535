#include "kazmig/risk/sensitivity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"

namespace kazmig::risk {
namespace {

// The normalised values (region-major) and, for geometric aggregation, ln(x + shift) of every
// component under one normalisation: computed once, shared by every draw.
struct Prepared {
  std::vector<double> normalised;  // region_count x component_count
  std::vector<double> logs;        // ln(x + s_k)
};

Prepared Prepare(const std::vector<Component>& components, const IndexOptions& base,
                 Normalisation normalisation) {
  const size_t region_count = components[0].values.size();
  const size_t component_count = components.size();
  Prepared prepared;
  prepared.normalised.resize(region_count * component_count);
  prepared.logs.resize(region_count * component_count);
  for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
    const std::vector<double> x = Normalise(Winsorise(components[comp_idx].values, base.winsorise),
                                            components[comp_idx].direction, normalisation);
    const double shift = GeometricShift(x, base.geometric_shift);
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      prepared.normalised[region_idx * component_count + comp_idx] = x[region_idx];
      prepared.logs[region_idx * component_count + comp_idx] = std::log(x[region_idx] + shift);
    }
  }
  return prepared;
}

// Type-7 quantile of sorted values.
double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.size() == 1) return sorted[0];
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  // (n - 1) p is not exact in binary (1999 * 0.95 = 1899.0499999999997): round the fraction to
  // 1e-9 so a band prints as 2.05, not 2.0499999999999545.
  const double fraction = std::round((h - static_cast<double>(lo)) * 1e9) / 1e9;
  return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
}

}  // namespace

size_t RankedCount(const SensitivityOptions& options, size_t region_count) {
  CheckSetting(options.ranked_regions <= region_count, "SensitivityRanks",
               "more ranked regions than regions");
  return options.ranked_regions == 0 ? region_count : options.ranked_regions;
}

DrawChoice ChooseDraw(size_t component_count, const std::vector<double>& weights,
                      const IndexOptions& base, const SensitivityOptions& options, size_t draw) {
  Rng rng = Rng(options.seed).Split(draw);
  DrawChoice choice;
  // The same number of uniforms is taken whatever is varied, so turning one choice off leaves
  // the others' draws unchanged.
  const uint64_t normalisation_pick = rng.UniformInt(2);
  const uint64_t aggregation_pick = rng.UniformInt(2);
  const uint64_t drop_pick = rng.UniformInt(component_count + 1);
  choice.normalisation =
      options.vary_normalisation
          ? (normalisation_pick == 0 ? Normalisation::kMinMax : Normalisation::kZScore)
          : base.normalisation;
  choice.aggregation = options.vary_aggregation ? (aggregation_pick == 0 ? Aggregation::kLinear
                                                                         : Aggregation::kGeometric)
                                                : base.aggregation;
  // Leaving one out is only meaningful with two components or more.
  if (options.leave_one_out && component_count >= 2 && drop_pick > 0) {
    choice.dropped = static_cast<long>(drop_pick - 1);
  }
  // Dirichlet(alpha) as normalised Gamma(alpha_k, 1) draws (Rng::Gamma: Marsaglia-Tsang on the
  // raw mt19937_64 output); a zero weight stays zero.
  const double scale = options.concentration * static_cast<double>(component_count);
  choice.weights.assign(component_count, 0.0);
  double total = 0;
  for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
    const double alpha = scale * weights[comp_idx];
    const double gamma = alpha > 0 ? rng.Gamma(alpha) : 0.0;
    if (static_cast<long>(comp_idx) == choice.dropped) continue;
    choice.weights[comp_idx] = gamma;
    total += gamma;
  }
  if (!(total > 0)) {
    // Every remaining component had weight zero: fall back to equal weights over them.
    for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
      choice.weights[comp_idx] = static_cast<long>(comp_idx) == choice.dropped ? 0.0 : 1.0;
    }
    total = static_cast<double>(component_count - (choice.dropped >= 0 ? 1 : 0));
  }
  for (double& weight : choice.weights) weight /= total;
  return choice;
}

std::vector<int> SensitivityRanks(const std::vector<Component>& components,
                                  const std::vector<double>& weights, const IndexOptions& base,
                                  const SensitivityOptions& options, size_t first, size_t last) {
  CheckShape(!components.empty(), "SensitivityRanks", "no components");
  CheckSameSize("SensitivityRanks", "components", components.size(), "weights", weights.size());
  CheckShape(first <= last, "SensitivityRanks", "first draw after last");
  CheckPositiveSetting("SensitivityRanks", "concentration", options.concentration);
  const size_t region_count = components[0].values.size();
  const size_t component_count = components.size();
  for (const Component& component : components) {
    CheckSameSize("SensitivityRanks", component.name, component.values.size(), "regions",
                  region_count);
  }
  const Prepared minmax = Prepare(components, base, Normalisation::kMinMax);
  const Prepared zscore = Prepare(components, base, Normalisation::kZScore);
  const size_t draw_count = last - first;
  const size_t ranked = RankedCount(options, region_count);
  std::vector<int> ranks(draw_count * ranked);

  auto run = [&](size_t begin, size_t end) {
    std::vector<double> scores(ranked);
    for (size_t draw = begin; draw < end; ++draw) {
      const DrawChoice choice = ChooseDraw(component_count, weights, base, options, draw);
      const Prepared& prepared = choice.normalisation == Normalisation::kMinMax ? minmax : zscore;
      const bool linear = choice.aggregation == Aggregation::kLinear;
      const std::vector<double>& table = linear ? prepared.normalised : prepared.logs;
      for (size_t region_idx = 0; region_idx < ranked; ++region_idx) {
        const double* row = &table[region_idx * component_count];
        double total = 0;
        for (size_t comp_idx = 0; comp_idx < component_count; ++comp_idx) {
          total += choice.weights[comp_idx] * row[comp_idx];
        }
        // exp is monotone: geometric ranks can use the log score.
        scores[region_idx] = total;
      }
      const std::vector<int> draw_ranks = RankDescending(scores);
      std::copy(draw_ranks.begin(), draw_ranks.end(),
                ranks.begin() + static_cast<std::ptrdiff_t>((draw - first) * ranked));
    }
  };

  const size_t threads = std::min(draw_count, static_cast<size_t>(std::max(1, options.threads)));
  if (threads <= 1) {
    run(first, last);
    return ranks;
  }
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> errors(threads);
  const size_t chunk = (draw_count + threads - 1) / threads;
  for (size_t thread_idx = 0; thread_idx < threads; ++thread_idx) {
    const size_t begin = first + std::min(draw_count, thread_idx * chunk);
    const size_t end = first + std::min(draw_count, (thread_idx + 1) * chunk);
    workers.emplace_back([&, begin, end, thread_idx] {
      try {
        run(begin, end);
      } catch (...) {
        errors[thread_idx] = std::current_exception();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return ranks;
}

SensitivitySummary Summarise(const std::vector<int>& ranks, size_t region_count,
                             double robust_width) {
  CheckShape(region_count > 0 && ranks.size() % region_count == 0, "Summarise",
             "ranks are not draws x regions");
  SensitivitySummary summary;
  summary.draws = ranks.size() / region_count;
  CheckShape(summary.draws > 0, "Summarise", "no draws");
  summary.median_rank.resize(region_count);
  summary.rank_p05.resize(region_count);
  summary.rank_p95.resize(region_count);
  summary.robust.resize(region_count);
  std::vector<double> sorted(summary.draws);
  for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
    for (size_t draw = 0; draw < summary.draws; ++draw) {
      sorted[draw] = ranks[draw * region_count + region_idx];
    }
    std::sort(sorted.begin(), sorted.end());
    summary.median_rank[region_idx] = Quantile(sorted, 0.5);
    summary.rank_p05[region_idx] = Quantile(sorted, 0.05);
    summary.rank_p95[region_idx] = Quantile(sorted, 0.95);
    summary.robust[region_idx] =
        summary.rank_p95[region_idx] - summary.rank_p05[region_idx] <= robust_width;
  }
  return summary;
}

SensitivitySummary RunSensitivity(const std::vector<Component>& components,
                                  const std::vector<double>& weights, const IndexOptions& base,
                                  const SensitivityOptions& options) {
  CheckSetting(options.draws > 0, "RunSensitivity", "--draws must be at least 1");
  const std::vector<int> ranks =
      SensitivityRanks(components, weights, base, options, 0, options.draws);
  return Summarise(ranks, RankedCount(options, components[0].values.size()), options.robust_width);
}

}  // namespace kazmig::risk

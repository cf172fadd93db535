// Monte Carlo uncertainty analysis of the risk index's ranks (Saisana, Saltelli & Tarantola 2005;
// OECD/JRC 2008, step 7): every draw re-makes the index with randomly chosen
//   normalisation  min-max or z-score (equally likely),
//   weights        Dirichlet(concentration * w) around the chosen weights w,
//   aggregation    linear or geometric (equally likely),
//   components     all, or all but one (each of the k + 1 cases equally likely; the weights of
//                  the others are rescaled to sum to 1),
// and ranks the regions; each region gets its median rank and its 5-95% band of ranks.
//
//   risk::SensitivityOptions options;                  // 2,000 draws, seed 1
//   risk::SensitivitySummary s = risk::RunSensitivity(components, weights, index_options,
//                                                     options);
//   s.median_rank[r]; s.rank_p05[r]; s.rank_p95[r]; s.robust[r];
//
// Draw d uses its own generator Rng(seed).Split(d), so the ranks are identical for a seed with
// any thread count, and a range of draws can be computed anywhere (SensitivityRanks: threads or
// MPI ranks) and concatenated in draw order before Summarise.
#ifndef KAZMIG_RISK_SENSITIVITY_H_
#define KAZMIG_RISK_SENSITIVITY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kazmig/risk/index.h"

namespace kazmig::risk {

struct SensitivityOptions {
  size_t draws = 2000;
  uint64_t seed = 1;
  // Dirichlet concentration per component: alpha_k = concentration * k * w_k (k components), so
  // equal weights give alpha_k = concentration; each weight then has the coefficient of
  // variation sqrt((k - 1) / (concentration * k + 1)) (0.30 with 10 components and the default).
  double concentration = 10;
  bool vary_normalisation = true;
  bool vary_aggregation = true;
  bool leave_one_out = true;
  int threads = 1;
  // A region's rank is robust when its 5-95% band spans at most this many ranks (p95 - p05).
  double robust_width = 2;
  // When > 0, only the first `ranked_regions` regions are ranked (among themselves); the others
  // take part in the normalisation only, as a reference (the baseline's values when the index is
  // made for a scenario, so that scores compare between the two). 0: every region.
  size_t ranked_regions = 0;
};

// options.ranked_regions, or `region_count` when it is 0 (UsageError when above it).
size_t RankedCount(const SensitivityOptions& options, size_t region_count);

// What one draw chose (for tests and the method description).
struct DrawChoice {
  Normalisation normalisation = Normalisation::kMinMax;
  Aggregation aggregation = Aggregation::kLinear;
  long dropped = -1;  // index of the component left out, -1 when none
  std::vector<double> weights;
};

// The choices of draw `draw` (deterministic for a seed and draw).
DrawChoice ChooseDraw(size_t component_count, const std::vector<double>& weights,
                      const IndexOptions& base, const SensitivityOptions& options, size_t draw);

// The ranks of draws [first, last): (last - first) * RankedCount ranks, draw-major. Runs on
// options.threads threads.
std::vector<int> SensitivityRanks(const std::vector<Component>& components,
                                  const std::vector<double>& weights, const IndexOptions& base,
                                  const SensitivityOptions& options, size_t first, size_t last);

struct SensitivitySummary {
  size_t draws = 0;
  std::vector<double> median_rank;  // per region (type-7 quantiles of the draws' ranks)
  std::vector<double> rank_p05;
  std::vector<double> rank_p95;
  std::vector<bool> robust;  // rank_p95 - rank_p05 <= options.robust_width
};

// Summarises draw-major ranks of `region_count` regions.
SensitivitySummary Summarise(const std::vector<int>& ranks, size_t region_count,
                             double robust_width);

// SensitivityRanks over every draw, then Summarise.
SensitivitySummary RunSensitivity(const std::vector<Component>& components,
                                  const std::vector<double>& weights, const IndexOptions& base,
                                  const SensitivityOptions& options);

}  // namespace kazmig::risk

#endif  // KAZMIG_RISK_SENSITIVITY_H_

// The composite risk index (OECD/JRC 2008, "Handbook on Constructing Composite Indicators"):
// components -> winsorised -> normalised (oriented so that higher = more risk) -> weighted ->
// aggregated into one score per region, with ranks and each component's contribution.
//
//   std::vector<risk::Component> components = {
//       {"unemployment", risk::Direction::kMoreRisk, "%", {4.1, 5.0, 6.2}},
//       {"income_relative", risk::Direction::kLessRisk, "% of national", {120, 95, 80}}};
//   risk::IndexOptions options;                       // min-max, linear, no winsorising
//   std::vector<double> weights = risk::EqualWeights(components.size());
//   risk::IndexResult index = risk::ComputeIndex(components, weights, options);
//   index.scores[2];  // 1: region 2 is worst on both components
//   index.ranks[2];   // 1: rank 1 = highest risk
//
// The module takes plain values (never the store or files); app/risk.h loads the components.
#ifndef KAZMIG_RISK_INDEX_H_
#define KAZMIG_RISK_INDEX_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::risk {

// Whether a higher value of a component means more risk ('+') or less ('-').
enum class Direction { kMoreRisk, kLessRisk };
// '+' or '-'.
char DirectionSign(Direction direction);

// One component: a value per region (the regions are in the same order in every component).
// A missing value is NaN; ComputeIndex refuses them (impute first, by a stated method).
struct Component {
  std::string name;
  Direction direction = Direction::kMoreRisk;
  std::string unit;
  std::vector<double> values;
};

enum class Normalisation { kMinMax, kZScore };
enum class Aggregation { kLinear, kGeometric };
// "minmax", "zscore", "linear", "geometric"; the parsers throw UsageError on other names.
std::string_view NormalisationName(Normalisation normalisation);
std::string_view AggregationName(Aggregation aggregation);
Normalisation ParseNormalisation(std::string_view name);
Aggregation ParseAggregation(std::string_view name);

struct IndexOptions {
  Normalisation normalisation = Normalisation::kMinMax;
  // Winsorising: raw values are clamped to their `winsorise` and 100 - `winsorise` percentiles
  // (linear interpolation between order statistics, type 7) before normalising; 0 = none.
  // In [0, 50).
  double winsorise = 0;
  Aggregation aggregation = Aggregation::kLinear;
  // Geometric aggregation needs positive values: each normalised component x is shifted to
  // x + s with s = max(0, geometric_shift - min over regions of x), so its smallest value is at
  // least geometric_shift (min-max: [0, 1] -> [0.1, 1.1] with the default).
  double geometric_shift = 0.1;
};

// The `percent` and 100 - `percent` percentiles (type 7) of `values` and the values clamped to
// them. `percent` 0 returns the values unchanged.
std::vector<double> Winsorise(const std::vector<double>& values, double percent);

// Normalises one component's values, oriented so that higher = more risk:
//   min-max: (x - min) / (max - min) for '+', (max - x) / (max - min) for '-'; all 0.5 when
//            every value is the same;
//   z-score: (x - mean) / sd for '+' and its negative for '-', sd the sample standard deviation
//            (n - 1); all 0 when sd is 0 or there is one region.
std::vector<double> Normalise(const std::vector<double>& values, Direction direction,
                              Normalisation normalisation);

// The shift s that geometric aggregation adds to normalised values `x` (see IndexOptions).
double GeometricShift(const std::vector<double>& normalised, double geometric_shift);

// 1 / k each.
std::vector<double> EqualWeights(size_t count);

// Throws InputError("weights: ...") unless every weight is finite and >= 0 and they sum to 1
// within 1e-6.
void CheckWeights(const std::vector<double>& weights);

// Ranks of `scores`: 1 = highest score; ties keep the order of the regions (stable).
std::vector<int> RankDescending(const std::vector<double>& scores);

struct IndexResult {
  std::vector<double> weights;  // per component (as given)
  // Per region (outer) and component (inner).
  std::vector<std::vector<double>> normalised;
  // Linear: w_k x_k (they add up to the score). Geometric: w_k ln(x_k + s_k) (they add up to
  // ln(score)).
  std::vector<std::vector<double>> contributions;
  std::vector<double> shifts;  // per component, geometric aggregation only (else 0)
  std::vector<double> scores;  // per region: linear sum_k w_k x_k; geometric prod (x_k+s_k)^w_k
  std::vector<int> ranks;      // per region, 1 = highest risk
};

// The index of `components` (at least one, every one with a value for each region, at least one
// region) with `weights` (one per component, CheckWeights). Throws InputError naming the
// component and region of a missing value, ComputeError (internal) on mismatched sizes.
IndexResult ComputeIndex(const std::vector<Component>& components,
                         const std::vector<double>& weights, const IndexOptions& options);

// Data-driven weights by principal components (OECD/JRC 2008, step 6; no rotation): the
// correlation matrix of the (winsorised) components, the factors with eigenvalue > 1 + 1e-9 (at
// least the first), and w_k = sum_f (lambda_f / sum of retained lambdas) * v_kf^2 (v_f the unit
// eigenvector), so the weights sum to 1. Needs at least 2 components and 3 regions and no
// constant component (InputError otherwise).
struct PcaWeights {
  std::vector<double> weights;
  std::vector<double> eigenvalues;  // all, largest first
  size_t retained = 0;              // factors used
};
PcaWeights ComputePcaWeights(const std::vector<Component>& components, double winsorise);

}  // namespace kazmig::risk

#endif  // KAZMIG_RISK_INDEX_H_

#include "kazmig/models/fe_regression.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/models/poisson_glm.h"

namespace kazmig::models {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A covariate whose pivot in the Cholesky factor of X~' W X~ falls below this share of its
// weighted sum of squares before demeaning is collinear.
constexpr double kCollinearTolerance = 1e-9;

void CheckProblem(const FeProblem& problem, const char* function) {
  const size_t n_obs = static_cast<size_t>(problem.y.size());
  CheckSameSize(function, "rows of x", static_cast<size_t>(problem.x.rows()), "y", n_obs);
  CheckSameSize(function, "x_names", problem.x_names.size(), "columns of x",
                static_cast<size_t>(problem.x.cols()));
  if (problem.weights.size() != 0) {
    CheckSameSize(function, "weights", static_cast<size_t>(problem.weights.size()), "y", n_obs);
  }
  if (problem.offset.size() != 0) {
    CheckSameSize(function, "offset", static_cast<size_t>(problem.offset.size()), "y", n_obs);
  }
  CheckFixedEffects(problem.fe, n_obs);
  CheckShape(problem.clusters.size() <= 2, function, "at most two cluster variables");
  for (const auto& cluster : problem.clusters) {
    CheckSameSize(function, "cluster codes", cluster.size(), "y", n_obs);
  }
  CheckData(n_obs > 0, function, "no observations");
  CheckData(problem.y.allFinite(), function, "the outcome has a non-finite value");
  CheckData(problem.x.allFinite(), function, "a covariate has a non-finite value");
  if (problem.weights.size() != 0) {
    CheckData(problem.weights.allFinite() && (problem.weights.array() > 0).all(), function,
              "every weight must be positive and finite");
  }
  if (problem.offset.size() != 0) {
    CheckData(problem.offset.allFinite(), function, "the offset has a non-finite value");
  }
}

// The problem restricted to the observations with keep[obs] != 0 (fixed effects renumbered).
struct Sample {
  Eigen::VectorXd y;
  Eigen::MatrixXd x;
  Eigen::VectorXd weights;  // always filled (1 when none given)
  Eigen::VectorXd offset;   // always filled (0 when none given)
  FixedEffects fe;
  std::vector<std::vector<int32_t>> old_level;  // per dimension: input code of each new level
  std::vector<std::vector<int32_t>> clusters;
};

Sample MakeSample(const FeProblem& problem, const std::vector<uint8_t>& keep) {
  Sample sample;
  const Eigen::Index n_in = problem.y.size();
  Eigen::Index n_kept = 0;
  for (const uint8_t flag : keep) n_kept += flag != 0 ? 1 : 0;
  sample.y.resize(n_kept);
  sample.x.resize(n_kept, problem.x.cols());
  sample.weights.resize(n_kept);
  sample.offset.resize(n_kept);
  sample.clusters.assign(problem.clusters.size(), {});
  for (auto& cluster : sample.clusters) cluster.reserve(static_cast<size_t>(n_kept));
  Eigen::Index row = 0;
  for (Eigen::Index obs = 0; obs < n_in; ++obs) {
    if (keep[static_cast<size_t>(obs)] == 0) continue;
    sample.y[row] = problem.y[obs];
    sample.weights[row] = problem.weights.size() != 0 ? problem.weights[obs] : 1.0;
    sample.offset[row] = problem.offset.size() != 0 ? problem.offset[obs] : 0.0;
    for (size_t cl = 0; cl < problem.clusters.size(); ++cl) {
      sample.clusters[cl].push_back(problem.clusters[cl][static_cast<size_t>(obs)]);
    }
    ++row;
  }
  for (Eigen::Index col = 0; col < problem.x.cols(); ++col) {
    row = 0;
    for (Eigen::Index obs = 0; obs < n_in; ++obs) {
      if (keep[static_cast<size_t>(obs)] != 0) sample.x(row++, col) = problem.x(obs, col);
    }
  }
  sample.fe = SubsetFixedEffects(problem.fe, keep, &sample.old_level);
  return sample;
}

// Drops, repeatedly until nothing changes, the observations of fixed-effect groups whose outcome
// is all zero (when `zeros`) and of groups with one observation (when `singletons`).
void DropGroups(const FeProblem& problem, bool zeros, bool singletons, std::vector<uint8_t>& keep,
                std::vector<DroppedReason>& reasons) {
  const FixedEffects& fe = problem.fe;
  std::vector<long long> zero_counts(fe.dims(), 0);
  long long singleton_count = 0;
  bool changed = true;
  std::vector<double> sums;
  std::vector<int64_t> counts;
  while (changed) {
    changed = false;
    for (size_t dim = 0; dim < fe.dims(); ++dim) {
      const size_t levels = static_cast<size_t>(fe.levels[dim]);
      const std::vector<int32_t>& codes = fe.codes[dim];
      sums.assign(levels, 0.0);
      counts.assign(levels, 0);
      for (size_t obs = 0; obs < keep.size(); ++obs) {
        if (keep[obs] == 0) continue;
        sums[static_cast<size_t>(codes[obs])] += problem.y[static_cast<Eigen::Index>(obs)];
        ++counts[static_cast<size_t>(codes[obs])];
      }
      for (size_t obs = 0; obs < keep.size(); ++obs) {
        if (keep[obs] == 0) continue;
        const size_t level = static_cast<size_t>(codes[obs]);
        if (zeros && sums[level] == 0) {
          keep[obs] = 0;
          ++zero_counts[dim];
          changed = true;
        } else if (singletons && counts[level] == 1) {
          keep[obs] = 0;
          ++singleton_count;
          changed = true;
        }
      }
    }
  }
  for (size_t dim = 0; dim < fe.dims(); ++dim) {
    if (zero_counts[dim] > 0) {
      reasons.push_back({fmt::format("all-zero outcome in a group of fixed effect '{}'",
                                     dim < fe.names.size() ? fe.names[dim] : std::to_string(dim)),
                         zero_counts[dim]});
    }
  }
  if (singleton_count > 0) reasons.push_back({"singleton fixed-effect group", singleton_count});
}

// Weighted least squares on demeaned columns: `columns` holds z~ in column 0 and X~ after it.
// Collinear covariates are those with active[col] == 0 (decided once by FindCollinear).
Eigen::VectorXd SolveWls(const Eigen::MatrixXd& columns, const Eigen::VectorXd& weights,
                         const std::vector<uint8_t>& active) {
  const Eigen::Index k = columns.cols() - 1;
  std::vector<Eigen::Index> index;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] != 0) index.push_back(col);
  }
  const Eigen::Index k_active = static_cast<Eigen::Index>(index.size());
  Eigen::MatrixXd xtwx(k_active, k_active);
  Eigen::VectorXd xtwz(k_active);
  for (Eigen::Index a = 0; a < k_active; ++a) {
    const auto xa = columns.col(index[static_cast<size_t>(a)] + 1);
    const Eigen::VectorXd wxa = weights.cwiseProduct(xa);
    xtwz[a] = wxa.dot(columns.col(0));
    for (Eigen::Index b = 0; b <= a; ++b) {
      xtwx(a, b) = wxa.dot(columns.col(index[static_cast<size_t>(b)] + 1));
      xtwx(b, a) = xtwx(a, b);
    }
  }
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  if (k_active > 0) {
    const Eigen::VectorXd solved = xtwx.ldlt().solve(xtwz);
    for (Eigen::Index a = 0; a < k_active; ++a) beta[index[static_cast<size_t>(a)]] = solved[a];
  }
  return beta;
}

// Marks covariates collinear with the fixed effects or with earlier covariates: Cholesky with the
// pivots compared with each column's weighted sum of squares before demeaning.
std::vector<uint8_t> FindCollinear(const Eigen::MatrixXd& raw, const Eigen::MatrixXd& demeaned,
                                   const Eigen::VectorXd& weights) {
  const Eigen::Index k = raw.cols();
  std::vector<uint8_t> active(static_cast<size_t>(k), 1);
  Eigen::MatrixXd gram(k, k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const Eigen::VectorXd wxa = weights.cwiseProduct(demeaned.col(a));
    for (Eigen::Index b = 0; b <= a; ++b) gram(a, b) = gram(b, a) = wxa.dot(demeaned.col(b));
  }
  // Sequential Gram-Schmidt in the W inner product, through the Gram matrix.
  Eigen::MatrixXd factor = Eigen::MatrixXd::Zero(k, k);  // lower triangular of active columns
  for (Eigen::Index col = 0; col < k; ++col) {
    const double scale = weights.dot(raw.col(col).cwiseAbs2());
    double pivot = gram(col, col);
    Eigen::VectorXd row = Eigen::VectorXd::Zero(k);
    for (Eigen::Index prev = 0; prev < col; ++prev) {
      if (active[static_cast<size_t>(prev)] == 0) continue;
      double value = gram(col, prev);
      for (Eigen::Index inner = 0; inner < prev; ++inner) value -= row[inner] * factor(prev, inner);
      value /= factor(prev, prev);
      row[prev] = value;
      pivot -= value * value;
    }
    if (!(pivot > kCollinearTolerance * scale) || !(scale > 0)) {
      active[static_cast<size_t>(col)] = 0;
      continue;
    }
    factor.row(col) = row.transpose();
    factor(col, col) = std::sqrt(pivot);
  }
  return active;
}

// Dense codes for the pairs (a[obs], b[obs]).
std::vector<int32_t> Intersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::unordered_map<int64_t, int32_t> codes;
  codes.reserve(a.size());
  std::vector<int32_t> out(a.size());
  for (size_t obs = 0; obs < a.size(); ++obs) {
    const int64_t key = (static_cast<int64_t>(a[obs]) << 32) | static_cast<uint32_t>(b[obs]);
    auto [it, inserted] = codes.emplace(key, static_cast<int32_t>(codes.size()));
    out[obs] = it->second;
  }
  return out;
}

int32_t LevelCount(const std::vector<int32_t>& codes) {
  int32_t count = 0;
  for (const int32_t code : codes) count = std::max(count, code + 1);
  return count;
}

// Dense renumbering (codes of the input coding may skip values after subsetting).
std::vector<int32_t> Densify(const std::vector<int32_t>& codes, int32_t* levels) {
  std::unordered_map<int32_t, int32_t> map;
  std::vector<int32_t> out(codes.size());
  for (size_t obs = 0; obs < codes.size(); ++obs) {
    auto [it, inserted] = map.emplace(codes[obs], static_cast<int32_t>(map.size()));
    out[obs] = it->second;
  }
  *levels = static_cast<int32_t>(map.size());
  return out;
}

// True when every level of `fe_codes` lies in a single cluster.
bool NestedIn(const std::vector<int32_t>& fe_codes, int32_t fe_levels,
              const std::vector<int32_t>& cluster) {
  std::vector<int32_t> owner(static_cast<size_t>(fe_levels), -1);
  for (size_t obs = 0; obs < fe_codes.size(); ++obs) {
    int32_t& slot = owner[static_cast<size_t>(fe_codes[obs])];
    if (slot < 0) {
      slot = cluster[obs];
    } else if (slot != cluster[obs]) {
      return false;
    }
  }
  return true;
}

// sum_g S_g S_g' for scores (n x k) grouped by `codes`.
Eigen::MatrixXd ClusterMeat(const Eigen::MatrixXd& scores, const std::vector<int32_t>& codes,
                            int32_t levels) {
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(levels, scores.cols());
  for (Eigen::Index obs = 0; obs < scores.rows(); ++obs) {
    sums.row(codes[static_cast<size_t>(obs)]) += scores.row(obs);
  }
  return sums.transpose() * sums;
}

struct VcovInputs {
  const Eigen::MatrixXd* demeaned_x;  // n x k (all covariates; inactive ones ignored)
  Eigen::VectorXd bread_weights;      // W of the bread X~' W X~
  Eigen::VectorXd score_factor;       // s_i = x~_i * score_factor_i
  double iid_scale = 1;               // IID: B * iid_scale (before the small-sample factor)
  bool ols = false;
};

// Fills vcov, std_errors, n_params and t_df of `result` (sized to k) for the active covariates.
void ComputeVcov(const VcovInputs& in, const Sample& sample, const std::vector<uint8_t>& active,
                 const FeOptions& options, FeResult& result) {
  const Eigen::Index k = in.demeaned_x->cols();
  const Eigen::Index n = in.demeaned_x->rows();
  std::vector<Eigen::Index> index;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] != 0) index.push_back(col);
  }
  const Eigen::Index k_active = static_cast<Eigen::Index>(index.size());
  result.vcov = Eigen::MatrixXd::Constant(k, k, kNaN);
  result.std_errors = Eigen::VectorXd::Constant(k, kNaN);

  // Degrees of freedom: fixed-effect parameters not nested in a cluster variable.
  std::vector<std::vector<int32_t>> clusters;
  std::vector<int32_t> cluster_levels;
  if (options.vcov == VcovType::kCluster) {
    CheckData(!sample.clusters.empty(), "FitFe",
              "clustered standard errors need a cluster variable");
    for (const auto& cluster : sample.clusters) {
      int32_t levels = 0;
      clusters.push_back(Densify(cluster, &levels));
      cluster_levels.push_back(levels);
    }
  }
  long long fe_params = 0;
  bool any_nested = false;
  for (size_t dim = 0; dim < sample.fe.dims(); ++dim) {
    bool nested = false;
    for (const auto& cluster : clusters) {
      nested = nested || NestedIn(sample.fe.codes[dim], sample.fe.levels[dim], cluster);
    }
    if (nested) {
      any_nested = true;
    } else {
      fe_params += sample.fe.levels[dim] - 1;
    }
  }
  if (sample.fe.dims() > 0 && !any_nested) fe_params += 1;
  result.n_params = k_active + fe_params;
  const double n_d = static_cast<double>(n);
  const double k_d = static_cast<double>(result.n_params);
  CheckData(n_d > k_d, "FitFe",
            fmt::format("{} observations cannot identify {} parameters (covariates and fixed "
                        "effects)",
                        n, result.n_params));
  const double adj = options.ssc_adjust ? (n_d - 1) / (n_d - k_d) : 1.0;

  if (k_active == 0) {
    result.t_df = static_cast<long long>(n - result.n_params);
    return;
  }
  Eigen::MatrixXd xa(n, k_active);
  for (Eigen::Index a = 0; a < k_active; ++a) xa.col(a) = in.demeaned_x->col(index[a]);
  const Eigen::MatrixXd information = xa.transpose() * in.bread_weights.asDiagonal() * xa;
  const Eigen::MatrixXd bread =
      information.ldlt().solve(Eigen::MatrixXd::Identity(k_active, k_active));
  Eigen::MatrixXd vcov;
  result.t_df = in.ols ? static_cast<long long>(n - result.n_params) : 0;
  if (options.vcov == VcovType::kIid) {
    double scale = in.iid_scale;
    if (in.ols) {
      // iid_scale holds the weighted RSS: sigma^2 = RSS / (n - K), or RSS / n unadjusted.
      scale = options.ssc_adjust ? in.iid_scale / (n_d - k_d) : in.iid_scale / n_d;
      vcov = bread * scale;
    } else {
      vcov = bread * scale * adj;
    }
  } else {
    const Eigen::MatrixXd scores = xa.array().colwise() * in.score_factor.array();
    if (options.vcov == VcovType::kHc1) {
      const Eigen::MatrixXd meat = scores.transpose() * scores;
      const double cluster_adj = options.cluster_adjust ? n_d / (n_d - 1) : 1.0;
      vcov = bread * meat * bread * (adj * cluster_adj);
    } else {
      const int32_t g_min = *std::min_element(cluster_levels.begin(), cluster_levels.end());
      CheckData(g_min >= 2, "FitFe", "clustered standard errors need at least two clusters");
      const double g = static_cast<double>(g_min);
      const double cluster_adj = options.cluster_adjust ? g / (g - 1) : 1.0;
      Eigen::MatrixXd meat = ClusterMeat(scores, clusters[0], cluster_levels[0]);
      if (clusters.size() == 2) {
        const std::vector<int32_t> both = Intersect(clusters[0], clusters[1]);
        meat += ClusterMeat(scores, clusters[1], cluster_levels[1]);
        meat -= ClusterMeat(scores, both, LevelCount(both));
      }
      vcov = bread * meat * bread * (adj * cluster_adj);
      if (clusters.size() == 2) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(vcov);
        if (eigen.eigenvalues().minCoeff() < 0) {
          const Eigen::VectorXd values = eigen.eigenvalues().cwiseMax(0.0);
          vcov = eigen.eigenvectors() * values.asDiagonal() * eigen.eigenvectors().transpose();
        }
      }
      result.t_df = g_min - 1;
    }
  }
  for (Eigen::Index a = 0; a < k_active; ++a) {
    for (Eigen::Index b = 0; b < k_active; ++b) result.vcov(index[a], index[b]) = vcov(a, b);
    result.std_errors[index[a]] = std::sqrt(std::max(0.0, vcov(a, a)));
  }
}

// Fixed-effect estimates in the input coding from the fitted fixed-effect sum per observation.
void RecoverFixedEffects(const FeProblem& problem, const Sample& sample,
                         const Eigen::VectorXd& fe_sum, const FeOptions& options,
                         FeResult& result) {
  Demeaner demeaner(sample.fe, options.threads);
  DemeanOptions demean;
  demean.tolerance = std::min(options.demean_tolerance, 1e-10);
  demean.max_iterations = options.max_demean_iterations;
  const Eigen::VectorXd alpha = demeaner.Recover(fe_sum, demean);
  result.fixed_effects.clear();
  for (size_t dim = 0; dim < sample.fe.dims(); ++dim) {
    Eigen::VectorXd values = Eigen::VectorXd::Constant(problem.fe.levels[dim], kNaN);
    const auto& olds = sample.old_level[dim];
    for (size_t level = 0; level < olds.size(); ++level) {
      values[olds[level]] = alpha[static_cast<Eigen::Index>(demeaner.offset(dim) + level)];
    }
    result.fixed_effects.push_back(std::move(values));
  }
}

void FinishDropped(const std::vector<uint8_t>& keep, FeResult& result) {
  result.used = keep;
  result.n_obs = 0;
  for (const uint8_t flag : keep) result.n_obs += flag != 0 ? 1 : 0;
  result.n_dropped = static_cast<long long>(keep.size()) - result.n_obs;
}

std::vector<std::string> CollinearNames(const std::vector<std::string>& names,
                                        const std::vector<uint8_t>& active) {
  std::vector<std::string> out;
  for (size_t col = 0; col < names.size(); ++col) {
    if (active[col] == 0) out.push_back(names[col]);
  }
  return out;
}

// Separated observations by the iterative rectifier (Correia, Guimaraes & Zylkin 2021): with
// u = 1(y = 0), regress u on X and the fixed effects by least squares with weight 1 on zeros and
// a large weight on positive outcomes (which pins the fit there to 0); when every fitted value
// of a zero outcome is >= 0 (to a tolerance) the observations with a positive fit are separated;
// otherwise u = max(fit, 0) on the zeros and repeat. Returns the indices (in `sample`) of the
// separated observations.
std::vector<Eigen::Index> SeparatedByRectifier(const Sample& sample, const FeOptions& options) {
  const Eigen::Index n = sample.y.size();
  const Eigen::Index k = sample.x.cols();
  std::vector<Eigen::Index> separated;
  Eigen::Index n_zero = 0;
  for (Eigen::Index obs = 0; obs < n; ++obs) n_zero += sample.y[obs] == 0 ? 1 : 0;
  if (n_zero == 0) return separated;
  constexpr double kPositiveWeight = 1e6;
  constexpr double kZeroTolerance = 1e-5;
  constexpr int kMaxRounds = 100;
  Eigen::VectorXd weights(n);
  for (Eigen::Index obs = 0; obs < n; ++obs) weights[obs] = sample.y[obs] > 0 ? kPositiveWeight : 1;
  Demeaner demeaner(sample.fe, options.threads);
  demeaner.SetWeights(weights);
  DemeanOptions demean;
  demean.tolerance = 1e-9;
  demean.max_iterations = options.max_demean_iterations;
  Eigen::MatrixXd columns(n, k + 1);
  columns.rightCols(k) = sample.x;
  FixedEffectCoefficients coef(static_cast<size_t>(k + 1));
  Eigen::VectorXd u(n);
  for (Eigen::Index obs = 0; obs < n; ++obs) u[obs] = sample.y[obs] == 0 ? 1.0 : 0.0;
  {
    // Demean the covariates once (the weights do not change).
    Eigen::MatrixXd xd = sample.x;
    FixedEffectCoefficients xcoef;
    demeaner.Demean(xd, demean, &xcoef);
    columns.rightCols(k) = xd;
  }
  std::vector<uint8_t> active =
      k > 0 ? FindCollinear(sample.x, columns.rightCols(k), weights) : std::vector<uint8_t>();
  FixedEffectCoefficients ucoef(1);
  for (int round = 0; round < kMaxRounds; ++round) {
    Eigen::MatrixXd ucol = u;
    demeaner.Demean(ucol, demean, &ucoef);
    columns.col(0) = ucol.col(0);
    const Eigen::VectorXd beta = SolveWls(columns, weights, active);
    // fitted = u - (u~ - X~ b)
    Eigen::VectorXd fitted = u - (columns.col(0) - columns.rightCols(k) * beta);
    // The fit at positive outcomes is zero up to O(1/K) and the demeaning tolerance: values of
    // that size (times 10, at least kZeroTolerance) are zero.
    double noise = 0;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      if (sample.y[obs] > 0) noise = std::max(noise, std::abs(fitted[obs]));
    }
    const double zero_tolerance = std::max(kZeroTolerance, 10 * noise);
    bool all_non_negative = true;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      if (std::abs(fitted[obs]) < zero_tolerance) fitted[obs] = 0;
      if (sample.y[obs] == 0 && fitted[obs] < 0) all_non_negative = false;
    }
    if (all_non_negative) {
      for (Eigen::Index obs = 0; obs < n; ++obs) {
        if (sample.y[obs] == 0 && fitted[obs] > 0) separated.push_back(obs);
      }
      return separated;
    }
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      u[obs] = sample.y[obs] == 0 ? std::max(fitted[obs], 0.0) : 0.0;
    }
  }
  return separated;  // undecided after kMaxRounds: nothing is dropped
}

}  // namespace

namespace {

// Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Press et al., Numerical
// Recipes, section 6.4), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) for convergence.
double IncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x > (a + 1) / (a + b + 2)) return 1 - IncompleteBeta(b, a, 1 - x);
  constexpr double kTiny = 1e-300;
  double c = 1;
  double d = 1 - (a + b) * x / (a + 1);
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + numerator * d;
    d = std::abs(d) < kTiny ? 1 / kTiny : 1 / d;
    c = 1 + numerator / c;
    if (std::abs(c) < kTiny) c = kTiny;
    h *= d * c;
    numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + numerator * d;
    d = std::abs(d) < kTiny ? 1 / kTiny : 1 / d;
    c = 1 + numerator / c;
    if (std::abs(c) < kTiny) c = kTiny;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-15) break;
  }
  return std::exp(log_front) * h / a;
}

}  // namespace

double TwoSidedPValue(double statistic, long long df) {
  if (!std::isfinite(statistic)) return kNaN;
  const double t = std::abs(statistic);
  if (df <= 0) return std::erfc(t / std::sqrt(2.0));
  const double nu = static_cast<double>(df);
  return IncompleteBeta(nu / 2, 0.5, nu / (nu + t * t));
}

double CriticalValue(double level, long long df) {
  const double target = 1 - level;
  double low = 0;
  double high = 1;
  while (TwoSidedPValue(high, df) > target && high < 1e12) high *= 2;
  for (int step = 0; step < 200 && high - low > 1e-14 * high; ++step) {
    const double mid = (low + high) / 2;
    if (TwoSidedPValue(mid, df) > target) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return (low + high) / 2;
}

FeResult FitPpml(const FeProblem& problem, const FeOptions& options) {
  CheckProblem(problem, "FitPpml");
  CheckNonNegative("FitPpml", "y",
                   std::vector<double>(problem.y.data(), problem.y.data() + problem.y.size()));
  FeResult result;
  result.names = problem.x_names;
  const Eigen::Index n_in = problem.y.size();
  std::vector<uint8_t> keep(static_cast<size_t>(n_in), 1);
  DropGroups(problem, /*zeros=*/true, options.drop_singletons, keep, result.dropped_reasons);
  Sample sample = MakeSample(problem, keep);
  CheckData(sample.y.size() > 0, "FitPpml",
            "no observation is left after dropping all-zero fixed-effect groups");
  CheckData(sample.y.sum() > 0, "FitPpml", "the outcome is zero for every observation");
  if (options.detect_separation) {
    const std::vector<Eigen::Index> separated = SeparatedByRectifier(sample, options);
    if (!separated.empty()) {
      // Map back to input rows and drop them (and any group that becomes all zero).
      std::vector<Eigen::Index> input_rows;
      for (Eigen::Index obs = 0; obs < n_in; ++obs) {
        if (keep[static_cast<size_t>(obs)] != 0) input_rows.push_back(obs);
      }
      for (const Eigen::Index row : separated) keep[static_cast<size_t>(input_rows[row])] = 0;
      result.dropped_reasons.push_back(
          {"separated (iterative rectifier)", static_cast<long long>(separated.size())});
      DropGroups(problem, /*zeros=*/true, options.drop_singletons, keep, result.dropped_reasons);
      sample = MakeSample(problem, keep);
    }
  }
  FinishDropped(keep, result);

  const Eigen::Index n = sample.y.size();
  const Eigen::Index k_in = sample.x.cols();
  const bool intercept = sample.fe.dims() == 0;
  Eigen::MatrixXd x = sample.x;
  if (intercept) {
    x.resize(n, k_in + 1);
    x.col(0).setOnes();
    x.rightCols(k_in) = sample.x;
    result.names.insert(result.names.begin(), "(Intercept)");
  }
  const Eigen::Index k = x.cols();
  const Eigen::VectorXd& y = sample.y;
  const Eigen::VectorXd& prior = sample.weights;
  const Eigen::VectorXd& offset = sample.offset;

  Demeaner demeaner(sample.fe, options.threads);
  FixedEffectCoefficients coef;
  Eigen::MatrixXd columns(n, k + 1);
  const double mean_y = prior.dot(y) / prior.sum();
  Eigen::VectorXd mu = ((y.array() + mean_y) / 2).matrix();
  Eigen::VectorXd eta = mu.array().log().matrix();
  double deviance = kNaN;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  std::vector<uint8_t> active;
  bool have_step = false;
  DemeanOptions demean;
  demean.max_iterations = options.max_demean_iterations;
  demean.tolerance = std::max(options.demean_tolerance, 1e-4);
  Eigen::VectorXd z(n);
  Eigen::VectorXd w(n);
  Eigen::VectorXd eta_new(n);
  Eigen::VectorXd mu_new(n);

  auto weighted_deviance = [&](const Eigen::VectorXd& mean) {
    double total = 0;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      const double yi = y[obs];
      const double mi = mean[obs];
      total += prior[obs] * ((yi > 0 ? yi * std::log(yi / mi) : 0.0) - (yi - mi));
    }
    return 2 * total;
  };
  deviance = weighted_deviance(mu);

  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    result.iterations = iteration;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      z[obs] = eta[obs] - offset[obs] + (y[obs] - mu[obs]) / mu[obs];
      w[obs] = prior[obs] * mu[obs];
    }
    columns.col(0) = z;
    columns.rightCols(k) = x;
    demeaner.SetWeights(w);
    const DemeanStats stats = demeaner.Demean(columns, demean, &coef);
    result.demean_iterations += stats.max_iterations;
    if (active.empty()) active = FindCollinear(x, columns.rightCols(k), w);
    Eigen::VectorXd beta_new = SolveWls(columns, w, active);
    // eta = z - (z~ - X~ b) + offset
    eta_new = z - (columns.col(0) - columns.rightCols(k) * beta_new) + offset;
    mu_new = eta_new.array().exp().matrix();
    double deviance_new = weighted_deviance(mu_new);
    for (int halving = 0; have_step && halving < 30 &&
                          (!std::isfinite(deviance_new) || deviance_new > deviance * (1 + 1e-12));
         ++halving) {
      beta_new = (beta_new + beta) / 2;
      eta_new = (eta_new + eta) / 2;
      mu_new = eta_new.array().exp().matrix();
      deviance_new = weighted_deviance(mu_new);
    }
    if (!std::isfinite(deviance_new)) break;
    result.relative_change = std::abs(deviance_new - deviance) / (0.1 + std::abs(deviance_new));
    beta = beta_new;
    eta = eta_new;
    mu = mu_new;
    deviance = deviance_new;
    have_step = true;
    if (result.relative_change < options.tolerance) {
      if (demean.tolerance <= options.demean_tolerance) {
        result.converged = true;
        break;
      }
    }
    // Tighten the demeaning as the deviance settles.
    demean.tolerance = std::max(options.demean_tolerance,
                                std::min(demean.tolerance, 0.1 * result.relative_change));
    if (result.relative_change < options.tolerance) demean.tolerance = options.demean_tolerance;
  }

  // The variance at the solution: weights and demeaned covariates at the final mu.
  for (Eigen::Index obs = 0; obs < n; ++obs) w[obs] = prior[obs] * mu[obs];
  demeaner.SetWeights(w);
  columns.col(0).setZero();
  columns.rightCols(k) = x;
  FixedEffectCoefficients xcoef;
  if (coef.size() > 1) xcoef.assign(coef.begin() + 1, coef.end());
  demean.tolerance = options.demean_tolerance;
  result.demean_iterations += demeaner.Demean(columns.rightCols(k), demean, &xcoef).max_iterations;
  const Eigen::MatrixXd demeaned_x = columns.rightCols(k);
  VcovInputs vin;
  vin.demeaned_x = &demeaned_x;
  vin.bread_weights = w;
  vin.score_factor = (prior.array() * (y - mu).array()).matrix();
  vin.iid_scale = 1;
  result.collinear = CollinearNames(result.names, active);
  ComputeVcov(vin, sample, active, options, result);
  result.coefficients = beta;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] == 0) result.coefficients[col] = kNaN;
  }
  result.fitted = mu;
  result.deviance = deviance;
  result.null_deviance = weighted_deviance(Eigen::VectorXd::Constant(n, mean_y));
  double llf = 0;
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    llf += prior[obs] *
           ((y[obs] > 0 ? y[obs] * std::log(mu[obs]) : 0.0) - mu[obs] - std::lgamma(y[obs] + 1));
  }
  result.log_likelihood = llf;
  if (options.recover_fixed_effects && sample.fe.dims() > 0) {
    Eigen::VectorXd beta0 = beta;
    for (Eigen::Index col = 0; col < k; ++col) {
      if (active[static_cast<size_t>(col)] == 0) beta0[col] = 0;
    }
    const Eigen::VectorXd fe_sum = eta - offset - x * beta0;
    RecoverFixedEffects(problem, sample, fe_sum, options, result);
  }
  return result;
}

FeResult FitOlsFe(const FeProblem& problem, const FeOptions& options) {
  CheckProblem(problem, "FitOlsFe");
  FeResult result;
  result.names = problem.x_names;
  const Eigen::Index n_in = problem.y.size();
  std::vector<uint8_t> keep(static_cast<size_t>(n_in), 1);
  if (options.drop_singletons) {
    DropGroups(problem, /*zeros=*/false, true, keep, result.dropped_reasons);
  }
  const Sample sample = MakeSample(problem, keep);
  CheckData(sample.y.size() > 0, "FitOlsFe", "no observation is left after dropping singletons");
  FinishDropped(keep, result);
  const Eigen::Index n = sample.y.size();
  const Eigen::Index k_in = sample.x.cols();
  const bool intercept = sample.fe.dims() == 0;
  Eigen::MatrixXd x = sample.x;
  if (intercept) {
    x.resize(n, k_in + 1);
    x.col(0).setOnes();
    x.rightCols(k_in) = sample.x;
    result.names.insert(result.names.begin(), "(Intercept)");
  }
  const Eigen::Index k = x.cols();
  const Eigen::VectorXd& w = sample.weights;
  Eigen::MatrixXd columns(n, k + 1);
  columns.col(0) = sample.y;
  columns.rightCols(k) = x;
  Demeaner demeaner(sample.fe, options.threads);
  demeaner.SetWeights(w);
  DemeanOptions demean;
  demean.tolerance = options.demean_tolerance;
  demean.max_iterations = options.max_demean_iterations;
  const DemeanStats stats = demeaner.Demean(columns, demean);
  result.demean_iterations = stats.max_iterations;
  result.converged = stats.converged;
  result.relative_change = stats.max_change;
  result.iterations = 1;
  const std::vector<uint8_t> active = FindCollinear(x, columns.rightCols(k), w);
  const Eigen::VectorXd beta = SolveWls(columns, w, active);
  const Eigen::VectorXd residual = columns.col(0) - columns.rightCols(k) * beta;
  const double rss = w.dot(residual.cwiseAbs2());
  const double mean_y = w.dot(sample.y) / w.sum();
  const double tss = w.dot((sample.y.array() - mean_y).matrix().cwiseAbs2());
  const double within_tss = w.dot(columns.col(0).cwiseAbs2());
  result.deviance = rss;
  result.r2 = tss > 0 ? 1 - rss / tss : kNaN;
  result.r2_within = intercept ? result.r2 : (within_tss > 0 ? 1 - rss / within_tss : kNaN);
  result.fitted = sample.y - residual;
  const Eigen::MatrixXd demeaned_x = columns.rightCols(k);
  VcovInputs vin;
  vin.demeaned_x = &demeaned_x;
  vin.bread_weights = w;
  vin.score_factor = w.cwiseProduct(residual);
  vin.iid_scale = rss;
  vin.ols = true;
  result.collinear = CollinearNames(result.names, active);
  ComputeVcov(vin, sample, active, options, result);
  result.coefficients = beta;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] == 0) result.coefficients[col] = kNaN;
  }
  if (options.recover_fixed_effects && sample.fe.dims() > 0) {
    Eigen::VectorXd beta0 = beta;
    for (Eigen::Index col = 0; col < k; ++col) {
      if (active[static_cast<size_t>(col)] == 0) beta0[col] = 0;
    }
    const Eigen::VectorXd fe_sum = sample.y - x * beta0 - residual;
    RecoverFixedEffects(problem, sample, fe_sum, options, result);
  }
  return result;
}

}  // namespace kazmig::models

#include "kazmig/models/fe_regression.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/models/inference.h"
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
      if (singletons) counts.assign(levels, 0);
      for (size_t obs = 0; obs < keep.size(); ++obs) {
        if (keep[obs] == 0) continue;
        sums[static_cast<size_t>(codes[obs])] += problem.y[static_cast<Eigen::Index>(obs)];
        if (singletons) ++counts[static_cast<size_t>(codes[obs])];
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
    // Dropping zero outcomes leaves every group's sum unchanged, so without singletons one round
    // finds every all-zero group.
    if (!singletons) break;
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

// G = A' W A for the columns of `a` (one pass over the observations, no n-sized temporary);
// `weights` null means 1.
Eigen::MatrixXd WeightedGram(const Eigen::Ref<const Eigen::MatrixXd>& a, const double* weights) {
  const Eigen::Index cols = a.cols();
  const Eigen::Index n = a.rows();
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(cols, cols);
  std::vector<const double*> data(static_cast<size_t>(cols));
  for (Eigen::Index col = 0; col < cols; ++col) data[static_cast<size_t>(col)] = a.col(col).data();
  constexpr Eigen::Index kMaxFast = 8;
  if (cols <= kMaxFast) {
    double acc[kMaxFast][kMaxFast] = {};
    double row[kMaxFast];
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      const double w = weights != nullptr ? weights[obs] : 1.0;
      for (Eigen::Index col = 0; col < cols; ++col) row[col] = data[static_cast<size_t>(col)][obs];
      for (Eigen::Index p = 0; p < cols; ++p) {
        const double wp = w * row[p];
        for (Eigen::Index q = 0; q <= p; ++q) acc[p][q] += wp * row[q];
      }
    }
    for (Eigen::Index p = 0; p < cols; ++p) {
      for (Eigen::Index q = 0; q <= p; ++q) gram(p, q) = gram(q, p) = acc[p][q];
    }
    return gram;
  }
  for (Eigen::Index p = 0; p < cols; ++p) {
    for (Eigen::Index q = 0; q <= p; ++q) {
      double sum = 0;
      for (Eigen::Index obs = 0; obs < n; ++obs) {
        sum += (weights != nullptr ? weights[obs] : 1.0) * data[static_cast<size_t>(p)][obs] *
               data[static_cast<size_t>(q)][obs];
      }
      gram(p, q) = gram(q, p) = sum;
    }
  }
  return gram;
}

// Weighted least squares on demeaned columns: `columns` holds z~ in column 0 and X~ after it.
// Collinear covariates are those with active[col] == 0 (decided once by FindCollinear).
Eigen::VectorXd SolveWls(const Eigen::Ref<const Eigen::MatrixXd>& columns,
                         const Eigen::VectorXd& weights, const std::vector<uint8_t>& active) {
  const Eigen::Index k = columns.cols() - 1;
  const Eigen::MatrixXd gram = WeightedGram(columns, weights.data());
  std::vector<Eigen::Index> index;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] != 0) index.push_back(col);
  }
  const Eigen::Index k_active = static_cast<Eigen::Index>(index.size());
  Eigen::MatrixXd xtwx(k_active, k_active);
  Eigen::VectorXd xtwz(k_active);
  for (Eigen::Index a = 0; a < k_active; ++a) {
    xtwz[a] = gram(index[static_cast<size_t>(a)] + 1, 0);
    for (Eigen::Index b = 0; b < k_active; ++b) {
      xtwx(a, b) = gram(index[static_cast<size_t>(a)] + 1, index[static_cast<size_t>(b)] + 1);
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
std::vector<uint8_t> FindCollinear(const Eigen::MatrixXd& raw,
                                   const Eigen::Ref<const Eigen::MatrixXd>& demeaned,
                                   const Eigen::VectorXd& weights) {
  const Eigen::Index k = raw.cols();
  std::vector<uint8_t> active(static_cast<size_t>(k), 1);
  const Eigen::MatrixXd gram = WeightedGram(demeaned, weights.data());
  const Eigen::VectorXd raw_ss = WeightedGram(raw, weights.data()).diagonal();
  // Sequential Gram-Schmidt in the W inner product, through the Gram matrix.
  Eigen::MatrixXd factor = Eigen::MatrixXd::Zero(k, k);  // lower triangular of active columns
  for (Eigen::Index col = 0; col < k; ++col) {
    const double scale = raw_ss[col];
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

// sum_g S_g S_g' with S_g = sum_{i in g} x~_i f_i, for the columns `index` of `x`.
Eigen::MatrixXd ClusterMeat(const Eigen::Ref<const Eigen::MatrixXd>& x,
                            const std::vector<Eigen::Index>& index, const Eigen::VectorXd& factor,
                            const std::vector<int32_t>& codes, int32_t levels) {
  const Eigen::Index k = static_cast<Eigen::Index>(index.size());
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, levels);  // column per cluster
  for (Eigen::Index a = 0; a < k; ++a) {
    const double* col = x.col(index[static_cast<size_t>(a)]).data();
    for (Eigen::Index obs = 0; obs < x.rows(); ++obs) {
      sums(a, codes[static_cast<size_t>(obs)]) += col[obs] * factor[obs];
    }
  }
  return sums * sums.transpose();
}

struct VcovInputs {
  Eigen::Ref<const Eigen::MatrixXd> demeaned_x;  // n x k (all covariates; inactive ignored)
  const Eigen::VectorXd& bread_weights;          // W of the bread X~' W X~
  Eigen::VectorXd score_factor;                  // s_i = x~_i * score_factor_i
  double iid_scale = 1;  // IID: B * iid_scale (before the small-sample factor)
  bool ols = false;
};

// Fills vcov, std_errors, n_params and t_df of `result` (sized to k) for the active covariates.
void ComputeVcov(const VcovInputs& in, const Sample& sample, const std::vector<uint8_t>& active,
                 const FeOptions& options, FeResult& result) {
  const Eigen::Index k = in.demeaned_x.cols();
  const Eigen::Index n = in.demeaned_x.rows();
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
  const Eigen::MatrixXd full_information = WeightedGram(in.demeaned_x, in.bread_weights.data());
  Eigen::MatrixXd information(k_active, k_active);
  for (Eigen::Index a = 0; a < k_active; ++a) {
    for (Eigen::Index b = 0; b < k_active; ++b) {
      information(a, b) = full_information(index[a], index[b]);
    }
  }
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
    if (options.vcov == VcovType::kHc1) {
      const Eigen::VectorXd squared = in.score_factor.cwiseAbs2();
      const Eigen::MatrixXd full_meat = WeightedGram(in.demeaned_x, squared.data());
      Eigen::MatrixXd meat(k_active, k_active);
      for (Eigen::Index a = 0; a < k_active; ++a) {
        for (Eigen::Index b = 0; b < k_active; ++b) meat(a, b) = full_meat(index[a], index[b]);
      }
      const double cluster_adj = options.cluster_adjust ? n_d / (n_d - 1) : 1.0;
      vcov = bread * meat * bread * (adj * cluster_adj);
    } else {
      const int32_t g_min = *std::min_element(cluster_levels.begin(), cluster_levels.end());
      CheckData(g_min >= 2, "FitFe", "clustered standard errors need at least two clusters");
      const double g = static_cast<double>(g_min);
      const double cluster_adj = options.cluster_adjust ? g / (g - 1) : 1.0;
      const Eigen::Ref<const Eigen::MatrixXd>& x = in.demeaned_x;
      Eigen::MatrixXd meat = ClusterMeat(x, index, in.score_factor, clusters[0], cluster_levels[0]);
      if (clusters.size() == 2) {
        const std::vector<int32_t> both = Intersect(clusters[0], clusters[1]);
        meat += ClusterMeat(x, index, in.score_factor, clusters[1], cluster_levels[1]);
        meat -= ClusterMeat(x, index, in.score_factor, both, LevelCount(both));
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
std::vector<Eigen::Index> SeparatedByRectifier(const Sample& sample, const FeOptions& options,
                                               Eigen::MatrixXd& columns) {
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
  columns.resize(n, k + 1);
  // The covariates are demeaned once (the weights do not change), together with the first u; u
  // again each later round.
  Eigen::VectorXd u(n);
  for (Eigen::Index obs = 0; obs < n; ++obs) u[obs] = sample.y[obs] == 0 ? 1.0 : 0.0;
  columns.col(0) = u;
  columns.rightCols(k) = sample.x;
  FixedEffectCoefficients coef;
  demeaner.Demean(columns, demean, &coef);
  const std::vector<uint8_t> active =
      k > 0 ? FindCollinear(sample.x, columns.rightCols(k), weights) : std::vector<uint8_t>();
  Eigen::VectorXd fitted(n);
  FixedEffectCoefficients ucoef(1);
  if (!coef.empty()) ucoef[0] = std::move(coef[0]);  // empty without fixed effects
  for (int round = 0; round < kMaxRounds; ++round) {
    if (round > 0) {
      columns.col(0) = u;
      demeaner.Demean(columns.leftCols(1), demean, &ucoef);
    }
    const Eigen::VectorXd beta = SolveWls(columns, weights, active);
    // fitted = u - (u~ - X~ b)
    fitted = u - columns.col(0);
    for (Eigen::Index col = 0; col < k; ++col) {
      if (beta[col] != 0) fitted += beta[col] * columns.col(col + 1);
    }
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

// The t and normal distributions are models/inference.h's (one implementation).
double TwoSidedPValue(double statistic, long long df) {
  if (!std::isfinite(statistic)) return kNaN;
  return StudentTTwoSidedP(statistic, static_cast<double>(df));
}

double CriticalValue(double level, long long df) {
  return StudentTQuantile(1 - (1 - level) / 2, static_cast<double>(df));
}

FeResult FitPpml(const FeProblem& problem, const FeOptions& options) {
  CheckProblem(problem, "FitPpml");
  for (Eigen::Index obs = 0; obs < problem.y.size(); ++obs) {
    if (!(problem.y[obs] >= 0)) {  // the message is formatted only when it is needed
      CheckData(false, "FitPpml",
                fmt::format("y: negative value {} at observation {}", problem.y[obs], obs + 1));
    }
  }
  FeResult result;
  result.names = problem.x_names;
  const Eigen::Index n_in = problem.y.size();
  std::vector<uint8_t> keep(static_cast<size_t>(n_in), 1);
  DropGroups(problem, /*zeros=*/true, options.drop_singletons, keep, result.dropped_reasons);
  Sample sample = MakeSample(problem, keep);
  CheckData(sample.y.size() > 0, "FitPpml",
            "no observation is left after dropping all-zero fixed-effect groups");
  CheckData(sample.y.sum() > 0, "FitPpml", "the outcome is zero for every observation");
  // The working columns: z~ then X~ (also the rectifier's workspace).
  Eigen::MatrixXd columns;
  if (options.detect_separation) {
    const std::vector<Eigen::Index> separated = SeparatedByRectifier(sample, options, columns);
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
  if (sample.fe.dims() == 0) {
    Eigen::MatrixXd with_constant(n, sample.x.cols() + 1);
    with_constant.col(0).setOnes();
    with_constant.rightCols(sample.x.cols()) = sample.x;
    sample.x = std::move(with_constant);
    result.names.insert(result.names.begin(), "(Intercept)");
  }
  const Eigen::MatrixXd& x = sample.x;
  const Eigen::Index k = x.cols();
  const Eigen::VectorXd& y = sample.y;
  const Eigen::VectorXd& prior = sample.weights;
  const Eigen::VectorXd& offset = sample.offset;

  Demeaner demeaner(sample.fe, options.threads);
  FixedEffectCoefficients coef;
  columns.resize(n, k + 1);
  const double mean_y = prior.dot(y) / prior.sum();
  // Start: mu = (y + mean y) / 2 (ppmlhdfe), or y + 0.1 (R's glm) for a heavy-tailed outcome
  // (coefficient of variation above 3, e.g. migration flows), from which IRLS needs fewer steps.
  const double var_y = prior.dot((y.array() - mean_y).square().matrix()) / prior.sum();
  const bool heavy_tailed = std::sqrt(var_y) > 3 * mean_y;
  Eigen::VectorXd mu =
      heavy_tailed ? (y.array() + 0.1).matrix().eval() : ((y.array() + mean_y) / 2).matrix().eval();
  Eigen::VectorXd eta = mu.array().log().matrix();
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  std::vector<uint8_t> active;
  bool have_step = false;
  DemeanOptions demean;
  demean.max_iterations = options.max_demean_iterations;
  demean.tolerance = std::max(options.demean_tolerance, 1e-2);
  Eigen::VectorXd z(n);
  Eigen::VectorXd w(n);
  Eigen::VectorXd eta_new(n);
  Eigen::VectorXd mu_new(n);

  // Deviance 2 sum p [y log(y / mu) - (y - mu)] = 2 (c + sum p (mu - y eta)) with
  // c = sum p (y log y - y): no logarithm per step (eta = log mu).
  double deviance_constant = 0;
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    if (y[obs] > 0) deviance_constant += prior[obs] * (y[obs] * std::log(y[obs]) - y[obs]);
  }
  auto deviance_of = [&](const Eigen::VectorXd& lin, const Eigen::VectorXd& mean) {
    double total = 0;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      total += prior[obs] * (mean[obs] - y[obs] * lin[obs]);
    }
    return 2 * (deviance_constant + total);
  };
  double deviance = deviance_of(eta, mu);
  result.converged = false;  // until the stopping rule holds
  std::vector<const double*> demeaned_x(static_cast<size_t>(k));

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
    // eta = z - (z~ - X~ b) + offset, mu = exp(eta) and the deviance, in one pass.
    for (Eigen::Index col = 0; col < k; ++col) {
      demeaned_x[static_cast<size_t>(col)] = columns.col(col + 1).data();
    }
    double deviance_sum = 0;
    const double* z_demeaned = columns.col(0).data();
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      double value = z[obs] - z_demeaned[obs] + offset[obs];
      for (Eigen::Index col = 0; col < k; ++col) {
        value += beta_new[col] * demeaned_x[static_cast<size_t>(col)][obs];
      }
      eta_new[obs] = value;
      const double mean = std::exp(value);
      mu_new[obs] = mean;
      deviance_sum += prior[obs] * (mean - y[obs] * value);
    }
    double deviance_new = 2 * (deviance_constant + deviance_sum);
    for (int halving = 0; have_step && halving < 30 &&
                          (!std::isfinite(deviance_new) || deviance_new > deviance * (1 + 1e-12));
         ++halving) {
      beta_new = (beta_new + beta) / 2;
      eta_new = (eta_new + eta) / 2;
      mu_new = eta_new.array().exp().matrix();
      deviance_new = deviance_of(eta_new, mu_new);
    }
    if (!std::isfinite(deviance_new)) break;
    result.relative_change = std::abs(deviance_new - deviance) / (0.1 + std::abs(deviance_new));
    beta.swap(beta_new);
    eta.swap(eta_new);
    mu.swap(mu_new);
    deviance = deviance_new;
    have_step = true;
    if (result.relative_change < options.tolerance &&
        demean.tolerance <= options.demean_tolerance) {
      result.converged = true;
      break;
    }
    // Tighten the demeaning as the deviance settles (to the final tolerance once it has).
    demean.tolerance = std::max(options.demean_tolerance,
                                std::min(demean.tolerance, 0.1 * result.relative_change));
    if (result.relative_change < options.tolerance) demean.tolerance = options.demean_tolerance;
  }

  // The variance: X~ and the weights of the last step (at the final tolerance when converged),
  // scores at the final mu.
  VcovInputs vin{columns.rightCols(k), w, (prior.array() * (y - mu).array()).matrix(), 1.0, false};
  result.collinear = CollinearNames(result.names, active);
  ComputeVcov(vin, sample, active, options, result);
  result.coefficients = beta;
  for (Eigen::Index col = 0; col < k; ++col) {
    if (active[static_cast<size_t>(col)] == 0) result.coefficients[col] = kNaN;
  }
  result.deviance = deviance;
  {
    double total = 0;
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      total += prior[obs] * (mean_y - y[obs] * std::log(mean_y));
    }
    result.null_deviance = 2 * (deviance_constant + total);
  }
  double llf = 0;
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    llf += prior[obs] *
           ((y[obs] > 0 ? y[obs] * std::log(mu[obs]) : 0.0) - mu[obs] - std::lgamma(y[obs] + 1));
  }
  result.log_likelihood = llf;
  if (options.recover_fixed_effects && sample.fe.dims() > 0) {
    Eigen::VectorXd fe_sum = eta - offset;
    for (Eigen::Index col = 0; col < k; ++col) {
      if (active[static_cast<size_t>(col)] != 0) fe_sum -= beta[col] * x.col(col);
    }
    RecoverFixedEffects(problem, sample, fe_sum, options, result);
  }
  result.fitted = std::move(mu);
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
  Sample sample = MakeSample(problem, keep);
  CheckData(sample.y.size() > 0, "FitOlsFe", "no observation is left after dropping singletons");
  FinishDropped(keep, result);
  const Eigen::Index n = sample.y.size();
  const bool intercept = sample.fe.dims() == 0;
  if (intercept) {
    Eigen::MatrixXd with_constant(n, sample.x.cols() + 1);
    with_constant.col(0).setOnes();
    with_constant.rightCols(sample.x.cols()) = sample.x;
    sample.x = std::move(with_constant);
    result.names.insert(result.names.begin(), "(Intercept)");
  }
  const Eigen::MatrixXd& x = sample.x;
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
  VcovInputs vin{columns.rightCols(k), w, w.cwiseProduct(residual), rss, true};
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

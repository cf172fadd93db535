// Regressions with high-dimensional fixed effects: Poisson pseudo-maximum likelihood (PPML) and
// OLS (the within estimator), with IID, HC1 and one- or two-way clustered standard errors.
//
//   models::FeProblem problem;
//   problem.y = flows;                          // n
//   problem.x = covariates;                     // n x k
//   problem.x_names = {"log_stock"};
//   problem.fe = fe;                            // FixedEffects (fixed_effects.h), any dimensions
//   problem.clusters = {pair_codes};            // one or two code vectors, for kCluster
//   models::FeOptions options;
//   options.vcov = models::VcovType::kCluster;
//   models::FeResult fit = models::FitPpml(problem, options);
//   if (!fit.converged) { ... fit.iterations, fit.relative_change ... }
//   double beta = fit.coefficients[0], se = fit.std_errors[0];
//
// PPML: E[y | x] = exp(x b + offset + sum_d alpha_d). IRLS (as poisson_glm.h) in which each
// weighted least-squares step runs on the working variable z = eta - offset + (y - mu) / mu and
// the covariates, both demeaned within the fixed effects with weights w = mu (Correia, Guimaraes
// & Zylkin 2020, ppmlhdfe): b = (X~' W X~)^-1 X~' W z~, then eta = z - (z~ - X~ b) + offset.
// Start mu = (y + mean y) / 2 (ppmlhdfe), or y + 0.1 (R's glm) when the outcome's coefficient of
// variation exceeds 3 (heavy-tailed flows, where it saves IRLS steps); step-halving on eta while
// the deviance rises; converge when |dev - dev_old| / (0.1 + |dev|) < tolerance at the final
// demeaning tolerance. The demeaning tolerance starts loose (1e-2) and tightens with the deviance
// change down to demean_tolerance; each iteration warm-starts from the previous fixed-effect
// coefficients. Before fitting (fixest's fixef.rm = "perfect", ppmlhdfe's separation(fe)):
// observations of any fixed-effect group whose outcome is all zero are dropped, repeatedly until
// none is left; then separated observations are detected with the iterative rectifier (Correia,
// Guimaraes & Zylkin 2021, ppmlhdfe's separation(ir)) and dropped. Singletons (a group with one
// observation) are kept by default, as fixest does (drop_singletons = true removes them, as
// ppmlhdfe does).
//
// OLS: one demeaning of y and X with the weights, b = (X~' W X~)^-1 X~' W y~. Without fixed
// effects a column "(Intercept)" is added first.
//
// Covariates collinear with the fixed effects or with earlier covariates (a pivot below 1e-9 of
// the column's weighted sum of squares in the Cholesky factor of X~' W X~) are removed and named
// in `collinear`; their coefficient and standard error are NaN.
//
// Variance (fixest's vcov with ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE,
// cluster.df = "min")): bread B = (X~' W X~)^-1, scores s_i = x~_i w_i e_i (OLS, e = y~ - X~ b) or
// x~_i (y_i - mu_i) (PPML, times the weight), K = k + K_fe, K_fe = sum over fixed-effect dimensions
// not nested in a cluster variable of (levels - 1), plus 1 when no dimension is nested (for
// non-clustered variances no dimension is nested):
//   IID:      OLS  B * sum w e^2 / (n - K);   PPML  B * (n - 1) / (n - K)
//   HC1:      B (sum_i s_i s_i') B * n / (n - K)
//   cluster:  B (sum_g S_g S_g') B * G / (G - 1) * (n - 1) / (n - K),  S_g = sum_{i in g} s_i
//   two-way:  (V_1 + V_2 - V_12) with each meat scaled by G_min / (G_min - 1), times (n-1)/(n-K),
//             V_12 clustered by the intersection; when the result is not positive semi-definite
//             its negative eigenvalues are set to 0 (as fixest).
// ssc_adjust = false drops the factor (n - 1)/(n - K) (HC1 then keeps n/(n - 1); IID OLS uses
// sum w e^2 / n); cluster_adjust = false drops G/(G - 1) (and HC1's n/(n - 1)). Tests use the
// normal for PPML (t_df = 0) and Student t with t_df = n - K, or G_min - 1 when clustered, for OLS.
#ifndef KAZMIG_MODELS_FE_REGRESSION_H_
#define KAZMIG_MODELS_FE_REGRESSION_H_

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kazmig/models/fixed_effects.h"

namespace kazmig::models {

struct FeProblem {
  Eigen::VectorXd y;                           // outcome (n)
  Eigen::MatrixXd x;                           // covariates (n x k, k may be 0)
  std::vector<std::string> x_names;            // k names
  FixedEffects fe;                             // dimensions with n codes each (or none)
  Eigen::VectorXd weights;                     // empty: all 1; else positive
  Eigen::VectorXd offset;                      // empty: 0 (PPML: added to the linear predictor)
  std::vector<std::vector<int32_t>> clusters;  // 1 or 2 code vectors (n each) for kCluster
  std::vector<std::string> cluster_names;      // their names (for nesting messages)
};

enum class VcovType { kIid, kHc1, kCluster };

struct FeOptions {
  VcovType vcov = VcovType::kIid;
  bool ssc_adjust = true;          // fixest ssc(adj): (n - 1) / (n - K)
  bool cluster_adjust = true;      // fixest ssc(cluster.adj): G / (G - 1)
  double tolerance = 1e-8;         // IRLS deviance criterion (PPML)
  int max_iterations = 100;        // IRLS iterations (PPML)
  double demean_tolerance = 1e-8;  // final demeaning tolerance (fixed_effects.h)
  int max_demean_iterations = 10000;
  bool drop_singletons = false;   // fixest keeps singletons; ppmlhdfe drops them
  bool detect_separation = true;  // PPML: the iterative rectifier
  bool recover_fixed_effects = false;
  int threads = 1;
};

// Why observations were dropped, with counts (reasons with a zero count are left out).
struct DroppedReason {
  std::string reason;  // e.g. "all-zero outcome in fixed effect 'orig'", "separated", "singleton"
  long long count = 0;
};

struct FeResult {
  std::vector<std::string> names;      // covariate names (as given; plus "(Intercept)" without FE)
  Eigen::VectorXd coefficients;        // NaN for collinear covariates
  Eigen::VectorXd std_errors;          // NaN for collinear covariates
  Eigen::MatrixXd vcov;                // k x k (NaN rows/columns for collinear covariates)
  std::vector<std::string> collinear;  // names of removed covariates
  long long n_obs = 0;                 // observations used
  long long n_dropped = 0;             // observations removed before fitting
  std::vector<DroppedReason> dropped_reasons;
  std::vector<uint8_t> used;  // per input observation: 1 when used
  long long n_params = 0;     // K = k + fixed-effect parameters (for the small-sample factor)
  long long t_df = 0;         // degrees of freedom for t tests (0: use the normal)
  int iterations = 0;         // IRLS iterations (PPML); 1 for OLS
  int demean_iterations = 0;  // total sweeps of the demeaning (all columns, all steps)
  bool converged = true;
  double relative_change = 0;    // last IRLS deviance change (PPML)
  double deviance = 0;           // PPML deviance; OLS residual sum of squares (weighted)
  double null_deviance = 0;      // PPML: deviance of the constant-only model
  double log_likelihood = 0;     // PPML
  double r2 = 0, r2_within = 0;  // OLS
  Eigen::VectorXd fitted;        // per used observation (mu for PPML, y^ for OLS)
  // Fixed-effect estimates (recover_fixed_effects): per dimension, per level of the input coding;
  // NaN for levels without used observations. Normalised as NormaliseFixedEffects.
  std::vector<Eigen::VectorXd> fixed_effects;
};

// Fits PPML with fixed effects. Throws InputError when y has a negative or non-finite value, a
// weight is not positive, or no observation is left after dropping; ComputeError (internal) on
// shapes that do not agree. Non-convergence is reported in the result.
FeResult FitPpml(const FeProblem& problem, const FeOptions& options = {});

// Fits OLS with fixed effects (the within estimator), or plain OLS with an intercept when the
// problem has no fixed-effect dimension.
FeResult FitOlsFe(const FeProblem& problem, const FeOptions& options = {});

// Two-sided p-value of a Wald statistic: Student t with `df` degrees of freedom, or the standard
// normal when df <= 0. NaN for a non-finite statistic.
double TwoSidedPValue(double statistic, long long df);
// The critical value c with P(|T| > c) = 1 - level (T as above), e.g. 1.959964 for level 0.95
// and df <= 0.
double CriticalValue(double level, long long df);

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_FE_REGRESSION_H_

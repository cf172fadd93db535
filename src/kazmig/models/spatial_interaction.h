// The doubly-constrained spatial-interaction model (Wilson 1971) as a Poisson model with origin and
// destination fixed effects: m_ij ~ Poisson(mu_ij), log mu_ij = a_i + b_j + beta f(c_ij), i != j,
// with f(c) = ln c (`kPower`, the distance-decay form migest's index_distance uses) or f(c) = c
// (`kExponential`). Equals two-way fixed-effects PPML.
//
//   models::DoublyConstrainedFit fit =
//       models::FitDoublyConstrained(flows, distances, models::CostForm::kPower);
//   if (fit.converged) Use(fit.beta, fit.beta_se);
//
// Observations are the off-diagonal pairs whose origin has out-flows and whose destination has
// in-flows (a region with no out-flows has a_i = -inf: its row is fitted as 0 and left out).
// Two solvers give the same estimates:
//   * small systems (<= kMaxDummyRegions regions): the Poisson GLM (poisson_glm.h) with explicit
//     constant + origin + destination dummies (first level of each dropped);
//   * larger systems: the profile likelihood in beta. For fixed beta the fixed-effect MLE is the
//     Furness (IPF) balancing A_i = O_i / sum_j B_j K_ij, B_j = D_j / sum_i A_i K_ij with
//     K_ij = exp(beta f(c_ij)) (Fotheringham & O'Kelly 1989); the profile score
//     g(beta) = sum f(c_ij) (m_ij - mu_ij(beta)) is decreasing in beta (the profile log-likelihood
//     is concave), and its root is found by bracketing and the Illinois regula falsi, stopping
//     when |delta beta| < 1e-10 (1 + |beta|). The standard error is 1/sqrt(-g'(beta)), with g'
//     by central differences (the observed information of the profile likelihood).
#ifndef KAZMIG_MODELS_SPATIAL_INTERACTION_H_
#define KAZMIG_MODELS_SPATIAL_INTERACTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::models {

enum class CostForm { kPower, kExponential };

// Regions up to which FitDoublyConstrained uses the GLM with explicit dummies.
inline constexpr size_t kMaxDummyRegions = 60;

enum class DoublyConstrainedSolver { kAuto, kGlm, kProfile };

struct DoublyConstrainedOptions {
  DoublyConstrainedSolver solver = DoublyConstrainedSolver::kAuto;
  double tolerance = 1e-10;  // on beta (profile) / relative deviance change 1e-8 (GLM)
  int max_iterations = 200;
};

struct DoublyConstrainedFit {
  double beta = 0;
  double beta_se = 0;
  FlowMatrix fitted;  // mu_ij (0 on the diagonal and for left-out rows/columns)
  double deviance = 0;
  double log_likelihood = 0;
  size_t observations = 0;
  int iterations = 0;
  bool converged = false;
  std::string solver;  // "glm" or "profile"
};

// Fits the model. Throws ComputeError when sizes differ, a flow is negative or non-finite, a used
// cost is not finite (or not positive for kPower), or fewer than 2 regions send and receive flows.
DoublyConstrainedFit FitDoublyConstrained(const FlowMatrix& flows, const FlowMatrix& cost,
                                          CostForm form,
                                          const DoublyConstrainedOptions& options = {});

// ---------------------------------------------------------------------------------------------
// The spatial-interaction family (Wilson 1971; Fotheringham & O'Kelly 1989) on a table of flows,
// with the same design, estimates and fit statistics as PySAL spint's Gravity, Production,
// Attraction and Doubly classes (constant included):
//
//   constraint    log mu_ij =
//   kNone         k + sum_p mu_p ln V_ip + sum_q alpha_q ln W_jq + beta f(c_ij)
//   kProduction   k + origin effect a_i + sum_q alpha_q ln W_jq + beta f(c_ij)
//   kAttraction   k + destination effect b_j + sum_p mu_p ln V_ip + beta f(c_ij)
//   kDoubly       k + a_i + b_j + beta f(c_ij)
//
// with f(c) = c (kExponential, spint 'exp') or ln c (kPower, 'pow'). The effect of the first
// origin (destination) level is 0, so k is the log-mean of level 0 -> level 0 at f = 0 (spint
// orders levels as numpy.unique does: callers give codes in sorted label order).
//
//   models::SpatialInteractionData data;  // one entry per flow: orig, dest, flow, cost, vars
//   models::SpatialInteractionOptions options;
//   options.constraint = models::SpatialConstraint::kDoubly;
//   models::SpatialInteractionFit fit = models::FitSpatialInteraction(data, options);
//   if (fit.converged) Use(fit.beta, fit.beta_se, fit.pseudo_r2, fit.srmse);
//
// Solvers (same estimates):
//   * kGlm: the Poisson GLM (poisson_glm.h) with spint's design, the constant, the effects as
//     dummies of levels 1.., then ln V, ln W and f(c);
//   * kBalancing (production, attraction, doubly): the fixed effects concentrated out by
//     balancing. One-sided (production; attraction symmetric): for given gamma = (alpha, beta),
//     A_i = O_i / sum_j exp(x_ij gamma) makes the origin totals exact, and the concentrated
//     log-likelihood sum y x gamma - sum_i O_i ln sum_j exp(x_ij gamma) is concave: Newton steps
//     with step-halving, stopping when the largest |step| < 1e-10 (1 + |gamma|). Doubly: the
//     Furness balancing A_i = O_i / sum_j B_j K_ij, B_j = D_j / sum_i A_i K_ij, K = exp(beta f)
//     (on a dense kernel, SQUAREM-accelerated, on `threads`) and the root of the profile score
//     sum f (y - mu) in beta by bracketing and the Illinois regula falsi, to |delta beta| <
//     1e-9 (1 + |beta|), as FitDoublyConstrained; SE(beta) = 1 / sqrt(-g'(beta)), a forward
//     difference (relative error about 1e-5).
//   kAuto takes the GLM when the model has at most kMaxDummyRegions levels per effect.
// Standard errors are model-based, sqrt(diag((X' W X)^-1)), as spint's (by default with spint's
// iteration, see spint_iteration below). From balancing they are
// the same: the Schur complement of the effects (for beta and the covariates), and, one-sided,
// 1/O_i + xbar_i' S^-1 xbar_i for the effects; the doubly-constrained balancing gives no standard
// error for the constant and the effects (NaN).
//
// Observations: every flow given. An origin whose flows are all zero (production, doubly) or a
// destination likewise (attraction, doubly) has an effect of -infinity: its flows are left out
// (counted in n_dropped) and fitted as 0.
//
// Fit statistics (spint/spglm): llf = sum [y ln mu - mu - lgamma(y + 1)]; llnull the same at
// mu = mean(y); deviance 2 sum [y ln(y / mu) - (y - mu)] (spint's 2 sum y ln(y / mu) with
// spint_iteration: the same where sum mu = sum y, as at the MLE), null deviance at mean(y);
// aic = -2 llf + 2k; D2 = 1 - dev / dev_null; adj_D2 = 1 - (n - 1) / (n - k) (1 - D2);
// pseudo_R2 = 1 - llf / llnull; adj_pseudo_R2 = 1 - (llf - k) / llnull;
// SRMSE = sqrt(sum (y - mu)^2 / n) / (sum y / n); SSI = (1 / n) sum 2 min(y, mu) / (y + mu);
// k = the number of estimated coefficients, constant and effects included.

enum class SpatialConstraint { kNone, kProduction, kAttraction, kDoubly };

// The flows, one entry per origin-destination pair (the diagonal is the caller's choice).
struct SpatialInteractionData {
  // Level codes as io::ModelColumn holds them (the table's vectors are handed over, not copied).
  std::vector<int32_t> orig;  // origin level, 0..n_orig-1 (level 0 is the reference)
  std::vector<int32_t> dest;  // destination level, 0..n_dest-1
  size_t n_orig = 0;
  size_t n_dest = 0;
  std::vector<double> flow;  // >= 0
  std::vector<double> cost;  // c_ij, finite (> 0 for kPower)
  // Origin (V) and destination (W) attributes, one vector per variable, one value per flow,
  // > 0: the model takes their logarithms.
  std::vector<std::vector<double>> origin_vars;
  std::vector<std::vector<double>> dest_vars;
  // Names used in error messages (optional; "origin attribute 1" etc. otherwise).
  std::vector<std::string> origin_var_names, dest_var_names;
};

enum class SpatialSolver { kAuto, kGlm, kBalancing };

struct SpatialInteractionOptions {
  SpatialConstraint constraint = SpatialConstraint::kDoubly;
  CostForm cost_form = CostForm::kExponential;
  SpatialSolver solver = SpatialSolver::kAuto;
  int max_iterations = 200;
  // Threads of the doubly-constrained balancing (the results are the same for any number).
  int threads = 1;
  // The GLM solver iterates as spint does (GlmIteration::kSpglm: it stops when the smallest
  // coefficient change is below 1e-6, and takes the standard errors from the weights at the start
  // of the last step) and reports spint's deviance, 2 sum y ln(y / mu): the figures are spint's to
  // the last printed digit. False: IRLS to convergence (|delta dev| / (0.1 + |dev|) < 1e-8) and
  // the deviance below; the two differ by about 1e-8 (statistics) and 1e-4 (standard errors,
  // relative). The balancing solvers always converge fully.
  bool spint_iteration = true;
  // Fill SpatialInteractionFit::fitted (mu per flow); false leaves it empty (a vector of the
  // flows' size less, for callers that only report the coefficients and statistics).
  bool fitted = true;
  // The doubly-constrained balancing reads the data straight into its dense matrix when the flows
  // come in runs by origin, each pair once, on at least half of the cells (the same figures to the
  // last bit, without copies of the data); false always builds the design (tests compare the two).
  bool direct = true;
};

struct SpatialInteractionFit {
  double intercept = 0, intercept_se = 0;
  // Effects by level (level 0 = 0 with NaN standard error); empty when the model has none.
  std::vector<double> origin_effects, origin_effect_se;
  std::vector<double> dest_effects, dest_effect_se;
  // Elasticities of the logged attributes.
  std::vector<double> origin_coefs, origin_coef_se;
  std::vector<double> dest_coefs, dest_coef_se;
  double beta = 0, beta_se = 0;  // cost coefficient
  std::vector<double> fitted;    // mu per flow (0 for dropped flows)

  double deviance = 0, null_deviance = 0, llf = 0, llnull = 0, aic = 0;
  double d2 = 0, adj_d2 = 0, pseudo_r2 = 0, adj_pseudo_r2 = 0, srmse = 0, ssi = 0;
  size_t n_obs = 0;      // flows used
  size_t n_dropped = 0;  // flows of all-zero origins/destinations (see above)
  size_t k = 0;          // estimated coefficients (constant and effects included)
  int iterations = 0;
  bool converged = false;
  double remaining_change = 0;  // last relative change when not converged
  std::string solver;           // "glm" or "balancing"
};

// Fits the model. Throws InputError when a flow is negative or not finite, a cost is not finite
// (or not positive for kPower), an attribute is not positive or is collinear with the rest of the
// design, or no flow is positive; UsageError when an attribute is given that the constraint's
// effects absorb (origin attributes with origin effects, destination likewise); ComputeError
// (internal) when sizes differ.
// Non-convergence is reported in the result.
SpatialInteractionFit FitSpatialInteraction(const SpatialInteractionData& data,
                                            const SpatialInteractionOptions& options = {});
// The same, and the doubly-constrained balancing may keep its kernel in data.cost's storage once
// it has read the costs (memory the caller has filled already, not a fresh array of the same
// size): `data` is left valid but unspecified.
SpatialInteractionFit FitSpatialInteraction(SpatialInteractionData&& data,
                                            const SpatialInteractionOptions& options = {});

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_SPATIAL_INTERACTION_H_

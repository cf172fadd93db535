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
#include <string>

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

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_SPATIAL_INTERACTION_H_

#include "kazmig/models/spatial_interaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/models/poisson_glm.h"

namespace kazmig::models {
namespace {

struct Observation {
  size_t orig;
  size_t dest;
  double flow;
  double cost;  // f(c_ij)
};

std::vector<Observation> CollectObservations(const FlowMatrix& flows, const FlowMatrix& cost,
                                             CostForm form) {
  const size_t n = flows.size();
  CheckSameSize("FitDoublyConstrained", "cost regions", cost.size(), "flow regions", n);
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  std::vector<Observation> observations;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double flow = flows(orig_idx, dest_idx);
      const bool flow_ok = std::isfinite(flow) && flow >= 0;
      CheckData(flow_ok, "FitDoublyConstrained",
                flow_ok ? "" : fmt::format("flow {} -> {} is {}", orig_idx, dest_idx, flow));
      if (out[orig_idx] <= 0 || in[dest_idx] <= 0) continue;
      const double c = cost(orig_idx, dest_idx);
      const bool cost_ok = std::isfinite(c) && (form != CostForm::kPower || c > 0);
      CheckData(cost_ok, "FitDoublyConstrained",
                cost_ok ? ""
                        : fmt::format(
                              "cost {} -> {} is {} (must be {})", orig_idx, dest_idx, c,
                              form == CostForm::kPower ? "positive for the power form" : "finite"));
      observations.push_back(
          {orig_idx, dest_idx, flow, form == CostForm::kPower ? std::log(c) : c});
    }
  }
  return observations;
}

DoublyConstrainedFit FitByGlm(const FlowMatrix& flows, const std::vector<Observation>& obs,
                              const DoublyConstrainedOptions& options) {
  const size_t n = flows.size();
  // Dense index of the origins and destinations in use.
  std::vector<int> orig_level(n, -1), dest_level(n, -1);
  int n_orig = 0, n_dest = 0;
  for (const auto& o : obs) {
    if (orig_level[o.orig] < 0) orig_level[o.orig] = n_orig++;
    if (dest_level[o.dest] < 0) dest_level[o.dest] = n_dest++;
  }
  const Eigen::Index n_obs = static_cast<Eigen::Index>(obs.size());
  const Eigen::Index n_coef = 1 + (n_orig - 1) + (n_dest - 1) + 1;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n_obs, n_coef);
  Eigen::VectorXd y(n_obs);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    const Observation& o = obs[obs_idx];
    x(obs_idx, 0) = 1;
    if (orig_level[o.orig] > 0) x(obs_idx, orig_level[o.orig]) = 1;
    if (dest_level[o.dest] > 0) x(obs_idx, n_orig - 1 + dest_level[o.dest]) = 1;
    x(obs_idx, n_coef - 1) = o.cost;
    y[obs_idx] = o.flow;
  }
  PoissonGlmOptions glm_options;
  glm_options.max_iterations = options.max_iterations;
  const PoissonGlmResult glm = FitPoissonGlm(x, y, Eigen::VectorXd(), glm_options);
  DoublyConstrainedFit fit;
  fit.solver = "glm";
  fit.beta = glm.coefficients[n_coef - 1];
  fit.beta_se = glm.std_errors[n_coef - 1];
  fit.deviance = glm.deviance;
  fit.log_likelihood = glm.log_likelihood;
  fit.iterations = glm.iterations;
  fit.converged = glm.converged;
  fit.observations = obs.size();
  fit.fitted = FlowMatrix(flows.size());
  fit.fitted.set_ids(flows.ids());
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    fit.fitted(obs[obs_idx].orig, obs[obs_idx].dest) = glm.fitted[obs_idx];
  }
  return fit;
}

// Furness balancing for one beta; warm-starts from and updates `a`, `b`. Fills `mu` per
// observation and returns the profile score sum f (y - mu).
class FurnessProfile {
 public:
  FurnessProfile(size_t n, const std::vector<Observation>& obs) : n_(n), obs_(obs) {
    out_.assign(n, 0);
    in_.assign(n, 0);
    for (const auto& o : obs) {
      out_[o.orig] += o.flow;
      in_[o.dest] += o.flow;
    }
    a_.assign(n, 1);
    b_.assign(n, 1);
    kernel_.resize(obs.size());
    mu_.resize(obs.size());
  }

  double Score(double beta) {
    for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
      kernel_[obs_idx] = std::exp(beta * obs_[obs_idx].cost);
    }
    std::vector<double> sum(n_);
    for (int sweep = 0; sweep < 10000; ++sweep) {
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        sum[obs_[obs_idx].orig] += b_[obs_[obs_idx].dest] * kernel_[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (out_[region_idx] > 0) a_[region_idx] = out_[region_idx] / sum[region_idx];
      }
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        sum[obs_[obs_idx].dest] += a_[obs_[obs_idx].orig] * kernel_[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (in_[region_idx] > 0) b_[region_idx] = in_[region_idx] / sum[region_idx];
      }
      // After the column step the columns match; check the rows.
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        mu_[obs_idx] = a_[obs_[obs_idx].orig] * b_[obs_[obs_idx].dest] * kernel_[obs_idx];
        sum[obs_[obs_idx].orig] += mu_[obs_idx];
      }
      double worst = 0;
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (out_[region_idx] > 0) {
          worst = std::max(worst, std::abs(sum[region_idx] / out_[region_idx] - 1));
        }
      }
      if (worst < 1e-13) break;
    }
    double score = 0;
    for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
      score += obs_[obs_idx].cost * (obs_[obs_idx].flow - mu_[obs_idx]);
    }
    return score;
  }
  const std::vector<double>& mu() const { return mu_; }

 private:
  size_t n_;
  const std::vector<Observation>& obs_;
  std::vector<double> out_, in_, a_, b_, kernel_, mu_;
};

DoublyConstrainedFit FitByProfile(const FlowMatrix& flows, const std::vector<Observation>& obs,
                                  const DoublyConstrainedOptions& options) {
  FurnessProfile profile(flows.size(), obs);
  // Scale of the cost to size the first bracketing step.
  double mean = 0, sq = 0;
  for (const auto& o : obs) mean += o.cost;
  mean /= static_cast<double>(obs.size());
  for (const auto& o : obs) sq += (o.cost - mean) * (o.cost - mean);
  const double sd = std::sqrt(sq / static_cast<double>(obs.size()));
  const double step0 = sd > 0 ? 1.0 / sd : 1.0;

  DoublyConstrainedFit fit;
  fit.solver = "profile";
  int evaluations = 0;
  double lo = 0, g_lo = profile.Score(0);
  ++evaluations;
  double hi = lo, g_hi = g_lo;
  // g is decreasing: a positive score means the root lies above.
  const double direction = g_lo > 0 ? 1.0 : -1.0;
  double step = step0;
  bool bracketed = g_lo == 0;
  while (!bracketed && evaluations < options.max_iterations) {
    hi = lo + direction * step;
    g_hi = profile.Score(hi);
    ++evaluations;
    if (!std::isfinite(g_hi)) break;
    if ((g_hi > 0) != (g_lo > 0) || g_hi == 0) {
      bracketed = true;
    } else {
      lo = hi;
      g_lo = g_hi;
      step *= 2;
    }
  }
  double beta = lo;
  if (bracketed && g_lo != 0) {
    // Illinois regula falsi on [lo, hi].
    int side = 0;
    double previous = std::nan("");
    while (evaluations < options.max_iterations) {
      beta = (lo * g_hi - hi * g_lo) / (g_hi - g_lo);
      const double g = profile.Score(beta);
      ++evaluations;
      const double scale = options.tolerance * (1 + std::abs(beta));
      if (std::abs(hi - lo) < scale || std::abs(beta - previous) < scale || g == 0) {
        fit.converged = true;
        break;
      }
      if ((g > 0) == (g_hi > 0)) {
        hi = beta;
        g_hi = g;
        if (side == -1) g_lo /= 2;
        side = -1;
      } else {
        lo = beta;
        g_lo = g;
        if (side == 1) g_hi /= 2;
        side = 1;
      }
      previous = beta;
    }
  } else if (g_lo == 0) {
    fit.converged = true;
  }
  // Observed profile information by central differences, then the fit at beta.
  const double h = 1e-5 * std::max(1.0, std::abs(beta)) * (sd > 0 ? 1.0 / sd : 1.0);
  const double g_plus = profile.Score(beta + h);
  const double g_minus = profile.Score(beta - h);
  const double slope = (g_plus - g_minus) / (2 * h);
  fit.beta_se = slope < 0 ? 1.0 / std::sqrt(-slope) : std::nan("");
  profile.Score(beta);
  fit.beta = beta;
  fit.iterations = evaluations;
  fit.observations = obs.size();
  fit.fitted = FlowMatrix(flows.size());
  fit.fitted.set_ids(flows.ids());
  Eigen::VectorXd y(static_cast<Eigen::Index>(obs.size())), mu(y.size());
  for (size_t obs_idx = 0; obs_idx < obs.size(); ++obs_idx) {
    fit.fitted(obs[obs_idx].orig, obs[obs_idx].dest) = profile.mu()[obs_idx];
    y[static_cast<Eigen::Index>(obs_idx)] = obs[obs_idx].flow;
    mu[static_cast<Eigen::Index>(obs_idx)] = profile.mu()[obs_idx];
  }
  fit.deviance = PoissonDeviance(y, mu);
  double llf = 0;
  for (Eigen::Index obs_idx = 0; obs_idx < y.size(); ++obs_idx) {
    llf += (y[obs_idx] > 0 ? y[obs_idx] * std::log(mu[obs_idx]) : 0.0) - mu[obs_idx] -
           std::lgamma(y[obs_idx] + 1);
  }
  fit.log_likelihood = llf;
  return fit;
}

}  // namespace

DoublyConstrainedFit FitDoublyConstrained(const FlowMatrix& flows, const FlowMatrix& cost,
                                          CostForm form, const DoublyConstrainedOptions& options) {
  const std::vector<Observation> obs = CollectObservations(flows, cost, form);
  size_t senders = 0, receivers = 0;
  {
    std::vector<char> s(flows.size(), 0), r(flows.size(), 0);
    for (const auto& o : obs) {
      s[o.orig] = 1;
      r[o.dest] = 1;
    }
    for (size_t region_idx = 0; region_idx < flows.size(); ++region_idx) {
      senders += s[region_idx];
      receivers += r[region_idx];
    }
  }
  if (senders < 2 || receivers < 2) {
    throw ComputeError(
        "FitDoublyConstrained: fewer than two regions send and receive flows; the distance "
        "decay is not identified");
  }
  const bool use_glm = options.solver == DoublyConstrainedSolver::kGlm ||
                       (options.solver == DoublyConstrainedSolver::kAuto &&
                        std::max(senders, receivers) <= kMaxDummyRegions);
  return use_glm ? FitByGlm(flows, obs, options) : FitByProfile(flows, obs, options);
}

}  // namespace kazmig::models

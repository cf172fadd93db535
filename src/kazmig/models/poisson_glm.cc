#include "kazmig/models/poisson_glm.h"

#include <cmath>
#include <limits>
#include <vector>

#include "kazmig/core/check.h"

namespace kazmig::models {

double PoissonDeviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double deviance = 0;
  for (Eigen::Index obs_idx = 0; obs_idx < y.size(); ++obs_idx) {
    const double yi = y[obs_idx];
    const double mi = mu[obs_idx];
    deviance += (yi > 0 ? yi * std::log(yi / mi) : 0.0) - (yi - mi);
  }
  return 2 * deviance;
}

namespace {

double LogLikelihood(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double llf = 0;
  for (Eigen::Index obs_idx = 0; obs_idx < y.size(); ++obs_idx) {
    const double yi = y[obs_idx];
    llf += (yi > 0 ? yi * std::log(mu[obs_idx]) : 0.0) - mu[obs_idx] - std::lgamma(yi + 1);
  }
  return llf;
}

}  // namespace

PoissonGlmResult FitPoissonGlm(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& offset_in, const PoissonGlmOptions& options) {
  CheckData(x.rows() > 0, "FitPoissonGlm", "the design has no observations");
  CheckSameSize("FitPoissonGlm", "y", static_cast<size_t>(y.size()), "rows of X",
                static_cast<size_t>(x.rows()));
  if (offset_in.size() != 0) {
    CheckSameSize("FitPoissonGlm", "offset", static_cast<size_t>(offset_in.size()), "y",
                  static_cast<size_t>(y.size()));
  }
  CheckNonNegative("FitPoissonGlm", "y", std::vector<double>(y.data(), y.data() + y.size()));
  CheckData(x.allFinite(), "FitPoissonGlm", "the design has a non-finite value");
  const Eigen::Index n_obs = x.rows();
  const Eigen::Index n_coef = x.cols();
  const Eigen::VectorXd offset =
      offset_in.size() == 0 ? Eigen::VectorXd::Zero(n_obs) : Eigen::VectorXd(offset_in);

  PoissonGlmResult result;
  const bool spglm = options.iteration == GlmIteration::kSpglm;
  Eigen::VectorXd mu = (y.array() + 0.1).matrix();
  if (spglm) mu = ((y.array() + y.mean()) / 2).matrix();
  Eigen::VectorXd mu_step_start = mu;  // spglm: the weights of the last step
  Eigen::VectorXd eta = mu.array().log().matrix();
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(n_coef);
  double deviance = PoissonDeviance(y, mu);
  bool have_beta = false;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;

  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    result.iterations = iteration;
    mu_step_start = mu;
    const Eigen::ArrayXd w = mu.array();
    const Eigen::ArrayXd sqrt_w = w.sqrt();
    const Eigen::VectorXd z =
        (eta.array() - offset.array() + (y.array() - mu.array()) / mu.array()).matrix();
    const Eigen::MatrixXd wx = sqrt_w.matrix().asDiagonal() * x;
    qr.compute(wx);
    Eigen::VectorXd beta_new = qr.solve((sqrt_w * z.array()).matrix());
    result.rank = static_cast<int>(qr.rank());

    // Step-halving towards the previous coefficients while the deviance is not finite or rises.
    Eigen::VectorXd eta_new = x * beta_new + offset;
    Eigen::VectorXd mu_new = eta_new.array().exp().matrix();
    double deviance_new = PoissonDeviance(y, mu_new);
    for (int halving = 0; !spglm && have_beta && halving < 30 &&
                          (!std::isfinite(deviance_new) || deviance_new > deviance * (1 + 1e-12));
         ++halving) {
      beta_new = (beta_new + beta) / 2;
      eta_new = x * beta_new + offset;
      mu_new = eta_new.array().exp().matrix();
      deviance_new = PoissonDeviance(y, mu_new);
    }
    if (!std::isfinite(deviance_new)) break;
    result.relative_change = std::abs(deviance_new - deviance) / (0.1 + std::abs(deviance_new));
    const double smallest_step = n_coef > 0 ? (beta_new - beta).cwiseAbs().minCoeff() : 0.0;
    beta = beta_new;
    eta = eta_new;
    mu = mu_new;
    deviance = deviance_new;
    have_beta = true;
    if (spglm ? smallest_step < options.spglm_tolerance
              : result.relative_change < options.tolerance) {
      result.converged = true;
      break;
    }
  }

  result.coefficients = beta;
  result.fitted = mu;
  result.deviance = deviance;
  result.log_likelihood = LogLikelihood(y, mu);
  const double mean_y = y.mean();
  result.null_deviance = PoissonDeviance(y, Eigen::VectorXd::Constant(n_obs, mean_y));

  // Standard errors from (X' W X)^-1 over the identified columns.
  result.std_errors = Eigen::VectorXd::Constant(n_coef, std::numeric_limits<double>::quiet_NaN());
  const Eigen::MatrixXd wx = (spglm ? mu_step_start : mu).array().sqrt().matrix().asDiagonal() * x;
  qr.compute(wx);
  result.rank = static_cast<int>(qr.rank());
  if (qr.rank() == n_coef) {
    const Eigen::MatrixXd information = wx.transpose() * wx;
    const Eigen::MatrixXd covariance =
        information.ldlt().solve(Eigen::MatrixXd::Identity(n_coef, n_coef));
    result.std_errors = covariance.diagonal().array().sqrt().matrix();
  } else {
    // Aliased columns: coefficients of the identified subset only.
    const Eigen::Index rank = qr.rank();
    const auto& permutation = qr.colsPermutation();
    Eigen::MatrixXd sub(n_obs, rank);
    for (Eigen::Index col = 0; col < rank; ++col) sub.col(col) = wx.col(permutation.indices()[col]);
    const Eigen::MatrixXd covariance =
        (sub.transpose() * sub).ldlt().solve(Eigen::MatrixXd::Identity(rank, rank));
    for (Eigen::Index col = 0; col < rank; ++col) {
      result.std_errors[permutation.indices()[col]] = std::sqrt(covariance(col, col));
    }
  }
  return result;
}

}  // namespace kazmig::models

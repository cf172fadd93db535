// Counterfactual prediction from a fitted model: the change of a prediction when covariates
// change, with a delta-method interval from the coefficient covariance (no refit).
//
//   Eigen::VectorXd beta = fit.coefficients;  Eigen::MatrixXd vcov = fit.vcov;
//   Eigen::VectorXd dx(4);  dx << std::log(1.2), 0, 0, 0;          // +20% income
//   models::Prediction lin = models::PredictLinearChange(beta, vcov, dx, 1.96);
//   // lin.value = dx'b, lin.std_error = sqrt(dx' V dx) (exact for a linear model)
//   models::Prediction ppml = models::PredictExpChange(12000, beta, vcov, dx, 1.96);
//   // base * (exp(dx'b) - 1), se by the delta method (gradient base * exp(dx'b) * dx)
//
// Delta method (e.g. Greene, Econometric Analysis, 7th ed., theorem D.21A): for a smooth g,
// Var g(b) ≈ ∇g(b)' V ∇g(b); the interval is g(b) ± z · se. A sum of predictions (a group of
// regions) uses the summed gradient, so covariances between the terms are kept.
#ifndef KAZMIG_MODELS_PREDICTION_H_
#define KAZMIG_MODELS_PREDICTION_H_

#include <Eigen/Dense>
#include <cstdint>

namespace kazmig::models {

struct Prediction {
  double value = 0;
  double std_error = 0;
  double low = 0;            // value - z * std_error
  double high = 0;           // value + z * std_error
  Eigen::VectorXd gradient;  // d value / d beta
};

// The interval of `value` with gradient `gradient`: se = sqrt(g' V g). Throws ComputeError
// (internal) on mismatched sizes.
Prediction DeltaMethod(double value, const Eigen::VectorXd& gradient, const Eigen::MatrixXd& vcov,
                       double z);

// Linear model: the change dx'b of the prediction when the covariates change by dx.
Prediction PredictLinearChange(const Eigen::VectorXd& beta, const Eigen::MatrixXd& vcov,
                               const Eigen::VectorXd& dx, double z);

// Log-link (Poisson/PPML) model: the change base * (exp(dx'b) - 1) of a prediction `base` (the
// fitted or observed level; taken as known) when the covariates change by dx.
Prediction PredictExpChange(double base, const Eigen::VectorXd& beta, const Eigen::MatrixXd& vcov,
                            const Eigen::VectorXd& dx, double z);

// The sum of several predictions of the same model (gradients added): one interval for a group.
Prediction SumPredictions(const Prediction* first, const Prediction* last,
                          const Eigen::MatrixXd& vcov, double z);

// The normal quantile z with P(|Z| <= z) = level (e.g. 0.95 -> 1.959964); level in (0, 1).
double NormalQuantileTwoSided(double level);

// Draws `count` vectors from N(mean, vcov) with a seeded std::mt19937_64 (Box–Muller on its raw
// output; Cholesky of vcov, a positive semi-definite matrix by LDLT). One column per draw. For
// checks of the delta method by simulation.
Eigen::MatrixXd DrawNormal(const Eigen::VectorXd& mean, const Eigen::MatrixXd& vcov, int count,
                           std::uint64_t seed);

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_PREDICTION_H_

#include "kazmig/models/prediction.h"

#include <cmath>
#include <numbers>
#include <random>

#include "kazmig/core/error.h"

namespace kazmig::models {

Prediction DeltaMethod(double value, const Eigen::VectorXd& gradient, const Eigen::MatrixXd& vcov,
                       double z) {
  if (vcov.rows() != gradient.size() || vcov.cols() != gradient.size()) {
    throw ComputeError("DeltaMethod: gradient and covariance differ in size (internal)");
  }
  Prediction out;
  out.value = value;
  out.gradient = gradient;
  const double variance = gradient.dot(vcov * gradient);
  out.std_error = std::sqrt(std::max(variance, 0.0));
  out.low = value - z * out.std_error;
  out.high = value + z * out.std_error;
  return out;
}

Prediction PredictLinearChange(const Eigen::VectorXd& beta, const Eigen::MatrixXd& vcov,
                               const Eigen::VectorXd& dx, double z) {
  if (beta.size() != dx.size()) {
    throw ComputeError("PredictLinearChange: coefficients and changes differ in size (internal)");
  }
  return DeltaMethod(dx.dot(beta), dx, vcov, z);
}

Prediction PredictExpChange(double base, const Eigen::VectorXd& beta, const Eigen::MatrixXd& vcov,
                            const Eigen::VectorXd& dx, double z) {
  if (beta.size() != dx.size()) {
    throw ComputeError("PredictExpChange: coefficients and changes differ in size (internal)");
  }
  const double factor = std::exp(dx.dot(beta));
  return DeltaMethod(base * (factor - 1.0), base * factor * dx, vcov, z);
}

Prediction SumPredictions(const Prediction* first, const Prediction* last,
                          const Eigen::MatrixXd& vcov, double z) {
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(vcov.rows());
  double value = 0;
  for (const Prediction* p = first; p != last; ++p) {
    value += p->value;
    gradient += p->gradient;
  }
  return DeltaMethod(value, gradient, vcov, z);
}

double NormalQuantileTwoSided(double level) {
  if (!(level > 0 && level < 1)) throw ComputeError("NormalQuantileTwoSided: level not in (0, 1)");
  // Solve 2 Phi(z) - 1 = level by Newton's method on erf (converges in a few steps).
  double z = 2.0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double f = std::erf(z / std::numbers::sqrt2) - level;
    const double df = std::sqrt(2.0 / std::numbers::pi) * std::exp(-0.5 * z * z);
    const double step = f / df;
    z -= step;
    if (std::abs(step) < 1e-14) break;
  }
  return z;
}

Eigen::MatrixXd DrawNormal(const Eigen::VectorXd& mean, const Eigen::MatrixXd& vcov, int count,
                           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // A uniform in (0, 1) from the top 53 bits of a raw draw.
  auto uniform = [&rng] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  Eigen::LDLT<Eigen::MatrixXd> ldlt(vcov);
  const Eigen::VectorXd d = ldlt.vectorD().cwiseMax(0.0).cwiseSqrt();
  const Eigen::MatrixXd lower = ldlt.matrixL();
  const Eigen::MatrixXd factor = ldlt.transpositionsP().transpose() * (lower * d.asDiagonal());
  const Eigen::Index k = mean.size();
  Eigen::MatrixXd out(k, count);
  Eigen::VectorXd normal(k);
  for (int draw = 0; draw < count; ++draw) {
    for (Eigen::Index idx = 0; idx < k; idx += 2) {
      const double radius = std::sqrt(-2.0 * std::log(uniform()));
      const double angle = 2.0 * std::numbers::pi * uniform();
      normal[idx] = radius * std::cos(angle);
      if (idx + 1 < k) normal[idx + 1] = radius * std::sin(angle);
    }
    out.col(draw) = mean + factor * normal;
  }
  return out;
}

}  // namespace kazmig::models

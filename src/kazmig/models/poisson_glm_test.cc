#include "kazmig/models/poisson_glm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

TEST(PoissonGlm, RecoversKnownCoefficientsOnSimulatedData) {
  Rng rng(20240601);
  const Eigen::Index n_obs = 4000;
  const Eigen::Vector3d truth(0.5, -0.8, 0.3);
  Eigen::MatrixXd x(n_obs, 3);
  Eigen::VectorXd y(n_obs);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    x(obs_idx, 0) = 1;
    x(obs_idx, 1) = rng.Normal();
    x(obs_idx, 2) = rng.Uniform(-1, 2);
    y[obs_idx] = static_cast<double>(rng.Poisson(std::exp(x.row(obs_idx).dot(truth))));
  }
  const PoissonGlmResult fit = FitPoissonGlm(x, y);
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.rank, 3);
  for (int coef_idx = 0; coef_idx < 3; ++coef_idx) {
    // Within 4 standard errors of the truth (fails by chance with probability < 1e-4).
    EXPECT_LT(std::abs(fit.coefficients[coef_idx] - truth[coef_idx]), 4 * fit.std_errors[coef_idx])
        << coef_idx;
    EXPECT_LT(fit.std_errors[coef_idx], 0.05);
  }
  // Score equations hold at the MLE: X'(y - mu) = 0.
  const Eigen::VectorXd score = x.transpose() * (y - fit.fitted);
  EXPECT_LT(score.cwiseAbs().maxCoeff(), 1e-5 * y.sum());
}

TEST(PoissonGlm, SingleGroupMeanIsClosedForm) {
  // Constant-only model: exp(b0) = mean(y); deviance equals the null deviance.
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(5, 1);
  Eigen::VectorXd y(5);
  y << 0, 1, 4, 2, 3;
  const PoissonGlmResult fit = FitPoissonGlm(x, y);
  ASSERT_TRUE(fit.converged);
  EXPECT_TRUE(NearRel(std::exp(fit.coefficients[0]), 2.0, 1e-9));
  EXPECT_TRUE(NearRel(fit.deviance, fit.null_deviance, 1e-9));
  // SE of log mean = 1/sqrt(n mean).
  EXPECT_TRUE(NearRel(fit.std_errors[0], 1 / std::sqrt(10.0), 1e-6));
}

TEST(PoissonGlm, OffsetShiftsTheIntercept) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 1);
  Eigen::VectorXd y(4), offset(4);
  y << 10, 20, 30, 40;
  offset << std::log(1.0), std::log(2.0), std::log(3.0), std::log(4.0);
  const PoissonGlmResult fit = FitPoissonGlm(x, y, offset);
  ASSERT_TRUE(fit.converged);
  EXPECT_TRUE(NearRel(std::exp(fit.coefficients[0]), 10.0, 1e-9));
  EXPECT_NEAR(fit.deviance, 0.0, 1e-9);
}

TEST(PoissonGlm, AliasedColumnGetsZeroAndNaNError) {
  Eigen::MatrixXd x(4, 3);
  x << 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1;  // column 2 duplicates column 1
  Eigen::VectorXd y(4);
  y << 2, 5, 3, 6;
  const PoissonGlmResult fit = FitPoissonGlm(x, y);
  EXPECT_TRUE(fit.converged);
  EXPECT_EQ(fit.rank, 2);
  EXPECT_TRUE(std::isnan(fit.std_errors[1]) || std::isnan(fit.std_errors[2]));
  EXPECT_TRUE(NearRel(fit.fitted[1], 5.5, 1e-8));
}

TEST(PoissonGlm, RejectsBadInput) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(2, 1);
  Eigen::VectorXd y(2);
  y << 1, -1;
  EXPECT_THROW(FitPoissonGlm(x, y), InputError);
  y << 1, std::nan("");
  EXPECT_THROW(FitPoissonGlm(x, y), InputError);
  EXPECT_THROW(FitPoissonGlm(x, Eigen::VectorXd::Ones(3)), ComputeError);
  EXPECT_THROW(FitPoissonGlm(Eigen::MatrixXd(0, 1), Eigen::VectorXd()), InputError);
}

TEST(PoissonGlm, ReportsNonConvergenceInsteadOfThrowing) {
  Rng rng(5);
  Eigen::MatrixXd x(200, 2);
  Eigen::VectorXd y(200);
  for (Eigen::Index obs_idx = 0; obs_idx < 200; ++obs_idx) {
    x(obs_idx, 0) = 1;
    x(obs_idx, 1) = rng.Normal();
    y[obs_idx] = static_cast<double>(rng.Poisson(std::exp(1 + x(obs_idx, 1))));
  }
  PoissonGlmOptions options;
  options.max_iterations = 1;
  const PoissonGlmResult fit = FitPoissonGlm(x, y, Eigen::VectorXd(), options);
  EXPECT_FALSE(fit.converged);
  EXPECT_EQ(fit.iterations, 1);
  EXPECT_GT(fit.relative_change, 1e-8);
}

}  // namespace
}  // namespace kazmig::models

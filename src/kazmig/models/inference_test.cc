#include "kazmig/models/inference.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using testing::NearRel;

// Closed forms: t with 1 df is Cauchy, P(|T| > t) = 1 - 2 atan(t) / pi; with 2 df
// P(|T| > t) = 1 - t / sqrt(2 + t^2); F(2, d2): P(F > f) = (1 + 2 f / d2)^(-d2 / 2);
// chi2(2): P(X > x) = exp(-x / 2).
TEST(Inference, TailProbabilitiesMatchClosedForms) {
  EXPECT_TRUE(NearRel(StudentTTwoSidedP(1.0, 1), 0.5, 1e-12));
  EXPECT_TRUE(NearRel(StudentTTwoSidedP(2.0, 2), 1 - 2 / std::sqrt(6.0), 1e-12));
  EXPECT_TRUE(NearRel(FUpperP(3.0, 2, 10), std::pow(1.6, -5), 1e-12));
  EXPECT_TRUE(NearRel(ChiSquareUpperP(3.0, 2), std::exp(-1.5), 1e-12));
  EXPECT_TRUE(NearRel(ChiSquareUpperP(30.0, 2), std::exp(-15.0), 1e-11));
  EXPECT_TRUE(NearRel(StudentTTwoSidedP(1.959963984540054, 0), 0.05, 1e-10));
  EXPECT_EQ(FUpperP(0.0, 3, 5), 1.0);
}

// Printed quantiles (7-10 significant digits, as in standard tables).
TEST(Inference, StudentQuantilesMatchTables) {
  EXPECT_TRUE(NearRel(StudentTQuantile(0.975, 16), 2.119905299, 1e-9));
  EXPECT_TRUE(NearRel(StudentTQuantile(0.975, 1), 12.70620474, 1e-9));
  EXPECT_TRUE(NearRel(StudentTQuantile(0.975, 4), 2.776445105, 1e-9));
  EXPECT_TRUE(NearRel(StudentTQuantile(0.975, 0), 1.959963985, 1e-9));
  EXPECT_TRUE(NearRel(StudentTQuantile(0.025, 16), -2.119905299, 1e-9));
}

TEST(Inference, NeweyWestLagRule) {
  EXPECT_EQ(NeweyWestLag(100), 4);
  EXPECT_EQ(NeweyWestLag(20), 2);
  EXPECT_EQ(NeweyWestLag(4), 1);
  EXPECT_EQ(NeweyWestLag(3), 1);
}

// With lag 0 the HAC covariance is White's sandwich times T / (T - k); by hand for a regression
// on a constant: V = sum e^2 / T^2 * T / (T - 1).
TEST(Inference, NeweyWestLagZeroIsHc1AndLagsAddAutocovariance) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 1);
  Eigen::VectorXd e(4);
  e << 1, -2, 0.5, 0.5;
  const double sum_sq = 1 + 4 + 0.25 + 0.25;
  EXPECT_TRUE(NearRel(NeweyWestVcov(x, e, 0)(0, 0), sum_sq / 16 * 4 / 3));
  // Lag 1, weight 1/2: S = sum e^2 + 2 * 0.5 * sum e_t e_{t-1} = 5.5 + (-2 - 1 + 0.25).
  EXPECT_TRUE(NearRel(NeweyWestVcov(x, e, 1)(0, 0), (5.5 - 2.75) / 16 * 4 / 3));
}

TEST(Inference, WaldZeroOfIndependentCoefficients) {
  Eigen::VectorXd b(3);
  b << 1.0, 2.0, 5.0;
  Eigen::MatrixXd v = Eigen::MatrixXd::Identity(3, 3);
  v(1, 1) = 4;
  const WaldTest w = WaldZero(b, v, {0, 1}, 0);
  EXPECT_TRUE(NearRel(w.statistic, 2.0));
  EXPECT_EQ(w.restrictions, 2);
  EXPECT_TRUE(NearRel(w.p_value, std::exp(-1.0), 1e-12));
  const WaldTest f = WaldZero(b, v, {0, 1}, 10);
  EXPECT_TRUE(NearRel(f.p_value, std::pow(1.2, -5), 1e-12));  // F = 1, F(2, 10)
}

}  // namespace
}  // namespace kazmig::models

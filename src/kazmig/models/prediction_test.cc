#include "kazmig/models/prediction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

Eigen::MatrixXd Vcov() {
  Eigen::MatrixXd v(3, 3);
  v << 0.04, 0.01, -0.002, 0.01, 0.09, 0.003, -0.002, 0.003, 0.0025;
  return v;
}

TEST(NormalQuantile, KnownValues) {
  EXPECT_TRUE(NearRel(NormalQuantileTwoSided(0.95), 1.959963984540054, 1e-12));
  EXPECT_TRUE(NearRel(NormalQuantileTwoSided(0.90), 1.644853626951472, 1e-12));
}

TEST(DeltaMethod, LinearChangeIsExact) {
  Eigen::VectorXd beta(3), dx(3);
  beta << 2.0, -0.5, 0.1;
  dx << std::log(1.2), 0, 3;
  const Prediction p = PredictLinearChange(beta, Vcov(), dx, 1.96);
  EXPECT_DOUBLE_EQ(p.value, dx.dot(beta));
  EXPECT_TRUE(NearRel(p.std_error, std::sqrt(dx.dot(Vcov() * dx))));
  EXPECT_TRUE(NearRel(p.high - p.low, 2 * 1.96 * p.std_error));
}

// The delta-method gradient of base * (exp(dx'b) - 1) equals a central finite difference.
TEST(DeltaMethod, ExpChangeGradientMatchesFiniteDifferences) {
  Eigen::VectorXd beta(3), dx(3);
  beta << 0.8, -0.05, 0.02;
  dx << std::log(1.2), -2, 5;
  const double base = 12000;
  const Prediction p = PredictExpChange(base, beta, Vcov(), dx, 1.96);
  EXPECT_TRUE(NearRel(p.value, base * (std::exp(dx.dot(beta)) - 1)));
  for (int k = 0; k < 3; ++k) {
    const double h = 1e-6;
    Eigen::VectorXd up = beta, down = beta;
    up[k] += h;
    down[k] -= h;
    const double fd = base * (std::exp(dx.dot(up)) - std::exp(dx.dot(down))) / (2 * h);
    EXPECT_TRUE(NearRel(p.gradient[k], fd, 1e-6)) << k;  // O(h^2) truncation
  }
}

// The delta-method standard error of the exp change agrees with the spread of the prediction over
// draws of beta from N(b, V) when V is small (the linearisation is then accurate).
TEST(DeltaMethod, ExpChangeAgreesWithSimulation) {
  Eigen::VectorXd beta(3), dx(3);
  beta << 0.8, -0.05, 0.02;
  dx << std::log(1.2), -2, 5;
  const Eigen::MatrixXd vcov = Vcov() * 0.01;  // small: the linear approximation holds
  const double base = 12000;
  const Prediction p = PredictExpChange(base, beta, vcov, dx, 1.96);
  const int draws = 20000;
  const Eigen::MatrixXd sample = DrawNormal(beta, vcov, draws, 20261206);
  std::vector<double> values(draws);
  double mean = 0;
  for (int d = 0; d < draws; ++d) {
    values[d] = base * (std::exp(dx.dot(sample.col(d))) - 1);
    mean += values[d] / draws;
  }
  double var = 0;
  for (double v : values) var += (v - mean) * (v - mean) / (draws - 1);
  // Monte Carlo error of an sd from 20,000 draws is about 0.5%; allow 3%.
  EXPECT_TRUE(NearRel(std::sqrt(var), p.std_error, 0.03));
  // And the 95% interval covers about 95% of the simulated values.
  const double inside =
      static_cast<double>(std::count_if(values.begin(), values.end(),
                                        [&](double v) { return v >= p.low && v <= p.high; })) /
      draws;
  EXPECT_NEAR(inside, 0.95, 0.01);
}

TEST(DrawNormal, MomentsMatch) {
  Eigen::VectorXd mean(3);
  mean << 1, 2, 3;
  const Eigen::MatrixXd sample = DrawNormal(mean, Vcov(), 40000, 7);
  const Eigen::VectorXd m = sample.rowwise().mean();
  const Eigen::MatrixXd centered = sample.colwise() - m;
  const Eigen::MatrixXd cov = centered * centered.transpose() / (sample.cols() - 1);
  for (int r = 0; r < 3; ++r) {
    EXPECT_NEAR(m[r], mean[r], 0.01);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(cov(r, c), Vcov()(r, c), 0.003) << r << c;
  }
  // Deterministic for a seed.
  EXPECT_EQ(DrawNormal(mean, Vcov(), 5, 7), DrawNormal(mean, Vcov(), 5, 7));
}

TEST(SumPredictions, KeepsCovariances) {
  Eigen::VectorXd beta(3), dx1(3), dx2(3);
  beta << 0.5, 0.1, -0.2;
  dx1 << 1, 0, 0;
  dx2 << 0, 1, 0;
  const Prediction parts[2] = {PredictLinearChange(beta, Vcov(), dx1, 1.96),
                               PredictLinearChange(beta, Vcov(), dx2, 1.96)};
  const Prediction sum = SumPredictions(parts, parts + 2, Vcov(), 1.96);
  EXPECT_DOUBLE_EQ(sum.value, 0.6);
  EXPECT_TRUE(NearRel(sum.std_error, std::sqrt(0.04 + 0.09 + 2 * 0.01)));
}

}  // namespace
}  // namespace kazmig::models

#include "kazmig/project/mcmc_diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::project {
namespace {

using kazmig::testing::NearRel;

TEST(NormalQuantile, ReferenceValues) {
  // R: qnorm(c(0.975, 0.001, 1e-10, 0.3)), printed to 16 digits.
  EXPECT_TRUE(NearRel(NormalQuantile(0.975), 1.959963984540054, 1e-13));
  EXPECT_TRUE(NearRel(NormalQuantile(0.001), -3.090232306167813, 1e-13));
  EXPECT_TRUE(NearRel(NormalQuantile(1e-10), -6.361340902404056, 1e-12));
  EXPECT_TRUE(NearRel(NormalQuantile(0.3), -0.5244005127080407, 1e-13));
  EXPECT_EQ(NormalQuantile(0.5), 0.0);
  EXPECT_TRUE(std::isnan(NormalQuantile(1.5)));
  for (double p = 0.0005; p < 1.0; p += 0.0137) {
    EXPECT_NEAR(0.5 * std::erfc(-NormalQuantile(p) / std::numbers::sqrt2), p, 1e-15) << p;
  }
}

TEST(SplitRhat, HandWorkedExample) {
  // Chains 1 2 3 4 and 5 6 7 8 split into (1 2) (3 4) (5 6) (7 8): W = 0.5, the variance of the
  // half-chain means (1.5, 3.5, 5.5, 7.5) is 20/3, var+ = 0.5 * 0.5 + 20/3, R-hat = sqrt(var+/W).
  const std::vector<double> draws = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_TRUE(NearRel(SplitRhat(draws, 2), std::sqrt((0.25 + 20.0 / 3.0) / 0.5), 1e-14));
}

TEST(SplitRhat, TooFewDrawsIsNaNAndBadShapeThrows) {
  const std::vector<double> draws = {1, 2, 3, 4, 5, 6};
  EXPECT_TRUE(std::isnan(SplitRhat(draws, 3)));  // two draws per chain, one per half
  EXPECT_THROW(SplitRhat(draws, 4), ComputeError);
  EXPECT_THROW(SplitRhat(draws, 0), ComputeError);
}

std::vector<double> Ar1Chains(size_t chains, size_t n, double phi, uint64_t seed,
                              double shift_per_chain = 0) {
  std::vector<double> draws;
  Rng rng(seed);
  for (size_t chain = 0; chain < chains; ++chain) {
    double x = rng.Normal() / std::sqrt(1 - phi * phi);
    for (size_t k = 0; k < n; ++k) {
      draws.push_back(x + shift_per_chain * static_cast<double>(chain));
      x = phi * x + rng.Normal();
    }
  }
  return draws;
}

TEST(Diagnose, IndependentDrawsMixWell) {
  const std::vector<double> draws = Ar1Chains(4, 2000, 0.0, 3);
  const McmcDiagnostics d = Diagnose(draws, 4);
  EXPECT_LT(d.rhat, 1.01);
  EXPECT_LT(d.rhat_basic, 1.01);
  EXPECT_NEAR(d.ess, 8000, 800);
  EXPECT_NEAR(d.ess_basic, 8000, 800);
}

TEST(Diagnose, AutocorrelatedDrawsHaveTheAr1EffectiveSize) {
  // For an AR(1) with coefficient phi the integrated autocorrelation time is (1+phi)/(1-phi).
  const double phi = 0.9;
  const std::vector<double> draws = Ar1Chains(4, 20000, phi, 5);
  const McmcDiagnostics d = Diagnose(draws, 4);
  const double expected = 80000 * (1 - phi) / (1 + phi);
  EXPECT_NEAR(d.ess_basic, expected, 0.15 * expected);
  EXPECT_NEAR(d.ess, expected, 0.15 * expected);
  EXPECT_LT(d.rhat, 1.01);
}

TEST(Diagnose, ChainsStuckApartHaveLargeRhat) {
  const std::vector<double> draws = Ar1Chains(3, 500, 0.5, 7, /*shift_per_chain=*/1.0);
  const McmcDiagnostics d = Diagnose(draws, 3);
  EXPECT_GT(d.rhat, 1.1);
  EXPECT_GT(d.rhat_basic, 1.1);
}

TEST(Diagnose, TrendWithinChainsIsCaughtBySplitting) {
  // Every chain drifts the same way: the chain means agree, but the halves do not.
  std::vector<double> draws;
  Rng rng(9);
  for (int chain = 0; chain < 3; ++chain) {
    for (int k = 0; k < 400; ++k) draws.push_back(0.01 * k + 0.2 * rng.Normal());
  }
  EXPECT_GT(Diagnose(draws, 3).rhat, 1.1);
}

TEST(Diagnose, ConstantDraws) {
  const std::vector<double> same(40, 2.5);
  const McmcDiagnostics d = Diagnose(same, 2);
  EXPECT_EQ(d.rhat, 1.0);
  EXPECT_EQ(d.ess, 40.0);
  std::vector<double> apart(40, 1.0);
  for (size_t k = 20; k < 40; ++k) apart[k] = 2.0;  // constant within chains, not between
  EXPECT_TRUE(std::isinf(Diagnose(apart, 2).rhat_basic));
}

TEST(RankNormalize, TiesShareTheirAverageRank) {
  const std::vector<double> draws = {3.0, 1.0, 3.0, 2.0};
  const std::vector<double> z = RankNormalize(draws);
  // Ranks 3.5, 1, 3.5, 2 of 4: z = qnorm((r - 3/8) / 4.25).
  EXPECT_TRUE(NearRel(z[0], NormalQuantile((3.5 - 0.375) / 4.25), 1e-15));
  EXPECT_EQ(z[0], z[2]);
  EXPECT_TRUE(NearRel(z[1], NormalQuantile(0.625 / 4.25), 1e-15));
  EXPECT_LT(z[1], z[3]);
}

}  // namespace
}  // namespace kazmig::project

#include "kazmig/core/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace kazmig {
namespace {

TEST(Rng, SameSeedSameStream) {
  Rng a(7);
  Rng b(7);
  for (int draw = 0; draw < 1000; ++draw) ASSERT_EQ(a.NextU64(), b.NextU64());
}

TEST(Rng, MatchesTheStandardEngineBitForBit) {
  // The raw stream is std::mt19937_64, which the standard fixes exactly: the 10000th output of a
  // default-seeded engine is 9981545732273789042.
  Rng rng(5489u);
  uint64_t x = 0;
  for (int draw = 0; draw < 10000; ++draw) x = rng.NextU64();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(Rng, KnownValuesAreStableAcrossMachines) {
  // Derived only from the standard engine and IEEE arithmetic: pinned so that a change in a
  // transformation is noticed.
  Rng rng(42);
  const double u = rng.Uniform01();
  Rng again(42);
  EXPECT_EQ(static_cast<double>(again.NextU64() >> 11) * 0x1.0p-53, u);
}

TEST(Rng, UniformIntIsUnbiasedAndInRange) {
  Rng rng(1);
  std::vector<int> counts(6, 0);
  const int draws = 600000;
  for (int draw = 0; draw < draws; ++draw) {
    const uint64_t k = rng.UniformInt(6);
    ASSERT_LT(k, 6u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, draws / 6.0, 5 * std::sqrt(draws / 6.0));
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
double Variance(const std::vector<double>& v) {
  const double m = Mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size() - 1);
}

TEST(Rng, DistributionsHaveTheirMoments) {
  Rng rng(2024);
  const int n = 200000;
  std::vector<double> normal(n), expo(n), pois_small(n), pois_large(n), gamma(n), gamma_small(n);
  for (int draw = 0; draw < n; ++draw) {
    normal[draw] = rng.Normal(3.0, 2.0);
    expo[draw] = rng.Exponential(0.5);
    pois_small[draw] = static_cast<double>(rng.Poisson(4.2));
    pois_large[draw] = static_cast<double>(rng.Poisson(250.0));
    gamma[draw] = rng.Gamma(3.0, 2.0);
    gamma_small[draw] = rng.Gamma(0.4, 1.0);
  }
  // Tolerances: about 5 standard errors of each estimate.
  EXPECT_NEAR(Mean(normal), 3.0, 5 * 2.0 / std::sqrt(n));
  EXPECT_NEAR(Variance(normal), 4.0, 0.06);
  EXPECT_NEAR(Mean(expo), 2.0, 5 * 2.0 / std::sqrt(n));
  EXPECT_NEAR(Mean(pois_small), 4.2, 5 * std::sqrt(4.2 / n));
  EXPECT_NEAR(Variance(pois_small), 4.2, 0.1);
  EXPECT_NEAR(Mean(pois_large), 250.0, 5 * std::sqrt(250.0 / n));
  EXPECT_NEAR(Variance(pois_large), 250.0, 5.0);
  EXPECT_NEAR(Mean(gamma), 6.0, 5 * std::sqrt(12.0 / n));
  EXPECT_NEAR(Variance(gamma), 12.0, 0.4);
  EXPECT_NEAR(Mean(gamma_small), 0.4, 5 * std::sqrt(0.4 / n));
}

TEST(Rng, SplitStreamsAreReproducibleAndDistinct) {
  Rng parent(99);
  Rng a = parent.Split(0);
  Rng b = parent.Split(1);
  Rng a2 = Rng(99).Split(0);
  EXPECT_EQ(a.NextU64(), a2.NextU64());
  EXPECT_NE(Rng(99).Split(0).NextU64(), b.NextU64());
  EXPECT_EQ(parent.NextU64(), Rng(99).NextU64());  // Split does not advance the parent
}

}  // namespace
}  // namespace kazmig

#include "kazmig/project/random_variates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "kazmig/core/error.h"

namespace kazmig::project {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0;
  double min = 0;
  double max = 0;
};

template <typename Draw>
Moments Sample(size_t count, Draw draw) {
  std::vector<double> values(count);
  for (double& value : values) value = draw();
  Moments m;
  m.min = m.max = values.front();
  for (double value : values) {
    m.mean += value;
    m.min = std::min(m.min, value);
    m.max = std::max(m.max, value);
  }
  m.mean /= static_cast<double>(count);
  for (double value : values) m.variance += (value - m.mean) * (value - m.mean);
  m.variance /= static_cast<double>(count - 1);
  return m;
}

double Pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }
double Cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// Closed-form mean and variance of N(mean, sd^2) truncated to (low, high) (Johnson, Kotz &
// Balakrishnan, "Continuous Univariate Distributions" vol. 1, ch. 13).
void TruncatedNormalMoments(double mean, double sd, double low, double high, double* out_mean,
                            double* out_variance) {
  const double a = (low - mean) / sd, b = (high - mean) / sd;
  const double z = Cdf(b) - Cdf(a);
  const double pa = std::isfinite(a) ? Pdf(a) : 0.0, pb = std::isfinite(b) ? Pdf(b) : 0.0;
  const double aa = std::isfinite(a) ? a * pa : 0.0, bb = std::isfinite(b) ? b * pb : 0.0;
  *out_mean = mean + sd * (pa - pb) / z;
  *out_variance = sd * sd * (1.0 + (aa - bb) / z - ((pa - pb) / z) * ((pa - pb) / z));
}

// Mean and variance of Gamma(shape, rate) truncated to (low, high), by numerical integration of
// the density (Simpson's rule on 20,000 panels after x = low + (high - low) u^2, which removes the
// singularity at 0 of a shape below 1): an independent check of the rejection samplers.
void TruncatedGammaMoments(double shape, double rate, double low, double high, double* out_mean,
                           double* out_variance) {
  const int panels = 20000;
  const double width = high - low;
  // log of density(x) dx/du up to a constant; for low == 0 written as a power of u.
  std::vector<double> log_density(panels + 1), xs(panels + 1);
  for (int k = 0; k <= panels; ++k) {
    const double u = static_cast<double>(k) / panels;
    const double x = low + width * u * u;
    xs[k] = x;
    if (low == 0) {
      log_density[k] = (2.0 * shape - 1.0) * std::log(u) - rate * x;  // -inf or nan at u == 0
      if (k == 0) log_density[k] = shape == 0.5 ? 0.0 : -INFINITY;
    } else {
      log_density[k] = (shape - 1.0) * std::log(x) - rate * x + std::log(u);
    }
  }
  double top = -INFINITY;
  for (double value : log_density) top = std::max(top, value);
  double m0 = 0, m1 = 0, m2 = 0;
  for (int k = 0; k <= panels; ++k) {
    const double weight = (k == 0 || k == panels) ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0);
    const double density = std::exp(log_density[k] - top);
    m0 += weight * density;
    m1 += weight * density * xs[k];
    m2 += weight * density * xs[k] * xs[k];
  }
  *out_mean = m1 / m0;
  *out_variance = m2 / m0 - (m1 / m0) * (m1 / m0);
}

// With 200,000 draws the sample mean has standard error sd/447; 5 standard errors is the bound.
constexpr size_t kDraws = 200000;

void ExpectTruncatedNormal(double mean, double sd, double low, double high) {
  Rng rng(11);
  const Moments m = Sample(kDraws, [&] { return TruncatedNormal(rng, mean, sd, low, high); });
  double expected_mean, expected_variance;
  TruncatedNormalMoments(mean, sd, low, high, &expected_mean, &expected_variance);
  const double se = std::sqrt(expected_variance / kDraws);
  SCOPED_TRACE(testing::Message() << "N(" << mean << ", " << sd << "^2) on (" << low << ", " << high
                                  << ")");
  EXPECT_NEAR(m.mean, expected_mean, 5 * se);
  EXPECT_NEAR(m.variance, expected_variance, 0.02 * expected_variance);
  EXPECT_GT(m.min, low);
  EXPECT_LT(m.max, high);
}

TEST(TruncatedNormal, MatchesClosedFormMomentsInEveryRegime) {
  ExpectTruncatedNormal(0.5, 0.3, 0.0, 1.0);   // wide interval around the mean
  ExpectTruncatedNormal(0.5, 5.0, 0.0, 1.0);   // narrow interval: nearly uniform
  ExpectTruncatedNormal(1.3, 0.2, 0.0, 1.0);   // mean above the interval
  ExpectTruncatedNormal(-0.4, 0.1, 0.0, 1.0);  // far below: a tail, 4 sd away
  ExpectTruncatedNormal(2.0, 0.05, 0.0, 1.0);  // 20 sd away: Robert's exponential tail
  ExpectTruncatedNormal(0.0, 1.0, 0.5, 0.6);   // narrow tail slice
  ExpectTruncatedNormal(0.0, 1.0, 2.0, INFINITY);
  ExpectTruncatedNormal(0.0, 1.0, -INFINITY, -3.0);
}

TEST(TruncatedNormal, FarTailsStayInside) {
  // 100 and 10,000 sd from the interval (beyond the closed form's floating point): every draw
  // lies inside, near the bound closest to the mean.
  Rng rng(1);
  for (int k = 0; k < 10000; ++k) {
    const double x = TruncatedNormal(rng, 2.0, 0.01, 0.0, 1.0);
    ASSERT_GT(x, 0.99);
    ASSERT_LT(x, 1.0);
    const double y = TruncatedNormal(rng, -100.0, 0.01, 0.0, 1.0);
    ASSERT_GT(y, 0.0);
    ASSERT_LT(y, 1e-5);
  }
}

TEST(TruncatedNormal, DegenerateArguments) {
  Rng rng(1);
  EXPECT_EQ(TruncatedNormal(rng, 3.0, 0.0, 0.0, 1.0), 1.0);  // sd 0: the mean, clamped
  const double u = TruncatedNormal(rng, 0.0, INFINITY, 0.0, 1.0);
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
  EXPECT_THROW(TruncatedNormal(rng, 0.0, 1.0, 1.0, 1.0), ComputeError);
  EXPECT_THROW(TruncatedNormal(rng, NAN, 1.0, 0.0, 1.0), ComputeError);
}

void ExpectGammaBelow(double shape, double rate, double upper) {
  Rng rng(21);
  const Moments m = Sample(kDraws, [&] { return GammaBelow(rng, shape, rate, upper); });
  double expected_mean, expected_variance;
  TruncatedGammaMoments(shape, rate, 0.0, upper, &expected_mean, &expected_variance);
  SCOPED_TRACE(testing::Message() << "Gamma(" << shape << ", " << rate << ") below " << upper);
  EXPECT_NEAR(m.mean, expected_mean, 5 * std::sqrt(expected_variance / kDraws));
  EXPECT_NEAR(m.variance, expected_variance, 0.02 * expected_variance);
  EXPECT_GT(m.min, 0.0);
  EXPECT_LT(m.max, upper);
}

void ExpectGammaAbove(double shape, double rate, double lower) {
  Rng rng(31);
  const Moments m = Sample(kDraws, [&] { return GammaAbove(rng, shape, rate, lower); });
  double expected_mean, expected_variance;
  // The integral is cut where the density is below 1e-30 of its value at the bound.
  const double far = lower + (40.0 * 2.3 + std::max(0.0, shape) * 5.0) / rate;
  TruncatedGammaMoments(shape, rate, lower, far, &expected_mean, &expected_variance);
  SCOPED_TRACE(testing::Message() << "Gamma(" << shape << ", " << rate << ") above " << lower);
  EXPECT_NEAR(m.mean, expected_mean, 5 * std::sqrt(expected_variance / kDraws));
  EXPECT_NEAR(m.variance, expected_variance, 0.02 * expected_variance);
  EXPECT_GT(m.min, lower);
}

TEST(TruncatedGamma, BelowMatchesNumericalMomentsInEveryBranch) {
  ExpectGammaBelow(41.0, 2.0, 30.0);    // bound beyond the mean: plain rejection
  ExpectGammaBelow(41.0, 2.0, 19.0);    // just below the mode, within one sd: plain rejection
  ExpectGammaBelow(41.0, 2.0, 12.0);    // far below the mode: tangent exponential envelope
  ExpectGammaBelow(201.0, 1.0, 150.0);  // large shape, 3.5 sd below the mode
  ExpectGammaBelow(3.0, 1.0, 0.5);      // small shape, below the mode
  ExpectGammaBelow(1.5, 1.0, 1.0);      // shape < 2, below the mean: power proposal
  ExpectGammaBelow(0.5, 3.0, 0.1);      // shape < 1
}

TEST(TruncatedGamma, AboveMatchesNumericalMomentsInEveryBranch) {
  ExpectGammaAbove(9.5, 0.01, 4.0);  // bound far below the mean (sigma_mu's usual case)
  ExpectGammaAbove(9.5, 1.0, 20.0);  // beyond the mean: log-concave tangent envelope
  ExpectGammaAbove(0.5, 1.0, 3.0);   // shape < 1, in the tail
  ExpectGammaAbove(0.5, 1.0, 0.2);   // shape < 1, bound below the mean
}

TEST(TruncatedGamma, RejectsInvalidArguments) {
  Rng rng(1);
  EXPECT_THROW(GammaBelow(rng, 0.0, 1.0, 1.0), ComputeError);
  EXPECT_THROW(GammaBelow(rng, 1.0, 1.0, 0.0), ComputeError);
  EXPECT_THROW(GammaAbove(rng, 1.0, NAN, 1.0), ComputeError);
}

TEST(RngGamma, MomentsOfTheUntruncatedSamplerItBuildsOn) {
  // Marsaglia-Tsang (core Rng): Gamma(k, scale s) has mean k s and variance k s^2.
  for (double shape : {0.3, 1.0, 2.5, 40.0}) {
    Rng rng(41);
    const Moments m = Sample(kDraws, [&] { return rng.Gamma(shape, 2.0); });
    EXPECT_NEAR(m.mean, 2.0 * shape, 5 * std::sqrt(4.0 * shape / kDraws)) << shape;
    EXPECT_NEAR(m.variance, 4.0 * shape, 0.03 * 4.0 * shape) << shape;
  }
}

}  // namespace
}  // namespace kazmig::project

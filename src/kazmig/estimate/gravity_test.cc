#include "kazmig/estimate/gravity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::estimate {
namespace {

using ::kazmig::testing::NearRel;

GravityInput ThreeCities() {
  // Astana, Almaty, Shymkent (approximate centroids).
  return {{"71", "75", "79"}, {1.35e6, 2.2e6, 1.2e6}, {51.17, 43.24, 42.32}, {71.45, 76.89, 69.59}};
}

TEST(GreatCircleKm, KnownDistance) {
  // Astana - Almaty is about 970 km along the great circle.
  EXPECT_NEAR(GreatCircleKm(51.17, 71.45, 43.24, 76.89), 970, 15);
  EXPECT_EQ(GreatCircleKm(10, 20, 10, 20), 0.0);
}

TEST(GravityPrior, ScaledToTotalAndSymmetricInMass) {
  const FlowMatrix prior = GravityPrior(ThreeCities(), 1.0, 1000);
  EXPECT_TRUE(NearRel(prior.Total(), 1000));
  EXPECT_TRUE(NearRel(prior(0, 1), prior(1, 0)));
  EXPECT_EQ(prior(2, 2), 0.0);
  GravityInput bad = ThreeCities();
  bad.population[1] = 0;
  EXPECT_THROW(GravityPrior(bad, 1.0, 1000), InputError);
  EXPECT_THROW(GravityPrior(ThreeCities(), 1.0, 0), UsageError);
  EXPECT_THROW(GravityPrior(ThreeCities(), NAN, 1000), UsageError);
  GravityInput misaligned = ThreeCities();
  misaligned.latitude.pop_back();
  EXPECT_THROW(GravityPrior(misaligned, 1.0, 1000), ComputeError);
}

TEST(OdFromNets, ReproducesNetsAndBandsContainCentral) {
  const std::vector<double> nets = {5000, 3000, -8000};
  const OdFromNetsResult r = OdFromNets(ThreeCities(), nets, {.decay = 1.0, .total = 50000});
  ASSERT_TRUE(r.fit.converged);
  const auto in = r.fit.flows.ColSums(), out = r.fit.flows.RowSums();
  for (size_t idx = 0; idx < 3; ++idx) EXPECT_TRUE(NearRel(in[idx] - out[idx], nets[idx], 1e-9));
  const OdSensitivity s = OdFromNetsSensitivity(ThreeCities(), nets, {0.5, 1.0, 1.5},
                                                {40000, 50000, 60000}, NetMethod::kIpf);
  EXPECT_EQ(s.runs, 9);
  EXPECT_EQ(s.converged_runs, 9);
  for (size_t cell = 0; cell < 9; ++cell) {
    EXPECT_LE(s.low.data()[cell], r.fit.flows.data()[cell] + 1e-9);
    EXPECT_GE(s.high.data()[cell], r.fit.flows.data()[cell] - 1e-9);
  }
}

}  // namespace
}  // namespace kazmig::estimate

#include "kazmig/estimate/residual.h"

#include <gtest/gtest.h>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::estimate {
namespace {

using ::kazmig::testing::NearRel;

TEST(VitalStatisticsNet, IsGrowthMinusNaturalChange) {
  const auto net = VitalStatisticsNet({1000, 500}, {1100, 480}, {30, 10}, {20, 5});
  EXPECT_EQ(net, (std::vector<double>{90, -25}));
  EXPECT_THROW(VitalStatisticsNet({1}, {1, 2}, {1}, {1}), ComputeError);
}

TEST(SurvivalRatioNet, ForwardReverseAverage) {
  const std::vector<double> p0 = {100, 200, 300}, p1 = {90, 110, 170};
  const std::vector<double> s = {0.9, 0.8};
  const auto forward = SurvivalRatioNet(p0, p1, s, SurvivalMethod::kForward);
  const auto reverse = SurvivalRatioNet(p0, p1, s, SurvivalMethod::kReverse);
  const auto average = SurvivalRatioNet(p0, p1, s, SurvivalMethod::kAverage);
  ASSERT_EQ(forward.size(), 2u);
  EXPECT_TRUE(NearRel(forward[0], 110 - 0.9 * 100));
  EXPECT_TRUE(NearRel(forward[1], 170 - 0.8 * 200));
  EXPECT_TRUE(NearRel(reverse[0], 110 / 0.9 - 100));
  EXPECT_TRUE(NearRel(average[1], (forward[1] + reverse[1]) / 2));
  // Reverse = forward / s: the two differ only by where migrants are exposed to mortality.
  EXPECT_TRUE(NearRel(reverse[1], forward[1] / 0.8));
  EXPECT_THROW(SurvivalRatioNet(p0, p1, {0.9, 0}, SurvivalMethod::kForward), InputError);
}

}  // namespace
}  // namespace kazmig::estimate

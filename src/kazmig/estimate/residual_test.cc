#include "kazmig/estimate/residual.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

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
  EXPECT_THROW(SurvivalRatioNet({1}, {1}, {}, SurvivalMethod::kForward), InputError);
  EXPECT_THROW(SurvivalRatioNet(p0, {1, 2}, s, SurvivalMethod::kForward), ComputeError);
}

RegionAgeTable Table(std::string source,
                     std::vector<std::pair<std::string, std::map<double, double>>> rows) {
  RegionAgeTable table;
  table.source = std::move(source);
  for (auto& [region, ages] : rows) {
    table.regions.push_back(region);
    table.values[region] = std::move(ages);
  }
  return table;
}

TEST(SurvivalRatioNetByRegion, UsesRegionalRatiosElseNationalOnes) {
  const RegionAgeTable p0 = Table("p0", {{"B", {{0, 50}, {5, 60}}}, {"A", {{0, 100}, {5, 200}}}});
  const RegionAgeTable p1 = Table("p1", {{"A", {{0, 90}, {5, 110}}}, {"B", {{0, 45}, {5, 52}}}});
  const RegionAgeTable s = Table("s", {{"all", {{0, 0.9}}}, {"B", {{0, 0.5}}}});
  const auto rows = SurvivalRatioNetByRegion(p0, p1, s, SurvivalMethod::kForward);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].region, "B");  // pop0's order
  EXPECT_EQ(rows[0].age, 5);       // end-of-period age
  EXPECT_TRUE(NearRel(rows[0].value, 52 - 0.5 * 50));
  EXPECT_EQ(rows[1].region, "A");
  EXPECT_TRUE(NearRel(rows[1].value, 110 - 0.9 * 100));
}

// The message of the InputError `call` throws ("" when none).
template <typename Call>
std::string InputErrorOf(Call call) {
  try {
    call();
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(SurvivalRatioNetByRegion, NamesTheTableThatLacksAValue) {
  const RegionAgeTable p0 = Table("p0.csv", {{"A", {{0, 100}, {5, 200}}}});
  const RegionAgeTable p1 = Table("p1.csv", {{"A", {{0, 90}, {5, 110}}}});
  const RegionAgeTable s = Table("s.csv", {{"all", {{0, 0.9}}}});
  const auto method = SurvivalMethod::kAverage;
  EXPECT_EQ(InputErrorOf([&] { SurvivalRatioNetByRegion(p0, Table("p1.csv", {}), s, method); }),
            "p1.csv: region 'A' is missing");
  EXPECT_EQ(InputErrorOf([&] {
              SurvivalRatioNetByRegion(p0, Table("p1.csv", {{"A", {{0, 1}}}}), s, method);
            }),
            "p1.csv: age 5 is missing for region 'A'");
  EXPECT_EQ(InputErrorOf([&] { SurvivalRatioNetByRegion(p0, p1, Table("s.csv", {}), method); }),
            "s.csv: no survival ratios for region 'A' (nor for 'all')");
  EXPECT_EQ(InputErrorOf([&] {
              SurvivalRatioNetByRegion(p0, p1, Table("s.csv", {{"A", {{5, 1}}}}), method);
            }),
            "s.csv: no survival ratio for age 0 (A)");
  EXPECT_EQ(InputErrorOf([&] {
              SurvivalRatioNetByRegion(p0, p1, Table("s.csv", {{"A", {{0, 2}}}}), method);
            }),
            "s.csv: A: SurvivalRatioNet: survival ratios must be in (0, 1.5]");
}

}  // namespace
}  // namespace kazmig::estimate

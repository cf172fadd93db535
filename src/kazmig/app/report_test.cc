// Tests of the situation report's use case: the rate, rankings and corridors it computes, and the
// input built from a store (the stored OD estimate read back, its indicators banded over the runs,
// the per-year official ANMR, country names from the built-in data).
#include "kazmig/app/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kazmig/app/data.h"
#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using kazmig::testing::NearRel;

TEST(RatePerThousand, Definition) {
  EXPECT_TRUE(NearRel(RatePerThousand(50078, 1'400'000), 35.77, 1e-9));
  EXPECT_TRUE(std::isnan(RatePerThousand(100, 0)));
  EXPECT_TRUE(std::isnan(RatePerThousand(std::nan(""), 10)));
}

CorridorInput ThreeRegions() {
  CorridorInput input;
  input.central = FlowMatrix(3);
  input.central(0, 1) = 12345;
  input.central(1, 0) = 500;
  input.central(2, 0) = 7000;
  input.central(0, 2) = 100;
  input.central(1, 2) = 55;
  input.central(2, 1) = 0;
  input.central(0, 0) = 1e9;  // the diagonal is never a corridor
  input.low = input.central;
  input.high = input.central;
  input.low(0, 1) = 10000;
  input.high(0, 1) = 15000;
  input.names = {"Almaty", "Astana", "Shymkent"};
  return input;
}

TEST(TopCorridors, LargestOffDiagonalFirst) {
  const std::vector<Corridor> top = TopCorridors(ThreeRegions(), 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].origin, 0u);
  EXPECT_EQ(top[0].destination, 1u);
  EXPECT_EQ(top[0].low, 10000);
  EXPECT_EQ(top[0].high, 15000);
  EXPECT_EQ(top[1].origin, 2u);
  EXPECT_EQ(top[1].destination, 0u);
  EXPECT_EQ(TopCorridors(ThreeRegions(), 100).size(), 6u);
}

TEST(TopCorridors, SizeMismatchIsComputeError) {
  CorridorInput input = ThreeRegions();
  input.names.pop_back();
  EXPECT_THROW(TopCorridors(input, 3), ComputeError);
}

TEST(RankByNetRate, RatesAndOrder) {
  const std::vector<RankedNet> ranked =
      RankByNetRate({{"B", -3000, 1e6}, {"A", 6000, 2e6}, {"C", 9000, 1e6}, {"Z", 5, 0}});
  ASSERT_EQ(ranked.size(), 3u);  // zero person-years is left out
  EXPECT_EQ(ranked[0].name, "C");
  EXPECT_DOUBLE_EQ(ranked[0].rate_per_1000, 9.0);
  EXPECT_EQ(ranked[1].name, "A");
  EXPECT_DOUBLE_EQ(ranked[1].rate_per_1000, 3.0);
  EXPECT_DOUBLE_EQ(ranked[2].rate_per_1000, -3.0);
}

TEST(RankByNetRate, IndependentOfInputOrder) {
  const std::vector<RankedNet> a = RankByNetRate({{"A", 10, 1e3}, {"B", 10, 1e3}, {"C", -1, 1e3}});
  const std::vector<RankedNet> b = RankByNetRate({{"C", -1, 1e3}, {"B", 10, 1e3}, {"A", 10, 1e3}});
  ASSERT_EQ(a.size(), b.size());
  for (size_t index = 0; index < a.size(); ++index) EXPECT_EQ(a[index].name, b[index].name);
}

// A 3-region input: 0->1 = 50, 0->2 = 10, 1->0 = 30, 1->2 = 30, 2->0 = 5, 2->1 = 40.
CorridorInput SmallInput() {
  CorridorInput in;
  in.central = FlowMatrix(3);
  in.central(0, 1) = 50;
  in.central(0, 2) = 10;
  in.central(1, 0) = 30;
  in.central(1, 2) = 30;
  in.central(2, 0) = 5;
  in.central(2, 1) = 40;
  in.low = in.central;
  in.high = in.central;
  for (double& v : in.low.data()) v *= 0.5;
  for (double& v : in.high.data()) v *= 2;
  in.names = {"A", "B", "C"};
  return in;
}

TEST(FlowsSection, TopIntoAndOutOfAreSortedAndTieBreakByIndex) {
  const CorridorInput in = SmallInput();
  const auto into_b = TopInto(in, 1, 3);
  ASSERT_EQ(into_b.size(), 2u);  // the diagonal is never a corridor
  EXPECT_EQ(into_b[0].origin, 0u);
  EXPECT_EQ(into_b[0].flow, 50);
  EXPECT_EQ(into_b[1].origin, 2u);
  EXPECT_EQ(into_b[1].destination, 1u);
  const auto out_of_b = TopOutOf(in, 1, 1);
  ASSERT_EQ(out_of_b.size(), 1u);
  EXPECT_EQ(out_of_b[0].destination, 0u);  // 30 and 30: the lower index first
  EXPECT_EQ(out_of_b[0].low, 15);
  EXPECT_EQ(out_of_b[0].high, 60);
  CorridorInput bad = in;
  bad.names.pop_back();
  EXPECT_THROW(TopInto(bad, 0, 1), ComputeError);
}

}  // namespace
}  // namespace kazmig::app

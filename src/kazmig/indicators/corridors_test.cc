#include "kazmig/indicators/corridors.h"

#include <gtest/gtest.h>

#include "kazmig/core/error.h"

namespace kazmig::indicators {
namespace {

FlowMatrix Matrix(const std::vector<std::vector<double>>& rows) {
  FlowMatrix m(rows.size());
  for (size_t orig_idx = 0; orig_idx < rows.size(); ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < rows.size(); ++dest_idx) {
      m(orig_idx, dest_idx) = rows[orig_idx][dest_idx];
    }
  }
  return m;
}

TEST(TopCorridors, LargestOffDiagonalCellsTiesByIndex) {
  const FlowMatrix central = Matrix({{99, 5, 7}, {7, 99, 1}, {2, 3, 99}});
  const std::vector<Corridor> top = TopCorridors(central, nullptr, nullptr, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].origin, 0u);  // 0 -> 2 and 1 -> 0 tie at 7: origin 0 first
  EXPECT_EQ(top[0].destination, 2u);
  EXPECT_EQ(top[1].origin, 1u);
  EXPECT_EQ(top[1].destination, 0u);
  EXPECT_EQ(top[2].flow, 5.0);
  EXPECT_EQ(top[2].low, 5.0);  // no band: low = high = flow
  EXPECT_EQ(top[2].high, 5.0);
  EXPECT_EQ(TopCorridors(central, nullptr, nullptr, 100).size(), 6u);
}

TEST(TopCorridors, CarriesTheBand) {
  const FlowMatrix central = Matrix({{0, 5}, {2, 0}});
  const FlowMatrix low = Matrix({{0, 4}, {1, 0}});
  const FlowMatrix high = Matrix({{0, 8}, {3, 0}});
  const std::vector<Corridor> top = TopCorridors(central, &low, &high, 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].low, 4.0);
  EXPECT_EQ(top[0].high, 8.0);
  EXPECT_THROW(TopCorridors(central, &low, nullptr, 1), ComputeError);
  const FlowMatrix small = Matrix({{0}});
  EXPECT_THROW(TopCorridors(central, &small, &high, 1), ComputeError);
}

TEST(TopInto, ColumnAndRow) {
  const FlowMatrix central = Matrix({{0, 5, 7}, {6, 0, 1}, {2, 3, 0}});
  const std::vector<Corridor> into = TopInto(central, nullptr, nullptr, 0, 5);
  ASSERT_EQ(into.size(), 2u);
  EXPECT_EQ(into[0].origin, 1u);
  EXPECT_EQ(into[0].flow, 6.0);
  EXPECT_EQ(into[1].origin, 2u);
  const std::vector<Corridor> out = TopOutOf(central, nullptr, nullptr, 0, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, 2u);
  EXPECT_THROW(TopInto(central, nullptr, nullptr, 3, 1), ComputeError);
  EXPECT_THROW(TopOutOf(central, nullptr, nullptr, 3, 1), ComputeError);
}

TEST(TopInto, TiesByIndexWithTheBand) {
  FlowMatrix central = Matrix({{0, 50, 10}, {30, 0, 30}, {5, 40, 0}});
  FlowMatrix low = central, high = central;
  for (double& value : low.data()) value *= 0.5;
  for (double& value : high.data()) value *= 2;
  const std::vector<Corridor> out = TopOutOf(central, &low, &high, 1, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, 0u);  // 30 and 30: the lower index first
  EXPECT_EQ(out[0].low, 15.0);
  EXPECT_EQ(out[0].high, 60.0);
}

TEST(SharePercent, OfTheTotalOrZero) {
  EXPECT_DOUBLE_EQ(SharePercent(12345, 20000), 61.725);
  EXPECT_EQ(SharePercent(5, 0), 0.0);
  EXPECT_EQ(SharePercent(5, -1), 0.0);
}

}  // namespace
}  // namespace kazmig::indicators

#include "kazmig/risk/warnings.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kazmig::risk {
namespace {

ComponentHistory NetHistory(double last) {
  // Three regions; region 0 at -6, -5.5, `last`; region 1 always above; region 2 lacks 2023.
  return {"net_migration_rate_1y",
          Direction::kLessRisk,
          {{2022, {-6, 1, -9}}, {2023, {-5.5, 2, std::nan("")}}, {2024, {last, 3, -9}}}};
}

TEST(RiskWarnings, FiresExactlyAtTheThreshold) {
  const Rule rule{"net_outflow_3y", "net_migration_rate_1y", RuleTest::kAtMost, -5, 3};
  auto flags = EvaluateRules({rule}, {NetHistory(-5)}, 3, 2024);
  ASSERT_EQ(flags[0].size(), 1u);
  EXPECT_EQ(flags[0][0].rule, "net_outflow_3y");
  EXPECT_EQ(flags[0][0].years, (std::vector<int>{2022, 2023, 2024}));
  EXPECT_EQ(flags[0][0].values, (std::vector<double>{-6, -5.5, -5}));
  EXPECT_EQ(flags[0][0].detail,
            "net_migration_rate_1y <= -5 in every year of 2022-2024: -6, -5.5, -5");
  EXPECT_TRUE(flags[1].empty());
  EXPECT_TRUE(flags[2].empty());  // a missing year: no flag
  // One unit before the threshold: no flag.
  flags = EvaluateRules({rule}, {NetHistory(-4)}, 3, 2024);
  EXPECT_TRUE(flags[0].empty());
  // Strictly below: -5 does not fire, -5.000001 does.
  const Rule strict{"strict", "net_migration_rate_1y", RuleTest::kBelow, -5, 1};
  EXPECT_TRUE(EvaluateRules({strict}, {NetHistory(-5)}, 3, 2024)[0].empty());
  EXPECT_EQ(EvaluateRules({strict}, {NetHistory(-5.000001)}, 3, 2024)[0].size(), 1u);
  // A year without data (2025) or a component not present: nothing fires.
  EXPECT_TRUE(EvaluateRules({rule}, {NetHistory(-9)}, 3, 2025)[0].empty());
  const Rule other{"x", "unemployment", RuleTest::kAtLeast, 0, 1};
  EXPECT_TRUE(EvaluateRules({other}, {NetHistory(-9)}, 3, 2024)[0].empty());
}

TEST(RiskWarnings, TopQuintileRising) {
  // Ten regions with values 1..10 in 2024: the 80th percentile (type 7) is 8.2. Region 8 (value
  // 9) and region 9 (value 10) are in the top quintile; region 9 rose from 9.5, region 8 fell.
  ComponentHistory history{"departures_rate", Direction::kMoreRisk, {}};
  history.by_year[2024] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  history.by_year[2023] = {0, 0, 0, 0, 0, 0, 0, 7, 9.5, 9.5};
  const Rule rule{"rising", "departures_rate", RuleTest::kTopQuintileRising, 0, 2};
  auto flags = EvaluateRules({rule}, {history}, 10, 2024);
  EXPECT_TRUE(flags[7].empty());  // rising, but 8 < 8.2
  EXPECT_TRUE(flags[8].empty());  // top quintile, but fell
  ASSERT_EQ(flags[9].size(), 1u);
  EXPECT_EQ(flags[9][0].values, (std::vector<double>{9.5, 10}));
  // Exactly at the 80th percentile fires, one unit below does not: nine regions at 5 (the 80th
  // percentile is 5), one at 4, all risen by 1.
  history.by_year[2024] = {4, 5, 5, 5, 5, 5, 5, 5, 5, 5};
  history.by_year[2023] = {3, 4, 4, 4, 4, 4, 4, 4, 4, 4};
  flags = EvaluateRules({rule}, {history}, 10, 2024);
  EXPECT_TRUE(flags[0].empty());
  for (size_t region = 1; region < 10; ++region) EXPECT_EQ(flags[region].size(), 1u);
  // '-' components: the lowest values are the riskiest and "rising" risk means falling values.
  ComponentHistory income{"income_relative", Direction::kLessRisk, {}};
  income.by_year[2024] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  income.by_year[2023] = {2, 1, 3, 4, 5, 6, 7, 8, 9, 10};
  const Rule low{"low", "income_relative", RuleTest::kTopQuintileRising, 0, 2};
  flags = EvaluateRules({low}, {income}, 10, 2024);
  EXPECT_EQ(flags[0].size(), 1u);
  EXPECT_TRUE(flags[1].empty());
}

TEST(RiskWarnings, ParseTests) {
  RuleTest test;
  EXPECT_TRUE(ParseRuleTest(">=", test));
  EXPECT_EQ(test, RuleTest::kAtLeast);
  EXPECT_TRUE(ParseRuleTest("top_quintile_rising", test));
  EXPECT_FALSE(ParseRuleTest("=<", test));
  EXPECT_EQ(DefaultRules().size(), 4u);
}

}  // namespace
}  // namespace kazmig::risk

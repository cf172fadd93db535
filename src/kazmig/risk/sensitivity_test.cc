#include "kazmig/risk/sensitivity.h"

#include <gtest/gtest.h>

#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::risk {
namespace {

using kazmig::testing::NearRel;

std::vector<Component> Example(size_t regions, size_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<Component> components;
  for (size_t comp_idx = 0; comp_idx < count; ++comp_idx) {
    Component component{"c" + std::to_string(comp_idx),
                        comp_idx % 2 ? Direction::kLessRisk : Direction::kMoreRisk,
                        "",
                        {}};
    for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
      component.values.push_back(rng.Normal(0, 1) + 0.3 * static_cast<double>(region_idx));
    }
    components.push_back(std::move(component));
  }
  return components;
}

TEST(RiskSensitivity, BandsContainTheMedianAndAreReproducible) {
  const std::vector<Component> components = Example(20, 10, 3);
  SensitivityOptions options;
  options.draws = 500;
  options.seed = 42;
  const SensitivitySummary a = RunSensitivity(components, EqualWeights(10), {}, options);
  const SensitivitySummary b = RunSensitivity(components, EqualWeights(10), {}, options);
  options.threads = 3;
  const SensitivitySummary c = RunSensitivity(components, EqualWeights(10), {}, options);
  for (size_t region_idx = 0; region_idx < 20; ++region_idx) {
    EXPECT_LE(a.rank_p05[region_idx], a.median_rank[region_idx]);
    EXPECT_GE(a.rank_p95[region_idx], a.median_rank[region_idx]);
    EXPECT_GE(a.rank_p05[region_idx], 1.0);
    EXPECT_LE(a.rank_p95[region_idx], 20.0);
  }
  EXPECT_EQ(a.median_rank, b.median_rank);
  EXPECT_EQ(a.rank_p05, b.rank_p05);
  EXPECT_EQ(a.rank_p95, c.rank_p95);
  EXPECT_EQ(a.median_rank, c.median_rank);
  options.seed = 43;
  const SensitivitySummary d = RunSensitivity(components, EqualWeights(10), {}, options);
  EXPECT_NE(a.rank_p05, d.rank_p05);  // a different seed gives different draws
}

TEST(RiskSensitivity, DrawsSplitAnywhere) {
  // Ranks of draws [0, 300) equal those of [0, 120) followed by [120, 300): MPI-ready.
  const std::vector<Component> components = Example(7, 4, 5);
  SensitivityOptions options;
  const std::vector<double> weights = {0.4, 0.3, 0.2, 0.1};
  std::vector<int> all = SensitivityRanks(components, weights, {}, options, 0, 300);
  std::vector<int> head = SensitivityRanks(components, weights, {}, options, 0, 120);
  options.threads = 4;
  const std::vector<int> tail = SensitivityRanks(components, weights, {}, options, 120, 300);
  head.insert(head.end(), tail.begin(), tail.end());
  EXPECT_EQ(all, head);
}

TEST(RiskSensitivity, DirichletWeightsAroundTheChosenOnes) {
  const std::vector<double> weights = {0.5, 0.3, 0.2, 0.0};
  SensitivityOptions options;
  options.leave_one_out = false;
  std::vector<double> mean(4, 0.0);
  const size_t draws = 4000;
  for (size_t draw = 0; draw < draws; ++draw) {
    const DrawChoice choice = ChooseDraw(4, weights, {}, options, draw);
    EXPECT_TRUE(
        NearRel(std::accumulate(choice.weights.begin(), choice.weights.end(), 0.0), 1.0, 1e-12));
    EXPECT_EQ(choice.weights[3], 0.0);  // a zero weight stays zero
    for (size_t k = 0; k < 4; ++k) mean[k] += choice.weights[k] / draws;
  }
  // E[w_k] = alpha_k / sum(alpha) = w_k; sd of the mean of 4,000 draws is below 0.002.
  EXPECT_NEAR(mean[0], 0.5, 0.01);
  EXPECT_NEAR(mean[1], 0.3, 0.01);
  EXPECT_NEAR(mean[2], 0.2, 0.01);
}

TEST(RiskSensitivity, LeaveOneOutDropsEachComponent) {
  SensitivityOptions options;
  std::vector<int> dropped(5, 0);  // -1 (none), 0..3
  for (size_t draw = 0; draw < 2000; ++draw) {
    const DrawChoice choice = ChooseDraw(4, EqualWeights(4), {}, options, draw);
    ++dropped[static_cast<size_t>(choice.dropped + 1)];
    if (choice.dropped >= 0) {
      EXPECT_EQ(choice.weights[static_cast<size_t>(choice.dropped)], 0.0);
    }
  }
  for (int count : dropped) EXPECT_NEAR(count, 400, 80);  // each of the 5 cases about 1/5
}

TEST(RiskSensitivity, NothingVariedGivesTheNominalRanks) {
  const std::vector<Component> components = Example(9, 3, 8);
  SensitivityOptions options;
  options.draws = 50;
  options.vary_normalisation = false;
  options.vary_aggregation = false;
  options.leave_one_out = false;
  options.concentration = 1e9;  // weights practically fixed
  const IndexResult index = ComputeIndex(components, EqualWeights(3), {});
  const SensitivitySummary s = RunSensitivity(components, EqualWeights(3), {}, options);
  for (size_t region_idx = 0; region_idx < 9; ++region_idx) {
    EXPECT_EQ(s.median_rank[region_idx], index.ranks[region_idx]);
    EXPECT_TRUE(s.robust[region_idx]);
  }
}

TEST(RiskSensitivity, ReferenceRegionsAreNormalisedButNotRanked) {
  // Regions 0-4 ranked among themselves; 5-9 (a reference) only widen the normalisation.
  const std::vector<Component> components = Example(10, 3, 9);
  SensitivityOptions options;
  options.draws = 200;
  options.ranked_regions = 5;
  const SensitivitySummary s = RunSensitivity(components, EqualWeights(3), {}, options);
  ASSERT_EQ(s.median_rank.size(), 5u);
  for (size_t region_idx = 0; region_idx < 5; ++region_idx) {
    EXPECT_GE(s.rank_p05[region_idx], 1.0);
    EXPECT_LE(s.rank_p95[region_idx], 5.0);
  }
  options.ranked_regions = 11;
  EXPECT_THROW(RunSensitivity(components, EqualWeights(3), {}, options), UsageError);
}

TEST(RiskSensitivity, Settings) {
  SensitivityOptions options;
  options.draws = 0;
  EXPECT_THROW(RunSensitivity(Example(3, 2, 1), EqualWeights(2), {}, options), UsageError);
}

}  // namespace
}  // namespace kazmig::risk

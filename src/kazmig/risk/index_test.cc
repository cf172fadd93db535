#include "kazmig/risk/index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/risk/sensitivity.h"
#include "kazmig/testing/testing.h"

namespace kazmig::risk {
namespace {

using kazmig::testing::NearRel;

// The hand-worked example of docs/risk.md: three regions A, B, C.
//   unemployment (+)      4    6    9   -> min-max 0, 0.4, 1
//   income_relative (-) 120  100   80   -> (120 - x) / 40: 0, 0.5, 1
//   population_change (-) 5  -10    0   -> (5 - x) / 15: 0, 1, 1/3
std::vector<Component> HandExample() {
  return {{"unemployment", Direction::kMoreRisk, "%", {4, 6, 9}},
          {"income_relative", Direction::kLessRisk, "%", {120, 100, 80}},
          {"population_change", Direction::kLessRisk, "per 1,000", {5, -10, 0}}};
}

TEST(RiskIndex, HandWorkedLinearMinMax) {
  const IndexResult index = ComputeIndex(HandExample(), EqualWeights(3), IndexOptions{});
  // Scores: A = 0; B = (0.4 + 0.5 + 1) / 3 = 0.633333...; C = (1 + 1 + 1/3) / 3 = 7/9.
  EXPECT_EQ(index.scores[0], 0.0);
  EXPECT_TRUE(NearRel(index.scores[1], 0.6333333333333333, 1e-15));
  EXPECT_TRUE(NearRel(index.scores[2], 0.7777777777777778, 1e-15));
  EXPECT_EQ(index.ranks, (std::vector<int>{3, 2, 1}));
  // B's contributions: 0.4/3, 0.5/3, 1/3; they add up to the score.
  EXPECT_TRUE(NearRel(index.contributions[1][0], 0.13333333333333333, 1e-15));
  EXPECT_TRUE(NearRel(index.contributions[1][1], 0.16666666666666666, 1e-15));
  EXPECT_TRUE(NearRel(index.contributions[1][2], 0.3333333333333333, 1e-15));
  EXPECT_TRUE(NearRel(index.normalised[2][2], 1.0 / 3.0, 1e-15));
  for (size_t region = 0; region < 3; ++region) {
    const double sum = std::accumulate(index.contributions[region].begin(),
                                       index.contributions[region].end(), 0.0);
    EXPECT_TRUE(NearRel(sum, index.scores[region], 1e-15));
  }
}

TEST(RiskIndex, HandWorkedGeometric) {
  IndexOptions options;
  options.aggregation = Aggregation::kGeometric;  // shift 0.1: every component's minimum is 0
  const IndexResult index = ComputeIndex(HandExample(), EqualWeights(3), options);
  EXPECT_EQ(index.shifts, (std::vector<double>{0.1, 0.1, 0.1}));
  EXPECT_TRUE(NearRel(index.scores[0], 0.1, 1e-15));                 // (0.1^3)^(1/3)
  EXPECT_TRUE(NearRel(index.scores[1], 0.6910423230011185, 1e-14));  // (0.5*0.6*1.1)^(1/3)
  EXPECT_TRUE(NearRel(index.scores[2], 0.8063727119940751, 1e-14));  // (1.1*1.1*0.4333)^(1/3)
  EXPECT_EQ(index.ranks, (std::vector<int>{3, 2, 1}));
  EXPECT_TRUE(NearRel(index.contributions[1][1], -0.1702752079219969, 1e-14));  // ln(0.6)/3
}

TEST(RiskIndex, ZScoreHandWorked) {
  // unemployment 4, 6, 9: mean 19/3, sample sd sqrt(19/3).
  const std::vector<double> z = Normalise({4, 6, 9}, Direction::kMoreRisk, Normalisation::kZScore);
  const double sd = std::sqrt(19.0 / 3.0);
  EXPECT_TRUE(NearRel(z[0], (4 - 19.0 / 3.0) / sd, 1e-15));
  EXPECT_TRUE(NearRel(z[2], (9 - 19.0 / 3.0) / sd, 1e-15));
  const std::vector<double> z_minus =
      Normalise({4, 6, 9}, Direction::kLessRisk, Normalisation::kZScore);
  EXPECT_TRUE(NearRel(z_minus[0], -z[0], 1e-15));
}

TEST(RiskIndex, ConstantAndSingleRegion) {
  EXPECT_EQ(Normalise({3, 3, 3}, Direction::kMoreRisk, Normalisation::kMinMax),
            (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(Normalise({3}, Direction::kMoreRisk, Normalisation::kZScore), (std::vector<double>{0}));
  const IndexResult one = ComputeIndex({{"a", Direction::kMoreRisk, "", {7}}}, {1.0}, {});
  EXPECT_EQ(one.ranks, (std::vector<int>{1}));
}

TEST(RiskIndex, Winsorising) {
  // 5th and 95th percentiles (type 7) of 0..20 are 1 and 19.
  std::vector<double> values(21);
  std::iota(values.begin(), values.end(), 0.0);
  const std::vector<double> w = Winsorise(values, 5);
  EXPECT_EQ(w.front(), 1.0);
  EXPECT_EQ(w.back(), 19.0);
  EXPECT_EQ(w[10], 10.0);
  EXPECT_EQ(Winsorise(values, 0), values);
  EXPECT_THROW(Winsorise(values, 50), UsageError);
}

TEST(RiskIndex, MissingValueAndBadWeightsAreInputErrors) {
  std::vector<Component> components = HandExample();
  components[1].values[2] = std::nan("");
  EXPECT_THROW(ComputeIndex(components, EqualWeights(3), {}), InputError);
  EXPECT_THROW(ComputeIndex(HandExample(), {0.5, 0.5, 0.5}, {}), InputError);
  EXPECT_THROW(ComputeIndex(HandExample(), {1.2, -0.1, -0.1}, {}), InputError);
  EXPECT_THROW(ComputeIndex(HandExample(), {0.5, 0.5}, {}), ComputeError);
}

TEST(RiskIndex, EqualWeightsSumToOne) {
  for (size_t k : {1u, 3u, 7u, 10u}) {
    const std::vector<double> w = EqualWeights(k);
    EXPECT_TRUE(NearRel(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-15));
  }
}

// Random components for the property tests.
std::vector<Component> RandomComponents(Rng& rng, size_t regions, size_t count) {
  std::vector<Component> components;
  for (size_t comp_idx = 0; comp_idx < count; ++comp_idx) {
    Component component{"c" + std::to_string(comp_idx),
                        rng.Bernoulli(0.5) ? Direction::kMoreRisk : Direction::kLessRisk,
                        "",
                        {}};
    for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
      component.values.push_back(rng.Normal(10, 3));
    }
    components.push_back(std::move(component));
  }
  return components;
}

TEST(RiskIndex, MonotoneInEveryComponent) {
  // Worsening one component of one region (a higher value for '+', lower for '-') never lowers
  // that region's score: min-max with either aggregation, z-scores with linear aggregation (a
  // region's own z-score rises with its value: dz/dx = ((1 - 1/n) - z^2 / (n - 1)) / sd >= 0),
  // with and without winsorising. Not z-scores with geometric aggregation: its shift depends on
  // the lowest z-score, so raising an extreme value can narrow the region's distance from it
  // (docs/risk.md says so).
  Rng rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const std::vector<Component> base = RandomComponents(rng, 8, 4);
    IndexOptions options;
    options.normalisation = trial % 2 ? Normalisation::kMinMax : Normalisation::kZScore;
    options.aggregation = trial % 4 < 2 || options.normalisation == Normalisation::kZScore
                              ? Aggregation::kLinear
                              : Aggregation::kGeometric;
    options.winsorise = trial % 3 == 0 ? 10 : 0;
    const std::vector<double> weights = {0.1, 0.2, 0.3, 0.4};
    const size_t region = rng.UniformInt(8);
    const size_t comp = rng.UniformInt(4);
    std::vector<Component> worse = base;
    const double step = rng.Uniform(0.01, 5);
    worse[comp].values[region] += base[comp].direction == Direction::kMoreRisk ? step : -step;
    const double before = ComputeIndex(base, weights, options).scores[region];
    const double after = ComputeIndex(worse, weights, options).scores[region];
    EXPECT_GE(after, before - 1e-12) << "trial " << trial;
  }
}

TEST(RiskIndex, WorstOnEveryComponentRanksFirst) {
  Rng rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<Component> components = RandomComponents(rng, 12, 5);
    const size_t worst = rng.UniformInt(12);
    for (Component& component : components) {
      double extreme = component.values[0];
      for (double value : component.values) {
        extreme = component.direction == Direction::kMoreRisk ? std::max(extreme, value)
                                                              : std::min(extreme, value);
      }
      component.values[worst] =
          extreme + (component.direction == Direction::kMoreRisk ? 1.0 : -1.0);
    }
    for (Aggregation aggregation : {Aggregation::kLinear, Aggregation::kGeometric}) {
      for (Normalisation normalisation : {Normalisation::kMinMax, Normalisation::kZScore}) {
        IndexOptions options;
        options.aggregation = aggregation;
        options.normalisation = normalisation;
        EXPECT_EQ(ComputeIndex(components, EqualWeights(5), options).ranks[worst], 1);
      }
    }
    SensitivityOptions sensitivity;
    sensitivity.draws = 200;
    const SensitivitySummary summary =
        RunSensitivity(components, EqualWeights(5), IndexOptions{}, sensitivity);
    EXPECT_EQ(summary.median_rank[worst], 1.0);
    EXPECT_EQ(summary.rank_p95[worst], 1.0);
  }
}

TEST(RiskIndex, PcaWeights) {
  // Two perfectly correlated components and one independent one: eigenvalues 2, 1, 0 (only the
  // first is above 1), weights 1/2, 1/2, 0.
  const std::vector<Component> components = {{"a", Direction::kMoreRisk, "", {1, 2, 3, 4}},
                                             {"b", Direction::kMoreRisk, "", {2, 4, 6, 8}},
                                             {"c", Direction::kMoreRisk, "", {1, -1, -1, 1}}};
  const PcaWeights pca = ComputePcaWeights(components, 0);
  EXPECT_EQ(pca.retained, 1u);
  EXPECT_TRUE(NearRel(pca.eigenvalues[0], 2.0, 1e-12));
  EXPECT_TRUE(NearRel(pca.weights[0], 0.5, 1e-12));
  EXPECT_TRUE(NearRel(pca.weights[1], 0.5, 1e-12));
  EXPECT_NEAR(pca.weights[2], 0.0, 1e-12);
  EXPECT_NO_THROW(CheckWeights(pca.weights));
  EXPECT_THROW(ComputePcaWeights({components[0], {"k", Direction::kMoreRisk, "", {1, 1, 1, 1}}}, 0),
               InputError);
}

TEST(RiskIndex, ParseNames) {
  EXPECT_EQ(ParseNormalisation("zscore"), Normalisation::kZScore);
  EXPECT_EQ(ParseAggregation("geometric"), Aggregation::kGeometric);
  EXPECT_THROW(ParseNormalisation("rank"), UsageError);
  EXPECT_EQ(DirectionSign(Direction::kLessRisk), '-');
}

}  // namespace
}  // namespace kazmig::risk

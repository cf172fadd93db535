#include "kazmig/project/regional.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/project/scenario.h"
#include "kazmig/testing/testing.h"

namespace kazmig::project {
namespace {

using ::kazmig::testing::NearRel;

// Five regions with distinct rates and a noisy AR(1)-like inter-regional sampler.
RegionalModel FiveRegions() {
  RegionalModel model;
  model.region_ids = {"a", "b", "c", "d", "e"};
  model.base_population = {1'000'000, 250'000, 2'000'000, 600'000, 90'000};
  model.base_year = 2024;
  const std::vector<std::vector<double>> births = {{0.020, 0.021, 0.019, 0.020},
                                                   {0.025, 0.024, 0.026, 0.023},
                                                   {0.015, 0.016, 0.014, 0.015},
                                                   {0.022, 0.022, 0.021, 0.020},
                                                   {0.030, 0.028, 0.029, 0.031}};
  for (const auto& series : births) {
    model.birth.push_back(FitLogRateWalk(series));
    std::vector<double> deaths;
    for (double rate : series) deaths.push_back(rate * 0.4);
    model.death.push_back(FitLogRateWalk(deaths));
  }
  model.international = FitAr1({-2.0, -1.5, -1.0, 0.5, 1.0, -0.5, 0.2});
  model.internal = [](size_t /*draw_idx*/, Rng& rng, std::vector<double>& rates) {
    const double level[] = {5, -8, 3, -4, 10};
    for (size_t cell = 0; cell < rates.size(); ++cell) {
      rates[cell] = level[cell % 5] + 2 * rng.Normal();
    }
  };
  return model;
}

Scenario Quota(double persons) {
  Scenario scenario;
  scenario.name = "quota";
  scenario.transfers.push_back(
      {"quota.persons", 2025, 2035, persons, {{1, 0}, {3, 0}}, {{0, 2}, {4, 1}}});
  return scenario;
}

Scenario Kandas(double persons) {
  Scenario scenario;
  scenario.name = "kandas";
  scenario.international.push_back({"kandas.level", 2025, 2030, persons, {{2, 0.7}, {4, 0.3}}});
  return scenario;
}

Scenario Pull(double percent) {
  Scenario scenario;
  scenario.name = "pull";
  scenario.urban_pulls.push_back({"pull.percent", 2024, 2035, percent, {0, 2}});
  return scenario;
}

ProjectionSettings Settings(size_t draws, int threads) {
  ProjectionSettings settings;
  settings.horizon = 11;
  settings.draws = draws;
  settings.seed = 7;
  settings.threads = threads;
  return settings;
}

TEST(ProjectRegions, AccountingIdentityAndZeroSumInEveryDraw) {
  const RegionalModel model = FiveRegions();
  const Scenario composed = Compose({Quota(5000), Kandas(12000), Pull(20)});
  const auto runs = ProjectRegions(model, {Scenario{}, composed}, Settings(200, 2));
  for (const ProjectionRun& run : runs) {
    for (size_t draw_idx = 0; draw_idx < run.draws; ++draw_idx) {
      for (int step = 0; step < run.horizon; ++step) {
        double internal_sum = 0;
        double internal_abs = 0;
        for (size_t region_idx = 0; region_idx < run.regions; ++region_idx) {
          const size_t cell = run.ComponentIndex(draw_idx, step, region_idx);
          const double expected = run.Population(draw_idx, step, region_idx) + run.births[cell] -
                                  run.deaths[cell] + run.internal[cell] + run.international[cell];
          // Exact: the projection computes the identity in this order.
          ASSERT_EQ(run.Population(draw_idx, step + 1, region_idx), expected);
          ASSERT_GT(run.Population(draw_idx, step + 1, region_idx), 0);
          internal_sum += run.internal[cell];
          internal_abs += std::fabs(run.internal[cell]);
        }
        // Zero-sum up to rounding of doubles (about 1e-16 of the flows).
        ASSERT_LE(std::fabs(internal_sum), 1e-9 * internal_abs + 1e-9) << run.scenario;
      }
    }
  }
}

TEST(ProjectRegions, NoBirthsDeathsOrMigrationKeepsPopulationConstant) {
  RegionalModel model;
  model.region_ids = {"x", "y", "z"};
  model.base_population = {100, 200.5, 3e6};
  model.base_year = 2000;
  LogRateWalk zero;  // rate exp(-inf) = 0
  zero.last_log_rate = -INFINITY;
  model.birth.assign(3, zero);
  model.death.assign(3, zero);
  model.international = Ar1Fit{};  // mu = phi = sigma = 0, last 0
  model.internal = nullptr;
  // A non-finite last rate is refused; a rate of exactly 0 is a log rate of -inf, so use the
  // smallest representable instead and check constancy to within that.
  EXPECT_THROW(ProjectRegions(model, {Scenario{}}, Settings(3, 1)), InputError);
  zero.last_log_rate = -800;  // exp(-800) == 0 in double
  model.birth.assign(3, zero);
  model.death.assign(3, zero);
  const auto runs = ProjectRegions(model, {Scenario{}}, Settings(3, 1));
  for (size_t draw_idx = 0; draw_idx < 3; ++draw_idx) {
    for (int step = 0; step <= 11; ++step) {
      for (size_t region_idx = 0; region_idx < 3; ++region_idx) {
        EXPECT_EQ(runs[0].Population(draw_idx, step, region_idx),
                  model.base_population[region_idx]);
      }
    }
  }
}

TEST(ProjectRegions, SameSeedSameOutputAndThreadInvariance) {
  const RegionalModel model = FiveRegions();
  const std::vector<Scenario> scenarios = {Scenario{}, Quota(3000)};
  const auto one = ProjectRegions(model, scenarios, Settings(101, 1));
  const auto again = ProjectRegions(model, scenarios, Settings(101, 1));
  const auto three = ProjectRegions(model, scenarios, Settings(101, 3));
  for (size_t idx = 0; idx < scenarios.size(); ++idx) {
    EXPECT_EQ(one[idx].population, again[idx].population);
    EXPECT_EQ(one[idx].population, three[idx].population);
    EXPECT_EQ(one[idx].internal, three[idx].internal);
    EXPECT_EQ(one[idx].international, three[idx].international);
  }
  ProjectionSettings other = Settings(101, 1);
  other.seed = 8;
  EXPECT_NE(ProjectRegions(model, scenarios, other)[0].population, one[0].population);
}

TEST(ProjectRegions, DrawRangesConcatenateToTheFullRun) {
  const RegionalModel model = FiveRegions();
  const auto full = ProjectRegions(model, {Quota(1000)}, Settings(50, 1));
  std::vector<ProjectionRun> parts;
  for (int rank = 0; rank < 3; ++rank) {
    ProjectionSettings settings = Settings(50, 2);
    const DrawSpan span = DrawRange(50, rank, 3);
    settings.first_draw = span.first;
    settings.draw_count = span.count;
    parts.push_back(ProjectRegions(model, {Quota(1000)}, settings)[0]);
  }
  const ProjectionRun joined = ConcatenateDraws(parts);
  EXPECT_EQ(joined.draws, 50u);
  EXPECT_EQ(joined.population, full[0].population);
  EXPECT_EQ(joined.births, full[0].births);
}

TEST(ProjectRegions, CompositionIsOrderIndependentAndAdditive) {
  const RegionalModel model = FiveRegions();
  const Scenario ab = Compose({Quota(4000), Kandas(9000), Pull(15)});
  const Scenario ba = Compose({Pull(15), Kandas(9000), Quota(4000)});
  EXPECT_EQ(ab.name, "quota+kandas+pull");
  EXPECT_EQ(ba.name, "pull+kandas+quota");
  const auto runs = ProjectRegions(model, {ab, ba}, Settings(40, 2));
  EXPECT_EQ(runs[0].population, runs[1].population);
  EXPECT_EQ(runs[0].internal, runs[1].internal);
  // Composing with the baseline changes nothing.
  const auto with_base =
      ProjectRegions(model, {Compose({Scenario{}, Quota(4000)}), Quota(4000)}, Settings(20, 1));
  EXPECT_EQ(with_base[0].population, with_base[1].population);
  EXPECT_EQ(Compose({Scenario{}, Quota(4000)}).name, "quota");
}

TEST(ProjectRegions, QuotaMovesExactlyItsPersonsInTheFirstYear) {
  const RegionalModel model = FiveRegions();
  const auto runs = ProjectRegions(model, {Scenario{}, Quota(6000)}, Settings(10, 1));
  // First flow year 2024 is before the quota (2025..2035): identical; 2025: origins lose 6,000
  // split by population (b: 250k, d: 600k), destinations gain 2:1.
  for (size_t draw_idx = 0; draw_idx < 10; ++draw_idx) {
    for (size_t region_idx = 0; region_idx < 5; ++region_idx) {
      const size_t first = runs[0].ComponentIndex(draw_idx, 0, region_idx);
      EXPECT_EQ(runs[0].internal[first], runs[1].internal[first]);
    }
    const size_t base_b = runs[0].ComponentIndex(draw_idx, 1, 1);
    const double pop_b = runs[1].Population(draw_idx, 1, 1);
    const double pop_d = runs[1].Population(draw_idx, 1, 3);
    EXPECT_TRUE(NearRel(runs[1].internal[base_b] - runs[0].internal[base_b],
                        -6000 * pop_b / (pop_b + pop_d), 1e-9, 1e-6));
    const size_t base_a = runs[0].ComponentIndex(draw_idx, 1, 0);
    EXPECT_TRUE(NearRel(runs[1].internal[base_a] - runs[0].internal[base_a], 4000, 1e-9, 1e-6));
  }
}

TEST(ProjectRegions, UrbanPullRaisesCitiesAndIsZeroSum) {
  const RegionalModel model = FiveRegions();
  const auto runs = ProjectRegions(model, {Scenario{}, Pull(50)}, Settings(20, 1));
  for (size_t draw_idx = 0; draw_idx < 20; ++draw_idx) {
    // City "a" has a positive trend (+5 per 1,000): its net rises by half of the baseline's.
    const size_t cell = runs[0].ComponentIndex(draw_idx, 0, 0);
    if (runs[0].internal[cell] > 0) {
      EXPECT_TRUE(NearRel(runs[1].internal[cell], 1.5 * runs[0].internal[cell], 1e-12));
    }
  }
}

TEST(ProjectRegions, BadScenariosNameTheirKey) {
  const RegionalModel model = FiveRegions();
  try {
    ProjectRegions(model, {Quota(1e6)}, Settings(2, 1));  // 294k of 1M from b (250k)
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("quota.persons"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("more than its population"), std::string::npos);
  }
  Scenario bad_region = Quota(10);
  bad_region.transfers[0].destinations.push_back({9, 1});
  EXPECT_THROW(ProjectRegions(model, {bad_region}, Settings(2, 1)), InputError);
  Scenario reversed = Kandas(1);
  reversed.international[0].first_year = 2030;
  reversed.international[0].last_year = 2029;
  EXPECT_THROW(ProjectRegions(model, {reversed}, Settings(2, 1)), InputError);
  // An emigration large enough to empty a region over the years: refused with the region named.
  Scenario drain;
  drain.name = "drain";
  drain.international.push_back({"drain.level", 2024, 2035, -80'000, {{4, 1}}});
  try {
    ProjectRegions(model, {drain}, Settings(2, 1));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("region e"), std::string::npos) << error.what();
  }
}

TEST(FitLogRateWalk, DriftAndSigmaOfLogDifferences) {
  // log differences: log(1.1), log(1.1): drift log 1.1, sigma 0.
  const LogRateWalk walk = FitLogRateWalk({0.01, 0.011, 0.0121});
  EXPECT_TRUE(NearRel(walk.drift, std::log(1.1), 1e-12));
  EXPECT_NEAR(walk.sigma, 0, 1e-12);
  EXPECT_TRUE(NearRel(walk.last_log_rate, std::log(0.0121)));
  EXPECT_THROW(FitLogRateWalk({0.01, 0.02}), InputError);
  EXPECT_THROW(FitLogRateWalk({0.01, 0.0, 0.02}), InputError);
  EXPECT_THROW(FitLogRateWalk({0.01, NAN, 0.02}), InputError);
}

TEST(FitAr1, RecoversAKnownProcess) {
  Rng rng(3);
  std::vector<double> values = {2.0};
  for (int idx = 0; idx < 4000; ++idx)
    values.push_back(2 + 0.6 * (values.back() - 2) + rng.Normal());
  const Ar1Fit fit = FitAr1(values);
  EXPECT_NEAR(fit.phi, 0.6, 0.05);
  EXPECT_NEAR(fit.mu, 2.0, 0.1);
  EXPECT_NEAR(fit.sigma, 1.0, 0.05);
  EXPECT_THROW(FitAr1({1, 2, 3}), InputError);
}

TEST(QuantilesOf, TypeSevenInterpolation) {
  std::vector<double> values = {5, 1, 4, 2, 3};  // sorted 1..5
  const Quantiles q = QuantilesOf(values);
  EXPECT_DOUBLE_EQ(q.median, 3);
  EXPECT_DOUBLE_EQ(q.lower80, 1.4);
  EXPECT_DOUBLE_EQ(q.upper80, 4.6);
  EXPECT_DOUBLE_EQ(q.lower95, 1.1);
  EXPECT_DOUBLE_EQ(q.upper95, 4.9);
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(QuantilesOf(empty).median));
}

TEST(DrawRange, SplitsEvenlyInRankOrder) {
  EXPECT_EQ(DrawRange(10, 0, 3).first, 0u);
  EXPECT_EQ(DrawRange(10, 0, 3).count, 4u);
  EXPECT_EQ(DrawRange(10, 1, 3).first, 4u);
  EXPECT_EQ(DrawRange(10, 2, 3).first, 7u);
  EXPECT_EQ(DrawRange(10, 2, 3).count, 3u);
}

}  // namespace
}  // namespace kazmig::project

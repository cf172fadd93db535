#include "kazmig/project/cohort_component.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::project {
namespace {

using ::kazmig::testing::NearRel;

// Uniform on [0, 1) from the raw 53 high bits of the generator (no std:: distributions).
double Uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
double Uniform(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * Uniform(rng);
}

// The hand-worked example: two regions A, B; three age groups 0-4, 5-9, 10+ (n = 5, so h = n/2 =
// 2.5 and the step is 5 years); sex ratio at birth 1 (births split in halves).
//
// Schedules (the same for both sexes):
//   survival   group 0: S_A = S_B = 1;  group 1: S_A = 9/11, S_B = 1;  open: S_A = 0.5, S_B = 0.6;
//              births: 1, 1
//   rates      group 0 (and births): m_AB = 0.04, m_BA = 0.02;  group 1: m_AB = 0.04;  open: none
//   ASFR       group 1: A 0.1, B 0.2 (others 0)
//   international counts per year: A females ending in group 1: +20;  B males ending in 10+: -10
//   population females A [1000, 800, 500], B [600, 400, 300]; males A [0, 0, 0], B [0, 0, 200]
//
// Movement matrices P = [I + hM]^-1 [I - hM], column = region at the start:
//   group 0: hM = [[0.1, -0.05], [-0.1, 0.05]] (no deaths), det(I + hM) = 1.1 x 1.05 - 0.005 =
//     1.15, (I + hM)^-1 = [[1.05, 0.05], [0.1, 1.1]] / 1.15, I - hM = [[0.9, 0.05], [0.1, 0.95]],
//     P(0) = [[0.95, 0.1], [0.2, 1.05]] / 1.15 = [[19/23, 2/23], [4/23, 21/23]].
//   group 1: h d_A = (1 - 9/11) / (1 + 9/11) = 0.1, so hM = [[0.1 + 0.1, 0], [-0.1, 0]],
//     (I + hM)^-1 = [[1/1.2, 0], [0.1/1.2, 1]], I - hM = [[0.8, 0], [0.1, 1]],
//     P(1) = [[2/3, 0], [1/6, 1]]: of A, 1/6 dies (not 2/11: the movers leave A's mortality).
//   open:    P(2) = diag(0.5, 0.6).
//   births:  h = n/4 = 1.25: hM = [[0.05, -0.025], [-0.05, 0.025]], det(I + hM) = 1.075,
//     P_b = [[0.975, 0.05], [0.1, 1.025]] / 1.075 = [[39/43, 2/43], [4/43, 41/43]].
//
// Females, step 0 -> 5:
//   10-14 -> group 1 from group 0: G_A = 5 x 20 = 100, half at the start: x = [1050, 600];
//     P(0) x = [(19 x 1050 + 2 x 600)/23, (4 x 1050 + 21 x 600)/23] = [21150/23, 16800/23];
//     N_1 = [21150/23 + 50, 16800/23] = [22300/23, 16800/23] = [969.5652173913044, 730.4347826..].
//     internal: A -> B 4200/23, B -> A 1200/23; no deaths.
//   10+: P(1) [800, 400] + P(2) [500, 300] = [1600/3 + 250, 1600/3 + 180] = [2350/3, 2140/3];
//     deaths A = 800/6 + 250 = 1150/3, B = 0.4 x 300 = 120; A -> B 800/6 = 400/3.
//   births: B_A = 5 x 0.1 x (800 + 22300/23)/2 = 10175/23 = 442.3913..,
//           B_B = 5 x 0.2 x (400 + 16800/23)/2 = 13000/23 = 565.2173..;
//     each sex half: x = [10175/46, 13000/46];
//     N_0 = P_b x = [(39 x 10175 + 2 x 13000)/1978, (4 x 10175 + 41 x 13000)/1978]
//         = [422825/1978, 286850/989] = [213.7639029322548, 290.0404448938322];
//     A -> B 4/43 x 10175/46 = 20350/989 babies of each sex.
// Males: groups 0 and 1 empty, so N_1 = 0; 10+ of B: G = 5 x -10 = -50, x = 200 - 25 = 175,
//   0.6 x 175 - 25 = 80, deaths 0.4 x 175 = 70 (200 - 70 - 50 = 80); N_0 as for females.
// Totals: A = 22300/23 + 2350/3 + 2 x 422825/1978 = 281275/129 = 2180.426356589147,
//         B = 16800/23 + 2140/3 + 80 + 2 x 286850/989 = 6242120/2967 = 2103.849005729693.
CohortInput HandExample() {
  CohortInput input(2, 3, 5);
  input.region_names = {"A", "B"};
  input.sex_ratio_at_birth = 1;
  for (int sex = 0; sex < kSexes; ++sex) {
    input.survival(0, sex, 0) = 1;
    input.survival(1, sex, 0) = 1;
    input.survival(0, sex, 1) = 9.0 / 11.0;
    input.survival(1, sex, 1) = 1;
    input.survival(0, sex, 2) = 0.5;
    input.survival(1, sex, 2) = 0.6;
    input.birth_survival[0 * kSexes + sex] = 1;
    input.birth_survival[1 * kSexes + sex] = 1;
    input.migration_rates(sex, 0, 0, 1) = 0.04;
    input.migration_rates(sex, 0, 1, 0) = 0.02;
    input.migration_rates(sex, 1, 0, 1) = 0.04;
  }
  input.has_migration_rates = true;
  input.fertility[0 * 3 + 1] = 0.1;
  input.fertility[1 * 3 + 1] = 0.2;
  input.has_international_counts = true;
  input.international_counts(0, kFemale, 1) = 20;
  input.international_counts(1, kMale, 2) = -10;
  const double females[2][3] = {{1000, 800, 500}, {600, 400, 300}};
  for (int region = 0; region < 2; ++region) {
    for (int age = 0; age < 3; ++age) input.population(region, kFemale, age) = females[region][age];
  }
  input.population(1, kMale, 2) = 200;
  return input;
}

constexpr double kExact = 1e-14;  // the hand example's figures are exact fractions

TEST(CohortComponent, HandWorkedTwoRegionsThreeAgeGroups) {
  const CohortResult result = ProjectMultiregional(HandExample(), 1);
  ASSERT_EQ(result.population.size(), 2u);
  const RegionSexAge& end = result.population[1];
  EXPECT_TRUE(NearRel(end(0, kFemale, 1), 22300.0 / 23, kExact));
  EXPECT_TRUE(NearRel(end(1, kFemale, 1), 16800.0 / 23, kExact));
  EXPECT_TRUE(NearRel(end(0, kFemale, 1), 969.5652173913044, kExact));
  EXPECT_TRUE(NearRel(end(0, kFemale, 2), 2350.0 / 3, kExact));
  EXPECT_TRUE(NearRel(end(1, kFemale, 2), 2140.0 / 3, kExact));
  EXPECT_TRUE(NearRel(end(0, kFemale, 0), 213.7639029322548, kExact));
  EXPECT_TRUE(NearRel(end(1, kFemale, 0), 290.0404448938322, kExact));
  EXPECT_TRUE(NearRel(end(0, kMale, 0), 422825.0 / 1978, kExact));
  EXPECT_EQ(end(0, kMale, 1), 0);
  EXPECT_TRUE(NearRel(end(1, kMale, 2), 80, kExact));
  EXPECT_TRUE(NearRel(end.RegionTotal(0), 2180.426356589147, kExact));
  EXPECT_TRUE(NearRel(end.RegionTotal(1), 2103.849005729693, kExact));

  const CohortStep& step = result.steps[0];
  EXPECT_TRUE(NearRel(step.births[0 * kSexes + kFemale], 10175.0 / 46, kExact));
  EXPECT_TRUE(NearRel(step.births[1 * kSexes + kMale], 13000.0 / 46, kExact));
  EXPECT_TRUE(NearRel(step.deaths(0, kFemale, 2), 1150.0 / 3, kExact));
  EXPECT_TRUE(NearRel(step.deaths(1, kFemale, 2), 120, kExact));
  EXPECT_TRUE(NearRel(step.deaths(1, kMale, 2), 70, kExact));
  EXPECT_TRUE(NearRel(step.deaths(0, kFemale, 1), 0, kExact, 1e-12));
  EXPECT_TRUE(NearRel(step.internal_out(0, kFemale, 1), 4200.0 / 23, kExact));
  EXPECT_TRUE(NearRel(step.internal_in(0, kFemale, 1), 1200.0 / 23, kExact));
  EXPECT_TRUE(NearRel(step.internal_in(1, kFemale, 2), 400.0 / 3, kExact));
  EXPECT_TRUE(NearRel(step.internal_out(0, kFemale, 0), 20350.0 / 989, kExact));
  EXPECT_TRUE(NearRel(step.international(0, kFemale, 1), 100, kExact));
  EXPECT_TRUE(NearRel(step.international(1, kMale, 2), -50, kExact));
}

// The accounting identity of every region, sex and age group at the end of a step, and of every
// region's total; and sum_r internal in = sum_r internal out for every sex and age.
void ExpectAccounting(const CohortResult& result, double tol = 1e-12) {
  for (size_t step_idx = 0; step_idx < result.steps.size(); ++step_idx) {
    const RegionSexAge& start = result.population[step_idx];
    const RegionSexAge& end = result.population[step_idx + 1];
    const CohortStep& step = result.steps[step_idx];
    const int regions = start.regions(), ages = start.ages();
    for (int sex = 0; sex < kSexes; ++sex) {
      for (int age = 0; age < ages; ++age) {
        double in = 0, out = 0;
        for (int region = 0; region < regions; ++region) {
          double entering = 0;
          if (age == 0) entering = step.births[region * kSexes + sex];
          if (age > 0) entering = start(region, sex, age - 1);
          if (age == ages - 1) entering += start(region, sex, age);
          const double expected =
              entering - step.deaths(region, sex, age) + step.internal_in(region, sex, age) -
              step.internal_out(region, sex, age) + step.international(region, sex, age);
          const double scale = entering + step.internal_in(region, sex, age) +
                               step.internal_out(region, sex, age) +
                               std::abs(step.international(region, sex, age));
          EXPECT_NEAR(end(region, sex, age), expected, tol * std::max(1.0, scale))
              << "step " << step_idx << " region " << region << " sex " << sex << " age " << age;
          EXPECT_GE(step.deaths(region, sex, age), -tol * std::max(1.0, scale));
          in += step.internal_in(region, sex, age);
          out += step.internal_out(region, sex, age);
        }
        EXPECT_NEAR(in, out, tol * std::max(1.0, in)) << "step " << step_idx << " age " << age;
      }
    }
    for (int region = 0; region < regions; ++region) {
      double births = 0, deaths = 0, in = 0, out = 0, international = 0;
      for (int sex = 0; sex < kSexes; ++sex) {
        births += step.births[region * kSexes + sex];
        for (int age = 0; age < ages; ++age) {
          deaths += step.deaths(region, sex, age);
          in += step.internal_in(region, sex, age);
          out += step.internal_out(region, sex, age);
          international += step.international(region, sex, age);
        }
      }
      const double total = start.RegionTotal(region);
      EXPECT_NEAR(end.RegionTotal(region), total + births - deaths + in - out + international,
                  tol * std::max(1.0, total + births + in + out + std::abs(international)));
    }
  }
}

TEST(CohortComponent, HandExampleKeepsTheIdentity) {
  ExpectAccounting(ProjectMultiregional(HandExample(), 2));
}

// A random input: `regions` regions, `ages` groups of width `width`, every component switched on.
CohortInput RandomInput(std::mt19937_64& rng, int regions, int ages, int width, bool rates,
                        bool counts, bool international) {
  CohortInput input(regions, ages, width);
  input.sex_ratio_at_birth = Uniform(rng, 1.0, 1.1);
  const double h = width / 2.0;
  for (int region = 0; region < regions; ++region) {
    for (int sex = 0; sex < kSexes; ++sex) {
      input.birth_survival[region * kSexes + sex] = Uniform(rng, 0.95, 1.0);
      for (int age = 0; age < ages; ++age) {
        input.population(region, sex, age) = Uniform(rng, 1000, 50000);
        input.survival(region, sex, age) = Uniform(rng, 0.5, 1.0);
        if (international) {
          input.international_counts(region, sex, age) = Uniform(rng, -20, 40);
          input.international_rates(region, sex, age) = Uniform(rng, -0.004, 0.004);
        }
      }
    }
    for (int age = 1; age < ages; ++age) {
      input.fertility[region * ages + age] = Uniform(rng, 0.0, 0.15);
    }
  }
  for (int sex = 0; sex < kSexes; ++sex) {
    for (int age = 0; age < ages; ++age) {
      for (int origin = 0; origin < regions; ++origin) {
        for (int destination = 0; destination < regions; ++destination) {
          if (origin == destination) continue;
          // Keep (n/2) sum of rates well inside the linear approximation's bound.
          if (rates)
            input.migration_rates(sex, age, origin, destination) =
                Uniform(rng, 0, 0.2 / (h * regions));
          if (counts) input.migration_counts(sex, age, origin, destination) = Uniform(rng, 0, 30);
        }
      }
    }
  }
  input.has_migration_rates = rates;
  input.has_migration_counts = counts;
  input.has_international_counts = international;
  input.has_international_rates = international;
  return input;
}

TEST(CohortComponent, AccountingIdentityAndZeroSumOnRandomInputs) {
  std::mt19937_64 rng(20261206);
  for (int trial = 0; trial < 40; ++trial) {
    const int regions = 1 + static_cast<int>(rng() % 6);
    const int ages = 2 + static_cast<int>(rng() % 20);
    const int width = trial % 2 == 0 ? 1 : 5;
    const bool rates = regions > 1 && rng() % 2 == 0;
    const bool counts = regions > 1 && rng() % 2 == 0;
    const CohortInput input = RandomInput(rng, regions, ages, width, rates, counts, true);
    SCOPED_TRACE(::testing::Message() << "trial " << trial << ", " << regions << " regions, "
                                      << ages << " ages, width " << width);
    ExpectAccounting(ProjectMultiregional(input, 6));
  }
}

TEST(CohortComponent, WithoutBirthsDeathsOrMigrationThePopulationOnlyAges) {
  std::mt19937_64 rng(7);
  CohortInput input = RandomInput(rng, 3, 6, 5, false, false, false);
  for (double& ratio : input.survival.values()) ratio = 1;
  for (double& rate : input.fertility) rate = 0;
  const CohortResult result = ProjectMultiregional(input, 8);
  for (size_t step_idx = 1; step_idx < result.population.size(); ++step_idx) {
    const RegionSexAge& before = result.population[step_idx - 1];
    const RegionSexAge& after = result.population[step_idx];
    for (int region = 0; region < 3; ++region) {
      EXPECT_DOUBLE_EQ(after.RegionTotal(region), input.population.RegionTotal(region));
      for (int sex = 0; sex < kSexes; ++sex) {
        EXPECT_EQ(after(region, sex, 0), 0);
        for (int age = 1; age < 5; ++age)
          EXPECT_EQ(after(region, sex, age), before(region, sex, age - 1));
        EXPECT_EQ(after(region, sex, 5), before(region, sex, 4) + before(region, sex, 5));
      }
    }
  }
}

void ExpectSamePopulations(const CohortResult& actual, const CohortResult& expected, int region_a,
                           int region_e, double tol) {
  ASSERT_EQ(actual.population.size(), expected.population.size());
  for (size_t step_idx = 0; step_idx < actual.population.size(); ++step_idx) {
    for (int sex = 0; sex < kSexes; ++sex) {
      for (int age = 0; age < actual.population[0].ages(); ++age) {
        EXPECT_TRUE(NearRel(actual.population[step_idx](region_a, sex, age),
                            expected.population[step_idx](region_e, sex, age), tol))
            << "step " << step_idx << " sex " << sex << " age " << age;
      }
    }
  }
}

TEST(CohortComponent, SingleRegionEqualsMultiregionalWithOneRegion) {
  std::mt19937_64 rng(11);
  for (int width : {1, 5}) {
    const CohortInput input = RandomInput(rng, 1, 18, width, false, false, true);
    const CohortResult single = ProjectSingleRegion(input, 10);
    const CohortResult multi = ProjectMultiregional(input, 10);
    ExpectSamePopulations(multi, single, 0, 0, 1e-13);
    for (size_t step_idx = 0; step_idx < single.steps.size(); ++step_idx) {
      for (int sex = 0; sex < kSexes; ++sex) {
        EXPECT_TRUE(
            NearRel(multi.steps[step_idx].births[sex], single.steps[step_idx].births[sex], 1e-13));
        for (int age = 0; age < 18; ++age) {
          EXPECT_TRUE(NearRel(multi.steps[step_idx].deaths(0, sex, age),
                              single.steps[step_idx].deaths(0, sex, age), 1e-13, 1e-9));
        }
      }
    }
    ExpectAccounting(single);
  }
}

TEST(CohortComponent, MultiregionalWithoutMigrationIsIndependentSingleRegionRuns) {
  std::mt19937_64 rng(13);
  const int regions = 4, ages = 12;
  const CohortInput input = RandomInput(rng, regions, ages, 5, false, false, true);
  // Rates present but all zero: the movement matrices reduce to diag(S).
  CohortInput with_zero_rates = input;
  with_zero_rates.has_migration_rates = true;
  const CohortResult multi = ProjectMultiregional(with_zero_rates, 7);
  for (int region = 0; region < regions; ++region) {
    CohortInput one(1, ages, 5);
    one.sex_ratio_at_birth = input.sex_ratio_at_birth;
    one.has_international_counts = one.has_international_rates = true;
    for (int sex = 0; sex < kSexes; ++sex) {
      one.birth_survival[sex] = input.birth_survival[region * kSexes + sex];
      for (int age = 0; age < ages; ++age) {
        one.population(0, sex, age) = input.population(region, sex, age);
        one.survival(0, sex, age) = input.survival(region, sex, age);
        one.international_counts(0, sex, age) = input.international_counts(region, sex, age);
        one.international_rates(0, sex, age) = input.international_rates(region, sex, age);
        one.fertility[age] = input.fertility[region * ages + age];
      }
    }
    SCOPED_TRACE(::testing::Message() << "region " << region);
    ExpectSamePopulations(multi, ProjectSingleRegion(one, 7), region, 0, 1e-13);
  }
}

TEST(CohortComponent, MigrationRatesOnlyMovePeople) {
  // Survival 1, no births, no international: rates move people but keep the national total.
  std::mt19937_64 rng(17);
  CohortInput input = RandomInput(rng, 5, 10, 1, true, false, false);
  for (double& ratio : input.survival.values()) ratio = 1;
  for (double& ratio : input.birth_survival) ratio = 1;
  for (double& rate : input.fertility) rate = 0;
  const CohortResult result = ProjectMultiregional(input, 12);
  double total = 0;
  for (int region = 0; region < 5; ++region) total += input.population.RegionTotal(region);
  for (const RegionSexAge& population : result.population) {
    double now = 0;
    for (int region = 0; region < 5; ++region) now += population.RegionTotal(region);
    EXPECT_TRUE(NearRel(now, total, 1e-12));
  }
}

TEST(CohortComponent, SurvivalFromLifeTable) {
  // nLx of a toy life table, radix 100000, 5-year groups 0-4, 5-9, 10+ (T_10 = 600000).
  const SurvivalSchedule schedule = SurvivalFromLifeTable({490000, 485000, 600000}, 100000, 5);
  ASSERT_EQ(schedule.ratios.size(), 3u);
  EXPECT_TRUE(NearRel(schedule.births, 0.98));
  // The last closed group (5-9) and the open group share T_10 / T_5 = 600000 / 1085000.
  EXPECT_TRUE(NearRel(schedule.ratios[0], 485000.0 / 490000));
  EXPECT_TRUE(NearRel(schedule.ratios[1], 600000.0 / 1085000));
  EXPECT_TRUE(NearRel(schedule.ratios[2], 600000.0 / 1085000));
  const SurvivalSchedule four = SurvivalFromLifeTable({490000, 485000, 480000, 900000}, 100000, 5);
  EXPECT_TRUE(NearRel(four.ratios[1], 480000.0 / 485000));
  EXPECT_TRUE(NearRel(four.ratios[3], 900000.0 / 1380000));
  EXPECT_THROW(SurvivalFromLifeTable({490000, 495000, 480000, 10}, 100000, 5), InputError);
  EXPECT_THROW(SurvivalFromLifeTable({510000, 495000, 480000}, 100000, 5), InputError);
  EXPECT_THROW(SurvivalFromLifeTable({490000}, 100000, 5), InputError);
  EXPECT_THROW(SurvivalFromLifeTable({490000, 0, 1}, 100000, 5), InputError);
}

TEST(CohortComponent, RejectsBadInputs) {
  {
    CohortInput input = HandExample();
    input.population(0, kFemale, 0) = -1;
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
  }
  {
    CohortInput input = HandExample();
    input.survival(0, kFemale, 0) = 1.01;
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
  }
  {
    CohortInput input = HandExample();
    input.fertility[0] = 0.01;  // the first age group
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
  }
  {
    CohortInput input = HandExample();
    input.population(1, kMale, 2) = 10;  // 50 emigrants in the step from 10 people
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
    input.population(1, kMale, 2) = 40;  // 40 - 25 exposed, 0.6 x 15 - 25 < 0 at the end
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
  }
  {
    CohortInput input = HandExample();
    input.migration_rates(kFemale, 0, 0, 1) = 0.5;  // (5/2) x 0.5 > 1
    try {
      ProjectMultiregional(input, 1);
      FAIL() << "no error";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("A, female, age group 0"), std::string::npos)
          << error.what();
    }
  }
  {
    CohortInput input = HandExample();
    input.sex_ratio_at_birth = 0;
    EXPECT_THROW(ProjectMultiregional(input, 1), InputError);
  }
  EXPECT_THROW(ProjectSingleRegion(HandExample(), 1), ComputeError);
}

TEST(CohortComponent, ZeroStepsReturnsTheBase) {
  const CohortResult result = ProjectMultiregional(HandExample(), 0);
  ASSERT_EQ(result.population.size(), 1u);
  EXPECT_TRUE(result.steps.empty());
}

}  // namespace
}  // namespace kazmig::project

#include "kazmig/app/cohort.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::NearRel;
using ::kazmig::testing::TempDir;

std::string Fixture(const std::string& name) {
  return (::kazmig::testing::SourceDir() / "tests/fixtures/project" / name).string();
}

CohortRequest Hand() {
  CohortRequest request;
  request.population = Fixture("hand_population.csv");
  request.fertility = Fixture("hand_fertility.csv");
  request.survival = Fixture("hand_survival.csv");
  request.survival_kind = "ratio";
  request.migration = Fixture("hand_migration.csv");
  request.international = Fixture("hand_international.csv");
  request.sex_ratio_at_birth = 1;
  request.from = 2020;
  request.to = 2025;
  return request;
}

double Component(const CohortProjection& result, size_t row, const char* column) {
  return result.components.at(row, column).number;
}

TEST(RunCohort, HandExampleFromFiles) {
  const CohortProjection result = RunCohort(Hand());
  ASSERT_EQ(result.population.row_count(), 24u);  // 2 regions x 2 years x 2 sexes x 3 ages
  ASSERT_EQ(result.components.row_count(), 2u);
  EXPECT_TRUE(NearRel(Component(result, 0, "population_end"), 281275.0 / 129, 1e-14));
  EXPECT_TRUE(NearRel(Component(result, 1, "population_end"), 6242120.0 / 2967, 1e-14));
  EXPECT_TRUE(
      NearRel(Component(result, 0, "internal_out"), Component(result, 1, "internal_in"), 1e-14));
  EXPECT_EQ(result.document["parameters"]["open_age"], 10);
  EXPECT_EQ(result.population.ProvenanceOf(0).rfind("estimated: cohort-component", 0), 0u);
  const std::string csv = EncodeCohort(result, Format::kCsv, false);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "region,year,sex,age,population");
}

TEST(RunCohort, RegionAllEqualsTheSameRowsPerRegion) {
  TempDir dir;
  CohortRequest request = Hand();
  request.migration.clear();
  request.international.clear();
  // B's schedule for every region, given once as `all`, and once per region.
  std::string all = "region,sex,age,value\n", each = all;
  for (const char* sex : {"f", "m"}) {
    all +=
        fmt::format("all,{0},births,0.99\nall,{0},0,0.98\nall,{0},5,0.97\nall,{0},10,0.6\n", sex);
    for (const char* region : {"A", "B"}) {
      each += fmt::format("{0},{1},births,0.99\n{0},{1},0,0.98\n{0},{1},5,0.97\n{0},{1},10,0.6\n",
                          region, sex);
    }
  }
  request.survival = dir.Write("all.csv", all).string();
  const CohortProjection with_all = RunCohort(request);
  request.survival = dir.Write("each.csv", each).string();
  const CohortProjection with_each = RunCohort(request);
  EXPECT_EQ(EncodeCohort(with_all, Format::kCsv, false),
            EncodeCohort(with_each, Format::kCsv, false));
}

TEST(RunCohort, RogersCastroDistributesTotalsExactly) {
  CohortRequest request;
  request.population = Fixture("single_population.csv");
  request.fertility = Fixture("single_asfr.csv");
  request.survival = Fixture("single_lx.csv");
  request.international = Fixture("single_net_total.csv");  // north,-3000 per year
  request.rogers_castro = "standard";
  request.from = 2024;
  request.to = 2034;
  const CohortProjection result = RunCohort(request);
  ASSERT_EQ(result.components.row_count(), 2u);
  EXPECT_TRUE(NearRel(Component(result, 0, "international_net"), -15000, 1e-12));
  EXPECT_TRUE(NearRel(Component(result, 1, "international_net"), -15000, 1e-12));
  EXPECT_EQ(result.document["method"],
            "cohort-component projection, single region (Preston, Heuveline & Guillot 2001, ch. "
            "6)");
  // A different schedule moves the same total to other ages: another projection.
  request.rogers_castro = "mu2=35";
  const CohortProjection older = RunCohort(request);
  EXPECT_TRUE(NearRel(Component(older, 0, "international_net"), -15000, 1e-12));
  EXPECT_NE(Component(older, 1, "population_end"), Component(result, 1, "population_end"));
  request.rogers_castro = "mu2";
  EXPECT_THROW(RunCohort(request), UsageError);
}

TEST(RunCohort, CountsWithoutSexAreSplitInHalves) {
  TempDir dir;
  CohortRequest request = Hand();
  request.international.clear();
  request.migration = dir.Write("counts.csv", "orig,dest,age,value\nB,A,10,10\n").string();
  request.migration_kind = "counts";
  const CohortProjection result = RunCohort(request);
  // 10 a year over 5 years from B to A, ending in the open group 10+: 25 of each sex.
  EXPECT_TRUE(NearRel(Component(result, 1, "internal_out"), 50, 1e-14));
  EXPECT_TRUE(NearRel(Component(result, 0, "internal_in"), 50, 1e-14));
  // A's men of 10+ in 2025 (row 11): half the 25 exposed to S = 0.5, half arriving at the end.
  EXPECT_EQ(result.population.at(11, "sex").text, "m");
  EXPECT_EQ(result.population.at(11, "age").number, 10);
  EXPECT_TRUE(NearRel(result.population.at(11, "population").number, 18.75, 1e-14));
}

TEST(RunCohort, BadInputsAreLocated) {
  TempDir dir;
  CohortRequest request = Hand();
  request.population =
      dir.Write("dup.csv", "region,sex,age,value\nA,f,0,1\nA,f,5,1\nA,f,10,1\nA,f,5,2\n").string();
  try {
    RunCohort(request);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 5);
    EXPECT_NE(std::string(error.what()).find("given twice (first on line 3)"), std::string::npos);
  }
  request = Hand();
  request.population = dir.Write("nomale.csv", "region,sex,age,value\nA,f,0,1\nA,f,5,1\n").string();
  request.fertility = dir.Write("f.csv", "region,age,value\nall,5,0.1\n").string();
  request.migration.clear();
  request.international.clear();
  EXPECT_THROW(RunCohort(request), InputError);  // no male rows
  request = Hand();
  request.migration_kind = "flows";
  EXPECT_THROW(RunCohort(request), UsageError);
}

}  // namespace
}  // namespace kazmig::app

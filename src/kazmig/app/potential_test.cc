#include "kazmig/app/potential.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/app/region_groups.h"
#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::NearRel;

std::string MessageOf(const std::string& text) {
  try {
    ParseScenarioText("s.csv", text);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ParseScenario, RegionsGroupsFactorsAndUnits) {
  const Scenario s = ParseScenarioText("s.csv",
                                       "region,factor,change,unit\n"
                                       "north,income,20,%\n"
                                       "Turkistan,unemployment,-2,points\n"
                                       "Астана,housing,150,m2_per_1000\n"
                                       "79,grp_per_capita,-5,percent\n");
  ASSERT_EQ(s.changes.size(), 4u);
  EXPECT_EQ(s.changes[0].regions.size(), 6u);
  EXPECT_EQ(s.changes[0].factor, "income");
  EXPECT_EQ(s.changes[0].unit, "%");
  const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
  EXPECT_EQ(kz[s.changes[1].regions.at(0)].id, "61");
  EXPECT_EQ(s.changes[1].change, -2);
  EXPECT_EQ(kz[s.changes[2].regions.at(0)].id, "71");
  EXPECT_EQ(s.changes[2].unit, "m2_per_1000");
  EXPECT_EQ(s.changes[3].factor, "grp");
  EXPECT_EQ(RegionGroupIndices("all").size(), 20u);
  EXPECT_TRUE(RegionGroupIndices("atlantis").empty());
}

TEST(ParseScenario, BadRowsNameFileLineAndColumn) {
  EXPECT_EQ(MessageOf("region,factor,change,unit\nnorth,income,20,%\nAtlantis,income,5,%\n"),
            "s.csv:3:1: region: unknown region or group 'Atlantis' (a kz-2022 region id or name, "
            "or one of "
            "north, south, west, center, capital, cities, all)");
  EXPECT_EQ(MessageOf("region,factor,change,unit\nnorth,wages,20,%\n"),
            "s.csv:2:2: factor: unknown factor 'wages' (income, unemployment, housing, grp)");
  EXPECT_NE(MessageOf("region,factor,change,unit\nnorth,income,lots,%\n").find("s.csv:2:3:"),
            std::string::npos);
  EXPECT_EQ(MessageOf("region,factor,change,unit\nnorth,unemployment,2,%\n"),
            "s.csv:2:4: unit: '%' does not apply to unemployment (income, grp: %; unemployment: "
            "points; housing: % or m2_per_1000)");
  EXPECT_EQ(MessageOf("region,factor,change,unit\nnorth,income,-100,%\n"),
            "s.csv:2:3: change: a change of -100% leaves nothing (must be above -100%)");
  EXPECT_NE(MessageOf("region,factor,change\nnorth,income,20\n").find("unit"), std::string::npos);
  EXPECT_NE(MessageOf("region,factor,change,unit\n").find("no data rows"), std::string::npos);
}

TEST(Pnmi, HandExample) {
  // 250,000 would move in, 600,000 would move out, 12.5 million adults: (250 - 600) / 12,500 x 100.
  EXPECT_TRUE(NearRel(Pnmi(250000, 600000, 12500000), -2.8));
  ::kazmig::testing::TempDir dir;
  const auto path = dir.Write("survey.csv",
                              "area,move_in,move_out,adults\nKazakhstan,250000,600000,12500000\n"
                              "Astana,90000,10000,900000\n");
  const auto rows = ReadSurvey(path.string());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(NearRel(rows[0].pnmi, -2.8));
  EXPECT_TRUE(NearRel(rows[1].pnmi, 80000.0 / 900000 * 100));
  const auto bad = dir.Write("bad.csv", "area,move_in,move_out,adults\nX,-1,2,3\n");
  try {
    ReadSurvey(bad.string());
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.csv:2:2:"), std::string::npos) << error.what();
  }
}

// The scenario's predictions on the built-in data with a hand-made regional model: the linear
// prediction and its interval are exactly b'dx and 1.96 sqrt(dx' V dx).
TEST(PredictScenario, LinearPredictionAndNationalIncomeShift) {
  const auto builtin = ::kazmig::testing::SourceDir() / "data" / "kz";
  if (!std::filesystem::exists(builtin / "indicators.csv")) GTEST_SKIP() << "no data/kz";
  ::kazmig::testing::TempDir dir;
  KzDataset kz = KzDataset::Open(dir.path() / "kz.db", builtin);
  FactorModel model;
  model.spec = "regional";
  model.names = {"log_rel_income", "unemployment", "housing_per_1000", "log_grp_per_capita"};
  model.beta = Eigen::Vector4d(2.0, -1.0, 0.01, 0.5);
  model.vcov = Eigen::Vector4d(0.25, 0.04, 1e-6, 0.09).asDiagonal();
  const PotentialResult result = PredictScenario(kz, DefaultScenario(), {model});
  ASSERT_EQ(result.regions.size(), 21u);  // 20 regions and the national row
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const auto north = RegionGroupIndices("north");
  const double shift = -result.regions[*system.IndexOfId("75")].d_log_rel_income;
  EXPECT_GT(shift, 0);  // raising northern incomes raises the national mean
  EXPECT_LT(shift, std::log(1.2));
  for (size_t idx : north) {
    EXPECT_TRUE(NearRel(result.regions[idx].d_log_rel_income, std::log(1.2) - shift));
  }
  const RegionPotential& turkistan = result.regions[*system.IndexOfId("61")];
  EXPECT_DOUBLE_EQ(turkistan.d_unemployment, -2);
  const double value = 2.0 * -shift + -1.0 * -2;
  const double se = std::sqrt(0.25 * shift * shift + 0.04 * 4);
  EXPECT_TRUE(NearRel(turkistan.net_rate.value, value));
  EXPECT_TRUE(NearRel(turkistan.net_rate.high - turkistan.net_rate.value, 1.959963984540054 * se));
  EXPECT_TRUE(NearRel(turkistan.net.value, value * turkistan.population / 1000));
  // The national row sums the regions' persons.
  double sum = 0;
  for (size_t idx = 0; idx < 20; ++idx) sum += result.regions[idx].net.value;
  EXPECT_TRUE(NearRel(result.regions.back().net.value, sum));
  EXPECT_EQ(result.regions.back().region, "KZ");
  EXPECT_TRUE(std::isnan(turkistan.arrivals.value));  // no gross model given
  EXPECT_NE(result.provenance.find("estimated"), std::string::npos);
}

}  // namespace
}  // namespace kazmig::app

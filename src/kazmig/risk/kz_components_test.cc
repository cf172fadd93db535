#include "kazmig/risk/kz_components.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kazmig/testing/testing.h"

namespace kazmig::risk {
namespace {

using kazmig::testing::NearRel;

// Four regions; every series official except where a test says otherwise.
struct Fixture {
  RegionSeries pop{"population_avg", "persons", {"a", "b", "c", "d"}};
  RegionSeries births{"births", "persons", {"a", "b", "c", "d"}};
  RegionSeries deaths{"deaths", "persons", {"a", "b", "c", "d"}};
  RegionSeries net_all{"net_all", "persons", {"a", "b", "c", "d"}};
  RegionSeries net_internal{"net_internal", "persons", {"a", "b", "c", "d"}};
  RegionSeries unemployment{"unemployment_rate", "%", {"a", "b", "c", "d"}};
  RegionSeries income{"income_per_capita", "KZT", {"a", "b", "c", "d"}};
  KzSeries series;

  Fixture() {
    const size_t off = pop.AddProvenance(Provenance::Official("BNS"));
    for (RegionSeries* s : {&births, &deaths, &net_all, &net_internal, &unemployment, &income}) {
      s->AddProvenance(Provenance::Official("BNS"));
    }
    for (size_t r = 0; r < 4; ++r) {
      for (int year = 2020; year <= 2024; ++year) {
        pop.Set(r, year, 1000.0 * static_cast<double>(r + 1) + (year - 2020) * 10.0, off);
      }
      births.Set(r, 2024, 30, 0);
      deaths.Set(r, 2024, 10.0 * static_cast<double>(r + 1), 0);
      net_all.Set(r, 2024, -5.0 * static_cast<double>(r), 0);
      income.Set(r, 2024, 100.0 * static_cast<double>(r + 1), 0);
      if (r != 2) unemployment.Set(r, 2024, 4.0 + static_cast<double>(r), 0);
      unemployment.Set(r, 2023, 3.0, 0);
    }
    const double nets[] = {-30, 10, -10, 30};
    for (size_t r = 0; r < 4; ++r) net_internal.Set(r, 2024, nets[r], 0);
    series.regions = {"a", "b", "c", "d"};
    series.population_avg = &pop;
    series.births = &births;
    series.deaths = &deaths;
    series.net_all = &net_all;
    series.net_internal = &net_internal;
    series.unemployment_rate = &unemployment;
    series.income_per_capita = &income;
  }
};

const Component* Find(const KzYearComponents& y, const std::string& name) {
  for (const Component& component : y.components) {
    if (component.name == name) return &component;
  }
  return nullptr;
}

TEST(RiskKzComponents, Formulas) {
  Fixture f;
  const KzYearComponents y = BuildKzComponents(f.series, 2024);
  // population 2024: 1040, 2040, 3040, 4040.
  const Component* net = Find(y, "net_migration_rate_1y");
  ASSERT_NE(net, nullptr);
  EXPECT_TRUE(NearRel(net->values[1], -5.0 / 2040 * 1000));
  EXPECT_EQ(net->direction, Direction::kLessRisk);
  const Component* natural = Find(y, "natural_increase");
  EXPECT_TRUE(NearRel(natural->values[3], (30.0 - 40.0) / 4040 * 1000));
  const Component* change = Find(y, "population_change");
  EXPECT_TRUE(NearRel(change->values[0], 10.0 / 1030 * 1000));
  // National income: (100*1040 + 200*2040 + 300*3040 + 400*4040) / 10160.
  const double national = (100.0 * 1040 + 200.0 * 2040 + 300.0 * 3040 + 400.0 * 4040) / 10160;
  EXPECT_TRUE(NearRel(Find(y, "income_relative")->values[0], 100.0 / national * 100));
  // Net losses 30 and 10: shares 75% and 25%, gainers 0.
  EXPECT_EQ(Find(y, "net_loss_share")->values, (std::vector<double>{75, 0, 25, 0}));
}

TEST(RiskKzComponents, ImputesOnlyByTheStatedRuleAndSaysWhich) {
  Fixture f;
  const KzYearComponents y = BuildKzComponents(f.series, 2024);
  // Unemployment of region c is missing in 2024 (1 of 4 regions): its 2023 value is used.
  const Component* unemployment = Find(y, "unemployment");
  ASSERT_NE(unemployment, nullptr);
  EXPECT_EQ(unemployment->values[2], 3.0);
  ASSERT_EQ(y.imputed.size(), 1u);
  EXPECT_EQ(y.imputed[0].region, "c");
  EXPECT_EQ(y.imputed[0].from_year, 2023);
  // Components without inputs are missing, with a reason; none is built from nothing.
  std::vector<std::string> missing;
  for (const MissingComponent& m : y.missing) missing.push_back(m.component);
  EXPECT_EQ(missing,
            (std::vector<std::string>{"net_migration_rate_5y", "departures_rate",
                                      "arrivals_per_housing", "net_migration_volatility"}));
  EXPECT_EQ(y.components.size() + y.missing.size(), KzComponentCatalogue().size());
  // Official flags: unemployment has an imputed value, the rest are official inputs.
  for (size_t idx = 0; idx < y.components.size(); ++idx) {
    EXPECT_EQ(y.official[idx], y.components[idx].name != "unemployment");
  }
}

TEST(RiskKzComponents, TooManyGapsAreNotImputed) {
  Fixture f;
  f.income.Set(0, 2023, 1, 0);
  RegionSeries sparse{"income_per_capita", "KZT", {"a", "b", "c", "d"}};
  sparse.AddProvenance(Provenance::Official("BNS"));
  sparse.Set(0, 2024, 100, 0);
  sparse.Set(1, 2024, 100, 0);
  f.series.income_per_capita = &sparse;
  const KzYearComponents y = BuildKzComponents(f.series, 2024);
  EXPECT_EQ(Find(y, "income_relative"), nullptr);
  EXPECT_TRUE(std::any_of(y.missing.begin(), y.missing.end(), [](const MissingComponent& m) {
    return m.component == "income_relative" && m.reason.find("2 of 4") != std::string::npos;
  }));
}

TEST(RiskKzComponents, FiveYearComponentsNeedFiveYears) {
  Fixture f;
  for (size_t r = 0; r < 4; ++r) {
    for (int year = 2020; year <= 2023; ++year) f.net_all.Set(r, year, -1.0 - year % 2, 0);
  }
  const KzYearComponents y = BuildKzComponents(f.series, 2024);
  const Component* five = Find(y, "net_migration_rate_5y");
  ASSERT_NE(five, nullptr);
  double expected = 0;
  for (int year = 2020; year <= 2024; ++year) {
    expected += f.net_all.Get(1, year).value() / f.pop.Get(1, year).value() * 1000 / 5;
  }
  EXPECT_TRUE(NearRel(five->values[1], expected));
  EXPECT_NE(Find(y, "net_migration_volatility"), nullptr);
}

}  // namespace
}  // namespace kazmig::risk

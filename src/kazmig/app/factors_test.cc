#include "kazmig/app/factors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kazmig/app/builtin_kz_test.h"
#include "kazmig/core/crosswalk.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::NearRel;

FactorEstimate Estimate(const std::string& factor, double effect, double low, double high) {
  FactorEstimate f;
  f.factor = factor;
  f.label = factor;
  f.coefficient = effect;
  f.effect = effect;
  f.effect_low = low;
  f.effect_high = high;
  return f;
}

TEST(PlainWords, RegionalEffectWithAClearSign) {
  EXPECT_EQ(PlainWords(Estimate("housing_per_1000", 1.5, 0.74, 2.26), "regional"),
            "Regions that commissioned 100 m² more housing per 1,000 residents (the year before) "
            "gained on average 1.50 (0.74–2.26) more residents per 1,000 a year through "
            "migration, other things equal.");
  EXPECT_EQ(PlainWords(Estimate("log_rel_income", -2, -3, -1), "regional"),
            "Regions whose per-capita income was 10% higher relative to the national level (the "
            "year before) lost on average 2.00 (1.00–3.00) more residents per 1,000 a year "
            "through migration, other things equal.");
}

TEST(PlainWords, AnIntervalThroughZeroSaysSo) {
  const std::string text = PlainWords(Estimate("unemployment", -1.41, -6.78, 3.97), "regional");
  EXPECT_EQ(text,
            "Regions whose unemployment rate was 1 percentage point higher (the year before) had "
            "a migration balance per 1,000 residents on average 1.41 lower (95% interval: 6.78 "
            "lower to 3.97 higher), other things equal; the interval includes zero, so the data "
            "do not establish the direction.");
}

TEST(PlainWords, PoissonModelsInPercent) {
  EXPECT_EQ(PlainWords(Estimate("log_grp_per_capita", 5, 1, 9), "gross-arrivals"),
            "Regions whose GRP per capita was 10% higher (the year before) received on average "
            "5.0% (1.0–9.0%) more registered arrivals per resident, other things equal.");
  EXPECT_EQ(PlainWords(Estimate("log_stock", 2.1, 1.7, 2.5), "international-network"),
            "A corridor whose diaspora (people born in the origin country living in the "
            "destination country) was 10% larger at the start of a five-year period carried on "
            "average 2.1% (1.7–2.5%) more migrants over the period, other things equal (the "
            "origin's and destination's conditions in the period and the corridor's usual level "
            "held fixed).");
  EXPECT_EQ(PlainWords(Estimate("year_2024", -69.5, -72.8, -65.9), "cis-departures"),
            "Departures to CIS partner countries in 2024 (compared with the first year) were "
            "69.5% (65.9–72.8%) lower, with the partner mix held fixed.");
  FactorEstimate year = Estimate("year_2022", 40.9, 26.5, 57.0);
  year.change = "2022 vs 2016";
  EXPECT_EQ(PlainWords(year, "cis-arrivals"),
            "Arrivals from CIS partner countries in 2022 (compared with 2016) were 40.9% "
            "(26.5–57.0%) higher, with the partner mix held fixed.");
}

TEST(PlainWords, NotIdentified) {
  FactorEstimate f = Estimate("unemployment", NAN, NAN, NAN);
  f.label = "unemployment rate";
  EXPECT_EQ(PlainWords(f, "regional"),
            "The effect of unemployment rate is not identified in this sample.");
}

// A noiseless panel: y = region effect + year effect + x b. OLS-FE recovers b exactly; PPML on
// y = exp(offset + effects + x b) too.
models::RegionalPanel SyntheticPanel(const double (&beta)[4], bool poisson) {
  std::mt19937_64 rng(14);
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  models::RegionalPanel panel;
  for (int year = 2015; year <= 2020; ++year) {
    for (size_t region = 0; region < 8; ++region) {
      models::RegionalRow row;
      row.region_idx = region;
      row.year = year;
      row.population = 100000 + 5000 * static_cast<double>(region);
      double eta = 0.3 * static_cast<double>(region) - 0.1 * (year - 2015);
      for (size_t k = 0; k < 4; ++k) {
        row.x[k] = uniform() * (k == 2 ? 500 : 1);
        eta += beta[k] * row.x[k];
      }
      if (poisson) {
        row.arrivals = std::exp(std::log(row.population) - 4 + eta);
        row.departures = row.arrivals;
      } else {
        row.outcome = eta;
      }
      panel.rows.push_back(row);
    }
  }
  return panel;
}

TEST(FitRegionalSpec, RecoversKnownCoefficientsAndStatesEffects) {
  const double beta[4] = {5.0, -1.5, 0.004, 2.0};
  const RegionSystem units = RegionSystem::FromIds("toy", {"A", "B", "C", "D", "E", "F", "G", "H"});
  const FactorModel ols = FitRegionalSpec(SyntheticPanel(beta, false), units, "regional");
  ASSERT_EQ(ols.factors.size(), 4u);
  EXPECT_EQ(ols.n_obs, 48);
  EXPECT_EQ(ols.fixed_effects, "region, year");
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(NearRel(ols.factors[k].coefficient, beta[k], 1e-7)) << k;
  }
  EXPECT_TRUE(NearRel(ols.factors[0].effect, 5.0 * std::log(1.1), 1e-7));  // +10% income
  EXPECT_TRUE(NearRel(ols.factors[2].effect, 0.4, 1e-7));                  // +100 m² per 1,000
  EXPECT_EQ(ols.provenance.KindName(), "estimated");

  const FactorModel ppml = FitRegionalSpec(SyntheticPanel(beta, true), units, "gross-arrivals");
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(NearRel(ppml.factors[k].coefficient, beta[k], 1e-6)) << k;
  }
  EXPECT_TRUE(NearRel(ppml.factors[1].effect, (std::exp(-1.5) - 1) * 100, 1e-6));  // +1 point
  EXPECT_EQ(ppml.factors[1].effect_unit, "%");
}

TEST(FitRegionalSpec, OneYearLeavesOutRegionEffects) {
  const double beta[4] = {5.0, -1.5, 0.004, 2.0};
  models::RegionalPanel panel = SyntheticPanel(beta, false);
  std::erase_if(panel.rows, [](const models::RegionalRow& row) { return row.year != 2017; });
  const RegionSystem units = RegionSystem::FromIds("toy", {"A", "B", "C", "D", "E", "F", "G", "H"});
  const FactorModel model = FitRegionalSpec(panel, units, "regional");
  EXPECT_EQ(model.fixed_effects, "year");
  EXPECT_EQ(model.n_obs, 8);
}

// The built-in data (in the repository): units are merged consistently and lags line up.
class BuiltinPanel : public BuiltinKzTest<BuiltinPanel> {};

TEST_F(BuiltinPanel, SplitRegionsAreMergedBackAndTotalsKept) {
  const models::RegionalInputs in = LoadRegionalInputs(*kz_);
  ASSERT_EQ(in.system->name(), "kz-2009");
  const RegionSeries& net2022 = kz_->Series("net_internal", "kz-2022");
  for (int year : {2022, 2023, 2024}) {
    const double turkistan = SeriesValueOf(net2022, "61", year);
    const double shymkent = SeriesValueOf(net2022, "79", year);
    EXPECT_TRUE(NearRel(SeriesValueOf(in.net_internal, "51", year), turkistan + shymkent));
    const double abai = SeriesValueOf(net2022, "10", year);
    const double east = SeriesValueOf(net2022, "63", year);
    EXPECT_TRUE(NearRel(SeriesValueOf(in.net_internal, "63", year), abai + east));
    double total2022 = 0, total2009 = 0;
    for (const std::string& id : net2022.region_ids()) {
      if (id != "KZ") total2022 += SeriesValueOf(net2022, id, year);
    }
    for (const std::string& id : in.net_internal.region_ids())
      total2009 += SeriesValueOf(in.net_internal, id, year);
    EXPECT_NEAR(total2009, total2022, 1e-6);  // merging keeps the national sum
  }
  // Population on 1 January 2019 at kz-2018 borders: South Kazakhstan = Turkistan + Shymkent.
  const RegionSeries& pop2018 = kz_->Series("population_jan1", "kz-2018");
  EXPECT_TRUE(NearRel(SeriesValueOf(in.population_jan1, "51", 2019),
                      SeriesValueOf(pop2018, "61", 2019) + SeriesValueOf(pop2018, "79", 2019)));
}

TEST_F(BuiltinPanel, ResidualsAndLagsOnTheRealData) {
  const models::RegionalInputs in = LoadRegionalInputs(*kz_);
  const models::RegionalPanel panel = models::BuildRegionalPanel(in);
  ASSERT_FALSE(panel.rows.empty());
  const RegionSeries& pop = kz_->Series("population_jan1", "kz-2018");
  const RegionSeries& births = kz_->Series("births", "kz-2018");
  const RegionSeries& deaths = kz_->Series("deaths", "kz-2018");
  const RegionSeries& unemployment = kz_->Series("unemployment_rate", "kz-2022");
  bool residual_checked = false, official_checked = false;
  for (const models::RegionalRow& row : panel.rows) {
    const std::string& id = in.system->regions()[row.region_idx].id;
    if (id == "75" && row.year == 2019) {  // Almaty city, at the same borders throughout
      EXPECT_FALSE(row.official);
      EXPECT_DOUBLE_EQ(row.net, SeriesValueOf(pop, "75", 2020) - SeriesValueOf(pop, "75", 2019) -
                                    SeriesValueOf(births, "75", 2019) +
                                    SeriesValueOf(deaths, "75", 2019));
      residual_checked = true;
    }
    if (id == "75" && row.year == 2023) {
      EXPECT_TRUE(row.official);
      EXPECT_DOUBLE_EQ(row.net, SeriesValueOf(kz_->Series("net_internal"), "75", 2023));
      EXPECT_DOUBLE_EQ(row.x[1], SeriesValueOf(unemployment, "75", 2022));  // lagged a year
      official_checked = true;
    }
  }
  EXPECT_TRUE(residual_checked);
  EXPECT_TRUE(official_checked);
}

}  // namespace
}  // namespace kazmig::app

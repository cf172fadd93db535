#include "kazmig/models/factor_panel.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/crosswalk.h"
#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

// Weights (population) of every kz-2022 atom: 100 * (index + 1).
AtomWeights Weights(int year) {
  std::map<std::string, double> w;
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  for (size_t idx = 0; idx < kz2022.size(); ++idx) w[kz2022[idx].id] = 100.0 * (idx + 1);
  return {{year, w}};
}

// A series at `vintage` with value f(region index) in `year`.
RegionSeries Filled(const std::string& vintage, int year, double (*f)(size_t),
                    const std::string& name = "x") {
  const RegionSystem& system = RegionSystem::Builtin(vintage);
  RegionSeries s(name, "persons", system.ids());
  const size_t p = s.AddProvenance(Provenance::Official("test", vintage));
  for (size_t idx = 0; idx < system.size(); ++idx) s.Set(idx, year, f(idx), p);
  return s;
}

TEST(HarmonizeSeries, CountsMergeToKz2009LikeTheCrosswalk) {
  const RegionSystem& kz2009 = RegionSystem::Builtin("kz-2009");
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  RegionSeries s2022 = Filled("kz-2022", 2023, [](size_t idx) { return 10.0 + idx; });
  RegionSeries empty;
  const RegionSeries out = HarmonizeSeries({&empty, &s2022}, {"kz-2009", "kz-2022"}, kz2009,
                                           SeriesKind::kCount, Weights(2023));
  Crosswalk cw(kz2022, kz2009, Weights(2023).at(2023));
  const auto expected = cw.ConvertCounts(s2022.Column(2023));
  ASSERT_EQ(out.region_count(), kz2009.size());
  double total_in = 0, total_out = 0;
  for (size_t idx = 0; idx < kz2009.size(); ++idx) {
    EXPECT_TRUE(NearRel(*out.Get(idx, 2023), expected[idx])) << kz2009[idx].id;
    total_out += *out.Get(idx, 2023);
  }
  for (double v : s2022.Column(2023)) total_in += v;
  EXPECT_TRUE(NearRel(total_out, total_in));  // merging keeps the national total
  // South Kazakhstan (51) = Turkistan (61) + Shymkent (79).
  const double turkistan = *s2022.Get(*s2022.Find("61"), 2023);
  const double shymkent = *s2022.Get(*s2022.Find("79"), 2023);
  EXPECT_TRUE(NearRel(*out.Get(*out.Find("51"), 2023), turkistan + shymkent));
  EXPECT_EQ(out.ProvenanceOf(0, 2023).detail, "kz-2022");
}

TEST(HarmonizeSeries, RatesMergeAsPopulationWeightedMeans) {
  const RegionSystem& kz2009 = RegionSystem::Builtin("kz-2009");
  RegionSeries s2018 = Filled("kz-2018", 2019, [](size_t idx) { return 1.0 * idx; });
  const auto weights = Weights(2019);
  const RegionSeries out =
      HarmonizeSeries({&s2018}, {"kz-2018"}, kz2009, SeriesKind::kRate, weights);
  const double w61 = weights.at(2019).at("61"), w79 = weights.at(2019).at("79");
  const double r61 = *s2018.Get(*s2018.Find("61"), 2019), r79 = *s2018.Get(*s2018.Find("79"), 2019);
  EXPECT_TRUE(NearRel(*out.Get(*out.Find("51"), 2019), (r61 * w61 + r79 * w79) / (w61 + w79)));
  // An unchanged unit (Almaty city, 75) is copied.
  EXPECT_TRUE(NearRel(*out.Get(*out.Find("75"), 2019), *s2018.Get(*s2018.Find("75"), 2019)));
}

TEST(HarmonizeSeries, AMissingPartOfAMergedUnitLeavesItMissing) {
  const RegionSystem& kz2009 = RegionSystem::Builtin("kz-2009");
  RegionSeries s2022 = Filled("kz-2022", 2023, [](size_t) { return 5.0; });
  RegionSeries partial("x", "persons", s2022.region_ids());
  const size_t p = partial.AddProvenance(Provenance::Official("test"));
  for (size_t idx = 0; idx < s2022.region_count(); ++idx) {
    if (s2022.region_ids()[idx] != "10") partial.Set(idx, 2023, 5.0, p);  // Abai missing
  }
  const RegionSeries out =
      HarmonizeSeries({&partial}, {"kz-2022"}, kz2009, SeriesKind::kCount, Weights(2023));
  EXPECT_FALSE(out.Get(*out.Find("63"), 2023).has_value());  // East Kazakhstan = 63 + Abai
  EXPECT_TRUE(out.Get(*out.Find("75"), 2023).has_value());
}

// A two-region system for the panel tests.
const RegionSystem& Toy() {
  static const RegionSystem system = RegionSystem::FromIds("toy", {"A", "B"});
  return system;
}

RegionSeries ToySeries(const std::map<int, std::pair<double, double>>& values) {
  RegionSeries s("x", "", {"A", "B"});
  const size_t p = s.AddProvenance(Provenance::Official("test"));
  for (const auto& [year, v] : values) {
    if (std::isfinite(v.first)) s.Set(0, year, v.first, p);
    if (std::isfinite(v.second)) s.Set(1, year, v.second, p);
  }
  return s;
}

RegionalInputs ToyInputs() {
  RegionalInputs in;
  in.system = &Toy();
  in.population_jan1 =
      ToySeries({{2019, {1000, 2000}}, {2020, {1010, 1990}}, {2021, {1030, 1985}}});
  in.births = ToySeries({{2019, {20, 30}}, {2020, {25, 30}}});
  in.deaths = ToySeries({{2019, {10, 25}}, {2020, {10, 28}}});
  in.net_internal = ToySeries({{2021, {7, -7}}});
  in.population_avg = ToySeries(
      {{2018, {990, 2010}}, {2019, {1005, 1995}}, {2020, {1020, 1988}}, {2021, {1040, 1980}}});
  in.income = ToySeries({{2018, {100, 200}}, {2019, {110, 210}}, {2020, {120, 220}}});
  in.unemployment = ToySeries({{2018, {5, 6}}, {2019, {4.5, 6.5}}, {2020, {4, 7}}});
  in.housing = ToySeries({{2018, {50, 40}}, {2019, {60, 40}}, {2020, {70, 45}}});
  in.grp_per_capita = ToySeries({{2018, {1000, 1500}}, {2019, {1100, 1600}}, {2020, {1200, 1700}}});
  return in;
}

TEST(RegionalPanel, ResidualIdentityAndOfficialNets) {
  const RegionalPanel panel = BuildRegionalPanel(ToyInputs());
  // 2019 and 2020 residual (P(t+1) exists), 2021 official; covariates lagged one year.
  ASSERT_EQ(panel.rows.size(), 6u);
  const RegionalRow& a2019 = panel.rows[0];
  EXPECT_EQ(a2019.year, 2019);
  EXPECT_FALSE(a2019.official);
  EXPECT_DOUBLE_EQ(a2019.net, 1010 - 1000 - 20 + 10);  // P1 - P0 - B + D = 0
  const RegionalRow& b2020 = panel.rows[3];
  EXPECT_EQ(b2020.year, 2020);
  EXPECT_DOUBLE_EQ(b2020.net, 1985 - 1990 - 30 + 28);
  EXPECT_TRUE(NearRel(b2020.outcome, 1000.0 * b2020.net / 1988));
  const RegionalRow& a2021 = panel.rows[4];
  EXPECT_TRUE(a2021.official);
  EXPECT_DOUBLE_EQ(a2021.net, 7);
  EXPECT_TRUE(NearRel(a2021.outcome, 1000.0 * 7 / 1040));
  // The identity, re-derived: population change = births - deaths + net.
  for (const RegionalRow& row : panel.rows) {
    if (row.official) continue;
    const double p0 = *ToyInputs().population_jan1.Get(row.region_idx, row.year);
    const double p1 = *ToyInputs().population_jan1.Get(row.region_idx, row.year + 1);
    const double b = *ToyInputs().births.Get(row.region_idx, row.year);
    const double d = *ToyInputs().deaths.Get(row.region_idx, row.year);
    EXPECT_DOUBLE_EQ(p1 - p0, b - d + row.net);
  }
}

TEST(RegionalPanel, CovariatesAreTakenFromTheYearBefore) {
  const RegionalPanel panel = BuildRegionalPanel(ToyInputs());
  const RegionalRow& a2019 = panel.rows[0];  // covariates of 2018
  const double national2018 = (100.0 * 990 + 200.0 * 2010) / (990 + 2010);
  EXPECT_TRUE(NearRel(a2019.x[0], std::log(100.0 / national2018)));
  EXPECT_DOUBLE_EQ(a2019.x[1], 5);
  EXPECT_TRUE(NearRel(a2019.x[2], 50.0 / 990 * 1000));
  EXPECT_TRUE(NearRel(a2019.x[3], std::log(1000.0)));
  const RegionalRow& b2021 = panel.rows[5];  // covariates of 2020
  EXPECT_DOUBLE_EQ(b2021.x[1], 7);
  // With a lag of 2, 2019 needs 2017 covariates: excluded, and said why.
  RegionalInputs in = ToyInputs();
  in.lag = 2;
  const RegionalPanel lag2 = BuildRegionalPanel(in);
  ASSERT_EQ(lag2.rows.size(), 4u);
  EXPECT_EQ(lag2.rows[0].year, 2020);
  EXPECT_DOUBLE_EQ(lag2.rows[0].x[1], 5);  // 2018
  bool said = false;
  for (const auto& e : lag2.excluded)
    said |= e.year == 2019 && e.reason.find("2017") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(RegionalPanel, MissingInputsAreExcludedWithAReason) {
  RegionalInputs in = ToyInputs();
  in.births = ToySeries({{2019, {20, NAN}}, {2020, {25, 30}}});
  const RegionalPanel panel = BuildRegionalPanel(in);
  ASSERT_EQ(panel.rows.size(), 5u);
  ASSERT_FALSE(panel.excluded.empty());
  bool found = false;
  for (const auto& e : panel.excluded) {
    if (e.region_idx == 1 && e.year == 2019) {
      EXPECT_EQ(e.reason, "no births of 2019");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(GrossPanel, UsesArrivalsYearsOnly) {
  RegionalInputs in = ToyInputs();
  in.arrivals = ToySeries({{2021, {100, 80}}});
  in.departures = ToySeries({{2021, {93, 87}}});
  const RegionalPanel panel = BuildGrossPanel(in);
  ASSERT_EQ(panel.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(panel.rows[0].arrivals, 100);
  EXPECT_DOUBLE_EQ(panel.rows[1].departures, 87);
  EXPECT_DOUBLE_EQ(panel.rows[1].x[1], 7);
}

TEST(NetworkPanel, ZerosIncludedAndFlowsWithoutStockCounted) {
  std::vector<CountryFlowRow> flows = {
      {"A", "B", 1990, 10}, {"B", "A", 1990, 4}, {"A", "C", 1995, 3}, {"C", "A", 1990, 2}};
  std::vector<CountryStockRow> stocks = {{"A", "B", 1990, 100}, {"B", "A", 1990, 50},
                                         {"A", "C", 1990, 20},  {"A", "B", 1995, 120},
                                         {"A", "C", 1995, 30},  {"A", "A", 1990, 9}};
  const NetworkPanel panel = BuildNetworkPanel(flows, stocks);
  EXPECT_EQ(panel.periods, (std::vector<int>{1990, 1995}));
  ASSERT_EQ(panel.rows.size(), 5u);  // 3 pairs in 1990, 2 in 1995; A->A left out
  // 1990: A->B 10, A->C 0 (zero included), B->A 4
  EXPECT_DOUBLE_EQ(panel.rows[0].flow, 10);
  EXPECT_DOUBLE_EQ(panel.rows[0].log_stock, std::log(100.0));
  EXPECT_DOUBLE_EQ(panel.rows[1].flow, 0);
  EXPECT_DOUBLE_EQ(panel.rows[2].flow, 4);
  EXPECT_EQ(panel.flows_without_stock, 1u);  // C->A 1990
  EXPECT_DOUBLE_EQ(panel.flow_without_stock_total, 2);
}

}  // namespace
}  // namespace kazmig::models

// Tests of the situation report's use case: the rate, rankings and corridors it computes, and the
// input built from a store (the stored OD estimate read back, its indicators banded over the runs,
// the per-year official ANMR, country names from the built-in data).
#include "kazmig/app/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kazmig/app/data.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using kazmig::testing::NearRel;

TEST(RatePerThousand, Definition) {
  EXPECT_TRUE(NearRel(RatePerThousand(50078, 1'400'000), 35.77, 1e-9));
  EXPECT_TRUE(std::isnan(RatePerThousand(100, 0)));
  EXPECT_TRUE(std::isnan(RatePerThousand(std::nan(""), 10)));
}

CorridorInput ThreeRegions() {
  CorridorInput input;
  input.central = FlowMatrix(3);
  input.central(0, 1) = 12345;
  input.central(1, 0) = 500;
  input.central(2, 0) = 7000;
  input.central(0, 2) = 100;
  input.central(1, 2) = 55;
  input.central(2, 1) = 0;
  input.central(0, 0) = 1e9;  // the diagonal is never a corridor
  input.low = input.central;
  input.high = input.central;
  input.low(0, 1) = 10000;
  input.high(0, 1) = 15000;
  input.names = {"Almaty", "Astana", "Shymkent"};
  return input;
}

TEST(TopCorridors, LargestOffDiagonalFirst) {
  const std::vector<Corridor> top = TopCorridors(ThreeRegions(), 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].origin, 0u);
  EXPECT_EQ(top[0].destination, 1u);
  EXPECT_EQ(top[0].low, 10000);
  EXPECT_EQ(top[0].high, 15000);
  EXPECT_EQ(top[1].origin, 2u);
  EXPECT_EQ(top[1].destination, 0u);
  EXPECT_EQ(TopCorridors(ThreeRegions(), 100).size(), 6u);
}

TEST(TopCorridors, SizeMismatchIsComputeError) {
  CorridorInput input = ThreeRegions();
  input.names.pop_back();
  EXPECT_THROW(TopCorridors(input, 3), ComputeError);
}

TEST(RankByNetRate, RatesAndOrder) {
  const std::vector<RankedNet> ranked =
      RankByNetRate({{"B", -3000, 1e6}, {"A", 6000, 2e6}, {"C", 9000, 1e6}, {"Z", 5, 0}});
  ASSERT_EQ(ranked.size(), 3u);  // zero person-years is left out
  EXPECT_EQ(ranked[0].name, "C");
  EXPECT_DOUBLE_EQ(ranked[0].rate_per_1000, 9.0);
  EXPECT_EQ(ranked[1].name, "A");
  EXPECT_DOUBLE_EQ(ranked[1].rate_per_1000, 3.0);
  EXPECT_DOUBLE_EQ(ranked[2].rate_per_1000, -3.0);
}

TEST(RankByNetRate, IndependentOfInputOrder) {
  const std::vector<RankedNet> a = RankByNetRate({{"A", 10, 1e3}, {"B", 10, 1e3}, {"C", -1, 1e3}});
  const std::vector<RankedNet> b = RankByNetRate({{"C", -1, 1e3}, {"B", 10, 1e3}, {"A", 10, 1e3}});
  ASSERT_EQ(a.size(), b.size());
  for (size_t index = 0; index < a.size(); ++index) EXPECT_EQ(a[index].name, b[index].name);
}

// A 3-region input: 0->1 = 50, 0->2 = 10, 1->0 = 30, 1->2 = 30, 2->0 = 5, 2->1 = 40.
CorridorInput SmallInput() {
  CorridorInput in;
  in.central = FlowMatrix(3);
  in.central(0, 1) = 50;
  in.central(0, 2) = 10;
  in.central(1, 0) = 30;
  in.central(1, 2) = 30;
  in.central(2, 0) = 5;
  in.central(2, 1) = 40;
  in.low = in.central;
  in.high = in.central;
  for (double& v : in.low.data()) v *= 0.5;
  for (double& v : in.high.data()) v *= 2;
  in.names = {"A", "B", "C"};
  return in;
}

TEST(FlowsSection, TopIntoAndOutOfAreSortedAndTieBreakByIndex) {
  const CorridorInput in = SmallInput();
  const auto into_b = TopInto(in, 1, 3);
  ASSERT_EQ(into_b.size(), 2u);  // the diagonal is never a corridor
  EXPECT_EQ(into_b[0].origin, 0u);
  EXPECT_EQ(into_b[0].flow, 50);
  EXPECT_EQ(into_b[1].origin, 2u);
  EXPECT_EQ(into_b[1].destination, 1u);
  const auto out_of_b = TopOutOf(in, 1, 1);
  ASSERT_EQ(out_of_b.size(), 1u);
  EXPECT_EQ(out_of_b[0].destination, 0u);  // 30 and 30: the lower index first
  EXPECT_EQ(out_of_b[0].low, 15);
  EXPECT_EQ(out_of_b[0].high, 60);
  CorridorInput bad = in;
  bad.names.pop_back();
  EXPECT_THROW(TopInto(bad, 0, 1), ComputeError);
}

// A dataset whose 2023 lacks Ulytau's net (incomplete) and whose 2024 is complete, with the OD
// estimate of 2024 stored as `kazmig data build-builtin` stores it.
KzDataset TwoYearDataset() {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  RegionSeries population("population_avg", "persons", kz2022.ids());
  RegionSeries net("net_internal", "persons", kz2022.ids());
  const size_t p = population.AddProvenance(Provenance::Official("BNS table 6576", "test"));
  const size_t n = net.AddProvenance(Provenance::Official("BNS internal migration", "test"));
  for (size_t region_idx = 0; region_idx < kz2022.size(); ++region_idx) {
    const std::string& id = kz2022[region_idx].id;
    for (int year : {2023, 2024}) {
      population.Set(region_idx, year, 800000.0 + 20000.0 * static_cast<double>(region_idx), p);
      if (year == 2023 && id == "62") continue;
      net.Set(region_idx, year, id == "71" ? 4000 : id == "75" ? 1500 : id == "61" ? -5500 : 0, n);
    }
  }
  return InMemoryKzDataset({&population, &net}, {2024},
                           kazmig::testing::SourceDir() / "data" / "kz");
}

TEST(OfficialAnmr, CompleteYearsOnly) {
  KzDataset kz = TwoYearDataset();
  EXPECT_TRUE(std::isnan(OfficialAnmr(kz, 2023)));  // Ulytau has no net
  double population = 0;
  for (size_t region_idx = 0; region_idx < 20; ++region_idx) {
    population += 800000.0 + 20000.0 * static_cast<double>(region_idx);
  }
  EXPECT_TRUE(NearRel(OfficialAnmr(kz, 2024), 100.0 * 0.5 * 11000 / population, 1e-12));
}

TEST(BuildSituationInput, ReadsTheStoredOdEstimateBack) {
  KzDataset kz = TwoYearDataset();
  const SituationResult result = BuildSituationInput(kz, {"now", "test"});
  const SituationInput& input = result.input;
  ASSERT_EQ(input.internal_od.size(), 1u);
  const StoredOd* stored = kz.FindStoredOd(2024);
  ASSERT_NE(stored, nullptr);
  // The report's matrix and corridors are the stored (rounded) estimate, not a recomputation.
  EXPECT_EQ(input.internal_od[0].central.data(), stored->central.data());
  EXPECT_EQ(input.corridors.central.data(), stored->central.data());
  EXPECT_EQ(input.corridors.high.data(), stored->high.data());
  EXPECT_NE(stored->central.data(), kz.OdRuns(2024).central.fit.flows.data());
  for (double flow : input.corridors.central.data()) {
    EXPECT_EQ(std::round(flow * 100) / 100, flow);
  }
  EXPECT_EQ(input.corridors.names[input.system->IndexOfId("71").value()], "Astana");
  // One year for the Regularities: 2024, official ANMR and the stored estimate's indicators.
  ASSERT_EQ(input.years.size(), 1u);
  EXPECT_EQ(input.years[0].year, 2024);
  EXPECT_EQ(input.years[0].anmr, OfficialAnmr(kz, 2024));
  EXPECT_TRUE(input.years[0].estimated);
  EXPECT_EQ(input.years[0].od.runs, 9u);
  EXPECT_LE(input.years[0].od.mei.low, input.years[0].od.mei.value);
  EXPECT_TRUE(result.notes.empty());
  EXPECT_EQ(input.boundaries.size(), 20u);
  EXPECT_EQ(input.version, "test");
}

TEST(ComputeSituationTables, PartnersRankedNamedAndPreliminaryFromTheFlag) {
  SituationInput input;
  input.system = &RegionSystem::Builtin("kz-2022");
  input.preliminary_from = 0;  // only the provenance flag marks a year preliminary
  const Provenance final_figure = Provenance::Official("CIS-Stat", "t");
  Provenance preliminary = Provenance::Official("CIS-Stat", "t; 2025 may be preliminary");
  preliminary.preliminary = true;
  input.intl_arrivals = RegionSeries("intl_arrivals", "persons", {"KZ"});
  input.intl_arrivals.Set(0, 2024, 100, input.intl_arrivals.AddProvenance(final_figure));
  input.intl_arrivals.Set(0, 2025, 90, input.intl_arrivals.AddProvenance(preliminary));
  const std::vector<CountryFlow> arrivals = {{"RUS", "KAZ", 2025, "", 5000, final_figure},
                                             {"UZB", "KAZ", 2025, "", 12000, final_figure},
                                             {"CIS", "KAZ", 2025, "", 20000, final_figure},
                                             {"NON_CIS", "KAZ", 2025, "", 4000, final_figure}};
  const std::vector<CountryFlow> departures = {{"KAZ", "RUS", 2025, "", 4700, final_figure}};
  ComputeSituationTables(input, arrivals, departures, {}, [](const std::string& code) {
    return code == "RUS" ? std::string("Russian Federation") : code;
  });
  ASSERT_EQ(input.national.years.size(), 2u);
  EXPECT_FALSE(input.national.years[0].preliminary);
  EXPECT_TRUE(input.national.years[1].preliminary);
  EXPECT_EQ(input.partners.latest, 2025);
  // Uzbekistan (12,000) before Russia (5,000 + 4,700); the aggregates apart, at the foot.
  EXPECT_EQ(input.partners.by_latest, (std::vector<std::string>{"UZB", "RUS"}));
  EXPECT_EQ(input.partners.aggregates, (std::vector<std::string>{"CIS", "NON_CIS"}));
  EXPECT_EQ(input.country_names.at("RUS"), "Russian Federation");
  EXPECT_EQ(input.country_names.at("CIS"), "CIS countries, total");
  EXPECT_EQ(input.country_names.at("NON_CIS"), "Other countries, total");
  EXPECT_TRUE(input.abel.periods.empty());
}

}  // namespace
}  // namespace kazmig::app

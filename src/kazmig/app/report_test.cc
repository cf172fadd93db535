// Tests of the situation report's use case: the input built from a store (the stored OD estimate
// read back, the per-year official ANMR and banded indicators, the same as `kazmig indicators
// --dataset kz` gives, country names from the built-in data).
#include "kazmig/app/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kazmig/app/data.h"
#include "kazmig/app/indicators.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using kazmig::testing::NearRel;
using kazmig::testing::TempDir;

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

TEST(ComputeSituationYears, CompleteYearsWithTheOfficialAnmr) {
  KzDataset kz = TwoYearDataset();
  const std::vector<SituationYear> years = ComputeSituationYears(kz);
  ASSERT_EQ(years.size(), 1u);  // 2023: Ulytau has no net
  EXPECT_EQ(years[0].year, 2024);
  double population = 0;
  for (size_t region_idx = 0; region_idx < 20; ++region_idx) {
    population += 800000.0 + 20000.0 * static_cast<double>(region_idx);
  }
  EXPECT_TRUE(NearRel(years[0].anmr, 100.0 * 0.5 * 11000 / population, 1e-12));
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
  EXPECT_EQ(input.years[0].anmr, KzYearIndicators(kz, 2024).nets.anmr);
  EXPECT_TRUE(input.years[0].estimated);
  EXPECT_EQ(input.years[0].od.runs, 9u);
  EXPECT_LE(input.years[0].od.mei.low, input.years[0].od.mei.value);
  // No note about the stored estimate (this dataset lacks population_jan1, so the prospects
  // section notes that it is not computed: that note is expected here).
  for (const std::string& note : result.notes) {
    EXPECT_EQ(note.find("OD"), std::string::npos) << note;
  }
  EXPECT_EQ(input.boundaries.size(), 20u);
  EXPECT_EQ(input.version, "test");
}

// The revision of international migration comes from the built-in first releases: 2022 was
// revised (17,293 / 24,239 first released), 2023 was not.
TEST(BuildSituationInput, RevisionsFromTheBuiltInFirstReleases) {
  const std::filesystem::path builtin = kazmig::testing::SourceDir() / "data" / "kz";
  if (!std::filesystem::exists(builtin / "intl_arrivals_first_release.csv")) {
    GTEST_SKIP() << "data/kz not generated";
  }
  TempDir tmp;
  KzDataset kz = KzDataset::Open(tmp.path() / "kz.db", builtin);
  SituationInput input;
  input.system = &RegionSystem::Builtin("kz-2022");
  input.intl_arrivals = kz.Series("intl_arrivals");
  input.intl_departures = kz.Series("intl_departures");
  input.intl_net = kz.Series("intl_net");
  input.intl_arrivals_first_release = kz.Series("intl_arrivals_first_release");
  input.intl_departures_first_release = kz.Series("intl_departures_first_release");
  ComputeSituationTables(input, {}, {}, {}, [](const std::string& code) { return code; });
  ASSERT_EQ(input.national.revisions.size(), 1u);
  const NationalRevision& revision = input.national.revisions[0];
  EXPECT_EQ(revision.year, 2022);
  EXPECT_EQ(revision.arrivals, 17425);
  EXPECT_EQ(revision.departures, 24147);
  EXPECT_EQ(revision.first_arrivals, 17293);
  EXPECT_EQ(revision.first_departures, 24239);
  EXPECT_TRUE(revision.first_release.official());
  EXPECT_NE(revision.first_release.detail.find("liter.kz"), std::string::npos);
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

// The built-in data: for every complete year the report shows the ANMR, CMP and MEI (values and
// bands) that `kazmig indicators --dataset kz` prints (anmr, estimated.cmp, estimated.mei).
TEST(ComputeSituationYears, SameFiguresAsTheIndicatorsOfTheBuiltInData) {
  const std::filesystem::path builtin = kazmig::testing::SourceDir() / "data" / "kz";
  if (!std::filesystem::exists(builtin / "net_internal.csv")) {
    GTEST_SKIP() << "built-in data/kz not present";
  }
  TempDir tmp;
  const std::filesystem::path db = tmp.path() / "kz.db";
  KzDataset kz = KzDataset::Open(db, builtin);
  const std::vector<int> complete = kz.CompleteYears();
  const std::vector<SituationYear> years = ComputeSituationYears(kz);
  IndicatorsRequest request;
  request.dataset = "kz";
  request.location = {db.string(), builtin};
  const Json document = RunIndicators(request).document;
  ASSERT_FALSE(complete.empty());
  ASSERT_EQ(years.size(), complete.size());
  ASSERT_EQ(document.size(), complete.size());
  for (size_t year_idx = 0; year_idx < complete.size(); ++year_idx) {
    const SituationYear& shown = years[year_idx];
    ASSERT_EQ(shown.year, complete[year_idx]);
    ASSERT_TRUE(shown.estimated) << shown.year;
    const Json& printed = document.at(std::to_string(shown.year));
    EXPECT_EQ(shown.anmr, printed.at("anmr").get<double>()) << shown.year;
    for (const auto& [key, band] :
         {std::pair{"cmp", &shown.od.cmp}, std::pair{"mei", &shown.od.mei}}) {
      const Json& expected = printed.at("estimated").at(key);
      EXPECT_EQ(band->value, expected.at("value").get<double>()) << shown.year << " " << key;
      EXPECT_EQ(band->low, expected.at("low").get<double>()) << shown.year << " " << key;
      EXPECT_EQ(band->high, expected.at("high").get<double>()) << shown.year << " " << key;
    }
  }
}

}  // namespace
}  // namespace kazmig::app

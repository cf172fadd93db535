#include "kazmig/report/situation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "kazmig/app/data.h"
#include "kazmig/app/report.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/report/html.h"
#include "kazmig/report/regularities.h"
#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

using kazmig::testing::NearRel;

std::vector<std::string> IdsWithNational(const RegionSystem& system) {
  std::vector<std::string> ids = system.ids();
  ids.push_back("KZ");
  return ids;
}

class SituationTest : public ::testing::Test {
 protected:
  SituationTest()
      : system_(RegionSystem::Builtin("kz-2022")),
        boundaries_(geo::LoadRegionBoundaries(
            kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system_)) {
    data_.system = &system_;
    data_.boundaries = boundaries_;
    data_.generated = "2026-01-01 00:00 UTC";
  }

  // The report of data_ after the use case has computed its tables (no partner flows).
  std::string Render() {
    app::ComputeSituationTables(data_, {}, {}, {}, [](const std::string& code) { return code; });
    return BuildSituationReport(data_);
  }

  // Every region: population 1,000,000 (2024), net = +1,000 for Astana (71), -1,000 for
  // Turkistan (61), 0 elsewhere; Almaty city's 2024 net is an estimate.
  void FillRegional() {
    data_.population_avg = RegionSeries("population_avg", "persons", IdsWithNational(system_));
    data_.net_internal = RegionSeries("net_internal", "persons", IdsWithNational(system_));
    const size_t population_source =
        data_.population_avg.AddProvenance(Provenance::Official("BNS table 6576", "test"));
    const size_t net_source =
        data_.net_internal.AddProvenance(Provenance::Official("BNS internal migration", "test"));
    const size_t estimated =
        data_.net_internal.AddProvenance(Provenance::Estimated("test estimate", "none"));
    for (size_t region_idx = 0; region_idx < system_.size(); ++region_idx) {
      data_.population_avg.Set(region_idx, 2024, 1'000'000, population_source);
      for (int year : {2022, 2023, 2024}) {
        const std::string& id = system_[region_idx].id;
        const double net = id == "71" ? 1000 : id == "61" ? -1000 : 0;
        data_.net_internal.Set(region_idx, year, net,
                               id == "75" && year == 2024 ? estimated : net_source);
      }
    }
  }

  void FillNational() {
    const std::vector<std::string> ids{"KZ"};
    data_.intl_arrivals = RegionSeries("intl_arrivals", "persons", ids);
    data_.intl_departures = RegionSeries("intl_departures", "persons", ids);
    const size_t a = data_.intl_arrivals.AddProvenance(Provenance::Official("CIS-Stat", "t"));
    const size_t d = data_.intl_departures.AddProvenance(Provenance::Official("CIS-Stat", "t"));
    data_.intl_arrivals.Set(0, 1991, 170787, a);
    data_.intl_departures.Set(0, 1991, 228473, d);
    data_.intl_arrivals.Set(0, 2023, 25387, a);
    data_.intl_departures.Set(0, 2023, 16094, d);
    data_.intl_arrivals.Set(0, 2025, 23761, a);
    data_.intl_departures.Set(0, 2025, 7608, d);
  }

  const RegionSystem& system_;
  std::vector<io::GeoFeature> boundaries_;
  app::SituationInput data_;
};

TEST_F(SituationTest, WithoutDataShowsRegionsAndSaysWhatIsMissing) {
  const std::string html = Render();
  EXPECT_NE(html.find("Regions and boundaries"), std::string::npos);
  EXPECT_NE(html.find("not in the database"), std::string::npos);
  EXPECT_NE(html.find("kazmig data init"), std::string::npos);
  // The reference map draws all 20 regions, and the region table lists them.
  EXPECT_EQ(CountOccurrences(html, "<path d="), 20u);
  EXPECT_NE(html.find("<td>KZ-ULT</td>"), std::string::npos);
  EXPECT_NE(html.find("geokz"), std::string::npos);
}

TEST_F(SituationTest, RegionalTableMapAndNationalSeries) {
  FillRegional();
  FillNational();
  const std::string html = Render();
  // Table 1: every region, the three years, the rate; estimated values marked.
  EXPECT_NE(html.find("Net 2022</th>"), std::string::npos);
  EXPECT_NE(html.find("Net 2024</th>"), std::string::npos);
  for (const Region& region : system_.regions()) {
    EXPECT_NE(html.find("<td>" + region.name_en + "</td>"), std::string::npos) << region.id;
  }
  EXPECT_NE(html.find("<td class=\"num\">1,000,000</td>"), std::string::npos);
  EXPECT_NE(html.find("+1,000</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">+1.0</td>"), std::string::npos);  // 1000 / 1e6 * 1000
  EXPECT_NE(html.find("<td class=\"num\">-1.0</td>"), std::string::npos);
  EXPECT_NE(html.find("<sup class=\"mark\">e</sup>"), std::string::npos);
  EXPECT_NE(html.find("e = estimated value"), std::string::npos);
  EXPECT_NE(html.find("badge estimated"), std::string::npos);
  // Sum of regions: nets cancel.
  EXPECT_NE(html.find("Kazakhstan (sum of regions)</td><td class=\"num\">20,000,000</td>"),
            std::string::npos);
  // The map (2 maps: choropleth + reference + the 2018 map is absent) and the bar chart.
  EXPECT_EQ(CountOccurrences(html, "<path d="), 40u);
  EXPECT_NE(html.find("<title>Astana: +1.0"), std::string::npos);
  // National series: the number as published, thousands separated, with preliminary marks.
  EXPECT_NE(html.find("25,387"), std::string::npos);
  EXPECT_NE(html.find("+9,293"), std::string::npos);  // 25,387 - 16,094
  EXPECT_NE(html.find("23,761<sup class=\"mark\">p</sup>"), std::string::npos);
  // The breaks of the regional statistics are not breaks of the national international series:
  // none is drawn on its chart (issue 18); the Regularities chart keeps the 2024 one.
  const std::string balance = html.substr(0, html.find("id=\"regions\""));
  EXPECT_EQ(balance.find("Series break:"), std::string::npos);
  // The international chart has a second panel for the recent years on their own scale.
  EXPECT_NE(html.find("class=\"panels\""), std::string::npos);
  // Sources footnoted from the provenances.
  EXPECT_NE(html.find("official: BNS table 6576 (test)"), std::string::npos);
  EXPECT_NE(html.find("official: CIS-Stat (t)"), std::string::npos);
  EXPECT_NE(html.find("estimated: test estimate (none)"), std::string::npos);
  // Summary and key figures.
  EXPECT_NE(html.find("In 2024, 1 of 20 regions gained population"), std::string::npos);
  EXPECT_NE(html.find("Astana: largest inter-regional gain, 2024"), std::string::npos);
  EXPECT_NE(html.find("Turkistan: largest inter-regional loss, 2024"), std::string::npos);
}

TEST_F(SituationTest, RegularitiesFromOfficialNetsAndTheEstimatedMatrix) {
  FillRegional();
  // The estimate as `kazmig data build-builtin` stores it (2024: the year with populations), read
  // back by the use case.
  app::KzDataset kz = app::InMemoryKzDataset({&data_.population_avg, &data_.net_internal}, {2024},
                                             kazmig::testing::SourceDir() / "data" / "kz");
  data_ = app::BuildSituationInput(kz, {"2026-01-01 00:00 UTC", ""}).input;
  data_.boundaries_2018.clear();
  const std::vector<app::SituationYear>& years = data_.years;
  // Official ANMR only where every region has a population (2024); 2022-2023 have none.
  ASSERT_EQ(years.size(), 1u);
  const app::SituationYear& year = years[0];
  EXPECT_EQ(year.year, 2024);
  EXPECT_TRUE(NearRel(year.anmr, 100.0 * 0.5 * 2000 / 20e6, 1e-12));
  EXPECT_TRUE(NearRel(year.anmr, app::KzYearIndicators(kz, 2024).nets.anmr, 1e-15));
  ASSERT_TRUE(year.estimated);
  EXPECT_EQ(year.od.runs, 9u);
  // The matrix is constrained to the official nets: its ANMR is the official one in every run,
  // and ANMR = CMP * MEI / 100 (up to the fit's tolerance).
  EXPECT_TRUE(NearRel(year.od.anmr.value, year.anmr, 1e-3));
  EXPECT_TRUE(NearRel(year.od.anmr.low, year.anmr, 1e-3));
  EXPECT_TRUE(NearRel(year.od.anmr.high, year.anmr, 1e-3));
  EXPECT_TRUE(NearRel(year.od.cmp.value * year.od.mei.value / 100, year.anmr, 1e-3));
  for (const indicators::Band* band :
       {&year.od.cmp, &year.od.mei, &year.od.gini_total_corrected, &year.od.acv}) {
    EXPECT_LE(band->low, band->value);
    EXPECT_GE(band->high, band->value);
    EXPECT_LT(band->low, band->high);  // the grid of assumptions moves every one of them
  }

  const std::string html = Render();
  const size_t start = html.find("id=\"regularities\"");
  ASSERT_NE(start, std::string::npos);
  const std::string section = html.substr(start);
  const std::string e = "<sup class=\"mark\"";
  // The plain-words paragraph says the computed numbers, estimated ones marked.
  EXPECT_NE(section.find("What the numbers say."), std::string::npos);
  // CMP and MEI: ranges over the assumptions, not findings.
  EXPECT_NE(section.find("(CMP, " + FormatThousands(year.od.cmp.low, 2) + "\u2013" +
                         FormatThousands(year.od.cmp.high, 2) + " per 100 residents in 2024)"),
            std::string::npos);
  EXPECT_NE(section.find("(MEI, " + FormatThousands(year.od.mei.low, 1) + "\u2013" +
                         FormatThousands(year.od.mei.high, 1) + ")"),
            std::string::npos);
  EXPECT_NE(section.find("index of all inter-regional flows was " +
                         FormatThousands(year.od.gini_total_corrected.value, 3) + e),
            std::string::npos);
  EXPECT_NE(section.find("(ANMR) was 0.01 per 100 residents in 2024 (official)"),
            std::string::npos);
  EXPECT_NE(section.find("model-based estimates"), std::string::npos);
  // Charts with bands, their data tables, corridors and concentration.
  // CMP and MEI as a range bar per year (no shaded trend band, no line joining the years).
  EXPECT_EQ(CountOccurrences(section, "class=\"band\""), 0u);
  EXPECT_EQ(CountOccurrences(section, "class=\"range-bars\""), 2u);
  EXPECT_NE(section.find("Intensity and effectiveness, 2024"), std::string::npos);
  EXPECT_NE(section.find("Data: MEI per 100 moves"), std::string::npos);
  EXPECT_NE(section.find("Largest inter-regional corridors, 2024"), std::string::npos);
  EXPECT_NE(section.find("Spatial focusing of inter-regional migration, 2024"), std::string::npos);
  EXPECT_NE(section.find(FormatThousands(year.od.acv.value, 2) + "<sup class=\"mark\">e</sup>"),
            std::string::npos);
  EXPECT_NE(section.find("badge official"), std::string::npos);
  EXPECT_NE(section.find("badge estimated"), std::string::npos);
  // The executive summary repeats the latest year.
  EXPECT_NE(html.find("Internal migration, 2024: moves between regions redistributed 0.01 per 100 "
                      "residents on balance (ANMR, official); the gross number of moves between "
                      "regions is not published"),
            std::string::npos);
  // The estimate's provenance is among the sources.
  EXPECT_NE(html.find("estimated: model-based inter-regional OD matrix"), std::string::npos);
}

// The time-series charts of the regularities section mark the register's measures of their
// years (issue 17: "shown on every time-series chart"): a national chart, so regional measures
// too; boundary changes are left to the series breaks.
TEST_F(SituationTest, RegularitiesChartsMarkPolicyMeasures) {
  FillRegional();
  data_.policy.present = true;
  data_.policy.measures = {
      {"rule-2023", "2023-01-27", 2023.07, "Entry rule", "entry-rule", "all", "", true, {}},
      {"west-2023", "2023-06-01", 2023.41, "West", "programme", "47", "", false, {"47"}},
      {"old-2011", "2011-07-22", 2011.55, "Old law", "law", "all", "", true, {}},
      {"split-2022", "2022-06-08", 2022.43, "Split", "boundary", "10", "", false, {"10"}}};
  app::ComputeSituationTables(data_, {}, {}, {}, [](const std::string& code) { return code; });
  data_.years.clear();  // the official ANMR of three years (no estimated matrix)
  for (int year : {2022, 2023, 2024}) {
    app::SituationYear row;
    row.year = year;
    row.anmr = 0.1 * (year - 2021);
    data_.years.push_back(row);
  }
  Document document("t", "s");
  AddRegularitiesSection(data_, document);
  const std::string html = document.Render();
  EXPECT_GE(CountOccurrences(html, "<g class=\"marker\"><title>2023-01-27: Entry rule</title>"),
            1u);
  EXPECT_GE(CountOccurrences(html, "<title>2023-06-01: West</title>"), 1u);
  EXPECT_EQ(CountOccurrences(html, "Old law"), 0u);  // outside the chart's years
  EXPECT_EQ(CountOccurrences(html, "Split"), 0u);    // a boundary change: a series break
  // Without a register, no markers.
  data_.policy = {};
  Document bare("t", "s");
  AddRegularitiesSection(data_, bare);
  EXPECT_EQ(CountOccurrences(bare.Render(), "<g class=\"marker\">"), 0u);
}

TEST_F(SituationTest, RegularitiesWithoutAnEstimateShowOnlyOfficialFigures) {
  FillRegional();
  // Through the use case with no stored OD estimate: the official ANMR of the complete year only.
  app::KzDataset kz = app::InMemoryKzDataset({&data_.population_avg, &data_.net_internal}, {},
                                             kazmig::testing::SourceDir() / "data" / "kz");
  data_ = app::BuildSituationInput(kz, {}).input;
  ASSERT_EQ(data_.years.size(), 1u);
  EXPECT_FALSE(data_.years[0].estimated);
  const std::string html = Render();
  const std::string section = html.substr(html.find("id=\"regularities\""));
  EXPECT_NE(section.find("No estimated inter-regional matrix is available"), std::string::npos);
  EXPECT_EQ(section.find("class=\"band\""), std::string::npos);
  EXPECT_EQ(section.find("Largest inter-regional corridors"), std::string::npos);
  EXPECT_NE(section.find("(ANMR) was"), std::string::npos);
}

TEST_F(SituationTest, DoesNotDependOnTheOrderOfSeriesIds) {
  FillRegional();
  const std::string forward = Render();
  // The same values stored with the ids in reverse order.
  std::vector<std::string> reversed = IdsWithNational(system_);
  std::reverse(reversed.begin(), reversed.end());
  RegionSeries population("population_avg", "persons", reversed);
  RegionSeries net("net_internal", "persons", reversed);
  for (size_t idx = 0; idx < reversed.size(); ++idx) {
    const size_t original = reversed.size() - 1 - idx;
    for (int year : data_.net_internal.Years()) {
      if (auto value = data_.net_internal.Get(original, year)) {
        net.Set(idx, year, *value,
                net.AddProvenance(data_.net_internal.ProvenanceOf(original, year)));
      }
      if (auto value = data_.population_avg.Get(original, year)) {
        population.Set(idx, year, *value,
                       population.AddProvenance(data_.population_avg.ProvenanceOf(original, year)));
      }
    }
  }
  data_.population_avg = population;
  data_.net_internal = net;
  EXPECT_EQ(Render(), forward);
}

TEST_F(SituationTest, BoundarySectionShowsThe2018Units) {
  const RegionSystem& kz2018 = RegionSystem::Builtin("kz-2018");
  const auto boundaries_2018 = geo::LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2018.geojson", kz2018);
  data_.system_2018 = &kz2018;
  data_.boundaries_2018 = boundaries_2018;
  const std::string html = Render();
  EXPECT_EQ(CountOccurrences(html, "<path d="), 20u + 17u);
  EXPECT_NE(html.find("<td>East Kazakhstan</td><td>East Kazakhstan + Abai</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>Karagandy</td><td>Karagandy + Ulytau</td>"), std::string::npos);
}

TEST_F(SituationTest, RejectsMissingBoundaries) {
  app::SituationInput data;
  data.system = &system_;
  EXPECT_THROW(BuildSituationReport(data), ComputeError);
}

}  // namespace
}  // namespace kazmig::report

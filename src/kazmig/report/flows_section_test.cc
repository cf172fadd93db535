#include "kazmig/report/flows_section.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "kazmig/app/data.h"
#include "kazmig/app/report.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

class FlowsSectionTest : public ::testing::Test {
 protected:
  FlowsSectionTest()
      : system_(RegionSystem::Builtin("kz-2022")),
        boundaries_(geo::LoadRegionBoundaries(
            kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system_)) {
    data_.system = &system_;
    data_.boundaries = boundaries_;
  }

  // Nets: Astana +3,000, Almaty city +1,000, Turkistan -2,500, Abai -1,500; population 1 million
  // everywhere except Almaty city (2 million); the OD estimate of `years` stored from them and
  // read back by the use case.
  void FillOd(const std::vector<int>& years) {
    std::vector<std::string> ids = system_.ids();
    RegionSeries population("population_avg", "persons", ids);
    RegionSeries net_internal("net_internal", "persons", ids);
    const size_t p = population.AddProvenance(Provenance::Official("BNS table 6576"));
    const size_t n =
        net_internal.AddProvenance(Provenance::Official("BNS internal migration", "test"));
    for (int year : years) {
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        const std::string& id = ids[idx];
        population.Set(idx, year, id == "75" ? 2e6 : 1e6, p);
        const double net = id == "71"   ? 3000
                           : id == "75" ? 1000
                           : id == "61" ? -2500
                           : id == "10" ? -1500
                                        : 0;
        net_internal.Set(idx, year, net, n);
      }
    }
    app::KzDataset kz = app::InMemoryKzDataset({&population, &net_internal}, years,
                                               kazmig::testing::SourceDir() / "data" / "kz");
    data_ = app::BuildSituationInput(kz, {}).input;
  }

  void FillInternational() {
    const Provenance cis = Provenance::Official("CIS-Stat and BNS", "test");
    const Provenance abel = Provenance::Estimated("Abel & Cohen (2019)", "test");
    for (int year : {2023, 2024, 2025}) {
      arrivals_.push_back({"RUS", "KAZ", year, "", 5000.0 + year, cis});
      arrivals_.push_back({"UZB", "KAZ", year, "", 12000, cis});
      arrivals_.push_back({"NON_CIS", "KAZ", year, "", 4000, cis});
      departures_.push_back({"KAZ", "RUS", year, "", 4700, cis});
      departures_.push_back({"KAZ", "UZB", year, "", 80, cis});
    }
    abel_.push_back({"KAZ", "DEU", 1990, "1990-1995", 393584, abel});
    abel_.push_back({"DEU", "KAZ", 1990, "1990-1995", 1105, abel});
    abel_.push_back({"KAZ", "RUS", 2015, "2015-2020", 783568, abel});
    abel_.push_back({"CHN", "KAZ", 2015, "2015-2020", 9000, abel});
  }

  // The use case's tables of data_ and the flows given, partner names as a dataset would give them.
  void Compute() {
    app::ComputeSituationTables(data_, arrivals_, departures_, abel_, [](const std::string& code) {
      return code == "RUS"   ? "Russia"
             : code == "UZB" ? "Uzbekistan"
             : code == "CHN" ? "China"
                             : code;
    });
  }

  std::string Render() {
    Compute();
    Document document("t", "t");
    AddFlowsSection(data_, document);
    return document.Render();
  }

  const RegionSystem& system_;
  std::vector<io::GeoFeature> boundaries_;
  std::vector<app::CountryFlow> arrivals_, departures_, abel_;
  app::SituationInput data_;
};

TEST_F(FlowsSectionTest, NoDataNoSection) {
  EXPECT_EQ(Render().find("id=\"flows\""), std::string::npos);
}

TEST_F(FlowsSectionTest, InternalCorridorsAreEstimatedWithBandsAndAFlowMap) {
  FillOd({2023, 2024});
  const std::string html = Render();
  ASSERT_NE(html.find("id=\"flows\""), std::string::npos);
  // The latest year is shown; the matrix is said to be model-based, with official nets only.
  EXPECT_NE(html.find("15 largest inter-regional corridors, 2024"), std::string::npos);
  EXPECT_NE(html.find("model-based"), std::string::npos);
  EXPECT_NE(html.find("Only the nets are official"), std::string::npos);
  EXPECT_NE(html.find("estimated: model-based inter-regional OD matrix"), std::string::npos);
  // The flow map: 15 arrows over the 20 regions, with a legend.
  EXPECT_EQ(CountOccurrences(html, "class=\"flow-arrow\""), 15u);
  EXPECT_NE(html.find("class=\"flow-map\""), std::string::npos);
  EXPECT_NE(html.find("class=\"legend\""), std::string::npos);
  // The map's credit line: the estimate warning, the projection and the boundaries' licence.
  EXPECT_NE(html.find("Model-based estimate: only the regional nets are official. Albers "
                      "equal-area conic"),
            std::string::npos);
  EXPECT_NE(html.find("Boundaries: geokz (A. Rodionov), CC BY 4.0"), std::string::npos);
  // Arrows are drawn largest first, widths from the largest (max_width) down.
  const std::string flow_attr = "data-flow=\"";
  std::vector<double> flows;
  for (size_t at = html.find(flow_attr); at != std::string::npos;
       at = html.find(flow_attr, at + 1)) {
    flows.push_back(std::stod(html.substr(at + flow_attr.size(), 32)));
  }
  ASSERT_EQ(flows.size(), 15u);
  EXPECT_TRUE(std::is_sorted(flows.rbegin(), flows.rend()));
  // Every region row of the per-region table, its estimated cells marked.
  EXPECT_NE(html.find("Largest corridors into and out of each region, 2024"), std::string::npos);
  EXPECT_GE(CountOccurrences(html, "<sup class=\"mark\">e</sup>"), 20u * 3 * 2);
  EXPECT_NE(html.find("+3,000"), std::string::npos);  // Astana's official net
  // The stored estimate of the latest year is shown, and its bands hold.
  ASSERT_EQ(data_.internal_od.size(), 2u);
  const app::StoredOd& od = data_.internal_od.back();
  EXPECT_EQ(od.year, 2024);
  for (size_t cell = 0; cell < od.central.data().size(); ++cell) {
    EXPECT_LE(od.low.data()[cell], od.central.data()[cell]);
    EXPECT_GE(od.high.data()[cell], od.central.data()[cell]);
  }
  EXPECT_EQ(data_.corridors.central.data(), od.central.data());
}

TEST_F(FlowsSectionTest, InternationalCorridorsOfficialAndEstimated) {
  FillInternational();
  const std::string html = Render();
  ASSERT_NE(html.find("id=\"flows\""), std::string::npos);
  EXPECT_NE(html.find("No estimated inter-regional matrix"), std::string::npos);
  EXPECT_NE(html.find("International migration by partner country, 2025 (official)"),
            std::string::npos);
  // Uzbekistan (12,080 in 2025) before Russia (7,025 + 4,700).
  EXPECT_LT(html.find("<td>Uzbekistan</td>"), html.find("<td>Russia</td>"));
  EXPECT_NE(html.find("Other countries, total"), std::string::npos);
  EXPECT_NE(html.find("<sup class=\"mark\">p</sup>"), std::string::npos);  // 2025: preliminary
  EXPECT_NE(html.find("official: CIS-Stat and BNS (test)"), std::string::npos);
  // Abel & Cohen: estimated, both directions, periods as columns.
  EXPECT_NE(html.find("Abel &amp; Cohen, 5-year periods"), std::string::npos);
  EXPECT_NE(html.find(">1990-1995</th>"), std::string::npos);
  // 393,584 as an estimate of persons: 3 significant digits (docs/output.md).
  EXPECT_NE(html.find("394,000<sup class=\"mark\">e</sup>"), std::string::npos);
  EXPECT_EQ(html.find("393,584"), std::string::npos);
  EXPECT_NE(html.find("<td>China</td>"), std::string::npos);
  EXPECT_NE(html.find("estimated: Abel &amp; Cohen (2019) (test)"), std::string::npos);
}

TEST(FlowMap, OneArrowPerCorridorWidthProportionalToFlow) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const auto boundaries = geo::LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system);
  FlowMap map;
  map.features = &boundaries;
  for (const Region& region : system.regions()) {
    map.names.push_back(region.name_en);
    map.anchors.push_back({region.longitude, region.latitude});
  }
  map.arrows = {{0, 18, 1000, 800, 1200}, {18, 17, 500, 400, 600}};
  map.max_width = 10;
  const std::string svg = RenderFlowMap(map);
  EXPECT_EQ(CountOccurrences(svg, "class=\"flow-arrow\""), 2u);
  EXPECT_NE(svg.find("stroke-width=\"10.0\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-width=\"5.0\""), std::string::npos);
  EXPECT_NE(svg.find("(estimated; range 800\u20131,200)"), std::string::npos);
  map.arrows.push_back({0, 20, 1, 1, 1});
  EXPECT_THROW(RenderFlowMap(map), ComputeError);
  map.arrows.pop_back();
  map.names.pop_back();
  EXPECT_THROW(RenderFlowMap(map), ComputeError);
}

}  // namespace
}  // namespace kazmig::report

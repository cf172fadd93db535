#include "kazmig/report/risk_section.h"

#include <gtest/gtest.h>

#include "kazmig/geo/boundaries.h"
#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

// A three-region result as app::ComputeKzRisk returns it (ranked, with bands and one flag).
app::RiskResult ThreeRegions() {
  app::RiskResult risk;
  risk.year = 2024;
  risk.aggregate = "linear";
  risk.components = {{"unemployment", "labour market", '+', "%", "", "", "official"},
                     {"income_relative", "labour market", '-', "% of national", "", "",
                      "estimated (includes imputed or estimated values)"}};
  risk.method = {{"normalise", "minmax"},
                 {"sensitivity", {{"draws", 2000}}},
                 {"missing_components", {{{"component", "net_migration_rate_5y"}}}}};
  risk.regions = {
      {"61",
       "Turkistan",
       0.9,
       1,
       1,
       1,
       2,
       true,
       {{9, 1, 0.5, 0.5}, {80, 0.8, 0.5, 0.4}},
       {{"net_outflow_3y",
         "net_migration_rate_1y",
         "net_migration_rate_1y <= -5 in every year of 2022-2024: -6, -5.5, -7",
         {2022, 2023, 2024},
         {-6, -5.5, -7}}}},
      {"10", "Abai", 0.5, 2, 2, 1, 3, false, {{6, 0.4, 0.5, 0.2}, {100, 0.6, 0.5, 0.3}}, {}},
      {"71", "Astana", 0.1, 3, 3, 2, 3, true, {{4, 0, 0.5, 0}, {120, 0.2, 0.5, 0.1}}, {}}};
  return risk;
}

TEST(RiskSection, RankingChartHasOneRowPerRegionWithItsBand) {
  const std::string svg = RenderRiskRanking(ThreeRegions());
  EXPECT_EQ(CountOccurrences(svg, "<g class=\"risk-row\">"), 3u);
  EXPECT_NE(svg.find("Turkistan: score 0.900, rank 1, median rank 1.0, 5\u201395% band 1\u20132 "
                     "(robust)"),
            std::string::npos);
  EXPECT_EQ(CountOccurrences(svg, "<circle"), 3u);  // the median ranks
}

// The score axis has one tick format ("0.0, 0.2, ... 1.0", not "0, 0.20, ... 1").
TEST(RiskSection, ScoreTicksShareOneFormat) {
  const std::string svg = RenderRiskRanking(ThreeRegions());
  for (const char* tick : {">0.0</text>", ">0.2</text>", ">0.8</text>", ">1.0</text>"}) {
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  }
  EXPECT_EQ(svg.find(">0</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">0.20</text>"), std::string::npos);
}

TEST(RiskSection, SectionShowsMapChartComponentsAndFlagsInWords) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  app::SituationInput data;
  data.system = &system;
  data.boundaries = geo::LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system);
  data.risk = ThreeRegions();
  Document document("t", "s");
  AddRiskSection(data, document);
  const std::string html = document.Render();
  EXPECT_NE(html.find("id=\"risks\""), std::string::npos);
  EXPECT_NE(html.find("Migration-risk index by region, 2024"), std::string::npos);
  EXPECT_NE(html.find("Regions ranked by migration risk, 2024"), std::string::npos);
  EXPECT_NE(html.find("Risk components by region, 2024"), std::string::npos);
  EXPECT_NE(html.find("<strong>Turkistan</strong> \u2014 net_outflow_3y: net_migration_rate_1y "
                      "&lt;= -5 in every year of 2022-2024: -6, -5.5, -7."),
            std::string::npos);
  EXPECT_NE(html.find("Robust ranks (the 5\u201395% band spans at most two ranks): Turkistan, "
                      "Astana."),
            std::string::npos);
  EXPECT_NE(html.find("net_migration_rate_5y"), std::string::npos);  // said to be missing
}

TEST(RiskSection, NoRegionsNoSection) {
  app::SituationInput data;
  Document document("t", "s");
  AddRiskSection(data, document);
  EXPECT_EQ(document.Render().find("id=\"risks\""), std::string::npos);
}

}  // namespace
}  // namespace kazmig::report

// The report's "Policy measures and their effects" section lays out the policy options of the
// projection scenarios: one row per scenario, with its measures, the projected and the measured
// effect (marked estimated) and the sentence.
#include "kazmig/report/policy_section.h"

#include <gtest/gtest.h>

#include <string>

#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

TEST(PolicySection, OptionsTableHasOneRowPerScenario) {
  app::SituationInput data;
  data.policy.present = true;
  data.policy.measures = {{"resettlement-north",
                           "2017-01-01",
                           2017.0,
                           "State resettlement",
                           "programme",
                           "11, 39",
                           "adilet",
                           false,
                           {"11", "39"}}};
  const char* names[] = {"baseline",        "emigration-shock",   "kandas-inflow",
                         "relocant-inflow", "resettlement-quota", "urban-pull"};
  for (const char* name : names) {
    app::PolicyOptionRow row;
    row.scenario = name;
    row.description = std::string("Description of ") + name;
    row.target = "KZ";
    row.target_name = "Kazakhstan";
    row.year = 2035;
    row.sentence = std::string("Sentence of ") + name + ".";
    if (row.scenario == "resettlement-quota") {
      row.measures = {"resettlement-north"};
      row.target = "NORTH";
      row.target_name = "North";
      row.diff = 52000;
      row.diff_low = 40000;
      row.diff_high = 61000;
      row.effects.push_back({"resettlement-north", "did", "per 1,000", 4.9, -3.3, 13.1, false});
    }
    data.policy.options.push_back(row);
  }
  Document document("t", "s");
  AddPolicySection(data, document);
  const std::string html = document.Render();
  EXPECT_GE(
      CountOccurrences(html, "Policy options in the projections and the measures behind them"), 1u);
  for (const char* name : names) {
    EXPECT_EQ(CountOccurrences(html, std::string("<b>") + name + "</b>"), 1u) << name;
    EXPECT_EQ(CountOccurrences(html, std::string("Sentence of ") + name + "."), 1u) << name;
  }
  EXPECT_NE(html.find("+52,000 in North, 2035"), std::string::npos);
  EXPECT_NE(html.find("+40,000 to +61,000"), std::string::npos);
  EXPECT_NE(html.find("not credible"), std::string::npos);
  EXPECT_EQ(CountOccurrences(html, ">none<"), 5u);  // the scenarios without a register measure

  // Without options (prospects not computed) the table is left out.
  data.policy.options.clear();
  Document bare("t", "s");
  AddPolicySection(data, bare);
  EXPECT_EQ(bare.Render().find("Policy options in the projections"), std::string::npos);
}

// Markers: a chart of the country gets every measure but boundary changes; a chart of some
// regions gets the national measures and those affecting one of its regions, compared through
// the kz-2022 atoms (kz-2009's East Kazakhstan, 63, holds today's Abai, 10).
TEST(PolicyMarkers, NationalAndTheShownRegionsMeasuresOnly) {
  app::SituationInput data;
  data.policy.present = true;
  data.policy.measures = {
      {"law", "2011-07-22", 2011.55, "A law", "law", "all", "", true, {}},
      {"north", "2017-01-01", 2017.0, "North", "programme", "11, 39", "", false, {"11", "39"}},
      {"abai", "2019-01-01", 2019.0, "Abai", "programme", "10", "", false, {"10"}},
      {"cities", "2020-01-01", 2020.0, "Cities", "programme", "75", "", false, {"75"}},
      {"split",
       "2022-06-08",
       2022.4,
       "New regions",
       "boundary",
       "10, 33, 62",
       "",
       false,
       {"10", "33", "62"}}};
  const auto ids = [](const std::vector<ChartMarker>& markers) {
    std::vector<std::string> out;
    for (const ChartMarker& m : markers) out.push_back(m.label);
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids(PolicyMarkers(data)), (Ids{"law", "north", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"KZ"})), (Ids{"law", "north", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"11"})), (Ids{"law", "north"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"75", "10"})), (Ids{"law", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2009", {"63"})), (Ids{"law", "abai"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"47"})), (Ids{"law"}));
  const std::vector<ChartMarker> one = PolicyMarkers(data, "kz-2022", {"11"});
  ASSERT_EQ(one.size(), 2u);
  EXPECT_DOUBLE_EQ(one[1].x, 2017.0);
  EXPECT_EQ(one[1].title, "2017-01-01: North");
}

}  // namespace
}  // namespace kazmig::report

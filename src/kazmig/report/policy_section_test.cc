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
  data.policy.measures = {{"resettlement-north", "2017-01-01", 2017.0, "State resettlement",
                           "programme", "11, 39", "adilet"}};
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

}  // namespace
}  // namespace kazmig::report

// The link between the projection scenarios and the register of policy measures: every built-in
// scenario file names only measures of the built-in register, the mapping is the one
// docs/policy.md documents, and an unknown id or a bad type is an InputError naming the file and
// the key.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kazmig/app/policy.h"
#include "kazmig/app/scenarios.h"
#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

std::vector<std::string> RegisterIds() {
  std::vector<std::string> ids;
  for (const policy::Measure& m :
       LoadPolicyRegister(kazmig::testing::SourceDir() / "data" / "kz", "")) {
    ids.push_back(m.id);
  }
  return ids;
}

std::filesystem::path ScenarioDir() { return kazmig::testing::SourceDir() / "data" / "scenarios"; }

TEST(PolicyOptions, EveryBuiltinScenarioNamesOnlyRegisterMeasures) {
  const std::vector<std::string> ids = RegisterIds();
  ASSERT_FALSE(ids.empty());
  const std::vector<std::string> names = BuiltinScenarioNames(ScenarioDir());
  ASSERT_EQ(names.size(), 6u);
  for (const std::string& name : names) {
    const std::filesystem::path file = ScenarioDir() / (name + ".json");
    const ScenarioLinks links = ReadScenarioLinks(file);
    EXPECT_EQ(links.name, name);
    EXPECT_NO_THROW(CheckScenarioMeasures(links, file.string(), ids)) << name;
    EXPECT_FALSE(links.measures_note.empty()) << name << ": say why (or why no) measures";
    // The report's Russian text of each built-in file (docs/projection.md, "Scenario files").
    EXPECT_FALSE(links.description_ru.empty()) << name << ": description_ru";
    EXPECT_FALSE(links.measures_note_ru.empty()) << name << ": measures_note_ru";
    for (const std::string& id : links.measures) {
      EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << name << ": " << id;
    }
  }
}

TEST(PolicyOptions, BuiltinMappingAndTargets) {
  const auto links = [](const std::string& name) {
    return ReadScenarioLinks(ScenarioDir() / (name + ".json"));
  };
  EXPECT_EQ(links("resettlement-quota").measures, std::vector<std::string>{"resettlement-north"});
  EXPECT_EQ(links("resettlement-quota").target, "NORTH");
  EXPECT_EQ(links("urban-pull").measures, std::vector<std::string>{});
  EXPECT_EQ(links("urban-pull").target, "CITIES");
  EXPECT_EQ(links("baseline").measures, std::vector<std::string>{});
  const std::vector<std::string> relocants = links("relocant-inflow").measures;
  EXPECT_NE(std::find(relocants.begin(), relocants.end(), "russia-mobilisation-2022"),
            relocants.end());
  const std::vector<std::string> kandas = links("kandas-inflow").measures;
  EXPECT_NE(std::find(kandas.begin(), kandas.end(), "resettlement-north"), kandas.end());
  EXPECT_EQ(links("kandas-inflow").target, "KZ");
}

TEST(PolicyOptions, UnknownMeasureNamesFileAndKey) {
  kazmig::testing::TempDir dir;
  const std::filesystem::path file =
      dir.Write("mine.json",
                R"({"name": "mine", "measures": ["resettlement-north", "no-such-measure"],
                    "changes": []})");
  const ScenarioLinks links = ReadScenarioLinks(file);
  try {
    CheckScenarioMeasures(links, file.string(), RegisterIds());
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find("measures[1]"), std::string::npos) << what;
    EXPECT_NE(what.find("no-such-measure"), std::string::npos) << what;
  }
  // Russian texts are strings too.
  const std::filesystem::path bad_ru =
      dir.Write("bad_ru.json", R"({"name": "bad", "description_ru": 3, "changes": []})");
  try {
    ReadScenarioLinks(bad_ru);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("description_ru"), std::string::npos) << error.what();
  }
  // The projection accepts the keys (they do not change what is projected) but checks types.
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  EXPECT_NO_THROW(
      ParseScenario(R"({"name": "x", "measures": ["a"], "target": "NORTH"})", "ok.json", system));
  try {
    ParseScenario(R"({"name": "x", "measures": "resettlement-north"})", "bad.json", system);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("bad.json"), std::string::npos) << what;
    EXPECT_NE(what.find("measures"), std::string::npos) << what;
  }
  EXPECT_THROW(ParseScenario(R"({"name": "x", "measures": [3]})", "bad.json", system), InputError);
  EXPECT_THROW(ParseScenario(R"({"name": "x", "target": 1})", "bad.json", system), InputError);
}

}  // namespace
}  // namespace kazmig::app

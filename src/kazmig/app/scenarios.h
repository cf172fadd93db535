// Scenario files of `kazmig project` and `kazmig compare`: JSON documents that describe changes to
// the baseline projection (project/scenario.h), read and resolved against the kz-2022 regions.
//
//   app::ScenarioSpec spec = app::ResolveScenario("resettlement-quota+kandas-inflow",
//                                                 app::BuiltinScenarioDir(builtin_dir));
//   spec.scenario;   // project::Scenario, composed, canonical order
//   spec.text;       // the files' text, stored with the results
//
// A scenario argument is a comma-separated list of scenarios to run side by side; each is one
// NAME or FILE, or several joined with '+' to compose them (applied together on the baseline).
// NAME is a built-in scenario, data/scenarios/NAME.json; anything with a '/' or ending in ".json"
// is a FILE. The format (docs/projection.md, "Scenario files"):
//
//   {"name": "resettlement-quota",
//    "description": "State quota: N a year from the south to the north",
//    "changes": [
//      {"type": "internal-transfer", "persons": {"series": "resettlement_quota", "year": 2025},
//      "first_year": 2025, "last_year": 2035,
//       "origins": [{"region": "Turkistan"}, {"region": "Zhambyl"}],
//       "destinations": [{"region": "Akmola", "weight": 1}, {"region": "Kostanay", "weight": 1}]},
//      {"type": "international", "persons": 21325, "baseline_persons": 17163,
//       "regions": []},
//      {"type": "urban-pull", "percent": 20, "cities": ["Astana", "Almaty", "Shymkent"]}]}
//
// Errors are InputError naming the file with its line and column (JSON syntax) or the file and
// the key (`FILE: changes[0].origins[2].region: unknown region 'Foo'`).
#ifndef KAZMIG_APP_SCENARIOS_H_
#define KAZMIG_APP_SCENARIOS_H_

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/region.h"
#include "kazmig/project/scenario.h"

namespace kazmig::app {

// Looks up a number of the built-in data: the national ("KZ") value of `indicator` in `year`, or
// nullopt. A number in a scenario file may be written {"series": "resettlement_quota", "year":
// 2025} to take it from the data.
using SeriesLookup = std::function<std::optional<double>(std::string_view indicator, int year)>;

// A resolved scenario: what the projection applies, and the text it came from.
struct ScenarioSpec {
  project::Scenario scenario;  // composed (project::Compose), named as the user wrote it
  std::string text;            // every file's text, each after a "# FILE" line ("" = baseline)
  std::vector<std::string> sources;  // the files read
};

// The folder of the built-in scenario files: `builtin_dir`/../scenarios (data/scenarios beside
// data/kz), or $KAZMIG_SCENARIO_DIR when set.
std::filesystem::path BuiltinScenarioDir(const std::filesystem::path& builtin_dir);

// The built-in scenario names (file stems in `dir`, sorted).
std::vector<std::string> BuiltinScenarioNames(const std::filesystem::path& dir);

// Reads one scenario file (JSON) against `system`. Throws InputError as described above.
project::Scenario ReadScenarioFile(const std::filesystem::path& path, const RegionSystem& system,
                                   const SeriesLookup& lookup, std::string* text = nullptr);
// Parses scenario JSON text; `origin` names it in messages.
project::Scenario ParseScenario(const std::string& json_text, const std::string& origin,
                                const RegionSystem& system, const SeriesLookup& lookup = {});

// How a scenario relates to the register of policy measures (docs/projection.md, "Scenario
// files"): optional keys "measures" (register ids, e.g. ["resettlement-north"]), "measures_note"
// (why, or why none) and "target" (the compare-table row it is meant to move: NORTH, SOUTH,
// CITIES, KZ or a region id; default KZ).
struct ScenarioLinks {
  std::string name;
  std::string description;
  std::string description_ru;  // "description_ru": the description in Russian (the report's ru/kk)
  std::vector<std::string> measures;
  std::string measures_note;
  std::string measures_note_ru;
  std::string target = "KZ";
};
// Reads the links of one scenario file (InputError naming the file and the key on a bad type).
ScenarioLinks ReadScenarioLinks(const std::filesystem::path& path);
// The comparison row a scenario's "target" names: a group id of CompareGroups (NORTH, SOUTH,
// CITIES, KZ) as written, or the id of a region of `system` (KATO, ISO or name). InputError
// "ORIGIN: target: unknown target ..." otherwise.
std::string ResolveScenarioTarget(const std::string& target, const RegionSystem& system,
                                  const std::string& origin);
// Throws InputError "ORIGIN: measures[I]: unknown measure 'ID' (not in the register: ...)" when a
// listed measure is not one of `register_ids`.
void CheckScenarioMeasures(const ScenarioLinks& links, const std::string& origin,
                           const std::vector<std::string>& register_ids);

// Resolves one scenario argument ("a" or "a+b+FILE"): "baseline" is the empty scenario (no file
// needed). Unknown names are UsageError listing the built-in ones.
ScenarioSpec ResolveScenario(const std::string& argument, const std::filesystem::path& dir,
                             const RegionSystem& system, const SeriesLookup& lookup = {});

// Splits a --scenario value at commas (empty items are a UsageError).
std::vector<std::string> SplitScenarioList(const std::string& value);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_SCENARIOS_H_

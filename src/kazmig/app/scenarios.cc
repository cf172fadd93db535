#include "kazmig/app/scenarios.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kazmig/app/project.h"
#include "kazmig/core/error.h"

namespace kazmig::app {
namespace {

using nlohmann::json;

[[noreturn]] void Fail(const std::string& origin, const std::string& key, const std::string& what) {
  throw InputError(origin, 0, 0, key.empty() ? what : fmt::format("{}: {}", key, what));
}

// Line and column (1-based) of byte offset `offset` in `text`.
std::pair<long, long> LineColumn(const std::string& text, size_t offset) {
  long line = 1;
  long column = 1;
  for (size_t idx = 0; idx < std::min(offset, text.size()); ++idx) {
    if (text[idx] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

const std::vector<std::string> kChangeKeys = {
    "type",    "persons",      "baseline_persons", "first_year", "last_year", "origins",
    "regions", "destinations", "percent",          "cities",     "note",      "source"};

double Number(const json& node, const std::string& origin, const std::string& key,
              const SeriesLookup& lookup) {
  if (node.is_object()) {
    for (const auto& item : node.items()) {
      if (item.key() != "series" && item.key() != "year") {
        Fail(origin, key + "." + item.key(), "unknown key (series, year)");
      }
    }
    if (!node.contains("series") || !node.at("series").is_string()) {
      Fail(origin, key + ".series", "missing (the name of a built-in series)");
    }
    if (!node.contains("year") || !node.at("year").is_number_integer()) {
      Fail(origin, key + ".year", "missing (a whole year)");
    }
    const std::string series = node.at("series").get<std::string>();
    const long long year = node.at("year").get<long long>();
    if (year < 1900 || year > 2200) Fail(origin, key + ".year", "out of range");
    const std::optional<double> value =
        lookup ? lookup(series, static_cast<int>(year)) : std::nullopt;
    if (!value || !std::isfinite(*value)) {
      Fail(
          origin, key,
          fmt::format("no national value of series '{}' in {} in the built-in data", series, year));
    }
    return *value;
  }
  if (!node.is_number()) Fail(origin, key, "expected a number or {\"series\": ..., \"year\": ...}");
  const double value = node.get<double>();
  if (!std::isfinite(value)) Fail(origin, key, "not a finite number");
  return value;
}

// The policy links of a scenario document: "measures" (a list of register ids), "measures_note"
// and "target" (strings). Checks the types; the ids are checked against the register by
// CheckScenarioMeasures.
ScenarioLinks ReadLinks(const json& doc, const std::string& origin) {
  ScenarioLinks links;
  if (doc.contains("name") && doc.at("name").is_string()) {
    links.name = doc.at("name").get<std::string>();
  }
  if (doc.contains("description") && doc.at("description").is_string()) {
    links.description = doc.at("description").get<std::string>();
  }
  if (doc.contains("measures")) {
    const json& list = doc.at("measures");
    if (!list.is_array()) Fail(origin, "measures", "expected a list of measure ids");
    for (size_t idx = 0; idx < list.size(); ++idx) {
      if (!list[idx].is_string() || list[idx].get<std::string>().empty()) {
        Fail(origin, fmt::format("measures[{}]", idx), "expected a measure id (a string)");
      }
      links.measures.push_back(list[idx].get<std::string>());
    }
  }
  const std::pair<const char*, std::string*> strings[] = {
      {"measures_note", &links.measures_note},
      {"measures_note_ru", &links.measures_note_ru},
      {"description_ru", &links.description_ru},
      {"target", &links.target}};
  for (const auto& [key, field] : strings) {
    if (!doc.contains(key)) continue;
    if (!doc.at(key).is_string()) Fail(origin, key, "expected a string");
    *field = doc.at(key).get<std::string>();
  }
  return links;
}

int Year(const json& change, const char* name, int fallback, const std::string& origin,
         const std::string& key) {
  if (!change.contains(name)) return fallback;
  const json& node = change.at(name);
  const std::string field = key + "." + name;
  if (!node.is_number_integer()) Fail(origin, field, "expected a whole year");
  const long long year = node.get<long long>();
  if (year < 1900 || year > 2200) Fail(origin, field, fmt::format("year {} out of range", year));
  return static_cast<int>(year);
}

size_t Region(const json& node, const std::string& origin, const std::string& key,
              const RegionSystem& system) {
  if (!node.is_string()) Fail(origin, key, "expected a region name or code");
  // Resolve throws InputError("ORIGIN: KEY: unknown (or ambiguous) region ...").
  return system.Resolve(node.get<std::string>(), fmt::format("{}: {}", origin, key));
}

std::vector<project::RegionWeight> Mix(const json& change, const char* name,
                                       const std::string& origin, const std::string& key,
                                       const RegionSystem& system, bool required,
                                       const SeriesLookup& lookup) {
  std::vector<project::RegionWeight> mix;
  const std::string field = key + "." + name;
  if (!change.contains(name)) {
    if (required) Fail(origin, field, "missing");
    return mix;
  }
  const json& list = change.at(name);
  if (!list.is_array())
    Fail(origin, field, "expected a list of {\"region\": ..., \"weight\": ...}");
  for (size_t entry_idx = 0; entry_idx < list.size(); ++entry_idx) {
    const json& entry = list[entry_idx];
    const std::string entry_key = fmt::format("{}[{}]", field, entry_idx);
    project::RegionWeight weight;
    if (entry.is_string()) {
      weight.region_idx = Region(entry, origin, entry_key, system);
    } else if (entry.is_object()) {
      for (const auto& item : entry.items()) {
        if (item.key() != "region" && item.key() != "weight") {
          Fail(origin, entry_key + "." + item.key(), "unknown key (region, weight)");
        }
      }
      if (!entry.contains("region")) Fail(origin, entry_key + ".region", "missing");
      weight.region_idx = Region(entry.at("region"), origin, entry_key + ".region", system);
      if (entry.contains("weight")) {
        weight.weight = Number(entry.at("weight"), origin, entry_key + ".weight", lookup);
        if (weight.weight < 0) Fail(origin, entry_key + ".weight", "negative weight");
      }
    } else {
      Fail(origin, entry_key, "expected a region or {\"region\": ..., \"weight\": ...}");
    }
    for (const project::RegionWeight& other : mix) {
      if (other.region_idx == weight.region_idx) {
        Fail(origin, entry_key,
             fmt::format("region {} listed twice", system[weight.region_idx].id));
      }
    }
    mix.push_back(weight);
  }
  if (required && mix.empty()) Fail(origin, field, "empty list");
  // Either every weight is given (and they sum to more than 0) or none is (by population).
  size_t weighted = 0;
  double total = 0;
  for (const project::RegionWeight& entry : mix) {
    weighted += entry.weight > 0 ? 1 : 0;
    total += entry.weight;
  }
  if (weighted > 0 && weighted != mix.size()) {
    Fail(origin, field, "give a positive weight to every region, or to none (by population)");
  }
  (void)total;
  return mix;
}

}  // namespace

std::filesystem::path BuiltinScenarioDir(const std::filesystem::path& builtin_dir) {
  if (const char* dir = std::getenv("KAZMIG_SCENARIO_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return builtin_dir.parent_path() / "scenarios";
}

std::vector<std::string> BuiltinScenarioNames(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

project::Scenario ParseScenario(const std::string& json_text, const std::string& origin,
                                const RegionSystem& system, const SeriesLookup& lookup) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& error) {
    const auto [line, column] = LineColumn(json_text, error.byte > 0 ? error.byte - 1 : 0);
    std::string what = error.what();
    if (const size_t pos = what.find("syntax error"); pos != std::string::npos) {
      what = what.substr(pos);
    }
    throw InputError(origin, line, column, fmt::format("invalid JSON: {}", what));
  }
  if (!doc.is_object()) Fail(origin, "", "expected a JSON object with \"name\" and \"changes\"");
  for (const auto& item : doc.items()) {
    if (item.key() != "name" && item.key() != "description" && item.key() != "changes" &&
        item.key() != "source" && item.key() != "notes" && item.key() != "measures" &&
        item.key() != "measures_note" && item.key() != "target" && item.key() != "description_ru" &&
        item.key() != "measures_note_ru") {
      Fail(origin, item.key(),
           "unknown key (name, description, description_ru, changes, source, notes, measures, "
           "measures_note, measures_note_ru, target)");
    }
  }
  ResolveScenarioTarget(ReadLinks(doc, origin).target, system, origin);
  project::Scenario scenario;
  if (!doc.contains("name") || !doc.at("name").is_string() ||
      doc.at("name").get<std::string>().empty()) {
    Fail(origin, "name", "missing (a non-empty string)");
  }
  scenario.name = doc.at("name").get<std::string>();
  if (scenario.name.find_first_of(",+") != std::string::npos) {
    Fail(origin, "name", "may not contain ',' or '+'");
  }
  if (doc.contains("description")) {
    if (!doc.at("description").is_string()) Fail(origin, "description", "expected a string");
    scenario.description = doc.at("description").get<std::string>();
  }
  if (!doc.contains("changes")) return scenario;
  const json& changes = doc.at("changes");
  if (!changes.is_array()) Fail(origin, "changes", "expected a list");
  for (size_t change_idx = 0; change_idx < changes.size(); ++change_idx) {
    const json& change = changes[change_idx];
    const std::string key = fmt::format("changes[{}]", change_idx);
    if (!change.is_object()) Fail(origin, key, "expected an object");
    for (const auto& item : change.items()) {
      if (std::find(kChangeKeys.begin(), kChangeKeys.end(), item.key()) == kChangeKeys.end()) {
        Fail(origin, key + "." + item.key(), "unknown key");
      }
    }
    if (!change.contains("type") || !change.at("type").is_string()) {
      Fail(origin, key + ".type", "missing (internal-transfer, international or urban-pull)");
    }
    const std::string type = change.at("type").get<std::string>();
    const int first_year = Year(change, "first_year", INT_MIN, origin, key);
    const int last_year = Year(change, "last_year", INT_MAX, origin, key);
    const std::string where = fmt::format("{}: {}", origin, key);
    if (type == "internal-transfer") {
      project::InternalTransfer transfer;
      transfer.key = where;
      transfer.first_year = first_year;
      transfer.last_year = last_year;
      if (!change.contains("persons")) Fail(origin, key + ".persons", "missing");
      transfer.persons = Number(change.at("persons"), origin, key + ".persons", lookup);
      if (transfer.persons < 0) Fail(origin, key + ".persons", "negative");
      transfer.origins = Mix(change, "origins", origin, key, system, true, lookup);
      transfer.destinations = Mix(change, "destinations", origin, key, system, true, lookup);
      scenario.transfers.push_back(std::move(transfer));
    } else if (type == "international") {
      project::InternationalChange intl;
      intl.key = where;
      intl.first_year = first_year;
      intl.last_year = last_year;
      if (!change.contains("persons")) Fail(origin, key + ".persons", "missing");
      intl.persons = Number(change.at("persons"), origin, key + ".persons", lookup);
      if (change.contains("baseline_persons")) {
        intl.persons -=
            Number(change.at("baseline_persons"), origin, key + ".baseline_persons", lookup);
      }
      intl.regions = Mix(change, "regions", origin, key, system, false, lookup);
      scenario.international.push_back(std::move(intl));
    } else if (type == "urban-pull") {
      project::UrbanPull pull;
      pull.key = where;
      pull.first_year = first_year;
      pull.last_year = last_year;
      if (!change.contains("percent")) Fail(origin, key + ".percent", "missing");
      pull.percent = Number(change.at("percent"), origin, key + ".percent", lookup);
      if (pull.percent < -100) Fail(origin, key + ".percent", "below -100");
      const std::string cities_key = key + ".cities";
      if (!change.contains("cities") || !change.at("cities").is_array() ||
          change.at("cities").empty()) {
        Fail(origin, cities_key, "missing (a list of regions)");
      }
      const json& cities = change.at("cities");
      for (size_t city_idx = 0; city_idx < cities.size(); ++city_idx) {
        const size_t region_idx =
            Region(cities[city_idx], origin, fmt::format("{}[{}]", cities_key, city_idx), system);
        if (std::find(pull.cities.begin(), pull.cities.end(), region_idx) != pull.cities.end()) {
          Fail(origin, fmt::format("{}[{}]", cities_key, city_idx), "listed twice");
        }
        pull.cities.push_back(region_idx);
      }
      std::sort(pull.cities.begin(), pull.cities.end());
      if (pull.cities.size() >= system.size()) Fail(origin, cities_key, "every region is a city");
      scenario.urban_pulls.push_back(std::move(pull));
    } else {
      Fail(origin, key + ".type",
           fmt::format("unknown type '{}' (internal-transfer, international or urban-pull)", type));
    }
  }
  return scenario;
}

project::Scenario ReadScenarioFile(const std::filesystem::path& path, const RegionSystem& system,
                                   const SeriesLookup& lookup, std::string* text) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw InputError(path.string(), 0, 0, "cannot open the scenario file (no such file)");
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError(path.string(), 0, 0, "is a directory, not a scenario file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw InputError(path.string(), 0, 0,
                     "not a regular file (a pipe or FIFO): give a scenario file");
  }
  if (std::filesystem::file_size(path, error) > (16u << 20)) {
    throw InputError(path.string(), 0, 0, "larger than 16 MiB: not a scenario file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, 0, "cannot open the scenario file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string contents = buffer.str();
  if (contents.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(path.string(), 0, 0, "empty scenario file");
  }
  if (text != nullptr) *text = contents;
  return ParseScenario(contents, path.string(), system, lookup);
}

ScenarioSpec ResolveScenario(const std::string& argument, const std::filesystem::path& dir,
                             const RegionSystem& system, const SeriesLookup& lookup) {
  ScenarioSpec spec;
  std::vector<project::Scenario> parts;
  std::vector<std::string> names;
  size_t start = 0;
  while (true) {
    const size_t plus = argument.find('+', start);
    const std::string item =
        argument.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    if (item.empty()) {
      throw UsageError(fmt::format("--scenario: empty scenario name in '{}'", argument));
    }
    if (item == "baseline") {
      parts.push_back(project::Scenario{});
      names.push_back(item);
    } else {
      std::filesystem::path path;
      const bool is_file = item.find('/') != std::string::npos ||
                           (item.size() > 5 && item.substr(item.size() - 5) == ".json");
      if (is_file) {
        path = item;
      } else {
        path = dir / (item + ".json");
        if (!std::filesystem::exists(path)) {
          std::string known = "baseline";
          for (const std::string& name : BuiltinScenarioNames(dir)) {
            if (name != "baseline") known += ", " + name;
          }
          throw UsageError(fmt::format(
              "--scenario: unknown scenario '{}' (built-in: {}; or a FILE.json)", item, known));
        }
      }
      std::string text;
      parts.push_back(ReadScenarioFile(path, system, lookup, &text));
      names.push_back(is_file ? parts.back().name : item);
      spec.text += fmt::format("# {}\n{}", path.string(), text);
      if (!spec.text.empty() && spec.text.back() != '\n') spec.text += '\n';
      spec.sources.push_back(path.string());
    }
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  spec.scenario = project::Compose(parts);
  // The name as the user composed it (built-in names, file scenarios by their "name").
  std::string name;
  for (const std::string& part : names) {
    if (part == "baseline" && names.size() > 1) continue;
    name += (name.empty() ? "" : "+") + part;
  }
  spec.scenario.name = name;
  return spec;
}

std::vector<std::string> SplitScenarioList(const std::string& value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = value.find(',', start);
    std::string item =
        value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw UsageError(fmt::format("--scenario: empty item in '{}'", value));
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

ScenarioLinks ReadScenarioLinks(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, 0, "cannot open the scenario file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& error) {
    const auto [line, column] = LineColumn(text, error.byte == 0 ? 0 : error.byte - 1);
    throw InputError(path.string(), line, column, "invalid JSON");
  }
  if (!doc.is_object()) Fail(path.string(), "", "expected a JSON object");
  return ReadLinks(doc, path.string());
}

void CheckScenarioMeasures(const ScenarioLinks& links, const std::string& origin,
                           const std::vector<std::string>& register_ids) {
  for (size_t idx = 0; idx < links.measures.size(); ++idx) {
    if (std::find(register_ids.begin(), register_ids.end(), links.measures[idx]) ==
        register_ids.end()) {
      std::string known;
      for (const std::string& id : register_ids) known += (known.empty() ? "" : ", ") + id;
      Fail(origin, fmt::format("measures[{}]", idx),
           fmt::format("unknown measure '{}' (not in the register: {})", links.measures[idx],
                       known));
    }
  }
}

std::string ResolveScenarioTarget(const std::string& target, const RegionSystem& system,
                                  const std::string& origin) {
  std::string known;
  for (const RegionGroup& group : CompareGroups()) {
    if (group.id == target) return target;
    known += (known.empty() ? "" : ", ") + group.id;
  }
  if (const auto idx = system.Find(target)) return system[*idx].id;
  Fail(origin, "target",
       fmt::format("unknown target '{}' (a row of the comparison: {} or a region of {})", target,
                   known, system.name()));
}

}  // namespace kazmig::app

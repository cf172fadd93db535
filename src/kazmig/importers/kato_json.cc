#include "kazmig/importers/kato_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

struct Mapping {
  const char* source_indicator;
  const char* indicator;
  const char* table;
};

constexpr Mapping kMappings[] = {
    {"births", "births", "BNS table 6548"},
    {"deaths", "deaths", "BNS table 6550"},
    {"migration_balance", "net_all", "BNS table 6567"},
    {"nominal_income_per_capita", "income_per_capita", "BNS table 19298"},
    {"grp_per_capita", "grp_per_capita", "BNS table 5930"},
    {"housing_commissioned", "housing_commissioned", "BNS table 4289"},
};

}  // namespace

std::vector<int> CorrectThousandsSeparator(std::map<int, double>& series) {
  std::vector<int> corrected;
  std::optional<double> next;  // the next later (corrected) value
  for (auto it = series.rbegin(); it != series.rend(); ++it) {
    double& value = it->second;
    if (next && *next > 0 && value > 10000 && value / *next > 100) {
      const double ratio = value / 1000 / *next;
      if (ratio > 0.2 && ratio < 5) {
        value /= 1000;
        corrected.push_back(it->first);
      }
    }
    next = value;
  }
  std::reverse(corrected.begin(), corrected.end());
  return corrected;
}

store::Batch ImportKatoJson(const std::filesystem::path& path) {
  const std::string file = path.string();
  const std::string text = io::ReadFile(path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    const auto [line, column] = LineColumnOf(text, error.byte > 0 ? error.byte - 1 : 0);
    throw InputError(file, line, column, fmt::format("not valid JSON: {}", error.what()));
  } catch (const nlohmann::json::out_of_range& error) {
    // A number that does not fit a double (1e400, a 400-digit integer): nlohmann reports the
    // token ("number overflow parsing '1e400'") but not its offset; the first occurrence of the
    // token is where parsing stopped.
    const std::string what = error.what();
    const size_t open = what.find('\'');
    const size_t close = open == std::string::npos ? open : what.find('\'', open + 1);
    long line = 0, column = 0;
    std::string token;
    if (close != std::string::npos) {
      token = what.substr(open + 1, close - open - 1);
      if (const size_t at = text.find(token); !token.empty() && at != std::string::npos) {
        std::tie(line, column) = LineColumnOf(text, at);
      }
    }
    throw InputError(file, line, column,
                     token.empty() ? "a number is out of range"
                                   : fmt::format("number {} is out of range", token));
  }
  auto fail = [&](const std::string& pointer, const std::string& message) -> void {
    throw InputError(file, 0, 0, fmt::format("{}: {}", pointer, message));
  };
  if (!doc.is_object() || !doc.contains("indicator") || !doc["indicator"].is_string() ||
      !doc.contains("values") || !doc["values"].is_object()) {
    fail("/",
         "unexpected layout: expected an object with \"indicator\" and \"values\" "
         "{period: {KATO: value}}");
  }
  const std::string source_indicator = doc["indicator"].get<std::string>();
  const Mapping* mapping = nullptr;
  for (const Mapping& m : kMappings) {
    if (source_indicator == m.source_indicator) mapping = &m;
  }
  if (mapping == nullptr) {
    fail("/indicator", fmt::format("indicator '{}' is not an annual table kazmig imports (known: "
                                   "births, deaths, migration_balance, nominal_income_per_capita, "
                                   "grp_per_capita, housing_commissioned)",
                                   source_indicator));
  }
  const std::string indicator = mapping->indicator;
  const bool allow_negative = AllowsNegative(indicator);
  std::string detail = doc.value("source_download", std::string());
  if (const std::string updated = doc.value("source_updated_at", std::string()); !updated.empty()) {
    detail += (detail.empty() ? "" : "; ") + std::string("updated ") + updated;
  }
  const Provenance official = Provenance::Official(mapping->table, detail);

  // region id -> year -> value
  std::map<std::string, std::map<int, double>> values;
  std::map<int, std::set<std::string>> ids_by_year;
  for (const auto& [period, by_code] : doc["values"].items()) {
    const std::string pointer = fmt::format("/values/{}", period);
    int year = 0;
    if (period.size() != 4 || !std::all_of(period.begin(), period.end(), ::isdigit)) {
      fail(pointer,
           fmt::format("period '{}' is not a year (quarterly tables are not imported)", period));
    }
    year = std::stoi(period);
    if (!by_code.is_object()) fail(pointer, "expected an object {KATO: value}");
    for (const auto& [code, value] : by_code.items()) {
      const std::string cell = fmt::format("{}/{}", pointer, code);
      if (code.size() != 9 || !code.ends_with("0000000")) {
        fail(cell, fmt::format("'{}' is not a 9-digit region KATO code", code));
      }
      const std::string id = code.substr(0, 2);
      if (!RegionSystem::Builtin("kz-2022").IndexOfId(id) &&
          !RegionSystem::Builtin("kz-2009").IndexOfId(id)) {
        fail(cell, fmt::format("unknown region KATO code {}", code));
      }
      if (value.is_null()) continue;
      if (!value.is_number()) fail(cell, "value is not a number");
      const double number = value.get<double>();
      if (!std::isfinite(number)) fail(cell, "value is not finite");
      if (number < 0 && !allow_negative) fail(cell, fmt::format("negative value {}", number));
      values[id][year] = number;
      ids_by_year[year].insert(id);
    }
  }
  std::map<std::string, std::set<int>> corrected;
  const auto published = values;
  if (indicator == "grp_per_capita") {
    for (auto& [id, series] : values) {
      for (int year : CorrectThousandsSeparator(series)) corrected[id].insert(year);
    }
  }
  store::Batch batch;
  batch.description = mapping->table;
  batch.indicators.push_back(BuiltinIndicator(indicator));
  for (const auto& [id, series] : values) {
    for (const auto& [year, value] : series) {
      const std::string vintage = VintageOfYear(ids_by_year[year]);
      if (!RegionSystem::Builtin(vintage).IndexOfId(id)) {
        fail(fmt::format("/values/{}/{}0000000", year, id),
             fmt::format("region {} does not exist at the borders of {} ({})", id, year, vintage));
      }
      Provenance provenance = official;
      if (corrected.count(id) && corrected[id].count(year)) {
        provenance =
            Provenance::Estimated("thousands-separator correction",
                                  fmt::format("{}: source value {} divided by 1000", mapping->table,
                                              io::FormatNumber(published.at(id).at(year))));
      }
      batch.series.push_back({indicator, vintage, id, year, value, provenance});
    }
  }
  return batch;
}

}  // namespace kazmig::importers

#include "kazmig/app/crosswalk.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/provenance.h"
#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {
namespace {

// Values by year (0 when the file has no year column), in the from-system's order.
struct InputValues {
  bool has_year = false;
  std::vector<int> years;                     // first-met order
  std::map<int, std::vector<double>> values;  // year -> values (NaN = absent)
  // (year, region index) -> the row's `provenance` column, when the input has one.
  std::map<std::pair<int, size_t>, std::string> provenance;
};

InputValues ReadInput(const std::string& path, const RegionSystem& system) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_value = csv.Column("value");
  const auto c_year = csv.FindColumn("year");
  const auto c_provenance = csv.FindColumn("provenance");
  InputValues input;
  input.has_year = c_year.has_value();
  std::map<std::pair<int, size_t>, long> seen;
  while (csv.Next()) {
    const int year = c_year ? static_cast<int>(csv.Int(*c_year)) : 0;
    const size_t region_idx = system.Resolve(
        csv.RequiredField(c_region), fmt::format("{}:{}:{}", csv.name(), csv.line(), c_region + 1));
    const double value = csv.Double(c_value);
    auto [it, inserted] = seen.emplace(std::make_pair(year, region_idx), csv.line());
    if (!inserted) {
      csv.Fail(c_region,
               fmt::format("duplicated region '{}'{}, first given on line {}", csv.Field(c_region),
                           c_year ? fmt::format(" in {}", year) : "", it->second));
    }
    auto [values, new_year] = input.values.try_emplace(
        year, std::vector<double>(system.size(), std::numeric_limits<double>::quiet_NaN()));
    if (new_year) input.years.push_back(year);
    values->second[region_idx] = value;
    if (c_provenance && !csv.Field(*c_provenance).empty()) {
      input.provenance[{year, region_idx}] = std::string(csv.Field(*c_provenance));
    }
  }
  if (input.years.empty()) throw InputError(path, 0, 0, "no data rows");
  return input;
}

std::map<std::string, double> WeightsFromFile(const std::string& path) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  io::CsvReader csv(path);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_value = csv.Column("value");
  std::map<std::string, double> weights;
  while (csv.Next()) {
    const size_t region_idx = kz2022.Resolve(
        csv.RequiredField(c_region), fmt::format("{}:{}:{}", csv.name(), csv.line(), c_region + 1));
    const double value = csv.Double(c_value);
    if (value < 0) csv.Fail(c_value, fmt::format("negative weight {}", value));
    if (!weights.emplace(kz2022[region_idx].id, value).second) {
      csv.Fail(c_region, fmt::format("duplicated region '{}'", csv.Field(c_region)));
    }
  }
  return weights;
}

// Weights from the store: population_avg at 2022 borders of each atom's WeightsYear; sets the
// description of the source and collects the provenances of the values used.
std::map<std::string, double> WeightsFromStore(const CrosswalkRequest& request,
                                               std::string& description,
                                               std::vector<std::string>& sources) {
  KzDataset kz = KzDataset::Open(request.db, request.builtin_dir);
  const RegionSeries& population = kz.Series("population_avg");
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::map<std::string, double> weights;
  std::vector<std::string> missing;
  for (const Region& region : kz2022.regions()) {
    const int year = WeightsYear(region.id, request.weights_year);
    const auto& ids = population.region_ids();
    const auto it = std::find(ids.begin(), ids.end(), region.id);
    std::optional<double> value;
    if (it != ids.end()) value = population.Get(static_cast<size_t>(it - ids.begin()), year);
    if (value) {
      weights[region.id] = *value;
      const std::string source =
          population.ProvenanceOf(static_cast<size_t>(it - ids.begin()), year).ToString();
      if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
        sources.push_back(source);
      }
    } else {
      missing.push_back(fmt::format("{} ({})", region.id, year));
    }
  }
  if (!missing.empty() && missing.size() == kz2022.size()) {
    throw ComputeError(fmt::format(
        "population weights (population_avg at 2022 borders, {}) are not in the database {}; "
        "run `kazmig data init`, or give a region,value file with --weights",
        request.weights_year != 0 ? std::to_string(request.weights_year) : "2018 and 2022",
        request.db.string()));
  }
  description = request.weights_year != 0
                    ? fmt::format("population_avg {} (store)", request.weights_year)
                    : "population_avg 2018 (Turkistan, Shymkent) and 2022 (other regions) (store)";
  return weights;  // a missing atom that is needed makes Crosswalk throw, naming it
}

}  // namespace

int WeightsYear(const std::string& atom, int weights_year) {
  if (weights_year != 0) return weights_year;
  return atom == "61" || atom == "79" ? 2018 : 2022;
}

CrosswalkResult RunCrosswalk(const CrosswalkRequest& request) {
  const RegionSystem& from = RegionSystem::Builtin(request.from);
  const RegionSystem& to = RegionSystem::Builtin(request.to);
  const bool counts = request.kind == "count";
  const InputValues input = ReadInput(request.input, from);

  CrosswalkResult result;
  std::map<std::string, double> weights;
  result.weights_source = "none needed";
  ProvenanceInput weights_input;  // named only when weights are used
  if (from.name() != to.name()) {
    if (!request.weights.empty()) {
      weights = WeightsFromFile(request.weights);
      result.weights_source = request.weights;
      if (request.with_provenance) weights_input = FileProvenance(request.weights);
    } else {
      weights = WeightsFromStore(request, result.weights_source, weights_input.sources);
      weights_input.name = "weights " + result.weights_source;
    }
  }
  const Crosswalk crosswalk(from, to, weights);

  std::vector<std::string> absent;
  std::map<int, std::vector<double>> converted;
  for (int year : input.years) {
    std::vector<double> values = input.values.at(year);
    for (size_t region_idx = 0; region_idx < values.size(); ++region_idx) {
      if (std::isnan(values[region_idx])) {
        absent.push_back(input.has_year ? fmt::format("{} ({})", from[region_idx].id, year)
                                        : from[region_idx].id);
        if (counts) values[region_idx] = 0.0;  // sparse input: an absent region is 0
      }
    }
    converted[year] = counts ? crosswalk.ConvertCounts(values) : crosswalk.ConvertRates(values);
  }
  if (!absent.empty()) {
    result.notes.push_back(fmt::format(
        "{} region values absent from {} ({}): {}{}", absent.size(), request.input,
        counts ? "taken as 0" : "their targets are NA",
        fmt::join(absent.begin(), absent.begin() + std::min<size_t>(absent.size(), 10), ", "),
        absent.size() > 10 ? fmt::format(", … ({} more)", absent.size() - 10) : std::string()));
  }

  result.method = counts ? "split by population weight, sum on merge"
                         : "copy on split, population-weighted mean on merge";
  const std::string command =
      fmt::format("crosswalk {} -> {} ({}; atoms of the built-in region systems)", from.name(),
                  to.name(), result.method);
  std::vector<std::string> columns{"region", "value"};
  std::vector<std::string> text_columns{"region", "name", "value"};
  if (input.has_year) {
    columns.push_back("year");
    text_columns.push_back("year");
  }
  result.table = ResultTable(columns);
  result.text_table = ResultTable(text_columns);
  for (int year : input.years) {
    for (size_t to_idx = 0; to_idx < to.size(); ++to_idx) {
      // The row's provenance: the crosswalk, the input rows that contribute to it (their
      // `provenance` column, when the input has one) and the weights.
      size_t handle = ResultTable::kNoProvenance, text_handle = ResultTable::kNoProvenance;
      if (request.with_provenance) {
        ProvenanceInput source{request.input, {}};
        const std::vector<std::string> to_atoms = Crosswalk::Atoms(to.name(), to[to_idx].id);
        for (size_t from_idx = 0; from_idx < from.size(); ++from_idx) {
          const auto it = input.provenance.find({year, from_idx});
          if (it == input.provenance.end()) continue;
          for (const std::string& atom : Crosswalk::Atoms(from.name(), from[from_idx].id)) {
            if (std::find(to_atoms.begin(), to_atoms.end(), atom) != to_atoms.end()) {
              source.Add(it->second);
              break;
            }
          }
        }
        const std::string text = ComputedProvenance(command, {source, weights_input});
        handle = result.table.AddProvenance(text);
        text_handle = result.text_table.AddProvenance(text);
      }
      const double value = converted[year][to_idx];
      std::vector<Cell> row{Cell::Text(to[to_idx].id), Cell::Number(value)};
      std::vector<Cell> text_row{Cell::Text(to[to_idx].id), Cell::Text(to[to_idx].name_en),
                                 Cell::Number(value, HumanNumber(value, counts ? 0 : 2))};
      if (input.has_year) {
        row.push_back(Cell::Integer(year));
        text_row.push_back(Cell::Integer(year));
      }
      result.table.AddRow(std::move(row), handle);
      result.text_table.AddRow(std::move(text_row), text_handle);
    }
  }
  result.document = {{"from", from.name()},
                     {"to", to.name()},
                     {"kind", request.kind},
                     {"values", result.table.ToJson()},
                     {"method", {{"name", result.method}, {"weights", result.weights_source}}}};
  result.text_preamble = fmt::format("{} -> {} ({}s; weights: {})\n\n", from.name(), to.name(),
                                     request.kind, result.weights_source);
  return result;
}

std::string EncodeCrosswalk(const CrosswalkResult& result, Format format, bool with_provenance) {
  switch (format) {
    case Format::kCsv:
      return result.table.Csv(with_provenance);
    case Format::kTable:
      return result.text_preamble + result.text_table.Text(with_provenance);
    case Format::kJson:
      break;
  }
  return result.document.dump(2) + "\n";
}

}  // namespace kazmig::app

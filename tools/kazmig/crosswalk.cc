// `kazmig crosswalk --from VINTAGE --to VINTAGE --input FILE [--kind count|rate]
//  [--weights-year YEAR] [--weights FILE]`: converts region values between Kazakhstan's boundary
// vintages (kz-2009, kz-2018, kz-2022) with core's Crosswalk.
//
// Input `region,value[,year]` (ids resolved through the --from vintage: KATO, ISO or names, also
// historic ones); output `region,value[,year]` in the --to vintage's order, years in the order
// first met. Counts are split by population weights and summed on merge; rates are copied on
// split and population-weighted on merge. Weights: the average annual population at 2022 borders
// (store indicator population_avg) of --weights-year, by default of the year of each boundary
// change (2018 for Turkistan/Shymkent, 2022 for Abai, Jetisu, Ulytau); or a `region,value` file
// given with --weights. A region absent from the input counts as 0 for counts (sparse input) and
// as missing (NA) for rates. --with-provenance adds a `provenance` column per output row: the
// crosswalk and its method, the input file with the `provenance` values of the input rows that
// contribute to the row (when the input has that column), and the weights with their source.
#include "kazmig/core/crosswalk.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"
#include "kazmig/store/store.h"

namespace kazmig::cli {
namespace {

namespace fs = std::filesystem;

struct CrosswalkOptions {
  std::string from;
  std::string to;
  std::string input;
  std::string kind = "count";
  int weights_year = 0;  // 0: the year of each boundary change
  std::string weights;
  OutputOptions output;
};

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

// The year of the boundary change that created an atom's split.
int ChangeYearOf(const std::string& atom) { return atom == "61" || atom == "79" ? 2018 : 2022; }

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

// Weights from the store: population_avg at 2022 borders; returns a description of the source.
std::map<std::string, double> WeightsFromStore(const Globals& globals, int weights_year,
                                               std::string& description,
                                               std::vector<std::string>& sources) {
  const fs::path builtin = BuiltinDataDir();
  store::Store db = fs::exists(builtin / "provenance.csv")
                        ? store::OpenWithBuiltin(globals.ResolvedDbPath(), builtin)
                        : store::Store::Open(globals.ResolvedDbPath());
  const RegionSeries population = db.LoadSeries("population_avg", "kz-2022");
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::map<std::string, double> weights;
  std::vector<std::string> missing;
  for (const Region& region : kz2022.regions()) {
    const int year = weights_year != 0 ? weights_year : ChangeYearOf(region.id);
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
        weights_year != 0 ? std::to_string(weights_year) : "2018 and 2022",
        globals.ResolvedDbPath()));
  }
  description = weights_year != 0
                    ? fmt::format("population_avg {} (store)", weights_year)
                    : "population_avg 2018 (Turkistan, Shymkent) and 2022 (other regions) (store)";
  return weights;  // a missing atom that is needed makes Crosswalk throw, naming it
}

void Run(const Globals& globals, const CrosswalkOptions& options) {
  const RegionSystem& from = RegionSystem::Builtin(options.from);
  const RegionSystem& to = RegionSystem::Builtin(options.to);
  const bool counts = options.kind == "count";
  const InputValues input = ReadInput(options.input, from);

  std::map<std::string, double> weights;
  std::string weights_source = "none needed";
  ProvenanceInput weights_input;  // named only when weights are used
  if (from.name() != to.name()) {
    if (!options.weights.empty()) {
      weights = WeightsFromFile(options.weights);
      weights_source = options.weights;
      if (options.output.with_provenance) weights_input = FileProvenance(options.weights);
    } else {
      weights =
          WeightsFromStore(globals, options.weights_year, weights_source, weights_input.sources);
      weights_input.name = "weights " + weights_source;
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
    Note(globals,
         fmt::format("{} region values absent from {} ({}): {}", absent.size(), options.input,
                     counts ? "taken as 0" : "their targets are NA",
                     fmt::join(absent.begin(), absent.begin() + std::min<size_t>(absent.size(), 10),
                               ", ")));
  }

  // Provenance of each output row: the crosswalk, the input rows that contribute to it (their
  // `provenance` column, when the input has one) and the weights.
  const std::string method = counts ? "split by population weight, sum on merge"
                                    : "copy on split, population-weighted mean on merge";
  std::vector<std::string> row_provenance;
  if (options.output.with_provenance) {
    const std::string command =
        fmt::format("crosswalk {} -> {} ({}; atoms of the built-in region systems)", from.name(),
                    to.name(), method);
    for (int year : input.years) {
      for (size_t to_idx = 0; to_idx < to.size(); ++to_idx) {
        ProvenanceInput source{options.input, {}};
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
        row_provenance.push_back(ComputedProvenance(command, {source, weights_input}));
      }
    }
  }

  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      std::vector<std::string> header{"region", "value"};
      if (input.has_year) header.push_back("year");
      std::vector<std::vector<std::string>> cells;
      for (int year : input.years) {
        for (size_t region_idx = 0; region_idx < to.size(); ++region_idx) {
          cells.push_back({to[region_idx].id, io::FormatNumber(converted[year][region_idx])});
          if (input.has_year) cells.back().push_back(std::to_string(year));
        }
      }
      WriteCells(out.stream(), options.output, header, cells, row_provenance);
      break;
    }
    case Format::kJson: {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (int year : input.years) {
        for (size_t region_idx = 0; region_idx < to.size(); ++region_idx) {
          nlohmann::ordered_json row = {{"region", to[region_idx].id}};
          const double value = converted[year][region_idx];
          row["value"] =
              std::isnan(value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
          if (input.has_year) row["year"] = year;
          rows.push_back(std::move(row));
        }
      }
      nlohmann::ordered_json doc = {{"from", from.name()},
                                    {"to", to.name()},
                                    {"kind", options.kind},
                                    {"values", rows},
                                    {"method", {{"name", method}, {"weights", weights_source}}}};
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      std::vector<std::string> header{"region", "name", "value"};
      if (input.has_year) header.push_back("year");
      std::vector<std::vector<std::string>> cells;
      for (int year : input.years) {
        for (size_t region_idx = 0; region_idx < to.size(); ++region_idx) {
          const double value = converted[year][region_idx];
          cells.push_back({to[region_idx].id, to[region_idx].name_en,
                           std::isnan(value) ? "NA" : HumanNumber(value, counts ? 0 : 2)});
          if (input.has_year) cells.back().push_back(std::to_string(year));
        }
      }
      out.stream() << fmt::format("{} -> {} ({}s; weights: {})\n\n", from.name(), to.name(),
                                  options.kind, weights_source);
      WriteCells(out.stream(), options.output, header, cells, row_provenance);
      break;
    }
  }
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<CrosswalkOptions>();
  auto* cmd = app.add_subcommand(
      "crosswalk",
      "Convert region values (region,value[,year]) between boundary vintages: counts are split "
      "by population and summed on merge; rates are copied on split and population-weighted on "
      "merge");
  const std::vector<std::string> vintages = RegionSystem::BuiltinNames();
  cmd->add_option("--from", options->from, "Vintage of the input: kz-2009, kz-2018, kz-2022")
      ->required()
      ->check(CLI::IsMember(vintages));
  cmd->add_option("--to", options->to, "Vintage of the output: kz-2009, kz-2018, kz-2022")
      ->required()
      ->check(CLI::IsMember(vintages));
  cmd->add_option("--input", options->input, "CSV file with columns region,value[,year]")
      ->required();
  cmd->add_option("--kind", options->kind, "count (split/sum) or rate (copy/weighted mean)")
      ->check(CLI::IsMember({"count", "rate"}))
      ->capture_default_str();
  cmd->add_option("--weights-year", options->weights_year,
                  "Year of the population weights (default: the year of each boundary change, "
                  "2018 or 2022)")
      ->check(CLI::Range(1990, 2100));
  cmd->add_option("--weights", options->weights,
                  "CSV region,value of weights at 2022 borders (instead of the store's "
                  "population)")
      ->excludes(cmd->get_option("--weights-year"));
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"crosswalk", 20, &Setup});

}  // namespace
}  // namespace kazmig::cli

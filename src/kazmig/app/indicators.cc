#include "kazmig/app/indicators.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kazmig/app/names.h"
#include "kazmig/app/provenance.h"
#include "kazmig/app/selection.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/indicators/age_profile.h"
#include "kazmig/indicators/maup.h"
#include "kazmig/indicators/region_table.h"
#include "kazmig/indicators/summary.h"
#include "kazmig/indicators/trends.h"
#include "kazmig/io/csv.h"
#include "kazmig/io/geojson.h"
#include "kazmig/io/tidy.h"

namespace kazmig::app {
namespace {

// ---------------------------------------------------------------------------------------------
// Provenance of computed rows (app/provenance.h).

// The provenance of rows computed from input files; read only when it is asked for (empty then).
std::vector<std::string> FilesProvenance(bool with_provenance, std::string_view command,
                                         const std::vector<std::string>& paths) {
  if (!with_provenance) return {};
  std::vector<ProvenanceInput> inputs;
  for (const std::string& path : paths) {
    if (!path.empty()) inputs.push_back(FileProvenance(path));
  }
  return {ComputedProvenance(command, inputs)};
}

// ---------------------------------------------------------------------------------------------
// Cells and documents: the one place that turns a JSON value into a CSV or text cell.

Json Number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// A number cell showing `shown` in CSV and text (kept as given, even for a non-finite value).
Cell Shown(double value, std::string shown) {
  Cell cell;
  cell.kind = Cell::Kind::kNumber;
  cell.number = value;
  cell.text = std::move(shown);
  return cell;
}

// The cell of a JSON value: null -> missing ("NA"); integers as they are; other numbers in
// round-trip form for CSV, or for people (`human`: thousands grouped with one decimal from 1,000,
// else 6 significant digits); booleans true/false; texts as they are.
Cell JsonCell(const Json& value, bool human) {
  if (value.is_null()) return Cell::Missing();
  if (value.is_number_integer()) {
    return human ? Cell::Integer(value.get<long long>())
                 : Shown(value.get<double>(), io::FormatNumber(value.get<double>()));
  }
  if (value.is_number()) {
    const double x = value.get<double>();
    if (!human) return Shown(x, io::FormatNumber(x));
    return Shown(x, std::abs(x) >= 1000 ? HumanNumber(x, 1) : fmt::format("{:.6g}", x));
  }
  if (value.is_boolean()) return Cell::Bool(value.get<bool>());
  return Cell::Text(value.get<std::string>());
}

// The unit of an indicator in the aligned text (docs/output.md), by its name: a column of the
// region and trend tables or a row of an indicator,value table ("gini_out.A", "estimated.cmp.low"
// and "rc.a1" by their base name). Numbers of a name not listed are coefficients (4 significant
// digits).
Unit IndicatorUnit(std::string_view name) {
  if (name.starts_with("estimated.")) name.remove_prefix(std::string_view("estimated.").size());
  name = name.substr(0, name.find('.'));
  auto any_of = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (any_of({"n", "regions", "k", "replications", "rank_net", "rank_net_rate"})) {
    return Unit::kCount;
  }
  if (any_of({"population", "total_flow", "in", "out", "net", "gross", "flow"})) {
    return Unit::kPersons;
  }
  if (any_of({"cmp", "anmr"})) return Unit::kRatePer100;
  if (any_of({"cmp_per_1000", "in_rate", "out_rate", "net_rate", "gross_rate"})) {
    return Unit::kRatePer1000;
  }
  if (any_of({"share_in", "share_out", "cagr", "connectivity"})) return Unit::kShare;
  if (any_of({"percent_change", "peak_share"})) return Unit::kPercent;
  if (any_of(
          {"first_year", "last_year", "year", "year_largest_increase", "year_largest_decrease"})) {
    return Unit::kYear;
  }
  if (any_of({"mean_distance", "median_distance"})) return Unit::kAmount;
  if (name.starts_with("gini_") || name.starts_with("mwg_") || name.starts_with("cv_") ||
      name.starts_with("acv") ||
      any_of({"courgeau_k", "mei", "preference", "velocity", "interaction"})) {
    return Unit::kIndex;
  }
  return Unit::kCoefficient;
}

// The aligned-text cell of `value` under `name`: a number in full precision styled by `unit`
// (ResultTable::Text); other values as JsonCell shows them.
Cell TextCell(const Json& value, Unit unit) {
  if (value.is_number()) return JsonCell(value, false).In(unit);
  return JsonCell(value, true);
}

// A JSON object's values as a row of `table` (the table's columns are the object's keys, after a
// leading year column when `with_year`).
void AddJsonRow(ResultTable& table, const Json& row, bool human, bool with_year, int year,
                size_t provenance) {
  std::vector<Cell> cells;
  if (with_year) cells.push_back(Cell::Integer(year));
  for (const auto& [key, value] : row.items()) cells.push_back(JsonCell(value, human));
  table.AddRow(std::move(cells), provenance);
}

// The columns of JSON row objects: the keys of the first, after "year" when `years`.
std::vector<std::string> JsonColumns(const Json& first, bool years) {
  std::vector<std::string> columns;
  if (years) columns.push_back("year");
  for (const auto& [key, value] : first.items()) columns.push_back(key);
  return columns;
}

size_t ProvenanceHandle(ResultTable& table, const std::vector<std::string>& provenance,
                        size_t row_idx) {
  if (provenance.empty()) return ResultTable::kNoProvenance;
  return table.AddProvenance(provenance.size() == 1 ? provenance.front() : provenance[row_idx]);
}

// Rows of JSON objects (with a leading year when `years`): the document is their array, the CSV
// and text tables their values. `provenance`: one text for all rows, or none.
// For people (the text table): each number in the unit `unit_of(column, row)` gives it, and with
// `vintage` the "region" column as the region's name with its id beside (columns region, id).
using UnitOf = std::function<Unit(const std::string& column, const Json& row)>;
IndicatorsResult RowsResult(const std::vector<std::pair<int, Json>>& rows, bool years,
                            const std::vector<std::string>& provenance,
                            const std::vector<std::string>& fixed_columns = {},
                            const UnitOf& unit_of = nullptr, const std::string& vintage = {}) {
  IndicatorsResult result;
  result.document = Json::array();
  std::vector<std::string> columns = fixed_columns;
  if (columns.empty() && !rows.empty()) columns = JsonColumns(rows.front().second, years);
  result.table = ResultTable(columns);
  std::vector<std::string> text_columns = columns;
  const auto region_col = std::find(text_columns.begin(), text_columns.end(), "region");
  const bool named = !vintage.empty() && region_col != text_columns.end();
  if (named) text_columns.insert(region_col + 1, "id");
  result.text_table = ResultTable(text_columns);
  if (named) result.text_table.SetUnit("id", Unit::kId);
  // A column whose rows all have one unit carries it (one footnote naming the column); the
  // others give each cell its row's unit.
  std::map<std::string, std::optional<Unit>> column_unit;
  if (unit_of) {
    for (const auto& [year, row] : rows) {
      for (const auto& [key, value] : row.items()) {
        const Unit unit = unit_of(key, row);
        const auto [it, first] = column_unit.emplace(key, unit);
        if (!first && it->second != unit) it->second = std::nullopt;
      }
    }
    for (const auto& [key, unit] : column_unit) {
      if (unit && !(named && key == "region")) result.text_table.SetUnit(key, *unit);
    }
  }
  for (const auto& [year, row] : rows) {
    if (unit_of) {
      std::vector<Cell> cells;
      if (years) cells.push_back(Cell::Integer(year));
      for (const auto& [key, value] : row.items()) {
        if (named && key == "region") {
          const std::string id = value.get<std::string>();
          cells.push_back(Cell::Text(RegionDisplayName(vintage, id)));
          cells.push_back(Cell::Text(id));
          continue;
        }
        cells.push_back(column_unit.at(key) ? JsonCell(value, !value.is_number())
                                            : TextCell(value, unit_of(key, row)));
      }
      result.text_table.AddRow(std::move(cells),
                               ProvenanceHandle(result.text_table, provenance, 0));
    }
    if (years) {
      Json with_year = {{"year", year}};
      with_year.update(row);
      result.document.push_back(with_year);
    } else {
      result.document.push_back(row);
    }
    AddJsonRow(result.table, row, false, years, year,
               ProvenanceHandle(result.table, provenance, 0));
    if (!unit_of) {
      AddJsonRow(result.text_table, row, true, years, year,
                 ProvenanceHandle(result.text_table, provenance, 0));
    }
  }
  return result;
}

// Flattens an indicator object to (indicator, value) rows: nested objects become `key.region`;
// `method` is left out; `estimated` (--dataset kz) gives rows `estimated.X` (central),
// `estimated.X.low` and `estimated.X.high`.
void FlattenRows(const Json& j, std::vector<std::pair<std::string, Json>>& rows) {
  for (const auto& [key, value] : j.items()) {
    if (key == "method") continue;
    if (key == "estimated" && value.is_object()) {
      for (const auto& [name, v] : value.items()) {
        if (v.is_object() && v.contains("value")) {
          rows.emplace_back("estimated." + name, v["value"]);
          rows.emplace_back("estimated." + name + ".low", v["low"]);
          rows.emplace_back("estimated." + name + ".high", v["high"]);
        } else if (v.is_number()) {
          rows.emplace_back("estimated." + name, v);
        }
      }
      continue;
    }
    if (value.is_object()) {
      for (const auto& [region, v] : value.items()) rows.emplace_back(key + "." + region, v);
    } else {
      rows.emplace_back(key, value);
    }
  }
}

// Indicator objects by year (key 0: no year): JSON one object (or one per year, keyed by year);
// CSV rows [year,]indicator,value; text one section per year. `provenance`: one text per object
// (in map order) or one for all.
IndicatorsResult ObjectsResult(const std::map<int, Json>& by_year,
                               const std::vector<std::string>& provenance,
                               std::vector<std::string> footnotes = {}) {
  auto provenance_of = [&](size_t year_idx) {
    if (provenance.empty()) return std::string();
    return provenance.size() == 1 ? provenance.front() : provenance.at(year_idx);
  };
  IndicatorsResult result;
  const bool years = !(by_year.size() == 1 && by_year.begin()->first == 0);
  if (!years) {
    result.document = by_year.begin()->second;
  } else {
    result.document = Json::object();
    for (const auto& [year, j] : by_year) result.document[std::to_string(year)] = j;
  }
  std::vector<std::string> columns = {"indicator", "value"};
  if (years) columns.insert(columns.begin(), "year");
  result.table = ResultTable(columns);
  size_t year_idx = 0;
  for (const auto& [year, j] : by_year) {
    std::vector<std::pair<std::string, Json>> rows;
    FlattenRows(j, rows);
    const size_t handle = provenance.empty() ? ResultTable::kNoProvenance
                                             : result.table.AddProvenance(provenance_of(year_idx));
    TextSection section;
    if (years) section.heading = fmt::format("Year {}", year);
    section.provenance = provenance_of(year_idx);
    section.table = ResultTable({"indicator", "value"});
    for (const auto& [name, value] : rows) {
      std::vector<Cell> cells = {Cell::Text(name), JsonCell(value, false)};
      if (years) cells.insert(cells.begin(), Cell::Integer(year));
      result.table.AddRow(std::move(cells), handle);
      section.table.AddRow({Cell::Text(name), TextCell(value, IndicatorUnit(name))});
    }
    result.text_sections.push_back(std::move(section));
    ++year_idx;
  }
  result.footnotes = std::move(footnotes);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Inputs

// The built-in region system named by --regions, or nullptr for free-text ids.
const RegionSystem* SystemOf(const std::string& vintage) {
  return vintage.empty() ? nullptr : &RegionSystem::Builtin(vintage);
}

// Flow matrices by year (key 0 when the file has no year column). With a region system, ids are
// resolved through it (KATO, ISO, names) and the matrix has all its regions in its order.
std::map<int, FlowMatrix> LoadFlows(const std::string& path, int year,
                                    const RegionSystem* system = nullptr, int threads = 1) {
  // One read of the file (a pipe or `<(...)` can be read only once): by year when it has a year
  // column, else one matrix under key 0.
  io::TidyOptions options;
  options.system = system;
  options.threads = threads;  // parallel reading (io::CsvChunks): the same matrices
  if (year != 0) options.year = year;
  std::map<int, FlowMatrix> by_year = io::ReadFlowsByYear(path, options);
  if (by_year.empty()) {
    throw InputError(path, 0, 0,
                     year != 0 ? fmt::format("no flows for year {}", year)
                               : "no flows (the file has a header but no rows)");
  }
  return by_year;
}

// Throws an InputError at the first line of the flows file that names `id`.
[[noreturn]] void FailAtFirstMention(const std::string& flows_path, const std::string& id,
                                     const std::string& message,
                                     const RegionSystem* system = nullptr) {
  // A pipe was read once already: report without the line rather than wait for it again.
  if (!io::CanReadAgain(flows_path)) throw InputError(flows_path, 0, 0, message);
  io::CsvReader csv(flows_path);
  const size_t orig = csv.Column("orig"), dest = csv.Column("dest");
  auto names = [&](size_t col) {
    if (system == nullptr) return csv.Field(col) == id;
    const auto idx = system->Find(csv.Field(col));
    return idx && (*system)[*idx].id == id;
  };
  while (csv.Next()) {
    if (names(orig)) csv.Fail(orig, message);
    if (names(dest)) csv.Fail(dest, message);
  }
  throw InputError(flows_path, 0, 0, message);
}

struct PopulationValue {
  double value;
  long line;
  size_t column;
};

struct PopulationTable {
  std::string path;
  const RegionSystem* system = nullptr;
  // year (0 without a year column) -> region -> value
  std::map<int, std::unordered_map<std::string, PopulationValue>> by_year;

  // Population of `ids` for `year` (a file without years serves every year). A missing region is
  // an InputError at its first line in the flows; a non-positive population one at its line.
  std::vector<double> For(const std::vector<std::string>& ids, int year,
                          const std::string& flows_path) const {
    const std::unordered_map<std::string, PopulationValue>* table = nullptr;
    if (by_year.count(0) != 0) {
      table = &by_year.at(0);
    } else if (year != 0 && by_year.count(year) != 0) {
      table = &by_year.at(year);
    } else if (year == 0 && by_year.size() == 1) {
      table = &by_year.begin()->second;
    } else if (year == 0) {
      throw UsageError(
          fmt::format("{} has populations for several years; choose one with --year", path));
    } else {
      throw InputError(path, 0, 0, fmt::format("no population for year {}", year));
    }
    std::vector<double> values;
    for (const std::string& id : ids) {
      auto it = table->find(id);
      if (it == table->end()) {
        FailAtFirstMention(flows_path, id,
                           fmt::format("region '{}' is not in the population file {}{}", id, path,
                                       year != 0 ? fmt::format(" (year {})", year) : std::string()),
                           system);
      }
      if (!(it->second.value > 0)) {
        throw InputError(path, it->second.line, static_cast<long>(it->second.column + 1),
                         fmt::format("population of region '{}' is {}: rates per population are "
                                     "undefined (need a positive population)",
                                     id, it->second.value));
      }
      values.push_back(it->second.value);
    }
    return values;
  }
};

PopulationTable LoadPopulation(const std::string& path, const RegionSystem* system = nullptr) {
  PopulationTable table;
  table.path = path;
  table.system = system;
  io::CsvReader csv(path);
  const size_t region = csv.Column({"region", "id"});
  const size_t value = csv.Column({"value", "population", "pop"});
  auto year_col = csv.FindColumn("year");
  while (csv.Next()) {
    const int year = year_col ? static_cast<int>(csv.Int(*year_col)) : 0;
    std::string id(csv.RequiredField(region));
    if (system != nullptr) {
      // Rows outside the system (a national total "KZ", say) are not used: skip them. A region
      // of the flows that is missing is still reported, at its line in the flows.
      const auto idx = system->Find(id);
      if (!idx) continue;
      id = (*system)[*idx].id;
    }
    const double v = csv.Double(value);
    if (v < 0) csv.Fail(value, fmt::format("negative population {}", v));
    auto [it, inserted] = table.by_year[year].emplace(id, PopulationValue{v, csv.line(), value});
    if (!inserted) {
      csv.Fail(region, fmt::format("duplicated region '{}'{}, first given on line {}", id,
                                   year != 0 ? fmt::format(" for year {}", year) : std::string(),
                                   it->second.line));
    }
  }
  csv.RequireRecords();
  return table;
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators (system-wide)

Json ByRegion(const std::vector<std::string>& ids, const std::vector<double>& values) {
  Json object = Json::object();
  // ordered_json's operator[] searches the keys linearly: quadratic for thousands of regions.
  // Distinct ids (a matrix's) are appended directly; the same object either way.
  const std::unordered_set<std::string_view> distinct(ids.begin(), ids.end());
  if (distinct.size() == ids.size()) {
    auto& entries = static_cast<Json::object_t::Container&>(object.get_ref<Json::object_t&>());
    entries.reserve(ids.size());
    for (size_t idx = 0; idx < ids.size(); ++idx)
      entries.emplace_back(ids[idx], Number(values[idx]));
    return object;
  }
  for (size_t idx = 0; idx < ids.size(); ++idx) object[ids[idx]] = Number(values[idx]);
  return object;
}

Json MethodJson(const indicators::SystemIndicators& s) {
  Json method = {
      {"reference", "methods/indicators.md; migest index_*, migration.indices conventions"},
      {"diagonal", "ignored (set to 0)"},
      {"gini",
       "Plane & Mulligan (1997) uncorrected, Bell et al. (2002) corrected; *_std = 100 "
       "G / gini_total (uncorrected)"},
      {"gini_out_in", "field Ginis with the corrected denominator 2(n-2)"},
      {"mwg",
       "migration.indices: mwg_out = (1/n) sum gini_out_i D_i/M, mwg_in = (1/n) sum "
       "gini_in_j O_j/M"},
      {"cv", "population sd / mean over the n-1 off-diagonal cells"},
  };
  if (s.cmp) {
    method["population"] = "P = sum of the populations of the matrix's regions";
    method["cmp"] = "100 M / P (per 100; cmp_per_1000 per 1,000)";
  }
  if (s.median_distance) {
    method["median_distance"] =
        "flow-weighted median, linear interpolation between mid-point cumulative weights "
        "(matrixStats::weightedMedian default)";
  }
  if (s.decay) {
    method["decay"] = {{"model",
                        "Poisson: log mu_ij = a_i + b_j + beta ln d_ij (doubly "
                        "constrained), flows not rounded"},
                       {"solver", s.decay->solver},
                       {"converged", s.decay->converged},
                       {"iterations", s.decay->iterations},
                       {"observations", s.decay->observations},
                       {"std_error", Number(s.decay->std_error)},
                       {"deviance", Number(s.decay->deviance)}};
  }
  return method;
}

Json SystemJson(const indicators::SystemIndicators& s, const std::vector<std::string>& ids) {
  const indicators::Focusing& f = s.focusing;
  Json j;
  j["n"] = s.n;
  j["total_flow"] = Number(s.total_flow);
  if (s.population) j["population"] = Number(*s.population);
  if (s.cmp) {
    j["cmp"] = Number(*s.cmp);
    j["cmp_per_1000"] = Number(*s.cmp_per_1000);
    j["courgeau_k"] = Number(*s.courgeau_k);
  }
  j["mei"] = Number(s.mei);
  if (s.anmr) j["anmr"] = Number(*s.anmr);
  if (s.preference) j["preference"] = Number(*s.preference);
  if (s.velocity) j["velocity"] = Number(*s.velocity);
  j["gini_total"] = Number(f.gini_total);
  j["gini_total_corrected"] = Number(f.gini_total_corrected);
  j["gini_row"] = Number(f.gini_row);
  j["gini_row_std"] = Number(f.gini_row_std);
  j["gini_col"] = Number(f.gini_col);
  j["gini_col_std"] = Number(f.gini_col_std);
  j["gini_exchange"] = Number(f.gini_exchange);
  j["gini_exchange_std"] = Number(f.gini_exchange_std);
  j["gini_out"] = ByRegion(ids, f.gini_out);
  j["gini_in"] = ByRegion(ids, f.gini_in);
  j["mwg_in"] = Number(f.mwg_in);
  j["mwg_out"] = Number(f.mwg_out);
  j["mwg_mean"] = Number(f.mwg_mean);
  j["cv_in"] = ByRegion(ids, f.cv_in);
  j["cv_out"] = ByRegion(ids, f.cv_out);
  j["acv"] = Number(f.acv);
  j["acv_in"] = Number(f.acv_in);
  j["acv_out"] = Number(f.acv_out);
  j["connectivity"] = Number(f.connectivity);
  if (s.mean_distance) j["mean_distance"] = Number(*s.mean_distance);
  if (s.median_distance) j["median_distance"] = Number(*s.median_distance);
  if (s.decay && s.decay->converged) j["decay"] = Number(s.decay->beta);
  j["method"] = MethodJson(s);
  return j;
}

IndicatorsResult RunFiles(const IndicatorsRequest& request) {
  const RegionSystem* system = SystemOf(request.regions);
  const std::map<int, FlowMatrix> flows =
      LoadFlows(request.flows, request.year, system, request.threads);
  std::optional<PopulationTable> population;
  if (!request.population.empty()) population = LoadPopulation(request.population, system);
  std::map<int, Json> results;
  std::optional<FlowMatrix> distance;
  std::vector<std::string> notes;
  for (const auto& [year, matrix] : flows) {
    const int pop_year = year != 0 ? year : request.year;
    std::vector<double> pop;
    if (population) pop = population->For(matrix.ids(), pop_year, request.flows);
    std::optional<indicators::Focusing> focusing;
    if (!request.distance.empty() && (!distance || distance->ids() != matrix.ids())) {
      // Every year's matrix is over the same ids: the file is read once.
      io::TidyOptions distance_options;
      distance_options.system = system;
      distance_options.threads = request.threads;
      // With threads to spare, the focusing indicators (which need no distances) are computed
      // while the file is read, in its serial parts (the matrix's first touch, each window's
      // read). The file's errors still come first; a focusing error is left for
      // ComputeSystemIndicators to throw again, after the checks that precede it.
      std::thread focusing_thread;
      if (request.threads > 1 && matrix.Total() > 0) {
        focusing_thread = std::thread([&] {
          try {
            focusing = indicators::ComputeFocusing(matrix, request.threads);
          } catch (...) {
            focusing.reset();
          }
        });
      }
      try {
        distance = io::ReadDistances(request.distance, matrix.ids(), distance_options);
      } catch (...) {
        if (focusing_thread.joinable()) focusing_thread.join();
        throw;
      }
      if (focusing_thread.joinable()) focusing_thread.join();
    }
    indicators::SystemInputs in;
    in.flows = &matrix;
    in.population = population ? &pop : nullptr;
    in.distance = distance ? &*distance : nullptr;
    in.threads = request.threads;
    in.fit_decay = request.fit_decay;
    in.focusing = focusing ? &*focusing : nullptr;
    if (matrix.Total() <= 0) {
      throw InputError(request.flows, 0, 0,
                       fmt::format("no migration between different regions{}",
                                   year != 0 ? fmt::format(" in {}", year) : std::string()));
    }
    const indicators::SystemIndicators s = indicators::ComputeSystemIndicators(in);
    if (s.decay && !s.decay->converged) {
      notes.push_back(
          fmt::format("the distance-decay model did not converge ({} iterations); "
                      "`decay` is left out",
                      s.decay->iterations));
    }
    // With --year the output is one object, as for a file without years.
    results.emplace(request.year != 0 ? 0 : year, SystemJson(s, matrix.ids()));
  }
  IndicatorsResult result = ObjectsResult(
      results, FilesProvenance(request.with_provenance, "indicators",
                               {request.flows, request.population, request.distance}));
  result.notes = std::move(notes);
  return result;
}

// ---------------------------------------------------------------------------------------------
// The built-in dataset

std::string JoinYears(const std::vector<int>& years) {
  return years.empty() ? std::string("none") : fmt::format("{}", fmt::join(years, ", "));
}

// Throws InputError unless `year` is a complete year of the built-in data (app/selection.h).
void CheckCompleteYear(KzDataset& kz, int year) {
  const std::vector<int> years = kz.Series("net_internal").Years();
  if (std::find(years.begin(), years.end(), year) == years.end()) {
    RequireYear("--year", year, kz.CompleteYears(),
                "the built-in internal migration (net_internal and population_avg of every "
                "region)");
  }
  const std::vector<std::string> missing = kz.MissingRegions(year);
  if (!missing.empty()) {
    throw InputError(
        fmt::format("--year {}: the built-in data for {} are incomplete: no inter-regional net or "
                    "positive average "
                    "population for region(s) {}; the indicators use complete years only ({})",
                    year, year, fmt::join(missing, ", "), JoinYears(kz.CompleteYears())));
  }
}

Json BandJson(const indicators::Band& x) {
  return Json{{"value", Number(x.value)}, {"low", Number(x.low)}, {"high", Number(x.high)}};
}

// The "estimated" block of --dataset kz: the banded indicators of the year's estimated matrix,
// or {"unavailable": why}.
Json EstimatedJson(const KzYear& y) {
  if (!y.estimated) return Json{{"unavailable", y.estimated_unavailable}};
  const indicators::BandedIndicators& b = y.estimated->bands;
  Json e;
  e["kind"] = "estimated";
  e["method"] = y.estimated->method;
  e["provenance"] = y.estimated->provenance;
  e["runs"] = y.estimated->runs;
  e["total_flow"] = BandJson(b.total_flow);
  e["cmp"] = BandJson(b.cmp);
  e["cmp_per_1000"] = BandJson(b.cmp_per_1000);
  e["courgeau_k"] = BandJson(b.courgeau_k);
  e["mei"] = BandJson(b.mei);
  e["anmr"] = BandJson(b.anmr);
  e["gini_total"] = BandJson(b.gini_total);
  e["gini_total_corrected"] = BandJson(b.gini_total_corrected);
  e["mwg_mean"] = BandJson(b.mwg_mean);
  e["acv"] = BandJson(b.acv);
  e["connectivity"] = BandJson(b.connectivity);
  return e;
}

// --dataset kz, one year: what the official nets allow (methods/indicators.md, last section),
// and under "estimated" the indicators of the year's model-based OD matrix with their bands.
Json DatasetYearJson(const KzYear& y) {
  Json j;
  j["n"] = y.nets.n;
  j["population"] = y.nets.population;
  j["anmr"] = y.nets.anmr;
  j["net_sum"] = y.nets.net_sum;
  Json net_by_region = Json::object(), rate_by_region = Json::object();
  for (size_t region_idx = 0; region_idx < y.regions.size(); ++region_idx) {
    net_by_region[y.regions[region_idx]] = y.net[region_idx];
    rate_by_region[y.regions[region_idx]] = y.nets.net_rate[region_idx];
  }
  j["net"] = net_by_region;
  j["net_rate"] = rate_by_region;
  j["method"] = {
      {"source",
       "built-in dataset 'kz': net_internal (inter-regional net, BNS) and "
       "population_avg (average annual population, BNS)"},
      {"anmr", "100 (1/2) sum |net_i| / P from official nets and the average population"},
      {"net_rate", "per 1,000 average annual population"},
      {"not_computed",
       {"cmp", "mei", "courgeau_k", "preference", "velocity", "gini_*", "mwg_*", "cv_*", "acv",
        "connectivity", "distance"}},
      {"why_not",
       "the Bureau's arrivals and departures include moves between districts inside a region; "
       "only the regional net is inter-regional. MEI, the CMP of inter-regional moves and the "
       "focusing indicators need an origin-destination matrix, which exists only as an "
       "estimate: see \"estimated\" (model-based, with sensitivity bands)"},
      {"provenance", y.net_sources}};
  // Series breaks (methods/indicators.md): compare across them with care.
  Json breaks = Json::array();
  if (y.year >= 2018) {
    breaks.push_back(
        "2018 boundary change: Shymkent city split from South Kazakhstan "
        "(now Turkistan region); values are on 2022 borders");
  }
  if (y.year >= 2022) {
    breaks.push_back("2022 boundary change: Abai, Jetisu and Ulytau regions created");
  }
  if (y.year >= 2024) {
    breaks.push_back(
        "2024: registered internal moves jump by about 48%, likely a change in "
        "registration; compare with earlier years with care");
  }
  j["method"]["series_breaks"] = breaks;
  j["estimated"] = EstimatedJson(y);
  return j;
}

// --dataset kz, one year, for people: the regions (one row each, by name with the id beside,
// the indicators as columns, the nation last), the system-wide figures, and the estimated
// matrix's indicators with their bands (one column per indicator, rows central/low/high).
std::vector<TextSection> DatasetYearText(const KzYear& y) {
  std::vector<TextSection> sections;
  TextSection regions;
  regions.heading =
      fmt::format("Year {}: inter-regional net migration by region (official)", y.year);
  regions.provenance = y.provenance;
  regions.table =
      ResultTable({"region", "id", "population", "net", "net_rate"},
                  {Unit::kAuto, Unit::kId, Unit::kPersons, Unit::kPersons, Unit::kRatePer1000});
  for (size_t region_idx = 0; region_idx < y.regions.size(); ++region_idx) {
    regions.table.AddRow({Cell::Text(RegionDisplayName("kz-2022", y.regions[region_idx])),
                          Cell::Text(y.regions[region_idx]), Cell::Number(y.population[region_idx]),
                          Cell::Number(y.net[region_idx]),
                          Cell::Number(y.nets.net_rate[region_idx])});
  }
  regions.table.AddRow({Cell::Text("Kazakhstan"), Cell::Text("KZ"), Cell::Number(y.nets.population),
                        Cell::Number(y.nets.net_sum), Cell::Missing()});
  regions.table.AddFootnote(
      "population: average annual population; net: arrivals from other regions minus departures "
      "to other regions");
  sections.push_back(std::move(regions));

  TextSection system;
  system.heading = fmt::format("Year {}: system-wide (official)", y.year);
  system.provenance = y.provenance;
  system.table = ResultTable({"regions", "population", "anmr"},
                             {Unit::kCount, Unit::kPersons, Unit::kRatePer100});
  system.table.AddRow({Cell::Integer(static_cast<long long>(y.nets.n)),
                       Cell::Number(y.nets.population), Cell::Number(y.nets.anmr)});
  system.table.AddFootnote("anmr: aggregate net migration rate, 100 (1/2) sum |net| / population");
  sections.push_back(std::move(system));

  TextSection estimated;
  estimated.heading = fmt::format("Year {}: indicators of the estimated OD matrix", y.year);
  if (!y.estimated) {
    estimated.table = ResultTable({"unavailable"});
    estimated.table.AddRow({Cell::Text(y.estimated_unavailable)});
    sections.push_back(std::move(estimated));
    return sections;
  }
  estimated.heading += fmt::format(" (model-based, {} sensitivity runs)", y.estimated->runs);
  estimated.provenance = y.estimated->provenance;
  const indicators::BandedIndicators& b = y.estimated->bands;
  const std::vector<std::pair<const char*, const indicators::Band*>> bands = {
      {"total_flow", &b.total_flow},
      {"cmp", &b.cmp},
      {"cmp_per_1000", &b.cmp_per_1000},
      {"courgeau_k", &b.courgeau_k},
      {"mei", &b.mei},
      {"anmr", &b.anmr},
      {"gini_total", &b.gini_total},
      {"gini_total_corrected", &b.gini_total_corrected},
      {"mwg_mean", &b.mwg_mean},
      {"acv", &b.acv},
      {"connectivity", &b.connectivity}};
  std::vector<std::string> columns = {"estimate"};
  std::vector<Unit> units = {Unit::kAuto};
  for (const auto& [name, band] : bands) {
    columns.emplace_back(name);
    const std::string_view n = name;
    units.push_back(n == "total_flow"           ? Unit::kEstimatedPersons
                    : n == "cmp_per_1000"       ? Unit::kRatePer1000
                    : n == "cmp" || n == "anmr" ? Unit::kRatePer100
                                                : Unit::kIndex);
  }
  estimated.table = ResultTable(columns, units);
  for (const char* which : {"central", "low", "high"}) {
    std::vector<Cell> row = {Cell::Text(which)};
    for (const auto& [name, band] : bands) {
      const std::string_view w = which;
      row.push_back(Cell::Number(w == "central" ? band->value
                                 : w == "low"   ? band->low
                                                : band->high));
    }
    estimated.table.AddRow(std::move(row));
  }
  sections.push_back(std::move(estimated));
  return sections;
}

IndicatorsResult RunDataset(const IndicatorsRequest& request) {
  if (request.dataset != "kz") {
    throw UsageError(
        fmt::format("unknown dataset '{}' (the built-in one is 'kz')", request.dataset));
  }
  if (!request.population.empty() || !request.distance.empty()) {
    throw UsageError("--dataset takes its population from the store; drop --population/--distance");
  }
  KzDataset kz = KzDataset::Open(request.location.db_path, request.location.builtin_dir);
  if (kz.Series("net_internal").region_count() == 0 ||
      kz.Series("population_avg").region_count() == 0) {
    throw ComputeError("the built-in dataset has no net_internal or population_avg series");
  }
  std::vector<int> years;
  if (request.year != 0) {
    CheckCompleteYear(kz, request.year);
    years.push_back(request.year);
  } else {
    years = kz.CompleteYears();
  }
  if (years.empty()) throw ComputeError("no year with both net migration and population");
  std::map<int, Json> results;
  std::vector<std::string> provenance;  // per year in results
  std::vector<KzYear> kz_years;
  for (int year : years) {
    KzYear y = KzYearIndicators(kz, year);
    // One requested year: a single object, like a file without years.
    results.emplace(request.year != 0 ? 0 : year, DatasetYearJson(y));
    provenance.push_back(y.provenance);
    kz_years.push_back(std::move(y));
  }
  IndicatorsResult result =
      ObjectsResult(results, provenance,
                    {"Not computed from official data: MEI, CMP, Ginis, ACV, connectivity "
                     "(they need an origin-destination matrix, which is estimated).",
                     "estimated: model-based (gravity prior constrained to the official "
                     "nets); low/high = range over the sensitivity grid."});
  result.text_sections.clear();
  for (const KzYear& y : kz_years) {
    for (TextSection& section : DatasetYearText(y)) {
      result.text_sections.push_back(std::move(section));
    }
  }
  return result;
}

}  // namespace

KzYear KzYearIndicators(KzDataset& kz, int year) {
  CheckCompleteYear(kz, year);
  const RegionSeries& net = kz.Series("net_internal");
  const RegionSeries& pop = kz.Series("population_avg");
  KzYear y;
  y.year = year;
  ProvenanceInput net_input{"kz:net_internal", {}}, pop_input{"kz:population_avg", {}};
  for (const Region& region : kz.system().regions()) {
    // A complete year: every region has both values (CheckCompleteYear).
    const size_t net_idx = *SeriesIndexOf(net, region.id);
    const size_t pop_idx = *SeriesIndexOf(pop, region.id);
    y.regions.push_back(region.id);
    y.net.push_back(*net.Get(net_idx, year));
    y.population.push_back(*pop.Get(pop_idx, year));
    net_input.Add(net.ProvenanceOf(net_idx, year).ToString());
    pop_input.Add(pop.ProvenanceOf(pop_idx, year).ToString());
  }
  y.nets = indicators::SummariseNets(y.net, y.population);
  y.net_sources = net_input.sources;
  y.population_sources = pop_input.sources;
  y.provenance = ComputedProvenance("indicators", {net_input, pop_input});
  try {
    const estimate::KzOdEstimate& od = kz.OdRuns(year);
    std::vector<const FlowMatrix*> runs;
    for (const estimate::KzOdScenario& scenario : od.scenarios) runs.push_back(&scenario.flows);
    KzYearEstimate e;
    e.bands = indicators::ComputeBandedIndicators(od.central.fit.flows, runs, y.population);
    const estimate::KzOdAssumptions& a = od.assumptions;
    e.runs = runs.size();
    e.method = fmt::format(
        "model-based inter-regional OD matrix (kazmig estimate kz-od): gravity prior scaled to an "
        "assumed gross total, constrained to the official regional nets; value = central run "
        "(decay {:g}, total {:g}); low/high = min/max over the central run and the {} runs of the "
        "grid decay {:g}-{:g} x total {:g}-{:g}; indicators as for --flows with the average "
        "annual population",
        a.decay, a.total, runs.size(), a.decay_low, a.decay_high, a.total_low, a.total_high);
    e.provenance = od.provenance.ToString();
    y.estimated = std::move(e);
  } catch (const ComputeError& error) {
    y.estimated_unavailable = error.what();
  }
  return y;
}

std::string EncodeIndicators(const IndicatorsResult& result, Format format, bool with_provenance) {
  switch (format) {
    case Format::kJson:
      return result.document.dump(2) + "\n";
    case Format::kCsv:
      return result.table.Csv(with_provenance);
    case Format::kTable:
      break;
  }
  std::string text = result.text_preamble;
  if (result.text_sections.empty()) return text + result.text_table.Text(with_provenance);
  for (const TextSection& section : result.text_sections) {
    if (!section.heading.empty()) text += section.heading + "\n";
    if (with_provenance) text += section.provenance + "\n";
    text += section.table.Text() + "\n";
  }
  for (const std::string& footnote : result.footnotes) text += footnote + "\n";
  return text;
}

IndicatorsResult RunIndicators(const IndicatorsRequest& request) {
  if (!request.dataset.empty()) {
    if (!request.flows.empty()) throw UsageError("give either --flows or --dataset, not both");
    return RunDataset(request);
  }
  if (request.flows.empty()) {
    throw UsageError("indicators: --flows FILE (or --dataset kz) is required");
  }
  return RunFiles(request);
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators regions

IndicatorsResult RunRegionIndicators(const RegionsRequest& request) {
  const RegionSystem* system = SystemOf(request.regions);
  const std::map<int, FlowMatrix> flows = LoadFlows(request.flows, request.year, system);
  std::optional<PopulationTable> population;
  if (!request.population.empty()) population = LoadPopulation(request.population, system);
  bool years = !(flows.size() == 1 && flows.begin()->first == 0);
  std::vector<std::pair<int, std::vector<indicators::RegionRow>>> tables;
  for (const auto& [year, matrix] : flows) {
    std::vector<double> pop;
    if (population) {
      pop = population->For(matrix.ids(), year != 0 ? year : request.year, request.flows);
    }
    tables.emplace_back(year, indicators::ComputeRegionTable(matrix, population ? &pop : nullptr));
  }
  if (request.year != 0) years = false;  // one year asked for: no year column
  auto opt = [](const std::optional<double>& v) { return v ? Number(*v) : Json(nullptr); };
  std::vector<std::pair<int, Json>> rows;
  for (const auto& [year, table] : tables) {
    for (const indicators::RegionRow& r : table) {
      Json j;
      j["region"] = r.id;
      j["population"] = opt(r.population);
      j["in"] = Number(r.in);
      j["out"] = Number(r.out);
      j["net"] = Number(r.net);
      j["gross"] = Number(r.gross);
      j["in_rate"] = opt(r.in_rate);
      j["out_rate"] = opt(r.out_rate);
      j["net_rate"] = opt(r.net_rate);
      j["gross_rate"] = opt(r.gross_rate);
      j["mei"] = Number(r.mei);
      j["share_in"] = Number(r.share_in);
      j["share_out"] = Number(r.share_out);
      j["rank_net"] = r.rank_net;
      j["rank_net_rate"] = r.rank_net_rate ? Json(*r.rank_net_rate) : Json(nullptr);
      rows.emplace_back(year, std::move(j));
    }
  }
  return RowsResult(
      rows, years,
      FilesProvenance(request.with_provenance, "indicators regions",
                      {request.flows, request.population}),
      {}, [](const std::string& column, const Json&) { return IndicatorUnit(column); },
      request.regions);
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators trends

// Adds the trends of built-in series (kz-2022 ids, every year each region has) for `names`
// ("all": every series of the dataset with values at kz-2022). Throws InputError for a name that
// is not a built-in series, naming the closest and the ones there are.
// `units`: each chosen series' unit in the aligned text (from its unit in the store).
void AddBuiltinSeriesTrends(KzDataset& kz, const std::vector<std::string>& names,
                            indicators::TrendSeries& series, std::vector<std::string>& provenance,
                            std::map<std::string, Unit>& units) {
  std::vector<std::string> known;
  for (const store::IndicatorInfo& info : kz.store().ListIndicators(store::kBuiltinDataset)) {
    if (info.kind != store::IndicatorKind::kSeries || info.vintage != "kz-2022") continue;
    units[info.name] = UnitOfMeasure(info.unit);
    if (std::find(known.begin(), known.end(), info.name) == known.end()) {
      known.push_back(info.name);
    }
  }
  std::vector<std::string> chosen;
  for (const std::string& name : names) {
    if (name == "all") {
      chosen = known;
      break;
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      const std::vector<std::string> closest = ClosestNames(name, known);
      throw InputError(fmt::format(
          "--series {}: no built-in series of that name{}; series: {}", name,
          closest.empty() ? std::string() : fmt::format(" (closest: {})", fmt::join(closest, ", ")),
          fmt::join(known, ", ")));
    }
    chosen.push_back(name);
  }
  std::vector<ProvenanceInput> inputs;
  for (const std::string& name : chosen) {
    const RegionSeries& values = kz.Series(name);
    ProvenanceInput input{"kz:" + name, {}};
    for (size_t region_idx = 0; region_idx < values.region_count(); ++region_idx) {
      for (int year : values.Years()) {
        const auto value = values.Get(region_idx, year);
        if (!value || !std::isfinite(*value)) continue;
        series.Add(values.region_ids()[region_idx], name, year, *value);
        input.Add(values.ProvenanceOf(region_idx, year).ToString());
      }
    }
    inputs.push_back(std::move(input));
  }
  provenance = {ComputedProvenance("indicators trends", inputs)};
}

IndicatorsResult RunTrendIndicators(const TrendsRequest& request) {
  indicators::TrendSeries series;
  std::vector<std::string> provenance;
  std::map<std::string, Unit> series_units;  // built-in series: their unit in the store
  if (!request.dataset.empty()) {
    if (request.dataset != "kz") {
      throw UsageError(
          fmt::format("unknown dataset '{}' (the built-in one is 'kz')", request.dataset));
    }
    if (!request.flows.empty()) throw UsageError("give either --flows or --dataset, not both");
    KzDataset kz = KzDataset::Open(request.location.db_path, request.location.builtin_dir);
    if (!request.series.empty()) {
      AddBuiltinSeriesTrends(kz, request.series, series, provenance, series_units);
    } else {
      const RegionSeries& net = kz.Series("net_internal");
      const RegionSeries& pop = kz.Series("population_avg");
      const std::vector<int> years = kz.CompleteYears();
      ProvenanceInput net_input{"kz:net_internal", {}}, pop_input{"kz:population_avg", {}};
      for (const Region& region : kz.system().regions()) {
        const auto net_idx = SeriesIndexOf(net, region.id);
        const auto pop_idx = SeriesIndexOf(pop, region.id);
        if (!net_idx || !pop_idx) continue;  // no complete year then
        for (int year : years) {
          const double n = *net.Get(*net_idx, year);
          const double p = *pop.Get(*pop_idx, year);
          series.Add(region.id, "net", year, n);
          net_input.Add(net.ProvenanceOf(*net_idx, year).ToString());
          series.Add(region.id, "net_rate", year, indicators::RatePerThousand(n, p));
          pop_input.Add(pop.ProvenanceOf(*pop_idx, year).ToString());
        }
      }
      provenance = {ComputedProvenance("indicators trends", {net_input, pop_input})};
    }
  } else {
    if (request.flows.empty()) {
      throw UsageError("trends: --flows FILE (or --dataset kz) is required");
    }
    const std::map<int, FlowMatrix> flows = LoadFlows(request.flows, 0);
    if (flows.count(0) != 0) {  // key 0: the file has no year column
      throw InputError(request.flows, 1, 0, "trends need a year (or period) column in the flows");
    }
    std::optional<PopulationTable> population;
    if (!request.population.empty()) population = LoadPopulation(request.population);
    for (const auto& [year, matrix] : flows) {
      std::vector<double> pop;
      if (population) pop = population->For(matrix.ids(), year, request.flows);
      indicators::AddFlowYear(series, year, matrix, population ? &pop : nullptr);
    }
    provenance = FilesProvenance(request.with_provenance, "indicators trends",
                                 {request.flows, request.population});
  }
  std::vector<std::pair<int, Json>> rows;
  for (const indicators::SeriesTrend& st : indicators::ComputeTrends(series)) {
    const indicators::Trend& t = st.trend;
    rows.emplace_back(
        0, Json{{"region", st.series->region},
                {"indicator", st.series->indicator},
                {"first_year", t.first_year},
                {"last_year", t.last_year},
                {"first", Number(t.first)},
                {"last", Number(t.last)},
                {"change", Number(t.change)},
                {"percent_change", Number(t.percent_change)},
                {"cagr", Number(t.cagr)},
                {"year_largest_increase", st.steps && !std::isnan(t.largest_increase)
                                              ? Json(t.year_largest_increase)
                                              : Json(nullptr)},
                {"largest_increase", Number(t.largest_increase)},
                {"year_largest_decrease", st.steps && !std::isnan(t.largest_decrease)
                                              ? Json(t.year_largest_decrease)
                                              : Json(nullptr)},
                {"largest_decrease", Number(t.largest_decrease)},
                {"note", t.undefined.empty() || t.first_year == t.last_year
                             ? std::string()
                             : fmt::format("percent change and CAGR undefined: {}; see change",
                                           t.undefined)}});
  }
  // For people: first, last, change and the largest steps in the unit of the row's indicator
  // (persons for nets, per 1,000 for rates); the dataset's regions by name.
  auto unit_of = [&](const std::string& column, const Json& row) {
    if (column == "first" || column == "last" || column == "change" ||
        column == "largest_increase" || column == "largest_decrease") {
      const std::string indicator = row["indicator"].get<std::string>();
      const auto it = series_units.find(indicator);
      return it != series_units.end() ? it->second : IndicatorUnit(indicator);
    }
    return IndicatorUnit(column);
  };
  return RowsResult(rows, false, provenance,
                    {"region", "indicator", "first_year", "last_year", "first", "last", "change",
                     "percent_change", "cagr", "year_largest_increase", "largest_increase",
                     "year_largest_decrease", "largest_decrease", "note"},
                    unit_of, request.dataset.empty() ? std::string() : "kz-2022");
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators components

IndicatorsResult RunComponentIndicators(const ComponentsRequest& request) {
  const FlowMatrix flows = io::ReadFlows(request.flows);
  if (!(flows.Total() > 0)) {
    throw InputError(request.flows, 0, 0, "no migration between different regions");
  }
  const indicators::MultiplicativeComponents c = indicators::ComputeMultiplicativeComponents(flows);
  const auto& ids = flows.ids();
  IndicatorsResult result;
  const std::vector<std::string> columns = {"orig", "dest", "flow", "expected", "interaction"};
  result.table = ResultTable(columns);
  // For people: flows as persons, the independence model's counts as estimated persons, the
  // interaction (observed over expected) as an index.
  result.text_table = ResultTable(
      columns, {Unit::kId, Unit::kId, Unit::kPersons, Unit::kEstimatedPersons, Unit::kIndex});
  const std::vector<std::string> provenance =
      FilesProvenance(request.with_provenance, "indicators components", {request.flows});
  Json cells = Json::array();
  for (size_t orig_idx = 0; orig_idx < ids.size(); ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < ids.size(); ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double flow = flows(orig_idx, dest_idx);
      const double expected = c.expected(orig_idx, dest_idx);
      const double interaction = c.interaction(orig_idx, dest_idx);
      cells.push_back({{"orig", ids[orig_idx]},
                       {"dest", ids[dest_idx]},
                       {"flow", flow},
                       {"expected", expected},
                       {"interaction", Number(interaction)}});
      auto f = [&](double v) { return Shown(v, io::FormatNumber(v)); };
      std::vector<Cell> row = {Cell::Text(ids[orig_idx]), Cell::Text(ids[dest_idx]), f(flow),
                               f(expected), f(interaction)};
      result.table.AddRow(row, ProvenanceHandle(result.table, provenance, 0));
      result.text_table.AddRow(std::move(row), ProvenanceHandle(result.text_table, provenance, 0));
    }
  }
  result.document = {{"total", c.total},
                     {"origin_share", ByRegion(ids, c.origin_share)},
                     {"destination_share", ByRegion(ids, c.destination_share)},
                     {"cells", cells},
                     {"method",
                      "m_ij = T (O_i/T) (D_j/T) I_ij; expected = O_i D_j / T (independence); "
                      "migest multi_comp"}};
  return result;
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators age

IndicatorsResult RunAgeIndicators(const AgeRequest& request) {
  io::CsvReader csv(request.rates);
  const size_t age_col = csv.Column("age");
  const size_t rate_col = csv.Column({"rate", "intensity", "mi", "value"});
  std::vector<double> ages, rates;
  while (csv.Next()) {
    const double age = csv.Double(age_col);
    const double rate = csv.Double(rate_col);
    if (rate < 0) csv.Fail(rate_col, fmt::format("negative intensity {}", rate));
    if (!ages.empty() && !(age > ages.back())) {
      csv.Fail(age_col, fmt::format("ages must increase (age {} after {})", age, ages.back()));
    }
    ages.push_back(age);
    rates.push_back(rate);
  }
  if (ages.size() < 3) throw InputError(request.rates, 0, 0, "need at least 3 ages");
  const indicators::AgeIndicators s = indicators::ComputeAgeIndicators(ages, rates);
  Json j;
  j["gmr"] = Number(s.gmr);
  j["peak_intensity"] = Number(s.peak_intensity);
  j["peak_age"] = Number(s.peak_age);
  j["peak_breadth"] = Number(s.peak_breadth);
  j["peak_share"] = Number(s.peak_share);
  j["mean_age"] = Number(s.mean_age);
  j["murc"] = Number(s.murc);
  j["mdrc"] = Number(s.mdrc);
  j["asymmetry"] = Number(s.asymmetry);
  Json method = {{"summary",
                  "migest index_age conventions (age_min 5, age_max 65, breadth 5); "
                  "peak within the study ages, window by age value"}};
  std::optional<indicators::RogersCastroFit> fit;
  if (!request.fit.empty()) {
    fit = indicators::FitRogersCastro(ages, rates, indicators::ParseRogersCastroForm(request.fit));
    Json params = Json::object();
    for (const auto& [name, value] : fit->named) params[name] = Number(value);
    j["rc"] = params;
    j["rc_derived"] = {{"peaking", Number(fit->derived.peaking)},
                       {"child_dependency", Number(fit->derived.child_dependency)},
                       {"labour_dependency", Number(fit->derived.labour_dependency)},
                       {"labour_asymmetry", Number(fit->derived.labour_asymmetry)},
                       {"regularity", Number(fit->derived.regularity)},
                       {"high_peak_age", Number(fit->derived.high_peak_age)}};
    j["rc_sse"] = Number(fit->sse);
    j["rc_r_squared"] = Number(fit->r_squared);
    method["fit"] = {{"form", request.fit},
                     {"method", "least squares, NLopt BOBYQA, 4 seeded starts"},
                     {"converged", fit->converged},
                     {"evaluations", fit->evaluations}};
  }
  j["method"] = method;
  if (fit && !fit->converged) {
    throw ComputeError(
        fmt::format("the Rogers-Castro {} fit did not converge ({} evaluations, SSE {})",
                    request.fit, fit->evaluations, fit->sse));
  }
  return ObjectsResult({{0, j}},
                       FilesProvenance(request.with_provenance, "indicators age", {request.rates}));
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators maup

namespace {

std::vector<size_t> ParseKList(const std::string& text) {
  std::vector<size_t> values;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    try {
      size_t used = 0;
      const long value = std::stol(item, &used);
      if (used != item.size() || value < 1) throw std::invalid_argument(item);
      values.push_back(static_cast<size_t>(value));
    } catch (const std::exception&) {
      throw UsageError(fmt::format("--k: '{}' is not a positive whole number", item));
    }
    start = comma + 1;
  }
  return values;
}

// Basic units (in order of first appearance in the flows, then the population, then the
// adjacency), their flows, populations and adjacency, read from the request's files.
struct MaupData {
  std::vector<std::string> ids;
  SparseFlows flows;
  std::vector<double> population;
  indicators::Adjacency adjacency;
};

MaupData LoadMaupData(const MaupRequest& request) {
  MaupData data;
  std::unordered_map<std::string, size_t> index;
  std::vector<std::string>& ids = data.ids;
  auto unit = [&](std::string_view id) {
    auto [it, inserted] = index.emplace(std::string(id), ids.size());
    if (inserted) ids.emplace_back(id);
    return it->second;
  };
  {
    io::CsvReader csv(request.flows);
    const size_t orig = csv.Column("orig"), dest = csv.Column("dest"), flow = csv.Column("flow");
    std::unordered_map<uint64_t, long> seen;
    while (csv.Next()) {
      const size_t a = unit(csv.RequiredField(orig));
      const size_t b = unit(csv.RequiredField(dest));
      const double v = csv.Double(flow);
      if (v < 0) csv.Fail(flow, fmt::format("negative flow {}", v));
      const uint64_t key = (static_cast<uint64_t>(a) << 32) | b;
      auto [it, inserted] = seen.emplace(key, csv.line());
      if (!inserted) {
        csv.FailRecord(fmt::format("duplicated pair ({}, {}), first given on line {}", ids[a],
                                   ids[b], it->second));
      }
      if (a != b && v > 0) data.flows.entries.push_back({a, b, v});
    }
  }
  const size_t flow_units = ids.size();
  std::vector<double>& population = data.population;
  {
    io::CsvReader csv(request.population);
    const size_t region = csv.Column({"region", "id"});
    const size_t value = csv.Column({"value", "population", "pop"});
    std::unordered_map<size_t, long> seen;
    while (csv.Next()) {
      const size_t u = unit(csv.RequiredField(region));
      const double v = csv.Double(value);
      if (v < 0) csv.Fail(value, fmt::format("negative population {}", v));
      auto [it, inserted] = seen.emplace(u, csv.line());
      if (!inserted) {
        csv.Fail(region,
                 fmt::format("duplicated region '{}', first given on line {}", ids[u], it->second));
      }
      if (population.size() < ids.size()) population.resize(ids.size(), std::nan(""));
      population[u] = v;
    }
    population.resize(ids.size(), std::nan(""));
    for (size_t u = 0; u < flow_units; ++u) {
      if (std::isnan(population[u])) {
        FailAtFirstMention(
            request.flows, ids[u],
            fmt::format("unit '{}' is not in the population file {}", ids[u], request.population));
      }
    }
  }
  std::vector<std::pair<size_t, size_t>> edges;
  const std::string ext = std::filesystem::path(request.adjacency).extension().string();
  if (ext == ".geojson" || ext == ".json") {
    const std::vector<io::GeoFeature> features = io::ReadGeoJson(request.adjacency);
    std::vector<std::vector<std::pair<double, double>>> points;
    std::vector<size_t> feature_unit;
    for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
      const std::string* id = features[feature_idx].Property(request.id_property);
      if (id == nullptr) {
        throw InputError(request.adjacency, 0, 0,
                         fmt::format("feature {} has no property '{}' (choose with "
                                     "--id-property)",
                                     feature_idx, request.id_property));
      }
      feature_unit.push_back(unit(*id));
      points.emplace_back();
      for (const auto& polygon : features[feature_idx].polygons) {
        for (const auto& ring : polygon.rings) {
          for (const auto& p : ring) points.back().emplace_back(p.x, p.y);
        }
      }
    }
    const indicators::Adjacency by_feature = indicators::AdjacencyFromSharedPoints(points);
    for (size_t a = 0; a < by_feature.size(); ++a) {
      for (size_t b : by_feature[a]) edges.emplace_back(feature_unit[a], feature_unit[b]);
    }
  } else {
    io::CsvReader csv(request.adjacency);
    const size_t a = csv.Column({"a", "from", "orig"});
    const size_t b = csv.Column({"b", "to", "dest"});
    // An edge names units of the flows or the population: any other id is a typo (it would add
    // an empty unit and change every aggregation), an error at its line and column.
    auto known_unit = [&](size_t col) {
      const std::string_view id = csv.RequiredField(col);
      const auto it = index.find(std::string(id));
      if (it == index.end()) {
        csv.Fail(col, fmt::format("unknown unit '{}' (not in the flows or the population)", id));
      }
      return it->second;
    };
    while (csv.Next()) {
      const size_t from = known_unit(a);
      edges.emplace_back(from, known_unit(b));
    }
  }
  population.resize(ids.size(), 0.0);
  for (double& p : population) {
    if (std::isnan(p)) p = 0;  // units only in the population or adjacency files
  }
  data.flows.n = ids.size();
  data.flows.ids = ids;
  data.adjacency = indicators::AdjacencyFromEdges(ids.size(), edges);
  return data;
}

}  // namespace

IndicatorsResult RunMaupIndicators(const MaupRequest& request) {
  const MaupData data = LoadMaupData(request);
  indicators::MaupInputs in;
  in.flows = &data.flows;
  in.population = &data.population;
  in.adjacency = &data.adjacency;
  in.k_values = ParseKList(request.k);
  in.replications = request.replications;
  in.seed = request.seed;
  in.threads = request.threads;
  if (in.replications < 1) throw UsageError("--replications must be at least 1");
  for (size_t k : in.k_values) {
    if (k > data.ids.size()) {
      throw UsageError(fmt::format("--k {} is more than the {} units", k, data.ids.size()));
    }
  }
  const indicators::MaupResult r = indicators::RunMaup(in);

  IndicatorsResult result;
  auto dist_json = [](const indicators::Distribution& d) {
    return Json{{"mean", Number(d.mean)}, {"sd", Number(d.sd)},   {"min", Number(d.min)},
                {"p05", Number(d.p05)},   {"p25", Number(d.p25)}, {"median", Number(d.median)},
                {"p75", Number(d.p75)},   {"p95", Number(d.p95)}, {"max", Number(d.max)}};
  };
  Json per_k = Json::array();
  for (const auto& p : r.per_k) {
    per_k.push_back({{"k", p.k}, {"cmi", dist_json(p.cmi)}, {"mei", dist_json(p.mei)}});
  }
  result.document = {
      {"units", r.units},
      {"components", r.components},
      {"population", Number(r.population)},
      {"replications", request.replications},
      {"seed", request.seed},
      {"basic_cmi", Number(r.basic_cmi)},
      {"basic_mei", Number(r.basic_mei)},
      {"per_k", per_k},
      {"method",
       {{"zoning",
         "random contiguous aggregation: k seeds (one per connected part), "
         "random frontier growth"},
        {"cmi", "100 x flows between regions / total population"},
        {"mei", "100 sum |D_r - O_r| / sum (D_r + O_r)"},
        {"rng", "replication r of the k-th value uses Rng(seed).Split(k_idx 2^32 + r)"},
        {"sd", "divisor R - 1; quantiles R type 7"}}}};

  std::vector<std::string> columns = {"k", "replications"};
  for (const char* what : {"cmi", "mei"}) {
    for (const char* stat : {"mean", "sd", "min", "p05", "p25", "median", "p75", "p95", "max"}) {
      columns.push_back(fmt::format("{}_{}", what, stat));
    }
  }
  result.table = ResultTable(columns);
  result.text_table = ResultTable(columns);
  const std::vector<std::string> provenance =
      FilesProvenance(request.with_provenance, "indicators maup",
                      {request.flows, request.population, request.adjacency});
  for (const auto& p : r.per_k) {
    auto row = [&](bool human) {
      std::vector<Cell> cells = {Cell::Integer(static_cast<long long>(p.k)),
                                 Cell::Integer(static_cast<long long>(request.replications))};
      for (const indicators::Distribution* d : {&p.cmi, &p.mei}) {
        for (double v :
             {d->mean, d->sd, d->min, d->p05, d->p25, d->median, d->p75, d->p95, d->max}) {
          cells.push_back(std::isnan(v)
                              ? Cell::Missing()
                              : Shown(v, human ? fmt::format("{:.4f}", v) : io::FormatNumber(v)));
        }
      }
      return cells;
    };
    result.table.AddRow(row(false), ProvenanceHandle(result.table, provenance, 0));
    result.text_table.AddRow(row(true), ProvenanceHandle(result.text_table, provenance, 0));
  }
  result.text_preamble = fmt::format("{} units, basic CMI {:.4f}, basic MEI {:.4f}\n\n", r.units,
                                     r.basic_cmi, r.basic_mei);
  return result;
}

}  // namespace kazmig::app

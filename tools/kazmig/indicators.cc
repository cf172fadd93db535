// `kazmig indicators`: the regularities of internal migration from an origin-destination matrix.
//
//   kazmig indicators --flows flows.csv [--population pop.csv] [--distance dist.csv] --format json
//   kazmig indicators regions --flows flows.csv --population pop.csv
//   kazmig indicators age --rates rates.csv [--fit rc7|rc9|rc11|rc13]
//   kazmig indicators maup --flows f.csv --population p.csv --adjacency edges.csv --k 4,8,16
//   kazmig indicators --dataset kz --year 2023
//
// Inputs: flows `orig,dest,flow[,year]` (diagonal rows ignored), population `region,value[,year]`
// (also `population` or `pop` as the value column), distances `orig,dest,distance` (or `dist`),
// age rates `age,rate` (or `intensity`, `mi`, `value`), adjacency `a,b` edges or GeoJSON polygons.
// With a `year` column in the flows every indicator is computed per year (JSON: an object keyed by
// year; CSV: a leading `year` column).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/indicators/age_profile.h"
#include "kazmig/indicators/bands.h"
#include "kazmig/indicators/maup.h"
#include "kazmig/indicators/region_table.h"
#include "kazmig/indicators/summary.h"
#include "kazmig/io/csv.h"
#include "kazmig/io/geojson.h"
#include "kazmig/io/tidy.h"
#include "kazmig/store/store.h"

namespace kazmig::cli {
namespace {

using Json = nlohmann::ordered_json;

struct IndicatorsOptions {
  std::string regions;  // --regions VINTAGE: resolve ids through a built-in region system
  std::string flows;
  std::string population;
  std::string distance;
  std::string dataset;
  int year = 0;
  bool no_decay = false;
  OutputOptions output;
};

struct RegionsOptions {
  std::string regions;
  std::string flows;
  std::string population;
  int year = 0;
  OutputOptions output;
};

struct AgeOptions {
  std::string rates;
  std::string fit;
  OutputOptions output;
};

struct MaupOptions {
  std::string flows;
  std::string population;
  std::string adjacency;
  std::string id_property = "id";
  std::string k = "4,8,16";
  size_t replications = 1000;
  uint64_t seed = 1;
  OutputOptions output;
};

int ThreadCount(const Globals& globals) {
  if (globals.threads > 0) return globals.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// ---------------------------------------------------------------------------------------------
// Inputs

bool HasYearColumn(const std::string& path) {
  io::CsvReader csv(path);
  return csv.FindColumn("year").has_value() || csv.FindColumn("period").has_value();
}

// The built-in region system named by --regions, or nullptr for free-text ids.
const RegionSystem* SystemOf(const std::string& vintage) {
  return vintage.empty() ? nullptr : &RegionSystem::Builtin(vintage);
}

// Flow matrices by year (key 0 when the file has no year column). With a region system, ids are
// resolved through it (KATO, ISO, names) and the matrix has all its regions in its order.
std::map<int, FlowMatrix> LoadFlows(const std::string& path, int year,
                                    const RegionSystem* system = nullptr) {
  std::map<int, FlowMatrix> by_year;
  if (HasYearColumn(path)) {
    io::TidyOptions options;
    options.system = system;
    if (year != 0) options.year = year;
    by_year = io::ReadFlowsByYear(path, options);
    if (by_year.empty()) {
      throw InputError(path, 0, 0,
                       year != 0 ? fmt::format("no flows for year {}", year) : "no flows");
    }
  } else {
    io::TidyOptions options;
    options.system = system;
    by_year.emplace(0, io::ReadFlows(path, options));
  }
  return by_year;
}

// Throws an InputError at the first line of the flows file that names `id`.
[[noreturn]] void FailAtFirstMention(const std::string& flows_path, const std::string& id,
                                     const std::string& message,
                                     const RegionSystem* system = nullptr) {
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
  std::map<int, std::unordered_map<std::string, long>> seen;
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
  return table;
}

// ---------------------------------------------------------------------------------------------
// Output of the system indicators

Json Number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

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

// Flattens an indicator object to (indicator, value) rows: nested objects become `key.region`.
void FlattenRows(const Json& j, std::vector<std::pair<std::string, Json>>& rows) {
  for (const auto& [key, value] : j.items()) {
    if (key == "method") continue;
    if (key == "estimated" && value.is_object()) {
      // --dataset kz: rows `estimated.X` (central), `estimated.X.low`, `estimated.X.high`; the
      // method and provenance texts are in the JSON output.
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

std::string CsvValue(const Json& v) {
  if (v.is_null()) return "NA";
  if (v.is_number()) return io::FormatNumber(v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.get<std::string>();
}

std::string HumanValue(const Json& v) {
  if (v.is_null()) return "NA";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());  // counts, years, ranks
  if (v.is_number()) {
    const double x = v.get<double>();
    return std::abs(x) >= 1000 ? HumanNumber(x, 1) : fmt::format("{:.6g}", x);
  }
  return CsvValue(v);
}

// The provenance column of rows computed from input files (read only when it is asked for).
std::vector<std::string> FilesProvenance(const OutputOptions& options, std::string_view command,
                                         const std::vector<std::string>& paths) {
  if (!options.with_provenance) return {};
  std::vector<ProvenanceInput> inputs;
  for (const std::string& path : paths) {
    if (!path.empty()) inputs.push_back(FileProvenance(path));
  }
  return {ComputedProvenance(command, inputs)};
}

// Writes a map year -> indicator object in the chosen format. `provenance`: one text per year
// object (in map order) or one for all (used with --with-provenance).
void WriteIndicatorObjects(const std::map<int, Json>& by_year, const OutputOptions& options,
                           const std::vector<std::string>& provenance,
                           const std::vector<std::string>& notes = {}) {
  auto provenance_of = [&](size_t year_idx) {
    if (provenance.empty()) return std::string();
    return provenance.size() == 1 ? provenance.front() : provenance.at(year_idx);
  };
  Output out(options);
  const bool years = !(by_year.size() == 1 && by_year.begin()->first == 0);
  switch (options.ParsedFormat()) {
    case Format::kJson: {
      if (!years) {
        out.stream() << by_year.begin()->second.dump(2) << '\n';
      } else {
        Json doc = Json::object();
        for (const auto& [year, j] : by_year) doc[std::to_string(year)] = j;
        out.stream() << doc.dump(2) << '\n';
      }
      break;
    }
    case Format::kCsv: {
      std::vector<std::string> header = {"indicator", "value"};
      if (years) header.insert(header.begin(), "year");
      std::vector<std::vector<std::string>> cells;
      std::vector<std::string> row_provenance;
      size_t year_idx = 0;
      for (const auto& [year, j] : by_year) {
        std::vector<std::pair<std::string, Json>> rows;
        FlattenRows(j, rows);
        for (const auto& [name, value] : rows) {
          cells.push_back({name, CsvValue(value)});
          if (years) cells.back().insert(cells.back().begin(), std::to_string(year));
          row_provenance.push_back(provenance_of(year_idx));
        }
        ++year_idx;
      }
      WriteCells(out.stream(), options, header, cells, row_provenance);
      break;
    }
    case Format::kTable: {
      size_t year_idx = 0;
      for (const auto& [year, j] : by_year) {
        if (years) out.stream() << "Year " << year << "\n";
        if (options.with_provenance) out.stream() << provenance_of(year_idx++) << "\n";
        TextTable table({"indicator", "value"});
        std::vector<std::pair<std::string, Json>> rows;
        FlattenRows(j, rows);
        for (const auto& [name, value] : rows) table.AddRow({name, HumanValue(value)});
        table.Print(out.stream());
        out.stream() << '\n';
      }
      for (const auto& note : notes) out.stream() << note << '\n';
      break;
    }
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators (system-wide)

void RunDataset(const Globals& globals, const IndicatorsOptions& options);

void RunIndicators(const Globals& globals, const IndicatorsOptions& options) {
  if (!options.dataset.empty()) {
    if (!options.flows.empty()) throw UsageError("give either --flows or --dataset, not both");
    RunDataset(globals, options);
    return;
  }
  if (options.flows.empty()) {
    throw UsageError("indicators: --flows FILE (or --dataset kz) is required");
  }
  const RegionSystem* system = SystemOf(options.regions);
  const std::map<int, FlowMatrix> flows = LoadFlows(options.flows, options.year, system);
  std::optional<PopulationTable> population;
  if (!options.population.empty()) population = LoadPopulation(options.population, system);
  std::map<int, Json> results;
  std::optional<FlowMatrix> distance;
  for (const auto& [year, matrix] : flows) {
    const int pop_year = year != 0 ? year : options.year;
    std::vector<double> pop;
    if (population) pop = population->For(matrix.ids(), pop_year, options.flows);
    if (!options.distance.empty() && (!distance || distance->ids() != matrix.ids())) {
      // Every year's matrix is over the same ids: the file is read once.
      io::TidyOptions distance_options;
      distance_options.system = system;
      distance = io::ReadDistances(options.distance, matrix.ids(), distance_options);
    }
    indicators::SystemInputs in;
    in.flows = &matrix;
    in.population = population ? &pop : nullptr;
    in.distance = distance ? &*distance : nullptr;
    in.threads = ThreadCount(globals);
    in.fit_decay = !options.no_decay;
    if (matrix.Total() <= 0) {
      throw InputError(options.flows, 0, 0,
                       fmt::format("no migration between different regions{}",
                                   year != 0 ? fmt::format(" in {}", year) : std::string()));
    }
    const indicators::SystemIndicators s = indicators::ComputeSystemIndicators(in);
    if (s.decay && !s.decay->converged) {
      Note(globals, fmt::format("the distance-decay model did not converge ({} iterations); "
                                "`decay` is left out",
                                s.decay->iterations));
    }
    // With --year the output is one object, as for a file without years.
    results.emplace(options.year != 0 ? 0 : year, SystemJson(s, matrix.ids()));
  }
  WriteIndicatorObjects(results, options.output,
                        FilesProvenance(options.output, "indicators",
                                        {options.flows, options.population, options.distance}));
}

// The indicators of the year's estimated inter-regional matrix (estimate::EstimateKzOd, as in the
// report), each with its band over the sensitivity grid; {"unavailable": why} when there is none.
Json EstimatedJson(const RegionSeries& net, const RegionSeries& pop, int year) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  try {
    const estimate::KzOdInputs inputs = estimate::KzOdInputsFromSeries(system, pop, net, year);
    const estimate::KzOdEstimate od = estimate::EstimateKzOd(inputs, {});
    std::vector<const FlowMatrix*> runs;
    for (const estimate::KzOdScenario& scenario : od.scenarios) runs.push_back(&scenario.flows);
    const indicators::BandedIndicators b =
        indicators::ComputeBandedIndicators(od.central.fit.flows, runs, inputs.gravity.population);
    auto band = [](const indicators::Band& x) {
      return Json{{"value", Number(x.value)}, {"low", Number(x.low)}, {"high", Number(x.high)}};
    };
    const estimate::KzOdAssumptions& a = od.assumptions;
    Json e;
    e["kind"] = "estimated";
    e["method"] = fmt::format(
        "model-based inter-regional OD matrix (kazmig estimate kz-od): gravity prior scaled to an "
        "assumed gross total, constrained to the official regional nets; value = central run "
        "(decay {:g}, total {:g}); low/high = min/max over the central run and the {} runs of the "
        "grid decay {:g}-{:g} x total {:g}-{:g}; indicators as for --flows with the average "
        "annual population",
        a.decay, a.total, runs.size(), a.decay_low, a.decay_high, a.total_low, a.total_high);
    e["provenance"] = od.provenance.ToString();
    e["runs"] = runs.size();
    e["total_flow"] = band(b.total_flow);
    e["cmp"] = band(b.cmp);
    e["cmp_per_1000"] = band(b.cmp_per_1000);
    e["courgeau_k"] = band(b.courgeau_k);
    e["mei"] = band(b.mei);
    e["anmr"] = band(b.anmr);
    e["gini_total"] = band(b.gini_total);
    e["gini_total_corrected"] = band(b.gini_total_corrected);
    e["mwg_mean"] = band(b.mwg_mean);
    e["acv"] = band(b.acv);
    e["connectivity"] = band(b.connectivity);
    return e;
  } catch (const ComputeError& error) {
    return Json{{"unavailable", error.what()}};
  }
}

// --dataset kz: what the official nets allow (methods/indicators.md, last section), and under
// "estimated" the indicators of the year's model-based OD matrix with their bands.
void RunDataset(const Globals& globals, const IndicatorsOptions& options) {
  if (options.dataset != "kz") {
    throw UsageError(
        fmt::format("unknown dataset '{}' (the built-in one is 'kz')", options.dataset));
  }
  if (!options.population.empty() || !options.distance.empty()) {
    throw UsageError("--dataset takes its population from the store; drop --population/--distance");
  }
  store::Store db = store::OpenWithBuiltin(globals.ResolvedDbPath(), BuiltinDataDir());
  const RegionSeries net = db.LoadSeries("net_internal", "kz-2022", "kz");
  const RegionSeries pop = db.LoadSeries("population_avg", "kz-2022", "kz");
  if (net.region_count() == 0 || pop.region_count() == 0) {
    throw ComputeError("the built-in dataset has no net_internal or population_avg series");
  }
  std::vector<int> years;
  for (int year : net.Years()) {
    if (options.year == 0 || year == options.year) years.push_back(year);
  }
  if (years.empty()) {
    throw UsageError(
        fmt::format("no internal net migration in the built-in data for {}", options.year));
  }
  std::map<int, Json> results;
  std::vector<std::string> row_provenance;  // per year in results
  std::vector<std::string> ids;
  for (const auto& id : net.region_ids()) {
    if (id != store::kNational) ids.push_back(id);
  }
  for (int year : years) {
    Json j;
    double total_pop = 0, sum_net = 0;
    std::vector<double> used_nets, used_pops;
    Json net_by_region = Json::object(), rate_by_region = Json::object();
    std::vector<std::string> provenance;
    ProvenanceInput net_input{"kz:net_internal", {}}, pop_input{"kz:population_avg", {}};
    size_t used = 0;
    for (size_t region_idx = 0; region_idx < net.region_count(); ++region_idx) {
      const std::string& id = net.region_ids()[region_idx];
      if (id == store::kNational) continue;
      const auto n = net.Get(region_idx, year);
      if (!n) continue;
      auto pop_idx = std::find(pop.region_ids().begin(), pop.region_ids().end(), id);
      if (pop_idx == pop.region_ids().end()) continue;
      const auto p = pop.Get(static_cast<size_t>(pop_idx - pop.region_ids().begin()), year);
      if (!p || !(*p > 0)) continue;
      ++used;
      used_nets.push_back(*n);
      used_pops.push_back(*p);
      sum_net += *n;
      total_pop += *p;
      net_by_region[id] = *n;
      rate_by_region[id] = 1000 * *n / *p;
      const std::string source = net.ProvenanceOf(region_idx, year).ToString();
      if (std::find(provenance.begin(), provenance.end(), source) == provenance.end()) {
        provenance.push_back(source);
      }
      net_input.Add(source);
      pop_input.Add(pop.ProvenanceOf(static_cast<size_t>(pop_idx - pop.region_ids().begin()), year)
                        .ToString());
    }
    if (used == 0) continue;
    j["n"] = used;
    j["population"] = total_pop;
    j["anmr"] = indicators::AnmrFromNets(used_nets, used_pops);
    j["net_sum"] = sum_net;
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
        {"provenance", provenance}};
    // Series breaks (methods/indicators.md): compare across them with care.
    Json breaks = Json::array();
    if (year >= 2018) {
      breaks.push_back(
          "2018 boundary change: Shymkent city split from South Kazakhstan "
          "(now Turkistan region); values are on 2022 borders");
    }
    if (year >= 2022) {
      breaks.push_back("2022 boundary change: Abai, Jetisu and Ulytau regions created");
    }
    if (year >= 2024) {
      breaks.push_back(
          "2024: registered internal moves jump by about 48%, likely a change in "
          "registration; compare with earlier years with care");
    }
    j["method"]["series_breaks"] = breaks;
    j["estimated"] = EstimatedJson(net, pop, year);
    results.emplace(year, j);
    row_provenance.push_back(ComputedProvenance("indicators", {net_input, pop_input}));
  }
  if (results.empty()) throw ComputeError("no year with both net migration and population");
  if (options.year != 0 && results.size() == 1) {
    // One requested year: a single object, like a file without years.
    std::map<int, Json> single = {{0, results.begin()->second}};
    WriteIndicatorObjects(single, options.output, row_provenance,
                          {"Not computed from official data: MEI, CMP, Ginis, ACV, connectivity "
                           "(they need an origin-destination matrix, which is estimated).",
                           "estimated.*: model-based (gravity prior constrained to the official "
                           "nets); .low/.high = range over the sensitivity grid."});
    return;
  }
  WriteIndicatorObjects(results, options.output, row_provenance,
                        {"Not computed from official data: MEI, CMP, Ginis, ACV, connectivity "
                         "(they need an origin-destination matrix, which is estimated).",
                         "estimated.*: model-based (gravity prior constrained to the official "
                         "nets); .low/.high = range over the sensitivity grid."});
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators regions

void RunRegions(const RegionsOptions& options) {
  const RegionSystem* system = SystemOf(options.regions);
  const std::map<int, FlowMatrix> flows = LoadFlows(options.flows, options.year, system);
  std::optional<PopulationTable> population;
  if (!options.population.empty()) population = LoadPopulation(options.population, system);
  bool years = !(flows.size() == 1 && flows.begin()->first == 0);
  std::vector<std::pair<int, std::vector<indicators::RegionRow>>> tables;
  for (const auto& [year, matrix] : flows) {
    std::vector<double> pop;
    if (population)
      pop = population->For(matrix.ids(), year != 0 ? year : options.year, options.flows);
    tables.emplace_back(year, indicators::ComputeRegionTable(matrix, population ? &pop : nullptr));
  }
  if (options.year != 0) years = false;  // one year asked for: no year column
  auto opt = [](const std::optional<double>& v) { return v ? Number(*v) : Json(nullptr); };
  auto row_json = [&](const indicators::RegionRow& r) {
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
    return j;
  };
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kJson: {
      Json doc = Json::array();
      for (const auto& [year, rows] : tables) {
        for (const auto& r : rows) {
          Json j = row_json(r);
          if (years) {
            Json with_year = {{"year", year}};
            with_year.update(j);
            j = with_year;
          }
          doc.push_back(j);
        }
      }
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kCsv:
    case Format::kTable: {
      std::vector<std::vector<std::string>> cells;
      std::vector<std::string> header;
      for (const auto& [year, rows] : tables) {
        for (const auto& r : rows) {
          const Json j = row_json(r);
          if (header.empty()) {
            if (years) header.push_back("year");
            for (const auto& [key, value] : j.items()) header.push_back(key);
          }
          std::vector<std::string> line;
          if (years) line.push_back(std::to_string(year));
          for (const auto& [key, value] : j.items()) {
            line.push_back(options.output.ParsedFormat() == Format::kCsv ? CsvValue(value)
                                                                         : HumanValue(value));
          }
          cells.push_back(line);
        }
      }
      WriteCells(out.stream(), options.output, header, cells,
                 FilesProvenance(options.output, "indicators regions",
                                 {options.flows, options.population}));
      break;
    }
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators trends

struct TrendsOptions {
  std::string flows;
  std::string population;
  std::string dataset;
  OutputOptions output;
};

// One series to summarise: (region or "all", indicator) -> year -> value.
using SeriesMap = std::map<std::pair<std::string, std::string>, std::map<int, double>>;

void RunTrends(const Globals& globals, const TrendsOptions& options) {
  SeriesMap series;
  std::vector<std::pair<std::string, std::string>> order;
  auto add = [&](const std::string& region, const std::string& indicator, int year, double v) {
    auto key = std::make_pair(region, indicator);
    if (series.count(key) == 0) order.push_back(key);
    series[key][year] = v;
  };
  std::vector<std::string> provenance;
  if (!options.dataset.empty()) {
    if (options.dataset != "kz") {
      throw UsageError(
          fmt::format("unknown dataset '{}' (the built-in one is 'kz')", options.dataset));
    }
    if (!options.flows.empty()) throw UsageError("give either --flows or --dataset, not both");
    store::Store db = store::OpenWithBuiltin(globals.ResolvedDbPath(), BuiltinDataDir());
    const RegionSeries net = db.LoadSeries("net_internal", "kz-2022", "kz");
    const RegionSeries pop = db.LoadSeries("population_avg", "kz-2022", "kz");
    ProvenanceInput net_input{"kz:net_internal", {}}, pop_input{"kz:population_avg", {}};
    for (size_t region_idx = 0; region_idx < net.region_count(); ++region_idx) {
      const std::string& id = net.region_ids()[region_idx];
      if (id == store::kNational) continue;
      auto pop_it = std::find(pop.region_ids().begin(), pop.region_ids().end(), id);
      for (int year : net.Years()) {
        const auto n = net.Get(region_idx, year);
        if (!n) continue;
        add(id, "net", year, *n);
        net_input.Add(net.ProvenanceOf(region_idx, year).ToString());
        if (pop_it != pop.region_ids().end()) {
          const size_t pop_idx = static_cast<size_t>(pop_it - pop.region_ids().begin());
          const auto p = pop.Get(pop_idx, year);
          if (p && *p > 0) {
            add(id, "net_rate", year, 1000 * *n / *p);
            pop_input.Add(pop.ProvenanceOf(pop_idx, year).ToString());
          }
        }
      }
    }
    provenance = {ComputedProvenance("indicators trends", {net_input, pop_input})};
  } else {
    if (options.flows.empty())
      throw UsageError("trends: --flows FILE (or --dataset kz) is required");
    if (!HasYearColumn(options.flows)) {
      throw InputError(options.flows, 1, 0, "trends need a year (or period) column in the flows");
    }
    const std::map<int, FlowMatrix> flows = LoadFlows(options.flows, 0);
    std::optional<PopulationTable> population;
    if (!options.population.empty()) population = LoadPopulation(options.population);
    for (const auto& [year, matrix] : flows) {
      std::vector<double> pop;
      if (population) pop = population->For(matrix.ids(), year, options.flows);
      const auto rows = indicators::ComputeRegionTable(matrix, population ? &pop : nullptr);
      double abs_net = 0, turnover = 0, total = 0;
      for (const auto& r : rows) {
        add(r.id, "in", year, r.in);
        add(r.id, "out", year, r.out);
        add(r.id, "net", year, r.net);
        if (r.net_rate) add(r.id, "net_rate", year, *r.net_rate);
        abs_net += std::abs(r.net);
        turnover += r.gross;
        total += r.out;
      }
      add("all", "total_flow", year, total);
      add("all", "mei", year, 100 * abs_net / turnover);
      if (population) {
        double p = 0;
        for (double v : pop) p += v;
        add("all", "cmp", year, 100 * total / p);
      }
    }
    provenance =
        FilesProvenance(options.output, "indicators trends", {options.flows, options.population});
  }
  Output out(options.output);
  const std::vector<std::string> header = {"region",
                                           "indicator",
                                           "first_year",
                                           "last_year",
                                           "first",
                                           "last",
                                           "change",
                                           "percent_change",
                                           "cagr",
                                           "year_largest_increase",
                                           "largest_increase",
                                           "year_largest_decrease",
                                           "largest_decrease"};
  Json doc = Json::array();
  std::vector<std::vector<std::string>> cells;
  for (const auto& key : order) {
    const auto& by_year = series.at(key);
    std::vector<int> years;
    std::vector<double> values;
    for (const auto& [year, v] : by_year) {
      years.push_back(year);
      values.push_back(v);
    }
    const indicators::Trend t = indicators::ComputeTrend(years, values);
    const bool steps = years.size() > 1;
    Json j = {{"region", key.first},
              {"indicator", key.second},
              {"first_year", t.first_year},
              {"last_year", t.last_year},
              {"first", Number(t.first)},
              {"last", Number(t.last)},
              {"change", Number(t.change)},
              {"percent_change", Number(t.percent_change)},
              {"cagr", Number(t.cagr)},
              {"year_largest_increase", steps ? Json(t.year_largest_increase) : Json(nullptr)},
              {"largest_increase", Number(t.largest_increase)},
              {"year_largest_decrease", steps ? Json(t.year_largest_decrease) : Json(nullptr)},
              {"largest_decrease", Number(t.largest_decrease)}};
    std::vector<std::string> line;
    for (const auto& [name, value] : j.items()) {
      line.push_back(options.output.ParsedFormat() == Format::kTable ? HumanValue(value)
                                                                     : CsvValue(value));
    }
    cells.push_back(line);
    doc.push_back(j);
  }
  switch (options.output.ParsedFormat()) {
    case Format::kJson:
      out.stream() << doc.dump(2) << '\n';
      break;
    case Format::kCsv:
    case Format::kTable:
      WriteCells(out.stream(), options.output, header, cells, provenance);
      break;
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators components

struct ComponentsOptions {
  std::string flows;
  OutputOptions output;
};

void RunComponents(const ComponentsOptions& options) {
  const FlowMatrix flows = io::ReadFlows(options.flows);
  if (!(flows.Total() > 0)) {
    throw InputError(options.flows, 0, 0, "no migration between different regions");
  }
  const indicators::MultiplicativeComponents c = indicators::ComputeMultiplicativeComponents(flows);
  Output out(options.output);
  const auto& ids = flows.ids();
  if (options.output.ParsedFormat() == Format::kJson) {
    Json cells = Json::array();
    for (size_t orig_idx = 0; orig_idx < ids.size(); ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < ids.size(); ++dest_idx) {
        if (orig_idx == dest_idx) continue;
        cells.push_back(
            {{"orig", ids[orig_idx]},
             {"dest", ids[dest_idx]},
             {"flow", flows(orig_idx, dest_idx)},
             {"expected", c.total * c.origin_share[orig_idx] * c.destination_share[dest_idx]},
             {"interaction", Number(c.interaction(orig_idx, dest_idx))}});
      }
    }
    Json doc = {{"total", c.total},
                {"origin_share", ByRegion(ids, c.origin_share)},
                {"destination_share", ByRegion(ids, c.destination_share)},
                {"cells", cells},
                {"method",
                 "m_ij = T (O_i/T) (D_j/T) I_ij; expected = O_i D_j / T (independence); "
                 "migest multi_comp"}};
    out.stream() << doc.dump(2) << '\n';
  } else {
    const bool csv_format = options.output.ParsedFormat() == Format::kCsv;
    const std::vector<std::string> header = {"orig", "dest", "flow", "expected", "interaction"};
    std::vector<std::vector<std::string>> cells;
    for (size_t orig_idx = 0; orig_idx < ids.size(); ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < ids.size(); ++dest_idx) {
        if (orig_idx == dest_idx) continue;
        const double expected = c.total * c.origin_share[orig_idx] * c.destination_share[dest_idx];
        auto f = [&](double v) {
          return csv_format ? io::FormatNumber(v) : fmt::format("{:.4g}", v);
        };
        cells.push_back({ids[orig_idx], ids[dest_idx], f(flows(orig_idx, dest_idx)), f(expected),
                         f(c.interaction(orig_idx, dest_idx))});
      }
    }
    WriteCells(out.stream(), options.output, header, cells,
               FilesProvenance(options.output, "indicators components", {options.flows}));
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators age

void RunAge(const AgeOptions& options) {
  io::CsvReader csv(options.rates);
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
  if (ages.size() < 3) throw InputError(options.rates, 0, 0, "need at least 3 ages");
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
  if (!options.fit.empty()) {
    fit = indicators::FitRogersCastro(ages, rates, indicators::ParseRogersCastroForm(options.fit));
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
    method["fit"] = {{"form", options.fit},
                     {"method", "least squares, NLopt BOBYQA, 4 seeded starts"},
                     {"converged", fit->converged},
                     {"evaluations", fit->evaluations}};
  }
  j["method"] = method;
  if (fit && !fit->converged) {
    throw ComputeError(
        fmt::format("the Rogers-Castro {} fit did not converge ({} evaluations, SSE {})",
                    options.fit, fit->evaluations, fit->sse));
  }
  WriteIndicatorObjects({{0, j}}, options.output,
                        FilesProvenance(options.output, "indicators age", {options.rates}));
}

// ---------------------------------------------------------------------------------------------
// kazmig indicators maup

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

void RunMaup(const Globals& globals, const MaupOptions& options) {
  // Units: in order of first appearance in the flows, then the population, then the adjacency.
  std::unordered_map<std::string, size_t> index;
  std::vector<std::string> ids;
  auto unit = [&](std::string_view id) {
    auto [it, inserted] = index.emplace(std::string(id), ids.size());
    if (inserted) ids.emplace_back(id);
    return it->second;
  };
  SparseFlows flows;
  {
    io::CsvReader csv(options.flows);
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
      if (a != b && v > 0) flows.entries.push_back({a, b, v});
    }
  }
  const size_t flow_units = ids.size();
  std::vector<double> population;
  {
    io::CsvReader csv(options.population);
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
            options.flows, ids[u],
            fmt::format("unit '{}' is not in the population file {}", ids[u], options.population));
      }
    }
  }
  std::vector<std::pair<size_t, size_t>> edges;
  const std::string ext = std::filesystem::path(options.adjacency).extension().string();
  if (ext == ".geojson" || ext == ".json") {
    const std::vector<io::GeoFeature> features = io::ReadGeoJson(options.adjacency);
    std::vector<std::vector<std::pair<double, double>>> points;
    std::vector<size_t> feature_unit;
    for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
      const std::string* id = features[feature_idx].Property(options.id_property);
      if (id == nullptr) {
        throw InputError(options.adjacency, 0, 0,
                         fmt::format("feature {} has no property '{}' (choose with "
                                     "--id-property)",
                                     feature_idx, options.id_property));
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
    io::CsvReader csv(options.adjacency);
    const size_t a = csv.Column({"a", "from", "orig"});
    const size_t b = csv.Column({"b", "to", "dest"});
    while (csv.Next()) {
      edges.emplace_back(unit(csv.RequiredField(a)), unit(csv.RequiredField(b)));
    }
  }
  population.resize(ids.size(), 0.0);
  for (double& p : population) {
    if (std::isnan(p)) p = 0;  // units only in the population or adjacency files
  }
  flows.n = ids.size();
  flows.ids = ids;
  const indicators::Adjacency adjacency = indicators::AdjacencyFromEdges(ids.size(), edges);

  indicators::MaupInputs in;
  in.flows = &flows;
  in.population = &population;
  in.adjacency = &adjacency;
  in.k_values = ParseKList(options.k);
  in.replications = options.replications;
  in.seed = options.seed;
  in.threads = ThreadCount(globals);
  if (in.replications < 1) throw UsageError("--replications must be at least 1");
  for (size_t k : in.k_values) {
    if (k > ids.size()) {
      throw UsageError(fmt::format("--k {} is more than the {} units", k, ids.size()));
    }
  }
  const indicators::MaupResult r = indicators::RunMaup(in);

  auto dist_json = [](const indicators::Distribution& d) {
    return Json{{"mean", Number(d.mean)}, {"sd", Number(d.sd)},   {"min", Number(d.min)},
                {"p05", Number(d.p05)},   {"p25", Number(d.p25)}, {"median", Number(d.median)},
                {"p75", Number(d.p75)},   {"p95", Number(d.p95)}, {"max", Number(d.max)}};
  };
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kJson: {
      Json per_k = Json::array();
      for (const auto& p : r.per_k) {
        per_k.push_back({{"k", p.k}, {"cmi", dist_json(p.cmi)}, {"mei", dist_json(p.mei)}});
      }
      Json doc = {{"units", r.units},
                  {"components", r.components},
                  {"population", Number(r.population)},
                  {"replications", options.replications},
                  {"seed", options.seed},
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
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kCsv:
    case Format::kTable: {
      std::vector<std::string> header = {"k", "replications"};
      for (const char* what : {"cmi", "mei"}) {
        for (const char* stat :
             {"mean", "sd", "min", "p05", "p25", "median", "p75", "p95", "max"}) {
          header.push_back(fmt::format("{}_{}", what, stat));
        }
      }
      std::vector<std::vector<std::string>> cells;
      const bool csv_format = options.output.ParsedFormat() == Format::kCsv;
      auto fmt_value = [&](double v) {
        if (std::isnan(v)) return std::string("NA");
        return csv_format ? io::FormatNumber(v) : fmt::format("{:.4f}", v);
      };
      for (const auto& p : r.per_k) {
        std::vector<std::string> line = {std::to_string(p.k), std::to_string(options.replications)};
        for (const indicators::Distribution* d : {&p.cmi, &p.mei}) {
          for (double v :
               {d->mean, d->sd, d->min, d->p05, d->p25, d->median, d->p75, d->p95, d->max}) {
            line.push_back(fmt_value(v));
          }
        }
        cells.push_back(line);
      }
      if (!csv_format) {
        out.stream() << fmt::format("{} units, basic CMI {:.4f}, basic MEI {:.4f}\n\n", r.units,
                                    r.basic_cmi, r.basic_mei);
      }
      WriteCells(out.stream(), options.output, header, cells,
                 FilesProvenance(options.output, "indicators maup",
                                 {options.flows, options.population, options.adjacency}));
      break;
    }
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<IndicatorsOptions>();
  auto* cmd = app.add_subcommand(
      "indicators",
      "Indicators of internal migration: intensity, impact, focusing (Ginis), distance; region "
      "tables, age profiles, MAUP");
  cmd->add_option("--flows", options->flows, "Flows file: orig,dest,flow[,year]");
  cmd->add_option("--regions", options->regions,
                  "Resolve region ids through a built-in system (kz-2009, kz-2018, kz-2022): "
                  "KATO, ISO or names; unknown ids are errors")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()));
  cmd->add_option("--population", options->population,
                  "Population file: region,value[,year] (enables CMP, ANMR, rates)");
  cmd->add_option("--distance", options->distance,
                  "Distances file: orig,dest,distance (enables mean/median distance and decay)");
  cmd->add_option("--dataset", options->dataset,
                  "Use the built-in data ('kz'): the net-based indicators (official) and, under "
                  "\"estimated\", those of the model-based OD matrix with their bands");
  cmd->add_option("--year", options->year, "Only this year");
  cmd->add_flag("--no-decay", options->no_decay, "Skip the distance-decay model");
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);

  auto regions = std::make_shared<RegionsOptions>();
  auto* regions_cmd =
      cmd->add_subcommand("regions", "Per-region table: in, out, net, rates, MEI, shares, ranks");
  regions_cmd->add_option("--flows", regions->flows, "Flows file: orig,dest,flow[,year]")
      ->required();
  regions_cmd
      ->add_option("--regions", regions->regions,
                   "Resolve region ids through a built-in system (kz-2022, ...)")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()));
  regions_cmd->add_option("--population", regions->population,
                          "Population file: region,value[,year] (rates per 1,000)");
  regions_cmd->add_option("--year", regions->year, "Only this year");
  AddOutputOptions(regions_cmd, regions->output, /*provenance_flag=*/true);
  regions_cmd->callback([regions] { RunRegions(*regions); });

  auto age = std::make_shared<AgeOptions>();
  auto* age_cmd =
      cmd->add_subcommand("age", "Age profile indicators and a Rogers-Castro model schedule fit");
  age_cmd->add_option("--rates", age->rates, "Age-specific intensities: age,rate")->required();
  age_cmd->add_option("--fit", age->fit, "Rogers-Castro form: rc7, rc9, rc11 or rc13")
      ->check(CLI::IsMember({"rc7", "rc9", "rc11", "rc13"}));
  AddOutputOptions(age_cmd, age->output, /*provenance_flag=*/true);
  age_cmd->callback([age] { RunAge(*age); });

  auto maup = std::make_shared<MaupOptions>();
  auto* maup_cmd = cmd->add_subcommand(
      "maup", "MAUP: CMI and MEI over random contiguous aggregations into k regions");
  maup_cmd->add_option("--flows", maup->flows, "Flows between basic units: orig,dest,flow")
      ->required();
  maup_cmd->add_option("--population", maup->population, "Population: region,value")->required();
  maup_cmd
      ->add_option("--adjacency", maup->adjacency,
                   "Adjacency: CSV edges a,b, or GeoJSON polygons (.geojson) that share "
                   "boundary points")
      ->required();
  maup_cmd->add_option("--id-property", maup->id_property, "GeoJSON property holding the unit id")
      ->capture_default_str();
  maup_cmd->add_option("--k", maup->k, "Numbers of regions, comma-separated")
      ->capture_default_str();
  maup_cmd->add_option("--replications", maup->replications, "Aggregations per k")
      ->capture_default_str();
  maup_cmd->add_option("--seed", maup->seed, "Random seed")->capture_default_str();
  AddOutputOptions(maup_cmd, maup->output, /*provenance_flag=*/true);
  maup_cmd->callback([maup, &globals] { RunMaup(globals, *maup); });

  auto trends = std::make_shared<TrendsOptions>();
  auto* trends_cmd = cmd->add_subcommand(
      "trends", "Trends per region and indicator: change, CAGR, years of largest change");
  trends_cmd->add_option("--flows", trends->flows, "Flows file with a year column");
  trends_cmd->add_option("--population", trends->population,
                         "Population file: region,value[,year] (adds net rates and CMP)");
  trends_cmd->add_option("--dataset", trends->dataset,
                         "Use the built-in data ('kz'): nets and net rates");
  AddOutputOptions(trends_cmd, trends->output, /*provenance_flag=*/true);
  trends_cmd->callback([trends, &globals] { RunTrends(globals, *trends); });

  auto components = std::make_shared<ComponentsOptions>();
  auto* components_cmd = cmd->add_subcommand(
      "components", "Multiplicative components: flows against the independence model");
  components_cmd->add_option("--flows", components->flows, "Flows file: orig,dest,flow")
      ->required();
  AddOutputOptions(components_cmd, components->output, /*provenance_flag=*/true);
  components_cmd->callback([components] { RunComponents(*components); });

  cmd->callback([cmd, options, &globals] {
    if (!cmd->get_subcommands().empty()) return;  // a subcommand ran
    RunIndicators(globals, *options);
  });
}

const bool registered = RegisterCommand({"indicators", 40, &Setup});

}  // namespace
}  // namespace kazmig::cli

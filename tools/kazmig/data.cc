// `kazmig data <init|list|show|import|check|build-builtin>`: the store and its built-in dataset.
//
//   kazmig data init                                   load data/kz into the database (idempotent)
//   kazmig data list                                   indicators, coverage, provenance kinds
//   kazmig data show population --region 75 --format json
//   kazmig data import --format tidy-series pop.csv --indicator population_avg --source "BNS 6576"
//   kazmig data check                                  consistency checks with residuals
//   kazmig data build-builtin --from ../shared/data --out data/kz     (developers)
#include "kazmig/app/data.h"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/bns_6584.h"
#include "kazmig/importers/common.h"
#include "kazmig/importers/econdata.h"
#include "kazmig/importers/internal_migration.h"
#include "kazmig/importers/kato_json.h"
#include "kazmig/importers/tidy.h"
#include "kazmig/importers/undesa.h"
#include "kazmig/io/csv.h"
#include "kazmig/store/builtin.h"
#include "kazmig/store/checks.h"
#include "kazmig/store/store.h"

namespace kazmig::cli {
namespace {

using ordered_json = nlohmann::ordered_json;

store::Store OpenStore(const Globals& globals) {
  return store::OpenWithBuiltin(globals.ResolvedDbPath(), BuiltinDataDir());
}

std::string RegionName(const std::string& vintage, const std::string& id) {
  if (id == store::kNational) return "Kazakhstan";
  if (!RegionSystem::IsBuiltin(vintage)) return id;
  const RegionSystem& system = RegionSystem::Builtin(vintage);
  if (auto idx = system.IndexOfId(id)) return system[*idx].name_en;
  return id;
}

ordered_json ProvenanceJson(const Provenance& p) {
  return {{"kind", p.KindName()}, {"source", p.source}, {"detail", p.detail}};
}

// ---- init -------------------------------------------------------------------------------------

struct InitOptions {
  bool force = false;
};

void RunInit(const Globals& globals, const InitOptions& options) {
  const std::string db_path = globals.ResolvedDbPath();
  if (options.force) {
    store::Store db = store::Store::Open(db_path);
    db.DeleteDataset(store::kBuiltinDataset);
  }
  store::Store db = OpenStore(globals);
  long long values = 0;
  const auto indicators = db.ListIndicators();
  std::set<std::string> names;
  for (const auto& info : indicators) {
    values += info.value_count;
    names.insert(info.name);
  }
  Say(globals, fmt::format("kazmig: built-in dataset 'kz' ready in {}: {} indicators, {} values",
                           db_path, names.size(), values));
}

// ---- list -------------------------------------------------------------------------------------

struct ListOptions {
  std::string dataset = std::string(store::kBuiltinDataset);
  OutputOptions output;
};

void RunList(const Globals& globals, const ListOptions& options) {
  store::Store db = OpenStore(globals);
  if (!db.HasDataset(options.dataset)) {
    throw UsageError(
        fmt::format("no dataset '{}' in {}", options.dataset, globals.ResolvedDbPath()));
  }
  const auto list = db.ListIndicators(options.dataset);
  auto kinds = [](const store::IndicatorInfo& info) {
    std::string out;
    for (const auto& k : info.provenance_kinds) out += (out.empty() ? "" : "+") + k;
    return out;
  };
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      io::CsvWriter csv(out.stream());
      csv.Row("indicator", "kind", "unit", "vintage", "first_year", "last_year", "values",
              "regions", "provenance", "notes");
      for (const auto& info : list) {
        csv.Row(info.name, store::KindName(info.kind), info.unit, info.vintage, info.first_year,
                info.last_year, info.value_count, info.region_count, kinds(info), info.notes);
      }
      break;
    }
    case Format::kJson: {
      ordered_json items = ordered_json::array();
      for (const auto& info : list) {
        items.push_back({{"indicator", info.name},
                         {"kind", store::KindName(info.kind)},
                         {"unit", info.unit},
                         {"vintage", info.vintage},
                         {"first_year", info.first_year},
                         {"last_year", info.last_year},
                         {"values", info.value_count},
                         {"regions", info.region_count},
                         {"provenance", info.provenance_kinds},
                         {"notes", info.notes}});
      }
      out.stream() << ordered_json{{"dataset", options.dataset}, {"indicators", items}}.dump(2)
                   << '\n';
      break;
    }
    case Format::kTable: {
      TextTable table({"indicator", "kind", "unit", "vintage", "years", "values", "provenance"});
      for (const auto& info : list) {
        table.AddRow({info.name, std::string(store::KindName(info.kind)), info.unit, info.vintage,
                      fmt::format("{}-{}", info.first_year, info.last_year),
                      std::to_string(info.value_count), kinds(info)});
      }
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

// ---- show -------------------------------------------------------------------------------------

struct ShowOptions {
  std::string indicator;
  std::string region;
  int year = 0;
  std::string vintage;
  std::string dataset = std::string(store::kBuiltinDataset);
  OutputOptions output;
};

// "population" shows both population series (they are different definitions, kept apart).
std::vector<std::string> ExpandAlias(const std::string& name) {
  if (name == "population") return {"population_jan1", "population_avg"};
  return {name};
}

void RunShow(const Globals& globals, const ShowOptions& options) {
  store::Store db = OpenStore(globals);
  std::vector<store::IndicatorMeta> metas;
  for (const std::string& name : ExpandAlias(options.indicator)) {
    auto meta = db.GetIndicator(name, options.dataset);
    if (!meta) {
      std::string known;
      for (const auto& info : db.ListIndicators(options.dataset)) {
        if (known.find(info.name + ",") == std::string::npos) known += info.name + ", ";
      }
      throw UsageError(fmt::format("no indicator '{}' in dataset '{}' (known: {}population)", name,
                                   options.dataset, known));
    }
    metas.push_back(*meta);
  }
  // Ids a row may match: the region as resolved (KATO, "KZ") and as written (ISO3 of flows).
  std::set<std::string> region_ids;
  if (!options.region.empty()) {
    const importers::RegionNames names;
    if (auto id = names.Find(options.region)) region_ids.insert(*id);
    if (names.IsAmbiguous(options.region)) {
      throw UsageError(
          fmt::format("ambiguous region '{}' (city or region?); use the KATO code or a fuller name",
                      options.region));
    }
    region_ids.insert(options.region);
  }
  struct Row {
    std::string indicator;
    std::string vintage;
    std::string a;  // region or orig/pob
    std::string b;  // dest/por (flows, stocks)
    int year;
    std::string period;
    double value;
    Provenance provenance;
    std::optional<double> low = std::nullopt;  // band of an estimated flow
    std::optional<double> high = std::nullopt;
  };
  std::vector<Row> rows;
  bool pairs = false;
  for (const auto& meta : metas) {
    auto keep = [&](const std::string& vintage, const std::string& a, const std::string& b,
                    int year) {
      if (options.year != 0 && year != options.year) return false;
      if (!options.vintage.empty() && vintage != options.vintage) return false;
      if (!region_ids.empty() && !region_ids.count(a) && !region_ids.count(b)) return false;
      return true;
    };
    switch (meta.kind) {
      case store::IndicatorKind::kSeries:
        for (auto& r : db.LoadSeriesRows(meta.name, options.dataset)) {
          if (keep(r.vintage, r.region_id, "", r.year)) {
            rows.push_back(
                {meta.name, r.vintage, r.region_id, "", r.year, "", r.value, r.provenance});
          }
        }
        break;
      case store::IndicatorKind::kFlows:
        pairs = true;
        for (auto& r : db.LoadFlows(meta.name, options.dataset)) {
          if (keep(r.vintage, r.orig, r.dest, r.year)) {
            rows.push_back({meta.name, r.vintage, r.orig, r.dest, r.year, r.period, r.value,
                            r.provenance, r.low, r.high});
          }
        }
        break;
      case store::IndicatorKind::kStocks:
        pairs = true;
        for (auto& r : db.LoadStocks(meta.name, options.dataset)) {
          if (keep(r.vintage, r.pob, r.por, r.year)) {
            rows.push_back({meta.name, r.vintage, r.pob, r.por, r.year, "", r.value, r.provenance});
          }
        }
        break;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    return std::tie(x.indicator, x.year, x.vintage) < std::tie(y.indicator, y.year, y.vintage);
  });
  const bool flows = pairs && metas.front().kind == store::IndicatorKind::kFlows;
  const char* first = pairs ? (flows ? "orig" : "pob") : "region";
  const char* second = flows ? "dest" : "por";
  const bool bands =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.low || r.high; });
  auto band_text = [](const std::optional<double>& v) {
    return v ? io::FormatNumber(*v) : std::string();
  };
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      io::CsvWriter csv(out.stream());
      csv.Field("indicator").Field("vintage").Field(first);
      if (pairs) csv.Field(second);
      csv.Field("year");
      if (flows) csv.Field("period");
      csv.Field("value");
      if (bands) csv.Field("low").Field("high");
      if (options.output.with_provenance) csv.Field("provenance");
      csv.EndRow();
      for (const Row& r : rows) {
        csv.Field(r.indicator).Field(r.vintage).Field(r.a);
        if (pairs) csv.Field(r.b);
        csv.Field(r.year);
        if (flows) csv.Field(r.period);
        csv.Field(r.value);
        if (bands) csv.Field(band_text(r.low)).Field(band_text(r.high));
        if (options.output.with_provenance) csv.Field(r.provenance.ToString());
        csv.EndRow();
      }
      break;
    }
    case Format::kJson: {
      ordered_json indicators = ordered_json::array();
      for (const auto& meta : metas) {
        indicators.push_back({{"name", meta.name},
                              {"kind", store::KindName(meta.kind)},
                              {"unit", meta.unit},
                              {"notes", meta.notes}});
      }
      ordered_json values = ordered_json::array();
      for (const Row& r : rows) {
        ordered_json item = {{"indicator", r.indicator}, {"vintage", r.vintage}};
        if (pairs) {
          item[first] = r.a;
          item[second] = r.b;
        } else {
          item["region"] = r.a;
          item["region_name"] = RegionName(r.vintage, r.a);
        }
        item["year"] = r.year;
        if (flows && !r.period.empty()) item["period"] = r.period;
        item["value"] = r.value;
        if (r.low) item["low"] = *r.low;
        if (r.high) item["high"] = *r.high;
        item["provenance"] = ProvenanceJson(r.provenance);
        values.push_back(std::move(item));
      }
      out.stream() << ordered_json{{"dataset", options.dataset},
                                   {"indicators", indicators},
                                   {"values", values}}
                          .dump(2)
                   << '\n';
      break;
    }
    case Format::kTable: {
      std::vector<std::string> header = {"indicator", "vintage", first};
      if (pairs) header.push_back(second);
      header.insert(header.end(), {"year", "value"});
      if (bands) header.insert(header.end(), {"low", "high"});
      if (options.output.with_provenance) header.push_back("provenance");
      TextTable table(header);
      for (const Row& r : rows) {
        std::vector<std::string> cells = {r.indicator, r.vintage,
                                          pairs ? r.a : RegionName(r.vintage, r.a)};
        if (pairs) cells.push_back(r.b);
        cells.push_back(flows && !r.period.empty() ? r.period : std::to_string(r.year));
        cells.push_back(HumanNumber(r.value, r.value == std::floor(r.value) ? 0 : 2));
        if (bands) {
          for (const auto& v : {r.low, r.high}) {
            cells.push_back(v ? HumanNumber(*v, *v == std::floor(*v) ? 0 : 2) : "");
          }
        }
        if (options.output.with_provenance) cells.push_back(r.provenance.ToString());
        table.AddRow(cells);
      }
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

// ---- import -----------------------------------------------------------------------------------

const std::vector<std::string> kImportFormats = {
    "tidy-series", "tidy-flows",    "tidy-stocks",        "bns-6584",     "kato-json",
    "econdata",    "cis-migration", "internal-migration", "undesa-stock", "abel-flows"};

struct ImportOptions {
  std::string format;
  std::string file;
  std::string indicator;
  std::string unit;
  std::string vintage = "kz-2022";
  std::string source;
  std::string detail;
  bool estimated = false;
  std::string notes;
  int year = 0;
  std::string dataset = std::string(store::kBuiltinDataset);
  std::string crosswalk;
  std::string countries;
  std::string focus = "KAZ";
};

store::Batch ReadImport(const ImportOptions& o) {
  const importers::RegionNames names = o.crosswalk.empty()
                                           ? importers::RegionNames()
                                           : importers::RegionNames::FromCrosswalk(o.crosswalk);
  if (o.format.starts_with("tidy-")) {
    if (o.indicator.empty()) throw UsageError("--indicator is required for tidy formats");
    if (o.source.empty()) throw UsageError("--source is required for tidy formats");
    importers::TidyOptions options{o.indicator, o.unit, o.vintage,
                                   o.estimated ? Provenance::Estimated(o.source, o.detail)
                                               : Provenance::Official(o.source, o.detail),
                                   o.notes};
    if (o.format == "tidy-series") return importers::ImportTidySeries(o.file, options);
    if (o.format == "tidy-flows") return importers::ImportTidyFlows(o.file, options);
    return importers::ImportTidyStocks(o.file, options);
  }
  if (o.format == "bns-6584") return importers::ImportBns6584(o.file, names);
  if (o.format == "kato-json") return importers::ImportKatoJson(o.file);
  if (o.format == "econdata") return importers::ImportEcondataSeries(o.file, names, o.indicator);
  if (o.format == "cis-migration") return importers::ImportCisMigration(o.file);
  if (o.format == "internal-migration") {
    const auto year =
        o.year != 0 ? std::optional<int>(o.year) : importers::YearFromFileName(o.file);
    if (!year) throw UsageError("--year is required (the file name holds no year)");
    return importers::ImportInternalMigration(o.file, *year, names);
  }
  if (o.countries.empty()) {
    throw UsageError("--countries FILE (country-metadata-flags.csv) is required for " + o.format);
  }
  const auto countries = importers::CountryNames::FromMetadata(o.countries);
  if (o.format == "undesa-stock") return importers::ImportUnStock(o.file, countries, o.focus);
  return importers::ImportAbelFlows(o.file, countries, o.focus);
}

void RunImport(const Globals& globals, const ImportOptions& options) {
  store::Batch batch = ReadImport(options);  // parse and validate everything first
  batch.dataset = options.dataset;
  store::Store db = OpenStore(globals);
  db.Write(batch);
  std::string names;
  for (const auto& meta : batch.indicators) names += (names.empty() ? "" : ", ") + meta.name;
  Say(globals, fmt::format("kazmig: imported {} values into dataset '{}' ({})", batch.size(),
                           options.dataset, names));
}

// ---- check ------------------------------------------------------------------------------------

struct CheckOptions {
  std::string dataset = std::string(store::kBuiltinDataset);
  OutputOptions output;
};

void RunCheck(const Globals& globals, const CheckOptions& options) {
  store::Store db = OpenStore(globals);
  const store::CheckReport report = store::RunChecks(db, options.dataset);
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      io::CsvWriter csv(out.stream());
      csv.Row("check", "region", "year", "expected", "actual", "residual", "status", "note");
      for (const auto& check : report.checks) {
        for (const auto& r : check.rows) {
          csv.Field(check.name).Field(r.region).Field(r.year);
          if (r.computed) {
            csv.Field(r.expected).Field(r.actual).Field(r.residual);
          } else {
            csv.Field("").Field("").Field("");
          }
          csv.Field(r.status).Field(r.note).EndRow();
        }
      }
      break;
    }
    case Format::kJson: {
      ordered_json checks = ordered_json::array();
      for (const auto& check : report.checks) {
        ordered_json rows = ordered_json::array();
        for (const auto& r : check.rows) {
          ordered_json item = {{"region", r.region}, {"year", r.year}};
          if (r.computed) {
            item["expected"] = r.expected;
            item["actual"] = r.actual;
            item["residual"] = r.residual;
          }
          item["status"] = r.status;
          if (!r.note.empty()) item["note"] = r.note;
          rows.push_back(std::move(item));
        }
        checks.push_back({{"name", check.name},
                          {"description", check.description},
                          {"assertion", check.assertion},
                          {"tolerance", check.tolerance},
                          {"passed", check.passed},
                          {"summary", check.summary},
                          {"rows", rows}});
      }
      out.stream() << ordered_json{{"dataset", options.dataset},
                                   {"passed", report.passed()},
                                   {"checks", checks}}
                          .dump(2)
                   << '\n';
      break;
    }
    case Format::kTable: {
      for (const auto& check : report.checks) {
        out.stream() << fmt::format("== {} [{}] {}\n   {}\n   tolerance: {}\n   {}\n\n", check.name,
                                    check.assertion ? "assertion" : "information",
                                    check.passed ? "PASS" : "FAIL", check.description,
                                    check.tolerance, check.summary);
        TextTable table({"region", "year", "expected", "actual", "residual", "status", "note"});
        for (const auto& r : check.rows) {
          table.AddRow({r.region, std::to_string(r.year),
                        r.computed ? HumanNumber(r.expected, 1) : "",
                        r.computed ? HumanNumber(r.actual, 1) : "",
                        r.computed ? HumanNumber(r.residual, 1) : "", r.status, r.note});
        }
        table.Print(out.stream());
        out.stream() << '\n';
      }
      out.stream() << (report.passed() ? "All assertions hold.\n"
                                       : "Some assertions FAILED (see above).\n");
      break;
    }
  }
  out.Commit();
  for (const auto& check : report.checks) {
    Say(globals,
        fmt::format("{}: {} — {}", check.name, check.passed ? "ok" : "FAILED", check.summary));
  }
  if (!report.passed()) throw ComputeError("kazmig data check: an assertion failed");
}

// ---- build-builtin ----------------------------------------------------------------------------

struct BuildOptions {
  std::string from = "../shared/data";
  std::string out = "data/kz";
};

void RunBuild(const Globals& globals, const BuildOptions& options) {
  const app::BuildBuiltinResult built = app::BuildBuiltinDataset(options.from, options.out);
  Say(globals, fmt::format("kazmig: wrote {} values of {} indicators to {}", built.values,
                           built.indicators, options.out));
}

// ---- setup ------------------------------------------------------------------------------------

void Setup(CLI::App& app, Globals& globals) {
  auto* data = app.add_subcommand("data", "The store and Kazakhstan's built-in dataset");
  data->require_subcommand(1);

  auto init = std::make_shared<InitOptions>();
  auto* init_cmd =
      data->add_subcommand("init", "Load the built-in dataset (data/kz) into the database");
  init_cmd->add_flag("--force", init->force, "Reload even when already loaded");
  init_cmd->callback([&globals, init] { RunInit(globals, *init); });

  auto list = std::make_shared<ListOptions>();
  auto* list_cmd = data->add_subcommand("list", "List the indicators of a dataset");
  list_cmd->add_option("--dataset", list->dataset, "Dataset name")->capture_default_str();
  AddOutputOptions(list_cmd, list->output);
  list_cmd->callback([&globals, list] { RunList(globals, *list); });

  auto show = std::make_shared<ShowOptions>();
  auto* show_cmd = data->add_subcommand(
      "show",
      "Show the values of an indicator ('population' shows population_jan1 and "
      "population_avg)");
  show_cmd->add_option("indicator", show->indicator, "Indicator name (see `kazmig data list`)")
      ->required();
  show_cmd->add_option("--region", show->region,
                       "Region: KATO, ISO or name (any language), KZ for national, or ISO3");
  show_cmd->add_option("--year", show->year, "Only this year");
  show_cmd->add_option("--vintage", show->vintage, "Only this boundary vintage");
  show_cmd->add_option("--dataset", show->dataset, "Dataset name")->capture_default_str();
  AddOutputOptions(show_cmd, show->output, /*provenance_flag=*/true);
  show_cmd->callback([&globals, show] { RunShow(globals, *show); });

  auto imp = std::make_shared<ImportOptions>();
  auto* import_cmd = data->add_subcommand(
      "import", "Import a file into the database in one transaction (a bad file changes nothing)");
  import_cmd->add_option("--format", imp->format, "Input format")
      ->required()
      ->check(CLI::IsMember(kImportFormats));
  import_cmd->add_option("file", imp->file, "Input file")->required();
  import_cmd->add_option("--indicator", imp->indicator, "Indicator name (tidy formats, econdata)");
  import_cmd->add_option("--unit", imp->unit, "Unit (tidy formats)");
  import_cmd
      ->add_option("--vintage", imp->vintage,
                   "Region system of the ids (tidy formats): kz-2009, kz-2018, kz-2022, "
                   "or any name (ids kept as written)")
      ->capture_default_str();
  import_cmd->add_option("--source", imp->source, "Source of the values (tidy formats)");
  import_cmd->add_option("--detail", imp->detail, "Table, release date, notes (tidy formats)");
  import_cmd->add_flag("--estimated", imp->estimated,
                       "The values are estimates (--source names the method)");
  import_cmd->add_option("--notes", imp->notes, "Definition and caveats of a new indicator");
  import_cmd->add_option("--year", imp->year, "Year (internal-migration; default from file name)");
  import_cmd->add_option("--dataset", imp->dataset, "Dataset to import into")
      ->capture_default_str();
  import_cmd->add_option("--crosswalk", imp->crosswalk,
                         "Region crosswalk CSV (kz_regions_crosswalk.csv) for region names");
  import_cmd->add_option("--countries", imp->countries,
                         "Country metadata CSV (undesa-stock, abel-flows)");
  import_cmd
      ->add_option("--focus", imp->focus,
                   "ISO3 whose rows and columns are kept (undesa-stock, abel-flows; empty "
                   "= world)")
      ->capture_default_str();
  import_cmd->callback([&globals, imp] { RunImport(globals, *imp); });

  auto check = std::make_shared<CheckOptions>();
  check->output.format = "table";
  auto* check_cmd = data->add_subcommand(
      "check", "Consistency checks: sums to national totals, internal nets, accounting residuals");
  check_cmd->add_option("--dataset", check->dataset, "Dataset name")->capture_default_str();
  AddOutputOptions(check_cmd, check->output);
  check_cmd->callback([&globals, check] { RunCheck(globals, *check); });

  auto build = std::make_shared<BuildOptions>();
  auto* build_cmd = data->add_subcommand("build-builtin",
                                         "(developers) Rebuild data/kz from the collected sources");
  build_cmd->add_option("--from", build->from, "Folder of the collected sources")
      ->capture_default_str();
  build_cmd->add_option("--out", build->out, "Output folder")->capture_default_str();
  build_cmd->callback([&globals, build] { RunBuild(globals, *build); });
}

const bool registered = RegisterCommand({"data", 20, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig data <init|list|show|import|check|build-builtin>`: the store and its built-in dataset.
// Parse -> app/data.h use case -> write.
//
//   kazmig data init                                   load data/kz into the database (idempotent)
//   kazmig data list                                   indicators, coverage, provenance kinds
//   kazmig data show population --region 75 --format json
//   kazmig data import --format tidy-series pop.csv --indicator population_avg --source "BNS 6576"
//   kazmig data check                                  consistency checks with residuals
//   kazmig data build-builtin --from ../shared/data --out data/kz     (developers)
#include "kazmig/app/data.h"

#include <fmt/format.h>

#include <string>

#include "command.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/error.h"

namespace kazmig::cli {
namespace {

app::DataStore Where(const Globals& globals, const std::string& dataset) {
  return {globals.ResolvedDbPath(), BuiltinDataDir(), dataset};
}

// Writes `text` to stdout or --output.
void Write(const OutputOptions& options, const std::string& text) {
  Output out(options);
  out.stream() << text;
  out.Commit();
}

struct InitOptions {
  bool force = false;
};

void RunInit(const Globals& globals, const InitOptions& options) {
  const app::DataInitResult result =
      app::InitBuiltin(Where(globals, std::string(app::kBuiltinDatasetName)), options.force);
  Say(globals, fmt::format("kazmig: built-in dataset 'kz' ready in {}: {} indicators, {} values",
                           globals.ResolvedDbPath(), result.indicators, result.values));
}

struct ListOptions {
  std::string dataset = std::string(app::kBuiltinDatasetName);
  OutputOptions output;
};

void RunList(const Globals& globals, const ListOptions& options) {
  Write(options.output, app::ListIndicators(Where(globals, options.dataset),
                                            app::ParseFormat(options.output.format)));
}

struct ShowOptions {
  app::DataShowRequest request;
  std::string dataset = std::string(app::kBuiltinDatasetName);
  OutputOptions output;
};

void RunShow(const Globals& globals, ShowOptions options) {
  options.request.with_provenance = options.output.with_provenance;
  Write(options.output, app::ShowIndicator(Where(globals, options.dataset), options.request,
                                           app::ParseFormat(options.output.format)));
}

struct ImportOptions {
  app::DataImportRequest request;
  std::string dataset = std::string(app::kBuiltinDatasetName);
};

void RunImport(const Globals& globals, const ImportOptions& options) {
  const app::DataImportResult result =
      app::ImportFile(Where(globals, options.dataset), options.request);
  Say(globals, fmt::format("kazmig: imported {} values into dataset '{}' ({})", result.values,
                           options.dataset, result.indicators));
}

struct CheckOptions {
  std::string dataset = std::string(app::kBuiltinDatasetName);
  OutputOptions output;
};

void RunCheck(const Globals& globals, const CheckOptions& options) {
  const app::DataCheckResult result =
      app::CheckDataset(Where(globals, options.dataset), app::ParseFormat(options.output.format));
  Write(options.output, result.output);
  for (const std::string& line : result.lines) Say(globals, line);
  if (!result.passed) throw ComputeError("kazmig data check: an assertion failed");
}

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
  show_cmd
      ->add_option("indicator", show->request.indicator, "Indicator name (see `kazmig data list`)")
      ->required();
  show_cmd->add_option(
      "--region", show->request.region,
      "Region (KATO, ISO or name in any language; KZ for national) or country (ISO3 "
      "or name in English, Russian or Kazakh); unknown: exit 3");
  show_cmd->add_option("--year", show->request.year, "Only this year (none with data: exit 3)");
  show_cmd->add_option("--vintage", show->request.vintage, "Only this boundary vintage");
  show_cmd->add_option("--dataset", show->dataset, "Dataset name")->capture_default_str();
  show_cmd->add_flag("--wide", show->request.wide,
                     "Flows as a matrix per year: origins as rows, destinations as columns, with "
                     "totals (table: names and codes; csv: ids)");
  AddOutputOptions(show_cmd, show->output, /*provenance_flag=*/true);
  show_cmd->callback([&globals, show] { RunShow(globals, *show); });

  auto imp = std::make_shared<ImportOptions>();
  auto* import_cmd = data->add_subcommand(
      "import", "Import a file into the database in one transaction (a bad file changes nothing)");
  import_cmd->add_option("--format", imp->request.format, "Input format")
      ->required()
      ->check(CLI::IsMember(app::ImportFormats()));
  import_cmd->add_option("file", imp->request.file, "Input file")->required();
  import_cmd->add_option("--indicator", imp->request.indicator,
                         "Indicator name (tidy formats, econdata)");
  import_cmd->add_option("--unit", imp->request.unit, "Unit (tidy formats)");
  import_cmd
      ->add_option("--vintage", imp->request.vintage,
                   "Region system of the ids (tidy formats): kz-2009, kz-2018, kz-2022, "
                   "or any name (ids kept as written)")
      ->capture_default_str();
  import_cmd->add_option("--source", imp->request.source, "Source of the values (tidy formats)");
  import_cmd->add_option("--detail", imp->request.detail,
                         "Table, release date, notes (tidy formats)");
  import_cmd->add_flag("--estimated", imp->request.estimated,
                       "The values are estimates (--source names the method)");
  import_cmd->add_option("--notes", imp->request.notes,
                         "Definition and caveats of a new indicator");
  import_cmd->add_option("--year", imp->request.year,
                         "Year (internal-migration; default from file name)");
  import_cmd->add_option("--dataset", imp->dataset, "Dataset to import into")
      ->capture_default_str();
  import_cmd->add_option("--crosswalk", imp->request.crosswalk,
                         "Region crosswalk CSV (kz_regions_crosswalk.csv) for region names");
  import_cmd->add_option("--countries", imp->request.countries,
                         "Country metadata CSV (undesa-stock, abel-flows)");
  import_cmd
      ->add_option("--focus", imp->request.focus,
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

// `kazmig compare`: scenarios side by side in one year (app/project.h, CompareScenarios).
#include <memory>

#include "command.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/project.h"
#include "kazmig/app/scenarios.h"

namespace kazmig::cli {
namespace {

struct CompareOptions {
  app::CompareRequest request;
  std::string dataset = "kz";
  std::string scenarios;
  OutputOptions output;
};

void Run(const Globals& globals, CompareOptions& options) {
  options.request.projection.scenarios = app::SplitScenarioList(options.scenarios);
  options.request.projection.threads = globals.threads;
  const app::Format format = app::ParseFormat(options.output.format);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::CompareResult result = app::CompareScenarios(kz, options.request);
  for (const std::string& note : result.projection.notes) Note(globals, note);
  Output out(options.output);
  out.stream() << result.table.Encode(format, options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<CompareOptions>();
  app::ProjectRequest& projection = options->request.projection;
  auto* cmd = app.add_subcommand(
      "compare",
      "Scenarios side by side: population by region, change from the base year, difference from "
      "the baseline with its 95% interval, shares of the north, the south and the cities");
  cmd->add_option("--scenarios", options->scenarios,
                  "Scenarios, comma-separated (NAME or FILE.json; '+' composes); the baseline is "
                  "always included")
      ->required();
  cmd->add_option("--year", projection.to, "Year compared (1 January)")->capture_default_str();
  cmd->add_option("--dataset", options->dataset, "'kz' (the built-in data)")
      ->check(CLI::IsMember({"kz"}))
      ->capture_default_str();
  cmd->add_option("--from", projection.from, "Base year")->capture_default_str();
  cmd->add_option("--draws", projection.draws, "Draws")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--seed", projection.seed, "Random seed")->capture_default_str();
  cmd->add_option("--iterations", projection.net_model.iterations,
                  "Net migration model: iterations per chain")
      ->check(CLI::Range(2, 10'000'000))
      ->capture_default_str();
  cmd->add_option("--burn-in", projection.net_model.burn_in, "Net migration model: burn-in")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);
  cmd->callback([options, &globals] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"compare", 61, &Setup});

}  // namespace
}  // namespace kazmig::cli

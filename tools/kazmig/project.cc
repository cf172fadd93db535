// `kazmig project`: probabilistic regional projections of the built-in data under scenarios, and
// `kazmig project backtest` (app/project.h). Other commands add subcommands to `project` (fit,
// cohort): its own callback does nothing when one of them was chosen.
#include "kazmig/app/project.h"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "command.h"
#include "kazmig/app/paths.h"
#include "kazmig/app/scenarios.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"

namespace kazmig::cli {
namespace {

struct ProjectOptions {
  app::ProjectRequest request;
  std::string dataset = "kz";
  std::string scenarios = "baseline";
  bool no_store = false;
  OutputOptions output;
};

struct BacktestOptions {
  app::BacktestRequest request;
  std::string dataset = "kz";
  OutputOptions output;
};

void AddModelOptions(CLI::App* cmd, app::NetModelSettings& settings) {
  cmd->add_option("--chains", settings.chains, "Net migration model: MCMC chains")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--iterations", settings.iterations,
                  "Net migration model: iterations per chain (burn-in included)")
      ->check(CLI::Range(2, 10'000'000))
      ->capture_default_str();
  cmd->add_option("--burn-in", settings.burn_in, "Net migration model: burn-in iterations")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--thin", settings.thin, "Net migration model: keep every n-th iteration")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
}

void RunProject(const Globals& globals, ProjectOptions& options) {
  options.request.scenarios = app::SplitScenarioList(options.scenarios);
  options.request.threads = globals.threads;
  // Under mpiexec the draws are split across the ranks (app/project.h); rank 0 writes and stores.
  const MpiWorld world = World();
  options.request.split_across_ranks = world.size > 1;
  app::Format format = app::Format::kCsv;
  std::optional<app::KzDataset> kz;
  const auto open = [&] {
    format = app::ParseFormat(options.output.format);
    kz.emplace(app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir()));
  };
  if (world.size > 1) {
    // Rank 0 first: opening may create the store; failures are agreed on (reported once).
    AgreeOnFailure([&] {
      if (world.root()) open();
    });
    AgreeOnFailure([&] {
      if (!world.root()) open();
    });
  } else {
    open();
  }
  const app::ProjectionResult result = app::ProjectScenarios(*kz, options.request);
  if (!result.is_root) return;
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(options.output);
  if (format == app::Format::kJson) {
    out.stream() << app::ProjectionJson(result).dump(2) << '\n';
  } else {
    out.stream() << app::ProjectionTable(result).Encode(format, options.output.with_provenance);
  }
  out.Commit();
  if (!options.no_store) {
    const long long run_id = app::StoreProjection(*kz, result);
    Note(globals,
         fmt::format("stored as projection run {} (scenario text, seed and settings)", run_id));
  }
}

void RunBacktest(const Globals& globals, BacktestOptions& options) {
  options.request.threads = globals.threads;
  const app::Format format = app::ParseFormat(options.output.format);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::BacktestResult result = app::RunBacktest(kz, options.request);
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(options.output);
  out.stream() << result.table.Encode(format, options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<ProjectOptions>();
  auto* cmd = app.add_subcommand(
      "project",
      "Probabilistic regional projections (median, 80% and 95% intervals) of population and its "
      "components under scenarios");
  cmd->add_option("--dataset", options->dataset, "Data to project: 'kz' (the built-in data)")
      ->check(CLI::IsMember({"kz"}))
      ->capture_default_str();
  cmd->add_option("--from", options->request.from,
                  "Base year: population on 1 January (2004-2023 official, 2024-2025 by "
                  "accounting)")
      ->capture_default_str();
  cmd->add_option("--to", options->request.to, "Last year projected (1 January)")
      ->capture_default_str();
  cmd->add_option("--scenario", options->scenarios,
                  "Scenarios side by side, comma-separated: NAME (built-in: baseline, "
                  "resettlement-quota, kandas-inflow, emigration-shock, relocant-inflow, "
                  "urban-pull) or FILE.json; join with '+' to compose")
      ->capture_default_str();
  cmd->add_option("--draws", options->request.draws, "Draws (trajectories)")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--seed", options->request.seed, "Random seed")->capture_default_str();
  AddModelOptions(cmd, options->request.net_model);
  cmd->add_flag("--no-store", options->no_store,
                "Do not store the run (scenario text, seed, settings, results) in the database");
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);

  auto backtest = std::make_shared<BacktestOptions>();
  auto* backtest_cmd = cmd->add_subcommand(
      "backtest",
      "Fit on data up to a year, project the following years and score them against the "
      "official population (coverage, MAPE), with two naive benchmarks");
  backtest_cmd->add_option("--dataset", backtest->dataset, "'kz' (the built-in data)")
      ->check(CLI::IsMember({"kz"}))
      ->capture_default_str();
  backtest_cmd->add_option("--fit-to", backtest->request.fit_to, "Base year of the backtest")
      ->capture_default_str();
  backtest_cmd->add_option("--to", backtest->request.to, "Last year scored (1 January)")
      ->capture_default_str();
  backtest_cmd->add_option("--draws", backtest->request.draws, "Draws")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  backtest_cmd->add_option("--seed", backtest->request.seed, "Random seed")->capture_default_str();
  AddModelOptions(backtest_cmd, backtest->request.net_model);
  AddOutputOptions(backtest_cmd, backtest->output, /*provenance_flag=*/true);
  backtest_cmd->callback([backtest, &globals] { RunBacktest(globals, *backtest); });

  cmd->callback([cmd, options, &globals] {
    if (!cmd->get_subcommands().empty()) return;  // backtest, fit, cohort, ... ran
    RunProject(globals, *options);
  });
}

const bool registered = RegisterCommand({"project", 60, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig project fit`: the Bayesian hierarchical AR(1) net-migration model (bayesMig's) fitted to
// a user's series of rates, printing posterior summaries and convergence diagnostics. The use case
// is app/project_fit.h; this file parses the command line and writes its result.
//
//   kazmig project fit --series rates.csv --format json
//   kazmig project fit --series rates.csv --chains 4 --iterations 40000 --burn-in 10000 --thin 20
//
// `fit` is a subcommand of the top-level `project` command. That command is registered by its own
// file (project.cc) with a lower order, so it exists when this Setup runs; alone (a build without
// it) this file creates a bare `project` that only holds subcommands. A `project` callback must
// return early when a subcommand ran (CLI11 runs the parent's callback too).
#include "kazmig/app/project_fit.h"

#include <iostream>
#include <memory>
#include <string>

#include "command.h"
#include "kazmig/app/result_table.h"

namespace kazmig::cli {
namespace {

struct FitOptions {
  app::ProjectFitRequest request;
  OutputOptions output;
};

void Warn(const Globals& globals, const std::string& text) {
  if (!globals.quiet) std::cerr << "kazmig: warning: " << text << '\n';
}

void RunFit(const Globals& globals, FitOptions& options) {
  options.request.settings.threads = globals.threads;
  const app::ProjectFitResult result = app::RunProjectFit(options.request);
  for (const std::string& warning : result.fit.warnings) Warn(globals, warning);
  Output out(options.output);
  out.stream() << app::EncodeProjectFit(result, app::ParseFormat(options.output.format),
                                        options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  CLI::App* project = nullptr;
  try {
    project = app.get_subcommand("project");
  } catch (const CLI::OptionNotFound&) {
    project = app.add_subcommand("project", "Projections of regional populations and migration");
    project->require_subcommand(1);
  }
  auto options = std::make_shared<FitOptions>();
  project::NetMigrationSettings& settings = options->request.settings;
  auto* cmd = project->add_subcommand(
      "fit",
      "Fit the Bayesian hierarchical AR(1) net-migration model (bayesMig's) to unit,year,value "
      "rates per 1,000: posterior summaries of mu, phi, sigma per unit and of the global "
      "parameters, with R-hat and effective sample size");
  cmd->add_option("--series", options->request.series,
                  "Rates per 1,000 by unit and year (unit,year,value); each unit at least 3 "
                  "consecutive years, at least 2 units")
      ->required();
  cmd->add_option("--chains", settings.chains, "Markov chains (each its own seeded stream)")
      ->capture_default_str();
  cmd->add_option("--iterations", settings.iterations, "Iterations per chain, burn-in included")
      ->capture_default_str();
  cmd->add_option("--burn-in", settings.burn_in, "Iterations discarded at the start of each chain")
      ->capture_default_str();
  cmd->add_option("--thin", settings.thin, "Keep every n-th iteration after burn-in")
      ->capture_default_str();
  cmd->add_option("--seed", settings.seed, "Random seed (same seed, same output)")
      ->capture_default_str();
  AddOutputOptions(cmd, options->output, true);
  cmd->callback([&globals, options] { RunFit(globals, *options); });
}

// After `project` (its own file) so that the command exists; see the top of the file.
const bool registered = RegisterCommand({"project fit", 999, &Setup});

}  // namespace
}  // namespace kazmig::cli

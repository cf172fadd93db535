// `kazmig model gravity`: the spatial-interaction family (unconstrained, production-, attraction-,
// doubly-constrained; exponential or power cost) on a modelling table, with spint's estimates and
// fit statistics. The use case is app/gravity.h; this file parses the command line and writes its
// result. It adds itself to the `model` command (registered before it, by the fixed-effects
// models), or creates that command when it is absent.
//
//   kazmig model gravity --data flows.csv --cost-var dij --cost exp --constraint doubly
//   kazmig model gravity --data flows.csv --flow flow --cost-var dij --cost pow
//       --origin-vars pop --dest-vars pop_d,income_d --constraint none --format table
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "kazmig/app/gravity.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"

namespace kazmig::cli {
namespace {

struct GravityOptions {
  app::GravityRequest request;
  OutputOptions output;
};

void Run(const Globals& globals, GravityOptions& options) {
  options.request.threads = ResolveThreads(globals.threads);
  const app::GravityResult result = app::RunGravity(options.request);
  for (const std::string& note : result.notes) Note(globals, note);
  if (!result.fit.converged) {
    throw ComputeError(fmt::format(
        "model gravity: the {} fit did not converge after {} iterations (remaining relative "
        "change {:g})",
        result.fit.solver, result.fit.iterations, result.fit.remaining_change));
  }
  Output out(options.output);
  out.stream() << app::EncodeGravity(result, app::ParseFormat(options.output.format));
  out.Commit();
}

// The `model` command: registered by the fixed-effects models; created here when absent.
CLI::App* ModelCommand(CLI::App& app) {
  try {
    return app.get_subcommand("model");
  } catch (const CLI::OptionNotFound&) {
    auto* model = app.add_subcommand("model", "Fit regression and spatial-interaction models");
    model->require_subcommand(1);
    return model;
  }
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<GravityOptions>();
  app::GravityRequest& request = options->request;
  auto* cmd = ModelCommand(app)->add_subcommand(
      "gravity",
      "Spatial-interaction (gravity) models as Poisson regressions, as PySAL spint fits them: "
      "unconstrained, production-, attraction- or doubly-constrained, exponential or power cost");
  cmd->add_option("--data", request.data, "Modelling table (CSV), one row per flow")->required();
  cmd->add_option("--flow", request.flow, "Column of the flows (>= 0)")->capture_default_str();
  cmd->add_option("--orig", request.orig, "Column of the origin ids")->capture_default_str();
  cmd->add_option("--dest", request.dest, "Column of the destination ids")->capture_default_str();
  cmd->add_option("--cost-var", request.cost_var, "Column of the cost (distance, time)")
      ->required();
  cmd->add_option("--cost", request.cost,
                  "Cost function: exp (exp(beta c)) or pow (c^beta, needs c > 0)")
      ->check(CLI::IsMember({"exp", "pow"}))
      ->capture_default_str();
  cmd->add_option("--origin-vars", request.origin_vars,
                  "Origin attributes (columns, > 0; entered as logarithms): none, attraction")
      ->delimiter(',');
  cmd->add_option("--dest-vars", request.dest_vars,
                  "Destination attributes (columns, > 0; entered as logarithms): none, production")
      ->delimiter(',');
  cmd->add_option("--constraint", request.constraint,
                  "none (gravity), production (origin effects), attraction (destination effects) "
                  "or doubly (both)")
      ->check(CLI::IsMember({"none", "production", "attraction", "doubly"}))
      ->capture_default_str();
  cmd->add_flag("--fixef", request.fixef,
                "Also report the origin and destination effects (orig:<id>, dest:<id>)");
  cmd->add_flag("--converge", request.converge,
                "Iterate to convergence (the MLE) instead of stopping as spint does (smallest "
                "coefficient change < 1e-6); differences are about 1e-8 in the statistics");
  AddOutputOptions(cmd, options->output);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

// After `model` (the fixed-effects models), which registers at a lower order.
const bool registered = RegisterCommand({"model gravity", 75, &Setup});

}  // namespace
}  // namespace kazmig::cli

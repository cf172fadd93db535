// `kazmig model ...`: regressions with high-dimensional fixed effects on a modelling table.
//
//   kazmig model ppml --data panel.csv --y flow --x log_stock --fe orig_period,dest_period,pair
//       --cluster pair --format json
//   kazmig model ols --data panel.csv --y net_rate --x log_income,unemployment --fe region,year
//       --cluster region --format table
//
// Lists of columns are comma-separated (or repeated). Output: the coefficient table (term,
// estimate, std_error, z|t, p, ci_low, ci_high) as CSV or text, or the JSON document; --fixef-out
// writes the fixed-effect estimates (fe,level,estimate). The use cases are in app/model.h.
// Other subcommands of `model` (e.g. `model gravity`) register themselves from their own files by
// looking up this command.
#include "kazmig/app/model.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/atomic_file.h"

namespace kazmig::cli {
namespace {

struct ModelOptions {
  app::ModelRequest request;
  std::string fixef_out;
  bool timings = false;
  OutputOptions output;
};

void Run(const Globals& globals, ModelOptions& options, bool ppml) {
  options.request.threads = ResolveThreads(globals.threads);
  options.request.fixef = !options.fixef_out.empty();
  RequireDistinctOutputs({{"--output", options.output.output}, {"--fixef-out", options.fixef_out}});
  const app::Format format = app::ParseFormat(options.output.format);
  const app::ModelResult result =
      ppml ? app::RunModelPpml(options.request) : app::RunModelOls(options.request);
  for (const std::string& note : result.notes) Note(globals, note);
  if (options.timings) {
    // On stderr even with --quiet: asked for explicitly (benchmarks).
    std::cerr << fmt::format("kazmig: timings: read {:.3f} s, fit {:.3f} s ({} threads)\n",
                             result.read_seconds, result.fit_seconds, options.request.threads);
  }
  if (!result.converged) throw ComputeError(result.failure);
  if (!options.fixef_out.empty()) {
    if (result.fixef.row_count() == 0 && options.request.fe.empty()) {
      throw UsageError("--fixef-out needs fixed effects (--fe)");
    }
    io::WriteFileAtomically(options.fixef_out, result.fixef.Csv());
  }
  Output out(options.output);
  out.stream() << app::EncodeModel(result, format);
  out.Commit();
}

void AddCommon(CLI::App* cmd, ModelOptions& options, bool ppml) {
  app::ModelRequest& request = options.request;
  cmd->add_option("--data", request.data, "Modelling table (CSV with a header row)")->required();
  cmd->add_option("--y", request.y, "Outcome column")->required();
  cmd->add_option("--x", request.x, "Covariate columns (comma-separated)")
      ->required()
      ->delimiter(',');
  auto* fe = cmd->add_option("--fe", request.fe,
                             "Fixed-effect columns (comma-separated; any text is a level)")
                 ->delimiter(',');
  if (ppml) fe->required();
  if (ppml) {
    cmd->add_option("--offset", request.offset,
                    "Offset column, added to the linear predictor (e.g. log exposure)");
  }
  cmd->add_option("--weights", request.weights, "Observation weights column (positive)");
  cmd->add_option("--cluster", request.cluster,
                  "One or two cluster columns (comma-separated) for clustered standard errors")
      ->delimiter(',');
  cmd->add_option("--se", request.se,
                  "Standard errors: iid, hc1 or cluster (default: cluster with --cluster, else "
                  "iid; cluster without --cluster uses the first fixed effect)")
      ->check(CLI::IsMember({"iid", "hc1", "cluster"}));
  cmd->add_option("--fixef-out", options.fixef_out,
                  "Write the fixed-effect estimates here (fe,level,estimate)");
  cmd->add_flag("--drop-singletons", request.drop_singletons,
                "Drop observations alone in a fixed-effect group (as ppmlhdfe; fixest keeps them)");
  if (ppml) {
    cmd->add_flag("!--no-separation", request.detect_separation,
                  "Skip the separation check (iterative rectifier)");
    cmd->add_option("--max-iterations", request.max_iterations,
                    "Most IRLS iterations before giving up (exit 1)")
        ->capture_default_str();
  }
  cmd->add_flag("--timings", options.timings,
                "Print the wall time of reading the table and of the fit on stderr");
  AddOutputOptions(cmd, options.output);
}

void Setup(CLI::App& app, Globals& globals) {
  auto* model = app.add_subcommand("model",
                                   "Regressions with high-dimensional fixed effects (PPML, OLS "
                                   "within) and the spatial-interaction family (gravity)");
  model->require_subcommand(1);

  auto ppml = std::make_shared<ModelOptions>();
  auto* ppml_cmd = model->add_subcommand(
      "ppml", "Poisson pseudo-maximum likelihood with any number of fixed effects");
  AddCommon(ppml_cmd, *ppml, true);
  ppml_cmd->callback([&globals, ppml] { Run(globals, *ppml, true); });

  auto ols = std::make_shared<ModelOptions>();
  auto* ols_cmd =
      model->add_subcommand("ols", "Linear regression with fixed effects (the within estimator)");
  AddCommon(ols_cmd, *ols, false);
  ols_cmd->callback([&globals, ols] { Run(globals, *ols, false); });
}

const bool registered = RegisterCommand({"model", 42, &Setup});

}  // namespace
}  // namespace kazmig::cli

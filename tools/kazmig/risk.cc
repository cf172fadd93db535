// `kazmig risk`: the regional migration-risk index with its rank bands and early warnings.
//
//   kazmig risk [--year Y] [--data FILE] [--weights equal|pca|FILE] [--normalise minmax|zscore]
//               [--aggregate linear|geometric] [--winsorise P] [--draws 2000] [--seed 1]
//               [--rules FILE] [--scenario NAME] --format csv|json|table
//
// Without --data the components come from the built-in dataset (app/risk.h); the method, the
// weights used and the missing components are in the JSON's "method" and, briefly, in notes on
// stderr. The use case is app::RunRisk; this file parses the options and writes the result.
#include "kazmig/app/risk.h"

#include <memory>

#include "command.h"
#include "kazmig/core/parallel.h"

namespace kazmig::cli {
namespace {

struct RiskOptions {
  app::RiskRequest request;
  OutputOptions output;
};

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<RiskOptions>();
  app::RiskRequest& request = options->request;
  auto* cmd = app.add_subcommand(
      "risk",
      "Regional migration-risk index: scores, ranks, 5-95% rank bands (Monte Carlo), "
      "component contributions and early-warning flags");
  cmd->add_option("--year", request.year,
                  "Year of the index (built-in data: default the latest year with the most "
                  "components)");
  cmd->add_option("--data", request.data,
                  "Components file instead of the built-in ones: region,component,value,direction "
                  "(direction + = more risk, - = less), one year");
  cmd->add_option("--weights", request.weights,
                  "Weights: equal (default), pca, or a file component,weight summing to 1");
  cmd->add_flag("--normalise-weights", request.normalise_weights,
                "Rescale the weights of a weights file to sum to 1 instead of refusing it");
  cmd->add_option("--normalise", request.normalise, "Normalisation: minmax or zscore")
      ->check(CLI::IsMember({"minmax", "zscore"}))
      ->capture_default_str();
  cmd->add_option("--aggregate", request.aggregate, "Aggregation: linear or geometric")
      ->check(CLI::IsMember({"linear", "geometric"}))
      ->capture_default_str();
  cmd->add_option("--winsorise", request.winsorise,
                  "Clamp each component to its P and 100-P percentiles before normalising "
                  "(0 = none)")
      ->capture_default_str();
  cmd->add_option("--draws", request.draws, "Monte Carlo draws of the sensitivity analysis")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  cmd->add_option("--seed", request.seed, "Random seed")->capture_default_str();
  cmd->add_option("--rules", request.rules,
                  "Early-warning rules file: rule,component,test,threshold,years (default: the "
                  "built-in rules)");
  cmd->add_option("--scenario", request.scenario,
                  "Recompute the index on the projected values of this scenario");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] {
    options->request.threads = ResolveThreads(globals.threads);
    if (options->request.data.empty()) {
      options->request.location = {globals.ResolvedDbPath(), BuiltinDataDir()};
    }
    const app::RiskResult result = app::RunRisk(options->request);
    for (const std::string& note : result.notes) Note(globals, note);
    Output out(options->output);
    out.stream() << app::EncodeRisk(result, app::ParseFormat(options->output.format));
    out.Commit();
  });
}

const bool registered = RegisterCommand({"risk", 60, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig factors [--spec regional|gross|international|all]`: what drives Kazakhstan's migration,
// fitted on the built-in official data and stated in plain words (app/factors.h).
#include "kazmig/app/factors.h"

#include "command.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/parallel.h"

namespace kazmig::cli {
namespace {

struct FactorsOptions {
  app::FactorsRequest request;
  OutputOptions output;
};

void Run(const Globals& globals, FactorsOptions options) {
  const app::Format format = app::ParseFormat(options.output.format);
  options.request.threads = ResolveThreads(globals.threads);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::FactorsResult result = app::RunFactors(kz, options.request);
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(options.output);
  out.stream() << app::EncodeFactors(result, format, options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<FactorsOptions>();
  auto* cmd = app.add_subcommand(
      "factors",
      "What drives migration in Kazakhstan: fixed-effects models on the built-in official data, "
      "each factor in plain words with its 95% interval");
  cmd->add_option("--spec", options->request.spec,
                  "regional (balance per 1,000, OLS-FE), gross (arrivals/departures, PPML), "
                  "international (world networks, CIS partners) or all")
      ->check(CLI::IsMember({"regional", "gross", "international", "all"}))
      ->capture_default_str();
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"factors", 75, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig potential --scenario FILE [--survey FILE] [--diaspora FILE] [--horizon YEARS]`: predicted
// flows and regional nets under changed factors, the potential net migration index and the
// repatriation outlook (app/potential.h).
#include "kazmig/app/potential.h"

#include "command.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"

namespace kazmig::cli {
namespace {

struct PotentialOptions {
  app::PotentialRequest request;
  OutputOptions output;
};

void Run(const Globals& globals, PotentialOptions options) {
  const app::Format format = app::ParseFormat(options.output.format);
  options.request.threads = ResolveThreads(globals.threads);
  const auto& r = options.request;
  const int parts = !r.scenario.empty() + !r.survey.empty() + !r.diaspora.empty();
  if (format == app::Format::kCsv && parts > 1) {
    throw UsageError(
        "potential: CSV holds one table; give one of --scenario, --survey, --diaspora, or use "
        "--format json or table");
  }
  // The user's files are read and checked before the store is opened.
  const app::PotentialInputs inputs = app::ReadPotentialInputs(options.request, BuiltinDataDir());
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::PotentialResult result = app::RunPotential(kz, options.request, inputs);
  if (format != app::Format::kTable) {
    for (const std::string& note : result.notes) Note(globals, note);
  }
  Output out(options.output);
  out.stream() << app::EncodePotential(result, format, options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<PotentialOptions>();
  auto* cmd = app.add_subcommand(
      "potential",
      "Migration potential: regional nets under changed factors (scenario file), the potential "
      "net migration index (survey counts) and a repatriation outlook (diaspora table)");
  cmd->add_option("--scenario", options->request.scenario,
                  "CSV region,factor,change,unit (factors: income %, unemployment points, "
                  "housing % or m2_per_1000, grp %; regions: kz-2022 ids or names, or north, "
                  "south, west, center, capital, cities, all)");
  cmd->add_option("--survey", options->request.survey,
                  "CSV area,move_in,move_out,adults: survey counts for the PNMI");
  cmd->add_option("--diaspora", options->request.diaspora,
                  "CSV country,stock[,return_rate]: ethnic Kazakhs abroad by country (ISO3 or "
                  "name); return_rate per 1,000 a year overrides the kandas-implied rate");
  cmd->add_option("--horizon", options->request.horizon,
                  "Years of the repatriation outlook (1-100)")
      ->capture_default_str();
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"potential", 76, &Setup});

}  // namespace
}  // namespace kazmig::cli

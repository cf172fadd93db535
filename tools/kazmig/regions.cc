// `kazmig regions [VINTAGE] [--region ID]`: the regions of a boundary vintage (app/regions.h).
#include "kazmig/app/regions.h"

#include "command.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/region.h"

namespace kazmig::cli {
namespace {

struct RegionsOptions {
  app::RegionsRequest request;
  OutputOptions output;
};

void Run(const RegionsOptions& options) {
  Output out(options.output);
  out.stream() << app::ListRegions(options.request, app::ParseFormat(options.output.format));
  out.Commit();
}

void Setup(CLI::App& app, Globals& /*globals*/) {
  auto options = std::make_shared<RegionsOptions>();
  auto* cmd = app.add_subcommand(
      "regions", "List the regions of a boundary vintage (kz-2009, kz-2018, kz-2022)");
  cmd->add_option("vintage", options->request.vintage, "Region system: kz-2009, kz-2018 or kz-2022")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()))
      ->capture_default_str();
  cmd->add_option("--region", options->request.region,
                  "Show one region (KATO code, ISO code, or a name in English, Kazakh or Russian)");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options] { Run(*options); });
}

const bool registered = RegisterCommand({"regions", 10, &Setup});

}  // namespace
}  // namespace kazmig::cli

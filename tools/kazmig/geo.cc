// `kazmig geo simplify`: the developer command that derives the built-in region boundaries
// (data/kz/regions-2022.geojson, regions-2018.geojson) from the geokz files, keeping shared
// borders identical (app::SimplifyBoundaries, app/regions.h).
#include <fmt/format.h>

#include <iostream>

#include "command.h"
#include "kazmig/app/regions.h"
#include "kazmig/io/atomic_file.h"

namespace kazmig::cli {
namespace {

struct SimplifyOptions {
  app::SimplifyBoundariesRequest request;
  std::string output;
};

void RunSimplify(const Globals& globals, const SimplifyOptions& options) {
  const app::SimplifyBoundariesResult result = app::SimplifyBoundaries(options.request);
  if (options.output.empty()) {
    std::cout << result.geojson;
  } else {
    io::WriteFileAtomically(options.output, result.geojson);
  }
  if (!globals.quiet) {
    std::cerr << fmt::format("{} regions, {} -> {} points, {} bytes{}\n", result.regions,
                             result.points_before, result.points_after, result.geojson.size(),
                             options.output.empty() ? "" : " written to " + options.output);
  }
}

void Setup(CLI::App& app, Globals& globals) {
  auto* geo_cmd = app.add_subcommand("geo", "Developer tools for region boundaries");
  geo_cmd->require_subcommand(1);
  auto options = std::make_shared<SimplifyOptions>();
  auto* cmd = geo_cmd->add_subcommand(
      "simplify",
      "Simplify region boundaries (GeoJSON with KATO codes) with shared borders kept identical.\n"
      "Example: kazmig geo simplify --vintage kz-2022 --input "
      "../shared/data/geokz/kaz_admbnda_adm1_2024.geojson --output data/kz/regions-2022.geojson");
  cmd->add_option("--input", options->request.input, "Source GeoJSON (properties KATO or id)")
      ->required();
  cmd->add_option("--vintage", options->request.vintage,
                  "Region system of the source: kz-2018, kz-2022")
      ->check(CLI::IsMember({"kz-2018", "kz-2022"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", options->output, "Write to FILE (atomically) instead of stdout");
  cmd->add_option("--tolerance-km", options->request.tolerance_km,
                  "Douglas-Peucker tolerance in km")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--decimals", options->request.decimals, "Decimal places of the coordinates")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  cmd->callback([&globals, options] { RunSimplify(globals, *options); });
}

const bool registered = RegisterCommand({"geo", 90, &Setup});

}  // namespace
}  // namespace kazmig::cli

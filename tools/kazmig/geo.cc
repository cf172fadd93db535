// `kazmig geo simplify`: the developer command that derives the built-in region boundaries
// (data/kz/regions-2022.geojson, regions-2018.geojson) from the geokz files, keeping shared
// borders identical (src/kazmig/geo/topology.h).
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "command.h"
#include "kazmig/core/region.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/io/geojson.h"

namespace kazmig::cli {
namespace {

struct SimplifyOptions {
  std::string input;
  std::string vintage = "kz-2022";
  std::string output;
  double tolerance_km = geo::kBoundaryToleranceKm;
  int decimals = geo::kBoundaryDecimals;
};

void RunSimplify(const Globals& globals, const SimplifyOptions& options) {
  const RegionSystem& system = RegionSystem::Builtin(options.vintage);
  const auto source = io::ReadGeoJson(options.input);
  geo::SimplifyOptions simplify = geo::BoundarySimplifyOptions();
  simplify.tolerance_km = options.tolerance_km;
  simplify.decimals = options.decimals;
  const auto regions = geo::PrepareRegionBoundaries(source, system, simplify, options.input);
  std::ostringstream text;
  io::WriteGeoJson(text, regions, options.decimals);
  if (options.output.empty()) {
    std::cout << text.str();
  } else {
    io::WriteFileAtomically(options.output, text.str());
  }
  if (!globals.quiet) {
    size_t before = 0;
    size_t after = 0;
    for (const auto& feature : source) before += feature.PointCount();
    for (const auto& feature : regions) after += feature.PointCount();
    std::cerr << fmt::format("{} regions, {} -> {} points, {} bytes{}\n", regions.size(), before,
                             after, text.str().size(),
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
  cmd->add_option("--input", options->input, "Source GeoJSON (properties KATO or id)")->required();
  cmd->add_option("--vintage", options->vintage, "Region system of the source: kz-2018, kz-2022")
      ->check(CLI::IsMember({"kz-2018", "kz-2022"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", options->output, "Write to FILE (atomically) instead of stdout");
  cmd->add_option("--tolerance-km", options->tolerance_km, "Douglas-Peucker tolerance in km")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--decimals", options->decimals, "Decimal places of the coordinates")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  cmd->callback([&globals, options] { RunSimplify(globals, *options); });
}

const bool registered = RegisterCommand({"geo", 90, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig crosswalk --from VINTAGE --to VINTAGE --input FILE [--kind count|rate]
//  [--weights-year YEAR] [--weights FILE]`: converts region values between Kazakhstan's boundary
// vintages (kz-2009, kz-2018, kz-2022); the use case is app/crosswalk.h.
//
// Input `region,value[,year]` (ids resolved through the --from vintage: KATO, ISO or names, also
// historic ones); output `region,value[,year]` in the --to vintage's order, years in the order
// first met. Counts are split by population weights and summed on merge; rates are copied on
// split and population-weighted on merge. Weights: the average annual population at 2022 borders
// (store indicator population_avg) of --weights-year, by default of the year of each boundary
// change (2018 for Turkistan/Shymkent, 2022 for Abai, Jetisu, Ulytau); or a `region,value` file
// given with --weights. A region absent from the input counts as 0 for counts (sparse input) and
// as missing (NA) for rates. --with-provenance adds a `provenance` column per output row: the
// crosswalk and its method, the input file with the `provenance` values of the input rows that
// contribute to the row (when the input has that column), and the weights with their source.
#include "kazmig/app/crosswalk.h"

#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/region.h"

namespace kazmig::cli {
namespace {

struct CrosswalkOptions {
  app::CrosswalkRequest request;
  OutputOptions output;
};

void Run(const Globals& globals, CrosswalkOptions& options) {
  app::CrosswalkRequest& request = options.request;
  request.with_provenance = options.output.with_provenance;
  request.db = globals.ResolvedDbPath();
  request.builtin_dir = BuiltinDataDir();
  const app::CrosswalkResult result = app::RunCrosswalk(request);
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(options.output);
  out.stream() << app::EncodeCrosswalk(result, app::ParseFormat(options.output.format),
                                       options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<CrosswalkOptions>();
  auto* cmd = app.add_subcommand(
      "crosswalk",
      "Convert region values (region,value[,year]) between boundary vintages: counts are split "
      "by population and summed on merge; rates are copied on split and population-weighted on "
      "merge");
  const std::vector<std::string> vintages = RegionSystem::BuiltinNames();
  cmd->add_option("--from", options->request.from,
                  "Vintage of the input: kz-2009, kz-2018, kz-2022")
      ->required()
      ->check(CLI::IsMember(vintages));
  cmd->add_option("--to", options->request.to, "Vintage of the output: kz-2009, kz-2018, kz-2022")
      ->required()
      ->check(CLI::IsMember(vintages));
  cmd->add_option("--input", options->request.input, "CSV file with columns region,value[,year]")
      ->required();
  cmd->add_option("--kind", options->request.kind, "count (split/sum) or rate (copy/weighted mean)")
      ->check(CLI::IsMember({"count", "rate"}))
      ->capture_default_str();
  cmd->add_option("--weights-year", options->request.weights_year,
                  "Year of the population weights (default: the year of each boundary change, "
                  "2018 or 2022)")
      ->check(CLI::Range(1990, 2100));
  cmd->add_option("--weights", options->request.weights,
                  "CSV region,value of weights at 2022 borders (instead of the store's "
                  "population)")
      ->excludes(cmd->get_option("--weights-year"));
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"crosswalk", 20, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig indicators`: the regularities of internal migration from an origin-destination matrix.
//
//   kazmig indicators --flows flows.csv [--population pop.csv] [--distance dist.csv] --format json
//   kazmig indicators regions --flows flows.csv --population pop.csv
//   kazmig indicators age --rates rates.csv [--fit rc7|rc9|rc11|rc13]
//   kazmig indicators maup --flows f.csv --population p.csv --adjacency edges.csv --k 4,8,16
//   kazmig indicators --dataset kz --year 2023
//
// Inputs: flows `orig,dest,flow[,year]` (diagonal rows ignored), population `region,value[,year]`
// (also `population` or `pop` as the value column), distances `orig,dest,distance` (or `dist`),
// age rates `age,rate` (or `intensity`, `mi`, `value`), adjacency `a,b` edges or GeoJSON polygons.
// With a `year` column in the flows every indicator is computed per year (JSON: an object keyed by
// year; CSV: a leading `year` column). The use cases are in app/indicators.h; this file parses the
// options into their requests and writes the results.
#include "kazmig/app/indicators.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "command.h"
#include "kazmig/core/region.h"

namespace kazmig::cli {
namespace {

int ThreadCount(const Globals& globals) {
  if (globals.threads > 0) return globals.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

app::DatasetLocation Location(const Globals& globals) {
  return {globals.ResolvedDbPath(), BuiltinDataDir()};
}

// Writes `result` in the format of `output` (stdout or --output) and its notes on stderr.
void Write(const Globals& globals, const app::IndicatorsResult& result,
           const OutputOptions& output) {
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(output);
  out.stream() << app::EncodeIndicators(result, app::ParseFormat(output.format),
                                        output.with_provenance);
  out.Commit();
}

// Options parsed for each subcommand: its request plus the output options.
struct IndicatorsOptions {
  app::IndicatorsRequest request;
  bool no_decay = false;
  OutputOptions output;
};
template <typename Request>
struct SubcommandOptions {
  Request request;
  OutputOptions output;
};

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<IndicatorsOptions>();
  app::IndicatorsRequest& request = options->request;
  auto* cmd = app.add_subcommand(
      "indicators",
      "Indicators of internal migration: intensity, impact, focusing (Ginis), distance; region "
      "tables, age profiles, MAUP");
  cmd->add_option("--flows", request.flows, "Flows file: orig,dest,flow[,year]");
  cmd->add_option("--regions", request.regions,
                  "Resolve region ids through a built-in system (kz-2009, kz-2018, kz-2022): "
                  "KATO, ISO or names; unknown ids are errors")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()));
  cmd->add_option("--population", request.population,
                  "Population file: region,value[,year] (enables CMP, ANMR, rates)");
  cmd->add_option("--distance", request.distance,
                  "Distances file: orig,dest,distance (enables mean/median distance and decay)");
  cmd->add_option("--dataset", request.dataset,
                  "Use the built-in data ('kz'): the net-based indicators (official) and, under "
                  "\"estimated\", those of the model-based OD matrix with their bands");
  cmd->add_option("--year", request.year, "Only this year");
  cmd->add_flag("--no-decay", options->no_decay, "Skip the distance-decay model");
  AddOutputOptions(cmd, options->output, /*provenance_flag=*/true);

  auto regions = std::make_shared<SubcommandOptions<app::RegionsRequest>>();
  auto* regions_cmd =
      cmd->add_subcommand("regions", "Per-region table: in, out, net, rates, MEI, shares, ranks");
  regions_cmd->add_option("--flows", regions->request.flows, "Flows file: orig,dest,flow[,year]")
      ->required();
  regions_cmd
      ->add_option("--regions", regions->request.regions,
                   "Resolve region ids through a built-in system (kz-2022, ...)")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()));
  regions_cmd->add_option("--population", regions->request.population,
                          "Population file: region,value[,year] (rates per 1,000)");
  regions_cmd->add_option("--year", regions->request.year, "Only this year");
  AddOutputOptions(regions_cmd, regions->output, /*provenance_flag=*/true);
  regions_cmd->callback([regions, &globals] {
    regions->request.with_provenance = regions->output.with_provenance;
    Write(globals, app::RunRegionIndicators(regions->request), regions->output);
  });

  auto age = std::make_shared<SubcommandOptions<app::AgeRequest>>();
  auto* age_cmd =
      cmd->add_subcommand("age", "Age profile indicators and a Rogers-Castro model schedule fit");
  age_cmd->add_option("--rates", age->request.rates, "Age-specific intensities: age,rate")
      ->required();
  age_cmd->add_option("--fit", age->request.fit, "Rogers-Castro form: rc7, rc9, rc11 or rc13")
      ->check(CLI::IsMember({"rc7", "rc9", "rc11", "rc13"}));
  AddOutputOptions(age_cmd, age->output, /*provenance_flag=*/true);
  age_cmd->callback([age, &globals] {
    age->request.with_provenance = age->output.with_provenance;
    Write(globals, app::RunAgeIndicators(age->request), age->output);
  });

  auto maup = std::make_shared<SubcommandOptions<app::MaupRequest>>();
  auto* maup_cmd = cmd->add_subcommand(
      "maup", "MAUP: CMI and MEI over random contiguous aggregations into k regions");
  maup_cmd->add_option("--flows", maup->request.flows, "Flows between basic units: orig,dest,flow")
      ->required();
  maup_cmd->add_option("--population", maup->request.population, "Population: region,value")
      ->required();
  maup_cmd
      ->add_option("--adjacency", maup->request.adjacency,
                   "Adjacency: CSV edges a,b, or GeoJSON polygons (.geojson) that share "
                   "boundary points")
      ->required();
  maup_cmd
      ->add_option("--id-property", maup->request.id_property,
                   "GeoJSON property holding the unit id")
      ->capture_default_str();
  maup_cmd->add_option("--k", maup->request.k, "Numbers of regions, comma-separated")
      ->capture_default_str();
  maup_cmd->add_option("--replications", maup->request.replications, "Aggregations per k")
      ->capture_default_str();
  maup_cmd->add_option("--seed", maup->request.seed, "Random seed")->capture_default_str();
  AddOutputOptions(maup_cmd, maup->output, /*provenance_flag=*/true);
  maup_cmd->callback([maup, &globals] {
    maup->request.threads = ThreadCount(globals);
    maup->request.with_provenance = maup->output.with_provenance;
    Write(globals, app::RunMaupIndicators(maup->request), maup->output);
  });

  auto trends = std::make_shared<SubcommandOptions<app::TrendsRequest>>();
  auto* trends_cmd = cmd->add_subcommand(
      "trends", "Trends per region and indicator: change, CAGR, years of largest change");
  trends_cmd->add_option("--flows", trends->request.flows, "Flows file with a year column");
  trends_cmd->add_option("--population", trends->request.population,
                         "Population file: region,value[,year] (adds net rates and CMP)");
  trends_cmd->add_option("--dataset", trends->request.dataset,
                         "Use the built-in data ('kz'): nets and net rates");
  trends_cmd
      ->add_option("--series", trends->request.series,
                   "With --dataset kz: built-in series (e.g. population_avg,intl_net; all: every "
                   "one) instead of the inter-regional nets")
      ->delimiter(',');
  AddOutputOptions(trends_cmd, trends->output, /*provenance_flag=*/true);
  trends_cmd->callback([trends, &globals] {
    if (!trends->request.dataset.empty()) trends->request.location = Location(globals);
    trends->request.with_provenance = trends->output.with_provenance;
    Write(globals, app::RunTrendIndicators(trends->request), trends->output);
  });

  auto components = std::make_shared<SubcommandOptions<app::ComponentsRequest>>();
  auto* components_cmd = cmd->add_subcommand(
      "components", "Multiplicative components: flows against the independence model");
  components_cmd->add_option("--flows", components->request.flows, "Flows file: orig,dest,flow")
      ->required();
  AddOutputOptions(components_cmd, components->output, /*provenance_flag=*/true);
  components_cmd->callback([components, &globals] {
    components->request.with_provenance = components->output.with_provenance;
    Write(globals, app::RunComponentIndicators(components->request), components->output);
  });

  cmd->callback([cmd, options, &globals] {
    if (!cmd->get_subcommands().empty()) return;  // a subcommand ran
    options->request.fit_decay = !options->no_decay;
    options->request.threads = ThreadCount(globals);
    options->request.with_provenance = options->output.with_provenance;
    if (!options->request.dataset.empty()) options->request.location = Location(globals);
    Write(globals, app::RunIndicators(options->request), options->output);
  });
}

const bool registered = RegisterCommand({"indicators", 40, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig project cohort`: the cohort-component projection by age and sex, single-region or
// Rogers' multiregional, from schedules the user supplies (app/cohort.h; file formats in
// docs/projection.md, "Cohort-component engine").
//
//   kazmig project cohort --population pop.csv --fertility asfr.csv --survival lx.csv
//       --migration rates.csv --international net.csv --from 2024 --to 2034 --format json
//
// `cohort` is a subcommand of the top-level `project` command. It registers after `project`
// (a larger order) and adds itself to it; when no other file defines `project`, it creates it.
#include <memory>
#include <string>

#include "command.h"
#include "kazmig/app/cohort.h"
#include "kazmig/app/result_table.h"

namespace kazmig::cli {
namespace {

struct CohortOptions {
  app::CohortRequest request;
  std::string components_out;
  OutputOptions output;
};

void Run(const Globals& globals, const CohortOptions& options) {
  RequireDistinctOutputs(
      {{"--output", options.output.output}, {"--components-out", options.components_out}});
  const app::Format format = app::ParseFormat(options.output.format);
  const app::CohortProjection result = app::RunCohort(options.request);
  for (const std::string& note : result.notes) Note(globals, note);
  Output out(options.output);
  out.stream() << app::EncodeCohort(result, format, options.output.with_provenance);
  if (!options.components_out.empty()) {
    OutputOptions components;
    components.output = options.components_out;
    Output components_file(components);
    components_file.stream() << result.components.Csv(options.output.with_provenance);
    components_file.Commit();
  }
  out.Commit();
}

// The `project` command another file may have defined (CLI11 2.1.2's get_subcommand throws when
// it is absent), or a new one.
CLI::App* ProjectCommand(CLI::App& app) {
  try {
    return app.get_subcommand("project");
  } catch (const CLI::OptionNotFound&) {
    auto* project = app.add_subcommand("project", "Projections of population and migration");
    project->require_subcommand(1);
    return project;
  }
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<CohortOptions>();
  app::CohortRequest& request = options->request;
  auto* cmd = ProjectCommand(app)->add_subcommand(
      "cohort",
      "Cohort-component projection by age and sex (single-region, or Rogers' multiregional "
      "with internal migration) from age-specific schedules; prints region,year,sex,age,"
      "population (JSON adds the components of change)");
  cmd->add_option("--population", request.population,
                  "Population at the base year: region,sex,age,value (sex f|m; ages 0, n, 2n, ... "
                  "the last group open)")
      ->required();
  cmd->add_option("--fertility", request.fertility,
                  "ASFR by age of mother, births per woman per year: region,age,value (region "
                  "'all' for every region; a sex column may hold f only)")
      ->required();
  cmd->add_option("--survival", request.survival,
                  "region,sex,age,value: life-table nLx (--survival-kind lx, radix --radix; the "
                  "open group's row is T_w) or survival ratios (ratio, plus an age 'births' row)")
      ->required();
  cmd->add_option("--migration", request.migration,
                  "Internal migration between the population's regions: orig,dest[,sex][,age],"
                  "value; rates per person-year by age at the start of a step, or counts per "
                  "year by age at the end (--migration-kind)");
  cmd->add_option("--international", request.international,
                  "International net migration: region[,sex][,age],value; counts per year by "
                  "age at the end of a step, or rates per person-year (--international-kind)");
  cmd->add_option("--from", request.from, "Base year (the year of --population)")->required();
  cmd->add_option("--to", request.to,
                  "Horizon: the base year plus a whole number of steps (one step = the age-group "
                  "width)")
      ->required();
  cmd->add_option("--srb", request.sex_ratio_at_birth, "Sex ratio at birth (males per female)")
      ->capture_default_str();
  cmd->add_option("--survival-kind", request.survival_kind, "lx or ratio")
      ->check(CLI::IsMember({"lx", "ratio"}))
      ->capture_default_str();
  cmd->add_option("--radix", request.radix, "Life-table radix l0 of --survival-kind lx")
      ->capture_default_str();
  cmd->add_option("--migration-kind", request.migration_kind, "rates or counts")
      ->check(CLI::IsMember({"rates", "counts"}))
      ->capture_default_str();
  cmd->add_option("--international-kind", request.international_kind, "counts or rates")
      ->check(CLI::IsMember({"counts", "rates"}))
      ->capture_default_str();
  cmd->add_option("--rogers-castro", request.rogers_castro,
                  "Distribute count files without an age column by a Rogers-Castro schedule: "
                  "'standard' (a1=0.02, alpha1=0.1, a2=0.06, alpha2=0.1, mu2=20, lambda2=0.4, "
                  "c=0.003) or NAME=VALUE,... overriding it");
  cmd->add_option("--components-out", options->components_out,
                  "Also write the components of change (region,from,to,population_start,births,"
                  "deaths,internal_in,internal_out,international_net,population_end) as CSV");
  AddOutputOptions(cmd, options->output, true);
  cmd->callback([&globals, options] { Run(globals, *options); });
}

// After `project` (whatever its order), so that ProjectCommand finds it.
const bool registered = RegisterCommand({"project cohort", 99, &Setup});

}  // namespace
}  // namespace kazmig::cli

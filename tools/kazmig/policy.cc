// `kazmig policy list|effect|labour`: the register of migration-policy measures, the measured
// effect of a measure on a series (interrupted time series, difference-in-differences, synthetic
// control; the use cases are app/policy.h), and the foreign-labour and repatriation series.
//
//   kazmig policy list [--measures FILE] [--format csv|json|table]
//   kazmig policy effect --series FILE --start YEAR [--treated IDS] [--method its|did|synth]
//   kazmig policy effect --measure ID --outcome NAME [--method ...] [--start YEAR]
//   kazmig policy labour [--format ...] [--with-provenance]
//   kazmig policy ethnicity [--format ...] [--with-provenance]
#include "kazmig/app/policy.h"

#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"

namespace kazmig::cli {
namespace {

struct ListOptions {
  app::PolicyListRequest request;
  OutputOptions output;
};

struct EffectOptions {
  app::PolicyEffectRequest request;
  int start = 0;
  int start_month = 0;
  OutputOptions output;
};

struct LabourOptions {
  OutputOptions output;
};

void RunList(ListOptions& options) {
  options.request.builtin_dir = BuiltinDataDir();
  const app::Format format = app::ParseFormat(options.output.format);
  const app::PolicyListResult result = app::RunPolicyList(options.request);
  Output out(options.output);
  out.stream() << app::EncodePolicyList(result, format);
  out.Commit();
}

void RunEffect(const Globals& globals, EffectOptions& options) {
  app::PolicyEffectRequest& request = options.request;
  if (options.start != 0) request.start = options.start;
  if (options.start_month != 0) request.start_month = options.start_month;
  request.db = globals.ResolvedDbPath();
  request.builtin_dir = BuiltinDataDir();
  const app::Format format = app::ParseFormat(options.output.format);
  const app::PolicyEffectResult result = app::RunPolicyEffect(request);
  for (const std::string& note : result.notes) Note(globals, note);
  if (!result.effect.credible) Note(globals, "not credible: " + result.effect.reason);
  Output out(options.output);
  out.stream() << app::EncodePolicyEffect(result, format);
  out.Commit();
}

void RunLabour(const Globals& globals, LabourOptions& options) {
  const app::Format format = app::ParseFormat(options.output.format);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::PolicyLabourResult result = app::RunPolicyLabour(kz);
  Output out(options.output);
  out.stream() << result.table.Encode(format, options.output.with_provenance);
  out.Commit();
}

void RunEthnicity(const Globals& globals, LabourOptions& options) {
  const app::Format format = app::ParseFormat(options.output.format);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::ResultTable table = app::RunPolicyEthnicity(kz);
  Output out(options.output);
  out.stream() << table.Encode(format, options.output.with_provenance);
  out.Commit();
}

void Setup(CLI::App& app, Globals& globals) {
  auto* policy = app.add_subcommand(
      "policy", "Migration-policy measures, their measured effects, labour migration");
  policy->require_subcommand(1);

  auto list = std::make_shared<ListOptions>();
  auto* list_cmd = policy->add_subcommand(
      "list", "The register of dated policy measures (id,date,title,kind,regions,source)");
  list_cmd->add_option("--measures", list->request.measures,
                       "CSV id,date,title,kind,regions_affected,source of more measures");
  AddOutputOptions(list_cmd, list->output);
  list_cmd->callback([list] { RunList(*list); });

  auto effect = std::make_shared<EffectOptions>();
  auto* effect_cmd = policy->add_subcommand(
      "effect",
      "The effect of a measure on a series: interrupted time series (its), "
      "difference-in-differences (did) or synthetic control (synth), with diagnostics");
  auto* series = effect_cmd->add_option("--series", effect->request.series,
                                        "CSV region,year,value[,month]: the outcome panel");
  effect_cmd->add_option("--start", effect->start, "The first year under the measure")
      ->check(CLI::Range(1900, 2100));
  effect_cmd
      ->add_option("--start-month", effect->start_month,
                   "Monthly panels: the first month under the measure (1-12)")
      ->check(CLI::Range(1, 12));
  effect_cmd
      ->add_option("--treated", effect->request.treated,
                   "Ids of the regions under the measure, comma-separated")
      ->delimiter(',');
  effect_cmd->add_option("--method", effect->request.method, "its, did or synth")
      ->check(CLI::IsMember({"its", "did", "synth"}));
  auto* measure = effect_cmd->add_option("--measure", effect->request.measure,
                                         "A measure of the register (kazmig policy list)");
  effect_cmd->add_option("--outcome", effect->request.outcome,
                         "Built-in outcome: residual_net_rate (default), net_internal_rate, "
                         "intl_net");
  effect_cmd->add_option("--measures", effect->request.measures,
                         "CSV of more measures (as policy list --measures)");
  effect_cmd
      ->add_option("--lag", effect->request.lag,
                   "ITS: Newey-West lag (default floor(4 (T/100)^(2/9)))")
      ->check(CLI::Range(0, 1000));
  series->excludes(measure);
  AddOutputOptions(effect_cmd, effect->output);
  effect_cmd->callback([&globals, effect] { RunEffect(globals, *effect); });

  auto labour = std::make_shared<LabourOptions>();
  auto* labour_cmd = policy->add_subcommand(
      "labour",
      "Foreign-labour quotas, permits and entries, kandas arrivals and resettlement quotas "
      "(national), with the quota utilisation");
  AddOutputOptions(labour_cmd, labour->output, /*provenance_flag=*/true);
  labour_cmd->callback([&globals, labour] { RunLabour(globals, *labour); });

  auto ethnicity = std::make_shared<LabourOptions>();
  auto* ethnicity_cmd = policy->add_subcommand(
      "ethnicity", "Departures and arrivals by ethnic group (counts or shares), as reported");
  AddOutputOptions(ethnicity_cmd, ethnicity->output, /*provenance_flag=*/true);
  ethnicity_cmd->callback([&globals, ethnicity] { RunEthnicity(globals, *ethnicity); });
}

const bool registered = RegisterCommand({"policy", 70, &Setup});

}  // namespace
}  // namespace kazmig::cli

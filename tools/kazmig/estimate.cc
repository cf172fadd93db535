// `kazmig estimate ...`: origin-destination flows estimated from what is published (stocks, net
// totals, margins), and residual net migration. Every estimate is labelled *estimated* with its
// method; non-convergence exits 1 with the iterations and the remaining margin error. The use
// cases are in app/estimate.h; this file parses the command line and writes their results.
//
//   kazmig estimate stocks --stock1 s1990.csv --stock2 s1995.csv > flows.csv
//   kazmig estimate ipf --seed m.csv --row-totals r.csv --col-totals c.csv --format json
//   kazmig estimate net --prior m.csv --net n.csv --method entropy
//   kazmig estimate rescale-net --net n.csv --integer
//   kazmig estimate residual --method vital --pop0 p0.csv --pop1 p1.csv --births b.csv ...
//   kazmig estimate kz-od --year 2023 --sensitivity
#include "kazmig/app/estimate.h"

#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/error.h"

namespace kazmig::cli {
namespace {

// Prints the notes, fails when the estimate did not converge, and writes the result.
void Write(const Globals& globals, const OutputOptions& output, const app::EstimateResult& result) {
  for (const std::string& note : result.notes) Note(globals, note);
  if (!result.converged) throw ComputeError(result.failure);
  Output out(output);
  out.Commit(app::EncodeEstimate(result, app::ParseFormat(output.format), output.with_provenance));
}

// Options of the textbook Bishop-Fienberg-Holland blend that `--method pb` used to be, removed
// when pb became Abel & Cohen's rule (issue 13): still parsed (hidden), so that using one is a
// usage error that says what replaced it rather than "unexpected argument".
constexpr const char* kRemovedPbOptions[] = {"--pb-level", "--pb-k", "--pb-refit"};

struct StocksOptions {
  app::StocksRequest request;
  std::string stayer = "true";
  std::vector<CLI::Option*> removed;
  std::string removed_value;
  OutputOptions output;
};

// The options of a subcommand whose command line is its request and the output options.
template <typename Request>
struct CliOptions {
  Request request;
  OutputOptions output;
};

struct KzOdOptions {
  app::KzOdRequest request;
  std::vector<double> decay_range = {0.5, 1.5};
  std::vector<double> total_range = {250000, 450000};
  OutputOptions output;
};

void RunStocks(const Globals& globals, StocksOptions& options) {
  for (size_t option_idx = 0; option_idx < options.removed.size(); ++option_idx) {
    if (options.removed[option_idx]->count() == 0) continue;
    throw UsageError(std::string(kRemovedPbOptions[option_idx]) +
                     " was removed: --method pb is now Abel & Cohen's pseudo-Bayesian rule, "
                     "(1 - w) * minimum migration + w * independence per birthplace, with a "
                     "fixed weight (--pb-weight W, default 0.13); see docs/estimate.md");
  }
  options.request.stayer_assumption = options.stayer == "true";
  options.request.parallel = globals.threads != 1;
  Write(globals, options.output, app::RunEstimateStocks(options.request));
}

void RunKzOd(const Globals& globals, KzOdOptions& options) {
  app::KzOdRequest& request = options.request;
  request.db = globals.ResolvedDbPath();
  request.builtin_dir = BuiltinDataDir();
  request.decay_low = options.decay_range[0];
  request.decay_high = options.decay_range[1];
  request.total_low = options.total_range[0];
  request.total_high = options.total_range[1];
  Write(globals, options.output, app::RunKzOd(request));
}

void Setup(CLI::App& app, Globals& globals) {
  auto* estimate = app.add_subcommand(
      "estimate", "Estimate origin-destination flows from stocks, margins or net totals");
  estimate->require_subcommand(1);

  {
    auto options = std::make_shared<StocksOptions>();
    auto* cmd = estimate->add_subcommand(
        "stocks",
        "Flows from two place-of-birth x residence stock tables (pob,por,stock); prints "
        "orig,dest,flow for every off-diagonal pair, places in the order first met in --stock1");
    cmd->add_option("--stock1", options->request.stock1, "Stocks at the start (pob,por,stock)")
        ->required();
    cmd->add_option("--stock2", options->request.stock2, "Stocks at the end (pob,por,stock)")
        ->required();
    cmd->add_option("--births", options->request.births,
                    "Births in the period by residence (region,value)");
    cmd->add_option("--deaths", options->request.deaths,
                    "Deaths in the period by residence (region,value)");
    cmd->add_option("--method", options->request.method,
                    "demo (demographic accounting), diff (stock differencing), rates, or pb "
                    "(pseudo-Bayesian closed demographic accounting as Abel & Cohen's "
                    "da_pb_closed: (1 - w) * demo + w * independence per birthplace; needs "
                    "--births and --deaths)")
        ->check(CLI::IsMember({"demo", "diff", "rates", "pb"}))
        ->capture_default_str();
    cmd->add_option("--stayer-assumption", options->stayer,
                    "demo: hold stayers (min of the two stocks) fixed")
        ->check(CLI::IsMember({"true", "false"}))
        ->capture_default_str();
    cmd->add_option("--match-birthplace", options->request.match_birthplace,
                    "demo, pb: how birthplace totals are matched: rescale, open or open-dr")
        ->check(CLI::IsMember({"rescale", "open", "open-dr"}))
        ->capture_default_str();
    cmd->add_option("--diff-type", options->request.diff_type, "diff: zero or return")
        ->check(CLI::IsMember({"zero", "return"}))
        ->capture_default_str();
    cmd->add_option("--rates-type", options->request.rates_type,
                    "rates: dennett or rogers-von-rabenau")
        ->check(CLI::IsMember({"dennett", "rogers-von-rabenau"}))
        ->capture_default_str();
    cmd->add_option("--total", options->request.total, "rates dennett: total number of migrants M");
    cmd->add_option("--seed", options->request.seed,
                    "demo, pb: prior origin-destination structure (orig,dest,flow), honoured with "
                    "and without the stayer assumption");
    cmd->add_option("--tol", options->request.tol,
                    "demo, pb: fit every IPF to this relative margin tolerance instead of migest's "
                    "rule (largest cell change < 0.001)");
    cmd->add_option("--pb-weight", options->request.pb_weight,
                    "pb: weight w in [0, 1] on the independence estimate (default 0.13, Abel & "
                    "Cohen's da_pb_closed)");
    for (const char* name : kRemovedPbOptions) {
      options->removed.push_back(cmd->add_option(name, options->removed_value)->group(""));
    }
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunStocks(globals, *options); });
  }
  {
    auto options = std::make_shared<CliOptions<app::IpfRequest>>();
    auto* cmd = estimate->add_subcommand(
        "ipf",
        "Fit a table to row and column totals (2-D IPF); prints every cell, diagonal included");
    cmd->add_option("--seed", options->request.seed, "Seed table (orig,dest,flow); zeros stay zero")
        ->required();
    cmd->add_option("--row-totals", options->request.row_totals,
                    "Row (origin) totals (region,value)")
        ->required();
    cmd->add_option("--col-totals", options->request.col_totals, "Column (destination) totals")
        ->required();
    cmd->add_option("--tol", options->request.tol,
                    "Relative tolerance: every margin within tol * max(1, |target|)")
        ->capture_default_str();
    cmd->add_option("--max-iterations", options->request.max_iterations)->capture_default_str();
    cmd->add_flag("--rescale-margins", options->request.rescale_margins,
                  "Scale the column totals to the row totals' sum instead of failing");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] {
      Write(globals, options->output, app::RunEstimateIpf(options->request));
    });
  }
  {
    auto options = std::make_shared<CliOptions<app::NetRequest>>();
    auto* cmd = estimate->add_subcommand(
        "net", "Flows closest to a prior that reproduce net totals (value = in - out)");
    cmd->add_option("--prior", options->request.prior,
                    "Prior flows (orig,dest,flow); diagonal ignored")
        ->required();
    cmd->add_option("--net", options->request.net,
                    "Net migration by region (region,value = in - out)")
        ->required();
    cmd->add_option("--method", options->request.method, "ipf or entropy (same answer)")
        ->check(CLI::IsMember({"ipf", "entropy"}))
        ->capture_default_str();
    cmd->add_option("--tol", options->request.tol,
                    "Relative tolerance on every net, relative to the region's gross flows")
        ->capture_default_str();
    cmd->add_option("--max-iterations", options->request.max_iterations)->capture_default_str();
    cmd->add_flag("--rescale-net", options->request.rescale_net,
                  "Rescale nets that do not sum to zero (no-switches) instead of failing");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] {
      Write(globals, options->output, app::RunEstimateNet(options->request));
    });
  }
  {
    auto options = std::make_shared<CliOptions<app::RescaleNetRequest>>();
    auto* cmd = estimate->add_subcommand("rescale-net", "Rescale net migration to sum to zero");
    cmd->add_option("--net", options->request.net, "Net migration (region,value)")->required();
    cmd->add_option("--method", options->request.method,
                    "no-switches (scale positives and negatives, no sign changes) or switches "
                    "(subtract the mean)")
        ->check(CLI::IsMember({"no-switches", "switches"}))
        ->capture_default_str();
    cmd->add_flag("--integer", options->request.integer,
                  "Round to integers, residual on the largest value, sum stays zero");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] {
      Write(globals, options->output, app::RunRescaleNet(options->request));
    });
  }
  {
    auto options = std::make_shared<CliOptions<app::ResidualRequest>>();
    auto* cmd = estimate->add_subcommand(
        "residual",
        "Residual net migration. vital: --pop0 --pop1 --births --deaths (region,value) -> "
        "region,value = (P1 - P0) - (B - D). survival: --pop0 --pop1 (region,age,value; pop1 "
        "ages are the same age groups one period later) --survival (region,age,value survival "
        "ratio of the cohort aged `age` at the start; region 'all' for national ratios) -> "
        "region,age,value with age at the end of the period");
    cmd->add_option("--method", options->request.method, "vital or survival")
        ->check(CLI::IsMember({"vital", "survival"}))
        ->capture_default_str();
    cmd->add_option("--pop0", options->request.pop0, "Population at the start");
    cmd->add_option("--pop1", options->request.pop1, "Population at the end");
    cmd->add_option("--births", options->request.births,
                    "vital: births in the period (region,value)");
    cmd->add_option("--deaths", options->request.deaths,
                    "vital: deaths in the period (region,value)");
    cmd->add_option("--survival", options->request.survival, "survival: ratios (region,age,value)");
    cmd->add_option("--survival-type", options->request.survival_type,
                    "survival: forward N = P1(x+t) - s P0(x), reverse N = P1(x+t)/s - P0(x), or "
                    "average")
        ->check(CLI::IsMember({"forward", "reverse", "average"}))
        ->capture_default_str();
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] {
      Write(globals, options->output, app::RunResidual(options->request));
    });
  }
  {
    auto options = std::make_shared<KzOdOptions>();
    auto* cmd = estimate->add_subcommand(
        "kz-od",
        "Estimated inter-regional OD matrix of Kazakhstan (kz-2022) from the built-in data: "
        "gravity prior constrained to the official regional nets (model-based)");
    cmd->add_option("--year", options->request.year, "Year of the nets and populations")
        ->capture_default_str();
    cmd->add_option("--decay", options->request.decay,
                    "Distance decay beta of the prior P_i P_j d^-beta (assumption)")
        ->capture_default_str();
    cmd->add_option("--total", options->request.total,
                    "Assumed gross inter-regional movers per year (Jan-Sep 2022: ~264,000, i.e. "
                    "~350,000 a year)")
        ->capture_default_str();
    cmd->add_flag("--sensitivity", options->request.sensitivity,
                  "Add flow_low,flow_high: cell-wise range over decay x total grids (low, "
                  "central, high)");
    cmd->add_option("--decay-range", options->decay_range, "LOW HIGH decay for --sensitivity")
        ->expected(2)
        ->capture_default_str();
    cmd->add_option("--total-range", options->total_range, "LOW HIGH total for --sensitivity")
        ->expected(2)
        ->capture_default_str();
    cmd->add_option("--method", options->request.method, "ipf or entropy")
        ->check(CLI::IsMember({"ipf", "entropy"}))
        ->capture_default_str();
    cmd->add_flag("--wide", options->request.wide,
                  "Matrix view: origins as rows, destinations as columns, with totals (table: "
                  "names and codes; csv: ids)");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunKzOd(globals, *options); });
  }
}

const bool registered = RegisterCommand({"estimate", 50, &Setup});

}  // namespace
}  // namespace kazmig::cli

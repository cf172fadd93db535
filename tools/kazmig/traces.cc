// `kazmig traces ...`: migration from digital trace data (app/traces.h, docs/traces.md).
//
//   kazmig traces detect --input events.csv.gz [--num-days-missing-gap 7] ... [--segments-out F]
//   kazmig traces curve --input events.csv --intervals 30,60,90 --buffers 7,30
//   kazmig traces baseline --method m2 --input events.csv
//   kazmig traces flows --moves moves.csv --period quarter
//   kazmig traces simulate --users 1000 --days 730 --seed 1 --out-events e.csv --out-truth t.csv
//   kazmig traces score --moves moves.csv --truth truth.csv
#include "kazmig/app/traces.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

#include "command.h"
#include "kazmig/app/result_table.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/atomic_file.h"

namespace kazmig::cli {
namespace {

void WriteTable(const app::ResultTable& table, const OutputOptions& options) {
  Output out(options);
  out.stream() << app::EncodeTracesTable(table, app::ParseFormat(options.format));
  out.Commit();
}

// A progress line on stderr: bytes and events per second (only on a terminal, not with --quiet).
class Progress {
 public:
  explicit Progress(bool show) : show_(show), started_(std::chrono::steady_clock::now()) {}
  void Update(const app::TracesProgress& progress) {
    if (!show_) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(progress.rows) / seconds : 0.0;
    const double megabytes = static_cast<double>(progress.bytes) / 1e6;
    std::string bar;
    if (progress.total_bytes > 0) {
      const double share = std::min(1.0, static_cast<double>(progress.file_bytes) /
                                             static_cast<double>(progress.total_bytes));
      const int filled = static_cast<int>(share * 30);
      bar = "[" + std::string(static_cast<size_t>(filled), '#') +
            std::string(static_cast<size_t>(30 - filled), ' ') +
            fmt::format("] {:3.0f}% ", share * 100);
    }
    std::cerr << fmt::format("\r{}{:.0f} MB, {} events, {:.1f} M events/s, {:.0f} MB/s   ", bar,
                             megabytes, app::HumanNumber(static_cast<double>(progress.rows)),
                             rate / 1e6, seconds > 0 ? megabytes / seconds : 0.0)
              << std::flush;
    shown_ = true;
  }
  void Done() {
    if (shown_) std::cerr << '\n';
  }

 private:
  bool show_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
};

// A progress bar on stderr for `traces simulate`: users done of the total (only on a terminal,
// not with --quiet; redrawn at most every 1/10 s).
class UserProgress {
 public:
  explicit UserProgress(bool show) : show_(show), started_(std::chrono::steady_clock::now()) {}
  void Update(uint64_t done, uint64_t total) {
    if (!show_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && shown_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double share = static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(share * 30);
    const double seconds = std::chrono::duration<double>(now - started_).count();
    std::cerr << fmt::format("\r[{}{}] {:3.0f}% {} of {} users, {:.0f} s   ",
                             std::string(static_cast<size_t>(filled), '#'),
                             std::string(static_cast<size_t>(30 - filled), ' '), share * 100,
                             app::HumanNumber(static_cast<double>(done)),
                             app::HumanNumber(static_cast<double>(total)), seconds)
              << std::flush;
    shown_ = true;
  }
  void Done() {
    if (shown_) std::cerr << '\n';
    shown_ = false;
  }

 private:
  bool show_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
};

// The options of an event file; `Bind` fills the request's input once the command line is parsed.
struct EventOptions {
  app::TracesEventsInput input;
  std::unique_ptr<Progress> progress;
  void Bind(const Globals& globals, bool show_progress) {
    if (input.threads <= 0) input.threads = globals.threads;
    progress = std::make_unique<Progress>(show_progress);
    input.progress = [this](const app::TracesProgress& p) { progress->Update(p); };
    input.read = [this](const app::TracesBadRows& bad) {
      progress->Done();
      if (bad.skipped == 0) return;
      std::cerr << fmt::format("kazmig: warning: skipped {} bad row(s) of {}; first:\n",
                               bad.skipped, bad.rows);
      for (const std::string& example : bad.examples) std::cerr << "  " << example << '\n';
    };
  }
};

void AddEventOptions(CLI::App* cmd, app::TracesEventsInput& input) {
  cmd->add_option("--input", input.path,
                  "Events: CSV with user_id,date,location (plain, .gz or .zst)")
      ->required();
  cmd->add_option("--threads", input.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--memory", input.memory,
                  "Memory bound for buffered events, e.g. 2G or 512M (beyond it, events go to "
                  "temporary partition files)")
      ->capture_default_str();
  cmd->add_flag("--skip-bad-rows", input.skip_bad_rows,
                "Skip and count malformed rows instead of failing (reported on stderr)");
  cmd->add_option("--temp-dir", input.temp_dir,
                  "Folder for temporary partition files (default: the system's)");
}

void SetupDetect(CLI::App* traces_cmd, Globals& globals) {
  struct Options : EventOptions {
    app::TracesDetectRequest request;
    std::string segments_out;
    OutputOptions output;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = traces_cmd->add_subcommand(
      "detect", "Migration events per user (Chi et al. 2020 segment method, exact)");
  AddEventOptions(cmd, options->input);
  app::TracesDetectParams& p = options->request.params;
  cmd->add_option("--num-days-missing-gap", p.num_days_missing_gap,
                  "Fill gaps of at most this many days between observations")
      ->capture_default_str();
  cmd->add_option("--small-seg-len", p.small_seg_len, "Minimum segment length (days)")
      ->capture_default_str();
  cmd->add_option("--seg-prop", p.seg_prop, "Minimum share of observed days in a segment")
      ->capture_default_str();
  cmd->add_option("--min-overlap-part-len", p.min_overlap_part_len,
                  "Overlaps longer than this many days are removed")
      ->capture_default_str();
  cmd->add_option("--num-stayed-days-migrant", p.num_stayed_days_migrant,
                  "Minimum residence length (days)")
      ->capture_default_str();
  cmd->add_option("--max-gap-home-des", p.max_gap_home_des,
                  "Maximum days between home end and destination start")
      ->capture_default_str();
  cmd->add_option("--segments-out", options->segments_out,
                  "Also write the residences: user_id,location,start_date,end_date");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] {
    RequireDistinctOutputs(
        {{"--output", options->output.output}, {"--segments-out", options->segments_out}});
    options->Bind(globals, globals.ShowProgress() && World().root());
    options->request.events = options->input;
    options->request.with_segments = !options->segments_out.empty();
    const app::TracesDetectResult result = app::RunTracesDetect(options->request);
    if (!result.is_root) return;
    WriteTable(result.moves, options->output);
    if (!options->segments_out.empty()) {
      io::WriteFileAtomically(options->segments_out, result.segments.Csv());
    }
    if (!globals.quiet && isatty(STDERR_FILENO)) {
      std::cerr << fmt::format("{} users, {} moves\n", result.users, result.moves.row_count());
    }
  });
}

void SetupCurve(CLI::App* traces_cmd, Globals& globals) {
  struct Options : EventOptions {
    app::TracesCurveRequest request;
    OutputOptions output;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = traces_cmd->add_subcommand(
      "curve", "Transition curves: measured migration by interval and buffer (Fiorio et al. 2021)");
  AddEventOptions(cmd, options->input);
  cmd->add_option("--intervals", options->request.intervals, "Intervals in days, e.g. 30,60,90")
      ->required()
      ->delimiter(',');
  cmd->add_option("--buffers", options->request.buffers, "Buffers in days, e.g. 7,30,90")
      ->required()
      ->delimiter(',');
  cmd->add_option("--placement", options->request.placement, "Buffer window: centred or forward")
      ->capture_default_str();
  cmd->add_option("--start", options->request.start,
                  "Start date (default: the first date in the input)");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] {
    options->Bind(globals, globals.ShowProgress());
    options->request.events = options->input;
    WriteTable(app::RunTracesCurve(options->request), options->output);
  });
}

void SetupBaseline(CLI::App* traces_cmd, Globals& globals) {
  struct Options : EventOptions {
    app::TracesBaselineRequest request;
    OutputOptions output;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = traces_cmd->add_subcommand(
      "baseline", "Frequency-based monthly-home migration (M1 records, M2 days, M3 night records)");
  AddEventOptions(cmd, options->input);
  cmd->add_option("--method", options->request.method, "m1, m2 or m3")->capture_default_str();
  cmd->add_option("--prop", options->request.prop,
                  "M2: a month's home needs at least prop * days-in-month distinct days")
      ->capture_default_str();
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] {
    options->Bind(globals, globals.ShowProgress());
    options->request.events = options->input;
    WriteTable(app::RunTracesBaseline(options->request), options->output);
  });
}

void SetupFlows(CLI::App* traces_cmd) {
  auto request = std::make_shared<app::TracesFlowsRequest>();
  auto output = std::make_shared<OutputOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "flows", "Aggregate detected moves into orig,dest,flow,period flow tables");
  cmd->add_option("--moves", request->moves, "Moves from `traces detect`")->required();
  cmd->add_option("--period", request->period, "month, quarter or year")->capture_default_str();
  cmd->add_option("--population", request->population,
                  "Post-stratify: population targets region,value (with --residents)");
  cmd->add_option("--residents", request->residents,
                  "Residences from `traces detect --segments-out` (users per region)");
  AddOutputOptions(cmd, *output);
  cmd->callback([request, output] { WriteTable(app::RunTracesFlows(*request), *output); });
}

void SetupSimulate(CLI::App* traces_cmd, const Globals& globals) {
  auto request = std::make_shared<app::TracesSimulateRequest>();
  auto truth_out = std::make_shared<std::string>();
  app::TracesSimulateParams& p = request->params;
  auto* cmd = traces_cmd->add_subcommand(
      "simulate", "Synthetic trace events with known true moves (for `traces score`)");
  cmd->add_option("--users", p.users, "Number of users")->capture_default_str();
  cmd->add_option("--days", p.days, "Number of days")->capture_default_str();
  cmd->add_option("--seed", p.seed, "Random seed")->capture_default_str();
  cmd->add_option("--start", request->start, "First date")->capture_default_str();
  cmd->add_option("--out-events", request->events_out, "Events CSV to write")->required();
  cmd->add_option("--out-truth", *truth_out, "True moves CSV to write")->required();
  cmd->add_option("--locations", p.locations, "Number of locations (<= 20: kz-2022 KATO ids)")
      ->capture_default_str();
  cmd->add_option("--move-rate", p.move_rate, "Moves per day after --min-stay")
      ->capture_default_str();
  cmd->add_option("--min-stay", p.min_stay, "Days at a residence before a move can happen")
      ->capture_default_str();
  cmd->add_flag("--no-returns", p.no_returns, "Never move back to a location lived in before");
  cmd->add_option("--trip-rate", p.trip_rate, "Temporary trips (1-60 days) per day")
      ->capture_default_str();
  cmd->add_option("--activity-alpha", p.activity_alpha, "Beta(alpha, beta) daily activity")
      ->capture_default_str();
  cmd->add_option("--activity-beta", p.activity_beta, "(0: active every day)")
      ->capture_default_str();
  cmd->add_option("--events-mean", p.events_mean, "Mean events per active day (>= 1)")
      ->capture_default_str();
  cmd->add_option("--events-size", p.events_size, "Negative binomial size (dispersion)")
      ->capture_default_str();
  cmd->add_option("--misattribution", p.misattribution,
                  "Probability that an event is attributed to a neighbouring location")
      ->capture_default_str();
  cmd->add_option("--blackout-rate", p.blackout_rate, "Blackout spells per day")
      ->capture_default_str();
  cmd->add_flag("--with-time", p.with_time, "Write ISO date-times with hours (for baseline m3)");
  cmd->callback([request, truth_out, &globals] {
    RequireDistinctOutputs({{"--out-events", request->events_out}, {"--out-truth", *truth_out}});
    auto bar = std::make_shared<UserProgress>(globals.ShowProgress());
    request->progress = [bar](uint64_t done, uint64_t total) { bar->Update(done, total); };
    const app::ResultTable truth = app::RunTracesSimulate(*request);
    bar->Done();
    io::WriteFileAtomically(*truth_out, truth.Csv());
  });
}

void SetupScore(CLI::App* traces_cmd) {
  auto request = std::make_shared<app::TracesScoreRequest>();
  auto output = std::make_shared<OutputOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "score", "Precision, recall and date error of detected moves against true moves");
  cmd->add_option("--moves", request->moves, "Moves from `traces detect`")->required();
  cmd->add_option("--truth", request->truth, "True moves (user_id,home,destination,move_date)")
      ->required();
  cmd->add_option("--window", request->window, "Days within which dates match")
      ->capture_default_str();
  cmd->add_option("--min-spell", request->min_spell,
                  "Recall counts only true moves with spells of at least this many days before "
                  "and after (e.g. 90, the residence length of detect)")
      ->capture_default_str();
  AddOutputOptions(cmd, *output);
  cmd->callback([request, output] { WriteTable(app::RunTracesScore(*request), *output); });
}

void Setup(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand(
      "traces",
      "Migration from digital trace data: detect, curve, baseline, flows, simulate, score");
  cmd->require_subcommand(1);
  SetupDetect(cmd, globals);
  SetupCurve(cmd, globals);
  SetupBaseline(cmd, globals);
  SetupFlows(cmd);
  SetupSimulate(cmd, globals);
  SetupScore(cmd);
}

const bool registered = RegisterCommand({"traces", 80, &Setup});

}  // namespace
}  // namespace kazmig::cli

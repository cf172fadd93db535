// `kazmig traces ...`: migration from digital trace data (src/kazmig/traces, docs/traces.md).
//
//   kazmig traces detect --input events.csv.gz [--num-days-missing-gap 7] ... [--segments-out F]
//   kazmig traces curve --input events.csv --intervals 30,60,90 --buffers 7,30
//   kazmig traces baseline --method m2 --input events.csv
//   kazmig traces flows --moves moves.csv --period quarter
//   kazmig traces simulate --users 1000 --days 730 --seed 1 --out-events e.csv --out-truth t.csv
//   kazmig traces score --moves moves.csv --truth truth.csv
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/io/csv.h"
#include "kazmig/traces/baseline.h"
#include "kazmig/traces/curve.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/flows.h"
#include "kazmig/traces/ingest.h"
#include "kazmig/traces/pipeline.h"
#include "kazmig/traces/score.h"
#include "kazmig/traces/simulate.h"

namespace kazmig::cli {
namespace {

using Json = nlohmann::ordered_json;

// A result table: CSV, JSON (array of objects) or aligned text.
struct Table {
  std::vector<std::string> header;
  std::vector<Json> rows;  // each an array of strings and numbers
};

void WriteTable(const Table& table, const OutputOptions& options) {
  Output out(options);
  switch (options.ParsedFormat()) {
    case Format::kCsv: {
      io::CsvWriter csv(out.stream());
      for (const std::string& name : table.header) csv.Field(name);
      csv.EndRow();
      for (const Json& row : table.rows) {
        for (const Json& cell : row) {
          if (cell.is_string()) {
            csv.Field(cell.get_ref<const std::string&>());
          } else if (cell.is_number_integer()) {
            csv.Field(cell.get<long long>());
          } else if (cell.is_null()) {
            csv.Field(std::nan(""));
          } else {
            csv.Field(cell.get<double>());
          }
        }
        csv.EndRow();
      }
      break;
    }
    case Format::kJson: {
      Json array = Json::array();
      for (const Json& row : table.rows) {
        Json object = Json::object();
        for (size_t col_idx = 0; col_idx < table.header.size(); ++col_idx) {
          object[table.header[col_idx]] = row[col_idx];
        }
        array.push_back(std::move(object));
      }
      out.stream() << array.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      TextTable text(table.header);
      for (const Json& row : table.rows) {
        std::vector<std::string> cells;
        for (const Json& cell : row) {
          if (cell.is_string()) {
            cells.push_back(cell.get<std::string>());
          } else if (cell.is_null()) {
            cells.push_back("NA");
          } else if (cell.is_number_integer()) {
            cells.push_back(std::to_string(cell.get<long long>()));
          } else {
            cells.push_back(fmt::format("{:.4f}", cell.get<double>()));
          }
        }
        text.AddRow(std::move(cells));
      }
      text.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

// Options shared by the commands that read an event file.
struct EventInput {
  std::string input;
  int threads = 0;
  std::string memory = "2G";
  bool skip_bad_rows = false;
  std::string temp_dir;
};

void AddEventInput(CLI::App* cmd, EventInput& options) {
  cmd->add_option("--input", options.input,
                  "Events: CSV with user_id,date,location (plain, .gz or .zst)")
      ->required();
  cmd->add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--memory", options.memory,
                  "Memory bound for buffered events, e.g. 2G or 512M (beyond it, events go to "
                  "temporary partition files)")
      ->capture_default_str();
  cmd->add_flag("--skip-bad-rows", options.skip_bad_rows,
                "Skip and count malformed rows instead of failing (reported on stderr)");
  cmd->add_option("--temp-dir", options.temp_dir,
                  "Folder for temporary partition files (default: the system's)");
}

// A progress line on stderr: bytes and events per second (only on a terminal, not with --quiet).
class Progress {
 public:
  explicit Progress(bool show) : show_(show), started_(std::chrono::steady_clock::now()) {}
  void Update(const traces::IngestProgress& progress) {
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
                             megabytes, HumanNumber(static_cast<double>(progress.rows)), rate / 1e6,
                             seconds > 0 ? megabytes / seconds : 0.0)
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

traces::IngestOptions MakeIngest(const EventInput& input, const Globals& globals,
                                 Progress* progress) {
  traces::IngestOptions ingest;
  ingest.input = input.input;
  ingest.threads = input.threads > 0 ? input.threads : globals.threads;
  ingest.memory_bytes = traces::ParseMemorySize(input.memory);
  ingest.skip_bad_rows = input.skip_bad_rows;
  ingest.temp_dir = input.temp_dir;
  ingest.progress = [progress](const traces::IngestProgress& p) { progress->Update(p); };
  return ingest;
}

void ReportBadRows(const traces::IngestStats& stats) {
  if (stats.bad_rows == 0) return;
  std::cerr << fmt::format("kazmig: warning: skipped {} bad row(s) of {}; first:\n", stats.bad_rows,
                           stats.rows);
  for (const std::string& example : stats.bad_row_examples) std::cerr << "  " << example << '\n';
}

// Every rank finds the world too large alike: the error is reported once (main.cc).
void RequireSingleProcess(const char* command) {
  if (World().size > 1) {
    throw Collective<UsageError>(
        fmt::format("`traces {}` does not run under MPI; only `traces detect` does", command));
  }
}

// ---- detect ----------------------------------------------------------------------------------

struct DetectOptions {
  EventInput input;
  traces::DetectParams params;
  std::string segments_out;
  OutputOptions output;
};

void RunDetect(const DetectOptions& options, const Globals& globals) {
  Progress progress(globals.ShowProgress() && World().root());
  traces::DetectRunOptions run_options;
  // Every rank checks the same options: agreeing reports a bad one once under MPI.
  AgreeOnFailure([&] { run_options.ingest = MakeIngest(options.input, globals, &progress); });
  run_options.params = options.params;
  run_options.threads = run_options.ingest.threads;
  run_options.with_residences = !options.segments_out.empty();
  const traces::DetectRun run = traces::RunDetection(run_options);
  progress.Done();
  if (!run.is_root) return;
  ReportBadRows(run.stats);
  Table table;
  table.header = {"user_id",
                  "home",
                  "destination",
                  "migration_date",
                  "uncertainty",
                  "num_error_day",
                  "home_start_date",
                  "home_end_date",
                  "destination_start_date",
                  "destination_end_date"};
  for (const traces::MoveRow& row : run.moves) {
    const traces::Move& m = row.move;
    table.rows.push_back(Json::array(
        {row.user_id, row.home, row.destination, traces::FormatYmd(m.migration_day), m.uncertainty,
         m.num_error_day, traces::FormatYmd(m.home_start), traces::FormatYmd(m.home_end),
         traces::FormatYmd(m.destination_start), traces::FormatYmd(m.destination_end)}));
  }
  WriteTable(table, options.output);
  if (!options.segments_out.empty()) {
    std::ostringstream text;
    io::CsvWriter csv(text);
    csv.Row("user_id", "location", "start_date", "end_date");
    for (const traces::ResidenceRow& row : run.residences) {
      csv.Row(row.user_id, row.location, traces::FormatYmd(row.start), traces::FormatYmd(row.end));
    }
    io::WriteFileAtomically(options.segments_out, text.str());
  }
  if (!globals.quiet && isatty(STDERR_FILENO)) {
    std::cerr << fmt::format("{} users, {} moves\n", run.users, run.moves.size());
  }
}

void SetupDetect(CLI::App* traces_cmd, Globals& globals) {
  auto options = std::make_shared<DetectOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "detect", "Migration events per user (Chi et al. 2020 segment method, exact)");
  AddEventInput(cmd, options->input);
  traces::DetectParams& p = options->params;
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
  cmd->callback([options, &globals] { RunDetect(*options, globals); });
}

// ---- curve -----------------------------------------------------------------------------------

struct CurveOptions {
  EventInput input;
  std::vector<int> intervals;
  std::vector<int> buffers;
  std::string placement = "centred";
  std::string start;
  OutputOptions output;
};

void RunCurve(const CurveOptions& options, const Globals& globals) {
  RequireSingleProcess("curve");
  Progress progress(globals.ShowProgress());
  traces::IngestOptions ingest = MakeIngest(options.input, globals, &progress);
  traces::CurveParams params{options.intervals, options.buffers,
                             traces::ParsePlacement(options.placement)};
  traces::EventStore store = traces::EventStore::Ingest(ingest);
  progress.Done();
  ReportBadRows(store.stats());
  int32_t start = store.stats().min_day;
  if (!options.start.empty()) {
    traces::DayTime parsed;
    if (traces::ParseEventDate(options.start, &parsed) != traces::DateStatus::kOk) {
      throw UsageError("--start: expected a date YYYYMMDD or YYYY-MM-DD, got '" + options.start +
                       "'");
    }
    start = parsed.day;
  }
  const int threads = ResolveThreads(ingest.threads);
  std::vector<traces::CurveAccumulator> workers(static_cast<size_t>(threads),
                                                traces::CurveAccumulator(params, start));
  store.ForEachUser(
      threads, [&](size_t worker, const traces::UserTrace& trace) { workers[worker].Add(trace); });
  for (size_t worker = 1; worker < workers.size(); ++worker) workers[0].Combine(workers[worker]);
  Table table;
  table.header = {"start", "interval", "buffer", "users", "movers", "rate"};
  for (const traces::CurvePoint& point : workers[0].Points()) {
    table.rows.push_back(Json::array({traces::FormatYmd(point.start), point.interval, point.buffer,
                                      point.users, point.movers, Number(point.rate)}));
  }
  WriteTable(table, options.output);
}

void SetupCurve(CLI::App* traces_cmd, Globals& globals) {
  auto options = std::make_shared<CurveOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "curve", "Transition curves: measured migration by interval and buffer (Fiorio et al. 2021)");
  AddEventInput(cmd, options->input);
  cmd->add_option("--intervals", options->intervals, "Intervals in days, e.g. 30,60,90")
      ->required()
      ->delimiter(',');
  cmd->add_option("--buffers", options->buffers, "Buffers in days, e.g. 7,30,90")
      ->required()
      ->delimiter(',');
  cmd->add_option("--placement", options->placement, "Buffer window: centred or forward")
      ->capture_default_str();
  cmd->add_option("--start", options->start, "Start date (default: the first date in the input)");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] { RunCurve(*options, globals); });
}

// ---- baseline --------------------------------------------------------------------------------

struct BaselineOptions {
  EventInput input;
  std::string method = "m2";
  double prop = 0.0;
  OutputOptions output;
};

void RunBaseline(const BaselineOptions& options, const Globals& globals) {
  RequireSingleProcess("baseline");
  const traces::BaselineDetector detector(traces::ParseBaselineMethod(options.method),
                                          options.prop);
  Progress progress(globals.ShowProgress());
  traces::IngestOptions ingest = MakeIngest(options.input, globals, &progress);
  traces::EventStore store = traces::EventStore::Ingest(ingest);
  progress.Done();
  ReportBadRows(store.stats());
  struct Row {
    std::string user_id;
    int month;
    std::string home;
    std::string destination;
  };
  const int threads = ResolveThreads(ingest.threads);
  std::vector<std::vector<Row>> per_worker(static_cast<size_t>(threads));
  store.ForEachUser(threads, [&](size_t worker, const traces::UserTrace& trace) {
    for (const traces::BaselineMove& move : detector.Detect(trace)) {
      per_worker[worker].push_back(Row{std::string(trace.user_id), move.month,
                                       std::string(trace.locations[move.home]),
                                       std::string(trace.locations[move.destination])});
    }
  });
  std::vector<Row> rows;
  for (auto& worker_rows : per_worker) {
    std::move(worker_rows.begin(), worker_rows.end(), std::back_inserter(rows));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.user_id != b.user_id ? a.user_id < b.user_id : a.month < b.month;
  });
  Table table;
  table.header = {"user_id", "month", "home", "destination"};
  for (const Row& row : rows) {
    table.rows.push_back(
        Json::array({row.user_id, traces::FormatMonth(row.month), row.home, row.destination}));
  }
  WriteTable(table, options.output);
}

void SetupBaseline(CLI::App* traces_cmd, Globals& globals) {
  auto options = std::make_shared<BaselineOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "baseline", "Frequency-based monthly-home migration (M1 records, M2 days, M3 night records)");
  AddEventInput(cmd, options->input);
  cmd->add_option("--method", options->method, "m1, m2 or m3")->capture_default_str();
  cmd->add_option("--prop", options->prop,
                  "M2: a month's home needs at least prop * days-in-month distinct days")
      ->capture_default_str();
  AddOutputOptions(cmd, options->output);
  cmd->callback([options, &globals] { RunBaseline(*options, globals); });
}

// ---- flows -----------------------------------------------------------------------------------

struct FlowsOptions {
  std::string moves;
  std::string period = "year";
  std::string population;  // region,value targets for post-stratification
  std::string residents;   // detect --segments-out: who lives where
  OutputOptions output;
};

// Post-stratification weights by origin: w_r = population_r / users with a residence at r.
std::map<std::string, double> PostStratificationWeights(const FlowsOptions& options) {
  std::map<std::string, std::set<std::string>> users_by_region;
  {
    io::CsvReader csv(options.residents);
    const size_t user = csv.Column("user_id");
    const size_t location = csv.Column("location");
    while (csv.Next()) {
      users_by_region[std::string(csv.RequiredField(location))].insert(
          std::string(csv.RequiredField(user)));
    }
  }
  std::map<std::string, double> weights;
  io::CsvReader csv(options.population);
  const size_t region = csv.Column("region");
  const size_t value = csv.Column("value");
  while (csv.Next()) {
    const double population = csv.Double(value);
    if (population < 0) csv.Fail(value, "population must not be negative");
    const std::string id(csv.RequiredField(region));
    auto it = users_by_region.find(id);
    if (it == users_by_region.end() || it->second.empty()) continue;  // no users: no weight
    weights[id] = population / static_cast<double>(it->second.size());
  }
  return weights;
}

int32_t ReadDay(const io::CsvReader& csv, size_t col) {
  traces::DayTime parsed;
  const traces::DateStatus status = traces::ParseEventDate(csv.Field(col), &parsed);
  if (status == traces::DateStatus::kMalformed)
    csv.Fail(col, "malformed date '" + std::string(csv.Field(col)) + "'");
  if (status == traces::DateStatus::kImplausible) {
    csv.Fail(col, "implausible date '" + std::string(csv.Field(col)) + "'");
  }
  return parsed.day;
}

void RunFlows(const FlowsOptions& options) {
  traces::FlowAggregator flows(traces::ParsePeriod(options.period));
  if (options.population.empty() != options.residents.empty()) {
    throw UsageError("--population and --residents go together");
  }
  const bool weighted = !options.population.empty();
  const std::map<std::string, double> weights =
      weighted ? PostStratificationWeights(options) : std::map<std::string, double>{};
  io::CsvReader csv(options.moves);
  const size_t home = csv.Column("home");
  const size_t destination = csv.Column("destination");
  const size_t date = csv.Column("migration_date");
  while (csv.Next()) {
    const std::string_view origin = csv.RequiredField(home);
    double weight = 1.0;
    if (weighted) {
      auto it = weights.find(std::string(origin));
      if (it == weights.end()) {
        csv.Fail(home, "origin '" + std::string(origin) +
                           "' has no population target or no resident users to weight by");
      }
      weight = it->second;
    }
    flows.Add(origin, csv.RequiredField(destination), ReadDay(csv, date), weight);
  }
  Table table;
  table.header = {"orig", "dest", "flow", "period"};
  for (const traces::PeriodFlow& row : flows.Rows()) {
    table.rows.push_back(Json::array({row.orig, row.dest, Number(row.flow), row.period}));
  }
  WriteTable(table, options.output);
}

void SetupFlows(CLI::App* traces_cmd) {
  auto options = std::make_shared<FlowsOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "flows", "Aggregate detected moves into orig,dest,flow,period flow tables");
  cmd->add_option("--moves", options->moves, "Moves from `traces detect`")->required();
  cmd->add_option("--period", options->period, "month, quarter or year")->capture_default_str();
  cmd->add_option("--population", options->population,
                  "Post-stratify: population targets region,value (with --residents)");
  cmd->add_option("--residents", options->residents,
                  "Residences from `traces detect --segments-out` (users per region)");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options] { RunFlows(*options); });
}

// ---- simulate --------------------------------------------------------------------------------

struct SimulateOptions {
  traces::SimulateParams params;
  std::string start = "20180101";
  std::string out_events;
  std::string out_truth;
};

void RunSimulate(SimulateOptions options) {
  traces::DayTime start;
  if (traces::ParseEventDate(options.start, &start) != traces::DateStatus::kOk) {
    throw UsageError("--start: expected a date YYYYMMDD, got '" + options.start + "'");
  }
  options.params.start_day = start.day;
  io::AtomicFile events(options.out_events);
  std::vector<traces::TrueMove> truth =
      traces::Simulate(options.params, [&](std::string_view chunk) {
        events.stream().write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      });
  events.Commit();
  std::ostringstream text;
  io::CsvWriter csv(text);
  csv.Row("user_id", "home", "destination", "move_date", "home_days", "destination_days");
  for (const traces::TrueMove& move : truth) {
    csv.Row(move.user_id, move.home, move.destination, traces::FormatYmd(move.day), move.home_days,
            move.destination_days);
  }
  io::WriteFileAtomically(options.out_truth, text.str());
}

void SetupSimulate(CLI::App* traces_cmd) {
  auto options = std::make_shared<SimulateOptions>();
  traces::SimulateParams& p = options->params;
  auto* cmd = traces_cmd->add_subcommand(
      "simulate", "Synthetic trace events with known true moves (for `traces score`)");
  cmd->add_option("--users", p.users, "Number of users")->capture_default_str();
  cmd->add_option("--days", p.days, "Number of days")->capture_default_str();
  cmd->add_option("--seed", p.seed, "Random seed")->capture_default_str();
  cmd->add_option("--start", options->start, "First date")->capture_default_str();
  cmd->add_option("--out-events", options->out_events, "Events CSV to write")->required();
  cmd->add_option("--out-truth", options->out_truth, "True moves CSV to write")->required();
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
  cmd->callback([options] { RunSimulate(*options); });
}

// ---- score -----------------------------------------------------------------------------------

struct ScoreOptions {
  std::string moves;
  std::string truth;
  int window = 30;
  int min_spell = 0;
  OutputOptions output;
};

void RunScore(const ScoreOptions& options) {
  std::vector<traces::ScoredMove> detected;
  {
    io::CsvReader csv(options.moves);
    const size_t user = csv.Column("user_id");
    const size_t home = csv.Column("home");
    const size_t destination = csv.Column("destination");
    const size_t date = csv.Column("migration_date");
    const size_t uncertainty = csv.Column("uncertainty");
    while (csv.Next()) {
      detected.push_back(traces::ScoredMove{
          std::string(csv.RequiredField(user)), std::string(csv.RequiredField(home)),
          std::string(csv.RequiredField(destination)), ReadDay(csv, date),
          static_cast<int32_t>(csv.Int(uncertainty))});
    }
  }
  std::vector<traces::TrueMove> truth;
  {
    io::CsvReader csv(options.truth);
    const size_t user = csv.Column("user_id");
    const size_t home = csv.Column("home");
    const size_t destination = csv.Column("destination");
    const size_t date = csv.Column("move_date");
    const std::optional<size_t> home_days = csv.FindColumn("home_days");
    const std::optional<size_t> destination_days = csv.FindColumn("destination_days");
    if (options.min_spell > 0 && (!home_days || !destination_days)) {
      throw UsageError("--min-spell needs home_days and destination_days columns in --truth");
    }
    while (csv.Next()) {
      traces::TrueMove move{std::string(csv.RequiredField(user)),
                            std::string(csv.RequiredField(home)),
                            std::string(csv.RequiredField(destination)), ReadDay(csv, date)};
      if (home_days) move.home_days = static_cast<int32_t>(csv.Int(*home_days));
      if (destination_days)
        move.destination_days = static_cast<int32_t>(csv.Int(*destination_days));
      truth.push_back(std::move(move));
    }
  }
  const traces::ScoreResult score =
      traces::ScoreMoves(detected, truth, options.window, options.min_spell);
  Table table;
  table.header = {"detected",          "true",   "matched",
                  "precision",         "recall", "mean_abs_date_error",
                  "within_uncertainty"};
  table.rows.push_back(Json::array(
      {score.detected, score.truth, score.matched, Number(score.precision), Number(score.recall),
       Number(score.mean_abs_date_error), Number(score.within_uncertainty)}));
  WriteTable(table, options.output);
}

void SetupScore(CLI::App* traces_cmd) {
  auto options = std::make_shared<ScoreOptions>();
  auto* cmd = traces_cmd->add_subcommand(
      "score", "Precision, recall and date error of detected moves against true moves");
  cmd->add_option("--moves", options->moves, "Moves from `traces detect`")->required();
  cmd->add_option("--truth", options->truth, "True moves (user_id,home,destination,move_date)")
      ->required();
  cmd->add_option("--window", options->window, "Days within which dates match")
      ->capture_default_str();
  cmd->add_option("--min-spell", options->min_spell,
                  "Recall counts only true moves with spells of at least this many days before "
                  "and after (e.g. 90, the residence length of detect)")
      ->capture_default_str();
  AddOutputOptions(cmd, options->output);
  cmd->callback([options] { RunScore(*options); });
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
  SetupSimulate(cmd);
  SetupScore(cmd);
}

const bool registered = RegisterCommand({"traces", 80, &Setup});

}  // namespace
}  // namespace kazmig::cli

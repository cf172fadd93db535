#include "kazmig/app/traces.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/io/csv.h"
#include "kazmig/traces/baseline.h"
#include "kazmig/traces/curve.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/flows.h"
#include "kazmig/traces/pipeline.h"
#include "kazmig/traces/score.h"

namespace kazmig::app {
namespace {

Cell Text(std::string value) { return Cell::Text(std::move(value)); }
Cell Day(int32_t day) { return Cell::Text(traces::FormatYmd(day)); }
Cell Integer(long long value) { return Cell::Integer(value); }

traces::IngestOptions MakeIngest(const TracesEventsInput& input) {
  traces::IngestOptions ingest;
  ingest.input = input.path;
  ingest.threads = input.threads;
  ingest.memory_bytes = traces::ParseMemorySize(input.memory);
  ingest.skip_bad_rows = input.skip_bad_rows;
  ingest.temp_dir = input.temp_dir;
  ingest.progress = input.progress;
  return ingest;
}

void ReportRead(const TracesEventsInput& input, const traces::IngestStats& stats) {
  if (input.read) input.read(TracesBadRows{stats.bad_rows, stats.rows, stats.bad_row_examples});
}

// Every rank finds the world too large alike: the error is reported once (tools/kazmig/main.cc).
void RequireSingleProcess(const char* command) {
  if (World().size > 1) {
    throw Collective<UsageError>(
        fmt::format("`traces {}` does not run under MPI; only `traces detect` does", command));
  }
}

// The day of a date field (YYYYMMDD or ISO 8601); a bad one is an InputError at its cell.
int32_t ReadDay(const io::CsvReader& csv, size_t col) {
  traces::DayTime parsed;
  const traces::DateStatus status = traces::ParseEventDate(csv.Field(col), &parsed);
  if (status == traces::DateStatus::kMalformed) {
    csv.Fail(col, "malformed date '" + std::string(csv.Field(col)) + "'");
  }
  if (status == traces::DateStatus::kImplausible) {
    csv.Fail(col, "implausible date '" + std::string(csv.Field(col)) + "'");
  }
  return parsed.day;
}

}  // namespace

TracesDetectResult RunTracesDetect(const TracesDetectRequest& request) {
  traces::DetectRunOptions run_options;
  // Every rank checks the same options: agreeing reports a bad one once under MPI.
  AgreeOnFailure([&] { run_options.ingest = MakeIngest(request.events); });
  run_options.params = request.params;
  run_options.threads = run_options.ingest.threads;
  run_options.with_residences = request.with_segments;
  const traces::DetectRun run = traces::RunDetection(run_options);
  TracesDetectResult result;
  result.is_root = run.is_root;
  if (!run.is_root) return result;
  ReportRead(request.events, run.stats);
  result.users = run.users;
  result.moves = ResultTable({"user_id", "home", "destination", "migration_date", "uncertainty",
                              "num_error_day", "home_start_date", "home_end_date",
                              "destination_start_date", "destination_end_date"});
  for (const traces::MoveRow& row : run.moves) {
    const traces::Move& m = row.move;
    result.moves.AddRow({Text(row.user_id), Text(row.home), Text(row.destination),
                         Day(m.migration_day), Integer(m.uncertainty), Integer(m.num_error_day),
                         Day(m.home_start), Day(m.home_end), Day(m.destination_start),
                         Day(m.destination_end)});
  }
  result.segments = ResultTable({"user_id", "location", "start_date", "end_date"});
  for (const traces::ResidenceRow& row : run.residences) {
    result.segments.AddRow({Text(row.user_id), Text(row.location), Day(row.start), Day(row.end)});
  }
  return result;
}

ResultTable RunTracesCurve(const TracesCurveRequest& request) {
  RequireSingleProcess("curve");
  const traces::IngestOptions ingest = MakeIngest(request.events);
  const traces::CurveParams params{request.intervals, request.buffers,
                                   traces::ParsePlacement(request.placement)};
  const traces::EventStore store = traces::EventStore::Ingest(ingest);
  ReportRead(request.events, store.stats());
  int32_t start = store.stats().min_day;
  if (!request.start.empty()) {
    traces::DayTime parsed;
    if (traces::ParseEventDate(request.start, &parsed) != traces::DateStatus::kOk) {
      throw UsageError("--start: expected a date YYYYMMDD or YYYY-MM-DD, got '" + request.start +
                       "'");
    }
    start = parsed.day;
  }
  ResultTable table({"start", "interval", "buffer", "users", "movers", "rate"});
  table.SetUnit("users", Unit::kCount)
      .SetUnit("movers", Unit::kCount)
      .SetUnit("rate", Unit::kShare);
  for (const traces::CurvePoint& point :
       traces::MeasureCurve(store, params, start, ingest.threads)) {
    table.AddRow({Day(point.start), Integer(point.interval), Integer(point.buffer),
                  Integer(static_cast<long long>(point.users)),
                  Integer(static_cast<long long>(point.movers)), Cell::Number(point.rate)});
  }
  return table;
}

ResultTable RunTracesBaseline(const TracesBaselineRequest& request) {
  RequireSingleProcess("baseline");
  const traces::BaselineDetector detector(traces::ParseBaselineMethod(request.method),
                                          request.prop);
  const traces::IngestOptions ingest = MakeIngest(request.events);
  const traces::EventStore store = traces::EventStore::Ingest(ingest);
  ReportRead(request.events, store.stats());
  ResultTable table({"user_id", "month", "home", "destination"});
  for (traces::BaselineRow& row : traces::DetectBaselineMoves(store, detector, ingest.threads)) {
    table.AddRow({Text(std::move(row.user_id)), Text(traces::FormatMonth(row.month)),
                  Text(std::move(row.home)), Text(std::move(row.destination))});
  }
  return table;
}

ResultTable RunTracesFlows(const TracesFlowsRequest& request) {
  traces::FlowAggregator flows(traces::ParsePeriod(request.period));
  if (request.population.empty() != request.residents.empty()) {
    throw UsageError("--population and --residents go together");
  }
  std::optional<std::map<std::string, double>> weights;
  if (!request.population.empty()) {
    traces::PostStratification strata;
    {
      io::CsvReader csv(request.residents);
      const size_t user = csv.Column("user_id");
      const size_t location = csv.Column("location");
      while (csv.Next()) strata.AddResident(csv.RequiredField(user), csv.RequiredField(location));
    }
    std::vector<traces::RegionPopulation> targets;
    io::CsvReader csv(request.population);
    const size_t region = csv.Column("region");
    const size_t value = csv.Column("value");
    std::unordered_map<std::string, long> first_line;  // a region given twice is an error
    while (csv.Next()) {
      std::string id(csv.RequiredField(region));
      const auto [it, inserted] = first_line.emplace(id, csv.line());
      if (!inserted) {
        csv.Fail(region, fmt::format("duplicated population target '{}', first given on line {}",
                                     id, it->second));
      }
      const double population = csv.Double(value);
      if (population < 0) csv.Fail(value, "population must not be negative");
      targets.push_back({std::move(id), population});
    }
    weights = strata.Weights(targets);
  }
  io::CsvReader csv(request.moves);
  const size_t home = csv.Column("home");
  const size_t destination = csv.Column("destination");
  const size_t date = csv.Column("migration_date");
  while (csv.Next()) {
    const std::string_view origin = csv.RequiredField(home);
    double weight = 1.0;
    if (weights) {
      const auto it = weights->find(std::string(origin));
      if (it == weights->end()) {
        csv.Fail(home, "origin '" + std::string(origin) +
                           "' has no population target or no resident users to weight by");
      }
      weight = it->second;
    }
    flows.Add(origin, csv.RequiredField(destination), ReadDay(csv, date), weight);
  }
  ResultTable table({"orig", "dest", "flow", "period"});
  // For people: detected moves are counted (whole numbers); weighted up to a population they
  // are estimated persons.
  table.SetUnit("flow", weights ? Unit::kEstimatedPersons : Unit::kCount);
  for (const traces::PeriodFlow& row : flows.Rows()) {
    table.AddRow({Text(row.orig), Text(row.dest), Cell::Number(row.flow), Text(row.period)});
  }
  return table;
}

ResultTable RunTracesSimulate(const TracesSimulateRequest& request) {
  traces::DayTime start;
  if (traces::ParseEventDate(request.start, &start) != traces::DateStatus::kOk) {
    throw UsageError("--start: expected a date YYYYMMDD, got '" + request.start + "'");
  }
  traces::SimulateParams params = request.params;
  params.start_day = start.day;
  io::AtomicFile events(request.events_out);
  const std::vector<traces::TrueMove> truth = traces::Simulate(
      params,
      [&](std::string_view chunk) {
        events.stream().write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      },
      request.progress);
  events.Commit();
  ResultTable table(
      {"user_id", "home", "destination", "move_date", "home_days", "destination_days"});
  for (const traces::TrueMove& move : truth) {
    table.AddRow({Text(move.user_id), Text(move.home), Text(move.destination), Day(move.day),
                  Integer(move.home_days), Integer(move.destination_days)});
  }
  return table;
}

ResultTable RunTracesScore(const TracesScoreRequest& request) {
  std::vector<traces::ScoredMove> detected;
  {
    io::CsvReader csv(request.moves);
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
    io::CsvReader csv(request.truth);
    const size_t user = csv.Column("user_id");
    const size_t home = csv.Column("home");
    const size_t destination = csv.Column("destination");
    const size_t date = csv.Column("move_date");
    const std::optional<size_t> home_days = csv.FindColumn("home_days");
    const std::optional<size_t> destination_days = csv.FindColumn("destination_days");
    if (request.min_spell > 0 && (!home_days || !destination_days)) {
      throw UsageError("--min-spell needs home_days and destination_days columns in --truth");
    }
    while (csv.Next()) {
      traces::TrueMove move{std::string(csv.RequiredField(user)),
                            std::string(csv.RequiredField(home)),
                            std::string(csv.RequiredField(destination)), ReadDay(csv, date)};
      if (home_days) move.home_days = static_cast<int32_t>(csv.Int(*home_days));
      if (destination_days) {
        move.destination_days = static_cast<int32_t>(csv.Int(*destination_days));
      }
      truth.push_back(std::move(move));
    }
  }
  const traces::ScoreResult score =
      traces::ScoreMoves(detected, truth, request.window, request.min_spell);
  ResultTable table({"detected", "true", "matched", "precision", "recall", "mean_abs_date_error",
                     "within_uncertainty"});
  table.SetUnit("precision", Unit::kShare)
      .SetUnit("recall", Unit::kShare)
      .SetUnit("mean_abs_date_error", Unit::kAmount)
      .SetUnit("within_uncertainty", Unit::kShare);
  table.AddRow({Integer(static_cast<long long>(score.detected)),
                Integer(static_cast<long long>(score.truth)),
                Integer(static_cast<long long>(score.matched)), Cell::Number(score.precision),
                Cell::Number(score.recall), Cell::Number(score.mean_abs_date_error),
                Cell::Number(score.within_uncertainty)});
  return table;
}

std::string EncodeTracesTable(const ResultTable& table, Format format) {
  if (format != Format::kTable) return table.Encode(format);
  // Columns with a unit in its style (counts whole, shares with three decimals: docs/output.md);
  // other numbers with four decimals.
  std::vector<std::vector<std::string>> rows{table.columns()};
  for (size_t row_idx = 0; row_idx < table.row_count(); ++row_idx) {
    std::vector<std::string>& cells = rows.emplace_back();
    for (size_t col = 0; col < table.columns().size(); ++col) {
      const Cell& cell = table.row(row_idx)[col];
      if (cell.kind == Cell::Kind::kNumber && table.unit(col) != Unit::kAuto) {
        cells.push_back(TableNumber(cell.number, table.unit(col)));
      } else {
        cells.push_back(cell.kind == Cell::Kind::kNumber ? fmt::format("{:.4f}", cell.number)
                                                         : cell.Shown());
      }
    }
  }
  return AlignedText(rows);
}

}  // namespace kazmig::app

// The `traces` use cases: migration from digital trace data (src/kazmig/traces, docs/traces.md).
//
// Each command family member is one request -> result function. Event files are streamed by the
// traces module itself (it reads them through io, larger than memory, and never touches the
// store); moves, residences, truth and population files are read here through io. Results are
// ResultTables; EncodeTracesTable gives the bytes `kazmig traces` writes.
//
//   app::TracesDetectRequest request;
//   request.events.path = "events.csv.gz";
//   request.with_segments = true;
//   app::TracesDetectResult result = app::RunTracesDetect(request);
//   if (result.is_root) Write(app::EncodeTracesTable(result.moves, app::Format::kCsv));
//
// Under MPI only `RunTracesDetect` runs with several ranks (the users are sharded, rank 0 holds
// the result); the others throw a Collective UsageError there (core/parallel.h).
#ifndef KAZMIG_APP_TRACES_H_
#define KAZMIG_APP_TRACES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kazmig/app/result_table.h"
#include "kazmig/traces/detect.h"
#include "kazmig/traces/ingest.h"
#include "kazmig/traces/simulate.h"

namespace kazmig::app {

// Progress of reading an event file (bytes, rows; reported on the reading thread).
using TracesProgress = traces::IngestProgress;
// The parameters of detection (traces/detect.h) and of simulation (traces/simulate.h).
using TracesDetectParams = traces::DetectParams;
using TracesSimulateParams = traces::SimulateParams;

// Rows of an event file skipped with `skip_bad_rows`.
struct TracesBadRows {
  uint64_t skipped = 0;
  uint64_t rows = 0;                  // data rows in the file
  std::vector<std::string> examples;  // the first few, located: "FILE:LINE:COLUMN: message"
};

// An event file to read (CSV user_id,date,location; plain, gzip or zstd) and how.
struct TracesEventsInput {
  std::string path;
  int threads = 0;             // 0: all cores
  std::string memory = "2G";   // bound for buffered events, e.g. "512M" (throws UsageError)
  bool skip_bad_rows = false;  // skip and count malformed rows instead of failing
  std::string temp_dir;        // for temporary partition files (default: the system's)
  std::function<void(const TracesProgress&)> progress;
  // Called once the file is read (detect: once the moves are found, on the rank holding them),
  // before the analysis goes on: the face ends its progress line and reports skipped rows there.
  std::function<void(const TracesBadRows&)> read;
};

// `traces detect`: migration events per user (Chi et al. 2020).
struct TracesDetectRequest {
  TracesEventsInput events;
  TracesDetectParams params;
  bool with_segments = false;  // also return the residences
};
struct TracesDetectResult {
  bool is_root = true;  // false on MPI ranks other than 0: they hold no result
  // user_id, home, destination, migration_date, uncertainty, num_error_day, home_start_date,
  // home_end_date, destination_start_date, destination_end_date; by user id, then date.
  ResultTable moves;
  ResultTable segments;  // user_id, location, start_date, end_date (with_segments)
  uint64_t users = 0;
};
TracesDetectResult RunTracesDetect(const TracesDetectRequest& request);

// `traces curve`: transition curves (Fiorio et al. 2021).
struct TracesCurveRequest {
  TracesEventsInput events;
  std::vector<int> intervals;
  std::vector<int> buffers;
  std::string placement = "centred";  // or "forward"
  std::string start;                  // YYYYMMDD or ISO date; empty: the first date in the file
};
// start, interval, buffer, users, movers, rate.
ResultTable RunTracesCurve(const TracesCurveRequest& request);

// `traces baseline`: frequency-based monthly homes (M1 records, M2 days, M3 night records).
struct TracesBaselineRequest {
  TracesEventsInput events;
  std::string method = "m2";
  double prop = 0.0;
};
// user_id, month, home, destination.
ResultTable RunTracesBaseline(const TracesBaselineRequest& request);

// `traces flows`: detected moves aggregated into flows by period, optionally post-stratified.
struct TracesFlowsRequest {
  std::string moves;  // from `traces detect`
  std::string period = "year";
  std::string population;  // region,value targets (with `residents`)
  std::string residents;   // `traces detect --segments-out`
};
// orig, dest, flow, period.
ResultTable RunTracesFlows(const TracesFlowsRequest& request);

// `traces simulate`: synthetic events with known true moves.
struct TracesSimulateRequest {
  TracesSimulateParams params;  // start_day is set from `start`
  std::string start = "20180101";
  std::string events_out;  // the events are streamed to this file (written atomically)
  // Called after each simulated user with the users done and the total (for a progress bar).
  std::function<void(uint64_t users_done, uint64_t users)> progress;
};
// The true moves: user_id, home, destination, move_date, home_days, destination_days.
ResultTable RunTracesSimulate(const TracesSimulateRequest& request);

// `traces score`: precision, recall and date error of detected moves against true moves.
struct TracesScoreRequest {
  std::string moves;
  std::string truth;
  int window = 30;
  int min_spell = 0;
};
// One row: detected, true, matched, precision, recall, mean_abs_date_error, within_uncertainty.
ResultTable RunTracesScore(const TracesScoreRequest& request);

// A traces table in `format`: as ResultTable::Encode, except that aligned text shows non-integer
// numbers with 4 decimals (the form `kazmig traces` has always printed).
std::string EncodeTracesTable(const ResultTable& table, Format format);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_TRACES_H_

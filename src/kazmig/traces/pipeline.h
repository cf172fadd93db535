// Whole-file trace analyses: ingest (ingest.h), per-user work on all threads, merged results.
//
//   DetectRunOptions options;
//   options.ingest.input = "events.csv.gz";
//   DetectRun run = RunDetection(options);   // sorted by user id (as text), then migration date
//   for (const MoveRow& row : run.moves) Use(row.user_id, row.home, row.move.migration_day);
//
//   EventStore store = EventStore::Ingest(ingest);
//   std::vector<BaselineRow> monthly = DetectBaselineMoves(store, detector, threads);
//   std::vector<CurvePoint> curve = MeasureCurve(store, params, store.stats().min_day, threads);
//
// Under MPI (core/parallel.h) each rank ingests the file keeping its shard of users, detects their
// moves, and rank 0 gathers and sorts; `run.is_root` tells which rank holds the result.
#ifndef KAZMIG_TRACES_PIPELINE_H_
#define KAZMIG_TRACES_PIPELINE_H_

#include <string>
#include <vector>

#include "kazmig/traces/baseline.h"
#include "kazmig/traces/curve.h"
#include "kazmig/traces/detect.h"
#include "kazmig/traces/ingest.h"

namespace kazmig::traces {

struct MoveRow {
  std::string user_id;
  std::string home;
  std::string destination;
  Move move;  // location indices in `move` are meaningless here; use home/destination
};

struct ResidenceRow {
  std::string user_id;
  std::string location;
  int32_t start = 0;
  int32_t end = 0;
};

struct DetectRunOptions {
  IngestOptions ingest;
  DetectParams params;
  int threads = 0;  // 0: all cores
  bool with_residences = false;
};

struct DetectRun {
  bool is_root = true;
  IngestStats stats;                     // this rank's ingest
  uint64_t users = 0;                    // users processed (all ranks, on the root)
  std::vector<MoveRow> moves;            // sorted by (user_id, migration_day, home_start)
  std::vector<ResidenceRow> residences;  // sorted by (user_id, start, end, location)
};

// Runs detection over a file. Throws InputError (bad input) or UsageError (bad parameters).
DetectRun RunDetection(const DetectRunOptions& options);

struct BaselineRow {
  std::string user_id;
  int month = 0;  // MonthOfDay
  std::string home;
  std::string destination;
};

// The monthly-home moves (baseline.h) of every user of `store`, found on `threads` threads (0:
// all cores), sorted by user id (as text), then month.
std::vector<BaselineRow> DetectBaselineMoves(const EventStore& store,
                                             const BaselineDetector& detector, int threads);

// The transition curve (curve.h) of the users of `store` from `start_day`, measured on `threads`
// threads (0: all cores). Throws UsageError for bad `params` (CurveAccumulator).
std::vector<CurvePoint> MeasureCurve(const EventStore& store, const CurveParams& params,
                                     int32_t start_day, int threads);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_PIPELINE_H_

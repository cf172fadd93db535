#include "kazmig/traces/pipeline.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"

namespace kazmig::traces {
namespace {

void PutString(std::string* out, const std::string& text) {
  const auto size = static_cast<uint32_t>(text.size());
  out->append(reinterpret_cast<const char*>(&size), 4);
  out->append(text);
}
void PutInt(std::string* out, int64_t value) {
  out->append(reinterpret_cast<const char*>(&value), 8);
}
std::string GetString(const std::string& in, size_t* pos) {
  uint32_t size = 0;
  std::memcpy(&size, in.data() + *pos, 4);
  std::string text = in.substr(*pos + 4, size);
  *pos += 4 + size;
  return text;
}
int64_t GetInt(const std::string& in, size_t* pos) {
  int64_t value = 0;
  std::memcpy(&value, in.data() + *pos, 8);
  *pos += 8;
  return value;
}

std::string Serialize(const std::vector<MoveRow>& moves,
                      const std::vector<ResidenceRow>& residences, uint64_t users) {
  std::string out;
  PutInt(&out, static_cast<int64_t>(users));
  PutInt(&out, static_cast<int64_t>(moves.size()));
  for (const MoveRow& row : moves) {
    PutString(&out, row.user_id);
    PutString(&out, row.home);
    PutString(&out, row.destination);
    const Move& m = row.move;
    for (int64_t value : {m.migration_day, m.uncertainty, m.num_error_day, m.home_start, m.home_end,
                          m.destination_start, m.destination_end}) {
      PutInt(&out, value);
    }
  }
  PutInt(&out, static_cast<int64_t>(residences.size()));
  for (const ResidenceRow& row : residences) {
    PutString(&out, row.user_id);
    PutString(&out, row.location);
    PutInt(&out, row.start);
    PutInt(&out, row.end);
  }
  return out;
}

void Deserialize(const std::string& in, std::vector<MoveRow>* moves,
                 std::vector<ResidenceRow>* residences, uint64_t* users) {
  size_t pos = 0;
  while (pos < in.size()) {
    *users += static_cast<uint64_t>(GetInt(in, &pos));
    const int64_t move_count = GetInt(in, &pos);
    for (int64_t move_idx = 0; move_idx < move_count; ++move_idx) {
      MoveRow row;
      row.user_id = GetString(in, &pos);
      row.home = GetString(in, &pos);
      row.destination = GetString(in, &pos);
      Move& m = row.move;
      for (int32_t* field : {&m.migration_day, &m.uncertainty, &m.num_error_day, &m.home_start,
                             &m.home_end, &m.destination_start, &m.destination_end}) {
        *field = static_cast<int32_t>(GetInt(in, &pos));
      }
      moves->push_back(std::move(row));
    }
    const int64_t residence_count = GetInt(in, &pos);
    for (int64_t res_idx = 0; res_idx < residence_count; ++res_idx) {
      ResidenceRow row;
      row.user_id = GetString(in, &pos);
      row.location = GetString(in, &pos);
      row.start = static_cast<int32_t>(GetInt(in, &pos));
      row.end = static_cast<int32_t>(GetInt(in, &pos));
      residences->push_back(std::move(row));
    }
  }
}

void SortRows(std::vector<MoveRow>* moves, std::vector<ResidenceRow>* residences) {
  std::sort(moves->begin(), moves->end(), [](const MoveRow& a, const MoveRow& b) {
    if (a.user_id != b.user_id) return a.user_id < b.user_id;
    if (a.move.migration_day != b.move.migration_day) {
      return a.move.migration_day < b.move.migration_day;
    }
    return a.move.home_start < b.move.home_start;
  });
  std::sort(residences->begin(), residences->end(),
            [](const ResidenceRow& a, const ResidenceRow& b) {
              if (a.user_id != b.user_id) return a.user_id < b.user_id;
              if (a.start != b.start) return a.start < b.start;
              if (a.end != b.end) return a.end < b.end;
              return NaturalLess(a.location, b.location);
            });
}

// Detects the moves (and residences) of the store's users on `threads` threads into `run` (this
// rank's users, unsorted).
void DetectAll(const EventStore& store, const DetectRunOptions& options, int threads,
               DetectRun* run) {
  // Cache-line aligned: each worker updates its own (the counter, the detector's buffers) at
  // every user, and they sit side by side.
  struct alignas(64) WorkerResult {
    Detector detector;
    Detection detection;
    std::vector<MoveRow> moves;
    std::vector<ResidenceRow> residences;
    uint64_t users = 0;
  };
  std::vector<WorkerResult> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int worker = 0; worker < threads; ++worker) {
    workers.push_back(WorkerResult{Detector(options.params), {}, {}, {}, 0});
  }
  store.ForEachUser(threads, [&](size_t worker_idx, const UserTrace& trace) {
    WorkerResult& worker = workers[worker_idx];
    ++worker.users;
    worker.detector.Detect(trace, &worker.detection);
    for (const Move& move : worker.detection.moves) {
      worker.moves.push_back(MoveRow{std::string(trace.user_id),
                                     std::string(trace.locations[move.home]),
                                     std::string(trace.locations[move.destination]), move});
    }
    if (options.with_residences) {
      for (const Residence& residence : worker.detection.residences) {
        worker.residences.push_back(ResidenceRow{std::string(trace.user_id),
                                                 std::string(trace.locations[residence.location]),
                                                 residence.start, residence.end});
      }
    }
  });

  run->stats = store.stats();
  for (WorkerResult& worker : workers) {
    run->users += worker.users;
    std::move(worker.moves.begin(), worker.moves.end(), std::back_inserter(run->moves));
    std::move(worker.residences.begin(), worker.residences.end(),
              std::back_inserter(run->residences));
  }
}

// Test hook (tests/integration/traces_mpi_test.sh): with KAZMIG_TEST_FAIL_RANK=R in a run of
// several ranks, rank R throws a ComputeError just before the results are gathered, a failure the
// other ranks do not share while they wait in the gather (the command line must abort the job).
void FailOnTestRank(const MpiWorld& world) {
  const char* fail_rank = std::getenv("KAZMIG_TEST_FAIL_RANK");
  if (world.size > 1 && fail_rank != nullptr && std::to_string(world.rank) == fail_rank) {
    throw ComputeError("KAZMIG_TEST_FAIL_RANK: failing on purpose before the gather");
  }
}

}  // namespace

DetectRun RunDetection(const DetectRunOptions& options) {
  const MpiWorld world = World();
  // Under MPI every failure up to the gather is agreed on, so that all ranks throw it together
  // (Ingest agrees on its own, with collective operations inside, so it stays outside).
  AgreeOnFailure([&] { CheckDetectParams(options.params); });
  IngestOptions ingest = options.ingest;
  ingest.shard = world.rank;
  ingest.shard_count = world.size;
  if (ingest.threads <= 0) ingest.threads = options.threads;
  const int threads = ResolveThreads(options.threads);
  DetectRun run;
  run.is_root = world.root();
  {
    const EventStore store = EventStore::Ingest(ingest);
    AgreeOnFailure([&] { DetectAll(store, options, threads, &run); });
  }  // the store's memory and temporary files go before the gather
  if (world.size > 1) {
    FailOnTestRank(world);
    const std::string all = GatherToRoot(Serialize(run.moves, run.residences, run.users));
    run.moves.clear();
    run.residences.clear();
    run.users = 0;
    if (world.root()) Deserialize(all, &run.moves, &run.residences, &run.users);
  }
  SortRows(&run.moves, &run.residences);
  return run;
}

std::vector<BaselineRow> DetectBaselineMoves(const EventStore& store,
                                             const BaselineDetector& detector, int threads) {
  threads = ResolveThreads(threads);
  struct alignas(64) WorkerRows {  // on its own cache line (a worker appends at every move)
    std::vector<BaselineRow> rows;
  };
  std::vector<WorkerRows> per_worker(static_cast<size_t>(threads));
  store.ForEachUser(threads, [&](size_t worker, const UserTrace& trace) {
    for (const BaselineMove& move : detector.Detect(trace)) {
      per_worker[worker].rows.push_back(BaselineRow{
          std::string(trace.user_id), move.month, std::string(trace.locations[move.home]),
          std::string(trace.locations[move.destination])});
    }
  });
  std::vector<BaselineRow> rows;
  for (WorkerRows& worker_rows : per_worker) {
    std::move(worker_rows.rows.begin(), worker_rows.rows.end(), std::back_inserter(rows));
  }
  std::sort(rows.begin(), rows.end(), [](const BaselineRow& a, const BaselineRow& b) {
    return a.user_id != b.user_id ? a.user_id < b.user_id : a.month < b.month;
  });
  return rows;
}

std::vector<CurvePoint> MeasureCurve(const EventStore& store, const CurveParams& params,
                                     int32_t start_day, int threads) {
  threads = ResolveThreads(threads);
  std::vector<CurveAccumulator> workers(static_cast<size_t>(threads),
                                        CurveAccumulator(params, start_day));
  store.ForEachUser(threads,
                    [&](size_t worker, const UserTrace& trace) { workers[worker].Add(trace); });
  for (size_t worker = 1; worker < workers.size(); ++worker) workers[0].Combine(workers[worker]);
  return workers[0].Points();
}

}  // namespace kazmig::traces

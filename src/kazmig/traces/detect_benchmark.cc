// Micro-benchmarks of the trace pipeline (built with -DKAZMIG_BENCH=ON; not run by `make test`).
//
//   BM_DetectPresorted: Detector::Detect on pre-grouped daily records (one event per user-day,
//     residences with moves and short trips); items = events, so items_per_second is events/s.
//   BM_IngestCsv: EventStore::Ingest (/0) and Ingest + ForEachUser (/1: with the grouping by
//     user) of a simulated CSV file of 90 MB in the page cache, one thread; bytes_per_second is
//     the CSV ingest rate per core.
// Whole-command figures (10^7 and 10^8 events, peak memory, pandas side by side) come from
// bench/traces_bench.sh.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "kazmig/core/rng.h"
#include "kazmig/traces/detect.h"
#include "kazmig/traces/ingest.h"
#include "kazmig/traces/simulate.h"

namespace kazmig::traces {
namespace {

std::vector<UserTrace> MakeUsers(size_t users, int days, std::vector<std::string>* names) {
  Rng rng(7);
  names->clear();
  for (int loc_idx = 0; loc_idx < 8; ++loc_idx) names->push_back(std::to_string(loc_idx + 1));
  std::vector<UserTrace> traces(users);
  for (size_t user_idx = 0; user_idx < users; ++user_idx) {
    std::vector<std::vector<int32_t>> by_location(names->size());
    uint64_t residence = rng.UniformInt(names->size());
    int next_move = 100 + static_cast<int>(rng.UniformInt(300));
    for (int day = 0; day < days; ++day) {
      if (day == next_move) {
        residence = (residence + 1 + rng.UniformInt(names->size() - 1)) % names->size();
        next_move = day + 100 + static_cast<int>(rng.UniformInt(300));
      }
      if (rng.Bernoulli(0.1)) continue;  // unobserved day
      uint64_t here = residence;
      if (rng.Bernoulli(0.02)) here = (residence + 1) % names->size();  // a day elsewhere
      by_location[here].push_back(day);
    }
    UserTrace& trace = traces[user_idx];
    for (size_t loc_idx = 0; loc_idx < names->size(); ++loc_idx) {
      if (!by_location[loc_idx].empty()) trace.AddLocation((*names)[loc_idx], by_location[loc_idx]);
    }
  }
  return traces;
}

void BM_DetectPresorted(benchmark::State& state) {
  std::vector<std::string> names;
  const std::vector<UserTrace> traces = MakeUsers(2000, static_cast<int>(state.range(0)), &names);
  size_t events = 0;
  for (const UserTrace& trace : traces) events += trace.days.size();
  Detector detector(DetectParams{});
  Detection detection;
  size_t moves = 0;
  for (auto _ : state) {
    for (const UserTrace& trace : traces) {
      detector.Detect(trace, &detection);
      moves += detection.moves.size();
    }
  }
  if (moves == 0) state.SkipWithError("no moves detected: the benchmark data is wrong");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events));
}
BENCHMARK(BM_DetectPresorted)->Arg(365)->Arg(730);

// state.range(0): 0 = parse and partition only, 1 = also group users (ForEachUser).
void BM_IngestCsv(benchmark::State& state) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "kazmig_bench_ingest.csv";
  {
    std::ofstream out(path, std::ios::binary);
    SimulateParams params;
    params.users = 4000;  // about 5 million events, 90 MB: larger than the caches
    params.days = 730;
    Simulate(params, [&](std::string_view chunk) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    });
  }
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  IngestOptions options;
  options.input = path;
  options.threads = 1;
  uint64_t users = 0;
  for (auto _ : state) {
    EventStore store = EventStore::Ingest(options);
    if (state.range(0) == 1) store.ForEachUser(1, [&](size_t, const UserTrace&) { ++users; });
  }
  benchmark::DoNotOptimize(users);
  state.SetBytesProcessed(state.iterations() * bytes);
  std::filesystem::remove(path);
}
BENCHMARK(BM_IngestCsv)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::traces

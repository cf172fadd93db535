// Micro-benchmarks of the store: transactional writes, series queries, and loading the built-in
// dataset folder (what `kazmig data init` does on first use).
//
//   cmake -DKAZMIG_BENCH=ON ... && ninja kazmig_store_benchmark && bin/kazmig_store_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "kazmig/store/builtin.h"
#include "kazmig/store/store.h"

namespace kazmig::store {
namespace {

Batch SyntheticSeries(int rows) {
  Batch batch;
  batch.dataset = "bench";
  batch.indicators = {{"x", IndicatorKind::kSeries, "persons", ""}};
  const Provenance official = Provenance::Official("bench");
  for (int row_idx = 0; row_idx < rows; ++row_idx) {
    batch.series.push_back({"x", "free", "r" + std::to_string(row_idx % 1000),
                            1900 + row_idx / 1000, static_cast<double>(row_idx), official});
  }
  return batch;
}

void BM_WriteSeries(benchmark::State& state) {
  const Batch batch = SyntheticSeries(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Store db = Store::OpenInMemory();
    db.Write(batch);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteSeries)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LoadSeries(benchmark::State& state) {
  Store db = Store::OpenInMemory();
  db.Write(SyntheticSeries(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    RegionSeries series = db.LoadSeries("x", "free", "bench");
    benchmark::DoNotOptimize(series.region_count());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadSeries)->Arg(500)->Arg(100000)->Unit(benchmark::kMillisecond);

std::filesystem::path BuiltinDir() {
  if (const char* dir = std::getenv("KAZMIG_DATA_DIR")) return dir;
  if (const char* source = std::getenv("KAZMIG_SOURCE_DIR")) {
    return std::filesystem::path(source) / "data" / "kz";
  }
  return "data/kz";  // run from the repository root
}

// Reading data/kz and writing it into a fresh database: the first-use cost of every command.
void BM_LoadBuiltinDataset(benchmark::State& state) {
  const auto dir = BuiltinDir();
  if (!std::filesystem::exists(dir / "indicators.csv")) {
    state.SkipWithError("data/kz not found (set KAZMIG_DATA_DIR)");
    return;
  }
  for (auto _ : state) {
    Batch batch = ReadDatasetFolder(dir);
    Store db = Store::OpenInMemory();
    db.Write(batch, WriteMode::kReplaceDataset);
    benchmark::DoNotOptimize(batch.size());
  }
}
BENCHMARK(BM_LoadBuiltinDataset)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::store

// Micro-benchmarks of CSV reading: the raw reader on a plain `orig,dest,value` file (what flows
// and distance files look like), the same with every field read as in ReadFlows, and
// io::ReadFlows itself. Throughput is reported in bytes per second of the file.
//
//   cmake -DKAZMIG_BENCH=ON ... && ninja kazmig_io_benchmark && bin/kazmig_io_benchmark
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "kazmig/io/csv.h"
#include "kazmig/io/tidy.h"

namespace kazmig::io {
namespace {

// An n x n pair file `orig,dest,distance` with ids r0..r{n-1} and three decimals, as
// bench/indicators_bench.sh writes its distances; with `density` below 1, only that share of the
// pairs (chosen by a fixed generator) and whole-number values, as its flows. Created once per
// shape in the temporary directory.
std::filesystem::path PairFile(int n, double density = 1.0) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("kazmig_csv_bench_" + std::to_string(n) + "_" +
                     std::to_string(static_cast<int>(density * 100)) + ".csv");
  if (std::filesystem::exists(path)) return path;
  const auto partial = path.string() + ".part";
  {
    std::ofstream out(partial, std::ios::binary);
    out << "orig,dest,distance\n";
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    char line[64];
    for (int orig = 0; orig < n; ++orig) {
      for (int dest = 0; dest < n; ++dest) {
        if (orig == dest) continue;
        const double d = 1.0 + ((orig * 7919 + dest * 104729) % 1000003) / 997.0;
        int len = 0;
        if (density >= 1.0) {
          len = std::snprintf(line, sizeof line, "r%d,r%d,%.3f\n", orig, dest, d);
        } else if (uniform(rng) < density) {
          len = std::snprintf(line, sizeof line, "r%d,r%d,%d\n", orig, dest,
                              static_cast<int>(50000 * uniform(rng) / (d + 10)));
        }
        out.write(line, len);
      }
    }
  }
  std::filesystem::rename(partial, path);
  return path;
}

// Records and fields only.
void BM_CsvNext(benchmark::State& state) {
  const auto path = PairFile(static_cast<int>(state.range(0)));
  size_t fields = 0;
  for (auto _ : state) {
    CsvReader csv(path);
    while (csv.Next()) fields += csv.field_count();
  }
  benchmark::DoNotOptimize(fields);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_CsvNext)->Arg(1000)->Unit(benchmark::kMillisecond);

// Records with both ids trimmed and the value parsed, as the tidy readers do.
void BM_CsvFields(benchmark::State& state) {
  const auto path = PairFile(static_cast<int>(state.range(0)));
  double sum = 0;
  size_t id_bytes = 0;
  for (auto _ : state) {
    CsvReader csv(path);
    const size_t orig = csv.Column("orig"), dest = csv.Column("dest");
    const size_t value = csv.Column("distance");
    while (csv.Next()) {
      id_bytes += csv.RequiredField(orig).size() + csv.RequiredField(dest).size();
      sum += csv.Double(value);
    }
  }
  benchmark::DoNotOptimize(sum);
  benchmark::DoNotOptimize(id_bytes);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_CsvFields)->Arg(1000)->Unit(benchmark::kMillisecond);

// The whole flow reader: ids interned, matrix built, duplicates checked. Argument 100: every pair
// (a distance file), 40: four pairs in ten (a flow file).
void BM_ReadFlows(benchmark::State& state) {
  const auto path = PairFile(static_cast<int>(state.range(0)), state.range(1) / 100.0);
  TidyOptions options;
  options.value_column = "distance";
  double total = 0;
  for (auto _ : state) total += ReadFlows(path, options).Total();
  benchmark::DoNotOptimize(total);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_ReadFlows)->Args({1000, 100})->Args({3000, 40})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::io

// Micro-benchmarks of the estimators (built with -DKAZMIG_BENCH=ON; run by `make bench`).
//
//   build/bin/kazmig_estimate_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
//
// The UN stock benchmarks read ../shared/data/undesa_global_stocks (or $KAZMIG_SHARED_DATA) and
// are skipped when it is absent. Each benchmark checks its result (converged, positive flows).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "kazmig/core/rng.h"
#include "kazmig/estimate/ipf.h"
#include "kazmig/estimate/stocks.h"

namespace kazmig::estimate {
namespace {

std::filesystem::path StocksDir() {
  if (const char* env = std::getenv("KAZMIG_SHARED_DATA")) {
    return std::filesystem::path(env) / "undesa_global_stocks";
  }
  for (std::filesystem::path dir = std::filesystem::current_path(); !dir.empty();
       dir = dir.parent_path()) {
    const auto candidate = dir / "shared" / "data" / "undesa_global_stocks";
    if (std::filesystem::exists(candidate)) return candidate;
    if (dir == dir.parent_path()) break;
  }
  return {};
}

// A minimal `pob,por,stock` reader (the benchmark links the estimate module only, not io):
// ids in order of first appearance, as kazmig's reader orders them.
FlowMatrix ReadStocks(const std::filesystem::path& path, std::vector<std::string>& ids) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::unordered_map<std::string, size_t> index;
  for (size_t idx = 0; idx < ids.size(); ++idx) index[ids[idx]] = idx;
  struct Cell {
    size_t pob, por;
    double stock;
  };
  std::vector<Cell> cells;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string pob, por, stock;
    std::getline(fields, pob, ',');
    std::getline(fields, por, ',');
    std::getline(fields, stock, ',');
    for (const std::string* id : {&pob, &por}) {
      if (index.emplace(*id, ids.size()).second) ids.push_back(*id);
    }
    cells.push_back({index[pob], index[por], std::stod(stock)});
  }
  FlowMatrix m(ids);
  for (const Cell& cell : cells) m(cell.pob, cell.por) = cell.stock;
  return m;
}

struct Period {
  FlowMatrix start, end;
};

std::vector<Period> LoadPeriods() {
  std::vector<Period> periods;
  const auto dir = StocksDir();
  if (dir.empty()) return periods;
  for (int year = 1990; year <= 2015; year += 5) {
    std::vector<std::string> ids;
    const auto base = dir / ("stock_" + std::to_string(year) + "_" + std::to_string(year + 5));
    FlowMatrix start = ReadStocks(base.string() + "_at" + std::to_string(year) + ".csv", ids);
    FlowMatrix end = ReadStocks(base.string() + "_at" + std::to_string(year + 5) + ".csv", ids);
    // Places first met in the end table extend both (absent cells are 0).
    if (start.size() != end.size()) {
      FlowMatrix grown(ids);
      for (size_t pob = 0; pob < start.size(); ++pob) {
        for (size_t por = 0; por < start.size(); ++por) grown(pob, por) = start(pob, por);
      }
      start = grown;
    }
    periods.push_back({start, end});
  }
  return periods;
}

const std::vector<Period>& Periods() {
  static const std::vector<Period> periods = LoadPeriods();
  return periods;
}

void BM_FfsDemoUnOnePeriod(benchmark::State& state) {
  const auto& periods = Periods();
  if (periods.empty()) {
    state.SkipWithError("../shared/data/undesa_global_stocks not found");
    return;
  }
  const Period& period = periods.back();
  for (auto _ : state) {
    FfsResult result = FfsDemo(period.start, period.end);
    if (!result.converged || !(result.flows.Total() > 0)) state.SkipWithError("bad result");
    benchmark::DoNotOptimize(result.flows.data().data());
  }
  state.counters["places"] = static_cast<double>(period.start.size());
}
BENCHMARK(BM_FfsDemoUnOnePeriod)->Unit(benchmark::kMillisecond);

void BM_FfsDemoUnSixPeriods(benchmark::State& state) {
  const auto& periods = Periods();
  if (periods.empty()) {
    state.SkipWithError("../shared/data/undesa_global_stocks not found");
    return;
  }
  for (auto _ : state) {
    for (const Period& period : periods) {
      FfsResult result = FfsDemo(period.start, period.end);
      if (!result.converged) state.SkipWithError("did not converge");
      benchmark::DoNotOptimize(result.flows.data().data());
    }
  }
}
BENCHMARK(BM_FfsDemoUnSixPeriods)->Unit(benchmark::kMillisecond);

void BM_Ipf2(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  Rng rng(1);
  FlowMatrix seed(n);
  for (double& value : seed.data()) value = rng.Uniform(0.5, 2.0);
  FlowMatrix truth = seed;
  // Strong interaction (log-normal, sd 1.5) so that IPF needs many cycles.
  for (double& value : truth.data()) value *= std::exp(1.5 * rng.Normal());
  const auto rows = truth.RowSums(true), cols = truth.ColSums(true);
  IpfOptions options;
  options.tol = 1e-9;
  for (auto _ : state) {
    Ipf2Result fit = Ipf2(seed, rows, cols, options);
    if (!fit.converged || fit.max_margin_error > 1e-9) state.SkipWithError("did not converge");
    state.counters["iterations"] = fit.iterations;
    benchmark::DoNotOptimize(fit.fitted.data().data());
  }
}
BENCHMARK(BM_Ipf2)->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::estimate

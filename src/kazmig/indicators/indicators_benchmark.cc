// Benchmarks of the speed targets (run by `make bench`, not by the tests):
//   * every indicator except the distance-decay fit for a 3,000 x 3,000 matrix: < 1 s;
//   * MAUP, 1,000 replications x 5 values of k over 3,000 units and 200,000 flows: < 60 s.
// Each benchmark checks its result so a broken computation cannot look fast.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <thread>

#include "kazmig/core/rng.h"
#include "kazmig/indicators/maup.h"
#include "kazmig/indicators/summary.h"

namespace kazmig::indicators {
namespace {

// Gravity-like integer flows over n regions on a plane, about `zero_share` of cells empty.
struct System {
  FlowMatrix flows;
  FlowMatrix distance;
  std::vector<double> population;
};

System MakeSystem(size_t n, uint64_t seed) {
  Rng rng(seed);
  System s;
  std::vector<double> x(n), y(n);
  s.population.resize(n);
  std::vector<std::string> ids(n);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    x[region_idx] = rng.Uniform(0, 1000);
    y[region_idx] = rng.Uniform(0, 1000);
    s.population[region_idx] = std::floor(rng.Uniform(1e4, 1e6));
    ids[region_idx] = "r" + std::to_string(region_idx);
  }
  s.flows = FlowMatrix(n);
  s.distance = FlowMatrix(n);
  s.flows.set_ids(ids);
  s.distance.set_ids(ids);
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double d = std::hypot(x[orig_idx] - x[dest_idx], y[orig_idx] - y[dest_idx]) + 1;
      s.distance(orig_idx, dest_idx) = d;
      if (rng.Uniform01() < 0.6) continue;
      s.flows(orig_idx, dest_idx) =
          std::floor(static_cast<double>(rng.UniformInt(50000)) / (d + 10));
    }
  }
  return s;
}

void BM_AllIndicators(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const System s = MakeSystem(n, 1);
  SystemInputs in;
  in.flows = &s.flows;
  in.population = &s.population;
  in.distance = &s.distance;
  in.fit_decay = false;  // the speed target excludes the Poisson fit (methods/indicators.md)
  in.threads = threads;
  for (auto _ : state) {
    const SystemIndicators r = ComputeSystemIndicators(in);
    if (!(r.focusing.gini_total_corrected > 0 && r.focusing.gini_total_corrected < 1) ||
        std::abs(*r.anmr - *r.cmp * r.mei / 100) > 1e-9 * *r.anmr) {
      state.SkipWithError("wrong result");
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(n) + "x" + std::to_string(n) + ", threads " +
                 std::to_string(threads));
}
BENCHMARK(BM_AllIndicators)
    ->Args({3000, 1})
    ->Args({3000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

void BM_DistanceDecay(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  System s = MakeSystem(n, 2);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (a != b) s.flows(a, b) += 1;  // every region sends and receives
    }
  }
  SystemInputs in;
  in.flows = &s.flows;
  in.distance = &s.distance;
  for (auto _ : state) {
    const SystemIndicators r = ComputeSystemIndicators(in);
    if (!r.decay || !r.decay->converged) state.SkipWithError("decay did not converge");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DistanceDecay)->Arg(50)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);

// 3,000 units on a 50 x 60 grid (rook adjacency) with 200,000 random flows.
void BM_Maup(benchmark::State& state) {
  const size_t rows = 50, cols = 60, n = rows * cols;
  const size_t replications = static_cast<size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      if (c + 1 < cols) edges.emplace_back(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows) edges.emplace_back(r * cols + c, (r + 1) * cols + c);
    }
  }
  const Adjacency adjacency = AdjacencyFromEdges(n, edges);
  Rng rng(3);
  SparseFlows flows;
  flows.n = n;
  std::vector<char> used(n * n, 0);
  while (flows.entries.size() < 200000) {
    const size_t a = rng.UniformInt(n), b = rng.UniformInt(n);
    if (a == b || used[a * n + b]) continue;
    used[a * n + b] = 1;
    flows.entries.push_back({a, b, static_cast<double>(1 + rng.UniformInt(100))});
  }
  std::vector<double> population(n, 5000.0);
  MaupInputs in;
  in.flows = &flows;
  in.population = &population;
  in.adjacency = &adjacency;
  in.k_values = {10, 50, 100, 500, 1000};
  in.replications = replications;
  in.seed = 1;
  in.threads = threads;
  for (auto _ : state) {
    const MaupResult r = RunMaup(in);
    if (r.per_k.size() != 5 || !(r.per_k[0].cmi.mean < r.per_k[4].cmi.mean)) {
      state.SkipWithError("wrong result");
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel("3000 units, 200000 flows, 5 k, " + std::to_string(replications) +
                 " replications, threads " + std::to_string(threads));
}
BENCHMARK(BM_Maup)
    ->Args({1000, 2})
    ->Args({100, 1})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace kazmig::indicators

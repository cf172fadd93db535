// Micro-benchmarks of the risk index (built with -DKAZMIG_BENCH=ON; run by `make bench`).
//
//   build-bench/bin/kazmig_risk_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
//
// The target: 2,000 sensitivity draws for 20 regions x 10 components in under 0.2 s.
// Each benchmark checks its result (every band inside [1, 20] and around its median).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "kazmig/core/rng.h"
#include "kazmig/risk/index.h"
#include "kazmig/risk/sensitivity.h"

namespace kazmig::risk {
namespace {

std::vector<Component> Components(size_t regions, size_t count) {
  Rng rng(2026);
  std::vector<Component> components;
  for (size_t comp_idx = 0; comp_idx < count; ++comp_idx) {
    Component component{"c" + std::to_string(comp_idx),
                        comp_idx % 3 ? Direction::kMoreRisk : Direction::kLessRisk,
                        "",
                        {}};
    for (size_t region_idx = 0; region_idx < regions; ++region_idx) {
      component.values.push_back(rng.Normal(10, 3));
    }
    components.push_back(std::move(component));
  }
  return components;
}

void BM_Sensitivity(benchmark::State& state) {
  const std::vector<Component> components = Components(20, 10);
  SensitivityOptions options;
  options.draws = 2000;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const SensitivitySummary summary =
        RunSensitivity(components, EqualWeights(10), IndexOptions{}, options);
    for (size_t region_idx = 0; region_idx < 20; ++region_idx) {
      if (summary.rank_p05[region_idx] < 1 || summary.rank_p95[region_idx] > 20 ||
          summary.rank_p05[region_idx] > summary.median_rank[region_idx] ||
          summary.rank_p95[region_idx] < summary.median_rank[region_idx]) {
        state.SkipWithError("a band outside [1, 20] or not around its median");
      }
    }
    benchmark::DoNotOptimize(summary);
  }
}
BENCHMARK(BM_Sensitivity)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_Index(benchmark::State& state) {
  const std::vector<Component> components = Components(20, 10);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeIndex(components, EqualWeights(10), IndexOptions{}));
  }
}
BENCHMARK(BM_Index)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kazmig::risk

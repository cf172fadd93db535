// Benchmarks of the spatial-interaction family (run by `make bench`, not by the tests): the issue's
// target, a doubly-constrained model on 3,000 x 3,000 flows in under 2 s (the fit alone; the whole
// command, reading the table included, is timed by bench/gravity_bench.sh), and the Austria-sized
// GLM fits. Each benchmark checks its result so a broken fit cannot look fast.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>

#include "kazmig/core/rng.h"
#include "kazmig/models/spatial_interaction.h"

namespace kazmig::models {
namespace {

// Every off-diagonal pair of n regions on a plane, Poisson flows with a known power decay.
SpatialInteractionData MakeFlows(size_t n, double decay, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x(n), y(n), a(n), b(n);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    x[region_idx] = rng.Uniform(0, 1000);
    y[region_idx] = rng.Uniform(0, 1000);
    a[region_idx] = rng.Uniform(-1, 1);
    b[region_idx] = rng.Uniform(-1, 1);
  }
  SpatialInteractionData data;
  data.n_orig = data.n_dest = n;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double d = std::hypot(x[orig_idx] - x[dest_idx], y[orig_idx] - y[dest_idx]) + 1;
      data.orig.push_back(orig_idx);
      data.dest.push_back(dest_idx);
      data.cost.push_back(d);
      data.flow.push_back(static_cast<double>(
          rng.Poisson(std::exp(5 + a[orig_idx] + b[dest_idx] + decay * std::log(d)))));
    }
  }
  return data;
}

void BM_DoublyConstrained(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const SpatialInteractionData data = MakeFlows(n, -1.3, 1);
  SpatialInteractionOptions options;
  options.constraint = SpatialConstraint::kDoubly;
  options.cost_form = CostForm::kPower;
  options.threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
    if (!fit.converged || std::abs(fit.beta + 1.3) > 0.05) {
      throw std::runtime_error("doubly-constrained fit did not recover the decay");
    }
    benchmark::DoNotOptimize(fit.beta);
  }
  state.counters["flows"] = static_cast<double>(data.flow.size());
}
// Arguments: regions, threads.
BENCHMARK(BM_DoublyConstrained)
    ->Args({300, 1})
    ->Args({1000, 1})
    ->Args({3000, 1})
    ->Args({3000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ProductionConstrained(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const SpatialInteractionData data = MakeFlows(n, -1.3, 2);
  SpatialInteractionOptions options;
  options.constraint = SpatialConstraint::kProduction;
  options.cost_form = CostForm::kPower;
  for (auto _ : state) {
    const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
    if (!fit.converged) throw std::runtime_error("production-constrained fit did not converge");
    benchmark::DoNotOptimize(fit.beta);
  }
}
BENCHMARK(BM_ProductionConstrained)->Arg(1000)->Arg(3000)->Unit(benchmark::kMillisecond);

// A GLM-sized model (9 regions, 72 flows, as the Austria data).
void BM_DoublyConstrainedGlm(benchmark::State& state) {
  const SpatialInteractionData data = MakeFlows(9, -1.3, 3);
  SpatialInteractionOptions options;
  options.cost_form = CostForm::kPower;
  for (auto _ : state) {
    const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
    if (!fit.converged) throw std::runtime_error("GLM fit did not converge");
    benchmark::DoNotOptimize(fit.beta);
  }
}
BENCHMARK(BM_DoublyConstrainedGlm)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kazmig::models

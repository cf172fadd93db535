// Micro-benchmarks of the fixed-effects engine on fixest's benchmark design, in memory (no CSV):
// n observations, two covariates, three fixed effects with n/43.5, n/435 and 23 levels.
//
//   build-bench/bin/kazmig_models_benchmark --benchmark_filter=Fe
#include <benchmark/benchmark.h>

#include <cmath>

#include "kazmig/core/rng.h"
#include "kazmig/models/fe_regression.h"

namespace kazmig::models {
namespace {

FeProblem FixestDesign(Eigen::Index n, bool poisson) {
  Rng rng(1);
  FeProblem problem;
  const int32_t levels[3] = {static_cast<int32_t>(std::lround(static_cast<double>(n) / 43.478)),
                             static_cast<int32_t>(std::lround(static_cast<double>(n) / 434.78)),
                             23};
  std::vector<std::vector<double>> effects(3);
  problem.fe.names = {"fe1", "fe2", "fe3"};
  for (int dim = 0; dim < 3; ++dim) {
    for (int32_t level = 0; level < levels[dim]; ++level) {
      effects[static_cast<size_t>(dim)].push_back(rng.Normal(0, 0.3));
    }
    problem.fe.levels.push_back(levels[dim]);
    problem.fe.codes.emplace_back(static_cast<size_t>(n));
  }
  problem.y.resize(n);
  problem.x.resize(n, 2);
  problem.x_names = {"x1", "x2"};
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    double eta = 0;
    for (size_t dim = 0; dim < 3; ++dim) {
      const auto code = static_cast<int32_t>(rng.UniformInt(static_cast<uint64_t>(levels[dim])));
      problem.fe.codes[dim][static_cast<size_t>(obs)] = code;
      eta += effects[dim][static_cast<size_t>(code)];
    }
    problem.x(obs, 0) = rng.Normal();
    problem.x(obs, 1) = rng.Uniform(-1, 1);
    eta += 0.5 * problem.x(obs, 0) - 0.3 * problem.x(obs, 1);
    problem.y[obs] = poisson ? static_cast<double>(rng.Poisson(std::exp(eta))) : eta + rng.Normal();
  }
  return problem;
}

void BM_FePpml(benchmark::State& state) {
  const FeProblem problem = FixestDesign(state.range(0), true);
  FeOptions options;
  options.threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    const FeResult fit = FitPpml(problem, options);
    if (!fit.converged || std::abs(fit.coefficients[0] - 0.5) > 0.01) {
      state.SkipWithError("PPML did not recover beta");
    }
    benchmark::DoNotOptimize(fit.coefficients.data());
  }
}
BENCHMARK(BM_FePpml)
    ->Args({100000, 1})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond);

void BM_FeOls(benchmark::State& state) {
  const FeProblem problem = FixestDesign(state.range(0), false);
  FeOptions options;
  options.threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    const FeResult fit = FitOlsFe(problem, options);
    benchmark::DoNotOptimize(fit.coefficients.data());
  }
}
BENCHMARK(BM_FeOls)->Args({1000000, 2})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::models

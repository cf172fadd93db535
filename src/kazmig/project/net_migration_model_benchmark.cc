// Benchmarks of issue 15's speed target for the net-migration model (run by `make bench`, not by
// the tests): fitting 3 chains x 20,000 iterations for 20 regions x 24 years in under 2 s with 2
// threads; and simulating 1,000 trajectories x 20 regions x 12 years from the fit. Each checks its
// result so a broken computation cannot look fast.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "kazmig/core/rng.h"
#include "kazmig/project/net_migration_model.h"

namespace kazmig::project {
namespace {

// `units` AR(1) series of `years` rates per 1,000 with parameters spread as Kazakhstan's regions'
// net migration rates are (levels -15..+25, persistence 0..0.95, noise 1..8).
std::vector<RateSeries> MakeSeries(size_t units, int years, uint64_t seed) {
  Rng rng(seed);
  std::vector<RateSeries> series;
  for (size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
    const double mu = rng.Uniform(-15, 25), phi = rng.Uniform(0, 0.95), sigma = rng.Uniform(1, 8);
    RateSeries one{"r" + std::to_string(unit_idx), 2000, {}};
    double rate = mu + sigma / std::sqrt(1 - phi * phi) * rng.Normal();
    for (int year = 0; year < years; ++year) {
      one.rates.push_back(rate);
      rate = mu + phi * (rate - mu) + sigma * rng.Normal();
    }
    series.push_back(std::move(one));
  }
  return series;
}

void BM_FitNetMigration(benchmark::State& state) {
  const std::vector<RateSeries> series = MakeSeries(static_cast<size_t>(state.range(0)), 24, 1);
  NetMigrationSettings settings;  // 3 chains x 20,000 iterations, burn-in 5,000, thin 10
  settings.threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    const NetMigrationFit fit = FitNetMigration(series, settings);
    if (fit.draw_count() != 4500 || !fit.converged()) {
      throw std::runtime_error("BM_FitNetMigration: unexpected fit");
    }
    benchmark::DoNotOptimize(fit.mu.data());
  }
  state.SetLabel(std::to_string(state.range(0)) + " units x 24 years, 3 x 20000 iterations, " +
                 std::to_string(state.range(1)) + " threads");
}
BENCHMARK(BM_FitNetMigration)
    ->Args({20, 2})
    ->Args({20, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_SimulateTrajectories(benchmark::State& state) {
  const std::vector<RateSeries> series = MakeSeries(20, 24, 2);
  NetMigrationSettings settings;
  settings.threads = 2;
  const NetMigrationFit fit = FitNetMigration(series, settings);
  TrajectoryRequest request;
  request.to_year = 2035;
  request.trajectories = 1000;
  request.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const RateTrajectories paths = SimulateTrajectories(fit, request);
    if (paths.values.size() != 1000u * 20 * 12 || !std::isfinite(paths.values.back())) {
      throw std::runtime_error("BM_SimulateTrajectories: unexpected trajectories");
    }
    benchmark::DoNotOptimize(paths.values.data());
  }
  state.SetLabel("1000 trajectories x 20 units x 12 years");
}
BENCHMARK(BM_SimulateTrajectories)->Arg(2)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace kazmig::project

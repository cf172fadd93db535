// Micro-benchmark of the regional projection (built with -DKAZMIG_BENCH=ON; run by `make bench`):
// 1,000 draws x 20 regions x 12 years x 5 scenarios (the target: under 0.5 s with 2
// threads). The inter-regional rates come from a precomputed table, as the app's sampler reads
// the Bayesian model's trajectories; the benchmark checks the accounting identity of its result.
//
//   build/bin/kazmig_project_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <vector>

#include "kazmig/core/rng.h"
#include "kazmig/project/regional.h"

namespace kazmig::project {
namespace {

constexpr size_t kRegions = 20;
constexpr int kYears = 12;
constexpr size_t kDraws = 1000;

RegionalModel Model() {
  RegionalModel model;
  Rng rng(11);
  for (size_t region_idx = 0; region_idx < kRegions; ++region_idx) {
    model.region_ids.push_back("r" + std::to_string(region_idx));
    model.base_population.push_back(rng.Uniform(2e5, 3e6));
    std::vector<double> births, deaths;
    for (int year = 0; year < 10; ++year) {
      births.push_back(0.02 * std::exp(0.05 * rng.Normal()));
      deaths.push_back(0.008 * std::exp(0.05 * rng.Normal()));
    }
    model.birth.push_back(FitLogRateWalk(births));
    model.death.push_back(FitLogRateWalk(deaths));
  }
  model.base_year = 2024;
  model.international = FitAr1({-2, -1.5, -1.8, -0.5, 0.4, 0.9, 0.8});
  auto table = std::make_shared<std::vector<double>>(kDraws * kYears * kRegions);
  for (double& rate : *table) rate = 10 * rng.Normal();
  model.internal = [table](size_t draw_idx, Rng& /*rng*/, std::vector<double>& rates) {
    std::copy(table->begin() + static_cast<long>(draw_idx * kYears * kRegions),
              table->begin() + static_cast<long>((draw_idx + 1) * kYears * kRegions),
              rates.begin());
  };
  return model;
}

std::vector<Scenario> Scenarios() {
  Scenario quota;
  quota.name = "quota";
  quota.transfers.push_back({"q", 2025, 2035, 9653, {{1, 0}, {2, 0}, {3, 0}}, {{4, 1}, {5, 1}}});
  Scenario kandas;
  kandas.name = "kandas";
  kandas.international.push_back({"k", 2025, 2035, 4162, {}});
  Scenario shock;
  shock.name = "shock";
  shock.international.push_back({"s", 2025, 2027, -32493, {}});
  Scenario pull;
  pull.name = "pull";
  pull.urban_pulls.push_back({"p", 2025, 2035, 20, {6, 7, 8}});
  return {Scenario{}, quota, kandas, shock, pull};
}

void BM_ProjectRegions(benchmark::State& state) {
  const RegionalModel model = Model();
  const std::vector<Scenario> scenarios = Scenarios();
  ProjectionSettings settings;
  settings.horizon = kYears;
  settings.draws = kDraws;
  settings.seed = 1;
  settings.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const std::vector<ProjectionRun> runs = ProjectRegions(model, scenarios, settings);
    // Check: the identity holds in the last step of the last draw.
    const ProjectionRun& run = runs.back();
    const size_t cell = run.ComponentIndex(kDraws - 1, kYears - 1, 0);
    const double expected = run.Population(kDraws - 1, kYears - 1, 0) + run.births[cell] -
                            run.deaths[cell] + run.internal[cell] + run.international[cell];
    if (run.Population(kDraws - 1, kYears, 0) != expected) state.SkipWithError("identity");
    benchmark::DoNotOptimize(runs);
  }
}
BENCHMARK(BM_ProjectRegions)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace kazmig::project

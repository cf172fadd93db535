// The multiregional cohort-component projection at the size of a national model: 20 regions x 101
// single-year age groups (0..99, 100+) x 2 sexes x 50 one-year steps, with age-specific internal
// migration rates between every pair of regions and international net counts. The benchmark
// checks its result (the national total stays positive and finite).
//
//   build/bin/kazmig_project_benchmark --benchmark_repetitions=7 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>

#include "kazmig/project/cohort_component.h"

namespace kazmig::project {
namespace {

double Uniform(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

CohortInput NationalInput(int regions, int ages) {
  std::mt19937_64 rng(2026);
  CohortInput input(regions, ages, 1);
  input.has_migration_rates = true;
  input.has_international_counts = true;
  for (int region = 0; region < regions; ++region) {
    for (int sex = 0; sex < kSexes; ++sex) {
      input.birth_survival[region * kSexes + sex] = Uniform(rng, 0.985, 0.995);
      for (int age = 0; age < ages; ++age) {
        input.population(region, sex, age) = Uniform(rng, 2000, 12000);
        // Gompertz-like mortality: survival falls with age.
        input.survival(region, sex, age) = std::exp(-0.0003 * std::exp(0.085 * age));
        input.international_counts(region, sex, age) = Uniform(rng, 0, 4);  // net immigration
      }
    }
    for (int age = 15; age < 50; ++age) input.fertility[region * ages + age] = 0.06;
  }
  for (int sex = 0; sex < kSexes; ++sex) {
    for (int age = 0; age < ages; ++age) {
      for (int origin = 0; origin < regions; ++origin) {
        for (int destination = 0; destination < regions; ++destination) {
          if (origin != destination) {
            input.migration_rates(sex, age, origin, destination) = Uniform(rng, 0, 0.002);
          }
        }
      }
    }
  }
  return input;
}

void BM_Multiregional20x101x2x50(benchmark::State& state) {
  const CohortInput input = NationalInput(20, 101);
  for (auto _ : state) {
    CohortResult result = ProjectMultiregional(input, 50);
    double total = 0;
    for (int region = 0; region < 20; ++region)
      total += result.population.back().RegionTotal(region);
    if (!(total > 0) || !std::isfinite(total)) throw std::runtime_error("bad projection");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_Multiregional20x101x2x50)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kazmig::project

// Building the situation report (HTML with 4 SVG maps and charts) from in-memory data of the
// size of the built-in dataset: 20 regions × 3 years of nets, 35 years of national series.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "kazmig/app/report.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/report/situation.h"

namespace {

void BM_BuildSituationReport(benchmark::State& state) {
  namespace fs = std::filesystem;
  const auto& system = kazmig::RegionSystem::Builtin("kz-2022");
  // data/kz of the repository: three folders above this file (src/kazmig/report/).
  const fs::path data =
      fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path() / "data" / "kz";
  const auto boundaries = kazmig::geo::LoadRegionBoundaries(data / "regions-2022.geojson", system);
  kazmig::app::SituationInput input;
  input.system = &system;
  input.boundaries = boundaries;
  input.population_avg = kazmig::RegionSeries("population_avg", "persons", system.ids());
  input.net_internal = kazmig::RegionSeries("net_internal", "persons", system.ids());
  const size_t p = input.population_avg.AddProvenance(kazmig::Provenance::Official("BNS 6576"));
  const size_t n = input.net_internal.AddProvenance(kazmig::Provenance::Official("BNS"));
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    input.population_avg.Set(region_idx, 2024, 1e6 + 1e4 * region_idx, p);
    for (int year = 2022; year <= 2024; ++year) {
      input.net_internal.Set(region_idx, year, (static_cast<double>(region_idx) - 9.5) * 1000, n);
    }
  }
  input.intl_arrivals = kazmig::RegionSeries("intl_arrivals", "persons", {"KZ"});
  input.intl_departures = kazmig::RegionSeries("intl_departures", "persons", {"KZ"});
  const size_t a = input.intl_arrivals.AddProvenance(kazmig::Provenance::Official("CIS-Stat"));
  const size_t d = input.intl_departures.AddProvenance(kazmig::Provenance::Official("CIS-Stat"));
  for (int year = 1991; year <= 2025; ++year) {
    input.intl_arrivals.Set(0, year, 20000 + year, a);
    input.intl_departures.Set(0, year, 30000 - year, d);
  }
  kazmig::app::ComputeSituationTables(input, {}, {}, {},
                                      [](const std::string& code) { return code; });
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = kazmig::report::BuildSituationReport(input);
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  if (bytes < 10000) state.SkipWithError("report unexpectedly small");
  state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_BuildSituationReport)->Unit(benchmark::kMillisecond);

}  // namespace

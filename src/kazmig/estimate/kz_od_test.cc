#include "kazmig/estimate/kz_od.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/error.h"

namespace kazmig::estimate {
namespace {

// Synthetic but plausible inputs for the 20 regions of kz-2022: populations 0.5-2.2 million,
// nets alternating in sign and summing to zero.
struct Series {
  RegionSeries population;
  RegionSeries net;
};

Series MakeSeries(const RegionSystem& system, int year) {
  std::vector<std::string> ids;
  for (const Region& region : system.regions()) ids.push_back(region.id);
  Series s{RegionSeries("population_avg", "persons", ids),
           RegionSeries("net_internal", "persons", ids)};
  const size_t p = s.population.AddProvenance(Provenance::Official("test"));
  const size_t q = s.net.AddProvenance(Provenance::Official("test"));
  double sum = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    s.population.Set(i, year, 5e5 + 9e4 * static_cast<double>(i), p);
    const double net = i + 1 == ids.size() ? -sum : (i % 2 == 0 ? 1000.0 : -700.0) * (1 + i % 3);
    sum += net;
    s.net.Set(i, year, net, q);
  }
  return s;
}

std::vector<double> NetsOf(const FlowMatrix& flows) {
  std::vector<double> net(flows.size(), 0.0);
  for (size_t i = 0; i < flows.size(); ++i) {
    for (size_t j = 0; j < flows.size(); ++j) {
      net[j] += flows(i, j);
      net[i] -= flows(i, j);
    }
  }
  return net;
}

TEST(KzOd, EveryScenarioReproducesTheNetsAndTheBandsHoldTheCentralRun) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const Series s = MakeSeries(system, 2023);
  const KzOdInputs in = KzOdInputsFromSeries(system, s.population, s.net, 2023);
  ASSERT_EQ(in.nets.size(), system.regions().size());
  const KzOdEstimate od = EstimateKzOd(in, {});
  ASSERT_EQ(od.scenarios.size(), 9u);
  EXPECT_EQ(od.central.fit.flows.ids(), in.gravity.ids);
  for (const KzOdScenario& scenario : od.scenarios) {
    // The nets hold to the fit's tolerance, 1e-10 of the region's gross flows.
    const std::vector<double> net = NetsOf(scenario.flows);
    const std::vector<double> out = scenario.flows.RowSums(), in_flows = scenario.flows.ColSums();
    for (size_t i = 0; i < net.size(); ++i) {
      EXPECT_NEAR(net[i], in.nets[i], 1e-10 * (out[i] + in_flows[i])) << i;
    }
  }
  // The central run is the middle of the grid, and the bands hold every run.
  EXPECT_EQ(od.scenarios[4].decay, 1.0);
  EXPECT_EQ(od.scenarios[4].total, 350000);
  for (size_t cell = 0; cell < od.central.fit.flows.data().size(); ++cell) {
    EXPECT_EQ(od.central.fit.flows.data()[cell], od.scenarios[4].flows.data()[cell]);
    for (const KzOdScenario& scenario : od.scenarios) {
      EXPECT_LE(od.low.data()[cell], scenario.flows.data()[cell]);
      EXPECT_GE(od.high.data()[cell], scenario.flows.data()[cell]);
    }
  }
  // A larger assumed gross total gives more movers; the nets stay fixed.
  EXPECT_LT(od.scenarios[3].flows.Total(), od.scenarios[5].flows.Total());
  EXPECT_FALSE(od.provenance.official());
}

TEST(KzOd, MissingValuesAndUnbalancedNetsAreErrors) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  Series s = MakeSeries(system, 2023);
  EXPECT_THROW(KzOdInputsFromSeries(system, s.population, s.net, 2022), ComputeError);
  s.net.Set(0, 2023, 123456, s.net.AddProvenance(Provenance::Official("test")));
  EXPECT_THROW(KzOdInputsFromSeries(system, s.population, s.net, 2023), ComputeError);
}

}  // namespace
}  // namespace kazmig::estimate

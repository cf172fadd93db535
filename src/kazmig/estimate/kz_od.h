// Kazakhstan's estimated inter-regional origin-destination matrix: one place for the inputs, the
// assumptions and the sensitivity grid, used by `kazmig estimate kz-od`, the built-in dataset
// (data/kz/od_internal_estimated.csv) and the report.
//
//   KzOdInputs in = KzOdInputsFromSeries(RegionSystem::Builtin("kz-2022"), population_avg,
//                                        net_internal, 2023);
//   KzOdEstimate od = EstimateKzOd(in, {});      // default assumptions, 3 x 3 grid
//   od.central.fit.flows;                          // the central estimate (decay 1, 350,000)
//   od.scenarios;                                  // every (decay, total) run of the grid
//   od.low, od.high;                               // cell-wise bands over the grid
//
// The data identify only the regional nets: the prior's distance decay and the gross total are
// assumptions (methods/estimation.md), so every figure derived from the matrix should be shown
// with its range over `scenarios`.
#ifndef KAZMIG_ESTIMATE_KZ_OD_H_
#define KAZMIG_ESTIMATE_KZ_OD_H_

#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/estimate/gravity.h"
#include "kazmig/estimate/net.h"

namespace kazmig::estimate {

struct KzOdInputs {
  int year = 0;
  GravityInput gravity;      // ids, average population, centroids, in region-system order
  std::vector<double> nets;  // official inter-regional net (in - out), same order
};

// Collects the year's average population and inter-regional net of every region of `system`.
// Throws ComputeError naming the region and the missing series when a value is absent, and when
// the nets do not sum to zero (to 1e-9 of their absolute sum).
KzOdInputs KzOdInputsFromSeries(const RegionSystem& system, const RegionSeries& population_avg,
                                const RegionSeries& net_internal, int year);

struct KzOdAssumptions {
  double decay = 1.0;      // central distance decay of the gravity prior
  double total = 350000;   // central gross total of inter-regional movers in the year
  double decay_low = 0.5;  // sensitivity grid: decay in {low, central, high}
  double decay_high = 1.5;
  double total_low = 250000;  // and total in {low, central, high}
  double total_high = 450000;
  NetMethod method = NetMethod::kIpf;
};

struct KzOdScenario {
  double decay = 0;
  double total = 0;
  FlowMatrix flows;
};

struct KzOdEstimate {
  int year = 0;
  KzOdAssumptions assumptions;
  OdFromNetsResult central;
  std::vector<KzOdScenario> scenarios;  // the 3 x 3 grid, decay-major; includes the central run
  FlowMatrix low;                       // cell-wise minimum over `scenarios`
  FlowMatrix high;                      // cell-wise maximum over `scenarios`
  Provenance provenance;                // estimated, with method, inputs and assumptions
};

// The central estimate and the sensitivity grid. Throws ComputeError when any run does not
// converge (naming the run, its iterations and the remaining net error).
KzOdEstimate EstimateKzOd(const KzOdInputs& inputs, const KzOdAssumptions& assumptions);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_KZ_OD_H_

// An estimated inter-regional origin-destination matrix from regional net migration: a gravity
// prior (populations and great-circle distance) constrained to the official nets.
//
//   GravityInput in{ids, population, latitude, longitude};
//   OdFromNetsResult r = OdFromNets(in, nets, {.decay = 1.0, .total = 350000});
//   r.fit.flows;                                   // estimated flows; nets reproduced
//   OdSensitivity s = OdFromNetsSensitivity(in, nets, {0.5, 1.0, 1.5}, {250e3, 350e3, 450e3});
//   s.low, s.high;                                 // cell-wise bands over the grid
//
// The data identify only the nets: the distance decay and the gross total are assumptions, so
// every use should carry the sensitivity bands (docs/methods estimation.md).
#ifndef KAZMIG_ESTIMATE_GRAVITY_H_
#define KAZMIG_ESTIMATE_GRAVITY_H_

#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/estimate/net.h"

namespace kazmig::estimate {

struct GravityInput {
  std::vector<std::string> ids;
  std::vector<double> population;
  std::vector<double> latitude;   // degrees
  std::vector<double> longitude;  // degrees
};

// Great-circle distance in km (haversine, Earth radius 6371.0088 km).
double GreatCircleKm(double lat1, double lon1, double lat2, double lon2);

// m_ij = P_i P_j d_ij^-decay (i != j), scaled so that its off-diagonal total is `total`.
// Throws InputError for non-positive populations or coincident centroids, UsageError for a
// non-positive total or a non-finite decay, ComputeError for inconsistent sizes (core/check.h).
FlowMatrix GravityPrior(const GravityInput& input, double decay, double total);

struct OdFromNetsOptions {
  double decay = 1.0;
  double total = 350000;
  NetMethod method = NetMethod::kIpf;
  NetMatrixOptions net_options = {};
};

struct OdFromNetsResult {
  FlowMatrix prior;
  NetMatrixResult fit;  // fit.flows: the estimate
  double decay = 0;
  double total = 0;
};

// The gravity prior constrained to `nets` (in - out per region, summing to zero).
OdFromNetsResult OdFromNets(const GravityInput& input, const std::vector<double>& nets,
                            const OdFromNetsOptions& options);

struct OdSensitivity {
  FlowMatrix low;   // cell-wise minimum over the grid
  FlowMatrix high;  // cell-wise maximum over the grid
  int runs = 0;
  int converged_runs = 0;
};

// Runs OdFromNets over every (decay, total) pair of the grid.
OdSensitivity OdFromNetsSensitivity(const GravityInput& input, const std::vector<double>& nets,
                                    const std::vector<double>& decays,
                                    const std::vector<double>& totals, NetMethod method);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_GRAVITY_H_

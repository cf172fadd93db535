// Indicators of an *estimated* origin-destination matrix with their sensitivity band, and the
// aggregate net migration rate from official regional nets alone.
//
//   // one central matrix and the runs of a sensitivity grid (estimate::EstimateKzOd)
//   std::vector<const FlowMatrix*> runs = {&od.scenarios[0].flows, ...};
//   indicators::BandedIndicators b =
//       indicators::ComputeBandedIndicators(od.central.fit.flows, runs, population);
//   b.cmp.value;  b.cmp.low;  b.cmp.high;     // central value, min and max over central + runs
//
//   double anmr = indicators::AnmrFromNets(nets, population);   // official nets, per 100
//
// Every banded value is computed with ComputeSystemIndicators (summary.h) on each matrix; the band
// is the minimum and maximum over the central matrix and every run, so it always contains the
// central value. AnmrFromNets = 100 (1/2) sum |net_i| / sum p_i, the same ANMR as
// ComputeSystemIndicators gives for any matrix with those nets (Bell et al. 2002).
#ifndef KAZMIG_INDICATORS_BANDS_H_
#define KAZMIG_INDICATORS_BANDS_H_

#include <cstddef>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::indicators {

struct Band {
  double value = 0;  // of the central matrix
  double low = 0;    // minimum over the central matrix and the runs
  double high = 0;   // maximum over the central matrix and the runs
};

struct BandedIndicators {
  size_t runs = 0;  // sensitivity runs (besides the central matrix)
  Band total_flow;  // inter-regional moves (off-diagonal total)
  Band cmp;         // per 100 population
  Band cmp_per_1000;
  Band courgeau_k;
  Band mei;
  Band anmr;
  Band gini_total;
  Band gini_total_corrected;
  Band mwg_mean;
  Band acv;
  Band connectivity;
};

// Throws ComputeError when a matrix or the population does not match the central matrix's size,
// or a population is not positive (as ComputeSystemIndicators).
BandedIndicators ComputeBandedIndicators(const FlowMatrix& central,
                                         const std::vector<const FlowMatrix*>& runs,
                                         const std::vector<double>& population);

// 100 (1/2) sum |net_i| / sum p_i. Throws ComputeError for unequal sizes, an empty input or a
// population that is not positive.
double AnmrFromNets(const std::vector<double>& nets, const std::vector<double>& population);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_BANDS_H_

// Flows from net totals, and net migration rescaled to a zero sum.
//
//   FlowMatrix prior = ...;                         // e.g. a gravity model, diagonal ignored
//   NetMatrixResult r = NetMatrix(prior, {30, 40, -15, -55}, NetMethod::kIpf);
//   r.flows;                                        // in - out of every region == net
//   std::vector<double> zero_sum = RescaleNet({10, -4, -3}, RescaleMethod::kNoSwitches);
//
// Nets are in - out (arrivals minus departures) per region and must sum to zero.
#ifndef KAZMIG_ESTIMATE_NET_H_
#define KAZMIG_ESTIMATE_NET_H_

#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::estimate {

enum class NetMethod {
  kIpf,      // migest's net_matrix_ipf: the quadratic fixed point for alpha
  kEntropy,  // the same problem as a convex dual, solved by Newton's method
};

struct NetMatrixOptions {
  // Nets hold when |in_i - out_i - net_i| <= tol * max(1, in_i + out_i) for every region (the
  // gap relative to the region's gross flows, the scale at which in - out is computed).
  double tol = 1e-10;
  int max_iterations = 10000;
};

struct NetMatrixResult {
  FlowMatrix flows;  // y_ij = alpha_i m_ij / alpha_j, diagonal 0
  std::vector<double> alpha;
  std::string method;
  int iterations = 0;
  double max_net_error = 0.0;  // the largest relative gap (see NetMatrixOptions::tol)
  bool converged = false;
};

// Finds the flows y closest to `prior` in Kullback-Leibler divergence,
// sum_ij [y_ij log(y_ij / m_ij) - y_ij + m_ij], such that sum_j y_ji - sum_j y_ij = net_i.
// The solution is multiplicative, y_ij = alpha_i m_ij / alpha_j (Abel & Smith, migest
// net_matrix_ipf/net_matrix_entropy).
//  - kIpf: each alpha_i is the positive root of A alpha^2 + net_i alpha - C = 0 with
//    A = sum_j m_ij / alpha_j and C = sum_j alpha_j m_ji, all regions updated from the previous
//    alphas (Jacobi, as migest), until the nets hold to options.tol.
//  - kEntropy: Newton's method on the dual F(l) = sum_ij m_ij exp(l_i - l_j) + sum_i net_i l_i,
//    l = log alpha, whose gradient is out - in + net; backtracking line search.
// Both reach the same optimum. Zero prior cells (and the diagonal) stay zero; a region whose
// prior has no flows but a non-zero net cannot be fitted (converged = false).
// Throws InputError for negative or non-finite priors, non-finite nets or nets that do not sum to
// zero (to 1e-9 of their absolute sum); ComputeError for sizes that disagree.
NetMatrixResult NetMatrix(const FlowMatrix& prior, const std::vector<double>& net, NetMethod method,
                          const NetMatrixOptions& options = {});

// The sum of net migration over all regions, and whether it cancels: |sum| <= 1e-9 *
// max(1, sum of |net|), the condition NetMatrix requires.
struct NetBalance {
  double sum = 0;
  double abs_sum = 0;
  bool balanced = true;
};
NetBalance BalanceOfNets(const std::vector<double>& net);

enum class RescaleMethod {
  // d = (sum x+ + sum x-) / 2; positives scaled by (sum x+ - d) / sum x+, negatives by
  // (sum x- - d) / sum x-: no value changes sign (migest's rescale_net "no-switches").
  kNoSwitches,
  // x - mean(x): values near zero may change sign.
  kSwitches,
};

// Rescales net migration to sum to zero. With `integer`, rounds half to even and puts the
// rounding residual on the value of largest magnitude, keeping the zero sum. Throws
// InputError when no-switches is asked of values that are all of one sign (and not
// all zero).
std::vector<double> RescaleNet(const std::vector<double>& net, RescaleMethod method,
                               bool integer = false);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_NET_H_

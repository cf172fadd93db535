#include "kazmig/estimate/net.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/estimate/internal/lanes.h"
#include "kazmig/testing/testing.h"

namespace kazmig::estimate {
namespace {

using ::kazmig::testing::NearRel;

FlowMatrix Prior() {
  FlowMatrix m({"A", "B", "C", "D"});
  const double values[] = {0, 100, 30, 70, 50, 0, 45, 5, 60, 35, 0, 40, 20, 25, 20, 0};
  std::copy(std::begin(values), std::end(values), m.data().begin());
  return m;
}

void ExpectNets(const FlowMatrix& flows, const std::vector<double>& net) {
  const auto in = flows.ColSums(), out = flows.RowSums();
  for (size_t idx = 0; idx < net.size(); ++idx) {
    EXPECT_LE(std::abs(in[idx] - out[idx] - net[idx]), 1e-9 * std::max(1.0, in[idx] + out[idx]))
        << idx;
  }
}

// migest net_matrix_ipf reference, printed to 2 decimals.
TEST(NetMatrix, MatchesMigestReference) {
  const std::vector<double> net = {30, 40, -15, -55};
  const double expected[] = {0,     80.58, 26.05, 34.78, 62.05, 0,     48.48, 3.08,
                             69.11, 32.48, 0,     22.89, 40.25, 40.55, 34.95, 0};
  for (NetMethod method : {NetMethod::kIpf, NetMethod::kEntropy}) {
    const NetMatrixResult r = NetMatrix(Prior(), net, method);
    ASSERT_TRUE(r.converged) << r.iterations << " " << r.max_net_error;
    for (size_t cell = 0; cell < 16; ++cell) {
      EXPECT_NEAR(r.flows.data()[cell], expected[cell], 0.005 + 1e-9) << cell;
    }
    EXPECT_NEAR(r.flows.Total(), 495.26, 0.005 + 1e-9);
    ExpectNets(r.flows, net);
  }
}

TEST(NetMatrix, IpfAndEntropyAgreeOnRandomProblems) {
  Rng rng(11);
  for (int trial = 0; trial < 10; ++trial) {
    const size_t n = 3 + rng.UniformInt(20);
    FlowMatrix prior(n);
    for (double& value : prior.data())
      value = rng.Uniform01() < 0.1 ? 0.0 : 1 + 100 * rng.Uniform01();
    prior.ZeroDiagonal();
    // Nets of a known matrix over the same pattern, so the problem is feasible.
    FlowMatrix truth = prior;
    for (double& value : truth.data()) value *= 0.5 + rng.Uniform01();
    const auto in = truth.ColSums(), out = truth.RowSums();
    std::vector<double> net(n);
    for (size_t idx = 0; idx < n; ++idx) net[idx] = in[idx] - out[idx];
    const NetMatrixResult ipf = NetMatrix(prior, net, NetMethod::kIpf);
    const NetMatrixResult entropy = NetMatrix(prior, net, NetMethod::kEntropy);
    ASSERT_TRUE(ipf.converged);
    ASSERT_TRUE(entropy.converged);
    ExpectNets(ipf.flows, net);
    ExpectNets(entropy.flows, net);
    for (size_t cell = 0; cell < n * n; ++cell) {
      EXPECT_TRUE(NearRel(ipf.flows.data()[cell], entropy.flows.data()[cell], 1e-7, 1e-7));
    }
  }
}

TEST(NetMatrix, InvariantToRegionOrder) {
  const std::vector<double> net = {30, 40, -15, -55};
  const NetMatrixResult base = NetMatrix(Prior(), net, NetMethod::kIpf);
  const size_t perm[4] = {2, 3, 0, 1};
  FlowMatrix prior(4);
  std::vector<double> permuted_net(4);
  for (size_t i = 0; i < 4; ++i) {
    permuted_net[i] = net[perm[i]];
    for (size_t j = 0; j < 4; ++j) prior(i, j) = Prior()(perm[i], perm[j]);
  }
  const NetMatrixResult permuted = NetMatrix(prior, permuted_net, NetMethod::kIpf);
  for (size_t i = 0; i < 4; ++i) {
    for (size_t j = 0; j < 4; ++j) {
      EXPECT_TRUE(NearRel(permuted.flows(i, j), base.flows(perm[i], perm[j]), 1e-8, 1e-8));
    }
  }
}

TEST(NetMatrix, ZeroNetsReturnThePrior) {
  const NetMatrixResult r = NetMatrix(Prior(), {0, 0, 0, 0}, NetMethod::kIpf);
  // Nets of the prior itself are not zero, so the fit must move it: check nets hold instead.
  ExpectNets(r.flows, {0, 0, 0, 0});
}

TEST(NetMatrix, RejectsBadInput) {
  EXPECT_THROW(NetMatrix(Prior(), {1, 0, 0, 0}, NetMethod::kIpf), InputError);
  EXPECT_THROW(NetMatrix(Prior(), {1, -1}, NetMethod::kIpf), ComputeError);
  FlowMatrix negative = Prior();
  negative(0, 1) = -1;
  EXPECT_THROW(NetMatrix(negative, {0, 0, 0, 0}, NetMethod::kIpf), InputError);
  EXPECT_THROW(NetMatrix(Prior(), {NAN, 0, 0, 0}, NetMethod::kIpf), InputError);
}

TEST(NetMatrix, InfeasibleNetIsReportedNotThrown) {
  FlowMatrix prior = Prior();
  for (size_t idx = 0; idx < 4; ++idx) prior(idx, 3) = prior(3, idx) = 0;  // D isolated
  const NetMatrixResult r =
      NetMatrix(prior, {10, 0, 0, -10}, NetMethod::kIpf, {.tol = 1e-10, .max_iterations = 200});
  EXPECT_FALSE(r.converged);
  EXPECT_GT(r.max_net_error, 1e-3);
}

// The net-constrained IPF one cell at a time, as NetMatrix computed it before its loops took
// several cells at once (issue 20): the reference the faster loops must match bit for bit.
double ReferenceNetError(const FlowMatrix& m, const std::vector<double>& alpha,
                         const std::vector<double>& net) {
  const size_t n = m.size();
  std::vector<double> out(n, 0.0), in(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j || m(i, j) == 0) continue;
      const double flow = alpha[i] * m(i, j) / alpha[j];
      out[i] += flow;
      in[j] += flow;
    }
  }
  double worst = 0.0;
  for (size_t idx = 0; idx < n; ++idx) {
    const double gap = std::abs(in[idx] - out[idx] - net[idx]);
    worst = std::max(worst, gap / std::max(1.0, in[idx] + out[idx]));
  }
  return worst;
}

double ReferenceRoot(double a, double b, double c) {
  if (a > 0 && c > 0) {
    const double disc = std::sqrt(b * b + 4 * a * c);
    return b >= 0 ? 2 * c / (b + disc) : (-b + disc) / (2 * a);
  }
  if (a == 0 && b > 0 && c > 0) return c / b;
  if (c == 0 && a > 0 && b < 0) return -b / a;
  return 1.0;
}

NetMatrixResult ReferenceNetMatrixIpf(const FlowMatrix& m, const std::vector<double>& net,
                                      const NetMatrixOptions& options) {
  const size_t n = m.size();
  NetMatrixResult result;
  result.alpha.assign(n, 1.0);
  std::vector<double>& alpha = result.alpha;
  result.max_net_error = ReferenceNetError(m, alpha, net);
  result.converged = result.max_net_error <= options.tol;
  while (!result.converged && result.iterations < options.max_iterations) {
    for (size_t i = 0; i < n; ++i) {
      double a = 0.0, c = 0.0;
      for (size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        a += m(i, j) / alpha[j];
        c += alpha[j] * m(j, i);
      }
      alpha[i] = ReferenceRoot(a, net[i], c);
    }
    double log_mean = 0.0;
    for (double value : alpha) log_mean += std::log(value);
    const double norm = std::exp(log_mean / static_cast<double>(n));
    for (double& value : alpha) value /= norm;
    ++result.iterations;
    result.max_net_error = ReferenceNetError(m, alpha, net);
    result.converged = result.max_net_error <= options.tol;
  }
  result.flows = FlowMatrix(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i != j) result.flows(i, j) = alpha[i] * m(i, j) / alpha[j];
    }
  }
  return result;
}

// Sizes around the four-row and two-column steps (1 to 13, and 64), zero cells, a non-zero
// diagonal (NetMatrix leaves it out), and runs stopped after 1, 2, 3... sweeps: every figure equal
// to the one-cell-at-a-time reference, not merely close.
TEST(NetMatrix, IpfIsBitForBitTheOneCellAtATimeFit) {
  Rng rng(20);
  for (size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 64}) {
    for (int trial = 0; trial < 4; ++trial) {
      FlowMatrix prior(n);
      const double zeros = 0.1 * trial;
      for (double& value : prior.data()) {
        value = rng.Uniform01() < zeros ? 0.0 : rng.Uniform(0.5, 1e5 * rng.Uniform01());
      }
      if (trial % 2 == 0) prior.ZeroDiagonal();
      FlowMatrix truth = prior;
      for (double& value : truth.data()) value *= 0.2 + 2 * rng.Uniform01();
      truth.ZeroDiagonal();
      const auto in = truth.ColSums(), out = truth.RowSums();
      std::vector<double> net(n);
      for (size_t idx = 0; idx < n; ++idx) net[idx] = in[idx] - out[idx];
      for (int sweeps : {1, 2, 3, 10000}) {
        const NetMatrixOptions options{.tol = 1e-12, .max_iterations = sweeps};
        const NetMatrixResult slow = ReferenceNetMatrixIpf(prior, net, options);
        // The baseline loops, then the AVX ones (on a CPU that has AVX).
        for (const bool avx : {false, true}) {
          internal::AvxAllowedForTesting() = avx;
          const NetMatrixResult fast = NetMatrix(prior, net, NetMethod::kIpf, options);
          internal::AvxAllowedForTesting() = true;
          const std::string where =
              fmt::format("n={} trial={} sweeps={} avx={}", n, trial, sweeps, avx);
          ASSERT_EQ(fast.iterations, slow.iterations) << where;
          ASSERT_EQ(fast.converged, slow.converged) << where;
          // EXPECT_EQ on doubles: equal bits (none of these is NaN).
          EXPECT_EQ(fast.max_net_error, slow.max_net_error) << where;
          EXPECT_EQ(fast.alpha, slow.alpha) << where;
          EXPECT_EQ(fast.flows.data(), slow.flows.data()) << where;
        }
      }
    }
  }
}

TEST(BalanceOfNets, CancelsToARelativeTolerance) {
  const NetBalance balanced = BalanceOfNets({30, 40, -15, -55});
  EXPECT_TRUE(balanced.balanced);
  EXPECT_EQ(balanced.abs_sum, 140);
  const NetBalance off = BalanceOfNets({30, 40, -15, -50});
  EXPECT_FALSE(off.balanced);
  EXPECT_EQ(off.sum, 5);
  EXPECT_TRUE(BalanceOfNets({1e12, -1e12 + 1e2}).balanced);  // 1e2 <= 1e-9 * 2e12
  EXPECT_TRUE(BalanceOfNets({}).balanced);
}

TEST(RescaleNet, NoSwitchesKeepsSignsAndSumsToZero) {
  const std::vector<double> net = {10, 20, -5, -15};  // sums to 10
  const auto out = RescaleNet(net, RescaleMethod::kNoSwitches);
  EXPECT_NEAR(std::accumulate(out.begin(), out.end(), 0.0), 0, 1e-12);
  // d = 5: positives scaled by 25/30, negatives by -25/-20.
  EXPECT_TRUE(NearRel(out[0], 10 * 25.0 / 30));
  EXPECT_TRUE(NearRel(out[2], -5 * 25.0 / 20));
  for (size_t idx = 0; idx < net.size(); ++idx) EXPECT_EQ(out[idx] > 0, net[idx] > 0);
}

TEST(RescaleNet, SwitchesSubtractsTheMean) {
  const auto out = RescaleNet({1, 2, 3, -2}, RescaleMethod::kSwitches);
  EXPECT_EQ(out, (std::vector<double>{0, 1, 2, -3}));
}

TEST(RescaleNet, IntegerKeepsZeroSum) {
  const auto out = RescaleNet({10.4, 20.4, -5.3, -15.2, 0.3}, RescaleMethod::kNoSwitches, true);
  double sum = 0;
  for (double value : out) {
    EXPECT_EQ(value, std::round(value));
    sum += value;
  }
  EXPECT_EQ(sum, 0);
  EXPECT_THROW(RescaleNet({1, 2}, RescaleMethod::kNoSwitches), InputError);
}

}  // namespace
}  // namespace kazmig::estimate

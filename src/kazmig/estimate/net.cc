#include "kazmig/estimate/net.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "kazmig/core/check.h"
#include "kazmig/estimate/internal/lanes.h"

namespace kazmig::estimate {
namespace {

// Two doubles side by side (SSE2 on x86-64, NEON elsewhere): each lane is the same IEEE operation
// as the scalar code, so results are bit for bit those of one cell at a time.
using Pair = internal::Double2;

Pair LoadPair(const double* at) {
  Pair value;
  __builtin_memcpy(&value, at, sizeof value);
  return value;
}

// Relative net gaps from the sums: the largest |in_i - out_i - net_i| / max(1, in_i + out_i).
double WorstGap(const std::vector<double>& in, const std::vector<double>& out,
                const std::vector<double>& net) {
  double worst = 0.0;
  for (size_t idx = 0; idx < net.size(); ++idx) {
    const double gap = std::abs(in[idx] - out[idx] - net[idx]);
    worst = std::max(worst, gap / std::max(1.0, in[idx] + out[idx]));
  }
  return worst;
}

// Rows [orig_idx, n) one cell at a time: the rows left over by the four-row loops.
void AddRemainingRows(const FlowMatrix& m, const double* a, size_t orig_idx, double* out_sum,
                      double* in_sum) {
  const size_t n = m.size();
  for (; orig_idx < n; ++orig_idx) {
    const double* row = m.row(orig_idx);
    double sum = 0.0;
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx || row[dest_idx] == 0) continue;
      const double flow = a[orig_idx] * row[dest_idx] / a[dest_idx];
      sum += flow;
      in_sum[dest_idx] += flow;
    }
    out_sum[orig_idx] = sum;
  }
}

// Relative net gap of every region for y_ij = alpha_i m_ij / alpha_j.
// out_i sums row i's flows in column order and in_j column j's in row order, leaving out zero
// cells and the diagonal, exactly as one cell at a time would; four rows are taken side by side
// (kWidth divisions per instruction: 2 in the baseline, 4 with AVX; four independent chains of
// additions for the out sums). A left-out cell contributes +0, which changes no sum (the sums
// start at +0). Lane by lane the same IEEE operations, so the same bits (internal/lanes.h).
template <size_t kWidth>
__attribute__((always_inline)) inline double NetErrorBody(const FlowMatrix& m,
                                                          const std::vector<double>& alpha,
                                                          const std::vector<double>& net) {
  using V = internal::Vec<kWidth>;
  constexpr size_t kParts = 4 / kWidth;
  const size_t n = m.size();
  std::vector<double> out(n, 0.0), in(n, 0.0);
  const double* a = alpha.data();
  double* in_sum = in.data();
  const V zero = {};
  size_t orig_idx = 0;
  for (; orig_idx + 4 <= n; orig_idx += 4) {
    const double* rows[4] = {m.row(orig_idx), m.row(orig_idx + 1), m.row(orig_idx + 2),
                             m.row(orig_idx + 3)};
    // The rows' factors, and their indices as doubles (exact: the diagonal is left out with one
    // comparison).
    double scale_lanes[4], index_lanes[4];
    for (size_t lane = 0; lane < 4; ++lane) {
      scale_lanes[lane] = a[orig_idx + lane];
      index_lanes[lane] = static_cast<double>(orig_idx + lane);
    }
    V scale[kParts], index[kParts], out_sums[kParts] = {};
    std::memcpy(scale, scale_lanes, sizeof scale);
    std::memcpy(index, index_lanes, sizeof index);
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      const auto dest = static_cast<double>(dest_idx);
      double column = in_sum[dest_idx];
      for (size_t part = 0; part < kParts; ++part) {
        double cell_lanes[kWidth];
        for (size_t lane = 0; lane < kWidth; ++lane) {
          cell_lanes[lane] = rows[part * kWidth + lane][dest_idx];
        }
        V cells;
        std::memcpy(&cells, cell_lanes, sizeof cells);
        const V flows =
            ((cells != zero) & (index[part] != dest)) ? scale[part] * cells / a[dest_idx] : zero;
        out_sums[part] += flows;
        for (size_t lane = 0; lane < kWidth; ++lane) column = column + flows[lane];
      }
      in_sum[dest_idx] = column;
    }
    for (size_t part = 0; part < kParts; ++part) {
      for (size_t lane = 0; lane < kWidth; ++lane) {
        out[orig_idx + part * kWidth + lane] = out_sums[part][lane];
      }
    }
  }
  AddRemainingRows(m, a, orig_idx, out.data(), in_sum);
  return WorstGap(in, out, net);
}

#if KAZMIG_HAVE_AVX_VARIANT
KAZMIG_TARGET_AVX double NetErrorAvx(const FlowMatrix& m, const std::vector<double>& alpha,
                                     const std::vector<double>& net) {
  return NetErrorBody<4>(m, alpha, net);
}
#endif

double NetError(const FlowMatrix& m, const std::vector<double>& alpha,
                const std::vector<double>& net) {
#if KAZMIG_HAVE_AVX_VARIANT
  if (internal::CpuHasAvx()) return NetErrorAvx(m, alpha, net);
#endif
  return NetErrorBody<2>(m, alpha, net);
}

// Positive root of a x^2 + b x - c = 0 (a, c >= 0), in a form without cancellation; 1 when there
// is none (migest keeps alpha at 1 then).
double PositiveRoot(double a, double b, double c) {
  if (a > 0 && c > 0) {
    const double disc = std::sqrt(b * b + 4 * a * c);
    return b >= 0 ? 2 * c / (b + disc) : (-b + disc) / (2 * a);
  }
  if (a == 0 && b > 0 && c > 0) return c / b;
  if (c == 0 && a > 0 && b < 0) return -b / a;
  return 1.0;
}

void SolveIpf(const FlowMatrix& m, const std::vector<double>& net, const NetMatrixOptions& options,
              NetMatrixResult& result) {
  const size_t n = m.size();
  std::vector<double>& alpha = result.alpha;
  while (result.iterations < options.max_iterations) {
    // Gauss-Seidel: each region uses the alphas already updated in this sweep (migest updates
    // all from the previous sweep; the fixed point is the same, Gauss-Seidel gets there faster).
    for (size_t region_idx = 0; region_idx < n; ++region_idx) {
      // a = sum_j m_ij / alpha_j and c = sum_j alpha_j m_ji over j != i, in order of j; the
      // divisions two at a time (the same quotients), the additions one by one.
      const double* row = m.row(region_idx);
      const double* column = m.data().data() + region_idx;
      double a = 0.0, c = 0.0;
      auto add_span = [&](size_t begin, size_t end) {
        size_t other_idx = begin;
        for (; other_idx + 2 <= end; other_idx += 2) {
          const Pair quotient = LoadPair(row + other_idx) / LoadPair(alpha.data() + other_idx);
          a += quotient[0];
          a += quotient[1];
          c += alpha[other_idx] * column[other_idx * n];
          c += alpha[other_idx + 1] * column[(other_idx + 1) * n];
        }
        for (; other_idx < end; ++other_idx) {
          a += row[other_idx] / alpha[other_idx];
          c += alpha[other_idx] * column[other_idx * n];
        }
      };
      add_span(0, region_idx);
      add_span(region_idx + 1, n);
      alpha[region_idx] = PositiveRoot(a, net[region_idx], c);
    }
    // alpha is defined up to a common factor; keep its geometric mean at 1 so it cannot drift.
    double log_mean = 0.0;
    for (double value : alpha) log_mean += std::log(value);
    const double norm = std::exp(log_mean / static_cast<double>(n));
    for (double& value : alpha) value /= norm;
    ++result.iterations;
    result.max_net_error = NetError(m, alpha, net);
    if (result.max_net_error <= options.tol) {
      result.converged = true;
      return;
    }
  }
}

// Solves H x = g for symmetric positive definite H (Cholesky); false if not positive definite.
bool SolveSpd(std::vector<double> h, std::vector<double>& x, size_t n) {
  for (size_t col_idx = 0; col_idx < n; ++col_idx) {
    double diag = h[col_idx * n + col_idx];
    for (size_t k = 0; k < col_idx; ++k) diag -= h[col_idx * n + k] * h[col_idx * n + k];
    if (!(diag > 0)) return false;
    diag = std::sqrt(diag);
    h[col_idx * n + col_idx] = diag;
    for (size_t row_idx = col_idx + 1; row_idx < n; ++row_idx) {
      double value = h[row_idx * n + col_idx];
      for (size_t k = 0; k < col_idx; ++k) value -= h[row_idx * n + k] * h[col_idx * n + k];
      h[row_idx * n + col_idx] = value / diag;
    }
  }
  for (size_t row_idx = 0; row_idx < n; ++row_idx) {
    double value = x[row_idx];
    for (size_t k = 0; k < row_idx; ++k) value -= h[row_idx * n + k] * x[k];
    x[row_idx] = value / h[row_idx * n + row_idx];
  }
  for (size_t row_idx = n; row_idx-- > 0;) {
    double value = x[row_idx];
    for (size_t k = row_idx + 1; k < n; ++k) value -= h[k * n + row_idx] * x[k];
    x[row_idx] = value / h[row_idx * n + row_idx];
  }
  return true;
}

void SolveEntropy(const FlowMatrix& m, const std::vector<double>& net,
                  const NetMatrixOptions& options, NetMatrixResult& result) {
  const size_t n = m.size();
  std::vector<double> lambda(n, 0.0);
  auto dual = [&](const std::vector<double>& l) {
    double value = 0.0;
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        if (orig_idx != dest_idx && m(orig_idx, dest_idx) > 0) {
          value += m(orig_idx, dest_idx) * std::exp(l[orig_idx] - l[dest_idx]);
        }
      }
      value += net[orig_idx] * l[orig_idx];
    }
    return value;
  };
  std::vector<double> gradient(n), hessian(n * n), step(n), trial(n);
  while (result.iterations < options.max_iterations) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::fill(hessian.begin(), hessian.end(), 0.0);
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        if (orig_idx == dest_idx || m(orig_idx, dest_idx) == 0) continue;
        const double flow = m(orig_idx, dest_idx) * std::exp(lambda[orig_idx] - lambda[dest_idx]);
        gradient[orig_idx] += flow;
        gradient[dest_idx] -= flow;
        hessian[orig_idx * n + orig_idx] += flow;
        hessian[dest_idx * n + dest_idx] += flow;
        hessian[orig_idx * n + dest_idx] -= flow;
        hessian[dest_idx * n + orig_idx] -= flow;
      }
    }
    for (size_t idx = 0; idx < n; ++idx) gradient[idx] += net[idx];
    // The dual is invariant to adding a constant to lambda; a small ridge (relative to the
    // Hessian's scale) fixes the gauge and covers regions without flows.
    double scale = 0.0;
    for (size_t idx = 0; idx < n; ++idx) scale = std::max(scale, hessian[idx * n + idx]);
    for (size_t idx = 0; idx < n; ++idx) hessian[idx * n + idx] += 1e-12 * std::max(scale, 1.0);
    step = gradient;
    if (!SolveSpd(hessian, step, n)) break;
    const double current = dual(lambda);
    double slope = 0.0;
    for (size_t idx = 0; idx < n; ++idx) slope += gradient[idx] * step[idx];
    double length = 1.0;
    for (int halving = 0; halving < 60; ++halving) {
      for (size_t idx = 0; idx < n; ++idx) trial[idx] = lambda[idx] - length * step[idx];
      // The tolerance term lets the last steps through when the decrease is below the rounding
      // of F itself.
      if (dual(trial) <= current - 1e-4 * length * slope + 1e-13 * std::abs(current)) break;
      length /= 2;
    }
    lambda = trial;
    ++result.iterations;
    for (size_t idx = 0; idx < n; ++idx) result.alpha[idx] = std::exp(lambda[idx]);
    result.max_net_error = NetError(m, result.alpha, net);
    if (result.max_net_error <= options.tol) {
      result.converged = true;
      return;
    }
  }
}

}  // namespace

NetMatrixResult NetMatrix(const FlowMatrix& prior, const std::vector<double>& net, NetMethod method,
                          const NetMatrixOptions& options) {
  const size_t n = prior.size();
  CheckSameSize("NetMatrix", "nets", net.size(), "prior rows", n);
  CheckPositiveSetting("NetMatrix", "tol", options.tol);
  CheckAtLeastSetting("NetMatrix", "max_iterations", options.max_iterations, 1);
  CheckAllFinite("NetMatrix", "net", net);
  const NetBalance balance = BalanceOfNets(net);
  CheckData(balance.balanced, "NetMatrix", fmt::format("nets sum to {:g}, not zero", balance.sum));
  CheckNonNegative("NetMatrix", "prior cell", prior.data());
  NetMatrixResult result;
  result.alpha.assign(n, 1.0);
  result.max_net_error = NetError(prior, result.alpha, net);
  if (result.max_net_error <= options.tol) {
    result.converged = true;
  } else if (method == NetMethod::kIpf) {
    result.method = "net-constrained IPF";
    SolveIpf(prior, net, options, result);
  } else {
    SolveEntropy(prior, net, options, result);
  }
  result.method = method == NetMethod::kIpf ? "net-constrained IPF (migest net_matrix_ipf)"
                                            : "net-constrained minimum entropy (Newton, dual)";
  result.flows = prior.ids().size() == n ? FlowMatrix(prior.ids()) : FlowMatrix(n);
  const double* alpha = result.alpha.data();
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    const double* in_row = prior.row(orig_idx);
    double* out_row = result.flows.row(orig_idx);
    const double scale = alpha[orig_idx];
    // Below and above the diagonal (left 0), so that the compiler divides several at a time.
    for (size_t dest_idx = 0; dest_idx < orig_idx; ++dest_idx) {
      out_row[dest_idx] = scale * in_row[dest_idx] / alpha[dest_idx];
    }
    for (size_t dest_idx = orig_idx + 1; dest_idx < n; ++dest_idx) {
      out_row[dest_idx] = scale * in_row[dest_idx] / alpha[dest_idx];
    }
  }
  return result;
}

NetBalance BalanceOfNets(const std::vector<double>& net) {
  NetBalance balance;
  for (double value : net) {
    balance.sum += value;
    balance.abs_sum += std::abs(value);
  }
  balance.balanced = std::abs(balance.sum) <= 1e-9 * std::max(1.0, balance.abs_sum);
  return balance;
}

std::vector<double> RescaleNet(const std::vector<double>& net, RescaleMethod method, bool integer) {
  std::vector<double> out = net;
  if (net.empty()) return out;
  if (method == RescaleMethod::kSwitches) {
    const double mean = std::accumulate(net.begin(), net.end(), 0.0) / net.size();
    for (double& value : out) value -= mean;
  } else {
    double positive = 0.0, negative = 0.0;
    for (double value : net) (value > 0 ? positive : negative) += value;
    const double d = (positive + negative) / 2;
    if (d != 0) {
      CheckData(positive != 0 && negative != 0, "RescaleNet",
                "no-switches needs both positive and negative values");
      const double scale_positive = (positive - d) / positive;
      const double scale_negative = (negative - d) / negative;
      for (double& value : out) value *= value > 0 ? scale_positive : scale_negative;
    }
  }
  if (integer) {
    double sum = 0.0;
    size_t largest = 0;
    for (size_t idx = 0; idx < out.size(); ++idx) {
      if (std::abs(out[idx]) > std::abs(out[largest])) largest = idx;
    }
    for (double& value : out) {
      value = std::nearbyint(value);
      sum += value;
    }
    out[largest] -= sum;
  }
  return out;
}

}  // namespace kazmig::estimate

#include "kazmig/project/mcmc_diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include "kazmig/core/error.h"

namespace kazmig::project {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The chains cut in halves (2M chains of floor(n/2) draws; the middle draw of an odd chain is
// dropped), chain-major.
std::vector<double> SplitChains(std::span<const double> draws, size_t chains, size_t* half) {
  const size_t n = draws.size() / chains;
  *half = n / 2;
  std::vector<double> split;
  split.reserve(2 * chains * *half);
  for (size_t chain_idx = 0; chain_idx < chains; ++chain_idx) {
    const double* chain = draws.data() + chain_idx * n;
    split.insert(split.end(), chain, chain + *half);
    split.insert(split.end(), chain + (n - *half), chain + n);
  }
  return split;
}

void CheckShape(std::span<const double> draws, size_t chains) {
  if (chains == 0 || draws.size() % chains != 0) {
    throw ComputeError(
        fmt::format("internal: MCMC diagnostics: {} draws in {} chains", draws.size(), chains));
  }
}

bool AllEqual(std::span<const double> draws) {
  return std::all_of(draws.begin(), draws.end(), [&](double x) { return x == draws.front(); });
}

// R-hat of chains given as they are (no further split).
double RhatOf(std::span<const double> draws, size_t chains) {
  const size_t n = draws.size() / chains;
  if (n < 2) return kNaN;
  if (AllEqual(draws)) return 1.0;
  std::vector<double> means(chains);
  double within = 0;
  for (size_t chain_idx = 0; chain_idx < chains; ++chain_idx) {
    const double* chain = draws.data() + chain_idx * n;
    const double mean = std::accumulate(chain, chain + n, 0.0) / static_cast<double>(n);
    double squares = 0;
    for (size_t k = 0; k < n; ++k) squares += (chain[k] - mean) * (chain[k] - mean);
    means[chain_idx] = mean;
    within += squares / static_cast<double>(n - 1);
  }
  within /= static_cast<double>(chains);
  const double grand = std::accumulate(means.begin(), means.end(), 0.0) / chains;
  double between_var = 0;  // B / n: the variance of the chain means
  if (chains > 1) {
    for (double mean : means) between_var += (mean - grand) * (mean - grand);
    between_var /= static_cast<double>(chains - 1);
  }
  if (within == 0) return between_var > 0 ? std::numeric_limits<double>::infinity() : 1.0;
  const double var_plus =
      within * static_cast<double>(n - 1) / static_cast<double>(n) + between_var;
  return std::sqrt(var_plus / within);
}

// ESS of chains given as they are (no further split).
double EssOf(std::span<const double> draws, size_t chains) {
  const size_t n = draws.size() / chains;
  const double total = static_cast<double>(draws.size());
  if (n < 4) return kNaN;
  if (AllEqual(draws)) return total;
  std::vector<double> means(chains);
  std::vector<std::vector<double>> centred(chains, std::vector<double>(n));
  std::vector<double> acov0(chains);
  for (size_t chain_idx = 0; chain_idx < chains; ++chain_idx) {
    const double* chain = draws.data() + chain_idx * n;
    means[chain_idx] = std::accumulate(chain, chain + n, 0.0) / static_cast<double>(n);
    double squares = 0;
    for (size_t k = 0; k < n; ++k) {
      centred[chain_idx][k] = chain[k] - means[chain_idx];
      squares += centred[chain_idx][k] * centred[chain_idx][k];
    }
    acov0[chain_idx] = squares / static_cast<double>(n);
  }
  // W: mean of the chains' variances (denominator n - 1); var_plus as in RhatOf.
  double within = 0;
  for (double acov : acov0) within += acov * static_cast<double>(n) / static_cast<double>(n - 1);
  within /= static_cast<double>(chains);
  const double grand = std::accumulate(means.begin(), means.end(), 0.0) / chains;
  double between_var = 0;
  if (chains > 1) {
    for (double mean : means) between_var += (mean - grand) * (mean - grand);
    between_var /= static_cast<double>(chains - 1);
  }
  double var_plus = within * static_cast<double>(n - 1) / static_cast<double>(n) + between_var;
  if (chains == 1) var_plus = acov0[0];
  if (!(var_plus > 0)) return kNaN;

  // rho(t) = 1 - (W - mean_m acov_m(t)) / var_plus, acov_m(t) = sum_k c_k c_{k+t} / n.
  auto rho = [&](size_t lag) {
    double mean_acov = 0;
    for (size_t chain_idx = 0; chain_idx < chains; ++chain_idx) {
      const std::vector<double>& c = centred[chain_idx];
      double sum = 0;
      for (size_t k = 0; k + lag < n; ++k) sum += c[k] * c[k + lag];
      mean_acov += sum / static_cast<double>(n);
    }
    mean_acov /= static_cast<double>(chains);
    return 1.0 - (within - mean_acov) / var_plus;
  };
  // Geyer's initial monotone sequence over pairs P_k = rho(2k) + rho(2k+1), rho(0) = 1.
  double sum_pairs = 0;
  double previous_pair = std::numeric_limits<double>::infinity();
  for (size_t lag = 0; lag + 1 < n; lag += 2) {
    const double rho_even = lag == 0 ? 1.0 : rho(lag);
    double pair = rho_even + rho(lag + 1);
    if (!(pair > 0)) break;
    pair = std::min(pair, previous_pair);
    sum_pairs += pair;
    previous_pair = pair;
  }
  const double tau = std::max(-1.0 + 2.0 * sum_pairs, 1.0 / std::log10(total));
  return total / tau;
}

}  // namespace

double SplitRhat(std::span<const double> draws, size_t chains) {
  CheckShape(draws, chains);
  size_t half = 0;
  const std::vector<double> split = SplitChains(draws, chains, &half);
  if (half < 2) return kNaN;
  return RhatOf(split, 2 * chains);
}

double EffectiveSampleSize(std::span<const double> draws, size_t chains) {
  CheckShape(draws, chains);
  size_t half = 0;
  const std::vector<double> split = SplitChains(draws, chains, &half);
  if (half < 4) return kNaN;
  return EssOf(split, 2 * chains);
}

std::vector<double> RankNormalize(std::span<const double> draws) {
  const size_t total = draws.size();
  std::vector<size_t> order(total);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t lhs, size_t rhs) { return draws[lhs] < draws[rhs]; });
  std::vector<double> z(total);
  for (size_t begin = 0; begin < total;) {
    size_t end = begin + 1;
    while (end < total && draws[order[end]] == draws[order[begin]]) ++end;
    // Ranks begin+1 .. end share their average.
    const double rank = 0.5 * static_cast<double>(begin + 1 + end);
    const double p = (rank - 0.375) / (static_cast<double>(total) + 0.25);
    const double score = NormalQuantile(p);
    for (size_t k = begin; k < end; ++k) z[order[k]] = score;
    begin = end;
  }
  return z;
}

McmcDiagnostics Diagnose(std::span<const double> draws, size_t chains) {
  CheckShape(draws, chains);
  McmcDiagnostics result;
  result.rhat_basic = SplitRhat(draws, chains);
  result.ess_basic = EffectiveSampleSize(draws, chains);
  if (AllEqual(draws)) {
    result.rhat = std::isnan(result.rhat_basic) ? result.rhat_basic : 1.0;
    result.ess = result.ess_basic;
    return result;
  }
  const std::vector<double> z = RankNormalize(draws);
  // Folded draws |x - median| for the tails.
  std::vector<double> sorted(draws.begin(), draws.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t total = sorted.size();
  const double median =
      total % 2 == 1 ? sorted[total / 2] : 0.5 * (sorted[total / 2 - 1] + sorted[total / 2]);
  std::vector<double> folded(total);
  for (size_t k = 0; k < total; ++k) folded[k] = std::fabs(draws[k] - median);
  const std::vector<double> z_folded = RankNormalize(folded);
  const double rhat_bulk = SplitRhat(z, chains);
  const double rhat_tail = SplitRhat(z_folded, chains);
  result.rhat =
      std::isnan(rhat_bulk) || std::isnan(rhat_tail) ? kNaN : std::max(rhat_bulk, rhat_tail);
  result.ess = EffectiveSampleSize(z, chains);
  return result;
}

double NormalQuantile(double p) {
  if (!(p > 0 && p < 1)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  // Acklam's algorithm: rational approximations in the centre and in the tails.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // One Halley step on Phi(x) - p, with Phi(x) = erfc(-x / sqrt 2) / 2.
  const double error = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  const double u = error * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

}  // namespace kazmig::project

// Convergence diagnostics of Markov chain Monte Carlo output: split R-hat and effective sample
// size, classic (Gelman et al., "Bayesian Data Analysis", 3rd ed., ch. 11) and rank-normalised
// (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and
// localization: an improved R-hat", Bayesian Analysis 16(2)).
//
// Draws of one parameter are passed chain-major: draws[chain * n + k] for `chains` chains of n
// draws each.
//
//   McmcDiagnostics d = Diagnose(draws, 3);     // d.rhat (bulk/tail max), d.ess (bulk)
//   bool ok = d.rhat <= 1.05 && d.ess >= 300;
//
// A parameter whose draws are all equal has R-hat 1 and ESS equal to the number of draws (there is
// nothing left to mix); equal draws within chains that differ between chains give R-hat +inf.
// Fewer than 4 draws per chain (two per split half) give NaN.
#ifndef KAZMIG_PROJECT_MCMC_DIAGNOSTICS_H_
#define KAZMIG_PROJECT_MCMC_DIAGNOSTICS_H_

#include <cstddef>
#include <span>
#include <vector>

namespace kazmig::project {

struct McmcDiagnostics {
  double rhat = 0;        // max of rank-normalised split R-hat of the draws and of |draw - median|
  double ess = 0;         // bulk ESS: ESS of the rank-normalised split chains
  double rhat_basic = 0;  // classic split R-hat (BDA3) of the raw draws
  double ess_basic = 0;   // ESS of the raw split chains
};

McmcDiagnostics Diagnose(std::span<const double> draws, size_t chains);

// Split R-hat (BDA3 eq. 11.4 on chains cut in halves; the middle draw of an odd-length chain is
// dropped): sqrt(((n-1)/n W + B/n) / W).
double SplitRhat(std::span<const double> draws, size_t chains);

// Effective sample size of split chains: M n / (-1 + 2 sum_k P_k), where P_k = rho(2k) +
// rho(2k+1) are Geyer's pairs of the combined autocorrelations rho(t) = 1 - (W - mean_m
// acov_m(t)) / var_plus, summed while positive and made monotone; capped at M n log10(M n) as
// Stan does.
double EffectiveSampleSize(std::span<const double> draws, size_t chains);

// Replaces each draw by the normal score of its rank among all draws, z = Phi^-1((r - 3/8) /
// (S + 1/4)), ties given their average rank.
std::vector<double> RankNormalize(std::span<const double> draws);

// The standard normal quantile function (Acklam's rational approximation, relative error below
// 1.2e-9, refined by one Halley step on erfc), for 0 < p < 1.
double NormalQuantile(double p);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_MCMC_DIAGNOSTICS_H_

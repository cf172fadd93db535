// Pseudo-Bayes blend of flows from stocks, after Azose & Raftery (2019): the closed
// demographic-accounting estimate (stayer assumption on, the "minimum migration" table of Abel
// 2013) smoothed towards the independence estimate (stayer assumption off), which has fewer
// structural zeros. The blend is the textbook pseudo-Bayes estimator for multinomial tables
// (Bishop, Fienberg & Holland 1975, ch. 12), applied per birthplace x origin row by default:
//
//   p* = N/(N+K) p^ + K/(N+K) lambda,   K^ = (N^2 - sum x^2) / sum (x - N lambda)^2
//
// with x the closed estimate's row (stayers included), N its total and lambda the independence
// row as proportions. Optionally every birthplace slice is refitted by IPF to its start and end
// stocks. Not validated against Azose & Raftery's
// code (not public); see docs/estimate.md for what the sources confirm and what they do not.
//
//   PseudoBayesOptions options;                   // K estimated per row, refit on
//   PseudoBayesSummary summary;
//   FfsResult r = FfsPseudoBayes(s1, s2, options, &summary);
//   summary.weight_median, summary.k_median, r.flows(0, 2)
#ifndef KAZMIG_ESTIMATE_PSEUDO_BAYES_H_
#define KAZMIG_ESTIMATE_PSEUDO_BAYES_H_

#include <optional>
#include <string>

#include "kazmig/estimate/stocks.h"

namespace kazmig::estimate {

// The unit of shrinkage: one K per birthplace x origin row (a multinomial over destinations of
// the people born in b living in i at the start), per birthplace slice, or one for the table.
enum class PseudoBayesLevel { kRow, kBirthplace, kTable };

struct PseudoBayesOptions {
  // Options of the two demographic-accounting fits (stayer_assumption is ignored: the closed
  // estimate is fitted with stayers, the prior without).
  FfsDemoOptions demo;
  PseudoBayesLevel level = PseudoBayesLevel::kRow;
  // K: estimated per unit (BFH's K^) unless `k` is given; or a fixed weight w = K/(N+K) in
  // [0, 1] on the prior for every unit. At most one of the two.
  std::optional<double> k;
  std::optional<double> weight;
  // Refit every birthplace slice to its start and end stocks after blending by 2-D IPF. The
  // blend keeps every row's total (the start stocks) exactly; the end stocks hold exactly only
  // when all rows of a slice have the same weight. Off by default: where some rows keep a zero
  // weight (K^ = 0 for a row whose closed estimate has everybody in one cell) the refit has to
  // push cells to zero and IPF converges very slowly. max_margin_error reports the gap either way.
  bool refit = false;
  double refit_tol = 1e-10;  // relative margin tolerance of the refit
  int refit_max_iterations = 10000;
  // Compute from the factors of the two fits, O(n^2) per birthplace instead of building dense
  // slices, where possible (uniform seed, no refit). Same numbers; the tests compare the two.
  bool structured = true;
};

struct PseudoBayesSummary {
  size_t units = 0;  // units with people (N > 0)
  double k_min = 0, k_median = 0, k_max = 0;
  double weight_min = 0, weight_median = 0, weight_max = 0;
  double weight_mean = 0;   // weighted by N: the share of people moved to the prior
  double closed_total = 0;  // off-diagonal totals of the closed and prior estimates
  double prior_total = 0;
  int refit_iterations = 0;       // largest over the slices
  double refit_margin_error = 0;  // largest relative gap to the start and end stocks
};

// Throws like FfsDemo; UsageError for K and a weight together, a negative K or a weight outside [0,
// 1].
FfsResult FfsPseudoBayes(const FlowMatrix& stock1, const FlowMatrix& stock2,
                         const PseudoBayesOptions& options = {},
                         PseudoBayesSummary* summary = nullptr);

// The textbook weight on the prior for one multinomial unit with counts x and prior proportions
// lambda (sum 1): K^/(N + K^), K^ = (N^2 - sum x^2) / sum (x - N lambda)^2. 0 when N = 0 or when
// x already equals N lambda (then every weight gives the same answer).
double PseudoBayesWeight(const double* x, const double* lambda, size_t size, double* k = nullptr);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_PSEUDO_BAYES_H_

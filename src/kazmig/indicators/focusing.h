// Spatial focusing of a migration system: the Gini family of Plane & Mulligan (1997) with the
// corrections of Bell et al. (2002), coefficients of variation (Rogers & Sweeney 1998) and
// connectivity, following the conventions (and numbers) of the R package migration.indices.
//
//   FlowMatrix m({"A", "B", "C"});
//   ...
//   indicators::Focusing f = indicators::ComputeFocusing(m);
//   f.gini_total_corrected;   // 0.2666667 for the `hyp` matrix of methods/indicators.md
//
// Definitions (M = sum of off-diagonal flows, O_i row sums, D_j column sums, the diagonal is
// ignored; S(x) = sum over ordered pairs (a, b) of |x_a - x_b| of a set of values x):
//   gini_total            = S(all n(n-1) off-diagonal cells) / (2 n(n-1) M)          (P&M)
//   gini_total_corrected  = S(all off-diagonal cells) / (2 (n(n-1) - 1) M)            (Bell)
//   gini_row              = sum_i S(row i) / (2 n(n-1) M);  gini_col likewise by columns
//   gini_exchange         = sum_{i != j} |m_ij - m_ji| / (2 n(n-1) M)
//   *_std                 = 100 * G / gini_total (uncorrected, as migration.indices does)
//   gini_out[i]           = S(row i) / (2 (n-2) O_i)  (corrected; uncorrected 2(n-1))
//   gini_in[j]            = S(column j) / (2 (n-2) D_j)
//   mwg_out               = (1/n) sum_i gini_out[i] D_i / M   (weighted by the *in*-flow share)
//   mwg_in                = (1/n) sum_j gini_in[j] O_j / M    (weighted by the *out*-flow share)
//   mwg_mean              = (mwg_in + mwg_out) / 2
//   cv_out[i]             = population sd / mean of row i's n-1 off-diagonal cells; cv_in by column
//   acv_out = sum_i O_i/M cv_out[i];  acv_in = sum_j D_j/M cv_in[j];  acv = acv_in + acv_out
//   connectivity          = share of off-diagonal cells that are non-zero
// The (1/n) in the migration-weighted Ginis and their cross weights are migration.indices'
// convention (its documentation formula), kept so the numbers match it.
// S(x) is computed in O(N log N) by sorting: for x sorted ascending, S = 2 sum_k x_k (2k - N + 1)
// (0-based k); zeros are counted rather than sorted.
// Undefined values (a region with no out-flows for gini_out/cv_out, n < 3 for corrected field
// Ginis, M = 0) are NaN.
#ifndef KAZMIG_INDICATORS_FOCUSING_H_
#define KAZMIG_INDICATORS_FOCUSING_H_

#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::indicators {

struct Focusing {
  double gini_total = 0;
  double gini_total_corrected = 0;
  double gini_row = 0;
  double gini_row_std = 0;
  double gini_col = 0;
  double gini_col_std = 0;
  double gini_exchange = 0;
  double gini_exchange_std = 0;
  std::vector<double> gini_out;  // corrected, per origin
  std::vector<double> gini_in;   // corrected, per destination
  std::vector<double> gini_out_uncorrected;
  std::vector<double> gini_in_uncorrected;
  double mwg_in = 0;
  double mwg_out = 0;
  double mwg_mean = 0;
  std::vector<double> cv_in;
  std::vector<double> cv_out;
  double acv_in = 0;
  double acv_out = 0;
  double acv = 0;
  double connectivity = 0;
};

// Computes every focusing indicator of `flows` (diagonal ignored). `threads` > 1 runs the three
// independent parts (all cells, rows, columns) on up to three threads; results are identical for
// any thread count.
Focusing ComputeFocusing(const FlowMatrix& flows, int threads = 1);

// S(x) = sum over ordered pairs |x_a - x_b|; reorders `values`.
double SumAbsPairDifferences(std::vector<double>& values);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_FOCUSING_H_

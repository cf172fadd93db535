// Iterative proportional fitting (IPF) of 2-D and n-D tables to known margins.
//
// IPF finds the table closest to a seed (in the Kullback-Leibler sense) whose margins equal the
// targets. It is the workhorse of every flow estimator in this module.
//
//   FlowMatrix seed(2, 1.0);
//   Ipf2Result fit = Ipf2(seed, {18, 20}, {16, 22});
//   if (!fit.converged) { /* report fit.iterations and fit.max_margin_error */ }
//   fit.fitted(0, 1);  // 10.42105...
//   fit.alpha, fit.beta;  // x_ij = alpha_i * beta_j * m_ij (Willekens 1999, migest's cm2)
//
// Expected outcomes (non-convergence, infeasible margins) are reported in the result; only
// malformed arguments (sizes that do not match, negative or non-finite values) throw.
#ifndef KAZMIG_ESTIMATE_IPF_H_
#define KAZMIG_ESTIMATE_IPF_H_

#include <cstddef>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::estimate {

// When an IPF stops.
enum class IpfStopRule {
  // Every margin holds to a relative tolerance: |fitted - target| <= tol * max(1, |target|).
  // kazmig's default: an absolute rule is meaningless across margins of 10 and of 10^8.
  kRelativeMargin,
  // The largest absolute change of any cell over one full cycle is below tol. This is the rule of
  // R's mipfp::Ipfp (Barthelemy & Suesse 2018), which migest's ffs_demo uses with tol = 1e-3; only
  // this rule reproduces migest's (not fully converged) outputs to six significant digits.
  kCellChange,
};

// Which margin is fitted first within a cycle.
enum class IpfOrder {
  kColumnsFirst,  // migest's ipf2 and cm2 (columns, then rows)
  kRowsFirst,     // mipfp with target.list = list(1, 2)
};

struct IpfOptions {
  double tol = 1e-10;
  int max_iterations = 10000;
  IpfStopRule stop_rule = IpfStopRule::kRelativeMargin;
  IpfOrder order = IpfOrder::kColumnsFirst;
};

// Result of a 2-D fit. `fitted` keeps the seed's ids.
struct Ipf2Result {
  FlowMatrix fitted;
  // fitted(i, j) = alpha[i] * beta[j] * seed(i, j). Starting from alpha = beta = 1 with columns
  // first, these are exactly migest's cm2 parameters.
  std::vector<double> alpha;
  std::vector<double> beta;
  int iterations = 0;
  // Largest relative margin gap |fitted - target| / max(1, |target|) over rows and columns.
  double max_margin_error = 0.0;
  // Largest absolute cell change in the last cycle (the kCellChange criterion; when that cycle
  // did not converge, a value at least tol that the scan stopped at).
  double last_cell_change = 0.0;
  bool converged = false;
};

// Fits `seed` (non-negative; zeros are structural and stay zero) to row totals `row_totals` and
// column totals `col_totals`. Either margin may be empty: it is then not fitted (migest's ipf2
// with rtot or ctot NULL). A margin whose target is 0 zeroes its cells; a positive target over
// an all-zero seed row/column cannot be met (converged = false).
//
// Model: log x_ij = log alpha_i + log beta_j + log m_ij (Willekens 1999; Agresti 2002, p. 343).
// Iteration: beta_j = c_j / sum_i alpha_i m_ij, then alpha_i = r_i / sum_j beta_j m_ij (or rows
// first), O(n^2) per cycle on the factors, never forming the table until the end.
// Stopping: see IpfStopRule; the check runs after each full cycle.
// Throws InputError when values are negative or not finite, UsageError for a non-positive tol or
// max_iterations, ComputeError when sizes disagree (core/check.h). It does
// not check that the totals agree: callers decide whether that is an error or to rescale.
Ipf2Result Ipf2(const FlowMatrix& seed, const std::vector<double>& row_totals,
                const std::vector<double>& col_totals, const IpfOptions& options = {});

// migest's cm2 (Willekens 1999, conditional maximisation): the same fit as Ipf2, with alpha
// (rows) updated first from beta = 1, which fixes the scale of the reported alpha and beta.
inline Ipf2Result Cm2(const FlowMatrix& seed, const std::vector<double>& row_totals,
                      const std::vector<double>& col_totals, double tol = 1e-10) {
  return Ipf2(seed, row_totals, col_totals, {.tol = tol, .order = IpfOrder::kRowsFirst});
}

// An n-way table stored densely, last dimension fastest (row-major).
struct Table {
  std::vector<size_t> dims;
  std::vector<double> values;
  size_t size() const { return values.size(); }
};

// One target margin of an n-way table: the dimensions it keeps (ascending) and its values, a
// table over those dimensions (row-major in the kept dimensions).
struct Margin {
  std::vector<size_t> keep;
  std::vector<double> values;
};

struct IpfNResult {
  Table fitted;
  int iterations = 0;
  // Largest relative gap over all margins, as in Ipf2Result.
  double max_margin_error = 0.0;
  double last_cell_change = 0.0;
  bool converged = false;
};

// Sums `table` over every dimension not in `keep`.
std::vector<double> MarginOf(const Table& table, const std::vector<size_t>& keep);

// Fits `seed` to the margins in the given order (one cycle = each margin once), with the same
// rules as Ipf2. Throws like Ipf2; ComputeError for malformed margins.
IpfNResult IpfN(const Table& seed, const std::vector<Margin>& margins,
                const IpfOptions& options = {});

// The sums of a 2-D table's row and column totals. IPF can only meet both when they agree; a
// caller fails or rescales the column totals by ColumnFactor() (RescaleColumnTotals).
struct MarginSums {
  double rows = 0;
  double cols = 0;
  // |rows - cols| <= max(tol, 1e-9) * max(1, rows).
  bool agree = true;
  // The factor that brings the column totals to the rows' sum (0 when the columns sum to 0).
  double ColumnFactor() const { return cols > 0 ? rows / cols : 0.0; }
};
MarginSums CompareMarginSums(const std::vector<double>& row_totals,
                             const std::vector<double>& col_totals, double tol);
// The column totals scaled by sums.ColumnFactor(), so that they sum to the row totals' sum.
std::vector<double> RescaleColumnTotals(std::vector<double> col_totals, const MarginSums& sums);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_IPF_H_

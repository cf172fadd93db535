#include "kazmig/estimate/ipf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/estimate/internal/lanes.h"
#include "kazmig/testing/testing.h"

namespace kazmig::estimate {
namespace {

using ::kazmig::testing::NearRel;

FlowMatrix Matrix(size_t n, std::initializer_list<double> values) {
  FlowMatrix m(n);
  std::copy(values.begin(), values.end(), m.data().begin());
  return m;
}

// migest cm2 reference (Willekens 1999 data), printed to 7-8 digits by migest stopped at 1e-6:
// a converged fit agrees to about 1e-6 relative, so the tolerance is 2e-6.
// cm2 updates alpha (rows) first from beta = 1, which fixes the scale of alpha and beta.
TEST(Ipf2, MatchesMigestCm2) {
  const Ipf2Result fit = Cm2(Matrix(2, {5, 2, 1, 7}), {18, 20}, {16, 22});
  ASSERT_TRUE(fit.converged);
  EXPECT_TRUE(NearRel(fit.fitted(0, 0), 13.250194, 2e-6));
  EXPECT_TRUE(NearRel(fit.fitted(0, 1), 4.749808, 2e-6));
  EXPECT_TRUE(NearRel(fit.fitted(1, 0), 2.749806, 2e-6));
  EXPECT_TRUE(NearRel(fit.fitted(1, 1), 17.250192, 2e-6));
  EXPECT_TRUE(NearRel(fit.alpha[0], 2.4853919, 2e-6));
  EXPECT_TRUE(NearRel(fit.alpha[1], 2.5789604, 2e-6));
  EXPECT_TRUE(NearRel(fit.beta[0], 1.0662459, 2e-6));
  EXPECT_TRUE(NearRel(fit.beta[1], 0.9555451, 2e-6));
}

TEST(Ipf2, IndependenceFitWithOnes) {
  const Ipf2Result fit = Ipf2(FlowMatrix(2, 1.0), {18, 20}, {16, 22});
  ASSERT_TRUE(fit.converged);
  // Independence: x_ij = r_i c_j / total, exact.
  EXPECT_TRUE(NearRel(fit.fitted(0, 0), 18.0 * 16 / 38));
  EXPECT_TRUE(NearRel(fit.fitted(0, 1), 18.0 * 22 / 38));
  EXPECT_TRUE(NearRel(fit.fitted(1, 0), 20.0 * 16 / 38));
  EXPECT_TRUE(NearRel(fit.fitted(1, 1), 11.57895, 1e-6));  // migest prints 7 digits
}

TEST(Ipf2, MarginsHoldToRelativeToleranceOnRandomTables) {
  Rng rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 2 + rng.UniformInt(30);
    FlowMatrix seed(n);
    for (double& value : seed.data()) value = rng.Uniform01() < 0.2 ? 0.0 : rng.Exponential(1.0);
    for (size_t idx = 0; idx < n; ++idx) seed(idx, idx) = 1.0;  // keep every row/column feasible
    // Targets from a known table over the same zero pattern, so the problem is feasible.
    FlowMatrix truth = seed;
    for (double& value : truth.data()) value *= (1 + 1000 * rng.Uniform01());
    const auto rows = truth.RowSums(true), cols = truth.ColSums(true);
    const Ipf2Result fit = Ipf2(seed, rows, cols);
    ASSERT_TRUE(fit.converged) << "trial " << trial;
    const auto fitted_rows = fit.fitted.RowSums(true), fitted_cols = fit.fitted.ColSums(true);
    for (size_t idx = 0; idx < n; ++idx) {
      EXPECT_LE(std::abs(fitted_rows[idx] - rows[idx]), 1e-9 * std::max(1.0, rows[idx]));
      EXPECT_LE(std::abs(fitted_cols[idx] - cols[idx]), 1e-9 * std::max(1.0, cols[idx]));
    }
    for (size_t cell = 0; cell < n * n; ++cell) {
      if (seed.data()[cell] == 0) {
        EXPECT_EQ(fit.fitted.data()[cell], 0.0);  // structural zero
      }
    }
    EXPECT_LE(fit.max_margin_error, 1e-10);
  }
}

TEST(Ipf2, InvariantToRegionOrder) {
  const FlowMatrix seed = Matrix(3, {50, 120, 545, 10, 120, 0, 220, 30, 10});
  const std::vector<double> rows = {170, 120, 410}, cols = {500, 140, 60};
  const Ipf2Result fit = Ipf2(seed, rows, cols);
  const size_t perm[3] = {2, 0, 1};
  FlowMatrix permuted(3);
  std::vector<double> prow(3), pcol(3);
  for (size_t i = 0; i < 3; ++i) {
    prow[i] = rows[perm[i]];
    pcol[i] = cols[perm[i]];
    for (size_t j = 0; j < 3; ++j) permuted(i, j) = seed(perm[i], perm[j]);
  }
  const Ipf2Result pfit = Ipf2(permuted, prow, pcol);
  for (size_t i = 0; i < 3; ++i) {
    for (size_t j = 0; j < 3; ++j) {
      EXPECT_TRUE(NearRel(pfit.fitted(i, j), fit.fitted(perm[i], perm[j]), 1e-9, 1e-9));
    }
  }
}

TEST(Ipf2, InfeasibleMarginReportsNonConvergence) {
  // Row 0 has only a structural zero seed but a positive target.
  const Ipf2Result fit = Ipf2(Matrix(2, {0, 0, 1, 1}), {5, 5}, {5, 5}, {.max_iterations = 50});
  EXPECT_FALSE(fit.converged);
  EXPECT_EQ(fit.iterations, 50);
  EXPECT_GT(fit.max_margin_error, 0.5);
}

TEST(Ipf2, CellChangeRuleStopsEarlier) {
  IpfOptions loose;
  loose.stop_rule = IpfStopRule::kCellChange;
  loose.tol = 1e-3;
  const Ipf2Result coarse = Ipf2(Matrix(2, {5, 2, 1, 7}), {18, 20}, {16, 22}, loose);
  const Ipf2Result fine = Ipf2(Matrix(2, {5, 2, 1, 7}), {18, 20}, {16, 22});
  EXPECT_TRUE(coarse.converged);
  EXPECT_LT(coarse.iterations, fine.iterations);
  EXPECT_LT(coarse.last_cell_change, 1e-3);
}

// Ipf2 as it was written before its sparse products were vectorised (issue 20): plain loops, each
// row sum over the row's non-zero cells in column order, each column sum over the column's
// non-zero cells in row order, factors 0 when the target or the margin is 0, and the cell-change
// scan stopping at the end of the first row that reaches tol. Ipf2 must give these numbers bit
// for bit (its outputs are compared byte for byte across versions).
Ipf2Result ReferenceIpf2(const FlowMatrix& seed, const std::vector<double>& rows,
                         const std::vector<double>& cols, const IpfOptions& options) {
  const size_t n = seed.size();
  Ipf2Result result;
  std::vector<double>& alpha = result.alpha;
  std::vector<double>& beta = result.beta;
  alpha.assign(n, 1.0);
  beta.assign(n, 1.0);
  auto row_dot = [&](size_t row) {
    double sum = 0.0;
    for (size_t col = 0; col < n; ++col) {
      if (seed(row, col) != 0) sum += seed(row, col) * beta[col];
    }
    return sum;
  };
  auto col_dot = [&](size_t col) {
    double sum = 0.0;
    for (size_t row = 0; row < n; ++row) {
      if (seed(row, col) != 0 && alpha[row] != 0) sum += alpha[row] * seed(row, col);
    }
    return sum;
  };
  auto factor = [](double old, double dot, double target) {
    const double margin = old * dot;
    return (target == 0 || margin == 0) ? 0.0 : old * (target / margin);
  };
  auto update_rows = [&] {
    std::vector<double> dots(n);
    for (size_t row = 0; row < n; ++row) dots[row] = row_dot(row);
    for (size_t row = 0; row < n; ++row) alpha[row] = factor(alpha[row], dots[row], rows[row]);
  };
  auto update_cols = [&] {
    std::vector<double> dots(n);
    for (size_t col = 0; col < n; ++col) dots[col] = col_dot(col);
    for (size_t col = 0; col < n; ++col) beta[col] = factor(beta[col], dots[col], cols[col]);
  };
  auto margin_error = [&] {
    double worst = 0.0;
    auto gap = [](double fitted, double target) {
      return std::abs(fitted - target) / std::max(1.0, std::abs(target));
    };
    for (size_t row = 0; row < n; ++row)
      worst = std::max(worst, gap(alpha[row] * row_dot(row), rows[row]));
    for (size_t col = 0; col < n; ++col)
      worst = std::max(worst, gap(beta[col] * col_dot(col), cols[col]));
    return worst;
  };
  while (result.iterations < options.max_iterations) {
    const std::vector<double> old_alpha = alpha, old_beta = beta;
    if (options.order == IpfOrder::kRowsFirst) {
      update_rows();
      update_cols();
    } else {
      update_cols();
      update_rows();
    }
    ++result.iterations;
    if (options.stop_rule == IpfStopRule::kCellChange) {
      double worst = 0.0;
      for (size_t row = 0; row < n && worst < options.tol; ++row) {
        for (size_t col = 0; col < n; ++col) {
          const double m = seed(row, col);
          if (m == 0) continue;
          worst = std::max(
              worst, std::abs(alpha[row] * beta[col] * m - old_alpha[row] * old_beta[col] * m));
        }
      }
      result.last_cell_change = worst;
      if (worst < options.tol) {
        result.converged = true;
        break;
      }
    } else {
      result.max_margin_error = margin_error();
      if (result.max_margin_error <= options.tol) {
        result.converged = true;
        break;
      }
    }
  }
  result.max_margin_error = margin_error();
  result.fitted = seed;
  for (size_t row = 0; row < n; ++row) {
    for (size_t col = 0; col < n; ++col) {
      result.fitted(row, col) = alpha[row] * beta[col] * seed(row, col);
    }
  }
  return result;
}

// Sparse seeds (at most half the cells non-zero: Ipf2's compressed path, as for the bilateral
// stock tables) with values over nine orders of magnitude, so that summing in another order would
// change low bits; sizes that are and are not multiples of the panels' four lines; a zero row and
// a zero target (infeasible: never converges); both stopping rules, both orders, converged and
// stopped by max_iterations.
TEST(Ipf2, SparsePathGivesTheReferenceNumbersBitForBit) {
  Rng rng(20);
  int compared = 0;
  for (const size_t n : {3, 5, 37, 64, 101}) {
    FlowMatrix seed(n);
    for (double& value : seed.data()) {
      value = rng.Uniform01() < 0.75 ? 0.0 : std::exp(rng.Uniform(-3, 18));
    }
    for (size_t idx = 0; idx < n; ++idx) seed(idx, idx) = std::exp(rng.Uniform(0, 20));
    FlowMatrix truth = seed;
    for (double& value : truth.data()) value *= 0.5 + rng.Uniform01();
    std::vector<double> rows = truth.RowSums(true), cols = truth.ColSums(true);
    if (n == 37) {
      for (size_t col = 0; col < n; ++col) seed(1, col) = 0.0;  // an all-zero row ...
      rows[1] = 5.0;                                            // ... with a positive target
      rows[2] = 0.0;                                            // a zero target
    }
    for (const IpfStopRule rule : {IpfStopRule::kCellChange, IpfStopRule::kRelativeMargin}) {
      for (const IpfOrder order : {IpfOrder::kRowsFirst, IpfOrder::kColumnsFirst}) {
        for (const int max_iterations : {7, 3000}) {
          const IpfOptions options = {.tol = rule == IpfStopRule::kCellChange ? 1e-3 : 1e-9,
                                      .max_iterations = max_iterations,
                                      .stop_rule = rule,
                                      .order = order};
          const Ipf2Result want = ReferenceIpf2(seed, rows, cols, options);
          // The baseline (two-lane) loops, then the AVX ones (on a CPU that has AVX).
          for (const bool avx : {false, true}) {
            internal::AvxAllowedForTesting() = avx;
            const Ipf2Result fit = Ipf2(seed, rows, cols, options);
            internal::AvxAllowedForTesting() = true;
            SCOPED_TRACE(::testing::Message()
                         << "n " << n << ", rule " << static_cast<int>(rule) << ", order "
                         << static_cast<int>(order) << ", max_iterations " << max_iterations
                         << ", avx " << avx);
            EXPECT_EQ(fit.iterations, want.iterations);
            EXPECT_EQ(fit.converged, want.converged);
            EXPECT_EQ(fit.last_cell_change, want.last_cell_change);
            EXPECT_EQ(fit.max_margin_error, want.max_margin_error);
            EXPECT_EQ(fit.alpha, want.alpha);
            EXPECT_EQ(fit.beta, want.beta);
            EXPECT_EQ(fit.fitted.data(), want.fitted.data());
            compared += fit.converged && fit.iterations > 7;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 10);  // most fits converged after more than a few cycles
}

TEST(Ipf2, RejectsMalformedArguments) {
  EXPECT_THROW(Ipf2(FlowMatrix(2, 1.0), {1, 2, 3}, {1, 2}), ComputeError);
  EXPECT_THROW(Ipf2(Matrix(2, {1, -1, 1, 1}), {1, 1}, {1, 1}), InputError);
  EXPECT_THROW(Ipf2(FlowMatrix(2, 1.0), {NAN, 1}, {1, 1}), InputError);
  EXPECT_THROW(Ipf2(FlowMatrix(2, 1.0), {1, 1}, {1, 1}, {.tol = 0}), UsageError);
}

TEST(CompareMarginSums, AgreeToTheToleranceAndRescaleColumns) {
  const MarginSums same = CompareMarginSums({18, 20}, {16, 22}, 1e-10);
  EXPECT_TRUE(same.agree);
  EXPECT_EQ(same.rows, 38);
  const MarginSums off = CompareMarginSums({18, 20}, {16, 25}, 1e-10);
  EXPECT_FALSE(off.agree);
  EXPECT_EQ(off.cols, 41);
  const std::vector<double> scaled = RescaleColumnTotals({16, 25}, off);
  EXPECT_TRUE(NearRel(scaled[0] + scaled[1], 38));
  EXPECT_TRUE(NearRel(scaled[0] / scaled[1], 16.0 / 25.0));
  // A loose tolerance accepts the gap; columns that sum to 0 scale to 0.
  EXPECT_TRUE(CompareMarginSums({18, 20}, {16, 25}, 0.1).agree);
  const MarginSums zero = CompareMarginSums({1, 1}, {0, 0}, 1e-10);
  EXPECT_EQ(zero.ColumnFactor(), 0);
  EXPECT_EQ(RescaleColumnTotals({0, 0}, zero), (std::vector<double>{0, 0}));
}

TEST(IpfN, ThreeWayTableMatchesMargins) {
  Rng rng(3);
  Table truth{{3, 4, 5}, {}};
  truth.values.resize(60);
  for (double& value : truth.values) value = 1 + 100 * rng.Uniform01();
  std::vector<Margin> margins = {{{0, 2}, MarginOf(truth, {0, 2})},
                                 {{1, 2}, MarginOf(truth, {1, 2})},
                                 {{0, 1}, MarginOf(truth, {0, 1})}};
  Table seed{{3, 4, 5}, std::vector<double>(60, 1.0)};
  const IpfNResult fit = IpfN(seed, margins);
  ASSERT_TRUE(fit.converged);
  for (const Margin& margin : margins) {
    const auto got = MarginOf(fit.fitted, margin.keep);
    for (size_t idx = 0; idx < got.size(); ++idx) {
      EXPECT_TRUE(NearRel(got[idx], margin.values[idx], 1e-9));
    }
  }
}

TEST(IpfN, StructuralZerosStayAndInfeasibleIsReported) {
  Table seed{{2, 2, 2}, {1, 0, 1, 1, 1, 1, 0, 1}};
  Table truth = seed;
  truth.values = {3, 0, 2, 5, 4, 1, 0, 6};
  const std::vector<Margin> margins = {{{0, 1}, MarginOf(truth, {0, 1})},
                                       {{1, 2}, MarginOf(truth, {1, 2})},
                                       {{0, 2}, MarginOf(truth, {0, 2})}};
  const IpfNResult fit = IpfN(seed, margins);
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.fitted.values[1], 0.0);
  EXPECT_EQ(fit.fitted.values[6], 0.0);
  // A positive margin over structural zeros only cannot be met.
  Table zero{{2, 2}, {0, 0, 1, 1}};
  const IpfNResult bad =
      IpfN(zero, {{{0}, {1, 1}}, {{1}, {1, 1}}}, {.tol = 1e-10, .max_iterations = 40});
  EXPECT_FALSE(bad.converged);
  EXPECT_EQ(bad.iterations, 40);
}

TEST(IpfN, TwoWayAgreesWithIpf2) {
  const FlowMatrix seed = Matrix(2, {5, 2, 1, 7});
  Table table{{2, 2}, seed.data()};
  const IpfNResult fit = IpfN(table, {{{1}, {16, 22}}, {{0}, {18, 20}}});
  const Ipf2Result fit2 = Ipf2(seed, {18, 20}, {16, 22});
  for (size_t cell = 0; cell < 4; ++cell) {
    EXPECT_TRUE(NearRel(fit.fitted.values[cell], fit2.fitted.data()[cell], 1e-9));
  }
  EXPECT_THROW(IpfN(table, {{{0, 0}, {1, 1}}}), ComputeError);
  EXPECT_THROW(IpfN(table, {{{0}, {1, 1, 1}}}), ComputeError);
  EXPECT_THROW(IpfN(table, {{{0}, {1, -1}}}), InputError);
}

}  // namespace
}  // namespace kazmig::estimate

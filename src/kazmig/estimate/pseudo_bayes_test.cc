#include "kazmig/estimate/pseudo_bayes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"

namespace kazmig::estimate {
namespace {

FlowMatrix Matrix(std::initializer_list<double> values) {
  FlowMatrix m({"A", "B", "C", "D"});
  std::copy(values.begin(), values.end(), m.data().begin());
  return m;
}

// F1 (Abel 2013): the closed estimate has structural zeros (A->B, A->D, B->D, ...).
const FlowMatrix kStart =
    Matrix({1000, 100, 10, 0, 55, 555, 50, 5, 80, 40, 800, 40, 20, 25, 20, 200});
const FlowMatrix kEnd = Matrix({950, 100, 60, 0, 80, 505, 75, 5, 90, 30, 800, 40, 40, 45, 0, 180});

PseudoBayesOptions Converged() {
  PseudoBayesOptions options;
  options.demo.relative_tol = 1e-13;
  return options;
}

FlowMatrix Closed() {
  FfsDemoOptions demo;
  demo.relative_tol = 1e-13;
  return FfsDemo(kStart, kEnd, demo).flows;
}

FlowMatrix Independence() {
  FfsDemoOptions demo;
  demo.relative_tol = 1e-13;
  demo.stayer_assumption = false;
  return FfsDemo(kStart, kEnd, demo).flows;
}

void ExpectSame(const FlowMatrix& a, const FlowMatrix& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t cell = 0; cell < a.data().size(); ++cell) {
    EXPECT_NEAR(a.data()[cell], b.data()[cell], tol) << "cell " << cell;
  }
}

// The stock identity of a closed account: residents at the start - out + in = residents at the end.
void ExpectClosed(const FlowMatrix& flows, const FlowMatrix& s1, const FlowMatrix& s2, double tol) {
  const std::vector<double> start = s1.ColSums(true), end = s2.ColSums(true);
  const std::vector<double> out = flows.RowSums(), in = flows.ColSums();
  for (size_t idx = 0; idx < flows.size(); ++idx) {
    EXPECT_NEAR(start[idx] - out[idx] + in[idx], end[idx], tol) << flows.ids()[idx];
  }
}

TEST(PseudoBayesWeight, TextbookValues) {
  // x = (5, 5), lambda = (0.9, 0.1): K = (100 - 50) / ((5 - 9)^2 + (5 - 1)^2) = 50 / 32.
  const double x[] = {5, 5}, lambda[] = {0.9, 0.1};
  double k = 0;
  const double w = PseudoBayesWeight(x, lambda, 2, &k);
  EXPECT_DOUBLE_EQ(k, 50.0 / 32.0);
  EXPECT_DOUBLE_EQ(w, (50.0 / 32.0) / (10.0 + 50.0 / 32.0));
  // All counts in one cell: no sampling variance, K = 0, the data are kept.
  const double one[] = {10, 0, 0}, flat[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  EXPECT_EQ(PseudoBayesWeight(one, flat, 3, &k), 0.0);
  EXPECT_EQ(k, 0.0);
  // Counts equal to N lambda: the weight does not matter and is reported as 0.
  const double same[] = {9, 1};
  EXPECT_EQ(PseudoBayesWeight(same, lambda, 2), 0.0);
}

TEST(FfsPseudoBayes, WeightZeroIsTheClosedEstimateAndOneTheIndependence) {
  PseudoBayesOptions options = Converged();
  options.weight = 0.0;
  ExpectSame(FfsPseudoBayes(kStart, kEnd, options).flows, Closed(), 1e-7);
  options.weight = 1.0;
  ExpectSame(FfsPseudoBayes(kStart, kEnd, options).flows, Independence(), 1e-7);
}

TEST(FfsPseudoBayes, KToZeroGivesTheClosedEstimateKToInfinityThePrior) {
  PseudoBayesOptions options = Converged();
  options.k = 0.0;
  ExpectSame(FfsPseudoBayes(kStart, kEnd, options).flows, Closed(), 1e-7);
  options.k = 1e15;
  ExpectSame(FfsPseudoBayes(kStart, kEnd, options).flows, Independence(), 1e-5);
  // A moderate fixed K moves every row towards the prior, more for the small rows.
  options.k = 50.0;
  const FlowMatrix mid = FfsPseudoBayes(kStart, kEnd, options).flows;
  EXPECT_GT(mid.Total(), Closed().Total() + 1.0);
  EXPECT_LT(mid.Total(), Independence().Total() - 1.0);
}

TEST(FfsPseudoBayes, CommonWeightLiesBetweenItsInputsCellByCell) {
  const FlowMatrix closed = Closed(), independence = Independence();
  for (double w : {0.1, 0.37, 0.8}) {
    for (bool refit : {false, true}) {
      PseudoBayesOptions options = Converged();
      options.weight = w;
      options.refit = refit;
      const FlowMatrix flows = FfsPseudoBayes(kStart, kEnd, options).flows;
      for (size_t cell = 0; cell < flows.data().size(); ++cell) {
        const double lo = std::min(closed.data()[cell], independence.data()[cell]);
        const double hi = std::max(closed.data()[cell], independence.data()[cell]);
        EXPECT_GE(flows.data()[cell], lo - 1e-7) << "w=" << w << " cell " << cell;
        EXPECT_LE(flows.data()[cell], hi + 1e-7) << "w=" << w << " cell " << cell;
        // With one weight for every row, the blend is linear in the two inputs.
        EXPECT_NEAR(flows.data()[cell],
                    (1 - w) * closed.data()[cell] + w * independence.data()[cell], 1e-7);
      }
    }
  }
}

TEST(FfsPseudoBayes, FillsTheClosedEstimatesStructuralZeros) {
  PseudoBayesOptions options = Converged();
  options.k = 10.0;
  const FlowMatrix flows = FfsPseudoBayes(kStart, kEnd, options).flows;
  const FlowMatrix closed = Closed();
  EXPECT_NEAR(closed(0, 1), 0.0, 1e-9);  // A -> B
  EXPECT_GT(flows(0, 1), 0.1);
  EXPECT_GT(flows.Total(), closed.Total());
}

TEST(FfsPseudoBayes, RefitKeepsTheAccountClosedWhenRowWeightsDiffer) {
  for (PseudoBayesLevel level :
       {PseudoBayesLevel::kRow, PseudoBayesLevel::kBirthplace, PseudoBayesLevel::kTable}) {
    PseudoBayesOptions options = Converged();
    options.level = level;
    options.refit = true;
    options.k = 40.0;  // rows of different sizes get different weights
    PseudoBayesSummary summary;
    const FfsResult r = FfsPseudoBayes(kStart, kEnd, options, &summary);
    EXPECT_TRUE(r.converged);
    EXPECT_LE(r.max_margin_error, 1e-10);
    ExpectClosed(r.flows, kStart, kEnd, 1e-6);
    if (level == PseudoBayesLevel::kRow) {
      EXPECT_LT(summary.weight_min, summary.weight_max);
      EXPECT_EQ(summary.units, 15u);  // the non-empty birthplace x origin rows of F1
    }
  }
  // Without the refit, differing row weights break the end-stock margins.
  PseudoBayesOptions loose = Converged();
  loose.k = 40.0;
  loose.refit = false;
  const FlowMatrix flows = FfsPseudoBayes(kStart, kEnd, loose).flows;
  const std::vector<double> start = kStart.ColSums(true), end = kEnd.ColSums(true);
  double worst = 0;
  for (size_t idx = 0; idx < 4; ++idx) {
    worst = std::max(worst,
                     std::abs(start[idx] - flows.RowSums()[idx] + flows.ColSums()[idx] - end[idx]));
  }
  EXPECT_GT(worst, 1e-3);
}

TEST(FfsPseudoBayes, EstimatedKIsTinyForPersonCounts) {
  // BFH's K^ is of the order of the number of cells, not of N: with rows of tens to thousands of
  // persons the data-driven weight on the prior is small.
  PseudoBayesSummary summary;
  const FfsResult r = FfsPseudoBayes(kStart, kEnd, Converged(), &summary);
  EXPECT_TRUE(r.converged);
  EXPECT_GT(summary.weight_max, 0.0);
  EXPECT_LT(summary.weight_mean, 0.05);
  EXPECT_GT(r.flows.Total(), Closed().Total());
  // Rows keep their totals; the end stocks are off by the reported margin error.
  EXPECT_GT(r.max_margin_error, 1e-9);
  EXPECT_LT(r.max_margin_error, 0.05);
  EXPECT_EQ(summary.refit_iterations, 0);
  const std::vector<double> start = kStart.ColSums(true), end = kEnd.ColSums(true);
  const std::vector<double> out = r.flows.RowSums(), in = r.flows.ColSums();
  for (size_t idx = 0; idx < 4; ++idx) {
    EXPECT_NEAR(start[idx] - out[idx] + in[idx], end[idx],
                4 * r.max_margin_error * std::max(1.0, end[idx]));
  }
}

TEST(FfsPseudoBayes, InvariantToTheOrderOfPlacesAndDeterministic) {
  Rng rng(20190102);
  const size_t n = 6;
  std::vector<std::string> ids;
  for (size_t idx = 0; idx < n; ++idx) ids.push_back(std::string(1, static_cast<char>('A' + idx)));
  FlowMatrix s1(ids), s2(ids);
  for (size_t b = 0; b < n; ++b) {
    for (size_t r = 0; r < n; ++r) {
      const double base = b == r ? 5000.0 : 200.0;
      s1(b, r) = std::round(base * (0.5 + rng.Uniform01()));
      s2(b, r) = std::round(base * (0.5 + rng.Uniform01()));
    }
  }
  // Equal birthplace totals so that no rounding of the global balance enters.
  for (size_t b = 0; b < n; ++b) {
    double d = 0;
    for (size_t r = 0; r < n; ++r) d += s1(b, r) - s2(b, r);
    s2(b, b) += d;
  }
  PseudoBayesOptions options = Converged();
  const FlowMatrix flows = FfsPseudoBayes(s1, s2, options).flows;
  EXPECT_EQ(FfsPseudoBayes(s1, s2, options).flows.data(), flows.data());
  const std::vector<size_t> perm = {3, 0, 5, 1, 4, 2};
  std::vector<std::string> pids;
  for (size_t idx : perm) pids.push_back(ids[idx]);
  FlowMatrix p1(pids), p2(pids);
  for (size_t a = 0; a < n; ++a) {
    for (size_t c = 0; c < n; ++c) {
      p1(a, c) = s1(perm[a], perm[c]);
      p2(a, c) = s2(perm[a], perm[c]);
    }
  }
  const FlowMatrix permuted = FfsPseudoBayes(p1, p2, options).flows;
  for (size_t a = 0; a < n; ++a) {
    for (size_t c = 0; c < n; ++c) {
      EXPECT_NEAR(permuted(a, c), flows(perm[a], perm[c]), 1e-7 * (1 + flows(perm[a], perm[c])));
    }
  }
}

TEST(FfsPseudoBayes, StructuredAndDenseComputationsAgree) {
  for (PseudoBayesLevel level :
       {PseudoBayesLevel::kRow, PseudoBayesLevel::kBirthplace, PseudoBayesLevel::kTable}) {
    for (std::optional<double> k : {std::optional<double>(), std::optional<double>(25.0)}) {
      PseudoBayesOptions fast;  // migest's stopping rule: the closed fit is not converged
      fast.level = level;
      fast.k = k;
      PseudoBayesOptions dense = fast;
      dense.structured = false;
      PseudoBayesSummary fs, ds;
      const FfsResult f = FfsPseudoBayes(kStart, kEnd, fast, &fs);
      const FfsResult d = FfsPseudoBayes(kStart, kEnd, dense, &ds);
      ExpectSame(f.flows, d.flows, 1e-9);
      EXPECT_NEAR(f.max_margin_error, d.max_margin_error, 1e-12);
      EXPECT_NEAR(fs.k_median, ds.k_median, 1e-9 * (1 + ds.k_median));
      EXPECT_NEAR(fs.weight_mean, ds.weight_mean, 1e-12);
      EXPECT_NEAR(fs.closed_total, ds.closed_total, 1e-9);
      EXPECT_NEAR(fs.prior_total, ds.prior_total, 1e-9);
    }
  }
}

TEST(FfsPseudoBayes, RejectsBadParameters) {
  PseudoBayesOptions options;
  options.k = -1;
  EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, options), UsageError);
  options.k.reset();
  options.weight = 1.5;
  EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, options), UsageError);
  options.weight = 0.5;
  options.k = 3;
  EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, options), UsageError);
}

}  // namespace
}  // namespace kazmig::estimate

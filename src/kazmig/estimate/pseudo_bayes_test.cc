#include "kazmig/estimate/pseudo_bayes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/estimate/internal/f1_tables.h"
#include "kazmig/testing/testing.h"

namespace kazmig::estimate {
namespace {

using ::kazmig::testing::NearRel;

constexpr size_t kN = 4;

using internal::kF1End;
using internal::kF1Start;
FlowMatrix Matrix(std::initializer_list<double> values) { return internal::Matrix4(values); }

// The 4-country example of the methods file (F1, Abel 2013) dressed up with made-up births and
// deaths so that the demographic adjustment lands exactly on F1 (all values exact in binary):
//  - deaths in proportion: each column j of F1's start table scaled by 1 + r_j (r = 0.25, 0.5,
//    0.25, 0.5) with deaths d_j = r_j * colsum_j(F1 start), so S1 - D = F1 start;
//  - births to the native born: F1's end table plus b on the diagonal, so S2 - B = F1 end;
//  - stock growth = births - deaths (no global balance) and equal birthplace totals in F1 (no
//    birthplace rescaling).
// Rows are places of birth, columns places of residence.
const FlowMatrix kStart =
    Matrix({1250, 150, 12.5, 0, 68.75, 832.5, 62.5, 7.5, 100, 60, 1000, 60, 25, 37.5, 25, 300});
const FlowMatrix kEnd = Matrix({1010, 100, 60, 0, 80, 545, 75, 5, 90, 30, 850, 40, 40, 45, 0, 200});
const std::vector<double> kDeaths = {288.75, 360, 220, 122.5};
const std::vector<double> kBirths = {60, 40, 50, 20};

// MIN by hand, birthplace by birthplace: stayers min(S1'', S2''); the rest fitted with a seed of
// ones off the diagonal. Born in A: 50 leave A, 50 arrive in C -> A->C 50. Born in B: 50 leave B,
// 25 arrive in A and 25 in C. Born in C: 10 leave B, 10 arrive in A. Born in D: 20 leave C and 20
// leave D, 20 arrive in A and 20 in B -> 10 on each of the four cells. [pob][orig][dest]:
const double kMin[kN][kN][kN] = {
    {{950, 0, 50, 0}, {0, 100, 0, 0}, {0, 0, 10, 0}, {0, 0, 0, 0}},
    {{55, 0, 0, 0}, {25, 505, 25, 0}, {0, 0, 50, 0}, {0, 0, 0, 5}},
    {{80, 0, 0, 0}, {10, 30, 0, 0}, {0, 0, 800, 0}, {0, 0, 0, 40}},
    {{20, 0, 0, 0}, {0, 25, 0, 0}, {10, 10, 0, 0}, {10, 10, 0, 180}},
};

// IND by hand: without stayers and with a seed of ones each birthplace slice is independence,
// S1''[b][o] * S2''[b][d] / N_b (N = 1110, 665, 960, 265).
double Ind(size_t pob, size_t orig, size_t dest) {
  const double total[kN] = {1110, 665, 960, 265};
  return kF1Start(pob, orig) * kF1End(pob, dest) / total[pob];
}

PseudoBayesOptions Exact(std::optional<double> weight = std::nullopt) {
  PseudoBayesOptions options;
  options.demo.births = kBirths;
  options.demo.deaths = kDeaths;
  options.demo.relative_tol = 1e-13;
  options.weight = weight;
  return options;
}

TEST(FfsPseudoBayes, HandWorkedExampleCellByCell) {
  PseudoBayesComponents parts;
  const FfsResult r = FfsPseudoBayes(kStart, kEnd, Exact(), &parts);
  ASSERT_TRUE(r.converged);
  ASSERT_TRUE(parts.min.converged && parts.ind.converged);
  // A few cells written out: IND[A][A][C] = 1000 * 60 / 1110 = 54.054054..., the mix of the
  // stayers of A in A = 0.87 * 950 + 0.13 * 1000 * 950 / 1110 = 937.7612...
  EXPECT_TRUE(NearRel(parts.ind_table.Cell(0, 0, 2), 54.054054054054054, 1e-12));
  EXPECT_TRUE(NearRel(0.87 * parts.min_table.Cell(0, 0, 0) + 0.13 * parts.ind_table.Cell(0, 0, 0),
                      937.76126126126126, 1e-12));
  FlowMatrix expected(kN);
  for (size_t pob = 0; pob < kN; ++pob) {
    for (size_t orig = 0; orig < kN; ++orig) {
      for (size_t dest = 0; dest < kN; ++dest) {
        const double min = kMin[pob][orig][dest], ind = Ind(pob, orig, dest);
        EXPECT_TRUE(NearRel(parts.min_table.Cell(pob, orig, dest), min, 1e-11, 1e-9))
            << "MIN " << pob << orig << dest;
        EXPECT_TRUE(NearRel(parts.ind_table.Cell(pob, orig, dest), ind, 1e-11, 1e-9))
            << "IND " << pob << orig << dest;
        if (orig != dest) expected(orig, dest) += 0.87 * min + 0.13 * ind;
      }
    }
  }
  // Flows: the mix summed over birthplaces; MIN's are F1's reference flows (total 150).
  EXPECT_TRUE(NearRel(parts.min.flows.Total(), 150, 1e-12));
  for (size_t orig = 0; orig < kN; ++orig) {
    for (size_t dest = 0; dest < kN; ++dest) {
      EXPECT_TRUE(NearRel(r.flows(orig, dest), expected(orig, dest), 1e-11, 1e-9))
          << orig << "->" << dest;
    }
  }
  EXPECT_EQ(r.flows.ids(), kStart.ids());
  EXPECT_EQ(r.iterations, parts.min.iterations + parts.ind.iterations);
  EXPECT_NE(r.parameters.find("weight=0.13 (default: Abel & Cohen"), std::string::npos)
      << r.parameters;
}

// The mix is computed from the two fits, so its limits are exactly the two estimators, also with
// migest's stopping rule and non-trivial adjustments (global balance, birthplace rescaling).
TEST(FfsPseudoBayes, WeightZeroIsDemoAndWeightOneIsNoStayerAssumption) {
  const FlowMatrix s1 = Matrix({100, 80, 30, 60, 10, 180, 10, 70, 10, 10, 140, 10, 0, 90, 40, 160});
  const FlowMatrix s2 = Matrix({95, 75, 55, 35, 5, 225, 0, 25, 15, 5, 115, 25, 5, 55, 50, 215});
  PseudoBayesOptions options;
  options.demo.births = {20, 15, 10, 25};
  options.demo.deaths = {12, 18, 7, 9};
  FfsDemoOptions demo = options.demo;
  options.weight = 0.0;
  EXPECT_EQ(FfsPseudoBayes(s1, s2, options).flows.data(), FfsDemo(s1, s2, demo).flows.data());
  options.weight = 1.0;
  demo.stayer_assumption = false;
  EXPECT_EQ(FfsPseudoBayes(s1, s2, options).flows.data(), FfsDemo(s1, s2, demo).flows.data());
  // In between, every flow is the same mix of the two.
  options.weight = 0.3;
  PseudoBayesComponents parts;
  const FfsResult mix = FfsPseudoBayes(s1, s2, options, &parts);
  for (size_t cell = 0; cell < mix.flows.data().size(); ++cell) {
    EXPECT_DOUBLE_EQ(mix.flows.data()[cell],
                     0.7 * parts.min.flows.data()[cell] + 0.3 * parts.ind.flows.data()[cell]);
  }
}

// Both 3-D tables have the adjusted stocks as margins, so the mix has them too; and every region's
// account closes: residents at the start - deaths + births - out + in = residents at the end.
TEST(FfsPseudoBayes, MarginsOfTheMixAreThoseOfBothComponents) {
  const FlowMatrix s1 = Matrix({100, 80, 30, 60, 10, 180, 10, 70, 10, 10, 140, 10, 0, 90, 40, 160});
  FlowMatrix s2 = Matrix({95, 75, 55, 35, 5, 225, 0, 25, 15, 5, 115, 25, 5, 55, 50, 215});
  PseudoBayesOptions options;
  options.demo.births = {20, 15, 10, 25};
  options.demo.deaths = {12, 18, 7, 9};
  options.demo.relative_tol = 1e-13;
  // Stock growth = births - deaths (70 - 46), so no global balance moves the native born.
  s2(0, 0) += (70.0 - 46.0) - (s2.Total(true) - s1.Total(true));
  PseudoBayesComponents parts;
  const FfsResult r = FfsPseudoBayes(s1, s2, options, &parts);
  ASSERT_TRUE(r.converged);
  const AdjustedStocks adjusted = AdjustStocks(s1, s2, options.demo);
  const double w = kPseudoBayesWeight;
  for (size_t pob = 0; pob < kN; ++pob) {
    for (size_t place = 0; place < kN; ++place) {
      double min_out = 0, ind_out = 0, mix_out = 0, min_in = 0, ind_in = 0, mix_in = 0;
      for (size_t other = 0; other < kN; ++other) {
        const double min_cell = parts.min_table.Cell(pob, place, other);
        const double ind_cell = parts.ind_table.Cell(pob, place, other);
        min_out += min_cell;
        ind_out += ind_cell;
        mix_out += (1 - w) * min_cell + w * ind_cell;
        min_in += parts.min_table.Cell(pob, other, place);
        ind_in += parts.ind_table.Cell(pob, other, place);
        mix_in += (1 - w) * parts.min_table.Cell(pob, other, place) +
                  w * parts.ind_table.Cell(pob, other, place);
      }
      const double start = adjusted.start(pob, place), end = adjusted.end(pob, place);
      for (double value : {min_out, ind_out, mix_out}) EXPECT_TRUE(NearRel(value, start, 1e-10));
      for (double value : {min_in, ind_in, mix_in}) EXPECT_TRUE(NearRel(value, end, 1e-10));
    }
  }
  const std::vector<double> res1 = s1.ColSums(true), res2 = s2.ColSums(true);
  for (const FlowMatrix* flows :
       std::vector<const FlowMatrix*>{&r.flows, &parts.min.flows, &parts.ind.flows}) {
    const std::vector<double> in = flows->ColSums(), out = flows->RowSums();
    for (size_t place = 0; place < kN; ++place) {
      const double account = res1[place] - options.demo.deaths[place] + options.demo.births[place] -
                             out[place] + in[place];
      EXPECT_TRUE(NearRel(account, res2[place], 1e-10)) << place;
    }
  }
}

TEST(FfsPseudoBayes, InvariantToTheOrderOfPlaces) {
  const FlowMatrix s1 = Matrix({100, 80, 30, 60, 10, 180, 10, 70, 10, 10, 140, 10, 0, 90, 40, 160});
  const FlowMatrix s2 = Matrix({95, 75, 55, 35, 5, 225, 0, 25, 15, 5, 115, 25, 5, 55, 50, 215});
  PseudoBayesOptions options;
  options.demo.births = {20, 15, 10, 25};
  options.demo.deaths = {12, 18, 7, 9};
  options.demo.relative_tol = 1e-12;
  const size_t perm[kN] = {3, 1, 0, 2};
  FlowMatrix p1({"D", "B", "A", "C"}), p2({"D", "B", "A", "C"});
  PseudoBayesOptions permuted_options = options;
  for (size_t row = 0; row < kN; ++row) {
    permuted_options.demo.births[row] = options.demo.births[perm[row]];
    permuted_options.demo.deaths[row] = options.demo.deaths[perm[row]];
    for (size_t col = 0; col < kN; ++col) {
      p1(row, col) = s1(perm[row], perm[col]);
      p2(row, col) = s2(perm[row], perm[col]);
    }
  }
  const FfsResult base = FfsPseudoBayes(s1, s2, options);
  const FfsResult permuted = FfsPseudoBayes(p1, p2, permuted_options);
  EXPECT_EQ(permuted.flows.ids(), p1.ids());
  for (size_t row = 0; row < kN; ++row) {
    for (size_t col = 0; col < kN; ++col) {
      EXPECT_TRUE(NearRel(permuted.flows(row, col), base.flows(perm[row], perm[col]), 1e-8, 1e-8));
    }
  }
}

TEST(FfsPseudoBayes, ReportsNonConvergenceOfAComponent) {
  const FlowMatrix s1 = Matrix({100, 80, 30, 60, 10, 180, 10, 70, 10, 10, 140, 10, 0, 90, 40, 160});
  const FlowMatrix s2 = Matrix({95, 75, 55, 35, 5, 225, 0, 25, 15, 5, 115, 25, 5, 55, 50, 215});
  PseudoBayesOptions options;
  options.demo.births = {20, 15, 10, 25};
  options.demo.deaths = {12, 18, 7, 9};
  options.demo.relative_tol = 1e-13;
  // A seed that is not of rank one: the independence fit then needs more than one cycle.
  options.demo.seed = Matrix({1, 9, 2, 5, 7, 1, 3, 2, 4, 8, 1, 6, 2, 3, 9, 1});
  options.demo.max_iterations = 1;
  PseudoBayesComponents parts;
  const FfsResult r = FfsPseudoBayes(s1, s2, options, &parts);
  EXPECT_FALSE(parts.ind.converged);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 2);
}

TEST(FfsPseudoBayes, RejectsBadSettings) {
  for (double weight : {-0.01, 1.01, std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, Exact(weight)), UsageError) << weight;
  }
  PseudoBayesOptions no_births = Exact();
  no_births.demo.births.clear();
  EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, no_births), UsageError);
  PseudoBayesOptions no_deaths = Exact();
  no_deaths.demo.deaths.clear();
  EXPECT_THROW(FfsPseudoBayes(kStart, kEnd, no_deaths), UsageError);
  // The bounds themselves are fine.
  EXPECT_TRUE(FfsPseudoBayes(kStart, kEnd, Exact(0.0)).converged);
  EXPECT_TRUE(FfsPseudoBayes(kStart, kEnd, Exact(1.0)).converged);
}

}  // namespace
}  // namespace kazmig::estimate

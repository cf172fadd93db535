#include "kazmig/indicators/summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/indicators/focusing.h"
#include "kazmig/indicators/region_table.h"
#include "kazmig/testing/testing.h"

namespace kazmig::indicators {
namespace {

using ::kazmig::testing::NearRel;

// Reference values below are printed by migration.indices to 7 significant digits.
constexpr double kRef = 1e-6;

FlowMatrix FromRows(const std::vector<std::vector<double>>& rows) {
  FlowMatrix m(rows.size());
  std::vector<std::string> ids;
  for (size_t orig_idx = 0; orig_idx < rows.size(); ++orig_idx) {
    ids.push_back(std::string(1, static_cast<char>('A' + orig_idx)));
    for (size_t dest_idx = 0; dest_idx < rows.size(); ++dest_idx) {
      m(orig_idx, dest_idx) = rows[orig_idx][dest_idx];
    }
  }
  m.set_ids(ids);
  return m;
}

// methods/indicators.md `hyp` (migration.indices' migration.hyp).
FlowMatrix Hyp() { return FromRows({{0, 10, 10}, {20, 0, 20}, {30, 30, 0}}); }
// migration.indices' migration.hyp2 = matrix(c(0, 30, 20, 20, 0, 20, 20, 50, 0), 3, 3).
FlowMatrix Hyp2() { return FromRows({{0, 20, 20}, {30, 0, 50}, {20, 20, 0}}); }

FlowMatrix RandomMatrix(size_t n, uint64_t seed, double zero_share = 0.2) {
  Rng rng(seed);
  FlowMatrix m(n);
  std::vector<std::string> ids;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    ids.push_back("r" + std::to_string(orig_idx));
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx || rng.Uniform01() < zero_share) continue;
      m(orig_idx, dest_idx) = static_cast<double>(rng.UniformInt(1000));
    }
  }
  m.set_ids(ids);
  return m;
}

TEST(Focusing, HypReferenceVector) {
  const Focusing f = ComputeFocusing(Hyp());
  EXPECT_TRUE(NearRel(f.gini_total, 0.2222222, kRef));
  EXPECT_TRUE(NearRel(f.gini_total_corrected, 0.2666667, kRef));
  EXPECT_NEAR(f.gini_row, 0, 1e-15);
  EXPECT_NEAR(f.gini_row_std, 0, 1e-12);
  EXPECT_TRUE(NearRel(f.gini_col, 0.0555556, kRef));
  EXPECT_TRUE(NearRel(f.gini_col_std, 25, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_exchange, 0.05555556, kRef));
  EXPECT_TRUE(NearRel(f.gini_exchange_std, 25, 1e-12));
  for (double g : f.gini_out) EXPECT_NEAR(g, 0, 1e-15);
  EXPECT_TRUE(NearRel(f.gini_in[0], 0.2, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_in[1], 0.5, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_in[2], 0.333333, kRef));
  EXPECT_TRUE(NearRel(f.gini_in_uncorrected[0], 0.1, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_in_uncorrected[2], 0.1666667, kRef));
  EXPECT_TRUE(NearRel(f.mwg_in, 0.1222222, kRef));
  EXPECT_NEAR(f.mwg_out, 0, 1e-15);
  EXPECT_TRUE(NearRel(f.mwg_mean, 0.06111111, kRef));
  EXPECT_TRUE(NearRel(f.acv, 0.3333333, kRef));
  EXPECT_TRUE(NearRel(f.acv_in, 0.3333333, kRef));
  EXPECT_NEAR(f.acv_out, 0, 1e-15);
  EXPECT_TRUE(NearRel(f.cv_in[1], 0.5, 1e-12));
  EXPECT_TRUE(NearRel(f.connectivity, 1.0));
}

TEST(Focusing, Hyp2ReferenceVector) {
  const Focusing f = ComputeFocusing(Hyp2());
  EXPECT_TRUE(NearRel(f.gini_total_corrected, 0.225, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_total, 0.1875, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_row, 0.02083333, kRef));
  EXPECT_TRUE(NearRel(f.gini_row_std, 11.11111, kRef));
  EXPECT_TRUE(NearRel(f.gini_col, 0.04166667, kRef));
  EXPECT_TRUE(NearRel(f.gini_col_std, 22.22222, kRef));
  EXPECT_TRUE(NearRel(f.gini_exchange_std, 22.22222, kRef));
  EXPECT_TRUE(NearRel(f.gini_out[1], 0.25, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_out_uncorrected[1], 0.125, 1e-12));
  EXPECT_TRUE(NearRel(f.gini_in[2], 0.4285714, kRef));
  EXPECT_TRUE(NearRel(f.gini_in_uncorrected[2], 0.2142857, kRef));
  EXPECT_TRUE(NearRel(f.mwg_in, 0.05238095, kRef));
  EXPECT_TRUE(NearRel(f.mwg_out, 0.02083333, kRef));
  EXPECT_TRUE(NearRel(f.mwg_mean, 0.03660714, kRef));
  EXPECT_TRUE(NearRel(f.acv, 0.375, 1e-12));
  EXPECT_TRUE(NearRel(f.acv_in, 0.25, 1e-12));
  EXPECT_TRUE(NearRel(f.acv_out, 0.125, 1e-12));
  EXPECT_TRUE(NearRel(f.cv_out[1], 0.25, 1e-12));
}

TEST(Summary, HypMeiReference) {
  const FlowMatrix hyp = Hyp();
  SystemInputs in;
  in.flows = &hyp;
  const SystemIndicators s = ComputeSystemIndicators(in);
  EXPECT_TRUE(NearRel(s.mei, 25, 1e-12));
  EXPECT_EQ(s.n, 3u);
  EXPECT_EQ(s.total_flow, 120);
  EXPECT_FALSE(s.cmp.has_value());
  EXPECT_FALSE(s.anmr.has_value());
  EXPECT_FALSE(s.mean_distance.has_value());
}

TEST(SumAbsPairDifferences, MatchesQuadraticDefinition) {
  Rng rng(3);
  std::vector<double> values;
  for (int idx = 0; idx < 300; ++idx) {
    values.push_back(rng.Uniform01() < 0.3 ? 0.0 : std::floor(rng.Uniform(0, 50)));
  }
  double brute = 0;
  for (double a : values) {
    for (double b : values) brute += std::abs(a - b);
  }
  std::vector<double> copy = values;
  EXPECT_TRUE(NearRel(SumAbsPairDifferences(copy), brute, 1e-12));
}

TEST(SumAbsPairDifferences, LongVectorsAddTheSortedTermsExactly) {
  // Long enough for the walk over distinct values (integer counts) and for its fallback (many
  // distinct values): both must add the same terms in the same order as a sort, so the result is
  // bit for bit that of the sorted sum, not only near it.
  Rng rng(5);
  for (const bool few_distinct : {true, false}) {
    std::vector<double> values;
    for (int idx = 0; idx < 100000; ++idx) {
      const double v = few_distinct ? std::floor(rng.Uniform(0, 3000)) : rng.Uniform(0, 1e6);
      values.push_back(rng.Uniform01() < 0.2 ? 0.0 : v);
    }
    std::vector<double> nonzero;
    for (double v : values) {
      if (v != 0) nonzero.push_back(v);
    }
    std::sort(nonzero.begin(), nonzero.end());
    const double count = static_cast<double>(values.size());
    double total = 0;
    double rank = count - static_cast<double>(nonzero.size());
    for (double v : nonzero) {
      total += v * (2 * rank - count + 1);
      rank += 1;
    }
    std::vector<double> copy = values;
    EXPECT_EQ(SumAbsPairDifferences(copy), 2 * total) << few_distinct;
  }
}

TEST(Summary, TwoRegionsWorkedByHand) {
  // A -> B 30, B -> A 10; populations 100 and 200.
  const FlowMatrix m = FromRows({{0, 30}, {10, 0}});
  const std::vector<double> pop = {100, 200};
  SystemInputs in;
  in.flows = &m;
  in.population = &pop;
  const SystemIndicators s = ComputeSystemIndicators(in);
  EXPECT_TRUE(NearRel(*s.cmp, 100.0 * 40 / 300));
  EXPECT_TRUE(NearRel(*s.cmp_per_1000, 1000.0 * 40 / 300));
  EXPECT_TRUE(NearRel(*s.courgeau_k, (100.0 * 40 / 300) / std::log(4.0)));
  EXPECT_TRUE(NearRel(s.mei, 50));                        // (20 + 20) / 80
  EXPECT_TRUE(NearRel(*s.anmr, 100 * 0.5 * 40 / 300.0));  // 6.667
  EXPECT_TRUE(NearRel(*s.preference, 4.5));               // 40 / (40 * 2/9)
  EXPECT_TRUE(NearRel(*s.velocity, 0.6));                 // 0.45 + 0.15
  EXPECT_TRUE(NearRel(s.focusing.gini_total, 0.25));      // 40 / (4 * 40)
  EXPECT_TRUE(NearRel(s.focusing.gini_total_corrected, 0.5));
  EXPECT_TRUE(std::isnan(s.focusing.gini_out[0]));  // 2(n-2) = 0: undefined
  const std::vector<RegionRow> rows = ComputeRegionTable(m, &pop);
  EXPECT_EQ(rows[0].net, -20);
  EXPECT_EQ(rows[1].net, 20);
  EXPECT_TRUE(NearRel(*rows[0].net_rate, -200));
  EXPECT_TRUE(NearRel(*rows[1].net_rate, 100));
  EXPECT_TRUE(NearRel(*rows[1].gross_rate, 200));
  EXPECT_TRUE(NearRel(rows[0].mei, -50));
  EXPECT_TRUE(NearRel(rows[0].share_out, 0.75));
  EXPECT_EQ(rows[1].rank_net, 1);
  EXPECT_EQ(*rows[0].rank_net_rate, 2);
}

TEST(Summary, AnmrIdentityHoldsOnRandomSystems) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const FlowMatrix m = RandomMatrix(12, seed);
    Rng rng(seed + 100);
    std::vector<double> pop(12);
    for (double& p : pop) p = rng.Uniform(1e4, 1e6);
    SystemInputs in;
    in.flows = &m;
    in.population = &pop;
    const SystemIndicators s = ComputeSystemIndicators(in);
    EXPECT_TRUE(NearRel(*s.anmr, *s.cmp * s.mei / 100, 1e-12));
  }
}

// Permutes regions: scalar indicators are unchanged, per-region values move with their region.
TEST(Summary, InvariantUnderReorderingRegions) {
  const size_t n = 9;
  const FlowMatrix m = RandomMatrix(n, 42);
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::reverse(perm.begin(), perm.end());
  std::swap(perm[0], perm[4]);
  FlowMatrix p(n);
  std::vector<std::string> ids(n);
  for (size_t a = 0; a < n; ++a) {
    ids[a] = m.ids()[perm[a]];
    for (size_t b = 0; b < n; ++b) p(a, b) = m(perm[a], perm[b]);
  }
  p.set_ids(ids);
  std::vector<double> pop_m(n), pop_p(n);
  for (size_t a = 0; a < n; ++a) pop_m[a] = 1000.0 * (a + 1);
  for (size_t a = 0; a < n; ++a) pop_p[a] = pop_m[perm[a]];
  SystemInputs in_m, in_p;
  in_m.flows = &m;
  in_m.population = &pop_m;
  in_p.flows = &p;
  in_p.population = &pop_p;
  const SystemIndicators a = ComputeSystemIndicators(in_m), b = ComputeSystemIndicators(in_p);
  EXPECT_TRUE(NearRel(a.focusing.gini_total_corrected, b.focusing.gini_total_corrected, 1e-12));
  EXPECT_TRUE(NearRel(a.focusing.gini_row, b.focusing.gini_row, 1e-12));
  EXPECT_TRUE(NearRel(a.focusing.gini_col, b.focusing.gini_col, 1e-12));
  EXPECT_TRUE(NearRel(a.focusing.gini_exchange, b.focusing.gini_exchange, 1e-12));
  EXPECT_TRUE(NearRel(a.focusing.mwg_mean, b.focusing.mwg_mean, 1e-12));
  EXPECT_TRUE(NearRel(a.focusing.acv, b.focusing.acv, 1e-12));
  EXPECT_TRUE(NearRel(a.mei, b.mei, 1e-12));
  EXPECT_TRUE(NearRel(*a.preference, *b.preference, 1e-12));
  EXPECT_TRUE(NearRel(*a.velocity, *b.velocity, 1e-12));
  for (size_t r = 0; r < n; ++r) {
    EXPECT_TRUE(NearRel(b.focusing.gini_in[r], a.focusing.gini_in[perm[r]], 1e-12));
    EXPECT_TRUE(NearRel(b.focusing.cv_out[r], a.focusing.cv_out[perm[r]], 1e-12));
  }
}

TEST(Focusing, GinisAreScaleInvariant) {
  const FlowMatrix m = RandomMatrix(10, 9);
  FlowMatrix scaled = m;
  for (double& v : scaled.data()) v *= 37.5;
  const Focusing a = ComputeFocusing(m), b = ComputeFocusing(scaled);
  EXPECT_TRUE(NearRel(a.gini_total, b.gini_total, 1e-12));
  EXPECT_TRUE(NearRel(a.gini_row_std, b.gini_row_std, 1e-12));
  EXPECT_TRUE(NearRel(a.gini_col_std, b.gini_col_std, 1e-12));
  EXPECT_TRUE(NearRel(a.mwg_in, b.mwg_in, 1e-12));
  EXPECT_TRUE(NearRel(a.acv, b.acv, 1e-12));
  EXPECT_TRUE(NearRel(a.gini_out[3], b.gini_out[3], 1e-12));
}

TEST(Focusing, EqualFlowsHaveNoFocusing) {
  FlowMatrix m(6, 25.0);
  const Focusing f = ComputeFocusing(m);
  EXPECT_EQ(f.gini_total, 0);
  EXPECT_EQ(f.gini_total_corrected, 0);
  EXPECT_EQ(f.gini_row, 0);
  EXPECT_EQ(f.gini_col, 0);
  EXPECT_EQ(f.acv, 0);
  EXPECT_EQ(f.mwg_mean, 0);
  EXPECT_EQ(f.connectivity, 1);
}

TEST(Focusing, SingleCorridorIsMaximallyFocused) {
  FlowMatrix m(5);
  m(1, 3) = 1200;
  const Focusing f = ComputeFocusing(m);
  EXPECT_TRUE(NearRel(f.gini_total_corrected, 1.0, 1e-12));
  EXPECT_TRUE(NearRel(f.connectivity, 1.0 / 20));
  EXPECT_TRUE(NearRel(f.gini_out[1], 1.0, 1e-12));  // corrected: all of row 1 in one cell
  EXPECT_TRUE(NearRel(f.gini_in[3], 1.0, 1e-12));
  EXPECT_TRUE(std::isnan(f.gini_out[0]));  // no out-flows: undefined
  SystemInputs in;
  in.flows = &m;
  EXPECT_TRUE(NearRel(ComputeSystemIndicators(in).mei, 100));
}

TEST(Focusing, ThreadCountDoesNotChangeResults) {
  const FlowMatrix m = RandomMatrix(300, 11, 0.5);
  const Focusing a = ComputeFocusing(m, 1), b = ComputeFocusing(m, 4);
  EXPECT_EQ(a.gini_row, b.gini_row);
  EXPECT_EQ(a.gini_col, b.gini_col);
  EXPECT_EQ(a.acv, b.acv);
  EXPECT_EQ(a.gini_in, b.gini_in);
}

TEST(WeightedMedian, InterpolatesLikeMatrixStats) {
  EXPECT_EQ(WeightedMedian({1, 2, 3}, {1, 1, 1}), 2);
  // mid-point cumulative weights 0.125 and 0.625: 2 + (0.5 - 0.625) / 0.5 * (2 - 1).
  EXPECT_TRUE(NearRel(WeightedMedian({2, 1}, {3, 1}), 1.75));
  // Interpolates between mid-points 5/11 and 21/22 even when one value holds most weight.
  EXPECT_TRUE(NearRel(WeightedMedian({5, 7}, {10, 1}), 5 + (0.5 - 5.0 / 11) / 0.5 * 2));
  EXPECT_EQ(WeightedMedian({5, 7, 9}, {0, 0, 4}), 9);  // zero weights dropped
  EXPECT_TRUE(std::isnan(WeightedMedian({1, 2}, {0, 0})));
}

// The sort-based definition the quickselect in WeightedMedian must reproduce.
double SortedWeightedMedian(const std::vector<double>& values, const std::vector<double>& weights) {
  std::vector<size_t> order;
  double total = 0;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (weights[idx] > 0) {
      order.push_back(idx);
      total += weights[idx];
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  double running = 0, previous_mid = 0;
  for (size_t pos = 0; pos < order.size(); ++pos) {
    const double share = weights[order[pos]] / total;
    running += share;
    const double mid = running - share / 2;
    if (mid >= 0.5) {
      if (pos == 0) return values[order[0]];
      return values[order[pos]] +
             (0.5 - mid) / (mid - previous_mid) * (values[order[pos]] - values[order[pos - 1]]);
    }
    previous_mid = mid;
  }
  return values[order.back()];
}

TEST(WeightedMedian, QuickselectMatchesTheSortedDefinition) {
  Rng rng(17);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 2 + rng.UniformInt(trial < 100 ? 12 : 3000);
    std::vector<double> values(n), weights(n);
    for (size_t idx = 0; idx < n; ++idx) {
      values[idx] = std::floor(rng.Uniform(0, trial % 2 == 0 ? 5 : 1e6));  // ties when even
      weights[idx] = rng.Uniform01() < 0.3 ? 0.0 : std::floor(rng.Uniform(0, 100));
    }
    weights[0] = 1;
    EXPECT_TRUE(
        NearRel(WeightedMedian(values, weights), SortedWeightedMedian(values, weights), 1e-12))
        << trial;
  }
}

// The median distance as ComputeSystemIndicators computed it before its exact bucketed
// selection: WeightedMedian over the off-diagonal cells with a positive flow, in row-major order.
double MedianOfCells(const FlowMatrix& m, const FlowMatrix& d) {
  std::vector<double> values, weights;
  for (size_t a = 0; a < m.size(); ++a) {
    for (size_t b = 0; b < m.size(); ++b) {
      if (a != b && m(a, b) > 0) {
        values.push_back(d(a, b));
        weights.push_back(m(a, b));
      }
    }
  }
  return WeightedMedian(values, weights);
}

TEST(Summary, MedianDistanceIsWeightedMedianBitForBit) {
  Rng rng(23);
  // Each case: size, how distances are drawn, how flows are drawn. Whole flows take the bucketed
  // selection (refined several times when most cells share a narrow band of distances, collected
  // whole when they share one value); fractional flows WeightedMedian itself.
  enum class Dist { kSpread, kFewValues, kNarrowBand, kOneValue, kZeros };
  enum class Flow { kWhole, kHeavyFirst, kFraction };
  struct Case {
    size_t n;
    Dist dist;
    Flow flow;
  };
  const std::vector<Case> cases = {
      {2, Dist::kSpread, Flow::kWhole},       {3, Dist::kFewValues, Flow::kWhole},
      {40, Dist::kSpread, Flow::kWhole},      {40, Dist::kFewValues, Flow::kWhole},
      {40, Dist::kZeros, Flow::kWhole},       {40, Dist::kSpread, Flow::kHeavyFirst},
      {40, Dist::kSpread, Flow::kFraction},   {450, Dist::kSpread, Flow::kWhole},
      {450, Dist::kNarrowBand, Flow::kWhole}, {450, Dist::kOneValue, Flow::kWhole},
      {450, Dist::kFewValues, Flow::kWhole},
  };
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    const Case& c = cases[case_idx];
    FlowMatrix m(c.n), d(c.n);
    for (size_t a = 0; a < c.n; ++a) {
      for (size_t b = 0; b < c.n; ++b) {
        if (a == b) continue;
        switch (c.dist) {
          case Dist::kSpread:
            d(a, b) = rng.Uniform(0.5, 2000);
            break;
          case Dist::kFewValues:
            d(a, b) = 1 + static_cast<double>(rng.UniformInt(4));
            break;
          case Dist::kNarrowBand:
            d(a, b) = 300 + rng.Uniform(0, 1e-9);
            break;
          case Dist::kOneValue:
            d(a, b) = 42.5;
            break;
          case Dist::kZeros:
            d(a, b) = rng.Bernoulli(0.5) ? 0.0 : (rng.Bernoulli(0.5) ? -0.0 : 3);
            break;
        }
        if (rng.Bernoulli(0.3)) continue;
        m(a, b) = static_cast<double>(rng.UniformInt(500));
        if (c.flow == Flow::kFraction) m(a, b) += 0.25;
      }
    }
    if (c.flow == Flow::kHeavyFirst) {
      m(0, 1) = 1e9;  // more than half the weight, at the smallest distance
      d(0, 1) = 0.1;
    }
    SystemInputs in;
    in.flows = &m;
    in.distance = &d;
    in.fit_decay = false;
    const SystemIndicators s = ComputeSystemIndicators(in);
    ASSERT_TRUE(s.median_distance.has_value());
    const double expected = MedianOfCells(m, d);
    EXPECT_EQ(std::bit_cast<uint64_t>(*s.median_distance), std::bit_cast<uint64_t>(expected))
        << "case " << case_idx << ": " << *s.median_distance << " vs " << expected;
  }
}

// Focusing indicators computed beforehand (the command computes them while reading distances)
// are used as given: the same result as computing them there.
TEST(Summary, PrecomputedFocusingIsUsedAsGiven) {
  const FlowMatrix m = RandomMatrix(30, 5);
  FlowMatrix d(m.size());
  for (size_t a = 0; a < m.size(); ++a) {
    for (size_t b = 0; b < m.size(); ++b) d(a, b) = a == b ? 0 : 1.0 + static_cast<double>(a + b);
  }
  SystemInputs in;
  in.flows = &m;
  in.distance = &d;
  in.fit_decay = false;
  in.threads = 2;
  const SystemIndicators plain = ComputeSystemIndicators(in);
  Focusing given = ComputeFocusing(m, 2);
  EXPECT_EQ(given.gini_total, plain.focusing.gini_total);
  given.gini_total = 0.125;  // a value it could not compute: shows that it is used as is
  in.focusing = &given;
  const SystemIndicators with = ComputeSystemIndicators(in);
  EXPECT_EQ(with.focusing.gini_total, 0.125);
  EXPECT_EQ(with.focusing.gini_row, plain.focusing.gini_row);
  EXPECT_EQ(*with.mean_distance, *plain.mean_distance);
  EXPECT_EQ(*with.median_distance, *plain.median_distance);
}

TEST(Summary, DistanceIndicatorsAndDecay) {
  // Flows generated with a known power decay -1.5 (expected values, no noise): beta recovered.
  const size_t n = 8;
  FlowMatrix m(n), d(n);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      d(a, b) = 10.0 + 7.0 * std::abs(static_cast<double>(a) - static_cast<double>(b)) + a + b;
      m(a, b) = std::exp(3 + 0.2 * a + 0.1 * b) * std::pow(d(a, b), -1.5);
    }
  }
  SystemInputs in;
  in.flows = &m;
  in.distance = &d;
  const SystemIndicators s = ComputeSystemIndicators(in);
  ASSERT_TRUE(s.decay.has_value());
  EXPECT_TRUE(s.decay->converged);
  EXPECT_TRUE(NearRel(s.decay->beta, -1.5, 1e-7));
  double weighted = 0;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) weighted += m(a, b) * d(a, b);
  }
  EXPECT_TRUE(NearRel(*s.mean_distance, weighted / m.Total()));
  EXPECT_GT(*s.median_distance, 10);
  EXPECT_LT(*s.median_distance, *s.mean_distance * 2);
}

TEST(Summary, RejectsNonPositivePopulationForRates) {
  const FlowMatrix m = Hyp();
  const std::vector<double> pop = {100, 0, 50};
  SystemInputs in;
  in.flows = &m;
  in.population = &pop;
  try {
    ComputeSystemIndicators(in);
    FAIL() << "expected ComputeError";
  } catch (const ComputeError& e) {
    EXPECT_NE(std::string(e.what()).find("region B has population 0"), std::string::npos);
  }
  EXPECT_THROW(ComputeRegionTable(m, &pop), ComputeError);
  const std::vector<double> short_pop = {1, 2};
  in.population = &short_pop;
  EXPECT_THROW(ComputeSystemIndicators(in), ComputeError);
}

TEST(MultiplicativeComponents, ReconstructsTheFlows) {
  const FlowMatrix m = RandomMatrix(7, 5);
  const MultiplicativeComponents c = ComputeMultiplicativeComponents(m);
  for (size_t a = 0; a < 7; ++a) {
    for (size_t b = 0; b < 7; ++b) {
      if (a == b) continue;
      const double rebuilt =
          c.total * c.origin_share[a] * c.destination_share[b] * c.interaction(a, b);
      EXPECT_TRUE(NearRel(rebuilt, m(a, b), 1e-12, 1e-9));
    }
  }
}

TEST(MultiplicativeComponents, ExpectedIsTheIndependenceModel) {
  // hyp: O = (20, 40, 60), D = (50, 40, 30), T = 120; expected A->B = 20 x 40 / 120.
  const MultiplicativeComponents c = ComputeMultiplicativeComponents(Hyp());
  EXPECT_TRUE(NearRel(c.expected(0, 1), 20.0 * 40 / 120));
  EXPECT_TRUE(NearRel(c.expected(2, 0), 60.0 * 50 / 120));
  EXPECT_EQ(c.expected(1, 1), 0.0);
  EXPECT_EQ(c.expected.ids(), Hyp().ids());
  EXPECT_TRUE(NearRel(c.expected(0, 1) * c.interaction(0, 1), 10));
}

TEST(Trend, ChangeCagrAndLargestSteps) {
  const Trend t = ComputeTrend({2019, 2020, 2021, 2023}, {100, 130, 90, 121});
  EXPECT_EQ(t.change, 21);
  EXPECT_TRUE(NearRel(t.percent_change, 21));
  EXPECT_TRUE(NearRel(t.cagr, std::pow(1.21, 0.25) - 1));
  EXPECT_EQ(t.year_largest_increase, 2023);
  EXPECT_EQ(t.largest_increase, 31);
  EXPECT_EQ(t.year_largest_decrease, 2021);
  EXPECT_EQ(t.largest_decrease, -40);
  EXPECT_TRUE(std::isnan(ComputeTrend({2000, 2001}, {-5, 5}).cagr));
  // Never falling: no largest decrease (not the smallest rise); never rising: no increase.
  const Trend rising = ComputeTrend({2000, 2001, 2002}, {1, 3, 4});
  EXPECT_TRUE(std::isnan(rising.largest_decrease));
  EXPECT_EQ(rising.year_largest_decrease, 0);
  EXPECT_EQ(rising.largest_increase, 2);
  const Trend flat = ComputeTrend({2000, 2001}, {7, 7});
  EXPECT_TRUE(std::isnan(flat.largest_increase));
  EXPECT_TRUE(std::isnan(flat.largest_decrease));
  EXPECT_TRUE(t.undefined.empty());
  EXPECT_THROW(ComputeTrend({2001, 2000}, {1, 2}), ComputeError);
}

// Percent change and growth are undefined unless every value is positive (issue 18: Akmola's net
// -936 -> -4,151 printed -343.5% beside a CAGR of +110.6%); the absolute change stays.
TEST(Trend, PercentChangeAndGrowthUndefinedForNetsAndSignChanges) {
  const Trend net = ComputeTrend({2022, 2023, 2024}, {-936, -3326, -4151});
  EXPECT_EQ(net.change, -3215);
  EXPECT_TRUE(std::isnan(net.percent_change));
  EXPECT_TRUE(std::isnan(net.cagr));
  EXPECT_EQ(net.undefined, "the series is zero or below");
  const Trend flip = ComputeTrend({2022, 2023, 2024}, {100, -20, 50});
  EXPECT_TRUE(std::isnan(flip.percent_change));
  EXPECT_TRUE(std::isnan(flip.cagr));
  EXPECT_EQ(flip.undefined, "the series changes sign");
  const Trend from_zero = ComputeTrend({2022, 2023}, {0, 10});
  EXPECT_TRUE(std::isnan(from_zero.percent_change));
  EXPECT_EQ(from_zero.undefined, "the series is zero or below");
}

TEST(RankDescending, TiesShareRank) {
  EXPECT_EQ(RankDescending({5, 9, 5, 1}), (std::vector<int>{2, 1, 2, 4}));
}

}  // namespace
}  // namespace kazmig::indicators

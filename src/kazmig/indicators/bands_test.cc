#include "kazmig/indicators/bands.h"

#include <gtest/gtest.h>

#include "kazmig/core/error.h"
#include "kazmig/indicators/summary.h"

namespace kazmig::indicators {
namespace {

FlowMatrix Scaled(const std::vector<std::vector<double>>& rows, double factor) {
  FlowMatrix m({"A", "B", "C"});
  for (size_t orig_idx = 0; orig_idx < 3; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < 3; ++dest_idx) {
      m(orig_idx, dest_idx) = factor * rows[orig_idx][dest_idx];
    }
  }
  return m;
}

// methods/indicators.md `hyp`.
const std::vector<std::vector<double>> kHyp = {{0, 10, 10}, {20, 0, 20}, {30, 30, 0}};
const std::vector<double> kPopulation = {1000, 2000, 3000};

TEST(BandedIndicators, CentralValuesAreTheSystemIndicators) {
  const FlowMatrix central = Scaled(kHyp, 1);
  const BandedIndicators b = ComputeBandedIndicators(central, {}, kPopulation);
  SystemInputs in;
  in.flows = &central;
  in.population = &kPopulation;
  const SystemIndicators s = ComputeSystemIndicators(in);
  EXPECT_EQ(b.runs, 0u);
  EXPECT_DOUBLE_EQ(b.cmp.value, *s.cmp);
  EXPECT_DOUBLE_EQ(b.cmp.low, *s.cmp);
  EXPECT_DOUBLE_EQ(b.cmp.high, *s.cmp);
  EXPECT_DOUBLE_EQ(b.mei.value, 25.0);  // the reference vector
  EXPECT_NEAR(b.gini_total_corrected.value, 0.2666667, 1e-6);
  EXPECT_NEAR(b.acv.value, 0.3333333, 1e-6);
  EXPECT_DOUBLE_EQ(b.total_flow.value, 120.0);
  EXPECT_DOUBLE_EQ(b.cmp.value, 100.0 * 120 / 6000);
}

TEST(BandedIndicators, BandIsMinMaxOverRunsAndContainsCentral) {
  const FlowMatrix central = Scaled(kHyp, 1);
  const FlowMatrix half = Scaled(kHyp, 0.5);
  const FlowMatrix twice = Scaled(kHyp, 2);
  FlowMatrix other = Scaled(kHyp, 1);
  other(0, 1) = 40;  // a different shape: focusing changes
  const BandedIndicators b = ComputeBandedIndicators(central, {&half, &twice, &other}, kPopulation);
  EXPECT_EQ(b.runs, 3u);
  EXPECT_DOUBLE_EQ(b.cmp.low, 0.5 * b.cmp.value);
  EXPECT_DOUBLE_EQ(b.cmp.high, 100.0 * 240 / 6000);
  EXPECT_DOUBLE_EQ(b.cmp_per_1000.high, 10 * b.cmp.high);
  // MEI and the Ginis are scale-invariant: only `other` widens their band.
  EXPECT_LT(b.gini_total_corrected.low, b.gini_total_corrected.high);
  for (const Band* band :
       {&b.total_flow, &b.cmp, &b.cmp_per_1000, &b.courgeau_k, &b.mei, &b.anmr, &b.gini_total,
        &b.gini_total_corrected, &b.mwg_mean, &b.acv, &b.connectivity}) {
    EXPECT_LE(band->low, band->value);
    EXPECT_GE(band->high, band->value);
  }
  const BandedIndicators scale_only =
      ComputeBandedIndicators(central, {&half, &twice}, kPopulation);
  EXPECT_NEAR(scale_only.mei.low, scale_only.mei.high, 1e-12);
  EXPECT_NEAR(scale_only.gini_total_corrected.low, scale_only.gini_total_corrected.high, 1e-12);
}

TEST(BandedIndicators, SizeMismatchIsComputeError) {
  const FlowMatrix central = Scaled(kHyp, 1);
  const FlowMatrix small(2);
  EXPECT_THROW(ComputeBandedIndicators(central, {&small}, kPopulation), ComputeError);
  EXPECT_THROW(ComputeBandedIndicators(central, {}, {1, 2}), ComputeError);
  EXPECT_THROW(ComputeBandedIndicators(central, {}, {1000, 0, 3000}), ComputeError);
}

TEST(AnmrFromNets, EqualsTheMatrixAnmr) {
  const FlowMatrix m = Scaled(kHyp, 1);
  SystemInputs in;
  in.flows = &m;
  in.population = &kPopulation;
  const SystemIndicators s = ComputeSystemIndicators(in);
  // nets D - O: A 50 - 20 = 30, B 40 - 40 = 0, C 30 - 60 = -30
  EXPECT_DOUBLE_EQ(AnmrFromNets({30, 0, -30}, kPopulation), *s.anmr);
  EXPECT_DOUBLE_EQ(AnmrFromNets({30, 0, -30}, kPopulation), 100.0 * 30 / 6000);
  EXPECT_THROW(AnmrFromNets({1, -1}, kPopulation), ComputeError);
  EXPECT_THROW(AnmrFromNets({}, {}), ComputeError);
  EXPECT_THROW(AnmrFromNets({1, -1}, {10, 0}), ComputeError);
}

}  // namespace
}  // namespace kazmig::indicators

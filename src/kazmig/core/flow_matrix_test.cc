#include "kazmig/core/flow_matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region_series.h"

namespace kazmig {
namespace {

TEST(FlowMatrix, MarginsIgnoreTheDiagonalUnlessAsked) {
  FlowMatrix m({"A", "B", "C"});
  // hyp matrix of methods/indicators.md, plus a diagonal that must be ignored.
  const double cells[3][3] = {{5, 10, 10}, {20, 7, 20}, {30, 30, 9}};
  for (size_t orig = 0; orig < 3; ++orig) {
    for (size_t dest = 0; dest < 3; ++dest) m(orig, dest) = cells[orig][dest];
  }
  EXPECT_EQ(m.RowSums(), (std::vector<double>{20, 40, 60}));
  EXPECT_EQ(m.ColSums(), (std::vector<double>{50, 40, 30}));
  EXPECT_EQ(m.Total(), 120);
  EXPECT_EQ(m.Total(true), 141);
  EXPECT_EQ(m.RowSums(true)[0], 25);
  const FlowMatrix t = m.Transposed();
  EXPECT_EQ(t(0, 2), 30);
  EXPECT_EQ(t.ids(), m.ids());
  m.ZeroDiagonal();
  EXPECT_EQ(m.Total(true), 120);
}

TEST(FlowMatrix, EmptyMatrixHasZeroTotals) {
  FlowMatrix m(0);
  EXPECT_EQ(m.Total(), 0.0);
  EXPECT_TRUE(m.RowSums().empty());
}

TEST(Provenance, RoundTripsThroughText) {
  const auto official = Provenance::Official("BNS table 6584", "1 January; released 2023-05");
  EXPECT_EQ(official.ToString(), "official: BNS table 6584 (1 January; released 2023-05)");
  EXPECT_EQ(Provenance::Parse(official.ToString()), official);
  const auto estimated = Provenance::Estimated("net-constrained IPF (gravity prior)",
                                               "beta=1.2 (Aldashev & Dietz 2011)");
  EXPECT_EQ(Provenance::Parse(estimated.ToString()), estimated);
  const auto bare = Provenance::Estimated("stock differencing");
  EXPECT_EQ(Provenance::Parse(bare.ToString()), bare);
  EXPECT_THROW(Provenance::Parse("made up"), InputError);
}

TEST(Provenance, PreliminaryFlagRoundTripsThroughItsDetail) {
  auto preliminary = Provenance::Official("CIS-Stat", "transcribed; 2025 may be preliminary");
  preliminary.preliminary = true;
  EXPECT_EQ(preliminary.ToString(), "official: CIS-Stat (transcribed; 2025 may be preliminary)");
  EXPECT_EQ(Provenance::Parse(preliminary.ToString()), preliminary);
  const auto final_figure = Provenance::Official("CIS-Stat", "transcribed");
  EXPECT_FALSE(Provenance::Parse(final_figure.ToString()).preliminary);
  EXPECT_TRUE(Provenance::DetailMarksPreliminary("Preliminary estimate"));
  EXPECT_FALSE(Provenance::DetailMarksPreliminary(""));
}

TEST(RegionSeries, FindsRegionsById) {
  RegionSeries series("net_internal", "persons", {"71", "75", "KZ"});
  EXPECT_EQ(series.Find("75"), std::optional<size_t>(1));
  EXPECT_EQ(series.Find("KZ"), std::optional<size_t>(2));
  EXPECT_FALSE(series.Find("Atlantis").has_value());
  EXPECT_FALSE(RegionSeries().Find("71").has_value());
}

TEST(RegionSeries, KeepsValuesWithTheirProvenance) {
  RegionSeries s("population_avg", "persons", {"71", "75"});
  const size_t off = s.AddProvenance(Provenance::Official("BNS table 6576"));
  const size_t est = s.AddProvenance(Provenance::Estimated("linear interpolation"));
  EXPECT_EQ(s.AddProvenance(Provenance::Official("BNS table 6576")), off);
  s.Set(1, 2023, 2228675, off);
  s.Set(0, 2024, 1400000, est);
  EXPECT_EQ(*s.Get(1, 2023), 2228675);
  EXPECT_FALSE(s.Get(0, 2023).has_value());
  EXPECT_TRUE(s.ProvenanceOf(1, 2023).official());
  EXPECT_FALSE(s.ProvenanceOf(0, 2024).official());
  EXPECT_EQ(s.Years(), (std::vector<int>{2023, 2024}));
  EXPECT_TRUE(std::isnan(s.Column(2023)[0]));
  EXPECT_THROW(s.Set(5, 2023, 1, off), std::out_of_range);
  EXPECT_THROW(s.ProvenanceOf(0, 2023), std::out_of_range);
}

TEST(InputError, FormatsItsLocation) {
  EXPECT_STREQ(InputError("f.csv", 12, 3, "bad").what(), "f.csv:12:3: bad");
  EXPECT_STREQ(InputError("f.csv", 12, 0, "bad").what(), "f.csv:12: bad");
  EXPECT_STREQ(InputError("f.csv", 0, 0, "bad").what(), "f.csv: bad");
  EXPECT_EQ(InputError("x").exit_code(), ExitCode::kInvalidInput);
  EXPECT_EQ(UsageError("x").exit_code(), ExitCode::kUsage);
  EXPECT_EQ(ComputeError("x").exit_code(), ExitCode::kComputeFailure);
}

}  // namespace
}  // namespace kazmig

#include "kazmig/indicators/rates.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/indicators/summary.h"
#include "kazmig/testing/testing.h"

namespace kazmig::indicators {
namespace {

using ::kazmig::testing::NearRel;

TEST(RatePerThousand, Definition) {
  EXPECT_TRUE(NearRel(RatePerThousand(50078, 1'400'000), 35.77, 1e-9));
  EXPECT_TRUE(NearRel(RatePerThousand(-30, 2000), -15));
  EXPECT_EQ(RatePerThousand(0, 10), 0.0);
}

TEST(RatePerThousand, UndefinedWithoutAPositivePopulation) {
  EXPECT_TRUE(std::isnan(RatePerThousand(100, 0)));
  EXPECT_TRUE(std::isnan(RatePerThousand(100, -5)));
  EXPECT_TRUE(std::isnan(RatePerThousand(std::nan(""), 10)));
  EXPECT_TRUE(std::isnan(RatePerThousand(10, std::nan(""))));
}

TEST(Turnover, HypReference) {
  // methods/indicators.md `hyp`: D = (50, 40, 30), O = (20, 40, 60); MEI 25, CMP 2 of 6,000.
  const Turnover t = SumTurnover({50, 40, 30}, {20, 40, 60});
  EXPECT_EQ(t.total, 120.0);
  EXPECT_EQ(t.abs_net, 60.0);
  EXPECT_EQ(t.gross, 240.0);
  EXPECT_EQ(MigrationEffectiveness(t), 25.0);
  EXPECT_EQ(CrudeMigrationProbability(t.total, 6000), 2.0);
}

TEST(Turnover, NoMovesHaveNoEffectiveness) {
  EXPECT_TRUE(std::isnan(MigrationEffectiveness(SumTurnover({0, 0}, {0, 0}))));
  EXPECT_TRUE(std::isnan(MigrationEffectiveness(SumTurnover({}, {}))));
  EXPECT_THROW(SumTurnover({1, 2}, {1}), ComputeError);
}

TEST(Turnover, EqualsTheSystemIndicatorsOfAMatrix) {
  FlowMatrix m({"A", "B", "C", "D"});
  const double cells[4][4] = {{0, 3, 7, 1}, {2, 0, 9, 4}, {8, 1, 0, 6}, {5, 5, 2, 0}};
  for (size_t orig_idx = 0; orig_idx < 4; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < 4; ++dest_idx)
      m(orig_idx, dest_idx) = cells[orig_idx][dest_idx];
  }
  const std::vector<double> population = {100, 250, 80, 400};
  SystemInputs in;
  in.flows = &m;
  in.population = &population;
  const SystemIndicators s = ComputeSystemIndicators(in);
  const Turnover t = SumTurnover(m.ColSums(), m.RowSums());
  EXPECT_EQ(MigrationEffectiveness(t), s.mei);
  EXPECT_EQ(t.total, s.total_flow);
  EXPECT_EQ(CrudeMigrationProbability(t.total, 830), *s.cmp);
}

TEST(SummariseNets, SumsRatesAndAnmr) {
  const NetSummary s = SummariseNets({30, 0, -30}, {1000, 2000, 3000});
  EXPECT_EQ(s.n, 3u);
  EXPECT_EQ(s.population, 6000.0);
  EXPECT_EQ(s.net_sum, 0.0);
  EXPECT_TRUE(NearRel(s.anmr, 100 * 0.5 * 60 / 6000));  // = CMP x MEI / 100 of hyp: 2 x 25 / 100
  ASSERT_EQ(s.net_rate.size(), 3u);
  EXPECT_EQ(s.net_rate[0], 30.0);
  EXPECT_EQ(s.net_rate[2], -10.0);
}

TEST(SummariseNets, RejectsBadInput) {
  EXPECT_THROW(SummariseNets({}, {}), ComputeError);
  EXPECT_THROW(SummariseNets({1, -1}, {10}), ComputeError);
  EXPECT_THROW(SummariseNets({1, -1}, {10, 0}), ComputeError);
}

TEST(RankByNetRate, HighestFirstTiesByNameSkipsEmpty) {
  const std::vector<RankedNet> ranked = RankByNetRate(
      {{"B", 10, 1000}, {"A", 10, 1000}, {"C", -50, 1000}, {"D", 5, 0}, {"E", 40, 1000}});
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].name, "E");
  EXPECT_EQ(ranked[0].rate_per_1000, 40.0);
  EXPECT_EQ(ranked[1].name, "A");
  EXPECT_EQ(ranked[2].name, "B");
  EXPECT_EQ(ranked[3].name, "C");
  EXPECT_EQ(ranked[3].rate_per_1000, -50.0);
  EXPECT_TRUE(RankByNetRate({}).empty());
}

TEST(RankByNetRate, IndependentOfInputOrder) {
  const std::vector<RankedNet> a = RankByNetRate({{"A", 10, 1e3}, {"B", 10, 1e3}, {"C", -1, 1e3}});
  const std::vector<RankedNet> b = RankByNetRate({{"C", -1, 1e3}, {"B", 10, 1e3}, {"A", 10, 1e3}});
  ASSERT_EQ(a.size(), b.size());
  for (size_t index = 0; index < a.size(); ++index) EXPECT_EQ(a[index].name, b[index].name);
}

TEST(TopGainersLosers, ExtremesOfTheRankingOnly) {
  const std::vector<RankedNet> ranked =
      RankByNetRate({{"B", -3000, 1e6}, {"A", 6000, 2e6}, {"C", 9000, 1e6}, {"D", -10, 1e6}});
  const std::vector<RankedNet> gainers = TopGainers(ranked, 1);
  ASSERT_EQ(gainers.size(), 1u);
  EXPECT_EQ(gainers[0].name, "C");
  const std::vector<RankedNet> losers = TopLosers(ranked, 5);
  ASSERT_EQ(losers.size(), 2u);  // only the negative nets, lowest rate first
  EXPECT_EQ(losers[0].name, "B");
  EXPECT_EQ(losers[1].name, "D");
  EXPECT_EQ(TopGainers(ranked, 5).size(), 2u);
  EXPECT_TRUE(TopLosers(ranked, 0).empty());
}

}  // namespace
}  // namespace kazmig::indicators

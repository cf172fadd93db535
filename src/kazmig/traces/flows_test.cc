#include "kazmig/traces/flows.h"

#include <gtest/gtest.h>

#include <limits>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces {
namespace {

TEST(PostStratification, WeightIsPopulationPerDistinctResident) {
  PostStratification strata;
  strata.AddResident("u1", "A");
  strata.AddResident("u1", "A");  // a second residence of the same user counts once
  strata.AddResident("u2", "A");
  strata.AddResident("u1", "B");  // a user may have lived in several regions
  strata.AddResident("u3", "C");
  const std::map<std::string, double> weights =
      strata.Weights({{"A", 1200}, {"B", 600}, {"D", 50}, {"B", 900}, {"C", 0}});
  ASSERT_EQ(weights.size(), 3u);  // D has no residents: no weight
  EXPECT_DOUBLE_EQ(weights.at("A"), 600.0);
  EXPECT_DOUBLE_EQ(weights.at("B"), 900.0);  // the last target of a region counts
  EXPECT_DOUBLE_EQ(weights.at("C"), 0.0);
}

TEST(PostStratification, RejectsNegativeAndNonFinitePopulations) {
  PostStratification strata;
  strata.AddResident("u1", "A");
  EXPECT_THROW(strata.Weights({{"A", -1}}), InputError);
  EXPECT_THROW(strata.Weights({{"B", std::numeric_limits<double>::quiet_NaN()}}), InputError);
  EXPECT_TRUE(PostStratification().Weights({{"A", 10}}).empty());
}

TEST(FlowAggregator, WeightedMovesAddUpByPeriod) {
  FlowAggregator flows(Period::kYear);
  flows.Add("A", "B", DaysFromCivil(2019, 3, 1), 600);
  flows.Add("A", "B", DaysFromCivil(2019, 9, 1), 600);
  flows.Add("B", "A", DaysFromCivil(2020, 1, 1));
  const std::vector<PeriodFlow> rows = flows.Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].orig, "A");
  EXPECT_DOUBLE_EQ(rows[0].flow, 1200.0);
  EXPECT_EQ(rows[0].period, "2019");
  EXPECT_EQ(rows[1].period, "2020");
  EXPECT_DOUBLE_EQ(rows[1].flow, 1.0);
}

}  // namespace
}  // namespace kazmig::traces

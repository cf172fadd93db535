#include "kazmig/traces/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"
#include "kazmig/traces/simulate.h"

namespace kazmig::traces {
namespace {

using kazmig::testing::TempDir;

EventStore IngestSimulated(const TempDir& dir, bool with_time) {
  SimulateParams params;
  params.users = 120;
  params.days = 500;
  params.seed = 11;
  params.with_time = with_time;
  std::string text;
  Simulate(params, [&](std::string_view chunk) { text.append(chunk); });
  IngestOptions options;
  options.input = dir.Write(with_time ? "timed.csv" : "events.csv", text);
  options.threads = 2;
  return EventStore::Ingest(options);
}

TEST(Pipeline, BaselineMovesAreSortedAndIndependentOfThreads) {
  TempDir dir;
  const EventStore store = IngestSimulated(dir, true);
  const BaselineDetector detector(BaselineMethod::kM3, 0.0);
  const std::vector<BaselineRow> one = DetectBaselineMoves(store, detector, 1);
  const std::vector<BaselineRow> three = DetectBaselineMoves(store, detector, 3);
  ASSERT_GT(one.size(), 10u);
  ASSERT_EQ(one.size(), three.size());
  for (size_t row_idx = 0; row_idx < one.size(); ++row_idx) {
    EXPECT_EQ(one[row_idx].user_id, three[row_idx].user_id);
    EXPECT_EQ(one[row_idx].month, three[row_idx].month);
    EXPECT_EQ(one[row_idx].home, three[row_idx].home);
    EXPECT_EQ(one[row_idx].destination, three[row_idx].destination);
    EXPECT_NE(one[row_idx].home, one[row_idx].destination);
  }
  EXPECT_TRUE(std::is_sorted(one.begin(), one.end(), [](const auto& a, const auto& b) {
    return a.user_id != b.user_id ? a.user_id < b.user_id : a.month < b.month;
  }));
}

TEST(Pipeline, CurveIsIndependentOfThreadsAndChecksItsParameters) {
  TempDir dir;
  const EventStore store = IngestSimulated(dir, false);
  const CurveParams params{{30, 180}, {7}, Placement::kCentred};
  const int32_t start = store.stats().min_day;
  const std::vector<CurvePoint> one = MeasureCurve(store, params, start, 1);
  const std::vector<CurvePoint> four = MeasureCurve(store, params, start, 4);
  ASSERT_EQ(one.size(), 2u);
  ASSERT_EQ(four.size(), 2u);
  for (size_t point_idx = 0; point_idx < one.size(); ++point_idx) {
    EXPECT_EQ(one[point_idx].users, four[point_idx].users);
    EXPECT_EQ(one[point_idx].movers, four[point_idx].movers);
    EXPECT_GT(one[point_idx].users, 0u);
  }
  EXPECT_LT(one[0].rate, one[1].rate);  // more moves over a longer interval
  EXPECT_THROW(MeasureCurve(store, CurveParams{{0}, {7}, Placement::kCentred}, start, 1),
               UsageError);
}

}  // namespace
}  // namespace kazmig::traces

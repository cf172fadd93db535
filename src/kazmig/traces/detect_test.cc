#include "kazmig/traces/detect.h"

#include <gtest/gtest.h>

#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/pipeline.h"

namespace kazmig::traces {
namespace {

std::vector<int32_t> Range(int32_t first, int32_t last) {
  std::vector<int32_t> days(static_cast<size_t>(last - first + 1));
  std::iota(days.begin(), days.end(), first);
  return days;
}

std::vector<int32_t> Concat(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::pair<int32_t, int32_t>> Segments(const std::vector<int32_t>& days,
                                                  DetectParams params = {}) {
  std::vector<std::pair<int32_t, int32_t>> out;
  FindLocationSegments(days, params, &out);
  return out;
}

Detection DetectOne(const UserTrace& trace, DetectParams params = {}) {
  Detector detector(params);
  Detection detection;
  detector.Detect(trace, &detection);
  return detection;
}

using Seg = std::pair<int32_t, int32_t>;

TEST(Segments, GapOfExactlySevenDaysIsFilled) {
  // 0..14 then 21..40: the step 14 -> 21 is 7 days, filled by default.
  const auto days = Concat(Range(0, 14), Range(21, 40));
  EXPECT_EQ(Segments(days), (std::vector<Seg>{{0, 40}}));
  DetectParams six;
  six.num_days_missing_gap = 6;
  EXPECT_TRUE(Segments(days, six).empty());  // runs of 15 and 20 days, both under 30
}

TEST(Segments, GapOfEightDaysSplits) {
  const auto days = Concat(Range(0, 14), Range(22, 40));
  EXPECT_TRUE(Segments(days).empty());
  DetectParams eight;
  eight.num_days_missing_gap = 8;
  EXPECT_EQ(Segments(days, eight), (std::vector<Seg>{{0, 40}}));
}

TEST(Segments, DensityThresholdIsInclusive) {
  // A 50-day run [0, 49]: 0.6 * 50 = 30 observed days are enough, 29 are not.
  std::vector<int32_t> thirty = Range(0, 24);                      // 25 days
  for (int32_t day : {29, 34, 39, 44, 49}) thirty.push_back(day);  // steps of 5
  ASSERT_EQ(thirty.size(), 30u);
  EXPECT_EQ(Segments(thirty), (std::vector<Seg>{{0, 49}}));
  std::vector<int32_t> twenty_nine = thirty;
  twenty_nine.erase(twenty_nine.begin() + 5);  // drop day 5: still one chain
  EXPECT_TRUE(Segments(twenty_nine).empty());
}

TEST(Segments, MinimumLengthIsInclusive) {
  EXPECT_EQ(Segments(Range(10, 39)), (std::vector<Seg>{{10, 39}}));  // 30 days
  EXPECT_TRUE(Segments(Range(10, 38)).empty());                      // 29 days
}

TEST(Detect, SimpleMoveIsDatedOnFirstDestinationDay) {
  UserTrace trace;
  trace.AddLocation("1", Range(0, 119));
  trace.AddLocation("2", Range(120, 239));
  const Detection detection = DetectOne(trace);
  ASSERT_EQ(detection.moves.size(), 1u);
  const Move& move = detection.moves[0];
  EXPECT_EQ(move.home, 0u);
  EXPECT_EQ(move.destination, 1u);
  EXPECT_EQ(move.migration_day, 120);
  EXPECT_EQ(move.uncertainty, 0);
  EXPECT_EQ(move.num_error_day, 0);
  EXPECT_EQ(move.home_start, 0);
  EXPECT_EQ(move.home_end, 119);
  EXPECT_EQ(move.destination_start, 120);
  EXPECT_EQ(move.destination_end, 239);
}

TEST(Detect, SingleLocationIsNotAMigrant) {
  UserTrace trace;
  trace.AddLocation("1", Range(0, 400));
  const Detection detection = DetectOne(trace);
  EXPECT_TRUE(detection.moves.empty());
  EXPECT_TRUE(detection.residences.empty());
}

TEST(Detect, TripInsideResidenceIsNotAMove) {
  UserTrace trace;
  // Home observed daily, also during a 41-day trip elsewhere.
  trace.AddLocation("A", Range(0, 299));
  trace.AddLocation("B", Range(100, 140));
  Detection detection = DetectOne(trace);
  EXPECT_TRUE(detection.moves.empty());
  // The trip's days leave the home: residences [0, 99] and [141, 299], both at A.
  ASSERT_EQ(detection.residences.size(), 2u);
  EXPECT_EQ(detection.residences[0].start, 0);
  EXPECT_EQ(detection.residences[0].end, 99);
  EXPECT_EQ(detection.residences[1].start, 141);
  // Home not observed during the trip: the trip still splits the home (no merge across it).
  UserTrace away;
  away.AddLocation("A", Concat(Range(0, 99), Range(141, 299)));
  away.AddLocation("B", Range(100, 140));
  detection = DetectOne(away);
  EXPECT_TRUE(detection.moves.empty());
  EXPECT_EQ(detection.residences.size(), 2u);
}

TEST(Detect, OverlappingResidencesLoseTheOverlap) {
  UserTrace trace;
  trace.AddLocation("A", Range(0, 199));
  trace.AddLocation("B", Range(180, 399));
  const Detection detection = DetectOne(trace);
  ASSERT_EQ(detection.moves.size(), 1u);
  const Move& move = detection.moves[0];
  EXPECT_EQ(move.home_end, 179);
  EXPECT_EQ(move.destination_start, 200);
  EXPECT_EQ(move.uncertainty, 20);
  // error(d) = (d - 180) destination days before d + (199 - d) home days after d = 19 on
  // [180, 199]; the latest minimum wins.
  EXPECT_EQ(move.num_error_day, 19);
  EXPECT_EQ(move.migration_day, 199);
  // A larger overlap leaves a 51-day gap: over max_gap_home_des, no move.
  UserTrace wide;
  wide.AddLocation("A", Range(0, 199));
  wide.AddLocation("B", Range(150, 399));
  EXPECT_TRUE(DetectOne(wide).moves.empty());
  DetectParams generous;
  generous.max_gap_home_des = 60;
  ASSERT_EQ(DetectOne(wide, generous).moves.size(), 1u);
  EXPECT_EQ(DetectOne(wide, generous).moves[0].uncertainty, 50);
}

TEST(Detect, ReturnMigrationGivesTwoMoves) {
  UserTrace trace;
  trace.AddLocation("A", Concat(Range(0, 119), Range(240, 359)));
  trace.AddLocation("B", Range(120, 239));
  const Detection detection = DetectOne(trace);
  ASSERT_EQ(detection.moves.size(), 2u);
  EXPECT_EQ(detection.moves[0].home, 0u);
  EXPECT_EQ(detection.moves[0].migration_day, 120);
  EXPECT_EQ(detection.moves[1].home, 1u);
  EXPECT_EQ(detection.moves[1].destination, 0u);
  EXPECT_EQ(detection.moves[1].migration_day, 240);
  EXPECT_EQ(detection.moves[1].destination_end, 359);
}

TEST(Detect, ShortResidenceIsNotAResidence) {
  UserTrace trace;
  trace.AddLocation("A", Range(0, 119));
  trace.AddLocation("B", Range(120, 208));  // 89 days < 90
  EXPECT_TRUE(DetectOne(trace).moves.empty());
  DetectParams shorter;
  shorter.num_stayed_days_migrant = 89;
  EXPECT_EQ(DetectOne(trace, shorter).moves.size(), 1u);
}

TEST(Detect, UncertainGapIsDatedByFewestErrors) {
  UserTrace trace;
  // Home seen until 99 and on 103 (sparse end), destination from 110, seen also on 105.
  trace.AddLocation("A", Concat(Range(0, 99), {103}));
  trace.AddLocation("B", Concat({105}, Range(110, 250)));
  const Detection detection = DetectOne(trace);
  ASSERT_EQ(detection.moves.size(), 1u);
  const Move& move = detection.moves[0];
  // Home run [0, 103] (gap 4 filled), destination run [105, 250] (gap 5 filled).
  EXPECT_EQ(move.home_end, 103);
  EXPECT_EQ(move.destination_start, 105);
  EXPECT_EQ(move.uncertainty, 1);
  // Window [103, 105]: error(103) = 0, error(104) = 0, error(105) = 0 -> latest, 105.
  EXPECT_EQ(move.migration_day, 105);
  EXPECT_EQ(move.num_error_day, 0);
}

TEST(Detect, InvariantToLocationNames) {
  UserTrace trace;
  trace.AddLocation("A", Concat(Range(0, 119), Range(240, 359)));
  trace.AddLocation("B", Range(120, 239));
  UserTrace swapped;
  swapped.AddLocation("A", Range(120, 239));
  swapped.AddLocation("B", Concat(Range(0, 119), Range(240, 359)));
  const Detection a = DetectOne(trace);
  const Detection b = DetectOne(swapped);
  ASSERT_EQ(a.moves.size(), b.moves.size());
  for (size_t move_idx = 0; move_idx < a.moves.size(); ++move_idx) {
    EXPECT_EQ(a.moves[move_idx].migration_day, b.moves[move_idx].migration_day);
    EXPECT_EQ(a.moves[move_idx].home, 1 - b.moves[move_idx].home);
  }
}

TEST(Detect, RejectsBadParameters) {
  DetectParams params;
  params.seg_prop = 1.5;
  EXPECT_THROW(Detector{params}, UsageError);
  params = DetectParams{};
  params.small_seg_len = 0;
  EXPECT_THROW(Detector{params}, UsageError);
  params = DetectParams{};
  params.num_days_missing_gap = -1;
  try {
    CheckDetectParams(params);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& error) {  // core/check.h's message, naming the option
    EXPECT_STREQ(error.what(), "detect: --num-days-missing-gap is -1; it must be at least 0");
  }
}

// The reference cases of Chi et al. (2020), ../shared/docs/methods/traces.md.
DetectRun DetectFile(const std::filesystem::path& path, int threads = 1) {
  DetectRunOptions options;
  options.ingest.input = path;
  options.threads = threads;
  return RunDetection(options);
}

void ExpectReferenceMove(const DetectRun& run, const char* home, const char* destination,
                         const char* date, const char* home_start, const char* home_end,
                         const char* dest_start, const char* dest_end) {
  ASSERT_EQ(run.moves.size(), 1u);
  const MoveRow& row = run.moves[0];
  EXPECT_EQ(row.user_id, "1");
  EXPECT_EQ(row.home, home);
  EXPECT_EQ(row.destination, destination);
  EXPECT_EQ(FormatYmd(row.move.migration_day), date);
  EXPECT_EQ(row.move.uncertainty, 0);
  EXPECT_EQ(row.move.num_error_day, 0);
  EXPECT_EQ(FormatYmd(row.move.home_start), home_start);
  EXPECT_EQ(FormatYmd(row.move.home_end), home_end);
  EXPECT_EQ(FormatYmd(row.move.destination_start), dest_start);
  EXPECT_EQ(FormatYmd(row.move.destination_end), dest_end);
}

TEST(DetectReference, MigrantExamples) {
  KAZMIG_REQUIRE_SHARED_DATA(data);
  for (const char* name :
       {"migrant_location_history_example1.csv", "migrant_location_history_example2.csv"}) {
    SCOPED_TRACE(name);
    ExpectReferenceMove(DetectFile(data / "traces_chi2020" / name), "1", "2", "20180929",
                        "20180701", "20180928", "20180929", "20181227");
  }
}

TEST(DetectReference, NonMigrantExamples) {
  KAZMIG_REQUIRE_SHARED_DATA(data);
  for (const char* name : {"nonmigrant_location_history_example1.csv",
                           "nonmigrant_location_history_example2.csv", "fig_2_data.csv"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(DetectFile(data / "traces_chi2020" / name).moves.empty());
  }
}

TEST(DetectReference, Figure4aKigaliToNyamagabe) {
  KAZMIG_REQUIRE_SHARED_DATA(data);
  ExpectReferenceMove(DetectFile(data / "traces_chi2020" / "fig_4a_data.csv", 3), "11", "25",
                      "20080727", "20080321", "20080726", "20080727", "20090228");
}

}  // namespace
}  // namespace kazmig::traces

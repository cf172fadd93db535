#include "kazmig/app/traces.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using kazmig::testing::TempDir;

TEST(TracesApp, EncodeShowsFourDecimalsInTextOnly) {
  ResultTable table({"orig", "flow", "users"});
  table.AddRow({Cell::Text("A"), Cell::Number(2.0 / 3.0), Cell::Integer(12)});
  table.AddRow({Cell::Text("B"), Cell::Missing(), Cell::Integer(3)});
  EXPECT_EQ(EncodeTracesTable(table, Format::kCsv),
            "orig,flow,users\nA,0.6666666666666666,12\nB,NA,3\n");
  EXPECT_EQ(EncodeTracesTable(table, Format::kTable),
            "orig  flow    users\n"
            "-------------------\n"
            "A     0.6667     12\n"
            "B          \u2013      3\n");  // missing as a dash (docs/output.md)
  EXPECT_EQ(EncodeTracesTable(table, Format::kJson), table.Encode(Format::kJson));
}

// simulate -> detect (with residences) -> flows, plain and post-stratified, and score.
TEST(TracesApp, SimulatedMovesAreDetectedWeightedAndScored) {
  TempDir dir;
  TracesSimulateRequest simulate;
  simulate.params.users = 80;
  simulate.params.days = 500;
  simulate.params.seed = 5;
  simulate.events_out = (dir.path() / "events.csv").string();
  const ResultTable truth = RunTracesSimulate(simulate);
  ASSERT_GT(truth.row_count(), 5u);
  EXPECT_EQ(truth.columns().front(), "user_id");

  TracesDetectRequest detect;
  detect.events.path = simulate.events_out;
  detect.events.threads = 2;
  detect.with_segments = true;
  int reads = 0;
  detect.events.read = [&](const TracesBadRows& bad) {
    ++reads;
    EXPECT_EQ(bad.skipped, 0u);
  };
  const TracesDetectResult detected = RunTracesDetect(detect);
  EXPECT_EQ(reads, 1);
  ASSERT_TRUE(detected.is_root);
  EXPECT_EQ(detected.users, 80u);
  ASSERT_GT(detected.moves.row_count(), 5u);
  ASSERT_GT(detected.segments.row_count(), detected.moves.row_count());
  const auto moves = dir.Write("moves.csv", detected.moves.Csv());
  const auto residents = dir.Write("residents.csv", detected.segments.Csv());

  TracesFlowsRequest flows;
  flows.moves = moves.string();
  const ResultTable counted = RunTracesFlows(flows);
  double moves_counted = 0;
  for (size_t row_idx = 0; row_idx < counted.row_count(); ++row_idx) {
    moves_counted += counted.at(row_idx, "flow").number;
  }
  EXPECT_DOUBLE_EQ(moves_counted, static_cast<double>(detected.moves.row_count()));
  // A population of 1000 per resident user gives every move a weight of 1000.
  std::map<std::string, std::set<std::string>> users_by_region;
  for (size_t row_idx = 0; row_idx < detected.segments.row_count(); ++row_idx) {
    users_by_region[detected.segments.at(row_idx, "location").text].insert(
        detected.segments.at(row_idx, "user_id").text);
  }
  std::string population = "region,value\n";
  for (const auto& [region, users] : users_by_region) {
    population += region + "," + std::to_string(1000 * users.size()) + "\n";
  }
  flows.population = dir.Write("population.csv", population).string();
  flows.residents = residents.string();
  const ResultTable weighted = RunTracesFlows(flows);
  ASSERT_EQ(weighted.row_count(), counted.row_count());
  for (size_t row_idx = 0; row_idx < counted.row_count(); ++row_idx) {
    EXPECT_DOUBLE_EQ(weighted.at(row_idx, "flow").number,
                     1000 * counted.at(row_idx, "flow").number);
  }
  TracesScoreRequest score;
  score.moves = moves.string();
  score.truth = dir.Write("truth.csv", truth.Csv()).string();
  const ResultTable scored = RunTracesScore(score);
  ASSERT_EQ(scored.row_count(), 1u);
  EXPECT_GT(scored.at(0, "precision").number, 0.9);
}

TEST(TracesApp, BadRequestsAreUsageErrors) {
  TempDir dir;
  TracesFlowsRequest flows;
  flows.moves = dir.Write("moves.csv", "user_id,home,destination,migration_date\n").string();
  flows.population = "pop.csv";  // without --residents
  EXPECT_THROW(RunTracesFlows(flows), UsageError);
  TracesSimulateRequest simulate;
  simulate.start = "2018-13-01";
  simulate.events_out = (dir.path() / "events.csv").string();
  EXPECT_THROW(RunTracesSimulate(simulate), UsageError);
  TracesCurveRequest curve;
  curve.events.path = dir.Write("ev.csv", "user_id,date,location\nu,20180101,A\n").string();
  curve.events.memory = "lots";
  curve.intervals = {30};
  curve.buffers = {7};
  EXPECT_THROW(RunTracesCurve(curve), UsageError);
}

}  // namespace
}  // namespace kazmig::app

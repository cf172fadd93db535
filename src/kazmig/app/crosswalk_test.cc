#include "kazmig/app/crosswalk.h"

#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::NearRel;
using ::kazmig::testing::TempDir;

TEST(WeightsYear, IsTheRequestedYearElseTheYearOfTheBoundaryChange) {
  EXPECT_EQ(WeightsYear("61", 0), 2018);  // Turkistan
  EXPECT_EQ(WeightsYear("79", 0), 2018);  // Shymkent
  EXPECT_EQ(WeightsYear("10", 0), 2022);  // Abai
  EXPECT_EQ(WeightsYear("75", 0), 2022);
  EXPECT_EQ(WeightsYear("61", 2015), 2015);
  EXPECT_EQ(WeightsYear("10", 2015), 2015);
}

// The golden test's weights at 2022 borders (tests/fixtures/estimate/golden).
std::string Weights() {
  return (::kazmig::testing::SourceDir() / "tests/fixtures/estimate/golden/cw_weights.csv")
      .string();
}

TEST(RunCrosswalk, SplitsCountsByWeightAndNotesAbsentRegions) {
  TempDir dir;
  CrosswalkRequest request;
  request.from = "kz-2018";
  request.to = "kz-2022";
  request.input =
      dir.Write("in.csv", "region,value,provenance\nEast Kazakhstan,1320,official: A\n").string();
  request.weights = Weights();
  request.with_provenance = true;
  const CrosswalkResult result = RunCrosswalk(request);
  ASSERT_EQ(result.table.row_count(), 20u);
  // East Kazakhstan splits into Abai (10, weight 600000) and East Kazakhstan (63, 720000).
  EXPECT_TRUE(NearRel(result.table.at(0, "value").number, 600));
  EXPECT_EQ(result.table.at(0, "region").text, "10");
  EXPECT_EQ(result.weights_source, request.weights);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].rfind("16 region values absent from ", 0), 0u) << result.notes[0];
  EXPECT_NE(result.table.ProvenanceOf(0).find("[official: A]"), std::string::npos);
  EXPECT_EQ(result.table.ProvenanceOf(1).find("[official: A]"), std::string::npos);  // Akmola
  EXPECT_EQ(result.document["method"]["weights"], request.weights);
  const std::string text = EncodeCrosswalk(result, Format::kTable, false);
  EXPECT_EQ(text.rfind("kz-2018 -> kz-2022 (counts; weights: " + request.weights + ")\n\n", 0), 0u);
}

TEST(RunCrosswalk, RatesOfAbsentRegionsAreMissing) {
  TempDir dir;
  CrosswalkRequest request;
  request.from = "kz-2022";
  request.to = "kz-2018";
  request.kind = "rate";
  request.input = dir.Write("r.csv", "region,value\n10,2\n63,10\n").string();
  request.weights = Weights();
  const CrosswalkResult result = RunCrosswalk(request);
  EXPECT_TRUE(result.table.at(0, "value").missing());  // Akmola
  const std::string csv = EncodeCrosswalk(result, Format::kCsv, false);
  EXPECT_NE(csv.find("\n11,NA\n"), std::string::npos) << csv;
}

TEST(RunCrosswalk, NoStoreWeightsIsAComputeErrorSayingWhatToDo) {
  TempDir dir;
  CrosswalkRequest request;
  request.from = "kz-2018";
  request.to = "kz-2022";
  request.input = dir.Write("in.csv", "region,value\nAkmola,1\n").string();
  request.db = dir.path() / "empty.db";
  request.builtin_dir = dir.path() / "nodata";
  try {
    RunCrosswalk(request);
    FAIL() << "no error";
  } catch (const ComputeError& error) {
    EXPECT_NE(std::string(error.what()).find("run `kazmig data init`"), std::string::npos);
  }
}

}  // namespace
}  // namespace kazmig::app

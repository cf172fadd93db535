#include "kazmig/io/tidy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/testing/testing.h"

namespace kazmig::io {
namespace {

using kazmig::testing::TempDir;

TEST(ReadFlows, SparseInputInFirstMetOrderWithDiagonalKept) {
  TempDir dir;
  const auto path = dir.Write("f.csv", "orig,dest,flow\nB,A,20\nA,B,10\nA,A,99\nC,A,30\n");
  const FlowMatrix m = ReadFlows(path);
  EXPECT_EQ(m.ids(), (std::vector<std::string>{"B", "A", "C"}));
  EXPECT_EQ(m(0, 1), 20);
  EXPECT_EQ(m(1, 0), 10);
  EXPECT_EQ(m(1, 1), 99);
  EXPECT_EQ(m(2, 1), 30);
  EXPECT_EQ(m(2, 0), 0);
  EXPECT_EQ(m.Total(), 60);
}

TEST(ReadFlows, ManyIdsKeepFirstMetOrderAndDuplicatesNameTheFirstLine) {
  // 700 ids (the id table grows several times), rows not sorted by origin.
  std::string text = "orig,dest,flow\n";
  for (int row = 0; row < 700; ++row) {
    text += "id" + std::to_string((row * 37) % 700) + ",x" + std::to_string(row % 3) + "," +
            std::to_string(row + 1) + "\n";
  }
  TempDir dir;
  const FlowMatrix m = ReadFlows(dir.Write("f.csv", text));
  ASSERT_EQ(m.size(), 703u);
  EXPECT_EQ(m.ids()[0], "id0");
  EXPECT_EQ(m.ids()[1], "x0");
  EXPECT_EQ(m.ids()[2], "id37");
  EXPECT_EQ(m.ids()[3], "x1");
  for (size_t idx = 0; idx < m.size(); ++idx) {
    for (size_t other = 0; other < idx; ++other) EXPECT_NE(m.ids()[idx], m.ids()[other]);
  }
  EXPECT_EQ(m(2, 3), 2);  // row 2 of the file: id37 -> x1, flow 2
  EXPECT_EQ(m.Total(), 700.0 * 701 / 2);
  try {
    ReadFlows(dir.Write("d.csv", text + "id37,x1,5\n"));
    FAIL() << "duplicated pair accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("first given on line 3"), std::string::npos) << e.what();
  }
}

TEST(ReadFlows, ResolvesIdsThroughARegionSystem) {
  TempDir dir;
  const auto path = dir.Write("f.csv", "orig,dest,flow\nг. Алматы,Nur-Sultan,5\n71,KZ-ALA,3\n");
  TidyOptions options;
  options.system = &RegionSystem::Builtin("kz-2022");
  const FlowMatrix m = ReadFlows(path, options);
  ASSERT_EQ(m.size(), 20u);
  const size_t almaty = *options.system->IndexOfId("75");
  const size_t astana = *options.system->IndexOfId("71");
  EXPECT_EQ(m(almaty, astana), 5);
  EXPECT_EQ(m(astana, almaty), 3);
  const auto bad = dir.Write("bad.csv", "orig,dest,flow\n71,75,1\n71,Atlantis,2\n");
  try {
    ReadFlows(bad, options);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad.string() + ":3:2: unknown region 'Atlantis'", 0), 0u)
        << e.what();
  }
}

TEST(ReadFlows, BadInputIsLocated) {
  TempDir dir;
  const auto negative = dir.Write("n.csv", "orig,dest,flow\nA,B,1\nA,C,-4\n");
  EXPECT_THROW(ReadFlows(negative), InputError);
  const auto duplicate = dir.Write("d.csv", "orig,dest,flow\nA,B,1\nB,A,2\nA,B,3\n");
  try {
    ReadFlows(duplicate);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("first given on line 2"), std::string::npos);
  }
  const auto missing = dir.Write("m.csv", "from,to,flow\nA,B,1\n");
  EXPECT_THROW(ReadFlows(missing), InputError);
  const auto years = dir.Write("y.csv", "orig,dest,flow,year\nA,B,1,2022\nA,B,2,2023\n");
  EXPECT_THROW(ReadFlows(years), InputError);
  TidyOptions only2023;
  only2023.year = 2023;
  EXPECT_EQ(ReadFlows(years, only2023)(0, 1), 2);
  const auto by_year = ReadFlowsByYear(years);
  ASSERT_EQ(by_year.size(), 2u);
  EXPECT_EQ(by_year.at(2022)(0, 1), 1);
}

TEST(ReadRegionValues, ReadsAndRejectsDuplicates) {
  TempDir dir;
  const auto path = dir.Write("p.csv", "region,value\nA,100\nB,250.5\n");
  const auto values = ReadRegionValues(path);
  EXPECT_EQ(values.ids, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(values.values[1], 250.5);
  EXPECT_EQ(*values.Find("B"), 1u);
  const auto dup = dir.Write("d.csv", "region,value\nA,1\nA,2\n");
  EXPECT_THROW(ReadRegionValues(dup), InputError);
}

TEST(WriteFlows, OffDiagonalPairsInOrder) {
  FlowMatrix m({"A", "B"});
  m(0, 1) = 2.5;
  m(1, 0) = 4;
  m(0, 0) = 9;
  std::ostringstream out;
  WriteFlows(out, m);
  EXPECT_EQ(out.str(), "orig,dest,flow\nA,B,2.5\nB,A,4\n");
  std::ostringstream all;
  WriteFlows(all, m, true);
  EXPECT_EQ(all.str(), "orig,dest,flow\nA,A,9\nA,B,2.5\nB,A,4\nB,B,0\n");
}

TEST(AtomicFile, CommitsOrLeavesNothing) {
  TempDir dir;
  const auto target = dir.path() / "sub" / "out.csv";
  {
    AtomicFile file(target);
    file.stream() << "partial";
    // No Commit(): destroyed as if an error had been thrown.
  }
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_TRUE(std::filesystem::is_empty(target.parent_path()));
  WriteFileAtomically(target, "done\n");
  EXPECT_EQ(ReadFile(target), "done\n");
  {
    AtomicFile file(target);
    file.stream() << "new";
  }
  EXPECT_EQ(ReadFile(target), "done\n");  // the old file is untouched by a failed rewrite
  EXPECT_THROW(ReadFile(dir.path() / "none"), InputError);
}

}  // namespace
}  // namespace kazmig::io

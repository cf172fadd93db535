#include "kazmig/io/tidy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Ids of every length from 1 to 12 bytes that differ in one byte at every position (short ids
// are keyed by their bytes, read in overlapping pieces): each is its own region.
TEST(ReadFlows, IdsDifferingInAnyByteOfAnyLengthAreDistinct) {
  std::vector<std::string> ids;
  for (size_t size = 1; size <= 12; ++size) {
    const std::string base(size, 'a');
    ids.push_back(base);
    for (size_t pos = 0; pos < size; ++pos) {
      std::string other = base;
      other[pos] = 'b';
      ids.push_back(other);
    }
  }
  std::string text = "orig,dest,flow\n";
  for (size_t idx = 0; idx < ids.size(); ++idx) {
    text += ids[idx] + "," + ids[(idx + 1) % ids.size()] + "," + std::to_string(idx + 1) + "\n";
  }
  TempDir dir;
  const FlowMatrix m = ReadFlows(dir.Write("f.csv", text));
  EXPECT_EQ(m.ids(), ids);
  for (size_t idx = 0; idx < ids.size(); ++idx) {
    EXPECT_EQ(m(idx, (idx + 1) % ids.size()), static_cast<double>(idx + 1)) << ids[idx];
  }
  EXPECT_EQ(m.Total(), static_cast<double>(ids.size() * (ids.size() + 1) / 2));
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

TEST(ReadFlows, ErrorsAfterReadingNameTheirPhysicalLines) {
  // Blank lines, a quoted id spanning two lines and rows of other years before the errors.
  TempDir dir;
  const std::string text =
      "orig,dest,flow,year\nA,B,1,2022\n\n\"C\nD\",B,2,2023\nA,B,3,2023\nA,C,4,2022\n"
      "\"A\",B,5,2023\n";
  const auto path = dir.Write("y.csv", text);
  try {
    ReadFlows(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() +
                  ":4: the file has several years (2022 and 2023); choose one with "
                  "--year");
  }
  TidyOptions only2023;
  only2023.year = 2023;
  try {
    ReadFlows(path, only2023);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() +
                  ":8: duplicated origin-destination pair (A, B), first given on "
                  "line 6");
  }
  try {
    ReadFlowsByYear(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 8);
    EXPECT_NE(std::string(e.what()).find("first given on line 6"), std::string::npos) << e.what();
  }
  const auto stocks = dir.Write("s.csv", "pob,por,stock\nA,B,1\n\nB,A,2\nA,B,3\n");
  try {
    ReadStocks(stocks);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              stocks.string() + ":5: duplicated (pob, por) pair (A, B), first given on line 2");
  }
}

TEST(ReadDistances, OverGivenIdsSkippingUnknownAndDiagonalPairs) {
  TempDir dir;
  const auto path = dir.Write("d.csv",
                              "orig,dest,dist\nA,B,5\nB,A,6\nA,A,-1\nA,Z,0\nZ,B,x1\n"
                              "A,C,7\nC,A,8\nB,C,9\nC,B,10\n");
  // Z is not among the ids: its rows are skipped, but a value that is not a number still fails.
  EXPECT_THROW(ReadDistances(path, {"C", "B", "A"}), InputError);
  const auto good = dir.Write("g.csv",
                              "orig,dest,dist\nA,B,5\nB,A,6\nA,A,-1\nA,Z,0\n"
                              "A,C,7\nC,A,8\nB,C,9\nC,B,10\n");
  const FlowMatrix d = ReadDistances(good, {"C", "B", "A"});
  EXPECT_EQ(d.ids(), (std::vector<std::string>{"C", "B", "A"}));
  EXPECT_EQ(d(2, 1), 5);  // A -> B
  EXPECT_EQ(d(1, 2), 6);
  EXPECT_EQ(d(2, 0), 7);
  EXPECT_EQ(d(0, 1), 10);
  EXPECT_EQ(d(2, 2), 0);  // the diagonal is 0, whatever the file says
}

TEST(ReadDistances, BadInputIsLocated) {
  TempDir dir;
  const std::vector<std::string> ids = {"A", "B", "C"};
  const auto zero = dir.Write("z.csv", "orig,dest,distance\nA,B,0\n");
  try {
    ReadDistances(zero, ids);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              zero.string() +
                  ":2:3: distance: distance A -> B is 0: distances between different regions must "
                  "be positive (the decay model takes their logarithm)");
  }
  const auto dup = dir.Write("dup.csv", "orig,dest,distance\nA,B,5\nA,C,4\nB,A,5\nA,B,6\n");
  try {
    ReadDistances(dup, ids);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              dup.string() + ":5: duplicated pair (A, B), first given on line 2");
  }
  const auto missing = dir.Write("m.csv", "orig,dest,distance\nA,B,5\nB,A,5\n");
  try {
    ReadDistances(missing, ids);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no distance for the pair (A, C)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ReadDistances(dir.Write("c.csv", "orig,dest,km\nA,B,5\n"), ids), InputError);
}

TEST(ReadDistances, ResolvesIdsThroughARegionSystem) {
  TempDir dir;
  TidyOptions options;
  options.system = &RegionSystem::Builtin("kz-2022");
  // Over two of the system's regions: rows naming the others are skipped.
  const std::vector<std::string> ids = {"75", "71"};
  const auto path = dir.Write("d.csv",
                              "orig,dest,distance\nг. Алматы,Nur-Sultan,1200\n71,KZ-ALA,1210\n"
                              "71,61,900\n");
  const FlowMatrix d = ReadDistances(path, ids, options);
  EXPECT_EQ(d(0, 1), 1200);
  EXPECT_EQ(d(1, 0), 1210);
  const auto dup =
      dir.Write("dup.csv", "orig,dest,distance\n75,71,1\n71,75,2\nKZ-ALA,Nur-Sultan,3\n");
  try {
    ReadDistances(dup, ids, options);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              dup.string() + ":4: duplicated pair (75, 71), first given on line 2");
  }
  const auto bad = dir.Write("bad.csv", "orig,dest,distance\n71,75,1\n71,Atlantis,2\n");
  try {
    ReadDistances(bad, ids, options);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad.string() + ":3:2: unknown region 'Atlantis'", 0), 0u)
        << e.what();
  }
}

// The pair readers on several threads (CsvChunks), with chunks of every size: the same matrices
// (ids in order of first appearance in the file) and the same errors as one thread.
TEST(PairReaders, ParallelReadingEqualsSerial) {
  TempDir dir;
  const std::string flows =
      "orig,dest,flow\r\nB,A,20\r\n\"A\",B,10\r\n\r\nA,A,99\r\nC,A,30\r\n\"D\nx\",B,1\r\n"
      "B,C,2\r\n";
  const std::vector<std::string> ids = {"A", "B", "C"};
  const std::string distances =
      "orig,dest,distance\nA,B,5\nA,C,4\n\"B\",A,5\nZ,A,1\nB,C,3\nC,A,2\nC,B,1\nA,A,9\n";
  auto error_of = [](auto read) {
    try {
      read();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::vector<std::pair<std::string, std::string>> flow_cases = {
      {"f.csv", flows}, {"f_bad.csv", flows + "C,B,x\r\n"}, {"f_dup.csv", flows + "C,A,1\r\n"}};
  for (const auto& [name, text] : flow_cases) {
    const auto path = dir.Write(name, text);
    const std::string serial_error = error_of([&] { ReadFlows(path); });
    for (size_t chunk_bytes = 1; chunk_bytes <= text.size(); ++chunk_bytes) {
      TidyOptions options;
      options.threads = 2;
      options.chunk_bytes = chunk_bytes;
      if (!serial_error.empty()) {
        EXPECT_EQ(error_of([&] { ReadFlows(path, options); }), serial_error) << chunk_bytes;
        continue;
      }
      const FlowMatrix serial = ReadFlows(path);
      const FlowMatrix chunked = ReadFlows(path, options);
      EXPECT_EQ(chunked.ids(), serial.ids()) << chunk_bytes;
      EXPECT_EQ(chunked.data(), serial.data()) << chunk_bytes;
    }
  }
  const std::vector<std::pair<std::string, std::string>> distance_cases = {
      {"d.csv", distances},
      {"d_dup_near.csv", distances + "A,C,4\n"},
      {"d_dup_far.csv", "orig,dest,distance\nA,B,5\n" + distances.substr(19)},
      {"d_zero.csv", distances + "C,B,0\n"},
      {"d_dup_then_bad.csv", distances + "B,A,1\nA,B,x\n"},
      // As many rows as pairs, but one pair twice and another missing: the duplicate is named.
      {"d_dup_for_missing.csv", "orig,dest,distance\nA,B,5\nA,C,4\nB,A,5\nB,C,3\nC,A,2\nA,B,1\n"},
      {"d_missing.csv", "orig,dest,distance\nA,B,5\nA,C,4\nB,A,5\nB,C,3\nC,A,2\n"}};
  for (const auto& [name, text] : distance_cases) {
    const auto path = dir.Write(name, text);
    const std::string serial_error = error_of([&] { ReadDistances(path, ids); });
    for (size_t chunk_bytes = 1; chunk_bytes <= text.size(); ++chunk_bytes) {
      TidyOptions options;
      options.threads = 3;
      options.chunk_bytes = chunk_bytes;
      if (!serial_error.empty()) {
        EXPECT_EQ(error_of([&] { ReadDistances(path, ids, options); }), serial_error)
            << name << ", chunks of " << chunk_bytes;
        continue;
      }
      EXPECT_EQ(ReadDistances(path, ids, options).data(), ReadDistances(path, ids).data())
          << chunk_bytes;
    }
  }
}

// Large enough for the matrix to be allocated while reading (the ids settle after 65,536 rows):
// a complete 300 x 300 table, then rows naming new ids (laid out again at the end), with a
// duplicated pair among the early, the buffered or the late rows; 1, 2 and 3 threads agree.
TEST(PairReaders, MatrixBuiltWhileReadingEqualsItsRows) {
  TempDir dir;
  std::string table = "orig,dest,flow\n";
  for (int orig = 0; orig < 300; ++orig) {
    for (int dest = 0; dest < 300; ++dest) {
      table += "r" + std::to_string(orig) + ",r" + std::to_string(dest) + "," +
               std::to_string((orig * 7 + dest * 3) % 11) + "\n";
    }
  }
  const std::string late = "new1,r0,5\nr1,new2,6\nnew2,new1,7\n";
  auto error_of = [](auto read) {
    try {
      read();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("none");
  };
  const auto path = dir.Write("late.csv", table + late);
  for (const int threads : {1, 2, 3}) {
    TidyOptions options;
    options.threads = threads;
    options.chunk_bytes = 100000;
    const FlowMatrix m = ReadFlows(path, options);
    ASSERT_EQ(m.size(), 302u);
    EXPECT_EQ(m.ids()[300], "new1");
    EXPECT_EQ(m.ids()[301], "new2");
    EXPECT_EQ(m(17, 23), (17 * 7 + 23 * 3) % 11);
    EXPECT_EQ(m(300, 0), 5);
    EXPECT_EQ(m(1, 301), 6);
    EXPECT_EQ(m(301, 300), 7);
    EXPECT_EQ(m(300, 301), 0);
    EXPECT_EQ(m(0, 300), 0);
    EXPECT_EQ(
        ReadStocks(dir.Write("s.csv", "pob,por,stock" + (table + late).substr(14)), options).data(),
        m.data());
  }
  // Line 2 + 300 * 17 + 23 holds the pair (r17, r23).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {table + late + "r17,r23,1\n",
       ":90005: duplicated origin-destination pair (r17, r23), first given on line 5125"},
      {table + late + "new2,new1,1\nr17,r23,1\n",
       ":90005: duplicated origin-destination pair (new2, new1), first given on line 90004"},
      {table + "r17,r23,1\n" + late + "new2,new1,1\n",
       ":90002: duplicated origin-destination pair (r17, r23), first given on line 5125"},
      {"orig,dest,flow\nr17,r23,1\n" + table.substr(15),
       ":5126: duplicated origin-destination pair (r17, r23), first given on line 2"},
      {table + late + "new2,new1,1\nr17,r23,x\n", ":90006:3: flow: not a number: 'x'"}};
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    const auto bad = dir.Write("bad" + std::to_string(case_idx) + ".csv", cases[case_idx].first);
    for (const int threads : {1, 2, 3}) {
      TidyOptions options;
      options.threads = threads;
      options.chunk_bytes = 100000;
      EXPECT_EQ(error_of([&] { ReadFlows(bad, options); }), bad.string() + cases[case_idx].second)
          << case_idx << ", " << threads << " threads";
      EXPECT_EQ(error_of([&] { ReadFlowsByYear(bad, options); }),
                bad.string() + cases[case_idx].second)
          << case_idx << ", " << threads << " threads";
    }
  }
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

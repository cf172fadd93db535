#include "kazmig/io/model_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

TEST(ModelTable, ReadsNumbersAndCategoricalCodesInRequestOrder) {
  const ModelTable table = ReadModelTableFromString(
      "t.csv", "Y,x,region,year\n1,0.5,A,2020\n2,-1.5,B,2020\n0,2,A,2021\n",
      {{"region", ColumnKind::kCategorical},
       {"y", ColumnKind::kNumeric},
       {"x", ColumnKind::kNumeric},
       {"year", ColumnKind::kCategorical},
       {"region", ColumnKind::kCategorical}});
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(table.columns[0].codes, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(table.columns[0].levels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(table.columns[0].file_column, 3u);
  EXPECT_EQ(table.columns[1].values, (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(table.columns[2].values, (std::vector<double>{0.5, -1.5, 2}));
  EXPECT_EQ(table.columns[3].levels, (std::vector<std::string>{"2020", "2021"}));
  EXPECT_EQ(table.columns[4].codes, table.columns[0].codes);
  EXPECT_EQ(table.lines.ToVector(), (std::vector<long>{2, 3, 4}));
  EXPECT_EQ(&table.column("X"), &table.columns[2]);
}

TEST(ModelTable, ManyLevelsAndRunsAreCodedInOrderOfFirstAppearance) {
  // 3,000 rows: `spread` takes 1,000 levels in a scattered order (the level index grows several
  // times), `run` repeats each level on 37 consecutive rows.
  std::string csv = "spread,run\n";
  std::vector<std::string> spread;
  std::vector<std::string> run;
  for (int row = 0; row < 3000; ++row) {
    spread.push_back("L" + std::to_string((row * 7919) % 1000));
    run.push_back("R" + std::to_string(row / 37));
    csv += spread.back() + "," + run.back() + "\n";
  }
  const ModelTable table = ReadModelTableFromString(
      "many.csv", csv, {{"spread", ColumnKind::kCategorical}, {"run", ColumnKind::kCategorical}});
  ASSERT_EQ(table.rows(), 3000u);
  const std::vector<std::vector<std::string>> texts = {spread, run};
  for (size_t col = 0; col < 2; ++col) {
    const ModelColumn& column = table.columns[col];
    std::vector<std::string> first_seen;
    for (const std::string& text : texts[col]) {
      if (std::find(first_seen.begin(), first_seen.end(), text) == first_seen.end()) {
        first_seen.push_back(text);
      }
    }
    EXPECT_EQ(column.levels, first_seen) << col;
    for (size_t row = 0; row < 3000; ++row) {
      ASSERT_EQ(column.levels[static_cast<size_t>(column.codes[row])], texts[col][row]) << row;
    }
  }
  EXPECT_EQ(table.columns[0].levels.size(), 1000u);
  EXPECT_EQ(table.columns[1].levels.size(), 82u);
}

TEST(ModelTable, BadValuesAreLocatedAndNamed) {
  try {
    ReadModelTableFromString("t.csv", "y,x\n1,2\n3,abc\n", {{"y"}, {"x"}});
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 3);
    EXPECT_EQ(error.column(), 2);
    EXPECT_NE(std::string(error.what()).find("x"), std::string::npos);
  }
  EXPECT_THROW(ReadModelTableFromString("t.csv", "y,x\n1,inf\n", {{"x"}}), InputError);
  EXPECT_THROW(ReadModelTableFromString("t.csv", "y,x\n1,2\n", {{"z"}}), InputError);
  EXPECT_THROW(ReadModelTableFromString("t.csv", "y,x\n", {{"x"}}), InputError);
  try {
    ReadModelTableFromString("t.csv", "y,g\n1,a\n2, \n", {{"g", ColumnKind::kCategorical}});
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 3);
    EXPECT_NE(std::string(error.what()).find("column 'g'"), std::string::npos);
  }
}

// Read on several threads with chunks of every size: the same table (levels numbered by first
// appearance in the file, lines) and the same errors as one thread.
TEST(ModelTable, ParallelReadingEqualsSerial) {
  const std::vector<ModelColumnRequest> request = {{"orig", ColumnKind::kCategorical},
                                                   {"dest", ColumnKind::kCategorical},
                                                   {"flow", ColumnKind::kNumeric}};
  const std::string text =
      "orig,dest,flow\r\nB,A,1\r\nB,C,2\r\n\r\n\"C\nx\",A,3\r\nA,\"B\",4.5\r\n\"C\nx\",B,5\r\n"
      "D,A,6\r\nA,D,7\r\n";
  auto serial_error = [&](const std::string& doc) {
    try {
      ReadModelTableFromString("t.csv", doc, request);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  for (const std::string& doc : {text, text + "B,A,x\r\n", text + "\"B,A,1\r\n"}) {
    const std::string error = serial_error(doc);
    for (size_t chunk_bytes = 1; chunk_bytes <= doc.size(); ++chunk_bytes) {
      if (!error.empty()) {
        try {
          ReadModelTableFromString("t.csv", doc, request, {}, 2, chunk_bytes);
          ADD_FAILURE() << "no error with chunks of " << chunk_bytes;
        } catch (const InputError& e) {
          EXPECT_EQ(std::string(e.what()), error) << "chunks of " << chunk_bytes;
        }
        continue;
      }
      const ModelTable serial = ReadModelTableFromString("t.csv", doc, request);
      const ModelTable chunked =
          ReadModelTableFromString("t.csv", doc, request, {}, 3, chunk_bytes);
      EXPECT_EQ(chunked.lines.ToVector(), serial.lines.ToVector()) << chunk_bytes;
      for (size_t col = 0; col < request.size(); ++col) {
        EXPECT_EQ(chunked.columns[col].codes, serial.columns[col].codes) << chunk_bytes;
        EXPECT_EQ(chunked.columns[col].levels, serial.columns[col].levels) << chunk_bytes;
        EXPECT_EQ(chunked.columns[col].values, serial.columns[col].values) << chunk_bytes;
      }
    }
  }
  const ModelTable serial = ReadModelTableFromString("t.csv", text, request);
  EXPECT_EQ(serial.lines.ToVector(), (std::vector<long>{2, 3, 5, 7, 8, 10, 11}));
  EXPECT_EQ(serial.columns[0].levels, (std::vector<std::string>{"B", "C\nx", "A", "D"}));
}

}  // namespace
}  // namespace kazmig::io

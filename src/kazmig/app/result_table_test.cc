#include "kazmig/app/result_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kazmig/core/error.h"

namespace kazmig::app {
namespace {

ResultTable Sample() {
  ResultTable table({"region", "net", "rate"});
  const size_t official = table.AddProvenance("official: BNS table 6576");
  table.AddRow({Cell::Text("75"), Cell::Integer(12345), Cell::Number(0.125)}, official);
  table.AddRow({Cell::Text("Almaty, city"), Cell::Number(-3.5), Cell::Missing()}, official);
  return table;
}

TEST(ResultTable, CsvQuotesAndMarksMissing) {
  EXPECT_EQ(Sample().Csv(), "region,net,rate\n75,12345,0.125\n\"Almaty, city\",-3.5,NA\n");
  EXPECT_EQ(Sample().Csv(true),
            "region,net,rate,provenance\n75,12345,0.125,official: BNS table 6576\n"
            "\"Almaty, city\",-3.5,NA,official: BNS table 6576\n");
}

TEST(ResultTable, JsonHasBareNumbersAndNulls) {
  const Json rows = Sample().ToJson(true);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["net"], 12345);
  EXPECT_TRUE(rows[0]["net"].is_number_integer());
  EXPECT_DOUBLE_EQ(rows[0]["rate"].get<double>(), 0.125);
  EXPECT_TRUE(rows[1]["rate"].is_null());
  EXPECT_EQ(rows[1]["provenance"], "official: BNS table 6576");
  EXPECT_FALSE(Sample().ToJson().at(0).contains("provenance"));
}

TEST(ResultTable, TextAlignsNumbersRight) {
  // "NA" is not numeric, so the rate column is left-aligned (as the CLI always did).
  EXPECT_EQ(Sample().Text(),
            "region        net    rate\n"
            "--------------------------\n"
            "75            12345  0.125\n"
            "Almaty, city   -3.5  NA\n");
}

TEST(ResultTable, NonFiniteNumbersAreMissing) {
  EXPECT_TRUE(Cell::Number(std::numeric_limits<double>::infinity()).missing());
  EXPECT_TRUE(Cell::Number(std::nan(""), "x").missing());
  EXPECT_EQ(Cell::Number(-0.0).Shown(), "0");
}

TEST(ResultTable, RejectsRowsOfTheWrongWidth) {
  ResultTable table({"a", "b"});
  EXPECT_THROW(table.AddRow({Cell::Integer(1)}), ComputeError);
  EXPECT_THROW(table.AddRow({Cell::Integer(1), Cell::Integer(2)}, 7), ComputeError);
  EXPECT_THROW(table.ColumnIndex("c"), std::out_of_range);
}

TEST(ResultTable, ParseFormat) {
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  EXPECT_THROW(ParseFormat("xml"), UsageError);
}

TEST(HumanNumber, GroupsThousands) {
  EXPECT_EQ(HumanNumber(1234567.891, 1), "1,234,567.9");
  EXPECT_EQ(HumanNumber(-0.04, 1), "0.0");
  EXPECT_EQ(HumanNumber(std::nan("")), "n/a");
}

}  // namespace
}  // namespace kazmig::app

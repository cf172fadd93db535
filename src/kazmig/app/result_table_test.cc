#include "kazmig/app/result_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/io/csv.h"

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

TEST(AppendCsv, FieldsAndNumbersAsTheTableWritesThem) {
  std::string out;
  AppendCsvField(out, "plain");
  AppendCsvField(out, "a,b");
  AppendCsvField(out, "say \"hi\"");
  AppendCsvField(out, "two\nlines");
  EXPECT_EQ(out, "plain\"a,b\"\"say \"\"hi\"\"\"\"two\nlines\"");
  // Every number as a Cell::Number's CSV field (io::FormatNumber; non-finite is NA, -0 is 0).
  const double inf = std::numeric_limits<double>::infinity();
  for (const double value :
       {0.0, -0.0, 1.0, -3.5, 0.1, 1.0 / 3.0, 13.250194, 1e-7, 123456789.0, 1e15, 1e16, 1e21,
        1.2345678901234568e+18, 5e-324, -2.5e-10, std::nan(""), inf, -inf}) {
    std::string field;
    AppendCsvNumber(field, value);
    ResultTable table({"x"});
    table.AddRow({Cell::Number(value)});
    EXPECT_EQ(field + "\n", table.Csv().substr(2)) << value;
  }
}

// AppendCsvNumber lays out fmt's shortest digits itself: the same text as io::FormatNumber
// (fmt::format("{}")) for every kind of finite double: random bit patterns (all exponents,
// subnormals), integers, decimals of a few digits, values at the fixed/exponent switch (1e-5,
// 1e-4, 1e15, 1e16) and their neighbours.
TEST(AppendCsv, NumbersAsFmtWritesThemEverywhere) {
  Rng rng(20);
  std::vector<double> values;
  for (int trial = 0; trial < 100000; ++trial) {
    const uint64_t bits = rng.NextU64();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    values.push_back(value);
    values.push_back(static_cast<double>(rng.UniformInt(uint64_t{1} << (trial % 60))));
    values.push_back(static_cast<double>(rng.UniformInt(100000)) /
                     std::pow(10.0, static_cast<double>(trial % 24)));
    values.push_back(rng.Uniform(-1e6, 1e6));
  }
  for (int power = -330; power <= 310; ++power) {
    const double value = std::pow(10.0, power);
    for (const double near : {value, std::nextafter(value, 0.0), std::nextafter(value, 1e308),
                              1.5 * value, 9.999999 * value, 123456789012345678.0 * value}) {
      values.push_back(near);
      values.push_back(-near);
    }
  }
  values.push_back(std::numeric_limits<double>::max());
  values.push_back(std::numeric_limits<double>::min());
  values.push_back(std::numeric_limits<double>::denorm_min());
  size_t differences = 0;
  for (const double value : values) {
    if (!std::isfinite(value)) continue;  // NA (Cell::Number's missing), checked above
    std::string field;
    AppendCsvNumber(field, value);
    if (field != io::FormatNumber(value)) {
      if (++differences <= 10) ADD_FAILURE() << field << " vs " << io::FormatNumber(value);
    }
  }
  EXPECT_EQ(differences, 0u);
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

TEST(ResultTable, TextAlignsNumbersRightAndShowsMissingAsDash) {
  EXPECT_EQ(Sample().Text(),
            "region        net    rate\n"
            "--------------------------\n"
            "75            12345  0.125\n"
            "Almaty, city   -3.5      \u2013\n");
}

TEST(ResultTable, UnitsStyleTheTextOnlyAndAddFootnotes) {
  ResultTable table({"region", "id", "net", "net_rate", "flow", "p"},
                    {Unit::kAuto, Unit::kId, Unit::kPersons, Unit::kRatePer1000,
                     Unit::kEstimatedPersons, Unit::kPValue});
  table.AddRow({Cell::Text("Astana"), Cell::Text("71"), Cell::Integer(50078),
                Cell::Number(35.96704), Cell::Number(406313.25), Cell::Number(5e-10)});
  table.AddRow({Cell::Text("Abai"), Cell::Text("10"), Cell::Integer(-6748), Cell::Missing(),
                Cell::Number(542.53), Cell::Number(0.0456)});
  table.AddFootnote("flow: modelled inter-regional moves");
  EXPECT_EQ(table.Text(),
            "region  id  net     net_rate  flow     p\n"
            "---------------------------------------------\n"
            "Astana  71  50,078      36.0  406,000  <0.001\n"
            "Abai    10  -6,748         \u2013      543   0.046\n"
            "note: net_rate: per 1,000 population, one decimal\n"
            "note: flow: estimated persons, rounded to 3 significant digits (full precision with "
            "--format csv or json)\n"
            "note: p: p-values below 0.001 shown as <0.001\n"
            "note: flow: modelled inter-regional moves\n");
  // CSV and JSON keep full precision.
  EXPECT_EQ(table.Csv(),
            "region,id,net,net_rate,flow,p\nAstana,71,50078,35.96704,406313.25,5e-10\n"
            "Abai,10,-6748,NA,542.53,0.0456\n");
  EXPECT_DOUBLE_EQ(table.ToJson()[0]["flow"].get<double>(), 406313.25);
  EXPECT_THROW(table.SetUnit("nope", Unit::kCount), std::out_of_range);
  ResultTable fit({"term", "estimate"});
  fit.SetUnit("estimate", Unit::kCoefficient);
  fit.AddRow({Cell::Text("dist"), Cell::Number(-0.010337912776234798)});
  fit.AddRow({Cell::Text("n_obs"), Cell::Integer(12030)});
  EXPECT_EQ(fit.Text(), "term   estimate\n---------------\ndist   -0.01034\nn_obs    12,030\n");
}

TEST(TableNumber, OneStylePerUnit) {
  EXPECT_EQ(TableNumber(1234567.4, Unit::kPersons), "1,234,567");
  EXPECT_EQ(TableNumber(788435.5, Unit::kPersons), "788,436");
  EXPECT_EQ(TableNumber(-1234.0, Unit::kCount), "-1,234");
  EXPECT_EQ(TableNumber(-0.4, Unit::kPersons), "0");
  EXPECT_EQ(TableNumber(406313, Unit::kEstimatedPersons), "406,000");
  EXPECT_EQ(TableNumber(-406513, Unit::kEstimatedPersons), "-407,000");
  EXPECT_EQ(TableNumber(37.22, Unit::kEstimatedPersons), "37");
  EXPECT_EQ(TableNumber(0.4, Unit::kEstimatedPersons), "0");
  EXPECT_EQ(TableNumber(-11.0824, Unit::kRatePer1000), "-11.1");
  EXPECT_EQ(TableNumber(0.04, Unit::kRatePer1000), "0.0");
  EXPECT_EQ(TableNumber(-0.04, Unit::kRatePer1000), "0.0");  // no "-0.0"
  EXPECT_EQ(TableNumber(0.460329, Unit::kRatePer100), "0.46");
  EXPECT_EQ(TableNumber(4.8, Unit::kPercent), "4.8");
  EXPECT_EQ(TableNumber(0.32304, Unit::kShare), "0.323");
  EXPECT_EQ(TableNumber(23783.6, Unit::kIndex), "23,783.600");
  EXPECT_EQ(TableNumber(1.445141, Unit::kCoefficient), "1.445");
  EXPECT_EQ(TableNumber(-0.000123456, Unit::kCoefficient), "-0.0001235");
  EXPECT_EQ(TableNumber(12345.6, Unit::kCoefficient), "12,350");
  EXPECT_EQ(TableNumber(0.0009, Unit::kPValue), "<0.001");
  EXPECT_EQ(TableNumber(0.001, Unit::kPValue), "0.001");
  EXPECT_EQ(TableNumber(1, Unit::kPValue), "1.000");
  EXPECT_EQ(TableNumber(2023, Unit::kYear), "2023");
  EXPECT_EQ(TableNumber(std::nan(""), Unit::kPersons), "\u2013");
  EXPECT_EQ(TableNumber(1e8, Unit::kAuto), "100,000,000");
}

TEST(FixedNumber, NeverAnExponent) {
  EXPECT_EQ(FixedNumber(1e8), "100,000,000");
  EXPECT_EQ(FixedNumber(5e-10), "0.0000000005");
  EXPECT_EQ(FixedNumber(-2.5e-3), "-0.0025");
  EXPECT_EQ(FixedNumber(1.23456789), "1.23457");
  EXPECT_EQ(FixedNumber(0), "0");
  EXPECT_EQ(RoundSignificant(406313, 3), 406000);
  EXPECT_EQ(RoundSignificant(-0.0012345, 2), -0.0012);
}

TEST(AlignedText, RewritesExponentsInBodyCells) {
  EXPECT_EQ(AlignedText({{"term", "p"}, {"x", "5.0e-10"}, {"y", "1e+08"}, {"1e5", "0.5"}}),
            "term     p\n"
            "---------------------\n"
            "x        0.0000000005\n"
            "y         100,000,000\n"
            "100,000           0.5\n");
}

TEST(ResultTable, CellsWithTheirOwnUnitInALongTable) {
  // indicator,value rows: each row its own style; one footnote per unit naming its rows; CSV and
  // JSON unchanged.
  ResultTable table({"indicator", "value"});
  table.AddRow({Cell::Text("population"), Cell::Number(6000.4).In(Unit::kPersons)});
  table.AddRow({Cell::Text("cmp_per_1000"), Cell::Number(19.4321).In(Unit::kRatePer1000)});
  table.AddRow({Cell::Text("gini_total"), Cell::Number(0.58912).In(Unit::kIndex)});
  table.AddRow({Cell::Text("net_rate"), Cell::Number(-2.06).In(Unit::kRatePer1000)});
  EXPECT_EQ(table.Text(),
            "indicator     value\n"
            "-------------------\n"
            "population    6,000\n"
            "cmp_per_1000   19.4\n"
            "gini_total    0.589\n"
            "net_rate       -2.1\n"
            "note: cmp_per_1000, net_rate: per 1,000 population, one decimal\n");
  EXPECT_EQ(table.Csv(),
            "indicator,value\npopulation,6000.4\ncmp_per_1000,19.4321\ngini_total,0.58912\n"
            "net_rate,-2.06\n");
  // A cell of its column's unit adds no second footnote.
  ResultTable rates({"indicator", "rate"}, {Unit::kAuto, Unit::kRatePer1000});
  rates.AddRow({Cell::Text("a"), Cell::Number(1.26).In(Unit::kRatePer1000)});
  EXPECT_EQ(rates.Text(),
            "indicator  rate\n---------------\na           1.3\n"
            "note: rate: per 1,000 population, one decimal\n");
}

TEST(AlignedText, MissingIsADash) {
  EXPECT_EQ(AlignedText({{"k", "v"}, {"a", "NA"}, {"b", "nan"}, {"c", "1"}}),
            "k  v\n----\na  \u2013\nb  \u2013\nc  1\n");
}

TEST(UnitOfMeasure, FromTheStoresUnitText) {
  EXPECT_EQ(UnitOfMeasure("persons"), Unit::kPersons);
  EXPECT_EQ(UnitOfMeasure("persons", true), Unit::kEstimatedPersons);
  EXPECT_EQ(UnitOfMeasure("% of labour force"), Unit::kPercent);
  EXPECT_EQ(UnitOfMeasure("per 1000"), Unit::kRatePer1000);
  EXPECT_EQ(UnitOfMeasure("million KZT"), Unit::kAmount);
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

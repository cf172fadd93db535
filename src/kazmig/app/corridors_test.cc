// Tests of the one selection of Kazakhstan's largest international corridors (the report's chord
// diagram and the HTTP API show it).
#include "kazmig/app/corridors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

store::FlowRow Flow(std::string orig, std::string dest, std::string period, double value) {
  store::FlowRow row;
  row.indicator = "abel_flows";
  row.orig = std::move(orig);
  row.dest = std::move(dest);
  row.period = std::move(period);
  row.year = std::stoi(row.period.substr(0, 4));
  row.value = value;
  row.provenance = Provenance::Estimated("Abel & Cohen (2019)", "test");
  return row;
}

std::vector<store::FlowRow> SmallFlows() {
  return {Flow("RUS", "KAZ", "2010-2015", 100), Flow("KAZ", "RUS", "2010-2015", 300),
          Flow("DEU", "KAZ", "2010-2015", 50), Flow("KAZ", "DEU", "2010-2015", 60),
          Flow("UZB", "KAZ", "2010-2015", 90), Flow("KAZ", "UZB", "2010-2015", 20),
          Flow("CHN", "KAZ", "2010-2015", 10), Flow("KAZ", "CHN", "2010-2015", 5),
          Flow("UKR", "KAZ", "2010-2015", 60), Flow("KAZ", "UKR", "2010-2015", 50),
          // not Kazakhstan's, or Kazakhstan to itself: ignored
          Flow("RUS", "UZB", "2010-2015", 9999), Flow("KAZ", "KAZ", "2010-2015", 9999),
          Flow("RUS", "KAZ", "1990-1995", 900), Flow("KAZ", "RUS", "1990-1995", 2000)};
}

std::string Name(const std::string& code) { return code == "RUS" ? "Russia" : ""; }

TEST(SelectLargestCorridors, LargestTotalsFirstWithTheRestSummed) {
  const IntlCorridors top = SelectLargestCorridors(SmallFlows(), "2010-2015", 3, Name);
  EXPECT_EQ(top.indicator, "abel_flows");
  EXPECT_EQ(top.periods, (std::vector<std::string>{"1990-1995", "2010-2015"}));
  EXPECT_EQ(top.period, "2010-2015");
  ASSERT_EQ(top.rows.size(), 3u);
  EXPECT_EQ(top.rows[0].partner, "RUS");
  EXPECT_EQ(top.rows[0].partner_name, "Russia");
  EXPECT_EQ(top.rows[0].rank, 1);
  EXPECT_EQ(top.rows[0].to_kazakhstan, 100);
  EXPECT_EQ(top.rows[0].from_kazakhstan, 300);
  EXPECT_EQ(top.rows[0].total, 400);
  // DEU and UKR tie at 110: the code decides (DEU before UKR); UZB (110) too: DEU, UKR, UZB.
  EXPECT_EQ(top.rows[1].partner, "DEU");
  EXPECT_EQ(top.rows[1].partner_name, "DEU");  // no name: the code
  EXPECT_EQ(top.rows[2].partner, "UKR");
  EXPECT_EQ(top.rows[2].rank, 3);
  EXPECT_FALSE(top.rows[0].provenance.official());
  // The rest: UZB and CHN.
  EXPECT_EQ(top.other_partners, 2u);
  EXPECT_EQ(top.other_to_kazakhstan, 100);
  EXPECT_EQ(top.other_from_kazakhstan, 25);
}

TEST(SelectLargestCorridors, LatestPeriodByDefaultAndFewerRowsThanAsked) {
  const IntlCorridors all = SelectLargestCorridors(SmallFlows(), "", 50, Name);
  EXPECT_EQ(all.period, "2010-2015");
  EXPECT_EQ(all.rows.size(), 5u);
  EXPECT_EQ(all.other_partners, 0u);
  const IntlCorridors early = SelectLargestCorridors(SmallFlows(), "1990-1995", 5, Name);
  ASSERT_EQ(early.rows.size(), 1u);
  EXPECT_EQ(early.rows[0].total, 2900);
}

TEST(SelectLargestCorridors, ErrorsNameWhatExists) {
  EXPECT_THROW(SelectLargestCorridors(SmallFlows(), "", 0, Name), UsageError);
  try {
    SelectLargestCorridors(SmallFlows(), "2020-2025", 5, Name);
    FAIL() << "no error";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("1990-1995, 2010-2015"), std::string::npos)
        << error.what();
  }
  const IntlCorridors empty = SelectLargestCorridors({}, "", 5, Name);
  EXPECT_TRUE(empty.rows.empty());
  EXPECT_TRUE(empty.periods.empty());
}

// The built-in data: the 2015-2020 corridors, the reference sums taken from
// data/kz/abel_flows.csv with awk (Russia 525,610 in and 783,568 out; then Germany, Ukraine,
// Uzbekistan).
TEST(LargestCorridors, BuiltInAbelAndCohen2015To2020) {
  kazmig::testing::TempDir tmp;
  KzDataset kz =
      KzDataset::Open(tmp.path() / "kz.db", ::kazmig::testing::SourceDir() / "data" / "kz");
  const IntlCorridors top = LargestCorridors(kz, "2015-2020", 4);
  ASSERT_EQ(top.periods.size(), 6u);
  EXPECT_EQ(top.periods.front(), "1990-1995");
  ASSERT_EQ(top.rows.size(), 4u);
  EXPECT_EQ(top.rows[0].partner, "RUS");
  EXPECT_EQ(top.rows[0].to_kazakhstan, 525610);
  EXPECT_EQ(top.rows[0].from_kazakhstan, 783568);
  EXPECT_EQ(top.rows[1].partner, "DEU");
  EXPECT_EQ(top.rows[2].partner, "UKR");
  EXPECT_EQ(top.rows[3].partner, "UZB");
  EXPECT_EQ(top.rows[3].total, 70194 + 36124);
  EXPECT_NE(top.rows[0].partner_name, "RUS");
  EXPECT_NE(top.rows[0].provenance.ToString().find("estimated"), std::string::npos);
  // Every flow is in a row or in the rest: the period's sums (awk: 978,653 in, 1,083,475 out,
  // 121 partners).
  double in = top.other_to_kazakhstan, out = top.other_from_kazakhstan;
  for (const IntlCorridor& row : top.rows) {
    in += row.to_kazakhstan;
    out += row.from_kazakhstan;
  }
  EXPECT_EQ(in, 978653);
  EXPECT_EQ(out, 1083475);
  EXPECT_EQ(top.other_partners + top.rows.size(), 121u);
}

}  // namespace
}  // namespace kazmig::app

#include "kazmig/policy/measures.h"

#include <gtest/gtest.h>

#include "kazmig/testing/testing.h"

namespace kazmig::policy {
namespace {

using testing::NearRel;

TEST(Measures, ParseDateAcceptsOnlyCalendarDates) {
  EXPECT_EQ(ParseDate("2011-07-22"), (Date{2011, 7, 22}));
  EXPECT_EQ(ParseDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2011-7-22"));
  EXPECT_FALSE(ParseDate("2011-00-10"));
  EXPECT_FALSE(ParseDate("1800-01-01"));
  EXPECT_FALSE(ParseDate("2011-07-2x"));
  EXPECT_EQ(ParseDate("2011-07-22")->Iso(), "2011-07-22");
}

// 1 January is the year itself; 22 July 2011 is day 203 of 365: 2011 + 202/365.
TEST(Measures, DecimalYearAndFirstYearUnder) {
  EXPECT_EQ((Date{2017, 1, 1}).DecimalYear(), 2017.0);
  EXPECT_TRUE(NearRel((Date{2011, 7, 22}).DecimalYear(), 2011 + 202.0 / 365));
  Measure m;
  m.date = {2017, 1, 1};
  EXPECT_EQ(FirstYearUnder(m), 2017);
  m.date = {2023, 1, 27};
  EXPECT_EQ(FirstYearUnder(m), 2023);
  m.date = {2023, 6, 30};
  EXPECT_EQ(FirstYearUnder(m), 2023);
  m.date = {2011, 7, 22};
  EXPECT_EQ(FirstYearUnder(m), 2012);
}

TEST(Measures, MarkersWithinTheChartYearsSortedByDate) {
  std::vector<Measure> measures(4);
  measures[0].id = "late";
  measures[0].date = {2022, 9, 21};
  measures[0].kind = "external-shock";
  measures[1].id = "early";
  measures[1].date = {2011, 7, 22};
  measures[1].kind = "law";
  measures[2].id = "outside";
  measures[2].date = {1999, 1, 1};
  measures[2].kind = "law";
  measures[3].id = "border";
  measures[3].date = {2018, 6, 19};
  measures[3].kind = "boundary";
  const std::vector<Marker> all = Markers(measures, 2000, 2022);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].label, "early");
  EXPECT_EQ(all[2].label, "late");  // in the last year shown
  const std::vector<Marker> laws = Markers(measures, 2000, 2022, {"law"});
  ASSERT_EQ(laws.size(), 1u);
  EXPECT_EQ(FindMeasure(measures, "border"), &measures[3]);
  EXPECT_EQ(FindMeasure(measures, "none"), nullptr);
}

}  // namespace
}  // namespace kazmig::policy

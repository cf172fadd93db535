#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/report/flows_section.h"
#include "kazmig/report/regularities.h"

namespace kazmig::report {
namespace {

CorridorInput ThreeRegions() {
  CorridorInput input;
  input.central = FlowMatrix(3);
  input.central(0, 1) = 12345;
  input.central(1, 0) = 500;
  input.central(2, 0) = 7000;
  input.central(0, 2) = 100;
  input.central(1, 2) = 55;
  input.central(2, 1) = 0;
  input.central(0, 0) = 1e9;  // the diagonal is never a corridor
  input.low = input.central;
  input.high = input.central;
  input.low(0, 1) = 10000;
  input.high(0, 1) = 15000;
  input.names = {"Almaty", "Astana", "Shymkent"};
  return input;
}

TEST(TopCorridors, LargestOffDiagonalFirst) {
  const std::vector<Corridor> top = TopCorridors(ThreeRegions(), 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].origin, 0u);
  EXPECT_EQ(top[0].destination, 1u);
  EXPECT_EQ(top[0].low, 10000);
  EXPECT_EQ(top[0].high, 15000);
  EXPECT_EQ(top[1].origin, 2u);
  EXPECT_EQ(top[1].destination, 0u);
  EXPECT_EQ(TopCorridors(ThreeRegions(), 100).size(), 6u);
}

TEST(TopCorridors, SizeMismatchIsComputeError) {
  CorridorInput input = ThreeRegions();
  input.names.pop_back();
  EXPECT_THROW(TopCorridors(input, 3), ComputeError);
}

TEST(AddCorridorTable, ThousandsEstimatedMarkAndShare) {
  Document document("t", "s");
  Section& section = document.AddSection("flows", "Flows");
  AddCorridorTable(section, ThreeRegions(), 3, {document.Cite("kazmig estimate")}, "2024");
  const std::string html = document.Render();
  EXPECT_NE(html.find("12,345"), std::string::npos);
  EXPECT_NE(html.find("15,000"), std::string::npos);
  EXPECT_NE(html.find("Largest inter-regional corridors, 2024"), std::string::npos);
  EXPECT_NE(html.find("estimated"), std::string::npos);
  EXPECT_NE(html.find("not official"), std::string::npos);
  // share of 12,345 in a total of 20,000: 61.7 %
  EXPECT_NE(html.find("61.7"), std::string::npos);
  EXPECT_EQ(html.find("1,000,000,000"), std::string::npos);
}

TEST(RankByNetRate, RatesAndOrder) {
  const std::vector<RankedNet> ranked =
      RankByNetRate({{"B", -3000, 1e6}, {"A", 6000, 2e6}, {"C", 9000, 1e6}, {"Z", 5, 0}});
  ASSERT_EQ(ranked.size(), 3u);  // zero person-years is left out
  EXPECT_EQ(ranked[0].name, "C");
  EXPECT_DOUBLE_EQ(ranked[0].rate_per_1000, 9.0);
  EXPECT_EQ(ranked[1].name, "A");
  EXPECT_DOUBLE_EQ(ranked[1].rate_per_1000, 3.0);
  EXPECT_DOUBLE_EQ(ranked[2].rate_per_1000, -3.0);
}

TEST(RankByNetRate, IndependentOfInputOrder) {
  const std::vector<RankedNet> a = RankByNetRate({{"A", 10, 1e3}, {"B", 10, 1e3}, {"C", -1, 1e3}});
  const std::vector<RankedNet> b = RankByNetRate({{"C", -1, 1e3}, {"B", 10, 1e3}, {"A", 10, 1e3}});
  ASSERT_EQ(a.size(), b.size());
  for (size_t index = 0; index < a.size(); ++index) EXPECT_EQ(a[index].name, b[index].name);
}

TEST(AddGainersLosers, TextTableAndOfficialBadge) {
  Document document("t", "s");
  Section& section = document.AddSection("regularities", "Regularities");
  AddGainersLosers(section,
                   {{"Astana", 150000, 3.9e6},
                    {"Turkistan", -60000, 6.0e6},
                    {"Almaty", 40000, 6.3e6},
                    {"North Kazakhstan", -20000, 1.6e6}},
                   1, {document.Cite("BNS")}, "2022–2024");
  const std::string html = document.Render();
  EXPECT_NE(html.find("+150,000"), std::string::npos);
  EXPECT_NE(html.find("Astana (+38.5 per 1,000)"), std::string::npos);
  EXPECT_NE(html.find("North Kazakhstan (-12.5 per 1,000)"), std::string::npos);
  EXPECT_EQ(html.find("Almaty"), std::string::npos);  // count = 1 keeps only the extremes
  EXPECT_NE(html.find("official"), std::string::npos);
}

}  // namespace
}  // namespace kazmig::report

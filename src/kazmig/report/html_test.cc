#include "kazmig/report/html.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kazmig::report {
namespace {

TEST(FormatThousands, GroupsDigitsAndRounds) {
  EXPECT_EQ(FormatThousands(25387), "25,387");
  EXPECT_EQ(FormatThousands(-1204), "-1,204");
  EXPECT_EQ(FormatThousands(20391610.4), "20,391,610");
  EXPECT_EQ(FormatThousands(999), "999");
  EXPECT_EQ(FormatThousands(1000), "1,000");
  EXPECT_EQ(FormatThousands(12.34, 1), "12.3");
  EXPECT_EQ(FormatThousands(999.96, 1), "1,000.0");
  EXPECT_EQ(FormatThousands(5, 0, true), "+5");
  EXPECT_EQ(FormatThousands(-5, 0, true), "-5");
  // Values that round to zero carry no sign.
  EXPECT_EQ(FormatThousands(-0.4, 0, true), "0");
  EXPECT_EQ(FormatThousands(0.0, 1, true), "0.0");
  EXPECT_EQ(FormatThousands(std::numeric_limits<double>::quiet_NaN()), "\u2013");
}

// Estimated persons as `--format table` shows them (issue 18: "about 406,000", not "406,313").
TEST(FormatEstimate, ThreeSignificantDigitsWholePersons) {
  EXPECT_EQ(FormatEstimate(406313), "406,000");
  EXPECT_EQ(FormatEstimate(22865551), "22,900,000");
  EXPECT_EQ(FormatEstimate(542.53), "543");
  EXPECT_EQ(FormatEstimate(-2894, true), "-2,890");
  EXPECT_EQ(FormatEstimate(16171, true), "+16,200");
  EXPECT_EQ(FormatEstimate(0.4, true), "0");
  EXPECT_EQ(FormatEstimate(std::numeric_limits<double>::quiet_NaN()), "\u2013");
  EXPECT_EQ(Cell::Estimate(21154, false, "e").html, "21,200<sup class=\"mark\">e</sup>");
  EXPECT_TRUE(Cell::Estimate(21154).numeric);
}

TEST(EscapeHtml, EscapesMarkup) {
  EXPECT_EQ(EscapeHtml("a < b & \"c\" > 'd'"), "a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;");
  EXPECT_EQ(EscapeHtml("Қарағанды"), "Қарағанды");
}

TEST(Table, RendersHeaderRowsFootAndAlignment) {
  Table table({"Region", "Net 2023"});
  table.AddRow({Cell::Text("Astana"), Cell::Number(50078, 0, true)});
  table.AddRow({Cell::Text("<script>"), Cell::Number(-3326, 0, true, "e")});
  table.AddFootRow({Cell::Text("Total"), Cell::Number(46752)});
  const std::string html = table.Render("Caption");
  EXPECT_NE(html.find("<caption>Caption</caption>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\" class=\"num\">Net 2023</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">+50,078</td>"), std::string::npos);
  EXPECT_NE(html.find("-3,326<sup class=\"mark\">e</sup>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("<tfoot><tr><td>Total</td><td class=\"num\">46,752</td>"), std::string::npos);
  EXPECT_EQ(table.row_count(), 2u);
}

TEST(Document, NumbersSourcesFiguresAndTables) {
  Document document("Title & more", "Sub");
  EXPECT_EQ(document.Cite("BNS table 6576"), 1);
  EXPECT_EQ(document.Cite("CIS-Stat"), 2);
  EXPECT_EQ(document.Cite("BNS table 6576"), 1);  // the same source keeps its number
  Section& section = document.AddSection("s1", "First");
  section.AddFigure("<svg></svg>", "A chart", {1, 2}, "", {"official"});
  section.AddFigure("<svg></svg>", "Another", {2}, "<table></table>");
  Table table({"a"});
  table.AddRow({Cell::Text("x")});
  section.AddTable(table, "A table", {1}, "A note.", {"official", "estimated"});
  document.AddKeyFigure("+1,000", "gain", "note");
  document.AddSummaryPoint("Point <one>.");
  const std::string html = document.Render();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>Title &amp; more</title>"), std::string::npos);
  EXPECT_NE(html.find("<b>Figure 1.</b> A chart"), std::string::npos);
  EXPECT_NE(html.find("<b>Figure 2.</b> Another"), std::string::npos);
  EXPECT_NE(html.find("<b>Table 1.</b> A table"), std::string::npos);
  // A short data table beside its chart (narrow) and kept whole in print; the chart and its
  // caption are one block (never split across pages).
  EXPECT_NE(html.find("<div class=\"fig-row narrow\"><div class=\"plot\">"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"side keep\"><table></table></div>"), std::string::npos);
  EXPECT_NE(html.find("</figcaption></div><div class=\"side keep\">"), std::string::npos);
  EXPECT_NE(html.find("<li id=\"source-1\">BNS table 6576</li>"), std::string::npos);
  EXPECT_NE(html.find("<li id=\"source-2\">CIS-Stat</li>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#source-2\">2</a>"), std::string::npos);
  EXPECT_NE(html.find("badge estimated"), std::string::npos);
  EXPECT_NE(html.find("Point &lt;one&gt;."), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

// Sections nested and numbered N.M; figures and tables numbered in reading order, not in the
// order they were added; a figure linked to its data table says "Data: Table N".
TEST(Document, NestsSectionsAndNumbersInReadingOrder) {
  Document document("T", "S");
  document.SetFindingsTitle("Key findings");
  document.AddKeyFigure("1", "one");
  Section& late = document.AddSection("child", "Child");
  const int data = document.UpcomingTable();
  late.AddFigure("<svg></svg>", "Added first", {}, {}, {}, data);
  Table table({"a"});
  table.AddRow({Cell::Text("x")});
  EXPECT_EQ(late.AddTable(table, "Its data", {}), data);
  Section& parent = document.AddSection("parent", "Parent");
  parent.AddFigure("<svg></svg>", "Added second", {});
  document.Nest("child", "parent");
  document.Nest("missing", "parent");  // nothing
  const std::string html = document.Render();
  EXPECT_NE(html.find("<h2><span class=\"num\">1</span>Key findings</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h2><span class=\"num\">2</span>Parent</h2>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"num\">2.1</span>Child</h3>"), std::string::npos);
  EXPECT_LT(html.find("<b>Figure 1.</b> Added second"), html.find("<b>Figure 2.</b> Added first"));
  EXPECT_NE(html.find("<figure id=\"figure-2\" class=\"chart\" data-table=\"table-1\">"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"#table-1\">Table 1</a>"), std::string::npos);
  EXPECT_EQ(html.find('\x1e'), std::string::npos);  // no placeholder left
  EXPECT_EQ(document.FindSection("nowhere"), nullptr);
}

}  // namespace
}  // namespace kazmig::report

#include "kazmig/io/xlsx.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::io {
namespace {

using ::kazmig::testing::TempDir;

// Writes a ZIP archive with the given parts (name -> contents).
std::filesystem::path WriteZip(const TempDir& tmp, const std::string& name,
                               const std::map<std::string, std::string>& parts) {
  const auto path = tmp.path() / name;
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const auto& [part, contents] : parts) {
    zip_source_t* source = zip_source_buffer(archive, contents.data(), contents.size(), 0);
    EXPECT_GE(zip_file_add(archive, part.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(archive), 0);
  return path;
}

const char* kWorkbook = R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Все население" sheetId="3" r:id="rId1"/><sheet name="Second" sheetId="1" r:id="rId2"/></sheets>
</workbook>)";

const char* kRels = R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId2" Type="worksheet" Target="worksheets/b.xml"/>
<Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/a.xml"/>
</Relationships>)";

const char* kShared = R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t xml:space="preserve">Республика Казахстан </t></si>
<si><r><t>Туркестанская</t></r><r><rPr><vertAlign val="superscript"/></rPr><t> 1</t></r></si>
<si><t>-</t></si>
</sst>)";

const char* kSheetA = R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="B1"><v>2000</v></c><c r="C1"><v>2001</v></c></row>
<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="17"><v>14901641</v></c><c r="C2"><v>1.5E3</v></c></row>
<row r="4"><c r="A4" t="s"><v>1</v></c><c r="B4" t="s"><v>2</v></c><c r="C4" t="inlineStr"><is><t>42</t></is></c></row>
<row r="5"><c r="AA5" t="str"><v>formula result</v></c><c r="AB5" t="b"><v>1</v></c><c r="AC5" t="e"><v>#DIV/0!</v></c></row>
<row r="9"/>
</sheetData></worksheet>)";

const char* kSheetB = R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>
</sheetData></worksheet>)";

std::map<std::string, std::string> GoodParts() {
  return {{"xl/workbook.xml", kWorkbook},
          {"xl/_rels/workbook.xml.rels", kRels},
          {"xl/sharedStrings.xml", kShared},
          {"xl/worksheets/a.xml", kSheetA},
          {"xl/worksheets/b.xml", kSheetB}};
}

TEST(CellRef, FormatsAndParses) {
  EXPECT_EQ(CellRef(0, 0), "A1");
  EXPECT_EQ(CellRef(11, 2), "C12");
  EXPECT_EQ(CellRef(0, 25), "Z1");
  EXPECT_EQ(CellRef(0, 26), "AA1");
  EXPECT_EQ(CellRef(4, 701), "ZZ5");
  EXPECT_EQ(CellRef(4, 702), "AAA5");
  for (size_t col : {0u, 25u, 26u, 51u, 701u, 702u, 16383u}) {
    const auto parsed = ParseCellRef(CellRef(7, col));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->first, 7u);
    EXPECT_EQ(parsed->second, col);
  }
  EXPECT_FALSE(ParseCellRef("12"));
  EXPECT_FALSE(ParseCellRef("A"));
  EXPECT_FALSE(ParseCellRef("A0"));
  EXPECT_FALSE(ParseCellRef("A1x"));
}

TEST(XlsxWorkbook, ReadsSharedInlineNumbersAndSheetsByNameAndIndex) {
  TempDir tmp;
  const XlsxWorkbook book = XlsxWorkbook::Open(WriteZip(tmp, "t.xlsx", GoodParts()));
  ASSERT_EQ(book.sheet_count(), 2u);
  EXPECT_EQ(book.sheet_names(), (std::vector<std::string>{"Все население", "Second"}));
  const XlsxSheet& a = book.Sheet("Все население");
  EXPECT_EQ(&a, &book.Sheet(0));
  EXPECT_EQ(a.row_count(), 5u);  // trailing empty row 9 dropped
  EXPECT_EQ(a.Number(0, 1).value(), 2000);
  EXPECT_EQ(a.Text(1, 0), "Республика Казахстан");  // trimmed
  EXPECT_EQ(a.Number(1, 1).value(), 14901641);
  EXPECT_EQ(a.Number(1, 2).value(), 1500);
  EXPECT_TRUE(a.Empty(2, 0));                  // row 3 absent
  EXPECT_EQ(a.Text(3, 0), "Туркестанская 1");  // rich-text runs joined
  EXPECT_EQ(a.Text(3, 1), "-");
  EXPECT_FALSE(a.Number(3, 1));
  EXPECT_EQ(a.Number(3, 2).value(), 42);  // inline string holding a number
  EXPECT_EQ(a.Text(4, 26), "formula result");
  EXPECT_EQ(a.At(4, 27).type, XlsxCell::Type::kBool);
  EXPECT_EQ(a.At(4, 28).type, XlsxCell::Type::kError);
  EXPECT_TRUE(a.Empty(100, 100));
  // Rows and cells without references follow each other.
  const XlsxSheet& b = book.Sheet("second");  // case-insensitive fallback
  EXPECT_EQ(b.Number(0, 1).value(), 2);
  EXPECT_EQ(b.Number(1, 0).value(), 3);
  EXPECT_THROW(book.Sheet("Missing"), InputError);
  EXPECT_THROW(book.Sheet(5), InputError);
}

TEST(XlsxSheet, FailNamesWorkbookSheetAndCell) {
  TempDir tmp;
  const XlsxWorkbook book = XlsxWorkbook::Open(WriteZip(tmp, "t.xlsx", GoodParts()));
  try {
    book.Sheet(0).Fail(11, 2, "negative population");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "t.xlsx[Все население]:12:3: cell C12: negative population");
  }
}

TEST(XlsxWorkbook, FromMemoryReadsTheSameAsFromAFile) {
  TempDir tmp;
  const auto path = WriteZip(tmp, "t.xlsx", GoodParts());
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const XlsxWorkbook from_file = XlsxWorkbook::Open(path);
  const XlsxWorkbook in_memory = XlsxWorkbook::FromMemory(bytes, "mem.xlsx");
  EXPECT_EQ(in_memory.name(), "mem.xlsx");
  ASSERT_EQ(in_memory.sheet_names(), from_file.sheet_names());
  for (size_t idx = 0; idx < from_file.sheet_count(); ++idx) {
    const XlsxSheet& a = from_file.Sheet(idx);
    const XlsxSheet& b = in_memory.Sheet(idx);
    ASSERT_EQ(a.row_count(), b.row_count());
    for (size_t row = 0; row < a.row_count(); ++row) {
      for (size_t col = 0; col < a.column_count(); ++col) {
        EXPECT_EQ(a.Text(row, col), b.Text(row, col)) << CellRef(row, col);
      }
    }
  }
  EXPECT_EQ(in_memory.Sheet(0).Where(), "mem.xlsx[Все население]");
  EXPECT_THROW(XlsxWorkbook::FromMemory("", "empty.xlsx"), InputError);
  EXPECT_THROW(XlsxWorkbook::FromMemory("PK\x03\x04 truncated", "cut.xlsx"), InputError);
}

TEST(XlsxWorkbook, RejectsFilesThatAreNotWorkbooks) {
  TempDir tmp;
  EXPECT_THROW(XlsxWorkbook::Open(tmp.path() / "absent.xlsx"), InputError);
  EXPECT_THROW(XlsxWorkbook::Open(tmp.Write("plain.xlsx", "region,value\n")), InputError);
  EXPECT_THROW(XlsxWorkbook::Open(WriteZip(tmp, "nobook.xlsx", {{"a.txt", "x"}})), InputError);
  auto parts = GoodParts();
  parts["xl/worksheets/a.xml"] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1";
  EXPECT_THROW(XlsxWorkbook::Open(WriteZip(tmp, "badxml.xlsx", parts)), InputError);
  parts = GoodParts();
  parts["xl/worksheets/a.xml"] =
      "<worksheet><sheetData><row r=\"2\"><c r=\"B2\"><v>12abc</v></c></row></sheetData>"
      "</worksheet>";
  try {
    XlsxWorkbook::Open(WriteZip(tmp, "badnum.xlsx", parts));
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(":2:2: cell B2"), std::string::npos) << error.what();
  }
  parts = GoodParts();
  parts["xl/worksheets/a.xml"] =
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData>"
      "</worksheet>";
  EXPECT_THROW(XlsxWorkbook::Open(WriteZip(tmp, "badsst.xlsx", parts)), InputError);
}

TEST(XlsxWorkbook, ReadsTheBureauPopulationWorkbook) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const XlsxWorkbook book =
      XlsxWorkbook::Open(shared / "bns_population_odk" / "pop_source_6584.xlsx");
  ASSERT_EQ(book.sheet_count(), 3u);
  const XlsxSheet& all = book.Sheet("Все население");
  EXPECT_EQ(all.Number(0, 1).value(), 2000);
  EXPECT_EQ(all.Text(1, 0), "Республика Казахстан");
  EXPECT_EQ(all.Number(1, 1).value(), 14901641);
  EXPECT_EQ(all.Number(1, 24).value(), 19766807);  // Y2: 1 January 2023
}

}  // namespace
}  // namespace kazmig::io

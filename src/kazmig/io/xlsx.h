// A small reader for XLSX workbooks (Office Open XML spreadsheets), over libzip and pugixml.
//
// It reads cell values only: numbers, shared strings, inline strings, formula results cached in
// the file, booleans and error markers; it ignores styles, merged cells and drawings. Sheets are
// found by name or by 0-based index. Errors name the workbook, the sheet and the cell:
// `pop.xlsx[Sheet1]:12:3: cell C12: ...` (line = row, column = column, both 1-based).
//
//   io::XlsxWorkbook book = io::XlsxWorkbook::Open("pop_source_6584.xlsx");
//   const io::XlsxSheet& sheet = book.Sheet("Все население");
//   for (size_t row = 0; row < sheet.row_count(); ++row) {
//     std::string label = sheet.Text(row, 0);
//     std::optional<double> v2000 = sheet.Number(row, 1);
//   }
//   sheet.Fail(4, 2, "negative population");   // throws InputError at cell C5
#ifndef KAZMIG_IO_XLSX_H_
#define KAZMIG_IO_XLSX_H_

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct zip;  // libzip's archive (zip_t)

namespace kazmig::io {

struct XlsxCell {
  enum class Type { kEmpty, kNumber, kString, kBool, kError };
  Type type = Type::kEmpty;
  double number = 0.0;  // kNumber, kBool (0/1)
  std::string text;     // kString, kError; for kNumber the text as stored
};

// "A1"-style reference of a 0-based (row, column): CellRef(11, 2) == "C12".
std::string CellRef(size_t row, size_t col);
// Inverse of CellRef; nullopt when `ref` is not a cell reference.
std::optional<std::pair<size_t, size_t>> ParseCellRef(std::string_view ref);

class XlsxSheet {
 public:
  XlsxSheet(std::string workbook, std::string name, std::vector<std::vector<XlsxCell>> rows);

  const std::string& name() const { return name_; }
  size_t row_count() const { return rows_.size(); }
  // Cells in the longest row.
  size_t column_count() const { return columns_; }
  // The cell at 0-based (row, col); an empty cell outside the used range.
  const XlsxCell& At(size_t row, size_t col) const;
  // Text of a string cell (trimmed of surrounding spaces), the stored text of a number, or "".
  std::string Text(size_t row, size_t col) const;
  // A number cell's value, or a string cell that holds a plain number; nullopt otherwise.
  std::optional<double> Number(size_t row, size_t col) const;
  bool Empty(size_t row, size_t col) const { return At(row, col).type == XlsxCell::Type::kEmpty; }

  // "book.xlsx[Sheet]" (the file part of error messages).
  std::string Where() const;
  // Throws InputError at the cell: "book.xlsx[Sheet]:ROW:COL: cell C12: message".
  [[noreturn]] void Fail(size_t row, size_t col, const std::string& message) const;

 private:
  std::string workbook_;
  std::string name_;
  std::vector<std::vector<XlsxCell>> rows_;
  size_t columns_ = 0;
};

class XlsxWorkbook {
 public:
  // Reads every sheet of the workbook. Throws InputError when the file is missing, not a ZIP
  // archive, or not a spreadsheet (missing workbook part, malformed XML).
  static XlsxWorkbook Open(const std::filesystem::path& path);
  // The same from the bytes of a workbook held in memory; `name` stands for the file in errors.
  static XlsxWorkbook FromMemory(std::string_view data, const std::string& name);

  const std::string& name() const { return name_; }
  std::vector<std::string> sheet_names() const;
  size_t sheet_count() const { return sheets_.size(); }
  const XlsxSheet& Sheet(size_t index) const;
  // The sheet named `name` (exact, then ignoring case and surrounding spaces); throws InputError
  // listing the sheets when absent.
  const XlsxSheet& Sheet(std::string_view name) const;
  const XlsxSheet* FindSheet(std::string_view name) const;

 private:
  static XlsxWorkbook Read(::zip* archive, const std::string& file, const std::string& book_name);
  std::string name_;
  std::vector<XlsxSheet> sheets_;
};

}  // namespace kazmig::io

#endif  // KAZMIG_IO_XLSX_H_

// ResultTable: the one encoder of tabular results for every face (CLI, report tables, HTTP API).
//
// A use case returns its rows as a ResultTable: named columns, rows of cells, and the provenance
// of each row. The faces encode it as CSV (header + rows, nothing else), JSON (an array of row
// objects, numbers bare, missing values null, provenance under its own key) or aligned text for
// people, so a number looks the same wherever it is shown.
//
//   app::ResultTable table({"region", "net", "rate"});
//   size_t official = table.AddProvenance("official: BNS table 6576");
//   table.AddRow({app::Cell::Text("75"), app::Cell::Number(12345), app::Cell::Missing()},
//                official);
//   std::string csv = table.Csv();                       // region,net,rate\n75,12345,NA\n
//   std::string text = table.Text();                     // aligned, numbers right-aligned
//   nlohmann::ordered_json rows = table.Json();          // [{"region":"75","net":12345,...}]
#ifndef KAZMIG_APP_RESULT_TABLE_H_
#define KAZMIG_APP_RESULT_TABLE_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::app {

using Json = nlohmann::ordered_json;

// One cell: a number (with the text CSV and tables show), a text, or a missing value.
struct Cell {
  enum class Kind { kMissing, kNumber, kInteger, kText, kBool };
  Kind kind = Kind::kMissing;
  double number = 0;  // kNumber, kInteger (exact integers), kBool (0 or 1)
  std::string text;   // kText; for numbers the text CSV and tables show

  // A number shown in the shortest round-trip form (io::FormatNumber); a non-finite value is
  // missing (CSV "NA", JSON null).
  static Cell Number(double value);
  // A number shown as `shown` in CSV and text (e.g. rounded), bare in JSON.
  static Cell Number(double value, std::string shown);
  static Cell Integer(long long value);
  static Cell Text(std::string value);
  static Cell Bool(bool value);
  static Cell Missing();

  bool missing() const { return kind == Kind::kMissing; }
  // The text shown in CSV: "NA" when missing.
  std::string Shown() const;
  Json ToJson() const;
};

// Formats for the faces. kTable is aligned text for people.
enum class Format { kCsv, kJson, kTable };
// "csv", "json" or "table"; throws UsageError otherwise.
Format ParseFormat(std::string_view name);

class ResultTable {
 public:
  ResultTable() = default;
  explicit ResultTable(std::vector<std::string> columns);

  const std::vector<std::string>& columns() const { return columns_; }
  size_t row_count() const { return rows_.size(); }
  const std::vector<Cell>& row(size_t row_idx) const { return rows_[row_idx]; }
  // The column index of `name`; throws std::out_of_range when there is none.
  size_t ColumnIndex(std::string_view name) const;
  const Cell& at(size_t row_idx, std::string_view column) const;

  // Registers a provenance text and returns its handle (equal texts share a handle).
  size_t AddProvenance(const std::string& text);
  // Adds a row of exactly columns().size() cells (throws ComputeError, internal, otherwise).
  void AddRow(std::vector<Cell> row, size_t provenance = kNoProvenance);
  // The provenance text of a row ("" when none was given).
  const std::string& ProvenanceOf(size_t row_idx) const;

  // CSV: the header and the rows (RFC 4180 quoting); with `with_provenance` a last column
  // `provenance`.
  std::string Csv(bool with_provenance = false) const;
  // Aligned text: header, a rule, rows; columns whose every cell is numeric are right-aligned.
  std::string Text(bool with_provenance = false) const;
  // An array of one object per row (column -> bare number, text or null), with a "provenance"
  // key per row when `with_provenance`.
  Json ToJson(bool with_provenance = false) const;
  // Encodes in `format` (JSON pretty-printed with 2 spaces and a final newline).
  std::string Encode(Format format, bool with_provenance = false) const;

  static constexpr size_t kNoProvenance = static_cast<size_t>(-1);

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<size_t> row_provenance_;
  std::vector<std::string> provenances_;
};

// Aligned text of ready-formatted cells: the first row is the header, followed by a rule of '-';
// columns whose every body cell looks numeric (digits, '.', ',', '-', '+', 'e', '%') are
// right-aligned; widths count UTF-8 code points; trailing spaces are trimmed.
std::string AlignedText(const std::vector<std::vector<std::string>>& rows);

// Formats a number for people: thousands separated with ',', `decimals` after the point; NaN as
// "n/a".
std::string HumanNumber(double value, int decimals = 0);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_RESULT_TABLE_H_

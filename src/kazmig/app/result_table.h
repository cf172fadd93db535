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

// What a numeric column holds. CSV and JSON never look at it (full precision there); the aligned
// text for people (ResultTable::Text, Format::kTable) derives each number's style from it, so a
// column has one style (docs/output.md):
//   kAuto              as the cell's own text, but never in exponent form (FixedNumber)
//   kId, kYear         as is, no separators
//   kPersons, kCount   whole numbers, thousands separated: 1,234,567
//   kEstimatedPersons  3 significant digits, whole persons: 406,313 -> 406,000 (footnote)
//   kRatePer1000       one decimal (footnote: per 1,000 population); kRatePer100: two decimals
//   kPercent           one decimal, no % sign (footnote: percent)
//   kShare             three decimals (a fraction of 1); kScore: three decimals
//   kIndex             three decimals, thousands separated (CMP, MEI, Gini, ...)
//   kCoefficient       4 significant digits, fixed notation (integer cells stay whole: n_obs)
//   kPValue            three decimals, "<0.001" below 0.001
//   kAmount            thousands separated, one decimal (money, m2, ...)
// Missing values (and NaN) are shown as "–" in every table column.
enum class Unit {
  kAuto,
  kId,
  kYear,
  kPersons,
  kCount,
  kEstimatedPersons,
  kRatePer1000,
  kRatePer100,
  kPercent,
  kShare,
  kScore,
  kIndex,
  kCoefficient,
  kPValue,
  kAmount,
};

// One cell: a number (with the text CSV and tables show), a text, or a missing value.
struct Cell {
  enum class Kind { kMissing, kNumber, kInteger, kText, kBool };
  Kind kind = Kind::kMissing;
  double number = 0;  // kNumber, kInteger (exact integers), kBool (0 or 1)
  std::string text;   // kText; for numbers the text CSV and tables show
  // The unit of this cell in the aligned text when it differs from its column's (a long table
  // of indicator,value rows: each row its own unit); kAuto: the column's. CSV and JSON ignore it.
  Unit unit = Unit::kAuto;

  // A number shown in the shortest round-trip form (io::FormatNumber); a non-finite value is
  // missing (CSV "NA", JSON null).
  static Cell Number(double value);
  // A number shown as `shown` in CSV and text (e.g. rounded), bare in JSON.
  static Cell Number(double value, std::string shown);
  static Cell Integer(long long value);
  static Cell Text(std::string value);
  static Cell Bool(bool value);
  static Cell Missing();

  // This cell with `cell_unit` as its own unit in the aligned text (see `unit`).
  Cell In(Unit cell_unit) const {
    Cell cell = *this;
    cell.unit = cell_unit;
    return cell;
  }

  bool missing() const { return kind == Kind::kMissing; }
  // The text shown in CSV: "NA" when missing.
  std::string Shown() const;
  Json ToJson() const;
};

// The table unit of values stored with the unit text `measure` (the store's and `data list`'s:
// "persons", "% of ...", "per 1000", "million KZT", ...): persons (estimated ones when
// `estimated`), percent, rates per 1,000, or amounts.
Unit UnitOfMeasure(std::string_view measure, bool estimated = false);

// `value` as a table shows it in a column of `unit`; NaN as "–".
std::string TableNumber(double value, Unit unit);
// The footnote a table prints under itself for a column of `unit` (without the column names),
// or "" when the style needs none.
std::string UnitFootnote(Unit unit);
// `value` rounded to `digits` significant digits (0 stays 0).
double RoundSignificant(double value, int digits);
// `value` in fixed notation with at most 6 significant digits and no exponent (1e+08 ->
// 100,000,000; 5e-10 -> 0.0000000005; trailing zeros dropped).
std::string FixedNumber(double value);
// The text shown for a missing value in tables: "–" (an en dash).
inline constexpr std::string_view kTableMissing = "\xE2\x80\x93";

// Formats for the faces. kTable is aligned text for people.
enum class Format { kCsv, kJson, kTable };
// "csv", "json" or "table"; throws UsageError otherwise.
Format ParseFormat(std::string_view name);

class ResultTable {
 public:
  ResultTable() = default;
  explicit ResultTable(std::vector<std::string> columns);

  // A table whose columns carry units (for the aligned text; CSV and JSON ignore them).
  ResultTable(std::vector<std::string> columns, std::vector<Unit> units);

  const std::vector<std::string>& columns() const { return columns_; }
  // The unit of column `col` (kAuto unless set).
  Unit unit(size_t col) const { return col < units_.size() ? units_[col] : Unit::kAuto; }
  // Sets the unit of `column` (throws std::out_of_range when there is none); returns *this.
  ResultTable& SetUnit(std::string_view column, Unit unit);
  // A line printed under the aligned text (after the unit footnotes), e.g. what a column counts.
  void AddFootnote(std::string line) { footnotes_.push_back(std::move(line)); }
  size_t row_count() const { return rows_.size(); }
  const std::vector<Cell>& row(size_t row_idx) const { return rows_[row_idx]; }
  // The column index of `name`; throws std::out_of_range when there is none.
  size_t ColumnIndex(std::string_view name) const;
  const Cell& at(size_t row_idx, std::string_view column) const;

  // Registers a provenance text and returns its handle (equal texts share a handle).
  size_t AddProvenance(const std::string& text);
  // Reserves room for `rows` rows (a use case that knows its row count).
  void Reserve(size_t rows);
  // Adds a row of exactly columns().size() cells (throws ComputeError, internal, otherwise).
  void AddRow(std::vector<Cell> row, size_t provenance = kNoProvenance);
  // The provenance text of a row ("" when none was given).
  const std::string& ProvenanceOf(size_t row_idx) const;

  // CSV: the header and the rows (RFC 4180 quoting); with `with_provenance` a last column
  // `provenance`.
  std::string Csv(bool with_provenance = false) const;
  // Aligned text: header, a rule, rows; numbers in their column's unit style (TableNumber),
  // missing as "–"; columns whose every cell is numeric are right-aligned; then one footnote line
  // per unit that needs one ("note: net_rate: per 1,000 population, one decimal") and the
  // AddFootnote lines.
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
  std::vector<Unit> units_;
  std::vector<std::string> footnotes_;
};

// Aligned text of ready-formatted cells: the first row is the header, followed by a rule of '-';
// columns whose every body cell looks numeric (digits, '.', ',', '-', '+', 'e', '%') are
// right-aligned ("<0.001" and "–" count as numeric); widths count UTF-8 code points; trailing
// spaces are trimmed. A cell that is a number in exponent form (1e+08, 5.0e-10) is shown in
// fixed notation (FixedNumber): tables never show exponents.
std::string AlignedText(const std::vector<std::vector<std::string>>& rows);

// Appends `field` to `out` as ResultTable::Csv writes a cell's text (RFC 4180: quoted, with
// doubled quotes, when it holds a comma, a quote or a line break).
void AppendCsvField(std::string& out, std::string_view field);
// Appends the CSV field of Cell::Number(value): its shortest round-trip form (io::FormatNumber),
// "NA" when not finite.
void AppendCsvNumber(std::string& out, double value);

// Formats a number for people: thousands separated with ',', `decimals` after the point; NaN as
// "n/a".
std::string HumanNumber(double value, int decimals = 0);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_RESULT_TABLE_H_

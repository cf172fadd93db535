#include "kazmig/app/result_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {

Cell Cell::Number(double value) {
  if (!std::isfinite(value)) return Missing();
  return Cell{Kind::kNumber, value, io::FormatNumber(value)};
}

Cell Cell::Number(double value, std::string shown) {
  if (!std::isfinite(value)) return Missing();
  return Cell{Kind::kNumber, value, std::move(shown)};
}

Cell Cell::Integer(long long value) {
  return Cell{Kind::kInteger, static_cast<double>(value), std::to_string(value)};
}

Cell Cell::Text(std::string value) { return Cell{Kind::kText, 0, std::move(value)}; }

Cell Cell::Bool(bool value) {
  return Cell{Kind::kBool, value ? 1.0 : 0.0, value ? "true" : "false"};
}

Cell Cell::Missing() { return Cell{Kind::kMissing, 0, {}}; }

std::string Cell::Shown() const { return kind == Kind::kMissing ? std::string("NA") : text; }

Json Cell::ToJson() const {
  switch (kind) {
    case Kind::kMissing:
      return Json(nullptr);
    case Kind::kNumber:
      return Json(number);
    case Kind::kInteger:
      return Json(static_cast<long long>(number));
    case Kind::kBool:
      return Json(number != 0);
    case Kind::kText:
      break;
  }
  return Json(text);
}

Format ParseFormat(std::string_view name) {
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  if (name == "table") return Format::kTable;
  throw UsageError(fmt::format("--format must be csv, json or table, not '{}'", name));
}

ResultTable::ResultTable(std::vector<std::string> columns) : columns_(std::move(columns)) {}

ResultTable::ResultTable(std::vector<std::string> columns, std::vector<Unit> units)
    : columns_(std::move(columns)), units_(std::move(units)) {
  if (units_.size() != columns_.size()) {
    throw ComputeError(
        fmt::format("internal: {} units for {} columns", units_.size(), columns_.size()));
  }
}

ResultTable& ResultTable::SetUnit(std::string_view column, Unit unit) {
  const size_t col = ColumnIndex(column);
  if (units_.size() < columns_.size()) units_.resize(columns_.size(), Unit::kAuto);
  units_[col] = unit;
  return *this;
}

size_t ResultTable::ColumnIndex(std::string_view name) const {
  const auto it = std::find(columns_.begin(), columns_.end(), name);
  if (it == columns_.end()) {
    throw std::out_of_range(fmt::format("result table has no column '{}'", name));
  }
  return static_cast<size_t>(it - columns_.begin());
}

const Cell& ResultTable::at(size_t row_idx, std::string_view column) const {
  return rows_.at(row_idx).at(ColumnIndex(column));
}

size_t ResultTable::AddProvenance(const std::string& text) {
  const auto it = std::find(provenances_.begin(), provenances_.end(), text);
  if (it != provenances_.end()) return static_cast<size_t>(it - provenances_.begin());
  provenances_.push_back(text);
  return provenances_.size() - 1;
}

void ResultTable::Reserve(size_t rows) {
  rows_.reserve(rows);
  row_provenance_.reserve(rows);
}

void ResultTable::AddRow(std::vector<Cell> row, size_t provenance) {
  if (row.size() != columns_.size()) {
    throw ComputeError(fmt::format("internal: result row has {} cells for {} columns", row.size(),
                                   columns_.size()));
  }
  if (provenance != kNoProvenance && provenance >= provenances_.size()) {
    throw ComputeError("internal: result row names an unknown provenance handle");
  }
  rows_.push_back(std::move(row));
  row_provenance_.push_back(provenance);
}

const std::string& ResultTable::ProvenanceOf(size_t row_idx) const {
  static const std::string kNone;
  const size_t handle = row_provenance_.at(row_idx);
  return handle == kNoProvenance ? kNone : provenances_[handle];
}

void AppendCsvField(std::string& out, std::string_view field) {
  // One pass over the bytes (find_first_of with a set searches the set for every byte).
  bool plain = true;
  for (const char c : field) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

namespace {

// "00" "01" ... "99".
constexpr char kDigitPairs[] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546"
    "4748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293"
    "949596979899";

// Writes the decimal digits of `value` so that they end at `end`; returns where they start.
char* WriteDigitsBefore(char* end, uint64_t value) {
  while (value >= 100) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * (value % 100), 2);
    value /= 100;
  }
  if (value >= 10) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * value, 2);
  } else {
    *--end = static_cast<char>('0' + value);
  }
  return end;
}

}  // namespace

void AppendCsvNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "NA";
    return;
  }
  if (value == 0.0) {
    out.push_back('0');  // also -0, as io::FormatNumber
    return;
  }
  // io::FormatNumber's fmt::format("{}", value), without fmt's format-string machinery (a third
  // of the time of writing a flow table): the same shortest round-trip digits (fmt's Dragonbox,
  // significand * 10^exponent) laid out by the rules of fmt 9's do_write_float for "{}": exponent
  // form (1.5e-05, 1e+16, 2.5e+100) when the exponent of the first digit is below -4 or at least
  // 16, else fixed (12.5, 0.00015, 1500). result_table_test compares the two on many values.
  const auto decimal = fmt::detail::dragonbox::to_decimal(std::abs(value));
  // Digits end 24 bytes into a 48-byte buffer and text has room to spare, so that every copy is
  // of a fixed 24 or 16 bytes (moves, not calls) and the end pointer moves by the true length.
  char digit_buffer[48];
  char* const digits_end = digit_buffer + 24;
  const char* digits = WriteDigitsBefore(digits_end, decimal.significand);
  const int count = static_cast<int>(digits_end - digits);
  const int first_exponent = decimal.exponent + count - 1;
  char text[96];
  char* at = text;
  if (std::signbit(value)) *at++ = '-';
  if (first_exponent < -4 || first_exponent >= 16) {
    *at++ = digits[0];
    if (count > 1) {
      *at++ = '.';
      std::memcpy(at, digits + 1, 24);
      at += count - 1;
    }
    *at++ = 'e';
    *at++ = first_exponent < 0 ? '-' : '+';
    int magnitude = first_exponent < 0 ? -first_exponent : first_exponent;
    if (magnitude >= 100) {
      *at++ = static_cast<char>('0' + magnitude / 100);
      magnitude %= 100;
    }
    std::memcpy(at, kDigitPairs + 2 * magnitude, 2);
    at += 2;
  } else if (decimal.exponent >= 0) {  // 15e2 -> 1500 (at most 16 digits in all)
    std::memcpy(at, digits, 24);
    at += count;
    std::memset(at, '0', 16);
    at += decimal.exponent;
  } else if (const int integer_digits = decimal.exponent + count; integer_digits > 0) {
    std::memcpy(at, digits, 24);  // 125e-1 -> 12.5
    at += integer_digits;
    *at++ = '.';
    std::memcpy(at, digits + integer_digits, 24);
    at += count - integer_digits;
  } else {  // 15e-5 -> 0.00015 (at most 3 zeros after the point)
    *at++ = '0';
    *at++ = '.';
    std::memset(at, '0', 16);
    at += -integer_digits;
    std::memcpy(at, digits, 24);
    at += count;
  }
  out.append(text, static_cast<size_t>(at - text));
}

std::string ResultTable::Csv(bool with_provenance) const {
  // Straight into one string (no stream): the encoder of every CSV result, 10^5 rows and more.
  std::string out;
  size_t guess = 0;
  for (size_t row_idx = 0; row_idx < rows_.size() && row_idx < 64; ++row_idx) {
    for (const Cell& cell : rows_[row_idx]) guess += cell.text.size() + 1;
  }
  if (!rows_.empty()) out.reserve(guess * rows_.size() / std::min<size_t>(rows_.size(), 64) + 64);
  const auto end_row = [&] {
    out.back() = '\n';  // the separator after the last field
  };
  for (const std::string& column : columns_) {
    AppendCsvField(out, column);
    out.push_back(',');
  }
  if (with_provenance) {
    AppendCsvField(out, "provenance");
    out.push_back(',');
  }
  if (out.empty()) out.push_back(',');
  end_row();
  for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    const size_t start = out.size();
    for (const Cell& cell : rows_[row_idx]) {
      AppendCsvField(out, cell.missing() ? std::string_view("NA") : std::string_view(cell.text));
      out.push_back(',');
    }
    if (with_provenance) {
      AppendCsvField(out, ProvenanceOf(row_idx));
      out.push_back(',');
    }
    if (out.size() == start) out.push_back(',');
    end_row();
  }
  return out;
}

std::string ResultTable::Text(bool with_provenance) const {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows_.size() + 1);
  cells.push_back(columns_);
  if (with_provenance) cells.back().emplace_back("provenance");
  for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    std::vector<std::string> line;
    line.reserve(columns_.size() + 1);
    for (size_t col = 0; col < columns_.size(); ++col) {
      const Cell& cell = rows_[row_idx][col];
      const bool numeric = cell.kind == Cell::Kind::kNumber || cell.kind == Cell::Kind::kInteger;
      const Unit cell_unit = cell.unit != Unit::kAuto ? cell.unit : unit(col);
      if (cell.missing()) {
        line.emplace_back(kTableMissing);
      } else if (cell.kind == Cell::Kind::kInteger && cell_unit == Unit::kCoefficient) {
        line.push_back(HumanNumber(cell.number, 0));  // counts among coefficients stay whole
      } else if (numeric && cell_unit != Unit::kAuto) {
        line.push_back(TableNumber(cell.number, cell_unit));
      } else {
        line.push_back(cell.text);
      }
    }
    if (with_provenance) line.push_back(ProvenanceOf(row_idx));
    cells.push_back(std::move(line));
  }
  std::string text = AlignedText(cells);
  if (rows_.empty()) return text;
  // One footnote per unit that needs one, naming its columns, in column order.
  std::vector<Unit> seen;
  for (size_t col = 0; col < columns_.size(); ++col) {
    const Unit u = unit(col);
    if (std::find(seen.begin(), seen.end(), u) != seen.end()) continue;
    seen.push_back(u);
    const std::string note = UnitFootnote(u);
    if (note.empty()) continue;
    std::vector<std::string> named;
    for (size_t other = col; other < columns_.size(); ++other) {
      if (unit(other) == u) named.push_back(columns_[other]);
    }
    // Many columns of one unit (a matrix): the first and the last.
    std::string names = named.size() > 6 ? named.front() + " ... " + named.back() : named.front();
    for (size_t idx = 1; named.size() <= 6 && idx < named.size(); ++idx) names += ", " + named[idx];
    text += fmt::format("note: {}: {}\n", names, note);
  }
  // Cells with their own unit (rows of a long indicator,value table): one footnote per unit,
  // naming the rows by their "indicator" cell, or else their first cell.
  size_t label_col = 0;
  for (size_t col = 0; col < columns_.size(); ++col) {
    if (columns_[col] == "indicator") label_col = col;
  }
  std::vector<Unit> cell_units;
  for (const auto& row : rows_) {
    for (size_t col = 0; col < row.size(); ++col) {
      const Cell& cell = row[col];
      if (cell.unit == Unit::kAuto || cell.unit == unit(col) || UnitFootnote(cell.unit).empty()) {
        continue;
      }
      if (std::find(cell_units.begin(), cell_units.end(), cell.unit) == cell_units.end()) {
        cell_units.push_back(cell.unit);
      }
    }
  }
  for (const Unit u : cell_units) {
    std::vector<std::string> named;
    for (const auto& row : rows_) {
      const bool has =
          std::any_of(row.begin(), row.end(), [&](const Cell& c) { return c.unit == u; });
      if (!has || row[label_col].kind != Cell::Kind::kText) continue;
      if (std::find(named.begin(), named.end(), row[label_col].text) == named.end()) {
        named.push_back(row[label_col].text);
      }
    }
    std::string names = named.empty() ? "values" : named.front();
    if (named.size() > 6) {
      names += " ... " + named.back();
    } else {
      for (size_t idx = 1; idx < named.size(); ++idx) names += ", " + named[idx];
    }
    text += fmt::format("note: {}: {}\n", names, UnitFootnote(u));
  }
  for (const std::string& line : footnotes_) text += "note: " + line + "\n";
  return text;
}

Json ResultTable::ToJson(bool with_provenance) const {
  Json rows = Json::array();
  for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    Json object = Json::object();
    for (size_t col = 0; col < columns_.size(); ++col) {
      object[columns_[col]] = rows_[row_idx][col].ToJson();
    }
    if (with_provenance) object["provenance"] = ProvenanceOf(row_idx);
    rows.push_back(std::move(object));
  }
  return rows;
}

std::string ResultTable::Encode(Format format, bool with_provenance) const {
  switch (format) {
    case Format::kCsv:
      return Csv(with_provenance);
    case Format::kTable:
      return Text(with_provenance);
    case Format::kJson:
      break;
  }
  return ToJson(with_provenance).dump(2) + "\n";
}

namespace {
size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;  // count code points
  return width;
}
bool LooksNumeric(const std::string& s) {
  if (s.empty() || s == kTableMissing || s == "<0.001") return true;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-' || c == '+' || c == 'e' ||
           c == '%';
  });
}
// A number written with an exponent (1e+08, -5.0e-10, 2.5E3): parsed, or nullopt for any other
// text.
std::optional<double> ExponentNumber(const std::string& s) {
  if (s.find_first_of("eE") == std::string::npos) return std::nullopt;
  size_t k = 0;
  if (k < s.size() && (s[k] == '-' || s[k] == '+')) ++k;
  const size_t mantissa = k;
  while (k < s.size() && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.')) ++k;
  if (k == mantissa || k >= s.size() || (s[k] != 'e' && s[k] != 'E')) return std::nullopt;
  ++k;
  if (k < s.size() && (s[k] == '-' || s[k] == '+')) ++k;
  const size_t exponent = k;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
  if (k == exponent || k != s.size()) return std::nullopt;
  try {
    return std::stod(s);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
}  // namespace

std::string AlignedText(const std::vector<std::vector<std::string>>& input) {
  if (input.empty()) return {};
  std::vector<std::vector<std::string>> rows = input;
  for (size_t row_idx = 1; row_idx < rows.size(); ++row_idx) {
    for (std::string& cell : rows[row_idx]) {
      if (auto x = ExponentNumber(cell)) cell = FixedNumber(*x);
      if (cell == "NA" || cell == "nan" || cell == "-nan") cell = std::string(kTableMissing);
    }
  }
  const size_t cols = rows.front().size();
  std::vector<size_t> width(cols, 0);
  std::vector<bool> numeric(cols, true);
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    for (size_t col = 0; col < cols && col < rows[row_idx].size(); ++col) {
      width[col] = std::max(width[col], DisplayWidth(rows[row_idx][col]));
      if (row_idx > 0 && !LooksNumeric(rows[row_idx][col])) numeric[col] = false;
    }
  }
  std::string out;
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    std::string line;
    for (size_t col = 0; col < cols; ++col) {
      const std::string cell = col < rows[row_idx].size() ? rows[row_idx][col] : "";
      const std::string pad(width[col] - DisplayWidth(cell), ' ');
      if (col > 0) line += "  ";
      line += (numeric[col] && row_idx > 0) ? pad + cell : cell + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
    if (row_idx == 0) {
      size_t total = 0;
      for (size_t col = 0; col < cols; ++col) total += width[col] + (col > 0 ? 2 : 0);
      out += std::string(total, '-');
      out += '\n';
    }
  }
  return out;
}

std::string HumanNumber(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  const size_t point = digits.find('.');
  std::string integer = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
  std::string grouped;
  for (size_t k = 0; k < integer.size(); ++k) {
    if (k > 0 && (integer.size() - k) % 3 == 0) grouped += ',';
    grouped += integer[k];
  }
  const bool negative = value < 0 && std::fabs(value) >= 0.5 * std::pow(10.0, -decimals);
  return (negative ? "-" : "") + grouped + fraction;
}

double RoundSignificant(double value, int digits) {
  if (!std::isfinite(value) || value == 0) return value;
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const double scale = std::pow(10.0, digits - 1 - magnitude);
  return std::round(value * scale) / scale;
}

std::string FixedNumber(double value) {
  if (std::isnan(value)) return std::string(kTableMissing);
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  const double rounded = RoundSignificant(value, 6);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(rounded))));
  const int decimals = std::max(0, 5 - magnitude);
  std::string text = HumanNumber(rounded, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string TableNumber(double value, Unit unit) {
  if (std::isnan(value)) return std::string(kTableMissing);
  switch (unit) {
    case Unit::kAuto:
      return FixedNumber(value);
    case Unit::kId:
    case Unit::kYear:
      return fmt::format("{:.0f}", value);
    case Unit::kPersons:
    case Unit::kCount:
      return HumanNumber(value, 0);
    case Unit::kEstimatedPersons:
      return HumanNumber(std::round(RoundSignificant(value, 3)), 0);
    case Unit::kRatePer1000:
    case Unit::kPercent:
    case Unit::kAmount:
      return HumanNumber(value, 1);
    case Unit::kRatePer100:
      return HumanNumber(value, 2);
    case Unit::kShare:
    case Unit::kScore:
    case Unit::kIndex:
      return HumanNumber(value, 3);
    case Unit::kCoefficient: {
      if (value == 0) return "0";
      const double rounded = RoundSignificant(value, 4);
      const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(rounded))));
      return HumanNumber(rounded, std::max(0, 3 - magnitude));
    }
    case Unit::kPValue:
      return value < 0.001 ? "<0.001" : fmt::format("{:.3f}", value);
  }
  return FixedNumber(value);
}

Unit UnitOfMeasure(std::string_view measure, bool estimated) {
  if (measure == "persons") return estimated ? Unit::kEstimatedPersons : Unit::kPersons;
  if (measure.starts_with("%")) return Unit::kPercent;
  if (measure == "per 1000" || measure == "per 1,000") return Unit::kRatePer1000;
  return Unit::kAmount;
}

std::string UnitFootnote(Unit unit) {
  switch (unit) {
    case Unit::kEstimatedPersons:
      return "estimated persons, rounded to 3 significant digits (full precision with --format "
             "csv or json)";
    case Unit::kRatePer1000:
      return "per 1,000 population, one decimal";
    case Unit::kRatePer100:
      return "per 100 population, two decimals";
    case Unit::kPercent:
      return "percent, one decimal";
    case Unit::kShare:
      return "a fraction of 1, three decimals (0.015 = 1.5%)";
    case Unit::kPValue:
      return "p-values below 0.001 shown as <0.001";
    default:
      return {};
  }
}

}  // namespace kazmig::app

#include "kazmig/io/xlsx.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <pugixml.hpp>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

std::string_view Trim(std::string_view text) {
  // Also drops no-break spaces (U+00A0), common in agency exports.
  while (!text.empty()) {
    if (text.starts_with("\xc2\xa0")) {
      text.remove_prefix(2);
    } else if (std::string_view(" \t\r\n").find(text.front()) != std::string_view::npos) {
      text.remove_prefix(1);
    } else {
      break;
    }
  }
  while (!text.empty()) {
    if (text.ends_with("\xc2\xa0")) {
      text.remove_suffix(2);
    } else if (std::string_view(" \t\r\n").find(text.back()) != std::string_view::npos) {
      text.remove_suffix(1);
    } else {
      break;
    }
  }
  return text;
}

std::optional<double> ParsePlainNumber(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = fast_float::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

// Reads one entry of the archive; nullopt when it does not exist.
std::optional<std::string> ReadEntry(zip_t* archive, const std::string& name,
                                     const std::string& file) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive, name.c_str(), 0, &stat) != 0) return std::nullopt;
  // The size is the archive's claim: check it before allocating (a damaged header can claim
  // gigabytes).
  constexpr zip_uint64_t kMaxPartSize = 256u << 20;
  if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxPartSize) {
    throw InputError(file, 0, 0,
                     fmt::format("part {} is larger than 256 MB or of unknown size", name));
  }
  zip_file_t* entry = zip_fopen(archive, name.c_str(), 0);
  if (entry == nullptr) throw InputError(file, 0, 0, fmt::format("cannot read part {}", name));
  std::string data;
  data.resize(static_cast<size_t>(stat.size));
  const zip_int64_t read = zip_fread(entry, data.data(), stat.size);
  zip_fclose(entry);
  if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) {
    throw InputError(file, 0, 0, fmt::format("corrupt part {}", name));
  }
  return data;
}

pugi::xml_document ParseXml(const std::string& data, const std::string& part,
                            const std::string& file) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result = doc.load_buffer(data.data(), data.size());
  if (!result) {
    throw InputError(file, 0, 0,
                     fmt::format("malformed XML in {} at byte {}: {}", part, result.offset,
                                 result.description()));
  }
  return doc;
}

// Local name of an element ("x:row" -> "row"): some writers use a namespace prefix.
std::string_view Local(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (Local(child) == local) return child;
  }
  return {};
}

// Concatenates the text of every <t> under `node`, skipping phonetic runs (<rPh>).
void CollectText(const pugi::xml_node& node, std::string& out) {
  for (pugi::xml_node child : node.children()) {
    const std::string_view local = Local(child);
    if (local == "rPh" || local == "phoneticPr") continue;
    if (local == "t") {
      out += child.text().get();
    } else {
      CollectText(child, out);
    }
  }
}

// Resolves a relationship target relative to the folder of the part that refers to it.
std::string ResolveTarget(const std::string& base_dir, std::string target) {
  if (!target.empty() && target.front() == '/') return target.substr(1);
  std::string path = base_dir + target;
  // Collapse "dir/../".
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

}  // namespace

std::string CellRef(size_t row, size_t col) {
  std::string letters;
  size_t n = col + 1;
  while (n > 0) {
    const size_t rem = (n - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return letters + std::to_string(row + 1);
}

std::optional<std::pair<size_t, size_t>> ParseCellRef(std::string_view ref) {
  size_t pos = 0;
  size_t col = 0;
  while (pos < ref.size() && std::isalpha(static_cast<unsigned char>(ref[pos]))) {
    col = col * 26 +
          static_cast<size_t>(std::toupper(static_cast<unsigned char>(ref[pos])) - 'A' + 1);
    ++pos;
    if (pos > 3) return std::nullopt;
  }
  if (pos == 0 || pos == ref.size()) return std::nullopt;
  size_t row = 0;
  for (; pos < ref.size(); ++pos) {
    if (!std::isdigit(static_cast<unsigned char>(ref[pos]))) return std::nullopt;
    row = row * 10 + static_cast<size_t>(ref[pos] - '0');
    if (row > 10'000'000) return std::nullopt;
  }
  if (row == 0) return std::nullopt;
  return std::make_pair(row - 1, col - 1);
}

XlsxSheet::XlsxSheet(std::string workbook, std::string name,
                     std::vector<std::vector<XlsxCell>> rows)
    : workbook_(std::move(workbook)), name_(std::move(name)), rows_(std::move(rows)) {
  for (const auto& row : rows_) columns_ = std::max(columns_, row.size());
}

const XlsxCell& XlsxSheet::At(size_t row, size_t col) const {
  static const XlsxCell kEmpty;
  if (row >= rows_.size() || col >= rows_[row].size()) return kEmpty;
  return rows_[row][col];
}

std::string XlsxSheet::Text(size_t row, size_t col) const {
  const XlsxCell& cell = At(row, col);
  if (cell.type == XlsxCell::Type::kEmpty) return {};
  return std::string(Trim(cell.text));
}

std::optional<double> XlsxSheet::Number(size_t row, size_t col) const {
  const XlsxCell& cell = At(row, col);
  if (cell.type == XlsxCell::Type::kNumber) return cell.number;
  if (cell.type == XlsxCell::Type::kString) return ParsePlainNumber(cell.text);
  return std::nullopt;
}

std::string XlsxSheet::Where() const { return fmt::format("{}[{}]", workbook_, name_); }

void XlsxSheet::Fail(size_t row, size_t col, const std::string& message) const {
  throw InputError(Where(), static_cast<long>(row + 1), static_cast<long>(col + 1),
                   fmt::format("cell {}: {}", CellRef(row, col), message));
}

XlsxWorkbook XlsxWorkbook::Open(const std::filesystem::path& path) {
  const std::string file = path.string();
  int error_code = 0;
  ZipPtr archive(zip_open(file.c_str(), ZIP_RDONLY, &error_code));
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, error_code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (!std::filesystem::exists(path)) message = "file not found";
    throw InputError(file, 0, 0, fmt::format("not a readable XLSX workbook ({})", message));
  }
  return Read(archive.get(), file, path.filename().string());
}

XlsxWorkbook XlsxWorkbook::FromMemory(std::string_view data, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data.data(), data.size(), 0, &error);
  if (source == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw InputError(name, 0, 0, fmt::format("not a readable XLSX workbook ({})", message));
  }
  ZipPtr archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!archive) {
    zip_source_free(source);  // not taken over by a failed open
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw InputError(name, 0, 0, fmt::format("not a readable XLSX workbook ({})", message));
  }
  zip_error_fini(&error);
  return Read(archive.get(), name, name);
}

XlsxWorkbook XlsxWorkbook::Read(zip_t* archive, const std::string& file,
                                const std::string& book_name) {
  XlsxWorkbook book;
  book.name_ = book_name;

  const auto workbook_xml = ReadEntry(archive, "xl/workbook.xml", file);
  if (!workbook_xml) {
    throw InputError(file, 0, 0, "not an XLSX workbook (no xl/workbook.xml in the archive)");
  }
  std::map<std::string, std::string> targets;  // relationship id -> part path
  if (const auto rels = ReadEntry(archive, "xl/_rels/workbook.xml.rels", file)) {
    const pugi::xml_document doc = ParseXml(*rels, "xl/_rels/workbook.xml.rels", file);
    for (pugi::xml_node rel : Child(doc, "Relationships").children()) {
      if (Local(rel) != "Relationship") continue;
      targets[rel.attribute("Id").value()] = ResolveTarget("xl/", rel.attribute("Target").value());
    }
  }

  std::vector<std::string> shared;
  if (const auto sst = ReadEntry(archive, "xl/sharedStrings.xml", file)) {
    const pugi::xml_document doc = ParseXml(*sst, "xl/sharedStrings.xml", file);
    for (pugi::xml_node si : Child(doc, "sst").children()) {
      if (Local(si) != "si") continue;
      std::string text;
      CollectText(si, text);
      shared.push_back(std::move(text));
    }
  }

  const pugi::xml_document workbook = ParseXml(*workbook_xml, "xl/workbook.xml", file);
  const pugi::xml_node sheets = Child(Child(workbook, "workbook"), "sheets");
  size_t sheet_number = 0;
  for (pugi::xml_node sheet : sheets.children()) {
    if (Local(sheet) != "sheet") continue;
    ++sheet_number;
    const std::string name = sheet.attribute("name").value();
    std::string rid;
    for (pugi::xml_attribute attr : sheet.attributes()) {
      const std::string_view attr_name = attr.name();
      if (attr_name == "r:id" || attr_name.ends_with(":id")) rid = attr.value();
    }
    std::string part =
        targets.count(rid) ? targets[rid] : fmt::format("xl/worksheets/sheet{}.xml", sheet_number);
    const auto xml = ReadEntry(archive, part, file);
    if (!xml) throw InputError(file, 0, 0, fmt::format("sheet '{}': part {} missing", name, part));
    const pugi::xml_document doc = ParseXml(*xml, part, file);
    const std::string where = fmt::format("{}[{}]", book.name_, name);
    std::vector<std::vector<XlsxCell>> rows;
    size_t next_row = 0;
    for (pugi::xml_node row : Child(Child(doc, "worksheet"), "sheetData").children()) {
      if (Local(row) != "row") continue;
      size_t row_idx = next_row;
      if (const pugi::xml_attribute r = row.attribute("r")) {
        const long long number = r.as_llong(0);
        if (number <= 0 || number > 10'000'000) {
          throw InputError(where, 0, 0, fmt::format("bad row number '{}'", r.value()));
        }
        row_idx = static_cast<size_t>(number - 1);
      }
      next_row = row_idx + 1;
      if (rows.size() <= row_idx) rows.resize(row_idx + 1);
      std::vector<XlsxCell>& cells = rows[row_idx];
      size_t next_col = 0;
      for (pugi::xml_node c : row.children()) {
        if (Local(c) != "c") continue;
        size_t col_idx = next_col;
        if (const pugi::xml_attribute r = c.attribute("r")) {
          const auto ref = ParseCellRef(r.value());
          if (!ref || ref->first != row_idx) {
            throw InputError(where, static_cast<long>(row_idx + 1), 0,
                             fmt::format("bad cell reference '{}'", r.value()));
          }
          col_idx = ref->second;
        }
        next_col = col_idx + 1;
        if (col_idx > 16384) {
          throw InputError(where, static_cast<long>(row_idx + 1), 0, "too many columns");
        }
        XlsxCell cell;
        const std::string_view type = c.attribute("t").value();
        const pugi::xml_node v = Child(c, "v");
        const std::string value = v ? v.text().get() : std::string();
        if (type == "s") {
          char* end = nullptr;
          const unsigned long index = std::strtoul(value.c_str(), &end, 10);
          if (value.empty() || *end != '\0' || index >= shared.size()) {
            throw InputError(where, static_cast<long>(row_idx + 1), static_cast<long>(col_idx + 1),
                             fmt::format("cell {}: bad shared string index '{}'",
                                         CellRef(row_idx, col_idx), value));
          }
          cell.type = XlsxCell::Type::kString;
          cell.text = shared[index];
        } else if (type == "inlineStr") {
          cell.type = XlsxCell::Type::kString;
          CollectText(Child(c, "is"), cell.text);
        } else if (type == "str") {
          cell.type = XlsxCell::Type::kString;
          cell.text = value;
        } else if (type == "b") {
          cell.type = XlsxCell::Type::kBool;
          cell.number = value == "1" ? 1.0 : 0.0;
          cell.text = value;
        } else if (type == "e") {
          cell.type = XlsxCell::Type::kError;
          cell.text = value;
        } else if (!value.empty()) {  // "n", "d" or absent: a number
          const auto number = ParsePlainNumber(value);
          if (!number) {
            throw InputError(
                where, static_cast<long>(row_idx + 1), static_cast<long>(col_idx + 1),
                fmt::format("cell {}: '{}' is not a number", CellRef(row_idx, col_idx), value));
          }
          cell.type = XlsxCell::Type::kNumber;
          cell.number = *number;
          cell.text = value;
        }
        if (cell.type == XlsxCell::Type::kEmpty) continue;
        if (cells.size() <= col_idx) cells.resize(col_idx + 1);
        cells[col_idx] = std::move(cell);
      }
    }
    // Drop trailing empty rows (formatted but blank).
    while (!rows.empty() && rows.back().empty()) rows.pop_back();
    book.sheets_.emplace_back(book.name_, name, std::move(rows));
  }
  if (book.sheets_.empty()) throw InputError(file, 0, 0, "the workbook has no sheets");
  return book;
}

std::vector<std::string> XlsxWorkbook::sheet_names() const {
  std::vector<std::string> names;
  for (const XlsxSheet& sheet : sheets_) names.push_back(sheet.name());
  return names;
}

const XlsxSheet& XlsxWorkbook::Sheet(size_t index) const {
  if (index >= sheets_.size()) {
    throw InputError(
        name_, 0, 0,
        fmt::format("no sheet number {} (the workbook has {})", index + 1, sheets_.size()));
  }
  return sheets_[index];
}

const XlsxSheet* XlsxWorkbook::FindSheet(std::string_view name) const {
  for (const XlsxSheet& sheet : sheets_) {
    if (sheet.name() == name) return &sheet;
  }
  auto fold = [](std::string_view text) {
    std::string out(Trim(text));
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string key = fold(name);
  for (const XlsxSheet& sheet : sheets_) {
    if (fold(sheet.name()) == key) return &sheet;
  }
  return nullptr;
}

const XlsxSheet& XlsxWorkbook::Sheet(std::string_view name) const {
  if (const XlsxSheet* sheet = FindSheet(name)) return *sheet;
  std::string names;
  for (const XlsxSheet& sheet : sheets_)
    names += (names.empty() ? "'" : ", '") + sheet.name() + "'";
  throw InputError(name_, 0, 0, fmt::format("no sheet named '{}' (sheets: {})", name, names));
}

}  // namespace kazmig::io

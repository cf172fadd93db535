#include "command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace kazmig::cli {

namespace {
std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}
}  // namespace

bool RegisterCommand(CommandSpec spec) {
  Registry().push_back(std::move(spec));
  return true;
}

const std::vector<CommandSpec>& RegisteredCommands() {
  auto& registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const CommandSpec& a, const CommandSpec& b) { return a.order < b.order; });
  return registry;
}

std::string Globals::ResolvedDbPath() const {
  if (!db_path.empty()) return db_path;
  if (const char* env = std::getenv("KAZMIG_DB"); env != nullptr && *env != '\0') return env;
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::filesystem::path(home) / ".local" / "share";
  } else {
    base = ".";
  }
  return (base / "kazmig" / "kazmig.db").string();
}

bool Globals::ShowProgress() const { return !quiet && isatty(STDERR_FILENO) != 0; }

void Say(const Globals& globals, std::string_view line) {
  if (!globals.quiet) std::cerr << line << '\n';
}

void Note(const Globals& globals, std::string_view text) {
  if (!globals.quiet) std::cerr << "kazmig: note: " << text << '\n';
}

Format OutputOptions::ParsedFormat() const {
  if (format == "csv") return Format::kCsv;
  if (format == "json") return Format::kJson;
  if (format == "table") return Format::kTable;
  throw UsageError(fmt::format("--format must be csv, json or table, not '{}'", format));
}

void AddOutputOptions(CLI::App* cmd, OutputOptions& options, bool provenance_flag) {
  cmd->add_option("--format", options.format, "Output format: csv, json or table")
      ->check(CLI::IsMember({"csv", "json", "table"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", options.output,
                  "Write the result to FILE (atomically) instead of stdout");
  if (provenance_flag) {
    cmd->add_flag("--with-provenance", options.with_provenance,
                  "Add a provenance column (official/estimated, with source or method)");
  }
}

Output::Output(const OutputOptions& options) : path_(options.output) {}

void Output::Commit() {
  if (path_.empty()) {
    std::cout << buffer_.str();
    std::cout.flush();
    if (!std::cout) throw ComputeError("failed writing to standard output");
    return;
  }
  io::WriteFileAtomically(path_, buffer_.str());
}

TextTable::TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }

void TextTable::AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

namespace {
size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;  // count code points
  return width;
}
bool LooksNumeric(const std::string& s) {
  if (s.empty()) return true;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-' || c == '+' || c == 'e' ||
           c == '%';
  });
}
}  // namespace

void TextTable::Print(std::ostream& out) const {
  const size_t cols = rows_.front().size();
  std::vector<size_t> width(cols, 0);
  std::vector<bool> numeric(cols, true);
  for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    for (size_t col = 0; col < cols && col < rows_[row_idx].size(); ++col) {
      width[col] = std::max(width[col], DisplayWidth(rows_[row_idx][col]));
      if (row_idx > 0 && !LooksNumeric(rows_[row_idx][col])) numeric[col] = false;
    }
  }
  for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    std::string line;
    for (size_t col = 0; col < cols; ++col) {
      const std::string cell = col < rows_[row_idx].size() ? rows_[row_idx][col] : "";
      const std::string pad(width[col] - DisplayWidth(cell), ' ');
      if (col > 0) line += "  ";
      line += (numeric[col] && row_idx > 0) ? pad + cell : cell + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
    if (row_idx == 0) {
      size_t total = 0;
      for (size_t col = 0; col < cols; ++col) total += width[col] + (col > 0 ? 2 : 0);
      out << std::string(total, '-') << '\n';
    }
  }
}

void WriteCells(std::ostream& out, bool csv, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& cells) {
  if (csv) {
    io::CsvWriter writer(out);
    for (const auto& h : header) writer.Field(h);
    writer.EndRow();
    for (const auto& line : cells) {
      for (const auto& cell : line) writer.Field(cell);
      writer.EndRow();
    }
    return;
  }
  TextTable table(header);
  for (const auto& line : cells) table.AddRow(line);
  table.Print(out);
}

void WriteCells(std::ostream& out, const OutputOptions& options, std::vector<std::string> header,
                std::vector<std::vector<std::string>> cells,
                const std::vector<std::string>& provenance) {
  if (options.with_provenance) {
    if (provenance.size() != 1 && provenance.size() != cells.size()) {
      throw ComputeError(
          fmt::format("internal: {} provenances for {} rows", provenance.size(), cells.size()));
    }
    header.emplace_back("provenance");
    for (size_t row = 0; row < cells.size(); ++row) {
      cells[row].push_back(provenance.size() == 1 ? provenance.front() : provenance[row]);
    }
  }
  WriteCells(out, options.ParsedFormat() == Format::kCsv, header, cells);
}

void ProvenanceInput::Add(const std::string& source) {
  if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
    sources.push_back(source);
  }
}

ProvenanceInput FileProvenance(const std::string& path) {
  ProvenanceInput input{path, {}};
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".geojson" || ext == ".json") return input;  // no provenance column
  io::CsvReader csv(path);
  const auto column = csv.FindColumn("provenance");
  if (!column) return input;
  while (csv.Next()) {
    const std::string_view value = csv.Field(*column);
    if (!value.empty()) input.Add(std::string(value));
  }
  return input;
}

std::string ComputedProvenance(std::string_view command,
                               const std::vector<ProvenanceInput>& inputs) {
  std::string text = fmt::format("computed by kazmig {}", command);
  bool first = true;
  for (const ProvenanceInput& input : inputs) {
    if (input.name.empty()) continue;
    text += first ? " from " : ", ";
    first = false;
    text += input.name;
    if (!input.sources.empty()) text += fmt::format(" [{}]", fmt::join(input.sources, "; "));
  }
  return text;
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

std::filesystem::path BuiltinDataDir() {
  if (const char* env = std::getenv("KAZMIG_DATA_DIR"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path source = std::filesystem::path(KAZMIG_SOURCE_DIR) / "data" / "kz";
  if (std::filesystem::is_directory(source)) return source;
  return "/usr/share/kazmig/data/kz";
}

}  // namespace kazmig::cli

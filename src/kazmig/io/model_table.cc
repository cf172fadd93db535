#include "kazmig/io/model_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

// The codes of a categorical column's levels: open addressing (a power-of-two table of hash and
// code, linear probing) over the level texts kept in the column, and the last level found first,
// since tables sorted by one variable repeat it on consecutive rows. A node-based map cost a
// division and two cache misses per field: most of the reading time of a large panel.
class LevelIndex {
 public:
  // The code of `text` among `levels`, appending it (code = its position) when new.
  int32_t Code(std::string_view text, std::vector<std::string>& levels) {
    if (last_ >= 0 && levels[static_cast<size_t>(last_)] == text) return last_;
    if (2 * (levels.size() + 1) > slots_.size()) Grow(levels);
    const uint64_t hash = std::hash<std::string_view>{}(text);
    const auto tag = static_cast<uint32_t>(hash >> 32);
    const size_t mask = slots_.size() - 1;
    for (size_t at = static_cast<size_t>(hash) & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.code < 0) {
        slot = {tag, static_cast<int32_t>(levels.size())};
        levels.emplace_back(text);
        return last_ = slot.code;
      }
      if (slot.tag == tag && levels[static_cast<size_t>(slot.code)] == text) {
        return last_ = slot.code;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag = 0;
    int32_t code = -1;
  };

  void Grow(const std::vector<std::string>& levels) {
    slots_.assign(std::max<size_t>(64, 2 * slots_.size()), Slot{});
    const size_t mask = slots_.size() - 1;
    for (size_t code = 0; code < levels.size(); ++code) {
      const uint64_t hash = std::hash<std::string_view>{}(levels[code]);
      size_t at = static_cast<size_t>(hash) & mask;
      while (slots_[at].code >= 0) at = (at + 1) & mask;
      slots_[at] = {static_cast<uint32_t>(hash >> 32), static_cast<int32_t>(code)};
    }
  }

  std::vector<Slot> slots_;
  int32_t last_ = -1;
};

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[idx]) != lower(b[idx])) return false;
  }
  return true;
}

// Reserves room for about `bytes` / (mean record length of the first rows) rows in every column,
// so that a large table is not copied as its vectors grow.
void Reserve(ModelTable& table, uintmax_t bytes, double record_bytes) {
  if (bytes == 0 || record_bytes <= 0) return;
  const auto rows = static_cast<size_t>(static_cast<double>(bytes) / record_bytes * 1.02) + 16;
  table.lines.reserve(rows);
  for (ModelColumn& column : table.columns) {
    if (column.kind == ColumnKind::kNumeric) {
      column.values.reserve(rows);
    } else {
      column.codes.reserve(rows);
    }
  }
}

ModelTable Read(CsvReader csv, const std::vector<ModelColumnRequest>& requests,
                uintmax_t file_bytes) {
  ModelTable table;
  table.source = csv.name();
  std::vector<size_t> index;
  for (const ModelColumnRequest& request : requests) {
    ModelColumn column;
    column.name = request.name;
    column.kind = request.kind;
    const size_t at = csv.Column(request.name);  // throws naming the missing column
    column.file_column = at + 1;
    index.push_back(at);
    table.columns.push_back(std::move(column));
  }
  std::vector<LevelIndex> indexes(requests.size());
  constexpr long kSampleRows = 256;
  double sampled_bytes = 0;
  while (csv.Next()) {
    if (csv.records() <= kSampleRows) {
      for (size_t field = 0; field < csv.field_count(); ++field) {
        sampled_bytes += static_cast<double>(csv.Field(field).size()) + 1;
      }
      if (csv.records() == kSampleRows) Reserve(table, file_bytes, sampled_bytes / kSampleRows);
    }
    table.lines.push_back(csv.line());
    for (size_t req = 0; req < requests.size(); ++req) {
      ModelColumn& column = table.columns[req];
      const size_t at = index[req];
      if (column.kind == ColumnKind::kNumeric) {
        column.values.push_back(csv.Double(at));  // its errors name the column
      } else {
        std::string_view text = csv.Field(at);
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
          text.remove_prefix(1);
        }
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
        if (text.empty()) {
          csv.Fail(at, fmt::format("column '{}': empty value where a category is required",
                                   column.name));
        }
        column.codes.push_back(indexes[req].Code(text, column.levels));
      }
    }
  }
  csv.RequireRecords();
  return table;
}

}  // namespace

const ModelColumn& ModelTable::column(const std::string& name) const {
  for (const ModelColumn& candidate : columns) {
    if (SameName(candidate.name, name)) return candidate;
  }
  throw ComputeError(fmt::format("internal: column '{}' was not read from {}", name, source));
}

ModelTable ReadModelTable(const std::filesystem::path& path,
                          const std::vector<ModelColumnRequest>& columns,
                          const CsvOptions& options) {
  std::error_code error;
  uintmax_t bytes = 0;
  if (std::filesystem::is_regular_file(path, error)) {
    bytes = std::filesystem::file_size(path, error);
    if (error) bytes = 0;
  }
  return Read(CsvReader(path, options), columns, bytes);
}

ModelTable ReadModelTableFromString(std::string name, std::string contents,
                                    const std::vector<ModelColumnRequest>& columns,
                                    const CsvOptions& options) {
  const uintmax_t bytes = contents.size();
  return Read(CsvReader::FromString(std::move(name), std::move(contents), options), columns, bytes);
}

}  // namespace kazmig::io

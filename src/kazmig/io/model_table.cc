#include "kazmig/io/model_table.h"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[idx]) != lower(b[idx])) return false;
  }
  return true;
}

ModelTable Read(CsvReader csv, const std::vector<ModelColumnRequest>& requests) {
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
  std::vector<std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>> maps(
      requests.size());
  while (csv.Next()) {
    table.lines.push_back(csv.line());
    for (size_t req = 0; req < requests.size(); ++req) {
      ModelColumn& column = table.columns[req];
      const size_t at = index[req];
      if (column.kind == ColumnKind::kNumeric) {
        try {
          column.values.push_back(csv.Double(at));
        } catch (const InputError& error) {
          throw InputError(error.file(), error.line(), error.column(),
                           fmt::format("column '{}': {}", column.name, error.detail()));
        }
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
        auto& map = maps[req];
        auto found = map.find(text);
        if (found == map.end()) {
          const int32_t code = static_cast<int32_t>(column.levels.size());
          column.levels.emplace_back(text);
          found = map.emplace(std::string(text), code).first;
        }
        column.codes.push_back(found->second);
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
  return Read(CsvReader(path, options), columns);
}

ModelTable ReadModelTableFromString(std::string name, std::string contents,
                                    const std::vector<ModelColumnRequest>& columns,
                                    const CsvOptions& options) {
  return Read(CsvReader::FromString(std::move(name), std::move(contents), options), columns);
}

}  // namespace kazmig::io

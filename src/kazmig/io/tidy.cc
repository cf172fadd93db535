#include "kazmig/io/tidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

struct PairRow {
  size_t orig;
  size_t dest;
  double value;
  int year;
  long line;
};

// Maps raw id text to an index: through the system when given, else in order of appearance.
class IdIndex {
 public:
  explicit IdIndex(const RegionSystem* system) : system_(system) {
    if (system_ != nullptr) ids_ = system_->ids();
  }
  size_t Get(const CsvReader& csv, size_t col) {
    const std::string_view raw = csv.RequiredField(col);
    if (system_ != nullptr) {
      return system_->Resolve(raw, fmt::format("{}:{}:{}", csv.name(), csv.line(), col + 1));
    }
    // Files are usually sorted by origin: the previous id of the same column is checked first.
    Last& last = last_[col % 2];
    if (last.col == col && last.raw == raw) return last.idx;
    size_t idx;
    if (auto it = index_.find(raw); it != index_.end()) {
      idx = it->second;
    } else {
      idx = ids_.size();
      index_.emplace(std::string(raw), idx);
      ids_.emplace_back(raw);
    }
    last.col = col;
    last.raw.assign(raw);  // reuses its buffer
    last.idx = idx;
    return idx;
  }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  struct Last {
    size_t col = static_cast<size_t>(-1);
    std::string raw;
    size_t idx = 0;
  };
  const RegionSystem* system_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;  // lookups by view
  Last last_[2];
};

std::vector<PairRow> ReadPairs(const std::filesystem::path& path, const TidyOptions& options,
                               const char* first, const char* second, const char* value_name,
                               IdIndex& ids, bool& has_year) {
  CsvReader csv(path, options.csv);
  const size_t c_first = csv.Column(first);
  const size_t c_second = csv.Column(second);
  const std::string value_column = options.value_column.empty() ? value_name : options.value_column;
  const size_t c_value = csv.Column(value_column);
  auto c_year = csv.FindColumn("year");
  if (!c_year) c_year = csv.FindColumn("period");
  has_year = c_year.has_value();
  std::vector<PairRow> rows;
  // About one row per 14 bytes of a plain `a,b,value` file: reserving avoids re-copying millions
  // of rows while the vector grows (pages that are not used are never touched).
  std::error_code size_error;
  const auto bytes = std::filesystem::file_size(path, size_error);
  if (!size_error) rows.reserve(std::min<uintmax_t>(bytes / 14, uintmax_t{1} << 24));
  while (csv.Next()) {
    int year = 0;
    if (c_year) {
      year = static_cast<int>(csv.Int(*c_year));
      if (options.year && year != *options.year) continue;
    }
    const size_t a = ids.Get(csv, c_first);
    const size_t b = ids.Get(csv, c_second);
    const double v = csv.Double(c_value);
    if (options.non_negative && v < 0) csv.Fail(c_value, fmt::format("negative value {}", v));
    rows.push_back({a, b, v, year, csv.line()});
  }
  return rows;
}

FlowMatrix BuildMatrix(const std::filesystem::path& path, const std::vector<PairRow>& rows,
                       const std::vector<std::string>& ids, const char* what) {
  FlowMatrix m(ids);
  // One bit per cell (not a line number: n^2 longs are 72 MB for 3,000 regions); the first line
  // of a duplicated pair is looked up again only to report it.
  std::vector<bool> seen(ids.size() * ids.size(), false);
  for (const auto& row : rows) {
    const size_t cell = row.orig * ids.size() + row.dest;
    if (seen[cell]) {
      long first_line = 0;
      for (const auto& earlier : rows) {
        if (earlier.orig == row.orig && earlier.dest == row.dest) {
          first_line = earlier.line;
          break;
        }
      }
      throw InputError(path.string(), row.line, 0,
                       fmt::format("duplicated {} pair ({}, {}), first given on line {}", what,
                                   ids[row.orig], ids[row.dest], first_line));
    }
    seen[cell] = true;
    m(row.orig, row.dest) = row.value;
  }
  return m;
}

}  // namespace

FlowMatrix ReadFlows(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  bool has_year = false;
  auto rows = ReadPairs(path, options, "orig", "dest", "flow", ids, has_year);
  if (has_year && !options.year) {
    for (const auto& row : rows) {
      if (row.year != rows.front().year) {
        throw InputError(path.string(), row.line, 0,
                         fmt::format("the file has several years ({} and {}); choose one with "
                                     "--year",
                                     rows.front().year, row.year));
      }
    }
  }
  return BuildMatrix(path, rows, ids.ids(), "origin-destination");
}

std::map<int, FlowMatrix> ReadFlowsByYear(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  bool has_year = false;
  auto rows = ReadPairs(path, options, "orig", "dest", "flow", ids, has_year);
  std::map<int, std::vector<PairRow>> by_year;
  for (const auto& row : rows) by_year[row.year].push_back(row);
  std::map<int, FlowMatrix> out;
  for (const auto& [year, year_rows] : by_year) {
    out.emplace(year, BuildMatrix(path, year_rows, ids.ids(), "origin-destination"));
  }
  return out;
}

FlowMatrix ReadStocks(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  bool has_year = false;
  auto rows = ReadPairs(path, options, "pob", "por", "stock", ids, has_year);
  return BuildMatrix(path, rows, ids.ids(), "(pob, por)");
}

std::optional<size_t> RegionValues::Find(const std::string& id) const {
  for (size_t idx = 0; idx < ids.size(); ++idx) {
    if (ids[idx] == id) return idx;
  }
  return std::nullopt;
}

RegionValues ReadRegionValues(const std::filesystem::path& path, TidyOptions options) {
  CsvReader csv(path, options.csv);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_value = csv.Column(options.value_column.empty() ? "value" : options.value_column);
  const auto c_year = csv.FindColumn("year");
  IdIndex ids(options.system);
  std::unordered_map<size_t, long> seen;
  std::vector<std::pair<size_t, double>> rows;
  std::optional<int> first_year;
  while (csv.Next()) {
    if (c_year) {
      const int year = static_cast<int>(csv.Int(*c_year));
      if (options.year && year != *options.year) continue;
      if (!options.year) {
        if (!first_year) first_year = year;
        if (year != *first_year) {
          csv.Fail(*c_year, fmt::format("the file has several years ({} and {}); choose one",
                                        *first_year, year));
        }
      }
    }
    const size_t idx = ids.Get(csv, c_region);
    const double v = csv.Double(c_value);
    if (options.non_negative && v < 0) csv.Fail(c_value, fmt::format("negative value {}", v));
    auto [it, inserted] = seen.emplace(idx, csv.line());
    if (!inserted) {
      csv.Fail(c_region, fmt::format("duplicated region '{}', first given on line {}",
                                     csv.Field(c_region), it->second));
    }
    rows.emplace_back(idx, v);
  }
  RegionValues out;
  if (options.system != nullptr) {
    // Only the regions present, in the system's order.
    std::vector<std::pair<size_t, double>> sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [idx, v] : sorted) {
      out.ids.push_back((*options.system)[idx].id);
      out.values.push_back(v);
    }
  } else {
    out.ids = ids.ids();
    out.values.assign(out.ids.size(), 0.0);
    for (const auto& [idx, v] : rows) out.values[idx] = v;
  }
  return out;
}

void WriteFlows(std::ostream& out, const FlowMatrix& flows, bool include_diagonal) {
  CsvWriter csv(out);
  csv.Row("orig", "dest", "flow");
  const auto& ids = flows.ids();
  for (size_t orig = 0; orig < flows.size(); ++orig) {
    for (size_t dest = 0; dest < flows.size(); ++dest) {
      if (!include_diagonal && orig == dest) continue;
      csv.Field(ids.empty() ? std::to_string(orig + 1) : ids[orig])
          .Field(ids.empty() ? std::to_string(dest + 1) : ids[dest])
          .Field(flows(orig, dest))
          .EndRow();
    }
  }
}

}  // namespace kazmig::io

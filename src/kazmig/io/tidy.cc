#include "kazmig/io/tidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
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
// Free-text ids go through a small open-addressing table (FNV-1a hash, linear probing, indexes
// into ids_), with the previous id of the same column checked first: files are usually sorted by
// origin, and millions of rows make the lookup a large part of reading a flow file.
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
    Last& last = last_[col % 2];
    if (last.col == col && Equal(ids_[last.idx], raw)) return last.idx;
    last.col = col;
    last.idx = Find(raw);
    return last.idx;
  }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  // FNV-1a, then Fibonacci hashing: the slot is the top bits (FNV's low bits cluster).
  static uint64_t HashOf(std::string_view text) {
    uint64_t hash = 14695981039346656037ull;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return hash * 0x9E3779B97F4A7C15ull;
  }
  size_t SlotOf(std::string_view text, size_t slot_count) const {
    return static_cast<size_t>(HashOf(text) >> (64 - std::countr_zero(slot_count)));
  }
  static bool Equal(const std::string& id, std::string_view raw) {
    if (id.size() != raw.size()) return false;
    for (size_t pos = 0; pos < raw.size(); ++pos) {
      if (id[pos] != raw[pos]) return false;
    }
    return true;
  }
  // The index of `raw`, added at the end when new.
  size_t Find(std::string_view raw) {
    if (2 * (ids_.size() + 1) > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t slot = SlotOf(raw, slots_.size());; slot = (slot + 1) & mask) {
      const uint32_t entry = slots_[slot];
      if (entry == 0) {
        ids_.emplace_back(raw);
        slots_[slot] = static_cast<uint32_t>(ids_.size());
        return ids_.size() - 1;
      }
      if (Equal(ids_[entry - 1], raw)) return entry - 1;
    }
  }
  void Grow() {
    std::vector<uint32_t> slots(std::max<size_t>(64, 2 * slots_.size()), 0);
    const size_t mask = slots.size() - 1;
    for (size_t idx = 0; idx < ids_.size(); ++idx) {
      size_t slot = SlotOf(ids_[idx], slots.size());
      while (slots[slot] != 0) slot = (slot + 1) & mask;
      slots[slot] = static_cast<uint32_t>(idx + 1);
    }
    slots_.swap(slots);
  }
  struct Last {
    size_t col = static_cast<size_t>(-1);
    size_t idx = 0;
  };
  const RegionSystem* system_;
  std::vector<std::string> ids_;
  std::vector<uint32_t> slots_;  // 0 empty, else index + 1; size a power of two, at most half full
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

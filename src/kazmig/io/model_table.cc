#include "kazmig/io/model_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#ifdef __linux__
#include <sys/mman.h>
#endif

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

// The interned levels of one categorical column: LevelIndex, tried after a second guess that pays
// on sorted tables (the level that followed the previous row's level last time: a complete
// origin-destination table walks the destinations in the same order).
class Levels {
 public:
  int32_t Intern(std::string_view text, std::vector<std::string>& levels) {
    if (last_ >= 0) {
      if (std::string_view(levels[static_cast<size_t>(last_)]) == text) return last_;
      const int32_t next = successor_[static_cast<size_t>(last_)];
      if (next >= 0 && std::string_view(levels[static_cast<size_t>(next)]) == text) {
        return last_ = next;
      }
    }
    const int32_t code = Find(text, levels);
    if (last_ >= 0) successor_[static_cast<size_t>(last_)] = code;
    return last_ = code;
  }
  // The code of a level, adding it when new (also used when merging chunks).
  int32_t Find(std::string_view text, std::vector<std::string>& levels) {
    const size_t before = levels.size();
    const int32_t code = index_.Code(text, levels);
    if (levels.size() > before) successor_.push_back(-1);
    return code;
  }

 private:
  LevelIndex index_;
  std::vector<int32_t> successor_;
  int32_t last_ = -1;
};

// What one chunk of the file gives: its columns (categorical codes numbered within the chunk, by
// first appearance) and the lines of its rows, counted from the chunk's first line.
struct Part {
  std::vector<ModelColumn> columns;
  std::vector<Levels> levels;
  RowLines lines;
  double sampled_bytes = 0;  // of the first kSampleRows rows (fields and separators)
};

constexpr size_t kSampleRows = 256;

// The whole 2 MiB pages of [data, data + bytes).
std::pair<void*, size_t> HugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto start = reinterpret_cast<uintptr_t>(data);
  const uintptr_t begin = (start + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (start + bytes) & ~(kHuge - 1);
  if (end <= begin) return {nullptr, 0};
  return {reinterpret_cast<void*>(begin), end - begin};
}

// Each column's reserved room (the whole huge pages of it).
std::vector<std::pair<void*, size_t>> Room(const ModelTable& table) {
  std::vector<std::pair<void*, size_t>> room;
  for (const ModelColumn& column : table.columns) {
    room.push_back(column.kind == ColumnKind::kNumeric
                       ? HugePages(column.values.data(), column.values.capacity() * sizeof(double))
                       : HugePages(column.codes.data(), column.codes.capacity() * sizeof(int32_t)));
  }
  return room;
}

// Reserves room for about `bytes` / `record_bytes` rows in every column, so that a large table is
// not copied as its vectors grow, backed by transparent huge pages (advice before the first
// write: a fault per 2 MiB instead of per 4 KiB page; a no-op where unsupported).
void Reserve(ModelTable& table, uintmax_t bytes, double record_bytes) {
  if (bytes == 0 || record_bytes <= 0) return;
  const auto rows = static_cast<size_t>(static_cast<double>(bytes) / record_bytes * 1.02) + 16;
  for (ModelColumn& column : table.columns) {
    if (column.kind == ColumnKind::kNumeric) {
      column.values.reserve(rows);
    } else {
      column.codes.reserve(rows);
    }
  }
#ifdef __linux__
  for (const auto& [data, size] : Room(table)) {
    if (size > 0) madvise(data, size, MADV_HUGEPAGE);
  }
#endif
}

// Faults in the columns' reserved room ahead of the rows (MADV_POPULATE_WRITE, Linux 5.14; it
// changes no content): run on a helper thread while the chunks are parsed, so that the merges,
// which run on the calling thread alone, copy into memory that is there already.
void Prefault(const std::vector<std::pair<void*, size_t>>& room) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  for (const auto& [data, size] : room) {
    if (size > 0) madvise(data, size, MADV_POPULATE_WRITE);
  }
#else
  (void)room;
#endif
}

// `reserve_bytes`: the size of the file when this part is all of it (read serially), to reserve
// room for its rows after a sample.
void ReadPart(CsvReader& csv, const std::vector<size_t>& index, Part& part,
              uintmax_t reserve_bytes) {
  for (ModelColumn& column : part.columns) {
    column.values.clear();
    column.codes.clear();
    column.levels.clear();
  }
  part.levels.assign(part.columns.size(), Levels());
  part.lines = RowLines();
  part.sampled_bytes = 0;
  const size_t n_columns = part.columns.size();
  while (csv.Next()) {
    if (part.lines.size() < kSampleRows) {
      for (size_t field = 0; field < csv.field_count(); ++field) {
        part.sampled_bytes += static_cast<double>(csv.Field(field).size()) + 1;
      }
    }
    part.lines.push_back(csv.line());
    if (part.lines.size() == kSampleRows && reserve_bytes > 0) {
      ModelTable sized;
      sized.columns.swap(part.columns);
      Reserve(sized, reserve_bytes, part.sampled_bytes / static_cast<double>(kSampleRows));
      sized.columns.swap(part.columns);
    }
    for (size_t req = 0; req < n_columns; ++req) {
      ModelColumn& column = part.columns[req];
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
        column.codes.push_back(part.levels[req].Intern(text, column.levels));
      }
    }
  }
}

ModelTable Read(CsvReader csv, const std::vector<ModelColumnRequest>& requests, int threads,
                size_t chunk_bytes, uintmax_t file_bytes) {
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
  CsvChunks chunks(csv, threads, chunk_bytes);
  std::vector<Part> parts(chunks.slots());
  for (Part& part : parts) part.columns = table.columns;
  std::vector<Levels> levels(requests.size());
  std::vector<int32_t> recode;
  std::jthread prefault;  // joined when the table is read (or on an error)
  chunks.Run(
      [&](size_t slot, CsvReader& chunk) {
        ReadPart(chunk, index, parts[slot], chunks.slots() == 1 ? file_bytes : 0);
      },
      [&](size_t slot, long line_offset) {
        Part& part = parts[slot];
        if (chunks.slots() > 1 && table.lines.empty() && part.lines.size() >= kSampleRows) {
          Reserve(table, file_bytes, part.sampled_bytes / static_cast<double>(kSampleRows));
          prefault = std::jthread(Prefault, Room(table));
        }
        table.lines.Append(part.lines, line_offset);
        for (size_t req = 0; req < requests.size(); ++req) {
          ModelColumn& to = table.columns[req];
          ModelColumn& from = part.columns[req];
          if (to.kind == ColumnKind::kNumeric) {
            if (to.values.empty() && to.values.capacity() < from.values.size()) {
              to.values.swap(from.values);  // the first part, without room reserved: not copied
            } else {
              to.values.insert(to.values.end(), from.values.begin(), from.values.end());
            }
            continue;
          }
          if (to.codes.empty() && to.codes.capacity() < from.codes.size()) {
            // Codes by first appearance: the first part's own, not copied.
            for (size_t code = 0; code < from.levels.size(); ++code) {
              (void)levels[req].Find(from.levels[code], to.levels);
            }
            to.codes.swap(from.codes);
            continue;
          }
          recode.resize(from.levels.size());
          for (size_t code = 0; code < from.levels.size(); ++code) {
            recode[code] = levels[req].Find(from.levels[code], to.levels);
          }
          for (const int32_t code : from.codes) {  // appended, not zero-filled first
            to.codes.push_back(recode[static_cast<size_t>(code)]);
          }
        }
      });
  csv.RequireRecords();
  if (prefault.joinable()) prefault.join();
  return table;
}

}  // namespace

long RowLines::operator[](size_t row) const {
  // The last jump at or before `row`.
  auto after = std::upper_bound(jumps_.begin(), jumps_.end(), row,
                                [](size_t r, const Jump& jump) { return r < jump.row; });
  if (after == jumps_.begin() || row >= rows_) {
    throw ComputeError(fmt::format("internal: row {} of a table of {} rows", row, rows_));
  }
  --after;
  return after->line + static_cast<long>(row - after->row);
}

void RowLines::push_back(long line) {
  if (jumps_.empty() || (*this)[rows_ - 1] + 1 != line) jumps_.push_back({rows_, line});
  ++rows_;
}

void RowLines::Append(const RowLines& other, long line_offset) {
  for (const Jump& jump : other.jumps_) {
    const long line = jump.line + line_offset;
    const size_t row = rows_ + jump.row;
    if (jumps_.empty() || jumps_.back().line + static_cast<long>(row - jumps_.back().row) != line) {
      jumps_.push_back({row, line});
    }
  }
  rows_ += other.rows_;
}

std::vector<long> RowLines::ToVector() const {
  std::vector<long> out(rows_);
  for (size_t row = 0; row < rows_; ++row) out[row] = (*this)[row];
  return out;
}

const ModelColumn& ModelTable::column(const std::string& name) const {
  for (const ModelColumn& candidate : columns) {
    if (SameName(candidate.name, name)) return candidate;
  }
  throw ComputeError(fmt::format("internal: column '{}' was not read from {}", name, source));
}

ModelTable ReadModelTable(const std::filesystem::path& path,
                          const std::vector<ModelColumnRequest>& columns, const CsvOptions& options,
                          int threads) {
  std::error_code error;
  uintmax_t bytes = 0;
  if (std::filesystem::is_regular_file(path, error)) {
    bytes = std::filesystem::file_size(path, error);
    if (error) bytes = 0;
  }
  return Read(CsvReader(path, options), columns, threads, kDefaultChunkBytes, bytes);
}

ModelTable ReadModelTableFromString(std::string name, std::string contents,
                                    const std::vector<ModelColumnRequest>& columns,
                                    const CsvOptions& options, int threads, size_t chunk_bytes) {
  const uintmax_t bytes = contents.size();
  return Read(CsvReader::FromString(std::move(name), std::move(contents), options), columns,
              threads, chunk_bytes, bytes);
}

}  // namespace kazmig::io

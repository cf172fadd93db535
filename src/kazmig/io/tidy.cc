#include "kazmig/io/tidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

// A row of a pair file, 16 bytes. Lines are not kept; an error found after reading (a duplicated
// pair, several years) looks them up again (LineWhere).
struct PairRow {
  uint32_t orig;
  uint32_t dest;
  double value;
};

// Maps raw id text to an index: through the system when given, else in order of appearance.
// Free-text ids go through a small open-addressing table with linear probing. Each id has a Key:
// its bytes packed into a word when it has at most eight (the usual case: codes, short names),
// else a 64-bit hash; a table slot holds the key and the index, so a probe for a short id never
// reads the id's text. Before the table, two guesses per column are tried while they pay (files
// are usually sorted by origin, and millions of rows make the lookup a large part of reading a
// flow file).
//
// A closed index (over ids given up front) does not add ids: Get returns kNone for an id that is
// not among them (with a system: for a region of the system that is not among them).
class IdIndex {
 public:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  explicit IdIndex(const RegionSystem* system) : system_(system) {
    if (system_ != nullptr) ids_ = system_->ids();
  }
  IdIndex(const RegionSystem* system, const std::vector<std::string>& ids)
      : system_(system), closed_(true) {
    ids_ = ids;
    if (system_ != nullptr) {
      system_to_ids_.assign(system_->size(), kNone);
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        if (const auto region = system_->IndexOfId(ids[idx])) system_to_ids_[*region] = idx;
      }
      return;
    }
    // Inserted in order, an id's first occurrence comes first on its probe sequence.
    for (const std::string& id : ids_) keys_.push_back(KeyOf(id));
    size_t slot_count = 64;
    while (slot_count < 2 * (ids_.size() + 1)) slot_count *= 2;
    Rehash(slot_count);
  }
  size_t Get(const CsvReader& csv, size_t col) {
    const std::string_view raw = csv.RequiredField(col);
    if (system_ != nullptr) {
      auto region = system_->Find(raw);
      // Resolve throws the "unknown region" error; the location is only formatted then.
      if (!region) {
        region = system_->Resolve(raw, fmt::format("{}:{}:{}", csv.name(), csv.line(), col + 1));
      }
      return closed_ ? system_to_ids_[*region] : *region;
    }
    const Key key = KeyOf(raw);
    Last& last = last_[col % 2];
    if (last.col != col) {
      last = Last();
      last.col = col;
    }
    if (last.idx != kNone) {
      if (last.same.Worth() && Matches(last.idx, key, raw)) {
        ++last.same.hits;
        return last.idx;
      }
      if (last.idx < last.successor.size()) {
        const size_t successor = last.successor[last.idx];
        if (successor != kNone && last.next.Worth() && Matches(successor, key, raw)) {
          ++last.next.hits;
          last.idx = successor;
          return successor;
        }
      }
    }
    const size_t idx = Find(key, raw);
    // Counted whether or not the guesses were tried, so a column that starts following one of
    // the patterns turns its guess on.
    last.same.Count(idx == last.idx);
    if (last.idx != kNone) {
      if (last.idx >= last.successor.size()) last.successor.resize(last.idx + 1, kNone);
      last.next.Count(idx == last.successor[last.idx]);
      last.successor[last.idx] = idx;
    }
    last.idx = idx;
    return idx;
  }
  const std::vector<std::string>& ids() const { return ids_; }
  // The index of free-text id `raw` (added when new; kNone when closed and absent).
  size_t Intern(std::string_view raw) { return Find(KeyOf(raw), raw); }
  bool free_text() const { return system_ == nullptr; }

 private:
  static constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  struct Key {
    uint64_t word;  // the bytes (little-endian, zero-padded) when size <= 8, else a hash
    uint64_t size;
    bool operator==(const Key&) const = default;
  };
  // 16 bytes, so four share a cache line.
  struct Slot {
    uint64_t word;
    uint32_t size;
    uint32_t idx;  // kEmptySlot: empty
  };
  static constexpr uint32_t kEmptySlot = ~uint32_t{0};

  static Key KeyOf(std::string_view text) {
    uint64_t word = 0;
    const size_t size = text.size();
    if (size <= 8) {
      // The bytes in little-endian order, read without a loop and only inside the text: two
      // 4-byte reads that overlap for 4 to 8 bytes, three single bytes (some the same) for 1 to 3.
      if (size >= 4) {
        uint32_t low = 0, high = 0;
        std::memcpy(&low, text.data(), 4);
        std::memcpy(&high, text.data() + size - 4, 4);
        word = uint64_t{low} | (uint64_t{high} << (8 * (size - 4)));
      } else if (size > 0) {
        auto byte = [&](size_t pos) {
          return uint64_t{static_cast<unsigned char>(text[pos])} << (8 * pos);
        };
        word = byte(0) | byte(size / 2) | byte(size - 1);
      }
      return {word, size};
    }
    uint64_t hash = text.size() * kMul;
    size_t pos = 0;
    for (; pos + 8 <= text.size(); pos += 8) {
      std::memcpy(&word, text.data() + pos, 8);
      hash = (hash ^ word) * kMul;
      hash ^= hash >> 29;
    }
    word = 0;
    for (size_t shift = 0; pos < text.size(); ++pos, shift += 8) {
      word |= uint64_t{static_cast<unsigned char>(text[pos])} << shift;
    }
    hash = (hash ^ word) * kMul;
    return {hash ^ (hash >> 32), text.size()};
  }
  // Multiply-xorshift mixed: the slot is the top bits.
  static size_t SlotOf(const Key& key, size_t slot_count) {
    uint64_t hash = (key.word ^ (key.size << 56)) * kMul;
    hash ^= hash >> 29;
    hash *= kMul;
    return static_cast<size_t>(hash >> (64 - std::countr_zero(slot_count)));
  }
  static Slot SlotFor(const Key& key, size_t idx) {
    return {key.word, static_cast<uint32_t>(key.size), static_cast<uint32_t>(idx)};
  }
  bool Matches(size_t idx, const Key& key, std::string_view raw) const {
    return keys_[idx] == key && (key.size <= 8 || std::string_view(ids_[idx]) == raw);
  }
  // The index of `raw` (whose key is `key`); when new, added at the end (or kNone for a closed
  // index).
  size_t Find(const Key& key, std::string_view raw) {
    if (slots_.empty()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t slot = SlotOf(key, slots_.size());; slot = (slot + 1) & mask) {
      const Slot& entry = slots_[slot];
      if (entry.idx == kEmptySlot) {
        if (closed_) return kNone;
        if (2 * (ids_.size() + 1) > slots_.size()) {
          Grow();
          return Find(key, raw);
        }
        ids_.emplace_back(raw);
        keys_.push_back(key);
        slots_[slot] = SlotFor(key, ids_.size() - 1);
        return ids_.size() - 1;
      }
      if (entry.word == key.word && entry.size == key.size &&
          (key.size <= 8 || std::string_view(ids_[entry.idx]) == raw)) {
        return entry.idx;
      }
    }
  }
  void Grow() { Rehash(std::max<size_t>(64, 2 * slots_.size())); }
  void Rehash(size_t slot_count) {
    std::vector<Slot> slots(slot_count, Slot{0, 0, kEmptySlot});
    const size_t mask = slots.size() - 1;
    for (size_t idx = 0; idx < keys_.size(); ++idx) {
      size_t slot = SlotOf(keys_[idx], slots.size());
      while (slots[slot].idx != kEmptySlot) slot = (slot + 1) & mask;
      slots[slot] = SlotFor(keys_[idx], idx);
    }
    slots_.swap(slots);
  }
  // A guess tried before the table while it is right at least half the time (a wrong guess costs
  // about what a right one saves).
  struct Guess {
    uint64_t hits = 0;
    uint64_t misses = 0;
    bool Worth() const { return hits >= misses; }
    void Count(bool hit) { hit ? ++hits : ++misses; }
  };
  // The previous id of a column and two guesses for the next: the same id (a file sorted by origin
  // repeats it) and the id that followed it the last time (a complete matrix written in order
  // walks the destinations in the same order for every origin).
  struct Last {
    size_t col = static_cast<size_t>(-1);
    size_t idx = kNone;
    Guess same;
    Guess next;
    std::vector<size_t> successor;  // by index: the id that last followed it, or kNone
  };
  const RegionSystem* system_;
  bool closed_ = false;
  std::vector<std::string> ids_;
  std::vector<Key> keys_;              // free text: the key of each id
  std::vector<size_t> system_to_ids_;  // closed, with a system: region index -> index in ids_
  std::vector<Slot> slots_;            // size a power of two, at most half full
  Last last_[2];
};

// The columns of a pair file: two ids, a value and perhaps a year.
struct PairColumns {
  size_t first;
  size_t second;
  size_t value;
  std::optional<size_t> year;
};

// Finds the columns: `first` and `second`, the value column (options.value_column, else the first
// of `value_names` present), and `year` (or `period`) when `with_year`. Throws InputError naming
// a missing column.
PairColumns FindPairColumns(const CsvReader& csv, const TidyOptions& options, const char* first,
                            const char* second, std::initializer_list<std::string_view> value_names,
                            bool with_year) {
  PairColumns columns{};
  columns.first = csv.Column(first);
  columns.second = csv.Column(second);
  columns.value =
      options.value_column.empty() ? csv.Column(value_names) : csv.Column(options.value_column);
  if (with_year) {
    columns.year = csv.FindColumn("year");
    if (!columns.year) columns.year = csv.FindColumn("period");
  }
  return columns;
}

// The one loop over the rows of a pair file: for each row (of options.year, when set and the file
// has years) resolves both ids through `ids`, reads the value (rejecting a negative one when
// options.non_negative) and calls on_row(first, second, value, year), which returns false to stop.
// Ids are resolved before the value is read, so errors come in column order.
template <typename OnRow>
void ForEachPair(CsvReader& csv, const PairColumns& columns, const TidyOptions& options,
                 IdIndex& ids, OnRow&& on_row) {
  while (csv.Next()) {
    int year = 0;
    if (columns.year) {
      year = static_cast<int>(csv.Int(*columns.year));
      if (options.year && year != *options.year) continue;
    }
    const size_t a = ids.Get(csv, columns.first);
    const size_t b = ids.Get(csv, columns.second);
    const double v = csv.Double(columns.value);
    if (options.non_negative && v < 0) {
      csv.Fail(columns.value, fmt::format("negative value {}", v));
    }
    if (std::abs(v) > kMaxPairValue) {
      csv.Fail(columns.value, fmt::format("{} is beyond {:g}, the largest flow, stock or distance "
                                          "kazmig accepts (sums of such values overflow)",
                                          v, kMaxPairValue));
    }
    if (!on_row(a, b, v, year)) return;
  }
}

// What ReadPairMatrices reads: the file, its options and its column names.
struct PairFile {
  const std::filesystem::path& path;
  const TidyOptions& options;
  const char* first;
  const char* second;
  const char* value_name;
};

// The line of the first row of a pair file (of options.year, when that is set) for which
// match(first, second, year) is true: the file is read again (only to name a line in an error
// found after reading; every row before it read without error the first time). 0 when no row
// matches or the file cannot be read again (a pipe: read once, the line is not known).
template <typename Match>
long LineWhere(const PairFile& file, Match&& match) {
  if (!CanReadAgain(file.path)) return 0;
  CsvReader csv(file.path, file.options.csv);
  const PairColumns columns =
      FindPairColumns(csv, file.options, file.first, file.second, {file.value_name}, true);
  IdIndex ids(file.options.system);
  long line = 0;
  ForEachPair(csv, columns, file.options, ids, [&](size_t first, size_t second, double, int year) {
    if (!match(first, second, year)) return true;
    line = csv.line();
    return false;
  });
  return line;
}

// The matrix of a pair file's rows (or of one year's rows), built as the rows come in file order
// without keeping them: a 3,000-region flow file has 3.6 million rows (57 MB as PairRows) for a
// 72 MB matrix, and on this machine kind fresh memory costs more to fault in than to fill.
//
// Free-text ids are numbered by first appearance, so their number is known only at the end. Rows
// are buffered until the ids look complete: after kSettleRows rows at least, the latter half of
// them naming no new id (a flow file sorted by origin names every region within its first few
// origins). The matrix is then allocated over the ids known so far, the buffered rows written
// into it, and each later row as it comes. A later row that names a new id is kept aside, and
// at the end the matrix is laid out again over all ids (both matrices are held for that moment);
// when the ids never settle every row is buffered, as the reader did before. With a region system
// the ids are its regions, known up front: the matrix is allocated at once.
//
// A pair given twice is noted (the first such row, counting this builder's rows from 0) and
// reading goes on, so that an error in a later row, found while reading, is thrown first.
class PairMatrixBuilder {
 public:
  struct Duplicate {
    size_t row;  // of this builder's rows, from 0
    uint32_t first;
    uint32_t second;
  };

  // `known_ids`: the number of ids when known up front (a region system), else 0.
  explicit PairMatrixBuilder(size_t known_ids) {
    if (known_ids > 0) Allocate(known_ids);
  }

  void Add(uint32_t first, uint32_t second, double value) {
    const uint32_t top = std::max(first, second);
    if (top >= ids_seen_) {
      ids_seen_ = size_t{top} + 1;
      last_new_id_row_ = rows_;
    }
    const size_t row = rows_++;
    if (stride_ == 0) {
      pending_.push_back({first, second, value});
      if (pending_.size() >= kSettleRows && rows_ - last_new_id_row_ >= pending_.size() / 2) {
        Allocate(ids_seen_);
      }
    } else if (top < stride_) {
      Put(first, second, value, row);
    } else {
      late_.push_back({first, second, value});
      late_rows_.push_back(row);
    }
  }

  // The matrix over `ids` (every id of the file, in its order; a superset of those this builder
  // saw). Afterwards duplicate() tells the first pair given twice, if any.
  FlowMatrix Finish(const std::vector<std::string>& ids) {
    const size_t n = ids.size();
    if (stride_ == 0) Allocate(n);
    if (stride_ != n) LayOutAgain(n);
    for (size_t idx = 0; idx < late_.size(); ++idx) {
      Put(late_[idx].orig, late_[idx].dest, late_[idx].value, late_rows_[idx]);
    }
    late_ = {};
    late_rows_ = {};
    matrix_.set_ids(ids);
    return std::move(matrix_);
  }
  const std::optional<Duplicate>& duplicate() const { return duplicate_; }

 private:
  static constexpr size_t kSettleRows = size_t{1} << 16;

  void Allocate(size_t stride) {
    stride_ = stride;
    matrix_ = FlowMatrix(stride);
    seen_.assign((stride * stride + 63) / 64, 0);
    for (size_t row = 0; row < pending_.size(); ++row) {
      Put(pending_[row].orig, pending_[row].dest, pending_[row].value, row);
    }
    pending_ = {};
  }
  // The matrix and its seen bits over n > stride_ ids.
  void LayOutAgain(size_t n) {
    FlowMatrix wider(n);
    std::vector<uint64_t> seen((n * n + 63) / 64, 0);
    for (size_t first = 0; first < stride_; ++first) {
      std::copy(matrix_.row(first), matrix_.row(first) + stride_, wider.row(first));
      for (size_t second = 0; second < stride_; ++second) {
        const size_t from = first * stride_ + second;
        if ((seen_[from >> 6] >> (from & 63)) & 1) {
          const size_t to = first * n + second;
          seen[to >> 6] |= uint64_t{1} << (to & 63);
        }
      }
    }
    matrix_ = std::move(wider);
    seen_ = std::move(seen);
    stride_ = n;
  }
  void Put(uint32_t first, uint32_t second, double value, size_t row) {
    const size_t cell = size_t{first} * stride_ + second;
    uint64_t& word = seen_[cell >> 6];
    const uint64_t bit = uint64_t{1} << (cell & 63);
    // Rows come in order, except those kept aside: the first duplicate is the lowest row.
    if ((word & bit) != 0 && (!duplicate_ || row < duplicate_->row)) {
      duplicate_ = Duplicate{row, first, second};
    }
    word |= bit;
    matrix_.data()[cell] = value;
  }

  size_t rows_ = 0;
  size_t ids_seen_ = 0;         // 1 + the largest id in a row so far
  size_t last_new_id_row_ = 0;  // the row that named the id ids_seen_ - 1
  size_t stride_ = 0;           // ids of the matrix; 0 while rows are buffered
  FlowMatrix matrix_;
  std::vector<uint64_t> seen_;  // one bit per cell: given already
  std::vector<PairRow> pending_;
  std::vector<PairRow> late_;  // rows naming an id beyond stride_, and their rows
  std::vector<size_t> late_rows_;
  std::optional<Duplicate> duplicate_;
};

// What a pair reader makes of the years of its rows (when the file has a year column and
// options.year is not set): one matrix, several years being an error (kOne: ReadFlows), a matrix
// per year (kEach: ReadFlowsByYear) or one matrix of every row (kAll: ReadStocks).
enum class Years { kOne, kEach, kAll };

// The matrices of a pair file's rows, by year (key 0 for kOne, kAll and files without a year
// column), from rows given in file order.
class PairMatrices {
 public:
  PairMatrices(Years years, size_t known_ids) : years_(years), known_ids_(known_ids) {}

  void Add(size_t first, size_t second, double value, int year) {
    const size_t row = rows_++;
    if (years_ == Years::kOne) {
      if (row == 0) first_year_ = year;
      if (year != first_year_) {
        if (!other_year_) other_year_ = {row, year};
        return;
      }
    }
    if (years_ != Years::kEach) year = 0;
    if (current_ == nullptr || year != current_year_) {
      current_ = &builders_.try_emplace(year, known_ids_).first->second;
      current_year_ = year;
    }
    current_->Add(static_cast<uint32_t>(first), static_cast<uint32_t>(second), value);
  }

  // The matrices over `ids` (by year, in increasing order). Throws InputError as the serial
  // reader did: for a file of several years (kOne), at the first row of another year; then for
  // a pair given twice, at the first such row (of the lowest year), naming the line that first
  // gave it.
  std::map<int, FlowMatrix> Finish(const PairFile& file, const std::vector<std::string>& ids,
                                   const char* what) {
    if (other_year_) {
      // Plain variables, not a structured binding: the lambda below captures the row, which
      // clang 14 (the fuzz build) does not allow for a binding.
      const auto other_row = other_year_->first;
      const auto other_year = other_year_->second;
      size_t count = 0;
      throw InputError(file.path.string(),
                       LineWhere(file, [&](size_t, size_t, int) { return count++ == other_row; }),
                       0,
                       fmt::format("the file has several years ({} and {}); choose one with --year",
                                   first_year_, other_year));
    }
    std::map<int, FlowMatrix> out;
    for (auto& [year, builder] : builders_) {
      FlowMatrix matrix = builder.Finish(ids);
      if (const auto& duplicate = builder.duplicate()) {
        // This year's rows (every row unless kEach).
        auto of_year = [&, key = year](int row_year) {
          return years_ != Years::kEach || row_year == key;
        };
        size_t count = 0;
        const long line = LineWhere(file, [&](size_t, size_t, int row_year) {
          return of_year(row_year) && count++ == duplicate->row;
        });
        const long first_line = LineWhere(file, [&](size_t first, size_t second, int row_year) {
          return of_year(row_year) && first == duplicate->first && second == duplicate->second;
        });
        throw InputError(file.path.string(), line, 0,
                         fmt::format("duplicated {} pair ({}, {}), first given on line {}", what,
                                     ids[duplicate->first], ids[duplicate->second], first_line));
      }
      out.emplace(year, std::move(matrix));
    }
    return out;
  }

 private:
  Years years_;
  size_t known_ids_;
  size_t rows_ = 0;
  int first_year_ = 0;
  std::optional<std::pair<size_t, int>> other_year_;  // kOne: the first row of another year
  std::map<int, PairMatrixBuilder> builders_;
  PairMatrixBuilder* current_ = nullptr;
  int current_year_ = 0;
};

// Reads the rows of a pair file (only those of options.year when that is set) into `out`, in file
// order, on options.threads threads (CsvChunks: each chunk's rows are parsed with ids numbered in
// the chunk, then renumbered and added in file order while merging, so the ids are numbered by
// first appearance in the file as on one thread).
void ReadPairMatrices(const PairFile& file, IdIndex& ids, PairMatrices& out) {
  CsvReader csv(file.path, file.options.csv);
  const PairColumns columns =
      FindPairColumns(csv, file.options, file.first, file.second, {file.value_name}, true);
  CsvChunks chunks(csv, file.options.threads, file.options.chunk_bytes);
  if (chunks.slots() == 1) {
    ForEachPair(csv, columns, file.options, ids, [&](size_t a, size_t b, double v, int year) {
      out.Add(a, b, v, year);
      return true;
    });
    csv.RequireRecords();
    return;
  }
  // Each chunk's rows with ids numbered in the chunk (free text: in order of first appearance
  // there; with a region system, its indices already).
  struct Part {
    std::vector<PairRow> rows;
    std::vector<int> years;  // empty without a year column
    std::optional<IdIndex> ids;
  };
  std::vector<Part> parts(chunks.slots());
  std::vector<uint32_t> recode;
  chunks.Run(
      [&](size_t slot, CsvReader& chunk) {
        Part& part = parts[slot];
        part.rows.clear();
        part.years.clear();
        part.ids.emplace(file.options.system);
        ForEachPair(chunk, columns, file.options, *part.ids,
                    [&](size_t a, size_t b, double v, int year) {
                      part.rows.push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(b), v});
                      if (columns.year) part.years.push_back(year);
                      return true;
                    });
      },
      [&](size_t slot, long) {
        Part& part = parts[slot];
        const bool free_text = ids.free_text();
        if (free_text) {
          const std::vector<std::string>& local = part.ids->ids();
          recode.resize(local.size());
          for (size_t idx = 0; idx < local.size(); ++idx) {
            recode[idx] = static_cast<uint32_t>(ids.Intern(local[idx]));
          }
        }
        for (size_t row_idx = 0; row_idx < part.rows.size(); ++row_idx) {
          const PairRow& row = part.rows[row_idx];
          out.Add(free_text ? recode[row.orig] : row.orig, free_text ? recode[row.dest] : row.dest,
                  row.value, part.years.empty() ? 0 : part.years[row_idx]);
        }
      });
  csv.RequireRecords();
}

// The ids' count up front: a region system's regions, else 0 (numbered as they come).
size_t KnownIds(const IdIndex& ids) { return ids.free_text() ? 0 : ids.ids().size(); }

// Throws at the value's line and column unless the distance a -> b is positive.
void CheckDistance(const CsvReader& at, const PairColumns& columns,
                   const std::vector<std::string>& ids, size_t a, size_t b, double v) {
  if (!(v > 0)) {
    at.Fail(columns.value,
            fmt::format("distance {} -> {} is {}: distances between different regions must be "
                        "positive (the decay model takes their logarithm)",
                        ids[a], ids[b], v));
  }
}

// The one matrix of a reader that makes one (kOne, kAll): over `ids`, empty of flows when no row
// was kept (none of options.year).
FlowMatrix OneMatrix(std::map<int, FlowMatrix> matrices, const IdIndex& ids) {
  if (matrices.empty()) return PairMatrixBuilder(KnownIds(ids)).Finish(ids.ids());
  return std::move(matrices.begin()->second);
}

}  // namespace

FlowMatrix ReadFlows(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  const PairFile file{path, options, "orig", "dest", "flow"};
  PairMatrices matrices(Years::kOne, KnownIds(ids));
  ReadPairMatrices(file, ids, matrices);
  return OneMatrix(matrices.Finish(file, ids.ids(), "origin-destination"), ids);
}

std::map<int, FlowMatrix> ReadFlowsByYear(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  const PairFile file{path, options, "orig", "dest", "flow"};
  PairMatrices matrices(Years::kEach, KnownIds(ids));
  ReadPairMatrices(file, ids, matrices);
  return matrices.Finish(file, ids.ids(), "origin-destination");
}

FlowMatrix ReadStocks(const std::filesystem::path& path, TidyOptions options) {
  IdIndex ids(options.system);
  const PairFile file{path, options, "pob", "por", "stock"};
  PairMatrices matrices(Years::kAll, KnownIds(ids));
  ReadPairMatrices(file, ids, matrices);
  return OneMatrix(matrices.Finish(file, ids.ids(), "(pob, por)"), ids);
}

namespace {

// Reads the distances on one thread checking every row, and throws the first error of the file:
// a value that is not positive (at its line and column), a pair given twice (at its line, naming
// the line that first gave it) or, at the end, the first pair without a distance. For files that
// cannot be read twice (pipes), and to find the error in a file ReadDistancesCounting turned down.
FlowMatrix ReadDistancesSerially(const std::filesystem::path& path,
                                 const std::vector<std::string>& ids, const TidyOptions& options) {
  IdIndex index(options.system, ids);
  CsvReader csv(path, options.csv);
  const PairColumns columns =
      FindPairColumns(csv, options, "orig", "dest", {"distance", "dist"}, false);
  FlowMatrix d(ids.size(), std::nan(""));  // NaN: not given yet (a second value is a duplicate)
  d.set_ids(ids);
  // The pair (a, b) given again on `line`: names the line that first gave it (the rows before
  // this one all read without error the first time).
  auto fail_duplicate = [&](size_t a, size_t b, long line) {
    const std::string name = path.string();
    if (!CanReadAgain(path)) {
      throw InputError(name, line, 0, fmt::format("duplicated pair ({}, {})", ids[a], ids[b]));
    }
    long first_line = 0;
    CsvReader again(path, options.csv);
    IdIndex again_index(options.system, ids);
    ForEachPair(again, columns, options, again_index,
                [&](size_t again_a, size_t again_b, double, int) {
                  if (again_a == a && again_b == b) first_line = again.line();
                  return first_line == 0 && again.line() < line;
                });
    throw InputError(name, line, 0,
                     fmt::format("duplicated pair ({}, {}), first given on line {}", ids[a], ids[b],
                                 first_line));
  };
  ForEachPair(csv, columns, options, index, [&](size_t a, size_t b, double v, int /*year*/) {
    if (a == IdIndex::kNone || b == IdIndex::kNone || a == b) return true;
    CheckDistance(csv, columns, ids, a, b, v);
    if (!std::isnan(d(a, b))) fail_duplicate(a, b, csv.line());
    d(a, b) = v;
    return true;
  });
  for (size_t orig_idx = 0; orig_idx < ids.size(); ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < ids.size(); ++dest_idx) {
      if (orig_idx != dest_idx && std::isnan(d(orig_idx, dest_idx))) {
        throw InputError(path.string(), 0, 0,
                         fmt::format("no distance for the pair ({}, {}); every pair of regions in "
                                     "the flows needs one",
                                     ids[orig_idx], ids[dest_idx]));
      }
    }
  }
  for (size_t idx = 0; idx < ids.size(); ++idx) d(idx, idx) = 0;
  return d;
}

// Reads the distances on options.threads threads (CsvChunks; one thread reads the file itself),
// each chunk writing its rows straight into the matrix; nullopt when anything is wrong with the
// file, whose error the serial reader then finds (the file is read again: only for files that
// can be). Without an error no pair is given twice and none is missing exactly when the rows kept
// number n (n - 1) and no cell off the diagonal is left NaN: so nothing is checked per row but the
// value (a pair given twice in chunks read at once is written twice, atomically, and counted).
std::optional<FlowMatrix> ReadDistancesCounting(const std::filesystem::path& path,
                                                const std::vector<std::string>& ids,
                                                const TidyOptions& options) {
  const size_t n = ids.size();
  FlowMatrix d(n, std::nan(""));
  d.set_ids(ids);
  const IdIndex index(options.system, ids);
  // A cache line or more each: the threads update their index's guesses on every row.
  struct alignas(64) Part {
    std::optional<IdIndex> index;  // a copy per slot, kept from window to window
    uint64_t rows = 0;             // rows kept by the chunk
  };
  uint64_t rows = 0;
  try {
    CsvReader csv(path, options.csv);
    const PairColumns columns =
        FindPairColumns(csv, options, "orig", "dest", {"distance", "dist"}, false);
    CsvChunks chunks(csv, options.threads, options.chunk_bytes);
    std::vector<Part> parts(chunks.slots());
    double* const cells = d.data().data();
    chunks.Run(
        [&](size_t slot, CsvReader& chunk) {
          Part& part = parts[slot];
          if (!part.index) part.index.emplace(index);
          part.rows = 0;
          IdIndex& local = *part.index;
          uint64_t kept = 0;
          ForEachPair(chunk, columns, options, local, [&](size_t a, size_t b, double v, int) {
            if (a == IdIndex::kNone || b == IdIndex::kNone || a == b) return true;
            CheckDistance(chunk, columns, ids, a, b, v);
            std::atomic_ref<double>(cells[a * n + b]).store(v, std::memory_order_relaxed);
            ++kept;
            return true;
          });
          part.rows = kept;
        },
        [&](size_t slot, long) { rows += parts[slot].rows; });
  } catch (const InputError&) {
    return std::nullopt;
  }
  if (rows != n * (n > 0 ? n - 1 : 0)) return std::nullopt;
  // Every cell off the diagonal given: the rows' share of the scan on each thread.
  const size_t slots = std::min(CsvChunks::Slots(options.threads), std::max<size_t>(n, 1));
  std::vector<char> complete(slots, 1);
  auto scan = [&](size_t slot) {
    for (size_t orig = slot * n / slots; orig < (slot + 1) * n / slots; ++orig) {
      const double* row = d.row(orig);
      bool all = true;
      for (size_t dest = 0; dest < n; ++dest) all &= dest == orig || !std::isnan(row[dest]);
      if (!all) complete[slot] = 0;
      d(orig, orig) = 0;
    }
  };
  {
    std::vector<std::thread> pool;
    for (size_t slot = 1; slot < slots; ++slot) pool.emplace_back(scan, slot);
    scan(0);
    for (std::thread& thread : pool) thread.join();
  }
  if (std::find(complete.begin(), complete.end(), 0) != complete.end()) return std::nullopt;
  return d;
}

}  // namespace

FlowMatrix ReadDistances(const std::filesystem::path& path, const std::vector<std::string>& ids,
                         TidyOptions options) {
  options.non_negative = false;  // the positive check names the pair
  options.year.reset();
  if (CanReadAgain(path)) {
    if (auto d = ReadDistancesCounting(path, ids, options)) return std::move(*d);
  }
  return ReadDistancesSerially(path, ids, options);
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
  csv.RequireRecords();
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

const std::vector<ColumnAliases>& TidyColumnAliases() {
  static const std::vector<ColumnAliases> table = {
      {"region",
       {"регион", "область", "наименование региона", "территория", "облыс", "өңір", "аймақ",
        "region_id"}},
      {"year", {"год", "отчетный год", "отчётный год", "жыл"}},
      {"value", {"значение", "величина", "мәні", "мән"}},
      {"orig", {"откуда", "регион выбытия", "область выбытия", "выбытие", "қайдан", "шыққан өңір"}},
      {"dest", {"куда", "регион прибытия", "область прибытия", "прибытие", "қайда", "келген өңір"}},
      {"flow",
       {"поток", "число мигрантов", "количество мигрантов", "мигранты", "ағын", "көші-қон саны"}},
      {"pob", {"место рождения", "страна рождения", "туған жері", "туған елі"}},
      {"por", {"место жительства", "страна проживания", "тұрғылықты жері", "тұратын елі"}},
      {"stock", {"численность мигрантов", "число мигрантов", "мигранттар саны"}},
      {"distance", {"расстояние", "расстояние км", "қашықтық"}},
      {"sex", {"пол", "жынысы", "жыныс"}},
      {"age", {"возраст", "жасы", "жас"}},
      {"country", {"страна", "ел", "мемлекет"}},
      {"period", {"период", "кезең"}},
      {"population", {"население", "численность населения", "халық саны"}},
      {"date", {"дата", "күні"}},
  };
  return table;
}

bool IsColumnAlias(std::string_view name, std::string_view header) {
  const std::string key = NormalizeRegionKey(header);
  if (key.empty()) return false;
  const std::string wanted = NormalizeRegionKey(name);
  for (const ColumnAliases& entry : TidyColumnAliases()) {
    if (NormalizeRegionKey(entry.name) != wanted) continue;
    for (std::string_view alias : entry.aliases) {
      if (NormalizeRegionKey(alias) == key) return true;
    }
  }
  return false;
}

}  // namespace kazmig::io

#include "kazmig/traces/ingest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/mpi_world.h"

namespace kazmig::traces {
namespace {

constexpr size_t kMaxBadRowExamples = 5;
constexpr size_t kMaxPartitions = 4096;
constexpr uint64_t kMaxLineBytes = uint64_t{16} << 20;  // longer lines are an input error

// ---------------------------------------------------------------------------------------------
// Byte sources: plain, gzip, zstd.

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; 0 at the end. Throws InputError for a truncated or corrupt stream;
  // `line` is the line being read, for the message.
  virtual size_t Read(char* data, size_t size, long line) = 0;
  virtual uint64_t consumed() const = 0;  // bytes of the file consumed
};

class PlainSource : public ByteSource {
 public:
  PlainSource(const std::string& name, std::FILE* file) : name_(name), file_(file) {}
  ~PlainSource() override { std::fclose(file_); }
  size_t Read(char* data, size_t size, long line) override {
    const size_t got = std::fread(data, 1, size, file_);
    if (got < size && std::ferror(file_)) throw InputError(name_, line, 0, "read error");
    consumed_ += got;
    return got;
  }
  uint64_t consumed() const override { return consumed_; }

 private:
  std::string name_;
  std::FILE* file_;
  uint64_t consumed_ = 0;
};

class GzipSource : public ByteSource {
 public:
  GzipSource(const std::string& name, gzFile file) : name_(name), file_(file) {
    gzbuffer(file_, 1 << 20);
  }
  ~GzipSource() override { gzclose(file_); }
  size_t Read(char* data, size_t size, long line) override {
    const size_t wanted = std::min(size, size_t{1} << 30);
    const int got = gzread(file_, data, static_cast<unsigned>(wanted));
    int error = Z_OK;
    const char* message = gzerror(file_, &error);
    if (got < 0 || (error != Z_OK && error != Z_STREAM_END)) {
      throw InputError(name_, line, 0,
                       std::string("truncated or corrupt gzip stream (") + message + ")");
    }
    return static_cast<size_t>(got);
  }
  uint64_t consumed() const override { return static_cast<uint64_t>(gzoffset(file_)); }

 private:
  std::string name_;
  gzFile file_;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(const std::string& name, std::FILE* file)
      : name_(name), file_(file), context_(ZSTD_createDCtx()), input_(ZSTD_DStreamInSize()) {}
  ~ZstdSource() override {
    ZSTD_freeDCtx(context_);
    std::fclose(file_);
  }
  size_t Read(char* data, size_t size, long line) override {
    ZSTD_outBuffer out{data, size, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        const size_t got = std::fread(input_.data(), 1, input_.size(), file_);
        consumed_ += got;
        if (got == 0) {
          if (last_result_ != 0) {
            throw InputError(name_, line, 0, "truncated zstd stream (the frame does not end)");
          }
          return 0;
        }
        in_ = ZSTD_inBuffer{input_.data(), got, 0};
      }
      last_result_ = ZSTD_decompressStream(context_, &out, &in_);
      if (ZSTD_isError(last_result_)) {
        throw InputError(name_, line, 0,
                         std::string("corrupt zstd stream: ") + ZSTD_getErrorName(last_result_));
      }
    }
    return out.pos;
  }
  uint64_t consumed() const override { return consumed_; }

 private:
  std::string name_;
  std::FILE* file_;
  ZSTD_DCtx* context_;
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  size_t last_result_ = 0;
  uint64_t consumed_ = 0;
};

std::unique_ptr<ByteSource> OpenSource(const std::filesystem::path& path, bool* compressed) {
  const std::string name = path.string();
  std::FILE* file = std::fopen(name.c_str(), "rb");
  if (file == nullptr) throw InputError(name, 0, 0, "cannot open file");
  unsigned char magic[4] = {0, 0, 0, 0};
  const size_t got = std::fread(magic, 1, 4, file);
  std::rewind(file);
  *compressed = false;
  if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    std::fclose(file);
    gzFile gz = gzopen(name.c_str(), "rb");
    if (gz == nullptr) throw InputError(name, 0, 0, "cannot open gzip file");
    *compressed = true;
    return std::make_unique<GzipSource>(name, gz);
  }
  if (got == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    *compressed = true;
    return std::make_unique<ZstdSource>(name, file);
  }
  return std::make_unique<PlainSource>(name, file);
}

// ---------------------------------------------------------------------------------------------
// Hashing and record encoding.

uint64_t HashUser(std::string_view user_id) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, then a SplitMix64 finaliser
  for (char c : user_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

// A growable byte buffer without zero-filling (partition streams grow by a few bytes per row).
class Bytes {
 public:
  Bytes() = default;
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;
  Bytes(Bytes&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  Bytes& operator=(Bytes&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~Bytes() { std::free(data_); }

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_, size_}; }
  void Clear() { size_ = 0; }
  void Release() { *this = Bytes(); }
  // Grows the buffer by `count` bytes and returns where they start.
  char* Extend(size_t count) {
    if (capacity_ - size_ < count) Grow(count);
    char* at = data_ + size_;
    size_ += count;
    return at;
  }
  void Append(const char* bytes, size_t count) {
    if (count > 0) std::memcpy(Extend(count), bytes, count);
  }

 private:
  void Grow(size_t count) {
    const size_t capacity = std::max({capacity_ * 2, size_ + count, size_t{4096}});
    char* grown = static_cast<char*>(std::realloc(data_, capacity));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = grown;
    capacity_ = capacity;
  }
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Partition streams. A record is a u32 word: bits 0-15 the day number (0 .. 47845 for the
// plausible years 1970-2100), bits 16-20 the hour + 1 (0: unknown), bit 21 "a user follows",
// bit 22 "a location follows"; then, when flagged, u16 length + bytes of the user id, then of the
// location. A record without a flag belongs to the user and location last named in the stream, so
// rows grouped by user (the usual layout) cost 4 bytes each. Host byte order (temporary files
// never leave the machine). Every buffer that is sent elsewhere or spilled starts with a fully
// named record, so streams can be concatenated.
constexpr uint32_t kDayMask = 0xffff;
constexpr uint32_t kNewUser = uint32_t{1} << 21;
constexpr uint32_t kNewLocation = uint32_t{1} << 22;

struct Stream {
  Bytes bytes;
  uint64_t user_epoch = 0;      // the sink's user epoch when a user was last named here
  uint64_t location_epoch = 0;  // likewise for locations
};

// What one worker thread writes to: shard_count x partitions streams. The streams of the own
// shard hold the worker's share of each partition for the whole ingest; those of other shards
// (MPI) are sent to their rank after every round. Epochs number the runs of equal user ids and
// locations in the rows the worker parsed; a stream names a user or location only when its last
// named one belongs to an older run.
struct Sink {
  std::vector<Stream> streams;
  uint64_t user_epoch = 0;
  uint64_t location_epoch = 0;
};

inline void WriteRecord(Sink* sink, Stream* stream, std::string_view user,
                        std::string_view location, int32_t day, int hour) {
  uint32_t word = static_cast<uint32_t>(day) | (static_cast<uint32_t>(hour + 1) << 16);
  size_t size = 4;
  const bool new_user = stream->user_epoch != sink->user_epoch;
  const bool new_location = stream->location_epoch != sink->location_epoch;
  if (new_user) {
    word |= kNewUser;
    size += 2 + user.size();
  }
  if (new_location) {
    word |= kNewLocation;
    size += 2 + location.size();
  }
  char* at = stream->bytes.Extend(size);
  std::memcpy(at, &word, 4);
  at += 4;
  if (new_user) {
    const auto length = static_cast<uint16_t>(user.size());
    std::memcpy(at, &length, 2);
    std::memcpy(at + 2, user.data(), user.size());
    at += 2 + user.size();
    stream->user_epoch = sink->user_epoch;
  }
  if (new_location) {
    const auto length = static_cast<uint16_t>(location.size());
    std::memcpy(at, &length, 2);
    std::memcpy(at + 2, location.data(), location.size());
    stream->location_epoch = sink->location_epoch;
  }
}

// Equality of short texts without a library call for the common short ids.
inline bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() == 8) {  // dates
    uint64_t x = 0, y = 0;
    std::memcpy(&x, a.data(), 8);
    std::memcpy(&y, b.data(), 8);
    return x == y;
  }
  if (a.size() > 16) return std::memcmp(a.data(), b.data(), a.size()) == 0;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (a[idx] != b[idx]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Header and row parsing.

struct Layout {
  char delimiter = ',';
  size_t user_col = 0;
  size_t date_col = 0;
  size_t loc_col = 0;
  size_t needed = 0;  // fields needed: max column + 1
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

__attribute__((always_inline)) inline std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (text.empty() || (!blank(text.front()) && !blank(text.back()) && text.back() != '\r')) {
    return text;  // the usual field
  }
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && (blank(text.back()) || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Day numbers of the first day of each plausible year, and month offsets, for FastYmd.
struct YmdTables {
  int32_t year_start[kMaxPlausibleYear - kMinPlausibleYear + 1];
  int16_t month_start[2][13];  // [leap][month]: days before the month
  uint8_t month_days[2][13];
  YmdTables() {
    for (int year = kMinPlausibleYear; year <= kMaxPlausibleYear; ++year) {
      year_start[year - kMinPlausibleYear] = DaysFromCivil(year, 1, 1);
    }
    static constexpr uint8_t kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int leap = 0; leap < 2; ++leap) {
      int16_t before = 0;
      for (int month = 1; month <= 12; ++month) {
        month_days[leap][month] = static_cast<uint8_t>(kDays[month] + (leap && month == 2));
        month_start[leap][month] = before;
        before = static_cast<int16_t>(before + month_days[leap][month]);
      }
      month_days[leap][0] = 0;
      month_start[leap][0] = 0;
    }
  }
};
const YmdTables kYmdTables;  // built once at start-up (no guard in the row loop)

// Day number of an 8-character `YYYYMMDD` field within the plausible years, from tables; false
// for anything else (ParseEventDate then decides, with its message).
inline bool FastYmd(std::string_view text, int32_t* day) {
  const YmdTables& tables = kYmdTables;
  if (text.size() != 8) return false;
  uint64_t word = 0;
  std::memcpy(&word, text.data(), 8);
  const uint64_t digits = word - 0x3030303030303030ULL;
  // Every byte in '0'..'9': no borrow above and no byte above 9.
  if (((word & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL) ||
      (((digits + 0x7676767676767676ULL) & 0x8080808080808080ULL) != 0)) {
    return false;
  }
  auto digit = [&](int idx) { return static_cast<int>((digits >> (8 * idx)) & 0xff); };
  const int year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const int month = digit(4) * 10 + digit(5);
  const int mday = digit(6) * 10 + digit(7);
  if (year < kMinPlausibleYear || year > kMaxPlausibleYear || month < 1 || month > 12) return false;
  const int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (mday < 1 || mday > tables.month_days[leap][month]) return false;
  *day = tables.year_start[year - kMinPlausibleYear] + tables.month_start[leap][month] + mday - 1;
  return true;
}

Layout ParseHeader(const std::string& name, std::string_view line) {
  if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF &&
      static_cast<unsigned char>(line[1]) == 0xBB && static_cast<unsigned char>(line[2]) == 0xBF) {
    line.remove_prefix(3);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Layout layout;
  const size_t commas = static_cast<size_t>(std::count(line.begin(), line.end(), ','));
  const size_t semicolons = static_cast<size_t>(std::count(line.begin(), line.end(), ';'));
  const size_t tabs = static_cast<size_t>(std::count(line.begin(), line.end(), '\t'));
  if (semicolons > commas && semicolons >= tabs) layout.delimiter = ';';
  if (tabs > commas && tabs > semicolons) layout.delimiter = '\t';
  std::vector<std::string> columns;
  size_t start = 0;
  while (true) {
    const size_t end = line.find(layout.delimiter, start);
    std::string_view field =
        Trim(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
      field = field.substr(1, field.size() - 2);
    }
    columns.push_back(Lower(Trim(field)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  auto find = [&](const char* wanted) -> size_t {
    for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
      if (columns[col_idx] == wanted) return col_idx;
    }
    std::string present;
    for (const std::string& column : columns) present += (present.empty() ? "" : ", ") + column;
    throw InputError(
        name, 1, 1,
        std::string("missing required column '") + wanted + "' (columns: " + present + ")");
  };
  layout.user_col = find("user_id");
  layout.date_col = find("date");
  layout.loc_col = find("location");
  layout.needed = std::max({layout.user_col, layout.date_col, layout.loc_col}) + 1;
  return layout;
}

struct RowError {
  uint64_t local_line = 0;  // 1-based line within the chunk
  long column = 0;
  std::string message;
};

// What one worker produces from one chunk of lines.
struct ChunkResult {
  uint64_t lines = 0;
  uint64_t rows = 0;
  uint64_t bad_rows = 0;
  int32_t min_day = INT32_MAX;
  int32_t max_day = INT32_MIN;
  std::vector<RowError> errors;      // the first one only, unless skipping (then a few)
  std::vector<uint64_t> shard_rows;  // rows written for each shard
  void Reset(size_t shards) {
    lines = rows = bad_rows = 0;
    min_day = INT32_MAX;
    max_day = INT32_MIN;
    errors.clear();
    shard_rows.assign(shards, 0);
  }
};

struct ParseContext {
  const Layout* layout;
  bool skip_bad_rows;
  int shard;
  int shard_count;
  size_t partitions;
  bool keep_all_shards;  // write other shards' rows too (to be sent to their rank)
};

// Positions of the bytes that matter to the row splitter ('\n', the delimiter and '"') in
// [begin, end), in order, found 64 bytes at a time with a bit mask. The bytes up to 63 past `end`
// must be readable (they are ignored).
class Scanner {
 public:
  Scanner(const char* begin, const char* end, char delimiter)
      : block_(begin), end_(end), delimiter_(delimiter) {
    mask_ = block_ < end_ ? Mask(block_) : 0;
  }
  // The next such position, or `end`.
  const char* Next() {
    while (mask_ == 0) {
      block_ += 64;
      if (block_ >= end_) return end_;
      mask_ = Mask(block_);
    }
    const char* at = block_ + __builtin_ctzll(mask_);
    mask_ &= mask_ - 1;
    return at;
  }

 private:
  uint64_t Mask(const char* block) const {
    uint64_t mask = 0;
#ifdef __SSE2__
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i delimiter = _mm_set1_epi8(delimiter_);
    const __m128i quote = _mm_set1_epi8('"');
    for (int lane = 0; lane < 4; ++lane) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * lane));
      const __m128i hits = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(bytes, newline), _mm_cmpeq_epi8(bytes, delimiter)),
          _mm_cmpeq_epi8(bytes, quote));
      mask |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hits))) << (16 * lane);
    }
#else
    for (int pos = 0; pos < 64; ++pos) {
      const char c = block[pos];
      if (c == '\n' || c == delimiter_ || c == '"') mask |= uint64_t{1} << pos;
    }
#endif
    const ptrdiff_t valid = end_ - block;
    if (valid < 64) mask &= (uint64_t{1} << valid) - 1;
    return mask;
  }
  const char* block_;
  const char* end_;
  uint64_t mask_ = 0;
  char delimiter_;
};

// Splits a line with quotes (RFC 4180 on one line) into the three wanted fields; the rare path.
// Returns the number of fields read (at most layout.needed), or -1 after reporting an error.
long SplitQuotedLine(const Layout& layout, const char* line, const char* stop,
                     std::string_view fields[3], std::string scratch[3],
                     const std::function<void(long, std::string)>& fail) {
  const size_t wanted[3] = {layout.user_col, layout.date_col, layout.loc_col};
  size_t field_idx = 0;
  const char* p = line;
  while (field_idx < layout.needed) {
    const char* field_begin = p;
    if (p < stop && *p == '"') {
      std::string unquoted;
      ++p;
      bool closed = false;
      while (p < stop) {
        if (*p == '"') {
          if (p + 1 < stop && p[1] == '"') {
            unquoted.push_back('"');
            p += 2;
            continue;
          }
          ++p;
          closed = true;
          break;
        }
        unquoted.push_back(*p++);
      }
      if (!closed) {
        fail(static_cast<long>(field_idx + 1), "unterminated quote");
        return -1;
      }
      while (p < stop && *p != layout.delimiter) ++p;
      for (size_t want_idx = 0; want_idx < 3; ++want_idx) {
        if (wanted[want_idx] == field_idx) {
          scratch[want_idx] = unquoted;
          fields[want_idx] = scratch[want_idx];
        }
      }
    } else {
      const void* found_at = std::memchr(p, layout.delimiter, static_cast<size_t>(stop - p));
      p = found_at == nullptr ? stop : static_cast<const char*>(found_at);
      const std::string_view value(field_begin, static_cast<size_t>(p - field_begin));
      for (size_t want_idx = 0; want_idx < 3; ++want_idx) {
        if (wanted[want_idx] == field_idx) fields[want_idx] = value;
      }
    }
    ++field_idx;
    if (field_idx < layout.needed) {
      if (p >= stop) break;
      ++p;  // the delimiter
    }
  }
  return static_cast<long>(field_idx);
}

// Parses the lines [begin, end) (whole lines; the last may lack its '\n') into the sink's
// streams. Up to 63 bytes past `end` must be readable.
void ParseChunk(const ParseContext& context, const char* begin, const char* end, Sink* sink,
                ChunkResult* result) {
  const Layout& layout = *context.layout;
  const size_t needed = layout.needed;
  const auto shard_count = static_cast<uint64_t>(context.shard_count);
  const size_t partitions = context.partitions;
  std::string_view last_user;
  std::string_view last_location;
  bool have_user = false;    // last_user names the user of the last good row
  Stream* stream = nullptr;  // of the last user (nullptr: another shard's, not kept)
  uint64_t* shard_rows = nullptr;
  std::string_view last_date;  // events of one user-day share their date text: parse it once
  DayTime last_when;
  std::string scratch[3];
  std::string_view fields[3];
  const char* small_delimiters[16];
  std::vector<const char*> large_delimiters(needed > 16 ? needed : 0);
  const char** const delimiters = needed > 16 ? large_delimiters.data() : small_delimiters;
  const size_t user_col = layout.user_col, date_col = layout.date_col, loc_col = layout.loc_col;
  auto fail = [&](long column, std::string message) {
    ++result->bad_rows;
    if (result->errors.size() < (context.skip_bad_rows ? kMaxBadRowExamples : 1)) {
      result->errors.push_back({result->lines, column, std::move(message)});
    }
  };
  const std::function<void(long, std::string)> fail_function = fail;
  Scanner scanner(begin, end, layout.delimiter);
  const char* cursor = begin;
  while (cursor < end) {
    // The line's delimiters (the first `needed`) and its end, in one pass over the bit masks.
    size_t delimiter_count = 0;
    bool quoted = false;
    const char* line_end;
    while (true) {
      const char* at = scanner.Next();
      if (at >= end) {
        line_end = end;
        break;
      }
      const char c = *at;
      if (c == '\n') {
        line_end = at;
        break;
      }
      if (c == '"') {
        quoted = true;
      } else if (delimiter_count < needed) {
        delimiters[delimiter_count++] = at;
      }
    }
    const char* next = line_end < end ? line_end + 1 : end;
    ++result->lines;
    const char* stop = line_end;
    if (stop > cursor && stop[-1] == '\r') --stop;
    if (stop == cursor) {  // blank line
      cursor = next;
      continue;
    }
    ++result->rows;
    long field_count;
    if (quoted) {
      field_count = SplitQuotedLine(layout, cursor, stop, fields, scratch, fail_function);
      if (field_count < 0) {
        cursor = next;
        continue;
      }
    } else {
      field_count = static_cast<long>(std::min(delimiter_count + 1, needed));
      auto field = [&](size_t col) {
        const char* field_begin = col == 0 ? cursor : delimiters[col - 1] + 1;
        const char* field_end = col < delimiter_count ? delimiters[col] : stop;
        return std::string_view(field_begin, static_cast<size_t>(field_end - field_begin));
      };
      if (static_cast<size_t>(field_count) >= needed) {
        fields[0] = field(user_col);
        fields[1] = field(date_col);
        fields[2] = field(loc_col);
      }
    }
    if (static_cast<size_t>(field_count) < needed) {
      fail(field_count + 1, "expected at least " + std::to_string(needed) + " fields, found " +
                                std::to_string(field_count));
      cursor = next;
      continue;
    }
    const std::string_view user = Trim(fields[0]);
    const std::string_view location = Trim(fields[2]);
    if (user.empty()) {
      fail(static_cast<long>(user_col + 1), "empty user_id");
      cursor = next;
      continue;
    }
    if (location.empty()) {
      fail(static_cast<long>(loc_col + 1), "empty location");
      cursor = next;
      continue;
    }
    if (user.size() > 65535 || location.size() > 65535) {
      fail(static_cast<long>(user_col + 1), "field longer than 65535 bytes");
      cursor = next;
      continue;
    }
    DayTime when = last_when;
    DateStatus status = DateStatus::kOk;
    if (fields[1].empty() || !SameText(fields[1], last_date)) {
      if (FastYmd(fields[1], &when.day)) {
        when.hour = -1;
      } else {
        status = ParseEventDate(fields[1], &when);
      }
    }
    if (status != DateStatus::kOk) {
      fail(static_cast<long>(date_col + 1),
           status == DateStatus::kMalformed
               ? "malformed date '" + std::string(fields[1]) + "' (expected YYYYMMDD or ISO 8601)"
               : "implausible date '" + std::string(fields[1]) + "' (outside " +
                     std::to_string(kMinPlausibleYear) + ".." + std::to_string(kMaxPlausibleYear) +
                     ")");
      cursor = next;
      continue;
    }
    if (!quoted) {  // only views into the chunk, never into the unquote scratch
      last_date = fields[1];
      last_when = when;
    }
    result->min_day = std::min(result->min_day, when.day);
    result->max_day = std::max(result->max_day, when.day);
    if (!have_user || !SameText(user, last_user)) {
      const uint64_t hash = HashUser(user);
      const uint64_t shard = hash % shard_count;
      const size_t part_idx = (hash / shard_count) % partitions;
      const bool keep = context.keep_all_shards || static_cast<int>(shard) == context.shard;
      stream = keep ? &sink->streams[shard * partitions + part_idx] : nullptr;
      shard_rows = &result->shard_rows[shard];
      last_user = user;
      have_user = !quoted;  // a view into the unquote scratch is not kept
      ++sink->user_epoch;
    }
    if (stream == nullptr) {  // another shard's user
      cursor = next;
      continue;
    }
    if (quoted || !SameText(location, last_location)) {
      last_location = quoted ? std::string_view() : location;
      ++sink->location_epoch;
    }
    ++*shard_rows;
    WriteRecord(sink, stream, user, location, when.day, when.hour);
    cursor = next;
  }
}

// Tallies of one rank's rows, in line order. Errors carry lines relative to the first line
// tallied.
struct Tally {
  uint64_t lines = 0;
  uint64_t rows = 0;
  uint64_t bad_rows = 0;
  uint64_t kept_rows = 0;
  int32_t min_day = INT32_MAX;
  int32_t max_day = INT32_MIN;
  bool failed = false;  // a bad row without skip_bad_rows: errors[0] says where
  // A failure of this rank alone (an overlong line, a read or temporary-file error), kept so that
  // every rank stops and throws it together instead of leaving the others waiting (MPI).
  uint8_t fatal_kind = 0;  // 0: none, 1: InputError, 2: another error
  std::string fatal_message;
  bool stopped() const { return failed || fatal_kind != 0; }
  std::vector<RowError> errors;

  void Add(const ChunkResult& result, int shard, bool skip_bad_rows) {
    for (const RowError& error : result.errors) {
      if (failed) break;
      if (!skip_bad_rows) failed = true;
      if (errors.size() < kMaxBadRowExamples) {
        errors.push_back({lines + error.local_line, error.column, error.message});
      }
    }
    lines += result.lines;
    rows += result.rows;
    bad_rows += result.bad_rows;
    kept_rows += result.shard_rows[static_cast<size_t>(shard)];
    min_day = std::min(min_day, result.min_day);
    max_day = std::max(max_day, result.max_day);
  }

  // For AllGather.
  std::string Serialize() const {
    std::string out;
    auto put = [&](const auto& value) {
      out.append(reinterpret_cast<const char*>(&value), sizeof(value));
    };
    put(lines);
    put(rows);
    put(bad_rows);
    put(min_day);
    put(max_day);
    put(static_cast<uint8_t>(failed));
    put(fatal_kind);
    put(static_cast<uint32_t>(fatal_message.size()));
    out += fatal_message;
    put(static_cast<uint32_t>(errors.size()));
    for (const RowError& error : errors) {
      put(error.local_line);
      put(static_cast<int64_t>(error.column));
      put(static_cast<uint32_t>(error.message.size()));
      out += error.message;
    }
    return out;
  }
  static Tally Deserialize(std::string_view in) {
    Tally tally;
    size_t pos = 0;
    auto get = [&](auto* value) {
      std::memcpy(value, in.data() + pos, sizeof(*value));
      pos += sizeof(*value);
    };
    uint8_t failed = 0;
    uint32_t count = 0;
    get(&tally.lines);
    get(&tally.rows);
    get(&tally.bad_rows);
    get(&tally.min_day);
    get(&tally.max_day);
    get(&failed);
    get(&tally.fatal_kind);
    uint32_t fatal_size = 0;
    get(&fatal_size);
    tally.fatal_message = std::string(in.substr(pos, fatal_size));
    pos += fatal_size;
    get(&count);
    tally.failed = failed != 0;
    for (uint32_t error_idx = 0; error_idx < count; ++error_idx) {
      RowError error;
      int64_t column = 0;
      uint32_t size = 0;
      get(&error.local_line);
      get(&column);
      get(&size);
      error.column = static_cast<long>(column);
      error.message = std::string(in.substr(pos, size));
      pos += size;
      tally.errors.push_back(std::move(error));
    }
    return tally;
  }
};

// A temporary folder removed with its files when the store goes away.
class TempFolder {
 public:
  explicit TempFolder(const std::filesystem::path& parent) {
    std::string pattern = (parent / "kazmig-traces-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error("cannot create a temporary folder in " + parent.string());
    }
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// An open plain file read with pread (each thread reads its own chunk).
class PlainFile {
 public:
  explicit PlainFile(const std::string& name) : name_(name) {
    fd_ = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(name, 0, 0, "cannot open file");
    struct stat info {};
    if (::fstat(fd_, &info) != 0) {
      ::close(fd_);
      throw InputError(name, 0, 0, "cannot read file size");
    }
    size_ = static_cast<uint64_t>(info.st_size);
  }
  ~PlainFile() { ::close(fd_); }
  PlainFile(const PlainFile&) = delete;
  PlainFile& operator=(const PlainFile&) = delete;

  uint64_t size() const { return size_; }
  // Reads [offset, offset + count) (count bytes must exist) into `out`.
  void Read(uint64_t offset, size_t count, char* out) const {
    while (count > 0) {
      const ssize_t got = ::pread(fd_, out, count, static_cast<off_t>(offset));
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        throw InputError(name_, 0, 0, "read error (was the file changed while reading?)");
      }
      out += got;
      offset += static_cast<uint64_t>(got);
      count -= static_cast<size_t>(got);
    }
  }
  // The first line start at or after `pos` within [first, last): `first` when pos <= first,
  // `last` when pos >= last or no line starts in [pos, last). `first` must be a line start.
  uint64_t LineStartAtOrAfter(uint64_t first, uint64_t last, uint64_t pos) const {
    if (pos <= first) return first;
    if (pos >= last) return last;
    char buffer[1 << 14];
    uint64_t at = pos - 1;  // a line starts at pos when the byte before it is '\n'
    while (at < last) {
      const auto count = static_cast<size_t>(std::min<uint64_t>(sizeof(buffer), last - at));
      Read(at, count, buffer);
      const void* newline = std::memchr(buffer, '\n', count);
      if (newline != nullptr) {
        return at + static_cast<uint64_t>(static_cast<const char*>(newline) - buffer) + 1;
      }
      at += count;
    }
    return last;
  }

 private:
  std::string name_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Sorts one user's keys (location rank << 33 | day << 1 | night). Rows usually come in date order,
// so the keys of each location are already sorted and only their locations interleave: a counting
// sort by location (few per user) then a check of each location's run replaces a full sort.
struct KeySorter {
  std::vector<uint32_t> slot_of_rank;  // UINT32_MAX, except for the ranks of the current user
  std::vector<uint32_t> ranks;
  std::vector<uint32_t> starts;
  std::vector<uint64_t> scratch;
};

// Returns where the sorted keys are: `first`, or the sorter's scratch.
const uint64_t* SortKeys(uint64_t* first, uint64_t* last, KeySorter* sorter) {
  constexpr size_t kMaxBuckets = 64;
  sorter->ranks.clear();
  sorter->starts.clear();
  for (const uint64_t* key = first; key < last; ++key) {
    const auto rank = static_cast<uint32_t>(*key >> 33);
    uint32_t& slot = sorter->slot_of_rank[rank];
    if (slot == UINT32_MAX) {
      if (sorter->ranks.size() == kMaxBuckets) break;
      slot = static_cast<uint32_t>(sorter->ranks.size());
      sorter->ranks.push_back(rank);
      sorter->starts.push_back(0);
    }
    ++sorter->starts[slot];
  }
  const bool few = sorter->ranks.size() < kMaxBuckets;
  if (few) {
    // Bucket offsets in rank order.
    std::vector<uint32_t> order(sorter->ranks.size());
    for (uint32_t slot = 0; slot < order.size(); ++slot) order[slot] = slot;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return sorter->ranks[a] < sorter->ranks[b]; });
    uint32_t offset = 0;
    for (uint32_t slot : order) {
      const uint32_t count = sorter->starts[slot];
      sorter->starts[slot] = offset;
      offset += count;
    }
    sorter->scratch.resize(static_cast<size_t>(last - first));
    for (const uint64_t* key = first; key < last; ++key) {
      const uint32_t slot = sorter->slot_of_rank[static_cast<uint32_t>(*key >> 33)];
      sorter->scratch[sorter->starts[slot]++] = *key;
    }
    // Each bucket now ends at starts[slot]; sort those that are not in order.
    uint64_t* const sorted = sorter->scratch.data();
    uint64_t* bucket = sorted;
    for (uint32_t slot : order) {
      uint64_t* bucket_end = sorted + sorter->starts[slot];
      if (!std::is_sorted(bucket, bucket_end)) std::sort(bucket, bucket_end);
      bucket = bucket_end;
    }
  }
  for (uint32_t rank : sorter->ranks) sorter->slot_of_rank[rank] = UINT32_MAX;
  if (few) return sorter->scratch.data();
  std::sort(first, last);
  return first;
}

}  // namespace

struct EventStore::State {
  IngestStats stats;
  int shard = 0;
  size_t partitions = 0;
  std::vector<Sink> sinks;           // one per ingest thread; their own shard's streams
  std::vector<Bytes> received;       // per partition: records sent by other ranks
  std::vector<uint64_t> file_bytes;  // per partition: bytes spilled to its temporary file
  std::unique_ptr<TempFolder> temp;
  uint64_t buffered = 0;  // bytes in memory (own streams and received)

  std::filesystem::path PartitionFile(size_t part_idx) const {
    return temp->path() / ("part-" + std::to_string(part_idx) + ".bin");
  }
  Bytes& Own(size_t sink_idx, size_t part_idx) {
    return sinks[sink_idx].streams[static_cast<size_t>(shard) * partitions + part_idx].bytes;
  }
  const Bytes& Own(size_t sink_idx, size_t part_idx) const {
    return sinks[sink_idx].streams[static_cast<size_t>(shard) * partitions + part_idx].bytes;
  }
  uint64_t Buffered() const {
    uint64_t total = 0;
    for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
      for (size_t sink_idx = 0; sink_idx < sinks.size(); ++sink_idx) {
        total += Own(sink_idx, part_idx).size();
      }
      if (!received.empty()) total += received[part_idx].size();
    }
    return total;
  }
  // Appends every partition's in-memory records to its temporary file and frees the memory.
  void Spill(const std::filesystem::path& temp_dir) {
    if (!temp) {
      temp = std::make_unique<TempFolder>(temp_dir.empty() ? std::filesystem::temp_directory_path()
                                                           : temp_dir);
    }
    for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
      std::vector<Bytes*> pieces;
      for (size_t sink_idx = 0; sink_idx < sinks.size(); ++sink_idx) {
        if (!Own(sink_idx, part_idx).empty()) pieces.push_back(&Own(sink_idx, part_idx));
      }
      if (!received.empty() && !received[part_idx].empty()) pieces.push_back(&received[part_idx]);
      if (pieces.empty()) continue;
      const std::string path = PartitionFile(part_idx).string();
      std::FILE* file = std::fopen(path.c_str(), "ab");
      bool ok = file != nullptr;
      for (Bytes* piece : pieces) {
        ok = ok && std::fwrite(piece->data(), 1, piece->size(), file) == piece->size();
        file_bytes[part_idx] += piece->size();
        piece->Release();
      }
      if (file != nullptr) ok = std::fclose(file) == 0 && ok;
      if (!ok) throw Error("cannot write temporary file " + path);
    }
    stats.spilled = true;
  }
};

int UserShard(std::string_view user_id, int shard_count) {
  return static_cast<int>(HashUser(user_id) % static_cast<uint64_t>(shard_count));
}

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

uint64_t ParseMemorySize(std::string_view text) {
  std::string_view digits = Trim(text);
  uint64_t scale = 1;
  if (!digits.empty()) {
    switch (std::toupper(static_cast<unsigned char>(digits.back()))) {
      case 'K':
        scale = uint64_t{1} << 10;
        break;
      case 'M':
        scale = uint64_t{1} << 20;
        break;
      case 'G':
        scale = uint64_t{1} << 30;
        break;
      case 'T':
        scale = uint64_t{1} << 40;
        break;
      default:
        break;
    }
    if (scale != 1) digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 12 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw UsageError("--memory: expected a size such as 2G, 512M or 1000000, got '" +
                     std::string(text) + "'");
  }
  const uint64_t value = std::stoull(std::string(digits)) * scale;
  if (value < (uint64_t{16} << 20)) throw UsageError("--memory must be at least 16M");
  return value;
}

EventStore::EventStore(std::unique_ptr<State> state) : state_(std::move(state)) {}
EventStore::EventStore(EventStore&&) noexcept = default;
EventStore& EventStore::operator=(EventStore&&) noexcept = default;
EventStore::~EventStore() = default;
const IngestStats& EventStore::stats() const { return state_->stats; }

EventStore EventStore::Ingest(const IngestOptions& options) {
  if (options.shard_count < 1 || options.shard < 0 || options.shard >= options.shard_count) {
    throw UsageError("invalid shard");
  }
  const std::string name = options.input.string();
  const int threads = ResolveThreads(options.threads);
  // Chunks read at once take threads x block_bytes: keep that within an eighth of the bound.
  const size_t block_bytes = std::max<size_t>(
      std::min<uint64_t>(options.block_bytes, std::max<uint64_t>(options.memory_bytes / 8 /
                                                                     static_cast<uint64_t>(threads),
                                                                 uint64_t{64} << 10)),
      1);
  // Under MPI (this rank being the world's shard), a failure that may hit some ranks only is
  // agreed on (AgreeOnFailure), or passed in the tallies below, so that every rank throws the
  // same error, marked Collective, instead of leaving the others waiting.
  const bool world_run = options.shard_count > 1 && World().size == options.shard_count &&
                         World().rank == options.shard;
  auto agree = [&](const std::function<void()>& step) {
    if (world_run) return AgreeOnFailure(step);
    step();
  };
  bool compressed = false;
  std::unique_ptr<ByteSource> source;
  agree([&] { source = OpenSource(options.input, &compressed); });
  std::error_code size_error;
  const uint64_t file_size = std::filesystem::file_size(options.input, size_error);
  const uint64_t estimated = (size_error ? 0 : file_size) * (compressed ? 6 : 1) /
                             static_cast<uint64_t>(options.shard_count);
  // Ranks parse their own byte range and exchange records when this is the MPI world's shard.
  const bool exchange = world_run && !compressed;

  auto state = std::make_unique<State>();
  IngestStats& stats = state->stats;
  // Processing a partition takes about 3 times its encoded size, for `threads` partitions at once;
  // encoded rows are at most the size of the CSV text. Keep that within half the memory bound.
  const uint64_t half_memory = options.memory_bytes / 2;
  uint64_t partitions =
      (3 * estimated * static_cast<uint64_t>(threads)) / std::max<uint64_t>(half_memory, 1) + 1;
  partitions = std::max<uint64_t>(partitions, static_cast<uint64_t>(threads) * 16);  // balance
  partitions = std::min<uint64_t>(partitions, kMaxPartitions);
  state->shard = options.shard;
  state->partitions = partitions;
  state->sinks.resize(static_cast<size_t>(threads));
  for (Sink& sink : state->sinks) {
    sink.streams.resize(static_cast<size_t>(options.shard_count) * partitions);
  }
  state->file_bytes.assign(partitions, 0);
  if (exchange) state->received.resize(partitions);
  stats.partitions = partitions;

  const ParseContext context{nullptr,
                             options.skip_bad_rows,
                             options.shard,
                             options.shard_count,
                             static_cast<size_t>(partitions),
                             exchange};
  std::vector<ChunkResult> results(static_cast<size_t>(threads));
  Tally tally;
  // Runs work(worker) on `count` threads (the calling one included); rethrows the first failure.
  auto run_workers = [&](size_t count, const std::function<void(size_t)>& work) {
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> failures(count);
    for (size_t worker = 0; worker < count; ++worker) {
      auto guarded = [&, worker] {
        try {
          work(worker);
        } catch (...) {
          failures[worker] = std::current_exception();
        }
      };
      if (worker + 1 == count) {
        guarded();
      } else {
        workers.emplace_back(guarded);
      }
    }
    for (std::thread& thread : workers) thread.join();
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
  };
  auto maybe_spill = [&] {
    if (state->Buffered() > half_memory) state->Spill(options.temp_dir);
  };

  if (!compressed) {
    // Plain input: this rank's byte range [range_begin, range_end), split at line starts, read in
    // chunks of block_bytes (each worker reads its own with pread), `threads` chunks per round.
    source.reset();
    std::optional<PlainFile> opened;
    uint64_t size = 0;
    Layout layout;
    uint64_t data_begin = 0;
    agree([&] {
      opened.emplace(name);
      size = opened->size();
      if (size == 0) throw InputError(name, 1, 0, "empty file (expected a header row)");
      std::string head(static_cast<size_t>(std::min<uint64_t>(size, uint64_t{1} << 20)), '\0');
      opened->Read(0, head.size(), head.data());
      const size_t header_end = head.find('\n');
      if (header_end == std::string::npos && size > head.size()) {
        throw InputError(name, 1, 0, "header line too long");
      }
      layout =
          ParseHeader(name, std::string_view(head).substr(0, std::min(header_end, head.size())));
      data_begin = header_end == std::string::npos ? size : header_end + 1;
    });
    const PlainFile& file = *opened;
    ParseContext chunk_context = context;
    chunk_context.layout = &layout;
    const auto ranges = static_cast<uint64_t>(exchange ? options.shard_count : 1);
    const auto range_idx = static_cast<uint64_t>(exchange ? options.shard : 0);
    auto nominal = [&](uint64_t idx) { return data_begin + (size - data_begin) * idx / ranges; };
    const uint64_t range_begin = file.LineStartAtOrAfter(data_begin, size, nominal(range_idx));
    const uint64_t range_end = file.LineStartAtOrAfter(data_begin, size, nominal(range_idx + 1));
    const uint64_t chunks = (range_end - range_begin + block_bytes - 1) / block_bytes;
    std::vector<std::vector<char>> buffers(static_cast<size_t>(threads));
    uint64_t next_chunk = 0;
    bool stopped = false;  // a lower rank failed: this rank's rows no longer matter
    uint64_t parsed_to = range_begin;
    while (true) {
      const uint64_t round_chunks =
          tally.stopped() || stopped
              ? 0
              : std::min<uint64_t>(static_cast<uint64_t>(threads), chunks - next_chunk);
      // Under MPI a failure of this rank alone is kept in the tally and thrown by every rank at the
      // end; alone, it is thrown at once.
      auto locally = [&](const std::function<void()>& step) {
        if (!exchange) return step();
        try {
          step();
        } catch (const InputError& error) {
          tally.fatal_kind = 1;
          tally.fatal_message = error.what();
        } catch (const std::exception& error) {
          tally.fatal_kind = 2;
          tally.fatal_message = error.what();
        }
      };
      if (round_chunks > 0) {
        locally([&] {
          run_workers(static_cast<size_t>(round_chunks), [&](size_t worker) {
            const uint64_t chunk = next_chunk + worker;
            const uint64_t begin =
                file.LineStartAtOrAfter(range_begin, range_end, range_begin + chunk * block_bytes);
            const uint64_t end = file.LineStartAtOrAfter(range_begin, range_end,
                                                         range_begin + (chunk + 1) * block_bytes);
            if (end - begin > block_bytes + kMaxLineBytes) {
              // The line number is not known here (lines before the chunk are not counted yet).
              throw InputError(name, 0, 0,
                               "line too long (no line end within 16 MB after byte " +
                                   std::to_string(range_begin + (chunk + 1) * block_bytes) + ")");
            }
            std::vector<char>& buffer = buffers[worker];
            const auto length = static_cast<size_t>(end - begin);
            if (buffer.size() < length + 64) buffer.resize(length + 64);
            file.Read(begin, length, buffer.data());
            std::memset(buffer.data() + length, 0, 64);
            results[worker].Reset(static_cast<size_t>(options.shard_count));
            ParseChunk(chunk_context, buffer.data(), buffer.data() + length, &state->sinks[worker],
                       &results[worker]);
          });
          for (uint64_t worker = 0; worker < round_chunks; ++worker) {
            tally.Add(results[worker], options.shard, options.skip_bad_rows);
          }
        });
        next_chunk += round_chunks;
        parsed_to = std::min(range_end, range_begin + next_chunk * block_bytes);
      }
      bool more = !tally.stopped() && !stopped && next_chunk < chunks;
      if (exchange) {
        // Send other shards' records to their ranks: per rank a u64 row count, then
        // (u32 partition, u32 size, bytes) pieces.
        const auto shards = static_cast<size_t>(options.shard_count);
        std::vector<std::string> outgoing(shards);
        for (size_t dest = 0; dest < shards; ++dest) {
          if (static_cast<int>(dest) == options.shard) continue;
          uint64_t rows = 0;  // (the results are incomplete after a failure: the count is moot)
          for (uint64_t worker = 0; worker < round_chunks && tally.fatal_kind == 0; ++worker) {
            rows += results[worker].shard_rows[dest];
          }
          std::string& out = outgoing[dest];
          out.append(reinterpret_cast<const char*>(&rows), 8);
          for (Sink& sink : state->sinks) {
            for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
              Bytes& bytes = sink.streams[dest * partitions + part_idx].bytes;
              if (bytes.empty()) continue;
              const auto part32 = static_cast<uint32_t>(part_idx);
              const auto size32 = static_cast<uint32_t>(bytes.size());
              out.append(reinterpret_cast<const char*>(&part32), 4);
              out.append(reinterpret_cast<const char*>(&size32), 4);
              out.append(bytes.data(), bytes.size());
              bytes.Clear();
            }
          }
        }
        const std::vector<std::string> incoming = AllToAll(outgoing);
        for (size_t from = 0; from < shards; ++from) {
          if (static_cast<int>(from) == options.shard) continue;
          const std::string& in = incoming[from];
          uint64_t rows = 0;
          std::memcpy(&rows, in.data(), 8);
          tally.kept_rows += rows;
          for (size_t pos = 8; pos < in.size();) {
            uint32_t part32 = 0, size32 = 0;
            std::memcpy(&part32, in.data() + pos, 4);
            std::memcpy(&size32, in.data() + pos + 4, 4);
            state->received[part32].Append(in.data() + pos + 8, size32);
            pos += 8 + size32;
          }
        }
        // Who has more to parse, and who failed (ranks after a failed one may stop).
        const char status[2] = {static_cast<char>(more), static_cast<char>(tally.stopped())};
        const std::vector<std::string> statuses = AllGather(std::string(status, 2));
        bool anyone_more = false;
        for (size_t rank = 0; rank < statuses.size(); ++rank) {
          if (statuses[rank][1] != 0 && static_cast<int>(rank) < options.shard) stopped = true;
          if (statuses[rank][0] != 0) anyone_more = true;
        }
        more = anyone_more;
      }
      locally(maybe_spill);
      if (options.progress) {
        options.progress(IngestProgress{parsed_to - range_begin, tally.rows,
                                        range_end - range_begin, parsed_to - range_begin});
      }
      if (!more) break;
    }
    // Combine the ranks' tallies in file order: line numbers, totals, the first error.
    const std::vector<std::string> tallies =
        exchange ? AllGather(tally.Serialize()) : std::vector<std::string>{tally.Serialize()};
    uint64_t lines_before = 1;  // the header
    const uint64_t own_kept = tally.kept_rows;
    stats.rows = stats.bad_rows = 0;
    stats.min_day = INT32_MAX;
    stats.max_day = INT32_MIN;
    // Every rank finds the same error in the same tallies.
    auto fail = [&](const auto& error) {
      if (exchange) throw Collective<std::decay_t<decltype(error)>>(error);
      throw error;
    };
    for (const std::string& bytes : tallies) {
      const Tally rank_tally = exchange ? Tally::Deserialize(bytes) : tally;
      for (const RowError& error : rank_tally.errors) {
        const auto line = static_cast<long>(lines_before + error.local_line);
        if (rank_tally.failed) fail(InputError(name, line, error.column, error.message));
        if (stats.bad_row_examples.size() < kMaxBadRowExamples) {
          stats.bad_row_examples.push_back(
              InputError(name, line, error.column, error.message).what());
        }
      }
      if (rank_tally.fatal_kind == 1) fail(InputError(rank_tally.fatal_message));
      if (rank_tally.fatal_kind != 0) fail(ComputeError(rank_tally.fatal_message));
      lines_before += rank_tally.lines;
      stats.rows += rank_tally.rows;
      stats.bad_rows += rank_tally.bad_rows;
      stats.min_day = std::min(stats.min_day, rank_tally.min_day);
      stats.max_day = std::max(stats.max_day, rank_tally.max_day);
    }
    stats.kept_rows = own_kept;
    stats.bytes = size;
  } else {
    // Compressed input: one stream, read in blocks, each split at line boundaries into pieces
    // parsed in parallel. Under MPI every rank reads the whole stream and keeps its users, and the
    // ranks agree on a failure at the end (they usually fail alike, but one may fail alone).
    agree([&] {
      std::vector<char> buffer(block_bytes * static_cast<size_t>(threads) + (1 << 16) + 64);
      const size_t capacity = buffer.size() - 64;  // the parser may read 63 bytes past a piece
      size_t filled = 0;
      bool at_eof = false;
      auto fill = [&](long line) {
        while (!at_eof && filled < capacity) {
          const size_t got = source->Read(buffer.data() + filled, capacity - filled, line);
          if (got == 0) at_eof = true;
          filled += got;
          stats.bytes += got;
        }
      };
      fill(1);
      const char* header_end = static_cast<const char*>(std::memchr(buffer.data(), '\n', filled));
      if (filled == 0) throw InputError(name, 1, 0, "empty file (expected a header row)");
      if (header_end == nullptr && !at_eof) throw InputError(name, 1, 0, "header line too long");
      const size_t header_len =
          header_end == nullptr ? filled : static_cast<size_t>(header_end - buffer.data());
      const Layout layout = ParseHeader(name, std::string_view(buffer.data(), header_len));
      ParseContext piece_context = context;
      piece_context.layout = &layout;
      size_t start = std::min(filled, header_len + 1);
      while (true) {
        // The block to parse: [start, block_end) ends after the last complete line (or at EOF).
        size_t block_end = filled;
        if (!at_eof) {
          const char* last_newline = nullptr;
          for (size_t pos = filled; pos > start; --pos) {
            if (buffer[pos - 1] == '\n') {
              last_newline = buffer.data() + pos - 1;
              break;
            }
          }
          if (last_newline == nullptr) {
            if (start == 0 && filled == capacity) {
              throw InputError(name, static_cast<long>(tally.lines + 2), 0, "line too long");
            }
            block_end = start;  // nothing complete yet: read more
          } else {
            block_end = static_cast<size_t>(last_newline - buffer.data()) + 1;
          }
        }
        if (block_end > start) {
          std::vector<std::pair<size_t, size_t>> pieces;
          const size_t piece_size = (block_end - start) / static_cast<size_t>(threads) + 1;
          size_t piece_start = start;
          for (int thread_idx = 0; thread_idx < threads && piece_start < block_end; ++thread_idx) {
            size_t piece_end = std::min(block_end, piece_start + piece_size);
            if (thread_idx == threads - 1) piece_end = block_end;
            while (piece_end < block_end && buffer[piece_end - 1] != '\n') ++piece_end;
            pieces.emplace_back(piece_start, piece_end);
            piece_start = piece_end;
          }
          run_workers(pieces.size(), [&](size_t worker) {
            results[worker].Reset(static_cast<size_t>(options.shard_count));
            ParseChunk(piece_context, buffer.data() + pieces[worker].first,
                       buffer.data() + pieces[worker].second, &state->sinks[worker],
                       &results[worker]);
          });
          for (size_t piece_idx = 0; piece_idx < pieces.size(); ++piece_idx) {
            tally.Add(results[piece_idx], options.shard, options.skip_bad_rows);
          }
          if (tally.failed) {
            const RowError& error = tally.errors.front();
            throw InputError(name, static_cast<long>(1 + error.local_line), error.column,
                             error.message);
          }
          maybe_spill();
          if (options.progress) {
            options.progress(IngestProgress{stats.bytes - (filled - block_end), tally.rows,
                                            file_size, source->consumed()});
          }
        }
        if (at_eof && block_end >= filled) break;
        // Keep the incomplete tail, refill.
        std::memmove(buffer.data(), buffer.data() + block_end, filled - block_end);
        filled -= block_end;
        start = 0;
        fill(static_cast<long>(tally.lines + 2));
      }
      for (const RowError& error : tally.errors) {
        stats.bad_row_examples.push_back(
            InputError(name, static_cast<long>(1 + error.local_line), error.column, error.message)
                .what());
      }
      stats.rows = tally.rows;
      stats.bad_rows = tally.bad_rows;
      stats.kept_rows = tally.kept_rows;
      stats.min_day = tally.min_day;
      stats.max_day = tally.max_day;
    });
  }
  agree([&] {
    if (stats.spilled) state->Spill(options.temp_dir);
  });
  if (stats.rows == stats.bad_rows) {
    stats.min_day = 0;
    stats.max_day = 0;
  }
  return EventStore(std::move(state));
}

void EventStore::ForEachUser(
    int threads, const std::function<void(size_t worker, const UserTrace& trace)>& fn) const {
  threads = ResolveThreads(threads);
  std::atomic<size_t> next_partition{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&](size_t worker) {
    std::string loaded;
    struct Record {
      uint32_t user;
      uint32_t location;
      uint16_t day;
      int8_t hour;
    };
    std::vector<Record> records;
    std::vector<std::string_view> users;
    std::vector<std::string_view> locations;
    std::unordered_map<std::string_view, uint32_t> user_index;
    std::unordered_map<std::string_view, uint32_t> loc_index;
    std::vector<uint32_t> loc_rank;
    std::vector<uint32_t> user_offsets;
    std::vector<uint32_t> fill_at;
    std::vector<uint64_t> keys;
    std::vector<std::string_view> pieces;
    KeySorter sorter;
    UserTrace trace;
    try {
      while (true) {
        const size_t part_idx = next_partition.fetch_add(1);
        if (part_idx >= state_->partitions) break;
        pieces.clear();
        if (state_->file_bytes[part_idx] > 0) {
          loaded.resize(state_->file_bytes[part_idx]);
          std::ifstream file(state_->PartitionFile(part_idx), std::ios::binary);
          file.read(loaded.data(), static_cast<std::streamsize>(loaded.size()));
          if (!file) throw Error("cannot read temporary partition file");
          pieces.push_back(loaded);
        }
        for (size_t sink_idx = 0; sink_idx < state_->sinks.size(); ++sink_idx) {
          const Bytes& own = state_->Own(sink_idx, part_idx);
          if (!own.empty()) pieces.push_back(own.view());
        }
        if (!state_->received.empty() && !state_->received[part_idx].empty()) {
          pieces.push_back(state_->received[part_idx].view());
        }
        if (pieces.empty()) continue;
        // Decode (see WriteRecord) and intern.
        records.clear();
        users.clear();
        locations.clear();
        user_index.clear();
        loc_index.clear();
        // A length-prefixed name at `at` (advanced past it), interned into `index` / `names`.
        auto intern = [](const char*& at, std::unordered_map<std::string_view, uint32_t>& index,
                         std::vector<std::string_view>& names) {
          uint16_t length = 0;
          std::memcpy(&length, at, 2);
          const std::string_view name(at + 2, length);
          at += 2 + length;
          const auto [it, inserted] = index.try_emplace(name, static_cast<uint32_t>(names.size()));
          if (inserted) names.push_back(name);
          return it->second;
        };
        for (const std::string_view bytes : pieces) {
          uint32_t user_idx = 0, loc_idx = 0;
          const char* at = bytes.data();
          const char* const end = at + bytes.size();
          while (at < end) {
            uint32_t word = 0;
            std::memcpy(&word, at, 4);
            at += 4;
            if (word & kNewUser) user_idx = intern(at, user_index, users);
            if (word & kNewLocation) loc_idx = intern(at, loc_index, locations);
            records.push_back(Record{user_idx, loc_idx, static_cast<uint16_t>(word & kDayMask),
                                     static_cast<int8_t>(static_cast<int>((word >> 16) & 31) - 1)});
          }
        }
        // Natural rank of each location.
        std::vector<uint32_t> by_name(locations.size());
        for (uint32_t rank = 0; rank < by_name.size(); ++rank) by_name[rank] = rank;
        std::sort(by_name.begin(), by_name.end(),
                  [&](uint32_t a, uint32_t b) { return NaturalLess(locations[a], locations[b]); });
        loc_rank.assign(locations.size(), 0);
        sorter.slot_of_rank.assign(locations.size(), UINT32_MAX);
        for (uint32_t rank = 0; rank < by_name.size(); ++rank) loc_rank[by_name[rank]] = rank;
        // Counting sort by user; key = rank << 33 | day << 1 | night.
        user_offsets.assign(users.size() + 1, 0);
        for (const Record& record : records) ++user_offsets[record.user + 1];
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          user_offsets[user_idx + 1] += user_offsets[user_idx];
        }
        keys.resize(records.size());
        fill_at.assign(user_offsets.begin(), user_offsets.end() - 1);
        for (const Record& record : records) {
          const bool night = record.hour >= 0 && (record.hour <= 9 || record.hour >= 19);
          keys[fill_at[record.user]++] = (uint64_t{loc_rank[record.location]} << 33) |
                                         (uint64_t{record.day} << 1) | (night ? 1 : 0);
        }
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          const uint64_t* first = keys.data() + user_offsets[user_idx];
          const uint64_t* last = keys.data() + user_offsets[user_idx + 1];
          if (!std::is_sorted(first, last)) {
            const uint64_t* sorted = SortKeys(keys.data() + user_offsets[user_idx],
                                              keys.data() + user_offsets[user_idx + 1], &sorter);
            last = sorted + (last - first);
            first = sorted;
          }
          trace.Clear();
          trace.user_id = users[user_idx];
          uint64_t current_rank = UINT64_MAX;
          int64_t current_day = INT64_MIN;
          for (const uint64_t* key = first; key < last; ++key) {
            const uint64_t rank = *key >> 33;
            const auto day = static_cast<int32_t>((*key >> 1) & 0xffffffffu);
            if (rank != current_rank) {
              if (current_rank != UINT64_MAX) {
                trace.offsets.push_back(static_cast<uint32_t>(trace.days.size()));
              }
              trace.locations.push_back(locations[by_name[rank]]);
              current_rank = rank;
              current_day = INT64_MIN;
            }
            if (day != current_day) {
              trace.days.push_back(day);
              trace.records.push_back(0);
              trace.night_records.push_back(0);
              current_day = day;
            }
            ++trace.records.back();
            trace.night_records.back() += static_cast<uint32_t>(*key & 1);
          }
          trace.offsets.push_back(static_cast<uint32_t>(trace.days.size()));
          fn(worker, trace);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next_partition.store(state_->partitions);
    }
  };
  std::vector<std::thread> workers;
  for (int worker = 1; worker < threads; ++worker) {
    workers.emplace_back(work, static_cast<size_t>(worker));
  }
  work(0);
  for (std::thread& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kazmig::traces

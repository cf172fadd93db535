#include "kazmig/traces/internal/event_parser.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces::internal {
namespace {

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

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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
// Also gives the month of the date: `month_base` + mday is the day number of its mday (1 ..
// `month_days`).
inline bool FastYmd(std::string_view text, int32_t* day, int32_t* month_base, int32_t* month_days) {
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
  *month_base = tables.year_start[year - kMinPlausibleYear] + tables.month_start[leap][month] - 1;
  *month_days = tables.month_days[leap][month];
  *day = *month_base + mday;
  return true;
}

// Positions of the bytes that matter to the row splitter ('\n', the delimiter and '"') in
// [begin, end), in order, found 64 bytes at a time with a bit mask. The bytes up to 63 past `end`
// must be readable (they are ignored).
class Scanner {
 public:
  Scanner(const char* begin, const char* end, char delimiter)
      : block_(begin), end_(end), delimiter_(delimiter) {
    mask_ = block_ < end_ ? Mask(block_) : 0;
  }
  // Drops the positions before `at` (at or after those returned so far, at most `end`).
  void SkipTo(const char* at) {
    if (at < block_ + 64) {
      mask_ &= ~uint64_t{0} << (at - block_);
    } else {
      block_ = at;
      mask_ = at < end_ ? Mask(at) : 0;
    }
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

// Whether the `size` bytes at `a` and `b` are equal; up to 16 bytes past each may be read when
// `size` <= 32 (the chunk's padding).
inline bool SameLine(const char* a, const char* b, size_t size) {
#ifdef __SSE2__
  if (size <= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    const auto equal = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
    const uint32_t wanted = (uint32_t{1} << size) - 1;
    return (equal & wanted) == wanted;
  }
  if (size <= 32) {
    const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i y0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + size - 16));
    const __m128i y1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + size - 16));
    return _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x0, y0), _mm_cmpeq_epi8(x1, y1))) ==
           0xffff;
  }
#endif
  return std::memcmp(a, b, size) == 0;
}

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

// The error paths of ParseChunk, out of line so that its row loop stays small.
[[gnu::cold, gnu::noinline]] void AddRowError(ChunkResult* result, bool skip_bad_rows,
                                              uint64_t line, long column,
                                              const std::string& message) {
  if (result->errors.size() < (skip_bad_rows ? kMaxBadRowExamples : 1)) {
    result->errors.push_back({line, column, message});
  }
}
[[gnu::cold, gnu::noinline]] std::string FieldCountMessage(size_t needed, long found) {
  return "expected at least " + std::to_string(needed) + " fields, found " + std::to_string(found);
}
[[gnu::cold, gnu::noinline]] std::string DateMessage(DateStatus status, std::string_view field) {
  return status == DateStatus::kMalformed
             ? "malformed date '" + std::string(field) + "' (expected YYYYMMDD or ISO 8601)"
             : "implausible date '" + std::string(field) + "' (outside " +
                   std::to_string(kMinPlausibleYear) + ".." + std::to_string(kMaxPlausibleYear) +
                   ")";
}

}  // namespace

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

namespace {

// ParseChunk, with the usual layout (`user_id,date,location`, comma separated) as constants when
// kUsual, which leaves the row loop fewer values to keep in registers.
template <bool kUsual>
void ParseLines(const ParseContext& context, const char* begin, const char* end, Sink* sink,
                ChunkResult* result) {
  const Layout& layout = *context.layout;
  const size_t needed = kUsual ? 3 : layout.needed;
  const auto shard_count = static_cast<uint64_t>(context.shard_count);
  const size_t partitions = context.partitions;
  std::string_view last_user;
  std::string_view last_location;
  bool have_user = false;    // last_user names the user of the last good row
  Stream* stream = nullptr;  // of the last user (nullptr: another shard's, not kept)
  uint64_t* shard_rows = nullptr;
  std::string_view last_date;  // events of one user-day share their date text: parse it once
  DayTime last_when;
  // The month of the last date parsed by FastYmd: its YYYYMM bytes (low 48 bits; no month has
  // none) and day numbers.
  uint64_t ymd_month = ~uint64_t{0};
  int32_t month_base = 0;
  int32_t month_days = 0;
  std::string scratch[3];
  std::string_view fields[3];
  const char* small_delimiters[16];
  std::vector<const char*> large_delimiters(needed > 16 ? needed : 0);
  const char** const delimiters = needed > 16 ? large_delimiters.data() : small_delimiters;
  const size_t user_col = kUsual ? 0 : layout.user_col;
  const size_t date_col = kUsual ? 1 : layout.date_col;
  const size_t loc_col = kUsual ? 2 : layout.loc_col;
  // The counters stay in locals (registers) and go to `result` at the end: results of workers
  // parsing at once may share a cache line.
  uint64_t lines = 0, rows = 0, bad_rows = 0;
  int32_t min_day = INT32_MAX, max_day = INT32_MIN;
  std::vector<uint64_t> shard_counts(static_cast<size_t>(shard_count), 0);
  auto fail = [&](long column, const std::string& message) {
    ++bad_rows;
    AddRowError(result, context.skip_bad_rows, lines, column, message);
  };
  const std::function<void(long, std::string)> fail_function = fail;
  // Fields are checked for NUL bytes only when the chunk has one (one fast pass here).
  const bool has_nul = std::memchr(begin, 0, static_cast<size_t>(end - begin)) != nullptr;
  // The last good row's line when it was written (unquoted): an identical line is the same row
  // again (several events of a user-day), which only counts a repeat of its record.
  const char* repeat_line = nullptr;
  size_t repeat_size = 0;
  size_t repeat_whole = 0;  // its size with its '\n' (0: the line had none)
  Scanner scanner(begin, end, kUsual ? ',' : layout.delimiter);
  const char* cursor = begin;
  while (cursor < end) {
    // The same bytes again up to the '\n': the same row, found without splitting the line.
    if (kUsual && repeat_whole != 0 && repeat_whole <= static_cast<size_t>(end - cursor) &&
        SameLine(cursor, repeat_line, repeat_whole)) {
      ++lines;
      ++rows;
      ++*shard_rows;
      WriteRecord(sink, stream, last_user, last_location, last_when.day, last_when.hour);
      cursor += repeat_whole;
      scanner.SkipTo(cursor);
      continue;
    }
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
    ++lines;
    const char* stop = line_end;
    if (stop > cursor && stop[-1] == '\r') --stop;
    if (stop == cursor) {  // blank line
      cursor = next;
      continue;
    }
    ++rows;
    const auto line_size = static_cast<size_t>(stop - cursor);
    if (line_size == repeat_size && !quoted && SameLine(cursor, repeat_line, line_size)) {
      ++*shard_rows;
      WriteRecord(sink, stream, last_user, last_location, last_when.day, last_when.hour);
      cursor = next;
      continue;
    }
    repeat_line = nullptr;
    repeat_size = 0;
    repeat_whole = 0;
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
      fail(field_count + 1, FieldCountMessage(needed, field_count));
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
      // The column of the long field (the user id when both are).
      fail(static_cast<long>((user.size() > 65535 ? user_col : loc_col) + 1),
           "field longer than 65535 bytes");
      cursor = next;
      continue;
    }
    // A NUL byte is no text (a binary file, or /dev/zero cut by a line end): an error at its
    // column, as in the CSV reader.
    if (has_nul && (std::memchr(user.data(), 0, user.size()) != nullptr ||
                    std::memchr(location.data(), 0, location.size()) != nullptr)) {
      const bool in_user = std::memchr(user.data(), 0, user.size()) != nullptr;
      fail(static_cast<long>((in_user ? user_col : loc_col) + 1), "NUL byte: not a text file");
      cursor = next;
      continue;
    }
    DayTime when = last_when;
    DateStatus status = DateStatus::kOk;
    if (fields[1].empty() || !SameText(fields[1], last_date)) {
      uint64_t word = 0;
      if (fields[1].size() == 8) std::memcpy(&word, fields[1].data(), 8);
      // Another day of the month last read as YYYYMMDD: only the day's digits are new (bytes
      // 6 and 7; `ymd_month` holds the first six, which are valid).
      const auto tens = static_cast<uint32_t>(((word >> 48) & 0xff) - '0');
      const auto units = static_cast<uint32_t>((word >> 56) - '0');
      const auto mday = static_cast<int32_t>(tens * 10 + units);
      if (fields[1].size() == 8 && ((word ^ ymd_month) & 0xffffffffffffULL) == 0 && tens <= 9 &&
          units <= 9 && mday >= 1 && mday <= month_days) {
        when.day = month_base + mday;
        when.hour = -1;
      } else if (FastYmd(fields[1], &when.day, &month_base, &month_days)) {
        when.hour = -1;
        ymd_month = word;
      } else {
        status = ParseEventDate(fields[1], &when);
      }
    }
    if (status != DateStatus::kOk) {
      fail(static_cast<long>(date_col + 1), DateMessage(status, fields[1]));
      cursor = next;
      continue;
    }
    if (!quoted) {  // only views into the chunk, never into the unquote scratch
      last_date = fields[1];
      last_when = when;
    }
    min_day = std::min(min_day, when.day);
    max_day = std::max(max_day, when.day);
    if (!have_user || !SameText(user, last_user)) {
      const uint64_t hash = HashUser(user);
      const uint64_t shard = hash % shard_count;
      const size_t part_idx = (hash / shard_count) % partitions;
      const bool keep = context.keep_all_shards || static_cast<int>(shard) == context.shard;
      stream = keep ? &sink->streams[shard * partitions + part_idx] : nullptr;
      shard_rows = &shard_counts[shard];
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
    if (!quoted) {
      repeat_line = cursor;
      repeat_size = line_size;
      repeat_whole = line_end < end ? static_cast<size_t>(next - cursor) : 0;
    }
    cursor = next;
  }
  result->lines += lines;
  result->rows += rows;
  result->bad_rows += bad_rows;
  result->min_day = std::min(result->min_day, min_day);
  result->max_day = std::max(result->max_day, max_day);
  for (size_t shard = 0; shard < shard_counts.size(); ++shard) {
    result->shard_rows[shard] += shard_counts[shard];
  }
}

}  // namespace

void ParseChunk(const ParseContext& context, const char* begin, const char* end, Sink* sink,
                ChunkResult* result) {
  const Layout& layout = *context.layout;
  if (layout.delimiter == ',' && layout.needed == 3 && layout.user_col == 0 &&
      layout.date_col == 1 && layout.loc_col == 2) {
    ParseLines<true>(context, begin, end, sink, result);
  } else {
    ParseLines<false>(context, begin, end, sink, result);
  }
}

void Tally::Add(const ChunkResult& result, int shard, bool skip_bad_rows) {
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

std::string Tally::Serialize() const {
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
Tally Tally::Deserialize(std::string_view in) {
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

}  // namespace kazmig::traces::internal

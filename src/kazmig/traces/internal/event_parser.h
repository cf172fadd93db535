// The event parser of the streaming ingest (ingest.cc): the header of an event file, and the rows
// of a chunk of whole lines, split, checked and written as records (record_codec.h) to the
// partition streams of their users. Internal to traces.
//
//   const Layout layout = ParseHeader("events.csv", "user_id,date,location");
//   ParseContext context{&layout, /*skip_bad_rows=*/false, 0, 1, partitions, false};
//   Sink sink;
//   sink.streams.resize(partitions);
//   ChunkResult result;
//   result.Reset(1);
//   ParseChunk(context, text.data(), text.data() + length, &sink, &result);  // 63 bytes readable
//                                                                            // past the end
//   if (!result.errors.empty()) Report(result.errors.front());  // line within the chunk
//   tally.Add(result, /*shard=*/0, /*skip_bad_rows=*/false);      // chunks in line order
//
// Rows are `user_id`, `date` and `location` fields (any order, found by the header; `,`, `;` or
// tab separated; RFC 4180 quotes on one line). Dates are `YYYYMMDD` or ISO 8601 (dates.h).
#ifndef KAZMIG_TRACES_INTERNAL_EVENT_PARSER_H_
#define KAZMIG_TRACES_INTERNAL_EVENT_PARSER_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/traces/internal/record_codec.h"

namespace kazmig::traces::internal {

// Bad rows whose messages are kept (with skip_bad_rows), per chunk and in all.
constexpr size_t kMaxBadRowExamples = 5;

// Where the wanted columns of an event file are.
struct Layout {
  char delimiter = ',';
  size_t user_col = 0;
  size_t date_col = 0;
  size_t loc_col = 0;
  size_t needed = 0;  // fields needed: max column + 1
};

// Removes spaces and tabs around `text`, and a trailing '\r'.
__attribute__((always_inline)) inline std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (text.empty() || (!blank(text.front()) && !blank(text.back()) && text.back() != '\r')) {
    return text;  // the usual field
  }
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && (blank(text.back()) || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Reads the header line (without its '\n'; a UTF-8 BOM and a '\r' are dropped): the delimiter is
// the most frequent of ',', ';' and tab; columns are matched case-insensitively. Throws
// InputError "NAME:1:1: missing required column 'date' (columns: ...)".
Layout ParseHeader(const std::string& name, std::string_view line);

struct RowError {
  uint64_t local_line = 0;  // 1-based line within the chunk
  long column = 0;
  std::string message;
};

// What one worker produces from one chunk of lines (cache-line aligned: the results of workers
// parsing at once sit side by side).
struct alignas(64) ChunkResult {
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

// Parses the lines [begin, end) (whole lines; the last may lack its '\n') into the sink's
// streams: a row goes to stream shard * partitions + partition of its user's hash, unless it is
// another shard's and `keep_all_shards` is off. Bad rows are counted in `result` with their
// messages (the first one only, unless skip_bad_rows: then up to kMaxBadRowExamples). Up to 63
// bytes past `end` must be readable.
void ParseChunk(const ParseContext& context, const char* begin, const char* end, Sink* sink,
                ChunkResult* result);

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

  // Adds a chunk's result (the next lines in order): its errors move to this tally's line numbers;
  // the first error without skip_bad_rows marks the tally failed.
  void Add(const ChunkResult& result, int shard, bool skip_bad_rows);

  // The tally as bytes for AllGather (MPI), and back.
  std::string Serialize() const;
  static Tally Deserialize(std::string_view in);
};

}  // namespace kazmig::traces::internal

#endif  // KAZMIG_TRACES_INTERNAL_EVENT_PARSER_H_

// libFuzzer target for the trace event parser (src/kazmig/traces/internal/event_parser.h).
//
// The input's first line is the header, the rest the rows. A header must either parse or throw
// kazmig::InputError; any rows must parse into records or be counted as bad rows, and the records
// must decode back (record_codec.h) to what was counted. Crashes, sanitizer reports, hangs, other
// exceptions and broken counts are bugs. Run with `make fuzz` (FUZZ_SECONDS=N to set the
// duration); seeds are in tests/fuzz/corpus/events.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/traces/internal/event_parser.h"
#include "kazmig/traces/internal/record_codec.h"

namespace {

namespace internal = kazmig::traces::internal;

void Require(bool ok) {
  if (!ok) std::abort();
}

// Parses `body` (whole lines) with the given settings and checks the records it wrote.
void ParseAndCheck(const internal::Layout& layout, std::string_view body, bool skip_bad_rows,
                   int shard_count) {
  constexpr size_t kPartitions = 3;
  const internal::ParseContext context{&layout, skip_bad_rows, 0, shard_count, kPartitions, true};
  // The parser may read up to 63 bytes past the end of its chunk.
  std::vector<char> buffer(body.size() + 64, '\0');
  std::copy(body.begin(), body.end(), buffer.begin());
  internal::Sink sink;
  sink.streams.resize(static_cast<size_t>(shard_count) * kPartitions);
  internal::ChunkResult result;
  result.Reset(static_cast<size_t>(shard_count));
  internal::ParseChunk(context, buffer.data(), buffer.data() + body.size(), &sink, &result);

  uint64_t lines = 0;
  for (char c : body) lines += c == '\n';
  if (!body.empty() && body.back() != '\n') ++lines;
  Require(result.lines == lines);
  Require(result.bad_rows <= result.rows && result.rows <= result.lines);
  Require(result.errors.size() <= (skip_bad_rows ? internal::kMaxBadRowExamples : 1));
  Require(result.errors.empty() == (result.bad_rows == 0));
  uint64_t written = 0;
  for (uint64_t shard_rows : result.shard_rows) written += shard_rows;
  Require(written == result.rows - result.bad_rows);

  uint64_t decoded = 0;
  for (const internal::Stream& stream : sink.streams) {
    internal::RecordReader reader(stream.bytes.view());
    internal::DecodedRecord record;
    bool first = true;
    while (reader.Next(&record)) {
      Require(!first || (record.new_user && record.new_location));
      first = false;
      Require(!record.user.empty() && !record.location.empty());
      Require(record.day >= result.min_day && record.day <= result.max_day);
      Require(record.hour >= -1 && record.hour <= 23);
      decoded += record.count;
    }
  }
  Require(decoded == written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t header_end = text.find('\n');
  const std::string_view header = text.substr(0, header_end);
  const std::string_view body =
      header_end == std::string_view::npos ? std::string_view() : text.substr(header_end + 1);
  internal::Layout layout;
  try {
    layout = internal::ParseHeader("fuzz.csv", header);
  } catch (const kazmig::InputError&) {
    return 0;
  }
  ParseAndCheck(layout, body, false, 1);
  ParseAndCheck(layout, body, true, 2);
  return 0;
}

#include "kazmig/traces/internal/event_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/internal/record_codec.h"

namespace kazmig::traces::internal {
namespace {

struct Decoded {
  std::string user;
  std::string location;
  int day;
  int hour;
};

// Parses `body` into one partition of one shard and decodes what was written.
std::vector<Decoded> ParseAndDecode(const Layout& layout, const std::string& body,
                                    ChunkResult* result, bool skip_bad_rows = false) {
  const ParseContext context{&layout, skip_bad_rows, 0, 1, 1, false};
  std::string padded = body + std::string(64, '\0');
  Sink sink;
  sink.streams.resize(1);
  result->Reset(1);
  ParseChunk(context, padded.data(), padded.data() + body.size(), &sink, result);
  std::vector<Decoded> decoded;
  RecordReader reader(sink.streams[0].bytes.view());
  DecodedRecord record;
  std::string user, location;
  while (reader.Next(&record)) {
    if (record.new_user) user = record.user;
    if (record.new_location) location = record.location;
    for (int copy = 0; copy < record.count; ++copy) {
      decoded.push_back({user, location, record.day, record.hour});
    }
  }
  return decoded;
}

TEST(EventParser, RepeatedRowsShareOneRecordUpToTheRepeatLimit) {
  const Layout layout = ParseHeader("e.csv", "user_id,date,location");
  std::string body;
  for (int row = 0; row < 600; ++row) body += "u1,20180101,A\n";
  body += "u1,2018-01-01T05:00,A\nu1,2018-01-01T05:59,A\nu1,20180101,B\nu2,20180101,B\n";
  const ParseContext context{&layout, false, 0, 1, 1, false};
  std::string padded = body + std::string(64, '\0');
  Sink sink;
  sink.streams.resize(1);
  ChunkResult result;
  result.Reset(1);
  ParseChunk(context, padded.data(), padded.data() + body.size(), &sink, &result);
  RecordReader reader(sink.streams[0].bytes.view());
  std::vector<int> counts;
  for (DecodedRecord record; reader.Next(&record);) counts.push_back(record.count);
  // 512 rows at most per record; the same day with an hour is another record (both hours 5 share
  // it); another location or user starts a new record.
  EXPECT_EQ(counts, (std::vector<int>{512, 88, 2, 1, 1}));
  EXPECT_EQ(result.shard_rows[0], 604u);
}

TEST(EventParser, HeaderFindsColumnsAndDelimiter) {
  const Layout semicolons = ParseHeader("e.csv", "\xEF\xBB\xBFLocation; \"USER_ID\" ;date;x\r");
  EXPECT_EQ(semicolons.delimiter, ';');
  EXPECT_EQ(semicolons.user_col, 1u);
  EXPECT_EQ(semicolons.date_col, 2u);
  EXPECT_EQ(semicolons.loc_col, 0u);
  EXPECT_EQ(semicolons.needed, 3u);
  EXPECT_EQ(ParseHeader("e.csv", "user_id\tdate\tlocation").delimiter, '\t');
  try {
    ParseHeader("e.csv", "user_id,day,location");
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "e.csv:1:1: missing required column 'date' (columns: user_id, day, location)");
  }
}

TEST(EventParser, RowsBecomeRecordsThatDecodeBack) {
  const Layout layout = ParseHeader("e.csv", "user_id,date,location");
  ChunkResult result;
  const std::vector<Decoded> decoded = ParseAndDecode(
      layout,
      "u1,20180101,A\nu1,20180101,A\n\nu1,2018-01-02T22:00,B\r\n\"u,2\",20180103,\"C\"\"D\"\nu3, "
      "20180104 , E",
      &result);
  EXPECT_EQ(result.lines, 6u);
  EXPECT_EQ(result.rows, 5u);
  EXPECT_EQ(result.bad_rows, 0u);
  EXPECT_EQ(result.min_day, DaysFromCivil(2018, 1, 1));
  EXPECT_EQ(result.max_day, DaysFromCivil(2018, 1, 4));
  ASSERT_EQ(decoded.size(), 5u);
  EXPECT_EQ(decoded[1].user, "u1");
  EXPECT_EQ(decoded[1].location, "A");
  EXPECT_EQ(decoded[2].location, "B");
  EXPECT_EQ(decoded[2].hour, 22);
  EXPECT_EQ(decoded[0].hour, -1);
  EXPECT_EQ(decoded[3].user, "u,2");
  EXPECT_EQ(decoded[3].location, "C\"D");
  EXPECT_EQ(decoded[4].user, "u3");
  EXPECT_EQ(decoded[4].location, "E");
  EXPECT_EQ(decoded[4].day, DaysFromCivil(2018, 1, 4));
}

TEST(EventParser, BadRowsAreCountedWithTheirPlace) {
  const Layout layout = ParseHeader("e.csv", "user_id,date,location");
  ChunkResult result;
  const std::string body = "u1,20180101,A\nu1,2018-02-30,A\n,20180101,A\nu1,20180101\n";
  EXPECT_EQ(ParseAndDecode(layout, body, &result).size(), 1u);
  EXPECT_EQ(result.bad_rows, 3u);
  ASSERT_EQ(result.errors.size(), 1u);  // without skip_bad_rows only the first is kept
  EXPECT_EQ(result.errors[0].local_line, 2u);
  EXPECT_EQ(result.errors[0].column, 2);
  EXPECT_NE(result.errors[0].message.find("malformed date '2018-02-30'"), std::string::npos);
  ParseAndDecode(layout, body, &result, /*skip_bad_rows=*/true);
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[1].message, "empty user_id");
  EXPECT_EQ(result.errors[2].message, "expected at least 3 fields, found 2");

  // A tally moves the errors to its lines and survives serialisation (MPI).
  Tally tally;
  tally.Add(result, 0, true);
  tally.Add(result, 0, true);
  EXPECT_EQ(tally.lines, 8u);
  EXPECT_EQ(tally.bad_rows, 6u);
  EXPECT_FALSE(tally.failed);
  ASSERT_EQ(tally.errors.size(), kMaxBadRowExamples);
  EXPECT_EQ(tally.errors[3].local_line, 4u + 2u);
  const Tally copy = Tally::Deserialize(tally.Serialize());
  EXPECT_EQ(copy.lines, tally.lines);
  EXPECT_EQ(copy.rows, tally.rows);
  EXPECT_EQ(copy.min_day, tally.min_day);
  ASSERT_EQ(copy.errors.size(), tally.errors.size());
  EXPECT_EQ(copy.errors[4].message, tally.errors[4].message);
  EXPECT_EQ(copy.errors[4].column, tally.errors[4].column);
}

}  // namespace
}  // namespace kazmig::traces::internal

#include "kazmig/io/csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::io {
namespace {

std::vector<std::vector<std::string>> ReadAll(CsvReader& csv) {
  std::vector<std::vector<std::string>> rows;
  while (csv.Next()) {
    std::vector<std::string> row;
    for (size_t col = 0; col < csv.field_count(); ++col) row.emplace_back(csv.Field(col));
    rows.push_back(row);
  }
  return rows;
}

// Runs `body` and returns the InputError message it throws (fails the test when none is thrown).
template <typename F>
std::string InputErrorOf(F body) {
  try {
    body();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

TEST(CsvReader, ReadsQuotedFieldsEscapesAndEmbeddedNewlines) {
  auto csv = CsvReader::FromString(
      "t.csv", "orig,dest,note\r\nA,B,\"say \"\"hi\"\"\"\r\n\"C,D\",E,\"two\nlines\"\r\nF,G,\r\n");
  EXPECT_EQ(csv.header(), (std::vector<std::string>{"orig", "dest", "note"}));
  const auto rows = ReadAll(csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][2], "say \"hi\"");
  EXPECT_EQ(rows[1][0], "C,D");
  EXPECT_EQ(rows[1][2], "two\nlines");
  EXPECT_EQ(rows[2][2], "");
}

TEST(CsvReader, TracksPhysicalLinesAcrossQuotedNewlinesAndBlankLines) {
  auto csv = CsvReader::FromString("t.csv", "a,b\n1,\"x\ny\"\n\n2,z\n");
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.line(), 2);
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.line(), 5);
  EXPECT_FALSE(csv.Next());
}

TEST(CsvReader, HandlesBomAndMissingFinalNewline) {
  auto csv = CsvReader::FromString("t.csv", "\xEF\xBB\xBFRegion,Value\n75,1.5");
  EXPECT_EQ(csv.Column("region"), 0u);
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Double(1), 1.5);
  EXPECT_FALSE(csv.Next());
}

TEST(CsvReader, MatchesColumnsCaseInsensitivelyAndNamesMissingOnes) {
  auto csv = CsvReader::FromString("flows.csv", "ORIG , Dest,Flow\nA,B,1\n");
  EXPECT_EQ(csv.Column("orig"), 0u);
  EXPECT_EQ(csv.Column("dest"), 1u);
  EXPECT_EQ(csv.Column({"value", "flow"}), 2u);
  const std::string message = InputErrorOf([&] { csv.Column("year"); });
  EXPECT_EQ(message.rfind("flows.csv:1: missing required column 'year'", 0), 0u) << message;
}

TEST(CsvReader, DetectsSemicolonsAndDecimalCommas) {
  auto csv = CsvReader::FromString("t.csv", "region;value\nАстана;1 234,5\nАлматы;12,25\n");
  EXPECT_EQ(csv.delimiter(), ';');
  ASSERT_TRUE(csv.Next());
  EXPECT_THROW(csv.Double(1), InputError);  // "1 234,5": spaces inside a number are not accepted
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Field(0), "Алматы");
  EXPECT_EQ(csv.Double(1), 12.25);
}

TEST(CsvReader, DetectsWindows1251) {
  // "регион,значение\nАстана,5\n" in Windows-1251.
  const std::string text =
      "\xF0\xE5\xE3\xE8\xEE\xED,\xE7\xED\xE0\xF7\xE5\xED\xE8\xE5\n\xC0\xF1\xF2\xE0\xED\xE0,5\n";
  auto csv = CsvReader::FromString("t.csv", text);
  EXPECT_EQ(csv.encoding(), Encoding::kWindows1251);
  EXPECT_EQ(csv.header()[0], "регион");
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Field(0), "Астана");
}

// The encoding check skips ASCII eight bytes at a time: a non-ASCII byte at any offset after a
// long ASCII stretch (and a UTF-8 sequence that straddles an eight-byte word) is still seen.
TEST(CsvReader, DetectsTheEncodingAfterLongAsciiText) {
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    const std::string ascii = "region,value\n" + std::string(prefix, 'x') + ",1\n";
    // "А" (one byte in Windows-1251, two in UTF-8), then "Астана" in both.
    for (const auto& [cp1251_text, utf8_text] : {std::pair<std::string, std::string>{"\xC0", "А"},
                                                 {"\xC0\xF1\xF2\xE0\xED\xE0", "Астана"}}) {
      auto cp1251 = CsvReader::FromString("t.csv", ascii + cp1251_text + ",5\n");
      EXPECT_EQ(cp1251.encoding(), Encoding::kWindows1251) << prefix;
      ASSERT_TRUE(cp1251.Next());
      ASSERT_TRUE(cp1251.Next());
      EXPECT_EQ(cp1251.Field(0), utf8_text) << prefix;
      auto utf8 = CsvReader::FromString("t.csv", ascii + utf8_text + ",5\n");
      EXPECT_EQ(utf8.encoding(), Encoding::kUtf8) << prefix;
    }
  }
}

TEST(CsvReader, ParsesTypedFields) {
  auto csv = CsvReader::FromString("t.csv", "a,b,c,d\n -2.5e3 ,+7,,NA\n");
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Double(0), -2500.0);
  EXPECT_EQ(csv.Int(1), 7);
  EXPECT_FALSE(csv.OptionalDouble(2).has_value());
  EXPECT_FALSE(csv.OptionalDouble(3).has_value());
  EXPECT_THROW(csv.Int(0), InputError);
}

TEST(CsvReader, PlainDecimalsReadAsCorrectlyRoundedDoubles) {
  // Short plain decimals take a fast path; longer ones, exponents and signs the full parser. Both
  // must give the correctly rounded double (strtod's), bit for bit.
  const std::vector<std::string> texts = {
      "0",   "-0",    "7",           "007.50",           "0.1",
      "0.3", "2.675", "-17.350",     "123456789012345",  "1234567890.12345",
      "1e5", "+3",    "1.5E-3",      "9007199254740993", "0.000000000000001",
      "1.",  ".5",    "99999.99999", "4503599627370497", "-123.000000000001"};
  std::string text = "v\n";
  for (const auto& value : texts) text += value + "\n";
  auto csv = CsvReader::FromString("n.csv", text);
  for (const auto& value : texts) {
    ASSERT_TRUE(csv.Next());
    const double expected = std::strtod(value.c_str(), nullptr);
    const double got = csv.Double(0);
    EXPECT_EQ(got, expected) << value;
    EXPECT_EQ(std::signbit(got), std::signbit(expected)) << value;
  }
}

TEST(CsvReaderErrors, NonNumberNamesLineColumnAndField) {
  auto csv = CsvReader::FromString("flows.csv", "orig,dest,flow\nA,B,1\nA,C,abc\n");
  ASSERT_TRUE(csv.Next());
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(InputErrorOf([&] { csv.Double(2); }), "flows.csv:3:3: flow: not a number: 'abc'");
}

TEST(CsvReaderErrors, NanAndInfinityAreNotNumbers) {
  auto csv = CsvReader::FromString("t.csv", "v\nnan\ninf\n");
  ASSERT_TRUE(csv.Next());
  EXPECT_NE(InputErrorOf([&] { csv.Double(0); }).find("t.csv:2:1"), std::string::npos);
  ASSERT_TRUE(csv.Next());
  EXPECT_THROW(csv.Double(0), InputError);
}

TEST(CsvReaderErrors, RaggedRow) {
  auto csv = CsvReader::FromString("r.csv", "a,b,c\n1,2,3\n4,5\n");
  ASSERT_TRUE(csv.Next());
  const std::string message = InputErrorOf([&] { csv.Next(); });
  EXPECT_EQ(message, "r.csv:3:3: ragged row: 2 fields where the header has 3");
}

TEST(CsvReaderErrors, UnterminatedQuote) {
  auto csv = CsvReader::FromString("q.csv", "a,b\n1,\"open\n2,3\n");
  const std::string message = InputErrorOf([&] { csv.Next(); });
  EXPECT_EQ(message.rfind("q.csv:2:2: unterminated quoted field", 0), 0u) << message;
}

TEST(CsvReaderErrors, EmptyFileAndMissingFile) {
  EXPECT_EQ(InputErrorOf([] { CsvReader::FromString("e.csv", ""); }),
            "e.csv:1: empty file: no header row");
  EXPECT_THROW(CsvReader::FromString("e.csv", "\xEF\xBB\xBF\n\n"), InputError);
  EXPECT_EQ(InputErrorOf([] { CsvReader("/nonexistent/x.csv"); }),
            "/nonexistent/x.csv: cannot open file");
}

TEST(CsvReaderErrors, NotUtf8) {
  // Bytes that are neither UTF-8 nor Windows-1251 Cyrillic text.
  auto csv = CsvReader::FromString("b.csv", "a,b\nok,\x80\x81\x82\n");
  const std::string message = InputErrorOf([&] {
    while (csv.Next()) {
    }
  });
  EXPECT_EQ(message.rfind("b.csv:2:2: not valid UTF-8", 0), 0u) << message;
  EXPECT_THROW(CsvReader::FromString("n.csv", std::string("a\n\0\n", 4), {}).Next(), InputError);
  // Forcing UTF-8 rejects a Windows-1251 file instead of transcoding it.
  auto forced = CsvReader::FromString("w.csv", "a\n\xC0\xF1\n", {0, 0, Encoding::kUtf8});
  EXPECT_THROW(forced.Next(), InputError);
}

TEST(CsvReaderErrors, StrayQuoteAndDuplicateHeader) {
  auto csv = CsvReader::FromString("s.csv", "a,b\n1,x\"y\n");
  EXPECT_THROW(csv.Next(), InputError);
  EXPECT_THROW(CsvReader::FromString("d.csv", "a,A\n1,2\n"), InputError);
  EXPECT_THROW(CsvReader::FromString("d.csv", "a,,b\n1,2,3\n"), InputError);
}

TEST(CsvReader, StreamsRecordsAcrossChunkBoundaries) {
  // Larger than the reader's 1 MiB chunk, with quoted fields straddling the boundaries.
  std::string text = "id,name,value\n";
  const int rows = 60000;
  for (int row = 0; row < rows; ++row) {
    text += std::to_string(row) + ",\"name, with \"\"quotes\"\" " + std::to_string(row) + "\"," +
            std::to_string(row * 0.5) + "\r\n";
  }
  kazmig::testing::TempDir dir;
  const auto path = dir.Write("big.csv", text);
  CsvReader csv(path);
  int count = 0;
  while (csv.Next()) {
    ASSERT_EQ(csv.Int(0), count);
    ASSERT_EQ(csv.Field(1), "name, with \"quotes\" " + std::to_string(count));
    ASSERT_EQ(csv.Double(2), count * 0.5);
    ASSERT_EQ(csv.line(), count + 2);
    ++count;
  }
  EXPECT_EQ(count, rows);
}

TEST(CsvReader, KeepsMultibyteTextBesidePlainAsciiRecords) {
  // Only records with a non-ASCII byte are checked as UTF-8; valid text passes through intact.
  auto csv = CsvReader::FromString(
      "u.csv", "id,name\n1,Алматы\n2,\"Нур-Султан, г.\"\n3,plain\n4,\"«x»\"\"y\"\"\"\n");
  const auto rows = ReadAll(csv);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][1], "Алматы");
  EXPECT_EQ(rows[1][1], "Нур-Султан, г.");
  EXPECT_EQ(rows[2][1], "plain");
  EXPECT_EQ(rows[3][1], "«x»\"y\"");
}

TEST(CsvReaderErrors, NotUtf8IsLocatedWhereverTheByteIs) {
  const auto first_error = [](const std::string& text, CsvOptions options = {}) {
    return InputErrorOf([&] {
      auto csv = CsvReader::FromString("u.csv", text, options);
      while (csv.Next()) {
      }
    });
  };
  const std::string kNotUtf8 =
      "not valid UTF-8 (save the file as UTF-8, or pass --encoding windows-1251 for a "
      "Windows-1251 file)";
  const CsvOptions utf8{0, 0, Encoding::kUtf8};
  // After valid text in the same field; a sequence cut by the delimiter; one cut by the end.
  EXPECT_EQ(first_error("a,b\nok,Ал\xFF\n", utf8), "u.csv:2:2: " + kNotUtf8);
  EXPECT_EQ(first_error("a,b\n\xD0,x\n", utf8), "u.csv:2:1: " + kNotUtf8);
  EXPECT_EQ(first_error("a,b\nx,y\n1,\xD0", utf8), "u.csv:3:2: " + kNotUtf8);
  // Inside a quoted field that spans lines: the physical line, fields counted from its start.
  EXPECT_EQ(first_error("a,b\n1,\"Ал\nма\xFF\"\n", utf8), "u.csv:3:1: " + kNotUtf8);
  EXPECT_EQ(first_error(std::string("a,b\nx,y\0z\n", 10)),
            "u.csv:2:2: NUL byte at character 4: not a text file");
  // A delimiter that is not ASCII is itself checked.
  EXPECT_EQ(first_error("a\xFF"
                        "b\n",
                        {'\xFF', 0, Encoding::kUtf8}),
            "u.csv:1:1: " + kNotUtf8);
}

TEST(CsvReader, MultibyteTextAcrossChunkBoundaries) {
  // Over 1 MiB of two-byte letters, so sequences straddle the reader's chunk boundaries; an
  // invalid byte near the end is still located at its line.
  std::string text = "id,name\n";
  const int rows = 50000;
  for (int row = 0; row < rows; ++row) text += std::to_string(row) + ",Қарағанды облысы\n";
  kazmig::testing::TempDir dir;
  CsvReader csv(dir.Write("big.csv", text));
  int count = 0;
  while (csv.Next()) {
    ASSERT_EQ(csv.Field(1), "Қарағанды облысы");
    ++count;
  }
  EXPECT_EQ(count, rows);
  const auto bad_path = dir.Write("bad.csv", text + "x,\xC0\xC1\n");
  CsvReader bad(bad_path);
  const std::string message = InputErrorOf([&] {
    while (bad.Next()) {
    }
  });
  EXPECT_EQ(
      message.rfind(bad_path.string() + ":" + std::to_string(rows + 2) + ":2: not valid UTF-8", 0),
      0u)
      << message;
}

TEST(CsvWriter, QuotesOnlyWhenNeededAndRoundTrips) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.Row("a", "b,c", "say \"x\"", 0.1, 264000.0, 3L);
  writer.Row("line\nbreak", -0.0, 1e-12, 1.0 / 3.0, 7, "");
  EXPECT_EQ(
      out.str(),
      "a,\"b,c\",\"say \"\"x\"\"\",0.1,264000,3\n\"line\nbreak\",0,1e-12,0.3333333333333333,7,"
      "\n");
  auto csv = CsvReader::FromString("w.csv", "h1,h2,h3,h4,h5,h6\n" + out.str());
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Field(2), "say \"x\"");
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Field(0), "line\nbreak");
  EXPECT_EQ(csv.Double(3), 1.0 / 3.0);
}

TEST(ParseEncoding, KnownNames) {
  EXPECT_EQ(ParseEncoding("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("cp1251"), Encoding::kWindows1251);
  EXPECT_THROW(ParseEncoding("latin1"), UsageError);
}

TEST(CsvReader, BoundsTheLengthOfARecord) {
  CsvOptions options;
  options.max_record_bytes = 64;
  const std::string kTooLong =
      "record longer than 64 bytes, the limit for one CSV record (is this a CSV file?)";
  // A data record without a line end that goes on past the limit: an error naming its line.
  const std::string endless = "a,b\n1,2\n" + std::string(200, 'x');
  EXPECT_EQ(InputErrorOf([&] {
              auto csv = CsvReader::FromString("big.csv", endless, options);
              while (csv.Next()) {
              }
            }),
            "big.csv:3: " + kTooLong);
  // The same for a header, and for a quoted field that never closes.
  EXPECT_EQ(InputErrorOf([&] { CsvReader::FromString("h.csv", std::string(300, 'h'), options); }),
            "h.csv:1: " + kTooLong);
  EXPECT_NE(InputErrorOf([&] {
              auto csv = CsvReader::FromString("q.csv", "a\n\"" + std::string(300, 'q'), options);
              while (csv.Next()) {
              }
            }).find("q.csv:2:"),
            std::string::npos);
  // Records up to the limit are read.
  auto csv = CsvReader::FromString("ok.csv", "a\n" + std::string(60, 'y') + "\n", options);
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Field(0).size(), 60u);
}

TEST(CsvReader, EndlessNulStreamFailsAtTheFirstNulWithItsColumn) {
  const std::string zeros(3u << 20, '\0');
  EXPECT_EQ(InputErrorOf([&] { CsvReader::FromString("/dev/zero", zeros); }),
            "/dev/zero:1:1: NUL byte at character 1: not a text file");
}

TEST(CsvReader, DuplicateColumnCheckIsLinear) {
  // 200,000 distinct columns, then one duplicate: quadratic checking would take minutes.
  std::string header;
  for (int col = 0; col < 200000; ++col) header += "c" + std::to_string(col) + ",";
  header += "C17\n";
  EXPECT_EQ(InputErrorOf([&] { CsvReader::FromString("wide.csv", header); }),
            "wide.csv:1:200001: duplicated column name 'C17' (also column 18)");
}

// ---------------------------------------------------------------------------------------------
// Parallel reading (CsvChunks): the same records, lines and errors as the serial reader.

struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<long> lines;
  long records = 0;
  std::string error;  // the InputError message, empty when none
  bool operator==(const Parsed&) const = default;
};

// Every record of `text`, with its line, and the numbers of the column "value" (errors come from
// Double, as a reader's value errors do).
void Consume(CsvReader& csv, Parsed& out, long line_offset = 0) {
  const auto value = csv.FindColumn("value");
  while (csv.Next()) {
    std::vector<std::string> row;
    for (size_t col = 0; col < csv.field_count(); ++col) row.emplace_back(csv.Field(col));
    if (value) row.push_back(io::FormatNumber(csv.Double(*value)));
    out.rows.push_back(row);
    out.lines.push_back(csv.line() + line_offset);
  }
}

Parsed ReadSerial(const std::string& text) {
  Parsed out;
  try {
    auto csv = CsvReader::FromString("t.csv", text);
    Consume(csv, out);
    out.records = csv.records();
  } catch (const InputError& e) {
    out.error = e.what();
  }
  return out;
}

Parsed ReadChunked(const std::string& text, int threads, size_t chunk_bytes) {
  Parsed out;
  try {
    auto csv = CsvReader::FromString("t.csv", text);
    CsvChunks chunks(csv, threads, chunk_bytes);
    std::vector<Parsed> parts(chunks.slots());
    chunks.Run(
        [&](size_t slot, CsvReader& chunk) {
          parts[slot] = Parsed();
          Consume(chunk, parts[slot]);
        },
        [&](size_t slot, long line_offset) {
          for (size_t row = 0; row < parts[slot].rows.size(); ++row) {
            out.rows.push_back(parts[slot].rows[row]);
            out.lines.push_back(parts[slot].lines[row] + line_offset);
          }
        });
    out.records = csv.records();
  } catch (const InputError& e) {
    out.error = e.what();
  }
  return out;
}

// Compares serial and parallel reading of `text` for every chunk size up to its length (so that a
// boundary falls at every byte) and 2 and 3 threads.
void ExpectSameAsSerial(const std::string& text) {
  const Parsed serial = ReadSerial(text);
  for (int threads : {2, 3}) {
    for (size_t chunk_bytes = 1; chunk_bytes <= text.size() + 1; ++chunk_bytes) {
      const Parsed chunked = ReadChunked(text, threads, chunk_bytes);
      EXPECT_EQ(chunked.error, serial.error) << threads << " threads, chunks of " << chunk_bytes;
      if (!serial.error.empty()) continue;  // the rows read before an error are not compared
      EXPECT_EQ(chunked.rows, serial.rows) << threads << " threads, chunks of " << chunk_bytes;
      EXPECT_EQ(chunked.lines, serial.lines) << threads << " threads, chunks of " << chunk_bytes;
      EXPECT_EQ(chunked.records, serial.records)
          << threads << " threads, chunks of " << chunk_bytes;
    }
  }
}

TEST(CsvChunks, QuotedNewlinesAndDelimitersAsSerial) {
  ExpectSameAsSerial(
      "id,note,value\n1,\"two\nlines\",1.5\n2,\"a,b\",2\n3,\"x\"\"\ny\"\"\",3\n\n4,plain,4\n"
      "5,\"\n\n\",5\n6,z,6");
}

TEST(CsvChunks, CrlfBomAndBlankLinesAsSerial) {
  ExpectSameAsSerial(
      "\xEF\xBB\xBFid,note,value\r\n1,a,10\r\n\r\n2,b,20\r\n3,\"3\r\n0\",30\r\n4,d,40\r\n\r\n\r\n"
      "5,e,50\r\n");
  ExpectSameAsSerial("id,value\r\n1,10\r\n2,\"3\r\n0\"\r\n4,40\r\n");  // a bad value in quotes
  ExpectSameAsSerial("id;value\n1;1,5\n2;2,25\n\n3;3\n");
}

TEST(CsvChunks, BadValueInALaterChunkAtItsTrueLine) {
  std::string text = "id,note,value\n";
  for (int row = 0; row < 40; ++row) {
    text += row % 7 == 3 ? fmt::format("{},\"multi\nline\",{}\n", row, row)
                         : fmt::format("{},n,{}\n", row, row);
  }
  text += "40,n,abc\n41,n,41\n";
  const Parsed serial = ReadSerial(text);
  EXPECT_NE(serial.error.find("t.csv:48:3: value: not a number: 'abc'"), std::string::npos)
      << serial.error;
  const Parsed chunked = ReadChunked(text, 2, 64);
  EXPECT_EQ(chunked.error, serial.error);
  ExpectSameAsSerial(text);
}

TEST(CsvChunks, MalformedInputErrorsAsSerial) {
  ExpectSameAsSerial("id,value\n1,1\n2,\"open\n3,3\n");    // unterminated quote
  ExpectSameAsSerial("id,value\n1,1\n2,ab\"c\n3,3\n");     // stray quote
  ExpectSameAsSerial("id,value\n1,1\n2,\"x\"y\n3,3\n");    // text after a closing quote
  ExpectSameAsSerial("id,value\n1,1\n2,2,2\n3,3\n");       // ragged
  ExpectSameAsSerial("id,value\n1,1\n2,\xC3\x28\n3,3\n");  // invalid UTF-8
  ExpectSameAsSerial(std::string("id,value\n1,1\n2,a\0b\n3,3\n", 24));  // NUL
  ExpectSameAsSerial("id,value\n");                                     // header only
  ExpectSameAsSerial("id,value\n1,1\r2,2\r\n3,3\n");                    // a lone CR ends a record
}

TEST(CsvChunks, LongRecordWithoutBoundaryGoesOnSerially) {
  std::string text = "id,note\n1,a\n2,\"";
  text += std::string(300, 'x') + "\n" + std::string(300, 'y') + "\"\n3,c\n";
  CsvOptions options;
  options.max_record_bytes = 1000;
  for (size_t chunk_bytes : {size_t{1}, size_t{16}, size_t{64}}) {
    auto csv = CsvReader::FromString("t.csv", text, options);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<std::string>> part;
    CsvChunks chunks(csv, 2, chunk_bytes);
    std::vector<decltype(part)> parts(chunks.slots());
    chunks.Run([&](size_t slot, CsvReader& chunk) { parts[slot] = ReadAll(chunk); },
               [&](size_t slot, long) {
                 rows.insert(rows.end(), parts[slot].begin(), parts[slot].end());
               });
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1][1].size(), 601u);
    EXPECT_EQ(csv.records(), 3);
  }
  options.max_record_bytes = 100;  // the record is too long: the serial error
  const std::string serial = InputErrorOf([&] {
    auto csv = CsvReader::FromString("t.csv", text, options);
    ReadAll(csv);
  });
  EXPECT_NE(serial.find("t.csv:3: record longer than 100 bytes"), std::string::npos) << serial;
  auto csv = CsvReader::FromString("t.csv", text, options);
  const std::string chunked = InputErrorOf([&] {
    CsvChunks chunks(csv, 2, 16);
    chunks.Run([&](size_t, CsvReader& chunk) { ReadAll(chunk); }, [&](size_t, long) {});
  });
  EXPECT_EQ(chunked, serial);
}

TEST(CsvChunks, OneThreadIsTheSerialReader) {
  const std::string text = "id,value\n1,1\n\n2,2\n";
  EXPECT_EQ(ReadChunked(text, 1, 1), ReadSerial(text));
}

}  // namespace
}  // namespace kazmig::io

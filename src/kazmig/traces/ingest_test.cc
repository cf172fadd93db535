#include "kazmig/traces/ingest.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/pipeline.h"
#include "kazmig/traces/simulate.h"

namespace kazmig::traces {
namespace {

using kazmig::testing::TempDir;

// user -> location -> (day -> records)
using Flat = std::map<std::string, std::map<std::string, std::map<int32_t, uint32_t>>>;

Flat ReadAll(const std::filesystem::path& path, IngestOptions options = {}) {
  options.input = path;
  EventStore store = EventStore::Ingest(options);
  Flat flat;
  std::mutex mutex;
  store.ForEachUser(options.threads, [&](size_t, const UserTrace& trace) {
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_TRUE(flat.find(std::string(trace.user_id)) == flat.end()) << "user seen twice";
    for (size_t loc_idx = 0; loc_idx < trace.location_count(); ++loc_idx) {
      if (loc_idx > 0) {
        EXPECT_TRUE(NaturalLess(trace.locations[loc_idx - 1], trace.locations[loc_idx]));
      }
      const auto days = trace.Days(loc_idx);
      EXPECT_TRUE(std::is_sorted(days.begin(), days.end()));
      for (size_t day_idx = 0; day_idx < days.size(); ++day_idx) {
        flat[std::string(trace.user_id)][std::string(trace.locations[loc_idx])][days[day_idx]] =
            trace.records[trace.offsets[loc_idx] + day_idx];
      }
    }
  });
  return flat;
}

std::string ExpectInputError(const std::filesystem::path& path, IngestOptions options = {}) {
  options.input = path;
  try {
    EventStore::Ingest(options);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

TEST(Ingest, ColumnsByNameInAnyOrderWithDialects) {
  TempDir dir;
  const auto plain = dir.Write("a.csv",
                               "\xEF\xBB\xBFLocation,extra,DATE,User_ID\r\n"
                               "11,x,20180101,u1\r\n"
                               "\"1,2\",y,2018-01-02T23:59:00Z,\"u\"\"2\"\r\n"
                               "\r\n"
                               "11,z,2018-01-03 08:00,u1\r\n");
  const Flat flat = ReadAll(plain);
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat.at("u1").at("11").size(), 2u);
  EXPECT_EQ(flat.at("u\"2").at("1,2").begin()->first, DaysFromCivil(2018, 1, 2));
  const auto semicolon = dir.Write("b.csv", "user_id;date;location\nu1;20180101;11\n");
  EXPECT_EQ(ReadAll(semicolon).at("u1").at("11").size(), 1u);
}

TEST(Ingest, DuplicatesCountOnceAsDays) {
  TempDir dir;
  const auto path = dir.Write("d.csv",
                              "user_id,date,location\n1,20180101,A\n1,20180101,A\n"
                              "1,2018-01-01T10:00,A\n1,20180101,B\n");
  const Flat flat = ReadAll(path);
  EXPECT_EQ(flat.at("1").at("A").size(), 1u);
  EXPECT_EQ(flat.at("1").at("A").begin()->second, 3u);  // records kept as multiplicity
  EXPECT_EQ(flat.at("1").at("B").size(), 1u);
}

TEST(Ingest, MissingColumnIsLocated) {
  TempDir dir;
  const std::string message = ExpectInputError(dir.Write("m.csv", "user_id,day,location\n1,2,3\n"));
  EXPECT_NE(message.find("m.csv:1:1: missing required column 'date'"), std::string::npos)
      << message;
}

TEST(Ingest, BadRowsAreLocated) {
  TempDir dir;
  const std::string header = "user_id,date,location\n";
  const std::string good = "1,20180101,A\n";
  EXPECT_NE(ExpectInputError(dir.Write("a.csv", header + good + "1,2018-13-01,A\n"))
                .find("a.csv:3:2: malformed date '2018-13-01'"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("b.csv", header + good + good + "1,20180230,A\n"))
                .find("b.csv:4:2: malformed date"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("c.csv", header + "1,20180101,\n"))
                .find("c.csv:2:3: empty location"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("d.csv", header + "1,19010101,A\n"))
                .find("d.csv:2:2: implausible date"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("e.csv", header + "1,20180101\n")).find("e.csv:2:"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("f.csv", header + ",20180101,A\n"))
                .find("f.csv:2:1: empty user_id"),
            std::string::npos);
  EXPECT_NE(ExpectInputError(dir.Write("g.csv", "")).find("empty file"), std::string::npos);
}

TEST(Ingest, ErrorLineIsRightAcrossBlocksAndThreads) {
  TempDir dir;
  std::string text = "user_id,date,location\n";
  for (int row = 0; row < 200000; ++row) text += "u" + std::to_string(row % 97) + ",20180101,A\n";
  text += "u1,2018-01-0x,A\n";  // line 200002
  const auto path = dir.Write("big.csv", text);
  IngestOptions options;
  options.threads = 3;
  EXPECT_NE(ExpectInputError(path, options).find("big.csv:200002:2:"), std::string::npos);
}

TEST(Ingest, SkipBadRowsCountsThem) {
  TempDir dir;
  const auto path = dir.Write("s.csv",
                              "user_id,date,location\n1,20180101,A\n1,bad,A\n1,20180102,\n"
                              "1,20180103,A\n");
  IngestOptions options;
  options.input = path;
  options.skip_bad_rows = true;
  EventStore store = EventStore::Ingest(options);
  EXPECT_EQ(store.stats().rows, 4u);
  EXPECT_EQ(store.stats().bad_rows, 2u);
  ASSERT_EQ(store.stats().bad_row_examples.size(), 2u);
  EXPECT_NE(store.stats().bad_row_examples[0].find("s.csv:3:2:"), std::string::npos);
  EXPECT_NE(store.stats().bad_row_examples[1].find("s.csv:4:3:"), std::string::npos);
  EXPECT_EQ(ReadAll(path, options).at("1").at("A").size(), 2u);
}

TEST(Ingest, EveryPlausibleYyyymmddDayIsRead) {
  // The table-driven YYYYMMDD path agrees with the calendar on every day of 1970..2100, and
  // rejects what ParseEventDate rejects.
  TempDir dir;
  std::string text = "user_id,date,location\n";
  const int32_t first = DaysFromCivil(kMinPlausibleYear, 1, 1);
  const int32_t last = DaysFromCivil(kMaxPlausibleYear, 12, 31);
  for (int32_t day = first; day <= last; ++day) text += "u," + FormatYmd(day) + ",A\n";
  const Flat flat = ReadAll(dir.Write("all.csv", text));
  const auto& days = flat.at("u").at("A");
  ASSERT_EQ(days.size(), static_cast<size_t>(last - first + 1));
  EXPECT_EQ(days.begin()->first, first);
  EXPECT_EQ(days.rbegin()->first, last);
  EXPECT_TRUE(days.count(DaysFromCivil(2000, 2, 29)) == 1 &&
              days.count(DaysFromCivil(2024, 2, 29)));
  for (const char* bad : {"21000229", "20180431", "2018010a", "20181301", "20180100", "19691231",
                          "21010101", "2018-1-01"}) {
    EXPECT_NE(ExpectInputError(dir.Write("bad.csv", std::string("user_id,date,location\n") +
                                                        "u,20180101,A\nu," + bad + ",A\n"))
                  .find("bad.csv:3:2: "),
              std::string::npos)
        << bad;
  }
}

TEST(Ingest, OverlongLineIsAnInputError) {
  // A file whose data has no line end is refused instead of being read whole into memory.
  TempDir dir;
  const auto path = dir.Write(
      "long.csv", "user_id,date,location\nu,20180101,A\n" + std::string(17u << 20, 'x') + "\n");
  IngestOptions options;
  options.block_bytes = 1 << 20;
  const std::string message = ExpectInputError(path, options);
  EXPECT_NE(message.find("long.csv: line too long"), std::string::npos) << message;
}

TEST(Ingest, ChunkBoundariesInsideLinesCrlfAndLateBadRows) {
  // Chunks of a few bytes cut lines anywhere (inside CRLF pairs, quotes and fields); every chunk
  // size and thread count gives the same users, and a bad row in a late chunk keeps its global
  // line number.
  TempDir dir;
  std::string text = "user_id,date,location\r\n";
  for (int row = 0; row < 300; ++row) {
    const std::string user =
        row % 7 == 0 ? "\"q,\"\"" + std::to_string(row % 5) + "\"" : "u" + std::to_string(row % 11);
    text += user + "," + FormatYmd(DaysFromCivil(2018, 1, 1) + row % 40) + "," +
            std::string(static_cast<size_t>(1 + row % 13), 'L') + "\r\n";
    if (row % 50 == 3) text += "\r\n";  // blank lines count as lines
  }
  const auto path = dir.Write("crlf.csv", text);
  const Flat expected = ReadAll(path);
  ASSERT_EQ(expected.size(), 16u);
  for (size_t block : {1u, 2u, 3u, 7u, 19u, 64u, 1000u}) {
    for (int threads : {1, 3}) {
      IngestOptions options;
      options.block_bytes = block;
      options.threads = threads;
      EXPECT_EQ(ReadAll(path, options), expected) << block << " bytes, " << threads << " threads";
    }
  }
  // Line 1 is the header, 300 rows and 6 blank lines follow: the bad row is line 308.
  const auto bad = dir.Write("crlf_bad.csv", text + "u1,2018-02-30,A\r\nu2,20180101,B\r\n");
  for (size_t block : {5u, 100u, 1u << 20}) {
    IngestOptions options;
    options.block_bytes = block;
    options.threads = 2;
    const std::string message = ExpectInputError(bad, options);
    EXPECT_NE(message.find("crlf_bad.csv:308:2: malformed date '2018-02-30'"), std::string::npos)
        << block << ": " << message;
    options.skip_bad_rows = true;
    options.input = bad;
    const EventStore store = EventStore::Ingest(options);
    EXPECT_EQ(store.stats().rows, 302u);
    EXPECT_EQ(store.stats().bad_rows, 1u);
    ASSERT_EQ(store.stats().bad_row_examples.size(), 1u);
    EXPECT_NE(store.stats().bad_row_examples[0].find("crlf_bad.csv:308:2:"), std::string::npos);
  }
}

std::string SimulatedEvents(uint64_t users, int days, uint64_t seed) {
  SimulateParams params;
  params.users = users;
  params.days = days;
  params.seed = seed;
  std::string text;
  Simulate(params, [&](std::string_view chunk) { text.append(chunk); });
  return text;
}

void WriteGzip(const std::filesystem::path& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  gzclose(file);
}

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Ingest, GzipAndZstdMatchPlain) {
  TempDir dir;
  const std::string text = SimulatedEvents(50, 200, 3);
  const auto plain = dir.Write("e.csv", text);
  WriteGzip(dir.path() / "e.csv.gz", text);
  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3));
  const auto zst = dir.Write("e.csv.zst", compressed);
  const Flat expected = ReadAll(plain);
  EXPECT_EQ(ReadAll(dir.path() / "e.csv.gz"), expected);
  EXPECT_EQ(ReadAll(zst), expected);
}

// The compressed pipeline (a ring of pieces inflated and parsed by the same threads, tallied in
// file order) gives the plain file's groups and its first bad row's line, whatever the threads,
// the block size (pieces of a few lines to one) and spilling.
TEST(Ingest, CompressedPipelineMatchesPlainAtAnyThreadsAndBlocks) {
  TempDir dir;
  const std::string text = SimulatedEvents(60, 120, 7);
  WriteGzip(dir.path() / "e.csv.gz", text);
  const Flat expected = ReadAll(dir.Write("e.csv", text));
  const size_t at = text.find('\n', text.size() * 2 / 3) + 1;
  WriteGzip(dir.path() / "bad.csv.gz", text.substr(0, at) + "u1,2018-02-30,A\n" + text.substr(at));
  const long bad_line = static_cast<long>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
  for (int threads : {1, 2, 3, 4}) {
    for (size_t block : {size_t{60}, size_t{1000}, size_t{1} << 20}) {
      for (uint64_t memory : {uint64_t{1024}, uint64_t{1} << 30}) {
        IngestOptions options;
        options.threads = threads;
        options.block_bytes = block;
        options.memory_bytes = memory;
        options.temp_dir = dir.path();
        EXPECT_EQ(ReadAll(dir.path() / "e.csv.gz", options), expected)
            << threads << " threads, " << block << " bytes, memory " << memory;
        EXPECT_EQ(ExpectInputError(dir.path() / "bad.csv.gz", options),
                  (dir.path() / "bad.csv.gz").string() + ":" + std::to_string(bad_line) +
                      ":2: malformed date '2018-02-30' (expected YYYYMMDD or ISO 8601)")
            << threads << " threads, " << block << " bytes";
      }
    }
  }
}

// Rows repeated up to 700 times in a row (several records of 512 repeats at most), with hours
// (a repeat needs the same hour), users interleaved, read plain, as gzip in several members, in
// tiny blocks, on 1 to 3 threads and spilling: the records of every user, location and day are the
// rows counted here, directly from the text.
TEST(Ingest, RecordCountsAreTheRowsWhateverTheEncoding) {
  TempDir dir;
  std::string text = "user_id,date,location\n";
  Flat expected;
  uint64_t state = 3;
  auto next = [&](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  const int32_t first_day = DaysFromCivil(2018, 1, 1);
  for (int run = 0; run < 400; ++run) {
    const std::string user = "u" + std::to_string(next(7));
    const std::string location = "L" + std::to_string(next(3));
    const int32_t day = first_day + static_cast<int32_t>(next(20));
    const bool with_hour = next(3) == 0;
    const std::string date =
        with_hour ? FormatYmd(day).substr(0, 4) + "-" + FormatYmd(day).substr(4, 2) + "-" +
                        FormatYmd(day).substr(6, 2) + "T" + std::to_string(10 + next(3)) + ":00"
                  : FormatYmd(day);
    const uint64_t repeats = run % 50 == 0 ? 700 : 1 + next(4);
    for (uint64_t copy = 0; copy < repeats; ++copy)
      text += user + "," + date + "," + location + "\n";
    expected[user][location][day] += static_cast<uint32_t>(repeats);
  }
  const auto plain = dir.Write("rows.csv", text);
  const size_t half = text.find('\n', text.size() / 2) + 1;
  WriteGzip(dir.path() / "a.gz", text.substr(0, half));
  WriteGzip(dir.path() / "b.gz", text.substr(half));
  const auto members =
      dir.Write("rows.csv.gz", ReadBytes(dir.path() / "a.gz") + ReadBytes(dir.path() / "b.gz"));
  for (const auto& path : {plain, members}) {
    EXPECT_EQ(ReadAll(path), expected) << path;
    for (int threads : {1, 2, 3}) {
      for (size_t block : {size_t{100}, size_t{5000}, size_t{8} << 20}) {
        IngestOptions options;
        options.threads = threads;
        options.block_bytes = block;
        EXPECT_EQ(ReadAll(path, options), expected) << path << " " << threads << " " << block;
      }
    }
    IngestOptions spilling;
    spilling.threads = 2;
    spilling.memory_bytes = 1024;
    spilling.temp_dir = dir.path();
    EXPECT_EQ(ReadAll(path, spilling), expected) << path;
  }
}

// A field over 65535 bytes is an error at its own column: the user id's (1) or the location's (3).
TEST(Ingest, TooLongFieldIsLocatedAtItsColumn) {
  TempDir dir;
  const std::string header = "user_id,date,location\n";
  const std::string good = "u1,2018-01-01,A\n";
  const std::string long_field(70000, 'z');
  EXPECT_NE(
      ExpectInputError(dir.Write("long_user.csv", header + good + long_field + ",2018-01-02,B\n"))
          .find("long_user.csv:3:1: field longer than 65535 bytes"),
      std::string::npos);
  EXPECT_NE(ExpectInputError(
                dir.Write("long_loc.csv", header + good + "u2,2018-01-02," + long_field + "\n"))
                .find("long_loc.csv:3:3: field longer than 65535 bytes"),
            std::string::npos);
}

// Plain input is parsed in pieces of 512 KiB cut at line starts: lines of 60 KB (longer than the
// 4 KB read past a piece's end to find its line end) and one of 1.2 MB (a bad row, longer than a
// whole piece, so that some pieces hold no line start) fall across piece ends anywhere; every
// thread count and chunk size reads the same rows, the bad one on its line.
TEST(Ingest, PiecesCutAcrossLongLines) {
  TempDir dir;
  std::string text = "user_id,date,location\n";
  Flat expected;
  long bad_line = 0;
  long line = 1;
  const int32_t first_day = DaysFromCivil(2018, 1, 1);
  for (int row = 0; text.size() < (size_t{3} << 20); ++row) {
    const std::string user = "u" + std::to_string(row % 13);
    const int32_t day = first_day + row % 30;
    std::string location = "L" + std::to_string(row % 5);
    if (row % 97 == 5) location += std::string(60000, static_cast<char>('a' + row % 26));
    if (row == 3000) {
      text += user + "," + FormatYmd(day) + "," + std::string(1200000, 'x') + "\n";
      bad_line = ++line;
      continue;
    }
    text += user + "," + FormatYmd(day) + "," + location + "\n";
    ++line;
    ++expected[user][location][day];
  }
  ASSERT_GT(bad_line, 0);
  const auto path = dir.Write("long_lines.csv", text);
  for (int threads : {1, 2, 3}) {
    for (size_t block : {size_t{700} << 10, size_t{8} << 20}) {
      IngestOptions options;
      options.threads = threads;
      options.block_bytes = block;
      options.skip_bad_rows = true;
      EXPECT_EQ(ReadAll(path, options), expected) << threads << " " << block;
      options.input = path;
      const EventStore store = EventStore::Ingest(options);
      EXPECT_EQ(store.stats().rows, static_cast<uint64_t>(line - 1));
      EXPECT_EQ(store.stats().bad_rows, 1u);
      options.skip_bad_rows = false;
      EXPECT_NE(ExpectInputError(path, options)
                    .find("long_lines.csv:" + std::to_string(bad_line) +
                          ":3: field longer than 65535 bytes"),
                std::string::npos)
          << threads << " " << block;
    }
  }
}

TEST(Ingest, EmptyCompressedFilesAreInputErrors) {
  TempDir dir;
  WriteGzip(dir.path() / "empty.csv.gz", "");
  EXPECT_NE(ExpectInputError(dir.path() / "empty.csv.gz").find("empty.csv.gz:1: empty file"),
            std::string::npos);
  const auto header_only = dir.path() / "header.csv.gz";
  WriteGzip(header_only, "user_id,date,location\n");
  EXPECT_TRUE(ReadAll(header_only).empty());
}

TEST(Ingest, TruncatedCompressedFilesFail) {
  TempDir dir;
  const std::string text = SimulatedEvents(50, 200, 3);
  WriteGzip(dir.path() / "full.gz", text);
  const std::string gz = ReadBytes(dir.path() / "full.gz");
  const auto cut_gz = dir.Write("cut.csv.gz", gz.substr(0, gz.size() / 2));
  EXPECT_NE(ExpectInputError(cut_gz).find("cut.csv.gz:"), std::string::npos);
  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3));
  const auto cut_zst = dir.Write("cut.csv.zst", compressed.substr(0, compressed.size() / 2));
  EXPECT_NE(ExpectInputError(cut_zst).find("truncated zstd"), std::string::npos);
}

// With several threads the next block is decompressed while this one is parsed: a cut stream
// still fails with the file's name, and a bad row read before the cut still wins, whatever the
// threads.
TEST(Ingest, CompressedErrorsWhileReadingAhead) {
  TempDir dir;
  const std::string text = SimulatedEvents(50, 200, 3);
  WriteGzip(dir.path() / "full.gz", text);
  const std::string gz = ReadBytes(dir.path() / "full.gz");
  const auto cut = dir.Write("cut.csv.gz", gz.substr(0, gz.size() * 3 / 5));
  const size_t third = text.find('\n', text.size() / 3) + 1;
  WriteGzip(dir.path() / "bad.gz",
            text.substr(0, third) + "u1,2018-02-30,A\n" + text.substr(third));
  const std::string bad_gz = ReadBytes(dir.path() / "bad.gz");
  const auto bad_cut = dir.Write("bad_cut.csv.gz", bad_gz.substr(0, bad_gz.size() * 4 / 5));
  const long bad_line = static_cast<long>(std::count(text.begin(), text.begin() + third, '\n')) + 1;
  for (int threads : {1, 2, 3}) {
    for (size_t block : {size_t{1000}, size_t{8} << 20}) {
      IngestOptions options;
      options.threads = threads;
      options.block_bytes = block;
      const std::string message = ExpectInputError(cut, options);
      EXPECT_EQ(message.rfind(cut.string() + ":", 0), 0u) << message;
      EXPECT_NE(message.find(": truncated or corrupt gzip stream (unexpected end of file)"),
                std::string::npos)
          << message;
      // A cut within the first read (the whole file with big blocks) fails before any row.
      EXPECT_EQ(
          ExpectInputError(bad_cut, options),
          block > 1000
              ? bad_cut.string() + ":1: truncated or corrupt gzip stream (unexpected end of file)"
              : bad_cut.string() + ":" + std::to_string(bad_line) +
                    ":2: malformed date '2018-02-30' (expected YYYYMMDD or ISO 8601)")
          << threads << " " << block;
    }
  }
}

TEST(Ingest, SpillingToPartitionFilesGivesTheSameGroups) {
  TempDir dir;
  const auto path = dir.Write("e.csv", SimulatedEvents(150, 365, 5));
  IngestOptions in_memory;
  in_memory.threads = 2;
  IngestOptions spilling = in_memory;
  spilling.memory_bytes = 1024;  // below any block: every block goes to the partition files
  spilling.temp_dir = dir.path();
  spilling.input = path;
  {
    EventStore store = EventStore::Ingest(spilling);
    EXPECT_TRUE(store.stats().spilled);
  }
  EXPECT_EQ(ReadAll(path, spilling), ReadAll(path, in_memory));
  // The partition files are gone with the store.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().rfind("kazmig-traces-", 0), std::string::npos);
  }
}

TEST(Ingest, MemorySizes) {
  EXPECT_EQ(ParseMemorySize("2G"), uint64_t{2} << 30);
  EXPECT_EQ(ParseMemorySize("512m"), uint64_t{512} << 20);
  EXPECT_THROW(ParseMemorySize("lots"), UsageError);
  EXPECT_THROW(ParseMemorySize("1k"), UsageError);  // below the 16M floor
}

// Detection output must not depend on row order, user interleaving, threads or spilling.
std::vector<std::string> DetectRows(const std::filesystem::path& path, int threads,
                                    uint64_t memory = uint64_t{2} << 30) {
  DetectRunOptions options;
  options.ingest.input = path;
  options.ingest.memory_bytes = memory;
  options.threads = threads;
  std::vector<std::string> rows;
  for (const MoveRow& row : RunDetection(options).moves) {
    rows.push_back(row.user_id + "," + row.home + "," + row.destination + "," +
                   FormatYmd(row.move.migration_day) + "," +
                   std::to_string(row.move.num_error_day));
  }
  return rows;
}

TEST(Ingest, DetectionIsInvariantToOrderThreadsAndSpilling) {
  TempDir dir;
  const std::string text = SimulatedEvents(200, 400, 11);
  const auto sorted = dir.Write("sorted.csv", text);
  // Reverse the data rows: users interleave differently and days run backwards.
  std::vector<std::string> lines;
  size_t start = text.find('\n') + 1;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::reverse(lines.begin(), lines.end());
  std::string reversed = "location,date,user_id\n";  // and columns in another order
  for (const std::string& line : lines) {
    const size_t first = line.find(',');
    const size_t second = line.find(',', first + 1);
    reversed += line.substr(second + 1) + "," + line.substr(first + 1, second - first - 1) + "," +
                line.substr(0, first) + "\n";
  }
  const auto shuffled = dir.Write("reversed.csv", reversed);
  const std::vector<std::string> expected = DetectRows(sorted, 1);
  ASSERT_GT(expected.size(), 50u);
  EXPECT_TRUE(std::is_sorted(expected.begin(), expected.end(),
                             [](const std::string& a, const std::string& b) {
                               return a.substr(0, a.find(',')) < b.substr(0, b.find(','));
                             }));
  EXPECT_EQ(DetectRows(sorted, 4), expected);
  EXPECT_EQ(DetectRows(shuffled, 1), expected);
  EXPECT_EQ(DetectRows(shuffled, 3, 1024), expected);
}

}  // namespace
}  // namespace kazmig::traces

#include "kazmig/io/byte_source.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/testing/testing.h"

namespace kazmig::io {
namespace {

using kazmig::testing::TempDir;

std::string SampleText() {
  std::string text = "user_id,date,location\n";
  for (int row_idx = 0; row_idx < 5000; ++row_idx) {
    text += "u" + std::to_string(row_idx % 37) + ",2018010" + std::to_string(1 + row_idx % 9) +
            ",L" + std::to_string(row_idx % 5) + "\n";
  }
  return text;
}

std::string Gzip(const TempDir& dir, const std::string& text) {
  const auto path = dir.path() / "gzip.tmp";
  gzFile file = gzopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  gzclose(file);
  return ReadFile(path);
}

std::string Zstd(const std::string& text) {
  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3));
  return compressed;
}

// Everything a source yields, read in small pieces.
std::string ReadAll(ByteSource* source) {
  std::string all;
  char buffer[1000];
  while (const size_t got = source->Read(buffer, sizeof(buffer), 1)) all.append(buffer, got);
  return all;
}

TEST(ByteSource, PlainGzipAndZstdYieldTheSameBytes) {
  TempDir dir;
  const std::string text = SampleText();
  const auto plain = dir.Write("e.csv", text);
  const auto gz = dir.Write("e.csv.gz", Gzip(dir, text));
  const auto zst = dir.Write("e.csv.zst", Zstd(text));
  for (const auto& [path, want_compressed] :
       {std::pair{plain, false}, std::pair{gz, true}, std::pair{zst, true}}) {
    bool compressed = !want_compressed;
    const auto source = OpenByteSource(path, &compressed);
    EXPECT_EQ(compressed, want_compressed) << path;
    EXPECT_EQ(ReadAll(source.get()), text) << path;
    EXPECT_EQ(source->consumed(), std::filesystem::file_size(path)) << path;
  }
}

TEST(ByteSource, TruncatedStreamsAndMissingFilesAreInputErrors) {
  TempDir dir;
  const std::string text = SampleText();
  const std::string gz = Gzip(dir, text);
  const std::string zst = Zstd(text);
  bool compressed = false;
  const auto cut_gz = OpenByteSource(dir.Write("cut.gz", gz.substr(0, gz.size() / 2)), &compressed);
  try {
    ReadAll(cut_gz.get());
    ADD_FAILURE() << "no InputError for a truncated gzip stream";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("truncated or corrupt gzip"), std::string::npos);
  }
  const auto cut_zst =
      OpenByteSource(dir.Write("cut.zst", zst.substr(0, zst.size() / 2)), &compressed);
  try {
    ReadAll(cut_zst.get());
    ADD_FAILURE() << "no InputError for a truncated zstd stream";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 ((dir.path() / "cut.zst").string() + ":1: truncated zstd stream (the frame does "
                                                      "not end)")
                     .c_str());
  }
  EXPECT_THROW(OpenByteSource(dir.path() / "missing.csv", &compressed), InputError);
  EXPECT_THROW(PositionalFile((dir.path() / "missing.csv").string()), InputError);
}

// The InputError message of reading `path` to the end ("" when it reads without one).
std::string ReadError(const std::filesystem::path& path) {
  bool compressed = false;
  try {
    const auto source = OpenByteSource(path, &compressed);
    EXPECT_TRUE(compressed);
    ReadAll(source.get());
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(ByteSource, GzipMembersAreReadOneAfterTheOther) {
  TempDir dir;
  const std::string text = SampleText();
  // Three members (as `cat a.gz b.gz c.gz` makes), one of them empty, then a fourth member split
  // across the 1 MiB input buffer of the reader (a large incompressible-ish member first).
  std::string big;
  uint64_t state = 7;
  for (int idx = 0; idx < (3 << 20) / 8; ++idx) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    big += std::to_string(state >> 40) + "\n";
  }
  const std::string members = Gzip(dir, text.substr(0, 1000)) + Gzip(dir, "") + Gzip(dir, big) +
                              Gzip(dir, text.substr(1000));
  const auto path = dir.Write("members.gz", members);
  bool compressed = false;
  const auto source = OpenByteSource(path, &compressed);
  EXPECT_TRUE(compressed);
  EXPECT_EQ(ReadAll(source.get()), text.substr(0, 1000) + big + text.substr(1000));
  EXPECT_EQ(source->consumed(), members.size());
  // Bytes after the last member that start no member are ignored (as zlib and gzip -d do).
  const auto trailing = dir.Write("trailing.gz", Gzip(dir, text) + std::string(100, '\0'));
  const auto again = OpenByteSource(trailing, &compressed);
  EXPECT_EQ(ReadAll(again.get()), text);
}

TEST(ByteSource, BadGzipStreamsNameTheFile) {
  TempDir dir;
  const std::string text = SampleText();
  const std::string gz = Gzip(dir, text);
  const std::string name = (dir.path() / "x.gz").string();
  // Only the magic bytes; a member cut in its header, in its data, before its trailer; a second
  // member cut short.
  for (const std::string& cut : {gz.substr(0, 2), gz.substr(0, 5), gz.substr(0, gz.size() / 2),
                                 gz.substr(0, gz.size() - 4), gz + gz.substr(0, 12)}) {
    EXPECT_EQ(ReadError(dir.Write("x.gz", cut)),
              name + ":1: truncated or corrupt gzip stream (unexpected end of file)")
        << cut.size();
  }
  std::string flipped = gz;
  flipped[gz.size() - 6] = static_cast<char>(flipped[gz.size() - 6] ^ 1);  // the CRC-32
  EXPECT_EQ(ReadError(dir.Write("x.gz", flipped)),
            name + ":1: truncated or corrupt gzip stream (incorrect data check)");
  std::string length = gz;
  length[gz.size() - 2] = static_cast<char>(length[gz.size() - 2] ^ 1);  // ISIZE
  EXPECT_NE(ReadError(dir.Write("x.gz", length)).find(name + ":1: truncated or corrupt gzip"),
            std::string::npos);
  std::string method = gz;
  method[2] = 7;  // not deflate
  EXPECT_NE(ReadError(dir.Write("x.gz", method)).find(name + ":1: truncated or corrupt gzip"),
            std::string::npos);
  std::string garbage = gz;
  for (size_t idx = 20; idx < 60; ++idx) garbage[idx] = static_cast<char>(0xff);
  EXPECT_NE(ReadError(dir.Write("x.gz", garbage)).find(name + ":1: truncated or corrupt gzip"),
            std::string::npos);
}

TEST(PositionalFile, ReadsRangesAndFindsLineStarts) {
  TempDir dir;
  const std::string text = "ab\ncdef\n\ng";
  const PositionalFile file(dir.Write("f.txt", text).string());
  ASSERT_EQ(file.size(), text.size());
  std::string middle(4, '\0');
  file.Read(3, 4, middle.data());
  EXPECT_EQ(middle, "cdef");
  EXPECT_EQ(file.LineStartAtOrAfter(0, file.size(), 0), 0u);
  EXPECT_EQ(file.LineStartAtOrAfter(0, file.size(), 1), 3u);
  EXPECT_EQ(file.LineStartAtOrAfter(0, file.size(), 3), 3u);  // already a line start
  EXPECT_EQ(file.LineStartAtOrAfter(0, file.size(), 8), 8u);  // an empty line
  EXPECT_EQ(file.LineStartAtOrAfter(0, file.size(), 10), 10u);
  EXPECT_EQ(file.LineStartAtOrAfter(0, 5, 4), 5u);  // no line start before `last`
  std::string tail(8, '\0');
  EXPECT_THROW(file.Read(8, 5, tail.data()), InputError);  // past the end
}

}  // namespace
}  // namespace kazmig::io

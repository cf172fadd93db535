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

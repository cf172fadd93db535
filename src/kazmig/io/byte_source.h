// Byte sources for streaming large input files: a sequential reader that decompresses gzip and
// zstd transparently (detected from the magic bytes), and a positional reader for plain files that
// several threads read at once (pread), with the line-start search that splits a file into chunks.
//
//   bool compressed = false;
//   std::unique_ptr<io::ByteSource> source = io::OpenByteSource("events.csv.zst", &compressed);
//   std::vector<char> buffer(1 << 20);
//   while (size_t got = source->Read(buffer.data(), buffer.size(), line)) Use(buffer, got);
//
//   io::PositionalFile file("events.csv");
//   uint64_t cut = file.LineStartAtOrAfter(0, file.size(), file.size() / 2);
//   file.Read(cut, count, out);  // from any thread
//
// Errors are InputError naming the file (and the line being read, when the caller knows it).
#ifndef KAZMIG_IO_BYTE_SOURCE_H_
#define KAZMIG_IO_BYTE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace kazmig::io {

// A sequential stream of (uncompressed) bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; 0 at the end. Throws InputError for a read error or a truncated or
  // corrupt compressed stream; `line` is the line being read, for the message (0: unknown).
  virtual size_t Read(char* data, size_t size, long line) = 0;
  // Bytes of the file on disk consumed so far (compressed bytes for a compressed file).
  virtual uint64_t consumed() const = 0;
};

// Opens `path` as plain, gzip (1f 8b) or zstd (28 b5 2f fd) by its first bytes and sets
// `*compressed`. Throws InputError "FILE: cannot open file", "FILE: is
// a directory..." or "FILE: not a regular file (a pipe, FIFO or device)..." (the same for
// PositionalFile): a file read by name more than once cannot be a pipe.
std::unique_ptr<ByteSource> OpenByteSource(const std::filesystem::path& path, bool* compressed);

// A plain file read at given offsets (pread), safe to read from several threads at once.
class PositionalFile {
 public:
  // Throws InputError "FILE: cannot open file" or "FILE: cannot read file size".
  explicit PositionalFile(const std::string& name);
  ~PositionalFile();
  PositionalFile(const PositionalFile&) = delete;
  PositionalFile& operator=(const PositionalFile&) = delete;

  uint64_t size() const { return size_; }
  // Reads [offset, offset + count) (count bytes must exist) into `out`. Throws InputError when
  // the bytes cannot be read (the file shrank, or an I/O error).
  void Read(uint64_t offset, size_t count, char* out) const;
  // The first line start at or after `pos` within [first, last): `first` when pos <= first,
  // `last` when pos >= last or no line starts in [pos, last). `first` must be a line start.
  uint64_t LineStartAtOrAfter(uint64_t first, uint64_t last, uint64_t pos) const;

 private:
  std::string name_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace kazmig::io

#endif  // KAZMIG_IO_BYTE_SOURCE_H_

#include "kazmig/io/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

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

// Event files are opened by name more than once (the magic bytes, then the stream or the
// positional reader), so they must be regular files: stat() says so without opening (opening a
// FIFO would wait for a writer), and a directory or pipe gets a message that says what to do.
void RequireRegularFile(const std::string& name) {
  struct stat info {};
  if (::stat(name.c_str(), &info) != 0) throw InputError(name, 0, 0, "cannot open file");
  if (S_ISDIR(info.st_mode)) throw InputError(name, 0, 0, "is a directory, not an events file");
  if (!S_ISREG(info.st_mode)) {
    throw InputError(name, 0, 0,
                     "not a regular file (a pipe, FIFO or device): event files are read by name, "
                     "in parallel at several offsets; save the events to a file first (plain, "
                     ".gz or .zst)");
  }
}

}  // namespace

std::unique_ptr<ByteSource> OpenByteSource(const std::filesystem::path& path, bool* compressed) {
  const std::string name = path.string();
  RequireRegularFile(name);
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

PositionalFile::PositionalFile(const std::string& name) : name_(name) {
  RequireRegularFile(name);
  fd_ = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(name, 0, 0, "cannot open file");
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    ::close(fd_);
    throw InputError(name, 0, 0, "cannot read file size");
  }
  size_ = static_cast<uint64_t>(info.st_size);
}

PositionalFile::~PositionalFile() { ::close(fd_); }

void PositionalFile::Read(uint64_t offset, size_t count, char* out) const {
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

uint64_t PositionalFile::LineStartAtOrAfter(uint64_t first, uint64_t last, uint64_t pos) const {
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

}  // namespace kazmig::io

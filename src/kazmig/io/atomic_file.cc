#include "kazmig/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <sstream>

#include "kazmig/core/error.h"

namespace kazmig::io {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  std::error_code ec;
  // A symbolic link is followed: the file it points to is replaced, the link stays.
  if (std::filesystem::is_symlink(target_, ec)) {
    const auto resolved = std::filesystem::weakly_canonical(target_, ec);
    if (!ec) target_ = resolved;
  }
  struct stat info {};
  if (::stat(target_.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      throw UsageError("cannot write to " + target_.string() + ": it is a directory");
    }
    if (!S_ISREG(info.st_mode)) {
      // A device, FIFO or socket (e.g. /dev/null, /dev/stdout): renaming over it would replace
      // it with a regular file, so it is written directly, without the atomic rename.
      direct_ = true;
      out_.open(target_, std::ios::binary);
      if (!out_) throw ComputeError("cannot open " + target_.string() + " for writing");
      return;
    }
    mode_ = static_cast<int>(info.st_mode & 07777);
  }
  const auto parent = target_.has_parent_path() ? target_.parent_path() : ".";
  std::filesystem::create_directories(parent, ec);
  std::random_device device;
  const auto tag = std::to_string(getpid()) + "-" + std::to_string(device());
  temp_ = parent / ("." + target_.filename().string() + ".tmp-" + tag);
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw ComputeError("cannot create " + temp_.string() + " to write " + target_.string());
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !direct_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::Commit() {
  out_.flush();
  if (direct_) {
    if (!out_) throw ComputeError("failed writing " + target_.string());
    out_.close();
    committed_ = true;
    return;
  }
  if (!out_) throw ComputeError("failed writing " + temp_.string());
  out_.close();
  if (int fd = ::open(temp_.c_str(), O_RDONLY); fd >= 0) {
    // The replaced file keeps its permissions (a 0600 file stays 0600).
    if (mode_ >= 0) ::fchmod(fd, static_cast<mode_t>(mode_));
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec)
    throw ComputeError("cannot move output into place at " + target_.string() + ": " +
                       ec.message());
  committed_ = true;
}

void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  AtomicFile file(path);
  file.stream() << contents;
  file.Commit();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string(), 0, 0, "is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, 0, "cannot open file");
  // In chunks, up to kMaxWholeFileBytes: an endless stream (/dev/zero) fails instead of filling
  // the memory.
  std::string contents;
  std::string chunk(size_t{1} << 20, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (contents.size() + got > kMaxWholeFileBytes) {
      throw InputError(path.string(), 0, 0,
                       "larger than 256 MiB, the limit for a file read whole (GeoJSON, JSON)");
    }
    contents.append(chunk.data(), got);
  }
  if (in.bad()) throw InputError(path.string(), 0, 0, "read error");
  return contents;
}

}  // namespace kazmig::io

#include "kazmig/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <sstream>

#include "kazmig/core/error.h"

namespace kazmig::io {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const auto parent = target_.has_parent_path() ? target_.parent_path() : ".";
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  std::random_device device;
  const auto tag = std::to_string(getpid()) + "-" + std::to_string(device());
  temp_ = parent / ("." + target_.filename().string() + ".tmp-" + tag);
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw ComputeError("cannot create " + temp_.string() + " to write " + target_.string());
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::Commit() {
  out_.flush();
  if (!out_) throw ComputeError("failed writing " + temp_.string());
  out_.close();
  if (int fd = ::open(temp_.c_str(), O_RDONLY); fd >= 0) {
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, 0, "cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace kazmig::io

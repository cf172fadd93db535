// Atomic file output: write to a temporary file beside the target, then rename over it, so that a
// reader never sees a half-written file and a failed command leaves nothing behind.
//
// Only regular files (and new paths) are replaced that way; a replaced file keeps its permission
// bits, and a symbolic link is followed (its target is replaced, the link stays). An existing
// device, FIFO or socket (`--output /dev/null`, `/dev/stdout`) is written directly instead, so it
// is never replaced by a regular file; a directory is refused (UsageError).
//
//   AtomicFile out("report.html");
//   out.stream() << html;
//   out.Commit();            // without Commit(), the destructor removes the temporary file
#ifndef KAZMIG_IO_ATOMIC_FILE_H_
#define KAZMIG_IO_ATOMIC_FILE_H_

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace kazmig::io {

class AtomicFile {
 public:
  // Creates the temporary file (and missing parent folders); throws ComputeError when it cannot,
  // UsageError when `target` is a directory.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::filesystem::path& target() const { return target_; }
  // Flushes, syncs and renames onto the target. Throws ComputeError on failure.
  void Commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream out_;
  int mode_ = -1;        // permission bits of the file being replaced; -1 for a new file
  bool direct_ = false;  // not a regular file: written in place
  bool committed_ = false;
};

// Writes `contents` to `path` atomically.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);
// The largest file ReadFile reads: 256 MiB.
inline constexpr size_t kMaxWholeFileBytes = size_t{256} << 20;
// Reads a whole file; throws InputError when it cannot be opened, is a directory, or is longer
// than kMaxWholeFileBytes (an endless stream such as /dev/zero included).
std::string ReadFile(const std::filesystem::path& path);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_ATOMIC_FILE_H_

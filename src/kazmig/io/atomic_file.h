// Atomic file output: write to a temporary file beside the target, then rename over it, so that a
// reader never sees a half-written file and a failed command leaves nothing behind.
//
//   AtomicFile out("report.html");
//   out.stream() << html;
//   out.Commit();            // without Commit(), the destructor removes the temporary file
#ifndef KAZMIG_IO_ATOMIC_FILE_H_
#define KAZMIG_IO_ATOMIC_FILE_H_

#include <filesystem>
#include <fstream>
#include <string_view>

namespace kazmig::io {

class AtomicFile {
 public:
  // Creates the temporary file (and missing parent folders); throws ComputeError when it cannot.
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
  bool committed_ = false;
};

// Writes `contents` to `path` atomically.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);
// Reads a whole file; throws InputError when it cannot be opened.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_ATOMIC_FILE_H_

#include "kazmig/traces/internal/spill_files.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig::traces::internal {
namespace {

// Folders of live SpillFiles, for the SIGINT/SIGTERM handler. A slot holds a heap copy of the
// folder path (never freed while registered) and its partition count; the handler only reads them
// and calls async-signal-safe functions (unlink, rmdir, sigaction, raise).
constexpr size_t kMaxFolders = 16;
std::atomic<const char*> g_folders[kMaxFolders];
std::atomic<size_t> g_partitions[kMaxFolders];
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

// Writes `folder` + "/part-" + part_idx + ".bin" into `out` (capacity `size`), like PartitionFile.
bool PartitionPath(const char* folder, size_t part_idx, char* out, size_t size) {
  const size_t length = std::strlen(folder);
  char digits[24];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + part_idx % 10);
    part_idx /= 10;
  } while (part_idx > 0);
  if (length + 6 + count + 5 > size) return false;
  std::memcpy(out, folder, length);
  std::memcpy(out + length, "/part-", 6);
  size_t at = length + 6;
  while (count > 0) out[at++] = digits[--count];
  std::memcpy(out + at, ".bin", 5);
  return true;
}

// The signal being handled (0: none). A worker that finds its partition file gone while it is
// set waits for the signal to end the process instead of reporting a write error (exit 1).
std::atomic<int> g_terminating_signal{0};

void RemoveSpillFoldersAndReraise(int signal_number) {
  g_terminating_signal.store(signal_number);
  char path[4096];
  // Twice: a worker thread may still create a partition file while the first pass runs.
  for (size_t pass = 0; pass < 2 * kMaxFolders; ++pass) {
    const size_t slot = pass % kMaxFolders;
    const char* folder = g_folders[slot].load();
    if (folder == nullptr) continue;
    const size_t partitions = g_partitions[slot].load();
    for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
      if (PartitionPath(folder, part_idx, path, sizeof(path))) ::unlink(path);
    }
    ::rmdir(folder);
  }
  // Then end as the signal would have: the previous disposition when it was a handler, else the
  // default (terminate).
  const struct sigaction& previous = signal_number == SIGINT ? g_previous_int : g_previous_term;
  if (previous.sa_handler != SIG_IGN && previous.sa_handler != SIG_DFL) {
    sigaction(signal_number, &previous, nullptr);
  } else {
    signal(signal_number, SIG_DFL);
  }
  raise(signal_number);
}

// Called where a partition file cannot be written or read: during a SIGINT/SIGTERM, the folder
// was removed on purpose and the signal is about to end the process.
void WaitIfTerminating() {
  if (g_terminating_signal.load() == 0) return;
  for (;;) pause();
}

void InstallHandlersOnce() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = RemoveSpillFoldersAndReraise;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &g_previous_int);
    sigaction(SIGTERM, &action, &g_previous_term);
    return true;
  }();
  (void)installed;
}

// Registers `folder`; returns its slot, or kMaxFolders when all are taken (then only the
// destructor removes it).
size_t RegisterFolder(const std::string& folder, size_t partitions) {
  InstallHandlersOnce();
  char* copy = strdup(folder.c_str());
  for (size_t slot = 0; slot < kMaxFolders; ++slot) {
    const char* expected = nullptr;
    if (g_folders[slot].compare_exchange_strong(expected, copy)) {
      g_partitions[slot].store(partitions);
      return slot;
    }
  }
  std::free(copy);
  return kMaxFolders;
}

void UnregisterFolder(size_t slot) {
  if (slot >= kMaxFolders) return;
  const char* copy = g_folders[slot].exchange(nullptr);
  std::free(const_cast<char*>(copy));
}

}  // namespace

SpillFiles::SpillFiles(size_t partitions, std::filesystem::path temp_dir)
    : temp_dir_(std::move(temp_dir)), bytes_(partitions, 0) {}

SpillFiles::~SpillFiles() {
  if (folder_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
  UnregisterFolder(signal_slot_);
}

std::filesystem::path SpillFiles::PartitionFile(size_t part_idx) const {
  return folder_ / ("part-" + std::to_string(part_idx) + ".bin");
}

void SpillFiles::CreateFolder() {
  if (!folder_.empty()) return;
  const std::filesystem::path parent =
      temp_dir_.empty() ? std::filesystem::temp_directory_path() : temp_dir_;
  std::string pattern = (parent / "kazmig-traces-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    WaitIfTerminating();
    throw Error("cannot create a temporary folder in " + parent.string());
  }
  folder_ = pattern;
  signal_slot_ = RegisterFolder(pattern, bytes_.size());
}

void SpillFiles::Append(size_t part_idx, const std::vector<std::string_view>& pieces) {
  CreateFolder();
  const std::string path = PartitionFile(part_idx).string();
  std::FILE* file = std::fopen(path.c_str(), "ab");
  bool ok = file != nullptr;
  for (const std::string_view piece : pieces) {
    ok = ok && std::fwrite(piece.data(), 1, piece.size(), file) == piece.size();
    bytes_[part_idx] += piece.size();
  }
  if (file != nullptr) ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    WaitIfTerminating();
    throw Error("cannot write temporary file " + path);
  }
}

void SpillFiles::Load(size_t part_idx, std::string* out) const {
  out->resize(bytes_[part_idx]);
  std::ifstream file(PartitionFile(part_idx), std::ios::binary);
  file.read(out->data(), static_cast<std::streamsize>(out->size()));
  if (!file) {
    WaitIfTerminating();
    throw Error("cannot read temporary partition file");
  }
}

}  // namespace kazmig::traces::internal

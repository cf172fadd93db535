#include "kazmig/traces/internal/spill_files.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig::traces::internal {

SpillFiles::SpillFiles(size_t partitions, std::filesystem::path temp_dir)
    : temp_dir_(std::move(temp_dir)), bytes_(partitions, 0) {}

SpillFiles::~SpillFiles() {
  if (folder_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
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
    throw Error("cannot create a temporary folder in " + parent.string());
  }
  folder_ = pattern;
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
  if (!ok) throw Error("cannot write temporary file " + path);
}

void SpillFiles::Load(size_t part_idx, std::string* out) const {
  out->resize(bytes_[part_idx]);
  std::ifstream file(PartitionFile(part_idx), std::ios::binary);
  file.read(out->data(), static_cast<std::streamsize>(out->size()));
  if (!file) throw Error("cannot read temporary partition file");
}

}  // namespace kazmig::traces::internal

// Temporary partition files of the event store (ingest.cc): one append-only file per hash
// partition, in a private folder created on first use and removed with its files when the
// SpillFiles object goes away, or when the process gets SIGINT or SIGTERM (a handler removes the
// live folders, then ends the process as the signal would have). A SIGKILL cannot be caught: its
// `kazmig-traces-XXXXXX` folder stays in the temporary directory and may be deleted by hand.
// Internal to traces.
//
//   SpillFiles spill(partitions, options.temp_dir);  // nothing is created yet
//   spill.Append(part_idx, {stream_a.view(), stream_b.view()});
//   std::string bytes;
//   spill.Load(part_idx, &bytes);                     // everything appended, in order
#ifndef KAZMIG_TRACES_INTERNAL_SPILL_FILES_H_
#define KAZMIG_TRACES_INTERNAL_SPILL_FILES_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::traces::internal {

class SpillFiles {
 public:
  // Files for `partitions` partitions, in a folder `kazmig-traces-XXXXXX` to be made in
  // `temp_dir` (empty: the system temporary directory) by the first Append.
  SpillFiles(size_t partitions, std::filesystem::path temp_dir);
  ~SpillFiles();  // removes the folder and its files
  SpillFiles(const SpillFiles&) = delete;
  SpillFiles& operator=(const SpillFiles&) = delete;

  // Creates the folder unless it exists. Throws kazmig::Error "cannot create a temporary folder
  // in DIR".
  void CreateFolder();
  // Appends `pieces` to the partition's file (creating the folder first). Throws kazmig::Error
  // when the folder cannot be created or the file written ("cannot write temporary file PATH").
  void Append(size_t part_idx, const std::vector<std::string_view>& pieces);
  // Bytes appended to the partition's file so far (0: no file).
  uint64_t bytes(size_t part_idx) const { return bytes_[part_idx]; }
  // Replaces `out` with the partition's file. Throws kazmig::Error when it cannot be read.
  void Load(size_t part_idx, std::string* out) const;

 private:
  std::filesystem::path PartitionFile(size_t part_idx) const;
  std::filesystem::path temp_dir_;
  std::filesystem::path folder_;  // empty until the first Append
  std::vector<uint64_t> bytes_;
  size_t signal_slot_ = SIZE_MAX;  // this folder's slot in the signal handler's table
};

}  // namespace kazmig::traces::internal

#endif  // KAZMIG_TRACES_INTERNAL_SPILL_FILES_H_

// Streaming ingest of trace event files, grouped by user, in bounded memory.
//
// Input: CSV with a header naming `user_id`, `date` and `location` (any order, any case, extra
// columns ignored; `,`, `;` or tab separated; RFC 4180 quotes on one line), plain or compressed
// with gzip or zstd (detected from the magic bytes). Dates are `YYYYMMDD` or ISO 8601 (see
// dates.h). A plain file is cut at line starts into pieces of about 512 KiB, which the threads
// take in turn, each reading (pread) and parsing its piece; a compressed stream is read in blocks
// split into pieces parsed in parallel. Each row goes, by a hash of its user id, to one of P
// partitions, encoded compactly (4 bytes per row while the user and location repeat). Partitions
// stay in memory while they fit in half of `memory_bytes`; beyond that they are appended to
// temporary files (hash partitioning, so memory stays bounded whatever the input size). Then
// partitions are processed in parallel: each becomes users with their distinct (location, day)
// records (duplicates count once for days; their multiplicity is kept as `records`).
//
// Sharding: with `shard_count` > 1 only the users of `shard` are kept. When the process is rank
// `shard` of an MPI world of `shard_count` ranks (core/parallel.h) and the input is plain, each
// rank parses only its byte range of the file (split at line starts) and sends the rows of other
// ranks' users to them, so the file is parsed once in all; error lines are global line numbers.
// Otherwise (compressed input, no MPI) the whole file is parsed and other shards' rows dropped.
//
// Bad rows (missing field, malformed or implausible date, empty user or location) throw
// InputError `FILE:LINE:COLUMN: message`, or with `skip_bad_rows` are counted in IngestStats; a
// truncated or corrupt compressed file always throws.
//
//   IngestOptions options;
//   options.input = "events.csv.zst";
//   EventStore store = EventStore::Ingest(options);
//   store.ForEachUser(2, [&](size_t worker, const UserTrace& trace) { ... });
#ifndef KAZMIG_TRACES_INGEST_H_
#define KAZMIG_TRACES_INGEST_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kazmig/traces/user_trace.h"

namespace kazmig::traces {

struct IngestProgress {
  uint64_t bytes = 0;        // uncompressed bytes parsed so far
  uint64_t rows = 0;         // data rows parsed so far
  uint64_t total_bytes = 0;  // bytes to read: the compressed file, or this rank's byte range
  uint64_t file_bytes = 0;   // bytes of the file on disk consumed so far
};

struct IngestOptions {
  std::filesystem::path input;
  int threads = 0;                            // 0: all cores (ResolveThreads, core/parallel.h)
  uint64_t memory_bytes = uint64_t{2} << 30;  // bound for buffered events (--memory)
  bool skip_bad_rows = false;
  std::filesystem::path temp_dir;  // default: the system temporary directory
  // Plain input is read in chunks of block_bytes (a round takes at least one per thread, more
  // while the memory bound allows), each cut into pieces of at most 512 KiB; compressed input in
  // blocks of block_bytes per thread. Tests use tiny ones.
  size_t block_bytes = size_t{8} << 20;
  // Sharding (MPI): keep only the users with UserShard(user_id, shard_count) == shard.
  int shard = 0;
  int shard_count = 1;
  std::function<void(const IngestProgress&)> progress;  // called on the reading thread
};

struct IngestStats {
  uint64_t bytes = 0;                         // uncompressed bytes
  uint64_t rows = 0;                          // data rows in the input (all shards)
  uint64_t kept_rows = 0;                     // rows of this shard's users
  uint64_t bad_rows = 0;                      // skipped with skip_bad_rows
  std::vector<std::string> bad_row_examples;  // the first few messages, located
  int32_t min_day = 0;  // over all good rows; meaningful when rows - bad_rows > 0
  int32_t max_day = 0;
  size_t partitions = 0;
  bool spilled = false;  // some partitions went to temporary files
};

// Shard of a user id among `shard_count` (stable across runs and machines).
int UserShard(std::string_view user_id, int shard_count);

class EventStore {
 public:
  // Reads the whole input. Throws InputError on unreadable or bad input (see above).
  static EventStore Ingest(const IngestOptions& options);

  EventStore(EventStore&&) noexcept;
  EventStore& operator=(EventStore&&) noexcept;
  ~EventStore();  // removes the temporary files

  const IngestStats& stats() const;

  // Calls fn(worker_idx, trace) once for every user, from `threads` workers (worker_idx <
  // threads). Users arrive in no particular order; within a user, locations are in natural order.
  void ForEachUser(int threads,
                   const std::function<void(size_t worker, const UserTrace& trace)>& fn) const;

 private:
  struct State;
  explicit EventStore(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Parses a memory size such as "2G", "512M", "64k" or "1000000" (bytes); throws UsageError.
uint64_t ParseMemorySize(std::string_view text);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_INGEST_H_

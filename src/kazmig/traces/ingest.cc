#include "kazmig/traces/ingest.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/byte_source.h"
#include "kazmig/traces/dates.h"
#include "kazmig/traces/internal/event_parser.h"
#include "kazmig/traces/internal/record_codec.h"
#include "kazmig/traces/internal/spill_files.h"

namespace kazmig::traces {
namespace {

using internal::Bytes;
using internal::ChunkResult;
using internal::kMaxBadRowExamples;
using internal::Layout;
using internal::ParseChunk;
using internal::ParseContext;
using internal::RowError;
using internal::Sink;
using internal::Tally;

constexpr size_t kMaxPartitions = 4096;
constexpr uint64_t kMaxLineBytes = uint64_t{16} << 20;  // longer lines are an input error
// Plain input is parsed in pieces of about this size (read into a buffer that stays in the core's
// cache), taken by the workers in turn.
constexpr uint64_t kPieceBytes = uint64_t{512} << 10;
// Compressed input is inflated and parsed in pieces of about this size (smaller than plain input's:
// inflated text is written, then read by the parser, while it stays in cache; 256 KiB measured
// faster than 128 KiB, 512 KiB and 1 MiB on the 10,000-user file).
constexpr size_t kInflatedPieceBytes = size_t{256} << 10;
constexpr uint64_t kPieceSlack = uint64_t{4} << 10;  // read past a piece's end to find its line end
constexpr uint64_t kMaxRoundChunks = 4096;

// A piece of a chunk of plain input: the lines from the first line start at or after `begin` to
// the first at or after `end`, within the chunk [first, last) whose bounds are line starts.
struct Piece {
  uint64_t begin;
  uint64_t end;
  uint64_t first;
  uint64_t last;
};

// Reads the lines of `piece` into `buffer`; 64 bytes after them stay readable. Usually one pread:
// from the byte before `begin` (a line starts at `begin` when that byte is '\n') to a little past
// `end`, read again further while the line that crosses `end` goes on.
std::string_view ReadPiece(const io::PositionalFile& file, const Piece& piece,
                           std::vector<char>* buffer) {
  const bool exact_begin = piece.begin == piece.first;
  const bool exact_end = piece.end == piece.last;
  const uint64_t from = exact_begin ? piece.begin : piece.begin - 1;
  uint64_t to = exact_end ? piece.end : std::min(piece.last, piece.end + kPieceSlack);
  while (true) {
    const auto length = static_cast<size_t>(to - from);
    if (buffer->size() < length + 64) buffer->resize(length + 64);
    char* const data = buffer->data();
    file.Read(from, length, data);
    size_t lo = 0;
    if (!exact_begin) {
      // The first '\n' before byte end - 1; none: the line start after `begin` is that after
      // `end` (the piece has no line of its own).
      const auto before_end = static_cast<size_t>(piece.end - 1 - from);
      const void* newline = std::memchr(data, '\n', before_end);
      if (newline == nullptr) return {};
      lo = static_cast<size_t>(static_cast<const char*>(newline) - data) + 1;
    }
    if (exact_end) return {data + lo, length - lo};
    const auto end_at = static_cast<size_t>(piece.end - 1 - from);
    const void* newline = std::memchr(data + end_at, '\n', length - end_at);
    if (newline != nullptr) {
      return {data + lo, static_cast<size_t>(static_cast<const char*>(newline) - data) + 1 - lo};
    }
    if (to == piece.last) return {data + lo, length - lo};
    to = std::min(piece.last, to + std::max<uint64_t>(kPieceSlack, to - from));  // a long line
  }
}

// Sorts one user's keys (location rank << 32 | day << 12 | (count - 1) << 1 | night). Rows usually
// come in date order, so the keys of each location are already sorted and only their locations
// interleave: a counting sort by location (few per user) then a check of each location's run
// replaces a full sort.
struct KeySorter {
  std::vector<uint32_t> slot_of_rank;  // UINT32_MAX, except for the ranks of the current user
  std::vector<uint32_t> ranks;
  std::vector<uint32_t> starts;
  std::vector<uint64_t> scratch;
};

// Returns where the sorted keys are: `first`, or the sorter's scratch.
const uint64_t* SortKeys(uint64_t* first, uint64_t* last, KeySorter* sorter) {
  constexpr size_t kMaxBuckets = 64;
  sorter->ranks.clear();
  sorter->starts.clear();
  for (const uint64_t* key = first; key < last; ++key) {
    const auto rank = static_cast<uint32_t>(*key >> 32);
    uint32_t& slot = sorter->slot_of_rank[rank];
    if (slot == UINT32_MAX) {
      if (sorter->ranks.size() == kMaxBuckets) break;
      slot = static_cast<uint32_t>(sorter->ranks.size());
      sorter->ranks.push_back(rank);
      sorter->starts.push_back(0);
    }
    ++sorter->starts[slot];
  }
  const bool few = sorter->ranks.size() < kMaxBuckets;
  if (few) {
    // Bucket offsets in rank order.
    std::vector<uint32_t> order(sorter->ranks.size());
    for (uint32_t slot = 0; slot < order.size(); ++slot) order[slot] = slot;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return sorter->ranks[a] < sorter->ranks[b]; });
    uint32_t offset = 0;
    for (uint32_t slot : order) {
      const uint32_t count = sorter->starts[slot];
      sorter->starts[slot] = offset;
      offset += count;
    }
    sorter->scratch.resize(static_cast<size_t>(last - first));
    for (const uint64_t* key = first; key < last; ++key) {
      const uint32_t slot = sorter->slot_of_rank[static_cast<uint32_t>(*key >> 32)];
      sorter->scratch[sorter->starts[slot]++] = *key;
    }
    // Each bucket now ends at starts[slot]; sort those that are not in order.
    uint64_t* const sorted = sorter->scratch.data();
    uint64_t* bucket = sorted;
    for (uint32_t slot : order) {
      uint64_t* bucket_end = sorted + sorter->starts[slot];
      if (!std::is_sorted(bucket, bucket_end)) std::sort(bucket, bucket_end);
      bucket = bucket_end;
    }
  }
  for (uint32_t rank : sorter->ranks) sorter->slot_of_rank[rank] = UINT32_MAX;
  if (few) return sorter->scratch.data();
  std::sort(first, last);
  return first;
}

}  // namespace

struct EventStore::State {
  IngestStats stats;
  int shard = 0;
  size_t partitions = 0;
  std::vector<Sink> sinks;      // one per ingest thread; their own shard's streams
  std::vector<Bytes> received;  // per partition: records sent by other ranks
  std::optional<internal::SpillFiles> spill_files;  // per partition: records spilled to a file
  uint64_t buffered = 0;                            // bytes in memory (own streams and received)

  Bytes& Own(size_t sink_idx, size_t part_idx) {
    return sinks[sink_idx].streams[static_cast<size_t>(shard) * partitions + part_idx].bytes;
  }
  const Bytes& Own(size_t sink_idx, size_t part_idx) const {
    return sinks[sink_idx].streams[static_cast<size_t>(shard) * partitions + part_idx].bytes;
  }
  uint64_t Buffered() const {
    uint64_t total = 0;
    for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
      for (size_t sink_idx = 0; sink_idx < sinks.size(); ++sink_idx) {
        total += Own(sink_idx, part_idx).size();
      }
      if (!received.empty()) total += received[part_idx].size();
    }
    return total;
  }
  // Appends every partition's in-memory records to its temporary file and frees the memory.
  void Spill() {
    spill_files->CreateFolder();
    std::vector<Bytes*> pieces;
    std::vector<std::string_view> views;
    for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
      pieces.clear();
      for (size_t sink_idx = 0; sink_idx < sinks.size(); ++sink_idx) {
        if (!Own(sink_idx, part_idx).empty()) pieces.push_back(&Own(sink_idx, part_idx));
      }
      if (!received.empty() && !received[part_idx].empty()) pieces.push_back(&received[part_idx]);
      if (pieces.empty()) continue;
      views.clear();
      for (const Bytes* piece : pieces) views.push_back(piece->view());
      spill_files->Append(part_idx, views);
      for (Bytes* piece : pieces) piece->Release();
    }
    stats.spilled = true;
  }
};

int UserShard(std::string_view user_id, int shard_count) {
  return static_cast<int>(internal::HashUser(user_id) % static_cast<uint64_t>(shard_count));
}

uint64_t ParseMemorySize(std::string_view text) {
  std::string_view digits = internal::Trim(text);
  uint64_t scale = 1;
  if (!digits.empty()) {
    switch (std::toupper(static_cast<unsigned char>(digits.back()))) {
      case 'K':
        scale = uint64_t{1} << 10;
        break;
      case 'M':
        scale = uint64_t{1} << 20;
        break;
      case 'G':
        scale = uint64_t{1} << 30;
        break;
      case 'T':
        scale = uint64_t{1} << 40;
        break;
      default:
        break;
    }
    if (scale != 1) digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 12 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw UsageError("--memory: expected a size such as 2G, 512M or 1000000, got '" +
                     std::string(text) + "'");
  }
  const uint64_t value = std::stoull(std::string(digits)) * scale;
  if (value < (uint64_t{16} << 20)) throw UsageError("--memory must be at least 16M");
  return value;
}

EventStore::EventStore(std::unique_ptr<State> state) : state_(std::move(state)) {}
EventStore::EventStore(EventStore&&) noexcept = default;
EventStore& EventStore::operator=(EventStore&&) noexcept = default;
EventStore::~EventStore() = default;
const IngestStats& EventStore::stats() const { return state_->stats; }

EventStore EventStore::Ingest(const IngestOptions& options) {
  if (options.shard_count < 1 || options.shard < 0 || options.shard >= options.shard_count) {
    throw UsageError("invalid shard");
  }
  const std::string name = options.input.string();
  const int threads = ResolveThreads(options.threads);
  // A round (plain input) or a block (compressed) takes threads x block_bytes of text, whose
  // records are added before the memory is checked: keep that within an eighth of the bound.
  const size_t block_bytes = std::max<size_t>(
      std::min<uint64_t>(options.block_bytes, std::max<uint64_t>(options.memory_bytes / 8 /
                                                                     static_cast<uint64_t>(threads),
                                                                 uint64_t{64} << 10)),
      1);
  // Under MPI (this rank being the world's shard), a failure that may hit some ranks only is
  // agreed on (AgreeOnFailure), or passed in the tallies below, so that every rank throws the
  // same error, marked Collective, instead of leaving the others waiting.
  const bool world_run = options.shard_count > 1 && World().size == options.shard_count &&
                         World().rank == options.shard;
  auto agree = [&](const std::function<void()>& step) {
    if (world_run) return AgreeOnFailure(step);
    step();
  };
  bool compressed = false;
  std::unique_ptr<io::ByteSource> source;
  agree([&] { source = io::OpenByteSource(options.input, &compressed); });
  std::error_code size_error;
  const uint64_t file_size = std::filesystem::file_size(options.input, size_error);
  const uint64_t estimated = (size_error ? 0 : file_size) * (compressed ? 6 : 1) /
                             static_cast<uint64_t>(options.shard_count);
  // Ranks parse their own byte range and exchange records when this is the MPI world's shard.
  const bool exchange = world_run && !compressed;

  auto state = std::make_unique<State>();
  IngestStats& stats = state->stats;
  // Processing a partition takes about 3 times its encoded size, for `threads` partitions at once;
  // encoded rows are at most the size of the CSV text. Keep that within half the memory bound.
  const uint64_t half_memory = options.memory_bytes / 2;
  uint64_t partitions =
      (3 * estimated * static_cast<uint64_t>(threads)) / std::max<uint64_t>(half_memory, 1) + 1;
  partitions = std::max<uint64_t>(partitions, static_cast<uint64_t>(threads) * 16);  // balance
  partitions = std::min<uint64_t>(partitions, kMaxPartitions);
  state->shard = options.shard;
  state->partitions = partitions;
  state->sinks.resize(static_cast<size_t>(threads));
  for (Sink& sink : state->sinks) {
    sink.streams.resize(static_cast<size_t>(options.shard_count) * partitions);
  }
  state->spill_files.emplace(partitions, options.temp_dir);
  if (exchange) state->received.resize(partitions);
  stats.partitions = partitions;

  const ParseContext context{nullptr,
                             options.skip_bad_rows,
                             options.shard,
                             options.shard_count,
                             static_cast<size_t>(partitions),
                             exchange};
  Tally tally;
  // Runs work(worker) on `count` threads (the calling one included); rethrows the first failure.
  auto run_workers = [&](size_t count, const std::function<void(size_t)>& work) {
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> failures(count);
    for (size_t worker = 0; worker < count; ++worker) {
      auto guarded = [&, worker] {
        try {
          work(worker);
        } catch (...) {
          failures[worker] = std::current_exception();
        }
      };
      if (worker + 1 == count) {
        guarded();
      } else {
        workers.emplace_back(guarded);
      }
    }
    for (std::thread& thread : workers) thread.join();
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
  };
  auto maybe_spill = [&] {
    if (state->Buffered() > half_memory) state->Spill();
  };

  if (!compressed) {
    // Plain input: this rank's byte range [range_begin, range_end), split at line starts, read in
    // chunks of block_bytes (each worker reads its own with pread), `threads` chunks per round.
    source.reset();
    std::optional<io::PositionalFile> opened;
    uint64_t size = 0;
    Layout layout;
    uint64_t data_begin = 0;
    agree([&] {
      opened.emplace(name);
      size = opened->size();
      if (size == 0) throw InputError(name, 1, 0, "empty file (expected a header row)");
      std::string head(static_cast<size_t>(std::min<uint64_t>(size, uint64_t{1} << 20)), '\0');
      opened->Read(0, head.size(), head.data());
      const size_t header_end = head.find('\n');
      if (header_end == std::string::npos && size > head.size()) {
        throw InputError(name, 1, 0, "header line too long");
      }
      layout = internal::ParseHeader(
          name, std::string_view(head).substr(0, std::min(header_end, head.size())));
      data_begin = header_end == std::string::npos ? size : header_end + 1;
    });
    const io::PositionalFile& file = *opened;
    ParseContext chunk_context = context;
    chunk_context.layout = &layout;
    const auto ranges = static_cast<uint64_t>(exchange ? options.shard_count : 1);
    const auto range_idx = static_cast<uint64_t>(exchange ? options.shard : 0);
    auto nominal = [&](uint64_t idx) { return data_begin + (size - data_begin) * idx / ranges; };
    const uint64_t range_begin = file.LineStartAtOrAfter(data_begin, size, nominal(range_idx));
    const uint64_t range_end = file.LineStartAtOrAfter(data_begin, size, nominal(range_idx + 1));
    const uint64_t chunks = (range_end - range_begin + block_bytes - 1) / block_bytes;
    // A round parses consecutive chunks, as many as the memory bound allows (the streams grow by
    // at most the round's text before the next spill check), at least one per thread. Its chunks
    // are cut into pieces of about kPieceBytes, which the workers take in turn: a piece read with
    // pread stays in the core's cache while it is parsed, and a worker that finishes early takes
    // the next piece instead of waiting for the others.
    const uint64_t round_budget = std::max<uint64_t>(
        static_cast<uint64_t>(threads) * block_bytes,
        std::min<uint64_t>(options.memory_bytes / 8, uint64_t{kMaxRoundChunks} * block_bytes));
    const uint64_t round_max_chunks = std::max<uint64_t>(round_budget / block_bytes, 1);
    const uint64_t piece_bytes = std::min<uint64_t>(block_bytes, kPieceBytes);
    std::vector<std::vector<char>> buffers(static_cast<size_t>(threads));
    std::vector<ChunkResult> piece_results;
    std::vector<Piece> pieces;
    std::vector<uint64_t> chunk_starts;  // line starts of the round's chunks, then its end
    uint64_t next_chunk = 0;
    uint64_t chunk_start = range_begin;  // line start of chunk next_chunk
    bool stopped = false;                // a lower rank failed: this rank's rows no longer matter
    uint64_t parsed_to = range_begin;
    std::atomic<uint64_t> parsed_bytes{0};
    std::atomic<uint64_t> parsed_rows{0};
    while (true) {
      pieces.clear();
      uint64_t round_chunks =
          tally.stopped() || stopped ? 0 : std::min(round_max_chunks, chunks - next_chunk);
      // Under MPI a failure of this rank alone is kept in the tally and thrown by every rank at the
      // end; alone, it is thrown at once.
      auto locally = [&](const std::function<void()>& step) {
        if (!exchange) return step();
        try {
          step();
        } catch (const InputError& error) {
          tally.fatal_kind = 1;
          tally.fatal_message = error.what();
        } catch (const std::exception& error) {
          tally.fatal_kind = 2;
          tally.fatal_message = error.what();
        }
      };
      if (round_chunks > 0) {
        locally([&] {
          // The chunks' line starts; a chunk longer than its bytes plus kMaxLineBytes holds a
          // line too long: the chunks before it are parsed (an error there comes first), then
          // the error is thrown.
          std::optional<InputError> too_long;
          chunk_starts.assign(1, chunk_start);
          for (uint64_t chunk = next_chunk; chunk < next_chunk + round_chunks; ++chunk) {
            const uint64_t end = file.LineStartAtOrAfter(range_begin, range_end,
                                                         range_begin + (chunk + 1) * block_bytes);
            if (end - chunk_starts.back() > block_bytes + kMaxLineBytes) {
              // The line number is not known here (lines before the chunk are not counted yet).
              too_long.emplace(name, 0, 0,
                               "line too long (no line end within 16 MB after byte " +
                                   std::to_string(range_begin + (chunk + 1) * block_bytes) + ")");
              round_chunks = chunk - next_chunk;
              break;
            }
            chunk_starts.push_back(end);
          }
          // Pieces in file order: [start + k * piece_bytes, ...) of each chunk, each beginning
          // and ending at the first line start at or after its nominal bounds (the chunk's bounds
          // exactly).
          for (uint64_t idx = 0; idx < round_chunks; ++idx) {
            const uint64_t first = chunk_starts[idx];
            const uint64_t last = chunk_starts[idx + 1];
            for (uint64_t at = first; at < last; at += piece_bytes) {
              pieces.push_back(Piece{at, std::min(at + piece_bytes, last), first, last});
            }
          }
          if (piece_results.size() < pieces.size()) piece_results.resize(pieces.size());
          for (size_t piece_idx = 0; piece_idx < pieces.size(); ++piece_idx) {
            piece_results[piece_idx].Reset(static_cast<size_t>(options.shard_count));
          }
          const uint64_t round_begin = chunk_start;
          uint64_t shown_bytes = 0;  // progress shown (by the calling thread)
          std::atomic<size_t> next_piece{0};
          std::atomic<size_t> stop_at{pieces.size()};  // pieces after a bad row are not needed
          const auto workers = static_cast<size_t>(std::min<uint64_t>(
              static_cast<uint64_t>(threads), std::max<size_t>(pieces.size(), 1)));
          run_workers(workers, [&](size_t worker) {
            std::vector<char>& buffer = buffers[worker];
            for (size_t piece_idx = next_piece.fetch_add(1); piece_idx < stop_at.load();
                 piece_idx = next_piece.fetch_add(1)) {
              ChunkResult& result = piece_results[piece_idx];
              const std::string_view text = ReadPiece(file, pieces[piece_idx], &buffer);
              if (!text.empty()) {
                ParseChunk(chunk_context, text.data(), text.data() + text.size(),
                           &state->sinks[worker], &result);
              }
              if (!result.errors.empty() && !options.skip_bad_rows) {
                size_t stop = stop_at.load();
                while (piece_idx + 1 < stop &&
                       !stop_at.compare_exchange_weak(stop, piece_idx + 1)) {
                }
              }
              parsed_bytes.fetch_add(pieces[piece_idx].end - pieces[piece_idx].begin);
              parsed_rows.fetch_add(result.rows);
              if (options.progress && worker + 1 == workers &&  // the calling thread
                  parsed_bytes.load() >= shown_bytes + block_bytes) {
                shown_bytes = parsed_bytes.load();
                const uint64_t done = round_begin - range_begin + shown_bytes;
                options.progress(IngestProgress{done, tally.rows + parsed_rows.load(),
                                                range_end - range_begin, done});
              }
            }
          });
          for (size_t piece_idx = 0; piece_idx < std::min(stop_at.load(), pieces.size());
               ++piece_idx) {
            tally.Add(piece_results[piece_idx], options.shard, options.skip_bad_rows);
          }
          parsed_bytes.store(0);
          parsed_rows.store(0);
          if (too_long && !tally.failed) throw *too_long;
        });
        next_chunk += round_chunks;
        chunk_start = chunk_starts.back();
        parsed_to = chunk_start;
        if (tally.fatal_kind != 0) next_chunk = chunks;  // (under MPI: stopped, see above)
      }
      bool more = !tally.stopped() && !stopped && next_chunk < chunks;
      if (exchange) {
        // Send other shards' records to their ranks: per rank a u64 row count, then
        // (u32 partition, u32 size, bytes) pieces.
        const auto shards = static_cast<size_t>(options.shard_count);
        std::vector<std::string> outgoing(shards);
        for (size_t dest = 0; dest < shards; ++dest) {
          if (static_cast<int>(dest) == options.shard) continue;
          uint64_t rows = 0;  // (the results are incomplete after a failure: the count is moot)
          for (size_t piece_idx = 0; piece_idx < pieces.size() && tally.fatal_kind == 0;
               ++piece_idx) {
            if (!piece_results[piece_idx].shard_rows.empty()) {
              rows += piece_results[piece_idx].shard_rows[dest];
            }
          }
          std::string& out = outgoing[dest];
          out.append(reinterpret_cast<const char*>(&rows), 8);
          for (Sink& sink : state->sinks) {
            for (size_t part_idx = 0; part_idx < partitions; ++part_idx) {
              Bytes& bytes = sink.streams[dest * partitions + part_idx].bytes;
              if (bytes.empty()) continue;
              const auto part32 = static_cast<uint32_t>(part_idx);
              const auto size32 = static_cast<uint32_t>(bytes.size());
              out.append(reinterpret_cast<const char*>(&part32), 4);
              out.append(reinterpret_cast<const char*>(&size32), 4);
              out.append(bytes.data(), bytes.size());
              bytes.Clear();
            }
          }
        }
        const std::vector<std::string> incoming = AllToAll(outgoing);
        for (size_t from = 0; from < shards; ++from) {
          if (static_cast<int>(from) == options.shard) continue;
          const std::string& in = incoming[from];
          uint64_t rows = 0;
          std::memcpy(&rows, in.data(), 8);
          tally.kept_rows += rows;
          for (size_t pos = 8; pos < in.size();) {
            uint32_t part32 = 0, size32 = 0;
            std::memcpy(&part32, in.data() + pos, 4);
            std::memcpy(&size32, in.data() + pos + 4, 4);
            state->received[part32].Append(in.data() + pos + 8, size32);
            pos += 8 + size32;
          }
        }
        // Who has more to parse, and who failed (ranks after a failed one may stop).
        const char status[2] = {static_cast<char>(more), static_cast<char>(tally.stopped())};
        const std::vector<std::string> statuses = AllGather(std::string(status, 2));
        bool anyone_more = false;
        for (size_t rank = 0; rank < statuses.size(); ++rank) {
          if (statuses[rank][1] != 0 && static_cast<int>(rank) < options.shard) stopped = true;
          if (statuses[rank][0] != 0) anyone_more = true;
        }
        more = anyone_more;
      }
      locally(maybe_spill);
      if (options.progress) {
        options.progress(IngestProgress{parsed_to - range_begin, tally.rows,
                                        range_end - range_begin, parsed_to - range_begin});
      }
      if (!more) break;
    }
    // Combine the ranks' tallies in file order: line numbers, totals, the first error.
    const std::vector<std::string> tallies =
        exchange ? AllGather(tally.Serialize()) : std::vector<std::string>{tally.Serialize()};
    uint64_t lines_before = 1;  // the header
    const uint64_t own_kept = tally.kept_rows;
    stats.rows = stats.bad_rows = 0;
    stats.min_day = INT32_MAX;
    stats.max_day = INT32_MIN;
    // Every rank finds the same error in the same tallies.
    auto fail = [&](const auto& error) {
      if (exchange) throw Collective<std::decay_t<decltype(error)>>(error);
      throw error;
    };
    for (const std::string& bytes : tallies) {
      const Tally rank_tally = exchange ? Tally::Deserialize(bytes) : tally;
      for (const RowError& error : rank_tally.errors) {
        const auto line = static_cast<long>(lines_before + error.local_line);
        if (rank_tally.failed) fail(InputError(name, line, error.column, error.message));
        if (stats.bad_row_examples.size() < kMaxBadRowExamples) {
          stats.bad_row_examples.push_back(
              InputError(name, line, error.column, error.message).what());
        }
      }
      if (rank_tally.fatal_kind == 1) fail(InputError(rank_tally.fatal_message));
      if (rank_tally.fatal_kind != 0) fail(ComputeError(rank_tally.fatal_message));
      lines_before += rank_tally.lines;
      stats.rows += rank_tally.rows;
      stats.bad_rows += rank_tally.bad_rows;
      stats.min_day = std::min(stats.min_day, rank_tally.min_day);
      stats.max_day = std::max(stats.max_day, rank_tally.max_day);
    }
    stats.kept_rows = own_kept;
    stats.bytes = size;
  } else {
    // Compressed input: one stream, inflated by one thread at a time into a ring of reused piece
    // buffers (each piece cut after its last complete line, the rest carried to the next), whose
    // pieces the workers take in file order as they become ready. A thread inflates the next
    // piece when no other does, a slot is free and fewer than `threads` pieces wait; otherwise it
    // parses the oldest waiting piece (so the inflating thread parses when it is ahead, and no
    // thread waits for a whole block). Results are tallied in file order (line numbers, the first
    // error); a read error or an overlong line is reported once the pieces before it are tallied,
    // at the same line as before (see block_limit). Under MPI every rank reads the whole stream and
    // keeps its users, and the ranks agree on a failure at the end (they usually fail alike, but
    // one may fail alone).
    agree([&] {
      // The first read (a failure there is at line 1) and the longest line are as before: half a
      // block per thread (a whole one with one thread) plus 64 KiB.
      const size_t buffer_block = threads > 1 ? std::max<size_t>(block_bytes / 2, 1) : block_bytes;
      const size_t capacity = buffer_block * static_cast<size_t>(threads) + (1 << 16);
      std::vector<char> first(capacity + 64);
      size_t first_filled = 0;
      bool eof = false;
      while (!eof && first_filled < capacity) {
        const size_t got = source->Read(first.data() + first_filled, capacity - first_filled, 1);
        if (got == 0) eof = true;
        first_filled += got;
      }
      const char* header_end =
          static_cast<const char*>(std::memchr(first.data(), '\n', first_filled));
      if (first_filled == 0) throw InputError(name, 1, 0, "empty file (expected a header row)");
      if (header_end == nullptr && !eof) throw InputError(name, 1, 0, "header line too long");
      const size_t header_len =
          header_end == nullptr ? first_filled : static_cast<size_t>(header_end - first.data());
      const Layout layout = internal::ParseHeader(name, std::string_view(first.data(), header_len));
      ParseContext piece_context = context;
      piece_context.layout = &layout;

      // The inflating state, used by one thread at a time (handed on under `mutex`).
      size_t first_at = std::min(first_filled, header_len + 1);  // `first` bytes not handed on
      uint64_t read_bytes = first_filled;
      const char* carry = nullptr;  // the previous piece's incomplete last line
      size_t carry_length = 0;
      const size_t piece_bytes = std::min(buffer_block, kInflatedPieceBytes);
      const size_t slot_count =
          std::max<size_t>(2 * static_cast<size_t>(threads), capacity / piece_bytes);
      struct Slot {
        std::vector<char> text;
        size_t length = 0;  // the piece: text[0, length)
        bool parsed = false;
        ChunkResult result;
      };
      std::vector<Slot> slots(slot_count);
      // Fills `slot` with the next piece; false at the end of the stream. Throws InputError (line
      // 0) for a read error or a line longer than `capacity`.
      // Where an earlier version's blocks of `capacity` bytes ended (each refill read up to
      // `capacity` past the last line end of the block before): a read error or an overlong line
      // is still reported at the line after the last block end before it, as then.
      uint64_t handed = first_at;       // stream bytes put into pieces
      uint64_t block_limit = capacity;  // the current block's end (the first fill's)
      uint64_t block_end_pieces = 0;    // pieces before the last block end
      auto inflate = [&](Slot& slot, uint64_t piece) {
        std::vector<char>& text = slot.text;
        const uint64_t piece_start = handed - carry_length;
        size_t target = std::max(piece_bytes, std::min(capacity, 2 * carry_length));
        if (text.size() < target + 64) text.resize(target + 64);
        if (carry_length > 0) std::memcpy(text.data(), carry, carry_length);
        size_t have = carry_length;
        while (true) {
          while (have < target && handed < block_limit && (first_at < first_filled || !eof)) {
            const auto want =
                static_cast<size_t>(std::min<uint64_t>(target - have, block_limit - handed));
            size_t got = 0;
            if (first_at < first_filled) {
              got = std::min(want, first_filled - first_at);
              std::memcpy(text.data() + have, first.data() + first_at, got);
              first_at += got;
              if (first_at == first_filled) std::vector<char>().swap(first);
            } else {
              got = source->Read(text.data() + have, want, 0);
              if (got == 0) eof = true;
              read_bytes += got;
            }
            have += got;
            handed += got;
          }
          if (eof && first_at >= first_filled) {
            slot.length = have;
            break;
          }
          const void* newline = memrchr(text.data(), '\n', have);
          const size_t cut =
              newline == nullptr
                  ? 0
                  : static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1;
          if (handed == block_limit) {
            if (newline == nullptr && piece_start + capacity == block_limit) {
              throw InputError(name, 0, 0, "line too long");
            }
            block_end_pieces = newline == nullptr ? piece : piece + 1;
            block_limit = piece_start + cut + capacity;
          }
          if (newline != nullptr) {
            slot.length = cut;
            break;
          }
          if (have == target) {
            if (target >= capacity) throw InputError(name, 0, 0, "line too long");
            target = std::min(capacity, 2 * target);
            text.resize(target + 64);
          }
        }
        carry = text.data() + slot.length;
        carry_length = have - slot.length;
        return slot.length > 0;
      };

      std::mutex mutex;
      std::condition_variable changed;
      uint64_t inflated = 0;  // pieces inflated; piece k is in slots[k % slot_count]
      uint64_t taken = 0;     // pieces given to a parser
      uint64_t tallied = 0;   // pieces tallied (their slots free again)
      size_t parsing = 0;
      bool inflating = false;
      bool stream_done = false;  // no more pieces: the end, or a read failure at `inflated`
      std::optional<std::string> read_error;  // an InputError's detail
      uint64_t read_error_pieces = 0;         // pieces before the block end before it
      std::vector<uint64_t> lines_after{0};   // lines tallied after each number of pieces
      std::exception_ptr other_failure;       // another read failure, or a parser's
      bool stop = false;
      uint64_t done_bytes = first_at;  // text tallied (the header's included)
      uint64_t consumed = source->consumed();
      uint64_t shown_bytes = 0;
      // The memory is checked (with every parser idle) when the text parsed since the last check
      // could have pushed the records past half the bound.
      uint64_t buffered_at_check = state->Buffered();
      uint64_t text_since_check = 0;
      bool check_memory = false;
      const auto shards = static_cast<size_t>(options.shard_count);
      const size_t main_worker = static_cast<size_t>(threads) - 1;  // run_workers' calling thread
      auto advance = [&] {  // tallies the parsed pieces in order (`mutex` held)
        while (!stop && tallied < inflated && slots[tallied % slot_count].parsed) {
          Slot& slot = slots[tallied % slot_count];
          slot.parsed = false;
          tally.Add(slot.result, options.shard, options.skip_bad_rows);
          lines_after.push_back(tally.lines);
          done_bytes += slot.length;
          ++tallied;
          if (tally.failed) stop = true;
        }
        if (stream_done && tallied == inflated && (read_error || other_failure)) stop = true;
      };
      run_workers(static_cast<size_t>(threads), [&](size_t worker) {
        std::unique_lock<std::mutex> lock(mutex);
        while (!stop) {
          if (check_memory && parsing == 0) {
            try {
              if (state->Buffered() > half_memory) state->Spill();
              buffered_at_check = state->Buffered();
            } catch (...) {
              if (!other_failure) other_failure = std::current_exception();
              stop = true;
            }
            text_since_check = 0;
            check_memory = false;
            changed.notify_all();
            continue;
          }
          const uint64_t waiting = inflated - taken;
          if (!inflating && !stream_done && inflated - tallied < slot_count &&
              (waiting < static_cast<uint64_t>(threads) || check_memory)) {
            inflating = true;
            const uint64_t piece = inflated;
            Slot& slot = slots[piece % slot_count];
            lock.unlock();
            bool more = false;
            std::optional<std::string> error;
            std::exception_ptr failure;
            try {
              more = inflate(slot, piece);
            } catch (const InputError& input_error) {
              error = input_error.detail();
            } catch (...) {
              failure = std::current_exception();
            }
            const uint64_t now_consumed = source->consumed();
            lock.lock();
            inflating = false;
            consumed = now_consumed;
            if (more) {
              ++inflated;
            } else {
              stream_done = true;
              read_error = std::move(error);
              read_error_pieces = block_end_pieces;
              if (failure && !other_failure) other_failure = failure;
              advance();
            }
            changed.notify_all();
            continue;
          }
          if (waiting > 0 && !check_memory) {
            Slot& slot = slots[taken % slot_count];
            ++taken;
            ++parsing;
            lock.unlock();
            std::exception_ptr failure;
            try {
              slot.result.Reset(shards);
              ParseChunk(piece_context, slot.text.data(), slot.text.data() + slot.length,
                         &state->sinks[worker], &slot.result);
            } catch (...) {
              failure = std::current_exception();
            }
            lock.lock();
            --parsing;
            slot.parsed = true;
            if (failure) {
              if (!other_failure) other_failure = failure;
              stop = true;
            }
            text_since_check += slot.length;
            if (buffered_at_check + text_since_check > half_memory) check_memory = true;
            advance();
            changed.notify_all();
            if (options.progress && worker == main_worker &&
                done_bytes >= shown_bytes + buffer_block) {
              shown_bytes = done_bytes;
              const IngestProgress progress{done_bytes, tally.rows, file_size, consumed};
              lock.unlock();
              options.progress(progress);
              lock.lock();
            }
            continue;
          }
          if (stream_done && taken == inflated && !check_memory) break;
          changed.wait(lock);
        }
        changed.notify_all();
      });
      if (tally.failed) {
        const RowError& error = tally.errors.front();
        throw InputError(name, static_cast<long>(1 + error.local_line), error.column,
                         error.message);
      }
      if (other_failure) std::rethrow_exception(other_failure);
      // As before: the line after the last block end before the failure.
      if (read_error) {
        throw InputError(name, static_cast<long>(lines_after[read_error_pieces] + 2), 0,
                         *read_error);
      }
      stats.bytes = read_bytes;
      maybe_spill();
      if (options.progress) {
        options.progress(IngestProgress{done_bytes, tally.rows, file_size, source->consumed()});
      }
      for (const RowError& error : tally.errors) {
        stats.bad_row_examples.push_back(
            InputError(name, static_cast<long>(1 + error.local_line), error.column, error.message)
                .what());
      }
      stats.rows = tally.rows;
      stats.bad_rows = tally.bad_rows;
      stats.kept_rows = tally.kept_rows;
      stats.min_day = tally.min_day;
      stats.max_day = tally.max_day;
    });
  }
  agree([&] {
    if (stats.spilled) state->Spill();
  });
  if (stats.rows == stats.bad_rows) {
    stats.min_day = 0;
    stats.max_day = 0;
  }
  return EventStore(std::move(state));
}

void EventStore::ForEachUser(
    int threads, const std::function<void(size_t worker, const UserTrace& trace)>& fn) const {
  threads = ResolveThreads(threads);
  std::atomic<size_t> next_partition{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&](size_t worker) {
    std::string loaded;
    std::vector<uint32_t> named;  // indices of the names in the records, in order
    std::vector<std::string_view> users;
    std::vector<std::string_view> locations;
    std::unordered_map<std::string_view, uint32_t> user_index;
    std::unordered_map<std::string_view, uint32_t> loc_index;
    std::vector<uint32_t> loc_rank;
    std::vector<uint32_t> user_offsets;
    std::vector<uint32_t> fill_at;
    std::unique_ptr<uint64_t[]> key_buffer;
    size_t key_capacity = 0;
    std::vector<std::string_view> pieces;
    KeySorter sorter;
    UserTrace trace;
    try {
      while (true) {
        const size_t part_idx = next_partition.fetch_add(1);
        if (part_idx >= state_->partitions) break;
        pieces.clear();
        if (state_->spill_files->bytes(part_idx) > 0) {
          state_->spill_files->Load(part_idx, &loaded);
          pieces.push_back(loaded);
        }
        for (size_t sink_idx = 0; sink_idx < state_->sinks.size(); ++sink_idx) {
          const Bytes& own = state_->Own(sink_idx, part_idx);
          if (!own.empty()) pieces.push_back(own.view());
        }
        if (!state_->received.empty() && !state_->received[part_idx].empty()) {
          pieces.push_back(state_->received[part_idx].view());
        }
        if (pieces.empty()) continue;
        // Decode (record_codec.h) and intern, counting each user's records; the indices of the
        // names met are kept in order for the second pass.
        users.clear();
        locations.clear();
        user_index.clear();
        loc_index.clear();
        named.clear();
        user_offsets.assign(1, 0);
        // The index of `name` in `names`, added when new.
        auto intern = [](std::string_view name,
                         std::unordered_map<std::string_view, uint32_t>& index,
                         std::vector<std::string_view>& names) {
          const auto [it, inserted] = index.try_emplace(name, static_cast<uint32_t>(names.size()));
          if (inserted) names.push_back(name);
          return it->second;
        };
        size_t record_count = 0;
        for (const std::string_view bytes : pieces) {
          uint32_t user_idx = 0;
          internal::RecordReader reader(bytes);
          internal::DecodedRecord record;
          while (reader.Next(&record)) {
            if (record.new_user) {
              user_idx = intern(record.user, user_index, users);
              if (user_idx + 2 > user_offsets.size()) user_offsets.push_back(0);
              named.push_back(user_idx);
            }
            if (record.new_location) named.push_back(intern(record.location, loc_index, locations));
            ++user_offsets[user_idx + 1];
            ++record_count;
          }
        }
        // Natural rank of each location.
        std::vector<uint32_t> by_name(locations.size());
        for (uint32_t rank = 0; rank < by_name.size(); ++rank) by_name[rank] = rank;
        std::sort(by_name.begin(), by_name.end(),
                  [&](uint32_t a, uint32_t b) { return NaturalLess(locations[a], locations[b]); });
        loc_rank.assign(locations.size(), 0);
        sorter.slot_of_rank.assign(locations.size(), UINT32_MAX);
        for (uint32_t rank = 0; rank < by_name.size(); ++rank) loc_rank[by_name[rank]] = rank;
        // Counting sort by user (second pass over the records); key = rank << 32 | day << 12 |
        // (count - 1) << 1 | night.
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          user_offsets[user_idx + 1] += user_offsets[user_idx];
        }
        if (key_capacity < record_count) {
          key_capacity = std::max(record_count, key_capacity + key_capacity / 2);
          key_buffer.reset(new uint64_t[key_capacity]);  // not zeroed: every key is written
        }
        uint64_t* const keys = key_buffer.get();
        fill_at.assign(user_offsets.begin(), user_offsets.end() - 1);
        const uint32_t* next_name = named.data();
        for (const std::string_view bytes : pieces) {
          uint32_t user_idx = 0;
          uint64_t rank = 0;
          internal::RecordReader reader(bytes);
          internal::DecodedRecord record;
          while (reader.Next(&record)) {
            if (record.new_user) user_idx = *next_name++;
            if (record.new_location) rank = uint64_t{loc_rank[*next_name++]} << 32;
            const bool night = record.hour >= 0 && (record.hour <= 9 || record.hour >= 19);
            keys[fill_at[user_idx]++] = rank | (uint64_t{record.day} << 12) |
                                        (uint64_t{record.count - 1u} << 1) | (night ? 1 : 0);
          }
        }
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          const uint64_t* first = keys + user_offsets[user_idx];
          const uint64_t* last = keys + user_offsets[user_idx + 1];
          if (!std::is_sorted(first, last)) {
            const uint64_t* sorted =
                SortKeys(keys + user_offsets[user_idx], keys + user_offsets[user_idx + 1], &sorter);
            last = sorted + (last - first);
            first = sorted;
          }
          trace.Clear();
          trace.user_id = users[user_idx];
          uint64_t current_rank = UINT64_MAX;
          int64_t current_day = INT64_MIN;
          for (const uint64_t* key = first; key < last; ++key) {
            const uint64_t rank = *key >> 32;
            const auto day = static_cast<int32_t>((*key >> 12) & 0xffffu);
            const auto count = static_cast<uint32_t>(((*key >> 1) & 0x7ffu) + 1);
            if (rank != current_rank) {
              if (current_rank != UINT64_MAX) {
                trace.offsets.push_back(static_cast<uint32_t>(trace.days.size()));
              }
              trace.locations.push_back(locations[by_name[rank]]);
              current_rank = rank;
              current_day = INT64_MIN;
            }
            if (day != current_day) {
              trace.days.push_back(day);
              trace.records.push_back(0);
              trace.night_records.push_back(0);
              current_day = day;
            }
            trace.records.back() += count;
            trace.night_records.back() += (*key & 1) != 0 ? count : 0;
          }
          trace.offsets.push_back(static_cast<uint32_t>(trace.days.size()));
          fn(worker, trace);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next_partition.store(state_->partitions);
    }
  };
  std::vector<std::thread> workers;
  for (int worker = 1; worker < threads; ++worker) {
    workers.emplace_back(work, static_cast<size_t>(worker));
  }
  work(0);
  for (std::thread& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kazmig::traces

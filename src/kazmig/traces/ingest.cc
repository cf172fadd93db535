#include "kazmig/traces/ingest.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "kazmig/core/error.h"
#include "kazmig/traces/dates.h"

namespace kazmig::traces {
namespace {

constexpr size_t kBlockBytesPerThread = size_t{8} << 20;
constexpr size_t kMaxBadRowExamples = 5;
constexpr size_t kMaxPartitions = 4096;

// ---------------------------------------------------------------------------------------------
// Byte sources: plain, gzip, zstd.

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; 0 at the end. Throws InputError for a truncated or corrupt stream;
  // `line` is the line being read, for the message.
  virtual size_t Read(char* data, size_t size, long line) = 0;
  virtual uint64_t consumed() const = 0;  // bytes of the file consumed
};

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

std::unique_ptr<ByteSource> OpenSource(const std::filesystem::path& path, bool* compressed) {
  const std::string name = path.string();
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

// ---------------------------------------------------------------------------------------------
// Hashing and record encoding.

uint64_t HashUser(std::string_view user_id) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, then a SplitMix64 finaliser
  for (char c : user_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

// A record in a partition: u16 user length, user, u16 location length, location, i32 day,
// i8 hour (-1 when unknown). Host byte order (temporary files never leave the machine).
void AppendRecord(std::string* out, std::string_view user, std::string_view location, int32_t day,
                  int hour) {
  const auto user_len = static_cast<uint16_t>(user.size());
  const auto loc_len = static_cast<uint16_t>(location.size());
  const auto hour8 = static_cast<int8_t>(hour);
  const size_t size = 2 + user.size() + 2 + location.size() + 4 + 1;
  char local[256];
  char* dst = size <= sizeof(local) ? local : nullptr;
  std::string large;
  if (dst == nullptr) {
    large.resize(size);
    dst = large.data();
  }
  char* at = dst;
  std::memcpy(at, &user_len, 2);
  std::memcpy(at + 2, user.data(), user.size());
  at += 2 + user.size();
  std::memcpy(at, &loc_len, 2);
  std::memcpy(at + 2, location.data(), location.size());
  at += 2 + location.size();
  std::memcpy(at, &day, 4);
  std::memcpy(at + 4, &hour8, 1);
  out->append(dst, size);  // one append per record
}

// ---------------------------------------------------------------------------------------------
// Header and row parsing.

struct Layout {
  char delimiter = ',';
  size_t user_col = 0;
  size_t date_col = 0;
  size_t loc_col = 0;
  size_t needed = 0;  // fields needed: max column + 1
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

Layout ParseHeader(const std::string& name, std::string_view line) {
  if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF &&
      static_cast<unsigned char>(line[1]) == 0xBB && static_cast<unsigned char>(line[2]) == 0xBF) {
    line.remove_prefix(3);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Layout layout;
  const size_t commas = static_cast<size_t>(std::count(line.begin(), line.end(), ','));
  const size_t semicolons = static_cast<size_t>(std::count(line.begin(), line.end(), ';'));
  const size_t tabs = static_cast<size_t>(std::count(line.begin(), line.end(), '\t'));
  if (semicolons > commas && semicolons >= tabs) layout.delimiter = ';';
  if (tabs > commas && tabs > semicolons) layout.delimiter = '\t';
  std::vector<std::string> columns;
  size_t start = 0;
  while (true) {
    const size_t end = line.find(layout.delimiter, start);
    std::string_view field =
        Trim(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
      field = field.substr(1, field.size() - 2);
    }
    columns.push_back(Lower(Trim(field)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  auto find = [&](const char* wanted) -> size_t {
    for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
      if (columns[col_idx] == wanted) return col_idx;
    }
    std::string present;
    for (const std::string& column : columns) present += (present.empty() ? "" : ", ") + column;
    throw InputError(
        name, 1, 1,
        std::string("missing required column '") + wanted + "' (columns: " + present + ")");
  };
  layout.user_col = find("user_id");
  layout.date_col = find("date");
  layout.loc_col = find("location");
  layout.needed = std::max({layout.user_col, layout.date_col, layout.loc_col}) + 1;
  return layout;
}

struct RowError {
  uint64_t local_line = 0;  // 1-based line within the piece
  long column = 0;
  std::string message;
};

// What one worker produces from one piece of a block.
struct PieceResult {
  uint64_t lines = 0;
  uint64_t rows = 0;
  uint64_t kept_rows = 0;
  uint64_t bad_rows = 0;
  int32_t min_day = INT32_MAX;
  int32_t max_day = INT32_MIN;
  std::vector<RowError> errors;  // the first one only, unless skipping (then a few)
  std::vector<std::string> parts;
};

struct ParseContext {
  const Layout* layout;
  bool skip_bad_rows;
  int shard;
  int shard_count;
  size_t partitions;
};

void ParsePiece(const ParseContext& context, const char* begin, const char* end,
                PieceResult* result) {
  const Layout& layout = *context.layout;
  result->parts.resize(context.partitions);
  const size_t expected_share = static_cast<size_t>(end - begin) / context.partitions + 1024;
  for (std::string& part : result->parts) {
    part.clear();
    part.reserve(expected_share + expected_share / 4);
  }
  std::string_view last_user;
  uint64_t last_hash = 0;
  std::string_view last_date;  // events of one user-day share their date text: parse it once
  DayTime last_when;
  std::string unquote_scratch[3];
  std::string_view fields[3];
  const size_t wanted[3] = {layout.user_col, layout.date_col, layout.loc_col};
  const char delimiter = layout.delimiter;
  const char* cursor = begin;
  auto fail = [&](long column, std::string message) {
    ++result->bad_rows;
    if (result->errors.size() < (context.skip_bad_rows ? kMaxBadRowExamples : 1)) {
      result->errors.push_back({result->lines, column, std::move(message)});
    }
  };
  while (cursor < end) {
    const char* line_end =
        static_cast<const char*>(std::memchr(cursor, '\n', static_cast<size_t>(end - cursor)));
    if (line_end == nullptr) line_end = end;
    const char* next = line_end < end ? line_end + 1 : end;
    ++result->lines;
    const char* stop = line_end;
    if (stop > cursor && stop[-1] == '\r') --stop;
    if (stop == cursor) {  // blank line
      cursor = next;
      continue;
    }
    ++result->rows;
    // Split the fields we need.
    size_t field_idx = 0;
    size_t found = 0;
    const char* p = cursor;
    bool bad = false;
    while (field_idx < layout.needed) {
      const char* field_begin = p;
      std::string_view value;
      if (p < stop && *p == '"') {
        std::string scratch;
        ++p;
        bool closed = false;
        while (p < stop) {
          if (*p == '"') {
            if (p + 1 < stop && p[1] == '"') {
              scratch.push_back('"');
              p += 2;
              continue;
            }
            ++p;
            closed = true;
            break;
          }
          scratch.push_back(*p++);
        }
        if (!closed) {
          fail(static_cast<long>(field_idx + 1), "unterminated quote");
          bad = true;
          break;
        }
        while (p < stop && *p != delimiter) ++p;
        for (size_t want_idx = 0; want_idx < 3; ++want_idx) {
          if (wanted[want_idx] == field_idx) {
            unquote_scratch[want_idx] = scratch;
            fields[want_idx] = unquote_scratch[want_idx];
            ++found;
          }
        }
      } else {
        const void* found_at = std::memchr(p, delimiter, static_cast<size_t>(stop - p));
        p = found_at == nullptr ? stop : static_cast<const char*>(found_at);
        value = std::string_view(field_begin, static_cast<size_t>(p - field_begin));
        for (size_t want_idx = 0; want_idx < 3; ++want_idx) {
          if (wanted[want_idx] == field_idx) {
            fields[want_idx] = value;
            ++found;
          }
        }
      }
      ++field_idx;
      if (field_idx < layout.needed) {
        if (p >= stop) break;
        ++p;  // the delimiter
      }
    }
    if (bad) {
      cursor = next;
      continue;
    }
    if (field_idx < layout.needed) {
      fail(static_cast<long>(field_idx + 1), "expected at least " + std::to_string(layout.needed) +
                                                 " fields, found " + std::to_string(field_idx));
      cursor = next;
      continue;
    }
    const std::string_view user = Trim(fields[0]);
    const std::string_view location = Trim(fields[2]);
    if (user.empty()) {
      fail(static_cast<long>(layout.user_col + 1), "empty user_id");
      cursor = next;
      continue;
    }
    if (location.empty()) {
      fail(static_cast<long>(layout.loc_col + 1), "empty location");
      cursor = next;
      continue;
    }
    if (user.size() > 65535 || location.size() > 65535) {
      fail(static_cast<long>(layout.user_col + 1), "field longer than 65535 bytes");
      cursor = next;
      continue;
    }
    DayTime when = last_when;
    const DateStatus status =
        fields[1] == last_date ? DateStatus::kOk : ParseEventDate(fields[1], &when);
    if (status == DateStatus::kOk && fields[1].data() >= begin && fields[1].data() < end) {
      last_date = fields[1];  // only views into the block, never into the unquote scratch
      last_when = when;
    }
    if (status != DateStatus::kOk) {
      fail(static_cast<long>(layout.date_col + 1),
           status == DateStatus::kMalformed
               ? "malformed date '" + std::string(fields[1]) + "' (expected YYYYMMDD or ISO 8601)"
               : "implausible date '" + std::string(fields[1]) + "' (outside " +
                     std::to_string(kMinPlausibleYear) + ".." + std::to_string(kMaxPlausibleYear) +
                     ")");
      cursor = next;
      continue;
    }
    result->min_day = std::min(result->min_day, when.day);
    result->max_day = std::max(result->max_day, when.day);
    if (user != last_user) {
      last_hash = HashUser(user);
      last_user = user;
    }
    const uint64_t hash = last_hash;
    const auto shard_count = static_cast<uint64_t>(context.shard_count);
    if (static_cast<int>(hash % shard_count) == context.shard) {
      ++result->kept_rows;
      AppendRecord(&result->parts[(hash / shard_count) % context.partitions], user, location,
                   when.day, when.hour);
    }
    cursor = next;
  }
}

// A temporary folder removed with its files when the store goes away.
class TempFolder {
 public:
  explicit TempFolder(const std::filesystem::path& parent) {
    std::string pattern = (parent / "kazmig-traces-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error("cannot create a temporary folder in " + parent.string());
    }
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Partition {
  std::string memory;       // records not yet spilled
  uint64_t file_bytes = 0;  // records in the partition's temporary file
};

}  // namespace

struct EventStore::State {
  IngestStats stats;
  std::vector<Partition> partitions;
  std::unique_ptr<TempFolder> temp;
  std::filesystem::path PartitionFile(size_t part_idx) const {
    return temp->path() / ("part-" + std::to_string(part_idx) + ".bin");
  }
};

int UserShard(std::string_view user_id, int shard_count) {
  return static_cast<int>(HashUser(user_id) % static_cast<uint64_t>(shard_count));
}

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

uint64_t ParseMemorySize(std::string_view text) {
  std::string_view digits = Trim(text);
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
  bool compressed = false;
  std::unique_ptr<ByteSource> source = OpenSource(options.input, &compressed);
  std::error_code size_error;
  const uint64_t file_size = std::filesystem::file_size(options.input, size_error);
  const uint64_t estimated = (size_error ? 0 : file_size) * (compressed ? 6 : 1) /
                             static_cast<uint64_t>(options.shard_count);

  auto state = std::make_unique<State>();
  IngestStats& stats = state->stats;
  // Processing a partition takes about 3 times its encoded size, for `threads` partitions at once;
  // encoded rows are about the size of the CSV text. Keep that within half the memory bound.
  const uint64_t half_memory = options.memory_bytes / 2;
  uint64_t partitions =
      (3 * estimated * static_cast<uint64_t>(threads)) / std::max<uint64_t>(half_memory, 1) + 1;
  partitions = std::max<uint64_t>(partitions, static_cast<uint64_t>(threads) * 4);
  partitions = std::min<uint64_t>(partitions, kMaxPartitions);
  state->partitions.resize(partitions);
  stats.partitions = partitions;

  // Read the header line.
  std::vector<char> buffer(kBlockBytesPerThread * static_cast<size_t>(threads) + (1 << 16));
  size_t filled = 0;
  bool at_eof = false;
  auto fill = [&](long line) {
    while (!at_eof && filled < buffer.size()) {
      const size_t got = source->Read(buffer.data() + filled, buffer.size() - filled, line);
      if (got == 0) at_eof = true;
      filled += got;
      stats.bytes += got;
    }
  };
  fill(1);
  const char* header_end = static_cast<const char*>(std::memchr(buffer.data(), '\n', filled));
  if (filled == 0) throw InputError(name, 1, 0, "empty file (expected a header row)");
  if (header_end == nullptr && !at_eof) throw InputError(name, 1, 0, "header line too long");
  const size_t header_len =
      header_end == nullptr ? filled : static_cast<size_t>(header_end - buffer.data());
  const Layout layout = ParseHeader(name, std::string_view(buffer.data(), header_len));
  size_t start = std::min(filled, header_len + 1);
  uint64_t lines_before = 1;  // lines fully consumed before `start`

  ParseContext context{&layout, options.skip_bad_rows, options.shard, options.shard_count,
                       static_cast<size_t>(partitions)};
  uint64_t buffered = 0;
  stats.min_day = INT32_MAX;
  stats.max_day = INT32_MIN;
  std::vector<PieceResult> results(static_cast<size_t>(threads));

  auto spill = [&]() {
    if (!state->temp) {
      state->temp = std::make_unique<TempFolder>(
          options.temp_dir.empty() ? std::filesystem::temp_directory_path() : options.temp_dir);
    }
    for (size_t part_idx = 0; part_idx < state->partitions.size(); ++part_idx) {
      Partition& part = state->partitions[part_idx];
      if (part.memory.empty()) continue;
      std::ofstream file(state->PartitionFile(part_idx), std::ios::binary | std::ios::app);
      file.write(part.memory.data(), static_cast<std::streamsize>(part.memory.size()));
      if (!file)
        throw Error("cannot write temporary file " + state->PartitionFile(part_idx).string());
      part.file_bytes += part.memory.size();
      std::string().swap(part.memory);
    }
    buffered = 0;
    stats.spilled = true;
  };

  while (true) {
    // The block to parse: [start, block_end) ends after the last complete line (or at EOF).
    size_t block_end = filled;
    if (!at_eof) {
      const char* last_newline = nullptr;
      for (size_t pos = filled; pos > start; --pos) {
        if (buffer[pos - 1] == '\n') {
          last_newline = buffer.data() + pos - 1;
          break;
        }
      }
      if (last_newline == nullptr) {
        if (start == 0 && filled == buffer.size()) {
          throw InputError(name, static_cast<long>(lines_before + 1), 0, "line too long");
        }
        block_end = start;  // nothing complete yet: read more
      } else {
        block_end = static_cast<size_t>(last_newline - buffer.data()) + 1;
      }
    }
    if (block_end > start) {
      // Split into pieces at line boundaries and parse them in parallel.
      std::vector<std::pair<size_t, size_t>> pieces;
      const size_t piece_size = (block_end - start) / static_cast<size_t>(threads) + 1;
      size_t piece_start = start;
      for (int thread_idx = 0; thread_idx < threads && piece_start < block_end; ++thread_idx) {
        size_t piece_end = std::min(block_end, piece_start + piece_size);
        if (thread_idx == threads - 1) piece_end = block_end;
        while (piece_end < block_end && buffer[piece_end - 1] != '\n') ++piece_end;
        pieces.emplace_back(piece_start, piece_end);
        piece_start = piece_end;
      }
      std::vector<std::thread> workers;
      for (size_t piece_idx = 0; piece_idx < pieces.size(); ++piece_idx) {
        PieceResult& reset = results[piece_idx];
        reset.lines = reset.rows = reset.kept_rows = reset.bad_rows = 0;
        reset.min_day = INT32_MAX;
        reset.max_day = INT32_MIN;
        reset.errors.clear();
        auto work = [&, piece_idx] {
          ParsePiece(context, buffer.data() + pieces[piece_idx].first,
                     buffer.data() + pieces[piece_idx].second, &results[piece_idx]);
        };
        if (piece_idx + 1 == pieces.size()) {
          work();
        } else {
          workers.emplace_back(work);
        }
      }
      for (std::thread& worker : workers) worker.join();
      for (size_t piece_idx = 0; piece_idx < pieces.size(); ++piece_idx) {
        PieceResult& result = results[piece_idx];
        for (const RowError& error : result.errors) {
          const long line = static_cast<long>(lines_before + error.local_line);
          if (!options.skip_bad_rows) throw InputError(name, line, error.column, error.message);
          if (stats.bad_row_examples.size() < kMaxBadRowExamples) {
            stats.bad_row_examples.push_back(
                InputError(name, line, error.column, error.message).what());
          }
        }
        lines_before += result.lines;
        stats.rows += result.rows;
        stats.kept_rows += result.kept_rows;
        stats.bad_rows += result.bad_rows;
        stats.min_day = std::min(stats.min_day, result.min_day);
        stats.max_day = std::max(stats.max_day, result.max_day);
        for (size_t part_idx = 0; part_idx < result.parts.size(); ++part_idx) {
          state->partitions[part_idx].memory.append(result.parts[part_idx]);
          buffered += result.parts[part_idx].size();
        }
      }
      if (buffered > half_memory) spill();
      if (options.progress) {
        options.progress(IngestProgress{stats.bytes - (filled - block_end), stats.rows, file_size,
                                        source->consumed()});
      }
    }
    if (at_eof && block_end >= filled) break;
    // Keep the incomplete tail, refill.
    std::memmove(buffer.data(), buffer.data() + block_end, filled - block_end);
    filled -= block_end;
    start = 0;
    fill(static_cast<long>(lines_before + 1));
  }
  if (stats.spilled) spill();
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
    struct Record {
      uint32_t user;
      uint32_t location;
      int32_t day;
      int8_t hour;
    };
    std::vector<Record> records;
    std::vector<std::string_view> users;
    std::vector<std::string_view> locations;
    std::unordered_map<std::string_view, uint32_t> user_index;
    std::unordered_map<std::string_view, uint32_t> loc_index;
    std::vector<uint32_t> loc_rank;
    std::vector<uint32_t> user_offsets;
    std::vector<uint64_t> keys;
    UserTrace trace;
    try {
      while (true) {
        const size_t part_idx = next_partition.fetch_add(1);
        if (part_idx >= state_->partitions.size()) break;
        const Partition& part = state_->partitions[part_idx];
        if (part.file_bytes == 0 && part.memory.empty()) continue;
        std::string_view bytes = part.memory;
        if (part.file_bytes > 0) {
          loaded.resize(part.file_bytes);
          std::ifstream file(state_->PartitionFile(part_idx), std::ios::binary);
          file.read(loaded.data(), static_cast<std::streamsize>(loaded.size()));
          if (!file) throw Error("cannot read temporary partition file");
          bytes = loaded;
        }
        // Decode and intern.
        records.clear();
        users.clear();
        locations.clear();
        user_index.clear();
        loc_index.clear();
        std::string_view last_user, last_loc;
        uint32_t last_user_idx = 0, last_loc_idx = 0;
        size_t pos = 0;
        while (pos < bytes.size()) {
          uint16_t user_len = 0, loc_len = 0;
          std::memcpy(&user_len, bytes.data() + pos, 2);
          const std::string_view user = bytes.substr(pos + 2, user_len);
          pos += 2 + user_len;
          std::memcpy(&loc_len, bytes.data() + pos, 2);
          const std::string_view location = bytes.substr(pos + 2, loc_len);
          pos += 2 + loc_len;
          Record record{};
          std::memcpy(&record.day, bytes.data() + pos, 4);
          std::memcpy(&record.hour, bytes.data() + pos + 4, 1);
          pos += 5;
          if (users.empty() || user != last_user) {
            auto [it, inserted] = user_index.try_emplace(user, static_cast<uint32_t>(users.size()));
            if (inserted) users.push_back(user);
            last_user = user;
            last_user_idx = it->second;
          }
          if (locations.empty() || location != last_loc) {
            auto [it, inserted] =
                loc_index.try_emplace(location, static_cast<uint32_t>(locations.size()));
            if (inserted) locations.push_back(location);
            last_loc = location;
            last_loc_idx = it->second;
          }
          record.user = last_user_idx;
          record.location = last_loc_idx;
          records.push_back(record);
        }
        // Natural rank of each location.
        std::vector<uint32_t> by_name(locations.size());
        for (uint32_t loc_idx = 0; loc_idx < by_name.size(); ++loc_idx) by_name[loc_idx] = loc_idx;
        std::sort(by_name.begin(), by_name.end(),
                  [&](uint32_t a, uint32_t b) { return NaturalLess(locations[a], locations[b]); });
        loc_rank.assign(locations.size(), 0);
        for (uint32_t rank = 0; rank < by_name.size(); ++rank) loc_rank[by_name[rank]] = rank;
        // Counting sort by user; key = rank << 33 | day << 1 | night.
        user_offsets.assign(users.size() + 1, 0);
        for (const Record& record : records) ++user_offsets[record.user + 1];
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          user_offsets[user_idx + 1] += user_offsets[user_idx];
        }
        keys.resize(records.size());
        {
          std::vector<uint32_t> fill_at(user_offsets.begin(), user_offsets.end() - 1);
          for (const Record& record : records) {
            const bool night = record.hour >= 0 && (record.hour <= 9 || record.hour >= 19);
            keys[fill_at[record.user]++] =
                (uint64_t{loc_rank[record.location]} << 33) |
                (static_cast<uint64_t>(static_cast<uint32_t>(record.day)) << 1) | (night ? 1 : 0);
          }
        }
        for (size_t user_idx = 0; user_idx < users.size(); ++user_idx) {
          uint64_t* first = keys.data() + user_offsets[user_idx];
          uint64_t* last = keys.data() + user_offsets[user_idx + 1];
          if (!std::is_sorted(first, last)) std::sort(first, last);
          trace.Clear();
          trace.user_id = users[user_idx];
          uint64_t current_rank = UINT64_MAX;
          int64_t current_day = INT64_MIN;
          for (uint64_t* key = first; key < last; ++key) {
            const uint64_t rank = *key >> 33;
            const auto day = static_cast<int32_t>((*key >> 1) & 0xffffffffu);
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
            ++trace.records.back();
            trace.night_records.back() += static_cast<uint32_t>(*key & 1);
          }
          trace.offsets.push_back(static_cast<uint32_t>(trace.days.size()));
          fn(worker, trace);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next_partition.store(state_->partitions.size());
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

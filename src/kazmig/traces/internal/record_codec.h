// The compact record encoding of ingested trace events (ingest.cc), in the partition streams held
// in memory, sent between MPI ranks and spilled to temporary files. Internal to traces.
//
// A record is a u32 word: bits 0-15 the day number (0 .. 47845 for the plausible years
// 1970-2100), bits 16-20 the hour + 1 (0: unknown), bit 21 "a user follows", bit 22 "a location
// follows", bits 23-31 the repeats (the record stands for 1 + repeats rows); then, when flagged,
// u16 length + bytes of the user id, then of the location. A record without a flag belongs to the
// user and location last named in the stream, so rows grouped by user (the usual layout) cost 4
// bytes each, and a row equal in user, location, day and hour to the stream's previous row (the
// usual case of several events of a user-day) only counts a repeat of it. Host byte order
// (temporary files never leave the machine). Every buffer that is sent elsewhere or spilled starts
// with a fully named record, so streams can be concatenated.
//
//   Sink sink;
//   sink.streams.resize(partitions);
//   ++sink.user_epoch;  ++sink.location_epoch;          // a new run of user / location ids
//   WriteRecord(&sink, &sink.streams[part_idx], "u1", "75", day, hour);
//   RecordReader reader(sink.streams[part_idx].bytes.view());
//   for (DecodedRecord record; reader.Next(&record);) Use(record.user, record.day);
#ifndef KAZMIG_TRACES_INTERNAL_RECORD_CODEC_H_
#define KAZMIG_TRACES_INTERNAL_RECORD_CODEC_H_

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

namespace kazmig::traces::internal {

// The hash that shards and partitions users: FNV-1a, then a SplitMix64 finaliser (stable across
// runs and machines).
inline uint64_t HashUser(std::string_view user_id) {
  uint64_t hash = 0xcbf29ce484222325ULL;
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

// A growable byte buffer without zero-filling (partition streams grow by a few bytes per row).
class Bytes {
 public:
  Bytes() = default;
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;
  Bytes(Bytes&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  Bytes& operator=(Bytes&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~Bytes() { std::free(data_); }

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_, size_}; }
  void Clear() { size_ = 0; }
  // Frees the memory.
  void Release() { *this = Bytes(); }
  // Grows the buffer by `count` bytes and returns where they start (throws std::bad_alloc).
  char* mutable_data() { return data_; }
  char* Extend(size_t count) {
    if (capacity_ - size_ < count) Grow(count);
    char* at = data_ + size_;
    size_ += count;
    return at;
  }
  void Append(const char* bytes, size_t count) {
    if (count > 0) std::memcpy(Extend(count), bytes, count);
  }

 private:
  void Grow(size_t count) {
    const size_t capacity = std::max({capacity_ * 2, size_ + count, size_t{4096}});
    char* grown = static_cast<char*>(std::realloc(data_, capacity));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = grown;
    capacity_ = capacity;
  }
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

constexpr uint32_t kDayMask = 0xffff;
constexpr uint32_t kNewUser = uint32_t{1} << 21;
constexpr uint32_t kNewLocation = uint32_t{1} << 22;
constexpr uint32_t kWhenMask = (uint32_t{1} << 21) - 1;  // day and hour
constexpr int kRepeatShift = 23;
constexpr uint32_t kMaxRepeats = 511;

struct Stream {
  Bytes bytes;
  uint64_t user_epoch = 0;      // the sink's user epoch when a user was last named here
  uint64_t location_epoch = 0;  // likewise for locations
  size_t last = 0;              // offset of the last record's word (valid within both epochs)
};

// What one worker thread writes to: shard_count x partitions streams. The streams of the own
// shard hold the worker's share of each partition for the whole ingest; those of other shards
// (MPI) are sent to their rank after every round. Epochs number the runs of equal user ids and
// locations in the rows the worker parsed; a stream names a user or location only when its last
// named one belongs to an older run.
// Aligned to a cache line: the epochs change at almost every row, and the sinks of the workers
// sit side by side.
struct alignas(64) Sink {
  std::vector<Stream> streams;
  uint64_t user_epoch = 0;
  uint64_t location_epoch = 0;
};

// Appends one record to `stream` (naming the user and location when the stream's last named ones
// belong to older runs of `sink`), or counts a repeat of the stream's last record when it has the
// same user and location runs, day and hour. `day` must be in 0 .. 65535 and `hour` in -1 .. 23;
// user and location at most 65535 bytes.
inline void WriteRecord(Sink* sink, Stream* stream, std::string_view user,
                        std::string_view location, int32_t day, int hour) {
  uint32_t word = static_cast<uint32_t>(day) | (static_cast<uint32_t>(hour + 1) << 16);
  size_t size = 4;
  const bool new_user = stream->user_epoch != sink->user_epoch;
  const bool new_location = stream->location_epoch != sink->location_epoch;
  if (!new_user && !new_location) {
    // The stream's last record is of this user and location run (epochs are new at every chunk,
    // so it is in the bytes written since the last spill or exchange).
    char* last = stream->bytes.mutable_data() + stream->last;
    uint32_t previous = 0;
    std::memcpy(&previous, last, 4);
    if ((previous & kWhenMask) == word && (previous >> kRepeatShift) < kMaxRepeats) {
      previous += uint32_t{1} << kRepeatShift;
      std::memcpy(last, &previous, 4);
      return;
    }
  }
  stream->last = stream->bytes.size();
  if (new_user) {
    word |= kNewUser;
    size += 2 + user.size();
  }
  if (new_location) {
    word |= kNewLocation;
    size += 2 + location.size();
  }
  char* at = stream->bytes.Extend(size);
  std::memcpy(at, &word, 4);
  at += 4;
  if (new_user) {
    const auto length = static_cast<uint16_t>(user.size());
    std::memcpy(at, &length, 2);
    std::memcpy(at + 2, user.data(), user.size());
    at += 2 + user.size();
    stream->user_epoch = sink->user_epoch;
  }
  if (new_location) {
    const auto length = static_cast<uint16_t>(location.size());
    std::memcpy(at, &length, 2);
    std::memcpy(at + 2, location.data(), location.size());
    stream->location_epoch = sink->location_epoch;
  }
}

// One decoded record. `user` and `location` are set (views into the stream) only when the record
// names them (`new_user`, `new_location`); otherwise they are those last named.
struct DecodedRecord {
  bool new_user = false;
  bool new_location = false;
  std::string_view user;
  std::string_view location;
  uint16_t day = 0;
  int8_t hour = -1;
  uint16_t count = 1;  // rows this record stands for
};

// Reads the records of a stream (or of concatenated streams) in order. The bytes must be a
// sequence of whole records written by WriteRecord, starting with a fully named one.
class RecordReader {
 public:
  explicit RecordReader(std::string_view bytes)
      : at_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  // Decodes the next record into `record`; false at the end.
  bool Next(DecodedRecord* record) {
    if (at_ >= end_) return false;
    uint32_t word = 0;
    std::memcpy(&word, at_, 4);
    at_ += 4;
    record->new_user = (word & kNewUser) != 0;
    record->new_location = (word & kNewLocation) != 0;
    if (record->new_user) record->user = Name();
    if (record->new_location) record->location = Name();
    record->day = static_cast<uint16_t>(word & kDayMask);
    record->hour = static_cast<int8_t>(static_cast<int>((word >> 16) & 31) - 1);
    record->count = static_cast<uint16_t>(1 + (word >> kRepeatShift));
    return true;
  }

 private:
  std::string_view Name() {
    uint16_t length = 0;
    std::memcpy(&length, at_, 2);
    const std::string_view name(at_ + 2, length);
    at_ += 2 + length;
    return name;
  }
  const char* at_;
  const char* end_;
};

}  // namespace kazmig::traces::internal

#endif  // KAZMIG_TRACES_INTERNAL_RECORD_CODEC_H_

// Streaming CSV reading and writing with typed fields and located errors.
//
// The reader follows RFC 4180 (quoted fields, doubled quotes, newlines inside quotes), accepts
// UTF-8 with or without a BOM, CRLF or LF line ends, and detects the dialect of files exported by
// Kazakhstan's agencies: `;` as separator with a decimal comma, Windows-1251 encoding. Columns are
// found by name, case-insensitively; every error is an InputError `FILE:LINE:COLUMN: message`
// (LINE is the physical line where the record starts, COLUMN the 1-based field number).
//
//   CsvReader csv("flows.csv");
//   const size_t orig = csv.Column("orig"), dest = csv.Column("dest"), flow = csv.Column("flow");
//   while (csv.Next()) {
//     Use(csv.Field(orig), csv.Field(dest), csv.Double(flow));  // Double throws with the location
//   }
//
//   CsvWriter out(std::cout);
//   out.Row("orig", "dest", "flow");
//   out.Row("71", "75", 1234.5);
#ifndef KAZMIG_IO_CSV_H_
#define KAZMIG_IO_CSV_H_

#include <array>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::io {

enum class Encoding { kAuto, kUtf8, kWindows1251 };

// The longest record (and so the longest field) a reader accepts, in bytes: 16 MiB. A longer
// record, or an endless stream without a line end (`/dev/zero`), is an InputError naming the line
// where the record starts, so memory stays bounded on any input.
inline constexpr size_t kDefaultMaxRecordBytes = size_t{16} << 20;

struct CsvOptions {
  char delimiter = 0;  // 0: detect from the header line (',', ';' or tab)
  char decimal = 0;    // 0: '.' for ',' and tab files, ',' accepted as well for ';' files
  Encoding encoding = Encoding::kAuto;
  size_t max_record_bytes = kDefaultMaxRecordBytes;  // see kDefaultMaxRecordBytes
};

// True when `path` can be opened and read a second time with the same contents: a regular file
// (or a path that does not exist, whose open fails as usual). False for a FIFO, a socket, a
// character device or a `<(...)` pipe, which a second open would wait on or read differently;
// readers that go back to a file (to find an error's line) check this first.
bool CanReadAgain(const std::filesystem::path& path);

// Parses "auto", "utf-8", "windows-1251"/"cp1251"; throws UsageError otherwise.
Encoding ParseEncoding(std::string_view text);

class CsvReader {
 public:
  // Opens `path` and reads the header row. Throws InputError when the file cannot be opened, is
  // a directory, is empty, or its header is malformed (empty or duplicated column names).
  explicit CsvReader(const std::filesystem::path& path, CsvOptions options = {});
  // Reads from an in-memory document; `name` is used in error messages.
  static CsvReader FromString(std::string name, std::string contents, CsvOptions options = {});
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  char delimiter() const { return delimiter_; }
  Encoding encoding() const { return encoding_; }

  // Index of the column named `name` (case-insensitive, surrounding spaces ignored); throws
  // InputError "missing required column" naming the file and the columns present.
  size_t Column(std::string_view name) const;
  // The first of several accepted names that is present (e.g. {"region", "id"}), or throws.
  size_t Column(std::initializer_list<std::string_view> names) const;
  std::optional<size_t> FindColumn(std::string_view name) const;

  // Advances to the next record; false at the end of the file. Blank lines are skipped. Throws
  // InputError for a ragged row, an unterminated quote, a NUL byte, bytes that are not valid
  // UTF-8, or a record longer than options.max_record_bytes.
  bool Next();

  // 1-based physical line where the current record starts.
  long line() const { return record_line_; }
  // Data records read so far (the header not counted).
  long records() const { return records_; }
  // Throws InputError "FILE:LINE: no data rows (the file has only a header)" unless a record was
  // read; for readers to call at the end, where an empty table would be a silent wrong answer.
  void RequireRecords() const;
  size_t field_count() const { return fields_.size(); }
  // Raw text of field `col` of the current record (quotes removed).
  std::string_view Field(size_t col) const { return fields_[col]; }
  // Field with surrounding spaces removed; throws InputError when empty.
  std::string_view RequiredField(size_t col) const {
    const std::string_view text = fields_[col];
    if (!text.empty() && text.front() != ' ' && text.front() != '\t' && text.back() != ' ' &&
        text.back() != '\t') {
      return text;  // the usual case, inline: nothing to trim
    }
    return TrimmedRequiredField(col);
  }
  // A finite number; throws InputError naming the column on empty, non-numeric, NaN or infinite.
  double Double(size_t col) const;
  // nullopt for an empty field (or "NA"/"NaN"/".." markers of missing data); else as Double.
  std::optional<double> OptionalDouble(size_t col) const;
  // A whole number (no fraction); throws InputError otherwise.
  int64_t Int(size_t col) const;

  // Throws InputError located at the current record and field `col` (1-based in the message).
  [[noreturn]] void Fail(size_t col, const std::string& message) const;
  // Throws InputError located at the current record (no column).
  [[noreturn]] void FailRecord(const std::string& message) const;

 private:
  friend class CsvChunks;
  CsvReader(std::string name, std::unique_ptr<std::istream> in, CsvOptions options);
  // A reader of the records in [data, data + size), a chunk of the file `header` reads, which
  // starts at a record boundary on physical line `first_line`: same name, dialect, header and
  // options; the text is not copied (it must outlive the reader).
  CsvReader(const CsvReader& header, const char* data, size_t size, long first_line);
  // The text being parsed: the view of a chunk, or the buffer.
  const char* Data() const { return view_ != nullptr ? view_ : buffer_.data(); }
  size_t Size() const { return view_ != nullptr ? view_size_ : buffer_.size(); }
  bool Fill();
  bool ParseRecord(bool at_eof);
  void ValidateUtf8(size_t begin, size_t end);
  [[noreturn]] void FailRecordTooLong() const;
  void DetectEncoding();
  double ParseNumber(size_t col, std::string_view text) const;
  std::string_view TrimmedRequiredField(size_t col) const;

  // What a byte means to the unquoted-field scan in ParseRecord.
  static constexpr uint8_t kByteText = 0;   // part of the field
  static constexpr uint8_t kByteEnd = 1;    // the delimiter, '\n' or '\r'
  static constexpr uint8_t kByteQuote = 2;  // '"': an error inside an unquoted field
  static constexpr uint8_t kByteCheck = 3;  // NUL or not ASCII: the record needs the UTF-8 check

  std::string name_;
  std::unique_ptr<std::istream> in_;
  CsvOptions options_;
  char delimiter_ = ',';
  Encoding encoding_ = Encoding::kUtf8;
  std::vector<std::string> header_;
  std::vector<std::string> header_keys_;

  std::array<uint8_t, 256> byte_classes_{};
  std::string buffer_;             // its terminating NUL ends every scan at the end of the data
  std::unique_ptr<char[]> chunk_;  // read buffer, allocated once, not zero-filled
  size_t pos_ = 0;
  bool eof_ = false;
  bool transcode_ = false;
  long next_line_ = 1;
  long record_line_ = 0;
  long records_ = 0;
  std::vector<std::string_view> fields_;
  std::deque<std::string> scratch_;
  size_t scratch_used_ = 0;
  const char* view_ = nullptr;  // a chunk's text (CsvChunks), else nullptr: the buffer
  size_t view_size_ = 0;
};

// Parallel reading of one file: the text after the header is read in windows of about
// `threads` x `chunk_bytes` bytes; each window is cut into `threads` chunks at record boundaries
// and the chunks are parsed at once, one per thread, by readers with the same dialect and header.
// A boundary is a '\n' outside quotes: the quotes are counted from the start of the window (a
// window starts at a record boundary), so a newline inside a quoted field never cuts a record.
// The results, and the errors, are those of the serial reader:
//   * `parse(slot, chunk)` reads one chunk's records into the caller's state for `slot`
//     (0 <= slot < slots(); it starts that state afresh), on a worker thread; chunk.line() counts
//     from 1 at the chunk's first line;
//   * `merge(slot, line_offset)` then takes that state on the calling thread, chunk by chunk in
//     file order; the physical line of a record is chunk.line() + line_offset.
// When a chunk fails, its error is not used as is: once the chunks before it are merged its first
// line is known, and the chunk is parsed again (on the calling thread, by a reader that counts
// from that line) so that the error thrown is the serial reader's, at its true line and column.
// The state built by parse must depend only on the chunk's records (ids interned by first
// appearance are renumbered in merge), and its errors only on the record they name.
//
// One thread, a Windows-1251 file (transcoded as it streams) or a record longer than
// options.max_record_bytes without a boundary: the reader itself goes on serially, as
// parse(0, reader) then merge(0, 0) (its lines are the file's).
//
//   CsvReader csv(path);
//   const size_t flow = csv.Column("flow");
//   std::vector<std::vector<double>> parts(CsvChunks::Slots(threads));
//   std::vector<double> all;
//   CsvChunks(csv, threads).Run(
//       [&](size_t slot, CsvReader& chunk) {
//         parts[slot].clear();
//         while (chunk.Next()) parts[slot].push_back(chunk.Double(flow));
//       },
//       [&](size_t slot, long) { all.insert(all.end(), parts[slot].begin(), parts[slot].end()); });
//   csv.RequireRecords();  // counts every chunk's records
inline constexpr size_t kDefaultChunkBytes = size_t{4} << 20;

class CsvChunks {
 public:
  using Parse = std::function<void(size_t slot, CsvReader& chunk)>;
  using Merge = std::function<void(size_t slot, long line_offset)>;

  // `reader` has read its header and no record yet. threads <= 0: every core (ResolveThreads).
  CsvChunks(CsvReader& reader, int threads, size_t chunk_bytes = kDefaultChunkBytes);
  // The number of slots Run uses for `threads` (>= 1).
  static size_t Slots(int threads);
  size_t slots() const { return slots_; }
  // Reads every record after the header (see above). Afterwards reader.records() counts them.
  void Run(const Parse& parse, const Merge& merge);

 private:
  CsvReader& reader_;
  size_t slots_;
  size_t chunk_bytes_;
};

// Writes RFC 4180 CSV: fields that contain the delimiter, a quote or a line break are quoted.
// Numbers are written in the shortest form that reads back to the same double.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  CsvWriter& Field(std::string_view text);
  CsvWriter& Field(const char* text) { return Field(std::string_view(text)); }
  CsvWriter& Field(const std::string& text) { return Field(std::string_view(text)); }
  CsvWriter& Field(double value);
  CsvWriter& Field(long long value);
  CsvWriter& Field(int value) { return Field(static_cast<long long>(value)); }
  CsvWriter& Field(long value) { return Field(static_cast<long long>(value)); }
  CsvWriter& Field(unsigned long value) { return Field(static_cast<long long>(value)); }
  CsvWriter& EndRow();

  template <typename... Ts>
  CsvWriter& Row(const Ts&... fields) {
    (Field(fields), ...);
    return EndRow();
  }

 private:
  void Separator();
  std::ostream& out_;
  bool first_ = true;
};

// Formats a double in the shortest round-trip form ("264000", "0.1", "1e-12"); NaN as "NA".
std::string FormatNumber(double value);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_CSV_H_

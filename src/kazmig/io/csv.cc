#include "kazmig/io/csv.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/io/tidy.h"

namespace kazmig::io {
namespace {

constexpr size_t kChunkSize = 1 << 20;

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string_view TrimView(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return text.substr(begin, end - begin);
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Windows-1251 to UTF-8 for bytes 0x80..0xFF.
char32_t Cp1251ToUnicode(unsigned char byte) {
  static const char32_t kHigh[64] = {
      0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409,
      0x2039, 0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0,
      0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB,
      0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6,
      0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457};
  if (byte < 0x80) return byte;
  if (byte >= 0xC0) return 0x0410 + (byte - 0xC0);
  return kHigh[byte - 0x80];
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the valid UTF-8 sequence at s[pos], 0 when invalid, -1 when cut by the end.
int Utf8SequenceLength(const char* s, size_t pos, size_t end) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return 1;
  int len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > end) return -1;
  char32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[pos + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// True when every non-ASCII byte is a Cyrillic letter in Windows-1251 (А..я, Ё, ё) or a
// common punctuation mark, and the text is not valid UTF-8: then it is read as Windows-1251.
bool LooksLikeCp1251(const std::string& s) {
  size_t high = 0;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if (c < 0x80) continue;
    ++high;
    const bool letter = c >= 0xC0 || c == 0xA8 || c == 0xB8 || c == 0xB2 || c == 0xB3;
    const bool punct = c == 0xAB || c == 0xBB || c == 0x96 || c == 0x97 || c == 0xB9 || c == 0xA0;
    if (!letter && !punct) return false;
  }
  return high > 0;
}

}  // namespace

bool CanReadAgain(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return true;
  return status.type() == std::filesystem::file_type::regular ||
         status.type() == std::filesystem::file_type::not_found;
}

Encoding ParseEncoding(std::string_view text) {
  const std::string key = LowerAscii(text);
  if (key == "auto") return Encoding::kAuto;
  if (key == "utf-8" || key == "utf8") return Encoding::kUtf8;
  if (key == "windows-1251" || key == "cp1251" || key == "1251") return Encoding::kWindows1251;
  throw UsageError(fmt::format("unknown encoding '{}' (use auto, utf-8 or windows-1251)", text));
}

CsvReader::CsvReader(const std::filesystem::path& path, CsvOptions options)
    : CsvReader(path.string(), nullptr, options) {}

CsvReader CsvReader::FromString(std::string name, std::string contents, CsvOptions options) {
  return CsvReader(std::move(name), std::make_unique<std::istringstream>(std::move(contents)),
                   options);
}

CsvReader::CsvReader(std::string name, std::unique_ptr<std::istream> in, CsvOptions options)
    : name_(std::move(name)), in_(std::move(in)), options_(options) {
  if (!in_) {
    if (std::filesystem::is_directory(name_)) {
      throw InputError(name_, 0, 0, "is a directory, not a CSV file");
    }
    auto file = std::make_unique<std::ifstream>(name_, std::ios::binary);
    if (!*file) throw InputError(name_, 0, 0, "cannot open file");
    in_ = std::move(file);
  }
  Fill();
  if (buffer_.size() >= 3 && buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  DetectEncoding();
  // Skip leading blank lines, then read the header record.
  if (!ParseRecord(false) && !Next()) {
    throw InputError(name_, 1, 0, "empty file: no header row");
  }
  if (fields_.empty()) throw InputError(name_, 1, 0, "empty file: no header row");
  for (const auto& field : fields_) {
    header_.push_back(Trim(field));
    header_keys_.push_back(LowerAscii(header_.back()));
  }
  // One hash lookup per column: a header of a million columns is checked in linear time.
  std::unordered_map<std::string_view, size_t> seen;
  seen.reserve(header_.size());
  for (size_t col = 0; col < header_.size(); ++col) {
    if (header_[col].empty()) {
      throw InputError(name_, record_line_, static_cast<long>(col + 1), "empty column name");
    }
    const auto [it, inserted] = seen.emplace(header_keys_[col], col);
    if (!inserted) {
      throw InputError(name_, record_line_, static_cast<long>(col + 1),
                       fmt::format("duplicated column name '{}' (also column {})", header_[col],
                                   it->second + 1));
    }
  }
}

CsvReader::CsvReader(const CsvReader& header, const char* data, size_t size, long first_line)
    : name_(header.name_),
      options_(header.options_),
      delimiter_(header.delimiter_),
      encoding_(header.encoding_),
      header_(header.header_),
      header_keys_(header.header_keys_),
      byte_classes_(header.byte_classes_),
      eof_(true),
      next_line_(first_line),
      view_(data),
      view_size_(size) {}

CsvReader::~CsvReader() = default;
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;

void CsvReader::DetectEncoding() {
  encoding_ = options_.encoding == Encoding::kAuto ? Encoding::kUtf8 : options_.encoding;
  if (options_.encoding == Encoding::kAuto) {
    // Decide on the first chunk: valid UTF-8 stays UTF-8; text whose non-ASCII bytes are all
    // Windows-1251 Cyrillic letters is transcoded; anything else fails later with its location.
    bool valid = true;
    const char* const bytes = buffer_.data();
    for (size_t p = pos_; p < buffer_.size();) {
      // ASCII eight bytes at a time (each byte a sequence of length 1).
      if (uint64_t word; p + sizeof word <= buffer_.size()) {
        std::memcpy(&word, bytes + p, sizeof word);
        if ((word & 0x8080808080808080ULL) == 0) {
          p += sizeof word;
          continue;
        }
      }
      const int len = Utf8SequenceLength(bytes, p, buffer_.size());
      if (len == -1) break;
      if (len == 0) {
        valid = false;
        break;
      }
      p += len;
    }
    if (!valid && LooksLikeCp1251(buffer_.substr(pos_))) encoding_ = Encoding::kWindows1251;
  }
  if (encoding_ == Encoding::kWindows1251) {
    // Transcode what is buffered; Fill() transcodes later chunks.
    std::string out;
    out.reserve(buffer_.size() * 2);
    for (size_t p = pos_; p < buffer_.size(); ++p) {
      AppendUtf8(out, Cp1251ToUnicode(static_cast<unsigned char>(buffer_[p])));
    }
    buffer_ = std::move(out);
    pos_ = 0;
    transcode_ = true;
  }
  // Delimiter: the most frequent of , ; tab on the first line, outside quotes.
  delimiter_ = options_.delimiter;
  if (delimiter_ == 0) {
    size_t commas = 0;
    size_t semicolons = 0;
    size_t tabs = 0;
    bool quoted = false;
    for (size_t p = pos_; p < buffer_.size(); ++p) {
      const char c = buffer_[p];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '\n') break;
      commas += c == ',';
      semicolons += c == ';';
      tabs += c == '\t';
    }
    delimiter_ = ',';
    if (semicolons > commas && semicolons >= tabs) delimiter_ = ';';
    if (tabs > commas && tabs > semicolons) delimiter_ = '\t';
  }
  for (size_t byte = 0; byte < byte_classes_.size(); ++byte) {
    byte_classes_[byte] = byte == 0 || byte >= 0x80 ? kByteCheck : kByteText;
  }
  byte_classes_['"'] = kByteQuote;
  byte_classes_['\n'] = kByteEnd;
  byte_classes_['\r'] = kByteEnd;
  byte_classes_[static_cast<unsigned char>(delimiter_)] = kByteEnd;
}

bool CsvReader::Fill() {
  if (eof_ || view_ != nullptr) return false;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  if (!chunk_) chunk_.reset(new char[kChunkSize]);
  in_->read(chunk_.get(), static_cast<std::streamsize>(kChunkSize));
  const auto got = static_cast<size_t>(in_->gcount());
  const std::string_view chunk(chunk_.get(), got);
  if (got == 0 || in_->eof()) eof_ = true;
  if (in_->bad()) throw InputError(name_, next_line_, 0, "read error");
  if (transcode_) {
    std::string out;
    out.reserve(chunk.size() * 2);
    for (unsigned char c : chunk) AppendUtf8(out, Cp1251ToUnicode(c));
    buffer_ += out;
  } else {
    buffer_ += chunk;
  }
  return got > 0;
}

namespace {

// The number of '"' in [begin, end).
size_t CountQuotes(const char* begin, const char* end) {
  size_t count = 0;
  for (const char* p = begin; p < end;) {
    const void* found = std::memchr(p, '"', static_cast<size_t>(end - p));
    if (found == nullptr) break;
    ++count;
    p = static_cast<const char*>(found) + 1;
  }
  return count;
}

// The first record boundary at or after `from` (just after a '\n' outside quotes) in
// [from, end), where `quoted` says whether `from` is inside quotes; `end` when there is none.
size_t NextBoundary(const char* data, size_t from, size_t end, bool quoted) {
  size_t p = from;
  while (p < end) {
    if (quoted) {
      const void* quote = std::memchr(data + p, '"', end - p);
      if (quote == nullptr) return end;
      p = static_cast<size_t>(static_cast<const char*>(quote) - data) + 1;
      quoted = false;
      continue;
    }
    const void* newline = std::memchr(data + p, '\n', end - p);
    const size_t n =
        newline != nullptr ? static_cast<size_t>(static_cast<const char*>(newline) - data) : end;
    const void* quote = std::memchr(data + p, '"', n - p);
    if (quote == nullptr) return n < end ? n + 1 : end;
    p = static_cast<size_t>(static_cast<const char*>(quote) - data) + 1;
    quoted = true;
  }
  return end;
}

}  // namespace

size_t CsvChunks::Slots(int threads) {
  return static_cast<size_t>(std::max(1, ResolveThreads(threads)));
}

CsvChunks::CsvChunks(CsvReader& reader, int threads, size_t chunk_bytes)
    : reader_(reader), slots_(Slots(threads)), chunk_bytes_(std::max<size_t>(1, chunk_bytes)) {}

void CsvChunks::Run(const Parse& parse, const Merge& merge) {
  CsvReader& reader = reader_;
  if (slots_ == 1 || reader.transcode_ || reader.view_ != nullptr) {
    parse(0, reader);
    merge(0, 0);
    return;
  }
  std::string window = reader.buffer_.substr(reader.pos_);
  reader.buffer_.clear();
  reader.pos_ = 0;
  bool eof = reader.eof_;
  long line = reader.next_line_;  // of the window's first byte
  long records = reader.records_;
  size_t target = slots_ * chunk_bytes_;
  std::vector<size_t> bounds(slots_ + 1);
  std::vector<std::exception_ptr> errors(slots_);
  std::vector<long> lines(slots_), counts(slots_);
  bool serial = false;
  // Goes on serially from the start of the window (whose first line is `line`).
  auto serial_from_here = [&] {
    reader.buffer_ = std::move(window);
    reader.pos_ = 0;
    reader.eof_ = eof;
    reader.next_line_ = line;
    reader.records_ = records;
    parse(0, reader);
    merge(0, 0);
    serial = true;
  };
  while (true) {
    while (!eof && window.size() < target) {
      const size_t old = window.size();
      window.resize(target);
      reader.in_->read(window.data() + old, static_cast<std::streamsize>(target - old));
      const auto got = static_cast<size_t>(reader.in_->gcount());
      window.resize(old + got);
      if (reader.in_->bad()) throw InputError(reader.name_, line, 0, "read error");
      if (got == 0 || reader.in_->eof()) eof = true;
    }
    if (window.empty()) break;
    const char* const data = window.data();
    // The text parsed now: all of it at the end, else up to the last boundary.
    size_t end = window.size();
    if (!eof) {
      bool quoted = CountQuotes(data, data + end) % 2 != 0;  // at the end, counting backwards
      size_t last = 0;
      for (size_t p = end; p > 0; --p) {
        const char c = data[p - 1];
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\n' && !quoted) {
          last = p;
          break;
        }
      }
      if (last == 0) {
        // No boundary: a record longer than the window.
        if (window.size() > reader.options_.max_record_bytes) {
          serial_from_here();
          break;
        }
        target *= 2;
        continue;
      }
      end = last;
    }
    // Cut [0, end) into slots_ chunks at boundaries near equal shares.
    bounds[0] = 0;
    size_t counted_to = 0;
    size_t quotes = 0;
    for (size_t slot = 1; slot < slots_; ++slot) {
      const size_t nominal = std::max(bounds[slot - 1], slot * end / slots_);
      quotes += CountQuotes(data + counted_to, data + nominal);
      counted_to = nominal;
      // From one byte early, so that a '\n' just before `nominal` is a boundary.
      bounds[slot] = 0;
      if (nominal > 0) {
        const bool quoted_before = (quotes - (data[nominal - 1] == '"' ? 1 : 0)) % 2 != 0;
        bounds[slot] = NextBoundary(data, nominal - 1, end, quoted_before);
      }
      bounds[slot] = std::max(bounds[slot], bounds[slot - 1]);
    }
    bounds[slots_] = end;
    auto parse_chunk = [&](size_t slot) {
      try {
        CsvReader chunk(reader, data + bounds[slot], bounds[slot + 1] - bounds[slot], 1);
        parse(slot, chunk);
        lines[slot] = chunk.next_line_ - 1;
        counts[slot] = chunk.records_;
        errors[slot] = nullptr;
      } catch (...) {
        errors[slot] = std::current_exception();
      }
    };
    {
      std::vector<std::thread> pool;
      pool.reserve(slots_ - 1);
      for (size_t slot = 1; slot < slots_; ++slot) pool.emplace_back(parse_chunk, slot);
      parse_chunk(0);
      for (std::thread& thread : pool) thread.join();
    }
    for (size_t slot = 0; slot < slots_; ++slot) {
      if (errors[slot] != nullptr) {
        // Again, counting from its true first line: the serial reader's error.
        CsvReader chunk(reader, data + bounds[slot], bounds[slot + 1] - bounds[slot], line);
        parse(slot, chunk);
        std::rethrow_exception(errors[slot]);
      }
      merge(slot, line - 1);
      line += lines[slot];
      records += counts[slot];
    }
    window.erase(0, end);
    if (eof && window.empty()) break;
  }
  if (!serial) {
    reader.records_ = records;
    reader.next_line_ = line;
    reader.eof_ = true;
  }
}

void CsvReader::RequireRecords() const {
  if (records_ == 0) {
    throw InputError(name_, record_line_ + 1, 0, "no data rows (the file has only a header)");
  }
}

bool CsvReader::Next() {
  while (true) {
    if (ParseRecord(eof_)) {
      ++records_;
      return true;
    }
    if (eof_ && pos_ >= Size()) return false;
    if (Size() - pos_ > options_.max_record_bytes) {
      FailRecordTooLong();
    }
    if (!Fill() && eof_ && pos_ >= Size()) return false;
  }
}

// Parses one record starting at pos_ if it is complete in the buffer (or `at_eof`). Returns false
// when more data is needed or nothing is left. Skips blank lines.
//
// Unquoted fields are scanned with byte_classes_ until a byte that ends the field, a quote, or a
// byte that is NUL or not ASCII; the UTF-8 check then runs only on records that have such a byte
// (a plain ASCII file is never validated byte by byte). The buffer's terminating NUL stops the
// scan at its end, so the inner loop needs no bounds check.
bool CsvReader::ParseRecord(bool at_eof) {
  const char* const data = Data();
  for (;;) {
    fields_.clear();
    scratch_used_ = 0;
    size_t p = pos_;
    const size_t end = Size();
    if (p >= end) return false;
    long lines_in_record = 0;
    // Blank line (LF or CRLF): skip.
    if (data[p] == '\n' || (data[p] == '\r' && p + 1 < end && data[p + 1] == '\n')) {
      pos_ = p + (data[p] == '\r' ? 2 : 1);
      ++next_line_;
      continue;
    }
    if (data[p] == '\r' && p + 1 >= end && !at_eof) return false;
    const size_t record_begin = p;
    // A non-ASCII delimiter is not seen by the scan's non-ASCII test: validate every record then.
    bool needs_utf8_check = static_cast<unsigned char>(delimiter_) >= 0x80;
    bool complete = false;
    while (true) {
      // One field.
      if (p < end && data[p] == '"') {
        ++p;
        size_t field_begin = p;
        std::string* unescaped = nullptr;
        bool closed = false;
        while (p < end) {
          const char c = data[p];
          if (c == '"') {
            if (p + 1 < end && data[p + 1] == '"') {
              if (unescaped == nullptr) {
                if (scratch_used_ == scratch_.size()) scratch_.emplace_back();
                unescaped = &scratch_[scratch_used_++];
                unescaped->clear();
              }
              unescaped->append(data + field_begin, p + 1 - field_begin);
              p += 2;
              field_begin = p;
              continue;
            }
            if (p + 1 >= end && !at_eof) break;  // need to see what follows
            closed = true;
            break;
          }
          if (c == '\n') {
            ++lines_in_record;
          } else if (byte_classes_[static_cast<unsigned char>(c)] == kByteCheck) {
            needs_utf8_check = true;
          }
          ++p;
        }
        if (!closed) {
          if (!at_eof) return false;
          throw InputError(name_, next_line_, static_cast<long>(fields_.size() + 1),
                           "unterminated quoted field (a '\"' opens a field that never closes)");
        }
        if (unescaped != nullptr) {
          unescaped->append(data + field_begin, p - field_begin);
          fields_.emplace_back(*unescaped);
        } else {
          fields_.emplace_back(data + field_begin, p - field_begin);
        }
        ++p;  // closing quote
        if (p < end && data[p] != delimiter_ && data[p] != '\n' && data[p] != '\r') {
          throw InputError(name_, next_line_ + lines_in_record, static_cast<long>(fields_.size()),
                           "unexpected character after a closing quote");
        }
      } else {
        const size_t field_begin = p;
        for (;;) {
          while (byte_classes_[static_cast<unsigned char>(data[p])] == kByteText) ++p;
          if (p >= end) break;
          const uint8_t byte_class = byte_classes_[static_cast<unsigned char>(data[p])];
          if (byte_class == kByteEnd) break;
          if (byte_class == kByteQuote) {
            throw InputError(name_, next_line_, static_cast<long>(fields_.size() + 1),
                             "stray '\"' inside an unquoted field");
          }
          if (data[p] == 0) {
            throw InputError(
                name_, next_line_, static_cast<long>(fields_.size() + 1),
                fmt::format("NUL byte at character {}: not a text file", p - record_begin + 1));
          }
          needs_utf8_check = true;  // kByteCheck
          ++p;
        }
        if (p >= end && !at_eof) return false;
        fields_.emplace_back(data + field_begin, p - field_begin);
      }
      if (p >= end) {
        if (!at_eof) return false;
        complete = true;
        break;
      }
      if (data[p] == delimiter_) {
        ++p;
        continue;
      }
      if (data[p] == '\r') {
        if (p + 1 >= end && !at_eof) return false;
        ++p;
        if (p < end && data[p] == '\n') ++p;
      } else {
        ++p;  // '\n'
      }
      complete = true;
      break;
    }
    if (!complete) return false;
    if (p - record_begin > options_.max_record_bytes) FailRecordTooLong();
    if (encoding_ == Encoding::kUtf8 && needs_utf8_check) ValidateUtf8(record_begin, p);
    record_line_ = next_line_;
    next_line_ += 1 + lines_in_record;
    pos_ = p;
    if (!header_.empty() && fields_.size() != header_.size()) {
      throw InputError(name_, record_line_,
                       static_cast<long>(std::min(fields_.size(), header_.size()) + 1),
                       fmt::format("ragged row: {} fields where the header has {}", fields_.size(),
                                   header_.size()));
    }
    return true;
  }
}

void CsvReader::FailRecordTooLong() const {
  throw InputError(name_, next_line_, 0,
                   fmt::format("record longer than {} bytes, the limit for one CSV record "
                               "(is this a CSV file?)",
                               options_.max_record_bytes));
}

void CsvReader::ValidateUtf8(size_t begin, size_t end) {
  const char* const text = Data();
  long line = next_line_;
  size_t line_start = begin;
  for (size_t p = begin; p < end;) {
    const auto c = static_cast<unsigned char>(text[p]);
    if (c < 0x80) {
      if (c == 0) {
        size_t field = 1;
        for (size_t q = line_start; q < p; ++q) field += text[q] == delimiter_;
        throw InputError(
            name_, line, static_cast<long>(field),
            fmt::format("NUL byte at character {}: not a text file", p - line_start + 1));
      }
      if (c == '\n') {
        ++line;
        line_start = p + 1;
      }
      ++p;
      continue;
    }
    const int len = Utf8SequenceLength(text, p, end);
    if (len <= 0) {
      size_t field = 1;
      for (size_t q = line_start; q < p; ++q) field += text[q] == delimiter_;
      throw InputError(name_, line, static_cast<long>(field),
                       "not valid UTF-8 (save the file as UTF-8, or pass --encoding "
                       "windows-1251 for a Windows-1251 file)");
    }
    p += static_cast<size_t>(len);
  }
}

size_t CsvReader::Column(std::string_view name) const {
  if (auto col = FindColumn(name)) return *col;
  std::string present;
  for (const auto& h : header_) present += (present.empty() ? "" : ", ") + h;
  throw InputError(
      name_, 1, 0,
      fmt::format("missing required column '{}' (columns present: {})", name, present));
}

size_t CsvReader::Column(std::initializer_list<std::string_view> names) const {
  for (auto name : names) {
    if (auto col = FindColumn(name)) return *col;
  }
  std::string wanted;
  for (auto name : names) wanted += (wanted.empty() ? "'" : " or '") + std::string(name) + "'";
  std::string present;
  for (const auto& h : header_) present += (present.empty() ? "" : ", ") + h;
  throw InputError(
      name_, 1, 0,
      fmt::format("missing required column {} (columns present: {})", wanted, present));
}

std::optional<size_t> CsvReader::FindColumn(std::string_view name) const {
  const std::string key = LowerAscii(TrimView(name));
  for (size_t col = 0; col < header_keys_.size(); ++col) {
    if (header_keys_[col] == key) return col;
  }
  // The Bureau's Russian and Kazakh headers (Регион, Год, Значение, ...): io/tidy's one table.
  for (size_t col = 0; col < header_.size(); ++col) {
    if (IsColumnAlias(key, header_[col])) return col;
  }
  return std::nullopt;
}

void CsvReader::Fail(size_t col, const std::string& message) const {
  const std::string column_name = col < header_.size() ? header_[col] : std::string("?");
  throw InputError(name_, record_line_, static_cast<long>(col + 1),
                   fmt::format("{}: {}", column_name, message));
}

void CsvReader::FailRecord(const std::string& message) const {
  throw InputError(name_, record_line_, 0, message);
}

std::string_view CsvReader::TrimmedRequiredField(size_t col) const {
  const std::string_view text = TrimView(fields_[col]);
  if (text.empty()) Fail(col, "empty value where one is required");
  return text;
}

namespace {

// Plain decimals ("1234", "-0.25", "17.350") with at most 15 digits: the digits form an integer
// that a double holds exactly, and one division by an exact power of ten rounds correctly, so the
// value is the one fast_float returns (its own fast path does the same). nullopt for anything
// else (signs other than a leading '-', exponents, commas, more digits), which takes the full
// parse.
std::optional<double> ParsePlainDecimal(std::string_view text) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  pos += negative ? 1 : 0;
  uint64_t mantissa = 0;
  size_t digits = 0;
  size_t fraction_digits = 0;
  const size_t int_begin = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    mantissa = mantissa * 10 + static_cast<uint64_t>(text[pos] - '0');
    ++pos;
  }
  digits = pos - int_begin;
  if (digits == 0) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != '.') return std::nullopt;
    ++pos;
    const size_t fraction_begin = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      mantissa = mantissa * 10 + static_cast<uint64_t>(text[pos] - '0');
      ++pos;
    }
    fraction_digits = pos - fraction_begin;
    if (fraction_digits == 0 || pos != text.size()) return std::nullopt;
    digits += fraction_digits;
  }
  if (digits > 15) return std::nullopt;
  const double value = static_cast<double>(mantissa) / kPow10[fraction_digits];
  return negative ? -value : value;
}

}  // namespace

double CsvReader::ParseNumber(size_t col, std::string_view raw) const {
  std::string_view text = TrimView(raw);
  if (text.empty()) Fail(col, "empty value where a number is required");
  if (const auto plain = ParsePlainDecimal(text)) return *plain;
  std::string cleaned;
  const bool comma_decimal =
      options_.decimal == ',' || (options_.decimal == 0 && delimiter_ != ',');
  if (comma_decimal && text.find(',') != std::string_view::npos) {
    cleaned.assign(text);
    std::replace(cleaned.begin(), cleaned.end(), ',', '.');
    text = cleaned;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto result = fast_float::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    Fail(col, fmt::format("not a number: '{}'", raw));
  }
  if (!std::isfinite(value)) Fail(col, fmt::format("not a finite number: '{}'", raw));
  return value;
}

double CsvReader::Double(size_t col) const { return ParseNumber(col, fields_[col]); }

std::optional<double> CsvReader::OptionalDouble(size_t col) const {
  const std::string_view text = TrimView(fields_[col]);
  if (text.empty() || text == "NA" || text == ".." || text == "-" || text == "…") {
    return std::nullopt;
  }
  return ParseNumber(col, text);
}

int64_t CsvReader::Int(size_t col) const {
  const std::string_view text = TrimView(fields_[col]);
  if (text.empty()) Fail(col, "empty value where a whole number is required");
  int64_t value = 0;
  const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
  const auto result = std::from_chars(begin, text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    Fail(col, fmt::format("not a whole number: '{}'", fields_[col]));
  }
  return value;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NA";
  if (value == 0.0) return "0";  // also turns -0 into 0
  return fmt::format("{}", value);
}

void CsvWriter::Separator() {
  if (!first_) out_ << ',';
  first_ = false;
}

CsvWriter& CsvWriter::Field(std::string_view text) {
  Separator();
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out_ << text;
    return *this;
  }
  out_ << '"';
  for (char c : text) {
    if (c == '"') out_ << '"';
    out_ << c;
  }
  out_ << '"';
  return *this;
}

CsvWriter& CsvWriter::Field(double value) {
  Separator();
  out_ << FormatNumber(value);
  return *this;
}

CsvWriter& CsvWriter::Field(long long value) {
  Separator();
  out_ << value;
  return *this;
}

CsvWriter& CsvWriter::EndRow() {
  out_ << '\n';
  first_ = true;
  return *this;
}

}  // namespace kazmig::io

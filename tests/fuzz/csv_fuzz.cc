// libFuzzer target for the CSV reader and the tidy-format readers built on it.
//
// Any input must either parse or throw kazmig::InputError; crashes, sanitizer reports, hangs and
// other exceptions are bugs. The input is also read in parallel (io::CsvChunks, 3 threads, chunks
// of a few bytes so that boundaries fall everywhere): the records, their lines and the error
// message must be the serial reader's, else the target aborts. Run with `make fuzz`
// (FUZZ_SECONDS=N to set the duration).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace {

// Every record's fields and line, then the error message ("" when none).
struct Reading {
  std::vector<std::string> records;
  std::string error;
};

void Take(kazmig::io::CsvReader& csv, std::vector<std::string>& records, long line_offset) {
  while (csv.Next()) {
    std::string record = std::to_string(csv.line() + line_offset);
    for (size_t col = 0; col < csv.field_count(); ++col) {
      record += '|';
      record += csv.Field(col);
    }
    records.push_back(std::move(record));
  }
}

Reading ReadSerial(const std::string& text) {
  Reading out;
  try {
    auto csv = kazmig::io::CsvReader::FromString("fuzz.csv", text);
    Take(csv, out.records, 0);
  } catch (const kazmig::InputError& e) {
    out.error = e.what();
  }
  return out;
}

Reading ReadChunked(const std::string& text, size_t chunk_bytes) {
  Reading out;
  try {
    auto csv = kazmig::io::CsvReader::FromString("fuzz.csv", text);
    kazmig::io::CsvChunks chunks(csv, 3, chunk_bytes);
    std::vector<std::vector<std::string>> parts(chunks.slots());
    std::vector<std::string> records;
    chunks.Run(
        [&](size_t slot, kazmig::io::CsvReader& chunk) {
          parts[slot].clear();
          Take(chunk, parts[slot], 0);
        },
        [&](size_t slot, long line_offset) {
          for (const std::string& record : parts[slot]) {
            const size_t bar = record.find('|');
            const long line = std::stol(record.substr(0, bar)) + line_offset;
            records.push_back(std::to_string(line) +
                              (bar == std::string::npos ? "" : record.substr(bar)));
          }
        });
    out.records = std::move(records);
  } catch (const kazmig::InputError& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (size <= 4096) {
    const Reading serial = ReadSerial(text);
    const Reading chunked = ReadChunked(text, 1 + size % 7);
    // Rows before an error are not compared (a failed chunk's rows are not merged).
    if (chunked.error != serial.error ||
        (serial.error.empty() && chunked.records != serial.records)) {
      std::abort();
    }
  }
  try {
    auto csv = kazmig::io::CsvReader::FromString("fuzz.csv", text);
    const auto value_col = csv.FindColumn("value");
    size_t records = 0;
    while (csv.Next() && records < 100000) {
      ++records;
      for (size_t col = 0; col < csv.field_count(); ++col) {
        volatile size_t length = csv.Field(col).size();
        (void)length;
      }
      if (value_col) {
        try {
          volatile double v = csv.Double(*value_col);
          (void)v;
        } catch (const kazmig::InputError&) {
        }
      }
      try {
        volatile int64_t k = csv.Int(0);
        (void)k;
      } catch (const kazmig::InputError&) {
      }
    }
  } catch (const kazmig::InputError&) {
  }
  return 0;
}

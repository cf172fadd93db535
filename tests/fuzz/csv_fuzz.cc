// libFuzzer target for the CSV reader and the tidy-format readers built on it.
//
// Any input must either parse or throw kazmig::InputError; crashes, sanitizer reports, hangs and
// other exceptions are bugs. Run with `make fuzz` (FUZZ_SECONDS=N to set the duration).
#include <cstddef>
#include <cstdint>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
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

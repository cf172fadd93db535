// libFuzzer target for the XLSX reader (libzip + pugixml), through its in-memory entry point.
//
// Two kinds of input: the bytes of a workbook (starting with "PK", the ZIP signature), read as
// they are, which exercises the archive handling; anything else is split at lines "--8<--" into
// the parts xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/sharedStrings.xml and
// xl/worksheets/sheet1.xml, packed into a valid archive in memory, which exercises the XML and
// cell handling (mutating a compressed archive rarely reaches it). Any input must either parse or
// throw kazmig::InputError; crashes, sanitizer reports, hangs and other exceptions are bugs.
// Seeds: tests/fuzz/corpus/xlsx (tiny.xlsx is made by tests/fuzz/make_xlsx_seed.py).
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/io/xlsx.h"

namespace {

// A stored (uncompressed) ZIP archive of the parts, built with libzip in memory.
std::string PackParts(const std::vector<std::pair<const char*, std::string_view>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  std::string bytes;
  if (buffer == nullptr) return bytes;
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    zip_source_free(buffer);
    return bytes;
  }
  for (const auto& [name, contents] : parts) {
    zip_source_t* part = zip_source_buffer(archive, contents.data(), contents.size(), 0);
    const zip_int64_t index = zip_file_add(archive, name, part, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(part);
      continue;
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
  } else if (zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    if (size > 0) {
      bytes.resize(static_cast<size_t>(size));
      if (zip_source_read(buffer, bytes.data(), static_cast<zip_uint64_t>(size)) != size) {
        bytes.clear();
      }
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string workbook_bytes;
  if (input.starts_with("PK")) {
    workbook_bytes = std::string(input);
  } else {
    static constexpr const char* kParts[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                             "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
    std::vector<std::pair<const char*, std::string_view>> parts;
    size_t start = 0;
    for (const char* name : kParts) {
      if (start > input.size()) break;
      const size_t cut = input.find("\n--8<--\n", start);
      const size_t end = cut == std::string_view::npos ? input.size() : cut;
      parts.emplace_back(name, input.substr(start, end - start));
      start = cut == std::string_view::npos ? input.size() + 1 : cut + 8;
    }
    workbook_bytes = PackParts(parts);
  }
  try {
    const auto book = kazmig::io::XlsxWorkbook::FromMemory(workbook_bytes, "fuzz.xlsx");
    for (size_t idx = 0; idx < book.sheet_count(); ++idx) {
      const kazmig::io::XlsxSheet& sheet = book.Sheet(idx);
      for (size_t row = 0; row < sheet.row_count() && row < 1000; ++row) {
        for (size_t col = 0; col < sheet.column_count() && col < 100; ++col) {
          volatile size_t length = sheet.Text(row, col).size();
          volatile bool number = sheet.Number(row, col).has_value();
          (void)length;
          (void)number;
        }
      }
      volatile bool found = book.FindSheet(sheet.name()) != nullptr;
      (void)found;
    }
  } catch (const kazmig::InputError&) {
  }
  return 0;
}

// Reading a modelling table: named columns of a CSV file as numeric vectors or as categorical
// level codes (fixed effects, clusters), with every bad value located.
//
//   io::ModelTable table = io::ReadModelTable(
//       "panel.csv", {{"flow", io::ColumnKind::kNumeric}, {"log_stock", io::ColumnKind::kNumeric},
//                     {"orig", io::ColumnKind::kCategorical}});
//   const std::vector<double>& flow = table.columns[0].values;
//   const std::vector<int32_t>& orig = table.columns[2].codes;  // 0.. in order of first appearance
//   const std::string& name = table.columns[2].levels[orig[0]]; // the text of a level
//   long line = table.lines[row];                               // physical line of row (for
//   errors)
//
// Columns are matched by name, case-insensitively (as CsvReader). A column named twice in the
// request is read once per request. Errors are InputError `FILE:LINE:COL: ...` naming the column:
// a missing column (FILE: missing required column), an empty, non-numeric, NaN or infinite value
// in a numeric column, an empty categorical value, a file without data rows. The dialect
// (separator, decimal comma, Windows-1251) is detected as CsvReader does.
#ifndef KAZMIG_IO_MODEL_TABLE_H_
#define KAZMIG_IO_MODEL_TABLE_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/io/csv.h"

namespace kazmig::io {

enum class ColumnKind { kNumeric, kCategorical };

struct ModelColumnRequest {
  std::string name;
  ColumnKind kind = ColumnKind::kNumeric;
};

struct ModelColumn {
  std::string name;  // as requested
  ColumnKind kind = ColumnKind::kNumeric;
  size_t file_column = 0;           // 1-based position in the file (for messages)
  std::vector<double> values;       // kNumeric: one per row
  std::vector<int32_t> codes;       // kCategorical: one per row, 0.. in order of first appearance
  std::vector<std::string> levels;  // kCategorical: the text of each code
};

// The physical line of each row, held as the rows where the line does not follow on from the
// previous row's (the first row, and rows after a blank line or a record of several lines): a
// table of millions of rows, one a line, costs a few bytes, not eight a row.
class RowLines {
 public:
  long operator[](size_t row) const;
  long front() const { return (*this)[0]; }
  size_t size() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  void push_back(long line);
  // Appends `other`'s rows, their lines shifted by `line_offset`.
  void Append(const RowLines& other, long line_offset);
  std::vector<long> ToVector() const;

 private:
  struct Jump {
    size_t row;
    long line;
  };
  std::vector<Jump> jumps_;  // by row: from `row` on, row r is on line `line` + (r - row)
  size_t rows_ = 0;
};

struct ModelTable {
  std::string source;                // the file name used in messages
  std::vector<ModelColumn> columns;  // in the order requested
  RowLines lines;                    // physical line of each row
  size_t rows() const { return lines.size(); }
  // The column named `name` (case-insensitive); throws ComputeError (internal) if not requested.
  const ModelColumn& column(const std::string& name) const;
};

// Reads the requested columns of `path`, on `threads` threads (CsvChunks: the same table and the
// same errors for any number; <= 0: every core). Throws InputError as described above.
ModelTable ReadModelTable(const std::filesystem::path& path,
                          const std::vector<ModelColumnRequest>& columns,
                          const CsvOptions& options = {}, int threads = 1);
// The same from an in-memory document named `name` (tests; `chunk_bytes` sets the parallel
// reader's chunk size, tiny in tests so that chunks cut the text everywhere).
ModelTable ReadModelTableFromString(std::string name, std::string contents,
                                    const std::vector<ModelColumnRequest>& columns,
                                    const CsvOptions& options = {}, int threads = 1,
                                    size_t chunk_bytes = kDefaultChunkBytes);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_MODEL_TABLE_H_

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

struct ModelTable {
  std::string source;                // the file name used in messages
  std::vector<ModelColumn> columns;  // in the order requested
  std::vector<long> lines;           // physical line of each row
  size_t rows() const { return lines.size(); }
  // The column named `name` (case-insensitive); throws ComputeError (internal) if not requested.
  const ModelColumn& column(const std::string& name) const;
};

// Reads the requested columns of `path`. Throws InputError as described above.
ModelTable ReadModelTable(const std::filesystem::path& path,
                          const std::vector<ModelColumnRequest>& columns,
                          const CsvOptions& options = {});
// The same from an in-memory document named `name` (tests).
ModelTable ReadModelTableFromString(std::string name, std::string contents,
                                    const std::vector<ModelColumnRequest>& columns,
                                    const CsvOptions& options = {});

}  // namespace kazmig::io

#endif  // KAZMIG_IO_MODEL_TABLE_H_

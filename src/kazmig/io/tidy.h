// Readers and writers for kazmig's long tidy formats (ARCHITECTURE.md "Command line contract"):
//   flows          orig,dest,flow[,year|period]
//   region values  region,value[,year]
//   stocks         pob,por,stock
//   distances      orig,dest,distance
// Region ids are free text; with a RegionSystem given, each id is resolved through it (KATO, ISO,
// names in three languages) and an unknown id is an InputError at its line and column. Matrices
// are ordered by the ids as first met in the file (or the system's order when one is given).
//
//   FlowMatrix flows = io::ReadFlows("flows.csv");        // sparse input: absent pairs are 0
//   auto pop = io::ReadRegionValues("population.csv");    // ids, values
#ifndef KAZMIG_IO_TIDY_H_
#define KAZMIG_IO_TIDY_H_

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"

namespace kazmig::io {

// The column names of the tidy formats in the Bureau's own exports: for each English name a
// reader asks for ("region", "year", "value", "orig", "dest", "flow", "pob", "por", "stock",
// "distance", "sex", "age", "country", "period", "population", "date"), the Russian and Kazakh
// headers that mean the same (Регион/Облыс/Өңір, Год/Жыл, Значение/Мәні, Откуда, Куда, ...). The
// one table (documented in docs/data.md, "Column names"); CsvReader::FindColumn falls back to it
// when a file has no column of the English name, so every reader of a tidy format accepts them.
struct ColumnAliases {
  std::string_view name;                  // the English name readers ask for
  std::vector<std::string_view> aliases;  // Russian and Kazakh headers
};
const std::vector<ColumnAliases>& TidyColumnAliases();
// True when `header` (any case; spaces and punctuation ignored) is a Russian or Kazakh name of
// the column `name` in TidyColumnAliases().
bool IsColumnAlias(std::string_view name, std::string_view header);

struct TidyOptions {
  CsvOptions csv;
  // Resolve ids through this system (and order by it); nullptr for free-text ids.
  const RegionSystem* system = nullptr;
  // Value column name (flows: "flow", stocks: "stock", region values: "value", distances:
  // "distance").
  std::string value_column;
  // Reject negative values (flows, stocks, population).
  bool non_negative = true;
  // Only rows with this year (when the file has a year column); nullopt reads all rows, and a
  // file with several years is then an error for single-matrix readers.
  std::optional<int> year;
  // Threads of the pair readers (ReadFlows, ReadFlowsByYear, ReadStocks: CsvChunks; the same
  // matrices and errors for any number; <= 0: every core). chunk_bytes: CsvChunks' chunk size.
  int threads = 1;
  size_t chunk_bytes = kDefaultChunkBytes;
};

// Reads an origin-destination file into a matrix. Diagonal rows are accepted and kept (callers
// that ignore the diagonal use FlowMatrix's helpers). Duplicated pairs, negative or non-numeric
// values are InputErrors with the line.
// The largest absolute value of a flow, stock or distance the pair readers accept: 1e30, far
// beyond any count of people yet small enough that sums and products over a matrix stay finite
// (1e308 values overflowed into inf and NA with exit 0); a larger value is an InputError at its
// line and column. A file with a header and no
// rows is an InputError too (ReadFlowsByYear returns an empty map only when rows exist but none
// is of options.year).
inline constexpr double kMaxPairValue = 1e30;

FlowMatrix ReadFlows(const std::filesystem::path& path, TidyOptions options = {});
// Reads origin-destination files keyed by year: year -> matrix over the union of ids.
std::map<int, FlowMatrix> ReadFlowsByYear(const std::filesystem::path& path,
                                          TidyOptions options = {});
// Reads `pob,por,stock` into a matrix with row = place of birth, column = place of residence.
FlowMatrix ReadStocks(const std::filesystem::path& path, TidyOptions options = {});

// Reads `orig,dest,distance` (or `dist`; options.value_column overrides) into a matrix over
// `ids`, in that order: the distances between the regions of a flow matrix. Ids are resolved
// through options.system when given (an id unknown to the system is an InputError). Rows naming a
// region outside `ids`, or the same region twice, are skipped; every other ordered pair must be
// given exactly once with a positive distance. The diagonal is 0. Throws InputError at the line
// and column of a value that is not a positive number, at the line of a duplicated pair (naming
// the line that first gave it), and naming the first pair that has no distance.
// Read on options.threads threads (a file that cannot be read twice, such as a pipe: on one); a
// file with an error is read again on one thread to name it. options.non_negative and
// options.year are not used.
FlowMatrix ReadDistances(const std::filesystem::path& path, const std::vector<std::string>& ids,
                         TidyOptions options = {});

struct RegionValues {
  std::vector<std::string> ids;
  std::vector<double> values;
  // Index of an id, or nullopt.
  std::optional<size_t> Find(const std::string& id) const;
};
// Reads `region,value` (value column configurable). A duplicated region is an InputError.
RegionValues ReadRegionValues(const std::filesystem::path& path, TidyOptions options = {});

// Writes `orig,dest,flow` rows: every off-diagonal pair, or every cell when `include_diagonal`.
void WriteFlows(std::ostream& out, const FlowMatrix& flows, bool include_diagonal = false);

}  // namespace kazmig::io

#endif  // KAZMIG_IO_TIDY_H_

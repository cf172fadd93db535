#include "kazmig/importers/first_release.h"

#include <fmt/format.h>

#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/atomic_file.h"

namespace kazmig::importers {
namespace {

constexpr const char* kSection = "## 8.";
constexpr const char* kFigure = "International migration ";

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// The cells of a markdown table row "| a | b | c |".
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t pos = 1; pos < line.size(); ++pos) {
    if (line[pos] == '|') {
      cells.push_back(Trim(cell));
      cell.clear();
    } else {
      cell += line[pos];
    }
  }
  return cells;
}

// "17,293" -> 17293; "−6,946" (minus sign) -> -6946; "+9,293" -> 9293; nullopt for anything else.
// "1,234,567": one to three digits, then groups of a comma and three digits. (By hand, not
// std::regex: GCC 12 warns inside <regex> in the sanitizer build, and warnings are errors.)
bool IsGroupedCount(std::string_view text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const size_t first = text.find(',') == std::string_view::npos ? text.size() : text.find(',');
  if (first < 1 || first > 3) return false;
  for (size_t at = 0; at < first; ++at) {
    if (!digit(text[at])) return false;
  }
  for (size_t at = first; at < text.size(); at += 4) {
    if (at + 4 > text.size() || text[at] != ',') return false;
    for (size_t k = 1; k <= 3; ++k) {
      if (!digit(text[at + k])) return false;
    }
  }
  return true;
}

// The year of a row "International migration 2022: arrivals / departures / net", or 0.
int WholeYearRow(std::string_view cell) {
  constexpr std::string_view kBefore = "International migration ";
  constexpr std::string_view kAfter = ": arrivals / departures / net";
  if (cell.size() != kBefore.size() + 4 + kAfter.size() ||
      cell.substr(0, kBefore.size()) != kBefore || cell.substr(kBefore.size() + 4) != kAfter) {
    return 0;
  }
  int year = 0;
  for (char c : cell.substr(kBefore.size(), 4)) {
    if (c < '0' || c > '9') return 0;
    year = year * 10 + (c - '0');
  }
  return year;
}

std::optional<double> Count(std::string text) {
  text = Trim(text);
  bool negative = false;
  for (const char* sign : {"\u2212", "-", "+"}) {
    if (text.rfind(sign, 0) == 0) {
      negative = std::string_view(sign) != "+";
      text = text.substr(std::string(sign).size());
      break;
    }
  }
  if (!IsGroupedCount(text)) return std::nullopt;
  std::string digits;
  for (char c : text) {
    if (c != ',') digits += c;
  }
  const double value = std::stod(digits);
  return negative ? -value : value;
}

}  // namespace

store::Batch ImportFirstReleases(const std::filesystem::path& provenance_md) {
  const std::string file = provenance_md.string();
  std::istringstream text(io::ReadFile(provenance_md));
  store::Batch batch;
  batch.description = "BNS first releases of international migration, as reported by the press";
  batch.indicators.push_back(BuiltinIndicator("intl_arrivals_first_release"));
  batch.indicators.push_back(BuiltinIndicator("intl_departures_first_release"));
  // "International migration 2022: arrivals / departures / net" (a whole year, nothing else).
  bool in_section = false, found_section = false;
  std::set<int> years;
  std::string line;
  long line_number = 0;
  while (std::getline(text, line)) {
    ++line_number;
    if (line.rfind("## ", 0) == 0) {
      in_section = line.rfind(kSection, 0) == 0;
      found_section = found_section || in_section;
      continue;
    }
    if (!in_section || line.rfind("| ", 0) != 0) continue;
    const std::vector<std::string> cells = Cells(line);
    if (cells.size() < 3 || cells[0].rfind(kFigure, 0) != 0) continue;
    const int year = WholeYearRow(cells[0]);
    if (year == 0) continue;  // half years, quarters, ...
    std::vector<double> values;
    std::string rest = cells[1];
    for (size_t slash = rest.find('/');; slash = rest.find('/')) {
      const auto value = Count(rest.substr(0, slash));
      if (!value) {
        throw InputError(file, line_number, 1,
                         fmt::format("international migration {}: '{}' is not three counts "
                                     "'arrivals / departures / net'",
                                     year, cells[1]));
      }
      values.push_back(*value);
      if (slash == std::string::npos) break;
      rest = rest.substr(slash + 1);
    }
    if (values.size() != 3 || values[0] - values[1] != values[2]) {
      throw InputError(file, line_number, 1,
                       fmt::format("international migration {}: '{}' is not 'arrivals / "
                                   "departures / net' with net = arrivals - departures",
                                   year, cells[1]));
    }
    if (!years.insert(year).second) {
      throw InputError(file, line_number, 1,
                       fmt::format("international migration {} is listed twice", year));
    }
    const Provenance provenance = Provenance::Official(
        "BNS, first release (as reported by the press)",
        fmt::format("{}; figures as first published, before any revision; collected in "
                    "PROVENANCE.md section 8",
                    cells[2]));
    batch.series.push_back({"intl_arrivals_first_release", "kz-2022", std::string(store::kNational),
                            year, values[0], provenance});
    batch.series.push_back({"intl_departures_first_release", "kz-2022",
                            std::string(store::kNational), year, values[1], provenance});
  }
  if (!found_section) {
    throw InputError(file, 0, 0,
                     "no section '## 8.' (published BNS figures usable as held-out checks)");
  }
  return batch;
}

}  // namespace kazmig::importers

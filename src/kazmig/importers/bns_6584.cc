#include "kazmig/importers/bns_6584.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/xlsx.h"

namespace kazmig::importers {
namespace {

struct Cell {
  double value;
  size_t row;
  size_t col;
};

// Lower-cased text (ASCII and Cyrillic) for matching sheet and block names.
std::string Fold(const std::string& text) { return NormalizeRegionKey(text); }

bool Contains(const std::string& folded, std::string_view needle) {
  return folded.find(needle) != std::string::npos;
}

struct Header {
  size_t row;
  std::vector<std::pair<size_t, int>> year_cols;  // (column, year)
};

std::optional<Header> FindHeader(const io::XlsxSheet& sheet) {
  for (size_t row = 0; row < std::min<size_t>(sheet.row_count(), 40); ++row) {
    Header header{row, {}};
    for (size_t col = 1; col < sheet.column_count(); ++col) {
      const auto number = sheet.Number(row, col);
      if (!number || *number != std::floor(*number) || *number < kMinTableYear ||
          *number > kMaxTableYear) {
        break;
      }
      const int year = static_cast<int>(*number);
      if (!header.year_cols.empty() && year != header.year_cols.back().second + 1) break;
      header.year_cols.emplace_back(col, year);
    }
    if (header.year_cols.size() >= 2) return header;
  }
  return std::nullopt;
}

}  // namespace

store::Batch ImportBns6584(const std::filesystem::path& path, const RegionNames& names) {
  const io::XlsxWorkbook book = io::XlsxWorkbook::Open(path);
  const Provenance provenance = Provenance::Official(
      "BNS table 6584",
      fmt::format("population on 1 January; workbook {}", path.filename().string()));

  struct SheetData {
    const io::XlsxSheet* sheet;
    std::string indicator;
    Header header;
    // year -> id -> cell, for the totals block only.
    std::map<int, std::map<std::string, Cell>> totals;
  };
  std::vector<SheetData> sheets;
  for (size_t sheet_idx = 0; sheet_idx < book.sheet_count(); ++sheet_idx) {
    const io::XlsxSheet& sheet = book.Sheet(sheet_idx);
    const std::string folded = Fold(sheet.name());
    std::string indicator;
    if (Contains(folded, "все") || Contains(folded, "всё")) {
      indicator = "population_jan1";
    } else if (Contains(folded, "муж")) {
      indicator = "population_jan1_male";
    } else if (Contains(folded, "жен")) {
      indicator = "population_jan1_female";
    } else {
      continue;  // other sheets (notes, charts) are not data
    }
    const auto header = FindHeader(sheet);
    if (!header) {
      sheet.Fail(0, 1,
                 "unexpected layout: no header row of consecutive years in columns B.. "
                 "(expected table 6584: region names in column A, one column per year)");
    }
    SheetData data{&sheet, indicator, *header, {}};
    std::string area = "total";
    std::map<std::string, std::set<std::string>> seen;  // area -> ids
    for (size_t row = header->row + 1; row < sheet.row_count(); ++row) {
      const std::string label = sheet.Text(row, 0);
      bool has_values = false;
      for (const auto& [col, year] : header->year_cols) {
        if (!sheet.Empty(row, col) && sheet.Text(row, col) != "-") has_values = true;
      }
      if (label.empty()) {
        if (has_values) sheet.Fail(row, 0, "values without a region name");
        continue;
      }
      if (label.size() >= 2 && std::isdigit(static_cast<unsigned char>(label[0])) &&
          label.find(')') != std::string::npos && label.find(')') < 4) {
        break;  // footnotes end the table
      }
      const auto id = names.Find(label);
      if (!id) {
        if (has_values) sheet.Fail(row, 0, fmt::format("unknown region name '{}'", label));
        const std::string folded_label = Fold(label);
        if (Contains(folded_label, "город")) {
          area = "urban";
        } else if (Contains(folded_label, "сель")) {
          area = "rural";
        } else {
          area = "total";  // a sex label ("Мужчины") heads the totals block
        }
        continue;
      }
      if (!seen[area].insert(*id).second) {
        sheet.Fail(row, 0, fmt::format("region '{}' listed twice in the {} block", label, area));
      }
      for (const auto& [col, year] : header->year_cols) {
        if (sheet.Empty(row, col) || sheet.Text(row, col) == "-") continue;
        const auto value = sheet.Number(row, col);
        if (!value) {
          sheet.Fail(row, col, fmt::format("'{}' is not a number", sheet.Text(row, col)));
        }
        if (*value < 0) sheet.Fail(row, col, fmt::format("negative population {}", *value));
        if (area == "total") data.totals[year][*id] = {*value, row, col};
      }
    }
    if (data.totals.empty()) {
      sheet.Fail(header->row + 1, 0, "unexpected layout: no region rows under the header");
    }
    sheets.push_back(std::move(data));
  }
  if (sheets.empty() || sheets.front().indicator != "population_jan1") {
    throw InputError(book.name(), 0, 0,
                     "unexpected layout: the first data sheet must be 'Все население' (whole "
                     "population) of table 6584");
  }

  // The vintage of each year, from the whole-population sheet.
  std::map<int, std::string> vintages;
  for (const auto& [year, cells] : sheets.front().totals) {
    // "Туркестанская" is Turkistan or South Kazakhstan depending on the year, so the vintage
    // follows the other units (Shymkent from 2017, Abai/Jetisu/Ulytau from 2022).
    std::set<std::string> ids;
    for (const auto& entry : cells) {
      if (entry.first != "61") ids.insert(entry.first);
    }
    vintages[year] = VintageOfYear(ids);
  }

  store::Batch batch;
  batch.description = "BNS table 6584";
  for (SheetData& data : sheets) {
    batch.indicators.push_back(BuiltinIndicator(data.indicator));
    for (auto& [year, cells] : data.totals) {
      const auto vintage_it = vintages.find(year);
      if (vintage_it == vintages.end()) {
        const Cell& any = cells.begin()->second;
        data.sheet->Fail(any.row, any.col,
                         fmt::format("year {} is not in the whole-population sheet", year));
      }
      const std::string& vintage = vintage_it->second;
      // Footnote 1: "Туркестанская" values before the 2018 reform are South Kazakhstan's.
      if (vintage == "kz-2009" && cells.count("61")) {
        cells["51"] = cells["61"];
        cells.erase("61");
      }
      const RegionSystem& system = RegionSystem::Builtin(vintage);
      for (const auto& [id, cell] : cells) {
        if (id != store::kNational && !system.IndexOfId(id)) {
          data.sheet->Fail(cell.row, cell.col,
                           fmt::format("a value for region {} in {}, which has the borders of {} "
                                       "where that region does not exist",
                                       id, year, vintage));
        }
      }
      for (const Region& region : system.regions()) {
        if (!cells.count(region.id)) {
          const size_t col = cells.begin()->second.col;
          data.sheet->Fail(data.header.row, col,
                           fmt::format("no value for {} ({}) in {} (borders of {})", region.name_en,
                                       region.id, year, vintage));
        }
      }
      for (const auto& [id, cell] : cells) {
        batch.series.push_back({data.indicator, vintage, id, year, cell.value, provenance});
      }
    }
  }
  return batch;
}

}  // namespace kazmig::importers

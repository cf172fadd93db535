#include "kazmig/importers/policy_labour.h"

#include <fmt/format.h>

#include <charconv>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

constexpr const char* kSource = "Ministry of Labour and Social Protection figures, as reported";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Provenance of one row: official, the `source` column as detail, marked as a press report when
// the source is not a government site, and approximate when it says so.
Provenance RowProvenance(std::string_view source_column) {
  const std::string source(Trim(source_column));
  std::string detail = source.empty() ? "source not given" : source;
  if (source.find(".gov.kz") == std::string::npos) detail += "; reported by the press";
  return Provenance::Official(kSource, detail);
}

int ReadYear(const io::CsvReader& csv, size_t col, std::set<int>& seen) {
  const int64_t year = csv.Int(col);
  if (year < kMinTableYear || year > kMaxTableYear) {
    csv.Fail(col, fmt::format("implausible year {}", year));
  }
  if (!seen.insert(static_cast<int>(year)).second) {
    csv.Fail(col, fmt::format("duplicated year {}", year));
  }
  return static_cast<int>(year);
}

std::optional<double> ReadCount(const io::CsvReader& csv, size_t col) {
  const std::optional<double> value = csv.OptionalDouble(col);
  if (value && *value < 0) csv.Fail(col, fmt::format("negative count {}", *value));
  return value;
}

store::SeriesRow National(const std::string& indicator, int year, double value,
                          const Provenance& provenance) {
  return {indicator, "kz-2022", std::string(store::kNational), year, value, provenance};
}

}  // namespace

store::Batch ImportKandasArrivals(const std::filesystem::path& path,
                                  const CountryNames& countries) {
  io::CsvReader csv(path);
  const size_t c_year = csv.Column("year"), c_arrivals = csv.Column("arrivals"),
               c_source = csv.Column("source");
  const auto c_cumulative = csv.FindColumn("cumulative_since_1991");
  const auto c_origins = csv.FindColumn("main_origins");
  store::Batch batch;
  batch.description = "kandas arrivals (kz_policy_labour)";
  for (const char* name : {"kandas_arrivals", "kandas_cumulative", "kandas_origin_share"}) {
    batch.indicators.push_back(BuiltinIndicator(name));
  }
  std::set<int> years;
  while (csv.Next()) {
    const int year = ReadYear(csv, c_year, years);
    const Provenance provenance = RowProvenance(csv.Field(c_source));
    const std::optional<double> arrivals = ReadCount(csv, c_arrivals);
    if (!arrivals) csv.Fail(c_arrivals, "missing value");
    batch.series.push_back(National("kandas_arrivals", year, *arrivals, provenance));
    if (c_cumulative) {
      if (const auto cumulative = ReadCount(csv, *c_cumulative)) {
        if (*cumulative < *arrivals) {
          csv.Fail(*c_cumulative, fmt::format("cumulative total {} below the year's arrivals {}",
                                              *cumulative, *arrivals));
        }
        batch.series.push_back(National("kandas_cumulative", year, *cumulative, provenance));
      }
    }
    if (!c_origins) continue;
    const std::string_view origins = Trim(csv.Field(*c_origins));
    if (origins.empty()) continue;
    double total = 0;
    std::set<std::string> seen;
    size_t start = 0;
    while (start <= origins.size()) {
      const size_t end = std::min(origins.find(';', start), origins.size());
      const std::string_view item = Trim(origins.substr(start, end - start));
      start = end + 1;
      if (item.empty()) continue;
      const size_t space = item.rfind(' ');
      if (space == std::string_view::npos || item.back() != '%') {
        csv.Fail(*c_origins, fmt::format("'{}' is not 'COUNTRY SHARE%'", item));
      }
      const std::string_view name = Trim(item.substr(0, space));
      const std::string_view number = item.substr(space + 1, item.size() - space - 2);
      double share = 0;
      const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), share);
      if (ec != std::errc() || ptr != number.data() + number.size() || !(share > 0) ||
          share > 100) {
        csv.Fail(*c_origins, fmt::format("'{}': the share must be a number in (0, 100]", item));
      }
      const std::optional<std::string> iso3 = countries.Find(name);
      if (!iso3) csv.Fail(*c_origins, fmt::format("unknown country '{}'", name));
      if (!seen.insert(*iso3).second) {
        csv.Fail(*c_origins, fmt::format("country '{}' given twice", name));
      }
      total += share;
      batch.flows.push_back(
          {"kandas_origin_share", "iso3", *iso3, "KAZ", year, "", share, provenance});
    }
    if (total > 100 + 1e-9) {
      csv.Fail(*c_origins, fmt::format("the shares sum to {:.1f}% (above 100%)", total));
    }
  }
  csv.RequireRecords();
  return batch;
}

store::Batch ImportResettlementQuotas(const std::filesystem::path& path) {
  io::CsvReader csv(path);
  const size_t c_year = csv.Column("year"), c_kandas = csv.Column("kandas_quota"),
               c_internal = csv.Column("internal_resettlers_quota"),
               c_combined = csv.Column("combined_quota"), c_source = csv.Column("source");
  store::Batch batch;
  batch.description = "resettlement quotas (kz_policy_labour)";
  for (const char* name :
       {"resettlement_quota", "resettlement_quota_kandas", "resettlement_quota_internal"}) {
    batch.indicators.push_back(BuiltinIndicator(name));
  }
  std::set<int> years;
  while (csv.Next()) {
    const int year = ReadYear(csv, c_year, years);
    const Provenance provenance = RowProvenance(csv.Field(c_source));
    const auto kandas = ReadCount(csv, c_kandas);
    const auto internal = ReadCount(csv, c_internal);
    const auto combined = ReadCount(csv, c_combined);
    if (!kandas && !internal && !combined) csv.FailRecord("no quota given");
    if (kandas && internal && combined && *kandas + *internal != *combined) {
      csv.Fail(c_combined, fmt::format("combined quota {} is not kandas {} + internal {}",
                                       *combined, *kandas, *internal));
    }
    if (kandas) {
      batch.series.push_back(National("resettlement_quota_kandas", year, *kandas, provenance));
    }
    if (internal) {
      batch.series.push_back(National("resettlement_quota_internal", year, *internal, provenance));
    }
    if (combined) {
      batch.series.push_back(National("resettlement_quota", year, *combined, provenance));
    }
  }
  csv.RequireRecords();
  return batch;
}

}  // namespace kazmig::importers

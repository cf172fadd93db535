#include "kazmig/importers/policy_labour.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
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

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// "YYYY-MM-DD" with a valid calendar date in the table years; the year, or 0.
int ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return 0;
  int parts[3] = {0, 0, 0};
  const std::string_view pieces[3] = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
  for (int idx = 0; idx < 3; ++idx) {
    for (char c : pieces[idx]) {
      if (c < '0' || c > '9') return 0;
    }
    std::from_chars(pieces[idx].data(), pieces[idx].data() + pieces[idx].size(), parts[idx]);
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int year = parts[0], month = parts[1], day = parts[2];
  if (year < kMinTableYear || year > kMaxTableYear || month < 1 || month > 12) return 0;
  const int days = month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
  return day >= 1 && day <= days ? year : 0;
}

// The kz-2022 ids of a region given by id, ISO code or name in any built-in vintage (the newest
// vintage that knows it), or an empty vector.
std::vector<std::string> RegionAtoms(std::string_view text) {
  for (const char* vintage : {"kz-2022", "kz-2018", "kz-2009"}) {
    const RegionSystem& system = RegionSystem::Builtin(vintage);
    if (const auto idx = system.Find(text)) return Crosswalk::Atoms(vintage, system[*idx].id);
  }
  return {};
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::string CsvQuote(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
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

store::Batch ImportForeignLabour(const std::filesystem::path& path) {
  io::CsvReader csv(path);
  const size_t c_date = csv.Column("date"), c_indicator = csv.Column("indicator"),
               c_value = csv.Column("value"), c_unit = csv.Column("unit"),
               c_source = csv.Column("source");
  const auto c_note = csv.FindColumn("note");
  struct Known {
    const char* indicator;
    const char* unit;
  };
  static const std::map<std::string, Known, std::less<>> kKnown = {
      {"labour_immigrant_permits_issued", {"labour_immigrant_permits_issued", "persons"}},
      {"labour_immigrant_permits_issued_or_extended",
       {"labour_immigrant_permits_issued_or_extended", "persons"}},
      {"foreign_worker_quota", {"foreign_worker_quota", "persons"}},
      {"foreign_worker_quota_share", {"foreign_worker_quota_share", "percent of labour force"}},
      {"foreign_workers_with_permits", {"foreign_workers_with_permits", "persons"}},
  };
  store::Batch batch;
  batch.description = "foreign labour (kz_policy_labour)";
  std::set<std::string> described;
  std::set<std::pair<std::string, int>> seen;
  while (csv.Next()) {
    const std::string_view date = Trim(csv.Field(c_date));
    const int year = ParseIsoDate(date);
    if (year == 0) csv.Fail(c_date, fmt::format("'{}' is not a date YYYY-MM-DD", date));
    const std::string_view name = Trim(csv.Field(c_indicator));
    std::string indicator, unit;
    if (const auto it = kKnown.find(name); it != kKnown.end()) {
      indicator = it->second.indicator;
      unit = it->second.unit;
    } else if (name.rfind("entries_of_foreigners", 0) == 0) {
      indicator = "foreign_entries";
      unit = "persons";
    } else {
      std::string names;
      for (const auto& [known, meta] : kKnown) names += std::string(known) + ", ";
      csv.Fail(
          c_indicator,
          fmt::format("unknown indicator '{}' (known: {}entries_of_foreigners_YYYY)", name, names));
    }
    if (Trim(csv.Field(c_unit)) != unit) {
      csv.Fail(c_unit, fmt::format("unit '{}' for {} (expected '{}')", Trim(csv.Field(c_unit)),
                                   name, unit));
    }
    const double value = csv.Double(c_value);
    if (value < 0) csv.Fail(c_value, fmt::format("negative value {}", value));
    if (unit != "persons" && value > 100) {
      csv.Fail(c_value, fmt::format("a share of {}% (above 100)", value));
    }
    if (!seen.emplace(indicator, year).second) {
      csv.Fail(c_date, fmt::format("a second {} value in {}", indicator, year));
    }
    if (described.insert(indicator).second) batch.indicators.push_back(BuiltinIndicator(indicator));
    Provenance provenance = RowProvenance(csv.Field(c_source));
    std::string detail = fmt::format("{}; as of {}", provenance.detail, date);
    if (c_note && !Trim(csv.Field(*c_note)).empty()) {
      detail += fmt::format("; {}", Trim(csv.Field(*c_note)));
    }
    provenance = Provenance::Official(provenance.source, detail);
    batch.series.push_back(National(indicator, year, value, provenance));
  }
  csv.RequireRecords();
  return batch;
}

std::vector<MeasureRow> ReadPolicyMeasures(const std::filesystem::path& path,
                                           const std::vector<std::string>& kinds,
                                           const std::set<std::string>& taken_ids) {
  io::CsvReader csv(path);
  const size_t c_id = csv.Column("id"), c_date = csv.Column("date"), c_title = csv.Column("title"),
               c_kind = csv.Column("kind"), c_regions = csv.Column("regions_affected");
  const auto c_source = csv.FindColumn("source");
  std::vector<MeasureRow> rows;
  std::set<std::string> ids = taken_ids;
  while (csv.Next()) {
    MeasureRow row;
    row.file = fmt::format("{}:{}", csv.name(), csv.line());
    row.id = std::string(Trim(csv.Field(c_id)));
    if (!ValidId(row.id)) {
      csv.Fail(c_id, fmt::format("'{}' is not an id (letters, digits, '-', '_', '.')", row.id));
    }
    if (!ids.insert(row.id).second) csv.Fail(c_id, fmt::format("duplicated id '{}'", row.id));
    row.date = std::string(Trim(csv.Field(c_date)));
    if (ParseIsoDate(row.date) == 0) {
      csv.Fail(c_date, fmt::format("'{}' is not a date YYYY-MM-DD", row.date));
    }
    row.title = std::string(csv.RequiredField(c_title));
    row.kind = std::string(Trim(csv.Field(c_kind)));
    if (std::find(kinds.begin(), kinds.end(), row.kind) == kinds.end()) {
      std::string known;
      for (const std::string& kind : kinds) known += (known.empty() ? "" : ", ") + kind;
      csv.Fail(c_kind, fmt::format("unknown kind '{}' (one of: {})", row.kind, known));
    }
    const std::string_view regions = Trim(csv.Field(c_regions));
    if (regions == "all") {
      row.national = true;
    } else {
      size_t start = 0;
      while (start <= regions.size()) {
        const size_t end = std::min(regions.find(';', start), regions.size());
        const std::string_view item = Trim(regions.substr(start, end - start));
        start = end + 1;
        if (item.empty()) continue;
        const std::vector<std::string> atoms = RegionAtoms(item);
        if (atoms.empty()) {
          csv.Fail(c_regions,
                   fmt::format("unknown region '{}' (KATO code, ISO code or name)", item));
        }
        for (const std::string& atom : atoms) {
          if (std::find(row.regions.begin(), row.regions.end(), atom) == row.regions.end()) {
            row.regions.push_back(atom);
          }
        }
      }
      if (row.regions.empty()) csv.Fail(c_regions, "no region given (use 'all' for the country)");
    }
    if (c_source) row.source = std::string(Trim(csv.Field(*c_source)));
    rows.push_back(std::move(row));
  }
  csv.RequireRecords();
  return rows;
}

std::string PolicyMeasuresCsv(const std::vector<MeasureRow>& rows) {
  std::string out = "id,date,title,kind,regions_affected,source\n";
  for (const MeasureRow& row : rows) {
    std::string regions = row.national ? "all" : "";
    for (const std::string& region : row.regions) regions += (regions.empty() ? "" : ";") + region;
    out += fmt::format("{},{},{},{},{},{}\n", CsvQuote(row.id), row.date, CsvQuote(row.title),
                       CsvQuote(row.kind), regions, CsvQuote(row.source));
  }
  return out;
}

std::vector<EthnicFlowRow> ReadEthnicFlows(const std::filesystem::path& path) {
  io::CsvReader csv(path);
  const size_t c_period = csv.Column("period"), c_flow = csv.Column("flow"),
               c_group = csv.Column("ethnic_group"), c_persons = csv.Column("persons"),
               c_share = csv.Column("share_pct"), c_source = csv.Column("source");
  std::vector<EthnicFlowRow> rows;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::map<std::pair<std::string, std::string>, double> share_sums;
  auto parse_month = [](std::string_view text) -> std::pair<int, int> {
    if (text.size() != 7 || text[4] != '-') return {0, 0};
    const int year = ParseIsoDate(fmt::format("{}-01", text));
    return {year, year == 0 ? 0 : (text[5] - '0') * 10 + (text[6] - '0')};
  };
  while (csv.Next()) {
    EthnicFlowRow row;
    row.period = std::string(Trim(csv.Field(c_period)));
    const size_t dots = row.period.find("..");
    if (dots == std::string::npos) {
      row.year = row.period.size() == 4 ? ParseIsoDate(row.period + "-01-01") : 0;
    } else {
      const auto [y0, m0] = parse_month(std::string_view(row.period).substr(0, dots));
      const auto [y1, m1] = parse_month(std::string_view(row.period).substr(dots + 2));
      row.year = y0 != 0 && y1 != 0 && (y0 < y1 || (y0 == y1 && m0 <= m1)) ? y0 : 0;
    }
    if (row.year == 0) {
      csv.Fail(c_period, fmt::format("'{}' is not a period YYYY or YYYY-MM..YYYY-MM", row.period));
    }
    row.flow = std::string(Trim(csv.Field(c_flow)));
    if (row.flow != "arrivals" && row.flow != "departures") {
      csv.Fail(c_flow, fmt::format("flow '{}' (arrivals or departures)", row.flow));
    }
    row.group = std::string(csv.RequiredField(c_group));
    row.persons = ReadCount(csv, c_persons);
    row.share_pct = csv.OptionalDouble(c_share);
    if (!row.persons && !row.share_pct) csv.FailRecord("neither persons nor share_pct given");
    if (row.share_pct && (!(*row.share_pct > 0) || *row.share_pct > 100)) {
      csv.Fail(c_share, fmt::format("share {} outside (0, 100]", *row.share_pct));
    }
    if (!seen.emplace(row.period, row.flow, row.group).second) {
      csv.Fail(c_group,
               fmt::format("a second row for {} {} in {}", row.group, row.flow, row.period));
    }
    if (row.share_pct) {
      double& sum = share_sums[{row.period, row.flow}];
      sum += *row.share_pct;
      if (sum > 100 + 1e-9) {
        csv.Fail(c_share, fmt::format("the shares of {} {} sum to {:.1f}% (above 100%)", row.flow,
                                      row.period, sum));
      }
    }
    row.source = std::string(Trim(csv.Field(c_source)));
    rows.push_back(std::move(row));
  }
  csv.RequireRecords();
  return rows;
}

std::string EthnicFlowsCsv(const std::vector<EthnicFlowRow>& rows) {
  std::string out = "period,flow,ethnic_group,persons,share_pct,source\n";
  for (const EthnicFlowRow& row : rows) {
    out += fmt::format("{},{},{},{},{},{}\n", row.period, row.flow, CsvQuote(row.group),
                       row.persons ? io::FormatNumber(*row.persons) : "",
                       row.share_pct ? io::FormatNumber(*row.share_pct) : "", CsvQuote(row.source));
  }
  return out;
}

store::Batch ImportEthnicFlows(const std::filesystem::path& path) {
  store::Batch batch;
  for (const char* name : {"intl_departures_by_ethnicity", "intl_arrivals_by_ethnicity"}) {
    batch.indicators.push_back(BuiltinIndicator(name));
  }
  for (const EthnicFlowRow& row : ReadEthnicFlows(path)) {
    store::CompositionRow out;
    out.indicator =
        row.flow == "departures" ? "intl_departures_by_ethnicity" : "intl_arrivals_by_ethnicity";
    out.vintage = "kz-2022";
    out.region_id = std::string(store::kNational);
    out.year = row.year;
    out.period = row.period.size() == 4 ? "" : row.period;
    out.group = row.group;
    out.persons = row.persons;
    out.share_pct = row.share_pct;
    out.provenance = Provenance::Official(
        "Bureau of National Statistics figures, as reported",
        row.source.empty() ? "source not given" : row.source + "; reported by the press");
    batch.compositions.push_back(std::move(out));
  }
  return batch;
}

}  // namespace kazmig::importers

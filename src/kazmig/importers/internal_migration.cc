#include "kazmig/importers/internal_migration.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::optional<int> MonthIndex(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t month_idx = 0; month_idx < kMonths.size(); ++month_idx) {
    if (lower == kMonths[month_idx]) return static_cast<int>(month_idx);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> YearFromFileName(const std::filesystem::path& path) {
  const std::string stem = path.stem().string();
  for (size_t pos = 0; pos + 4 <= stem.size(); ++pos) {
    const std::string_view part(stem.data() + pos, 4);
    const bool digits = std::all_of(part.begin(), part.end(), ::isdigit);
    const bool bounded =
        (pos == 0 || !std::isdigit(static_cast<unsigned char>(stem[pos - 1]))) &&
        (pos + 4 == stem.size() || !std::isdigit(static_cast<unsigned char>(stem[pos + 4])));
    if (digits && bounded) {
      const int year = std::stoi(std::string(part));
      if (year >= 1990 && year <= 2100) return year;
    }
  }
  return std::nullopt;
}

store::Batch ImportInternalMigration(const std::filesystem::path& path, int year,
                                     const RegionNames& names) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column("region"), c_month = csv.Column("month"),
               c_arrivals = csv.Column("arrivals"), c_departures = csv.Column("departures"),
               c_net = csv.Column("net");
  struct Totals {
    double arrivals = 0;
    double departures = 0;
    double net = 0;
    std::set<int> months;
    bool annual = false;
    long line = 0;
  };
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::map<std::string, Totals> by_region;
  std::optional<bool> annual_file;
  while (csv.Next()) {
    const std::string_view region = csv.RequiredField(c_region);
    const auto id = names.Find(region);
    if (!id || !kz2022.IndexOfId(*id)) {
      csv.Fail(c_region, fmt::format("unknown region name '{}' (2022 borders expected)", region));
    }
    const std::string_view month = csv.RequiredField(c_month);
    const bool annual = month == "Total" || month == "total" || month == "TOTAL";
    const auto month_idx = MonthIndex(month);
    if (!annual && !month_idx) {
      csv.Fail(c_month, fmt::format("month '{}' (expected Total or January..December)", month));
    }
    if (annual_file && *annual_file != annual) {
      csv.Fail(c_month, "the file mixes annual (Total) and monthly rows");
    }
    annual_file = annual;
    const double arrivals = csv.Double(c_arrivals);
    const double departures = csv.Double(c_departures);
    const double net = csv.Double(c_net);
    if (arrivals < 0) csv.Fail(c_arrivals, "negative arrivals");
    if (departures < 0) csv.Fail(c_departures, "negative departures");
    if (net != arrivals - departures) {
      csv.Fail(c_net,
               fmt::format("net {} is not arrivals - departures = {}", net, arrivals - departures));
    }
    Totals& totals = by_region[*id];
    if (annual ? totals.annual : totals.months.count(*month_idx) > 0) {
      csv.Fail(c_region, fmt::format("duplicated key ({}, {})", region, month));
    }
    if (annual) {
      totals.annual = true;
    } else {
      totals.months.insert(*month_idx);
    }
    totals.arrivals += arrivals;
    totals.departures += departures;
    totals.net += net;
    totals.line = csv.line();
  }
  if (by_region.empty()) throw InputError(path.string(), 0, 0, "no rows");
  for (const auto& [id, totals] : by_region) {
    if (!totals.annual && totals.months.size() != 12) {
      throw InputError(path.string(), totals.line, 0,
                       fmt::format("region {} has {} of the 12 months; cannot form the year", id,
                                   totals.months.size()));
    }
  }
  const Provenance provenance = Provenance::Official(
      "BNS internal migration by region",
      fmt::format("via kanatislambekov/internal-migration-flow-kz, {}{}", path.filename().string(),
                  *annual_file ? "" : "; annual = sum of the 12 monthly values"));
  store::Batch batch;
  batch.description = "BNS internal migration";
  for (const char* name : {"net_internal", "arrivals_internal", "departures_internal"}) {
    batch.indicators.push_back(BuiltinIndicator(name));
  }
  for (const auto& [id, totals] : by_region) {
    batch.series.push_back({"net_internal", "kz-2022", id, year, totals.net, provenance});
    batch.series.push_back({"arrivals_internal", "kz-2022", id, year, totals.arrivals, provenance});
    batch.series.push_back(
        {"departures_internal", "kz-2022", id, year, totals.departures, provenance});
  }
  return batch;
}

}  // namespace kazmig::importers

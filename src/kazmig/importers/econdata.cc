#include "kazmig/importers/econdata.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

const char* kMakenerzhan = "via makenerzhan-gif/kazakhstan-economic-data (transcribed)";

struct Item {
  const char* item_code;
  const char* indicator;
  const char* table;
  // The decimals the Bureau publishes (-1: not checked). A value with more is not the Bureau's
  // figure but one the collector derived (e.g. 7.981454696942038 for an unemployment rate).
  int published_decimals;
};
constexpr Item kItems[] = {
    {"ALL", "population_avg", "BNS table 6576", -1},
    {"GDP", "grp_nominal", "BNS element 5927", -1},
    {"TOTAL", "unemployment_rate", "BNS element 102790", 1},
};

// True when `value` has more than `decimals` decimals (beyond rounding noise).
bool MoreDecimalsThan(double value, int decimals) {
  if (decimals < 0) return false;
  const double scaled = value * std::pow(10.0, decimals);
  return std::fabs(scaled - std::round(scaled)) > 1e-6;
}

}  // namespace

store::Batch ImportEcondataSeries(const std::filesystem::path& path, const RegionNames& names,
                                  const std::string& indicator_override) {
  io::CsvReader csv(path);
  const size_t c_date = csv.Column("date"), c_region = csv.Column("region"),
               c_item = csv.Column("item_code"), c_value = csv.Column("value");
  const auto c_flag = csv.FindColumn("qa_flag");
  const auto c_transformation = csv.FindColumn("transformation");
  struct Row {
    std::string id;
    int year;
    double value;
    long line;
    bool derived;  // more decimals than the Bureau publishes: derived by the source
  };
  std::vector<Row> rows;
  std::string indicator = indicator_override;
  std::string table;
  std::map<std::pair<std::string, int>, long> seen;
  std::map<int, std::set<std::string>> ids_by_year;
  while (csv.Next()) {
    const std::string_view item = csv.RequiredField(c_item);
    const Item* known = nullptr;
    for (const Item& candidate : kItems) {
      if (item == candidate.item_code) known = &candidate;
    }
    if (known == nullptr) {
      csv.Fail(c_item,
               fmt::format("item_code '{}' is not one kazmig imports (ALL, GDP, TOTAL)", item));
    }
    if (table.empty()) {
      table = known->table;
      if (indicator.empty()) indicator = known->indicator;
    } else if (table != known->table) {
      csv.Fail(c_item, fmt::format("item_code '{}' mixed with another item in one file", item));
    }
    if (c_transformation && !csv.Field(*c_transformation).empty() &&
        csv.Field(*c_transformation) != "level") {
      csv.Fail(*c_transformation, "only 'level' values are imported");
    }
    const std::string_view date = csv.RequiredField(c_date);
    if (date.size() < 4 || !std::all_of(date.begin(), date.begin() + 4, ::isdigit)) {
      csv.Fail(c_date, fmt::format("'{}' is not a date (YYYY-MM-DD)", date));
    }
    const int year = std::stoi(std::string(date.substr(0, 4)));
    const std::string_view region = csv.RequiredField(c_region);
    const auto id = names.Find(region);
    if (!id) csv.Fail(c_region, fmt::format("unknown region code '{}'", region));
    // Flagged values are excluded: the collector's qa_flag marks probable source errors.
    if (c_flag && !csv.Field(*c_flag).empty()) continue;
    const double value = csv.Double(c_value);
    if (value < 0 && !AllowsNegative(indicator)) {
      csv.Fail(c_value, fmt::format("negative value {}", value));
    }
    auto [it, inserted] = seen.emplace(std::make_pair(*id, year), csv.line());
    if (!inserted) {
      csv.Fail(c_region,
               fmt::format("duplicated key ({}, {}), first on line {}", region, year, it->second));
    }
    rows.push_back(
        {*id, year, value, csv.line(), MoreDecimalsThan(value, known->published_decimals)});
    ids_by_year[year].insert(*id);
  }
  store::Batch batch;
  if (rows.empty()) {
    throw InputError(path.string(), 0, 0, "no values (every row flagged or the file is empty)");
  }
  batch.description = table;
  try {
    batch.indicators.push_back(BuiltinIndicator(indicator));
  } catch (const std::out_of_range&) {
    batch.indicators.push_back({indicator, store::IndicatorKind::kSeries, "", ""});
  }
  const Provenance provenance = Provenance::Official(table, kMakenerzhan);
  const Provenance derived = Provenance::Estimated(
      "derived by the source",
      fmt::format("{} {}: not a published figure ({} publishes rounded values); the collector's "
                  "non-rounded value, kept as it is",
                  table, kMakenerzhan, table));
  for (const Row& row : rows) {
    const std::string vintage = VintageForId(row.id, VintageOfYear(ids_by_year[row.year]));
    batch.series.push_back(
        {indicator, vintage, row.id, row.year, row.value, row.derived ? derived : provenance});
  }
  return batch;
}

store::Batch ImportCisMigration(const std::filesystem::path& path) {
  io::CsvReader csv(path);
  const size_t c_year = csv.Column("year"), c_reporter = csv.Column("reporter"),
               c_flow = csv.Column("flow"), c_partner = csv.Column("partner"),
               c_persons = csv.Column("persons");
  const auto c_note = csv.FindColumn("note");
  const std::string source = "CIS-Stat and BNS international migration statistics";
  store::Batch batch;
  batch.description = source;
  for (const char* name :
       {"intl_arrivals", "intl_departures", "intl_net", "intl_arrivals_by_partner",
        "intl_departures_by_partner", "intl_mirror"}) {
    batch.indicators.push_back(BuiltinIndicator(name));
  }
  std::map<int, std::pair<std::optional<double>, std::optional<double>>> totals;
  std::map<int, std::string> notes;
  std::set<std::string> seen;
  while (csv.Next()) {
    const int year = static_cast<int>(csv.Int(c_year));
    if (year < 1950 || year > 2100) csv.Fail(c_year, fmt::format("implausible year {}", year));
    const std::string reporter(csv.RequiredField(c_reporter));
    const std::string flow(csv.RequiredField(c_flow));
    const std::string partner(csv.RequiredField(c_partner));
    const double persons = csv.Double(c_persons);
    if (persons < 0) csv.Fail(c_persons, fmt::format("negative count {}", persons));
    if (!seen.insert(fmt::format("{}|{}|{}|{}", year, reporter, flow, partner)).second) {
      csv.Fail(c_partner,
               fmt::format("duplicated key ({}, {}, {}, {})", year, reporter, flow, partner));
    }
    const std::string note = c_note ? std::string(csv.Field(*c_note)) : std::string();
    std::string detail = kMakenerzhan;
    if (!note.empty()) detail += "; " + note;
    Provenance provenance = Provenance::Official(source, detail);
    // The source's note says which figures may still be revised ("2025 may be preliminary").
    provenance.preliminary = Provenance::DetailMarksPreliminary(note);
    if (reporter == "KAZ") {
      const bool arrivals = flow == "arrivals";
      if (!arrivals && flow != "departures") {
        csv.Fail(c_flow, fmt::format("flow '{}' (expected arrivals or departures)", flow));
      }
      if (partner == "ALL") {
        auto& [arr, dep] = totals[year];
        (arrivals ? arr : dep) = persons;
        if (!note.empty()) notes[year] = note;
        batch.series.push_back({arrivals ? "intl_arrivals" : "intl_departures", "kz-2022",
                                std::string(store::kNational), year, persons, provenance});
      } else {
        batch.flows.push_back({arrivals ? "intl_arrivals_by_partner" : "intl_departures_by_partner",
                               "iso3", arrivals ? partner : "KAZ", arrivals ? "KAZ" : partner, year,
                               "", persons, provenance});
      }
    } else {
      if (partner != "KAZ") {
        csv.Fail(c_partner, "a row reported by another country must have partner KAZ");
      }
      const Provenance mirror = Provenance::Official(
          source,
          fmt::format("{}; partner-reported (mirror) statistic of {}", kMakenerzhan, reporter));
      if (flow == "arrivals_from_kaz") {
        batch.flows.push_back({"intl_mirror", "iso3", "KAZ", reporter, year, "", persons, mirror});
      } else if (flow == "departures_to_kaz") {
        batch.flows.push_back({"intl_mirror", "iso3", reporter, "KAZ", year, "", persons, mirror});
      } else {
        csv.Fail(c_flow,
                 fmt::format("flow '{}' (expected arrivals_from_kaz or departures_to_kaz)", flow));
      }
    }
  }
  for (const auto& [year, pair] : totals) {
    if (!pair.first || !pair.second) continue;
    const std::string detail = std::string(kMakenerzhan) + "; arrivals minus departures";
    Provenance provenance = Provenance::Official(source, detail);
    if (notes.count(year)) {
      provenance.detail += "; " + notes[year];
      provenance.preliminary = Provenance::DetailMarksPreliminary(notes[year]);
    }
    batch.series.push_back({"intl_net", "kz-2022", std::string(store::kNational), year,
                            *pair.first - *pair.second, provenance});
  }
  return batch;
}

}  // namespace kazmig::importers

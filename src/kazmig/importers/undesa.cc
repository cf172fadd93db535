#include "kazmig/importers/undesa.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

std::string CountryKey(std::string_view name) {
  std::string out;
  for (size_t pos = 0; pos < name.size(); ++pos) {
    const unsigned char c = static_cast<unsigned char>(name[pos]);
    if (c == '&') {
      out += " and ";
    } else if (std::isalnum(c) || c >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      out.push_back(' ');
    }
  }
  // Collapse spaces and expand "st" to "saint".
  std::string collapsed;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (word == "st") word = "saint";
    if (!collapsed.empty()) collapsed.push_back(' ');
    collapsed += word;
    word.clear();
  };
  for (char c : out) {
    if (c == ' ') {
      flush();
    } else {
      word.push_back(c);
    }
  }
  flush();
  return collapsed;
}

}  // namespace

CountryNames CountryNames::FromMetadata(const std::filesystem::path& path) {
  CountryNames names;
  io::CsvReader csv(path);
  const size_t c_iso = csv.Column("origin_iso"), c_name = csv.Column("origin_name");
  while (csv.Next()) {
    const std::string iso(csv.RequiredField(c_iso));
    if (iso.size() != 3) csv.Fail(c_iso, fmt::format("'{}' is not an ISO3 code", iso));
    names.by_key_[CountryKey(csv.RequiredField(c_name))] = iso;
    names.by_key_[CountryKey(iso)] = iso;
  }
  // Spellings of the chord-diagram files that the metadata writes differently.
  const std::pair<const char*, const char*> kVariants[] = {
      {"Curacao", "CUW"},
      {"FS Micronesia", "FSM"},
      {"Caribbean Netherlands", "BES"},
      {"Vatican City", "VAT"},
      {"St. Vincent & Grenadines", "VCT"},
      {"U.S. Virgin Islands", "VIR"},
  };
  for (const auto& [name, iso] : kVariants) names.by_key_.emplace(CountryKey(name), iso);
  return names;
}

std::optional<std::string> CountryNames::Find(std::string_view name) const {
  if (auto it = by_key_.find(CountryKey(name)); it != by_key_.end()) return it->second;
  return std::nullopt;
}

namespace {

struct Bilateral {
  int year;
  std::string orig;
  std::string dest;
  double value;
};

std::vector<Bilateral> ReadBilateral(const std::filesystem::path& path,
                                     const CountryNames& countries, const std::string& focus,
                                     const char* year_column, const char* value_column) {
  io::CsvReader csv(path);
  const size_t c_year = csv.Column(year_column), c_orig = csv.Column("orig"),
               c_dest = csv.Column("dest"), c_value = csv.Column(value_column);
  std::vector<Bilateral> rows;
  std::set<std::string> seen;
  while (csv.Next()) {
    const int year = static_cast<int>(csv.Int(c_year));
    if (year < kMinTableYear || year > kMaxTableYear) {
      csv.Fail(c_year, fmt::format("implausible year {} (accepted: {}..{})", year, kMinTableYear,
                                   kMaxTableYear));
    }
    const auto orig = countries.Find(csv.RequiredField(c_orig));
    if (!orig) csv.Fail(c_orig, fmt::format("unknown country '{}'", csv.Field(c_orig)));
    const auto dest = countries.Find(csv.RequiredField(c_dest));
    if (!dest) csv.Fail(c_dest, fmt::format("unknown country '{}'", csv.Field(c_dest)));
    const double value = csv.Double(c_value);
    if (value < 0) csv.Fail(c_value, fmt::format("negative value {}", value));
    if (!focus.empty() && *orig != focus && *dest != focus) continue;
    if (!seen.insert(fmt::format("{}|{}|{}", year, *orig, *dest)).second) {
      csv.Fail(c_orig, fmt::format("duplicated key ({}, {}, {})", year, *orig, *dest));
    }
    rows.push_back({year, *orig, *dest, value});
  }
  csv.RequireRecords();  // a header-only file is an error, not an empty indicator
  if (rows.empty()) {
    throw InputError(path.string(), 0, 0,
                     fmt::format("no data rows with {} as origin or destination", focus));
  }
  return rows;
}

store::Batch UnStock(const std::filesystem::path& path, const CountryNames& countries,
                     const std::string& focus, const std::string& indicator) {
  store::Batch batch;
  batch.description = "UN DESA International Migrant Stock 2020";
  batch.indicators.push_back(BuiltinIndicator(indicator));
  const Provenance provenance = Provenance::Official(
      "UN DESA International Migrant Stock 2020",
      "bilateral stock, both sexes; CC BY 3.0 IGO; via X80110/migration-visualization");
  for (const Bilateral& row : ReadBilateral(path, countries, focus, "year", "stock")) {
    batch.stocks.push_back(
        {indicator, "iso3", row.orig, row.dest, row.year, row.value, provenance});
  }
  return batch;
}

store::Batch AbelFlows(const std::filesystem::path& path, const CountryNames& countries,
                       const std::string& focus, const std::string& indicator) {
  store::Batch batch;
  batch.description = "Abel & Cohen bilateral flow estimates";
  batch.indicators.push_back(BuiltinIndicator(indicator));
  const Provenance provenance = Provenance::Estimated(
      "Abel & Cohen (2019) pseudo-Bayesian closed demographic accounting",
      "5-year bilateral flows from UN DESA stocks; figshare 10.6084/m9.figshare.7731233, "
      "CC BY 4.0");
  for (const Bilateral& row : ReadBilateral(path, countries, focus, "year0", "flow")) {
    batch.flows.push_back({indicator, "iso3", row.orig, row.dest, row.year,
                           fmt::format("{}-{}", row.year, row.year + 5), row.value, provenance});
  }
  return batch;
}

}  // namespace

store::Batch ImportUnStock(const std::filesystem::path& path, const CountryNames& countries,
                           const std::string& focus) {
  return UnStock(path, countries, focus, "un_stock");
}

store::Batch ImportAbelFlows(const std::filesystem::path& path, const CountryNames& countries,
                             const std::string& focus) {
  return AbelFlows(path, countries, focus, "abel_flows");
}

store::Batch ImportWorldUnStock(const std::filesystem::path& path, const CountryNames& countries) {
  return UnStock(path, countries, "", "world_un_stock");
}

store::Batch ImportWorldAbelFlows(const std::filesystem::path& path,
                                  const CountryNames& countries) {
  return AbelFlows(path, countries, "", "world_abel_flows");
}

std::string WorldCountriesCsv(const std::filesystem::path& metadata) {
  io::CsvReader csv(metadata);
  const size_t c_iso = csv.Column("origin_iso"), c_name = csv.Column("origin_name"),
               c_region = csv.Column("originregion_name");
  std::map<std::string, std::pair<std::string, std::string>> countries;
  while (csv.Next()) {
    const std::string iso(csv.RequiredField(c_iso));
    if (iso.size() != 3) csv.Fail(c_iso, fmt::format("'{}' is not an ISO3 code", iso));
    // The metadata lists several spellings of some countries: the first one names it.
    countries.emplace(iso, std::make_pair(std::string(csv.RequiredField(c_name)),
                                          std::string(csv.RequiredField(c_region))));
  }
  std::ostringstream out;
  io::CsvWriter writer(out);
  writer.Row("iso3", "name", "region");
  for (const auto& [iso, info] : countries) writer.Row(iso, info.first, info.second);
  return out.str();
}

}  // namespace kazmig::importers

#include "kazmig/app/selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {
namespace {

// The code points of a UTF-8 text (an invalid byte counts as one code point of its own).
std::u32string CodePoints(std::string_view text) {
  std::u32string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : 4;
    if (length == 1 || pos + length > text.size()) {
      out.push_back(byte);
      ++pos;
      continue;
    }
    char32_t cp = byte & (0x7F >> length);
    for (size_t idx = 1; idx < length; ++idx) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[pos + idx]) & 0x3F);
    }
    out.push_back(cp);
    pos += length;
  }
  return out;
}

std::string Key(std::string_view text) { return NormalizeRegionKey(text); }

// Every name of the regions of Kazakhstan's built-in systems, "Name (id)" for the suggestions.
const std::vector<std::pair<std::string, std::string>>& RegionNameList() {
  static const std::vector<std::pair<std::string, std::string>> names = [] {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> seen;
    for (const char* vintage : {"kz-2022", "kz-2018", "kz-2009"}) {
      for (const Region& region : RegionSystem::Builtin(vintage).regions()) {
        for (const std::string* name : {&region.name_en, &region.name_ru, &region.name_kk}) {
          if (!name->empty() && seen.insert(*name).second) out.emplace_back(*name, region.id);
        }
        for (const std::string& alias : region.aliases) {
          if (seen.insert(alias).second) out.emplace_back(alias, region.id);
        }
      }
    }
    return out;
  }();
  return names;
}

std::string JoinClosest(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : "; ") + name;
  return out;
}

bool LooksNumeric(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char c) { return (c >= '0' && c <= '9') || c == ' '; });
}

}  // namespace

std::string YearRanges(const std::vector<int>& years) {
  std::vector<int> sorted = years;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty()) return "none";
  std::string out;
  size_t start = 0;
  for (size_t idx = 1; idx <= sorted.size(); ++idx) {
    if (idx < sorted.size() && sorted[idx] == sorted[idx - 1] + 1) continue;
    if (!out.empty()) out += ", ";
    out += idx - 1 == start ? std::to_string(sorted[start])
                            : fmt::format("{}–{}", sorted[start], sorted[idx - 1]);
    start = idx;
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  const std::u32string x = CodePoints(Key(a));
  const std::u32string y = CodePoints(Key(b));
  std::vector<size_t> row(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::vector<std::string> ClosestNames(std::string_view text, const std::vector<std::string>& names,
                                      size_t count) {
  const std::string key = Key(text);
  struct Candidate {
    size_t distance;
    size_t order;
  };
  std::vector<Candidate> candidates;
  for (size_t idx = 0; idx < names.size(); ++idx) {
    const std::string name_key = Key(names[idx]);
    if (name_key.empty()) continue;
    size_t distance = EditDistance(text, names[idx]);
    // A name that holds the text ("Karag" in "Karagandy") is as close as one edit.
    if (!key.empty() && key.size() >= 3 && name_key.find(key) != std::string::npos) {
      distance = std::min<size_t>(distance, 1);
    }
    const size_t length = CodePoints(name_key).size();
    if (distance > std::max<size_t>(2, length / 2)) continue;
    candidates.push_back({distance, idx});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.distance < y.distance; });
  std::vector<std::string> out;
  for (const Candidate& candidate : candidates) {
    if (out.size() == count) break;
    if (std::find(out.begin(), out.end(), names[candidate.order]) == out.end()) {
      out.push_back(names[candidate.order]);
    }
  }
  return out;
}

CountryNames CountryNames::Load(const std::filesystem::path& builtin_dir) {
  CountryNames names;
  auto add = [&names](const std::string& iso3, const std::string& name, bool english) {
    if (iso3.empty() || name.empty()) return;
    names.by_key_.emplace(Key(name), iso3);
    names.names_.emplace_back(name, iso3);
    if (english) names.english_.emplace(iso3, name);
  };
  const std::filesystem::path table = builtin_dir / "country_names.csv";
  const std::filesystem::path world = builtin_dir / "world_countries.csv";
  if (!builtin_dir.empty() && std::filesystem::exists(table)) {
    io::CsvReader csv(table.string());
    const size_t iso3 = csv.Column("iso3"), lang = csv.Column("lang"), name = csv.Column("name");
    while (csv.Next()) {
      const std::string code(csv.Field(iso3));
      add(code, std::string(csv.Field(name)),
          csv.Field(lang) == "en" && names.english_.count(code) == 0);
      if (!code.empty() && !csv.Field(name).empty()) {
        names.local_.emplace(std::make_pair(code, std::string(csv.Field(lang))),
                             std::string(csv.Field(name)));
      }
    }
  } else if (!builtin_dir.empty() && std::filesystem::exists(world)) {
    io::CsvReader csv(world.string());
    const size_t iso3 = csv.Column("iso3"), name = csv.Column("name");
    while (csv.Next()) add(std::string(csv.Field(iso3)), std::string(csv.Field(name)), true);
  }
  // ISO3 codes themselves (a name never overrides a code).
  for (const auto& [iso3, name] : names.english_) names.by_key_[Key(iso3)] = iso3;
  return names;
}

std::optional<std::string> CountryNames::Find(std::string_view text) const {
  const auto it = by_key_.find(Key(text));
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

namespace {
// The aggregates of the CIS statistics, named in tables like countries.
std::optional<std::string> AggregateName(std::string_view code) {
  if (code == "CIS") return "CIS countries";
  if (code == "NON_CIS") return "non-CIS countries";
  return std::nullopt;
}
}  // namespace

std::string CountryNames::Name(std::string_view iso3) const {
  const auto it = english_.find(std::string(iso3));
  if (it != english_.end()) return it->second;
  return AggregateName(iso3).value_or(std::string(iso3));
}

std::string CountryNames::Name(std::string_view iso3, std::string_view lang) const {
  if (lang != "en") {
    const auto it = local_.find({std::string(iso3), std::string(lang)});
    if (it != local_.end()) return it->second;
  }
  return Name(iso3);
}

bool CountryNames::Has(std::string_view iso3) const {
  return english_.count(std::string(iso3)) > 0 || AggregateName(iso3).has_value();
}

std::vector<std::string> CountryNames::Closest(std::string_view text, size_t count) const {
  std::vector<std::string> candidates;
  for (const auto& [name, iso3] : names_) candidates.push_back(name);
  std::vector<std::string> out;
  std::set<std::string> codes;
  for (const std::string& name : ClosestNames(text, candidates, count * 3)) {
    const std::string iso3 = *Find(name);
    if (!codes.insert(iso3).second) continue;
    out.push_back(fmt::format("{} ({})", name, iso3));
    if (out.size() == count) break;
  }
  return out;
}

PlaceMatch ResolvePlace(std::string_view flag, std::string_view text,
                        const CountryNames* countries) {
  PlaceMatch match;
  match.text = std::string(text);
  const importers::RegionNames regions;
  if (regions.IsAmbiguous(text)) {
    throw InputError(fmt::format(
        "{}: ambiguous region '{}' (the city or the region?); use the KATO code or a fuller name "
        "(`kazmig regions` lists them)",
        flag, text));
  }
  if (auto id = regions.Find(text)) {
    match.region = *id;
    std::string name = *id == "KZ" ? "Kazakhstan" : *id;
    for (const char* vintage : {"kz-2022", "kz-2018", "kz-2009"}) {
      const RegionSystem& one = RegionSystem::Builtin(vintage);
      if (auto idx = one.IndexOfId(*id)) {
        name = one[*idx].name_en;
        break;
      }
    }
    match.label = fmt::format("{} ({})", name, *id);
  }
  if (countries != nullptr) {
    if (auto iso3 = countries->Find(text)) {
      match.country = *iso3;
      if (!match.region) match.label = fmt::format("{} ({})", countries->Name(*iso3), *iso3);
    }
  }
  if (match.region || match.country) return match;
  // Unknown: say what exists.
  std::string known;
  if (LooksNumeric(text)) {
    std::string ids;
    for (const Region& region : RegionSystem::Builtin("kz-2022").regions()) {
      ids += (ids.empty() ? "" : ", ") + region.id;
    }
    known = fmt::format("the KATO codes of the regions are {} (and KZ for the country)", ids);
  } else {
    std::vector<std::string> names;
    for (const auto& [name, id] : RegionNameList()) names.push_back(name);
    std::vector<std::string> closest;
    std::set<std::string> ids;
    for (const std::string& name : ClosestNames(text, names, 9)) {
      for (const auto& [candidate, id] : RegionNameList()) {
        if (candidate != name) continue;
        if (ids.insert(id).second && ids.size() <= 3) {
          closest.push_back(fmt::format("{} ({})", name, id));
        }
        break;
      }
    }
    if (countries != nullptr) {
      for (const std::string& name : countries->Closest(text)) closest.push_back(name);
    }
    known = closest.empty() ? std::string("no name is close")
                            : fmt::format("closest: {}", JoinClosest(closest));
  }
  const char* kind = countries != nullptr ? " or country" : "";
  throw InputError(fmt::format(
      "{}: unknown region{} '{}': no region of Kazakhstan{} of that name or code; {}; `kazmig "
      "regions` lists the regions{}",
      flag, kind, text, kind, known,
      countries != nullptr ? ", data/kz/country_names.csv the countries" : ""));
}

void RequireYear(std::string_view flag, int year, const std::vector<int>& years,
                 std::string_view what, bool plural) {
  if (std::find(years.begin(), years.end(), year) != years.end()) return;
  throw InputError(fmt::format("{} {}: {} {} no data for {}; years with data: {}", flag, year, what,
                               plural ? "have" : "has", year, YearRanges(years)));
}

}  // namespace kazmig::app

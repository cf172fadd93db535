#include "kazmig/core/region.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig {
namespace {

// One row of the built-in table of Kazakhstan's first-level units. Sources: KATO codes and ISO
// 3166-2 codes from the crosswalk compiled for the data pack; English, Kazakh and Russian names
// from geokz 1.0.2 (A. Rodionov, CC BY 4.0); area centroids computed from the geokz polygons.
struct KzUnit {
  const char* id;
  const char* iso;
  const char* name_en;
  const char* name_kk;
  const char* name_ru;
  bool city;
  std::vector<std::string> aliases;
};

// Centroids differ between vintages where borders changed (Almaty region, Karagandy, East
// Kazakhstan lost territory in 2022).
struct Centroid {
  const char* id;
  double lat;
  double lon;
};

const std::vector<KzUnit>& KzUnits() {
  static const std::vector<KzUnit> units = {
      {"10", "KZ-ABY", "Abai", "Абай", "Абайская", false, {"Abay", "ABY", "Abai oblysy"}},
      {"11", "KZ-AKM", "Akmola", "Ақмола", "Акмолинская", false, {"Aqmola", "AKM"}},
      {"15", "KZ-AKT", "Aktobe", "Ақтөбе", "Актюбинская", false, {"Aqtobe", "Aktyubinsk", "AKT"}},
      {"19",
       "KZ-ALM",
       "Almaty Region",
       "Алматы облысы",
       "Алматинская",
       false,
       {"Almaty oblast", "Almaty oblysy", "Алматинская область", "ALM", "Almaty", "Алматы"}},
      {"23", "KZ-ATY", "Atyrau", "Атырау", "Атырауская", false, {"ATY"}},
      {"27",
       "KZ-ZAP",
       "West Kazakhstan",
       "Батыс Қазақстан",
       "Западно-Казахстанская",
       false,
       {"ZKO", "ЗКО", "Batys Kazakhstan"}},
      {"31", "KZ-ZHA", "Zhambyl", "Жамбыл", "Жамбылская", false, {"Jambyl", "ZHM"}},
      {"33", "KZ-ZHT", "Jetisu", "Жетісу", "Жетысуская", false, {"Zhetysu", "Jetysu", "ZHT"}},
      {"35",
       "KZ-KAR",
       "Karagandy",
       "Қарағанды",
       "Карагандинская",
       false,
       {"Karaganda", "Qaraganda", "KRG"}},
      {"39", "KZ-KUS", "Kostanay", "Қостанай", "Костанайская", false, {"Qostanay", "KST"}},
      {"43", "KZ-KZY", "Kyzylorda", "Қызылорда", "Кызылординская", false, {"Qyzylorda", "KZL"}},
      {"47", "KZ-MAN", "Mangystau", "Маңғыстау", "Мангистауская", false, {"Mangistau", "MNG"}},
      {"51",
       "KZ-YUZ",
       "South Kazakhstan",
       "Оңтүстік Қазақстан",
       "Южно-Казахстанская",
       false,
       {"YKO", "ЮКО", "South Kazakhstan (hist.)"}},
      {"55", "KZ-PAV", "Pavlodar", "Павлодар", "Павлодарская", false, {"PVL"}},
      {"59",
       "KZ-SEV",
       "North Kazakhstan",
       "Солтүстік Қазақстан",
       "Северо-Казахстанская",
       false,
       {"SKO", "СКО", "Солтүстiк Қазақстан"}},
      {"61", "KZ-YUZ", "Turkistan", "Түркістан", "Туркестанская", false, {"Turkestan", "TRK"}},
      {"62", "KZ-ULT", "Ulytau", "Ұлытау", "Улытауская", false, {"Ulutay", "ULT"}},
      {"63",
       "KZ-VOS",
       "East Kazakhstan",
       "Шығыс Қазақстан",
       "Восточно-Казахстанская",
       false,
       {"VKO", "ВКО"}},
      {"71",
       "KZ-AST",
       "Astana",
       "Астана",
       "г. Астана",
       true,
       {"Astana (city)", "Nur-Sultan", "Nur-Sultan (city)", "Нур-Султан", "Нұр-Сұлтан", "Астана",
        "AST"}},
      {"75",
       "KZ-ALA",
       "Almaty (city)",
       "Алматы (қала)",
       "г. Алматы",
       true,
       {"Almaty city", "Алматы қаласы", "ALA", "Almaty", "Алматы"}},
      {"79",
       "KZ-SHY",
       "Shymkent",
       "Шымкент",
       "г. Шымкент",
       true,
       {"Shymkent (city)", "Shymkent city", "Chimkent", "Чимкент", "Шымкент", "SHM"}},
  };
  return units;
}

// Area centroids (lat, lon) from the geokz polygons; 2018 borders apply to kz-2009 and kz-2018
// except South Kazakhstan (the union of Turkistan and Shymkent at 2018 borders).
const std::vector<Centroid>& Centroids2022() {
  static const std::vector<Centroid> c = {
      {"10", 48.6696, 80.1017}, {"11", 51.7947, 69.8946}, {"15", 48.5955, 58.5661},
      {"19", 44.3161, 76.7566}, {"23", 47.4980, 52.1399}, {"27", 49.7903, 50.6721},
      {"31", 44.3160, 72.1319}, {"33", 45.5473, 78.9701}, {"35", 48.6529, 73.3578},
      {"39", 51.5992, 64.0031}, {"43", 45.2073, 63.6040}, {"47", 44.1075, 53.9394},
      {"55", 52.0674, 76.2473}, {"59", 53.8486, 69.2557}, {"61", 43.2327, 68.4390},
      {"62", 47.6549, 67.9011}, {"63", 49.0277, 84.1426}, {"71", 51.1298, 71.4476},
      {"75", 43.2155, 76.9429}, {"79", 42.3054, 69.5819}};
  return c;
}

const std::vector<Centroid>& Centroids2018() {
  static const std::vector<Centroid> c = {
      {"11", 51.7942, 69.8956}, {"15", 48.5955, 58.5661}, {"19", 44.9697, 77.9316},
      {"23", 47.4980, 52.1399}, {"27", 49.7903, 50.6721}, {"31", 44.3159, 72.1317},
      {"35", 48.2204, 70.9927}, {"39", 51.5992, 64.0031}, {"43", 45.2073, 63.6040},
      {"47", 44.1075, 53.9394}, {"51", 43.2236, 68.4500}, {"55", 52.0674, 76.2473},
      {"59", 53.8486, 69.2557}, {"61", 43.2327, 68.4388}, {"63", 48.7939, 81.5040},
      {"71", 51.1475, 71.4408}, {"75", 43.2155, 76.9429}, {"79", 42.3054, 69.5819}};
  return c;
}

RegionSystem MakeKz(const std::string& name, const std::vector<std::string>& ids,
                    const std::vector<Centroid>& centroids,
                    const std::map<std::string, std::string>& valid) {
  std::vector<Region> regions;
  for (const auto& id : ids) {
    const auto& units = KzUnits();
    auto it = std::find_if(units.begin(), units.end(), [&](const KzUnit& u) { return u.id == id; });
    Region r;
    r.id = it->id;
    r.iso = it->iso;
    r.name_en = it->name_en;
    r.name_kk = it->name_kk;
    r.name_ru = it->name_ru;
    r.aliases = it->aliases;
    r.aliases.push_back("KZ-" + id);
    r.aliases.push_back(id + "0000000");
    if (it->city) {
      for (const char* base : {it->name_en, it->name_kk}) {
        r.aliases.push_back(std::string(base) + " city");
        r.aliases.push_back(std::string("г. ") + base);
        r.aliases.push_back(std::string("город ") + base);
      }
    } else {
      const std::string en = it->name_en;
      const std::string ru = it->name_ru;
      const std::string kk = it->name_kk;
      for (const char* suffix : {" region", " oblast", " oblysy", " province"}) {
        r.aliases.push_back(en + suffix);
      }
      r.aliases.push_back(ru + " область");
      r.aliases.push_back(ru + " обл.");
      r.aliases.push_back(kk + " облысы");
    }
    for (const auto& c : centroids) {
      if (c.id == id) {
        r.latitude = c.lat;
        r.longitude = c.lon;
      }
    }
    auto v = valid.find(id);
    r.valid = v != valid.end() ? v->second : "all";
    regions.push_back(std::move(r));
  }
  return RegionSystem(name, std::move(regions));
}

// Decodes one UTF-8 code point starting at s[pos]; advances pos. Invalid bytes decode as U+FFFD.
char32_t DecodeUtf8(std::string_view s, size_t& pos) {
  const auto byte = static_cast<unsigned char>(s[pos]);
  int len = byte < 0x80           ? 1
            : (byte >> 5) == 0x6  ? 2
            : (byte >> 4) == 0xE  ? 3
            : (byte >> 3) == 0x1E ? 4
                                  : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return 0xFFFD;
  }
  char32_t cp = len == 1   ? byte
                : len == 2 ? (byte & 0x1F)
                : len == 3 ? (byte & 0x0F)
                           : (byte & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + k]) & 0x3F);
  pos += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

char32_t FoldCase(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // А..Я
  if (cp >= 0x400 && cp <= 0x40F) cp += 0x50;        // Ѐ..Џ (incl. Ё, І)
  if (cp == 0x451) return 0x435;                     // ё -> е
  if (cp == 0x456) return 'i';                       // Kazakh і written as Latin i in sources
  // Kazakh letters with separate upper/lower code points (upper is even).
  switch (cp) {
    case 0x4D8:
    case 0x492:
    case 0x49A:
    case 0x4A2:
    case 0x4E8:
    case 0x4B0:
    case 0x4AE:
    case 0x4BA:
      return cp + 1;
    default:
      return cp;
  }
}

bool IsWordChar(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 0x400 && cp <= 0x52F);
}

}  // namespace

std::string NormalizeRegionKey(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = FoldCase(DecodeUtf8(text, pos));
    if (IsWordChar(cp)) AppendUtf8(out, cp);
  }
  return out;
}

RegionSystem::RegionSystem(std::string name, std::vector<Region> regions)
    : name_(std::move(name)), regions_(std::move(regions)) {
  BuildIndex();
}

void RegionSystem::BuildIndex() {
  by_key_.clear();
  by_id_.clear();
  ambiguous_.clear();
  for (size_t region_idx = 0; region_idx < regions_.size(); ++region_idx) {
    by_id_.emplace(regions_[region_idx].id, region_idx);
  }
  auto add = [&](const std::string& text, size_t region_idx) {
    const std::string key = NormalizeRegionKey(text);
    if (key.empty() || ambiguous_.count(key) > 0) return;
    auto [it, inserted] = by_key_.emplace(key, region_idx);
    if (!inserted && it->second != region_idx) {
      ambiguous_[key] = fmt::format("'{}' could mean {} ({}) or {} ({})", text,
                                    regions_[it->second].name_en, regions_[it->second].id,
                                    regions_[region_idx].name_en, regions_[region_idx].id);
      by_key_.erase(it);
    }
  };
  // Ids first so that an id always wins over a name.
  for (size_t region_idx = 0; region_idx < regions_.size(); ++region_idx) {
    add(regions_[region_idx].id, region_idx);
  }
  for (size_t region_idx = 0; region_idx < regions_.size(); ++region_idx) {
    const Region& r = regions_[region_idx];
    for (const auto* text : {&r.iso, &r.name_en, &r.name_kk, &r.name_ru}) add(*text, region_idx);
    for (const auto& alias : r.aliases) add(alias, region_idx);
  }
}

const RegionSystem& RegionSystem::Builtin(std::string_view name) {
  static const std::map<std::string, RegionSystem, std::less<>> systems = [] {
    std::map<std::string, RegionSystem, std::less<>> m;
    const std::vector<std::string> ids2009 = {"11", "15", "19", "23", "27", "31", "35", "39",
                                              "43", "47", "51", "55", "59", "63", "71", "75"};
    const std::vector<std::string> ids2018 = {"11", "15", "19", "23", "27", "31", "35", "39", "43",
                                              "47", "55", "59", "61", "63", "71", "75", "79"};
    const std::vector<std::string> ids2022 = {"10", "11", "15", "19", "23", "27", "31",
                                              "33", "35", "39", "43", "47", "55", "59",
                                              "61", "62", "63", "71", "75", "79"};
    m.emplace("kz-2009",
              MakeKz("kz-2009", ids2009, Centroids2018(),
                     {{"19", "-2022"}, {"35", "-2022"}, {"51", "-2018"}, {"63", "-2022"}}));
    m.emplace("kz-2018", MakeKz("kz-2018", ids2018, Centroids2018(),
                                {{"19", "2018-2022"},
                                 {"35", "2018-2022"},
                                 {"61", "2018-"},
                                 {"63", "2018-2022"},
                                 {"79", "2018-"}}));
    m.emplace("kz-2022", MakeKz("kz-2022", ids2022, Centroids2022(),
                                {{"10", "2022-"},
                                 {"19", "2022-"},
                                 {"33", "2022-"},
                                 {"35", "2022-"},
                                 {"61", "2018-"},
                                 {"62", "2022-"},
                                 {"63", "2022-"},
                                 {"79", "2018-"}}));
    return m;
  }();
  auto it = systems.find(name);
  if (it == systems.end()) {
    throw UsageError(
        fmt::format("unknown region system '{}' (built in: kz-2009, kz-2018, kz-2022)", name));
  }
  return it->second;
}

bool RegionSystem::IsBuiltin(std::string_view name) {
  return name == "kz-2009" || name == "kz-2018" || name == "kz-2022";
}

std::vector<std::string> RegionSystem::BuiltinNames() { return {"kz-2009", "kz-2018", "kz-2022"}; }

RegionSystem RegionSystem::FromIds(std::string name, const std::vector<std::string>& ids) {
  std::vector<Region> regions;
  std::unordered_map<std::string, bool> seen;
  for (const auto& id : ids) {
    if (!seen.emplace(id, true).second) continue;
    Region r;
    r.id = id;
    r.name_en = id;
    regions.push_back(std::move(r));
  }
  RegionSystem system;
  system.name_ = std::move(name);
  system.regions_ = std::move(regions);
  // Generic systems match ids exactly (after trimming), never by fuzzy names.
  for (size_t region_idx = 0; region_idx < system.regions_.size(); ++region_idx) {
    system.by_id_.emplace(system.regions_[region_idx].id, region_idx);
  }
  return system;
}

std::vector<std::string> RegionSystem::ids() const {
  std::vector<std::string> out;
  out.reserve(regions_.size());
  for (const auto& r : regions_) out.push_back(r.id);
  return out;
}

std::optional<size_t> RegionSystem::IndexOfId(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> RegionSystem::Find(std::string_view text) const {
  if (auto exact = IndexOfId(text)) return exact;
  if (by_key_.empty()) return std::nullopt;
  auto it = by_key_.find(NormalizeRegionKey(text));
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

size_t RegionSystem::Resolve(std::string_view text, std::string_view where) const {
  if (auto idx = Find(text)) return *idx;
  std::string message;
  auto amb = ambiguous_.find(NormalizeRegionKey(text));
  if (amb != ambiguous_.end()) {
    message = fmt::format("ambiguous region '{}' in {}: {}; use the KATO code or a fuller name",
                          text, name_, amb->second);
  } else {
    message = fmt::format("unknown region '{}' (not in region system {})", text, name_);
  }
  throw InputError(std::string(where), 0, 0, message);
}

}  // namespace kazmig

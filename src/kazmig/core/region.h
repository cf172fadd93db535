// Regions and region systems (vintages of boundaries).
//
// A RegionSystem is an ordered set of regions of one vintage. Kazakhstan's three vintages are
// built in: `kz-2009` (16 units), `kz-2018` (17: Shymkent split off, South Kazakhstan renamed
// Turkistan), `kz-2022` (20: Abai, Jetisu, Ulytau split off). Ids are KATO 2-digit codes as text.
// Generic systems (countries, any ids found in a file) use the same type.
//
//   const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
//   size_t almaty = kz.Resolve("г. Алматы");          // index of id "75"
//   auto idx = kz.Find("Nur-Sultan");                  // optional index of "71"
//   RegionSystem countries = RegionSystem::FromIds("countries", {"KAZ", "RUS", "UZB"});
#ifndef KAZMIG_CORE_REGION_H_
#define KAZMIG_CORE_REGION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kazmig {

struct Region {
  std::string id;   // stable id: KATO 2-digit code for Kazakhstan, else as given
  std::string iso;  // ISO 3166-2 code (e.g. "KZ-ALA"), empty for generic regions
  std::string name_en;
  std::string name_kk;
  std::string name_ru;
  double latitude = 0.0;  // area centroid, WGS84 degrees (0 when unknown)
  double longitude = 0.0;
  std::string valid;                 // years the unit exists at these borders, e.g. "2022-"
  std::vector<std::string> aliases;  // other names that resolve to this region
};

class RegionSystem {
 public:
  RegionSystem() = default;
  RegionSystem(std::string name, std::vector<Region> regions);

  // The built-in systems: "kz-2009", "kz-2018", "kz-2022". Throws UsageError for other names.
  static const RegionSystem& Builtin(std::string_view name);
  static bool IsBuiltin(std::string_view name);
  static std::vector<std::string> BuiltinNames();

  // A generic system whose regions are `ids` in the given order (names = ids). Duplicates are
  // dropped, keeping the first.
  static RegionSystem FromIds(std::string name, const std::vector<std::string>& ids);

  const std::string& name() const { return name_; }
  size_t size() const { return regions_.size(); }
  const Region& operator[](size_t index) const { return regions_[index]; }
  const std::vector<Region>& regions() const { return regions_; }
  std::vector<std::string> ids() const;

  // Index of the region whose id, ISO code, name (English, Kazakh, Russian) or alias matches
  // `text` (case-insensitive, ignoring "г.", "city"/"region"/"oblast" and punctuation), or nullopt.
  std::optional<size_t> Find(std::string_view text) const;
  // As Find, but throws InputError("unknown region ...") naming the system. `where` prefixes the
  // message (e.g. "flows.csv:4:1").
  size_t Resolve(std::string_view text, std::string_view where = {}) const;
  // Index of the region with exactly this id.
  std::optional<size_t> IndexOfId(std::string_view id) const;

 private:
  void BuildIndex();

  std::string name_;
  std::vector<Region> regions_;
  std::unordered_map<std::string, size_t> by_key_;
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, std::string> ambiguous_;  // key -> explanation
};

// Normalises a region name for matching: lower-case (ASCII and Cyrillic, including Kazakh
// letters), with "г.", "city", "region", "oblast", "область", "обл." and punctuation removed.
std::string NormalizeRegionKey(std::string_view text);

}  // namespace kazmig

#endif  // KAZMIG_CORE_REGION_H_

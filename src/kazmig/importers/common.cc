#include "kazmig/importers/common.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {

using store::IndicatorKind;
using store::IndicatorMeta;

RegionNames::RegionNames() {
  // Built-in systems, newest first so that a name shared across vintages maps to today's unit;
  // South Kazakhstan (51) exists only in kz-2009.
  for (const char* vintage : {"kz-2022", "kz-2018", "kz-2009"}) {
    const RegionSystem& system = RegionSystem::Builtin(vintage);
    for (const Region& region : system.regions()) {
      auto add = [&](const std::string& name) {
        if (name.empty()) return;
        const std::string key = NormalizeRegionKey(name);
        auto [it, inserted] = by_key_.emplace(key, region.id);
        // "Almaty" names the city and the region: such a name resolves to neither.
        if (!inserted && it->second != region.id) ambiguous_.insert(key);
      };
      for (const std::string* name :
           {&region.id, &region.iso, &region.name_en, &region.name_kk, &region.name_ru}) {
        add(*name);
      }
      for (const std::string& alias : region.aliases) add(alias);
    }
  }
  // KZ-YUZ is Turkistan's ISO code today (and South Kazakhstan's before 2018).
  by_key_[NormalizeRegionKey("KZ-YUZ")] = "61";
  ambiguous_.erase(NormalizeRegionKey("KZ-YUZ"));
  for (const char* national : {"KZ", "KAZ", "national", "Kazakhstan", "Республика Казахстан",
                               "Казахстан", "Қазақстан Республикасы", "Republic of Kazakhstan"}) {
    by_key_[NormalizeRegionKey(national)] = std::string(store::kNational);
  }
}

RegionNames RegionNames::FromCrosswalk(const std::filesystem::path& path) {
  RegionNames names;
  io::CsvReader csv(path);
  const size_t c_kato2 = csv.Column("kato2");
  std::vector<size_t> name_columns;
  for (const char* column : {"kato9", "iso_3166_2", "geokz_adm1_pcode", "name_en_geokz2024",
                             "name_ru_bns", "makenerzhan_code", "islambekov_name"}) {
    name_columns.push_back(csv.Column(column));
  }
  std::map<std::string, std::pair<std::string, long>> from_file;  // key -> (id, line)
  while (csv.Next()) {
    const std::string id(csv.RequiredField(c_kato2));
    if (!RegionSystem::Builtin("kz-2022").IndexOfId(id) &&
        !RegionSystem::Builtin("kz-2009").IndexOfId(id)) {
      csv.Fail(c_kato2, fmt::format("'{}' is not a KATO code of a built-in vintage", id));
    }
    for (size_t col : name_columns) {
      const std::string_view text = csv.Field(col);
      if (text.empty()) continue;
      const std::string key = NormalizeRegionKey(text);
      auto [it, inserted] = from_file.emplace(key, std::make_pair(id, csv.line()));
      // KZ-YUZ is listed for both South Kazakhstan and Turkistan: keep today's unit.
      if (!inserted && it->second.first != id && key != NormalizeRegionKey("KZ-YUZ")) {
        csv.Fail(col, fmt::format("'{}' maps to {} here and to {} on line {}", text, id,
                                  it->second.first, it->second.second));
      }
    }
  }
  for (const auto& [key, value] : from_file) {
    if (key != NormalizeRegionKey("KZ-YUZ")) {
      names.by_key_[key] = value.first;
      names.ambiguous_.erase(key);  // the crosswalk's own names are unambiguous
    }
  }
  return names;
}

bool RegionNames::IsAmbiguous(std::string_view text) const {
  return ambiguous_.count(NormalizeRegionKey(text)) > 0;
}

std::optional<std::string> RegionNames::Find(std::string_view text) const {
  std::string key = NormalizeRegionKey(text);
  if (ambiguous_.count(key)) return std::nullopt;
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  // Footnote markers after a name ("Туркестанская 1", "Astana*").
  while (!key.empty() && (std::isdigit(static_cast<unsigned char>(key.back())) ||
                          key.back() == '*' || key.back() == ' ' || key.back() == ')')) {
    key.pop_back();
  }
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  if (auto it = by_key_.find(NormalizeRegionKey(key)); it != by_key_.end()) return it->second;
  return std::nullopt;
}

std::string VintageOfYear(const std::set<std::string>& ids) {
  if (ids.count("10") || ids.count("33") || ids.count("62")) return "kz-2022";
  if ((ids.count("61") || ids.count("79")) && !ids.count("51")) return "kz-2018";
  return "kz-2009";
}

std::string VintageForId(const std::string& id, const std::string& year_vintage) {
  if (id == store::kNational) return year_vintage;
  if (RegionSystem::Builtin(year_vintage).IndexOfId(id)) return year_vintage;
  for (const char* vintage : {"kz-2009", "kz-2018", "kz-2022"}) {
    if (RegionSystem::Builtin(vintage).IndexOfId(id)) return vintage;
  }
  throw InputError(fmt::format("region id '{}' is in no built-in vintage", id));
}

const std::vector<IndicatorMeta>& BuiltinIndicators() {
  static const std::vector<IndicatorMeta> kIndicators = {
      {"population_jan1", IndicatorKind::kSeries, "persons",
       "Population on 1 January (BNS table 6584), 2000-2023, at the borders of each year: kz-2009 "
       "for 2000-2016, kz-2018 for 2017-2021 (the Bureau gives Shymkent and Turkistan from 1 "
       "January 2017), kz-2022 for 2022-2023. For population accounting; regional 1 January 2024 "
       "and 2025 are not in the sources."},
      {"population_jan1_male", IndicatorKind::kSeries, "persons",
       "Male population on 1 January (BNS table 6584); borders as population_jan1."},
      {"population_jan1_female", IndicatorKind::kSeries, "persons",
       "Female population on 1 January (BNS table 6584); borders as population_jan1."},
      {"population_avg", IndicatorKind::kSeries, "persons",
       "Average annual population (BNS table 6576), 2009-2025, recalculated by the Bureau to the "
       "2022 borders for every year. For rates per 1,000 and series across boundary changes."},
      {"births", IndicatorKind::kSeries, "persons",
       "Live births (BNS table 6548), 2000-2024, at the borders of each year. South Kazakhstan "
       "(51) is missing for 2000-2016 (dropped by the source's ETL): excluded, not imputed."},
      {"deaths", IndicatorKind::kSeries, "persons",
       "Deaths (BNS table 6550), 2000-2024, at the borders of each year. South Kazakhstan (51) is "
       "missing for 2000-2016: excluded, not imputed."},
      {"net_internal", IndicatorKind::kSeries, "persons",
       "Inter-regional net migration (BNS), 2022-2024, 2022 borders. Sums to zero over regions."},
      {"arrivals_internal", IndicatorKind::kSeries, "persons",
       "Internal arrivals, 2022-2024, INCLUDING moves between districts inside a region (not "
       "inter-regional). Registered internal moves jump by about 48% in 2024 (registration "
       "break)."},
      {"departures_internal", IndicatorKind::kSeries, "persons",
       "Internal departures, 2022-2024, INCLUDING moves between districts inside a region (not "
       "inter-regional). Registered internal moves jump by about 48% in 2024 (registration "
       "break)."},
      {"net_all", IndicatorKind::kSeries, "persons",
       "Net migration, all flows (internal inter-regional plus international), BNS table 6567, "
       "2023-2024, 2022 borders."},
      {"intl_arrivals", IndicatorKind::kSeries, "persons",
       "International arrivals for permanent residence, national (region KZ), 1991-2025; 2025 "
       "may be preliminary."},
      {"intl_departures", IndicatorKind::kSeries, "persons",
       "International departures for permanent residence, national (region KZ), 1991-2025; 2025 "
       "may be preliminary."},
      {"intl_net", IndicatorKind::kSeries, "persons",
       "International net migration = arrivals - departures, national (region KZ), 1991-2025."},
      {"intl_arrivals_first_release", IndicatorKind::kSeries, "persons",
       "International arrivals for permanent residence as the Bureau first released them, "
       "before any revision, national (region KZ): the whole years reported by the press citing "
       "the Bureau (2022, 2023). Compare with intl_arrivals, which holds the current figures."},
      {"intl_departures_first_release", IndicatorKind::kSeries, "persons",
       "International departures for permanent residence as the Bureau first released them, "
       "before any revision, national (region KZ): the whole years reported by the press citing "
       "the Bureau (2022, 2023). Compare with intl_departures, which holds the current figures."},
      {"grp_nominal", IndicatorKind::kSeries, "million KZT",
       "Gross regional product, current prices (BNS element 5927), 1993-2025, at the borders of "
       "each year (kz-2022 from 2021); Shymkent and Turkistan recalculations before 2018 are "
       "stored under kz-2018. Flagged 1995 values (AKT, ALM, MNG identical) are excluded."},
      {"grp_per_capita", IndicatorKind::kSeries, "thousand KZT",
       "GRP per capita (BNS table 5930), 2000-2009, 2014-2020, 2022-2024, borders of each year. "
       "Thousands-separator errors (a value over 10,000 more than 100 times the next year's) are "
       "divided by 1000 and marked estimated."},
      {"income_per_capita", IndicatorKind::kSeries, "KZT per month",
       "Average nominal monthly cash income per capita (BNS table 19298), 2000-2024, borders of "
       "each year; the best available proxy for regional wages."},
      {"unemployment_rate", IndicatorKind::kSeries, "%",
       "Annual unemployment rate (BNS element 102790), 2001-2025 (2015 missing), borders of each "
       "year. Values the source flags (national 2019, East Kazakhstan 2023) are excluded. "
       "The ten non-rounded values of 2007-2008 the source derived are marked estimated."},
      {"housing_commissioned", IndicatorKind::kSeries, "m2",
       "Housing commissioned, square metres (BNS table 4289), 2014-2022, borders of each year."},
      {"kandas_arrivals", IndicatorKind::kSeries, "persons",
       "Ethnic Kazakh returnees (kandas) granted the status in the year, national (region KZ): "
       "the Ministry of Labour's figures as reported (1993, 2020 approximate, 2023, 2025); not a "
       "BNS table and not part of the international arrivals for permanent residence."},
      {"kandas_cumulative", IndicatorKind::kSeries, "persons",
       "Kandas granted the status since 1991, cumulative at the end of the year, national (region "
       "KZ), where reported (2023, 2025)."},
      {"resettlement_quota", IndicatorKind::kSeries, "persons",
       "State quota for resettlement to the northern regions (kandas plus internal resettlers), "
       "national (region KZ), 2023, 2025, 2026 as reported."},
      {"resettlement_quota_kandas", IndicatorKind::kSeries, "persons",
       "The kandas part of the resettlement quota, national (region KZ), where reported (2023)."},
      {"resettlement_quota_internal", IndicatorKind::kSeries, "persons",
       "The internal-resettler part of the resettlement quota, national (region KZ), where "
       "reported (2023)."},
      {"foreign_worker_quota", IndicatorKind::kSeries, "persons",
       "Yearly quota for foreign workers brought in by employers (Ministry of Labour, as "
       "reported), national (region KZ), 2021-2023."},
      {"foreign_worker_quota_share", IndicatorKind::kSeries, "% of labour force",
       "The foreign-worker quota as a share of the labour force where only the share was "
       "reported (2024), national (region KZ)."},
      {"foreign_workers_with_permits", IndicatorKind::kSeries, "persons",
       "Foreign workers holding work permits on one date of the year (the date is in the "
       "provenance; Ministry of Labour as reported), national (region KZ), 2021-2025."},
      {"labour_immigrant_permits_issued", IndicatorKind::kSeries, "persons",
       "Permits issued to labour immigrants (household work, individual employers) in the year, "
       "as reported (2018), national (region KZ)."},
      {"labour_immigrant_permits_issued_or_extended", IndicatorKind::kSeries, "persons",
       "Permits to labour immigrants issued or extended (2019: first half only), as reported, "
       "national (region KZ)."},
      {"foreign_entries", IndicatorKind::kSeries, "persons",
       "Entries of foreign citizens into Kazakhstan in the year (border crossings, not persons; "
       "2022: over 5 million, as reported), national (region KZ)."},
      {"intl_arrivals_by_partner", IndicatorKind::kFlows, "persons",
       "International arrivals to Kazakhstan (dest KAZ) by origin: the 10 CIS partners (ISO3) and "
       "the aggregates CIS and NON_CIS, 2016-2025."},
      {"intl_departures_by_partner", IndicatorKind::kFlows, "persons",
       "International departures from Kazakhstan (orig KAZ) by destination: the 10 CIS partners "
       "(ISO3) and the aggregates CIS and NON_CIS, 2016-2025."},
      {"intl_mirror", IndicatorKind::kFlows, "persons",
       "Partner-reported (mirror) flows with Kazakhstan: what AZE, BLR, KGZ, MDA record as "
       "arrivals from or departures to Kazakhstan, 2016-2025 where transcribed."},
      {"kandas_origin_share", IndicatorKind::kFlows, "% of kandas arrivals",
       "Main countries of origin of the year's kandas (orig ISO3 -> KAZ), percent of the year's "
       "kandas arrivals, as reported (2023: five countries; 2025: two); the rest is not "
       "broken down."},
      {"abel_flows", IndicatorKind::kFlows, "persons",
       "Abel & Cohen bilateral 5-year flow estimates (pseudo-Bayesian closed demographic "
       "accounting), Kazakhstan's rows and columns, periods 1990-1995 ... 2015-2020 (year = first "
       "year of the period). Model estimates, not registrations."},
      {"un_stock", IndicatorKind::kStocks, "persons",
       "UN DESA International Migrant Stock 2020, bilateral (both sexes), Kazakhstan's rows and "
       "columns (born in Kazakhstan living abroad; living in Kazakhstan born abroad), 1990-2020 "
       "every 5 years."},
      {"world_abel_flows", IndicatorKind::kFlows, "persons",
       "Abel & Cohen bilateral 5-year flow estimates (pseudo-Bayesian closed demographic "
       "accounting), the full world table (ISO3; names in world_countries.csv), periods "
       "1990-1995 ... 2015-2020 (year = first year of the period); the source holds no zero "
       "flows. Model estimates, not registrations."},
      {"world_un_stock", IndicatorKind::kStocks, "persons",
       "UN DESA International Migrant Stock 2020, bilateral (both sexes), the full world table "
       "(pob = country of birth, por = country of residence, ISO3; names in world_countries.csv), "
       "1990-2020 every 5 years; origins the UN reports only as 'Other' are not in the table."},
      {"intl_departures_by_ethnicity", IndicatorKind::kComposition, "persons; % of the departures",
       "Ethnic composition of international departures (emigration) from Kazakhstan, national "
       "(region KZ): counts (2019) or shares of the period's departures (January-July 2013), as "
       "reported by the press citing the Bureau of National Statistics; only the groups "
       "reported (the rest is not broken down). A composition, not a regional series."},
      {"intl_arrivals_by_ethnicity", IndicatorKind::kComposition, "persons; % of the arrivals",
       "Ethnic composition of international arrivals (immigration) to Kazakhstan, national "
       "(region KZ): counts (2019) or shares of the period's arrivals (January-July 2013), as "
       "reported by the press citing the Bureau of National Statistics; only the groups "
       "reported. A composition, not a regional series."},
  };
  return kIndicators;
}

const IndicatorMeta& BuiltinIndicator(std::string_view name) {
  for (const IndicatorMeta& meta : BuiltinIndicators()) {
    if (meta.name == name) return meta;
  }
  throw std::out_of_range(fmt::format("no built-in indicator '{}'", name));
}

bool AllowsNegative(std::string_view indicator) {
  return indicator.find("net") != std::string_view::npos ||
         indicator.find("balance") != std::string_view::npos ||
         indicator.find("change") != std::string_view::npos;
}

std::pair<long, long> LineColumnOf(std::string_view text, size_t offset) {
  long line = 1;
  long column = 1;
  for (size_t pos = 0; pos < offset && pos < text.size(); ++pos) {
    if (text[pos] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace kazmig::importers

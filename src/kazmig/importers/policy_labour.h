// Importers for the small tables of `kz_policy_labour/` (facts from official documents and press
// reports citing the Ministry of Labour or the Bureau; see its README):
//
// ImportKandasArrivals reads `year,arrivals,cumulative_since_1991,main_origins,source`
// (kandas_arrivals.csv), ethnic Kazakh returnees (kandas) granted the status, national:
//   arrivals              -> kandas_arrivals (region KZ)
//   cumulative_since_1991 -> kandas_cumulative (region KZ), where given
//   main_origins          -> kandas_origin_share (flows, orig ISO3 -> KAZ, % of the year's
//                            arrivals), parsed from "Uzbekistan 50.3%; China 21.5%; ..." with the
//                            country names of the world tables (CountryNames).
// ImportResettlementQuotas reads
// `year,kandas_quota,internal_resettlers_quota,combined_quota,source` (resettlement_quotas.csv),
// the yearly state quotas for resettlement to the northern regions:
//   -> resettlement_quota_kandas, resettlement_quota_internal, resettlement_quota (combined;
//      region KZ), each where given; when all three are given, combined must equal the sum.
// ImportForeignLabour reads `date,indicator,value,unit,note,source` (foreign_labour.csv): dated
// figures on foreign workers, national (region KZ), stored by the year of `date` with the date,
// the note and the source in the provenance detail:
//   labour_immigrant_permits_issued, labour_immigrant_permits_issued_or_extended,
//   foreign_worker_quota, foreign_workers_with_permits (persons), foreign_worker_quota_share
//   (percent of labour force), entries_of_foreigners_YYYY -> foreign_entries (persons).
// The unit must be the indicator's ("persons", or "percent of labour force"); an unknown
// indicator, a second value of one indicator in one year, or a bad date is an InputError.
// ReadPolicyMeasures reads the register `id,date,title,kind,regions_affected,source`
// (policy_measures.csv, and the user's `--measures FILE` in the same format): id (letters,
// digits, '-', '_', '.'; unique, also against `taken_ids`), date YYYY-MM-DD, a title, kind (one
// of `kinds`), regions `all` or ids separated by ';' (KATO codes, ISO codes or names of any
// built-in vintage, historic ones too: each is stored as the kz-2022 ids it covers), source
// (optional). Every error is an InputError at FILE:LINE:COLUMN.
// PolicyMeasuresCsv writes rows back in that format (regions as kz-2022 ids), deterministically.
// Every value is official (the Ministry's figure) with the `source` column in its provenance
// detail (which keeps the source's own "(approximate)"), and "reported by the press" when the
// source is not a government site. A duplicated year, a negative count, a share outside (0, 100], a
// country name that does not resolve, or shares summing above 100 are InputErrors at the line.
#ifndef KAZMIG_IMPORTERS_POLICY_LABOUR_H_
#define KAZMIG_IMPORTERS_POLICY_LABOUR_H_

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kazmig/importers/undesa.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportKandasArrivals(const std::filesystem::path& path, const CountryNames& countries);
store::Batch ImportResettlementQuotas(const std::filesystem::path& path);
store::Batch ImportForeignLabour(const std::filesystem::path& path);

// One validated row of the register of policy measures.
struct MeasureRow {
  std::string id;
  std::string date;  // YYYY-MM-DD (a valid date)
  std::string title;
  std::string kind;
  bool national = false;             // regions_affected "all"
  std::vector<std::string> regions;  // kz-2022 ids, in the order given (each once)
  std::string source;
  std::string file;  // where the row came from (FILE:LINE)
};
std::vector<MeasureRow> ReadPolicyMeasures(const std::filesystem::path& path,
                                           const std::vector<std::string>& kinds,
                                           const std::set<std::string>& taken_ids = {});
std::string PolicyMeasuresCsv(const std::vector<MeasureRow>& rows);

// One value of the ethnic composition of international flows (emigration_by_ethnicity.csv:
// `period,flow,ethnic_group,persons,share_pct,source`): a count, a share of the flow, or both.
struct EthnicFlowRow {
  std::string period;  // "2019" or "2013-01..2013-07"
  int year = 0;        // the period's first year
  std::string flow;    // arrivals | departures
  std::string group;
  std::optional<double> persons;
  std::optional<double> share_pct;
  std::string source;
};
// Reads and validates the table: period YYYY or YYYY-MM..YYYY-MM (start not after end), flow
// arrivals or departures, a group, at least one of persons (>= 0) and share_pct (in (0, 100]),
// one row per period, flow and group, shares of one period and flow summing to at most 100.
// InputError at FILE:LINE:COLUMN otherwise.
std::vector<EthnicFlowRow> ReadEthnicFlows(const std::filesystem::path& path);
// The rows back in that format (numbers in shortest form), deterministically.
std::string EthnicFlowsCsv(const std::vector<EthnicFlowRow>& rows);
// The table as store compositions (ReadEthnicFlows' validation): departures ->
// intl_departures_by_ethnicity, arrivals -> intl_arrivals_by_ethnicity, national (region KZ,
// vintage kz-2022), period "" for a calendar year, each row official ("Bureau of National
// Statistics figures, as reported") with its source in the provenance detail.
store::Batch ImportEthnicFlows(const std::filesystem::path& path);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_POLICY_LABOUR_H_

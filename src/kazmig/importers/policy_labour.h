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
// Every value is official (the Ministry's figure) with the `source` column in its provenance
// detail (which keeps the source's own "(approximate)"), and "reported by the press" when the
// source is not a government site. A duplicated year, a negative count, a share outside (0, 100], a
// country name that does not resolve, or shares summing above 100 are InputErrors at the line.
#ifndef KAZMIG_IMPORTERS_POLICY_LABOUR_H_
#define KAZMIG_IMPORTERS_POLICY_LABOUR_H_

#include <filesystem>

#include "kazmig/importers/undesa.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportKandasArrivals(const std::filesystem::path& path, const CountryNames& countries);
store::Batch ImportResettlementQuotas(const std::filesystem::path& path);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_POLICY_LABOUR_H_

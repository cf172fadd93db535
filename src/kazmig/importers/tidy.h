// Importers for the project's own long tidy formats (ARCHITECTURE.md), for `kazmig data import`:
//   tidy-series  region,value,year[,provenance]              -> series
//   tidy-flows   orig,dest,flow,year|period[,provenance]      -> flows
//   tidy-stocks  pob,por,stock,year[,provenance]             -> stocks
//   tidy-composition  group,year|period,persons|share_pct[,region][,provenance] -> compositions
//                (a flow or population by group, e.g. departures by ethnic group: a count, a
//                share of the whole in percent, or both; region defaults to KZ, the country;
//                period YYYY, YYYY-YYYY or YYYY-MM..YYYY-MM)
// Region ids of a built-in vintage (kz-2009, kz-2018, kz-2022) may be KATO codes, ISO codes or
// names in English, Kazakh or Russian (historical ones too) and are stored as KATO codes; "KZ"
// (or "Республика Казахстан", "national") is the national total. Other vintages ("iso3", ...) keep
// ids as written. A `provenance` column ("official: SOURCE (DETAIL)" / "estimated: METHOD
// (DETAIL)") overrides the default provenance per row.
//
// Errors (InputError at FILE:LINE:COLUMN; nothing is imported): a missing column, an unknown
// region, a duplicated key, a non-number, a negative value for an indicator that cannot be
// negative (any except nets and balances), a malformed provenance; for compositions also a row
// with neither a count nor a share, a share outside (0, 100], a malformed period, and shares of
// one region and period summing above 100 (at the row that passes it).
//
//   importers::TidyOptions options{"population_avg", "persons", "kz-2022",
//                                  Provenance::Official("BNS table 6576", "2026 release"), ""};
//   store::Batch b = importers::ImportTidySeries("pop.csv", options);
#ifndef KAZMIG_IMPORTERS_TIDY_H_
#define KAZMIG_IMPORTERS_TIDY_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kazmig/core/provenance.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

struct TidyOptions {
  std::string indicator;
  std::string unit;
  std::string vintage = "kz-2022";
  Provenance provenance;  // for rows without a provenance column
  std::string notes;
};

store::Batch ImportTidySeries(const std::filesystem::path& path, const TidyOptions& options);
store::Batch ImportTidyFlows(const std::filesystem::path& path, const TidyOptions& options);
store::Batch ImportTidyStocks(const std::filesystem::path& path, const TidyOptions& options);
store::Batch ImportTidyComposition(const std::filesystem::path& path, const TidyOptions& options);

// The first year of a period "YYYY", "YYYY-YYYY" or "YYYY-MM..YYYY-MM" (start not after end,
// months 1-12); nullopt when malformed.
std::optional<int> PeriodFirstYear(std::string_view period);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_TIDY_H_

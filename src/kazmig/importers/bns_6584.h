// Importer for the Bureau of National Statistics workbook of table 6584: population on 1 January
// by region, 2000-2023 (`bns_population_odk/pop_source_6584.xlsx`).
//
// Layout expected (and checked): one sheet per sex ("Все население", "Мужчины", "Женщины"); in
// each, a header row of consecutive years in columns B.., then blocks of rows with a region name
// in column A (Russian, with footnote markers such as "Туркестанская 1") and a value, "-" or
// nothing per year. In the sex sheets, blocks headed "Городское население" / "Сельское население"
// (urban / rural) follow the totals; they are validated but not stored. A footnote line ends a
// sheet.
//
// Rules, each tested:
//   - The vintage of each year column follows the regions that have values (VintageOfYear):
//     kz-2009 for 2000-2016, kz-2018 for 2017-2021, kz-2022 for 2022-2023 in this workbook.
//   - "Туркестанская" in a kz-2009 year is South Kazakhstan (51) (the Bureau's footnote 1).
//   - Every region of a year's vintage must have a value, and no region outside it may have one.
//   - A negative value, a non-number, an unknown region name, a region listed twice in a block, a
//     missing header row: InputError at the sheet and cell; nothing is imported.
//
//   store::Batch batch = importers::ImportBns6584("pop_source_6584.xlsx", names);
//   // indicators population_jan1, population_jan1_male, population_jan1_female
#ifndef KAZMIG_IMPORTERS_BNS_6584_H_
#define KAZMIG_IMPORTERS_BNS_6584_H_

#include <filesystem>

#include "kazmig/importers/common.h"
#include "kazmig/store/store.h"

namespace kazmig::importers {

store::Batch ImportBns6584(const std::filesystem::path& path, const RegionNames& names);

}  // namespace kazmig::importers

#endif  // KAZMIG_IMPORTERS_BNS_6584_H_

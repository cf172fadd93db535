// The folder format of a kazmig dataset (the built-in `data/kz/`): tidy CSV files that people can
// read and diff, written by `kazmig data build-builtin` and loaded into the store by
// `kazmig data init` (or on first use, OpenWithBuiltin).
//
//   provenance.csv   key,kind,source,detail           kind = official | estimated
//   indicators.csv   indicator,kind,unit,file,vintage,provenance,notes
//   <indicator>.csv  series: region,year,value[,vintage][,provenance]
//                    flows:  orig,dest,year[,period],flow[,flow_low,flow_high][,vintage]
//                            [,provenance]   (flow_low/flow_high: the band of an estimate)
//                    stocks: pob,por,year,stock[,vintage][,provenance]
//                    composition: region,year,period,group,persons,share_pct[,vintage]
//                            [,provenance]   (persons and/or share_pct; period "" = the year)
//
// `vintage` and `provenance` (a key of provenance.csv) may be given per row or, when every row of
// an indicator shares them, once in indicators.csv. Region ids of the built-in vintages are KATO
// codes ("KZ" for national totals); numbers are written in their shortest round-trip form, so
// the same batch always produces the same bytes.
//
//   store::Batch batch = importers::BuildBuiltin("../shared/data");
//   store::WriteDatasetFolder(batch, "data/kz");
//   store::Batch again = store::ReadDatasetFolder("data/kz");   // same rows
#ifndef KAZMIG_STORE_BUILTIN_H_
#define KAZMIG_STORE_BUILTIN_H_

#include <filesystem>

#include "kazmig/store/store.h"

namespace kazmig::store {

// Reads a dataset folder. Throws InputError (FILE:LINE:COLUMN) on a malformed file, an unknown
// provenance key or vintage, a region id outside its built-in vintage, or a duplicated key.
Batch ReadDatasetFolder(const std::filesystem::path& dir);

// Writes `batch` as a dataset folder (creating it; each file atomically). Files of indicators
// not in the batch are left alone. Rows are sorted (vintage, ids, year) within each file.
void WriteDatasetFolder(const Batch& batch, const std::filesystem::path& dir);

}  // namespace kazmig::store

#endif  // KAZMIG_STORE_BUILTIN_H_

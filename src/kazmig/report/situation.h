// The situation report: Kazakhstan's population and migration balance by region, international
// migration since 1991, and the region system with its maps — one self-contained HTML page.
//
// Renders an app::SituationInput (app/report.h: loaded from the store and computed by the use
// case); never opens the store or any file and computes nothing but layout. Every figure and table
// cites the provenance of the values it shows and marks official and estimated values; series
// breaks (boundary changes of 2018 and 2022, the 2024 registration change of internal moves,
// preliminary figures) are marked on every chart.
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::SituationResult result = app::BuildSituationInput(kz, {generated, version});
//   std::string html = report::BuildSituationReport(result.input);
#ifndef KAZMIG_REPORT_SITUATION_H_
#define KAZMIG_REPORT_SITUATION_H_

#include <string>

#include "kazmig/app/report.h"
#include "kazmig/report/messages.h"

namespace kazmig::report {

// The complete HTML document. Throws ComputeError (internal) when `system` or `boundaries` is
// missing or the boundaries do not match the system.
// `lang`: the language of the text (report/messages.h; region names from the built-in names).
std::string BuildSituationReport(const app::SituationInput& data, Lang lang = Lang::kEn);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_SITUATION_H_

// The use case of `kazmig crosswalk`: region values (region,value[,year]) converted between
// Kazakhstan's boundary vintages (kz-2009, kz-2018, kz-2022) with core's Crosswalk, the weights
// chosen here: a region,value file at 2022 borders, or the store's average population
// (population_avg at 2022 borders) of the weights year (WeightsYear).
//
//   app::CrosswalkRequest request;
//   request.from = "kz-2018";
//   request.to = "kz-2022";
//   request.input = "in.csv";
//   request.db = app::DefaultDbPath();
//   request.builtin_dir = app::BuiltinDataDir();
//   app::CrosswalkResult result = app::RunCrosswalk(request);
//   std::cout << app::EncodeCrosswalk(result, app::Format::kCsv, /*with_provenance=*/false);
//
// Counts are split by the weights and summed on merge (an absent input region counts as 0);
// rates are copied on split and weighted on merge (an absent region is missing).
#ifndef KAZMIG_APP_CROSSWALK_H_
#define KAZMIG_APP_CROSSWALK_H_

#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/app/result_table.h"

namespace kazmig::app {

// The year of the population weight of a kz-2022 atom: `weights_year` when not 0, else the year of
// the boundary change that split it (2018 for Turkistan 61 and Shymkent 79, 2022 for the others).
int WeightsYear(const std::string& atom, int weights_year);

struct CrosswalkRequest {
  std::string from;  // vintage of the input
  std::string to;    // vintage of the output
  std::string input;
  std::string kind = "count";  // count or rate
  int weights_year = 0;        // 0: the year of each boundary change (WeightsYear)
  std::string weights;         // region,value file at 2022 borders; empty: the store's population
  // Give every row its provenance (the input rows and weights it comes from).
  bool with_provenance = false;
  std::filesystem::path db;           // the store, for the population weights
  std::filesystem::path builtin_dir;  // the built-in dataset loaded into it when there
};

// What RunCrosswalk returns. The three faces:
//   JSON  `document` (from, to, kind, values, method with its weights);
//   CSV   `table` (region,value[,year] in the output vintage's order, years in the input's);
//   text  `text_preamble`, then `text_table` (region, name, value for people[, year]).
// Rows carry their provenance when the request asked for it.
struct CrosswalkResult {
  Json document;
  ResultTable table;
  std::string text_preamble;
  ResultTable text_table;
  std::string method;          // how counts or rates are split and merged
  std::string weights_source;  // the weights file, the store series and years, or "none needed"
  std::vector<std::string> notes;
};

CrosswalkResult RunCrosswalk(const CrosswalkRequest& request);

// Encodes a result: JSON `document`, CSV `table`, or `text_preamble` and `text_table`; the
// `provenance` column with `with_provenance` (CSV and text).
std::string EncodeCrosswalk(const CrosswalkResult& result, Format format, bool with_provenance);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_CROSSWALK_H_

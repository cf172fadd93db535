// The use cases of `kazmig indicators`: each reads what its request names (flow, population,
// distance, age-rate and adjacency files, or the built-in dataset through KzDataset), calls the
// indicators library and returns an IndicatorsResult that every face can encode the same way.
//
//   app::IndicatorsRequest request;
//   request.flows = "flows.csv";
//   request.population = "population.csv";
//   app::IndicatorsResult result = app::RunIndicators(request);
//   std::cout << app::EncodeIndicators(result, app::Format::kCsv, /*with_provenance=*/false);
//   for (const std::string& note : result.notes) std::cerr << "kazmig: note: " << note << '\n';
//
//   app::KzDataset kz = app::KzDataset::Open(app::DefaultDbPath(), app::BuiltinDataDir());
//   app::KzYear y = app::KzYearIndicators(kz, 2023);   // what `--dataset kz --year 2023` prints
//   y.nets.anmr;                                       // official, per 100
//   y.estimated->bands.cmp.value;                      // estimated OD matrix, with low/high
//   double rate = app::RatePerThousand(net, population);  // the one rate per 1,000
//
// The Kazakhstan dataset follows KzDataset's one rule for incomplete years: only years in which
// every region has an inter-regional net and a positive average population are used; asking for
// another year is a UsageError naming the regions that lack a value.
#ifndef KAZMIG_APP_INDICATORS_H_
#define KAZMIG_APP_INDICATORS_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/result_table.h"
#include "kazmig/indicators/bands.h"
#include "kazmig/indicators/corridors.h"
#include "kazmig/indicators/rates.h"

namespace kazmig::app {

// The analyses the faces use on app's results, by their app names (the report and the server may
// not include indicators/ themselves): rates per 1,000, the period ranking by net rate and its
// extremes, corridors and their shares, and the banded indicators of an estimated matrix. See
// indicators/rates.h, corridors.h, bands.h.
using indicators::Band;
using indicators::BandedIndicators;
using indicators::Corridor;
using indicators::RankByNetRate;
using indicators::RankedNet;
using indicators::RatePerThousand;
using indicators::RegionNet;
using indicators::SharePercent;
using indicators::TopCorridors;
using indicators::TopGainers;
using indicators::TopInto;
using indicators::TopLosers;
using indicators::TopOutOf;

// A part of the aligned-text face: an optional heading line, the provenance line shown with
// --with-provenance, and a table.
struct TextSection {
  std::string heading;
  std::string provenance;
  ResultTable table;
};

// What an indicators use case returns. The three faces:
//   JSON  `document`;
//   CSV   `table` (numbers in round-trip form, "NA" when missing; `provenance` column on request);
//   text  `text_preamble`, then either `text_sections` (each: heading, provenance line on request,
//         aligned table, blank line) followed by `footnotes`, or `text_table` (numbers for people;
//         provenance as a column on request).
struct IndicatorsResult {
  Json document;
  ResultTable table;
  std::string text_preamble;
  std::vector<TextSection> text_sections;
  ResultTable text_table;
  std::vector<std::string> footnotes;
  // Adjustments the user should know (the CLI prints "kazmig: note: ..." on stderr).
  std::vector<std::string> notes;
};

// The result in `format`; `with_provenance` adds the provenance column (CSV and text tables) or
// line (text sections). JSON is pretty-printed with 2 spaces and ends with a newline.
std::string EncodeIndicators(const IndicatorsResult& result, Format format, bool with_provenance);

// Where the built-in dataset lives (used when a request names dataset "kz").
struct DatasetLocation {
  std::string db_path;                // the store (app::DefaultDbPath())
  std::filesystem::path builtin_dir;  // data/kz (app::BuiltinDataDir())
};

// `kazmig indicators`: the system-wide indicators of the flows (per year with a year column), or
// with dataset "kz" the net-based indicators of the built-in data and the banded indicators of
// the estimated OD matrix (KzYearIndicators). Throws UsageError for conflicting options,
// InputError at the file position of bad data, ComputeError when a computation cannot be done.
struct IndicatorsRequest {
  std::string flows;       // orig,dest,flow[,year]
  std::string population;  // region,value[,year] (optional)
  std::string distance;    // orig,dest,distance (optional)
  std::string regions;     // resolve ids through this built-in system (optional)
  std::string dataset;     // "kz": the built-in data instead of files
  DatasetLocation location;
  int year = 0;  // 0: every year
  bool fit_decay = true;
  int threads = 1;
  bool with_provenance = false;  // read the inputs' provenance (only then)
};
IndicatorsResult RunIndicators(const IndicatorsRequest& request);

// `kazmig indicators regions`: in, out, net, rates, MEI, shares and ranks per region.
struct RegionsRequest {
  std::string flows;
  std::string population;
  std::string regions;
  int year = 0;
  bool with_provenance = false;
};
IndicatorsResult RunRegionIndicators(const RegionsRequest& request);

// `kazmig indicators age`: age-profile indicators and an optional Rogers-Castro fit ("rc7", "rc9",
// "rc11", "rc13"). Throws ComputeError when the fit does not converge.
struct AgeRequest {
  std::string rates;  // age,rate
  std::string fit;
  bool with_provenance = false;
};
IndicatorsResult RunAgeIndicators(const AgeRequest& request);

// `kazmig indicators maup`: CMI and MEI over random contiguous aggregations into k regions.
// `k` is a comma-separated list of positive whole numbers (UsageError otherwise).
struct MaupRequest {
  std::string flows;
  std::string population;
  std::string adjacency;  // CSV edges a,b or GeoJSON polygons (.geojson, .json)
  std::string id_property = "id";
  std::string k = "4,8,16";
  size_t replications = 1000;
  uint64_t seed = 1;
  int threads = 1;
  bool with_provenance = false;
};
IndicatorsResult RunMaupIndicators(const MaupRequest& request);

// `kazmig indicators trends`: change, CAGR and largest steps per region and indicator, from flows
// with a year column or from the built-in data (dataset "kz": by default the inter-regional nets
// and net rates of the complete years; with `series`, any built-in series at kz-2022 ids, every
// year it has, e.g. population_avg 2009-2025, intl_net 1991-2025). Percent change and CAGR are
// empty, with a note, where a series is zero or below or changes sign (indicators::Trend).
struct TrendsRequest {
  std::string flows;
  std::string population;
  std::string dataset;
  std::vector<std::string> series;  // built-in series names (dataset "kz"); "all": every one
  DatasetLocation location;
  bool with_provenance = false;
};
IndicatorsResult RunTrendIndicators(const TrendsRequest& request);

// `kazmig indicators components`: flows against the independence model (migest multi_comp).
struct ComponentsRequest {
  std::string flows;
  bool with_provenance = false;
};
IndicatorsResult RunComponentIndicators(const ComponentsRequest& request);

// The indicators of the year's estimated inter-regional OD matrix (KzDataset::OdRuns: the central
// run and the sensitivity grid), each banded over the grid.
struct KzYearEstimate {
  size_t runs = 0;                     // grid runs besides the central one
  std::string method;                  // how the matrix and the band were made
  std::string provenance;              // the estimate's provenance ("estimated: model-based ...")
  indicators::BandedIndicators bands;  // value (central run), low, high
};

// One complete year of the built-in dataset: what `kazmig indicators --dataset kz --year YEAR`
// prints, for every face (the report uses it too).
struct KzYear {
  int year = 0;
  std::vector<std::string> regions;      // kz-2022 ids, in the system's order
  std::vector<double> net;               // official inter-regional net, same order
  std::vector<double> population;        // average annual population, same order
  indicators::NetSummary nets;           // n, population, net_sum, anmr, net_rate
  std::vector<std::string> net_sources;  // distinct provenances of the nets used
  std::vector<std::string> population_sources;
  std::optional<KzYearEstimate> estimated;  // absent when the estimate cannot be made:
  std::string estimated_unavailable;        //   then why
  std::string provenance;                   // "computed by kazmig indicators from kz:... [...]"
};

// The year's official net-based indicators (ANMR, net sum, rates per 1,000) and the banded
// indicators (CMP, MEI, ...) of its estimated OD matrix. Throws UsageError when the year is not
// complete (naming the regions that lack a value) or has no data at all.
KzYear KzYearIndicators(KzDataset& kz, int year);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_INDICATORS_H_

// The use cases of `kazmig estimate`: origin-destination flows estimated from what is published
// (stocks, margins, net totals), nets rescaled to a zero sum, residual net migration, and the
// Kazakhstan OD matrix from the built-in data. Each reads the files its request names, calls the
// estimate library and returns an EstimateResult that every face encodes the same way; every
// number is labelled *estimated* with its method.
//
//   app::IpfRequest request;
//   request.seed = "seed.csv";
//   request.row_totals = "rows.csv";
//   request.col_totals = "cols.csv";
//   app::EstimateResult result = app::RunEstimateIpf(request);
//   for (const std::string& note : result.notes) std::cerr << "kazmig: note: " << note << '\n';
//   if (!result.converged) throw ComputeError(result.failure);   // exit 1 with the figures
//   std::cout << app::EncodeEstimate(result, app::Format::kCsv, /*with_provenance=*/false);
//
// Bad input files are InputError (FILE:LINE:COLUMN), contradictory settings UsageError; an
// estimator that does not converge is reported in the result (converged, failure), not thrown.
#ifndef KAZMIG_APP_ESTIMATE_H_
#define KAZMIG_APP_ESTIMATE_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kazmig/app/result_table.h"
#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/provenance.h"

namespace kazmig::app {

// What an estimate use case returns. The three faces:
//   JSON  `document` (method, parameters and convergence figures, provenance, the rows);
//   CSV   `table` (numbers in round-trip form; every row carries `provenance`, a column on
//         request);
//   text  `text_preamble`, then `text_table` (numbers for people).
struct EstimateResult {
  Json document;
  // When not empty, the document's last key, holding `table`'s rows (ResultTable::ToJson): added
  // when encoded (EstimateDocument), so that a command writing CSV never builds them.
  std::string document_rows_key;
  ResultTable table;
  // A flow result (`estimate stocks`, `ipf`, `net`, the long form of `kz-od`) keeps its rows
  // orig,dest,flow[,flow_low,flow_high] as matrices instead of `table` (which stays empty): CSV is
  // written straight from them, without a cell per number (53,000 rows for 231 places), and the
  // table is built only for JSON and text (EstimateTable).
  struct FlowRows {
    FlowMatrix flows;                     // its ids label the rows
    std::optional<FlowMatrix> low, high;  // the band flow_low, flow_high
    bool include_diagonal = false;
  };
  std::shared_ptr<const FlowRows> flow_rows;
  std::string text_preamble;
  ResultTable text_table;
  // When true, the text shows `table` itself with its numbers for people (one decimal, thousands
  // separated; flow_low/flow_high as low/high), built when encoded; `text_table` is unused.
  bool text_from_table = false;
  Provenance provenance;  // of every row
  std::string method;
  // Convergence of an iterative method: iterations run and the largest remaining relative margin
  // (or net) error. When `converged` is false the tables are empty and `failure` says what the
  // face reports (exit 1).
  bool converged = true;
  int iterations = 0;
  double max_margin_error = 0;
  std::string failure;
  // Adjustments and assumptions the user should know ("kazmig: note: ..." on the CLI), in order,
  // also when the estimate did not converge.
  std::vector<std::string> notes;
};

// Encodes a result: JSON `document`, CSV `table` (with a `provenance` column when
// `with_provenance`), or `text_preamble` and the aligned `text_table`.
std::string EncodeEstimate(const EstimateResult& result, Format format, bool with_provenance);

// The JSON document of a result, with the rows under `document_rows_key` when it is set.
Json EstimateDocument(const EstimateResult& result);

// The rows of a result as a table: `table`, or the flow rows (each row with the provenance).
ResultTable EstimateTable(const EstimateResult& result);

// `estimate stocks`: flows from two place-of-birth x residence stock tables (pob,por,stock), every
// off-diagonal pair in the order the places are first met in stock1.
struct StocksRequest {
  std::string stock1;
  std::string stock2;
  std::string births;  // region,value files: optional for demo, required for pb
  std::string deaths;
  std::string seed;                          // optional orig,dest,flow prior structure (demo, pb)
  std::string method = "demo";               // demo, diff, rates or pb
  bool stayer_assumption = true;             // demo: stayers held at min of the two stocks
  std::string match_birthplace = "rescale";  // demo, pb: rescale, open or open-dr
  std::string diff_type = "zero";            // diff: zero or return
  std::string rates_type = "dennett";        // rates: dennett or rogers-von-rabenau
  std::optional<double> total;               // rates dennett: total migrants
  std::optional<double> tol;                 // demo, pb: relative margin tolerance of every IPF
  // pb: the weight w in [0, 1] on the independence estimate; unset = 0.13 (Abel & Cohen's
  // da_pb_closed). JSON adds `weight`, `weight_source` and `components` (the iterations, margin
  // error and convergence of the `min` and `ind` fits).
  std::optional<double> pb_weight;
  bool parallel = true;
};
// UsageError before any file is read for --pb-weight outside [0, 1] or without --method pb, and
// for --method pb without births or deaths or with the stayer assumption off.
EstimateResult RunEstimateStocks(const StocksRequest& request);

// `estimate ipf`: a seed table (orig,dest,flow) fitted to row and column totals (region,value);
// every cell, diagonal included.
struct IpfRequest {
  std::string seed;
  std::string row_totals;
  std::string col_totals;
  double tol = 1e-10;
  int max_iterations = 10000;
  // Scale the column totals to the row totals' sum (with a note) instead of an InputError.
  bool rescale_margins = false;
};
EstimateResult RunEstimateIpf(const IpfRequest& request);

// `estimate net`: flows closest to a prior (orig,dest,flow) that reproduce net totals
// (region,value = in - out).
struct NetRequest {
  std::string prior;
  std::string net;
  std::string method = "ipf";  // ipf or entropy
  double tol = 1e-10;
  int max_iterations = 10000;
  // Rescale nets that do not sum to zero (no-switches, with a note) instead of an InputError.
  bool rescale_net = false;
};
EstimateResult RunEstimateNet(const NetRequest& request);

// `estimate rescale-net`: net migration (region,value) rescaled to sum to zero.
struct RescaleNetRequest {
  std::string net;
  std::string method = "no-switches";  // no-switches or switches
  bool integer = false;
};
EstimateResult RunRescaleNet(const RescaleNetRequest& request);

// `estimate residual`: vital statistics (pop0, pop1, births, deaths: region,value files; rows
// region,value = (P1 - P0) - (B - D)) or survival ratios (pop0, pop1, survival: region,age,value
// files; rows region,age,value with the age at the end of the period).
struct ResidualRequest {
  std::string method = "vital";  // vital or survival
  std::string pop0;
  std::string pop1;
  std::string births;                     // vital
  std::string deaths;                     // vital
  std::string survival;                   // survival
  std::string survival_type = "average";  // forward, reverse or average
};
EstimateResult RunResidual(const ResidualRequest& request);

// `estimate kz-od`: the Kazakhstan inter-regional OD matrix of `year` from the built-in data
// (EstimateInternalOd, the function behind the stored estimate), with the sensitivity band when
// asked.
struct KzOdRequest {
  std::filesystem::path db;
  std::filesystem::path builtin_dir;
  int year = 2023;
  double decay = 1.0;
  double total = 350000;
  bool sensitivity = false;
  double decay_low = 0.5;
  double decay_high = 1.5;
  double total_low = 250000;
  double total_high = 450000;
  std::string method = "ipf";  // ipf or entropy
  // The CSV and the aligned text as a matrix (app/od_matrix.h): origins as rows, destinations as
  // columns, with totals (JSON unchanged).
  bool wide = false;
};
EstimateResult RunKzOd(const KzOdRequest& request);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_ESTIMATE_H_

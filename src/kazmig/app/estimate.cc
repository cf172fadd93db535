#include "kazmig/app/estimate.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/names.h"
#include "kazmig/app/od_matrix.h"
#include "kazmig/app/selection.h"
#include "kazmig/core/error.h"
#include "kazmig/core/flow_matrix.h"
#include "kazmig/estimate/ipf.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/estimate/net.h"
#include "kazmig/estimate/pseudo_bayes.h"
#include "kazmig/estimate/residual.h"
#include "kazmig/estimate/stocks.h"
#include "kazmig/io/csv.h"
#include "kazmig/io/tidy.h"

namespace kazmig::app {
namespace {

// ---------------------------------------------------------------------------------------------
// Reading inputs aligned to a known list of ids, with located errors.

std::unordered_map<std::string, size_t> IndexOf(const std::vector<std::string>& ids) {
  std::unordered_map<std::string, size_t> index;
  for (size_t idx = 0; idx < ids.size(); ++idx) index.emplace(ids[idx], idx);
  return index;
}

// Reads `region,value` into a vector aligned with `ids` (absent regions are 0, unless
// `require_every_region`: then an absent region is an InputError naming it). A region not in
// `ids`, a duplicated region, or (unless allow_negative) a negative value is an InputError at
// its line and column; `ids_source` names where the ids came from, for the message.
std::vector<double> ReadAlignedValues(const std::string& path, const std::vector<std::string>& ids,
                                      const std::string& ids_source, bool allow_negative,
                                      bool require_every_region = false) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_value = csv.Column("value");
  const auto index = IndexOf(ids);
  std::vector<double> values(ids.size(), 0.0);
  std::vector<long> seen(ids.size(), 0);
  while (csv.Next()) {
    const std::string id(csv.RequiredField(c_region));
    const auto it = index.find(id);
    if (it == index.end()) {
      csv.Fail(c_region,
               fmt::format("unknown region '{}' (not among the places of {})", id, ids_source));
    }
    if (seen[it->second] != 0) {
      csv.Fail(c_region,
               fmt::format("region '{}' given twice (first on line {})", id, seen[it->second]));
    }
    seen[it->second] = csv.line();
    const double value = csv.Double(c_value);
    if (!allow_negative && value < 0) csv.Fail(c_value, fmt::format("negative value {}", value));
    values[it->second] = value;
  }
  if (require_every_region) {
    for (size_t region_idx = 0; region_idx < ids.size(); ++region_idx) {
      if (seen[region_idx] == 0) {
        throw InputError(path, 0, 0,
                         fmt::format("region '{}' of {} has no value here (a population is needed "
                                     "for every region; an absent one is not taken as 0)",
                                     ids[region_idx], ids_source));
      }
    }
  }
  return values;
}

// Reads `orig,dest,flow` into a matrix over `ids` (absent pairs 0).
FlowMatrix ReadAlignedFlows(const std::string& path, const std::vector<std::string>& ids,
                            const std::string& ids_source) {
  io::CsvReader csv(path);
  const size_t c_orig = csv.Column("orig"), c_dest = csv.Column("dest"),
               c_flow = csv.Column("flow");
  const auto index = IndexOf(ids);
  FlowMatrix m(ids);
  while (csv.Next()) {
    size_t pos[2];
    const size_t cols[2] = {c_orig, c_dest};
    for (int k = 0; k < 2; ++k) {
      const std::string id(csv.RequiredField(cols[k]));
      const auto it = index.find(id);
      if (it == index.end()) {
        csv.Fail(cols[k],
                 fmt::format("unknown region '{}' (not among the places of {})", id, ids_source));
      }
      pos[k] = it->second;
    }
    const double value = csv.Double(c_flow);
    if (value < 0) csv.Fail(c_flow, fmt::format("negative flow {}", value));
    m(pos[0], pos[1]) = value;
  }
  return m;
}

// The first row of a stock file that mentions `id` (for a located error).
[[noreturn]] void FailAtFirstMention(const std::string& path, const std::string& id,
                                     const std::string& message) {
  io::CsvReader csv(path);
  const size_t c_pob = csv.Column("pob"), c_por = csv.Column("por");
  while (csv.Next()) {
    if (csv.Field(c_pob) == id) csv.Fail(c_pob, message);
    if (csv.Field(c_por) == id) csv.Fail(c_por, message);
  }
  throw InputError(path, 0, 0, message);
}

// S2 reordered to S1's places; different place sets are an InputError.
FlowMatrix AlignStocks(const std::string& path1, const FlowMatrix& s1, const std::string& path2,
                       const FlowMatrix& s2) {
  const auto index1 = IndexOf(s1.ids());
  const auto index2 = IndexOf(s2.ids());
  for (const std::string& id : s2.ids()) {
    if (!index1.count(id)) {
      FailAtFirstMention(path2, id,
                         fmt::format("place '{}' is not in {} (the two stock tables must cover "
                                     "the same places)",
                                     id, path1));
    }
  }
  for (const std::string& id : s1.ids()) {
    if (!index2.count(id)) {
      FailAtFirstMention(path1, id,
                         fmt::format("place '{}' is not in {} (the two stock tables must cover "
                                     "the same places)",
                                     id, path2));
    }
  }
  FlowMatrix aligned(s1.ids());
  for (size_t pob = 0; pob < s1.size(); ++pob) {
    for (size_t por = 0; por < s1.size(); ++por) {
      aligned(pob, por) = s2(index2.at(s1.ids()[pob]), index2.at(s1.ids()[por]));
    }
  }
  return aligned;
}

// Reads `region,age,value` (values non-negative) keeping the regions' order of first mention.
estimate::RegionAgeTable ReadAgeTable(const std::string& path) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_age = csv.Column("age");
  const size_t c_value = csv.Column("value");
  estimate::RegionAgeTable table;
  table.source = path;
  while (csv.Next()) {
    const std::string region(csv.RequiredField(c_region));
    const double age = csv.Double(c_age);
    const double value = csv.Double(c_value);
    if (value < 0) csv.Fail(c_value, fmt::format("negative population {}", value));
    auto [it, inserted] = table.values.try_emplace(region);
    if (inserted) table.regions.push_back(region);
    if (!it->second.emplace(age, value).second) {
      csv.Fail(c_age, fmt::format("age {} given twice for region '{}'", age, region));
    }
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// Results.

// Flows as rows orig,dest,flow (every off-diagonal pair, and the diagonal when asked), with the
// band flow_low,flow_high when `low` and `high` are given, kept as matrices (EstimateResult::
// FlowRows). `metadata` opens the JSON document; the rows in JSON and the text for people are
// derived when encoded.
EstimateResult FlowResult(FlowMatrix flows, bool include_diagonal, const FlowMatrix* low,
                          const FlowMatrix* high, const Provenance& provenance, Json metadata) {
  EstimateResult result;
  result.provenance = provenance;
  const std::string provenance_text = provenance.ToString();
  auto rows = std::make_shared<EstimateResult::FlowRows>();
  rows->flows = std::move(flows);
  if (low) rows->low = *low;
  if (high) rows->high = *high;
  rows->include_diagonal = include_diagonal;
  result.flow_rows = std::move(rows);
  result.text_from_table = true;
  result.text_preamble = provenance_text + "\n\n";
  result.document = std::move(metadata);
  result.document["provenance"] = provenance_text;
  result.document_rows_key = "flows";
  return result;
}

std::vector<std::string> FlowColumns(const EstimateResult::FlowRows& rows) {
  std::vector<std::string> columns = {"orig", "dest", "flow"};
  if (rows.low) columns.insert(columns.end(), {"flow_low", "flow_high"});
  return columns;
}

// The flow rows as a table (the cells ResultTable::Csv would write as FlowCsv does).
ResultTable FlowTable(const EstimateResult::FlowRows& rows, const std::string& provenance) {
  ResultTable table(FlowColumns(rows));
  const FlowMatrix& flows = rows.flows;
  const size_t n = flows.size();
  table.Reserve(rows.include_diagonal ? n * n : n * (n - std::min<size_t>(n, 1)));
  const size_t handle = table.AddProvenance(provenance);
  const auto& ids = flows.ids();
  for (size_t orig = 0; orig < n; ++orig) {
    for (size_t dest = 0; dest < n; ++dest) {
      if (orig == dest && !rows.include_diagonal) continue;
      std::vector<Cell> row;
      row.reserve(rows.low ? 5 : 3);
      row.push_back(Cell::Text(ids[orig]));
      row.push_back(Cell::Text(ids[dest]));
      row.push_back(Cell::Number(flows(orig, dest)));
      if (rows.low) {
        row.push_back(Cell::Number((*rows.low)(orig, dest)));
        row.push_back(Cell::Number((*rows.high)(orig, dest)));
      }
      table.AddRow(std::move(row), handle);
    }
  }
  return table;
}

// The flow rows in CSV, byte for byte as ResultTable::Csv writes FlowTable, but written straight
// into one string: no cell, no string per number.
std::string FlowCsv(const EstimateResult::FlowRows& rows, const std::string& provenance,
                    bool with_provenance) {
  const FlowMatrix& flows = rows.flows;
  const auto& ids = flows.ids();
  const size_t n = flows.size();
  std::string out;
  for (const std::string& column : FlowColumns(rows)) {
    AppendCsvField(out, column);
    out.push_back(',');
  }
  if (with_provenance) out += "provenance,";
  out.back() = '\n';
  // The provenance field, quoted once for every row.
  std::string provenance_field;
  if (with_provenance) {
    provenance_field.push_back(',');
    AppendCsvField(provenance_field, provenance);
  }
  std::vector<std::string> id_fields(n);
  size_t id_bytes = 0;
  for (size_t idx = 0; idx < n; ++idx) {
    AppendCsvField(id_fields[idx], ids[idx]);
    id_bytes += id_fields[idx].size();
  }
  // Ids twice per row and about 20 bytes per number: one allocation for the whole text.
  const size_t numbers = rows.low ? 3 : 1;
  out.reserve(out.size() + n * (2 * id_bytes + n * (numbers * 20 + 4 + provenance_field.size())));
  for (size_t orig = 0; orig < n; ++orig) {
    const double* flow = flows.row(orig);
    const double* low = rows.low ? rows.low->row(orig) : nullptr;
    const double* high = rows.high ? rows.high->row(orig) : nullptr;
    for (size_t dest = 0; dest < n; ++dest) {
      if (orig == dest && !rows.include_diagonal) continue;
      out += id_fields[orig];
      out.push_back(',');
      out += id_fields[dest];
      out.push_back(',');
      AppendCsvNumber(out, flow[dest]);
      if (low) {
        out.push_back(',');
        AppendCsvNumber(out, low[dest]);
        out.push_back(',');
        AppendCsvNumber(out, high[dest]);
      }
      out += provenance_field;
      out.push_back('\n');
    }
  }
  return out;
}

// The text table of a flow result: its columns (flow_low, flow_high as low, high) and cells; for
// people, estimated flows as whole persons to 3 significant digits (docs/output.md).
ResultTable FlowTextTable(const ResultTable& table) {
  std::vector<std::string> columns = table.columns();
  for (std::string& column : columns) {
    if (column == "flow_low") column = "low";
    if (column == "flow_high") column = "high";
  }
  std::vector<Unit> units(columns.size(), Unit::kEstimatedPersons);
  units[0] = units[1] = Unit::kId;
  ResultTable text(columns, units);
  text.Reserve(table.row_count());
  for (size_t row_idx = 0; row_idx < table.row_count(); ++row_idx) {
    text.AddRow(table.row(row_idx));
  }
  return text;
}

// One value per region: rows region,value; JSON {"provenance", "values"}; text: estimated
// persons (3 significant digits).
EstimateResult RegionValuesResult(const std::vector<std::string>& ids,
                                  const std::vector<double>& values, const Provenance& provenance) {
  EstimateResult result;
  result.provenance = provenance;
  result.table = ResultTable({"region", "value"});
  result.text_table = ResultTable({"region", "value"}, {Unit::kId, Unit::kEstimatedPersons});
  const size_t handle = result.table.AddProvenance(provenance.ToString());
  for (size_t idx = 0; idx < ids.size(); ++idx) {
    result.table.AddRow({Cell::Text(ids[idx]), Cell::Number(values[idx])}, handle);
    result.text_table.AddRow({Cell::Text(ids[idx]), Cell::Number(values[idx])});
  }
  result.document = {{"provenance", provenance.ToString()}, {"values", result.table.ToJson()}};
  return result;
}

// A failed estimate: no rows, the figures in `failure`, the notes made before the fit failed.
EstimateResult NotConverged(int iterations, double max_margin_error, std::string failure,
                            std::vector<std::string> notes) {
  EstimateResult result;
  result.converged = false;
  result.iterations = iterations;
  result.max_margin_error = max_margin_error;
  result.failure = std::move(failure);
  result.notes = std::move(notes);
  return result;
}

// A fit that stopped at its iteration limit with its relative `error_kind` error ("margin",
// "net") above `tol`: "WHAT did not converge after N iterations (largest relative KIND error E,
// tolerance T)".
EstimateResult NotConverged(std::string_view what, std::string_view error_kind, int iterations,
                            double error, double tol, std::vector<std::string> notes) {
  return NotConverged(iterations, error,
                      fmt::format("{} did not converge after {} iterations (largest relative {} "
                                  "error {:g}, tolerance {:g})",
                                  what, iterations, error_kind, error, tol),
                      std::move(notes));
}

// The tables of `estimate kz-od` for people (regions by name, id beside; estimated persons to 3
// significant digits) and, with `wide`, the matrix views (CSV with ids, text with names).
void KzOdTables(const estimate::KzOdEstimate& od, const KzOdRequest& request,
                EstimateResult& result) {
  const FlowMatrix& flows = od.central.fit.flows;
  const auto& ids = flows.ids();
  const std::string vintage = "kz-2022";
  if (request.wide) {
    WideOd wide;
    wide.vintage = vintage;
    wide.year = request.year;
    wide.ids = ids;
    wide.values.assign(ids.size(), std::vector<double>(ids.size(), std::nan("")));
    for (size_t orig = 0; orig < ids.size(); ++orig) {
      for (size_t dest = 0; dest < ids.size(); ++dest) {
        if (orig != dest) wide.values[orig][dest] = flows(orig, dest);
      }
    }
    ResultTable csv = WideOdTable(wide, false);
    result.flow_rows.reset();  // CSV shows the wide matrix
    result.table = ResultTable(csv.columns());
    const size_t wide_handle = result.table.AddProvenance(result.provenance.ToString());
    for (size_t row = 0; row < csv.row_count(); ++row)
      result.table.AddRow(csv.row(row), wide_handle);
    result.text_table = WideOdTable(wide, true);
    if (request.sensitivity) {
      result.text_table.AddFootnote(
          "central estimate; the low/high range is in the long form "
          "(without --wide)");
    }
    return;
  }
  std::vector<std::string> columns = {"origin", "orig", "destination", "dest", "flow"};
  if (request.sensitivity) columns.insert(columns.end(), {"low", "high"});
  std::vector<Unit> units = {Unit::kAuto, Unit::kId, Unit::kAuto, Unit::kId};
  units.resize(columns.size(), Unit::kEstimatedPersons);
  ResultTable text(columns, units);
  for (size_t orig = 0; orig < ids.size(); ++orig) {
    for (size_t dest = 0; dest < ids.size(); ++dest) {
      if (orig == dest) continue;
      std::vector<Cell> row = {Cell::Text(RegionDisplayName(vintage, ids[orig])),
                               Cell::Text(ids[orig]),
                               Cell::Text(RegionDisplayName(vintage, ids[dest])),
                               Cell::Text(ids[dest]), Cell::Number(flows(orig, dest))};
      if (request.sensitivity) {
        row.push_back(Cell::Number(od.low(orig, dest)));
        row.push_back(Cell::Number(od.high(orig, dest)));
      }
      text.AddRow(std::move(row));
    }
  }
  result.text_table = std::move(text);
}

}  // namespace

std::string EncodeEstimate(const EstimateResult& result, Format format, bool with_provenance) {
  switch (format) {
    case Format::kCsv:
      if (result.flow_rows) {
        return FlowCsv(*result.flow_rows, result.provenance.ToString(), with_provenance);
      }
      return result.table.Csv(with_provenance);
    case Format::kTable:
      return result.text_preamble +
             (result.text_from_table ? FlowTextTable(EstimateTable(result)) : result.text_table)
                 .Text();
    case Format::kJson:
      break;
  }
  return EstimateDocument(result).dump(2) + "\n";
}

Json EstimateDocument(const EstimateResult& result) {
  if (result.document_rows_key.empty()) return result.document;
  Json document = result.document;
  document[result.document_rows_key] = EstimateTable(result).ToJson();
  return document;
}

ResultTable EstimateTable(const EstimateResult& result) {
  if (!result.flow_rows) return result.table;
  return FlowTable(*result.flow_rows, result.provenance.ToString());
}

namespace {

// The settings of `estimate stocks` that contradict each other or the method: UsageError before
// any file is read.
void CheckStocksRequest(const StocksRequest& request) {
  if (request.pb_weight && request.method != "pb") {
    throw UsageError("--pb-weight applies to --method pb only");
  }
  if (request.method != "pb") return;
  if (request.pb_weight && !(*request.pb_weight >= 0 && *request.pb_weight <= 1)) {
    throw UsageError(
        fmt::format("--pb-weight must be in [0, 1] (the weight on the independence estimate), "
                    "not {}",
                    io::FormatNumber(*request.pb_weight)));
  }
  if (request.births.empty() || request.deaths.empty()) {
    throw UsageError(
        "--method pb needs --births and --deaths: its two component fits are closed demographic "
        "accounts, which need the births and deaths of the period by place of residence");
  }
  if (!request.stayer_assumption) {
    throw UsageError(
        "--stayer-assumption applies to --method demo; --method pb mixes the fits with "
        "(weight 1 - w) and without (weight w) the stayer assumption");
  }
}

// The figures of one component fit of the pseudo-Bayes blend, for JSON.
Json FitFigures(const estimate::FfsResult& fit) {
  return {{"iterations", fit.iterations},
          {"max_margin_error", fit.max_margin_error},
          {"last_cell_change", fit.last_cell_change},
          {"converged", fit.converged}};
}

}  // namespace

EstimateResult RunEstimateStocks(const StocksRequest& request) {
  CheckStocksRequest(request);
  const FlowMatrix s1 = io::ReadStocks(request.stock1);
  const FlowMatrix s2 =
      AlignStocks(request.stock1, s1, request.stock2, io::ReadStocks(request.stock2));
  const std::string& places = request.stock1;
  estimate::FfsResult fit;
  std::optional<estimate::PseudoBayesComponents> pb_parts;
  std::optional<estimate::PseudoBayesOptions> pb;
  if (request.method == "demo" || request.method == "pb") {
    estimate::FfsDemoOptions demo;
    if (!request.births.empty()) {
      demo.births = ReadAlignedValues(request.births, s1.ids(), places, false);
    }
    if (!request.deaths.empty()) {
      demo.deaths = ReadAlignedValues(request.deaths, s1.ids(), places, false);
    }
    if (!request.seed.empty()) demo.seed = ReadAlignedFlows(request.seed, s1.ids(), places);
    demo.stayer_assumption = request.stayer_assumption;
    demo.match_birthplace = request.match_birthplace == "open" ? estimate::MatchBirthplace::kOpen
                            : request.match_birthplace == "open-dr"
                                ? estimate::MatchBirthplace::kOpenDr
                                : estimate::MatchBirthplace::kRescale;
    demo.relative_tol = request.tol;
    demo.parallel = request.parallel;
    if (request.method == "pb") {
      pb.emplace();
      pb->demo = std::move(demo);
      pb->weight = request.pb_weight;
      pb_parts.emplace();
      fit = estimate::FfsPseudoBayes(s1, s2, *pb, &*pb_parts);
    } else {
      fit = estimate::FfsDemo(s1, s2, demo);
    }
  } else if (request.method == "diff") {
    fit = estimate::FfsDiff(
        s1, s2,
        request.diff_type == "return" ? estimate::DiffType::kReturn : estimate::DiffType::kZero);
  } else {
    const bool dennett = request.rates_type == "dennett";
    if (dennett && !request.total) {
      throw UsageError("--rates-type dennett needs --total M (the total number of migrants)");
    }
    fit = estimate::FfsRates(
        s1, s2, dennett ? estimate::RatesType::kDennett : estimate::RatesType::kRogersVonRabenau,
        request.total);
  }
  if (!fit.converged) {
    std::string failure = fmt::format(
        "flows from stocks did not converge after {} iterations (largest cell change {:g}, "
        "largest relative margin error {:g})",
        fit.iterations, fit.last_cell_change, fit.max_margin_error);
    if (pb_parts) {
      auto component = [](const char* name, const estimate::FfsResult& part) {
        return fmt::format(
            "{} fit {} after {} iterations (largest cell change {:g}, largest "
            "relative margin error {:g})",
            name, part.converged ? "converged" : "did not converge", part.iterations,
            part.last_cell_change, part.max_margin_error);
      };
      failure = fmt::format("pseudo-Bayes flows from stocks did not converge: {}; {}",
                            component("the minimum-migration (stayer assumption)", pb_parts->min),
                            component("the independence", pb_parts->ind));
    }
    return NotConverged(fit.iterations, fit.max_margin_error, failure, fit.notes);
  }
  Json metadata = {{"method", fit.method},
                   {"parameters", fit.parameters},
                   {"iterations", fit.iterations},
                   {"max_margin_error", fit.max_margin_error},
                   {"converged", fit.converged}};
  if (pb_parts) {
    metadata["weight"] = pb->weight.value_or(estimate::kPseudoBayesWeight);
    metadata["weight_source"] =
        pb->weight ? std::string("--pb-weight") : std::string(estimate::kPseudoBayesWeightSource);
    metadata["components"] = {{"min", FitFigures(pb_parts->min)},
                              {"ind", FitFigures(pb_parts->ind)}};
  }
  EstimateResult result =
      FlowResult(std::move(fit.flows), false, nullptr, nullptr,
                 Provenance::Estimated(fit.method, fmt::format("{}; stocks: {}, {}", fit.parameters,
                                                               request.stock1, request.stock2)),
                 std::move(metadata));
  result.method = fit.method;
  result.iterations = fit.iterations;
  result.max_margin_error = fit.max_margin_error;
  result.notes = fit.notes;
  return result;
}

EstimateResult RunEstimateIpf(const IpfRequest& request) {
  const FlowMatrix seed = io::ReadFlows(request.seed);
  const auto& ids = seed.ids();
  const std::vector<double> rows = ReadAlignedValues(request.row_totals, ids, request.seed, false);
  std::vector<double> cols = ReadAlignedValues(request.col_totals, ids, request.seed, false);
  std::vector<std::string> notes;
  const estimate::MarginSums sums = estimate::CompareMarginSums(rows, cols, request.tol);
  if (!sums.agree) {
    if (!request.rescale_margins) {
      throw InputError(request.col_totals, 0, 0,
                       fmt::format("column totals sum to {} but the row totals ({}) sum to {}; "
                                   "fix the margins or pass --rescale-margins",
                                   io::FormatNumber(sums.cols), request.row_totals,
                                   io::FormatNumber(sums.rows)));
    }
    cols = estimate::RescaleColumnTotals(std::move(cols), sums);
    notes.push_back(fmt::format("column totals rescaled by {:g} to the row total {:g}",
                                sums.ColumnFactor(), sums.rows));
  }
  estimate::IpfOptions ipf;
  ipf.tol = request.tol;
  ipf.max_iterations = request.max_iterations;
  ipf.order = estimate::IpfOrder::kRowsFirst;  // alpha first, as migest's cm2
  estimate::Ipf2Result fit = estimate::Ipf2(seed, rows, cols, ipf);
  if (!fit.converged) {
    return NotConverged("IPF", "margin", fit.iterations, fit.max_margin_error, request.tol,
                        std::move(notes));
  }
  fit.fitted.set_ids(ids);
  const std::string method = "IPF (Willekens 1999; migest cm2)";
  EstimateResult result =
      FlowResult(std::move(fit.fitted), true, nullptr, nullptr,
                 Provenance::Estimated(
                     method, fmt::format("seed: {}; margins: {}, {}; tol={:g}", request.seed,
                                         request.row_totals, request.col_totals, request.tol)),
                 {{"method", "ipf"},
                  {"regions", ids},
                  {"alpha", fit.alpha},
                  {"beta", fit.beta},
                  {"iterations", fit.iterations},
                  {"max_margin_error", fit.max_margin_error}});
  result.method = method;
  result.iterations = fit.iterations;
  result.max_margin_error = fit.max_margin_error;
  result.notes = std::move(notes);
  return result;
}

EstimateResult RunEstimateNet(const NetRequest& request) {
  FlowMatrix prior = io::ReadFlows(request.prior);
  prior.ZeroDiagonal();
  const auto& ids = prior.ids();
  std::vector<double> net = ReadAlignedValues(request.net, ids, request.prior, true);
  std::vector<std::string> notes;
  const estimate::NetBalance balance = estimate::BalanceOfNets(net);
  if (!balance.balanced) {
    if (!request.rescale_net) {
      throw InputError(request.net, 0, 0,
                       fmt::format("nets sum to {}, not 0 (in - out over all regions must "
                                   "cancel); fix the file or pass --rescale-net",
                                   io::FormatNumber(balance.sum)));
    }
    notes.push_back(
        fmt::format("nets summed to {:g}; rescaled to zero (no-switches)", balance.sum));
    net = estimate::RescaleNet(net, estimate::RescaleMethod::kNoSwitches);
  }
  const auto method =
      request.method == "entropy" ? estimate::NetMethod::kEntropy : estimate::NetMethod::kIpf;
  estimate::NetMatrixResult fit = estimate::NetMatrix(
      prior, net, method, {.tol = request.tol, .max_iterations = request.max_iterations});
  if (!fit.converged) {
    return NotConverged("net-constrained estimation", "net", fit.iterations, fit.max_net_error,
                        request.tol, std::move(notes));
  }
  fit.flows.set_ids(ids);
  EstimateResult result = FlowResult(
      std::move(fit.flows), false, nullptr, nullptr,
      Provenance::Estimated(fit.method, fmt::format("prior: {}; nets: {}; tol={:g}", request.prior,
                                                    request.net, request.tol)),
      {{"method", request.method},
       {"regions", ids},
       {"alpha", fit.alpha},
       {"iterations", fit.iterations},
       {"max_margin_error", fit.max_net_error}});
  result.method = fit.method;
  result.iterations = fit.iterations;
  result.max_margin_error = fit.max_net_error;
  result.notes = std::move(notes);
  return result;
}

EstimateResult RunRescaleNet(const RescaleNetRequest& request) {
  io::TidyOptions tidy;
  tidy.non_negative = false;
  const io::RegionValues net = io::ReadRegionValues(request.net, tidy);
  const auto method = request.method == "switches" ? estimate::RescaleMethod::kSwitches
                                                   : estimate::RescaleMethod::kNoSwitches;
  std::vector<double> values;
  try {
    values = estimate::RescaleNet(net.values, method, request.integer);
  } catch (const InputError& error) {
    throw InputError(request.net, 0, 0, error.what());
  }
  const std::string name = "net rescaled to zero sum";
  EstimateResult result = RegionValuesResult(
      net.ids, values,
      Provenance::Estimated(name, fmt::format("method={}; integer={}; input: {}", request.method,
                                              request.integer, request.net)));
  result.method = name;
  return result;
}

EstimateResult RunResidual(const ResidualRequest& request) {
  if (request.method == "vital") {
    for (const auto* required : {&request.pop0, &request.pop1, &request.births, &request.deaths}) {
      if (required->empty()) {
        throw UsageError("--method vital needs --pop0, --pop1, --births and --deaths");
      }
    }
    const io::RegionValues pop0 = io::ReadRegionValues(request.pop0);
    const std::vector<double> pop1 =
        ReadAlignedValues(request.pop1, pop0.ids, request.pop0, false, true);
    const std::vector<double> births =
        ReadAlignedValues(request.births, pop0.ids, request.pop0, false);
    const std::vector<double> deaths =
        ReadAlignedValues(request.deaths, pop0.ids, request.pop0, false);
    const std::string name = "residual net migration (vital statistics)";
    EstimateResult result = RegionValuesResult(
        pop0.ids, estimate::VitalStatisticsNet(pop0.values, pop1, births, deaths),
        Provenance::Estimated(
            name, fmt::format("(P1 - P0) - (B - D); inputs: {}, {}, {}, {}", request.pop0,
                              request.pop1, request.births, request.deaths)));
    result.method = name;
    return result;
  }
  if (request.pop0.empty() || request.pop1.empty() || request.survival.empty()) {
    throw UsageError("--method survival needs --pop0, --pop1 and --survival (region,age,value)");
  }
  const estimate::RegionAgeTable p0 = ReadAgeTable(request.pop0), p1 = ReadAgeTable(request.pop1);
  const estimate::RegionAgeTable survival = ReadAgeTable(request.survival);
  const auto type = request.survival_type == "forward"   ? estimate::SurvivalMethod::kForward
                    : request.survival_type == "reverse" ? estimate::SurvivalMethod::kReverse
                                                         : estimate::SurvivalMethod::kAverage;
  const std::vector<estimate::RegionAgeNet> rows =
      estimate::SurvivalRatioNetByRegion(p0, p1, survival, type);
  EstimateResult result;
  result.method = "residual net migration (survival ratio, UN Manual VI)";
  result.provenance = Provenance::Estimated(
      result.method, fmt::format("{}; inputs: {}, {}, {}", request.survival_type, request.pop0,
                                 request.pop1, request.survival));
  result.table = ResultTable({"region", "age", "value"});
  result.text_table =
      ResultTable({"region", "age", "net"}, {Unit::kId, Unit::kId, Unit::kEstimatedPersons});
  const size_t handle = result.table.AddProvenance(result.provenance.ToString());
  for (const estimate::RegionAgeNet& row : rows) {
    result.table.AddRow({Cell::Text(row.region), Cell::Number(row.age), Cell::Number(row.value)},
                        handle);
    result.text_table.AddRow(
        {Cell::Text(row.region), Cell::Number(row.age), Cell::Number(row.value)});
  }
  result.document = {{"provenance", result.provenance.ToString()},
                     {"values", result.table.ToJson()}};
  return result;
}

EstimateResult RunKzOd(const KzOdRequest& request) {
  KzDataset kz = KzDataset::Open(request.db, request.builtin_dir);
  estimate::KzOdAssumptions assumptions;
  assumptions.decay = request.decay;
  assumptions.total = request.total;
  assumptions.decay_low = request.decay_low;
  assumptions.decay_high = request.decay_high;
  assumptions.total_low = request.total_low;
  assumptions.total_high = request.total_high;
  assumptions.method =
      request.method == "entropy" ? estimate::NetMethod::kEntropy : estimate::NetMethod::kIpf;
  RequireYear("--year", request.year, kz.CompleteYears(),
              "the built-in internal migration (net_internal and population_avg of every region)");
  const estimate::KzOdEstimate od = EstimateInternalOd(
      kz.Series("population_avg"), kz.Series("net_internal"), request.year, assumptions);
  EstimateResult result =
      FlowResult(od.central.fit.flows, false, request.sensitivity ? &od.low : nullptr,
                 request.sensitivity ? &od.high : nullptr, od.provenance,
                 {{"method", "kz-od"},
                  {"year", request.year},
                  {"decay", request.decay},
                  {"total", request.total},
                  {"iterations", od.central.fit.iterations},
                  {"max_margin_error", od.central.fit.max_net_error}});
  result.method = od.provenance.source;
  result.iterations = od.central.fit.iterations;
  result.max_margin_error = od.central.fit.max_net_error;
  result.notes.push_back(
      "the data identify only the regional nets; decay and total are assumptions");
  // The JSON rows are the long table's, also when the CSV and text show the wide matrix.
  result.document = EstimateDocument(result);
  result.document_rows_key.clear();
  result.text_from_table = false;
  KzOdTables(od, request, result);
  return result;
}

}  // namespace kazmig::app

// `kazmig estimate ...`: origin-destination flows estimated from what is published (stocks, net
// totals, margins), and residual net migration. Every estimate is labelled *estimated* with its
// method; non-convergence exits 1 with the iterations and the remaining margin error.
//
//   kazmig estimate stocks --stock1 s1990.csv --stock2 s1995.csv > flows.csv
//   kazmig estimate ipf --seed m.csv --row-totals r.csv --col-totals c.csv --format json
//   kazmig estimate net --prior m.csv --net n.csv --method entropy
//   kazmig estimate rescale-net --net n.csv --integer
//   kazmig estimate residual --method vital --pop0 p0.csv --pop1 p1.csv --births b.csv ...
//   kazmig estimate kz-od --year 2023 --sensitivity
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/core/region.h"
#include "kazmig/estimate/gravity.h"
#include "kazmig/estimate/ipf.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/estimate/net.h"
#include "kazmig/estimate/pseudo_bayes.h"
#include "kazmig/estimate/residual.h"
#include "kazmig/estimate/stocks.h"
#include "kazmig/io/csv.h"
#include "kazmig/io/tidy.h"
#include "kazmig/store/store.h"

namespace kazmig::cli {
namespace {

using nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Reading inputs aligned to a known list of ids, with located errors.

std::unordered_map<std::string, size_t> IndexOf(const std::vector<std::string>& ids) {
  std::unordered_map<std::string, size_t> index;
  for (size_t idx = 0; idx < ids.size(); ++idx) index.emplace(ids[idx], idx);
  return index;
}

// Reads `region,value` into a vector aligned with `ids` (absent regions are 0). A region not in
// `ids`, a duplicated region, or (unless allow_negative) a negative value is an InputError at
// its line and column; `ids_source` names where the ids came from, for the message.
std::vector<double> ReadAlignedValues(const std::string& path, const std::vector<std::string>& ids,
                                      const std::string& ids_source, bool allow_negative) {
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

// ---------------------------------------------------------------------------------------------
// Output.

struct FlowOutput {
  const FlowMatrix* flows = nullptr;
  bool include_diagonal = false;
  const FlowMatrix* low = nullptr;  // sensitivity bands (optional)
  const FlowMatrix* high = nullptr;
  Provenance provenance;
  ordered_json metadata = ordered_json::object();  // extra JSON keys (bare numbers)
};

void WriteFlowOutput(const OutputOptions& options, const FlowOutput& what) {
  const FlowMatrix& flows = *what.flows;
  const auto& ids = flows.ids();
  const size_t n = flows.size();
  const std::string provenance = what.provenance.ToString();
  Output out(options);
  switch (options.ParsedFormat()) {
    case Format::kCsv: {
      std::vector<std::string> header = {"orig", "dest", "flow"};
      if (what.low) header.insert(header.end(), {"flow_low", "flow_high"});
      std::vector<std::vector<std::string>> cells;
      for (size_t orig = 0; orig < n; ++orig) {
        for (size_t dest = 0; dest < n; ++dest) {
          if (orig == dest && !what.include_diagonal) continue;
          cells.push_back({ids[orig], ids[dest], io::FormatNumber(flows(orig, dest))});
          if (what.low) {
            cells.back().push_back(io::FormatNumber((*what.low)(orig, dest)));
            cells.back().push_back(io::FormatNumber((*what.high)(orig, dest)));
          }
        }
      }
      WriteCells(out.stream(), options, header, cells, {provenance});
      break;
    }
    case Format::kJson: {
      ordered_json doc = what.metadata;
      doc["provenance"] = provenance;
      ordered_json rows = ordered_json::array();
      for (size_t orig = 0; orig < n; ++orig) {
        for (size_t dest = 0; dest < n; ++dest) {
          if (orig == dest && !what.include_diagonal) continue;
          ordered_json row = {
              {"orig", ids[orig]}, {"dest", ids[dest]}, {"flow", flows(orig, dest)}};
          if (what.low) {
            row["flow_low"] = (*what.low)(orig, dest);
            row["flow_high"] = (*what.high)(orig, dest);
          }
          rows.push_back(std::move(row));
        }
      }
      doc["flows"] = std::move(rows);
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      std::vector<std::string> header = {"orig", "dest", "flow"};
      if (what.low) {
        header.push_back("low");
        header.push_back("high");
      }
      TextTable table(header);
      for (size_t orig = 0; orig < n; ++orig) {
        for (size_t dest = 0; dest < n; ++dest) {
          if (orig == dest && !what.include_diagonal) continue;
          std::vector<std::string> row = {ids[orig], ids[dest], HumanNumber(flows(orig, dest), 1)};
          if (what.low) {
            row.push_back(HumanNumber((*what.low)(orig, dest), 1));
            row.push_back(HumanNumber((*what.high)(orig, dest), 1));
          }
          table.AddRow(std::move(row));
        }
      }
      out.stream() << provenance << "\n\n";
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// estimate stocks

struct StocksOptions {
  std::string stock1, stock2, births, deaths, seed;
  std::string method = "demo";
  std::string stayer = "true";
  std::string match = "rescale";
  std::string diff_type = "zero";
  std::string rates_type = "dennett";
  std::optional<double> total;
  std::optional<double> tol;
  std::string pb_level = "row";
  std::optional<double> pb_k, pb_weight;
  std::string pb_refit = "false";
  OutputOptions output;
};

// JSON has no infinity: K is +inf where the two tables agree on a unit (the weight is then moot).
ordered_json FiniteOrNull(double value) {
  return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

void RunStocks(const Globals& globals, const StocksOptions& options) {
  const FlowMatrix s1 = io::ReadStocks(options.stock1);
  const FlowMatrix s2 =
      AlignStocks(options.stock1, s1, options.stock2, io::ReadStocks(options.stock2));
  const std::string places = options.stock1;
  estimate::FfsResult result;
  std::optional<estimate::PseudoBayesSummary> pb_summary;
  if (options.method == "demo" || options.method == "pb") {
    estimate::FfsDemoOptions demo;
    if (!options.births.empty()) {
      demo.births = ReadAlignedValues(options.births, s1.ids(), places, false);
    }
    if (!options.deaths.empty()) {
      demo.deaths = ReadAlignedValues(options.deaths, s1.ids(), places, false);
    }
    if (!options.seed.empty()) demo.seed = ReadAlignedFlows(options.seed, s1.ids(), places);
    demo.stayer_assumption = options.stayer == "true";
    demo.match_birthplace = options.match == "open"      ? estimate::MatchBirthplace::kOpen
                            : options.match == "open-dr" ? estimate::MatchBirthplace::kOpenDr
                                                         : estimate::MatchBirthplace::kRescale;
    demo.relative_tol = options.tol;
    demo.parallel = globals.threads != 1;
    if (options.method == "pb") {
      if (options.pb_k && options.pb_weight) {
        throw UsageError("--pb-k and --pb-weight exclude each other");
      }
      estimate::PseudoBayesOptions pb;
      pb.demo = demo;
      pb.level = options.pb_level == "table"        ? estimate::PseudoBayesLevel::kTable
                 : options.pb_level == "birthplace" ? estimate::PseudoBayesLevel::kBirthplace
                                                    : estimate::PseudoBayesLevel::kRow;
      pb.k = options.pb_k;
      pb.weight = options.pb_weight;
      pb.refit = options.pb_refit == "true";
      if (options.tol) pb.refit_tol = *options.tol;
      pb_summary.emplace();
      result = estimate::FfsPseudoBayes(s1, s2, pb, &*pb_summary);
    } else {
      result = estimate::FfsDemo(s1, s2, demo);
    }
  } else if (options.method == "diff") {
    result = estimate::FfsDiff(
        s1, s2,
        options.diff_type == "return" ? estimate::DiffType::kReturn : estimate::DiffType::kZero);
  } else {
    const bool dennett = options.rates_type == "dennett";
    if (dennett && !options.total) {
      throw UsageError("--rates-type dennett needs --total M (the total number of migrants)");
    }
    result = estimate::FfsRates(
        s1, s2, dennett ? estimate::RatesType::kDennett : estimate::RatesType::kRogersVonRabenau,
        options.total);
  }
  for (const std::string& note : result.notes) Note(globals, note);
  if (!result.converged) {
    throw ComputeError(fmt::format(
        "flows from stocks did not converge after {} iterations (largest cell change {:g}, "
        "largest relative margin error {:g})",
        result.iterations, result.last_cell_change, result.max_margin_error));
  }
  FlowOutput what;
  what.flows = &result.flows;
  what.provenance = Provenance::Estimated(
      result.method,
      fmt::format("{}; stocks: {}, {}", result.parameters, options.stock1, options.stock2));
  what.metadata = {{"method", result.method},
                   {"parameters", result.parameters},
                   {"iterations", result.iterations},
                   {"max_margin_error", result.max_margin_error},
                   {"converged", result.converged}};
  if (pb_summary) {
    what.metadata["pseudo_bayes"] = {{"level", options.pb_level},
                                     {"k_rule", options.pb_weight ? "fixed weight"
                                                : options.pb_k    ? "fixed K"
                                                                  : "BFH estimate per unit"},
                                     {"units", pb_summary->units},
                                     {"k_min", FiniteOrNull(pb_summary->k_min)},
                                     {"k_median", FiniteOrNull(pb_summary->k_median)},
                                     {"k_max", FiniteOrNull(pb_summary->k_max)},
                                     {"weight_min", pb_summary->weight_min},
                                     {"weight_median", pb_summary->weight_median},
                                     {"weight_max", pb_summary->weight_max},
                                     {"weight_mean", pb_summary->weight_mean},
                                     {"closed_total", pb_summary->closed_total},
                                     {"prior_total", pb_summary->prior_total},
                                     {"refit", options.pb_refit == "true"},
                                     {"refit_iterations", pb_summary->refit_iterations},
                                     {"end_stock_margin_error", pb_summary->refit_margin_error}};
  }
  WriteFlowOutput(options.output, what);
}

// ---------------------------------------------------------------------------------------------
// estimate ipf

struct IpfCliOptions {
  std::string seed, row_totals, col_totals;
  double tol = 1e-10;
  int max_iterations = 10000;
  bool rescale_margins = false;
  OutputOptions output;
};

void RunIpf(const Globals& globals, const IpfCliOptions& options) {
  const FlowMatrix seed = io::ReadFlows(options.seed);
  const auto& ids = seed.ids();
  const std::vector<double> rows = ReadAlignedValues(options.row_totals, ids, options.seed, false);
  std::vector<double> cols = ReadAlignedValues(options.col_totals, ids, options.seed, false);
  double row_sum = 0, col_sum = 0;
  for (double value : rows) row_sum += value;
  for (double value : cols) col_sum += value;
  if (std::abs(row_sum - col_sum) > std::max(options.tol, 1e-9) * std::max(1.0, row_sum)) {
    if (!options.rescale_margins) {
      throw InputError(
          options.col_totals, 0, 0,
          fmt::format("column totals sum to {} but the row totals ({}) sum to {}; "
                      "fix the margins or pass --rescale-margins",
                      io::FormatNumber(col_sum), options.row_totals, io::FormatNumber(row_sum)));
    }
    for (double& value : cols) value *= col_sum > 0 ? row_sum / col_sum : 0.0;
    Note(globals, fmt::format("column totals rescaled by {:g} to the row total {:g}",
                              col_sum > 0 ? row_sum / col_sum : 0.0, row_sum));
  }
  estimate::IpfOptions ipf;
  ipf.tol = options.tol;
  ipf.max_iterations = options.max_iterations;
  ipf.order = estimate::IpfOrder::kRowsFirst;  // alpha first, as migest's cm2
  estimate::Ipf2Result fit = estimate::Ipf2(seed, rows, cols, ipf);
  if (!fit.converged) {
    throw ComputeError(
        fmt::format("IPF did not converge after {} iterations (largest relative margin error {:g}, "
                    "tolerance {:g})",
                    fit.iterations, fit.max_margin_error, options.tol));
  }
  fit.fitted.set_ids(ids);
  FlowOutput what;
  what.flows = &fit.fitted;
  what.include_diagonal = true;
  what.provenance =
      Provenance::Estimated("IPF (Willekens 1999; migest cm2)",
                            fmt::format("seed: {}; margins: {}, {}; tol={:g}", options.seed,
                                        options.row_totals, options.col_totals, options.tol));
  what.metadata = {{"method", "ipf"},
                   {"regions", ids},
                   {"alpha", fit.alpha},
                   {"beta", fit.beta},
                   {"iterations", fit.iterations},
                   {"max_margin_error", fit.max_margin_error}};
  WriteFlowOutput(options.output, what);
}

// ---------------------------------------------------------------------------------------------
// estimate net

struct NetCliOptions {
  std::string prior, net;
  std::string method = "ipf";
  double tol = 1e-10;
  int max_iterations = 10000;
  bool rescale_net = false;
  OutputOptions output;
};

std::vector<double> CheckNetSum(const Globals& globals, std::vector<double> net,
                                const std::string& path, bool rescale) {
  double sum = 0, abs_sum = 0;
  for (double value : net) {
    sum += value;
    abs_sum += std::abs(value);
  }
  if (std::abs(sum) <= 1e-9 * std::max(1.0, abs_sum)) return net;
  if (!rescale) {
    throw InputError(path, 0, 0,
                     fmt::format("nets sum to {}, not 0 (in - out over all regions must cancel); "
                                 "fix the file or pass --rescale-net",
                                 io::FormatNumber(sum)));
  }
  Note(globals, fmt::format("nets summed to {:g}; rescaled to zero (no-switches)", sum));
  return estimate::RescaleNet(net, estimate::RescaleMethod::kNoSwitches);
}

void RunNet(const Globals& globals, const NetCliOptions& options) {
  FlowMatrix prior = io::ReadFlows(options.prior);
  prior.ZeroDiagonal();
  const auto& ids = prior.ids();
  const std::vector<double> net =
      CheckNetSum(globals, ReadAlignedValues(options.net, ids, options.prior, true), options.net,
                  options.rescale_net);
  const auto method =
      options.method == "entropy" ? estimate::NetMethod::kEntropy : estimate::NetMethod::kIpf;
  estimate::NetMatrixResult fit = estimate::NetMatrix(
      prior, net, method, {.tol = options.tol, .max_iterations = options.max_iterations});
  if (!fit.converged) {
    throw ComputeError(fmt::format(
        "net-constrained estimation did not converge after {} iterations (largest relative net "
        "error {:g}, tolerance {:g})",
        fit.iterations, fit.max_net_error, options.tol));
  }
  fit.flows.set_ids(ids);
  FlowOutput what;
  what.flows = &fit.flows;
  what.provenance = Provenance::Estimated(
      fit.method,
      fmt::format("prior: {}; nets: {}; tol={:g}", options.prior, options.net, options.tol));
  what.metadata = {{"method", options.method},
                   {"regions", ids},
                   {"alpha", fit.alpha},
                   {"iterations", fit.iterations},
                   {"max_margin_error", fit.max_net_error}};
  WriteFlowOutput(options.output, what);
}

// ---------------------------------------------------------------------------------------------
// estimate rescale-net

struct RescaleCliOptions {
  std::string net;
  std::string method = "no-switches";
  bool integer = false;
  OutputOptions output;
};

void WriteRegionValues(const OutputOptions& options, const std::vector<std::string>& ids,
                       const std::vector<double>& values, const Provenance& provenance) {
  Output out(options);
  switch (options.ParsedFormat()) {
    case Format::kCsv: {
      std::vector<std::vector<std::string>> cells;
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        cells.push_back({ids[idx], io::FormatNumber(values[idx])});
      }
      WriteCells(out.stream(), options, {"region", "value"}, cells, {provenance.ToString()});
      break;
    }
    case Format::kJson: {
      ordered_json rows = ordered_json::array();
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        rows.push_back({{"region", ids[idx]}, {"value", values[idx]}});
      }
      ordered_json doc = {{"provenance", provenance.ToString()}, {"values", rows}};
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      TextTable table({"region", "value"});
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        table.AddRow({ids[idx], HumanNumber(values[idx], 1)});
      }
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

void RunRescale(const RescaleCliOptions& options) {
  io::TidyOptions tidy;
  tidy.non_negative = false;
  const io::RegionValues net = io::ReadRegionValues(options.net, tidy);
  const auto method = options.method == "switches" ? estimate::RescaleMethod::kSwitches
                                                   : estimate::RescaleMethod::kNoSwitches;
  std::vector<double> values;
  try {
    values = estimate::RescaleNet(net.values, method, options.integer);
  } catch (const InputError& error) {
    throw InputError(options.net, 0, 0, error.what());
  }
  WriteRegionValues(
      options.output, net.ids, values,
      Provenance::Estimated("net rescaled to zero sum",
                            fmt::format("method={}; integer={}; input: {}", options.method,
                                        options.integer, options.net)));
}

// ---------------------------------------------------------------------------------------------
// estimate residual

struct ResidualCliOptions {
  std::string method = "vital";
  std::string pop0, pop1, births, deaths, survival;
  std::string survival_type = "average";
  OutputOptions output;
};

// Reads `region,age,value` into region -> age -> value, keeping region order of first mention.
struct AgeTable {
  std::vector<std::string> regions;
  std::map<std::string, std::map<double, double>> values;
};

AgeTable ReadAgeTable(const std::string& path) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column({"region", "id"});
  const size_t c_age = csv.Column("age");
  const size_t c_value = csv.Column("value");
  AgeTable table;
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

void RunResidual(const ResidualCliOptions& options) {
  if (options.method == "vital") {
    for (const auto* required : {&options.pop0, &options.pop1, &options.births, &options.deaths}) {
      if (required->empty()) {
        throw UsageError("--method vital needs --pop0, --pop1, --births and --deaths");
      }
    }
    const io::RegionValues pop0 = io::ReadRegionValues(options.pop0);
    const std::vector<double> pop1 = ReadAlignedValues(options.pop1, pop0.ids, options.pop0, false);
    const std::vector<double> births =
        ReadAlignedValues(options.births, pop0.ids, options.pop0, false);
    const std::vector<double> deaths =
        ReadAlignedValues(options.deaths, pop0.ids, options.pop0, false);
    WriteRegionValues(options.output, pop0.ids,
                      estimate::VitalStatisticsNet(pop0.values, pop1, births, deaths),
                      Provenance::Estimated(
                          "residual net migration (vital statistics)",
                          fmt::format("(P1 - P0) - (B - D); inputs: {}, {}, {}, {}", options.pop0,
                                      options.pop1, options.births, options.deaths)));
    return;
  }
  if (options.pop0.empty() || options.pop1.empty() || options.survival.empty()) {
    throw UsageError("--method survival needs --pop0, --pop1 and --survival (region,age,value)");
  }
  const AgeTable p0 = ReadAgeTable(options.pop0), p1 = ReadAgeTable(options.pop1);
  const AgeTable survival = ReadAgeTable(options.survival);
  const auto type = options.survival_type == "forward"   ? estimate::SurvivalMethod::kForward
                    : options.survival_type == "reverse" ? estimate::SurvivalMethod::kReverse
                                                         : estimate::SurvivalMethod::kAverage;
  struct NetRow {
    std::string region;
    double age;
    double value;
  };
  std::vector<NetRow> rows;
  for (const std::string& region : p0.regions) {
    const auto& start = p0.values.at(region);
    const auto end_it = p1.values.find(region);
    if (end_it == p1.values.end()) {
      throw InputError(options.pop1, 0, 0, fmt::format("region '{}' is missing", region));
    }
    // Survival ratios per region, or national ones under the region "KZ"/"all".
    auto surv_it = survival.values.find(region);
    if (surv_it == survival.values.end()) surv_it = survival.values.find("all");
    if (surv_it == survival.values.end()) {
      throw InputError(options.survival, 0, 0,
                       fmt::format("no survival ratios for region '{}' (nor for 'all')", region));
    }
    std::vector<double> ages, start_values, end_values, ratios;
    for (const auto& [age, value] : start) {
      ages.push_back(age);
      start_values.push_back(value);
      const auto end_age = end_it->second.find(age);
      if (end_age == end_it->second.end()) {
        throw InputError(options.pop1, 0, 0,
                         fmt::format("age {} is missing for region '{}'", age, region));
      }
      end_values.push_back(end_age->second);
    }
    for (size_t age_idx = 0; age_idx + 1 < ages.size(); ++age_idx) {
      const auto ratio = surv_it->second.find(ages[age_idx]);
      if (ratio == surv_it->second.end()) {
        throw InputError(options.survival, 0, 0,
                         fmt::format("no survival ratio for age {} ({})", ages[age_idx], region));
      }
      ratios.push_back(ratio->second);
    }
    std::vector<double> net;
    try {
      net = estimate::SurvivalRatioNet(start_values, end_values, ratios, type);
    } catch (const InputError& error) {
      throw InputError(options.survival, 0, 0, fmt::format("{}: {}", region, error.what()));
    }
    for (size_t age_idx = 0; age_idx < net.size(); ++age_idx) {
      rows.push_back({region, ages[age_idx + 1], net[age_idx]});
    }
  }
  const Provenance provenance =
      Provenance::Estimated("residual net migration (survival ratio, UN Manual VI)",
                            fmt::format("{}; inputs: {}, {}, {}", options.survival_type,
                                        options.pop0, options.pop1, options.survival));
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      std::vector<std::vector<std::string>> cells;
      for (const NetRow& row : rows) {
        cells.push_back({row.region, io::FormatNumber(row.age), io::FormatNumber(row.value)});
      }
      WriteCells(out.stream(), options.output, {"region", "age", "value"}, cells,
                 {provenance.ToString()});
      break;
    }
    case Format::kJson: {
      ordered_json values = ordered_json::array();
      for (const NetRow& row : rows) {
        values.push_back({{"region", row.region}, {"age", row.age}, {"value", row.value}});
      }
      ordered_json doc = {{"provenance", provenance.ToString()}, {"values", values}};
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      TextTable table({"region", "age", "net"});
      for (const NetRow& row : rows) {
        table.AddRow({row.region, io::FormatNumber(row.age), HumanNumber(row.value, 1)});
      }
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

// ---------------------------------------------------------------------------------------------
// estimate kz-od

struct KzOdOptions {
  int year = 2023;
  double decay = 1.0;
  double total = 350000;
  bool sensitivity = false;
  std::vector<double> decay_range = {0.5, 1.5};
  std::vector<double> total_range = {250000, 450000};
  std::string method = "ipf";
  OutputOptions output;
};

void RunKzOd(const Globals& globals, const KzOdOptions& options) {
  store::Store db = store::OpenWithBuiltin(globals.ResolvedDbPath(), BuiltinDataDir());
  const estimate::KzOdInputs inputs = estimate::KzOdInputsFromSeries(
      RegionSystem::Builtin("kz-2022"), db.LoadSeries("population_avg", "kz-2022"),
      db.LoadSeries("net_internal", "kz-2022"), options.year);
  estimate::KzOdAssumptions assumptions;
  assumptions.decay = options.decay;
  assumptions.total = options.total;
  assumptions.decay_low = options.decay_range[0];
  assumptions.decay_high = options.decay_range[1];
  assumptions.total_low = options.total_range[0];
  assumptions.total_high = options.total_range[1];
  assumptions.method =
      options.method == "entropy" ? estimate::NetMethod::kEntropy : estimate::NetMethod::kIpf;
  const estimate::KzOdEstimate od = estimate::EstimateKzOd(inputs, assumptions);
  FlowOutput what;
  what.flows = &od.central.fit.flows;
  if (options.sensitivity) {
    what.low = &od.low;
    what.high = &od.high;
  }
  what.provenance = od.provenance;
  what.metadata = {{"method", "kz-od"},
                   {"year", options.year},
                   {"decay", options.decay},
                   {"total", options.total},
                   {"iterations", od.central.fit.iterations},
                   {"max_margin_error", od.central.fit.max_net_error}};
  Note(globals, "the data identify only the regional nets; decay and total are assumptions");
  WriteFlowOutput(options.output, what);
}

// ---------------------------------------------------------------------------------------------

void Setup(CLI::App& app, Globals& globals) {
  auto* estimate = app.add_subcommand(
      "estimate", "Estimate origin-destination flows from stocks, margins or net totals");
  estimate->require_subcommand(1);

  {
    auto options = std::make_shared<StocksOptions>();
    auto* cmd = estimate->add_subcommand(
        "stocks",
        "Flows from two place-of-birth x residence stock tables (pob,por,stock); prints "
        "orig,dest,flow for every off-diagonal pair, places in the order first met in --stock1");
    cmd->add_option("--stock1", options->stock1, "Stocks at the start (pob,por,stock)")->required();
    cmd->add_option("--stock2", options->stock2, "Stocks at the end (pob,por,stock)")->required();
    cmd->add_option("--births", options->births,
                    "Births in the period by residence (region,value)");
    cmd->add_option("--deaths", options->deaths,
                    "Deaths in the period by residence (region,value)");
    cmd->add_option("--method", options->method,
                    "demo (demographic accounting), diff (stock differencing), rates, or pb "
                    "(pseudo-Bayes blend of demo towards independence, after Azose & Raftery "
                    "2019; not validated against their code)")
        ->check(CLI::IsMember({"demo", "diff", "rates", "pb"}))
        ->capture_default_str();
    cmd->add_option("--stayer-assumption", options->stayer,
                    "demo: hold stayers (min of the two stocks) fixed")
        ->check(CLI::IsMember({"true", "false"}))
        ->capture_default_str();
    cmd->add_option("--match-birthplace", options->match,
                    "demo: how birthplace totals are matched: rescale, open or open-dr")
        ->check(CLI::IsMember({"rescale", "open", "open-dr"}))
        ->capture_default_str();
    cmd->add_option("--diff-type", options->diff_type, "diff: zero or return")
        ->check(CLI::IsMember({"zero", "return"}))
        ->capture_default_str();
    cmd->add_option("--rates-type", options->rates_type, "rates: dennett or rogers-von-rabenau")
        ->check(CLI::IsMember({"dennett", "rogers-von-rabenau"}))
        ->capture_default_str();
    cmd->add_option("--total", options->total, "rates dennett: total number of migrants M");
    cmd->add_option("--seed", options->seed,
                    "demo: prior origin-destination structure (orig,dest,flow), honoured with and "
                    "without the stayer assumption");
    cmd->add_option("--tol", options->tol,
                    "demo: fit every IPF to this relative margin tolerance instead of migest's "
                    "rule (largest cell change < 0.001)");
    cmd->add_option("--pb-level", options->pb_level,
                    "pb: unit of shrinkage: row (birthplace x origin), birthplace or table")
        ->check(CLI::IsMember({"row", "birthplace", "table"}))
        ->capture_default_str();
    cmd->add_option("--pb-k", options->pb_k,
                    "pb: fixed K (weight on the prior K/(N+K)) instead of the BFH estimate")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--pb-weight", options->pb_weight,
                    "pb: fixed weight on the prior for every unit, in [0, 1]")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--pb-refit", options->pb_refit,
                    "pb: refit every birthplace slice to the start and end stocks by IPF")
        ->check(CLI::IsMember({"true", "false"}))
        ->capture_default_str();
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunStocks(globals, *options); });
  }
  {
    auto options = std::make_shared<IpfCliOptions>();
    auto* cmd = estimate->add_subcommand(
        "ipf",
        "Fit a table to row and column totals (2-D IPF); prints every cell, diagonal included");
    cmd->add_option("--seed", options->seed, "Seed table (orig,dest,flow); zeros stay zero")
        ->required();
    cmd->add_option("--row-totals", options->row_totals, "Row (origin) totals (region,value)")
        ->required();
    cmd->add_option("--col-totals", options->col_totals, "Column (destination) totals")->required();
    cmd->add_option("--tol", options->tol,
                    "Relative tolerance: every margin within tol * max(1, |target|)")
        ->capture_default_str();
    cmd->add_option("--max-iterations", options->max_iterations)->capture_default_str();
    cmd->add_flag("--rescale-margins", options->rescale_margins,
                  "Scale the column totals to the row totals' sum instead of failing");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunIpf(globals, *options); });
  }
  {
    auto options = std::make_shared<NetCliOptions>();
    auto* cmd = estimate->add_subcommand(
        "net", "Flows closest to a prior that reproduce net totals (value = in - out)");
    cmd->add_option("--prior", options->prior, "Prior flows (orig,dest,flow); diagonal ignored")
        ->required();
    cmd->add_option("--net", options->net, "Net migration by region (region,value = in - out)")
        ->required();
    cmd->add_option("--method", options->method, "ipf or entropy (same answer)")
        ->check(CLI::IsMember({"ipf", "entropy"}))
        ->capture_default_str();
    cmd->add_option("--tol", options->tol,
                    "Relative tolerance on every net, relative to the region's gross flows")
        ->capture_default_str();
    cmd->add_option("--max-iterations", options->max_iterations)->capture_default_str();
    cmd->add_flag("--rescale-net", options->rescale_net,
                  "Rescale nets that do not sum to zero (no-switches) instead of failing");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunNet(globals, *options); });
  }
  {
    auto options = std::make_shared<RescaleCliOptions>();
    auto* cmd = estimate->add_subcommand("rescale-net", "Rescale net migration to sum to zero");
    cmd->add_option("--net", options->net, "Net migration (region,value)")->required();
    cmd->add_option("--method", options->method,
                    "no-switches (scale positives and negatives, no sign changes) or switches "
                    "(subtract the mean)")
        ->check(CLI::IsMember({"no-switches", "switches"}))
        ->capture_default_str();
    cmd->add_flag("--integer", options->integer,
                  "Round to integers, residual on the largest value, sum stays zero");
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([options] { RunRescale(*options); });
  }
  {
    auto options = std::make_shared<ResidualCliOptions>();
    auto* cmd = estimate->add_subcommand(
        "residual",
        "Residual net migration. vital: --pop0 --pop1 --births --deaths (region,value) -> "
        "region,value = (P1 - P0) - (B - D). survival: --pop0 --pop1 (region,age,value; pop1 "
        "ages are the same age groups one period later) --survival (region,age,value survival "
        "ratio of the cohort aged `age` at the start; region 'all' for national ratios) -> "
        "region,age,value with age at the end of the period");
    cmd->add_option("--method", options->method, "vital or survival")
        ->check(CLI::IsMember({"vital", "survival"}))
        ->capture_default_str();
    cmd->add_option("--pop0", options->pop0, "Population at the start");
    cmd->add_option("--pop1", options->pop1, "Population at the end");
    cmd->add_option("--births", options->births, "vital: births in the period (region,value)");
    cmd->add_option("--deaths", options->deaths, "vital: deaths in the period (region,value)");
    cmd->add_option("--survival", options->survival, "survival: ratios (region,age,value)");
    cmd->add_option("--survival-type", options->survival_type,
                    "survival: forward N = P1(x+t) - s P0(x), reverse N = P1(x+t)/s - P0(x), or "
                    "average")
        ->check(CLI::IsMember({"forward", "reverse", "average"}))
        ->capture_default_str();
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([options] { RunResidual(*options); });
  }
  {
    auto options = std::make_shared<KzOdOptions>();
    auto* cmd = estimate->add_subcommand(
        "kz-od",
        "Estimated inter-regional OD matrix of Kazakhstan (kz-2022) from the built-in data: "
        "gravity prior constrained to the official regional nets (model-based)");
    cmd->add_option("--year", options->year, "Year of the nets and populations")
        ->capture_default_str();
    cmd->add_option("--decay", options->decay,
                    "Distance decay beta of the prior P_i P_j d^-beta (assumption)")
        ->capture_default_str();
    cmd->add_option("--total", options->total,
                    "Assumed gross inter-regional movers per year (Jan-Sep 2022: ~264,000, i.e. "
                    "~350,000 a year)")
        ->capture_default_str();
    cmd->add_flag("--sensitivity", options->sensitivity,
                  "Add flow_low,flow_high: cell-wise range over decay x total grids (low, "
                  "central, high)");
    cmd->add_option("--decay-range", options->decay_range, "LOW HIGH decay for --sensitivity")
        ->expected(2)
        ->capture_default_str();
    cmd->add_option("--total-range", options->total_range, "LOW HIGH total for --sensitivity")
        ->expected(2)
        ->capture_default_str();
    cmd->add_option("--method", options->method, "ipf or entropy")
        ->check(CLI::IsMember({"ipf", "entropy"}))
        ->capture_default_str();
    AddOutputOptions(cmd, options->output, true);
    cmd->callback([&globals, options] { RunKzOd(globals, *options); });
  }
}

const bool registered = RegisterCommand({"estimate", 50, &Setup});

}  // namespace
}  // namespace kazmig::cli

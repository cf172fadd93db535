#include "kazmig/app/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/io/model_table.h"

namespace kazmig::app {
namespace {

using io::ColumnKind;

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

models::VcovType ParseSe(const ModelRequest& request, std::string* name) {
  std::string se = request.se;
  if (se.empty()) se = request.cluster.empty() ? "iid" : "cluster";
  *name = se;
  if (se == "iid" || se == "hc1") {
    if (!request.cluster.empty()) {
      throw UsageError(fmt::format("--cluster goes with --se cluster, not --se {}", se));
    }
    return se == "iid" ? models::VcovType::kIid : models::VcovType::kHc1;
  }
  if (se == "cluster") return models::VcovType::kCluster;
  throw UsageError(fmt::format("--se must be iid, hc1 or cluster, not '{}'", se));
}

// The lines of the rows where a categorical column takes `code`, as "2-5, 9" (at most 5 ranges).
std::string LinesOf(const io::ModelTable& table, const std::vector<int32_t>& codes, int32_t code) {
  std::string out;
  int ranges = 0;
  size_t row = 0;
  while (row < codes.size()) {
    if (codes[row] != code) {
      ++row;
      continue;
    }
    size_t end = row;
    while (end + 1 < codes.size() && codes[end + 1] == code &&
           table.lines[end + 1] == table.lines[end] + 1) {
      ++end;
    }
    if (++ranges > 5) return out + ", ...";
    out += (out.empty() ? "" : ", ") +
           (end == row ? fmt::format("{}", table.lines[row])
                       : fmt::format("{}-{}", table.lines[row], table.lines[end]));
    row = end + 1;
  }
  return out;
}

ModelResult Run(const ModelRequest& request, bool ppml) {
  const char* model = ppml ? "ppml" : "ols";
  if (request.data.empty()) throw UsageError("--data is required");
  if (request.y.empty()) throw UsageError("--y is required");
  if (request.cluster.size() > 2) throw UsageError("--cluster takes one or two columns");
  if (!ppml && !request.offset.empty()) throw UsageError("--offset is for model ppml");
  ModelResult result;
  result.model = model;
  const models::VcovType vcov = ParseSe(request, &result.se_type);
  if (vcov == models::VcovType::kCluster && request.cluster.empty() && request.fe.empty()) {
    throw UsageError("--se cluster needs --cluster COLS (or a fixed effect to cluster by)");
  }
  std::vector<std::string> cluster = request.cluster;
  if (vcov == models::VcovType::kCluster && cluster.empty()) {
    cluster.push_back(request.fe.front());
    result.notes.push_back(
        fmt::format("standard errors clustered by the first fixed effect, '{}'", cluster[0]));
  }

  // Column requests: y, x..., offset, weights, fe..., cluster...
  std::vector<io::ModelColumnRequest> columns;
  columns.push_back({request.y, ColumnKind::kNumeric});
  for (const std::string& name : request.x) columns.push_back({name, ColumnKind::kNumeric});
  const size_t offset_at = columns.size();
  if (!request.offset.empty()) columns.push_back({request.offset, ColumnKind::kNumeric});
  const size_t weights_at = columns.size();
  if (!request.weights.empty()) columns.push_back({request.weights, ColumnKind::kNumeric});
  const size_t fe_at = columns.size();
  for (const std::string& name : request.fe) columns.push_back({name, ColumnKind::kCategorical});
  const size_t cluster_at = columns.size();
  for (const std::string& name : cluster) columns.push_back({name, ColumnKind::kCategorical});
  using Clock = std::chrono::steady_clock;
  const Clock::time_point read_start = Clock::now();
  const io::ModelTable table = io::ReadModelTable(request.data, columns, {}, request.threads);
  result.read_seconds = std::chrono::duration<double>(Clock::now() - read_start).count();
  const size_t n = table.rows();
  const Eigen::Index rows = static_cast<Eigen::Index>(n);

  models::FeProblem problem;
  const io::ModelColumn& y = table.columns[0];
  problem.y = Eigen::Map<const Eigen::VectorXd>(y.values.data(), rows);
  if (ppml) {
    for (size_t row = 0; row < n; ++row) {
      if (y.values[row] < 0) {
        throw InputError(table.source, table.lines[row], static_cast<long>(y.file_column),
                         fmt::format("column '{}': negative outcome {} (PPML needs y >= 0)", y.name,
                                     y.values[row]));
      }
    }
  }
  problem.x.resize(rows, static_cast<Eigen::Index>(request.x.size()));
  for (size_t col = 0; col < request.x.size(); ++col) {
    const io::ModelColumn& column = table.columns[1 + col];
    problem.x.col(static_cast<Eigen::Index>(col)) =
        Eigen::Map<const Eigen::VectorXd>(column.values.data(), rows);
    problem.x_names.push_back(column.name);
  }
  if (!request.offset.empty()) {
    problem.offset =
        Eigen::Map<const Eigen::VectorXd>(table.columns[offset_at].values.data(), rows);
  }
  if (!request.weights.empty()) {
    const io::ModelColumn& weights = table.columns[weights_at];
    for (size_t row = 0; row < n; ++row) {
      if (!(weights.values[row] > 0)) {
        throw InputError(table.source, table.lines[row], static_cast<long>(weights.file_column),
                         fmt::format("column '{}': weight {} is not positive", weights.name,
                                     weights.values[row]));
      }
    }
    problem.weights = Eigen::Map<const Eigen::VectorXd>(weights.values.data(), rows);
  }
  for (size_t dim = 0; dim < request.fe.size(); ++dim) {
    const io::ModelColumn& column = table.columns[fe_at + dim];
    if (column.levels.size() < 2) {
      throw InputError(
          table.source, table.lines.front(), static_cast<long>(column.file_column),
          fmt::format("fixed effect '{}' has one level ('{}') on every row (lines "
                      "{}): it is the constant, nothing varies within it",
                      column.name, column.levels.front(), LinesOf(table, column.codes, 0)));
    }
    problem.fe.names.push_back(column.name);
    problem.fe.codes.push_back(column.codes);
    problem.fe.levels.push_back(static_cast<int32_t>(column.levels.size()));
    result.fe_names.push_back(column.name);
  }
  for (size_t cl = 0; cl < cluster.size(); ++cl) {
    problem.clusters.push_back(table.columns[cluster_at + cl].codes);
    problem.cluster_names.push_back(table.columns[cluster_at + cl].name);
  }

  models::FeOptions options;
  options.vcov = vcov;
  options.threads = std::max(1, request.threads);
  options.recover_fixed_effects = request.fixef;
  options.drop_singletons = request.drop_singletons;
  options.detect_separation = request.detect_separation;
  if (request.max_iterations < 1) throw UsageError("--max-iterations must be at least 1");
  options.max_iterations = request.max_iterations;
  const Clock::time_point fit_start = Clock::now();
  result.fit = ppml ? models::FitPpml(problem, options) : models::FitOlsFe(problem, options);
  result.fit_seconds = std::chrono::duration<double>(Clock::now() - fit_start).count();
  const models::FeResult& fit = result.fit;

  if (!fit.collinear.empty()) {
    long column = 0;
    for (size_t col = 0; col < request.x.size(); ++col) {
      if (table.columns[1 + col].name == fit.collinear.front()) {
        column = static_cast<long>(table.columns[1 + col].file_column);
      }
    }
    std::string dropped;
    for (const models::DroppedReason& reason : fit.dropped_reasons) {
      dropped += fmt::format("; dropped {}: {}", reason.count, reason.reason);
    }
    throw InputError(
        table.source, 1, column,
        fmt::format("covariate{} {} perfectly collinear with the fixed effects or the other "
                    "covariates on the {} rows used (of {}{}): remove {}",
                    fit.collinear.size() > 1 ? "s" : "",
                    "'" + Joined(fit.collinear) + "'" + (fit.collinear.size() > 1 ? " are" : " is"),
                    fit.n_obs, n, dropped, fit.collinear.size() > 1 ? "them" : "it"));
  }
  for (const models::DroppedReason& reason : fit.dropped_reasons) {
    result.notes.push_back(fmt::format("dropped {} observation{}: {}", reason.count,
                                       reason.count == 1 ? "" : "s", reason.reason));
  }
  if (!fit.converged) {
    result.converged = false;
    result.failure =
        ppml ? fmt::format(
                   "model ppml did not converge after {} iterations (remaining relative "
                   "deviance change {:.3g}, tolerance 1e-08)",
                   fit.iterations, fit.relative_change)
             : fmt::format(
                   "model ols: the fixed-effect demeaning did not converge after {} "
                   "sweeps (remaining relative change {:.3g})",
                   fit.demean_iterations, fit.relative_change);
    return result;
  }

  // The coefficient table and the JSON document.
  const long long df = ppml ? 0 : fit.t_df;
  const double critical = models::CriticalValue(0.95, df);
  const std::string stat_name = ppml ? "z" : "t";
  result.table =
      ResultTable({"term", "estimate", "std_error", stat_name, "p", "ci_low", "ci_high"});
  Json coefficients = Json::object();
  Json std_errors = Json::object();
  Json vcov_json = Json::object();
  auto number = [](double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); };
  for (size_t coef = 0; coef < fit.names.size(); ++coef) {
    const auto idx = static_cast<Eigen::Index>(coef);
    const double estimate = fit.coefficients[idx];
    const double se = fit.std_errors[idx];
    const double stat = estimate / se;
    result.table.AddRow({Cell::Text(fit.names[coef]), Cell::Number(estimate), Cell::Number(se),
                         Cell::Number(stat), Cell::Number(models::TwoSidedPValue(stat, df)),
                         Cell::Number(estimate - critical * se),
                         Cell::Number(estimate + critical * se)});
    coefficients[fit.names[coef]] = number(estimate);
    std_errors[fit.names[coef]] = number(se);
    Json row = Json::object();
    for (size_t other = 0; other < fit.names.size(); ++other) {
      row[fit.names[other]] = number(fit.vcov(idx, static_cast<Eigen::Index>(other)));
    }
    vcov_json[fit.names[coef]] = row;
  }
  Json dropped = Json::object();
  for (const models::DroppedReason& reason : fit.dropped_reasons)
    dropped[reason.reason] = reason.count;
  Json& doc = result.document;
  doc["model"] = model;
  doc["coefficients"] = coefficients;
  doc["std_errors"] = std_errors;
  doc["vcov"] = vcov_json;
  doc["n_obs"] = fit.n_obs;
  doc["n_dropped"] = fit.n_dropped;
  doc["dropped_reasons"] = dropped;
  doc["iterations"] = fit.iterations;
  doc["deviance"] = number(fit.deviance);
  doc["converged"] = fit.converged;
  if (!ppml) {
    doc["r2"] = number(fit.r2);
    doc["r2_within"] = number(fit.r2_within);
  } else {
    doc["log_likelihood"] = number(fit.log_likelihood);
    doc["null_deviance"] = number(fit.null_deviance);
  }
  doc["se_type"] = result.se_type;
  doc["n_params"] = fit.n_params;
  if (!ppml) doc["t_df"] = fit.t_df;
  doc["fixed_effects"] = result.fe_names;
  Json method = Json::object();
  method["estimator"] = ppml ? "Poisson pseudo-maximum likelihood (IRLS over the fixed-effect "
                               "demeaning)"
                             : "OLS, within estimator (fixed effects projected out)";
  method["outcome"] = request.y;
  method["covariates"] = request.x;
  method["fixed_effects"] = result.fe_names;
  method["clusters"] = cluster;
  method["se"] = result.se_type;
  method["small_sample"] =
      "fixest ssc(adj = TRUE, fixef.K = 'nested', cluster.adj = TRUE, "
      "cluster.df = 'min')";
  method["demean_sweeps"] = fit.demean_iterations;
  doc["method"] = method;
  doc["provenance"] = fmt::format("estimated: {} of '{}' on {} ({} observations used)",
                                  ppml ? "PPML" : "OLS", request.y, request.data, fit.n_obs);

  if (request.fixef && !fit.fixed_effects.empty()) {
    result.fixef = ResultTable({"fe", "level", "estimate"});
    for (size_t dim = 0; dim < fit.fixed_effects.size(); ++dim) {
      const io::ModelColumn& column = table.columns[fe_at + dim];
      for (size_t level = 0; level < column.levels.size(); ++level) {
        result.fixef.AddRow(
            {Cell::Text(column.name), Cell::Text(column.levels[level]),
             Cell::Number(fit.fixed_effects[dim][static_cast<Eigen::Index>(level)])});
      }
    }
  }
  return result;
}

}  // namespace

ModelResult RunModelPpml(const ModelRequest& request) { return Run(request, true); }

ModelResult RunModelOls(const ModelRequest& request) { return Run(request, false); }

std::string EncodeModel(const ModelResult& result, Format format) {
  if (format == Format::kJson) return result.document.dump(2) + "\n";
  if (format == Format::kCsv) return result.table.Csv();
  // Text for people (docs/output.md): coefficients, standard errors, t and intervals to 4
  // significant digits, p-values to 3 decimals ("<0.001"), other numbers to 6 significant digits
  // (CSV and JSON keep every digit).
  ResultTable text(result.table.columns());
  for (const std::string& column : result.table.columns()) {
    if (column == "estimate" || column == "std_error" || column == "t" || column == "z" ||
        column == "ci_low" || column == "ci_high") {
      text.SetUnit(column, Unit::kCoefficient);
    } else if (column == "p") {
      text.SetUnit(column, Unit::kPValue);
    }
  }
  for (size_t row_idx = 0; row_idx < result.table.row_count(); ++row_idx) {
    std::vector<Cell> cells;
    for (const Cell& cell : result.table.row(row_idx)) {
      cells.push_back(cell.kind == Cell::Kind::kNumber
                          ? Cell::Number(cell.number, fmt::format("{:.6g}", cell.number))
                          : cell);
    }
    text.AddRow(std::move(cells));
  }
  return text.Text();
}

}  // namespace kazmig::app

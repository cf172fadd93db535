#include "kazmig/app/gravity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/io/model_table.h"

namespace kazmig::app {
namespace {

models::SpatialConstraint ParseConstraint(const std::string& name) {
  if (name == "none") return models::SpatialConstraint::kNone;
  if (name == "production") return models::SpatialConstraint::kProduction;
  if (name == "attraction") return models::SpatialConstraint::kAttraction;
  if (name == "doubly") return models::SpatialConstraint::kDoubly;
  throw UsageError("--constraint must be none, production, attraction or doubly, not '" + name +
                   "'");
}

models::CostForm ParseCost(const std::string& name) {
  if (name == "exp") return models::CostForm::kExponential;
  if (name == "pow") return models::CostForm::kPower;
  throw UsageError("--cost must be exp or pow, not '" + name + "'");
}

// The rows that break one rule in one column: the first is the error's location, up to ten more
// are listed by line, and the message gives the count.
class Problems {
 public:
  Problems(const io::ModelTable& table, const io::ModelColumn& column)
      : table_(table), column_(column) {}
  void Add(size_t row, const std::string& what) {
    if (count_++ == 0) {
      line_ = table_.lines[row];
      what_ = what;
    } else if (more_.size() < 10) {
      more_.push_back(table_.lines[row]);
    }
  }
  void ThrowIfAny() const {
    if (count_ == 0) return;
    std::string message = what_;
    if (count_ > 1) {
      std::string lines;
      for (long line : more_) lines += (lines.empty() ? "" : ", ") + std::to_string(line);
      message +=
          fmt::format("; {} rows in all (also line{} {}{})", count_, more_.size() > 1 ? "s" : "",
                      lines, count_ - 1 > more_.size() ? ", ..." : "");
    }
    throw InputError(table_.source, line_, static_cast<long>(column_.file_column), message);
  }

 private:
  const io::ModelTable& table_;
  const io::ModelColumn& column_;
  size_t count_ = 0;
  long line_ = 0;
  std::string what_;
  std::vector<long> more_;
};

// The levels of a categorical column in sorted order (as numpy.unique orders them, so that the
// reference level is spint's); the column's codes are renumbered in place to those positions and
// handed over in `codes` (the table of millions of flows is held once).
std::vector<std::string> SortedLevels(io::ModelColumn& column, std::vector<int32_t>& codes) {
  std::vector<size_t> order(column.levels.size());
  for (size_t level = 0; level < order.size(); ++level) order[level] = level;
  std::sort(order.begin(), order.end(),
            [&](size_t lhs, size_t rhs) { return column.levels[lhs] < column.levels[rhs]; });
  std::vector<int32_t> rank(order.size());
  std::vector<std::string> sorted(order.size());
  for (size_t position = 0; position < order.size(); ++position) {
    rank[order[position]] = static_cast<int32_t>(position);
    sorted[position] = column.levels[order[position]];
  }
  for (int32_t& code : column.codes) code = rank[static_cast<size_t>(code)];
  codes = std::move(column.codes);
  return sorted;
}

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

}  // namespace

GravityResult RunGravity(const GravityRequest& request) {
  const models::SpatialConstraint constraint = ParseConstraint(request.constraint);
  const models::CostForm cost_form = ParseCost(request.cost);
  if (request.cost_var.empty()) throw UsageError("--cost-var is required");
  const bool origin_effects = constraint == models::SpatialConstraint::kProduction ||
                              constraint == models::SpatialConstraint::kDoubly;
  const bool dest_effects = constraint == models::SpatialConstraint::kAttraction ||
                            constraint == models::SpatialConstraint::kDoubly;
  if (origin_effects && !request.origin_vars.empty()) {
    throw UsageError("--origin-vars cannot be used with --constraint " + request.constraint +
                     ": the origin effects absorb every origin attribute");
  }
  if (dest_effects && !request.dest_vars.empty()) {
    throw UsageError("--dest-vars cannot be used with --constraint " + request.constraint +
                     ": the destination effects absorb every destination attribute");
  }

  std::vector<io::ModelColumnRequest> columns = {{request.orig, io::ColumnKind::kCategorical},
                                                 {request.dest, io::ColumnKind::kCategorical},
                                                 {request.flow, io::ColumnKind::kNumeric},
                                                 {request.cost_var, io::ColumnKind::kNumeric}};
  for (const std::string& name : request.origin_vars) {
    columns.push_back({name, io::ColumnKind::kNumeric});
  }
  for (const std::string& name : request.dest_vars) {
    columns.push_back({name, io::ColumnKind::kNumeric});
  }
  io::ModelTable table = io::ReadModelTable(request.data, columns, {}, request.threads);
  const size_t n_rows = table.rows();

  // Values the model cannot take, located and counted by column.
  const io::ModelColumn& flow = table.columns[2];
  const io::ModelColumn& cost = table.columns[3];
  Problems negative_flow(table, flow), bad_cost(table, cost);
  const bool power = cost_form == models::CostForm::kPower;
  for (size_t row = 0; row < n_rows; ++row) {
    if (flow.values[row] < 0) {
      negative_flow.Add(
          row, fmt::format("{} is {}: flows must be >= 0", request.flow, flow.values[row]));
    }
    if (power && !(cost.values[row] > 0)) {
      bad_cost.Add(row, fmt::format("{} is {}: the pow cost takes its logarithm, so it must be > 0",
                                    request.cost_var, cost.values[row]));
    }
  }
  negative_flow.ThrowIfAny();
  bad_cost.ThrowIfAny();
  for (size_t col = 4; col < table.columns.size(); ++col) {
    const io::ModelColumn& column = table.columns[col];
    Problems not_positive(table, column);
    for (size_t row = 0; row < n_rows; ++row) {
      if (!(column.values[row] > 0)) {
        not_positive.Add(row, fmt::format("{} is {}: the model takes its logarithm, so it must be "
                                          "> 0",
                                          column.name, column.values[row]));
      }
    }
    not_positive.ThrowIfAny();
  }

  models::SpatialInteractionData data;
  const std::vector<std::string> orig_ids = SortedLevels(table.columns[0], data.orig);
  const std::vector<std::string> dest_ids = SortedLevels(table.columns[1], data.dest);
  data.n_orig = orig_ids.size();
  data.n_dest = dest_ids.size();
  data.flow = std::move(table.columns[2].values);
  data.cost = std::move(table.columns[3].values);
  for (size_t var_idx = 0; var_idx < request.origin_vars.size(); ++var_idx) {
    data.origin_vars.push_back(std::move(table.columns[4 + var_idx].values));
  }
  for (size_t var_idx = 0; var_idx < request.dest_vars.size(); ++var_idx) {
    data.dest_vars.push_back(
        std::move(table.columns[4 + request.origin_vars.size() + var_idx].values));
  }
  data.origin_var_names = request.origin_vars;
  data.dest_var_names = request.dest_vars;

  models::SpatialInteractionOptions options;
  options.constraint = constraint;
  options.cost_form = cost_form;
  options.spint_iteration = !request.converge;
  options.threads = request.threads;
  options.fitted = false;  // the command reports coefficients and statistics only
  GravityResult result;
  result.constraint = request.constraint;
  result.cost = request.cost;
  result.spint_iteration = options.spint_iteration;
  try {
    result.fit = models::FitSpatialInteraction(std::move(data), options);  // data not used after
  } catch (const InputError& error) {
    throw InputError(table.source, 0, 0, error.what());
  }
  const models::SpatialInteractionFit& fit = result.fit;
  result.terms.push_back({"intercept", fit.intercept, fit.intercept_se});
  if (request.fixef) {
    for (size_t level = 0; level < fit.origin_effects.size(); ++level) {
      result.terms.push_back(
          {"orig:" + orig_ids[level], fit.origin_effects[level], fit.origin_effect_se[level]});
    }
    for (size_t level = 0; level < fit.dest_effects.size(); ++level) {
      result.terms.push_back(
          {"dest:" + dest_ids[level], fit.dest_effects[level], fit.dest_effect_se[level]});
    }
  }
  for (size_t var_idx = 0; var_idx < fit.origin_coefs.size(); ++var_idx) {
    result.terms.push_back({"log_" + request.origin_vars[var_idx], fit.origin_coefs[var_idx],
                            fit.origin_coef_se[var_idx]});
  }
  for (size_t var_idx = 0; var_idx < fit.dest_coefs.size(); ++var_idx) {
    result.terms.push_back(
        {"log_" + request.dest_vars[var_idx], fit.dest_coefs[var_idx], fit.dest_coef_se[var_idx]});
  }
  result.terms.push_back({request.cost_var, fit.beta, fit.beta_se});
  if (fit.n_dropped > 0) {
    result.notes.push_back(fmt::format(
        "{} flows left out: their {} sends or receives nothing, so its effect is -infinity "
        "(fitted as 0)",
        fit.n_dropped,
        origin_effects && dest_effects ? "origin or destination"
        : origin_effects               ? "origin"
                                       : "destination"));
  }
  if (fit.solver == "balancing" && constraint == models::SpatialConstraint::kDoubly) {
    result.notes.push_back(
        "solved by Furness balancing (many regions): the intercept and the fixed effects have no "
        "standard errors");
  }
  return result;
}

Json GravityJson(const GravityResult& result) {
  const models::SpatialInteractionFit& fit = result.fit;
  Json coefficients = Json::object(), std_errors = Json::object();
  for (const GravityTerm& term : result.terms) {
    coefficients[term.name] = Number(term.estimate);
    std_errors[term.name] = Number(term.std_error);
  }
  Json document = {{"coefficients", coefficients},
                   {"std_errors", std_errors},
                   {"deviance", Number(fit.deviance)},
                   {"llf", Number(fit.llf)},
                   {"llnull", Number(fit.llnull)},
                   {"aic", Number(fit.aic)},
                   {"d2", Number(fit.d2)},
                   {"adj_d2", Number(fit.adj_d2)},
                   {"pseudo_r2", Number(fit.pseudo_r2)},
                   {"adj_pseudo_r2", Number(fit.adj_pseudo_r2)},
                   {"srmse", Number(fit.srmse)},
                   {"ssi", Number(fit.ssi)},
                   {"n_obs", fit.n_obs},
                   {"iterations", fit.iterations}};
  document["method"] = {{"model", "spatial interaction (Poisson, log link), spint's design"},
                        {"constraint", result.constraint},
                        {"cost", result.cost},
                        {"solver", fit.solver},
                        {"iteration", fit.solver == "glm" && result.spint_iteration
                                          ? "spint (IRLS until the smallest coefficient change "
                                            "< 1e-6)"
                                          : "converged"},
                        {"k", fit.k},
                        {"n_dropped", fit.n_dropped},
                        {"converged", fit.converged}};
  return document;
}

ResultTable GravityTable(const GravityResult& result) {
  const models::SpatialInteractionFit& fit = result.fit;
  ResultTable table({"term", "estimate", "std_error"});
  for (const GravityTerm& term : result.terms) {
    table.AddRow(
        {Cell::Text(term.name), Cell::Number(term.estimate), Cell::Number(term.std_error)});
  }
  const std::pair<const char*, double> statistics[] = {{"deviance", fit.deviance},
                                                       {"llf", fit.llf},
                                                       {"llnull", fit.llnull},
                                                       {"aic", fit.aic},
                                                       {"d2", fit.d2},
                                                       {"adj_d2", fit.adj_d2},
                                                       {"pseudo_r2", fit.pseudo_r2},
                                                       {"adj_pseudo_r2", fit.adj_pseudo_r2},
                                                       {"srmse", fit.srmse},
                                                       {"ssi", fit.ssi}};
  for (const auto& [name, value] : statistics) {
    table.AddRow({Cell::Text(name), Cell::Number(value), Cell::Missing()});
  }
  table.AddRow(
      {Cell::Text("n_obs"), Cell::Integer(static_cast<long long>(fit.n_obs)), Cell::Missing()});
  table.AddRow({Cell::Text("iterations"), Cell::Integer(fit.iterations), Cell::Missing()});
  return table;
}

std::string EncodeGravity(const GravityResult& result, Format format) {
  if (format == Format::kJson) return GravityJson(result).dump(2) + "\n";
  ResultTable table = GravityTable(result);
  if (format == Format::kTable) {
    // For people: 4 significant digits (counts such as n_obs stay whole); CSV keeps every digit.
    for (const std::string& column : table.columns()) {
      if (column != "term") table.SetUnit(column, Unit::kCoefficient);
    }
  }
  return table.Encode(format);
}

}  // namespace kazmig::app

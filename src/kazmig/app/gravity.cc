#include "kazmig/app/gravity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

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

// Rows that break one rule in one column: the first is the error's location, the others are
// listed by line.
struct Problem {
  size_t column = 0;
  long line = 0;
  std::string what;
  std::vector<long> more_lines;
  size_t count = 0;
};

class Problems {
 public:
  void Add(const io::CsvReader& csv, size_t column, const std::string& what) {
    ++count_;
    if (count_ == 1) {
      first_.column = column;
      first_.line = csv.line();
      first_.what = what;
    } else if (first_.more_lines.size() < 10) {
      first_.more_lines.push_back(csv.line());
    }
  }
  bool empty() const { return count_ == 0; }
  [[noreturn]] void Throw(const std::string& file) const {
    std::string message = first_.what;
    if (count_ > 1) {
      std::string lines;
      for (long line : first_.more_lines)
        lines += (lines.empty() ? "" : ", ") + std::to_string(line);
      message += fmt::format("; {} rows in all (also line{} {}{})", count_,
                             first_.more_lines.size() > 1 ? "s" : "", lines,
                             count_ - 1 > first_.more_lines.size() ? ", ..." : "");
    }
    throw InputError(file, first_.line, static_cast<long>(first_.column + 1), message);
  }

 private:
  Problem first_;
  size_t count_ = 0;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Codes labels as first met, then renumbers them in sorted order.
class LevelCoder {
 public:
  size_t Code(std::string_view label) {
    if (label == last_label_ && !codes_.empty()) return last_code_;
    auto found = codes_.find(label);
    if (found == codes_.end()) {
      found = codes_.emplace(std::string(label), labels_.size()).first;
      labels_.emplace_back(label);
    }
    last_label_ = found->first;
    last_code_ = found->second;
    return last_code_;
  }
  // Sorted labels and the map first-met code -> sorted code.
  std::vector<std::string> Finish(std::vector<size_t>& remap) const {
    std::vector<size_t> order(labels_.size());
    for (size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
    std::sort(order.begin(), order.end(),
              [&](size_t lhs, size_t rhs) { return labels_[lhs] < labels_[rhs]; });
    remap.assign(labels_.size(), 0);
    std::vector<std::string> sorted;
    for (size_t rank = 0; rank < order.size(); ++rank) {
      remap[order[rank]] = rank;
      sorted.push_back(labels_[order[rank]]);
    }
    return sorted;
  }

 private:
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> codes_;
  std::vector<std::string> labels_;
  std::string_view last_label_;
  size_t last_code_ = 0;
};

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

  io::CsvReader csv(request.data);
  const size_t orig_col = csv.Column(request.orig);
  const size_t dest_col = csv.Column(request.dest);
  const size_t flow_col = csv.Column(request.flow);
  const size_t cost_col = csv.Column(request.cost_var);
  std::vector<size_t> origin_cols, dest_cols;
  for (const std::string& name : request.origin_vars) origin_cols.push_back(csv.Column(name));
  for (const std::string& name : request.dest_vars) dest_cols.push_back(csv.Column(name));

  models::SpatialInteractionData data;
  data.origin_vars.resize(origin_cols.size());
  data.dest_vars.resize(dest_cols.size());
  data.origin_var_names = request.origin_vars;
  data.dest_var_names = request.dest_vars;
  LevelCoder orig_levels, dest_levels;
  Problems negative_flow, bad_cost;
  std::vector<Problems> bad_origin(origin_cols.size()), bad_dest(dest_cols.size());
  const bool power = cost_form == models::CostForm::kPower;
  while (csv.Next()) {
    data.orig.push_back(orig_levels.Code(csv.RequiredField(orig_col)));
    data.dest.push_back(dest_levels.Code(csv.RequiredField(dest_col)));
    const double flow = csv.Double(flow_col);
    if (flow < 0) {
      negative_flow.Add(csv, flow_col,
                        fmt::format("{} is {}: flows must be >= 0", request.flow, flow));
    }
    data.flow.push_back(flow);
    const double cost = csv.Double(cost_col);  // NaN, infinite or empty are errors here
    if (power && !(cost > 0)) {
      bad_cost.Add(csv, cost_col,
                   fmt::format("{} is {}: the pow cost takes its logarithm, so it must be > 0",
                               request.cost_var, cost));
    }
    data.cost.push_back(cost);
    for (size_t var_idx = 0; var_idx < origin_cols.size(); ++var_idx) {
      const double value = csv.Double(origin_cols[var_idx]);
      if (!(value > 0)) {
        bad_origin[var_idx].Add(csv, origin_cols[var_idx],
                                fmt::format("{} is {}: the model takes its logarithm, so it must "
                                            "be > 0",
                                            request.origin_vars[var_idx], value));
      }
      data.origin_vars[var_idx].push_back(value);
    }
    for (size_t var_idx = 0; var_idx < dest_cols.size(); ++var_idx) {
      const double value = csv.Double(dest_cols[var_idx]);
      if (!(value > 0)) {
        bad_dest[var_idx].Add(csv, dest_cols[var_idx],
                              fmt::format("{} is {}: the model takes its logarithm, so it must "
                                          "be > 0",
                                          request.dest_vars[var_idx], value));
      }
      data.dest_vars[var_idx].push_back(value);
    }
  }
  csv.RequireRecords();
  if (!negative_flow.empty()) negative_flow.Throw(csv.name());
  if (!bad_cost.empty()) bad_cost.Throw(csv.name());
  for (const Problems& problems : bad_origin) {
    if (!problems.empty()) problems.Throw(csv.name());
  }
  for (const Problems& problems : bad_dest) {
    if (!problems.empty()) problems.Throw(csv.name());
  }

  std::vector<size_t> orig_remap, dest_remap;
  const std::vector<std::string> orig_ids = orig_levels.Finish(orig_remap);
  const std::vector<std::string> dest_ids = dest_levels.Finish(dest_remap);
  for (size_t& code : data.orig) code = orig_remap[code];
  for (size_t& code : data.dest) code = dest_remap[code];
  data.n_orig = orig_ids.size();
  data.n_dest = dest_ids.size();

  models::SpatialInteractionOptions options;
  options.constraint = constraint;
  options.cost_form = cost_form;
  GravityResult result;
  result.constraint = request.constraint;
  result.cost = request.cost;
  try {
    result.fit = models::FitSpatialInteraction(data, options);
  } catch (const InputError& error) {
    throw InputError(csv.name(), 0, 0, error.what());
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
  return GravityTable(result).Encode(format);
}

}  // namespace kazmig::app

#include "kazmig/policy/effects.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/models/fe_regression.h"
#include "kazmig/models/inference.h"

namespace kazmig::policy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::string Number(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude >= 100) return fmt::format("{:.0f}", value);
  if (magnitude >= 10) return fmt::format("{:.1f}", value);
  return fmt::format("{:.2f}", value);
}

// The panel split into treated and control rows, checked.
struct Split {
  std::vector<Eigen::Index> treated;
  std::vector<Eigen::Index> control;
  Eigen::Index start_idx = 0;  // column of the first post period (may be 0 or periods.size())
};

Split SplitPanel(const Panel& panel, const EffectSpec& spec) {
  const auto n_units = static_cast<Eigen::Index>(panel.units.size());
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  if (panel.values.rows() != n_units || panel.values.cols() != n_periods) {
    throw ComputeError("internal: EstimateEffect: the panel's values do not match its units");
  }
  if (n_units == 0 || n_periods == 0) throw InputError("EstimateEffect: the panel is empty");
  for (Eigen::Index period_idx = 1; period_idx < n_periods; ++period_idx) {
    if (panel.periods[period_idx] != panel.periods[period_idx - 1] + 1) {
      throw InputError(fmt::format(
          "EstimateEffect: the periods are not consecutive: {} follows {} (a gap in the series)",
          PeriodLabel(panel, panel.periods[period_idx]),
          PeriodLabel(panel, panel.periods[period_idx - 1])));
    }
  }
  for (Eigen::Index unit_idx = 0; unit_idx < n_units; ++unit_idx) {
    for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
      if (!std::isfinite(panel.values(unit_idx, period_idx))) {
        throw InputError(fmt::format(
            "EstimateEffect: region {} has no value in {} (the panel must have no gaps)",
            panel.units[unit_idx], PeriodLabel(panel, panel.periods[period_idx])));
      }
    }
  }
  Split split;
  std::vector<bool> is_treated(panel.units.size(), false);
  for (const std::string& id : spec.treated) {
    const auto it = std::find(panel.units.begin(), panel.units.end(), id);
    if (it == panel.units.end()) {
      throw InputError(fmt::format("--treated: region '{}' is not in the panel (its regions: {})",
                                   id, JoinIds(panel.units)));
    }
    is_treated[it - panel.units.begin()] = true;
  }
  for (Eigen::Index unit_idx = 0; unit_idx < n_units; ++unit_idx) {
    (is_treated[unit_idx] ? split.treated : split.control).push_back(unit_idx);
  }
  split.start_idx = 0;
  while (split.start_idx < n_periods && panel.periods[split.start_idx] < spec.start) {
    ++split.start_idx;
  }
  return split;
}

std::vector<std::string> Ids(const Panel& panel, const std::vector<Eigen::Index>& rows) {
  std::vector<std::string> ids;
  for (Eigen::Index row : rows) ids.push_back(panel.units[row]);
  return ids;
}

// The unweighted mean over `rows` of each period.
Eigen::VectorXd MeanPath(const Panel& panel, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXd path = Eigen::VectorXd::Zero(panel.values.cols());
  for (Eigen::Index row : rows) path += panel.values.row(row).transpose();
  return path / static_cast<double>(rows.size());
}

void MarkNotComputed(EffectResult& result, std::string reason, ReasonCode code) {
  result.estimate = result.ci_low = result.ci_high = result.std_error = kNaN;
  result.credible = false;
  result.reason = std::move(reason);
  result.reasons = {std::move(code)};
}

// The common checks of the periods: returns the reason when the design cannot be computed (and
// its code in `code`).
std::string PeriodReason(const Panel& panel, const EffectSpec& spec, const Split& split,
                         ReasonCode& code) {
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  if (split.start_idx == 0) {
    code = {
        "no_pre", {}, {PeriodLabel(panel, spec.start), PeriodLabel(panel, panel.periods.front())}};
    return fmt::format(
        "the measure's first period {} is not after the first period of the series ({}): there "
        "is no pre-period to compare with",
        PeriodLabel(panel, spec.start), PeriodLabel(panel, panel.periods.front()));
  }
  if (split.start_idx == n_periods) {
    code = {
        "no_post", {}, {PeriodLabel(panel, spec.start), PeriodLabel(panel, panel.periods.back())}};
    return fmt::format(
        "the measure's first period {} is after the last period of the series ({}): there is no "
        "post-period to measure",
        PeriodLabel(panel, spec.start), PeriodLabel(panel, panel.periods.back()));
  }
  return {};
}

ReasonCode FewPreCode(int pre_periods) {
  return {"few_pre", {static_cast<double>(pre_periods)}, {}};
}

std::string FewPreReason(int pre_periods) {
  return fmt::format(
      "only {} pre-period{} (at least 3 are needed to see the trend before the measure)",
      pre_periods, pre_periods == 1 ? "" : "s");
}

void Interval(EffectResult& result, double df) {
  const double t = models::StudentTQuantile(0.975, df);
  result.ci_low = result.estimate - t * result.std_error;
  result.ci_high = result.estimate + t * result.std_error;
}

// ---------------------------------------------------------------------------------------------
// Interrupted time series.

void EstimateIts(const Panel& panel, const EffectSpec& spec, const Split& split,
                 EffectResult& result) {
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  const std::vector<Eigen::Index>& rows = split.treated.empty() ? split.control : split.treated;
  const Eigen::VectorXd y = MeanPath(panel, rows);
  result.observed.assign(y.data(), y.data() + y.size());
  const bool slope = result.post_periods >= 2;
  const bool seasonal = spec.seasonal && panel.periods_per_year > 1;
  const int n_season = seasonal ? panel.periods_per_year - 1 : 0;
  const Eigen::Index k = 3 + (slope ? 1 : 0) + n_season;  // with the intercept
  result.design =
      fmt::format("segmented OLS y = b0 + b1 (t - start) + b2 post{}{}, Newey–West standard errors",
                  slope ? " + b3 (t - start) post" : "", seasonal ? " + month dummies" : "");
  if (n_periods <= k) {
    MarkNotComputed(
        result,
        fmt::format("{} periods cannot fit the {} coefficients of the "
                    "segmented regression",
                    n_periods, k),
        {"its_underdetermined", {static_cast<double>(n_periods), static_cast<double>(k)}, {}});
    return;
  }
  // The intercept as one fixed effect with a single level (the within transformation then
  // subtracts the mean); it is recovered as mean(y) - mean(X) b.
  models::FeProblem problem;
  problem.y = y;
  problem.fe.names = {"constant"};
  problem.fe.codes = {std::vector<int32_t>(static_cast<size_t>(n_periods), 0)};
  problem.fe.levels = {1};
  problem.x.resize(n_periods, k - 1);
  problem.x_names = {"time", "post"};
  if (slope) problem.x_names.push_back("time_post");
  for (int season = 1; season <= n_season; ++season) {
    problem.x_names.push_back(fmt::format("season{}", season + 1));
  }
  for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
    const double tau = static_cast<double>(panel.periods[period_idx] - spec.start);
    const double post = period_idx >= split.start_idx ? 1.0 : 0.0;
    Eigen::Index col = 0;
    problem.x(period_idx, col++) = tau;
    problem.x(period_idx, col++) = post;
    if (slope) problem.x(period_idx, col++) = tau * post;
    if (seasonal) {
      const long position =
          ((panel.periods[period_idx] % panel.periods_per_year) + panel.periods_per_year) %
          panel.periods_per_year;
      for (int season = 1; season <= n_season; ++season) {
        problem.x(period_idx, col++) = position == season ? 1.0 : 0.0;
      }
    }
  }
  const models::FeResult fit = models::FitOlsFe(problem);
  if (!fit.collinear.empty()) {
    MarkNotComputed(
        result,
        fmt::format("the segmented regression is singular (collinear: {})", JoinIds(fit.collinear)),
        {"its_singular", {}, fit.collinear});
    return;
  }
  Eigen::MatrixXd design(n_periods, k);
  design.col(0).setOnes();
  design.rightCols(k - 1) = problem.x;
  Eigen::VectorXd b(k);  // (Intercept), time, post, ...
  b.tail(k - 1) = fit.coefficients;
  b[0] = y.mean() - problem.x.colwise().mean().dot(fit.coefficients);
  const Eigen::VectorXd residuals = y - design * b;
  result.newey_west_lag =
      spec.newey_west_lag >= 0 ? spec.newey_west_lag : models::NeweyWestLag(n_periods);
  const Eigen::MatrixXd vcov = models::NeweyWestVcov(design, residuals, result.newey_west_lag);
  result.estimate = b[2];
  result.std_error = std::sqrt(vcov(2, 2));
  Interval(result, static_cast<double>(n_periods - k));
  result.slope_change = slope ? b[3] : kNaN;
  result.slope_change_se = slope ? std::sqrt(vcov(3, 3)) : kNaN;
  result.counterfactual.resize(n_periods);
  for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
    double value = design(period_idx, 0) * b[0] + design(period_idx, 1) * b[1];
    for (Eigen::Index col = k - n_season; col < k; ++col) value += design(period_idx, col) * b[col];
    result.counterfactual[period_idx] = value;
  }
  result.design += fmt::format(" (lag {}), 95% interval from t with {} df", result.newey_west_lag,
                               n_periods - k);
  if (result.pre_periods < 3) {
    result.credible = false;
    result.reason = FewPreReason(result.pre_periods);
    result.reasons = {FewPreCode(result.pre_periods)};
  } else {
    result.credible = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Difference-in-differences and the event study.

models::FeProblem TwfeProblem(const Panel& panel) {
  const auto n_units = static_cast<Eigen::Index>(panel.units.size());
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  const Eigen::Index n = n_units * n_periods;
  models::FeProblem problem;
  problem.y.resize(n);
  std::vector<int32_t> unit_codes(n), period_codes(n);
  for (Eigen::Index unit_idx = 0; unit_idx < n_units; ++unit_idx) {
    for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
      const Eigen::Index obs = unit_idx * n_periods + period_idx;
      problem.y[obs] = panel.values(unit_idx, period_idx);
      unit_codes[obs] = static_cast<int32_t>(unit_idx);
      period_codes[obs] = static_cast<int32_t>(period_idx);
    }
  }
  problem.fe.names = {"region", "period"};
  problem.fe.codes = {unit_codes, period_codes};
  problem.fe.levels = {static_cast<int32_t>(n_units), static_cast<int32_t>(n_periods)};
  problem.clusters = {unit_codes};
  problem.cluster_names = {"region"};
  return problem;
}

// The joint test that the leads are zero, from the cluster-robust Wald statistic W with q
// restrictions and G clusters, with the Hotelling T^2 small-sample correction (Cameron & Miller
// 2015, section VII): F = W (G - q) / (q (G - 1)) ~ F(q, G - q). When q >= G - 1 only the q = G - 2
// leads nearest the start are tested. NaN without leads or with fewer than 3 clusters.
double PretrendP(const models::FeResult& event_fit, std::vector<int> leads, double clusters) {
  if (leads.empty() || clusters < 3) return kNaN;
  const auto max_q = static_cast<size_t>(clusters - 2);
  if (leads.size() > max_q) leads.erase(leads.begin(), leads.end() - static_cast<long>(max_q));
  const models::WaldTest wald =
      models::WaldZero(event_fit.coefficients, event_fit.vcov, leads, /*denominator_df=*/0);
  if (wald.restrictions == 0) return kNaN;
  const double q = wald.restrictions;
  const double f = wald.statistic * (clusters - q) / (q * (clusters - 1));
  return models::FUpperP(f, q, clusters - q);
}

void EstimateDid(const Panel& panel, const EffectSpec& spec, const Split& split,
                 EffectResult& result) {
  const auto n_units = static_cast<Eigen::Index>(panel.units.size());
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  result.design = "two-way fixed effects (region, period) OLS, standard errors clustered by region";
  if (split.treated.empty() || split.control.empty()) {
    MarkNotComputed(
        result,
        split.treated.empty()
            ? "a national measure: every region is affected, so no untreated region can show "
              "what would have happened without it (use --method its)"
            : "every region of the panel is treated: no untreated region to compare with (use "
              "--method its)",
        {split.treated.empty() ? "national_did" : "all_treated", {}, {}});
    return;
  }
  std::vector<bool> is_treated(n_units, false);
  for (Eigen::Index row : split.treated) is_treated[row] = true;
  const double clusters = static_cast<double>(n_units);
  const models::FeOptions options{.vcov = models::VcovType::kCluster};

  models::FeProblem problem = TwfeProblem(panel);
  problem.x.resize(n_units * n_periods, 1);
  problem.x_names = {"treated_post"};
  for (Eigen::Index unit_idx = 0; unit_idx < n_units; ++unit_idx) {
    for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
      problem.x(unit_idx * n_periods + period_idx, 0) =
          is_treated[unit_idx] && period_idx >= split.start_idx ? 1.0 : 0.0;
    }
  }
  const models::FeResult fit = models::FitOlsFe(problem, options);
  if (!fit.collinear.empty() || !std::isfinite(fit.coefficients[0])) {
    MarkNotComputed(result, "the treatment indicator is collinear with the fixed effects",
                    {"did_collinear", {}, {}});
    return;
  }
  result.estimate = fit.coefficients[0];
  result.std_error = fit.std_errors[0];
  Interval(result, clusters - 1);
  result.design +=
      fmt::format(" (CR1, {} clusters), 95% interval from t with {} df", n_units, n_units - 1);

  // Event study: one dummy per relative period but -1.
  std::vector<long> relatives;
  for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
    const long relative = static_cast<long>(period_idx - split.start_idx);
    if (relative != -1) relatives.push_back(relative);
  }
  models::FeProblem event = TwfeProblem(panel);
  event.x = Eigen::MatrixXd::Zero(n_units * n_periods, static_cast<Eigen::Index>(relatives.size()));
  for (size_t col = 0; col < relatives.size(); ++col) {
    event.x_names.push_back(fmt::format("rel{}", relatives[col]));
    const Eigen::Index period_idx = split.start_idx + relatives[col];
    for (Eigen::Index row : split.treated) event.x(row * n_periods + period_idx, col) = 1.0;
  }
  const models::FeResult event_fit = models::FitOlsFe(event, options);
  const double t = models::StudentTQuantile(0.975, clusters - 1);
  std::vector<int> leads;
  for (size_t col = 0; col < relatives.size(); ++col) {
    const double estimate = event_fit.coefficients[static_cast<Eigen::Index>(col)];
    const double se = event_fit.std_errors[static_cast<Eigen::Index>(col)];
    result.event_study.push_back(
        {relatives[col], estimate, se, estimate - t * se, estimate + t * se});
    if (relatives[col] <= -2 && std::isfinite(estimate)) leads.push_back(static_cast<int>(col));
    if (relatives[col] == -2) {
      result.event_study.push_back({-1, 0, 0, 0, 0});  // the reference period
    }
  }
  if (split.start_idx == 1) result.event_study.insert(result.event_study.begin(), {-1, 0, 0, 0, 0});
  result.pretrend_p = PretrendP(event_fit, leads, clusters);

  // Counterfactual: the control mean shifted by the mean pre-period gap.
  const Eigen::VectorXd treated_path = MeanPath(panel, split.treated);
  const Eigen::VectorXd control_path = MeanPath(panel, split.control);
  const double pre_gap =
      (treated_path.head(split.start_idx) - control_path.head(split.start_idx)).mean();
  result.observed.assign(treated_path.data(), treated_path.data() + treated_path.size());
  result.counterfactual.resize(n_periods);
  for (Eigen::Index period_idx = 0; period_idx < n_periods; ++period_idx) {
    result.counterfactual[period_idx] = control_path[period_idx] + pre_gap;
  }

  if (result.pre_periods < 3) {
    result.credible = false;
    result.reason = FewPreReason(result.pre_periods);
    result.reasons = {FewPreCode(result.pre_periods)};
  } else if (std::isfinite(result.pretrend_p) && result.pretrend_p < spec.pretrend_alpha) {
    result.credible = false;
    result.reason = fmt::format(
        "failed pre-trend test: before the measure the treated and untreated regions already "
        "moved differently (joint test of the leads p = {:.3f} < {})",
        result.pretrend_p, spec.pretrend_alpha);
    result.reasons = {{"pretrend", {result.pretrend_p, spec.pretrend_alpha}, {}}};
  } else {
    result.credible = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic control.

struct SynthPath {
  Eigen::VectorXd weights;
  Eigen::VectorXd gap;  // per period: treated - synthetic
  double rmspe_pre = 0;
  double rmspe_post = 0;
  int iterations = 0;
  bool converged = false;
  double last_change = 0;
};

SynthPath FitSynth(const Eigen::VectorXd& treated, const Eigen::MatrixXd& donors,
                   Eigen::Index start_idx) {
  // donors: periods x J.
  SynthPath path;
  const SimplexFit fit = SimplexLeastSquares(donors.topRows(start_idx), treated.head(start_idx));
  path.weights = fit.weights;
  path.iterations = fit.iterations;
  path.converged = fit.converged;
  path.last_change = fit.last_change;
  path.gap = treated - donors * fit.weights;
  const Eigen::Index post = treated.size() - start_idx;
  path.rmspe_pre = std::sqrt(path.gap.head(start_idx).squaredNorm() / start_idx);
  path.rmspe_post = std::sqrt(path.gap.tail(post).squaredNorm() / post);
  return path;
}

double Ratio(const SynthPath& path) {
  if (path.rmspe_pre > 0) return path.rmspe_post / path.rmspe_pre;
  return path.rmspe_post > 0 ? std::numeric_limits<double>::infinity() : 0;
}

void EstimateSynth(const Panel& panel, const EffectSpec& spec, const Split& split,
                   EffectResult& result) {
  const auto n_periods = static_cast<Eigen::Index>(panel.periods.size());
  result.design =
      "synthetic control: donor weights >= 0 summing to 1 fitted on the pre-period outcomes "
      "(active-set constrained least squares); placebo-in-space inference; the interval "
      "is approximate (estimate ± t times the standard deviation of the donors' placebo effects)";
  if (split.treated.empty()) {
    MarkNotComputed(result,
                    "a national measure: every region is affected, so there is no donor region "
                    "to build a synthetic control from (use --method its)",
                    {"national_synth", {}, {}});
    return;
  }
  const auto n_donors = static_cast<Eigen::Index>(split.control.size());
  if (n_donors < 2) {
    MarkNotComputed(result,
                    fmt::format("{} untreated region{}: a synthetic control needs at "
                                "least 2 donors",
                                n_donors, n_donors == 1 ? "" : "s"),
                    {"few_donors", {static_cast<double>(n_donors)}, {}});
    return;
  }
  const Eigen::VectorXd treated = MeanPath(panel, split.treated);
  Eigen::MatrixXd donors(n_periods, n_donors);
  for (Eigen::Index donor_idx = 0; donor_idx < n_donors; ++donor_idx) {
    donors.col(donor_idx) = panel.values.row(split.control[donor_idx]).transpose();
  }
  if (split.treated.size() > 1) {
    result.design +=
        fmt::format(" (the {} treated regions averaged into one unit)", split.treated.size());
  }
  const SynthPath main = FitSynth(treated, donors, split.start_idx);
  if (!main.converged) {
    throw ComputeError(fmt::format(
        "synthetic control weights did not converge after {} iterations (last change {:.3g})",
        main.iterations, main.last_change));
  }
  result.synth_iterations = main.iterations;
  for (Eigen::Index donor_idx = 0; donor_idx < n_donors; ++donor_idx) {
    if (main.weights[donor_idx] > 1e-6) {
      result.weights.emplace_back(panel.units[split.control[donor_idx]], main.weights[donor_idx]);
    }
  }
  std::stable_sort(result.weights.begin(), result.weights.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const Eigen::Index post = n_periods - split.start_idx;
  result.estimate = main.gap.tail(post).mean();
  result.rmspe_pre = main.rmspe_pre;
  result.rmspe_post = main.rmspe_post;
  result.rmspe_ratio = Ratio(main);
  result.observed.assign(treated.data(), treated.data() + treated.size());
  const Eigen::VectorXd synthetic = donors * main.weights;
  result.counterfactual.assign(synthetic.data(), synthetic.data() + synthetic.size());

  // Placebos in space: each donor against the other donors.
  std::vector<double> placebo_effects;
  int at_least_as_extreme = 0;
  for (Eigen::Index donor_idx = 0; donor_idx < n_donors; ++donor_idx) {
    Eigen::MatrixXd others(n_periods, n_donors - 1);
    for (Eigen::Index other = 0, col = 0; other < n_donors; ++other) {
      if (other != donor_idx) others.col(col++) = donors.col(other);
    }
    const SynthPath placebo = FitSynth(donors.col(donor_idx), others, split.start_idx);
    if (!placebo.converged) {
      throw ComputeError(fmt::format(
          "placebo synthetic control for {} did not converge after {} iterations (last change "
          "{:.3g})",
          panel.units[split.control[donor_idx]], placebo.iterations, placebo.last_change));
    }
    const double ratio = Ratio(placebo);
    result.placebo_ratios.emplace_back(panel.units[split.control[donor_idx]], ratio);
    if (ratio >= result.rmspe_ratio) ++at_least_as_extreme;
    placebo_effects.push_back(placebo.gap.tail(post).mean());
  }
  result.placebo_p = (1.0 + at_least_as_extreme) / (1.0 + static_cast<double>(n_donors));
  const double mean =
      std::accumulate(placebo_effects.begin(), placebo_effects.end(), 0.0) / n_donors;
  double ss = 0;
  for (double effect : placebo_effects) ss += (effect - mean) * (effect - mean);
  result.std_error = std::sqrt(ss / static_cast<double>(n_donors - 1));
  Interval(result, static_cast<double>(n_donors - 1));

  const Eigen::VectorXd pre = treated.head(split.start_idx);
  const double sd =
      split.start_idx > 1
          ? std::sqrt((pre.array() - pre.mean()).square().sum() / (split.start_idx - 1.0))
          : 0.0;
  if (result.pre_periods < 3) {
    result.credible = false;
    result.reason = FewPreReason(result.pre_periods);
    result.reasons = {FewPreCode(result.pre_periods)};
  } else if (result.rmspe_pre > spec.fit_ratio * sd + 1e-9 * (1 + std::fabs(pre.mean()))) {
    result.credible = false;
    result.reason = fmt::format(
        "poor pre-period fit: the synthetic control misses the treated series by {} on average "
        "(RMSPE) before the measure, more than {} of its year-to-year spread ({}); no mix of "
        "the untreated regions reproduces it",
        Number(result.rmspe_pre), spec.fit_ratio, Number(sd));
    result.reasons = {{"poor_fit", {result.rmspe_pre, spec.fit_ratio, sd}, {}}};
  } else {
    result.credible = true;
  }
}

std::string TreatedPhrase(const Panel& panel, const EffectResult& result) {
  if (result.method == Method::kIts && result.treated.empty()) {
    if (panel.units.size() != 1) return "across the regions";
    return panel.units.front() == "KZ" ? std::string("in Kazakhstan")
                                       : fmt::format("in {}", panel.units.front());
  }
  if (result.treated.size() == 1) return fmt::format("in {}", result.treated.front());
  return fmt::format("in the {} affected regions", result.treated.size());
}

std::string Comparison(Method method) {
  switch (method) {
    case Method::kIts:
      return "than the trend before the measure would suggest";
    case Method::kDid:
      return "than in the unaffected regions, relative to before the measure";
    case Method::kSynth:
      return "than in a weighted mix of unaffected regions that tracked it before the measure";
  }
  return {};
}

std::string Message(const Panel& panel, const EffectSpec& spec, const EffectResult& result) {
  const std::string what = panel.outcome.empty() ? "the outcome" : panel.outcome;
  const std::string unit = panel.unit.empty() ? "" : " " + panel.unit;
  if (!std::isfinite(result.estimate)) {
    return fmt::format("No estimate: {}.", result.reason);
  }
  const std::string direction = result.estimate >= 0 ? "higher" : "lower";
  std::string sentence = fmt::format(
      "From {} on, {} {} was {}{} {} {} (95% interval {} to {}).", PeriodLabel(panel, spec.start),
      what, TreatedPhrase(panel, result), Number(std::fabs(result.estimate)), unit, direction,
      Comparison(result.method), Number(result.ci_low), Number(result.ci_high));
  const bool excludes_zero = result.ci_low > 0 || result.ci_high < 0;
  if (result.credible) {
    sentence += excludes_zero ? " The interval excludes zero: the change is unlikely to be chance."
                              : " The interval includes zero: the data cannot tell the change "
                                "from chance.";
  } else {
    sentence += fmt::format(
        " This is not credible evidence of an effect: {}; read the number as a description, not "
        "as the measure's effect.",
        result.reason);
  }
  return sentence;
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kIts:
      return "its";
    case Method::kDid:
      return "did";
    case Method::kSynth:
      return "synth";
  }
  return "its";
}

Method ParseMethod(std::string_view name) {
  if (name == "its") return Method::kIts;
  if (name == "did") return Method::kDid;
  if (name == "synth") return Method::kSynth;
  throw UsageError(fmt::format("unknown method '{}' (its, did or synth)", name));
}

std::string PeriodLabel(const Panel& panel, long period) {
  if (panel.periods_per_year == 12) {
    const long year = period >= 0 ? period / 12 : (period - 11) / 12;
    return fmt::format("{}-{:02d}", year, period - year * 12 + 1);
  }
  return fmt::format("{}", period);
}

EffectResult EstimateEffect(const Panel& panel, const EffectSpec& spec) {
  if (panel.periods_per_year != 1 && panel.periods_per_year != 12) {
    throw UsageError(fmt::format("EstimateEffect: {} periods a year (1 or 12 are supported)",
                                 panel.periods_per_year));
  }
  if (spec.newey_west_lag < -1) throw UsageError("--lag must be 0 or more");
  const Split split = SplitPanel(panel, spec);
  EffectResult result;
  result.method = spec.method;
  result.pretrend_p = kNaN;
  result.placebo_p = kNaN;
  result.treated = Ids(panel, split.treated);
  result.control = Ids(panel, split.control);
  result.pre_periods = static_cast<int>(split.start_idx);
  result.post_periods = static_cast<int>(panel.periods.size()) - result.pre_periods;
  result.periods = panel.periods;
  if (spec.method == Method::kIts) {
    // ITS compares a series with its own past: the other regions are not a control.
    if (split.treated.empty()) result.control.clear();
  }
  ReasonCode period_code;
  const std::string period_reason = PeriodReason(panel, spec, split, period_code);
  if (!period_reason.empty()) {
    MarkNotComputed(result, period_reason, period_code);
  } else {
    switch (spec.method) {
      case Method::kIts:
        EstimateIts(panel, spec, split, result);
        break;
      case Method::kDid:
        EstimateDid(panel, spec, split, result);
        break;
      case Method::kSynth:
        EstimateSynth(panel, spec, split, result);
        break;
    }
  }
  if (spec.method == Method::kIts && !split.treated.empty()) result.control.clear();
  if (result.pre_periods > 0 && result.pre_periods < 3 && result.reason.rfind("only", 0) != 0) {
    result.reason = FewPreReason(result.pre_periods) + "; " + result.reason;
    result.reasons.insert(result.reasons.begin(), FewPreCode(result.pre_periods));
  }
  result.message = Message(panel, spec, result);
  return result;
}

Eigen::VectorXd ProjectOntoSimplex(const Eigen::VectorXd& v) {
  const Eigen::Index n = v.size();
  std::vector<double> sorted(v.data(), v.data() + n);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  double cumulative = 0, theta = 0;
  for (Eigen::Index idx = 0; idx < n; ++idx) {
    cumulative += sorted[idx];
    const double candidate = (cumulative - 1) / static_cast<double>(idx + 1);
    if (sorted[idx] - candidate > 0) theta = candidate;
  }
  return (v.array() - theta).max(0.0).matrix();
}

SimplexFit SimplexLeastSquares(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, double tolerance,
                               int max_iterations) {
  const Eigen::Index n = a.cols();
  if (n == 0 || a.rows() != b.size()) {
    throw ComputeError("internal: SimplexLeastSquares: empty design or sizes that disagree");
  }
  const Eigen::MatrixXd gram = a.transpose() * a;
  const Eigen::VectorXd atb = a.transpose() * b;
  const double scale = std::max(1.0, gram.diagonal().maxCoeff());
  SimplexFit fit;
  // Start at the best single column (a vertex of the simplex).
  Eigen::Index best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (Eigen::Index col = 0; col < n; ++col) {
    const double value = (a.col(col) - b).squaredNorm();
    if (value < best_value) {
      best_value = value;
      best = col;
    }
  }
  Eigen::VectorXd w = Eigen::VectorXd::Zero(n);
  w[best] = 1;
  std::vector<bool> free(static_cast<size_t>(n), false);
  free[best] = true;
  // The equality-constrained least squares on the free set: the KKT system
  // [G_FF 1; 1' 0] [z; mu] = [c_F; 1], solved by a complete orthogonal decomposition (minimum
  // norm when donors are collinear).
  auto solve_free = [&](const std::vector<Eigen::Index>& cols) {
    const auto m = static_cast<Eigen::Index>(cols.size());
    Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(m + 1, m + 1);
    Eigen::VectorXd rhs(m + 1);
    for (Eigen::Index r = 0; r < m; ++r) {
      for (Eigen::Index c = 0; c < m; ++c) kkt(r, c) = gram(cols[r], cols[c]);
      kkt(r, m) = kkt(m, r) = scale;
      rhs[r] = atb[cols[r]];
    }
    rhs[m] = scale;
    return Eigen::VectorXd(kkt.completeOrthogonalDecomposition().solve(rhs).head(m));
  };
  for (int iter = 1; iter <= max_iterations; ++iter) {
    fit.iterations = iter;
    // Optimality: the gradient g = G w - c is equal (= -mu) on the free set and not below it
    // elsewhere.
    const Eigen::VectorXd gradient = gram * w - atb;
    double level = 0;
    int n_free = 0;
    for (Eigen::Index col = 0; col < n; ++col) {
      if (free[col]) {
        level += gradient[col];
        ++n_free;
      }
    }
    level /= n_free;
    Eigen::Index entering = -1;
    double most_negative = -tolerance * scale;
    for (Eigen::Index col = 0; col < n; ++col) {
      if (!free[col] && gradient[col] - level < most_negative) {
        most_negative = gradient[col] - level;
        entering = col;
      }
    }
    if (entering < 0) {
      fit.converged = true;
      break;
    }
    free[entering] = true;
    // Inner loop: move towards the free-set solution, dropping columns that reach zero.
    for (Eigen::Index inner = 0; inner <= n; ++inner) {
      std::vector<Eigen::Index> cols;
      for (Eigen::Index col = 0; col < n; ++col) {
        if (free[col]) cols.push_back(col);
      }
      const Eigen::VectorXd z = solve_free(cols);
      double alpha = 1;
      Eigen::Index leaving = -1;
      for (size_t idx = 0; idx < cols.size(); ++idx) {
        if (z[static_cast<Eigen::Index>(idx)] <= 0) {
          const double current = w[cols[idx]];
          const double step = current / (current - z[static_cast<Eigen::Index>(idx)]);
          if (step < alpha) {
            alpha = step;
            leaving = cols[idx];
          }
        }
      }
      Eigen::VectorXd next = w;
      for (size_t idx = 0; idx < cols.size(); ++idx) {
        next[cols[idx]] = w[cols[idx]] + alpha * (z[static_cast<Eigen::Index>(idx)] - w[cols[idx]]);
      }
      fit.last_change = (next - w).cwiseAbs().maxCoeff();
      w = next;
      if (leaving < 0) break;
      for (Eigen::Index col : cols) {
        if (w[col] <= 1e-15) {
          w[col] = 0;
          free[col] = false;
        }
      }
      free[leaving] = false;
      w[leaving] = 0;
    }
    w = w.cwiseMax(0.0);
    w /= w.sum();
  }
  fit.weights = w;
  return fit;
}

}  // namespace kazmig::policy

// The measured effect of a policy measure on a region × period panel, by the three standard
// quasi-experimental designs of policy evaluation, each with its diagnostics and a verdict on
// whether the design is credible here.
//
//   policy::Panel panel;                       // units x periods (years, or months)
//   panel.units = {"11", "15", ...};
//   panel.periods = {2000, ..., 2022};         // consecutive
//   panel.values = ...;                        // units x periods, no gaps
//   policy::EffectSpec spec;
//   spec.method = policy::Method::kDid;
//   spec.start = 2017;                         // the first period under the measure
//   spec.treated = {"11", "39"};
//   policy::EffectResult r = policy::EstimateEffect(panel, spec);
//   if (!r.credible) { ... r.reason ... }      // the estimate is then evidence of nothing
//
// Designs (the regressions run on the models module's engine: models::FitOlsFe):
// - Interrupted time series (ITS; Wagner et al. 2002, Bernal, Cummins & Gasparrini 2017): the
//   series y_t (one unit, or the unweighted mean of the treated units; all units when none is
//   treated) is fitted by segmented OLS
//     y_t = b0 + b1 tau_t + b2 D_t + b3 tau_t D_t [+ month dummies] + e_t,
//   tau_t = t - start (in periods), D_t = 1{t >= start}. The effect is the level change b2 at
//   the start; b3 (the slope change) is reported beside it. Standard errors are Newey–West HAC
//   (models/inference.h) with the lag floor(4 (T/100)^(2/9)) unless one is given; the interval
//   uses Student t with T - k degrees of freedom. Monthly panels (periods_per_year = 12) get 11
//   month dummies when `seasonal`. No control group: no pre-trend or placebo test.
// - Difference-in-differences (DiD): two-way fixed effects on the panel,
//     y_it = a_i + g_t + beta D_it + e_it,  D_it = 1{i treated, t >= start},
//   standard errors clustered by unit (CR1, as fixest), interval from t with G - 1 degrees of
//   freedom. The event study refits with one dummy per period relative to the start (all but
//   -1, the reference) for the treated units; the pre-trend test is the joint Wald F test that
//   the leads (relative periods <= -2) are zero, F(q, G - 1). Needs untreated units.
// - Synthetic control (Abadie, Diamond & Hainmueller 2010) for one treated unit (several treated
//   units are averaged into one): weights w >= 0, sum w = 1 over the untreated units (donors)
//   minimising the pre-period squared gap ||y1 - Y0 w||^2, solved by SimplexLeastSquares (an
//   active-set method). The
//   effect is the mean post-period gap y1 - Y0 w. Placebo in space: each donor in turn is the
//   treated unit with the other donors as its pool; RMSPE ratio = post RMSPE / pre RMSPE;
//   placebo_p = (1 + #{donors with ratio >= the treated's}) / (1 + donors). The standard error
//   is the standard deviation of the donors' placebo effects and the interval estimate ± t_{J-1}
//   times it: an approximate, placebo-based interval (stated in `design`).
//
// Credibility (the `reason` when false): fewer than 3 pre-periods; no post-period; a national
// measure (no untreated unit) for DiD and synthetic control ("use its"); DiD pre-trend test
// p < 0.05; synthetic control pre-period RMSPE above half the standard deviation of the treated
// unit's pre-period values (poor fit). When a design cannot be computed at all, the estimate and
// its interval are NaN.
#ifndef KAZMIG_POLICY_EFFECTS_H_
#define KAZMIG_POLICY_EFFECTS_H_

#include <Eigen/Dense>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kazmig::policy {

enum class Method { kIts, kDid, kSynth };
// "its", "did", "synth".
std::string_view MethodName(Method method);
// Parses a method name; throws UsageError naming the choices.
Method ParseMethod(std::string_view name);

// A balanced region × period panel.
struct Panel {
  std::string outcome;             // what the values are ("residual net migration rate")
  std::string unit;                // "per 1,000 population", "persons", ...
  std::vector<std::string> units;  // region ids
  std::vector<long> periods;       // consecutive integers: years, or year * 12 + month - 1
  int periods_per_year = 1;        // 1 (annual) or 12 (monthly)
  Eigen::MatrixXd values;          // units x periods; no NaN
};

// The label of a period ("2017", or "2017-03" for monthly panels).
std::string PeriodLabel(const Panel& panel, long period);

struct EffectSpec {
  Method method = Method::kIts;
  long start = 0;                    // the first period under the measure
  std::vector<std::string> treated;  // unit ids; empty: the measure is national
  int newey_west_lag = -1;           // ITS: -1 = the rule of thumb (models::NeweyWestLag)
  bool seasonal = true;              // ITS on monthly panels: month dummies
  double pretrend_alpha = 0.05;      // DiD: pre-trend test level
  double fit_ratio = 0.5;            // synth: pre-RMSPE / SD(pre values) allowed
};

// One event-study coefficient: the treated-minus-control difference `relative` periods after
// the start (relative -1 is the reference, 0 by construction).
struct EventCoefficient {
  long relative = 0;
  double estimate = 0;
  double std_error = 0;
  double ci_low = 0;
  double ci_high = 0;
};

// Why a design is not credible, as data (the report phrases it in its language): `code` and its
// values, in the order of the English `reason`:
//   few_pre {pre_periods}             no_pre {start, first} (labels)
//   no_post {start, last} (labels)    its_underdetermined {periods, coefficients}
//   its_singular {} (labels: the collinear terms)
//   national_did {}   national_synth {}   all_treated {}   did_collinear {}
//   few_donors {donors}   pretrend {p, alpha}   poor_fit {rmspe_pre, fit_ratio, sd_pre}
struct ReasonCode {
  std::string code;
  std::vector<double> numbers;
  std::vector<std::string> labels;
};

struct EffectResult {
  Method method = Method::kIts;
  double estimate = 0;
  double ci_low = 0;
  double ci_high = 0;
  double std_error = 0;
  int pre_periods = 0;
  int post_periods = 0;
  std::vector<std::string> treated;
  std::vector<std::string> control;
  double pretrend_p = std::numeric_limits<double>::quiet_NaN();  // NaN: no pre-trend test
  double placebo_p = std::numeric_limits<double>::quiet_NaN();   // NaN: no placebo test
  bool credible = false;
  std::string reason;               // why not credible ("" when credible)
  std::vector<ReasonCode> reasons;  // the same as data (empty when credible)
  std::string design;               // the model, in one line
  std::string message;              // a sentence a policy reader understands
  // ITS.
  double slope_change = 0;
  double slope_change_se = 0;
  int newey_west_lag = 0;
  // DiD.
  std::vector<EventCoefficient> event_study;
  // Synthetic control.
  std::vector<std::pair<std::string, double>> weights;  // donor -> weight (> 0 only), by weight
  double rmspe_pre = 0;
  double rmspe_post = 0;
  double rmspe_ratio = 0;
  std::vector<std::pair<std::string, double>> placebo_ratios;  // donor -> its RMSPE ratio
  int synth_iterations = 0;
  // Every design: the observed path of the (mean) treated unit and its counterfactual (the
  // pre-trend extrapolated for ITS, the control mean shifted by the pre-period gap for DiD, the
  // synthetic unit), one value per period.
  std::vector<long> periods;
  std::vector<double> observed;
  std::vector<double> counterfactual;
};

// Estimates the effect. Throws InputError when a treated id is not in the panel, the panel has a
// NaN (a gap), or its periods are not consecutive; UsageError for a bad setting. Designs that the
// panel cannot support are returned with credible = false and the reason (never thrown).
EffectResult EstimateEffect(const Panel& panel, const EffectSpec& spec);

// The weights w >= 0, sum w = 1 minimising ||b - A w||^2 (A: rows x columns), by a primal
// active-set method (Lawson & Hanson 1974, NNLS, with the sum-to-one constraint kept in the
// free-set subproblem): start at the best single column; while some column outside the free set
// has a gradient (A'A w - A'b) below the free set's common level by more than `tolerance` times
// the largest diagonal of A'A, add the most negative one, solve the equality-constrained least
// squares on the free set (its KKT system, by a complete orthogonal decomposition), and step
// towards it as far as feasibility allows, dropping columns that reach 0. Finite; `iterations`
// counts the columns added; `converged` is false only after `max_iterations`.
struct SimplexFit {
  Eigen::VectorXd weights;
  int iterations = 0;
  bool converged = false;
  double last_change = 0;
};
SimplexFit SimplexLeastSquares(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                               double tolerance = 1e-12, int max_iterations = 1000);

// The Euclidean projection of `v` onto the simplex {w >= 0, sum w = 1}.
Eigen::VectorXd ProjectOntoSimplex(const Eigen::VectorXd& v);

}  // namespace kazmig::policy

#endif  // KAZMIG_POLICY_EFFECTS_H_

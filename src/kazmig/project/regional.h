// Regional projection by components of change: probabilistic projections of regional population
// totals (no ages), with scenarios, for Kazakhstan's regions or any set of units.
//
// For every region r, draw d and year t (the calendar year of the flows):
//   P_r(t+1) = P_r(t) + B_r(t) - D_r(t) + I_r(t) + M_r(t)                  (exactly, in doubles)
// with births B = b x P, deaths D = m x P, inter-regional net I (sums to zero over regions in
// every draw and year) and international net M. The rates are simulated per draw:
//   - b, m: a random walk with drift on the log rate, fitted per region (FitLogRateWalk); the
//     drift of each draw is drawn from its sampling distribution, so the intervals carry the
//     uncertainty of the trend as well as the year-to-year noise;
//   - inter-regional net rate per 1,000: supplied per draw by an InternalRateSampler (the Bayesian
//     AR(1) model of project/ in the app), then balanced: I_r = I0_r - P_r / sum(P) x sum(I0);
//   - international net: a national AR(1) on the rate per 1,000 (FitAr1, mean drawn from its
//     sampling distribution), distributed to regions by population share.
// Positivity: the simulated rates are bounded (death rate <= 100 per 1,000; inter-regional rate
// before balancing and international rate within +-150 per 1,000), so a region keeps at least 45%
// of its population in any year from the model alone; a scenario whose outflows would take a
// region below 1% of its population is an InputError naming the scenario and the region. The
// number of bounded values is reported (ProjectionRun::bounded_values); on the built-in data it
// is 0.
//
//   project::RegionalModel model = ...;                 // base population, fitted rates
//   project::ProjectionSettings settings{.horizon = 11, .draws = 1000, .seed = 1, .threads = 2};
//   std::vector<project::ProjectionRun> runs =
//       project::ProjectRegions(model, {baseline, quota}, settings);
//   project::Summary s = project::Summarise(runs[0].population, ...);
//
// Determinism: draw d uses Rng(seed).Split(d) only, so the result is the same for any thread
// count, and a range of draws (ProjectionSettings::first_draw, draw_count; an MPI rank's share,
// DrawRange) reproduces the same draws of the full run.
#ifndef KAZMIG_PROJECT_REGIONAL_H_
#define KAZMIG_PROJECT_REGIONAL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kazmig/core/rng.h"
#include "kazmig/project/scenario.h"

namespace kazmig::project {

// Random walk with drift on a log rate: log r(t+1) = log r(t) + drift + sigma x e.
// Fitted by the mean of the yearly log differences (drift) and a robust scale of them (sigma =
// 1.4826 x their median absolute deviation from the drift, so that a one-off spike such as the
// COVID-19 deaths of 2020-2021 does not widen every future year); drift_se = sigma / sqrt(n) is
// the standard error of the drift (n differences).
struct LogRateWalk {
  double last_log_rate = 0;  // log of the last observed rate (rate as a fraction, e.g. 0.02)
  double drift = 0;
  double drift_se = 0;
  double sigma = 0;
  int differences = 0;
};
// Fits a LogRateWalk to rates (fractions, > 0, consecutive years, at least 3). Throws InputError
// ("FitLogRateWalk: ...") when there are fewer than 3 or a rate is not positive and finite.
LogRateWalk FitLogRateWalk(const std::vector<double>& rates);

// AR(1) about a mean, fitted by least squares: x(t) = mu + phi (x(t-1) - mu) + sigma e, phi
// kept in [0, 0.98]; mu_se = sigma / ((1 - phi) sqrt(n)) is the (asymptotic) standard error of
// the mean. At least 4 values (InputError otherwise).
struct Ar1Fit {
  double mu = 0;
  double phi = 0;
  double sigma = 0;
  double mu_se = 0;
  double last = 0;
  int observations = 0;
};
Ar1Fit FitAr1(const std::vector<double>& values);

// Fills `rates` (size horizon x regions, rates[step x regions + region], per 1,000, before
// balancing) with the inter-regional net rates of draw `draw_idx`. Must be deterministic in the
// draw index and safe to call from several threads at once. `rng` is the draw's own stream
// (it may use it, or its own seed and the draw index).
using InternalRateSampler =
    std::function<void(size_t draw_idx, Rng& rng, std::vector<double>& rates)>;

// Everything the projection needs, as plain values, in one region order.
struct RegionalModel {
  std::vector<std::string> region_ids;
  std::vector<double> base_population;  // 1 January of base_year
  int base_year = 0;
  std::vector<LogRateWalk> birth;  // per region, rates per person
  std::vector<LogRateWalk> death;
  Ar1Fit international;  // national net per 1,000
  InternalRateSampler internal;
};

struct ProjectionSettings {
  int horizon = 0;  // years projected: base_year + 1 .. base_year + horizon
  size_t draws = 1000;
  uint64_t seed = 1;
  int threads = 1;
  // The draws to compute: first_draw .. first_draw + draw_count - 1 (draw_count 0: all of
  // `draws`); an MPI rank computes its DrawRange.
  size_t first_draw = 0;
  size_t draw_count = 0;
};

// The draws [first, first + count) of rank `rank` of `ranks` when `draws` are split evenly in
// rank order (the first draws % ranks ranks get one more).
struct DrawSpan {
  size_t first = 0;
  size_t count = 0;
};
DrawSpan DrawRange(size_t draws, int rank, int ranks);

// One scenario's draws. Arrays are draw-major: population[(d x (horizon + 1) + step) x R + r]
// (step 0 = base year); components[(d x horizon + step) x R + r] for the flows of year
// base_year + step, which take the population from step to step + 1.
struct ProjectionRun {
  std::string scenario;
  size_t draws = 0;  // draws held (draw_count)
  size_t regions = 0;
  int horizon = 0;
  std::vector<double> population;
  std::vector<double> births;
  std::vector<double> deaths;
  std::vector<double> internal;       // inter-regional net (balanced, with scenario changes)
  std::vector<double> international;  // international net (with scenario changes)
  size_t bounded_values = 0;          // simulated rates held at their bounds

  double Population(size_t draw_idx, int step, size_t region_idx) const {
    return population[(draw_idx * (horizon + 1) + step) * regions + region_idx];
  }
  size_t ComponentIndex(size_t draw_idx, int step, size_t region_idx) const {
    return (draw_idx * horizon + step) * regions + region_idx;
  }
};

// Projects every scenario with the same draws of the rates (common random numbers: the
// difference between two scenarios in one draw is the effect of the scenario alone). Validates
// the scenarios (ValidateScenario) and the model (sizes, positive base population, horizon >= 1,
// draws >= 1). Parallel over draws with `threads` threads.
std::vector<ProjectionRun> ProjectRegions(const RegionalModel& model,
                                          const std::vector<Scenario>& scenarios,
                                          const ProjectionSettings& settings);

// Concatenates runs of consecutive draw ranges (rank order) of one scenario into one run.
ProjectionRun ConcatenateDraws(const std::vector<ProjectionRun>& parts);

// The quantiles the faces show.
struct Quantiles {
  double median = 0;
  double lower80 = 0;
  double upper80 = 0;
  double lower95 = 0;
  double upper95 = 0;
};
// Quantiles of `values` (linear interpolation between order statistics, R's type 7); `values` is
// reordered. NaN quantiles when empty.
Quantiles QuantilesOf(std::vector<double>& values);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_REGIONAL_H_

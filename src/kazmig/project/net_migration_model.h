// The Bayesian hierarchical AR(1) model of net migration rates (Azose & Raftery 2015, the model of
// the R package bayesMig), its Gibbs sampler, and the simulation of future rates from it.
//
// For each unit c (a region, a country) with annual net migration rates r_{c,1..T_c}:
//
//   r_{c,t} = mu_c + phi_c (r_{c,t-1} - mu_c) + e_{c,t},   e_{c,t} ~ N(0, sigma_c^2),
//   mu_c ~ N(mu_global, sigma_mu^2),   phi_c ~ U(0, 1),   1/sigma_c^2 ~ Gamma(a, rate b),
//
// with flat priors on mu_global (truncated to priors.mu_global_low..high), on sigma_mu (truncated
// to priors.sigma_mu_low..high), on b (b <= (a - 1) * rate_denominator / 10) and a prior
// proportional to 1/(a - 1) on a (a <= priors.a_upper). The likelihood conditions on each unit's
// first observation. FitNetMigration runs several chains of the Gibbs sampler of
// docs/methods/projection.md (a by a Metropolis step, plus a joint move of a and b: see
// NetMigrationPriors::ab_log_half_width), discards burn-in, thins, and reports
// posterior summaries with split R-hat and effective sample sizes (mcmc_diagnostics.h).
// SimulateTrajectories then draws future rates: for trajectory k, posterior draw d(k) and its own
// random stream (from the seed and k alone), the AR(1) is run forward from each unit's last
// observed rate.
//
//   std::vector<project::RateSeries> series = {{"Almaty", 2000, {3.1, 2.7, ...}}, ...};
//   project::NetMigrationSettings settings;          // 3 chains x 20,000, burn-in 5,000, thin 10
//   project::NetMigrationFit fit = project::FitNetMigration(series, settings);
//   if (!fit.converged()) for (auto& w : fit.warnings) std::cerr << w << '\n';
//   const project::ParameterSummary& phi = fit.Summary("phi", "Almaty");  // median, 95% interval
//
//   project::TrajectoryRequest request;
//   request.to_year = 2035;                          // from each unit's last year to 2035
//   request.trajectories = 1000;                     // evenly spread over the retained draws
//   project::RateTrajectories paths = project::SimulateTrajectories(fit, request);
//   double r = paths.at(trajectory_idx, unit_idx, year_idx);   // year = paths.first_year + idx
//
// Everything is deterministic for a seed, and identical for any thread count: chain k uses
// Rng(seed).Split(k); trajectory k uses its own stream derived from (seed, k), so a range of
// trajectories (an MPI rank's share) can be simulated alone with the same result.
#ifndef KAZMIG_PROJECT_NET_MIGRATION_MODEL_H_
#define KAZMIG_PROJECT_NET_MIGRATION_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::project {

// One unit's observed rates in consecutive years first_year, first_year + 1, ...
struct RateSeries {
  std::string unit;
  int first_year = 0;
  std::vector<double> rates;  // per rate_denominator (per 1,000 by default)

  int last_year() const { return first_year + static_cast<int>(rates.size()) - 1; }
};

// Prior ranges, floors and proposal settings. The defaults are bayesMig's (run.mig.mcmc) for
// annual rates per 1,000 (its prior.scaler = pop.denom = 1000), except sigma_c_min, which is
// bayesMig's floor of 0.0001 per person expressed per 1,000 (0.1).
struct NetMigrationPriors {
  double rate_denominator = 1000;  // rates are per this many people (bayesMig's pop.denom)
  double sigma_c_min = 0.1;        // floor of sigma_c: a smaller draw is set to it
  double mu_global_low = -100;     // mu_global truncated to [low, high]
  double mu_global_high = 100;
  double sigma_mu_low = 0;  // sigma_mu truncated to [low, high]
  double sigma_mu_high = 100;
  double a_upper = 10;        // a in (10 b / rate_denominator + 1, a_upper)
  double a_half_width = 0.5;  // Metropolis proposal for a: uniform on a +- a_half_width
  // Half width, on the log scale, of a joint Metropolis move of (a, b) with a / b fixed, made
  // after bayesMig's updates each iteration (0 switches it off: bayesMig's sampler exactly). It
  // leaves the posterior unchanged and cuts the autocorrelation of a and b several-fold.
  double ab_log_half_width = 0.5;
  double a_init_low = 1.1;  // chain k starts at a spread evenly over [a_init_low, a_init_high]
  double a_init_high = 5;
};

// The priors bayesMig uses for annual rates per `rate_denominator` people (1 or 1000).
NetMigrationPriors DefaultPriors(double rate_denominator = 1000);

struct NetMigrationSettings {
  int chains = 3;
  int iterations = 20000;  // per chain, burn-in included
  int burn_in = 5000;      // first iterations of each chain discarded
  int thin = 10;           // keep every thin-th iteration after burn-in
  uint64_t seed = 1;
  int threads = 0;  // 0: every core (never more than the chains)
  NetMigrationPriors priors;
  double rhat_limit = 1.05;        // warn when a parameter's R-hat is above this
  double min_ess_per_chain = 100;  // warn when an ESS is below this times the chains
};

// Posterior summary of one parameter over every retained draw of every chain.
struct ParameterSummary {
  std::string name;  // "mu", "phi", "sigma" (per unit); "mu_global", "sigma_mu", "a", "b"
  std::string unit;  // the unit of a per-unit parameter, "" for a global one
  double mean = 0;
  double median = 0;
  double lower80 = 0, upper80 = 0;  // 10% and 90% quantiles
  double lower95 = 0, upper95 = 0;  // 2.5% and 97.5% quantiles
  double rhat = 0;  // rank-normalised split R-hat (Vehtari et al. 2021), max of bulk and tail
  double ess = 0;   // bulk effective sample size (rank-normalised, Geyer's monotone sequence)
};

// Parameters of one unit in one retained draw.
struct UnitDraw {
  double mu = 0;
  double phi = 0;
  double sigma = 0;
};

struct NetMigrationFit {
  std::vector<std::string> units;  // in input order
  std::vector<int> first_years;
  std::vector<int> last_years;
  std::vector<double> last_rates;  // the last observed rate of each unit
  NetMigrationSettings settings;

  size_t chains = 0;
  size_t draws_per_chain = 0;  // retained: (iterations - burn_in) / thin
  // Retained draws, chain-major: draw index d = chain * draws_per_chain + k. Per-unit arrays hold
  // [d * units.size() + unit_idx].
  std::vector<double> mu, phi, sigma;
  std::vector<double> mu_global, sigma_mu, a, b;
  std::vector<double> a_acceptance;  // acceptance rate of the Metropolis step for a, per chain

  // mu, phi, sigma for each unit (unit-major: unit_summaries[3 * unit_idx + {0, 1, 2}]), then the
  // global parameters mu_global, sigma_mu, a, b.
  std::vector<ParameterSummary> unit_summaries;
  std::vector<ParameterSummary> global_summaries;
  // Convergence warnings (R-hat above settings.rhat_limit, ESS below the minimum); empty when
  // every parameter passed.
  std::vector<std::string> warnings;

  bool converged() const { return warnings.empty(); }
  size_t unit_count() const { return units.size(); }
  size_t draw_count() const { return chains * draws_per_chain; }
  UnitDraw Draw(size_t draw_idx, size_t unit_idx) const;
  // Index of `unit`; throws ComputeError (internal) when absent.
  size_t UnitIndex(std::string_view unit) const;
  // The summary of `name` (for `unit`, or a global one when unit is ""); throws ComputeError
  // (internal) when absent.
  const ParameterSummary& Summary(std::string_view name, std::string_view unit = "") const;
};

// Fits the model by Gibbs sampling. Throws InputError (naming the unit) for fewer than 2 units, a
// unit with fewer than 3 years, a duplicated unit, or a non-finite rate; UsageError for settings
// that cannot run (chains < 1, iterations <= burn_in, thin < 1, no retained draw).
// Non-convergence is not an error: it is reported in `warnings`.
NetMigrationFit FitNetMigration(const std::vector<RateSeries>& series,
                                const NetMigrationSettings& settings);

// Checks `series` as FitNetMigration does (throws InputError naming the unit).
void ValidateRateSeries(const std::vector<RateSeries>& series);

struct TrajectoryRequest {
  int base_year = 0;  // last year not projected; 0: the latest last observed year of any unit
  int to_year = 0;    // last projected year, > base_year
  // Number of trajectories; 0: one per retained draw. Trajectory k uses posterior draw
  // floor(k * draw_count / trajectories) (evenly spread, as bayesMig thins its draws).
  size_t trajectories = 0;
  uint64_t seed = 1;
  // Simulate only trajectories [begin, end) of the full set (an MPI rank's share); the values
  // equal those of the same trajectories in a full run.
  size_t begin = 0;
  size_t end = std::numeric_limits<size_t>::max();
  int threads = 0;  // 0: every core
};

// Simulated rates, trajectory-major: values[(k * units + unit_idx) * years + year_idx] for
// trajectory trajectory_begin + k and year first_year + year_idx.
struct RateTrajectories {
  std::vector<std::string> units;
  int first_year = 0;  // base_year + 1
  size_t years = 0;
  size_t trajectory_begin = 0;
  size_t trajectory_count = 0;
  std::vector<size_t> draw_of;  // posterior draw used by each simulated trajectory
  std::vector<double> values;

  double at(size_t k, size_t unit_idx, size_t year_idx) const {
    return values[(k * units.size() + unit_idx) * years + year_idx];
  }
};

// Simulates r_{t+1} = mu + phi (r_t - mu) + sigma * z from each unit's last observed rate through
// to_year (units that end before base_year are simulated through the gap, which is not
// returned). Throws UsageError when to_year <= base_year, base_year is before a unit's last
// year, or the range [begin, end) is empty or outside the trajectories.
RateTrajectories SimulateTrajectories(const NetMigrationFit& fit, const TrajectoryRequest& request);

// How BalanceRates makes sum(rate * population) zero.
enum class BalanceMethod {
  // Scale the inflows (positive rates) down and the outflows (negative rates) up, or the reverse,
  // to meet at the mean of the two totals: signs are kept, a zero rate stays zero.
  kScale,
  // Subtract the population-weighted mean rate from every rate.
  kShift,
};

// Makes rates of one draw and year sum to zero in people: sum(rates[i] * populations[i]) == 0 up
// to rounding. Populations must be positive and finite (ComputeError, internal, otherwise; a size
// mismatch too). With kScale, rates all of one sign (or all zero) cannot be balanced without
// changing signs and are shifted instead.
void BalanceRates(std::span<double> rates, std::span<const double> populations,
                  BalanceMethod method = BalanceMethod::kScale);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_NET_MIGRATION_MODEL_H_

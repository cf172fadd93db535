#include "kazmig/project/net_migration_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <set>
#include <thread>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/core/rng.h"
#include "kazmig/project/mcmc_diagnostics.h"
#include "kazmig/project/random_variates.h"

namespace kazmig::project {
namespace {

__extension__ typedef unsigned __int128 Uint128;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Salt that separates the trajectory streams of a seed from its chain streams.
constexpr uint64_t kTrajectorySalt = 0x7472616a65637473ULL;  // "trajects"

// A unit's data reduced to the sums the conditionals need. The rates are centred on their mean
// (`centre`) first, so that the expanded sums keep their precision whatever the level of the
// series; with x_t = r_{t-1} - centre and y_t = r_t - centre over t = 2..T:
//   sum (y - phi x)            = sy - phi sx
//   sum (x - m)^2              = sxx - 2 m sx + n m^2               (m = mu - centre)
//   sum (x - m)(y - m)         = sxy - m (sx + sy) + n m^2
//   sum ((y - m) - phi (x - m))^2 = [syy - 2 m sy + n m^2] - 2 phi [..] + phi^2 [..]
// so every update costs O(1) per unit, whatever T.
struct UnitData {
  double centre = 0;
  double n = 0;  // transitions, T - 1
  double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  double variance = 0;  // sample variance of the rates (initial sigma_c^2)
};

UnitData Reduce(const std::vector<double>& rates) {
  UnitData data;
  const size_t count = rates.size();
  data.centre = std::accumulate(rates.begin(), rates.end(), 0.0) / static_cast<double>(count);
  double squares = 0;
  for (double rate : rates) squares += (rate - data.centre) * (rate - data.centre);
  data.variance = squares / static_cast<double>(count - 1);
  data.n = static_cast<double>(count - 1);
  for (size_t t = 1; t < count; ++t) {
    const double x = rates[t - 1] - data.centre;
    const double y = rates[t] - data.centre;
    data.sx += x;
    data.sy += y;
    data.sxx += x * x;
    data.sxy += x * y;
    data.syy += y * y;
  }
  return data;
}

struct ChainOutput {
  std::vector<double> mu, phi, sigma;  // [k * units + unit_idx]
  std::vector<double> mu_global, sigma_mu, a, b;
  size_t a_accepted = 0;
  size_t a_proposed = 0;
};

// Value k of `count` values spread evenly over [low, high] (the midpoint when count is 1), as
// bayesMig spreads its chains' starting values.
double Spread(double low, double high, size_t k, size_t count) {
  if (count == 1) return 0.5 * (low + high);
  return low + (high - low) * static_cast<double>(k) / static_cast<double>(count - 1);
}

// log p(a, b | tau) up to a constant: the Gamma(a, b) density of the C precisions tau_c, a flat
// prior on b and 1/(a - 1) on a: C a log b + (a - 1) sum log tau_c - b sum tau_c - C lgamma(a)
// - log(a - 1). (The Metropolis step for a alone drops the b sum tau term, constant there.)
double LogTargetAB(double a, double b, double units, double sum_log_tau, double sum_tau) {
  return units * a * std::log(b) + (a - 1.0) * sum_log_tau - b * sum_tau - units * std::lgamma(a) -
         std::log(a - 1.0);
}

// One chain of the Gibbs sampler: bayesMig's order of updates (mig.mcmc.sampling): mu_c, sigma_mu,
// phi_c, sigma_c, b, a, mu_global.
ChainOutput RunChain(const std::vector<UnitData>& units, double unit_means_variance,
                     const NetMigrationSettings& settings, size_t chain_idx) {
  const NetMigrationPriors& priors = settings.priors;
  const size_t unit_count = units.size();
  const double units_d = static_cast<double>(unit_count);
  const size_t chains = static_cast<size_t>(settings.chains);
  Rng rng = Rng(settings.seed).Split(chain_idx);

  // Starting values (bayesMig's mcmc.ini).
  const double mu_start = Spread(priors.mu_global_low, priors.mu_global_high, chain_idx, chains);
  double a = Spread(priors.a_init_low, priors.a_init_high, chain_idx, chains);
  const double b_cap_per_a = priors.rate_denominator / 10.0;  // b <= (a - 1) * this
  double b = (a - 1.0) * b_cap_per_a / 2.0;
  double mu_global = mu_start;
  const double sigma2_floor = priors.sigma_c_min * priors.sigma_c_min;
  double sigma2_mu = std::max(unit_means_variance, sigma2_floor);
  std::vector<double> mu(unit_count, mu_start), phi(unit_count), sigma2(unit_count);
  for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
    phi[unit_idx] = rng.Uniform01();
    sigma2[unit_idx] = std::max(units[unit_idx].variance, sigma2_floor);
  }

  const double tau_mu_low = 1.0 / (priors.sigma_mu_high * priors.sigma_mu_high);
  const double tau_mu_high =
      priors.sigma_mu_low > 0 ? 1.0 / (priors.sigma_mu_low * priors.sigma_mu_low) : kInf;

  ChainOutput out;
  const size_t kept = static_cast<size_t>((settings.iterations - settings.burn_in) / settings.thin);
  out.mu.reserve(kept * unit_count);
  out.phi.reserve(kept * unit_count);
  out.sigma.reserve(kept * unit_count);

  for (int iteration = 1; iteration <= settings.iterations; ++iteration) {
    // mu_c ~ N(V [(1-phi)/sigma^2 sum(r_t - phi r_{t-1}) + mu_g / sigma_mu^2], V),
    // V = 1 / [(T-1)(1-phi)^2 / sigma^2 + 1 / sigma_mu^2]; in centred units.
    for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
      const UnitData& data = units[unit_idx];
      const double one_minus_phi = 1.0 - phi[unit_idx];
      const double precision =
          data.n * one_minus_phi * one_minus_phi / sigma2[unit_idx] + 1.0 / sigma2_mu;
      const double variance = 1.0 / precision;
      const double mean =
          variance * (one_minus_phi / sigma2[unit_idx] * (data.sy - phi[unit_idx] * data.sx) +
                      (mu_global - data.centre) / sigma2_mu);
      mu[unit_idx] = data.centre + mean + std::sqrt(variance) * rng.Normal();
    }
    // 1/sigma_mu^2 ~ Gamma((C-1)/2, rate sum (mu_c - mu_g)^2 / 2), truncated to the prior range.
    {
      double squares = 0;
      for (double mu_c : mu) squares += (mu_c - mu_global) * (mu_c - mu_global);
      const double shape = 0.5 * (units_d - 1.0);
      const double rate = std::max(0.5 * squares, 1e-300);
      double tau = GammaAbove(rng, shape, rate, tau_mu_low);
      if (tau > tau_mu_high) tau = tau_mu_high;
      sigma2_mu = 1.0 / tau;
    }
    // phi_c ~ TN_(0,1)(sum (x-m)(y-m) / sum (x-m)^2, sigma^2 / sum (x-m)^2).
    for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
      const UnitData& data = units[unit_idx];
      const double m = mu[unit_idx] - data.centre;
      const double denominator = data.sxx - 2.0 * m * data.sx + data.n * m * m;
      if (!(denominator > 0)) {
        phi[unit_idx] = rng.Uniform01();
        continue;
      }
      const double numerator = data.sxy - m * (data.sx + data.sy) + data.n * m * m;
      phi[unit_idx] = TruncatedNormal(rng, numerator / denominator,
                                      std::sqrt(sigma2[unit_idx] / denominator), 0.0, 1.0);
    }
    // 1/sigma_c^2 ~ Gamma(a + (T-1)/2, rate b + sum e^2 / 2); sigma_c floored at sigma_c_min.
    double sum_tau = 0;
    double sum_log_tau = 0;
    for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
      const UnitData& data = units[unit_idx];
      const double m = mu[unit_idx] - data.centre;
      const double p = phi[unit_idx];
      const double nm2 = data.n * m * m;
      const double sum_xx = data.sxx - 2.0 * m * data.sx + nm2;
      const double sum_xy = data.sxy - m * (data.sx + data.sy) + nm2;
      const double sum_yy = data.syy - 2.0 * m * data.sy + nm2;
      const double residuals = std::max(0.0, sum_yy - 2.0 * p * sum_xy + p * p * sum_xx);
      const double tau = rng.Gamma(a + 0.5 * data.n, 1.0 / (b + 0.5 * residuals));
      sigma2[unit_idx] = std::max(1.0 / tau, sigma2_floor);
      sum_tau += 1.0 / sigma2[unit_idx];
      sum_log_tau -= std::log(sigma2[unit_idx]);
    }
    // b ~ Gamma(a C + 1, rate sum 1/sigma_c^2), truncated to b <= (a - 1) rate_denominator / 10.
    b = GammaBelow(rng, a * units_d + 1.0, sum_tau, (a - 1.0) * b_cap_per_a);
    // a by Metropolis: uniform proposal a +- a_half_width; a proposal outside
    // (10 b / rate_denominator + 1, a_upper) is rejected.
    const auto in_support = [&](double a_value, double b_value) {
      return b_value > 0 && b_value <= (a_value - 1.0) * b_cap_per_a && a_value < priors.a_upper;
    };
    {
      const double proposal = a + priors.a_half_width * (2.0 * rng.Uniform01() - 1.0);
      ++out.a_proposed;
      if (in_support(proposal, b)) {
        const double log_ratio = LogTargetAB(proposal, b, units_d, sum_log_tau, sum_tau) -
                                 LogTargetAB(a, b, units_d, sum_log_tau, sum_tau);
        if (log_ratio >= 0 || std::log(rng.UniformOpen01()) < log_ratio) {
          a = proposal;
          ++out.a_accepted;
        }
      }
    }
    // A joint move of (a, b) along a / b fixed (the prior mean of 1/sigma_c^2), which the
    // one-at-a-time updates cross slowly: log a' = log a + U(-h, h), b' = b a' / a, accepted with
    // p(a', b') / p(a, b) (b' / b)^2 (the Jacobian of (a, b) -> (log a, a / b)).
    if (priors.ab_log_half_width > 0) {
      const double scale = std::exp(priors.ab_log_half_width * (2.0 * rng.Uniform01() - 1.0));
      const double a_new = a * scale, b_new = b * scale;
      if (a_new > 1.0 && in_support(a_new, b_new)) {
        const double log_ratio = LogTargetAB(a_new, b_new, units_d, sum_log_tau, sum_tau) -
                                 LogTargetAB(a, b, units_d, sum_log_tau, sum_tau) +
                                 2.0 * std::log(scale);
        if (log_ratio >= 0 || std::log(rng.UniformOpen01()) < log_ratio) {
          a = a_new;
          b = b_new;
        }
      }
    }
    // mu_global ~ N(mean mu_c, sigma_mu^2 / C), truncated to the prior range.
    {
      const double mean = std::accumulate(mu.begin(), mu.end(), 0.0) / units_d;
      mu_global = TruncatedNormal(rng, mean, std::sqrt(sigma2_mu / units_d), priors.mu_global_low,
                                  priors.mu_global_high);
    }

    if (iteration > settings.burn_in && (iteration - settings.burn_in) % settings.thin == 0) {
      for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
        out.mu.push_back(mu[unit_idx]);
        out.phi.push_back(phi[unit_idx]);
        out.sigma.push_back(std::sqrt(sigma2[unit_idx]));
      }
      out.mu_global.push_back(mu_global);
      out.sigma_mu.push_back(std::sqrt(sigma2_mu));
      out.a.push_back(a);
      out.b.push_back(b);
    }
  }
  return out;
}

// Runs task(0..count-1) on up to `threads` threads; a worker's exception is rethrown here.
template <typename Task>
void RunParallel(size_t count, int threads, const Task& task) {
  const size_t workers = std::min<size_t>(count, static_cast<size_t>(std::max(1, threads)));
  if (workers <= 1) {
    for (size_t idx = 0; idx < count; ++idx) task(idx);
    return;
  }
  std::vector<std::exception_ptr> failures(workers);
  std::vector<std::thread> pool;
  for (size_t worker = 0; worker < workers; ++worker) {
    pool.emplace_back([&, worker] {
      try {
        for (size_t idx = worker; idx < count; idx += workers) task(idx);
      } catch (...) {
        failures[worker] = std::current_exception();
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

// Quantile of sorted values, R's type 7 (linear interpolation between order statistics).
double Quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const size_t low = static_cast<size_t>(std::floor(h));
  if (low + 1 >= sorted.size()) return sorted.back();
  return sorted[low] + (h - static_cast<double>(low)) * (sorted[low + 1] - sorted[low]);
}

ParameterSummary Summarise(std::string name, std::string unit, std::span<const double> draws,
                           size_t chains) {
  ParameterSummary summary;
  summary.name = std::move(name);
  summary.unit = std::move(unit);
  std::vector<double> sorted(draws.begin(), draws.end());
  std::sort(sorted.begin(), sorted.end());
  summary.mean =
      std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  summary.median = Quantile(sorted, 0.5);
  summary.lower80 = Quantile(sorted, 0.1);
  summary.upper80 = Quantile(sorted, 0.9);
  summary.lower95 = Quantile(sorted, 0.025);
  summary.upper95 = Quantile(sorted, 0.975);
  const McmcDiagnostics diagnostics = Diagnose(draws, chains);
  summary.rhat = diagnostics.rhat;
  summary.ess = diagnostics.ess;
  return summary;
}

std::string Label(const ParameterSummary& summary) {
  return summary.unit.empty() ? summary.name : fmt::format("{}[{}]", summary.name, summary.unit);
}

// The convergence warnings of a fit.
std::vector<std::string> Warnings(const NetMigrationFit& fit) {
  std::vector<const ParameterSummary*> all;
  for (const ParameterSummary& summary : fit.unit_summaries) all.push_back(&summary);
  for (const ParameterSummary& summary : fit.global_summaries) all.push_back(&summary);
  const double rhat_limit = fit.settings.rhat_limit;
  const double ess_limit = fit.settings.min_ess_per_chain * static_cast<double>(fit.chains);
  size_t high_rhat = 0, low_ess = 0, undiagnosed = 0;
  const ParameterSummary* worst_rhat = nullptr;
  const ParameterSummary* worst_ess = nullptr;
  for (const ParameterSummary* summary : all) {
    if (std::isnan(summary->rhat) || std::isnan(summary->ess)) {
      ++undiagnosed;
      continue;
    }
    if (summary->rhat > rhat_limit) {
      ++high_rhat;
      if (!worst_rhat || summary->rhat > worst_rhat->rhat) worst_rhat = summary;
    }
    if (summary->ess < ess_limit) {
      ++low_ess;
      if (!worst_ess || summary->ess < worst_ess->ess) worst_ess = summary;
    }
  }
  std::vector<std::string> warnings;
  if (high_rhat > 0) {
    warnings.push_back(fmt::format(
        "R-hat above {} for {} of {} parameters (largest {:.3f}, {}): the chains have not mixed; "
        "run more iterations or a longer burn-in",
        rhat_limit, high_rhat, all.size(), worst_rhat->rhat, Label(*worst_rhat)));
  }
  if (low_ess > 0) {
    warnings.push_back(fmt::format(
        "effective sample size below {:g} for {} of {} parameters (smallest {:.0f}, {}): run "
        "more iterations",
        ess_limit, low_ess, all.size(), worst_ess->ess, Label(*worst_ess)));
  }
  if (undiagnosed > 0) {
    warnings.push_back(fmt::format(
        "{} parameters could not be diagnosed: fewer than 4 retained draws per chain ({})",
        undiagnosed, fit.draws_per_chain));
  }
  return warnings;
}

}  // namespace

NetMigrationPriors DefaultPriors(double rate_denominator) {
  NetMigrationPriors priors;
  // bayesMig: prior.scaler = pop.denom for annual data; mu.range = +-scaler/10, sigma.mu.range =
  // (0, scaler/10), a.half.width 0.3 per person and 0.5 per 1,000.
  priors.rate_denominator = rate_denominator;
  priors.mu_global_low = -rate_denominator / 10.0;
  priors.mu_global_high = rate_denominator / 10.0;
  priors.sigma_mu_low = 0;
  priors.sigma_mu_high = rate_denominator / 10.0;
  priors.sigma_c_min = 0.0001 * rate_denominator;
  priors.a_half_width = rate_denominator == 1 ? 0.3 : 0.5;
  return priors;
}

void ValidateRateSeries(const std::vector<RateSeries>& series) {
  if (series.size() < 2) {
    throw InputError(fmt::format(
        "the net migration model needs at least 2 units (it pools them); got {}", series.size()));
  }
  std::set<std::string> seen;
  for (const RateSeries& unit : series) {
    if (!seen.insert(unit.unit).second) {
      throw InputError(fmt::format("unit '{}' is given twice", unit.unit));
    }
    if (unit.rates.size() < 3) {
      throw InputError(
          fmt::format("unit '{}': {} year(s) of rates; the AR(1) model needs at least "
                      "3 consecutive years",
                      unit.unit, unit.rates.size()));
    }
    for (size_t year_idx = 0; year_idx < unit.rates.size(); ++year_idx) {
      if (!std::isfinite(unit.rates[year_idx])) {
        throw InputError(fmt::format("unit '{}', year {}: rate is not finite", unit.unit,
                                     unit.first_year + static_cast<int>(year_idx)));
      }
    }
  }
}

UnitDraw NetMigrationFit::Draw(size_t draw_idx, size_t unit_idx) const {
  const size_t at = draw_idx * units.size() + unit_idx;
  return {mu[at], phi[at], sigma[at]};
}

size_t NetMigrationFit::UnitIndex(std::string_view unit) const {
  for (size_t unit_idx = 0; unit_idx < units.size(); ++unit_idx) {
    if (units[unit_idx] == unit) return unit_idx;
  }
  throw ComputeError(fmt::format("internal: no unit '{}' in the net migration fit", unit));
}

const ParameterSummary& NetMigrationFit::Summary(std::string_view name,
                                                 std::string_view unit) const {
  const std::vector<ParameterSummary>& list = unit.empty() ? global_summaries : unit_summaries;
  for (const ParameterSummary& summary : list) {
    if (summary.name == name && summary.unit == unit) return summary;
  }
  throw ComputeError(fmt::format("internal: no parameter '{}' for unit '{}'", name, unit));
}

NetMigrationFit FitNetMigration(const std::vector<RateSeries>& series,
                                const NetMigrationSettings& settings) {
  CheckSetting(settings.chains >= 1, "project fit", "--chains must be at least 1");
  CheckSetting(settings.thin >= 1, "project fit", "--thin must be at least 1");
  CheckSetting(settings.burn_in >= 0, "project fit", "--burn-in must not be negative");
  CheckSetting(settings.iterations > settings.burn_in, "project fit",
               "--iterations must exceed --burn-in");
  CheckSetting((settings.iterations - settings.burn_in) / settings.thin >= 1, "project fit",
               "(iterations - burn-in) / thin leaves no draw to keep");
  const NetMigrationPriors& priors = settings.priors;
  CheckSetting(priors.rate_denominator > 0 && priors.sigma_c_min > 0 &&
                   priors.mu_global_low < priors.mu_global_high && priors.sigma_mu_low >= 0 &&
                   priors.sigma_mu_high > priors.sigma_mu_low && priors.a_upper > 1 &&
                   priors.a_half_width > 0 && priors.a_init_low > 1 &&
                   priors.a_init_high < priors.a_upper && priors.a_init_low <= priors.a_init_high,
               "project fit", "the prior settings are inconsistent");
  ValidateRateSeries(series);

  NetMigrationFit fit;
  fit.settings = settings;
  const size_t unit_count = series.size();
  std::vector<UnitData> units;
  std::vector<double> unit_means;
  for (const RateSeries& unit : series) {
    fit.units.push_back(unit.unit);
    fit.first_years.push_back(unit.first_year);
    fit.last_years.push_back(unit.last_year());
    fit.last_rates.push_back(unit.rates.back());
    units.push_back(Reduce(unit.rates));
    unit_means.push_back(units.back().centre);
  }
  const double grand =
      std::accumulate(unit_means.begin(), unit_means.end(), 0.0) / static_cast<double>(unit_count);
  double means_variance = 0;
  for (double mean : unit_means) means_variance += (mean - grand) * (mean - grand);
  means_variance /= static_cast<double>(unit_count - 1);

  const size_t chains = static_cast<size_t>(settings.chains);
  std::vector<ChainOutput> outputs(chains);
  RunParallel(chains, ResolveThreads(settings.threads), [&](size_t chain_idx) {
    outputs[chain_idx] = RunChain(units, means_variance, settings, chain_idx);
  });

  fit.chains = chains;
  fit.draws_per_chain = outputs.front().a.size();
  for (ChainOutput& out : outputs) {
    fit.mu.insert(fit.mu.end(), out.mu.begin(), out.mu.end());
    fit.phi.insert(fit.phi.end(), out.phi.begin(), out.phi.end());
    fit.sigma.insert(fit.sigma.end(), out.sigma.begin(), out.sigma.end());
    fit.mu_global.insert(fit.mu_global.end(), out.mu_global.begin(), out.mu_global.end());
    fit.sigma_mu.insert(fit.sigma_mu.end(), out.sigma_mu.begin(), out.sigma_mu.end());
    fit.a.insert(fit.a.end(), out.a.begin(), out.a.end());
    fit.b.insert(fit.b.end(), out.b.begin(), out.b.end());
    fit.a_acceptance.push_back(static_cast<double>(out.a_accepted) /
                               static_cast<double>(std::max<size_t>(1, out.a_proposed)));
  }

  // Summaries, one parameter per task (diagnostics sort the draws twice: worth the threads).
  const size_t draws = fit.draw_count();
  fit.unit_summaries.resize(3 * unit_count);
  fit.global_summaries.resize(4);
  const std::vector<double>* per_unit[] = {&fit.mu, &fit.phi, &fit.sigma};
  const char* per_unit_names[] = {"mu", "phi", "sigma"};
  const std::vector<double>* global[] = {&fit.mu_global, &fit.sigma_mu, &fit.a, &fit.b};
  const char* global_names[] = {"mu_global", "sigma_mu", "a", "b"};
  RunParallel(3 * unit_count + 4, ResolveThreads(settings.threads), [&](size_t task) {
    if (task < 3 * unit_count) {
      const size_t unit_idx = task / 3, which = task % 3;
      std::vector<double> draws_of(draws);
      for (size_t draw_idx = 0; draw_idx < draws; ++draw_idx) {
        draws_of[draw_idx] = (*per_unit[which])[draw_idx * unit_count + unit_idx];
      }
      fit.unit_summaries[task] =
          Summarise(per_unit_names[which], fit.units[unit_idx], draws_of, chains);
    } else {
      const size_t which = task - 3 * unit_count;
      fit.global_summaries[which] = Summarise(global_names[which], "", *global[which], chains);
    }
  });
  fit.warnings = Warnings(fit);
  return fit;
}

RateTrajectories SimulateTrajectories(const NetMigrationFit& fit,
                                      const TrajectoryRequest& request) {
  const size_t draws = fit.draw_count();
  const size_t unit_count = fit.unit_count();
  if (draws == 0 || unit_count == 0) {
    throw ComputeError("internal: SimulateTrajectories: the fit has no draws");
  }
  int base_year = request.base_year;
  if (base_year == 0) base_year = *std::max_element(fit.last_years.begin(), fit.last_years.end());
  for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
    CheckSetting(fit.last_years[unit_idx] <= base_year, "project",
                 fmt::format("the base year {} is before the last observed year {} of '{}'",
                             base_year, fit.last_years[unit_idx], fit.units[unit_idx]));
  }
  CheckSetting(
      request.to_year > base_year, "project",
      fmt::format("the horizon {} is not after the base year {}", request.to_year, base_year));
  const size_t total = request.trajectories == 0 ? draws : request.trajectories;
  const size_t begin = request.begin;
  const size_t end = std::min(request.end, total);
  CheckSetting(begin < end, "project",
               fmt::format("trajectory range [{}, {}) is empty or beyond the {} trajectories",
                           request.begin, request.end, total));

  RateTrajectories result;
  result.units = fit.units;
  result.first_year = base_year + 1;
  result.years = static_cast<size_t>(request.to_year - base_year);
  result.trajectory_begin = begin;
  result.trajectory_count = end - begin;
  result.draw_of.resize(result.trajectory_count);
  result.values.resize(result.trajectory_count * unit_count * result.years);
  const Rng streams(MixSeed(request.seed ^ kTrajectorySalt));

  RunParallel(result.trajectory_count, ResolveThreads(request.threads), [&](size_t k) {
    const size_t trajectory = begin + k;
    // Evenly spread over the draws; 128-bit product so that no count overflows.
    const size_t draw_idx =
        static_cast<size_t>(static_cast<Uint128>(trajectory) * draws / static_cast<Uint128>(total));
    result.draw_of[k] = draw_idx;
    Rng rng = streams.Split(trajectory);
    double* out = result.values.data() + k * unit_count * result.years;
    for (size_t unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
      const UnitDraw p = fit.Draw(draw_idx, unit_idx);
      double rate = fit.last_rates[unit_idx];
      for (int year = fit.last_years[unit_idx] + 1; year <= request.to_year; ++year) {
        rate = p.mu + p.phi * (rate - p.mu) + p.sigma * rng.Normal();
        if (year > base_year) out[unit_idx * result.years + (year - base_year - 1)] = rate;
      }
    }
  });
  return result;
}

void BalanceRates(std::span<double> rates, std::span<const double> populations,
                  BalanceMethod method) {
  if (rates.size() != populations.size()) {
    throw ComputeError(fmt::format("internal: BalanceRates: {} rates, {} populations", rates.size(),
                                   populations.size()));
  }
  double total_population = 0, inflow = 0, outflow = 0;
  for (size_t idx = 0; idx < rates.size(); ++idx) {
    if (!(populations[idx] > 0) || !std::isfinite(populations[idx]) || !std::isfinite(rates[idx])) {
      throw ComputeError(fmt::format("internal: BalanceRates: rate {}, population {}", rates[idx],
                                     populations[idx]));
    }
    total_population += populations[idx];
    const double people = rates[idx] * populations[idx];
    if (people > 0) inflow += people;
    if (people < 0) outflow -= people;
  }
  if (method == BalanceMethod::kScale && inflow > 0 && outflow > 0) {
    const double meet = 0.5 * (inflow + outflow);
    const double up = meet / inflow, down = meet / outflow;
    for (double& rate : rates) rate *= rate > 0 ? up : down;
    return;
  }
  const double mean = (inflow - outflow) / total_population;
  for (double& rate : rates) rate -= mean;
}

}  // namespace kazmig::project

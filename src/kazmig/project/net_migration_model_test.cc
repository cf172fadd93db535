#include "kazmig/project/net_migration_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::project {
namespace {

using kazmig::testing::NearRel;

struct Truth {
  double mu, phi, sigma;
};

// One AR(1) series of `years` rates started from its stationary law.
RateSeries SimulateUnit(const std::string& unit, const Truth& truth, int years, Rng& rng) {
  RateSeries series{unit, 2000, {}};
  double rate = truth.mu + truth.sigma / std::sqrt(1 - truth.phi * truth.phi) * rng.Normal();
  for (int year = 0; year < years; ++year) {
    series.rates.push_back(rate);
    rate = truth.mu + truth.phi * (rate - truth.mu) + truth.sigma * rng.Normal();
  }
  return series;
}

// Units whose parameters are drawn from the model's hierarchy with mu_global = -2, sigma_mu = 4,
// 1/sigma^2 ~ Gamma(3, rate 30) (sigma about 4 per 1,000) and phi ~ U(0, 1).
std::vector<RateSeries> SimulateData(size_t units, int years, uint64_t seed,
                                     std::vector<Truth>* truths) {
  Rng rng(seed);
  std::vector<RateSeries> series;
  truths->clear();
  for (size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
    Truth truth;
    truth.mu = rng.Normal(-2.0, 4.0);
    truth.phi = rng.Uniform01();
    truth.sigma = 1.0 / std::sqrt(rng.Gamma(3.0, 1.0 / 30.0));
    truths->push_back(truth);
    series.push_back(SimulateUnit("u" + std::to_string(unit_idx), truth, years, rng));
  }
  return series;
}

NetMigrationSettings ShortRun() {
  NetMigrationSettings settings;
  settings.chains = 2;
  settings.iterations = 3000;
  settings.burn_in = 1000;
  settings.thin = 2;
  settings.threads = 1;
  return settings;
}

TEST(FitNetMigration, PosteriorIntervalsCoverTheTruthAtTheNominalRate) {
  // 200 seeded replications of 5 units x 12 years from known parameters: the share of 95%
  // intervals that hold the true mu_c, phi_c and sigma_c must lie in 90-98% (issue 15).
  const int replications = 200;
  const size_t units = 5;
  int covered[3] = {0, 0, 0};
  int total = 0;
  for (int rep = 0; rep < replications; ++rep) {
    std::vector<Truth> truths;
    const std::vector<RateSeries> series = SimulateData(units, 12, 1000 + rep, &truths);
    NetMigrationSettings settings = ShortRun();
    settings.seed = static_cast<uint64_t>(rep) + 1;
    settings.threads = 0;
    const NetMigrationFit fit = FitNetMigration(series, settings);
    for (size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
      const double truth[3] = {truths[unit_idx].mu, truths[unit_idx].phi, truths[unit_idx].sigma};
      for (int which = 0; which < 3; ++which) {
        const ParameterSummary& s = fit.unit_summaries[3 * unit_idx + which];
        covered[which] += s.lower95 <= truth[which] && truth[which] <= s.upper95;
      }
      ++total;
    }
  }
  const char* names[3] = {"mu", "phi", "sigma"};
  for (int which = 0; which < 3; ++which) {
    const double rate = static_cast<double>(covered[which]) / total;
    RecordProperty(std::string("coverage_") + names[which], std::to_string(rate));
    std::printf("coverage of 95%% intervals, %s: %.3f (%d units)\n", names[which], rate, total);
    EXPECT_GE(rate, 0.90) << names[which];
    EXPECT_LE(rate, 0.98) << names[which];
  }
}

TEST(FitNetMigration, RecoversParametersFromLongSeries) {
  const std::vector<Truth> truths = {{-8.0, 0.3, 2.0}, {5.0, 0.8, 4.0}, {0.0, 0.5, 1.0}};
  Rng rng(3);
  std::vector<RateSeries> series;
  for (size_t unit_idx = 0; unit_idx < truths.size(); ++unit_idx) {
    series.push_back(SimulateUnit("u" + std::to_string(unit_idx), truths[unit_idx], 400, rng));
  }
  const NetMigrationFit fit = FitNetMigration(series, ShortRun());
  for (size_t unit_idx = 0; unit_idx < truths.size(); ++unit_idx) {
    const std::string unit = "u" + std::to_string(unit_idx);
    const Truth& truth = truths[unit_idx];
    // Posterior sds with 400 years: mu ~ sigma / ((1-phi) 20), phi ~ 0.04, sigma ~ 4%.
    EXPECT_NEAR(fit.Summary("mu", unit).median, truth.mu, 4 * truth.sigma / (1 - truth.phi) / 20);
    EXPECT_NEAR(fit.Summary("phi", unit).median, truth.phi, 0.12);
    EXPECT_NEAR(fit.Summary("sigma", unit).median, truth.sigma, 0.12 * truth.sigma);
  }
}

TEST(FitNetMigration, SameSeedSameDrawsAnyThreadCount) {
  std::vector<Truth> truths;
  const std::vector<RateSeries> series = SimulateData(6, 15, 77, &truths);
  NetMigrationSettings settings = ShortRun();
  settings.chains = 3;
  settings.threads = 1;
  const NetMigrationFit one = FitNetMigration(series, settings);
  for (int threads : {1, 2, 3, 8}) {
    settings.threads = threads;
    const NetMigrationFit other = FitNetMigration(series, settings);
    EXPECT_EQ(other.mu, one.mu) << threads;
    EXPECT_EQ(other.phi, one.phi) << threads;
    EXPECT_EQ(other.sigma, one.sigma) << threads;
    EXPECT_EQ(other.a, one.a) << threads;
    EXPECT_EQ(other.b, one.b) << threads;
    EXPECT_EQ(other.mu_global, one.mu_global) << threads;
    EXPECT_EQ(other.sigma_mu, one.sigma_mu) << threads;
    ASSERT_EQ(other.unit_summaries.size(), one.unit_summaries.size());
    for (size_t idx = 0; idx < one.unit_summaries.size(); ++idx) {
      EXPECT_EQ(other.unit_summaries[idx].median, one.unit_summaries[idx].median);
      EXPECT_EQ(other.unit_summaries[idx].rhat, one.unit_summaries[idx].rhat);
    }
  }
  settings.seed = 2;
  EXPECT_NE(FitNetMigration(series, settings).mu, one.mu);
}

TEST(FitNetMigration, ShapeOfTheDraws) {
  std::vector<Truth> truths;
  const std::vector<RateSeries> series = SimulateData(4, 10, 5, &truths);
  NetMigrationSettings settings = ShortRun();
  settings.iterations = 1010;
  settings.burn_in = 10;
  settings.thin = 10;
  settings.chains = 3;
  const NetMigrationFit fit = FitNetMigration(series, settings);
  EXPECT_EQ(fit.draws_per_chain, 100u);
  EXPECT_EQ(fit.draw_count(), 300u);
  EXPECT_EQ(fit.mu.size(), 1200u);
  EXPECT_EQ(fit.a.size(), 300u);
  EXPECT_EQ(fit.unit_summaries.size(), 12u);
  EXPECT_EQ(fit.global_summaries.size(), 4u);
  for (size_t idx = 0; idx < fit.phi.size(); ++idx) {
    EXPECT_GT(fit.phi[idx], 0.0);
    EXPECT_LT(fit.phi[idx], 1.0);
    EXPECT_GE(fit.sigma[idx], settings.priors.sigma_c_min);
  }
  for (size_t draw = 0; draw < fit.draw_count(); ++draw) {
    // The support of (a, b): 1 + 10 b / 1000 < a < 10 (b <= (a - 1) * 100).
    EXPECT_LE(fit.b[draw], (fit.a[draw] - 1) * 100.0);
    EXPECT_LT(fit.a[draw], 10.0);
    EXPECT_GE(fit.mu_global[draw], -100.0);
    EXPECT_LE(fit.mu_global[draw], 100.0);
  }
  const ParameterSummary& mu0 = fit.Summary("mu", "u0");
  EXPECT_LE(mu0.lower95, mu0.lower80);
  EXPECT_LE(mu0.lower80, mu0.median);
  EXPECT_LE(mu0.median, mu0.upper80);
  EXPECT_LE(mu0.upper80, mu0.upper95);
  EXPECT_EQ(fit.UnitIndex("u3"), 3u);
  EXPECT_THROW(fit.UnitIndex("nowhere"), ComputeError);
  EXPECT_THROW(fit.Summary("mu", "nowhere"), ComputeError);
  EXPECT_EQ(fit.Summary("a").name, "a");
}

TEST(FitNetMigration, WellMixedRunHasRhatNearOne) {
  std::vector<Truth> truths;
  const std::vector<RateSeries> series = SimulateData(10, 20, 21, &truths);
  NetMigrationSettings settings;
  settings.chains = 3;
  settings.iterations = 6000;
  settings.burn_in = 1000;
  settings.thin = 5;
  const NetMigrationFit fit = FitNetMigration(series, settings);
  for (const ParameterSummary& s : fit.unit_summaries) {
    EXPECT_LT(s.rhat, 1.02) << s.name << " " << s.unit;
    EXPECT_GT(s.ess, 300) << s.name << " " << s.unit;
  }
  for (const ParameterSummary& s : fit.global_summaries) {
    EXPECT_LT(s.rhat, 1.05) << s.name;
  }
  EXPECT_TRUE(fit.converged()) << (fit.warnings.empty() ? "" : fit.warnings.front());
  for (double acceptance : fit.a_acceptance) {
    EXPECT_GT(acceptance, 0.2);
    EXPECT_LT(acceptance, 0.95);
  }
}

TEST(FitNetMigration, ChainsStoppedBeforeConvergenceAreFlagged) {
  // The chains start a at 1.1, 3.05 and 5 (bayesMig's spread); with a proposal that barely moves
  // (half width 0.001), no joint move and no burn-in, a and b stay near their starting points.
  std::vector<Truth> truths;
  const std::vector<RateSeries> series = SimulateData(8, 15, 31, &truths);
  NetMigrationSettings settings;
  settings.chains = 3;
  settings.iterations = 200;
  settings.burn_in = 0;
  settings.thin = 1;
  settings.priors.a_half_width = 0.001;
  settings.priors.ab_log_half_width = 0;
  const NetMigrationFit fit = FitNetMigration(series, settings);
  EXPECT_GT(fit.Summary("a").rhat, 1.1);
  EXPECT_GT(fit.Summary("b").rhat, 1.1);
  EXPECT_FALSE(fit.converged());
  ASSERT_FALSE(fit.warnings.empty());
  EXPECT_NE(fit.warnings.front().find("R-hat above 1.05"), std::string::npos)
      << fit.warnings.front();
  // The same data with the default sampler and enough iterations pass.
  settings = NetMigrationSettings();
  settings.iterations = 10000;
  settings.burn_in = 2000;
  settings.thin = 4;
  const NetMigrationFit good = FitNetMigration(series, settings);
  EXPECT_LT(good.Summary("a").rhat, 1.05);
}

TEST(FitNetMigration, RejectsBadSeriesNamingTheUnit) {
  const RateSeries good{"north", 2000, {1.0, 2.0, 1.5, 0.5}};
  const auto message = [](const std::vector<RateSeries>& series) {
    try {
      ValidateRateSeries(series);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({good}).find("at least 2 units"), std::string::npos);
  EXPECT_NE(message({good, {"south", 2001, {1.0, 2.0}}}).find("unit 'south': 2 year(s)"),
            std::string::npos);
  EXPECT_NE(message({good, {"east", 2000, {1.0, NAN, 3.0}}}).find("unit 'east', year 2001"),
            std::string::npos);
  EXPECT_NE(message({good, good}).find("'north' is given twice"), std::string::npos);
  EXPECT_THROW(FitNetMigration({good}, ShortRun()), InputError);
}

TEST(FitNetMigration, RejectsSettingsThatCannotRun) {
  const std::vector<RateSeries> series = {{"a", 2000, {1, 2, 3}}, {"b", 2000, {3, 2, 1}}};
  NetMigrationSettings settings = ShortRun();
  settings.chains = 0;
  EXPECT_THROW(FitNetMigration(series, settings), UsageError);
  settings = ShortRun();
  settings.burn_in = settings.iterations;
  EXPECT_THROW(FitNetMigration(series, settings), UsageError);
  settings = ShortRun();
  settings.thin = 0;
  EXPECT_THROW(FitNetMigration(series, settings), UsageError);
  settings = ShortRun();
  settings.thin = 5000;
  EXPECT_THROW(FitNetMigration(series, settings), UsageError);
}

TEST(FitNetMigration, ConstantSeriesHitTheSigmaFloor) {
  // All-zero rates (bayesMig's reason for the floor): sigma_c sits on sigma_c_min, no NaN.
  const std::vector<RateSeries> series = {{"flat", 2000, std::vector<double>(10, 0.0)},
                                          {"flat2", 2000, std::vector<double>(10, 0.0)},
                                          {"moving", 2000, {1, -2, 3, 0, 2, -1, 1, 0, 2, 1}}};
  const NetMigrationFit fit = FitNetMigration(series, ShortRun());
  EXPECT_TRUE(NearRel(fit.Summary("sigma", "flat").median, 0.1));
  for (double value : fit.mu) EXPECT_TRUE(std::isfinite(value));
}

// A fit with one draw, for hand-checkable trajectories.
NetMigrationFit OneDrawFit(double mu, double phi, double sigma, double last_rate) {
  NetMigrationFit fit;
  fit.units = {"x", "y"};
  fit.first_years = {2000, 2000};
  fit.last_years = {2020, 2018};
  fit.last_rates = {last_rate, last_rate};
  fit.chains = 1;
  fit.draws_per_chain = 1;
  fit.mu = {mu, mu};
  fit.phi = {phi, phi};
  fit.sigma = {sigma, sigma};
  fit.mu_global = {mu};
  fit.sigma_mu = {1};
  fit.a = {2};
  fit.b = {1};
  return fit;
}

TEST(SimulateTrajectories, MomentsOfTheAr1) {
  // From r = 1 with mu 5, phi 0.5, sigma 2: after k steps the mean is 5 - 4 * 0.5^k and the
  // variance 4 (1 - 0.25^k) / 0.75. Unit y ended in 2018: its 2021 value is 3 steps ahead.
  const NetMigrationFit fit = OneDrawFit(5.0, 0.5, 2.0, 1.0);
  TrajectoryRequest request;
  request.to_year = 2023;
  request.trajectories = 100000;
  request.seed = 9;
  const RateTrajectories paths = SimulateTrajectories(fit, request);
  EXPECT_EQ(paths.first_year, 2021);
  EXPECT_EQ(paths.years, 3u);
  ASSERT_EQ(paths.values.size(), 100000u * 2 * 3);
  for (size_t unit_idx = 0; unit_idx < 2; ++unit_idx) {
    for (size_t year_idx = 0; year_idx < 3; ++year_idx) {
      const int steps = static_cast<int>(year_idx) + 1 + (unit_idx == 1 ? 2 : 0);
      const double mean = 5.0 - 4.0 * std::pow(0.5, steps);
      const double variance = 4.0 * (1.0 - std::pow(0.25, steps)) / 0.75;
      double sum = 0, squares = 0;
      for (size_t k = 0; k < paths.trajectory_count; ++k) {
        const double value = paths.at(k, unit_idx, year_idx);
        sum += value;
        squares += value * value;
      }
      const double n = static_cast<double>(paths.trajectory_count);
      const double sample_mean = sum / n;
      EXPECT_NEAR(sample_mean, mean, 5 * std::sqrt(variance / n)) << unit_idx << " " << steps;
      EXPECT_NEAR(squares / n - sample_mean * sample_mean, variance, 0.02 * variance);
    }
  }
}

TEST(SimulateTrajectories, RangesAndThreadsGiveTheSameValues) {
  std::vector<Truth> truths;
  const std::vector<RateSeries> series = SimulateData(4, 12, 8, &truths);
  const NetMigrationFit fit = FitNetMigration(series, ShortRun());
  TrajectoryRequest request;
  request.to_year = 2020;
  request.trajectories = 500;
  request.seed = 4;
  request.threads = 1;
  const RateTrajectories full = SimulateTrajectories(fit, request);
  EXPECT_EQ(full.first_year, 2012);
  EXPECT_EQ(full.years, 9u);
  request.threads = 3;
  EXPECT_EQ(SimulateTrajectories(fit, request).values, full.values);
  // Three "ranks" of 167, 167 and 166 trajectories put together are the full run.
  std::vector<double> joined;
  for (size_t begin : {0u, 167u, 334u}) {
    request.begin = begin;
    request.end = begin + 167;
    const RateTrajectories part = SimulateTrajectories(fit, request);
    EXPECT_EQ(part.trajectory_begin, begin);
    for (size_t k = 0; k < part.trajectory_count; ++k) {
      EXPECT_EQ(part.draw_of[k], full.draw_of[begin + k]);
    }
    joined.insert(joined.end(), part.values.begin(), part.values.end());
  }
  EXPECT_EQ(joined, full.values);
  // Trajectories are spread evenly over the 2000 retained draws.
  EXPECT_EQ(full.draw_of[0], 0u);
  EXPECT_EQ(full.draw_of[1], 4u);
  EXPECT_EQ(full.draw_of[499], 1996u);
  request.begin = 0;
  request.end = std::numeric_limits<size_t>::max();
  request.seed = 5;
  EXPECT_NE(SimulateTrajectories(fit, request).values, full.values);
}

TEST(SimulateTrajectories, RejectsAHorizonBeforeTheBaseYear) {
  const NetMigrationFit fit = OneDrawFit(0.0, 0.5, 1.0, 0.0);
  TrajectoryRequest request;
  request.to_year = 2020;  // the base year defaults to 2020, the latest last year
  EXPECT_THROW(SimulateTrajectories(fit, request), UsageError);
  request.to_year = 2025;
  request.base_year = 2019;  // before unit x's last year
  EXPECT_THROW(SimulateTrajectories(fit, request), UsageError);
  request.base_year = 0;
  request.begin = 5;  // only one trajectory (one draw)
  EXPECT_THROW(SimulateTrajectories(fit, request), UsageError);
}

TEST(BalanceRates, ScaleKeepsSignsAndZeroSum) {
  std::vector<double> rates = {10.0, -5.0, 2.0, 0.0, -20.0};
  const std::vector<double> populations = {1000, 3000, 500, 800, 100};
  BalanceRates(rates, populations);
  double people = 0;
  for (size_t idx = 0; idx < rates.size(); ++idx) people += rates[idx] * populations[idx];
  EXPECT_NEAR(people, 0.0, 1e-9);
  // Inflow 11,000 and outflow 17,000 meet at 14,000: positives x 14/11, negatives x 14/17.
  EXPECT_TRUE(NearRel(rates[0], 10.0 * 14.0 / 11.0));
  EXPECT_TRUE(NearRel(rates[1], -5.0 * 14.0 / 17.0));
  EXPECT_EQ(rates[3], 0.0);
}

TEST(BalanceRates, ShiftSubtractsTheWeightedMean) {
  std::vector<double> rates = {4.0, 1.0};
  const std::vector<double> populations = {100, 300};
  BalanceRates(rates, populations, BalanceMethod::kShift);
  // Weighted mean (400 + 300) / 400 = 1.75.
  EXPECT_TRUE(NearRel(rates[0], 2.25));
  EXPECT_TRUE(NearRel(rates[1], -0.75));
  std::vector<double> same_sign = {1.0, 3.0};
  BalanceRates(same_sign, populations);  // kScale falls back to a shift
  EXPECT_NEAR(same_sign[0] * 100 + same_sign[1] * 300, 0.0, 1e-12);
  std::vector<double> short_rates = {1.0};
  EXPECT_THROW(BalanceRates(short_rates, populations), ComputeError);
  std::vector<double> zero_pop = {1.0, -1.0};
  const std::vector<double> bad_populations = {0.0, 1.0};
  EXPECT_THROW(BalanceRates(zero_pop, bad_populations), ComputeError);
}

}  // namespace
}  // namespace kazmig::project

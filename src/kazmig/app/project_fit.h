// The use case of `kazmig project fit`: the Bayesian hierarchical AR(1) net-migration model
// (project/net_migration_model.h) fitted to a user's series of rates, with posterior summaries
// and convergence diagnostics.
//
//   app::ProjectFitRequest request;
//   request.series = "rates.csv";                // unit,year,value (rates per 1,000)
//   request.settings.chains = 3;                 // iterations, burn_in, thin, seed, threads
//   app::ProjectFitResult result = app::RunProjectFit(request);
//   for (const std::string& w : result.fit.warnings) std::cerr << "kazmig: warning: " << w;
//   std::cout << app::EncodeProjectFit(result, app::Format::kJson);
//
// A bad series file is an InputError at FILE:LINE[:COLUMN] (a gap in a unit's years, fewer than
// 3 years, fewer than 2 units, a duplicated unit-year, a value that is not a finite number or
// beyond +-kMaxRatePerThousand); settings that cannot run are UsageError. R-hat or ESS failing
// their limits is not an error: the result says so (fit.warnings, "converged": false).
#ifndef KAZMIG_APP_PROJECT_FIT_H_
#define KAZMIG_APP_PROJECT_FIT_H_

#include <string>
#include <vector>

#include "kazmig/app/result_table.h"
#include "kazmig/project/net_migration_model.h"

namespace kazmig::app {

// The largest magnitude of a rate the series reader accepts, per 1,000: ten times the population
// moving in a year is already far beyond any real series, and larger values would let the
// sampler's sums of squares overflow.
inline constexpr double kMaxRatePerThousand = 10000;

// Reads `unit,year,value` (`region` or `id` accepted for `unit`): the units in the order first
// met, each unit's years sorted. Throws InputError at the offending line for a missing column, a
// duplicated unit-year, a non-integer year, a value that is not finite or beyond
// kMaxRatePerThousand, a gap in a unit's years, a unit with fewer than 3 years, or fewer than 2
// units.
std::vector<project::RateSeries> ReadRateSeries(const std::string& path);

struct ProjectFitRequest {
  std::string series;  // unit,year,value
  project::NetMigrationSettings settings;
};

struct ProjectFitResult {
  std::string series;
  project::NetMigrationFit fit;
  std::string provenance;  // "estimated: ..." text of every summary
  // JSON: {"method", "provenance", "units": [{unit, first_year, last_year, mu, phi, sigma}],
  // "global": {mu_global, sigma_mu, a, b}, "rhat": {"mu[unit]": ...}, "ess": {...},
  // "converged", "warnings"}; each parameter object holds mean, median, lower80, upper80,
  // lower95, upper95, rhat, ess.
  Json document;
  // CSV and text: one row per parameter,
  // parameter,unit,mean,median,lower80,upper80,lower95,upper95,rhat,ess.
  ResultTable table;
  std::string text_preamble;  // settings, draws, acceptance and warnings, for --format table
};

ProjectFitResult RunProjectFit(const ProjectFitRequest& request);

std::string EncodeProjectFit(const ProjectFitResult& result, Format format,
                             bool with_provenance = false);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_PROJECT_FIT_H_

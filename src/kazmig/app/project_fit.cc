#include "kazmig/app/project_fit.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <unordered_map>

#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {
namespace {

constexpr int kMinYear = 1700;
constexpr int kMaxYear = 2300;

Json Number(double value) { return Cell::Number(value).ToJson(); }

Json SummaryJson(const project::ParameterSummary& s) {
  return Json{{"mean", Number(s.mean)},       {"median", Number(s.median)},
              {"lower80", Number(s.lower80)}, {"upper80", Number(s.upper80)},
              {"lower95", Number(s.lower95)}, {"upper95", Number(s.upper95)},
              {"rhat", Number(s.rhat)},       {"ess", Number(s.ess)}};
}

std::string Label(const project::ParameterSummary& s) {
  return s.unit.empty() ? s.name : fmt::format("{}[{}]", s.name, s.unit);
}

// Numbers for people: 4 significant digits (at least 2 decimals below 100).
std::string Shown(double value) {
  if (!std::isfinite(value)) return "NA";
  return fmt::format("{:.4g}", value);
}

}  // namespace

std::vector<project::RateSeries> ReadRateSeries(const std::string& path) {
  io::CsvReader csv(path);
  const size_t c_unit = csv.Column({"unit", "region", "id"});
  const size_t c_year = csv.Column("year");
  const size_t c_value = csv.Column("value");
  struct Observation {
    double value;
    long line;
  };
  std::vector<std::string> order;
  std::unordered_map<std::string, std::map<int, Observation>> by_unit;
  while (csv.Next()) {
    std::string unit(csv.RequiredField(c_unit));
    const int64_t year = csv.Int(c_year);
    if (year < kMinYear || year > kMaxYear) {
      csv.Fail(c_year, fmt::format("year {} is outside {}..{}", year, kMinYear, kMaxYear));
    }
    const double value = csv.Double(c_value);
    if (std::fabs(value) > kMaxRatePerThousand) {
      csv.Fail(c_value, fmt::format("rate {} per 1,000 is beyond +-{:g}: not a rate per 1,000",
                                    io::FormatNumber(value), kMaxRatePerThousand));
    }
    auto [it, inserted] = by_unit.try_emplace(unit);
    if (inserted) order.push_back(unit);
    if (!it->second.emplace(static_cast<int>(year), Observation{value, csv.line()}).second) {
      csv.Fail(c_year, fmt::format("unit '{}': year {} is given twice", unit, year));
    }
  }
  csv.RequireRecords();

  std::vector<project::RateSeries> series;
  for (const std::string& unit : order) {
    const std::map<int, Observation>& years = by_unit.at(unit);
    project::RateSeries one;
    one.unit = unit;
    one.first_year = years.begin()->first;
    int previous = years.begin()->first - 1;
    for (const auto& [year, observation] : years) {
      if (year != previous + 1) {
        throw InputError(
            path, observation.line, 0,
            fmt::format("unit '{}' has a gap: no value for {}{} (years must be "
                        "consecutive; {} is followed by {})",
                        unit, previous + 1, year - previous > 2 ? fmt::format("-{}", year - 1) : "",
                        previous, year));
      }
      one.rates.push_back(observation.value);
      previous = year;
    }
    if (one.rates.size() < 3) {
      throw InputError(path, years.begin()->second.line, 0,
                       fmt::format("unit '{}' has {} year(s) of rates; the AR(1) model needs at "
                                   "least 3 consecutive years per unit",
                                   unit, one.rates.size()));
    }
    series.push_back(std::move(one));
  }
  if (series.size() < 2) {
    throw InputError(path, 0, 0,
                     fmt::format("only one unit ('{}'): the hierarchical model pools at least 2 "
                                 "units",
                                 series.front().unit));
  }
  return series;
}

ProjectFitResult RunProjectFit(const ProjectFitRequest& request) {
  ProjectFitResult result;
  result.series = request.series;
  const std::vector<project::RateSeries> series = ReadRateSeries(request.series);
  result.fit = project::FitNetMigration(series, request.settings);
  const project::NetMigrationFit& fit = result.fit;
  const project::NetMigrationSettings& settings = fit.settings;
  const project::NetMigrationPriors& priors = settings.priors;

  const std::string method =
      "Bayesian hierarchical AR(1) net migration model (Azose & Raftery 2015; bayesMig)";
  result.provenance = Provenance::Estimated(
                          method, fmt::format("from {}; {} chains x {} iterations, burn-in {}, "
                                              "thin {}, seed {}",
                                              request.series, settings.chains, settings.iterations,
                                              settings.burn_in, settings.thin, settings.seed))
                          .ToString();

  Json acceptance = Json::array();
  for (double rate : fit.a_acceptance) acceptance.push_back(Number(rate));
  Json& doc = result.document;
  doc["method"] = {
      {"model", method},
      {"equation", "r[c,t] = mu_c + phi_c (r[c,t-1] - mu_c) + e, e ~ N(0, sigma_c^2)"},
      {"rates_per", priors.rate_denominator},
      {"chains", settings.chains},
      {"iterations", settings.iterations},
      {"burn_in", settings.burn_in},
      {"thin", settings.thin},
      {"seed", settings.seed},
      {"draws_per_chain", fit.draws_per_chain},
      {"draws", fit.draw_count()},
      {"a_acceptance", acceptance},
      {"priors",
       {{"mu_global_range", {priors.mu_global_low, priors.mu_global_high}},
        {"sigma_mu_range", {priors.sigma_mu_low, priors.sigma_mu_high}},
        {"sigma_c_min", priors.sigma_c_min},
        {"a_upper", priors.a_upper},
        {"b_upper", "(a - 1) * rates_per / 10"},
        {"a_half_width", priors.a_half_width},
        {"ab_log_half_width", priors.ab_log_half_width}}},
      {"rhat", "rank-normalised split R-hat, max of bulk and tail (Vehtari et al. 2021)"},
      {"ess", "bulk effective sample size"},
      {"rhat_limit", settings.rhat_limit},
      {"min_ess", settings.min_ess_per_chain * settings.chains}};
  doc["provenance"] = result.provenance;
  Json units = Json::array();
  for (size_t unit_idx = 0; unit_idx < fit.unit_count(); ++unit_idx) {
    units.push_back({{"unit", fit.units[unit_idx]},
                     {"first_year", fit.first_years[unit_idx]},
                     {"last_year", fit.last_years[unit_idx]},
                     {"mu", SummaryJson(fit.unit_summaries[3 * unit_idx])},
                     {"phi", SummaryJson(fit.unit_summaries[3 * unit_idx + 1])},
                     {"sigma", SummaryJson(fit.unit_summaries[3 * unit_idx + 2])}});
  }
  doc["units"] = std::move(units);
  Json global = Json::object();
  for (const project::ParameterSummary& s : fit.global_summaries) global[s.name] = SummaryJson(s);
  doc["global"] = std::move(global);
  Json rhat = Json::object(), ess = Json::object();
  result.table = ResultTable({"parameter", "unit", "mean", "median", "lower80", "upper80",
                              "lower95", "upper95", "rhat", "ess"});
  const size_t handle = result.table.AddProvenance(result.provenance);
  for (const auto* list : {&fit.unit_summaries, &fit.global_summaries}) {
    for (const project::ParameterSummary& s : *list) {
      rhat[Label(s)] = Number(s.rhat);
      ess[Label(s)] = Number(s.ess);
      result.table.AddRow(
          {Cell::Text(s.name), Cell::Text(s.unit), Cell::Number(s.mean), Cell::Number(s.median),
           Cell::Number(s.lower80), Cell::Number(s.upper80), Cell::Number(s.lower95),
           Cell::Number(s.upper95), Cell::Number(s.rhat), Cell::Number(s.ess)},
          handle);
    }
  }
  doc["rhat"] = std::move(rhat);
  doc["ess"] = std::move(ess);
  doc["converged"] = fit.converged();
  doc["warnings"] = fit.warnings;

  int first_year = fit.first_years.front(), last_year = fit.last_years.front();
  for (size_t unit_idx = 0; unit_idx < fit.unit_count(); ++unit_idx) {
    first_year = std::min(first_year, fit.first_years[unit_idx]);
    last_year = std::max(last_year, fit.last_years[unit_idx]);
  }
  std::string acceptance_text;
  for (double rate : fit.a_acceptance) acceptance_text += fmt::format(" {:.2f}", rate);
  result.text_preamble = fmt::format(
      "{}\n{} units, {}-{}, rates per {:g}\n{} chains x {} iterations, burn-in {}, thin {}: {} "
      "draws (seed {})\nacceptance of the Metropolis step for a by chain:{}\n{}\n\n",
      method, fit.unit_count(), first_year, last_year, priors.rate_denominator, settings.chains,
      settings.iterations, settings.burn_in, settings.thin, fit.draw_count(), settings.seed,
      acceptance_text,
      fit.converged()
          ? fmt::format("converged: R-hat <= {} and bulk ESS >= {:g} for every parameter",
                        settings.rhat_limit, settings.min_ess_per_chain * settings.chains)
          : "NOT CONVERGED: " + fmt::format("{}", fmt::join(fit.warnings, "; ")));
  return result;
}

std::string EncodeProjectFit(const ProjectFitResult& result, Format format, bool with_provenance) {
  switch (format) {
    case Format::kCsv:
      return result.table.Csv(with_provenance);
    case Format::kTable: {
      std::vector<std::vector<std::string>> rows = {
          {"parameter", "unit", "median", "lower95", "upper95", "rhat", "ess"}};
      for (const auto* list : {&result.fit.unit_summaries, &result.fit.global_summaries}) {
        for (const project::ParameterSummary& s : *list) {
          rows.push_back({s.name, s.unit, Shown(s.median), Shown(s.lower95), Shown(s.upper95),
                          std::isfinite(s.rhat) ? fmt::format("{:.3f}", s.rhat) : "NA",
                          std::isfinite(s.ess) ? fmt::format("{:.0f}", s.ess) : "NA"});
        }
      }
      return result.text_preamble + AlignedText(rows);
    }
    case Format::kJson:
      break;
  }
  return result.document.dump(2) + "\n";
}

}  // namespace kazmig::app

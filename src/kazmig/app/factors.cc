#include "kazmig/app/factors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "kazmig/core/error.h"
#include "kazmig/models/fe_regression.h"
#include "kazmig/models/prediction.h"

namespace kazmig::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ95 = 1.959963984540054;

// How each regional covariate is stated: its label, the change the effect is given for, the size
// of that change on the covariate's scale, and the subject of the sentence.
struct FactorWording {
  const char* name;
  const char* label;
  const char* change;
  double dx;
  const char* subject;
};

const FactorWording kRegionalWording[] = {
    {"log_rel_income", "per-capita income relative to the national level (year before)", "+10%",
     std::log(1.1),
     "Regions whose per-capita income was 10% higher relative to the national level (the year "
     "before)"},
    {"unemployment", "unemployment rate, % (year before)", "+1 point", 1.0,
     "Regions whose unemployment rate was 1 percentage point higher (the year before)"},
    {"housing_per_1000", "housing commissioned, m² per 1,000 residents (year before)",
     "+100 m² per 1,000", 100.0,
     "Regions that commissioned 100 m² more housing per 1,000 residents (the year before)"},
    {"log_grp_per_capita", "GRP per capita (year before)", "+10%", std::log(1.1),
     "Regions whose GRP per capita was 10% higher (the year before)"},
};

std::string Num(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s == fmt::format("-{:.{}f}", 0.0, decimals)) s = s.substr(1);
  return s;
}

std::string Signed(double value, int decimals) {
  const std::string s = Num(value, decimals);
  return value > 0 && s != Num(0.0, decimals) ? "+" + s : s;
}

bool IsPpml(const std::string& spec) { return spec != "regional"; }

// Fills effect, effect_low, effect_high, effect_unit of `f` from its coefficient interval and dx.
void SetEffect(FactorEstimate& f, double dx, bool log_link) {
  if (log_link) {
    f.effect = (std::exp(f.coefficient * dx) - 1.0) * 100.0;
    f.effect_low = (std::exp(std::min(f.low * dx, f.high * dx)) - 1.0) * 100.0;
    f.effect_high = (std::exp(std::max(f.low * dx, f.high * dx)) - 1.0) * 100.0;
    f.effect_unit = "%";
  } else {
    f.effect = f.coefficient * dx;
    f.effect_low = std::min(f.low * dx, f.high * dx);
    f.effect_high = std::max(f.low * dx, f.high * dx);
    f.effect_unit = "per 1,000 residents a year";
  }
}

// The sentence's subject for a factor of `spec`.
std::string SubjectOf(const FactorEstimate& f, const std::string& spec) {
  for (const FactorWording& w : kRegionalWording) {
    if (f.factor == w.name) return w.subject;
  }
  if (f.factor == "log_stock") {
    return "A corridor whose diaspora (people born in the origin country living in the "
           "destination country) was 10% larger at the start of a five-year period";
  }
  if (f.factor.rfind("year_", 0) == 0) {
    const size_t vs = f.change.find(" vs ");
    const std::string base = vs == std::string::npos ? "the first year" : f.change.substr(vs + 4);
    return fmt::format("{} {} (compared with {})",
                       spec == "cis-arrivals" ? "Arrivals from CIS partner countries in"
                                              : "Departures to CIS partner countries in",
                       f.factor.substr(5), base);
  }
  return f.label;
}

// "gained ... more residents" etc.: the verb phrase for a positive and a negative effect.
std::pair<std::string, std::string> VerbsOf(const std::string& spec) {
  if (spec == "regional") return {"gained", "lost"};
  if (spec == "gross-arrivals") return {"received", "received"};
  if (spec == "gross-departures") return {"saw", "saw"};
  if (spec == "international-network") return {"carried", "carried"};
  return {"were", "were"};
}

std::string ObjectOf(const std::string& spec, bool more) {
  const char* m = more ? "more" : "fewer";
  if (spec == "regional") return "more residents per 1,000 a year through migration";
  if (spec == "gross-arrivals") return fmt::format("{} registered arrivals per resident", m);
  if (spec == "gross-departures") return fmt::format("{} registered departures per resident", m);
  if (spec == "international-network") return fmt::format("{} migrants over the period", m);
  return more ? "higher" : "lower";
}

std::string HeldFixed(const std::string& spec) {
  if (spec == "international-network") {
    return "other things equal (the origin's and destination's conditions in the period and the "
           "corridor's usual level held fixed)";
  }
  if (spec == "cis-arrivals" || spec == "cis-departures") return "with the partner mix held fixed";
  return "other things equal";
}

// ---- fitting
// -------------------------------------------------------------------------------------

// Dense integer codes of arbitrary keys, in order of first appearance.
template <typename Key>
std::vector<int32_t> Codes(const std::vector<Key>& keys, int32_t* levels) {
  std::unordered_map<Key, int32_t> index;
  std::vector<int32_t> codes(keys.size());
  for (size_t obs = 0; obs < keys.size(); ++obs) {
    auto [it, inserted] = index.emplace(keys[obs], static_cast<int32_t>(index.size()));
    codes[obs] = it->second;
  }
  *levels = static_cast<int32_t>(index.size());
  return codes;
}

void AddFixedEffect(models::FixedEffects& fe, const std::string& name,
                    const std::vector<long long>& keys) {
  int32_t levels = 0;
  fe.codes.push_back(Codes(keys, &levels));
  fe.levels.push_back(levels);
  fe.names.push_back(name);
}

// Copies the fit into `model` and builds its factors (every coefficient, with `wording` where one
// is given: label, change, dx).
void TakeFit(const models::FeResult& fit, FactorModel& model,
             const std::vector<FactorWording>& wording) {
  if (!fit.converged) {
    throw ComputeError(fmt::format(
        "factors: the {} specification did not converge after {} iterations (remaining relative "
        "deviance change {:.3g})",
        model.spec, fit.iterations, fit.relative_change));
  }
  model.names = fit.names;
  model.beta = fit.coefficients;
  model.vcov = fit.vcov;
  model.n_obs = fit.n_obs;
  model.n_dropped = fit.n_dropped;
  for (const auto& reason : fit.dropped_reasons)
    model.dropped_reasons.push_back(fmt::format("{}: {}", reason.count, reason.reason));
  model.collinear = fit.collinear;
  model.iterations = fit.iterations;
  model.converged = fit.converged;
  model.relative_change = fit.relative_change;
  for (size_t k = 0; k < fit.names.size(); ++k) {
    if (fit.names[k] == "(Intercept)") continue;
    FactorEstimate f;
    f.spec = model.spec;
    f.factor = fit.names[k];
    f.coefficient = fit.coefficients[static_cast<Eigen::Index>(k)];
    f.std_error = fit.std_errors[static_cast<Eigen::Index>(k)];
    f.low = f.coefficient - kZ95 * f.std_error;
    f.high = f.coefficient + kZ95 * f.std_error;
    double dx = 1.0;
    f.label = f.factor;
    f.change = "+1";
    for (const FactorWording& w : wording) {
      if (f.factor == w.name) {
        f.label = w.label;
        f.change = w.change;
        dx = w.dx;
      }
    }
    SetEffect(f, dx, IsPpml(model.spec));
    f.statement = PlainWords(f, model.spec);
    model.factors.push_back(std::move(f));
  }
  for (const std::string& name : fit.collinear) {
    model.not_identified.push_back(fmt::format(
        "'{}' is collinear with the fixed effects or the other covariates in this sample: its "
        "effect is not identified",
        name));
  }
}

std::string YearsOf(const models::RegionalPanel& panel) {
  std::set<int> years;
  for (const auto& row : panel.rows) years.insert(row.year);
  if (years.empty()) return "none";
  std::vector<std::string> parts;
  for (int year : years) parts.push_back(std::to_string(year));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string UnitsText(const RegionSystem& units) {
  return fmt::format(
      "{} ({} units: the 2018 and 2022 splits merged back — South Kazakhstan = Turkistan + "
      "Shymkent, East Kazakhstan = East Kazakhstan + Abai, Almaty region = Almaty region + "
      "Jetisu, Karaganda = Karaganda + Ulytau; counts summed, rates and per-capita values "
      "weighted by average population)",
      units.name(), units.size());
}

}  // namespace

std::string PlainWords(const FactorEstimate& f, const std::string& spec) {
  if (!std::isfinite(f.coefficient)) {
    return fmt::format("The effect of {} is not identified in this sample.", f.label);
  }
  const bool log_link = IsPpml(spec);
  const int decimals = log_link ? 1 : 2;
  const std::string unit = log_link ? "%" : "";
  const std::string subject = SubjectOf(f, spec);
  const bool clear = f.effect_low > 0 || f.effect_high < 0;
  if (spec == "cis-arrivals" || spec == "cis-departures") {
    if (clear) {
      const bool up = f.effect > 0;
      const double lo = up ? f.effect_low : -f.effect_high, hi = up ? f.effect_high : -f.effect_low;
      return fmt::format("{} were {}% ({}–{}%) {}, {}.", subject, Num(std::abs(f.effect), 1),
                         Num(lo, 1), Num(hi, 1), up ? "higher" : "lower", HeldFixed(spec));
    }
    return fmt::format(
        "{} differed by {}% (95% interval: {}% to {}%), {}; the interval includes zero, so the "
        "data do not establish a change.",
        subject, Signed(f.effect, 1), Signed(f.effect_low, 1), Signed(f.effect_high, 1),
        HeldFixed(spec));
  }
  const auto [verb_up, verb_down] = VerbsOf(spec);
  if (clear) {
    const bool up = f.effect > 0;
    const double lo = up ? f.effect_low : -f.effect_high, hi = up ? f.effect_high : -f.effect_low;
    return fmt::format("{} {} on average {}{} ({}–{}{}) {}, {}.", subject, up ? verb_up : verb_down,
                       Num(std::abs(f.effect), decimals), unit, Num(lo, decimals),
                       Num(hi, decimals), unit, ObjectOf(spec, up), HeldFixed(spec));
  }
  // The interval includes zero: say how large the effect may be either way.
  auto dir = [&](double v) {
    if (Num(std::abs(v), decimals) == Num(0.0, decimals)) return Num(0.0, decimals) + unit;
    return fmt::format("{}{} {}", Num(std::abs(v), decimals), unit, v > 0 ? "higher" : "lower");
  };
  const std::string noun = spec == "regional"           ? "a migration balance per 1,000 residents"
                           : spec == "gross-arrivals"   ? "registered arrivals per resident"
                           : spec == "gross-departures" ? "registered departures per resident"
                                                        : "a flow over the period";
  return fmt::format(
      "{} had {} on average {} (95% interval: {} to {}), {}; the interval includes zero, so the "
      "data do not establish the direction.",
      subject, noun, dir(f.effect), dir(f.effect_low), dir(f.effect_high), HeldFixed(spec));
}

models::RegionalInputs LoadRegionalInputs(KzDataset& kz) {
  const RegionSystem& units = RegionSystem::Builtin(kFactorUnits);
  // Weights: the kz-2022 average population of each year (BNS table 6576, 2022 borders).
  models::AtomWeights weights;
  const RegionSeries& pop = kz.Series("population_avg", "kz-2022");
  for (int year : pop.Years()) {
    for (size_t idx = 0; idx < pop.region_count(); ++idx) {
      if (auto v = pop.Get(idx, year); v && *v > 0) weights[year][pop.region_ids()[idx]] = *v;
    }
  }
  const std::vector<std::string> vintages = {"kz-2009", "kz-2018", "kz-2022"};
  auto harmonize = [&](const char* indicator, models::SeriesKind kind) {
    std::vector<const RegionSeries*> parts;
    for (const std::string& vintage : vintages) parts.push_back(&kz.Series(indicator, vintage));
    return models::HarmonizeSeries(parts, vintages, units, kind, weights);
  };
  using models::SeriesKind;
  models::RegionalInputs in;
  in.system = &units;
  in.population_jan1 = harmonize("population_jan1", SeriesKind::kCount);
  in.births = harmonize("births", SeriesKind::kCount);
  in.deaths = harmonize("deaths", SeriesKind::kCount);
  in.net_internal = harmonize("net_internal", SeriesKind::kCount);
  in.population_avg = harmonize("population_avg", SeriesKind::kCount);
  in.income = harmonize("income_per_capita", SeriesKind::kRate);
  in.unemployment = harmonize("unemployment_rate", SeriesKind::kRate);
  in.housing = harmonize("housing_commissioned", SeriesKind::kCount);
  in.grp_per_capita = harmonize("grp_per_capita", SeriesKind::kRate);
  // Years without a published GRP per capita (2010-2013, 2021): nominal GRP (million KZT) over the
  // average population, in thousand KZT, marked estimated.
  const RegionSeries grp = harmonize("grp_nominal", SeriesKind::kCount);
  const size_t derived = in.grp_per_capita.AddProvenance(Provenance::Estimated(
      "GRP per capita derived from nominal GRP (BNS 5927) / average population (BNS 6576)",
      "where table 5930 has no value"));
  for (int year : grp.Years()) {
    for (size_t idx = 0; idx < units.size(); ++idx) {
      const auto nominal = grp.Get(idx, year);
      const auto population = in.population_avg.Get(idx, year);
      if (in.grp_per_capita.Get(idx, year) || !nominal || !population || !(*population > 0))
        continue;
      in.grp_per_capita.Set(idx, year, *nominal * 1000.0 / *population, derived);
    }
  }
  in.arrivals = harmonize("arrivals_internal", SeriesKind::kCount);
  in.departures = harmonize("departures_internal", SeriesKind::kCount);
  return in;
}

FactorModel FitRegionalSpec(const models::RegionalPanel& panel, const RegionSystem& units,
                            const std::string& kind, int threads) {
  FactorModel model;
  model.spec = kind;
  const bool regional = kind == "regional";
  if (!regional && kind != "gross-arrivals" && kind != "gross-departures") {
    throw ComputeError(fmt::format("FitRegionalSpec: unknown kind '{}' (internal)", kind));
  }
  if (panel.rows.empty()) {
    throw ComputeError(fmt::format("factors: the {} specification has no observation", kind));
  }
  const size_t n = panel.rows.size();
  models::FeProblem problem;
  problem.y.resize(static_cast<Eigen::Index>(n));
  problem.x.resize(static_cast<Eigen::Index>(n), models::kRegionalCovariateCount);
  if (!regional) problem.offset.resize(static_cast<Eigen::Index>(n));
  std::vector<long long> region_keys(n), year_keys(n);
  for (size_t obs = 0; obs < n; ++obs) {
    const auto& row = panel.rows[obs];
    const auto i = static_cast<Eigen::Index>(obs);
    problem.y[i] =
        regional ? row.outcome : (kind == "gross-arrivals" ? row.arrivals : row.departures);
    for (size_t k = 0; k < models::kRegionalCovariateCount; ++k)
      problem.x(i, static_cast<Eigen::Index>(k)) = row.x[k];
    if (!regional) problem.offset[i] = std::log(row.population);
    region_keys[obs] = static_cast<long long>(row.region_idx);
    year_keys[obs] = row.year;
  }
  for (const char* name : models::kRegionalCovariates) problem.x_names.push_back(name);
  // Region effects where identifiable: every region observed in at least two years.
  std::map<long long, std::set<long long>> years_of_region;
  for (size_t obs = 0; obs < n; ++obs) years_of_region[region_keys[obs]].insert(year_keys[obs]);
  const bool region_effects =
      std::all_of(years_of_region.begin(), years_of_region.end(),
                  [](const auto& entry) { return entry.second.size() >= 2; });
  if (region_effects) AddFixedEffect(problem.fe, "region", region_keys);
  AddFixedEffect(problem.fe, "year", year_keys);
  int32_t region_levels = 0;
  problem.clusters = {Codes(region_keys, &region_levels)};
  problem.cluster_names = {"region"};
  models::FeOptions options;
  options.vcov = models::VcovType::kCluster;
  options.threads = std::max(1, threads);
  const models::FeResult fit =
      regional ? models::FitOlsFe(problem, options) : models::FitPpml(problem, options);
  TakeFit(fit, model,
          std::vector<FactorWording>(std::begin(kRegionalWording), std::end(kRegionalWording)));

  std::set<size_t> regions;
  int residual_rows = 0;
  for (const auto& row : panel.rows) {
    regions.insert(row.region_idx);
    residual_rows += row.official ? 0 : 1;
  }
  model.units = UnitsText(units);
  model.years = YearsOf(panel);
  model.fixed_effects = region_effects ? "region, year" : "year";
  if (!region_effects) {
    model.notes.push_back(
        "region effects are not identifiable (a region observed in one year only): the "
        "estimates compare regions with each other, so lasting regional traits are not held "
        "fixed");
    model.note_data.push_back({"no_region_effects", {}, {}});
  }
  model.std_errors = fmt::format("clustered by region ({} clusters)", regions.size());
  if (regional) {
    model.title = "Regional migration balance";
    model.outcome = "migration balance per 1,000 residents (average population)";
    model.method = "OLS with fixed effects (within estimator)";
    model.provenance = Provenance::Estimated(
        "factor model: regional panel, OLS with region and year fixed effects",
        fmt::format("balance per 1,000 on lagged log relative income, unemployment, housing per "
                    "1,000, log GRP per capita; {} units; years {}; SE clustered by region; "
                    "balances before 2022 are residuals (estimated: residual)",
                    units.name(), model.years));
    model.notes.push_back(fmt::format(
        "{} of {} balances are *estimated: residual* (1 January population change minus births "
        "plus deaths): they include international migration, while the official balances of "
        "2022 onwards are inter-regional only; the year effects absorb the national level of "
        "international migration, not its regional pattern",
        residual_rows, panel.rows.size()));
    model.note_data.push_back(
        {"residual_balances",
         {static_cast<double>(residual_rows), static_cast<double>(panel.rows.size())},
         {}});
  } else {
    const bool arrivals = kind == "gross-arrivals";
    model.title = arrivals ? "Gross internal arrivals" : "Gross internal departures";
    model.outcome = arrivals
                        ? "registered internal arrivals (persons), exposure: average population"
                        : "registered internal departures (persons), exposure: average "
                          "population";
    model.method = "PPML with fixed effects (log average population as offset)";
    model.provenance = Provenance::Estimated(
        fmt::format("factor model: gross internal {}, PPML with region and year fixed effects",
                    arrivals ? "arrivals" : "departures"),
        fmt::format("lagged log relative income, unemployment, housing per 1,000, log GRP per "
                    "capita; offset log average population; {} units; years {}; SE clustered by "
                    "region",
                    units.name(), model.years));
    const bool has_2024 = model.years.find("2024") != std::string::npos;
    model.notes.push_back(fmt::format(
        "registered arrivals and departures include moves between districts inside a region; {}",
        has_2024 ? "the 2024 registration break (about +48% registered moves) is absorbed by the "
                   "2024 year effect only in so far as it is uniform across regions"
                 : "2024, the year of the registration break (about +48% registered moves), is "
                   "not in the fit (its lagged covariates are incomplete: see the region-years "
                   "left out)"));
    model.note_data.push_back({"gross_registration", {has_2024 ? 1.0 : 0.0}, {}});
  }
  model.not_identified.push_back(
      "anything constant within a region over the years fitted (distance to Astana or Almaty, "
      "climate, ethnic composition, the north/south grouping) is absorbed by the region effects; "
      "anything common to all regions in a year (national wages, the exchange rate, the national "
      "level of international migration) by the year effects: the estimates come from changes "
      "relative to each region's own average and each year's average");
  model.not_identified.push_back(fmt::format(
      "with {} regions the clustered standard errors rest on {} clusters; the factors are "
      "associations, not causal effects (reverse causation: migrants change unemployment and "
      "housing demand too)",
      regions.size(), regions.size()));
  if (!panel.excluded.empty()) {
    std::map<std::string, int> reasons;
    for (const auto& e : panel.excluded) {
      std::string r = e.reason;
      // Group by the reason without its year.
      const size_t of = r.rfind(" of ");
      if (of != std::string::npos) r = r.substr(0, of);
      ++reasons[r];
    }
    std::vector<std::string> parts;
    FactorModel::Note note{"left_out", {}, {}};
    for (const auto& [reason, count] : reasons) {
      parts.push_back(fmt::format("{} ({})", reason, count));
      note.numbers.push_back(count);
      note.labels.push_back(reason);
    }
    model.notes.push_back(fmt::format("region-years left out: {}", fmt::join(parts, "; ")));
    model.note_data.push_back(std::move(note));
  }
  return model;
}

namespace {

FactorModel FitNetwork(KzDataset& kz, int threads, std::vector<CorridorFit>* corridors,
                       std::vector<std::string>* notes) {
  std::vector<models::CountryFlowRow> flows;
  for (const store::FlowRow& row : kz.Flows("world_abel_flows"))
    flows.push_back({row.orig, row.dest, row.year, row.value});
  std::vector<models::CountryStockRow> stocks;
  for (const store::StockRow& row : kz.store().LoadStocks("world_un_stock"))
    stocks.push_back({row.pob, row.por, row.year, row.value});
  if (flows.empty() || stocks.empty()) {
    throw ComputeError(
        "factors: the built-in world tables (world_abel_flows, world_un_stock) are not loaded");
  }
  const models::NetworkPanel panel = models::BuildNetworkPanel(flows, stocks);
  const size_t n = panel.rows.size();
  models::FeProblem problem;
  problem.y.resize(static_cast<Eigen::Index>(n));
  problem.x.resize(static_cast<Eigen::Index>(n), 1);
  problem.x_names = {"log_stock"};
  const long long countries = static_cast<long long>(panel.countries.size());
  std::vector<long long> orig_period(n), dest_period(n), pair(n);
  for (size_t obs = 0; obs < n; ++obs) {
    const auto& row = panel.rows[obs];
    problem.y[static_cast<Eigen::Index>(obs)] = row.flow;
    problem.x(static_cast<Eigen::Index>(obs), 0) = row.log_stock;
    orig_period[obs] = static_cast<long long>(row.orig) * 100 + static_cast<long long>(row.period);
    dest_period[obs] = static_cast<long long>(row.dest) * 100 + static_cast<long long>(row.period);
    pair[obs] = static_cast<long long>(row.orig) * countries + static_cast<long long>(row.dest);
  }
  AddFixedEffect(problem.fe, "orig_period", orig_period);
  AddFixedEffect(problem.fe, "dest_period", dest_period);
  AddFixedEffect(problem.fe, "pair", pair);
  problem.clusters = {problem.fe.codes[2]};
  problem.cluster_names = {"pair"};
  models::FeOptions options;
  options.vcov = models::VcovType::kCluster;
  options.threads = std::max(1, threads);
  const models::FeResult fit = models::FitPpml(problem, options);

  FactorModel model;
  model.spec = "international-network";
  TakeFit(fit, model,
          {{"log_stock", "diaspora stock at the start of the period (log)", "+10%", std::log(1.1),
            ""}});
  model.title = "International migrant networks (world panel)";
  model.outcome = "Abel & Cohen (2019) 5-year bilateral flows (estimated), zeros included";
  model.method = "PPML with fixed effects";
  model.fixed_effects = "origin × period, destination × period, pair";
  model.std_errors = fmt::format("clustered by pair ({} pairs)", problem.fe.levels[2]);
  model.units = fmt::format("{} countries, {} five-year periods", panel.countries.size(),
                            panel.periods.size());
  model.years = fmt::format("{}-{}", panel.periods.front(), panel.periods.back() + 5);
  model.provenance = Provenance::Estimated(
      "factor model: migrant networks, PPML with origin-period, destination-period and pair "
      "fixed effects",
      "flows: Abel & Cohen (2019) da_pb_closed, zeros included; log UN DESA stock (2020 "
      "revision) of origin-born in the destination at the period start; SE clustered by pair");
  model.notes.push_back(fmt::format(
      "{} flows ({} persons) of pairs without a positive UN DESA stock at the period start are "
      "left out (no log); pair-periods with a stock and no flow row count as zero flows",
      panel.flows_without_stock, HumanNumber(panel.flow_without_stock_total)));
  model.note_data.push_back(
      {"flows_without_stock",
       {static_cast<double>(panel.flows_without_stock), panel.flow_without_stock_total},
       {}});
  model.not_identified.push_back(
      "anything constant for a pair (distance, language, shared history, visa-free travel "
      "throughout) is absorbed by the pair effects, and anything of a country in a period (its "
      "wages, wars, population) by the origin × period and destination × period effects: the "
      "elasticity comes from changes of a corridor's diaspora over time");
  model.not_identified.push_back(
      "Abel & Cohen's flows are themselves estimated from changes in these UN stocks, so the "
      "elasticity partly reflects how the flows were estimated: read it as an association "
      "within the estimates, not as a measured network effect");

  // Kazakhstan's corridors: the model's fitted values beside Abel & Cohen's estimates.
  std::unordered_map<std::string, size_t> country_idx;
  for (size_t idx = 0; idx < panel.countries.size(); ++idx) country_idx[panel.countries[idx]] = idx;
  auto kaz = country_idx.find("KAZ");
  if (kaz != country_idx.end() && corridors != nullptr) {
    std::map<std::pair<std::string, size_t>, CorridorFit> by_key;  // (partner, period)
    std::map<std::string, double> total_latest;
    auto corridor = [&](const std::string& partner, size_t period) -> CorridorFit& {
      CorridorFit& c = by_key[{partner, period}];
      if (c.partner.empty()) {
        c.partner = partner;
        c.period = fmt::format("{}-{}", panel.periods[period], panel.periods[period] + 5);
        c.to_kaz = c.from_kaz = 0;  // no row in Abel & Cohen's table: no flow
        c.to_kaz_model = c.from_kaz_model = c.stock_in_kaz = c.stock_from_kaz = kNaN;
      }
      return c;
    };
    // Abel & Cohen's estimates, in the fit or not (a pair without a stock is not).
    for (const models::CountryFlowRow& f : flows) {
      if ((f.orig != "KAZ") == (f.dest != "KAZ")) continue;
      const size_t period = static_cast<size_t>(
          std::lower_bound(panel.periods.begin(), panel.periods.end(), f.period_start) -
          panel.periods.begin());
      const bool to_kaz = f.dest == "KAZ";
      CorridorFit& c = corridor(to_kaz ? f.orig : f.dest, period);
      (to_kaz ? c.to_kaz : c.from_kaz) += f.flow;
    }
    size_t fitted_idx = 0;
    for (size_t obs = 0; obs < n; ++obs) {
      const bool used = fit.used.empty() || fit.used[obs] != 0;
      const double fitted = used ? fit.fitted[static_cast<Eigen::Index>(fitted_idx)] : kNaN;
      if (used) ++fitted_idx;
      const auto& row = panel.rows[obs];
      if (row.orig != kaz->second && row.dest != kaz->second) continue;
      const bool to_kaz = row.dest == kaz->second;
      CorridorFit& c = corridor(panel.countries[to_kaz ? row.orig : row.dest], row.period);
      (to_kaz ? c.to_kaz_model : c.from_kaz_model) = fitted;
      (to_kaz ? c.stock_in_kaz : c.stock_from_kaz) = std::exp(row.log_stock);
    }
    const size_t latest = panel.periods.size() - 1;
    for (auto& [key, c] : by_key) {
      if (key.second == latest) total_latest[key.first] = c.to_kaz + c.from_kaz;
    }
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [partner, total] : total_latest) ranked.push_back({-total, partner});
    std::sort(ranked.begin(), ranked.end());
    for (size_t rank = 0; rank < std::min<size_t>(10, ranked.size()); ++rank) {
      for (auto& [key, c] : by_key) {
        if (key.first != ranked[rank].second) continue;
        c.name = kz.CountryName(c.partner);
        corridors->push_back(c);
      }
    }
    if (notes != nullptr && corridors->empty())
      notes->push_back("no corridor of Kazakhstan in the world panel");
  }
  return model;
}

FactorModel FitPartners(KzDataset& kz, const std::string& spec, int threads) {
  const bool arrivals = spec == "cis-arrivals";
  const auto& flows =
      kz.Flows(arrivals ? "intl_arrivals_by_partner" : "intl_departures_by_partner");
  std::vector<std::string> partners;
  std::vector<int> years;
  std::vector<double> values;
  bool preliminary = false;
  for (const store::FlowRow& row : flows) {
    const std::string& partner = arrivals ? row.orig : row.dest;
    if (partner == "CIS" || partner == "NON_CIS" || partner == "KAZ") continue;
    partners.push_back(partner);
    years.push_back(row.year);
    values.push_back(row.value);
    preliminary |= row.provenance.preliminary;
  }
  if (values.empty()) {
    throw ComputeError(fmt::format("factors: no official {} by partner in the store",
                                   arrivals ? "arrivals" : "departures"));
  }
  const std::set<int> year_set(years.begin(), years.end());
  const std::vector<int> year_list(year_set.begin(), year_set.end());
  const size_t n = values.size();
  models::FeProblem problem;
  problem.y = Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(n));
  problem.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n),
                                    static_cast<Eigen::Index>(year_list.size() - 1));
  for (size_t k = 1; k < year_list.size(); ++k)
    problem.x_names.push_back(fmt::format("year_{}", year_list[k]));
  std::vector<long long> partner_keys(n);
  std::map<std::string, long long> partner_idx;
  for (size_t obs = 0; obs < n; ++obs) {
    partner_keys[obs] =
        partner_idx.emplace(partners[obs], static_cast<long long>(partner_idx.size()))
            .first->second;
    const auto pos =
        std::lower_bound(year_list.begin(), year_list.end(), years[obs]) - year_list.begin();
    if (pos > 0) problem.x(static_cast<Eigen::Index>(obs), pos - 1) = 1.0;
  }
  AddFixedEffect(problem.fe, "partner", partner_keys);
  models::FeOptions options;
  options.vcov = models::VcovType::kHc1;
  options.threads = std::max(1, threads);
  const models::FeResult fit = models::FitPpml(problem, options);
  FactorModel model;
  model.spec = spec;
  std::vector<FactorWording> wording;
  std::vector<std::string> labels;
  labels.reserve(year_list.size());
  for (size_t k = 1; k < year_list.size(); ++k)
    labels.push_back(fmt::format("year {} (vs {})", year_list[k], year_list.front()));
  std::vector<std::string> changes(year_list.size(), "");
  for (size_t k = 1; k < year_list.size(); ++k) {
    changes[k] = fmt::format("{} vs {}", year_list[k], year_list.front());
    wording.push_back(
        {problem.x_names[k - 1].c_str(), labels[k - 1].c_str(), changes[k].c_str(), 1.0, ""});
  }
  TakeFit(fit, model, wording);  // copies the wording's strings into the factors
  model.title =
      arrivals ? "Arrivals from CIS partner countries" : "Departures to CIS partner countries";
  model.outcome = arrivals ? "official arrivals for permanent residence by partner (persons)"
                           : "official departures for permanent residence by partner (persons)";
  model.method = "PPML with fixed effects";
  model.fixed_effects = "partner (year indicators as covariates)";
  model.std_errors = fmt::format("heteroskedasticity-robust (HC1); {} partners, too few to cluster",
                                 partner_idx.size());
  model.units = fmt::format("{} CIS partner countries", partner_idx.size());
  model.years = fmt::format("{}-{}", year_list.front(), year_list.back());
  model.provenance = Provenance::Estimated(
      fmt::format("factor model: {} by CIS partner, PPML with partner fixed effects",
                  arrivals ? "arrivals" : "departures"),
      fmt::format("official CIS-Stat/BNS flows {}, year indicators vs {}, HC1", model.years,
                  year_list.front()));
  model.not_identified.push_back(
      "the year effects mix everything common to the partners in a year (Kazakhstan's economy, "
      "the 2022 mobilisation in Russia, rule changes); what makes one partner larger than another "
      "is absorbed by the partner effects");
  if (preliminary) {
    model.notes.push_back("the last year's figures are preliminary");
    model.note_data.push_back({"preliminary", {}, {}});
  }
  return model;
}

}  // namespace

FactorsResult RunFactors(KzDataset& kz, const FactorsRequest& request) {
  const std::string& spec = request.spec;
  if (spec != "regional" && spec != "gross" && spec != "international" && spec != "all") {
    throw UsageError(
        fmt::format("--spec: '{}' is not one of regional, gross, international, all", spec));
  }
  FactorsResult result;
  if (spec == "regional" || spec == "gross" || spec == "all") {
    const models::RegionalInputs inputs = LoadRegionalInputs(kz);
    const RegionSystem& units = *inputs.system;
    if (spec != "gross") {
      result.models.push_back(
          FitRegionalSpec(models::BuildRegionalPanel(inputs), units, "regional", request.threads));
    }
    if (spec != "regional") {
      const models::RegionalPanel gross = models::BuildGrossPanel(inputs);
      result.models.push_back(FitRegionalSpec(gross, units, "gross-arrivals", request.threads));
      result.models.push_back(FitRegionalSpec(gross, units, "gross-departures", request.threads));
    }
  }
  if (spec == "international" || spec == "all") {
    result.models.push_back(FitNetwork(kz, request.threads, &result.corridors, &result.notes));
    result.models.push_back(FitPartners(kz, "cis-arrivals", request.threads));
    result.models.push_back(FitPartners(kz, "cis-departures", request.threads));
  }
  result.notes.push_back(
      "the inter-regional OD matrix of the built-in data is itself modelled from distance and "
      "population, so no gravity model is fitted to it");
  return result;
}

ResultTable FactorsTable(const FactorsResult& result) {
  ResultTable table({"spec", "factor", "label", "coefficient", "std_error", "ci_low", "ci_high",
                     "change", "effect", "effect_low", "effect_high", "effect_unit", "n_obs",
                     "statement"});
  for (const FactorModel& model : result.models) {
    const size_t provenance = table.AddProvenance(model.provenance.ToString());
    for (const FactorEstimate& f : model.factors) {
      table.AddRow({Cell::Text(f.spec), Cell::Text(f.factor), Cell::Text(f.label),
                    Cell::Number(f.coefficient), Cell::Number(f.std_error), Cell::Number(f.low),
                    Cell::Number(f.high), Cell::Text(f.change), Cell::Number(f.effect),
                    Cell::Number(f.effect_low), Cell::Number(f.effect_high),
                    Cell::Text(f.effect_unit), Cell::Integer(model.n_obs), Cell::Text(f.statement)},
                   provenance);
    }
  }
  return table;
}

std::string EncodeFactors(const FactorsResult& result, Format format, bool with_provenance) {
  const ResultTable table = FactorsTable(result);
  if (format == Format::kCsv) return table.Csv(with_provenance);
  if (format == Format::kJson) {
    Json doc = Json::object();
    Json specs = Json::array();
    for (const FactorModel& model : result.models) {
      Json m = Json::object();
      m["spec"] = model.spec;
      m["title"] = model.title;
      m["outcome"] = model.outcome;
      m["method"] = model.method;
      m["fixed_effects"] = model.fixed_effects;
      m["std_errors"] = model.std_errors;
      m["units"] = model.units;
      m["years"] = model.years;
      m["n_obs"] = model.n_obs;
      m["n_dropped"] = model.n_dropped;
      m["dropped_reasons"] = model.dropped_reasons;
      m["collinear"] = model.collinear;
      m["iterations"] = model.iterations;
      m["converged"] = model.converged;
      Json coefficients = Json::object(), errors = Json::object(), vcov = Json::object();
      for (size_t k = 0; k < model.names.size(); ++k) {
        const auto i = static_cast<Eigen::Index>(k);
        coefficients[model.names[k]] = Cell::Number(model.beta[i]).ToJson();
        errors[model.names[k]] = Cell::Number(std::sqrt(model.vcov(i, i))).ToJson();
        Json row = Json::object();
        for (size_t l = 0; l < model.names.size(); ++l)
          row[model.names[l]] = Cell::Number(model.vcov(i, static_cast<Eigen::Index>(l))).ToJson();
        vcov[model.names[k]] = row;
      }
      m["coefficients"] = coefficients;
      m["std_errors_by_name"] = errors;
      m["vcov"] = vcov;
      m["not_identified"] = model.not_identified;
      m["notes"] = model.notes;
      m["provenance"] = model.provenance.ToString();
      specs.push_back(m);
    }
    doc["specifications"] = specs;
    doc["factors"] = table.ToJson(true);
    Json corridors = Json::array();
    for (const CorridorFit& c : result.corridors) {
      Json row = Json::object();
      row["partner"] = c.partner;
      row["name"] = c.name;
      row["period"] = c.period;
      row["to_kaz"] = Cell::Number(c.to_kaz).ToJson();
      row["to_kaz_model"] = Cell::Number(c.to_kaz_model).ToJson();
      row["from_kaz"] = Cell::Number(c.from_kaz).ToJson();
      row["from_kaz_model"] = Cell::Number(c.from_kaz_model).ToJson();
      row["stock_in_kaz"] = Cell::Number(c.stock_in_kaz).ToJson();
      row["stock_from_kaz"] = Cell::Number(c.stock_from_kaz).ToJson();
      row["provenance"] =
          "estimated: Abel & Cohen (2019) flows; model: migrant-network PPML fitted values";
      corridors.push_back(row);
    }
    doc["corridors"] = corridors;
    doc["method"] =
        "fixed-effects regressions on official statistics (docs/factors.md); the inter-regional "
        "OD matrix of the built-in data is itself modelled from distance and population, so no "
        "gravity model is fitted to it";
    return doc.dump(2) + "\n";
  }
  // Table: per specification a heading, its facts, the factors, and what it cannot identify.
  std::string out;
  for (const FactorModel& model : result.models) {
    out += fmt::format("== {} ({}) — estimated\n", model.title, model.spec);
    out += fmt::format("outcome: {}\nmethod: {}; fixed effects: {}; standard errors: {}\n",
                       model.outcome, model.method, model.fixed_effects, model.std_errors);
    out += fmt::format("units: {}\nyears: {}; observations used: {}; dropped: {}\n", model.units,
                       model.years, model.n_obs, model.n_dropped);
    std::vector<std::vector<std::string>> rows = {
        {"factor", "coefficient", "95% interval", "change", "effect", "95% interval"}};
    for (const FactorEstimate& f : model.factors) {
      const int d = IsPpml(model.spec) ? 1 : 2;
      rows.push_back(
          {f.factor, TableNumber(f.coefficient, Unit::kCoefficient),
           fmt::format("{} to {}", TableNumber(f.low, Unit::kCoefficient),
                       TableNumber(f.high, Unit::kCoefficient)),
           f.change,
           Signed(f.effect, d) + (f.effect_unit == "%" && std::isfinite(f.effect) ? "%" : ""),
           fmt::format("{} to {}", Signed(f.effect_low, d), Signed(f.effect_high, d))});
    }
    out += AlignedText(rows);
    for (const FactorEstimate& f : model.factors) out += "- " + f.statement + "\n";
    for (const std::string& s : model.not_identified) out += "cannot identify: " + s + "\n";
    for (const std::string& s : model.notes) out += "note: " + s + "\n";
    out += "\n";
  }
  if (!result.corridors.empty()) {
    out += "== Kazakhstan's corridors: Abel & Cohen estimates and the network model's fit\n";
    std::vector<std::vector<std::string>> rows = {{"partner", "iso3", "period", "to KAZ", "model",
                                                   "from KAZ", "model", "stock in KAZ",
                                                   "KAZ-born there"}};
    // Flows (Abel & Cohen's and the model's) are estimates: 3 significant digits; the stocks
    // (UN DESA) whole persons.
    auto estimated = [](double x) { return TableNumber(x, Unit::kEstimatedPersons); };
    for (const CorridorFit& c : result.corridors) {
      rows.push_back({c.name, c.partner, c.period, estimated(c.to_kaz), estimated(c.to_kaz_model),
                      estimated(c.from_kaz), estimated(c.from_kaz_model),
                      HumanNumber(c.stock_in_kaz), HumanNumber(c.stock_from_kaz)});
    }
    out += AlignedText(rows);
    out +=
        "note: to KAZ, from KAZ, model: estimated persons, rounded to 3 significant digits "
        "(full precision with --format csv or json)\n";
  }
  return out;
}

}  // namespace kazmig::app

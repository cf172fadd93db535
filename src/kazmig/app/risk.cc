#include "kazmig/app/risk.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

#include "kazmig/app/project.h"
#include "kazmig/app/selection.h"
#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"
#include "kazmig/risk/index.h"
#include "kazmig/risk/kz_components.h"
#include "kazmig/risk/sensitivity.h"
#include "kazmig/risk/warnings.h"

namespace kazmig::app {
namespace {

// The components the index is built from, with what the method and the faces need about them.
struct Inputs {
  std::vector<std::string> region_ids;
  std::vector<std::string> region_names;
  std::vector<risk::Component> components;
  std::vector<RiskComponentInfo> info;  // same order
  std::vector<risk::ComponentHistory> histories;
  std::vector<std::string> known_components;  // names a weights or rules file may use
  Json source;
  // Under a scenario: the baseline's values of the same components (same regions), normalised
  // together with `components` so that the scores of the two compare; not ranked.
  std::vector<risk::Component> reference;
  Json scenario = nullptr;
  Json missing = Json::array();
  Json imputed = Json::array();
  std::vector<RiskResult::YearCoverage> coverage;
};

std::string DisplayName(const std::string& id) {
  const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
  if (const auto idx = kz.IndexOfId(id)) return kz[*idx].name_en;
  return id;
}

// ---- the user's components file ----------------------------------------------------------------

Inputs ReadComponentsFile(const std::string& path) {
  io::CsvReader csv(path);
  const size_t region_col = csv.Column("region");
  const size_t component_col = csv.Column("component");
  const size_t value_col = csv.Column("value");
  const size_t direction_col = csv.Column("direction");
  Inputs inputs;
  std::unordered_map<std::string, size_t> region_index;
  struct Pending {
    risk::Direction direction;
    long first_line;
    std::map<size_t, double> values;
  };
  std::vector<std::string> component_order;
  std::map<std::string, Pending> pending;
  while (csv.Next()) {
    const std::string region(csv.RequiredField(region_col));
    const std::string component(csv.RequiredField(component_col));
    const std::string_view sign = csv.RequiredField(direction_col);
    if (sign != "+" && sign != "-") {
      csv.Fail(direction_col,
               fmt::format("direction must be '+' (more risk) or '-' (less risk), not '{}'", sign));
    }
    const risk::Direction direction =
        sign == "+" ? risk::Direction::kMoreRisk : risk::Direction::kLessRisk;
    const std::optional<double> value = csv.OptionalDouble(value_col);
    if (!value) {
      csv.Fail(value_col,
               fmt::format("component '{}' has no value for region '{}'", component, region));
    }
    auto [region_it, new_region] = region_index.try_emplace(region, inputs.region_ids.size());
    if (new_region) {
      inputs.region_ids.push_back(region);
      inputs.region_names.push_back(DisplayName(region));
    }
    auto [it, new_component] = pending.try_emplace(component, Pending{direction, csv.line(), {}});
    if (new_component) {
      component_order.push_back(component);
    } else if (it->second.direction != direction) {
      csv.Fail(direction_col,
               fmt::format("component '{}' has direction '{}' here but '{}' on line {}", component,
                           sign, risk::DirectionSign(it->second.direction), it->second.first_line));
    }
    if (!it->second.values.emplace(region_it->second, *value).second) {
      csv.Fail(component_col,
               fmt::format("component '{}' appears twice for region '{}'", component, region));
    }
  }
  csv.RequireRecords();
  for (const std::string& name : component_order) {
    const Pending& p = pending.at(name);
    risk::Component component{name, p.direction, "", {}};
    for (size_t region_idx = 0; region_idx < inputs.region_ids.size(); ++region_idx) {
      const auto value = p.values.find(region_idx);
      if (value == p.values.end()) {
        throw InputError(path, p.first_line, static_cast<long>(component_col + 1),
                         fmt::format("component '{}' has no value for region '{}'", name,
                                     inputs.region_ids[region_idx]));
      }
      component.values.push_back(value->second);
    }
    inputs.info.push_back({name, "", risk::DirectionSign(p.direction), "", "", path, "user file"});
    inputs.known_components.push_back(name);
    inputs.components.push_back(std::move(component));
  }
  inputs.source = {{"file", path}};
  return inputs;
}

// ---- the built-in components -------------------------------------------------------------------

struct KzSeriesSet {
  risk::KzSeries series;
};

KzSeriesSet LoadKzSeries(KzDataset& kz) {
  KzSeriesSet set;
  risk::KzSeries& s = set.series;
  for (const Region& region : kz.system().regions()) s.regions.push_back(region.id);
  s.population_avg = &kz.Series("population_avg");
  s.births = &kz.Series("births");
  s.deaths = &kz.Series("deaths");
  s.net_all = &kz.Series("net_all");
  s.net_internal = &kz.Series("net_internal");
  s.departures_internal = &kz.Series("departures_internal");
  s.arrivals_internal = &kz.Series("arrivals_internal");
  s.housing_commissioned = &kz.Series("housing_commissioned");
  s.unemployment_rate = &kz.Series("unemployment_rate");
  s.income_per_capita = &kz.Series("income_per_capita");
  return set;
}

// The years any input series covers (candidates for the index).
std::vector<int> CandidateYears(const risk::KzSeries& s) {
  std::set<int> years;
  for (const RegionSeries* series :
       {s.population_avg, s.births, s.deaths, s.net_all, s.net_internal, s.departures_internal,
        s.arrivals_internal, s.housing_commissioned, s.unemployment_rate, s.income_per_capita}) {
    if (series == nullptr) continue;
    for (int year : series->Years()) years.insert(year);
  }
  return {years.begin(), years.end()};
}

// A year "has data" when at least two components can be built (an index of one component is a
// ranking of that component, not a composite).
constexpr size_t kMinComponents = 2;

Inputs BuiltinInputs(KzDataset& kz, int& year) {
  const KzSeriesSet set = LoadKzSeries(kz);
  const risk::KzSeries& s = set.series;
  Inputs inputs;
  std::map<int, risk::KzYearComponents> by_year;
  for (int candidate : CandidateYears(s)) {
    risk::KzYearComponents built = risk::BuildKzComponents(s, candidate);
    if (built.components.size() < kMinComponents) continue;
    RiskResult::YearCoverage coverage;
    coverage.year = candidate;
    for (const risk::Component& component : built.components) {
      coverage.available.push_back(component.name);
    }
    for (const risk::MissingComponent& missing : built.missing) {
      coverage.missing.emplace_back(missing.component, missing.reason);
    }
    inputs.coverage.push_back(std::move(coverage));
    by_year.emplace(candidate, std::move(built));
  }
  if (by_year.empty()) {
    throw UsageError(
        "risk: the built-in data has no year with at least two components (is the dataset "
        "loaded? see `kazmig data init`)");
  }
  if (year == 0) {
    // The latest year among those with the most components.
    size_t best = 0;
    for (const auto& [candidate, built] : by_year) {
      if (built.components.size() >= best) {
        best = built.components.size();
        year = candidate;
      }
    }
  }
  const auto it = by_year.find(year);
  if (it == by_year.end()) {
    std::vector<int> years;
    for (const auto& [candidate, built] : by_year) years.push_back(candidate);
    RequireYear("--year", year, years,
                fmt::format("the risk index (at least {} components in the built-in data)",
                            kMinComponents));
  }
  const risk::KzYearComponents& built = it->second;
  for (const Region& region : kz.system().regions()) {
    inputs.region_ids.push_back(region.id);
    inputs.region_names.push_back(region.name_en);
  }
  inputs.components = built.components;
  for (size_t idx = 0; idx < built.components.size(); ++idx) {
    for (const risk::ComponentInfo& info : risk::KzComponentCatalogue()) {
      if (info.name != built.components[idx].name) continue;
      inputs.info.push_back(
          {info.name, info.group, risk::DirectionSign(info.direction), info.unit, info.formula,
           info.source,
           built.official[idx] ? "official" : "estimated (includes imputed or estimated values)"});
    }
  }
  for (const risk::ComponentInfo& info : risk::KzComponentCatalogue()) {
    inputs.known_components.push_back(info.name);
  }
  for (const risk::MissingComponent& missing : built.missing) {
    inputs.missing.push_back({{"component", missing.component}, {"reason", missing.reason}});
  }
  for (const risk::Imputation& imputation : built.imputed) {
    inputs.imputed.push_back({{"component", imputation.component},
                              {"region", imputation.region},
                              {"year", imputation.year},
                              {"from_year", imputation.from_year},
                              {"value", imputation.value},
                              {"method",
                               "the region's own value in the nearest year (earlier "
                               "first, at most 2 years away); estimated"}});
  }
  // The rules look back up to 5 years (no imputation in the histories).
  std::vector<int> history_years;
  for (int y = year - 5; y <= year; ++y) history_years.push_back(y);
  inputs.histories = risk::KzHistories(s, history_years);
  inputs.source = {{"dataset", kz.Description()},
                   {"boundaries",
                    "kz-2022 (20 regions); every series read at 2022 borders (population_avg is "
                    "recalculated by the Bureau to 2022 borders for 2009-2025; the other series "
                    "are at 2022 borders from 2022)"}};
  return inputs;
}

// ---- weights and rules files -------------------------------------------------------------------

struct Weights {
  std::vector<double> values;  // per component in use
  Json description;
  std::optional<risk::PcaWeights> pca;
};

Weights ResolveWeights(const RiskRequest& request, const Inputs& inputs,
                       std::vector<std::string>& notes) {
  Weights weights;
  const size_t count = inputs.components.size();
  if (request.weights.empty() || request.weights == "equal") {
    weights.values = risk::EqualWeights(count);
    weights.description = "equal";
    return weights;
  }
  if (request.weights == "pca") {
    weights.pca = risk::ComputePcaWeights(inputs.components, request.winsorise);
    weights.values = weights.pca->weights;
    weights.description = "pca";
    std::string used;
    for (size_t idx = 0; idx < count; ++idx) {
      used += fmt::format("{}{} {:.4f}", idx ? ", " : "", inputs.components[idx].name,
                          weights.values[idx]);
    }
    notes.push_back(fmt::format("PCA weights ({} factor{} retained): {}", weights.pca->retained,
                                weights.pca->retained == 1 ? "" : "s", used));
    return weights;
  }
  io::CsvReader csv(request.weights);
  const size_t component_col = csv.Column("component");
  const size_t weight_col = csv.Column("weight");
  std::map<std::string, double> given;
  std::map<std::string, long> lines;
  double sum = 0;
  long last_line = 0;
  while (csv.Next()) {
    const std::string name(csv.RequiredField(component_col));
    if (std::find(inputs.known_components.begin(), inputs.known_components.end(), name) ==
        inputs.known_components.end()) {
      csv.Fail(component_col, fmt::format("unknown component '{}' (components: {})", name,
                                          fmt::join(inputs.known_components, ", ")));
    }
    const double weight = csv.Double(weight_col);
    if (weight < 0) csv.Fail(weight_col, fmt::format("weight {} is negative", weight));
    if (!given.emplace(name, weight).second) {
      csv.Fail(component_col, fmt::format("component '{}' is weighted twice", name));
    }
    lines[name] = csv.line();
    sum += weight;
    last_line = csv.line();
  }
  csv.RequireRecords();
  if (std::fabs(sum - 1.0) > 1e-6 && !request.normalise_weights) {
    throw InputError(
        request.weights, last_line, static_cast<long>(weight_col + 1),
        fmt::format("the weights sum to {}, not 1 (--normalise-weights rescales them)", sum));
  }
  double used_sum = 0;
  for (const risk::Component& component : inputs.components) {
    const auto it = given.find(component.name);
    if (it == given.end()) {
      throw InputError(request.weights, 0, 0,
                       fmt::format("no weight for component '{}'", component.name));
    }
    weights.values.push_back(it->second);
    used_sum += it->second;
  }
  std::vector<std::string> dropped;
  for (const auto& [name, weight] : given) {
    const bool used = std::any_of(inputs.components.begin(), inputs.components.end(),
                                  [&](const auto& c) { return c.name == name; });
    if (!used) dropped.push_back(name);
  }
  if (!(used_sum > 0)) {
    throw InputError(request.weights, 0, 0, "the components in use all have weight 0");
  }
  if (!dropped.empty() || std::fabs(used_sum - 1.0) > 1e-12) {
    for (double& weight : weights.values) weight /= used_sum;
    if (!dropped.empty()) {
      notes.push_back(fmt::format(
          "weights of components missing in this year dropped ({}); the others rescaled to sum "
          "to 1",
          fmt::join(dropped, ", ")));
    } else if (request.normalise_weights) {
      notes.push_back(fmt::format("weights summed to {}; rescaled to sum to 1", sum));
    }
  }
  weights.description = fmt::format("file {}", request.weights);
  return weights;
}

std::vector<risk::Rule> ReadRules(const std::string& path, const Inputs& inputs) {
  io::CsvReader csv(path);
  const size_t rule_col = csv.Column("rule");
  const size_t component_col = csv.Column("component");
  const size_t test_col = csv.Column("test");
  const size_t threshold_col = csv.Column("threshold");
  const size_t years_col = csv.Column("years");
  std::vector<risk::Rule> rules;
  while (csv.Next()) {
    risk::Rule rule;
    rule.name = std::string(csv.RequiredField(rule_col));
    rule.component = std::string(csv.RequiredField(component_col));
    if (std::find(inputs.known_components.begin(), inputs.known_components.end(), rule.component) ==
        inputs.known_components.end()) {
      csv.Fail(component_col, fmt::format("unknown component '{}' (components: {})", rule.component,
                                          fmt::join(inputs.known_components, ", ")));
    }
    const std::string_view test = csv.RequiredField(test_col);
    if (!risk::ParseRuleTest(test, rule.test)) {
      csv.Fail(test_col,
               fmt::format("unknown test '{}' (<=, <, >=, > or top_quintile_rising)", test));
    }
    if (rule.test != risk::RuleTest::kTopQuintileRising) {
      rule.threshold = csv.Double(threshold_col);
    }
    const int64_t years = csv.Int(years_col);
    const int64_t min_years = rule.test == risk::RuleTest::kTopQuintileRising ? 2 : 1;
    if (years < min_years || years > 50) {
      csv.Fail(years_col, fmt::format("years must be between {} and 50", min_years));
    }
    rule.years = static_cast<int>(years);
    rules.push_back(std::move(rule));
  }
  return rules;
}

Json RuleJson(const risk::Rule& rule) {
  Json out = {{"rule", rule.name},
              {"component", rule.component},
              {"test", std::string(risk::RuleTestName(rule.test))}};
  if (rule.test != risk::RuleTest::kTopQuintileRising) out["threshold"] = rule.threshold;
  out["years"] = rule.years;
  return out;
}

// ---- the index ---------------------------------------------------------------------------------

RiskResult Compute(const RiskRequest& request, Inputs inputs, int year) {
  CheckSetting(request.winsorise >= 0 && request.winsorise < 50, "risk",
               "--winsorise must be in [0, 50)");
  CheckSetting(request.draws >= 1 && request.draws <= 1000000, "risk",
               "--draws must be between 1 and 1,000,000");
  risk::IndexOptions options;
  options.normalisation = risk::ParseNormalisation(request.normalise);
  options.aggregation = risk::ParseAggregation(request.aggregate);
  options.winsorise = request.winsorise;

  RiskResult result;
  result.year = year;
  result.aggregate = std::string(risk::AggregationName(options.aggregation));
  const Weights weights = ResolveWeights(request, inputs, result.notes);
  const size_t region_count = inputs.region_ids.size();
  // With a reference (the baseline under a scenario) both are normalised together: the first
  // region_count "regions" are the scenario's, the rest the reference's.
  std::vector<risk::Component> pooled = inputs.components;
  if (!inputs.reference.empty()) {
    CheckShape(inputs.reference.size() == pooled.size(), "risk", "reference components differ");
    for (size_t comp_idx = 0; comp_idx < pooled.size(); ++comp_idx) {
      const std::vector<double>& values = inputs.reference[comp_idx].values;
      pooled[comp_idx].values.insert(pooled[comp_idx].values.end(), values.begin(), values.end());
    }
  }
  risk::IndexResult index = risk::ComputeIndex(pooled, weights.values, options);
  std::vector<double> reference_scores(index.scores.begin() + static_cast<long>(region_count),
                                       index.scores.end());
  index.scores.resize(region_count);
  index.ranks = risk::RankDescending(index.scores);

  risk::SensitivityOptions sensitivity;
  sensitivity.draws = request.draws;
  sensitivity.seed = request.seed;
  sensitivity.threads = request.threads;
  sensitivity.ranked_regions = inputs.reference.empty() ? 0 : region_count;
  const risk::SensitivitySummary summary =
      risk::RunSensitivity(pooled, weights.values, options, sensitivity);

  const std::vector<risk::Rule> rules =
      request.rules.empty() ? risk::DefaultRules() : ReadRules(request.rules, inputs);
  std::vector<risk::ComponentHistory> histories = inputs.histories;
  if (histories.empty()) {
    // A components file is one year: the rules see that year only.
    for (const risk::Component& component : inputs.components) {
      histories.push_back({component.name, component.direction, {{year, component.values}}});
    }
  }
  const std::vector<std::vector<risk::Flag>> flags =
      risk::EvaluateRules(rules, histories, inputs.region_ids.size(), year);

  std::vector<size_t> order(region_count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return index.ranks[a] < index.ranks[b]; });
  Json robust_regions = Json::array();
  for (size_t region_idx : order) {
    RiskRegion region;
    region.id = inputs.region_ids[region_idx];
    region.name = inputs.region_names[region_idx];
    region.score = index.scores[region_idx];
    region.rank = index.ranks[region_idx];
    region.median_rank = summary.median_rank[region_idx];
    region.rank_p05 = summary.rank_p05[region_idx];
    region.rank_p95 = summary.rank_p95[region_idx];
    region.robust = summary.robust[region_idx];
    // Under the baseline itself the baseline score is the score.
    region.baseline_score = reference_scores.empty() ? region.score : reference_scores[region_idx];
    if (region.robust) robust_regions.push_back(region.id);
    for (size_t comp_idx = 0; comp_idx < inputs.components.size(); ++comp_idx) {
      region.components.push_back({inputs.components[comp_idx].values[region_idx],
                                   index.normalised[region_idx][comp_idx], weights.values[comp_idx],
                                   index.contributions[region_idx][comp_idx]});
    }
    for (const risk::Flag& flag : flags[region_idx]) {
      region.flags.push_back({flag.rule, flag.component, flag.detail, flag.years, flag.values});
    }
    result.regions.push_back(std::move(region));
  }
  result.components = inputs.info;
  result.coverage = inputs.coverage;
  result.scenario =
      inputs.scenario.is_null() ? std::string() : inputs.scenario.value("name", std::string());

  Json& method = result.method;
  method["source"] = inputs.source;
  Json components = Json::array();
  for (const RiskComponentInfo& info : inputs.info) {
    Json c = {{"name", info.name}, {"direction", std::string(1, info.direction)}};
    if (!info.group.empty()) c["group"] = info.group;
    if (!info.unit.empty()) c["unit"] = info.unit;
    if (!info.formula.empty()) c["formula"] = info.formula;
    c["source"] = info.source;
    c["inputs"] = info.inputs;
    components.push_back(std::move(c));
  }
  method["components"] = std::move(components);
  method["missing_components"] = inputs.missing;
  method["imputed"] = inputs.imputed;
  if (!inputs.coverage.empty()) {
    Json coverage = Json::array();
    for (const RiskResult::YearCoverage& y : inputs.coverage) {
      Json missing = Json::object();
      for (const auto& [name, reason] : y.missing) missing[name] = reason;
      coverage.push_back({{"year", y.year}, {"components", y.available}, {"missing", missing}});
    }
    method["coverage"] = std::move(coverage);
  }
  method["normalise"] = request.normalise;
  method["normalise_formula"] =
      options.normalisation == risk::Normalisation::kMinMax
          ? "(x - min) / (max - min) for '+', (max - x) / (max - min) for '-'; 1 = most risk"
          : "(x - mean) / sd (sample sd) for '+', its negative for '-'; higher = more risk";
  method["winsorise"] = request.winsorise > 0
                            ? Json::array({request.winsorise, 100 - request.winsorise})
                            : Json(nullptr);
  method["weights"] = weights.description;
  Json used = Json::object();
  for (size_t idx = 0; idx < inputs.components.size(); ++idx) {
    used[inputs.components[idx].name] = weights.values[idx];
  }
  method["weights_used"] = std::move(used);
  if (weights.pca) {
    method["pca"] = {{"eigenvalues", weights.pca->eigenvalues},
                     {"retained", weights.pca->retained},
                     {"rule",
                      "factors with eigenvalue > 1 (at least one); w_k = sum_f "
                      "(lambda_f / sum lambda) v_kf^2; no rotation"}};
  }
  method["aggregate"] = request.aggregate;
  method["aggregate_formula"] =
      options.aggregation == risk::Aggregation::kLinear
          ? "score = sum_k w_k x_k; contribution = w_k x_k"
          : "score = prod_k (x_k + s_k)^w_k; contribution = w_k ln(x_k + s_k) (they add up to "
            "ln score)";
  method["geometric_shift"] = options.geometric_shift;
  method["ranking"] = "rank 1 = highest score (most risk); ties keep the order of the regions";
  method["sensitivity"] = {
      {"draws", request.draws},
      {"seed", request.seed},
      {"normalisation", {"minmax", "zscore"}},
      {"weights", fmt::format("Dirichlet(alpha_k = {} * k * w_k) around the weights used",
                              sensitivity.concentration)},
      {"aggregation", {"linear", "geometric"}},
      {"leave_one_out", "none or one component left out, each of the k + 1 cases equally likely"},
      {"quantiles", "type 7 (linear interpolation) of each region's ranks over the draws"},
      {"robust_rule",
       fmt::format("a rank is robust when rank_p95 - rank_p05 <= {}", sensitivity.robust_width)},
      {"robust_regions", std::move(robust_regions)},
      {"reproducible",
       "draw d uses Rng(seed).Split(d): identical for a seed with any thread "
       "count"}};
  Json rules_json = Json::array();
  for (const risk::Rule& rule : rules) rules_json.push_back(RuleJson(rule));
  method["rules"] = {{"file", request.rules.empty() ? Json("built-in") : Json(request.rules)},
                     {"rules", std::move(rules_json)}};
  method["scenario"] = inputs.scenario;
  if (!inputs.missing.empty()) {
    std::vector<std::string> names;
    for (const Json& m : inputs.missing) names.push_back(m["component"].get<std::string>());
    result.notes.push_back(
        fmt::format("components missing in {}: {}", year, fmt::join(names, ", ")));
  }
  if (!inputs.imputed.empty()) {
    result.notes.push_back(fmt::format("{} value{} imputed (listed under method.imputed)",
                                       inputs.imputed.size(),
                                       inputs.imputed.size() == 1 ? "" : "s"));
  }
  return result;
}

// ---- risk under a projection scenario ----------------------------------------------------------

// The projected series of one scenario by calendar year t: the components of the projection's
// cell of 1 January t + 1 (births, deaths, inter-regional and international net of year t) and
// the average population (P(1 Jan t) + P(1 Jan t + 1)) / 2; medians of the draws.
struct ProjectedSeries {
  RegionSeries population_avg;
  RegionSeries births;
  RegionSeries deaths;
  RegionSeries net_all;
  RegionSeries net_internal;
};

std::unique_ptr<ProjectedSeries> SeriesOf(const ProjectionResult& projection, size_t scenario_idx) {
  const std::vector<std::string>& ids = projection.region_ids;
  auto s = std::make_unique<ProjectedSeries>(ProjectedSeries{
      RegionSeries("population_avg", "persons", ids), RegionSeries("births", "persons", ids),
      RegionSeries("deaths", "persons", ids), RegionSeries("net_all", "persons", ids),
      RegionSeries("net_internal", "persons", ids)});
  const Provenance provenance = Provenance::Estimated(
      "kazmig project", fmt::format("median of {} draws, scenario {}", projection.draws,
                                    projection.scenarios[scenario_idx].name));
  for (RegionSeries* series :
       {&s->population_avg, &s->births, &s->deaths, &s->net_all, &s->net_internal}) {
    series->AddProvenance(provenance);
  }
  for (size_t year_idx = 0; year_idx + 1 < projection.years.size(); ++year_idx) {
    const int year = projection.years[year_idx];
    for (size_t region_idx = 0; region_idx < ids.size(); ++region_idx) {
      const RegionYear& start = projection.At(scenario_idx, region_idx, year);
      const RegionYear& end = projection.At(scenario_idx, region_idx, year + 1);
      auto set = [&](RegionSeries& series, double value) {
        if (std::isfinite(value)) series.Set(region_idx, year, value, 0);
      };
      set(s->population_avg, 0.5 * (start.population.median + end.population.median));
      set(s->births, end.births.median);
      set(s->deaths, end.deaths.median);
      set(s->net_internal, end.internal.median);
      set(s->net_all, end.internal.median + end.international.median);
    }
  }
  return s;
}

// Only the demographic series are projected: the labour market, departures, arrivals and housing
// are not (their components are missing under a scenario).
risk::KzSeries KzSeriesOf(const ProjectedSeries& s, const std::vector<std::string>& ids) {
  risk::KzSeries series;
  series.regions = ids;
  series.population_avg = &s.population_avg;
  series.births = &s.births;
  series.deaths = &s.deaths;
  series.net_all = &s.net_all;
  series.net_internal = &s.net_internal;
  return series;
}

// The components of calendar year `year` for every scenario, restricted to those every scenario
// has (so the scenarios' indices are made of the same components).
struct ScenarioComponents {
  std::vector<std::vector<risk::Component>> by_scenario;
  std::vector<std::pair<std::string, std::string>> missing;  // component, reason
};

ScenarioComponents ComponentsOf(const ProjectionResult& projection, int year) {
  ScenarioComponents out;
  std::vector<risk::KzYearComponents> built;
  for (size_t scenario_idx = 0; scenario_idx < projection.scenarios.size(); ++scenario_idx) {
    const auto series = SeriesOf(projection, scenario_idx);
    built.push_back(risk::BuildKzComponents(KzSeriesOf(*series, projection.region_ids), year));
  }
  for (const risk::ComponentInfo& info : risk::KzComponentCatalogue()) {
    const bool everywhere = std::all_of(built.begin(), built.end(), [&](const auto& b) {
      return std::any_of(b.components.begin(), b.components.end(),
                         [&](const risk::Component& c) { return c.name == info.name; });
    });
    if (everywhere) continue;
    const bool projected =
        info.group == "depopulation" || info.group == "volatility" || info.name == "net_loss_share";
    out.missing.emplace_back(info.name, projected
                                            ? "the projection does not cover the years it needs"
                                            : "not projected (kazmig project projects the "
                                              "population and its components only)");
  }
  out.by_scenario.resize(built.size());
  for (size_t scenario_idx = 0; scenario_idx < built.size(); ++scenario_idx) {
    for (const risk::Component& component : built[scenario_idx].components) {
      const bool missing = std::any_of(out.missing.begin(), out.missing.end(),
                                       [&](const auto& m) { return m.first == component.name; });
      if (!missing) out.by_scenario[scenario_idx].push_back(component);
    }
  }
  return out;
}

Inputs ScenarioInputs(KzDataset& kz, const RiskRequest& request, int& year) {
  ProjectRequest projection_request;
  if (year == 0) year = projection_request.to - 1;
  if (year < projection_request.from) {
    throw UsageError(
        fmt::format("risk --scenario: the projection starts in {}; --year {} is "
                    "before it (calendar years {}-... can be projected)",
                    projection_request.from, year, projection_request.from));
  }
  projection_request.to = year + 1;
  projection_request.seed = request.seed;
  projection_request.threads = request.threads;
  projection_request.scenarios = {"baseline"};
  if (request.scenario != "baseline") projection_request.scenarios.push_back(request.scenario);
  const ProjectionResult projection = ProjectScenarios(kz, projection_request);
  const size_t target = projection.scenarios.size() - 1;
  const ScenarioComponents components = ComponentsOf(projection, year);
  if (components.by_scenario[target].size() < kMinComponents) {
    throw UsageError(fmt::format(
        "risk --scenario: fewer than {} components can be projected for {}", kMinComponents, year));
  }
  Inputs inputs;
  inputs.region_ids = projection.region_ids;
  inputs.region_names = projection.region_names;
  inputs.components = components.by_scenario[target];
  if (target > 0) inputs.reference = components.by_scenario[0];
  for (const risk::Component& component : inputs.components) {
    for (const risk::ComponentInfo& info : risk::KzComponentCatalogue()) {
      if (info.name != component.name) continue;
      inputs.info.push_back({info.name, info.group, risk::DirectionSign(info.direction), info.unit,
                             info.formula, info.source,
                             "estimated (medians of the projection draws)"});
    }
  }
  for (const risk::ComponentInfo& info : risk::KzComponentCatalogue()) {
    inputs.known_components.push_back(info.name);
  }
  for (const auto& [name, reason] : components.missing) {
    inputs.missing.push_back({{"component", name}, {"reason", reason}});
  }
  const auto series = SeriesOf(projection, target);
  std::vector<int> history_years;
  for (int y = year - 5; y <= year; ++y) history_years.push_back(y);
  inputs.histories = risk::KzHistories(KzSeriesOf(*series, projection.region_ids), history_years);
  inputs.source = {{"dataset", kz.Description()},
                   {"projection", projection.provenance},
                   {"boundaries", "kz-2022 (20 regions)"}};
  inputs.scenario = {
      {"name", projection.scenarios[target].name},
      {"description", projection.scenarios[target].description},
      {"base_year", projection.base_year},
      {"draws", projection.draws},
      {"seed", projection.seed},
      {"values",
       "medians of the projection draws; year Y = the components of the year from 1 "
       "January Y to 1 January Y + 1, population = the mean of the two"},
      {"normalisation",
       target > 0 ? "pooled over the scenario and the baseline, so that score and baseline_score "
                    "compare; ranks and bands are within the scenario"
                  : "over the regions (the baseline itself)"}};
  return inputs;
}

std::string FlagNames(const RiskRegion& region) {
  std::vector<std::string> names;
  for (const RiskFlag& flag : region.flags) names.push_back(flag.rule);
  return fmt::format("{}", fmt::join(names, ";"));
}

std::string FlagDetails(const RiskRegion& region) {
  std::vector<std::string> details;
  for (const RiskFlag& flag : region.flags) details.push_back(flag.rule + ": " + flag.detail);
  return fmt::format("{}", fmt::join(details, "; "));
}

}  // namespace

RiskScoreFn ProjectedRiskScores() {
  struct Cache {
    const ProjectionResult* key = nullptr;
    std::vector<int> years;
    std::vector<std::vector<double>> scores;  // [scenario][region]
  };
  auto cache = std::make_shared<Cache>();
  return [cache](const ProjectionResult& projection, size_t scenario_idx,
                 size_t region_idx) -> std::optional<double> {
    if (cache->key != &projection || cache->years != projection.years) {
      cache->key = &projection;
      cache->years = projection.years;
      cache->scores.clear();
      if (projection.years.size() >= 2) {
        const ScenarioComponents components = ComponentsOf(projection, projection.years.back() - 1);
        const size_t count = components.by_scenario[0].size();
        if (count >= kMinComponents) {
          std::vector<risk::Component> pooled = components.by_scenario[0];
          for (size_t comp_idx = 0; comp_idx < count; ++comp_idx) {
            for (size_t s = 1; s < components.by_scenario.size(); ++s) {
              const auto& values = components.by_scenario[s][comp_idx].values;
              pooled[comp_idx].values.insert(pooled[comp_idx].values.end(), values.begin(),
                                             values.end());
            }
          }
          const risk::IndexResult index =
              risk::ComputeIndex(pooled, risk::EqualWeights(count), risk::IndexOptions{});
          const size_t regions = projection.region_ids.size();
          for (size_t s = 0; s < components.by_scenario.size(); ++s) {
            cache->scores.emplace_back(index.scores.begin() + static_cast<long>(s * regions),
                                       index.scores.begin() + static_cast<long>((s + 1) * regions));
          }
        }
      }
    }
    if (scenario_idx >= cache->scores.size() || region_idx >= cache->scores[scenario_idx].size()) {
      return std::nullopt;
    }
    return cache->scores[scenario_idx][region_idx];
  };
}

RiskResult ComputeKzRisk(KzDataset& kz, const RiskRequest& request) {
  int year = request.year;
  Inputs inputs =
      request.scenario.empty() ? BuiltinInputs(kz, year) : ScenarioInputs(kz, request, year);
  return Compute(request, std::move(inputs), year);
}

RiskResult RunRisk(const RiskRequest& request) {
  if (!request.data.empty() && !request.scenario.empty()) {
    throw UsageError(
        "risk: --scenario recomputes the built-in index; it cannot be used with --data");
  }
  if (!request.data.empty()) {
    return Compute(request, ReadComponentsFile(request.data), request.year);
  }
  KzDataset kz = KzDataset::Open(request.location.db_path, request.location.builtin_dir);
  return ComputeKzRisk(kz, request);
}

ResultTable RiskTable(const RiskResult& result) {
  std::vector<std::string> columns = {"year",        "region",   "name",     "score", "rank",
                                      "median_rank", "rank_p05", "rank_p95", "robust"};
  for (const RiskComponentInfo& info : result.components) {
    for (const char* field : {"value", "normalised", "weight", "contribution"}) {
      columns.push_back(fmt::format("{}_{}", info.name, field));
    }
  }
  if (!result.scenario.empty()) columns.push_back("baseline_score");
  columns.push_back("flags");
  columns.push_back("flag_details");
  // The units style --format table only (docs/output.md); CSV and JSON keep full precision.
  std::vector<Unit> units = {Unit::kYear, Unit::kId,   Unit::kAuto, Unit::kScore, Unit::kCount,
                             Unit::kAuto, Unit::kAuto, Unit::kAuto, Unit::kAuto};
  for (size_t idx = 0; idx < result.components.size(); ++idx) {
    units.insert(units.end(), {Unit::kAmount, Unit::kShare, Unit::kShare, Unit::kShare});
  }
  if (!result.scenario.empty()) units.push_back(Unit::kScore);
  units.insert(units.end(), {Unit::kAuto, Unit::kAuto});
  ResultTable table(columns, units);
  if (!result.components.empty()) {
    table.AddFootnote(
        "*_value: each component in its own unit (docs/risk.md), one decimal; normalised, "
        "weight, contribution: fractions of 1");
  }
  for (const RiskRegion& region : result.regions) {
    std::vector<Cell> row = {result.year ? Cell::Integer(result.year) : Cell::Missing(),
                             Cell::Text(region.id),
                             Cell::Text(region.name),
                             Cell::Number(region.score),
                             Cell::Integer(region.rank),
                             Cell::Number(region.median_rank),
                             Cell::Number(region.rank_p05),
                             Cell::Number(region.rank_p95),
                             Cell::Bool(region.robust)};
    for (const RiskComponentValue& value : region.components) {
      row.push_back(Cell::Number(value.value));
      row.push_back(Cell::Number(value.normalised));
      row.push_back(Cell::Number(value.weight));
      row.push_back(Cell::Number(value.contribution));
    }
    if (!result.scenario.empty()) row.push_back(Cell::Number(region.baseline_score));
    row.push_back(Cell::Text(FlagNames(region)));
    row.push_back(Cell::Text(FlagDetails(region)));
    table.AddRow(std::move(row));
  }
  return table;
}

Json RiskJson(const RiskResult& result) {
  Json out;
  out["year"] = result.year ? Json(result.year) : Json(nullptr);
  out["method"] = result.method;
  Json regions = Json::array();
  for (const RiskRegion& region : result.regions) {
    Json components = Json::object();
    for (size_t idx = 0; idx < region.components.size(); ++idx) {
      const RiskComponentValue& v = region.components[idx];
      components[result.components[idx].name] = {{"value", v.value},
                                                 {"normalised", v.normalised},
                                                 {"weight", v.weight},
                                                 {"contribution", v.contribution}};
    }
    Json flags = Json::array();
    for (const RiskFlag& flag : region.flags) {
      flags.push_back({{"rule", flag.rule},
                       {"detail", flag.detail},
                       {"component", flag.component},
                       {"years", flag.years},
                       {"values", flag.values}});
    }
    regions.push_back({{"region", region.id},
                       {"name", region.name},
                       {"score", region.score},
                       {"rank", region.rank},
                       {"median_rank", region.median_rank},
                       {"rank_band", {region.rank_p05, region.rank_p95}},
                       {"robust", region.robust},
                       {"components", std::move(components)},
                       {"flags", std::move(flags)}});
    if (!result.scenario.empty()) {
      regions.back()["baseline_score"] = region.baseline_score;
      regions.back()["change"] = region.score - region.baseline_score;
    }
  }
  out["regions"] = std::move(regions);
  return out;
}

std::string EncodeRisk(const RiskResult& result, Format format) {
  if (format == Format::kJson) return RiskJson(result).dump(2) + "\n";
  return RiskTable(result).Encode(format);
}

}  // namespace kazmig::app

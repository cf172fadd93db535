#include "kazmig/app/potential.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "kazmig/app/region_groups.h"
#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"
#include "kazmig/models/prediction.h"

namespace kazmig::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ95 = 1.959963984540054;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

// The canonical unit of a scenario row, or "" when `factor` does not take `unit`.
std::string CanonicalUnit(const std::string& factor, const std::string& unit) {
  const std::string u = Lower(unit);
  const bool percent = u == "%" || u == "percent" || u == "pct";
  const bool points = u == "points" || u == "point" || u == "pp" || u == "percentage points";
  const bool m2 = u == "m2_per_1000" || u == "m2 per 1000" || u == "m²_per_1000";
  if (factor == "income" || factor == "grp") return percent ? "%" : "";
  if (factor == "unemployment") return points ? "points" : "";
  if (factor == "housing") return percent ? "%" : (m2 ? "m2_per_1000" : "");
  return "";
}

std::string CanonicalFactor(const std::string& text) {
  const std::string f = Lower(Trim(text));
  if (f == "income" || f == "log_rel_income" || f == "income_per_capita") return "income";
  if (f == "unemployment" || f == "unemployment_rate") return "unemployment";
  if (f == "housing" || f == "housing_per_1000" || f == "housing_commissioned") return "housing";
  if (f == "grp" || f == "log_grp_per_capita" || f == "grp_per_capita") return "grp";
  return "";
}

Scenario Parse(io::CsvReader& csv) {
  Scenario scenario;
  scenario.name = csv.name();
  const size_t region_col = csv.Column("region");
  const size_t factor_col = csv.Column("factor");
  const size_t change_col = csv.Column("change");
  const size_t unit_col = csv.Column("unit");
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  while (csv.Next()) {
    ScenarioChange change;
    change.region_text = Trim(csv.RequiredField(region_col));
    change.regions = RegionGroupIndices(change.region_text);
    if (change.regions.empty()) {
      const auto idx = kz2022.Find(change.region_text);
      if (!idx) {
        csv.Fail(region_col,
                 fmt::format("unknown region or group '{}' (a kz-2022 region id or name, or one "
                             "of north, south, west, center, capital, cities, all)",
                             change.region_text));
      }
      change.regions = {*idx};
    }
    const std::string factor_text(csv.RequiredField(factor_col));
    change.factor = CanonicalFactor(factor_text);
    if (change.factor.empty()) {
      csv.Fail(factor_col, fmt::format("unknown factor '{}' (income, unemployment, housing, grp)",
                                       factor_text));
    }
    change.change = csv.Double(change_col);
    const std::string unit_text(csv.Field(unit_col));
    change.unit = CanonicalUnit(change.factor, Trim(unit_text));
    if (change.unit.empty()) {
      csv.Fail(unit_col,
               fmt::format("'{}' does not apply to {} (income, grp: %; unemployment: points; "
                           "housing: % or m2_per_1000)",
                           Trim(unit_text), change.factor));
    }
    if (change.unit == "%" && change.change <= -100) {
      csv.Fail(change_col,
               fmt::format("a change of {}% leaves nothing (must be above -100%)", change.change));
    }
    scenario.changes.push_back(std::move(change));
  }
  csv.RequireRecords();
  return scenario;
}

double ValueOr(const RegionSeries& series, const std::string& id, int year) {
  return SeriesValueOf(series, id, year);
}

// The latest year in which every region of kz-2022 has a value in `series` (0 when none).
int LatestFullYear(const RegionSeries& series, const RegionSystem& system) {
  const auto years = series.Years();
  for (auto it = years.rbegin(); it != years.rend(); ++it) {
    bool full = true;
    for (const Region& r : system.regions()) full &= std::isfinite(ValueOr(series, r.id, *it));
    if (full) return *it;
  }
  return 0;
}

const FactorModel* FindModel(const std::vector<FactorModel>& models, const std::string& spec) {
  for (const FactorModel& m : models) {
    if (m.spec == spec) return &m;
  }
  return nullptr;
}

// dx aligned with `model.names` from the four regional covariate changes.
Eigen::VectorXd DxFor(const FactorModel& model, const double (&d)[4]) {
  Eigen::VectorXd dx = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model.names.size()));
  for (size_t k = 0; k < model.names.size(); ++k) {
    for (size_t c = 0; c < models::kRegionalCovariateCount; ++c) {
      if (model.names[k] == models::kRegionalCovariates[c]) dx[static_cast<Eigen::Index>(k)] = d[c];
    }
  }
  return dx;
}

// Coefficients and covariance with non-identified (NaN) entries set to 0 — used only where the
// change of that covariate is 0; otherwise the prediction is NaN.
struct CleanModel {
  Eigen::VectorXd beta;
  Eigen::MatrixXd vcov;
  std::vector<bool> missing;
};
CleanModel Clean(const FactorModel& model) {
  CleanModel c{model.beta, model.vcov, std::vector<bool>(model.names.size(), false)};
  for (Eigen::Index k = 0; k < c.beta.size(); ++k) {
    if (!std::isfinite(c.beta[k])) {
      c.missing[static_cast<size_t>(k)] = true;
      c.beta[k] = 0;
      c.vcov.row(k).setZero();
      c.vcov.col(k).setZero();
    }
  }
  return c;
}

bool Touches(const CleanModel& c, const Eigen::VectorXd& dx) {
  for (Eigen::Index k = 0; k < dx.size(); ++k) {
    if (c.missing[static_cast<size_t>(k)] && dx[k] != 0) return true;
  }
  return false;
}

Change ToChange(const models::Prediction& p) { return {p.value, p.low, p.high}; }
const Change kNoChange = {kNaN, kNaN, kNaN};

}  // namespace

Scenario ParseScenario(const std::string& path) {
  io::CsvReader csv(path);
  return Parse(csv);
}

Scenario ParseScenarioText(const std::string& name, const std::string& text) {
  io::CsvReader csv = io::CsvReader::FromString(name, text);
  return Parse(csv);
}

Scenario DefaultScenario() {
  Scenario s = ParseScenarioText("built-in example scenario",
                                 "region,factor,change,unit\n"
                                 "north,income,20,%\n"
                                 "Turkistan,unemployment,-2,points\n");
  s.name =
      "+20% per-capita income in the northern regions; unemployment in Turkistan down 2 points";
  return s;
}

double Pnmi(double move_in, double move_out, double adults) {
  return (move_in - move_out) / adults * 100.0;
}

std::vector<PnmiRow> ReadSurvey(const std::string& path) {
  io::CsvReader csv(path);
  const size_t area = csv.Column({"area", "region", "country"});
  const size_t in = csv.Column("move_in");
  const size_t out = csv.Column("move_out");
  const size_t adults = csv.Column("adults");
  std::vector<PnmiRow> rows;
  while (csv.Next()) {
    PnmiRow row;
    row.area = Trim(csv.RequiredField(area));
    row.move_in = csv.Double(in);
    row.move_out = csv.Double(out);
    row.adults = csv.Double(adults);
    if (row.move_in < 0) csv.Fail(in, "a count of people cannot be negative");
    if (row.move_out < 0) csv.Fail(out, "a count of people cannot be negative");
    if (!(row.adults > 0)) csv.Fail(adults, "the adult population must be positive");
    row.pnmi = Pnmi(row.move_in, row.move_out, row.adults);
    rows.push_back(std::move(row));
  }
  csv.RequireRecords();
  return rows;
}

PotentialResult PredictScenario(KzDataset& kz, const Scenario& scenario,
                                const std::vector<FactorModel>& models) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const size_t n = system.size();
  PotentialResult result;
  result.has_scenario = true;
  result.scenario_name = scenario.name;
  // Multiplicative (percent) and additive changes per region and factor.
  std::vector<double> income_mult(n, 1.0), grp_mult(n, 1.0), housing_mult(n, 1.0);
  std::vector<double> unemployment_add(n, 0.0), housing_add(n, 0.0);
  std::vector<std::vector<std::string>> texts(n);
  for (const ScenarioChange& c : scenario.changes) {
    for (size_t r : c.regions) {
      const double p = 1.0 + c.change / 100.0;
      if (c.factor == "income") income_mult[r] *= p;
      if (c.factor == "grp") grp_mult[r] *= p;
      if (c.factor == "housing" && c.unit == "%") housing_mult[r] *= p;
      if (c.factor == "housing" && c.unit == "m2_per_1000") housing_add[r] += c.change;
      if (c.factor == "unemployment") unemployment_add[r] += c.change;
      texts[r].push_back(fmt::format("{} {}{}{}", c.factor, c.change > 0 ? "+" : "",
                                     io::FormatNumber(c.change),
                                     c.unit == "%" ? "%" : " " + c.unit));
    }
  }
  // Base values.
  const RegionSeries& pop = kz.Series("population_avg", "kz-2022");
  const RegionSeries& net = kz.Series("net_internal", "kz-2022");
  const RegionSeries& income = kz.Series("income_per_capita", "kz-2022");
  const RegionSeries& housing = kz.Series("housing_commissioned", "kz-2022");
  const RegionSeries& arrivals = kz.Series("arrivals_internal", "kz-2022");
  const RegionSeries& departures = kz.Series("departures_internal", "kz-2022");
  const int base_year = LatestFullYear(net, system);
  const int income_year = LatestFullYear(income, system);
  const int housing_year = LatestFullYear(housing, system);
  const int flow_year = LatestFullYear(arrivals, system);
  result.base_year = base_year;
  result.income_year = income_year;
  result.housing_year = housing_year;
  result.flow_year = flow_year;
  if (base_year == 0) throw ComputeError("potential: no year with every region's official net");
  // National income before and after (population-weighted mean).
  double income_before = 0, income_after = 0, weight = 0;
  for (size_t r = 0; r < n; ++r) {
    const double i = ValueOr(income, system[r].id, income_year);
    const double w = ValueOr(pop, system[r].id, income_year);
    if (std::isfinite(i) && std::isfinite(w)) {
      income_before += i * w;
      income_after += i * income_mult[r] * w;
      weight += w;
    }
  }
  const double national_shift =
      weight > 0 && income_before > 0 ? std::log(income_after / income_before) : 0.0;

  const FactorModel* regional = FindModel(models, "regional");
  const FactorModel* gross_in = FindModel(models, "gross-arrivals");
  const FactorModel* gross_out = FindModel(models, "gross-departures");
  std::vector<models::Prediction> persons, arr, dep;
  for (size_t r = 0; r < n; ++r) {
    RegionPotential row;
    row.region = system[r].id;
    row.name = system[r].name_en;
    row.changes = fmt::format("{}", fmt::join(texts[r], "; "));
    row.d_log_rel_income = std::log(income_mult[r]) - national_shift;
    row.d_unemployment = unemployment_add[r];
    const double h = ValueOr(housing, row.region, housing_year);
    const double hp = ValueOr(pop, row.region, housing_year);
    const double housing_per_1000 = h / hp * 1000.0;
    row.d_housing_per_1000 = housing_add[r];
    if (housing_mult[r] != 1.0)
      row.d_housing_per_1000 += housing_per_1000 * (housing_mult[r] - 1.0);
    row.d_log_grp = std::log(grp_mult[r]);
    row.population = ValueOr(pop, row.region, base_year);
    const double d[4] = {row.d_log_rel_income, row.d_unemployment, row.d_housing_per_1000,
                         row.d_log_grp};
    row.net_rate = row.net = row.arrivals = row.departures = kNoChange;
    if (regional != nullptr) {
      const CleanModel c = Clean(*regional);
      const Eigen::VectorXd dx = DxFor(*regional, d);
      if (!Touches(c, dx) && std::isfinite(row.d_housing_per_1000)) {
        const models::Prediction rate = models::PredictLinearChange(c.beta, c.vcov, dx, kZ95);
        row.net_rate = ToChange(rate);
        const double scale = row.population / 1000.0;
        persons.push_back(
            models::DeltaMethod(rate.value * scale, rate.gradient * scale, c.vcov, kZ95));
        row.net = ToChange(persons.back());
      }
    }
    auto gross = [&](const FactorModel* model, const RegionSeries& base, Change& out,
                     std::vector<models::Prediction>& all) {
      if (model == nullptr) return;
      const CleanModel c = Clean(*model);
      const Eigen::VectorXd dx = DxFor(*model, d);
      const double level = ValueOr(base, row.region, flow_year);
      if (Touches(c, dx) || !std::isfinite(level) || !std::isfinite(row.d_housing_per_1000)) return;
      all.push_back(models::PredictExpChange(level, c.beta, c.vcov, dx, kZ95));
      out = ToChange(all.back());
    };
    gross(gross_in, arrivals, row.arrivals, arr);
    gross(gross_out, departures, row.departures, dep);
    result.regions.push_back(std::move(row));
  }
  RegionPotential total;
  total.region = "KZ";
  total.name = "Kazakhstan (sum of the regions)";
  total.net_rate = total.net = total.arrivals = total.departures = kNoChange;
  for (const auto& r : result.regions) total.population += r.population;
  if (regional != nullptr && persons.size() == n) {
    const CleanModel c = Clean(*regional);
    total.net = ToChange(models::SumPredictions(persons.data(), persons.data() + n, c.vcov, kZ95));
    total.net_rate = {total.net.value / total.population * 1000.0,
                      total.net.low / total.population * 1000.0,
                      total.net.high / total.population * 1000.0};
  }
  if (gross_in != nullptr && arr.size() == n)
    total.arrivals =
        ToChange(models::SumPredictions(arr.data(), arr.data() + n, Clean(*gross_in).vcov, kZ95));
  if (gross_out != nullptr && dep.size() == n)
    total.departures =
        ToChange(models::SumPredictions(dep.data(), dep.data() + n, Clean(*gross_out).vcov, kZ95));
  result.regions.push_back(std::move(total));

  result.provenance =
      Provenance::Estimated(
          "counterfactual prediction from the factor models (no refit)",
          fmt::format("scenario: {}; delta-method 95% intervals from the "
                      "coefficient covariance; base year {} (population), "
                      "income {}, housing {}, arrivals/departures {}",
                      scenario.name, base_year, income_year, housing_year, flow_year))
          .ToString();
  result.notes.push_back(fmt::format(
      "the regional model was fitted at kz-2009 units; its coefficients (per 1,000 residents) are "
      "applied to each kz-2022 region's changes; population of {}, income of {} (national mean "
      "recomputed: relative income falls a little wherever income is unchanged), housing of {}",
      base_year, income_year, housing_year));
  result.notes.push_back(
      "predicted changes of the regional balances need not sum to zero: the model has no "
      "national constraint, and before 2022 its outcome includes international migration");
  if (gross_in != nullptr) {
    result.notes.push_back(fmt::format(
        "arrivals and departures change relative to {} registered moves (which include moves "
        "inside a region, and the 2024 registration jump); the two models are fitted separately, "
        "so their intervals are not joint",
        flow_year));
  }
  return result;
}

namespace {

// ISO3 -> name of the built-in world_countries.csv (empty when it is not there).
std::map<std::string, std::string> Countries(const std::filesystem::path& builtin_dir) {
  std::map<std::string, std::string> out;
  const auto path = builtin_dir / "world_countries.csv";
  std::error_code ec;
  if (builtin_dir.empty() || !std::filesystem::exists(path, ec)) return out;
  io::CsvReader csv(path);
  const size_t iso = csv.Column("iso3"), name = csv.Column("name");
  while (csv.Next()) out[std::string(csv.Field(iso))] = std::string(csv.Field(name));
  return out;
}

}  // namespace

std::vector<DiasporaRow> ReadDiaspora(const std::string& path,
                                      const std::filesystem::path& builtin_dir) {
  const auto countries = Countries(builtin_dir);
  std::map<std::string, std::string> by_name;
  for (const auto& [iso, name] : countries) by_name[Lower(name)] = iso;
  io::CsvReader csv(path);
  const size_t country_col = csv.Column({"country", "iso3"});
  const size_t stock_col = csv.Column("stock");
  const auto rate_col = csv.FindColumn("return_rate");
  std::vector<DiasporaRow> rows;
  std::set<std::string> seen;
  while (csv.Next()) {
    DiasporaRow row;
    const std::string text = Trim(csv.RequiredField(country_col));
    std::string iso;
    std::string upper = text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (countries.count(upper))
      iso = upper;
    else if (auto it = by_name.find(Lower(text)); it != by_name.end())
      iso = it->second;
    if (iso.empty()) {
      csv.Fail(country_col, fmt::format("unknown country '{}' (an ISO3 code or an English name of "
                                        "world_countries.csv)",
                                        text));
    }
    if (!seen.insert(iso).second) csv.Fail(country_col, fmt::format("{} appears twice", iso));
    row.country = iso;
    row.name = countries.at(iso);
    row.stock = csv.Double(stock_col);
    if (row.stock < 0) csv.Fail(stock_col, "a diaspora stock cannot be negative");
    double rate = kNaN;
    if (rate_col) {
      if (auto v = csv.OptionalDouble(*rate_col)) {
        if (*v < 0 || *v > 1000) csv.Fail(*rate_col, "return_rate is per 1,000 a year: 0 to 1000");
        rate = *v;
      }
    }
    row.return_rate = rate;
    rows.push_back(std::move(row));
  }
  csv.RequireRecords();
  return rows;
}

namespace {

std::vector<RepatriationRow> Repatriation(KzDataset& kz, const std::vector<DiasporaRow>& diaspora,
                                          int horizon, std::vector<std::string>& notes) {
  std::vector<RepatriationRow> rows;
  std::vector<double> user_rate;
  for (const DiasporaRow& d : diaspora) {
    RepatriationRow row;
    row.country = d.country;
    row.name = d.name;
    row.stock = d.stock;
    rows.push_back(row);
    user_rate.push_back(d.return_rate);
  }

  // Rates implied by the kandas arrivals and their origin shares, by year.
  const RegionSeries& kandas = kz.Series("kandas_arrivals", "kz-2022");
  std::map<int, std::map<std::string, double>> shares;  // year -> country -> %
  for (const store::FlowRow& f : kz.Flows("kandas_origin_share")) shares[f.year][f.orig] = f.value;
  std::vector<int> years;
  std::map<int, std::vector<double>> rates;  // year -> per row, per 1,000
  for (const auto& [year, by_country] : shares) {
    const double arrivals = SeriesValueOf(kandas, "KZ", year);
    if (!std::isfinite(arrivals)) continue;
    double share_total = 0;
    for (const auto& [c, s] : by_country) share_total += s;
    double rest_stock = 0;
    for (const auto& row : rows) {
      if (!by_country.count(row.country)) rest_stock += row.stock;
    }
    const double rest_arrivals = arrivals * std::max(0.0, 100.0 - share_total) / 100.0;
    std::vector<double> r(rows.size(), kNaN);
    for (size_t idx = 0; idx < rows.size(); ++idx) {
      const auto it = by_country.find(rows[idx].country);
      const double returns =
          it != by_country.end()
              ? arrivals * it->second / 100.0
              : (rest_stock > 0 ? rest_arrivals * rows[idx].stock / rest_stock : 0.0);
      r[idx] = rows[idx].stock > 0 ? returns / rows[idx].stock * 1000.0 : 0.0;
    }
    years.push_back(year);
    rates[year] = r;
  }
  if (years.empty() &&
      std::any_of(user_rate.begin(), user_rate.end(), [](double v) { return !std::isfinite(v); })) {
    throw ComputeError(
        "potential: the built-in kandas series (kandas_arrivals, kandas_origin_share) give no "
        "year with both arrivals and origin shares; give return_rate in the diaspora file");
  }
  const std::string year_text = fmt::format("{}", fmt::join(years, ", "));
  RepatriationRow total;
  total.country = "TOTAL";
  total.name = "all countries listed";
  total.rate = {kNaN, kNaN, kNaN};
  for (size_t idx = 0; idx < rows.size(); ++idx) {
    RepatriationRow& row = rows[idx];
    std::vector<double> r;
    if (std::isfinite(user_rate[idx])) {
      r = {user_rate[idx]};
      row.rate_basis = "user return_rate";
    } else {
      for (int year : years) r.push_back(rates[year][idx]);
      std::vector<std::string> named, shared;
      for (int year : years)
        (shares[year].count(row.country) ? named : shared).push_back(std::to_string(year));
      std::vector<std::string> basis;
      if (!named.empty()) basis.push_back(fmt::format("origin share {}", fmt::join(named, ", ")));
      if (!shared.empty())
        basis.push_back(fmt::format("unattributed kandas by stock {}", fmt::join(shared, ", ")));
      row.rate_basis = fmt::format("{}", fmt::join(basis, "; "));
    }
    double sum = 0;
    for (double v : r) sum += v;
    row.rate = {sum / static_cast<double>(r.size()), *std::min_element(r.begin(), r.end()),
                *std::max_element(r.begin(), r.end())};
    auto per_year = [&](double rate) { return row.stock * rate / 1000.0; };
    auto cumulative = [&](double rate) {
      return row.stock * (1.0 - std::pow(1.0 - rate / 1000.0, horizon));
    };
    row.per_year = {per_year(row.rate.value), per_year(row.rate.low), per_year(row.rate.high)};
    row.over_horizon = {cumulative(row.rate.value), cumulative(row.rate.low),
                        cumulative(row.rate.high)};
    total.stock += row.stock;
    total.per_year.value += row.per_year.value;
    total.per_year.low += row.per_year.low;
    total.per_year.high += row.per_year.high;
    total.over_horizon.value += row.over_horizon.value;
    total.over_horizon.low += row.over_horizon.low;
    total.over_horizon.high += row.over_horizon.high;
  }
  if (total.stock > 0) {
    total.rate = {total.per_year.value / total.stock * 1000,
                  total.per_year.low / total.stock * 1000,
                  total.per_year.high / total.stock * 1000};
  }
  total.rate_basis = "sum";
  rows.push_back(total);
  notes.push_back(fmt::format(
      "repatriation rates: kandas arrivals of {} (Ministry of Labour, as reported) times each "
      "country's share of them, over the diaspora stock given; arrivals not broken down by "
      "country are spread over the other countries listed in proportion to their stock (all of "
      "them, so a partial list overstates those countries' rates); low / central / high = lowest / "
      "mean / highest year; {} years with the stock depleting",
      year_text, horizon));
  const RegionSeries& quota = kz.Series("resettlement_quota_kandas", "kz-2022");
  for (int year : quota.Years()) {
    notes.push_back(
        fmt::format("for comparison: the state quota for kandas resettling to the "
                    "northern regions was {} in {} (official)",
                    HumanNumber(SeriesValueOf(quota, "KZ", year)), year));
  }
  return rows;
}

}  // namespace

PotentialInputs ReadPotentialInputs(const PotentialRequest& request,
                                    const std::filesystem::path& builtin_dir) {
  if (request.scenario.empty() && request.survey.empty() && request.diaspora.empty()) {
    throw UsageError("potential: give at least one of --scenario, --survey, --diaspora");
  }
  if (request.horizon < 1 || request.horizon > 100) {
    throw UsageError(fmt::format("--horizon: {} is not in 1..100 years", request.horizon));
  }
  PotentialInputs inputs;
  if (!request.scenario.empty()) inputs.scenario = ParseScenario(request.scenario);
  if (!request.survey.empty()) inputs.survey = ReadSurvey(request.survey);
  if (!request.diaspora.empty()) inputs.diaspora = ReadDiaspora(request.diaspora, builtin_dir);
  return inputs;
}

PotentialResult RunPotential(KzDataset& kz, const PotentialRequest& request,
                             const PotentialInputs& inputs) {
  PotentialResult result;
  if (!request.scenario.empty()) {
    FactorsResult fits = RunFactors(kz, {.spec = "regional", .threads = request.threads});
    FactorsResult gross = RunFactors(kz, {.spec = "gross", .threads = request.threads});
    for (auto& m : gross.models) fits.models.push_back(std::move(m));
    result = PredictScenario(kz, inputs.scenario, fits.models);
  }
  result.horizon = request.horizon;
  if (!request.survey.empty()) {
    result.has_survey = true;
    result.pnmi = inputs.survey;
  }
  if (!request.diaspora.empty()) {
    result.has_diaspora = true;
    result.repatriation = Repatriation(kz, inputs.diaspora, request.horizon, result.notes);
  }
  return result;
}

PotentialResult RunPotential(KzDataset& kz, const PotentialRequest& request) {
  return RunPotential(kz, request, ReadPotentialInputs(request, kz.builtin_dir()));
}

ResultTable ScenarioTable(const PotentialResult& result) {
  ResultTable table({"region", "name", "changes", "d_log_rel_income", "d_unemployment",
                     "d_housing_per_1000", "d_log_grp_per_capita", "net_rate_change",
                     "net_rate_low", "net_rate_high", "net_change", "net_low", "net_high",
                     "arrivals_change", "arrivals_low", "arrivals_high", "departures_change",
                     "departures_low", "departures_high"});
  const size_t p = table.AddProvenance(result.provenance);
  for (const RegionPotential& r : result.regions) {
    const bool total = r.region == "KZ";
    auto opt = [total](double v) { return total ? Cell::Missing() : Cell::Number(v); };
    table.AddRow(
        {Cell::Text(r.region), Cell::Text(r.name), Cell::Text(r.changes), opt(r.d_log_rel_income),
         opt(r.d_unemployment), opt(r.d_housing_per_1000), opt(r.d_log_grp),
         Cell::Number(r.net_rate.value), Cell::Number(r.net_rate.low),
         Cell::Number(r.net_rate.high), Cell::Number(r.net.value), Cell::Number(r.net.low),
         Cell::Number(r.net.high), Cell::Number(r.arrivals.value), Cell::Number(r.arrivals.low),
         Cell::Number(r.arrivals.high), Cell::Number(r.departures.value),
         Cell::Number(r.departures.low), Cell::Number(r.departures.high)},
        p);
  }
  return table;
}

ResultTable PnmiTable(const PotentialResult& result) {
  ResultTable table({"area", "move_in", "move_out", "adults", "pnmi"});
  const size_t p = table.AddProvenance(
      "estimated: potential net migration index (Gallup) from the survey counts supplied");
  for (const PnmiRow& r : result.pnmi) {
    table.AddRow({Cell::Text(r.area), Cell::Number(r.move_in), Cell::Number(r.move_out),
                  Cell::Number(r.adults), Cell::Number(r.pnmi)},
                 p);
  }
  return table;
}

ResultTable RepatriationTable(const PotentialResult& result) {
  ResultTable table({"country", "name", "stock", "rate_basis", "rate_per_1000", "rate_low",
                     "rate_high", "returns_per_year", "returns_low", "returns_high",
                     "returns_horizon", "returns_horizon_low", "returns_horizon_high"});
  const size_t p = table.AddProvenance(
      fmt::format("estimated: repatriation outlook (diaspora stock x kandas return rate; {} years)",
                  result.horizon));
  for (const RepatriationRow& r : result.repatriation) {
    table.AddRow(
        {Cell::Text(r.country), Cell::Text(r.name), Cell::Number(r.stock), Cell::Text(r.rate_basis),
         Cell::Number(r.rate.value), Cell::Number(r.rate.low), Cell::Number(r.rate.high),
         Cell::Number(r.per_year.value), Cell::Number(r.per_year.low),
         Cell::Number(r.per_year.high), Cell::Number(r.over_horizon.value),
         Cell::Number(r.over_horizon.low), Cell::Number(r.over_horizon.high)},
        p);
  }
  return table;
}

std::string EncodePotential(const PotentialResult& result, Format format, bool with_provenance) {
  const int parts =
      (result.has_scenario ? 1 : 0) + (result.has_survey ? 1 : 0) + (result.has_diaspora ? 1 : 0);
  if (format == Format::kCsv) {
    if (parts != 1) {
      throw UsageError(
          "potential: CSV holds one table; give one of --scenario, --survey, --diaspora, or use "
          "--format json or table");
    }
    if (result.has_scenario) return ScenarioTable(result).Csv(with_provenance);
    if (result.has_survey) return PnmiTable(result).Csv(with_provenance);
    return RepatriationTable(result).Csv(with_provenance);
  }
  if (format == Format::kJson) {
    Json doc = Json::object();
    if (result.has_scenario) {
      doc["scenario_name"] = result.scenario_name;
      doc["base_year"] = result.base_year;
      doc["scenario"] = ScenarioTable(result).ToJson(with_provenance);
    }
    if (result.has_survey) doc["pnmi"] = PnmiTable(result).ToJson(with_provenance);
    if (result.has_diaspora) {
      doc["horizon"] = result.horizon;
      doc["repatriation"] = RepatriationTable(result).ToJson(with_provenance);
    }
    doc["notes"] = result.notes;
    Json provenance = Json::object();
    if (result.has_scenario) provenance["scenario"] = result.provenance;
    if (result.has_survey) provenance["pnmi"] = PnmiTable(result).ProvenanceOf(0);
    if (result.has_diaspora) provenance["repatriation"] = RepatriationTable(result).ProvenanceOf(0);
    doc["provenance"] = provenance;
    return doc.dump(2) + "\n";
  }
  // Estimated persons to 3 significant digits, rates per 1,000 to one decimal (docs/output.md).
  auto persons = [](double x) { return TableNumber(x, Unit::kEstimatedPersons); };
  auto rate = [](double x) { return TableNumber(x, Unit::kRatePer1000); };
  const std::string estimated_note =
      "note: persons (net persons, arrivals, departures, returns): estimated, rounded to 3 "
      "significant digits (full precision with --format csv or json); rates per 1,000, one "
      "decimal\n";
  std::string out;
  if (result.has_scenario) {
    out += fmt::format("== Scenario: {} — estimated (changes a year, 95% intervals)\n",
                       result.scenario_name);
    std::vector<std::vector<std::string>> rows = {{"region", "id", "changes", "net per 1,000",
                                                   "interval", "net persons", "interval",
                                                   "arrivals", "departures"}};
    for (const RegionPotential& r : result.regions) {
      rows.push_back({r.name, r.region, r.changes, rate(r.net_rate.value),
                      rate(r.net_rate.low) + " to " + rate(r.net_rate.high), persons(r.net.value),
                      persons(r.net.low) + " to " + persons(r.net.high), persons(r.arrivals.value),
                      persons(r.departures.value)});
    }
    out += AlignedText(rows) + estimated_note + "\n";
  }
  if (result.has_survey) {
    std::vector<std::vector<std::string>> rows = {
        {"area", "would move in", "would move out", "adults", "PNMI"}};
    for (const PnmiRow& r : result.pnmi) {
      rows.push_back({r.area, HumanNumber(r.move_in), HumanNumber(r.move_out),
                      HumanNumber(r.adults), HumanNumber(r.pnmi, 1)});
    }
    out += "== Potential net migration index — estimated\n" + AlignedText(rows) + "\n";
  }
  if (result.has_diaspora) {
    std::vector<std::vector<std::string>> rows = {
        {"country", "diaspora", "returns per 1,000 a year", "returns a year",
         fmt::format("returns in {} years", result.horizon), "rate basis"}};
    for (const RepatriationRow& r : result.repatriation) {
      rows.push_back(
          {r.name, HumanNumber(r.stock),
           fmt::format("{} ({}–{})", rate(r.rate.value), rate(r.rate.low), rate(r.rate.high)),
           fmt::format("{} ({}–{})", persons(r.per_year.value), persons(r.per_year.low),
                       persons(r.per_year.high)),
           fmt::format("{} ({}–{})", persons(r.over_horizon.value), persons(r.over_horizon.low),
                       persons(r.over_horizon.high)),
           r.rate_basis});
    }
    out += fmt::format("== Repatriation outlook, {} years — estimated\n", result.horizon) +
           AlignedText(rows) + estimated_note + "\n";
  }
  for (const std::string& note : result.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace kazmig::app

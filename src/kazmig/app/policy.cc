#include "kazmig/app/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "kazmig/app/names.h"
#include "kazmig/app/policy_section.h"
#include "kazmig/app/project.h"
#include "kazmig/app/scenarios.h"
#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/policy_labour.h"
#include "kazmig/io/csv.h"
#include "kazmig/models/factor_panel.h"

namespace kazmig::app {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Json Num(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

policy::Measure ToMeasure(const importers::MeasureRow& row) {
  policy::Measure measure;
  measure.id = row.id;
  measure.date = *policy::ParseDate(row.date);
  measure.title = row.title;
  measure.kind = row.kind;
  measure.national = row.national;
  measure.regions = row.regions;
  measure.source = row.source;
  return measure;
}

std::string RegionsText(const policy::Measure& measure) {
  if (measure.national) return "all";
  std::string text;
  for (const std::string& region : measure.regions) text += (text.empty() ? "" : ";") + region;
  return text;
}

// ---- the built-in outcomes ---------------------------------------------------------------------

// The kz-2009 unit of each kz-2022 atom.
const std::map<std::string, std::string>& AtomUnits() {
  static const std::map<std::string, std::string> units = [] {
    std::map<std::string, std::string> map;
    for (const Region& region : RegionSystem::Builtin("kz-2009").regions()) {
      for (const std::string& atom : Crosswalk::Atoms("kz-2009", region.id)) map[atom] = region.id;
    }
    return map;
  }();
  return units;
}

// Values of `indicator` by year at the kz-2009 units: in each year the rows of one vintage (the
// newest present), added up by unit; a unit is NaN unless rows cover every atom of it.
std::map<int, std::vector<double>> ByKz2009Unit(const store::Store& db,
                                                std::string_view indicator) {
  const RegionSystem& units = RegionSystem::Builtin("kz-2009");
  std::map<int, std::map<std::string, std::vector<const store::SeriesRow*>>> by_year;
  const std::vector<store::SeriesRow> rows = db.LoadSeriesRows(indicator);
  for (const store::SeriesRow& row : rows) {
    if (row.region_id == store::kNational) continue;
    by_year[row.year][row.vintage].push_back(&row);
  }
  std::map<int, std::vector<double>> out;
  for (const auto& [year, vintages] : by_year) {
    const std::vector<const store::SeriesRow*>* chosen = nullptr;
    for (const char* vintage : {"kz-2022", "kz-2018", "kz-2009"}) {
      if (const auto it = vintages.find(vintage); it != vintages.end()) {
        chosen = &it->second;
        break;
      }
    }
    if (chosen == nullptr) continue;
    std::vector<double> sums(units.size(), 0.0);
    std::vector<size_t> covered(units.size(), 0);
    for (const store::SeriesRow* row : *chosen) {
      const std::vector<std::string> atoms = Crosswalk::Atoms(row->vintage, row->region_id);
      const size_t unit_idx = *units.IndexOfId(AtomUnits().at(atoms.front()));
      sums[unit_idx] += row->value;
      covered[unit_idx] += atoms.size();
    }
    for (size_t unit_idx = 0; unit_idx < units.size(); ++unit_idx) {
      if (covered[unit_idx] != Crosswalk::Atoms("kz-2009", units[unit_idx].id).size()) {
        sums[unit_idx] = kNaN;
      }
    }
    out[year] = std::move(sums);
  }
  return out;
}

// Builds the regional panel (units without a gap) and the national panel (sums of every unit
// of the regional panel) of rate = 1000 * numerator / denominator.
// The note of a unit left out of `outcome`.
std::string GapNote(const std::string& outcome, const PolicyOutcomeGap& gap) {
  return fmt::format("{}: {} ({}) left out: its series has a gap in {}-{}", outcome, gap.name_en,
                     gap.region_id, gap.first_year, gap.last_year);
}

void RatePanels(const std::map<int, std::vector<double>>& numerator,
                const std::map<int, std::vector<double>>& denominator, PolicyOutcome& outcome) {
  const RegionSystem& units = RegionSystem::Builtin("kz-2009");
  std::vector<int> years;
  for (const auto& [year, values] : numerator) {
    if (denominator.count(year)) years.push_back(year);
  }
  if (years.empty()) {
    throw InputError(
        fmt::format("{}: the built-in data have no year with both series", outcome.name));
  }
  std::vector<size_t> kept;
  for (size_t unit_idx = 0; unit_idx < units.size(); ++unit_idx) {
    bool complete = true;
    for (int year : years) {
      complete = complete && std::isfinite(numerator.at(year)[unit_idx]) &&
                 denominator.at(year)[unit_idx] > 0;
    }
    if (complete) {
      kept.push_back(unit_idx);
    } else {
      outcome.gaps.push_back(
          {units[unit_idx].id, units[unit_idx].name_en, years.front(), years.back()});
      outcome.notes.push_back(GapNote(outcome.name, outcome.gaps.back()));
    }
  }
  policy::Panel& regional = outcome.regional;
  policy::Panel& national = outcome.national;
  regional.values.resize(static_cast<Eigen::Index>(kept.size()),
                         static_cast<Eigen::Index>(years.size()));
  national.values.resize(1, static_cast<Eigen::Index>(years.size()));
  national.units = {"KZ"};
  for (size_t unit_idx : kept) regional.units.push_back(units[unit_idx].id);
  for (size_t year_idx = 0; year_idx < years.size(); ++year_idx) {
    regional.periods.push_back(years[year_idx]);
    national.periods.push_back(years[year_idx]);
    double sum_num = 0, sum_den = 0;
    for (size_t row = 0; row < kept.size(); ++row) {
      const double num = numerator.at(years[year_idx])[kept[row]];
      const double den = denominator.at(years[year_idx])[kept[row]];
      regional.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(year_idx)) =
          1000 * num / den;
      sum_num += num;
      sum_den += den;
    }
    national.values(0, static_cast<Eigen::Index>(year_idx)) = 1000 * sum_num / sum_den;
  }
  outcome.units_used = static_cast<int>(kept.size());
  outcome.units = fmt::format(
      "{} of the 16 kz-2009 units (later units merged into them, counts "
      "added){}",
      kept.size(), kept.size() < 16 ? "; the others have gaps" : "");
}

}  // namespace

std::vector<policy::Measure> LoadPolicyRegister(const fs::path& builtin_dir,
                                                const std::string& extra) {
  std::vector<policy::Measure> measures;
  std::set<std::string> ids;
  const fs::path builtin = builtin_dir / "policy_measures.csv";
  if (!builtin_dir.empty() && fs::exists(builtin)) {
    for (const auto& row : importers::ReadPolicyMeasures(builtin, policy::MeasureKinds())) {
      ids.insert(row.id);
      measures.push_back(ToMeasure(row));
    }
  }
  if (!extra.empty()) {
    for (const auto& row : importers::ReadPolicyMeasures(extra, policy::MeasureKinds(), ids)) {
      measures.push_back(ToMeasure(row));
    }
  }
  std::stable_sort(measures.begin(), measures.end(),
                   [](const policy::Measure& a, const policy::Measure& b) {
                     return a.date.Iso() < b.date.Iso();
                   });
  return measures;
}

PolicyListResult RunPolicyList(const PolicyListRequest& request) {
  PolicyListResult result;
  result.measures = LoadPolicyRegister(request.builtin_dir, request.measures);
  result.table = ResultTable({"id", "date", "title", "kind", "regions", "source"});
  result.document = Json::array();
  for (const policy::Measure& m : result.measures) {
    result.table.AddRow({Cell::Text(m.id), Cell::Text(m.date.Iso()), Cell::Text(m.title),
                         Cell::Text(m.kind), Cell::Text(RegionsText(m)), Cell::Text(m.source)});
    Json regions = Json::array();
    if (m.national) regions.push_back("all");
    for (const std::string& region : m.regions) regions.push_back(region);
    result.document.push_back({{"id", m.id},
                               {"date", m.date.Iso()},
                               {"title", m.title},
                               {"kind", m.kind},
                               {"regions", regions},
                               {"source", m.source},
                               {"first_year_under", policy::FirstYearUnder(m)}});
  }
  return result;
}

std::string EncodePolicyList(const PolicyListResult& result, Format format) {
  if (format == Format::kJson) return result.document.dump(2) + "\n";
  if (format != Format::kTable || result.table.row_count() != result.measures.size()) {
    return result.table.Encode(format);
  }
  // For people: the regions by name (CSV keeps the KATO ids).
  ResultTable text(result.table.columns());
  const size_t regions_col = text.ColumnIndex("regions");
  for (size_t row_idx = 0; row_idx < result.table.row_count(); ++row_idx) {
    std::vector<Cell> row = result.table.row(row_idx);
    const policy::Measure& m = result.measures[row_idx];
    if (!m.national) {
      std::string names;
      for (const std::string& region : m.regions) {
        names += (names.empty() ? "" : ", ") + RegionDisplayName("kz-2022", region);
      }
      row[regions_col] = Cell::Text(names);
    }
    text.AddRow(std::move(row));
  }
  return text.Text();
}

const std::vector<std::string>& PolicyOutcomeNames() {
  static const std::vector<std::string> names = {"residual_net_rate", "net_internal_rate",
                                                 "intl_net"};
  return names;
}

KzComponents KzComponentsOfChange(KzDataset& kz) {
  const store::Store& db = kz.store();
  const auto pop = ByKz2009Unit(db, "population_jan1");
  const auto births = ByKz2009Unit(db, "births");
  const auto deaths = ByKz2009Unit(db, "deaths");
  KzComponents out;
  for (const Region& region : RegionSystem::Builtin("kz-2009").regions()) {
    out.unit_ids.push_back(region.id);
  }
  for (const auto& [year, p0] : pop) {
    const auto p1 = pop.find(year + 1);
    if (p1 == pop.end() || !births.count(year) || !deaths.count(year)) continue;
    const std::vector<double>& b = births.at(year);
    const std::vector<double>& d = deaths.at(year);
    std::vector<double> natural(p0.size()), residual(p0.size());
    for (size_t idx = 0; idx < p0.size(); ++idx) {
      natural[idx] = b[idx] - d[idx];
      residual[idx] = models::ResidualNet(p0[idx], p1->second[idx], b[idx], d[idx]);
    }
    out.years.push_back(year);
    out.population_start.push_back(p0);
    out.population_end.push_back(p1->second);
    out.births.push_back(b);
    out.deaths.push_back(d);
    out.natural.push_back(std::move(natural));
    out.residual.push_back(std::move(residual));
  }
  return out;
}

PolicyOutcome BuiltinPolicyOutcome(KzDataset& kz, std::string_view name) {
  PolicyOutcome outcome;
  outcome.name = std::string(name);
  const store::Store& db = kz.store();
  if (name == "residual_net_rate") {
    const KzComponents components = KzComponentsOfChange(kz);
    std::map<int, std::vector<double>> net, mid;
    for (size_t year_idx = 0; year_idx < components.years.size(); ++year_idx) {
      const int year = components.years[year_idx];
      const std::vector<double>& p0 = components.population_start[year_idx];
      const std::vector<double>& p1 = components.population_end[year_idx];
      std::vector<double> m(p0.size());
      for (size_t idx = 0; idx < p0.size(); ++idx) m[idx] = (p0[idx] + p1[idx]) / 2;
      net[year] = components.residual[year_idx];
      mid[year] = std::move(m);
    }
    if (net.empty()) throw InputError("the built-in data have no population, births and deaths");
    RatePanels(net, mid, outcome);
    outcome.estimated = true;
    outcome.description = fmt::format(
        "residual net migration per 1,000 (estimated: 1 January population change minus births "
        "plus deaths, over the mean of the two 1 January populations; BNS tables 6584, 6548, "
        "6550; includes international migration), {}-{}",
        outcome.regional.periods.front(), outcome.regional.periods.back());
    outcome.regional.outcome = outcome.national.outcome = "the residual net migration rate";
    outcome.regional.unit = outcome.national.unit = "per 1,000";
  } else if (name == "net_internal_rate") {
    const auto net = ByKz2009Unit(db, "net_internal");
    const auto pop = ByKz2009Unit(db, "population_avg");
    if (net.empty()) throw InputError("the built-in data have no net_internal series");
    RatePanels(net, pop, outcome);
    outcome.description = fmt::format(
        "official inter-regional net migration per 1,000 average population (BNS), {}-{}",
        outcome.regional.periods.front(), outcome.regional.periods.back());
    outcome.regional.outcome = outcome.national.outcome = "the inter-regional net migration rate";
    outcome.regional.unit = outcome.national.unit = "per 1,000";
  } else if (name == "intl_net") {
    const RegionSeries& series = kz.Series("intl_net");
    const auto idx = series.Find(store::kNational);
    if (!idx) throw InputError("the built-in data have no intl_net series");
    const std::vector<int> years = series.Years();
    outcome.national.units = {"KZ"};
    outcome.national.values.resize(1, static_cast<Eigen::Index>(years.size()));
    for (size_t year_idx = 0; year_idx < years.size(); ++year_idx) {
      outcome.national.periods.push_back(years[year_idx]);
      outcome.national.values(0, static_cast<Eigen::Index>(year_idx)) =
          series.Get(*idx, years[year_idx]).value_or(kNaN);
    }
    outcome.national.outcome = "international net migration";
    outcome.national.unit = "persons";
    outcome.units = "Kazakhstan (national)";
    outcome.description =
        fmt::format("official international net migration of Kazakhstan (CIS-Stat and BNS), {}-{}",
                    years.front(), years.back());
  } else {
    std::string names;
    for (const std::string& known : PolicyOutcomeNames()) {
      names += (names.empty() ? "" : ", ") + known;
    }
    throw UsageError(fmt::format("--outcome: unknown outcome '{}' (one of: {})", name, names));
  }
  return outcome;
}

namespace {

// Reads a user's panel region,year,value[,month].
policy::Panel ReadPanel(const std::string& path) {
  io::CsvReader csv(path);
  const size_t c_region = csv.Column("region"), c_year = csv.Column("year"),
               c_value = csv.Column("value");
  const auto c_month = csv.FindColumn("month");
  std::vector<std::string> units;
  std::map<std::string, size_t> unit_index;
  std::map<std::pair<size_t, long>, double> values;
  std::map<std::pair<size_t, long>, long> lines;
  long first = std::numeric_limits<long>::max(), last = std::numeric_limits<long>::min();
  while (csv.Next()) {
    const std::string region(csv.RequiredField(c_region));
    const int64_t year = csv.Int(c_year);
    if (year < 1900 || year > 2100) csv.Fail(c_year, fmt::format("implausible year {}", year));
    long period = static_cast<long>(year);
    if (c_month) {
      const int64_t month = csv.Int(*c_month);
      if (month < 1 || month > 12) csv.Fail(*c_month, fmt::format("month {} is not 1-12", month));
      period = static_cast<long>(year * 12 + month - 1);
    }
    const double value = csv.Double(c_value);
    auto [it, inserted] = unit_index.emplace(region, units.size());
    if (inserted) units.push_back(region);
    if (!values.emplace(std::make_pair(it->second, period), value).second) {
      csv.Fail(c_year, fmt::format("a second value for region {} in {}{}", region, year,
                                   c_month ? fmt::format("-{:02d}", period % 12 + 1) : ""));
    }
    lines[{it->second, period}] = csv.line();
    first = std::min(first, period);
    last = std::max(last, period);
  }
  csv.RequireRecords();
  policy::Panel panel;
  panel.periods_per_year = c_month ? 12 : 1;
  panel.units = units;
  panel.outcome = "the outcome";
  for (long period = first; period <= last; ++period) panel.periods.push_back(period);
  panel.values.resize(static_cast<Eigen::Index>(units.size()),
                      static_cast<Eigen::Index>(panel.periods.size()));
  for (size_t unit_idx = 0; unit_idx < units.size(); ++unit_idx) {
    for (long period = first; period <= last; ++period) {
      const auto it = values.find({unit_idx, period});
      if (it == values.end()) {
        throw InputError(path, 0, 0,
                         fmt::format("region {} has no value for {}: the panel has a gap (every "
                                     "region needs every {} from {} to {})",
                                     units[unit_idx], policy::PeriodLabel(panel, period),
                                     c_month ? "month" : "year", policy::PeriodLabel(panel, first),
                                     policy::PeriodLabel(panel, last)));
      }
      panel.values(static_cast<Eigen::Index>(unit_idx), period - first) = it->second;
    }
  }
  return panel;
}

}  // namespace

Json EffectDocument(const policy::EffectResult& effect) {
  Json doc;
  doc["method"] = std::string(policy::MethodName(effect.method));
  doc["estimate"] = Num(effect.estimate);
  doc["ci95"] = Json::array({Num(effect.ci_low), Num(effect.ci_high)});
  doc["std_error"] = Num(effect.std_error);
  doc["pre_periods"] = effect.pre_periods;
  doc["post_periods"] = effect.post_periods;
  doc["treated"] = effect.treated;
  doc["control"] = effect.control;
  doc["pretrend_p"] = Num(effect.pretrend_p);
  doc["placebo_p"] = Num(effect.placebo_p);
  doc["credible"] = effect.credible;
  doc["message"] = effect.message;
  doc["reason"] = effect.reason;
  doc["design"] = effect.design;
  if (effect.method == policy::Method::kIts) {
    doc["slope_change"] = Num(effect.slope_change);
    doc["slope_change_se"] = Num(effect.slope_change_se);
    doc["newey_west_lag"] = effect.newey_west_lag;
  }
  if (effect.method == policy::Method::kDid) {
    Json events = Json::array();
    for (const policy::EventCoefficient& e : effect.event_study) {
      events.push_back({{"relative", e.relative},
                        {"estimate", Num(e.estimate)},
                        {"std_error", Num(e.std_error)},
                        {"ci95", Json::array({Num(e.ci_low), Num(e.ci_high)})}});
    }
    doc["event_study"] = events;
  }
  if (effect.method == policy::Method::kSynth) {
    Json weights = Json::array();
    for (const auto& [region, weight] : effect.weights) {
      weights.push_back({{"region", region}, {"weight", weight}});
    }
    doc["weights"] = weights;
    doc["rmspe"] = {{"pre", Num(effect.rmspe_pre)},
                    {"post", Num(effect.rmspe_post)},
                    {"ratio", Num(effect.rmspe_ratio)}};
    Json placebos = Json::array();
    for (const auto& [region, ratio] : effect.placebo_ratios) {
      placebos.push_back({{"region", region}, {"rmspe_ratio", Num(ratio)}});
    }
    doc["placebo_ratios"] = placebos;
  }
  return doc;
}

namespace {

PolicyEffectResult RunEffect(const PolicyEffectRequest& request, KzDataset* dataset) {
  const bool user = !request.series.empty();
  if (user == !request.measure.empty()) {
    throw UsageError("give either --series FILE --start YEAR or --measure ID --outcome NAME");
  }
  if (user && !request.outcome.empty()) throw UsageError("--outcome needs --measure, not --series");
  if (user && !request.start) throw UsageError("--series needs --start YEAR");
  if (request.start_month && (*request.start_month < 1 || *request.start_month > 12)) {
    throw UsageError("--start-month must be 1-12");
  }
  PolicyEffectResult result;
  policy::EffectSpec spec;
  spec.newey_west_lag = request.lag;
  spec.treated = request.treated;
  policy::Panel panel;
  if (user) {
    panel = ReadPanel(request.series);
    result.outcome = request.series;
    result.series = fmt::format("the values of {}", request.series);
    result.units = fmt::format("the {} regions of {}", panel.units.size(), request.series);
    if (panel.periods_per_year == 1 && request.start_month) {
      throw UsageError("--start-month needs a monthly panel (a month column)");
    }
    spec.start = panel.periods_per_year == 12
                     ? static_cast<long>(*request.start) * 12 + request.start_month.value_or(1) - 1
                     : *request.start;
    spec.method = request.method.empty()
                      ? (spec.treated.empty() ? policy::Method::kIts : policy::Method::kDid)
                      : policy::ParseMethod(request.method);
  } else {
    const std::vector<policy::Measure> measures =
        LoadPolicyRegister(request.builtin_dir, request.measures);
    const policy::Measure* measure = policy::FindMeasure(measures, request.measure);
    if (measure == nullptr) {
      std::string ids;
      for (const policy::Measure& m : measures) ids += (ids.empty() ? "" : ", ") + m.id;
      throw UsageError(fmt::format("--measure: no measure '{}' in the register (known: {})",
                                   request.measure, ids));
    }
    if (request.start_month) throw UsageError("--start-month applies to monthly --series only");
    std::optional<KzDataset> opened;
    if (dataset == nullptr) opened.emplace(KzDataset::Open(request.db, request.builtin_dir));
    KzDataset& kz = dataset != nullptr ? *dataset : *opened;
    PolicyOutcome outcome = BuiltinPolicyOutcome(
        kz, request.outcome.empty() ? std::string_view("residual_net_rate") : request.outcome);
    result.measure = measure->id;
    result.outcome = outcome.name;
    result.series = outcome.description;
    result.notes = outcome.notes;
    result.gaps = outcome.gaps;
    result.units_used = outcome.units_used;
    spec.start = request.start ? *request.start : policy::FirstYearUnder(*measure);
    const bool national = measure->national && request.treated.empty();
    spec.method = request.method.empty()
                      ? (national || outcome.regional.units.empty() ? policy::Method::kIts
                                                                    : policy::Method::kDid)
                      : policy::ParseMethod(request.method);
    if (spec.method == policy::Method::kIts && national) {
      panel = outcome.national;
      spec.treated.clear();
      result.units = fmt::format("Kazakhstan: the sum over {}",
                                 outcome.units.empty() ? "the country" : outcome.units);
      result.units_summed = !outcome.regional.units.empty();
      if (outcome.regional.units.empty()) result.units = outcome.units;
    } else if (outcome.regional.units.empty()) {
      panel = outcome.national;
      result.units = outcome.units;
      if (spec.method != policy::Method::kIts) spec.treated.clear();
    } else {
      panel = outcome.regional;
      result.units = outcome.units;
      if (request.treated.empty()) {
        if (national) {
          spec.treated.clear();  // DiD/synth on a national measure: not credible, reason given
        } else {
          for (const std::string& unit : panel.units) {
            for (const std::string& atom : Crosswalk::Atoms("kz-2009", unit)) {
              if (std::find(measure->regions.begin(), measure->regions.end(), atom) !=
                  measure->regions.end()) {
                spec.treated.push_back(unit);
                break;
              }
            }
          }
          if (spec.treated.empty()) {
            throw InputError(
                fmt::format("--measure {}: none of its regions ({}) is in the {} panel ({})",
                            measure->id, RegionsText(*measure), outcome.name, outcome.units));
          }
        }
      }
    }
    result.start = std::to_string(spec.start);
  }
  result.effect = policy::EstimateEffect(panel, spec);
  result.unit = panel.unit;
  result.start = policy::PeriodLabel(panel, spec.start);
  result.panel = panel;
  if (result.effect.method == policy::Method::kIts && result.effect.treated.empty() &&
      panel.units.size() > 1) {
    result.notes.push_back(
        "ITS without --treated: the series is the unweighted mean of every "
        "region of the panel");
  }
  Json doc = EffectDocument(result.effect);
  doc["outcome"] = result.outcome;
  doc["series"] = result.series;
  doc["units"] = result.units;
  doc["unit"] = result.unit;
  doc["start"] = result.start;
  if (!result.measure.empty()) doc["measure"] = result.measure;
  Json path = Json::array();
  for (size_t idx = 0; idx < result.effect.periods.size(); ++idx) {
    path.push_back(
        {{"period", policy::PeriodLabel(panel, result.effect.periods[idx])},
         {"observed",
          idx < result.effect.observed.size() ? Num(result.effect.observed[idx]) : Json(nullptr)},
         {"counterfactual", idx < result.effect.counterfactual.size()
                                ? Num(result.effect.counterfactual[idx])
                                : Json(nullptr)}});
  }
  doc["path"] = path;
  doc["notes"] = result.notes;
  result.document = std::move(doc);
  return result;
}

}  // namespace

PolicyEffectResult RunPolicyEffect(const PolicyEffectRequest& request) {
  return RunEffect(request, nullptr);
}

PolicyEffectResult RunPolicyEffect(KzDataset& kz, const PolicyEffectRequest& request) {
  PolicyEffectRequest copy = request;
  copy.builtin_dir = kz.builtin_dir();
  return RunEffect(copy, &kz);
}

std::string EncodePolicyEffect(const PolicyEffectResult& result, Format format) {
  if (format == Format::kJson) return result.document.dump(2) + "\n";
  const policy::EffectResult& e = result.effect;
  auto join = [](const std::vector<std::string>& ids) {
    std::string text;
    for (const std::string& id : ids) text += (text.empty() ? "" : ";") + id;
    return text;
  };
  ResultTable table({"method", "estimate", "ci95_low", "ci95_high", "std_error", "pre_periods",
                     "post_periods", "treated", "control", "pretrend_p", "placebo_p", "credible",
                     "message"});
  table.AddRow({Cell::Text(std::string(policy::MethodName(e.method))), Cell::Number(e.estimate),
                Cell::Number(e.ci_low), Cell::Number(e.ci_high), Cell::Number(e.std_error),
                Cell::Integer(e.pre_periods), Cell::Integer(e.post_periods),
                Cell::Text(join(e.treated)), Cell::Text(join(e.control)),
                Cell::Number(e.pretrend_p), Cell::Number(e.placebo_p), Cell::Bool(e.credible),
                Cell::Text(e.message)});
  if (format == Format::kCsv) return table.Csv();
  std::vector<std::vector<std::string>> rows = {{"key", "value"}};
  // For people: the effect and its interval to 4 significant digits (in the outcome's unit),
  // p-values with three decimals, missing as "–" (docs/output.md).
  for (size_t col = 0; col < table.columns().size(); ++col) {
    const std::string& name = table.columns()[col];
    const Cell& cell = table.row(0)[col];
    std::string shown = cell.Shown();
    if (cell.missing()) {
      shown = std::string(kTableMissing);
    } else if (cell.kind == Cell::Kind::kNumber) {
      shown = TableNumber(cell.number, name.ends_with("_p") ? Unit::kPValue : Unit::kCoefficient);
    }
    rows.push_back({name, shown});
  }
  rows.push_back({"outcome", result.outcome});
  rows.push_back({"series", result.series});
  rows.push_back({"units", result.units});
  rows.push_back({"start", result.start});
  if (!e.reason.empty()) rows.push_back({"reason", e.reason});
  rows.push_back({"design", e.design});
  return AlignedText(rows);
}

// ---- labour ------------------------------------------------------------------------------------

const std::vector<std::string>& PolicyLabourIndicators() {
  static const std::vector<std::string> names = {"foreign_worker_quota",
                                                 "foreign_worker_quota_share",
                                                 "foreign_workers_with_permits",
                                                 "labour_immigrant_permits_issued",
                                                 "labour_immigrant_permits_issued_or_extended",
                                                 "foreign_entries",
                                                 "kandas_arrivals",
                                                 "kandas_cumulative",
                                                 "resettlement_quota",
                                                 "resettlement_quota_kandas",
                                                 "resettlement_quota_internal"};
  return names;
}

PolicyLabourResult RunPolicyLabour(KzDataset& kz) {
  PolicyLabourResult result;
  result.table = ResultTable({"indicator", "year", "value", "unit", "kind"});
  for (const std::string& name : PolicyLabourIndicators()) {
    const RegionSeries& series = kz.Series(name);
    const auto idx = series.Find(store::kNational);
    if (!idx) continue;
    for (int year : series.Years()) {
      const auto value = series.Get(*idx, year);
      if (!value) continue;
      const Provenance& provenance = series.ProvenanceOf(*idx, year);
      // Each row in its own unit for people (persons, or % of the labour force).
      result.table.AddRow(
          {Cell::Text(name), Cell::Integer(year),
           Cell::Number(*value).In(UnitOfMeasure(series.unit())), Cell::Text(series.unit()),
           Cell::Text(provenance.official() ? "official" : "estimated")},
          result.table.AddProvenance(provenance.ToString()));
    }
  }
  const RegionSeries& quota = kz.Series("foreign_worker_quota");
  const RegionSeries& permits = kz.Series("foreign_workers_with_permits");
  const auto q_idx = quota.Find(store::kNational);
  const auto p_idx = permits.Find(store::kNational);
  if (q_idx && p_idx) {
    const size_t provenance = result.table.AddProvenance(
        Provenance::Estimated("quota utilisation",
                              "foreign_workers_with_permits / foreign_worker_quota * 100: permits "
                              "held on one date of the year against the year's quota")
            .ToString());
    for (int year : quota.Years()) {
      const auto q = quota.Get(*q_idx, year);
      const auto p = permits.Get(*p_idx, year);
      if (!q || !p || *q <= 0) continue;
      result.table.AddRow(
          {Cell::Text("quota_utilisation_pct"), Cell::Integer(year),
           Cell::Number(*p / *q * 100, fmt::format("{:.1f}", *p / *q * 100)).In(Unit::kPercent),
           Cell::Text("% of quota"), Cell::Text("estimated")},
          provenance);
    }
  }
  return result;
}

const std::vector<std::pair<std::string, std::string>>& PolicyEthnicityIndicators() {
  static const std::vector<std::pair<std::string, std::string>> indicators = {
      {"intl_departures_by_ethnicity", "departures"}, {"intl_arrivals_by_ethnicity", "arrivals"}};
  return indicators;
}

ResultTable RunPolicyEthnicity(KzDataset& kz) {
  ResultTable table({"period", "flow", "ethnic_group", "persons", "share_pct"},
                    {Unit::kAuto, Unit::kAuto, Unit::kAuto, Unit::kPersons, Unit::kPercent});
  struct Row {
    store::CompositionRow value;
    std::string flow;
  };
  std::vector<Row> rows;
  for (const auto& [indicator, flow] : PolicyEthnicityIndicators()) {
    for (store::CompositionRow& row : kz.store().LoadCompositions(indicator)) {
      if (row.region_id != store::kNational) continue;
      rows.push_back({std::move(row), flow});
    }
  }
  // Newest period first; departures before arrivals; groups as stored (largest first).
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(b.value.year, b.value.period) < std::tie(a.value.year, a.value.period);
  });
  for (const Row& row : rows) {
    const store::CompositionRow& r = row.value;
    table.AddRow(
        {Cell::Text(r.period.empty() ? std::to_string(r.year) : r.period), Cell::Text(row.flow),
         Cell::Text(r.group), r.persons ? Cell::Number(*r.persons) : Cell::Missing(),
         r.share_pct ? Cell::Number(*r.share_pct) : Cell::Missing()},
        table.AddProvenance(r.provenance.ToString()));
  }
  return table;
}

void ComputePolicySection(KzDataset& kz, PolicySectionInput& out) {
  const std::vector<policy::Measure> measures = LoadPolicyRegister(kz.builtin_dir());
  out.present = !measures.empty();
  if (!out.present) {
    out.notes.push_back("policy: no register of measures (data/kz/policy_measures.csv)");
    return;
  }
  for (const policy::Measure& m : measures) {
    std::string regions = m.national ? "all" : "";
    for (const std::string& region : m.regions) regions += (regions.empty() ? "" : ", ") + region;
    out.measures.push_back({m.id, m.date.Iso(), m.date.DecimalYear(), m.title, m.kind, regions,
                            m.source, m.national, m.regions});
  }
  struct Evaluation {
    const char* measure;
    const char* outcome;
    const char* method;
  };
  static constexpr Evaluation kEvaluations[] = {
      {"resettlement-north", "residual_net_rate", "did"},
      {"resettlement-north", "residual_net_rate", "synth"},
      {"law-477-iv", "residual_net_rate", "its"},
      {"concept-2017-2021", "intl_net", "its"},
      {"eaeu-90-180-2023", "intl_net", "its"},
      {"eaeu-90-180-2023", "net_internal_rate", "its"},
  };
  for (const Evaluation& evaluation : kEvaluations) {
    if (policy::FindMeasure(measures, evaluation.measure) == nullptr) continue;
    PolicyEffectRequest request;
    request.measure = evaluation.measure;
    request.outcome = evaluation.outcome;
    request.method = evaluation.method;
    PolicyEffectResult r;
    try {
      r = RunPolicyEffect(kz, request);
    } catch (const InputError& error) {
      out.notes.push_back(fmt::format("policy: {} on {} not evaluated: {}", evaluation.measure,
                                      evaluation.outcome, error.what()));
      continue;
    }
    const policy::EffectResult& e = r.effect;
    PolicyEffectSummary summary{r.measure,
                                std::string(policy::MethodName(e.method)),
                                r.outcome,
                                r.series,
                                r.units,
                                r.unit,
                                r.start,
                                e.estimate,
                                e.ci_low,
                                e.ci_high,
                                e.std_error,
                                e.pre_periods,
                                e.post_periods,
                                e.pretrend_p,
                                e.placebo_p,
                                e.credible,
                                e.reason,
                                e.message,
                                {},
                                {},
                                e.treated,
                                "kz-2009",
                                {},
                                {},
                                {},
                                0,
                                false};
    for (const policy::ReasonCode& reason : e.reasons) {
      summary.reasons.push_back({reason.code, reason.numbers, reason.labels});
    }
    // Where: as policy::EstimateEffect's sentence says it.
    if (e.method == policy::Method::kIts && e.treated.empty()) {
      if (r.panel.units.size() != 1) {
        summary.scope = "all_regions";
      } else if (r.panel.units.front() == "KZ") {
        summary.scope = "country";
      } else {
        summary.scope = "region";
        summary.scope_id = r.panel.units.front();
      }
    } else if (e.treated.size() == 1) {
      summary.scope = "region";
      summary.scope_id = e.treated.front();
    } else {
      summary.scope = "regions";
    }
    summary.units_used = r.units_used;
    summary.units_summed = r.units_summed;
    for (size_t idx = 0; idx < e.periods.size(); ++idx) {
      const int year = static_cast<int>(e.periods[idx]);
      if (idx < e.observed.size()) summary.observed.emplace_back(year, e.observed[idx]);
      if (idx < e.counterfactual.size()) {
        summary.counterfactual.emplace_back(year, e.counterfactual[idx]);
      }
    }
    out.effects.push_back(std::move(summary));
    std::set<std::string> gap_notes;
    for (const PolicyOutcomeGap& gap : r.gaps) {
      gap_notes.insert(GapNote(r.outcome, gap));
      const bool seen = std::any_of(out.gaps.begin(), out.gaps.end(), [&](const PolicyGapNote& g) {
        return g.outcome == r.outcome && g.region_id == gap.region_id;
      });
      if (!seen) {
        out.gaps.push_back({r.outcome, gap.region_id, gap.name_en, gap.first_year, gap.last_year});
      }
    }
    for (const std::string& note : r.notes) {
      if (gap_notes.count(note)) continue;  // in out.gaps
      if (std::find(out.notes.begin(), out.notes.end(), note) == out.notes.end()) {
        out.notes.push_back(note);
      }
    }
  }
  out.labour = RunPolicyLabour(kz).table;
  const ResultTable ethnic = RunPolicyEthnicity(kz);
  for (size_t row = 0; row < ethnic.row_count(); ++row) {
    const auto& cells = ethnic.row(row);
    out.ethnicity.push_back(
        {cells[0].text, cells[1].text, cells[2].text, cells[3].missing() ? kNaN : cells[3].number,
         cells[4].missing() ? kNaN : cells[4].number, ethnic.ProvenanceOf(row)});
  }
}

namespace {

std::string Signed(double value, int decimals) {
  const std::string text = fmt::format("{:.{}f}", std::abs(value), decimals);
  return (value < 0 ? "\u2212" : "+") + text;
}

// The yearly change a scenario assumes, in words, from its resolved changes.
std::string AssumedChange(const project::Scenario& scenario) {
  std::vector<std::string> parts;
  for (const project::InternalTransfer& t : scenario.transfers) {
    parts.push_back(fmt::format("{:.0f} persons a year moved between regions, {}-{}", t.persons,
                                t.first_year, t.last_year));
  }
  for (const project::InternationalChange& c : scenario.international) {
    parts.push_back(fmt::format("international net {} persons a year, {}-{}", Signed(c.persons, 0),
                                c.first_year, c.last_year));
  }
  for (const project::UrbanPull& u : scenario.urban_pulls) {
    parts.push_back(fmt::format("cities' inter-regional gains {}% above trend, {}-{}",
                                Signed(u.percent, 0), u.first_year, u.last_year));
  }
  if (parts.empty()) return "none (trends continue)";
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

}  // namespace

void ComputePolicyOptions(KzDataset& kz, const ProspectsInput& prospects, PolicySectionInput& out,
                          const std::string& scenario_dir) {
  out.options.clear();
  if (!out.present || !prospects.available) return;
  std::vector<std::string> ids;
  for (const PolicyMeasureSummary& m : out.measures) ids.push_back(m.id);
  const fs::path dir =
      scenario_dir.empty() ? BuiltinScenarioDir(kz.builtin_dir()) : fs::path(scenario_dir);
  const SeriesLookup lookup = [&kz](std::string_view indicator, int year) -> std::optional<double> {
    const double value = SeriesValueOf(kz.Series(indicator), "KZ", year);
    if (!std::isfinite(value)) return std::nullopt;
    return value;
  };
  const ResultTable& cmp = prospects.comparison;
  for (const ScenarioProjection& projected : prospects.projection.scenarios) {
    PolicyOptionRow row;
    row.scenario = projected.name;
    row.description = projected.description;
    row.year = prospects.year;
    const fs::path file = dir / (projected.name + ".json");
    project::Scenario scenario;
    if (fs::exists(file)) {
      const ScenarioLinks links = ReadScenarioLinks(file);
      CheckScenarioMeasures(links, file.string(), ids);
      row.measures = links.measures;
      row.measures_note = links.measures_note;
      row.measures_note_ru = links.measures_note_ru;
      row.description_ru = links.description_ru;
      scenario = ReadScenarioFile(file, kz.system(), lookup);  // validates the file
      row.target = ResolveScenarioTarget(links.target, kz.system(), file.string());
      if (row.description.empty()) row.description = links.description;
    } else if (projected.name != "baseline") {
      continue;  // a composition or a user file: not one of the built-in options
    }
    row.assumed_change = AssumedChange(scenario);
    row.assumes_nothing = scenario.empty();
    for (const project::InternalTransfer& t : scenario.transfers) {
      row.changes.push_back({"transfer", t.persons, t.first_year, t.last_year});
    }
    for (const project::InternationalChange& c : scenario.international) {
      row.changes.push_back({"international", c.persons, c.first_year, c.last_year});
    }
    for (const project::UrbanPull& u : scenario.urban_pulls) {
      row.changes.push_back({"urban", u.percent, u.first_year, u.last_year});
    }
    for (size_t r = 0; r < cmp.row_count(); ++r) {
      if (cmp.at(r, "scenario").text != row.scenario || cmp.at(r, "region").text != row.target) {
        continue;
      }
      row.target_name = cmp.at(r, "name").text;
      const auto number = [&](std::string_view column) {
        const Cell& cell = cmp.at(r, column);
        return cell.missing() ? kNaN : cell.number;
      };
      row.diff = number("diff_baseline");
      row.diff_low = number("diff_lower95");
      row.diff_high = number("diff_upper95");
    }
    if (row.target_name.empty()) row.target_name = row.target;
    for (const std::string& measure : row.measures) {
      for (const PolicyEffectSummary& e : out.effects) {
        if (e.measure != measure || !std::isfinite(e.estimate)) continue;
        row.effects.push_back(
            {e.measure, e.method, e.unit, e.estimate, e.ci_low, e.ci_high, e.credible});
      }
    }
    // The sentence.
    std::string sentence;
    if (scenario.empty()) {
      sentence = "The baseline assumes no policy change; it is the reference for the others.";
    } else {
      sentence = fmt::format("The scenario assumes {}", row.assumed_change);
      if (std::isfinite(row.diff)) {
        sentence += fmt::format(
            "; by {} it moves {}'s population by {} (95% {} to {}, projected, estimated)", row.year,
            row.target_name, Signed(row.diff, 0), Signed(row.diff_low, 0),
            Signed(row.diff_high, 0));
      }
      sentence += ".";
      if (row.measures.empty()) {
        sentence += " No measure in the register corresponds to it.";
      }
      for (const PolicyOptionEffect& e : row.effects) {
        const int decimals = e.unit == "persons" ? 0 : 1;
        const bool zero_inside = e.ci_low <= 0 && e.ci_high >= 0;
        sentence += fmt::format(
            " {}'s measured effect ({}, estimated){} ({} {}, 95% {} to {}{}).", e.measure,
            e.method == "did" ? "DiD" : (e.method == "its" ? "ITS" : "synthetic control"),
            !e.credible   ? " comes from a design that fails its checks, so it is no evidence"
            : zero_inside ? " so far cannot be told from zero"
                          : " is distinguishable from zero",
            Signed(e.estimate, decimals), e.unit, Signed(e.ci_low, decimals),
            Signed(e.ci_high, decimals), e.credible ? "" : "; not credible");
      }
      if (!row.measures.empty() && row.effects.empty()) {
        sentence += " The register's measure(s) have no evaluated effect in this report.";
      }
    }
    row.sentence = sentence;
    out.options.push_back(std::move(row));
  }
}

}  // namespace kazmig::app

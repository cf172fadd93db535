#include "kazmig/app/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "kazmig/app/policy.h"
#include "kazmig/app/risk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"

namespace kazmig::app {
namespace {

constexpr std::string_view kKazakhstan = "KAZ";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Json ProvenanceObject(const Provenance& p, std::string_view method = {}) {
  Json j = {{"kind", p.KindName()}, {"source", p.source}, {"detail", p.detail}};
  if (!method.empty()) j["method"] = method;
  return j;
}

std::string YearList(const std::vector<int>& years) {
  std::string out;
  for (int year : years) out += (out.empty() ? "" : ", ") + std::to_string(year);
  return out.empty() ? "none" : out;
}

const MapIndicator& FindMapIndicator(std::string_view id) {
  for (const MapIndicator& indicator : MapIndicators()) {
    if (indicator.id == id) return indicator;
  }
  std::string list;
  for (const MapIndicator& indicator : MapIndicators()) {
    list += (list.empty() ? "" : ", ") + indicator.id;
  }
  throw UsageError(fmt::format("indicator '{}': not a map indicator (one of {})", id, list));
}

// The years in which every region of `system` has a value of `series`.
std::vector<int> CompleteYearsOf(const RegionSeries& series, const RegionSystem& system) {
  std::vector<int> years;
  for (int year : series.Years()) {
    bool complete = true;
    for (const Region& region : system.regions()) {
      if (std::isnan(SeriesValueOf(series, region.id, year))) complete = false;
    }
    if (complete) years.push_back(year);
  }
  return years;
}

// The store indicator a plain map indicator shows.
std::string_view StoredIndicator(std::string_view id) {
  if (id == "population") return "population_avg";
  if (id == "arrivals") return "arrivals_internal";
  if (id == "departures") return "departures_internal";
  if (id == "unemployment") return "unemployment_rate";
  if (id == "income") return "income_per_capita";
  return {};
}

// The risk index years: those with at least two components (app/risk.h).
std::vector<int> RiskYears(KzDataset& kz, uint64_t seed) {
  RiskRequest request;
  request.seed = seed;
  request.draws = 1;
  const RiskResult result = ComputeKzRisk(kz, request);
  std::vector<int> years;
  for (const RiskResult::YearCoverage& coverage : result.coverage) {
    if (coverage.available.size() >= 2) years.push_back(coverage.year);
  }
  std::sort(years.begin(), years.end());
  return years;
}

struct ProjectionHolder {
  std::optional<ProspectsInput> owned;
  const ProjectionResult* result = nullptr;
};

ProjectionHolder Projection(KzDataset& kz, const MapLayerRequest& request) {
  ProjectionHolder holder;
  if (request.projection != nullptr) {
    holder.result = request.projection;
    return holder;
  }
  holder.owned = ComputeProspects(kz, ProspectsRequest{});
  if (!holder.owned->available) {
    throw UsageError("indicator 'projected_change': no projection (" + holder.owned->unavailable +
                     ")");
  }
  holder.result = &holder.owned->projection;
  return holder;
}

std::vector<int> ProjectedYears(const ProjectionResult& projection) {
  std::vector<int> years;
  for (int year : projection.years) {
    if (year > projection.base_year) years.push_back(year);
  }
  return years;
}

// The net series a net_rate year uses: all flows where complete, else inter-regional.
const RegionSeries* NetSeriesOf(KzDataset& kz, int year) {
  const RegionSystem& system = kz.system();
  const RegionSeries& all = kz.Series("net_all");
  for (int complete : CompleteYearsOf(all, system)) {
    if (complete == year) return &all;
  }
  const RegionSeries& internal = kz.Series("net_internal");
  for (int complete : RegionalYears(internal, system)) {
    if (complete == year) return &internal;
  }
  return nullptr;
}

}  // namespace

const std::vector<MapIndicator>& MapIndicators() {
  static const std::vector<MapIndicator> indicators = {
      {"net_rate", "Net migration per 1,000", "per 1,000", 1},
      {"population", "Population (annual average)", "persons", 0},
      {"arrivals", "Internal arrivals (incl. within a region)", "persons", 0},
      {"departures", "Internal departures (incl. within a region)", "persons", 0},
      {"unemployment", "Unemployment rate", "%", 1},
      {"income", "Income per capita", "KZT per month", 0},
      {"risk_score", "Migration-risk score", "score (0-1)", 3},
      {"projected_change", "Projected population change (baseline)", "%", 1},
  };
  return indicators;
}

std::vector<int> MapLayerYears(KzDataset& kz, const MapLayerRequest& request) {
  const MapIndicator& indicator = FindMapIndicator(request.indicator);
  const RegionSystem& system = kz.system();
  if (indicator.id == "net_rate") {
    std::set<int> years;
    const std::vector<int> population = RegionalYears(kz.Series("population_avg"), system);
    for (const char* net : {"net_all", "net_internal"}) {
      for (int year : RegionalYears(kz.Series(net), system)) {
        if (std::find(population.begin(), population.end(), year) != population.end()) {
          years.insert(year);
        }
      }
    }
    return {years.begin(), years.end()};
  }
  if (indicator.id == "risk_score") return RiskYears(kz, request.seed);
  if (indicator.id == "projected_change") {
    const ProjectionHolder projection = Projection(kz, request);
    return ProjectedYears(*projection.result);
  }
  return RegionalYears(kz.Series(StoredIndicator(indicator.id)), system);
}

Json MapLayer(KzDataset& kz, const MapLayerRequest& request) {
  const MapIndicator& indicator = FindMapIndicator(request.indicator);
  const RegionSystem& system = kz.system();
  std::optional<ProjectionHolder> projection;
  std::vector<int> years;
  if (indicator.id == "projected_change") {
    projection = Projection(kz, request);
    years = ProjectedYears(*projection->result);
  } else {
    years = MapLayerYears(kz, request);
  }
  if (years.empty()) {
    throw UsageError(fmt::format("indicator '{}': no data in the built-in dataset", indicator.id));
  }
  int year = request.year == 0 ? years.back() : request.year;
  if (indicator.id == "risk_score" && request.year == 0) {
    // The index's own default year (the latest with the most components), as `kazmig risk`.
    RiskRequest risk_default;
    risk_default.seed = request.seed;
    risk_default.draws = 1;
    year = ComputeKzRisk(kz, risk_default).year;
  }
  if (std::find(years.begin(), years.end(), year) == years.end()) {
    throw UsageError(fmt::format("year {}: no data for {}; available years: {}", year, indicator.id,
                                 YearList(years)));
  }

  Json layer = {{"indicator", indicator.id},
                {"label", indicator.label},
                {"unit", indicator.unit},
                {"decimals", indicator.decimals},
                {"year", year},
                {"years", years}};
  Json list = Json::array();
  for (const MapIndicator& other : MapIndicators()) {
    list.push_back({{"id", other.id}, {"label", other.label}, {"unit", other.unit}});
  }
  layer["indicators"] = list;

  Json values = Json::array();
  const auto add = [&values](const Region& region, double value, Json provenance) {
    Json row = {{"region", region.id}, {"region_name", region.name_en}};
    if (std::isnan(value)) {
      row["value"] = nullptr;
    } else {
      row["value"] = value;
      row["provenance"] = std::move(provenance);
    }
    values.push_back(std::move(row));
  };

  if (indicator.id == "net_rate") {
    const RegionSeries* net = NetSeriesOf(kz, year);
    const RegionSeries& population = kz.Series("population_avg");
    const bool all = net->indicator() == "net_all";
    layer["note"] =
        all ? "all flows: inter-regional plus international net migration (net_all, BNS table "
              "6567) per 1,000 average population"
            : "inter-regional net migration only (net_internal): the all-flows net (net_all) is "
              "not published for every region in this year; per 1,000 average population";
    for (const Region& region : system.regions()) {
      const double n = SeriesValueOf(*net, region.id, year);
      const double p = SeriesValueOf(population, region.id, year);
      const double rate = (std::isnan(n) || std::isnan(p) || p <= 0) ? kNaN : n / p * 1000.0;
      Json provenance;
      if (!std::isnan(rate)) {
        const Provenance& np = net->ProvenanceOf(*SeriesIndexOf(*net, region.id), year);
        const Provenance& pp = population.ProvenanceOf(*SeriesIndexOf(population, region.id), year);
        Provenance combined = np;
        if (!pp.official()) combined.kind = Provenance::Kind::kEstimated;
        combined.source = np.source + "; " + pp.source;
        combined.detail = np.detail;
        provenance =
            ProvenanceObject(combined, fmt::format("{} / population_avg * 1000", net->indicator()));
      }
      add(region, rate, std::move(provenance));
    }
  } else if (indicator.id == "risk_score") {
    RiskRequest risk_request;
    risk_request.year = year;
    risk_request.seed = request.seed;
    const RiskResult risk = ComputeKzRisk(kz, risk_request);
    layer["note"] =
        "composite index of the components available in the year (app/risk.h: equal weights, "
        "min-max, linear); higher = more migration risk";
    const Provenance p = Provenance::Estimated(
        "migration-risk index (kazmig risk)",
        fmt::format("year {}, equal weights, min-max normalisation, linear aggregation", year));
    for (const Region& region : system.regions()) {
      double score = kNaN;
      for (const RiskRegion& r : risk.regions) {
        if (r.id == region.id) score = r.score;
      }
      add(region, score, ProvenanceObject(p, "kazmig risk --year " + std::to_string(year)));
    }
  } else if (indicator.id == "projected_change") {
    const ProjectionResult& result = *projection->result;
    layer["note"] = fmt::format(
        "median of the baseline projection ({} draws, seed {}): change of the population on 1 "
        "January since {} (the base year), percent",
        result.draws, result.seed, result.base_year);
    const Provenance p = Provenance::Parse(result.provenance);
    for (const Region& region : system.regions()) {
      double change = kNaN;
      const auto it = std::find(result.region_ids.begin(), result.region_ids.end(), region.id);
      if (it != result.region_ids.end() && !result.scenarios.empty()) {
        const size_t idx = static_cast<size_t>(it - result.region_ids.begin());
        const double base = result.At(0, idx, result.base_year).population.median;
        const double now = result.At(0, idx, year).population.median;
        if (base > 0) change = (now / base - 1.0) * 100.0;
      }
      add(region, change,
          ProvenanceObject(p, fmt::format("(median population {} / population {} - 1) * 100", year,
                                          result.base_year)));
    }
  } else {
    const std::string_view stored = StoredIndicator(indicator.id);
    const RegionSeries& series = kz.Series(stored);
    if (indicator.id == "arrivals" || indicator.id == "departures") {
      layer["note"] =
          "registered internal moves, including moves between districts inside a region (not "
          "inter-regional); about 48% more in 2024 after a registration change";
    }
    for (const Region& region : system.regions()) {
      const double value = SeriesValueOf(series, region.id, year);
      Json provenance;
      if (!std::isnan(value)) {
        provenance =
            ProvenanceObject(series.ProvenanceOf(*SeriesIndexOf(series, region.id), year), stored);
      }
      add(region, value, std::move(provenance));
    }
  }
  if (!layer.contains("note")) layer["note"] = "";
  layer["values"] = std::move(values);
  return layer;
}

std::vector<SeriesBreak> SeriesBreaks(KzDataset& kz, std::string_view indicator) {
  std::vector<SeriesBreak> breaks;
  std::map<std::string, int> first_year;  // vintage -> first year
  for (const store::SeriesRow& row : kz.store().LoadSeriesRows(indicator)) {
    if (row.region_id == "KZ") continue;
    auto [it, inserted] = first_year.emplace(row.vintage, row.year);
    if (!inserted) it->second = std::min(it->second, row.year);
  }
  std::vector<std::pair<int, std::string>> starts;
  for (const auto& [vintage, year] : first_year) starts.emplace_back(year, vintage);
  std::sort(starts.begin(), starts.end());
  for (size_t idx = 1; idx < starts.size(); ++idx) {
    const std::string& vintage = starts[idx].second;
    std::string what;
    if (vintage == "kz-2018") what = " (Shymkent split from South Kazakhstan, now Turkistan)";
    if (vintage == "kz-2022") what = " (Abai, Jetisu and Ulytau regions created)";
    breaks.push_back({starts[idx].first, fmt::format("{}: boundary change, {} borders from here{}",
                                                     starts[idx].first, vintage, what)});
  }
  if (indicator == "arrivals_internal" || indicator == "departures_internal") {
    breaks.push_back({2024,
                      "2024: registered internal moves jump by about 48%, likely a change in "
                      "registration"});
  }
  std::stable_sort(breaks.begin(), breaks.end(),
                   [](const SeriesBreak& a, const SeriesBreak& b) { return a.year < b.year; });
  return breaks;
}

std::vector<policy::Measure> MeasuresAffecting(const std::vector<policy::Measure>& measures,
                                               std::string_view region) {
  std::vector<policy::Measure> out;
  for (const policy::Measure& measure : measures) {
    const bool here =
        region == "KZ" || measure.national ||
        std::find(measure.regions.begin(), measure.regions.end(), region) != measure.regions.end();
    if (here) out.push_back(measure);
  }
  return out;
}

Json SeriesAnnotations(KzDataset& kz, std::string_view indicator, std::string_view region) {
  Json measures = Json::array();
  for (const policy::Measure& m : MeasuresAffecting(LoadPolicyRegister(kz.builtin_dir()), region)) {
    measures.push_back({{"id", m.id},
                        {"date", m.date.Iso()},
                        {"year", m.date.year},
                        {"decimal_year", m.date.DecimalYear()},
                        {"title", m.title},
                        {"kind", m.kind},
                        {"scope", m.national ? "national" : "regional"},
                        {"regions", m.national ? Json::array({"all"}) : Json(m.regions)}});
  }
  Json breaks = Json::array();
  for (const SeriesBreak& b : SeriesBreaks(kz, indicator)) {
    breaks.push_back({{"year", b.year}, {"label", b.label}});
  }
  return {{"measures", std::move(measures)}, {"breaks", std::move(breaks)}};
}

Json InternalFlowsView(KzDataset& kz, int year) {
  const std::vector<int> years = kz.StoredOdYears();
  if (years.empty()) throw UsageError("the built-in dataset has no estimated OD matrix");
  const int chosen = year == 0 ? years.back() : year;
  const StoredOd* od = kz.FindStoredOd(chosen);
  if (od == nullptr) {
    throw UsageError(fmt::format("year {}: no estimated inter-regional matrix; available years: {}",
                                 chosen, YearList(years)));
  }
  const RegionSystem& system = kz.system();
  Json regions = Json::array();
  for (const Region& region : system.regions()) {
    regions.push_back({{"id", region.id},
                       {"name", region.name_en},
                       {"centroid", {region.longitude, region.latitude}}});
  }
  const auto name_of = [&system](const std::string& id) {
    const auto idx = system.IndexOfId(id);
    return idx ? system[*idx].name_en : id;
  };
  const std::vector<std::string>& ids = od->central.ids();
  Json flows = Json::array();
  // Every cell has the same provenance: each row names its kind and method, the document holds
  // the whole of it once (its detail, with the assumptions, is long).
  const Json provenance = {{"kind", od->provenance.KindName()}, {"method", od->provenance.source}};
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = 0; j < ids.size(); ++j) {
      if (i == j) continue;
      flows.push_back({{"origin", ids[i]},
                       {"origin_name", name_of(ids[i])},
                       {"dest", ids[j]},
                       {"dest_name", name_of(ids[j])},
                       {"value", od->central(i, j)},
                       {"low", od->low(i, j)},
                       {"high", od->high(i, j)},
                       {"provenance", provenance}});
    }
  }
  return {{"indicator", "od_internal_estimated"},
          {"year", chosen},
          {"years", years},
          {"note",
           "ESTIMATED, model-based: only the regional nets are official; flows between two "
           "regions are not published. low/high: cell-wise range over the sensitivity grid"},
          {"method", od->provenance.source},
          {"provenance", ProvenanceObject(od->provenance)},
          {"regions", std::move(regions)},
          {"flows", std::move(flows)}};
}

Json InternationalFlowsView(KzDataset& kz, std::string_view period) {
  const std::vector<store::FlowRow>& abel = kz.Flows("abel_flows");
  const std::vector<store::FlowRow>& arrivals = kz.Flows("intl_arrivals_by_partner");
  const std::vector<store::FlowRow>& departures = kz.Flows("intl_departures_by_partner");
  std::set<std::string> periods;
  for (const store::FlowRow& row : abel) {
    if (!row.period.empty()) periods.insert(row.period);
  }
  std::set<int> years;
  for (const auto* rows : {&arrivals, &departures}) {
    for (const store::FlowRow& row : *rows) years.insert(row.year);
  }
  std::string chosen(period);
  if (chosen.empty() && !periods.empty()) chosen = *periods.rbegin();
  const bool official = chosen.size() == 4;
  const bool known =
      official ? years.count(std::atoi(chosen.c_str())) > 0 : periods.count(chosen) > 0;
  if (!known) {
    std::string list;
    for (const std::string& p : periods) list += (list.empty() ? "" : ", ") + p;
    throw UsageError(fmt::format(
        "period '{}': no corridors; available: Abel & Cohen periods {}; official years {}", chosen,
        list.empty() ? "none" : list, YearList({years.begin(), years.end()})));
  }

  Json rows = Json::array();
  std::set<std::string> partners;
  const auto add = [&](const store::FlowRow& row, bool abel_row) {
    const bool in = row.dest == kKazakhstan;
    if (!in && row.orig != kKazakhstan) return;
    const std::string& partner = in ? row.orig : row.dest;
    if (partner == kKazakhstan) return;
    partners.insert(partner);
    Json j = {{"partner", partner},
              {"partner_name", kz.CountryName(partner)},
              {"direction", in ? "arrivals" : "departures"},
              {"source", abel_row ? "abel" : "official"},
              {"year", row.year}};
    j["period"] = row.period.empty() ? Json(nullptr) : Json(row.period);
    j["value"] = row.value;
    j["provenance"] = ProvenanceObject(row.provenance);
    rows.push_back(std::move(j));
  };
  for (const auto* official_rows : {&arrivals, &departures}) {
    for (const store::FlowRow& row : *official_rows) {
      if (!official || std::to_string(row.year) == chosen) add(row, false);
    }
  }
  for (const store::FlowRow& row : abel) {
    if (!official && row.period == chosen) add(row, true);
  }
  Json partner_list = Json::array();
  for (const std::string& partner : partners) {
    partner_list.push_back({{"iso3", partner},
                            {"name", kz.CountryName(partner)},
                            {"aggregate", partner == "CIS" || partner == "NON_CIS"},
                            {"centroid", nullptr}});
  }
  std::vector<store::FlowRow> official_rows = arrivals;
  official_rows.insert(official_rows.end(), departures.begin(), departures.end());
  const IntlCorridors top =
      SelectLargestCorridors(official ? official_rows : abel, chosen, kChordCorridors,
                             [&kz](const std::string& code) { return kz.CountryName(code); });
  Json links = Json::array();
  Json node_list = Json::array();
  if (!top.rows.empty())
    node_list.push_back({{"id", kKazakhstan}, {"name", kz.CountryName(kKazakhstan)}});
  for (const IntlCorridor& corridor : top.rows) {
    node_list.push_back({{"id", corridor.partner}, {"name", corridor.partner_name}});
    if (corridor.to_kazakhstan > 0) {
      links.push_back({{"source", corridor.partner},
                       {"target", kKazakhstan},
                       {"value", corridor.to_kazakhstan}});
    }
    if (corridor.from_kazakhstan > 0) {
      links.push_back({{"source", kKazakhstan},
                       {"target", corridor.partner},
                       {"value", corridor.from_kazakhstan}});
    }
  }
  return {
      {"period", chosen},
      {"periods", std::vector<std::string>(periods.begin(), periods.end())},
      {"years", std::vector<int>(years.begin(), years.end())},
      {"note", official ? "official: arrivals and departures by CIS partner (BNS, CIS-Stat); "
                          "other countries only as the aggregate NON_CIS"
                        : "estimated: Abel & Cohen bilateral 5-year flows (pseudo-Bayesian closed "
                          "demographic accounting), model estimates, not registrations"},
      {"rows", std::move(rows)},
      {"partners", std::move(partner_list)},
      {"chord",
       {{"period", chosen},
        {"source", official ? "official" : "abel"},
        {"nodes", std::move(node_list)},
        {"links", std::move(links)},
        {"other_partners", top.other_partners}}}};
}

}  // namespace kazmig::app

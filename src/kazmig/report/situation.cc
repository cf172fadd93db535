#include "kazmig/report/situation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/choropleth.h"
#include "kazmig/report/factors_section.h"
#include "kazmig/report/flows_section.h"
#include "kazmig/report/html.h"
#include "kazmig/report/policy_section.h"
#include "kazmig/report/prospects_section.h"
#include "kazmig/report/regularities.h"
#include "kazmig/report/risk_section.h"

namespace kazmig::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kNationalId = "KZ";
constexpr const char* kBoundarySource =
    "Region boundaries: geokz R package 1.0.2 by A. Rodionov (CC BY 4.0), based on the Bureau of "
    "National Statistics and OCHA COD-AB; simplified by kazmig (topology-preserving "
    "Douglas\u2013Peucker, 1.2 km).";

// Where city labels go on the map: a dot at the city and the label moved aside (pixels).
struct LabelOffset {
  const char* id;
  double dx;
  double dy;
};
constexpr LabelOffset kCityLabels[] = {{"71", 26, -16}, {"75", -30, 18}, {"79", -30, 14}};

// Collects the provenances of the values a figure or table shows.
class Provenances {
 public:
  void Add(const RegionSeries& series, size_t region_idx, int year) {
    if (!series.Get(region_idx, year)) return;
    const Provenance& provenance = series.ProvenanceOf(region_idx, year);
    if (std::find(items_.begin(), items_.end(), provenance) == items_.end()) {
      items_.push_back(provenance);
    }
  }
  // Source numbers in the document.
  std::vector<int> Cite(Document& document) const {
    std::vector<int> numbers;
    for (const Provenance& provenance : items_) {
      const int number = document.Cite(provenance.ToString());
      if (std::find(numbers.begin(), numbers.end(), number) == numbers.end()) {
        numbers.push_back(number);
      }
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
  }
  std::vector<std::string> Kinds() const {
    std::vector<std::string> kinds;
    for (const char* kind : {"official", "estimated"}) {
      for (const Provenance& provenance : items_) {
        if (provenance.KindName() == kind) {
          kinds.emplace_back(kind);
          break;
        }
      }
    }
    return kinds;
  }

 private:
  std::vector<Provenance> items_;
};

bool IsEstimated(const RegionSeries& series, const std::string& id, int year) {
  const auto idx = app::SeriesIndexOf(series, id);
  return idx && series.Get(*idx, year) && !series.ProvenanceOf(*idx, year).official();
}

std::string Mark(bool estimated, bool preliminary) {
  std::string mark;
  if (estimated) mark += "e";
  if (preliminary) mark += "p";
  return mark;
}

std::vector<MapRegion> MapRegions(const RegionSystem& system, const std::vector<double>& values) {
  std::vector<MapRegion> regions;
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const Region& region = system[region_idx];
    MapRegion map_region;
    map_region.label = region.name_en;
    map_region.value = values.empty() ? kNaN : values[region_idx];
    map_region.label_lon = region.longitude;
    map_region.label_lat = region.latitude;
    for (const LabelOffset& offset : kCityLabels) {
      if (region.id == offset.id) {
        map_region.dot = true;
        map_region.label_dx = offset.dx;
        map_region.label_dy = offset.dy;
      }
    }
    map_region.tooltip =
        fmt::format("{} \u00b7 {} \u00b7 KATO {}", region.name_kk, region.name_ru, region.id);
    regions.push_back(std::move(map_region));
  }
  return regions;
}

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  if (names.size() == 1) return names[0];
  std::string out;
  for (size_t idx = 0; idx + 1 < names.size(); ++idx) out += (idx ? ", " : "") + names[idx];
  return out + " and " + names.back();
}

// Section 1: population and migration balance by region, and the national international series.
void AddBalanceSection(const app::SituationInput& data, Document& document) {
  const RegionSystem& system = *data.system;
  const app::RegionalBalance& balance = data.balance;
  Section& section = document.AddSection("balance", "Population and migration balance by region");
  const std::vector<int>& net_years = balance.net_years;
  section.Paragraph(
      "Inter-regional net migration is the number of people who registered their arrival in a "
      "region from another region of Kazakhstan, minus those who left it for another region; moves "
      "between districts of the same region are not counted. Rates are per 1,000 people of the "
      "region's average annual population, which the Bureau of National Statistics recalculates to "
      "the 2022 borders for every year.");

  if (net_years.empty()) {
    section.Note(
        "Inter-regional net migration is not in the database: run `kazmig data init` to load the "
        "built-in dataset, then write the report again.");
  } else {
    const int latest = balance.year;
    const bool have_population = balance.have_population;
    const std::vector<double>& rates = balance.rates;
    const std::vector<double>& nets = balance.nets;
    Provenances map_sources;
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      const std::string& id = system[region_idx].id;
      if (auto idx = app::SeriesIndexOf(data.net_internal, id))
        map_sources.Add(data.net_internal, *idx, latest);
      if (auto idx = app::SeriesIndexOf(data.population_avg, id)) {
        map_sources.Add(data.population_avg, *idx, latest);
      }
    }

    // Summary and key figures.
    const std::vector<size_t>& with_net = balance.by_net;
    if (!with_net.empty()) {
      const size_t top = with_net.front();
      const size_t bottom = with_net.back();
      document.AddKeyFigure(
          FormatThousands(nets[top], 0, true),
          fmt::format("{}: largest inter-regional gain, {}", system[top].name_en, latest),
          std::isnan(rates[top])
              ? ""
              : fmt::format("{} per 1,000", FormatThousands(rates[top], 1, true)));
      document.AddKeyFigure(
          FormatThousands(nets[bottom], 0, true),
          fmt::format("{}: largest inter-regional loss, {}", system[bottom].name_en, latest),
          std::isnan(rates[bottom])
              ? ""
              : fmt::format("{} per 1,000", FormatThousands(rates[bottom], 1, true)));
      std::vector<std::string> top_names, bottom_names;
      for (size_t rank = 0; rank < std::min<size_t>(3, with_net.size()); ++rank) {
        const size_t idx = with_net[rank];
        if (nets[idx] > 0) {
          top_names.push_back(
              fmt::format("{} ({})", system[idx].name_en, FormatThousands(nets[idx], 0, true)));
        }
        const size_t low = with_net[with_net.size() - 1 - rank];
        if (nets[low] < 0) {
          bottom_names.push_back(
              fmt::format("{} ({})", system[low].name_en, FormatThousands(nets[low], 0, true)));
        }
      }
      document.AddSummaryPoint(fmt::format(
          "In {}, {} of {} regions gained population through moves between regions. The largest "
          "gains were in {}; the largest losses in {}.",
          latest, balance.gainers, with_net.size(), JoinNames(top_names), JoinNames(bottom_names)));
    }

    // Figure: the choropleth map of rates.
    Choropleth map;
    map.title = fmt::format("Inter-regional net migration per 1,000 population, {}", latest);
    map.features = &data.boundaries;
    map.regions = MapRegions(system, have_population ? rates : nets);
    map.legend_title =
        have_population
            ? fmt::format("Net inter-regional migration per 1,000 population, {}", latest)
            : fmt::format("Net inter-regional migration (persons), {}", latest);
    map.decimals = have_population ? 1 : 0;
    section.AddFigure(
        RenderChoropleth(map),
        fmt::format("Inter-regional net migration {}, per 1,000 of the average annual population, "
                    "by region (2022 borders). Blue regions gained people from other regions, red "
                    "regions lost them. Data: Table 1.",
                    latest),
        map_sources.Cite(document), {}, map_sources.Kinds());

    // Figure: bars of the rates, sorted.
    BarChart bars;
    bars.title = map.title;
    bars.value_label = have_population ? "per 1,000 population" : "persons";
    bars.decimals = have_population ? 1 : 0;
    const std::vector<double>& shown = have_population ? rates : nets;
    for (size_t idx : balance.by_shown) {
      bars.bars.push_back({system[idx].name_en, shown[idx], false});
    }
    section.AddFigure(RenderBarChart(bars),
                      fmt::format("Regions ranked by inter-regional net migration per 1,000 "
                                  "population, {}. Data: Table 1.",
                                  latest),
                      map_sources.Cite(document), {}, map_sources.Kinds());

    // Table 1: every region, population, net by year, rate.
    std::vector<std::string> header{"Region", fmt::format("Average population {}", latest)};
    for (int year : net_years) header.push_back(fmt::format("Net {}", year));
    header.push_back(fmt::format("Net per 1,000, {}", latest));
    Table table(header);
    Provenances table_sources;
    bool any_estimated = false;
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      const std::string& id = system[region_idx].id;
      std::vector<Cell> row{Cell::Text(system[region_idx].name_en)};
      const double population = app::SeriesValueOf(data.population_avg, id, latest);
      const bool population_estimated = IsEstimated(data.population_avg, id, latest);
      any_estimated = any_estimated || population_estimated;
      row.push_back(Cell::Number(population, 0, false, Mark(population_estimated, false)));
      if (auto idx = app::SeriesIndexOf(data.population_avg, id)) {
        table_sources.Add(data.population_avg, *idx, latest);
      }
      for (int year : net_years) {
        const double net = app::SeriesValueOf(data.net_internal, id, year);
        const bool estimated = IsEstimated(data.net_internal, id, year);
        any_estimated = any_estimated || estimated;
        Cell cell = Cell::Number(net, 0, true, Mark(estimated, false));
        cell.css_class = net < 0 ? "neg" : net > 0 ? "pos" : "";
        row.push_back(cell);
        if (auto idx = app::SeriesIndexOf(data.net_internal, id))
          table_sources.Add(data.net_internal, *idx, year);
      }
      row.push_back(Cell::Number(rates[region_idx], 1, true));
      table.AddRow(std::move(row));
    }
    std::vector<Cell> foot{Cell::Text("Kazakhstan (sum of regions)"),
                           Cell::Number(balance.population_total)};
    for (int year : net_years) {
      foot.push_back(Cell::Number(balance.net_totals.at(year), 0, true));
    }
    foot.push_back(Cell::Text(""));
    table.AddFootRow(std::move(foot));
    std::string notes =
        "Net = arrivals from other regions minus departures to other regions (persons). The sum "
        "over regions is zero when every move is recorded at both ends. Registered internal moves "
        "rose by about 48% in 2024 (a change in registration): compare 2024 with earlier years "
        "with care. Abai, Jetisu and Ulytau exist from June 2022; the Bureau reports 2022 at the "
        "new borders.";
    if (any_estimated) notes += " e = estimated value.";
    section.AddTable(
        table,
        fmt::format("Population and inter-regional net migration by region, {}\u2013{}",
                    net_years.front(), net_years.back()),
        table_sources.Cite(document), notes, table_sources.Kinds());
  }

  // International migration, national series.
  const app::NationalMigration& national = data.national;
  if (national.years.empty()) {
    section.Note("International migration is not in the database: run `kazmig data init`.");
    return;
  }
  const int first = national.years.front().year;
  const int last = national.years.back().year;
  section.RawHtml(fmt::format(
      "<h3>International migration, {}\u2013{}</h3>\n<p>Arrivals and departures of people "
      "changing their permanent residence to or from Kazakhstan, as registered; net = arrivals "
      "minus departures.</p>\n",
      first, last));
  LineChart chart;
  chart.title = fmt::format("International migration of Kazakhstan, {}\u2013{}", first, last);
  chart.y_label = "persons per year";
  chart.preliminary_from = data.preliminary_from;
  chart.breaks = {{2018, "2018: Shymkent, Turkistan"},
                  {2022, "2022: Abai, Jetisu, Ulytau"},
                  {2024, "2024: internal registration change"}};
  LineSeries arrivals{"Arrivals", "#2166ac", {}};
  LineSeries departures{"Departures", "#b2182b", {}};
  LineSeries net{"Net", "#1d2733", {}};
  Table table({"Year", "Arrivals", "Departures", "Net"});
  Provenances sources;
  const auto national_idx = [](const RegionSeries& series) {
    return app::SeriesIndexOf(series, kNationalId);
  };
  for (const app::NationalYear& entry : national.years) {
    const int year = entry.year;
    const double a = entry.arrivals, d = entry.departures, n = entry.net;
    arrivals.points.emplace_back(year, a);
    departures.points.emplace_back(year, d);
    net.points.emplace_back(year, n);
    const bool preliminary = entry.preliminary;
    std::vector<Cell> row{Cell::Html(fmt::format("{}", year))};
    row.push_back(Cell::Number(
        a, 0, false, Mark(IsEstimated(data.intl_arrivals, kNationalId, year), preliminary)));
    row.push_back(Cell::Number(
        d, 0, false, Mark(IsEstimated(data.intl_departures, kNationalId, year), preliminary)));
    Cell net_cell = Cell::Number(
        n, 0, true,
        Mark(!entry.net_derived && IsEstimated(data.intl_net, kNationalId, year), preliminary));
    net_cell.css_class = n < 0 ? "neg" : n > 0 ? "pos" : "";
    row.push_back(net_cell);
    table.AddRow(std::move(row));
    for (const RegionSeries* series :
         {&data.intl_arrivals, &data.intl_departures, &data.intl_net}) {
      if (auto idx = national_idx(*series)) sources.Add(*series, *idx, year);
    }
  }
  chart.series = {arrivals, departures, net};
  const double last_arrivals = national.years.back().arrivals;
  const double last_departures = national.years.back().departures;
  const double last_net = national.years.back().net;
  const bool last_preliminary = national.years.back().preliminary;
  if (!std::isnan(last_net)) {
    document.AddKeyFigure(FormatThousands(last_net, 0, true),
                          fmt::format("international net migration, {}{}", last,
                                      last_preliminary ? " (preliminary)" : ""),
                          fmt::format("{} arrivals, {} departures", FormatThousands(last_arrivals),
                                      FormatThousands(last_departures)));
  }
  if (national.lowest_net_year != 0) {
    document.AddSummaryPoint(fmt::format(
        "International migration: in {} Kazakhstan registered {} arrivals and {} departures from "
        "and to other countries (net {}){}. The largest net outflow of the period was in {} ({}).",
        last, FormatThousands(last_arrivals), FormatThousands(last_departures),
        FormatThousands(last_net, 0, true), last_preliminary ? ", preliminary figures" : "",
        national.lowest_net_year, FormatThousands(national.lowest_net, 0, true)));
  }
  const std::string side =
      table.Render(fmt::format("Data: international migration, {}\u2013{} (persons)", first, last));
  section.AddFigure(
      RenderLineChart(chart, PolicyMarkers(data)),
      fmt::format("Arrivals, departures and net international migration of Kazakhstan, "
                  "{}\u2013{}. Dashed verticals mark series breaks in Kazakhstan's regional "
                  "statistics (new regions in 2018 and 2022; the 2024 change in the registration "
                  "of internal moves); the national totals shown here are not affected by them. "
                  "Dotted verticals "
                  "mark migration-policy measures (see the Policy section). "
                  "Values from {} are preliminary (hollow points, p in the table).",
                  first, last, data.preliminary_from),
      sources.Cite(document), side, sources.Kinds());
  if (national.population_year != 0) {
    document.AddKeyFigure(FormatThousands(national.population),
                          fmt::format("average annual population, {}", national.population_year),
                          "sum of the regions, BNS table 6576");
  }
}

// Section 2: the region system and its maps.
void AddRegionsSection(const app::SituationInput& data, Document& document) {
  const RegionSystem& system = *data.system;
  Section& section = document.AddSection("regions", "Regions and boundaries");
  section.Paragraph(fmt::format(
      "Kazakhstan has {} first-level units at the current (2022) borders: 17 regions (oblys) and "
      "the three cities of republican significance Astana, Almaty and Shymkent. Their borders "
      "changed twice in the period covered: in June 2018 Shymkent became a city of republican "
      "significance and South Kazakhstan was renamed Turkistan; in June 2022 Abai was split from "
      "East Kazakhstan, Jetisu from Almaty region and Ulytau from Karagandy. Series that cross "
      "these dates are compared at the 2022 borders (`kazmig crosswalk` converts between them).",
      system.size()));
  const int boundary_source = document.Cite(kBoundarySource);
  Choropleth map;
  map.title = fmt::format("Regions of Kazakhstan ({}): {} units", system.name(), system.size());
  map.features = &data.boundaries;
  map.regions = MapRegions(system, {});
  map.show_values = false;
  section.AddFigure(RenderChoropleth(map),
                    fmt::format("The {} regions of Kazakhstan at the 2022 borders. Data: the "
                                "table below.",
                                system.size()),
                    {boundary_source});
  Table table({"KATO", "ISO 3166-2", "Region", "Kazakh", "Russian", "At these borders"});
  for (const Region& region : system.regions()) {
    table.AddRow({Cell::Text(region.id), Cell::Text(region.iso), Cell::Text(region.name_en),
                  Cell::Text(region.name_kk), Cell::Text(region.name_ru),
                  Cell::Text(region.valid)});
  }
  section.AddTable(table, fmt::format("The regions of Kazakhstan ({})", system.name()),
                   {boundary_source});
  if (data.system_2018 != nullptr && !data.boundaries_2018.empty() &&
      data.boundaries_2018.size() == data.system_2018->size()) {
    Choropleth old_map;
    old_map.title = "Regions of Kazakhstan, June 2018 to June 2022: 17 units";
    old_map.features = &data.boundaries_2018;
    old_map.regions = MapRegions(*data.system_2018, {});
    old_map.show_values = false;
    old_map.width = 720;
    // Its data: each 2018 unit and the 2022 units it became.
    Table units({"KATO", "Region, 2018\u20132022", "At the 2022 borders"});
    for (const Region& region : data.system_2018->regions()) {
      std::vector<std::string> parts;
      for (const std::string& atom : Crosswalk::Atoms(data.system_2018->name(), region.id)) {
        if (auto idx = system.IndexOfId(atom)) parts.push_back(system[*idx].name_en);
      }
      std::string now;
      for (const std::string& part : parts) now += (now.empty() ? "" : " + ") + part;
      units.AddRow({Cell::Text(region.id), Cell::Text(region.name_en), Cell::Text(now)});
    }
    section.AddFigure(RenderChoropleth(old_map),
                      "The 17 regions between June 2018 and June 2022 (kz-2018): East Kazakhstan "
                      "still includes Abai, Almaty region Jetisu, and Karagandy Ulytau. Beside: "
                      "each unit and the 2022 regions it became.",
                      {boundary_source}, units.Render("Data: regions of 2018\u20132022"));
  }
}

}  // namespace

std::string BuildSituationReport(const app::SituationInput& data) {
  if (data.system == nullptr || data.boundaries.size() != data.system->size()) {
    throw ComputeError("internal: BuildSituationReport: a region system and its boundaries");
  }
  Document document("Migration situation report: Kazakhstan",
                    "Population and migration balance by region; international migration since "
                    "1991");
  if (!data.generated.empty()) document.AddMeta("Generated", data.generated);
  document.AddMeta("Regions", fmt::format("{} units at the 2022 borders ({})", data.system->size(),
                                          data.system->name()));
  if (!data.dataset.empty()) document.AddMeta("Data", data.dataset);
  document.AddMeta("Marks",
                   "official: as published by the Bureau of National Statistics "
                   "(or as stated); estimated (e): computed by kazmig; preliminary (p)");
  if (!data.version.empty()) document.AddMeta("Produced by", "kazmig " + data.version);
  AddBalanceSection(data, document);
  AddRegionsSection(data, document);
  AddRegularitiesSection(data, document);
  AddFlowsSection(data, document);
  AddFactorsSections(data, document);
  AddRiskSection(data, document);
  AddProspectsSection(data, document);
  AddPolicySection(data, document);
  document.AddSummaryPoint(
      "Series breaks: new regions in June 2018 (Shymkent, Turkistan) and June 2022 (Abai, Jetisu, "
      "Ulytau); registered internal moves jump by about 48% in 2024 (registration change); "
      "figures from " +
      std::to_string(data.preliminary_from) + " are preliminary.");
  return document.Render();
}

}  // namespace kazmig::report

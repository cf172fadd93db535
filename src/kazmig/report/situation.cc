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
#include "kazmig/report/components_section.h"
#include "kazmig/report/corridor_chord.h"
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

std::vector<MapRegion> MapRegions(const RegionSystem& system, const std::vector<double>& values,
                                  Lang lang) {
  std::vector<MapRegion> regions;
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const Region& region = system[region_idx];
    MapRegion map_region;
    map_region.label = RegionName(region, lang);
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
    map_region.tooltip = fmt::format("{} \u00b7 {} \u00b7 {} {}", region.name_kk, region.name_ru,
                                     Msg(lang, "col.kato"), region.id);
    regions.push_back(std::move(map_region));
  }
  return regions;
}

std::string JoinNames(const std::vector<std::string>& names, const Document& document) {
  if (names.empty()) return {};
  if (names.size() == 1) return names[0];
  std::string out;
  for (size_t idx = 0; idx + 1 < names.size(); ++idx) out += (idx ? ", " : "") + names[idx];
  return out + " " + document.Text("and") + " " + names.back();
}

// Section 1: population and migration balance by region, and the national international series.
void AddBalanceSection(const app::SituationInput& data, Document& document) {
  const RegionSystem& system = *data.system;
  const Lang lang = document.lang();
  const app::RegionalBalance& balance = data.balance;
  Section& section = document.AddSection("balance", document.Text("sec.balance"));
  const std::vector<int>& net_years = balance.net_years;
  section.Paragraph(document.Text("balance.intro"));

  if (net_years.empty()) {
    section.Note(document.Text("balance.missing"));
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
    auto name = [&](size_t idx) { return RegionName(system[idx], lang); };

    // Summary and key figures.
    const std::vector<size_t>& with_net = balance.by_net;
    if (!with_net.empty()) {
      const size_t top = with_net.front();
      const size_t bottom = with_net.back();
      document.AddKeyFigure(
          FormatThousands(nets[top], 0, true), document.Text("key.gain", name(top), latest),
          std::isnan(rates[top]) ? ""
                                 : document.Text("per_1000", FormatThousands(rates[top], 1, true)));
      document.AddKeyFigure(
          FormatThousands(nets[bottom], 0, true), document.Text("key.loss", name(bottom), latest),
          std::isnan(rates[bottom])
              ? ""
              : document.Text("per_1000", FormatThousands(rates[bottom], 1, true)));
      std::vector<std::string> top_names, bottom_names;
      for (size_t rank = 0; rank < std::min<size_t>(3, with_net.size()); ++rank) {
        const size_t idx = with_net[rank];
        if (nets[idx] > 0) {
          top_names.push_back(
              fmt::format("{} ({})", name(idx), FormatThousands(nets[idx], 0, true)));
        }
        const size_t low = with_net[with_net.size() - 1 - rank];
        if (nets[low] < 0) {
          bottom_names.push_back(
              fmt::format("{} ({})", name(low), FormatThousands(nets[low], 0, true)));
        }
      }
      document.AddSummaryPoint(document.Text("summary.balance", latest, balance.gainers,
                                             with_net.size(), JoinNames(top_names, document),
                                             JoinNames(bottom_names, document)));
    }

    // Figure: the choropleth map of rates.
    Choropleth map;
    map.lang = document.lang();
    map.lang = document.lang();
    map.title = document.Text("map.title", latest);
    map.features = &data.boundaries;
    map.regions = MapRegions(system, have_population ? rates : nets, lang);
    map.legend_title = have_population ? document.Text("map.legend.rate", latest)
                                       : document.Text("map.legend.persons", latest);
    map.decimals = have_population ? 1 : 0;
    // Its data are Table "balance.table" below, after the bar chart.
    const int data_table = document.UpcomingTable();
    section.AddFigure(RenderChoropleth(map), document.Text("map.caption", latest),
                      map_sources.Cite(document), {}, map_sources.Kinds(), data_table);

    // Figure: bars of the rates, sorted.
    BarChart bars;
    bars.title = map.title;
    bars.value_label =
        have_population ? document.Text("bars.unit.rate") : document.Text("bars.unit.persons");
    bars.decimals = have_population ? 1 : 0;
    const std::vector<double>& shown = have_population ? rates : nets;
    for (size_t idx : balance.by_shown) bars.bars.push_back({name(idx), shown[idx], false});
    section.AddFigure(RenderBarChart(bars), document.Text("bars.caption", latest),
                      map_sources.Cite(document), {}, map_sources.Kinds(), data_table);

    // Table 1: every region, population, net by year, rate.
    std::vector<std::string> header{document.Text("col.region"),
                                    document.Text("col.avg_population", latest)};
    for (int year : net_years) header.push_back(document.Text("col.net_year", year));
    header.push_back(document.Text("col.rate_year", latest));
    Table table(header);
    Provenances table_sources;
    bool any_estimated = false;
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      const std::string& id = system[region_idx].id;
      std::vector<Cell> row{Cell::Text(name(region_idx))};
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
    std::vector<Cell> foot{Cell::Text(document.Text("row.kz_sum")),
                           Cell::Number(balance.population_total)};
    for (int year : net_years) {
      foot.push_back(Cell::Number(balance.net_totals.at(year), 0, true));
    }
    foot.push_back(Cell::Text(""));
    table.AddFootRow(std::move(foot));
    std::string notes = document.Text("balance.notes");
    if (any_estimated) notes += " " + document.Text("note.e");
    section.AddTable(table, document.Text("balance.table", net_years.front(), net_years.back()),
                     table_sources.Cite(document), notes, table_sources.Kinds());
  }

  // International migration, national series.
  const app::NationalMigration& national = data.national;
  if (national.years.empty()) {
    section.Note(document.Text("intl.missing"));
    return;
  }
  const int first = national.years.front().year;
  const int last = national.years.back().year;
  section.RawHtml(fmt::format("<h3>{}</h3>\n<p>{}</p>\n",
                              EscapeHtml(document.Text("h.international", first, last)),
                              EscapeHtml(document.Text("intl.intro"))));
  LineChart chart;
  chart.lang = document.lang();
  chart.title = document.Text("intl.chart", first, last);
  chart.y_label = document.Text("persons_per_year");
  chart.preliminary_from = data.preliminary_from;
  chart.preliminary_label = document.Text("preliminary");
  LineSeries arrivals{document.Text("arrivals"), "#2166ac", {}};
  LineSeries departures{document.Text("departures"), "#b2182b", {}};
  LineSeries net{document.Text("net"), "#1d2733", {}};
  Table table({document.Text("year"), document.Text("arrivals"), document.Text("departures"),
               document.Text("net")});
  Provenances sources;
  const auto national_idx = [](const RegionSeries& series) {
    return app::SeriesIndexOf(series, kNationalId);
  };
  // The key figures: the reference year, or the latest final year before it when it is
  // preliminary; the preliminary year is mentioned beside it.
  const app::NationalYear* key = nullptr;
  const app::NationalYear* preliminary_year = nullptr;
  for (const app::NationalYear& entry : national.years) {
    const int year = entry.year;
    const double a = entry.arrivals, d = entry.departures, n = entry.net;
    if (!std::isnan(n) && year <= std::max(data.reference_year, first)) {
      if (!entry.preliminary) key = &entry;
    }
    if (entry.preliminary && !std::isnan(n) && preliminary_year == nullptr) {
      preliminary_year = &entry;
    }
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
  if (key == nullptr) key = &national.years.back();
  if (preliminary_year != nullptr && preliminary_year->year <= key->year)
    preliminary_year = nullptr;
  if (!std::isnan(key->net)) {
    document.AddKeyFigure(
        FormatThousands(key->net, 0, true),
        document.Text("intl.key", key->year,
                      key->preliminary ? document.Text("intl.key.p") : std::string()),
        document.Text("intl.key.note", FormatThousands(key->arrivals),
                      FormatThousands(key->departures)));
  }
  if (national.lowest_net_year != 0) {
    const std::string preliminary_text =
        preliminary_year == nullptr
            ? std::string()
            : document.Text("intl.summary.p", preliminary_year->year,
                            FormatThousands(preliminary_year->net, 0, true));
    document.AddSummaryPoint(document.Text(
        "intl.summary", key->year, FormatThousands(key->arrivals), FormatThousands(key->departures),
        FormatThousands(key->net, 0, true), preliminary_text, national.lowest_net_year,
        FormatThousands(national.lowest_net, 0, true)));
  }
  // Two panels: the whole period, and the recent years on their own scale (the 1990s outflows
  // would make them a flat line).
  const int recent_from = std::max(first, last - 9);
  LineChart recent = chart;
  recent.first_year = recent_from;
  recent.title = document.Text("intl.recent", recent_from, last);
  chart.width = recent.width = 560;
  chart.height = recent.height = 360;
  const std::string panels = "<div class=\"panels\">" +
                             RenderLineChart(chart, PolicyMarkers(data)) +
                             RenderLineChart(recent, PolicyMarkers(data)) + "</div>";
  const std::string side = table.Render(EscapeHtml(document.Text("intl.table", first, last)));
  section.AddFigure(panels,
                    document.Text("intl.caption", first, last, recent_from, data.preliminary_from),
                    sources.Cite(document), side, sources.Kinds());
  // Revised years: the first release (intl_*_first_release of the built-in data) beside the
  // current figures.
  for (const app::NationalRevision& revision : national.revisions) {
    section.RawHtml(fmt::format(
        "<p class=\"note\">{} {}</p>\n",
        EscapeHtml(document.Text("intl.revision", revision.year, FormatThousands(revision.arrivals),
                                 FormatThousands(revision.departures),
                                 FormatThousands(revision.first_arrivals),
                                 FormatThousands(revision.first_departures))),
        SourceLinks({document.Cite(revision.first_release.ToString())})));
  }
  if (national.population_year != 0) {
    document.AddKeyFigure(FormatThousands(national.population),
                          document.Text("pop.key", national.population_year),
                          document.Text("pop.key.note"));
  }
}

// Section 2: the region system and its maps.
void AddRegionsSection(const app::SituationInput& data, Document& document) {
  const RegionSystem& system = *data.system;
  const Lang lang = document.lang();
  Section& section = document.AddSection("regions", document.Text("sec.regions"));
  section.Paragraph(document.Text("regions.intro", system.size()));
  const int boundary_source = document.Cite(document.Text("source.boundaries"));
  Choropleth map;
  map.lang = lang;
  map.title = document.Text("regions.map", system.name(), system.size());
  map.features = &data.boundaries;
  map.regions = MapRegions(system, {}, lang);
  map.show_values = false;
  section.AddFigure(RenderChoropleth(map), document.Text("regions.caption", system.size()),
                    {boundary_source}, {}, {}, document.UpcomingTable());
  Table table({document.Text("col.kato"), document.Text("col.iso"), document.Text("col.english"),
               document.Text("col.kazakh"), document.Text("col.russian"),
               document.Text("col.valid")});
  for (const Region& region : system.regions()) {
    // The English names are names in English whatever the report's language.
    table.AddRow(
        {Cell::Text(region.id), Cell::Text(region.iso),
         Cell::Html("<span lang=\"en\">" + EscapeHtml(region.name_en) + "</span>"),
         Cell::Text(region.name_kk), Cell::Text(region.name_ru),
         Cell::Text(region.valid == "all" ? document.Text("regions.valid.all") : region.valid)});
  }
  section.AddTable(table, document.Text("regions.table", system.name()), {boundary_source});
  if (data.system_2018 != nullptr && !data.boundaries_2018.empty() &&
      data.boundaries_2018.size() == data.system_2018->size()) {
    Choropleth old_map;
    old_map.lang = document.lang();
    old_map.title = document.Text("regions2018.map");
    old_map.features = &data.boundaries_2018;
    old_map.regions = MapRegions(*data.system_2018, {}, lang);
    old_map.show_values = false;
    old_map.width = 720;
    // Its data: each 2018 unit and the 2022 units it became.
    Table units(
        {document.Text("col.kato"), document.Text("col.region2018"), document.Text("col.at2022")});
    for (const Region& region : data.system_2018->regions()) {
      std::vector<std::string> parts;
      for (const std::string& atom : Crosswalk::Atoms(data.system_2018->name(), region.id)) {
        if (auto idx = system.IndexOfId(atom)) parts.push_back(RegionName(system[*idx], lang));
      }
      std::string now;
      for (const std::string& part : parts) now += (now.empty() ? "" : " + ") + part;
      units.AddRow({Cell::Text(region.id), Cell::Text(RegionName(region, lang)), Cell::Text(now)});
    }
    section.AddFigure(RenderChoropleth(old_map), document.Text("regions2018.caption"),
                      {boundary_source},
                      units.Render(EscapeHtml(document.Text("regions2018.table"))));
  }
}

// The last section, "Data and methods": where the numbers come from, how each section computes
// them (and the document describing it), the series breaks; the regions and their boundaries are
// its sub-section.
void AddMethodsSection(const app::SituationInput& data, Document& document) {
  Section& section = document.AddSection("methods", document.Text("sec.methods"));
  section.Paragraph(document.Text("methods.intro"));
  Table table({document.Text("methods.col.part"), document.Text("methods.col.method"),
               document.Text("methods.col.doc")});
  const std::pair<const char*, const char*> parts[] = {
      {"regularities", "docs/indicators.md"},
      {"flows", "docs/estimate.md, docs/gravity.md"},
      {"factors", "docs/factors.md, docs/models.md"},
      {"potential", "docs/factors.md"},
      {"risks", "docs/risk.md"},
      {"prospects", "docs/projection.md"},
      {"policy", "docs/policy.md"}};
  for (const auto& [id, doc] : parts) {
    if (document.FindSection(id) == nullptr) continue;
    table.AddRow({Cell::Text(document.Text(fmt::format("sec.{}", id))),
                  Cell::Text(document.Text(fmt::format("methods.{}", id))), Cell::Text(doc)});
  }
  section.AddTable(table, document.Text("methods.table"), {});
  section.RawHtml(fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("methods.breaks"))));
  section.Paragraph(document.Text("summary.breaks", data.preliminary_from));
}

}  // namespace

std::string BuildSituationReport(const app::SituationInput& data, Lang lang) {
  if (data.system == nullptr || data.boundaries.size() != data.system->size()) {
    throw ComputeError("internal: BuildSituationReport: a region system and its boundaries");
  }
  Document document(std::string(Msg(lang, "title")), Tr(lang, "subtitle", data.reference_year),
                    lang);
  if (!data.generated.empty()) document.AddMeta(document.Text("meta.generated"), data.generated);
  document.AddMeta(document.Text("meta.reference"), std::to_string(data.reference_year));
  document.AddMeta(document.Text("meta.regions"),
                   document.Text("meta.regions.value", data.system->size(), data.system->name()));
  if (!data.dataset.empty()) {
    // The built-in dataset's description is the store's (English): named in the report's language.
    const std::string builtin = "Kazakhstan: built-in dataset (data/kz, see SOURCES.md); loaded ";
    document.AddMeta(document.Text("meta.data"),
                     lang != Lang::kEn && data.dataset.rfind(builtin, 0) == 0
                         ? document.Text("meta.data.builtin", data.dataset.substr(builtin.size()))
                         : data.dataset);
  }
  document.AddMeta(document.Text("meta.marks"), document.Text("meta.marks.value"));
  if (lang == Lang::kKk) {
    document.AddMeta(document.Text("meta.language"), document.Text("meta.language.kk"));
  } else if (lang == Lang::kRu) {
    document.AddMeta(document.Text("meta.language"), document.Text("meta.language.ru"));
  }
  if (!data.version.empty())
    document.AddMeta(document.Text("meta.produced"), "kazmig " + data.version);
  // The outline (issue 19): 1 key findings; 2 regularities (with the balance by region and the
  // components of change as sub-sections); 3 flows; 4 factors; 5 potential; 6 risks; 7 prospects
  // and policy options; 8 policy measures; 9 data and methods (with the regions and boundaries).
  // Figures and tables are numbered in this rendered order.
  document.SetFindingsTitle(document.Text("sec.findings"));
  AddBalanceSection(data, document);
  AddRegionsSection(data, document);
  AddComponentsSection(data, document);
  AddRegularitiesSection(data, document);
  AddFlowsSection(data, document);
  if (Section* flows = document.FindSection("flows")) AddCorridorChords(data, document, *flows);
  AddFactorsSections(data, document);
  AddRiskSection(data, document);
  AddProspectsSection(data, document);
  AddPolicySection(data, document);
  AddMethodsSection(data, document);
  document.Nest("balance", "regularities");
  document.Nest("components", "regularities");
  document.Nest("regions", "methods");
  document.AddSummaryPoint(document.Text("summary.breaks", data.preliminary_from));
  return document.Render();
}

}  // namespace kazmig::report

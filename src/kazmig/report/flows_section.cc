#include "kazmig/report/flows_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/error.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/map_frame.h"
#include "kazmig/report/policy_section.h"

namespace kazmig::report {

void AddCorridorTable(Section& section, const app::CorridorInput& input, size_t count,
                      const std::vector<int>& sources, const std::string& period) {
  const std::vector<app::Corridor> top =
      app::TopCorridors(input.central, &input.low, &input.high, count);
  const double total = input.central.Total();
  const Lang lang = section.lang();
  Table table({Tr(lang, "col.from"), Tr(lang, "col.to"), Tr(lang, "col.movers_per_year"),
               Tr(lang, "col.low"), Tr(lang, "col.high"), Tr(lang, "col.share_all")});
  for (const app::Corridor& corridor : top) {
    table.AddRow({Cell::Text(LocalRegionName(input.names[corridor.origin], lang)),
                  Cell::Text(LocalRegionName(input.names[corridor.destination], lang)),
                  Cell::Estimate(corridor.flow, false, "e"), Cell::Estimate(corridor.low),
                  Cell::Estimate(corridor.high),
                  Cell::Number(app::SharePercent(corridor.flow, total), 1)});
  }
  section.AddTable(table, Tr(lang, "corridors.table", period), sources,
                   Msg(lang, "corridors.notes"), {"estimated"});
}

// The display name of a partner code in `lang` (from the use case's country names; the CIS
// aggregates from the catalogue), the code when unknown.
std::string LocalCountryName(const app::SituationInput& data, const std::string& code, Lang lang) {
  if (lang != Lang::kEn && (code == "CIS" || code == "NON_CIS")) {
    return std::string(Msg(lang, code == "CIS" ? "country.cis" : "country.non_cis"));
  }
  const std::map<std::string, std::string>& local = lang == Lang::kRu   ? data.country_names_ru
                                                    : lang == Lang::kKk ? data.country_names_kk
                                                                        : data.country_names;
  if (const auto it = local.find(code); it != local.end()) return CountryDisplayName(it->second);
  const auto it = data.country_names.find(code);
  return it == data.country_names.end() ? code : CountryDisplayName(it->second);
}

std::string CountryDisplayName(std::string name) {
  for (size_t at = name.find('`'); at != std::string::npos; at = name.find('`', at)) {
    name.replace(at, 1, "\u2019");
  }
  return name;
}

namespace {

// The region names of a corridor input in `lang`.
std::vector<std::string> LocalNames(const std::vector<std::string>& names, Lang lang) {
  std::vector<std::string> local;
  for (const std::string& name : names) local.push_back(LocalRegionName(name, lang));
  return local;
}

// "Almaty 5,432e (4,100–6,900)" lines for a table cell.
std::string CorridorLines(const std::vector<app::Corridor>& corridors,
                          const std::vector<std::string>& names, bool origins, Lang lang) {
  std::string html;
  for (const app::Corridor& corridor : corridors) {
    // The Russian names are longer: there a line may wrap before its range.
    html += fmt::format(
        "<span class=\"line{}\">{} {}<sup class=\"mark\">e</sup> "
        "<small>({}\u2013{})</small></span>",
        lang == Lang::kEn ? "" : " wrap",
        EscapeHtml(names[origins ? corridor.origin : corridor.destination]),
        FormatEstimate(corridor.flow), FormatEstimate(corridor.low), FormatEstimate(corridor.high));
  }
  return html;
}

double ValueOf(const RegionSeries& series, const std::string& id, int year,
               std::vector<Provenance>* provenances) {
  const auto idx = app::SeriesIndexOf(series, id);
  const auto value = idx ? series.Get(*idx, year) : std::nullopt;
  if (!value) return std::nan("");
  if (provenances != nullptr) {
    const Provenance& p = series.ProvenanceOf(*idx, year);
    if (std::find(provenances->begin(), provenances->end(), p) == provenances->end()) {
      provenances->push_back(p);
    }
  }
  return *value;
}

std::vector<int> CiteAll(Document& document, const std::vector<Provenance>& provenances) {
  std::set<int> numbers;
  for (const Provenance& p : provenances) numbers.insert(document.Cite(p.ToString()));
  return {numbers.begin(), numbers.end()};
}

// What is known beside what is assumed: the official registered internal moves (every registered
// change of residence within Kazakhstan, moves between districts of one region included) and the
// model's inter-regional movers (an assumed total spread by the gravity prior).
void AddKnownAndModelled(const app::SituationInput& data, Section& section, Document& document,
                         int estimate_source) {
  if (data.registered_moves.empty()) return;
  std::vector<Provenance> provenances;
  for (const auto& [year, total] : data.registered_moves) {
    for (const Region& region : data.system->regions()) {
      ValueOf(data.arrivals_internal, region.id, year, &provenances);
    }
  }
  std::vector<int> sources = CiteAll(document, provenances);
  sources.push_back(estimate_source);
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  const auto& [last_year, last_total] = *data.registered_moves.rbegin();
  section.RawHtml(fmt::format("<h4>{}</h4>\n", EscapeHtml(document.Text("h.known", last_year))));
  section.Paragraph(document.Text("known.text", last_year, FormatThousands(last_total),
                                  FormatThousands(last_total / 1e6, 2)));
  Table table({document.Text("year"), document.Text("known.col.registered"),
               document.Text("known.col.model"), document.Text("known.col.low"),
               document.Text("known.col.high")});
  std::set<int> years;
  for (const auto& [year, total] : data.registered_moves) years.insert(year);
  for (const app::SituationYear& entry : data.years) {
    if (entry.estimated) years.insert(entry.year);
  }
  for (int year : years) {
    const auto registered = data.registered_moves.find(year);
    std::vector<Cell> row{
        Cell::Text(std::to_string(year)),
        Cell::Number(registered == data.registered_moves.end() ? std::nan("")
                                                               : registered->second)};
    const app::SituationYear* estimated = nullptr;
    for (const app::SituationYear& entry : data.years) {
      if (entry.year == year && entry.estimated) estimated = &entry;
    }
    if (estimated != nullptr) {
      row.push_back(Cell::Estimate(estimated->od.total_flow.value, false, "e"));
      row.push_back(Cell::Estimate(estimated->od.total_flow.low));
      row.push_back(Cell::Estimate(estimated->od.total_flow.high));
    } else {
      for (int column = 0; column < 3; ++column) row.push_back(Cell::Number(std::nan("")));
    }
    table.AddRow(std::move(row));
  }
  section.AddTable(table, document.Text("known.table"), sources, document.Text("known.notes"),
                   {"official", "estimated"});
}

void AddInternalCorridors(const app::SituationInput& data, Section& section, Document& document) {
  const app::StoredOd& od = *app::ReferenceOd(data);
  const RegionSystem& system = *data.system;
  const app::CorridorInput& input = data.corridors;
  const Lang lang = document.lang();
  const std::vector<std::string> names = LocalNames(input.names, lang);
  const std::vector<std::string>& ids = od.central.ids();
  const std::string year = std::to_string(od.year);
  section.RawHtml(fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("h.between", year))));
  section.Paragraph(document.Text("flows.model_based"));
  const int estimate_source = document.Cite(od.provenance.ToString());
  AddKnownAndModelled(data, section, document, estimate_source);
  std::vector<Provenance> net_provenances;
  for (const std::string& id : ids) ValueOf(data.net_internal, id, od.year, &net_provenances);
  std::vector<int> sources = CiteAll(document, net_provenances);
  sources.insert(sources.begin(), estimate_source);
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());

  // The flow map of the 15 largest corridors, its data beside it.
  FlowMap map;
  map.title = document.Text("flowmap.title", year);
  map.lang = lang;
  map.features = &data.boundaries;
  // The map is in the order of the region system (its boundaries); the matrix in its ids' order.
  std::vector<size_t> system_index;
  bool mapped = data.boundaries.size() == system.size();
  for (const std::string& id : ids) {
    const auto idx = system.IndexOfId(id);
    mapped = mapped && idx.has_value();
    system_index.push_back(idx.value_or(0));
  }
  for (const Region& region : system.regions()) {
    map.names.push_back(RegionName(region, lang));
    map.anchors.push_back({region.longitude, region.latitude});
  }
  const std::vector<app::Corridor> top =
      app::TopCorridors(input.central, &input.low, &input.high, 15);
  for (app::Corridor arrow : top) {
    arrow.origin = system_index[arrow.origin];
    arrow.destination = system_index[arrow.destination];
    map.arrows.push_back(arrow);
  }
  map.legend_title = document.Text("flowmap.legend", year);
  // Its data: the country's largest corridors (the Regularities section has the top 10 with
  // their shares too).
  const double all_moves = input.central.Total();
  Table arrows({document.Text("col.from"), document.Text("col.to"), document.Text("col.movers"),
                document.Text("col.low"), document.Text("col.high"), document.Text("col.share")});
  for (const app::Corridor& corridor : top) {
    arrows.AddRow({Cell::Text(names[corridor.origin]), Cell::Text(names[corridor.destination]),
                   Cell::Estimate(corridor.flow, false, "e"), Cell::Estimate(corridor.low),
                   Cell::Estimate(corridor.high),
                   Cell::Number(app::SharePercent(corridor.flow, all_moves), 1)});
  }
  if (mapped) {
    // Enlarged insets of the city-region clusters, named in the caption.
    map.insets = FindFlowInsets(map);
    std::string caption = document.Text("flowmap.caption", year);
    std::string enlarged;
    for (size_t idx = 0; idx < map.insets.size(); ++idx) {
      const std::vector<size_t>& regions = map.insets[idx].regions;
      std::string named = map.names[regions[0]];
      for (size_t at = 1; at < regions.size(); ++at) {
        named = at + 1 == regions.size()
                    ? document.Text("flowmap.inset.pair", named, map.names[regions[at]])
                    : named + ", " + map.names[regions[at]];
      }
      enlarged += fmt::format("{}{}: {}", idx == 0 ? "" : "; ", idx + 1, named);
    }
    if (map.insets.size() == 1) {
      caption +=
          " " + document.Text("flowmap.inset", fmt::format("{:g}", map.inset_zoom), enlarged);
    } else if (!map.insets.empty()) {
      caption += " " + document.Text("flowmap.insets", map.insets.size(),
                                     fmt::format("{:g}", map.inset_zoom), enlarged);
    }
    section.AddFigure(RenderFlowMap(map), caption,
                      {estimate_source, document.Cite(document.Text("source.boundaries"))},
                      arrows.Render(EscapeHtml(document.Text("flowmap.table", year))),
                      {"estimated"});
  }

  // Each region: its official net and its largest estimated origins and destinations.
  Table table({document.Text("col.region"), document.Text("tops.col.net"),
               document.Text("tops.col.arrivals"), document.Text("tops.col.origins"),
               document.Text("tops.col.departures"), document.Text("tops.col.destinations")});
  const std::vector<double> arrivals_from = input.central.ColSums();
  const std::vector<double> departures_to = input.central.RowSums();
  for (size_t region_idx = 0; region_idx < input.names.size(); ++region_idx) {
    const double net = ValueOf(data.net_internal, ids[region_idx], od.year, nullptr);
    table.AddRow({Cell::Text(names[region_idx]), Cell::Number(net, 0, true),
                  Cell::Estimate(arrivals_from[region_idx], false, "e"),
                  Cell::Html(CorridorLines(
                      app::TopInto(input.central, &input.low, &input.high, region_idx, 3), names,
                      true, lang)),
                  Cell::Estimate(departures_to[region_idx], false, "e"),
                  Cell::Html(CorridorLines(
                      app::TopOutOf(input.central, &input.low, &input.high, region_idx, 3), names,
                      false, lang))});
  }
  section.AddTable(table, document.Text("tops.table", year), sources, document.Text("tops.notes"),
                   {"official", "estimated"});
}

// The persons of `partner` in `year`, NaN when missing.
double Get(const std::map<std::string, std::map<int, double>>& values, const std::string& partner,
           int year) {
  const auto it = values.find(partner);
  if (it == values.end()) return std::nan("");
  const auto value = it->second.find(year);
  return value == it->second.end() ? std::nan("") : value->second;
}

void AddOfficialPartners(const app::SituationInput& data, Section& section, Document& document) {
  const app::PartnerFlows& partners = data.partners;
  const auto& arrivals = partners.arrivals;
  const auto& departures = partners.departures;
  if (partners.years.empty()) {
    section.Note(document.Text("partners.missing"));
    return;
  }
  const std::vector<int> sources = CiteAll(document, partners.provenances);
  const std::vector<int>& years = partners.years;
  const int latest = partners.latest;
  const bool preliminary = latest >= data.preliminary_from;
  const std::string mark = preliminary ? "p" : "";
  const Lang lang = document.lang();
  Table table({document.Text("partners.col.country"), document.Text("partners.arrivals"),
               document.Text("partners.departures"), document.Text("net")});
  auto row = [&](const std::string& partner) {
    const double a = Get(arrivals, partner, latest), d = Get(departures, partner, latest);
    return std::vector<Cell>{Cell::Text(LocalCountryName(data, partner, lang)),
                             Cell::Number(a, 0, false, mark), Cell::Number(d, 0, false, mark),
                             Cell::Number(a - d, 0, true, mark)};
  };
  for (const std::string& partner : partners.by_latest) table.AddRow(row(partner));
  for (const std::string& aggregate : partners.aggregates) table.AddFootRow(row(aggregate));
  section.AddTable(
      table, document.Text("partners.table", latest), sources,
      document.Text("partners.notes") + (preliminary ? " " + document.Text("note.p") : ""),
      {"official"});

  // Trend for the main partners of each direction (largest totals over all years).
  static constexpr const char* kColors[] = {"#2166ac", "#b2182b", "#1b7837", "#762a83", "#8c510a"};
  for (const auto* table_ptr : {&arrivals, &departures}) {
    const bool is_arrivals = table_ptr == &arrivals;
    LineChart chart;
    chart.lang = document.lang();
    chart.title =
        document.Text(is_arrivals ? "partners.chart.arrivals" : "partners.chart.departures",
                      years.front(), latest);
    chart.y_label = document.Text("bars.unit.persons");
    chart.preliminary_from = data.preliminary_from;
    chart.preliminary_label = document.Text("preliminary");
    std::vector<std::string> shown =
        is_arrivals ? partners.main_arrivals : partners.main_departures;
    std::vector<std::string> partner_names;
    for (const std::string& code : shown)
      partner_names.push_back(LocalCountryName(data, code, lang));
    std::string named;
    for (size_t idx = 0; idx < partner_names.size(); ++idx) {
      named += (idx == 0                          ? std::string()
                : idx + 1 == partner_names.size() ? " " + document.Text("and") + " "
                                                  : std::string(", ")) +
               partner_names[idx];
    }
    if (table_ptr->count("NON_CIS")) shown.push_back("NON_CIS");
    std::vector<std::string> header = {document.Text("year")};
    for (size_t idx = 0; idx < shown.size(); ++idx) {
      LineSeries series{LocalCountryName(data, shown[idx], lang), kColors[idx % 5], {}};
      for (int year : years) series.points.emplace_back(year, Get(*table_ptr, shown[idx], year));
      chart.series.push_back(std::move(series));
      header.push_back(LocalCountryName(data, shown[idx], lang));
    }
    Table data_table(header);
    for (int year : years) {
      std::vector<Cell> cells = {Cell::Text(std::to_string(year))};
      for (const std::string& partner : shown) {
        cells.push_back(Cell::Number(Get(*table_ptr, partner, year), 0, false,
                                     year >= data.preliminary_from ? "p" : ""));
      }
      data_table.AddRow(cells);
    }
    section.AddFigure(
        RenderLineChart(chart, PolicyMarkers(data)),
        document.Text(is_arrivals ? "partners.caption.arrivals" : "partners.caption.departures",
                      years.front(), latest, partner_names.size(), named),
        sources, data_table.Render(EscapeHtml(document.Text("partners.data"))), {"official"});
  }
}

void AddAbelCorridors(const app::SituationInput& data, Section& section, Document& document) {
  const app::AbelCorridors& abel = data.abel;
  const std::vector<std::string>& periods = abel.periods;
  if (periods.empty()) {
    section.Note(document.Text("abel.missing"));
    return;
  }
  const Lang lang = document.lang();
  std::vector<std::string> header = {document.Text("abel.col.partner"),
                                     document.Text("abel.col.direction")};
  for (const std::string& period : periods) header.push_back(period);
  Table table(header);
  for (const std::string& partner : abel.partners) {
    const auto& cells_by_period = abel.by_partner.at(partner);
    for (bool in : {true, false}) {
      std::vector<Cell> cells = {Cell::Text(LocalCountryName(data, partner, lang)),
                                 Cell::Text(document.Text(in ? "abel.in" : "abel.out"))};
      for (const std::string& period : periods) {
        const auto it = cells_by_period.find(period);
        const double value =
            it == cells_by_period.end() ? 0.0 : (in ? it->second.first : it->second.second);
        cells.push_back(Cell::Estimate(value, false, "e"));
      }
      table.AddRow(cells);
    }
  }
  section.AddTable(table, document.Text("abel.table", periods.front(), periods.back()),
                   CiteAll(document, abel.provenances), document.Text("abel.notes"), {"estimated"});
}

}  // namespace

void AddFlowsSection(const app::SituationInput& data, Document& document) {
  const bool internal =
      !data.internal_od.empty() && data.system != nullptr && !data.boundaries.empty();
  const bool international = !data.partners.arrivals.empty() || !data.partners.departures.empty() ||
                             !data.abel.periods.empty();
  if (!internal && !international) return;
  Section& section = document.AddSection("flows", document.Text("sec.flows"));
  if (internal) {
    AddInternalCorridors(data, section, document);
  } else {
    section.Note(document.Text("flows.no_matrix"));
  }
  section.RawHtml(
      fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("h.international_corridors"))));
  section.Paragraph(document.Text("flows.international.intro"));
  AddOfficialPartners(data, section, document);
  AddAbelCorridors(data, section, document);
}

}  // namespace kazmig::report

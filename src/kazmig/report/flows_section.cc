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
                  Cell::Number(corridor.flow, 0, false, "e"), Cell::Number(corridor.low),
                  Cell::Number(corridor.high),
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
        FormatThousands(corridor.flow), FormatThousands(corridor.low),
        FormatThousands(corridor.high));
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
      row.push_back(Cell::Number(estimated->od.total_flow.value, 0, false, "e"));
      row.push_back(Cell::Number(estimated->od.total_flow.low));
      row.push_back(Cell::Number(estimated->od.total_flow.high));
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
                   Cell::Number(corridor.flow, 0, false, "e"), Cell::Number(corridor.low),
                   Cell::Number(corridor.high),
                   Cell::Number(app::SharePercent(corridor.flow, all_moves), 1)});
  }
  if (mapped) {
    section.AddFigure(RenderFlowMap(map), document.Text("flowmap.caption", year),
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
                  Cell::Number(arrivals_from[region_idx], 0, false, "e"),
                  Cell::Html(CorridorLines(
                      app::TopInto(input.central, &input.low, &input.high, region_idx, 3), names,
                      true, lang)),
                  Cell::Number(departures_to[region_idx], 0, false, "e"),
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
        cells.push_back(Cell::Number(value, 0, false, "e"));
      }
      table.AddRow(cells);
    }
  }
  section.AddTable(table, document.Text("abel.table", periods.front(), periods.back()),
                   CiteAll(document, abel.provenances), document.Text("abel.notes"), {"estimated"});
}

}  // namespace

std::string RenderFlowMap(const FlowMap& map) {
  if (map.features == nullptr || map.features->size() != map.names.size() ||
      map.anchors.size() != map.names.size()) {
    throw ComputeError("internal: RenderFlowMap: one feature, name and anchor per region");
  }
  for (const app::Corridor& arrow : map.arrows) {
    if (arrow.origin >= map.names.size() || arrow.destination >= map.names.size()) {
      throw ComputeError("internal: RenderFlowMap: an arrow refers to no region");
    }
  }
  // The same framing as the choropleth: the projected outer rings fill the width.
  const MapFrame frame(*map.features, map.width);
  const double pad = MapFrame::kPad;
  const double map_h = frame.map_height();
  const double legend_h = 64.0;
  const double height = map_h + legend_h;
  auto screen = [&](const io::GeoPoint& point) { return frame.Screen(point); };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "class=\"flow-map\" font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\">"
      "<title>{}</title><desc>{}</desc>",
      map.width, SvgNumber(height), EscapeHtml(map.title),
      EscapeHtml(Tr(map.lang, "flowmap.desc", map.arrows.size())));
  svg += "<g class=\"regions\" fill=\"#eef1f4\" stroke=\"#ffffff\" stroke-width=\"0.8\">";
  for (size_t region_idx = 0; region_idx < map.features->size(); ++region_idx) {
    std::string path;
    for (const io::GeoPolygon& polygon : (*map.features)[region_idx].polygons) {
      for (const io::GeoRing& ring : polygon.rings) {
        for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
          const auto [x, y] = screen(ring[point_idx]);
          path += fmt::format("{}{},{}", point_idx == 0 ? "M" : "L", SvgNumber(x), SvgNumber(y));
        }
        path += "Z";
      }
    }
    svg += fmt::format("<path d=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>", path,
                       EscapeHtml(map.names[region_idx]));
  }
  svg += "</g>";

  double max_flow = 0;
  for (const app::Corridor& arrow : map.arrows) max_flow = std::max(max_flow, arrow.flow);
  auto width_of = [&](double flow) {
    return max_flow > 0 ? std::max(1.0, map.max_width * flow / max_flow) : 1.0;
  };
  // Largest first, so that thinner arrows stay visible on top.
  svg +=
      "<g class=\"flows\" fill=\"none\" stroke=\"#b35806\" stroke-opacity=\"0.72\" "
      "stroke-linecap=\"round\">";
  std::set<size_t> ends;
  for (const app::Corridor& arrow : map.arrows) {
    ends.insert(arrow.origin);
    ends.insert(arrow.destination);
  }
  // Where arrows start and end (screen pixels). A region drawn around a city (Akmola around
  // Astana, Almaty Region around Almaty, Turkistan beside Shymkent) has its centre a few pixels
  // from the city's: within 60 px of another end, the larger region's end moves to its area
  // centroid (when that lies inside it and further away), so the short corridors between them
  // have room.
  std::vector<ScreenPoint> node(map.names.size());
  std::vector<double> area(map.names.size(), 0.0);
  std::vector<ScreenPoint> centroid(map.names.size());
  std::vector<bool> centroid_inside(map.names.size(), false);
  for (size_t region_idx = 0; region_idx < map.names.size(); ++region_idx) {
    node[region_idx] = screen(map.anchors[region_idx]);
    // The largest outer ring, projected.
    std::vector<ScreenPoint> best;
    double best_area = 0;
    for (const io::GeoPolygon& polygon : (*map.features)[region_idx].polygons) {
      if (polygon.rings.empty()) continue;
      std::vector<ScreenPoint> ring;
      for (const io::GeoPoint& point : polygon.rings[0]) ring.push_back(screen(point));
      double twice = 0, cx = 0, cy = 0;
      for (size_t idx = 0; idx < ring.size(); ++idx) {
        const ScreenPoint& a = ring[idx];
        const ScreenPoint& b = ring[(idx + 1) % ring.size()];
        const double cross = a.x * b.y - b.x * a.y;
        twice += cross;
        cx += (a.x + b.x) * cross;
        cy += (a.y + b.y) * cross;
      }
      if (std::abs(twice) / 2 > best_area && twice != 0) {
        best_area = std::abs(twice) / 2;
        best = ring;
        centroid[region_idx] = {cx / (3 * twice), cy / (3 * twice)};
      }
    }
    area[region_idx] = best_area;
    bool inside = false;
    const ScreenPoint c = centroid[region_idx];
    for (size_t idx = 0, prev = best.size() - 1; idx < best.size(); prev = idx++) {
      if ((best[idx].y > c.y) != (best[prev].y > c.y) &&
          c.x < (best[prev].x - best[idx].x) * (c.y - best[idx].y) / (best[prev].y - best[idx].y) +
                    best[idx].x) {
        inside = !inside;
      }
    }
    centroid_inside[region_idx] = !best.empty() && inside;
  }
  auto apart = [](const ScreenPoint& a, const ScreenPoint& b) {
    return std::hypot(a.x - b.x, a.y - b.y);
  };
  for (size_t a : ends) {
    for (size_t b : ends) {
      if (a == b || area[a] <= area[b] || !centroid_inside[a]) continue;
      if (apart(node[a], node[b]) < 60 && apart(centroid[a], node[b]) > apart(node[a], node[b])) {
        node[a] = centroid[a];
      }
    }
  }
  // Ports: the arrows at a region end on a small ring around its dot, spread by the direction
  // they come from, so that arrows converging on a city (Astana, Almaty) do not pile up on one
  // point. Adjacent ends are at least their half-widths plus 3 px apart.
  struct End {
    size_t arrow;
    bool destination;
    double angle;  // radians, screen
    double width;
  };
  std::map<size_t, std::vector<End>> ends_at;
  for (size_t arrow_idx = 0; arrow_idx < map.arrows.size(); ++arrow_idx) {
    const app::Corridor& arrow = map.arrows[arrow_idx];
    const ScreenPoint& a = node[arrow.origin];
    const ScreenPoint& b = node[arrow.destination];
    const double width = width_of(arrow.flow);
    ends_at[arrow.origin].push_back({arrow_idx, false, std::atan2(b.y - a.y, b.x - a.x), width});
    ends_at[arrow.destination].push_back(
        {arrow_idx, true, std::atan2(a.y - b.y, a.x - b.x), width});
  }
  std::vector<ScreenPoint> start_port(map.arrows.size()), end_port(map.arrows.size());
  constexpr double kTwoPi = 6.283185307179586;
  for (auto& [region_idx, list] : ends_at) {
    std::sort(list.begin(), list.end(),
              [](const End& a, const End& b) { return a.angle < b.angle; });
    double need = 0;
    for (const End& end : list) need += end.width + 3;
    const double radius = std::max(7.0, 1.15 * need / kTwoPi);
    // Relax: push adjacent ends apart until each pair has its room (or 60 rounds).
    for (int round = 0; round < 60 && list.size() > 1; ++round) {
      bool moved = false;
      for (size_t idx = 0; idx < list.size(); ++idx) {
        End& a = list[idx];
        End& b = list[(idx + 1) % list.size()];
        double gap = b.angle - a.angle;
        if (idx + 1 == list.size()) gap += kTwoPi;
        const double room = ((a.width + b.width) / 2 + 3) / radius;
        if (gap < room) {
          a.angle -= (room - gap) / 2;
          b.angle += (room - gap) / 2;
          moved = true;
        }
      }
      if (!moved) break;
    }
    const ScreenPoint& centre = node[region_idx];
    for (const End& end : list) {
      const ScreenPoint port{centre.x + radius * std::cos(end.angle),
                             centre.y + radius * std::sin(end.angle)};
      (end.destination ? end_port : start_port)[end.arrow] = port;
    }
  }
  // The arrows, as quadratic curves; their sampled boxes keep labels off them.
  struct Box {
    double x0, y0, x1, y1;
    bool Overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  };
  std::vector<Box> arrow_boxes;
  for (size_t arrow_idx = 0; arrow_idx < map.arrows.size(); ++arrow_idx) {
    const app::Corridor& arrow = map.arrows[arrow_idx];
    const double x0 = start_port[arrow_idx].x, y0 = start_port[arrow_idx].y;
    const double x1 = end_port[arrow_idx].x, y1 = end_port[arrow_idx].y;
    const double dx = x1 - x0, dy = y1 - y0;
    const double length = std::max(std::hypot(dx, dy), 1e-9);
    // Bend to the right of the direction of travel: A->B and B->A do not overlap.
    const double bend = std::max(0.2 * length, std::min(18.0, 0.6 * length));
    const double cx = (x0 + x1) / 2 + bend * dy / length;
    const double cy = (y0 + y1) / 2 - bend * dx / length;
    const double width = width_of(arrow.flow);
    // Short corridors (a city and its surrounding region) get a smaller head.
    const double head = std::min(6.0 + 1.3 * width, 0.4 * length);
    // The tip is the destination's port; the curve ends at the head's base.
    double tx = x1 - cx, ty = y1 - cy;
    const double tangent = std::max(std::hypot(tx, ty), 1e-9);
    tx /= tangent;
    ty /= tangent;
    const double tip_x = x1, tip_y = y1;
    const double base_x = tip_x - head * tx, base_y = tip_y - head * ty;
    const double half = std::min(2.5 + 0.9 * width, 0.8 * head);
    const double start_x = x0, start_y = y0;
    for (int step = 0; step <= 16; ++step) {
      const double t = step / 16.0;
      const double px = (1 - t) * (1 - t) * x0 + 2 * t * (1 - t) * cx + t * t * x1;
      const double py = (1 - t) * (1 - t) * y0 + 2 * t * (1 - t) * cy + t * t * y1;
      const double r = width / 2 + 1;
      arrow_boxes.push_back({px - r, py - r, px + r, py + r});
    }
    svg += fmt::format(
        "<g class=\"flow-arrow\" data-from=\"{}\" data-to=\"{}\" data-flow=\"{:.0f}\"><title>{}"
        "</title>"
        "<path d=\"M{},{} Q{},{} {},{}\" stroke-width=\"{}\"/>"
        "<polygon points=\"{},{} {},{} {},{}\" fill=\"#b35806\" fill-opacity=\"0.85\" "
        "stroke=\"none\"/></g>",
        EscapeHtml(map.names[arrow.origin]), EscapeHtml(map.names[arrow.destination]), arrow.flow,
        EscapeHtml(Tr(map.lang, "flowmap.tooltip", map.names[arrow.origin],
                      map.names[arrow.destination], FormatThousands(arrow.flow),
                      FormatThousands(arrow.low), FormatThousands(arrow.high))),
        SvgNumber(start_x), SvgNumber(start_y), SvgNumber(cx), SvgNumber(cy), SvgNumber(base_x),
        SvgNumber(base_y), SvgNumber(width), SvgNumber(tip_x), SvgNumber(tip_y),
        SvgNumber(base_x - half * ty), SvgNumber(base_y + half * tx), SvgNumber(base_x + half * ty),
        SvgNumber(base_y - half * tx));
  }
  svg += "</g>";
  // Dots and names of the regions the arrows connect. Labels (13 px) are placed one by one,
  // the most connected regions first, at the first of a ring of candidate positions whose box
  // overlaps no placed label, no dot and no arrow (else, in a second pass, no label and no dot);
  // a label moved away from its dot gets a leader line.
  std::map<size_t, int> degree;
  for (const app::Corridor& arrow : map.arrows) {
    ++degree[arrow.origin];
    ++degree[arrow.destination];
  }
  std::vector<size_t> label_order(ends.begin(), ends.end());
  std::stable_sort(label_order.begin(), label_order.end(),
                   [&](size_t a, size_t b) { return degree[a] > degree[b]; });
  std::vector<Box> taken;
  for (size_t region_idx : ends) {
    const auto [x, y] = node[region_idx];
    taken.push_back({x - 4, y - 4, x + 4, y + 4});
  }
  constexpr double kFontSize = 13;
  std::string dots, labels;
  for (size_t region_idx : label_order) {
    const auto [x, y] = node[region_idx];
    const std::string& name = map.names[region_idx];
    double glyphs = 0;
    for (unsigned char c : name) glyphs += (c & 0xC0) != 0x80 ? 1 : 0;
    const double w = glyphs * kFontSize * 0.56 + 4, h = kFontSize + 2;
    // Candidates: (dx, dy) of the label's centre from the dot, near ones first.
    static constexpr double kCandidates[][2] = {{0, -1}, {0, 1},   {1, 0}, {-1, 0},
                                                {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    Box chosen{};
    double cx = x, cy = y - 10;
    bool found = false, leader = false;
    for (bool avoid_arrows : {true, false}) {
      for (double distance : {1.0, 1.8, 2.6, 3.4}) {
        for (const auto& candidate : kCandidates) {
          const double dx = candidate[0], dy = candidate[1];
          const double centre_x = x + dx * (w / 2 + 6) * (dx == 0 ? 0 : 1) * distance;
          const double centre_y = y + dy * (h / 2 + 4) * distance;
          const Box box{centre_x - w / 2, centre_y - h / 2, centre_x + w / 2, centre_y + h / 2};
          if (box.x0 < 0 || box.x1 > map.width || box.y0 < 0 || box.y1 > map_h) continue;
          auto hits = [&](const Box& other) { return box.Overlaps(other); };
          if (std::any_of(taken.begin(), taken.end(), hits)) continue;
          if (avoid_arrows && std::any_of(arrow_boxes.begin(), arrow_boxes.end(), hits)) continue;
          chosen = box;
          cx = centre_x;
          cy = centre_y;
          found = true;
          leader = distance > 1.0;
          break;
        }
        if (found) break;
      }
      if (found) break;
    }
    if (!found) chosen = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    taken.push_back(chosen);
    dots += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"#1d2733\" stroke=\"#fff\"/>",
                        SvgNumber(x), SvgNumber(y));
    if (leader) {
      const double lx = std::clamp(x, chosen.x0, chosen.x1);
      const double ly = std::clamp(y, chosen.y0, chosen.y1);
      labels += fmt::format(
          "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#5b6673\" "
          "stroke-width=\"0.8\"/>",
          SvgNumber(x), SvgNumber(y), SvgNumber(lx), SvgNumber(ly));
    }
    labels += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", SvgNumber(cx),
                          SvgNumber(cy + kFontSize * 0.35), EscapeHtml(name));
  }
  svg += "<g class=\"dots\">" + dots + "</g>";
  svg += fmt::format(
      "<g class=\"labels\" font-size=\"{}\" font-weight=\"600\" fill=\"#1d2733\" "
      "text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3.5\" "
      "stroke-linejoin=\"round\">{}</g>",
      kFontSize, labels);

  // Legend: three sample widths.
  const double legend_y = map_h + 22;
  svg += fmt::format(
      "<g class=\"legend\"><text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" "
      "fill=\"#1d2733\">{}</text>",
      SvgNumber(pad), SvgNumber(legend_y - 6), EscapeHtml(map.legend_title));
  if (max_flow > 0) {
    const std::vector<double> ticks = NiceTicks(0, max_flow, 3);
    std::vector<double> samples;
    for (double tick : ticks) {
      if (tick > 0 && tick <= max_flow) samples.push_back(tick);
    }
    if (samples.empty()) samples.push_back(max_flow);
    double x = pad;
    for (double sample : samples) {
      svg += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#b35806\" "
          "stroke-opacity=\"0.72\" "
          "stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" "
          "fill=\"#5b6673\">{}</text>",
          SvgNumber(x), SvgNumber(legend_y + 14), SvgNumber(x + 40), SvgNumber(legend_y + 14),
          SvgNumber(width_of(sample)), SvgNumber(x + 46), SvgNumber(legend_y + 18),
          FormatThousands(sample));
      x += 120;
    }
  }
  svg += "</g>";
  svg += MapCredit(Msg(map.lang, "flowmap.credit"), map.width - 4, height - 4, map.lang);
  svg += "</svg>";
  return svg;
}

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

#include "kazmig/report/components_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kazmig/report/chart.h"

namespace kazmig::report {

namespace {

constexpr const char* kComponentsSource =
    "BNS: population on 1 January (table 6584), births (table 6548) and deaths (table 6550) by "
    "region (built-in dataset indicators population_jan1, births, deaths)";

}  // namespace

void AddComponentsSection(const app::SituationInput& data, Document& document) {
  const app::ComponentsByRegion& components = data.components_by_region;
  if (components.units == nullptr || components.years.empty()) return;
  const RegionSystem& units = *components.units;
  const Lang lang = document.lang();
  Section& section = document.AddSection("components", document.Text("sec.components"));
  const int first = components.first_year, last = components.last_year;
  section.Paragraph(document.Text("components.intro", first, last + 1));
  const std::vector<int> sources = {document.Cite(kComponentsSource)};

  // Units in the order of their net migration rate.
  std::vector<size_t> order(units.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double ra = components.net_rate[a], rb = components.net_rate[b];
    if (std::isnan(ra) != std::isnan(rb)) return std::isnan(rb);
    return ra > rb;
  });
  BarChart natural;
  natural.title = document.Text("components.natural.chart", first, last);
  // The unit goes in the panel titles (the axis corner is too narrow for it).
  natural.width = 560;
  BarChart migration = natural;
  migration.title = document.Text("components.net.chart", first, last);
  for (size_t unit : order) {
    const std::string& name = RegionName(units[unit], lang);
    natural.bars.push_back({name, components.natural_rate[unit], false});
    migration.bars.push_back({name, components.net_rate[unit], false});
  }
  const std::string panels = fmt::format(
      "<div class=\"panels\"><div><p class=\"panel-title\">{}, {}</p>{}</div><div><p "
      "class=\"panel-title\">{}, {}</p>{}</div></div>",
      EscapeHtml(document.Text("components.natural")), EscapeHtml(document.Text("components.unit")),
      RenderBarChart(natural), EscapeHtml(document.Text("components.net")),
      EscapeHtml(document.Text("components.unit")), RenderBarChart(migration));
  section.AddFigure(panels, document.Text("components.caption", first, last), sources, {},
                    {"official", "estimated"}, document.UpcomingTable());

  Table table({document.Text("col.region"), document.Text("components.col.years"),
               document.Text("components.col.pop_from"), document.Text("components.col.pop_to"),
               document.Text("components.col.natural"), document.Text("components.col.net"),
               document.Text("components.col.natural_rate"),
               document.Text("components.col.net_rate")});
  for (size_t unit : order) {
    const bool has = components.from[unit] != 0;
    std::vector<Cell> row{
        Cell::Text(RegionName(units[unit], lang)),
        Cell::Text(has ? fmt::format("{}\u2013{}", components.from[unit], components.to[unit] + 1)
                       : "\u2013"),
        Cell::Number(components.population_from[unit]),
        Cell::Number(components.population_to[unit]),
        Cell::Number(components.natural[unit], 0, true),
        Cell::Number(components.net_migration[unit], 0, true, "e"),
        Cell::Number(components.natural_rate[unit], 1, true),
        Cell::Number(components.net_rate[unit], 1, true, "e")};
    row[5].css_class = components.net_migration[unit] < 0 ? "neg" : "pos";
    table.AddRow(std::move(row));
  }
  section.AddTable(table, document.Text("components.table", first, last + 1), sources,
                   document.Text("components.notes"), {"official", "estimated"});
}

}  // namespace kazmig::report

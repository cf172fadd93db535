#include "kazmig/report/prospects_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kazmig/report/chart.h"
#include "kazmig/report/choropleth.h"
#include "kazmig/report/policy_section.h"

namespace kazmig::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kColors[] = {"#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#4d4d4d"};
constexpr int kLargestMovers = 4;

// A scenario's name in `lang` (the catalogue's "scenario.<name>", else the file's name).
std::string ScenarioName(const std::string& name, Lang lang) {
  return lang == Lang::kEn ? name : MsgOr(lang, "scenario." + name, name);
}

// Text from the data files (scenario descriptions, the use case's notes) is English: in another
// language it is quoted as such (lang="en").
std::string QuotedEnglish(const std::string& text, Lang lang) { return DataText(text, "", lang); }

double NumberAt(const app::ResultTable& table, size_t row_idx, const char* column) {
  const app::Cell& cell = table.at(row_idx, column);
  return cell.missing() ? kNaN : cell.number;
}

// A fan chart of one population path: the baseline's 95% and 80% bands and median, and the other
// scenarios' medians; its data table (the baseline's quantiles by year).
void AddFan(Section& section, const app::ProjectionResult& p,
            const std::function<const app::RegionYear&(size_t scenario_idx, size_t year_idx)>& at,
            const std::string& what, const std::vector<int>& sources,
            const std::vector<ChartMarker>& markers) {
  const Lang lang = section.lang();
  LineChart chart;
  chart.lang = lang;
  chart.title = Tr(lang, "prospects.fan.title", what, p.years.front(), p.years.back());
  chart.y_label = Tr(lang, "prospects.fan.unit");
  LineBand band95{Tr(lang, "prospects.band95"), kColors[0], {}};
  LineBand band80{Tr(lang, "prospects.band80"), kColors[0], {}};
  for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
    const app::Quantiles& q = at(0, year_idx).population;
    band95.rows.emplace_back(p.years[year_idx], q.lower95, q.upper95);
    band80.rows.emplace_back(p.years[year_idx], q.lower80, q.upper80);
  }
  chart.bands = {band95, band80};
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    LineSeries line{
        Tr(lang, "prospects.median", ScenarioName(p.scenarios[scenario_idx].name, lang)),
        kColors[scenario_idx % std::size(kColors)],
        {}};
    for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
      line.points.emplace_back(p.years[year_idx], at(scenario_idx, year_idx).population.median);
    }
    chart.series.push_back(std::move(line));
  }
  Table data({Tr(lang, "year"), Tr(lang, "prospects.col.median"), Tr(lang, "prospects.col.i80"),
              Tr(lang, "prospects.col.i95")});
  for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
    const app::Quantiles& q = at(0, year_idx).population;
    data.AddRow({Cell::Text(std::to_string(p.years[year_idx])),
                 Cell::Estimate(q.median, false, "e"),
                 Cell::Text(fmt::format("{} \u2013 {}", FormatEstimate(q.lower80),
                                        FormatEstimate(q.upper80))),
                 Cell::Text(fmt::format("{} \u2013 {}", FormatEstimate(q.lower95),
                                        FormatEstimate(q.upper95)))});
  }
  section.AddFigure(RenderLineChart(chart, markers),
                    Tr(lang, "prospects.fan.caption", what, p.base_year,
                       p.base_estimated ? Tr(lang, "prospects.fan.reconstructed") : std::string()),
                    sources, data.Render(EscapeHtml(Tr(lang, "prospects.fan.data", what))),
                    {"estimated"});
}

}  // namespace

void AddProspectsSection(const app::SituationInput& data, Document& document) {
  const app::ProspectsInput& prospects = data.prospects;
  if (!prospects.available && prospects.unavailable.empty()) return;
  Section& section = document.AddSection("prospects", document.Text("sec.prospects"));
  const Lang lang = document.lang();
  if (!prospects.available) {
    section.RawHtml("<p class=\"note\">" + EscapeHtml(document.Text("prospects.unavailable")) +
                    " " + QuotedEnglish(prospects.unavailable, lang) + "</p>\n");
    return;
  }
  const app::ProjectionResult& p = prospects.projection;
  const RegionSystem& system = *data.system;
  const std::vector<int> sources = {document.Cite(document.Text("prospects.source.bns")),
                                    document.Cite(document.Text("prospects.source.model"))};
  section.Paragraph(document.Text("prospects.intro", prospects.year, p.region_ids.size(),
                                  p.base_year, FormatThousands(static_cast<double>(p.draws))));
  section.Paragraph(document.Text("prospects.data"));

  // Key figure and the country's fan chart.
  const size_t last = p.years.size() - 1;
  const app::Quantiles& country = p.scenarios.front().national[last].population;
  document.AddKeyFigure(FormatEstimate(country.median),
                        document.Text("prospects.key", p.years.back()),
                        document.Text("prospects.key.note", FormatEstimate(country.lower80),
                                      FormatEstimate(country.upper80)));
  AddFan(
      section, p,
      [&](size_t scenario_idx, size_t year_idx) -> const app::RegionYear& {
        return p.scenarios[scenario_idx].national[year_idx];
      },
      document.Text("prospects.kazakhstan"), sources, PolicyMarkers(data));

  // The largest movers of the baseline (relative change to the last year).
  std::vector<std::pair<double, size_t>> movers;
  for (size_t region_idx = 0; region_idx < p.region_ids.size(); ++region_idx) {
    const double base = p.At(0, region_idx, p.base_year).population.median;
    const double end = p.At(0, region_idx, p.years.back()).population.median;
    movers.emplace_back(std::fabs(end / base - 1), region_idx);
  }
  std::sort(movers.begin(), movers.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (int rank = 0; rank < kLargestMovers && rank < static_cast<int>(movers.size()); ++rank) {
    const size_t region_idx = movers[static_cast<size_t>(rank)].second;
    AddFan(
        section, p,
        [&, region_idx](size_t scenario_idx, size_t year_idx) -> const app::RegionYear& {
          return p.scenarios[scenario_idx].cells[year_idx * p.region_ids.size() + region_idx];
        },
        LocalRegionName(p.region_names[region_idx], lang), sources,
        PolicyMarkers(data, "kz-2022", {p.region_ids[region_idx]}));
  }

  // Small multiples: change by the last year under each scenario.
  std::string maps =
      "<div class=\"small-multiples\" style=\"display:grid;grid-template-columns:repeat(auto-fill,"
      "minmax(280px,1fr));gap:8px\">";
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    Choropleth map;
    map.lang = lang;
    map.title = document.Text("prospects.map", ScenarioName(p.scenarios[scenario_idx].name, lang),
                              p.base_year, p.years.back());
    map.features = &data.boundaries;
    map.legend_title = map.title;
    map.decimals = 1;
    map.show_values = false;
    map.width = 440;
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      MapRegion region;
      region.label = RegionName(system[region_idx], lang);
      region.label_lon = system[region_idx].longitude;
      region.label_lat = system[region_idx].latitude;
      const auto idx = std::find(p.region_ids.begin(), p.region_ids.end(), system[region_idx].id);
      if (idx != p.region_ids.end()) {
        const size_t projected = static_cast<size_t>(idx - p.region_ids.begin());
        const double base = p.At(scenario_idx, projected, p.base_year).population.median;
        const double end = p.At(scenario_idx, projected, p.years.back()).population.median;
        region.value = (end / base - 1) * 100;
      }
      map.regions.push_back(std::move(region));
    }
    maps += "<div class=\"small-multiple\">" + RenderChoropleth(map) + "</div>";
  }
  maps += "</div>";
  Table change({document.Text("col.region")});
  {
    std::vector<std::string> header = {document.Text("col.region")};
    for (const auto& scenario : p.scenarios) {
      header.push_back(ScenarioName(scenario.name, lang) + ", %");
    }
    change = Table(header);
    for (size_t region_idx = 0; region_idx < p.region_ids.size(); ++region_idx) {
      std::vector<Cell> row = {Cell::Text(LocalRegionName(p.region_names[region_idx], lang))};
      for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
        const double base = p.At(scenario_idx, region_idx, p.base_year).population.median;
        const double end = p.At(scenario_idx, region_idx, p.years.back()).population.median;
        row.push_back(Cell::Number((end / base - 1) * 100, 1, true, "e"));
      }
      change.AddRow(std::move(row));
    }
  }
  section.AddFigure(maps, document.Text("prospects.maps.caption", p.base_year, p.years.back()),
                    sources, change.Render(EscapeHtml(document.Text("prospects.maps.data"))),
                    {"estimated"});

  // The comparison table: the baseline level and each scenario's difference from it.
  const app::ResultTable& cmp = prospects.comparison;
  const size_t units = p.region_ids.size() + app::CompareGroups().size();
  std::vector<std::string> header = {
      document.Text("col.region"), document.Text("prospects.col.base", p.base_year),
      document.Text("prospects.col.baseline", prospects.year), document.Text("prospects.col.i95")};
  for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    header.push_back(
        document.Text("prospects.col.diff", ScenarioName(p.scenarios[scenario_idx].name, lang)));
  }
  Table comparison(header);
  for (size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
    const size_t base_row = unit_idx;  // scenario 0 = baseline
    const double level = NumberAt(cmp, base_row, "population");
    const double change_value = NumberAt(cmp, base_row, "change");
    std::string name = cmp.at(base_row, "name").text;
    if (unit_idx < p.region_ids.size()) {
      name = LocalRegionName(name, lang);
    } else if (lang != Lang::kEn) {
      name = MsgOr(lang, "group." + app::CompareGroups()[unit_idx - p.region_ids.size()].id, name);
    }
    std::vector<Cell> row = {
        Cell::Text(name), Cell::Number(level - change_value), Cell::Estimate(level, false, "e"),
        Cell::Text(fmt::format("{} \u2013 {}", FormatEstimate(NumberAt(cmp, base_row, "lower95")),
                               FormatEstimate(NumberAt(cmp, base_row, "upper95"))))};
    for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
      const size_t row_idx = scenario_idx * units + unit_idx;
      row.push_back(Cell::Text(
          fmt::format("{} [{}, {}]", FormatEstimate(NumberAt(cmp, row_idx, "diff_baseline"), true),
                      FormatEstimate(NumberAt(cmp, row_idx, "diff_lower95"), true),
                      FormatEstimate(NumberAt(cmp, row_idx, "diff_upper95"), true))));
    }
    if (unit_idx >= p.region_ids.size()) {
      comparison.AddFootRow(std::move(row));
    } else {
      comparison.AddRow(std::move(row));
    }
  }
  std::string shares;
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    std::string parts;
    for (size_t group_idx = 0; group_idx + 1 < app::CompareGroups().size(); ++group_idx) {
      const size_t row_idx = scenario_idx * units + p.region_ids.size() + group_idx;
      const std::string& id = app::CompareGroups()[group_idx].id;
      parts +=
          fmt::format("{}{} {}%", parts.empty() ? "" : ", ", MsgOr(lang, "group.short." + id, id),
                      FormatThousands(NumberAt(cmp, row_idx, "share_percent"), 2));
    }
    shares += fmt::format("{}{}: {}", shares.empty() ? "" : "; ",
                          ScenarioName(p.scenarios[scenario_idx].name, lang), parts);
  }
  section.AddTable(comparison, document.Text("prospects.compare.table", prospects.year), sources,
                   document.Text("prospects.compare.notes", prospects.year, shares), {"estimated"});
  for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    const std::string& description = p.scenarios[scenario_idx].description;
    if (!description.empty()) {
      section.RawHtml("<p class=\"note\">" +
                      EscapeHtml(ScenarioName(p.scenarios[scenario_idx].name, lang) + ": ") +
                      DataText(description, p.scenarios[scenario_idx].description_ru, lang) +
                      "</p>\n");
    }
  }

  // The backtest.
  if (prospects.backtest_available) {
    const app::BacktestResult& backtest = prospects.backtest;
    Table table({document.Text("factors.col.model"), document.Text("year"),
                 document.Text("prospects.bt.regions"), "MAPE, %",
                 document.Text("prospects.bt.c80"), document.Text("prospects.bt.c95")});
    for (const app::BacktestScore& score : backtest.scores) {
      table.AddRow({Cell::Text(lang == Lang::kEn
                                   ? score.model
                                   : MsgOr(lang, "prospects.bt.model." + score.model, score.model)),
                    Cell::Text(score.year == 0 ? document.Text("prospects.bt.all")
                                               : std::to_string(score.year)),
                    Cell::Number(static_cast<double>(score.observations)),
                    Cell::Number(score.mape, 2), Cell::Number(score.coverage80 * 100, 0),
                    Cell::Number(score.coverage95 * 100, 0)});
    }
    section.AddTable(table, document.Text("prospects.bt.table", backtest.fit_to, backtest.to),
                     sources, document.Text("prospects.bt.notes"), {"estimated", "official"});
  } else if (!prospects.backtest.notes.empty()) {
    section.RawHtml("<p class=\"note\">" + EscapeHtml(document.Text("prospects.bt.unavailable")) +
                    " " + QuotedEnglish(prospects.backtest.notes.back(), lang) + "</p>\n");
  }
  // The projection's notes: in English as the app wrote them, in another language from the
  // result's fields (the same facts).
  if (lang == Lang::kEn) {
    for (const std::string& note : p.notes) {
      section.RawHtml("<p class=\"note\">" + EscapeHtml(note) + "</p>\n");
    }
    return;
  }
  if (p.base_estimated) {
    section.Note(document.Text("prospects.note.base_estimated", p.base_year,
                               p.last_official_population_year));
  }
  if (p.model.bounded_values > 0) {
    section.Note(document.Text("prospects.note.bounded", p.model.bounded_values));
  }
}

}  // namespace kazmig::report

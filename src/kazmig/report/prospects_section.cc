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
  LineChart chart;
  chart.title =
      fmt::format("Projected population of {}, {}\u2013{}", what, p.years.front(), p.years.back());
  chart.y_label = "persons on 1 January";
  LineBand band95{"baseline: 95% interval", kColors[0], {}};
  LineBand band80{"baseline: 80% interval", kColors[0], {}};
  for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
    const app::Quantiles& q = at(0, year_idx).population;
    band95.rows.emplace_back(p.years[year_idx], q.lower95, q.upper95);
    band80.rows.emplace_back(p.years[year_idx], q.lower80, q.upper80);
  }
  chart.bands = {band95, band80};
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    LineSeries line{p.scenarios[scenario_idx].name + " (median)",
                    kColors[scenario_idx % std::size(kColors)],
                    {}};
    for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
      line.points.emplace_back(p.years[year_idx], at(scenario_idx, year_idx).population.median);
    }
    chart.series.push_back(std::move(line));
  }
  Table data({"Year", "Median", "80% interval", "95% interval"});
  for (size_t year_idx = 0; year_idx < p.years.size(); ++year_idx) {
    const app::Quantiles& q = at(0, year_idx).population;
    data.AddRow({Cell::Text(std::to_string(p.years[year_idx])),
                 Cell::Number(q.median, 0, false, "e"),
                 Cell::Text(fmt::format("{} \u2013 {}", FormatThousands(q.lower80),
                                        FormatThousands(q.upper80))),
                 Cell::Text(fmt::format("{} \u2013 {}", FormatThousands(q.lower95),
                                        FormatThousands(q.upper95)))});
  }
  section.AddFigure(
      RenderLineChart(chart, markers),
      fmt::format("Projected population of {} (1 January), baseline median with its 80% and 95% "
                  "intervals (shaded), and the median of each scenario. Base year {}{}.",
                  what, p.base_year,
                  p.base_estimated ? " (base population reconstructed by accounting)" : ""),
      sources, data.Render(fmt::format("Data: {}, baseline", what)), {"estimated"});
}

}  // namespace

void AddProspectsSection(const app::SituationInput& data, Document& document) {
  const app::ProspectsInput& prospects = data.prospects;
  if (!prospects.available && prospects.unavailable.empty()) return;
  Section& section = document.AddSection("prospects", document.Text("sec.prospects"));
  if (!prospects.available) {
    section.Note("The projections could not be computed: " + prospects.unavailable);
    return;
  }
  const app::ProjectionResult& p = prospects.projection;
  const RegionSystem& system = *data.system;
  const std::vector<int> sources = {
      document.Cite("BNS: population on 1 January (table 6584), births and deaths (tables 6548, "
                    "6550), migration balance (6567), internal migration by region"),
      document.Cite("kazmig project: components-of-change projection of regional totals; "
                    "Bayesian AR(1) net migration (Azose & Raftery 2015, bayesMig)")};
  section.Paragraph(fmt::format(
      "How many people will live in each region by {} if trends continue, and what would "
      "policy change? kazmig projects the population of the {} regions from 1 January {} by the "
      "components of change: births and deaths (random walks with drift on each region's log "
      "rates), inter-regional net migration (a Bayesian hierarchical AR(1) model of the net "
      "rates, balanced to zero over the regions in every draw) and international net migration "
      "(a national AR(1) model, shared out by population). {} draws give the median and the 80% "
      "and 95% intervals; every scenario uses the same draws, so the difference from the "
      "baseline is the scenario's own effect.",
      prospects.year, p.region_ids.size(), p.base_year,
      FormatThousands(static_cast<double>(p.draws))));
  section.Paragraph(
      "The regional data are totals, not ages: population on 1 January (to 2023; 2024 and 2025 "
      "by accounting from births, deaths and the all-flows net), births and deaths by region at "
      "three boundary vintages (brought to the 2022 borders by population weights), official "
      "inter-regional nets only for 2022\u20132024. Earlier inter-regional nets are estimated as "
      "the residual of the accounting less the region's share of the national international net. "
      "The projections are therefore of totals and say nothing about ages.");

  // Key figure and the country's fan chart.
  const size_t last = p.years.size() - 1;
  const app::Quantiles& country = p.scenarios.front().national[last].population;
  document.AddKeyFigure(FormatThousands(country.median),
                        document.Text("prospects.key", p.years.back()),
                        document.Text("prospects.key.note", FormatThousands(country.lower80),
                                      FormatThousands(country.upper80)));
  AddFan(
      section, p,
      [&](size_t scenario_idx, size_t year_idx) -> const app::RegionYear& {
        return p.scenarios[scenario_idx].national[year_idx];
      },
      "Kazakhstan", sources, PolicyMarkers(data));

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
        p.region_names[region_idx], sources,
        PolicyMarkers(data, "kz-2022", {p.region_ids[region_idx]}));
  }

  // Small multiples: change by the last year under each scenario.
  std::string maps =
      "<div class=\"small-multiples\" style=\"display:grid;grid-template-columns:repeat(auto-fill,"
      "minmax(280px,1fr));gap:8px\">";
  for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    Choropleth map;
    map.title = fmt::format("{}: change {}\u2013{}, %", p.scenarios[scenario_idx].name, p.base_year,
                            p.years.back());
    map.features = &data.boundaries;
    map.legend_title = map.title;
    map.decimals = 1;
    map.show_values = false;
    map.width = 440;
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      MapRegion region;
      region.label = system[region_idx].name_en;
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
  Table change({"Region"});
  {
    std::vector<std::string> header = {"Region"};
    for (const auto& scenario : p.scenarios) header.push_back(scenario.name + ", %");
    change = Table(header);
    for (size_t region_idx = 0; region_idx < p.region_ids.size(); ++region_idx) {
      std::vector<Cell> row = {Cell::Text(p.region_names[region_idx])};
      for (size_t scenario_idx = 0; scenario_idx < p.scenarios.size(); ++scenario_idx) {
        const double base = p.At(scenario_idx, region_idx, p.base_year).population.median;
        const double end = p.At(scenario_idx, region_idx, p.years.back()).population.median;
        row.push_back(Cell::Number((end / base - 1) * 100, 1, true, "e"));
      }
      change.AddRow(std::move(row));
    }
  }
  section.AddFigure(maps,
                    fmt::format("Change of each region's population from 1 January {} to 1 "
                                "January {} (median, %), under each scenario.",
                                p.base_year, p.years.back()),
                    sources, change.Render("Data: change by scenario, %"), {"estimated"});

  // The comparison table: the baseline level and each scenario's difference from it.
  const app::ResultTable& cmp = prospects.comparison;
  const size_t units = p.region_ids.size() + app::CompareGroups().size();
  std::vector<std::string> header = {"Region", fmt::format("{} ({})", p.base_year, "base"),
                                     fmt::format("Baseline {}", prospects.year), "95% interval"};
  for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    header.push_back(fmt::format("{}: difference [95%]", p.scenarios[scenario_idx].name));
  }
  Table comparison(header);
  for (size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
    const size_t base_row = unit_idx;  // scenario 0 = baseline
    const double level = NumberAt(cmp, base_row, "population");
    const double change_value = NumberAt(cmp, base_row, "change");
    std::vector<Cell> row = {
        Cell::Text(cmp.at(base_row, "name").text), Cell::Number(level - change_value),
        Cell::Number(level, 0, false, "e"),
        Cell::Text(fmt::format("{} \u2013 {}", FormatThousands(NumberAt(cmp, base_row, "lower95")),
                               FormatThousands(NumberAt(cmp, base_row, "upper95"))))};
    for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
      const size_t row_idx = scenario_idx * units + unit_idx;
      row.push_back(Cell::Text(fmt::format(
          "{} [{}, {}]", FormatThousands(NumberAt(cmp, row_idx, "diff_baseline"), 0, true),
          FormatThousands(NumberAt(cmp, row_idx, "diff_lower95"), 0, true),
          FormatThousands(NumberAt(cmp, row_idx, "diff_upper95"), 0, true))));
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
      parts +=
          fmt::format("{}{} {}%", parts.empty() ? "" : ", ", app::CompareGroups()[group_idx].id,
                      FormatThousands(NumberAt(cmp, row_idx, "share_percent"), 2));
    }
    shares +=
        fmt::format("{}{}: {}", shares.empty() ? "" : "; ", p.scenarios[scenario_idx].name, parts);
  }
  section.AddTable(
      comparison,
      fmt::format("Scenarios compared: population on 1 January {} and each scenario's difference "
                  "from the baseline (median and 95% interval of the per-draw difference)",
                  prospects.year),
      sources,
      fmt::format("Share of the country in {}: {}. Scenario files: data/scenarios/ "
                  "(docs/projection.md). The risk score per scenario comes with the risk module.",
                  prospects.year, shares),
      {"estimated"});
  for (size_t scenario_idx = 1; scenario_idx < p.scenarios.size(); ++scenario_idx) {
    const std::string& description = p.scenarios[scenario_idx].description;
    if (!description.empty()) {
      section.Note(fmt::format("{}: {}", p.scenarios[scenario_idx].name, description));
    }
  }

  // The backtest.
  if (prospects.backtest_available) {
    const app::BacktestResult& backtest = prospects.backtest;
    Table table({"Model", "Year", "Regions scored", "MAPE, %", "80% coverage", "95% coverage"});
    for (const app::BacktestScore& score : backtest.scores) {
      table.AddRow({Cell::Text(score.model),
                    Cell::Text(score.year == 0 ? "all" : std::to_string(score.year)),
                    Cell::Number(static_cast<double>(score.observations)),
                    Cell::Number(score.mape, 2), Cell::Number(score.coverage80 * 100, 0),
                    Cell::Number(score.coverage95 * 100, 0)});
    }
    section.AddTable(
        table,
        fmt::format("Backtest: fitted to 1 January {}, projected to {} and scored against the "
                    "official population (mean absolute percentage error of the median; share of "
                    "official values inside the intervals, %)",
                    backtest.fit_to, backtest.to),
        sources,
        "Benchmarks: constant-rate keeps each region's mean growth rate of the 5 years before the "
        "base; linear-trend extends a least-squares line through the 10 years up to it (no "
        "intervals). Years are scored at the boundaries the Bureau published for them.",
        {"estimated", "official"});
  } else if (!prospects.backtest.notes.empty()) {
    section.Note("The backtest could not be computed: " + prospects.backtest.notes.back());
  }
  for (const std::string& note : p.notes) section.Note(note);
}

}  // namespace kazmig::report

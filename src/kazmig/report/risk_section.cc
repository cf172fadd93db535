#include "kazmig/report/risk_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kazmig/report/chart.h"
#include "kazmig/report/choropleth.h"

namespace kazmig::report {
namespace {

constexpr const char* kFont = "font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\"";

std::string Score(double score) { return FormatThousands(score, 3); }

std::string Band(const app::RiskRegion& region) {
  return fmt::format("{}\u2013{}", FormatThousands(region.rank_p05, 0),
                     FormatThousands(region.rank_p95, 0));
}

}  // namespace

std::string RenderRiskRanking(const app::RiskResult& risk, int width) {
  const size_t n = risk.regions.size();
  const double row_h = 20, top = 44, bottom = 30, label_w = 150;
  const double gap = 30;
  const double panel_w = (width - label_w - gap - 16) / 2.0;
  const double bar_x = label_w;
  const double rank_x = label_w + panel_w + gap;
  const double height = top + row_h * static_cast<double>(n) + bottom;
  double max_score = 0;
  for (const app::RiskRegion& region : risk.regions) max_score = std::max(max_score, region.score);
  if (!(max_score > 0)) max_score = 1;
  const std::vector<double> ticks = NiceTicks(0, max_score, 4);
  const double score_top = ticks.empty() ? max_score : std::max(max_score, ticks.back());
  auto score_px = [&](double value) { return bar_x + panel_w * value / score_top; };
  auto rank_px = [&](double rank) {
    return n <= 1 ? rank_x + panel_w / 2
                  : rank_x + panel_w * (rank - 1) / static_cast<double>(n - 1);
  };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"risk-ranking\" viewBox=\"0 0 {} {}\" "
      "width=\"100%\" role=\"img\" {}><title>Migration-risk score and rank band by region, "
      "{}</title>",
      width, SvgNumber(height), kFont, risk.year);
  svg += fmt::format(
      "<text x=\"{}\" y=\"16\" font-size=\"13\" font-weight=\"600\">Score (higher = more "
      "risk)</text><text x=\"{}\" y=\"16\" font-size=\"13\" font-weight=\"600\">Rank: 5\u201395% "
      "band, median \u25cf, index |</text>",
      SvgNumber(bar_x), SvgNumber(rank_x));
  const double axis_y = top + row_h * static_cast<double>(n) + 4;
  for (double tick : ticks) {
    if (tick > score_top + 1e-12) continue;
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0}\" "
        "y=\"{3}\" font-size=\"11\" text-anchor=\"middle\">{4}</text>",
        SvgNumber(score_px(tick)), SvgNumber(top - 6), SvgNumber(axis_y), SvgNumber(axis_y + 14),
        FormatThousands(tick, tick == std::floor(tick) ? 0 : 2));
  }
  for (size_t rank = 1; rank <= n; rank += (n > 10 ? 4 : 1)) {
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#eee\"/><text x=\"{0}\" "
        "y=\"{3}\" font-size=\"11\" text-anchor=\"middle\">{4}</text>",
        SvgNumber(rank_px(static_cast<double>(rank))), SvgNumber(top - 6), SvgNumber(axis_y),
        SvgNumber(axis_y + 14), rank);
  }
  for (size_t row = 0; row < n; ++row) {
    const app::RiskRegion& region = risk.regions[row];
    const double y = top + row_h * static_cast<double>(row);
    const double mid = y + row_h / 2;
    const double bar_end = score_px(std::max(0.0, region.score));
    svg += fmt::format(
        "<g class=\"risk-row\"><title>{0}: score {1}, rank {2}, median rank {3}, 5\u201395% "
        "band {4}{5}</title>",
        EscapeHtml(region.name), Score(region.score), region.rank,
        FormatThousands(region.median_rank, 1), Band(region), region.robust ? " (robust)" : "");
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}. {}</text>",
                       SvgNumber(label_w - 8), SvgNumber(mid + 4), region.rank,
                       EscapeHtml(region.name));
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#b2182b\" "
        "fill-opacity=\"0.75\"/>",
        SvgNumber(bar_x), SvgNumber(y + 3), SvgNumber(std::max(0.0, bar_end - bar_x)),
        SvgNumber(row_h - 6));
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\" stroke-width=\"3\" "
        "stroke-linecap=\"round\"/>",
        SvgNumber(rank_px(region.rank_p05)), SvgNumber(rank_px(region.rank_p95)), SvgNumber(mid));
    svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#2166ac\"/>",
                       SvgNumber(rank_px(region.median_rank)), SvgNumber(mid));
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#b2182b\" "
        "stroke-width=\"2\"/></g>",
        SvgNumber(rank_px(region.rank)), SvgNumber(mid - 6), SvgNumber(mid + 6));
  }
  svg += "</svg>";
  return svg;
}

void AddRiskSection(const app::SituationInput& data, Document& document) {
  const app::RiskResult& risk = data.risk;
  if (risk.regions.empty()) return;
  Section& section = document.AddSection("risks", document.Text("sec.risks"));
  const int bns = document.Cite("Bureau of National Statistics of Kazakhstan (stat.gov.kz)");
  const int handbook = document.Cite(
      "OECD/JRC (2008), Handbook on Constructing Composite Indicators: Methodology and User "
      "Guide; Saisana, Saltelli & Tarantola (2005), uncertainty and sensitivity analysis of "
      "composite indicators");
  std::vector<std::string> names;
  for (const app::RiskComponentInfo& info : risk.components) names.push_back(info.name);
  const std::string method = risk.method.value("normalise", std::string("minmax"));
  section.Paragraph(fmt::format(
      "A composite migration-risk index for {}: {} components ({}), each normalised across the "
      "regions ({}, oriented so that a higher value means more risk), weighted equally unless "
      "stated and aggregated {}. Rank 1 is the highest risk. A Monte Carlo analysis of {} draws "
      "varies the normalisation, the weights (Dirichlet around the chosen ones), the aggregation "
      "and leaves one component out in turn; each region gets its median rank and 5\u201395% "
      "band. The method is the OECD/JRC handbook's; kazmig risk --format json prints every "
      "number below.",
      risk.year, risk.components.size(), fmt::join(names, ", "), method, risk.aggregate,
      risk.method.contains("sensitivity") ? risk.method["sensitivity"].value("draws", 0) : 0));
  if (risk.method.contains("missing_components") && !risk.method["missing_components"].empty()) {
    std::vector<std::string> missing;
    for (const auto& m : risk.method["missing_components"]) {
      missing.push_back(m.value("component", std::string()));
    }
    section.Note(fmt::format(
        "Not in the index for {} (their inputs are not in the built-in data for that year): {}. "
        "Nothing is imputed except single regional gaps, each listed with its method.",
        risk.year, fmt::join(missing, ", ")));
  }

  // The choropleth: the diverging scale is centred on the regions' mean score, red = more risk.
  if (data.system != nullptr && data.boundaries.size() == data.system->size()) {
    double mean = 0;
    for (const app::RiskRegion& region : risk.regions) mean += region.score;
    mean /= static_cast<double>(risk.regions.size());
    Choropleth map;
    map.features = &data.boundaries;
    map.title = fmt::format("Migration-risk index, {}", risk.year);
    map.legend_title = fmt::format(
        "Mean score minus the region's score, {} (red, negative: more risk than the average "
        "region)",
        risk.year);
    map.decimals = 2;
    map.show_values = false;
    for (const Region& region : data.system->regions()) {
      MapRegion map_region;
      map_region.label = region.name_en;
      map_region.label_lon = region.longitude;
      map_region.label_lat = region.latitude;
      map_region.dot = region.id == "71" || region.id == "75" || region.id == "79";
      const auto it = std::find_if(risk.regions.begin(), risk.regions.end(),
                                   [&](const app::RiskRegion& r) { return r.id == region.id; });
      if (it != risk.regions.end()) {
        map_region.value = mean - it->score;
        map_region.tooltip =
            fmt::format("score {}, rank {} (band {})", Score(it->score), it->rank, Band(*it));
      }
      map.regions.push_back(std::move(map_region));
    }
    section.AddFigure(RenderChoropleth(map),
                      fmt::format("Migration-risk index by region, {}", risk.year), {bns, handbook},
                      {}, {"estimated"}, document.UpcomingTable());
  }

  // The ranked chart with the bands, and its data table beside it.
  Table ranking({"Rank", "Region", "Score", "Median rank", "5\u201395% band", "Robust"});
  for (const app::RiskRegion& region : risk.regions) {
    ranking.AddRow({Cell::Number(region.rank), Cell::Text(region.name),
                    Cell::Number(region.score, 3), Cell::Number(region.median_rank, 1),
                    Cell::Text(Band(region)), Cell::Text(region.robust ? "yes" : "no")});
  }
  section.AddFigure(RenderRiskRanking(risk),
                    fmt::format("Regions ranked by migration risk, {}, with the 5\u201395% band "
                                "of their rank over the sensitivity analysis",
                                risk.year),
                    {bns, handbook}, ranking.Render("Ranks and bands"), {"estimated"});
  std::vector<std::string> robust;
  for (const app::RiskRegion& region : risk.regions) {
    if (region.robust) robust.push_back(region.name);
  }
  section.Paragraph(
      robust.empty()
          ? "No region's rank is robust: every band spans more than two ranks, so the ranking "
            "depends on the choices of method."
          : fmt::format("Robust ranks (the 5\u201395% band spans at most two ranks): {}. The other "
                        "ranks depend on the choices of method and should be read as ranges.",
                        fmt::join(robust, ", ")));

  // The components of each region.
  std::vector<std::string> header = {"Region"};
  for (const app::RiskComponentInfo& info : risk.components) {
    // The component's id with spaces, so that the header can wrap ("net migration rate 1y").
    std::string name = info.name;
    std::replace(name.begin(), name.end(), '_', ' ');
    header.push_back(fmt::format("{} ({}, {})", name, info.direction, info.unit));
  }
  header.push_back("Score");
  Table components(header);
  for (const app::RiskRegion& region : risk.regions) {
    std::vector<Cell> row = {Cell::Text(region.name)};
    for (size_t idx = 0; idx < region.components.size(); ++idx) {
      const app::RiskComponentValue& v = region.components[idx];
      const bool estimated = risk.components[idx].inputs != "official";
      row.push_back(
          Cell::Html(fmt::format("{}{}<br><small>({})</small>", FormatThousands(v.value, 1),
                                 estimated ? "<sup class=\"mark\">e</sup>" : "",
                                 FormatThousands(v.normalised, 2)),
                     true));
    }
    row.push_back(Cell::Number(region.score, 3));
    components.AddRow(std::move(row));
  }
  std::string notes =
      "Each cell: the component's value in its unit and, in brackets, its normalised value "
      "(1 = the most risk among the regions under min-max). Direction +: a higher value means "
      "more risk; -: less. e: the component includes an estimated or imputed value.";
  if (risk.method.contains("imputed")) {
    for (const auto& imputed : risk.method["imputed"]) {
      notes += fmt::format(" {} of region {} in {} is its {} value (imputed).",
                           imputed.value("component", std::string()),
                           imputed.value("region", std::string()), imputed.value("year", 0),
                           imputed.value("from_year", 0));
    }
  }
  section.AddTable(components, fmt::format("Risk components by region, {}", risk.year),
                   {bns, handbook}, notes, {"official", "estimated"});

  // The flags in words.
  std::string flags_html;
  for (const app::RiskRegion& region : risk.regions) {
    for (const app::RiskFlag& flag : region.flags) {
      flags_html +=
          fmt::format("<li><strong>{}</strong> \u2014 {}: {}.</li>", EscapeHtml(region.name),
                      EscapeHtml(flag.rule), EscapeHtml(flag.detail));
    }
  }
  if (flags_html.empty()) {
    section.Paragraph(fmt::format("Early warnings: no rule fires in {}.", risk.year));
  } else {
    section.Paragraph(fmt::format(
        "Early warnings in {} (rules of docs/risk.md; each names the years and values behind "
        "it). Registered internal moves jump by about 48% in 2024 (a registration change), which "
        "raises departure rates everywhere:",
        risk.year));
    section.RawHtml("<ul class=\"risk-flags\">" + flags_html + "</ul>");
  }
}

}  // namespace kazmig::report

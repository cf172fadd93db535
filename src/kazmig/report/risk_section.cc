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

// A component's name, unit and the like in `lang` ("risk.component.unemployment", ...); the id
// itself when the catalogue has no text for it.
std::string Term(Lang lang, const std::string& kind, const std::string& id) {
  return MsgOr(lang, "risk." + kind + "." + id, id);
}

std::string Band(const app::RiskRegion& region) {
  return fmt::format("{}\u2013{}", FormatThousands(region.rank_p05, 0),
                     FormatThousands(region.rank_p95, 0));
}

}  // namespace

std::string RenderRiskRanking(const app::RiskResult& risk, int width, Lang lang) {
  const size_t n = risk.regions.size();
  const double row_h = 20, top = 44, bottom = 30;
  // Room for "20. " and the longest name in `lang` (about 6.5 px a character at 12 px).
  size_t longest = 0;
  for (const app::RiskRegion& region : risk.regions) {
    size_t characters = 0;
    for (unsigned char c : LocalRegionName(region.name, lang)) characters += (c & 0xC0) != 0x80;
    longest = std::max(longest, characters);
  }
  const double label_w = std::clamp(6.5 * static_cast<double>(longest + 4) + 12.0, 150.0,
                                    static_cast<double>(width) / 3.0);
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
      "width=\"100%\" role=\"img\" {}><title>{}</title>",
      width, SvgNumber(height), kFont, EscapeHtml(Tr(lang, "risk.chart.title", risk.year)));
  svg += fmt::format(
      "<text x=\"{}\" y=\"16\" font-size=\"13\" font-weight=\"600\">{}</text><text x=\"{}\" "
      "y=\"16\" font-size=\"13\" font-weight=\"600\">{}</text>",
      SvgNumber(bar_x), EscapeHtml(Msg(lang, "risk.chart.score")), SvgNumber(rank_x),
      EscapeHtml(Msg(lang, "risk.chart.rank")));
  const double axis_y = top + row_h * static_cast<double>(n) + 4;
  const std::vector<std::string> tick_labels = TickLabels(ticks);  // one format for every tick
  for (size_t tick_idx = 0; tick_idx < ticks.size(); ++tick_idx) {
    const double tick = ticks[tick_idx];
    if (tick > score_top + 1e-12) continue;
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0}\" "
        "y=\"{3}\" font-size=\"11\" text-anchor=\"middle\">{4}</text>",
        SvgNumber(score_px(tick)), SvgNumber(top - 6), SvgNumber(axis_y), SvgNumber(axis_y + 14),
        tick_labels[tick_idx]);
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
    const std::string name = LocalRegionName(region.name, lang);
    svg += fmt::format(
        "<g class=\"risk-row\"><title>{}</title>",
        EscapeHtml(Tr(lang, "risk.row.tooltip", name, Score(region.score), region.rank,
                      FormatThousands(region.median_rank, 1), Band(region),
                      region.robust ? Msg(lang, "risk.robust.mark") : std::string_view())));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}. {}</text>",
                       SvgNumber(label_w - 8), SvgNumber(mid + 4), region.rank, EscapeHtml(name));
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
  const Lang lang = document.lang();
  const int bns = document.Cite(document.Text("risk.source.bns"));
  const int handbook = document.Cite(document.Text("risk.source.handbook"));
  std::vector<std::string> names;
  for (const app::RiskComponentInfo& info : risk.components) {
    names.push_back(lang == Lang::kEn ? info.name : Term(lang, "component", info.name));
  }
  const std::string method = risk.method.value("normalise", std::string("minmax"));
  section.Paragraph(document.Text(
      "risk.intro", risk.year, risk.components.size(), fmt::format("{}", fmt::join(names, ", ")),
      Term(lang, "norm", method), Term(lang, "agg", risk.aggregate),
      risk.method.contains("sensitivity") ? risk.method["sensitivity"].value("draws", 0) : 0));
  if (risk.method.contains("missing_components") && !risk.method["missing_components"].empty()) {
    std::vector<std::string> missing;
    for (const auto& m : risk.method["missing_components"]) {
      const std::string component = m.value("component", std::string());
      missing.push_back(lang == Lang::kEn ? component : Term(lang, "component", component));
    }
    section.Note(
        document.Text("risk.missing", risk.year, fmt::format("{}", fmt::join(missing, ", "))));
  }

  // The choropleth: the diverging scale is centred on the regions' mean score, red = more risk.
  if (data.system != nullptr && data.boundaries.size() == data.system->size()) {
    double mean = 0;
    for (const app::RiskRegion& region : risk.regions) mean += region.score;
    mean /= static_cast<double>(risk.regions.size());
    Choropleth map;
    map.features = &data.boundaries;
    map.lang = lang;
    map.title = document.Text("risk.map", risk.year);
    map.legend_title = document.Text("risk.map.legend", risk.year);
    map.decimals = 2;
    map.show_values = false;
    for (const Region& region : data.system->regions()) {
      MapRegion map_region;
      map_region.label = RegionName(region, lang);
      map_region.label_lon = region.longitude;
      map_region.label_lat = region.latitude;
      map_region.dot = region.id == "71" || region.id == "75" || region.id == "79";
      const auto it = std::find_if(risk.regions.begin(), risk.regions.end(),
                                   [&](const app::RiskRegion& r) { return r.id == region.id; });
      if (it != risk.regions.end()) {
        map_region.value = mean - it->score;
        map_region.tooltip =
            document.Text("risk.map.tooltip", Score(it->score), it->rank, Band(*it));
      }
      map.regions.push_back(std::move(map_region));
    }
    section.AddFigure(RenderChoropleth(map), document.Text("risk.map.caption", risk.year),
                      {bns, handbook}, {}, {"estimated"}, document.UpcomingTable());
  }

  // The ranked chart with the bands, and its data table beside it.
  Table ranking({document.Text("risk.col.rank"), document.Text("col.region"),
                 document.Text("risk.col.score"), document.Text("risk.col.median"),
                 document.Text("risk.col.band"), document.Text("risk.col.robust")});
  for (const app::RiskRegion& region : risk.regions) {
    ranking.AddRow({Cell::Number(region.rank), Cell::Text(LocalRegionName(region.name, lang)),
                    Cell::Number(region.score, 3), Cell::Number(region.median_rank, 1),
                    Cell::Text(Band(region)),
                    Cell::Text(document.Text(region.robust ? "yes" : "no"))});
  }
  section.AddFigure(RenderRiskRanking(risk, 900, lang),
                    document.Text("risk.ranking.caption", risk.year), {bns, handbook},
                    ranking.Render(EscapeHtml(document.Text("risk.ranking.table"))), {"estimated"});
  std::vector<std::string> robust;
  for (const app::RiskRegion& region : risk.regions) {
    if (region.robust) robust.push_back(LocalRegionName(region.name, lang));
  }
  section.Paragraph(robust.empty() ? document.Text("risk.robust.none")
                                   : document.Text("risk.robust.some",
                                                   fmt::format("{}", fmt::join(robust, ", "))));

  // The components of each region.
  std::vector<std::string> header = {document.Text("col.region")};
  for (const app::RiskComponentInfo& info : risk.components) {
    // The component's id with spaces, so that the header can wrap ("net migration rate 1y").
    std::string name = info.name;
    std::replace(name.begin(), name.end(), '_', ' ');
    if (lang != Lang::kEn) name = Term(lang, "component", info.name);
    header.push_back(fmt::format("{} ({}, {})", name, info.direction,
                                 lang == Lang::kEn ? info.unit : Term(lang, "unit", info.unit)));
  }
  header.push_back(document.Text("risk.col.score"));
  Table components(header);
  for (const app::RiskRegion& region : risk.regions) {
    std::vector<Cell> row = {Cell::Text(LocalRegionName(region.name, lang))};
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
  std::string notes = document.Text("risk.components.notes");
  if (risk.method.contains("imputed")) {
    for (const auto& imputed : risk.method["imputed"]) {
      const std::string component = imputed.value("component", std::string());
      notes +=
          " " + document.Text("risk.imputed",
                              lang == Lang::kEn ? component : Term(lang, "component", component),
                              imputed.value("region", std::string()), imputed.value("year", 0),
                              imputed.value("from_year", 0));
    }
  }
  section.AddTable(components, document.Text("risk.components.table", risk.year), {bns, handbook},
                   notes, {"official", "estimated"});

  // The flags in words.
  std::string flags_html;
  for (const app::RiskRegion& region : risk.regions) {
    for (const app::RiskFlag& flag : region.flags) {
      std::string detail = EscapeHtml(flag.detail);
      if (lang != Lang::kEn) {
        std::vector<std::string> values;
        for (double value : flag.values) values.push_back(FormatThousands(value, 2));
        const std::string years =
            flag.years.empty() ? std::string()
            : flag.years.size() == 1
                ? std::to_string(flag.years.front())
                : fmt::format("{}\u2013{}", flag.years.front(), flag.years.back());
        detail = HasMessage("risk.rule." + flag.rule)
                     ? EscapeHtml(Tr(lang, "risk.rule." + flag.rule, years,
                                     fmt::format("{}", fmt::join(values, "; "))))
                     : "<span lang=\"en\">" + detail + "</span>";
      }
      flags_html += fmt::format("<li><strong>{}</strong> \u2014 {}.</li>",
                                EscapeHtml(LocalRegionName(region.name, lang)),
                                lang == Lang::kEn ? EscapeHtml(flag.rule) + ": " + detail : detail);
    }
  }
  if (flags_html.empty()) {
    section.Paragraph(document.Text("risk.flags.none", risk.year));
  } else {
    section.Paragraph(document.Text("risk.flags.intro", risk.year));
    section.RawHtml("<ul class=\"risk-flags\">" + flags_html + "</ul>");
  }
}

}  // namespace kazmig::report

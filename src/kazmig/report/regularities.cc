#include "kazmig/report/regularities.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kazmig/report/chart.h"
#include "kazmig/report/flows_section.h"
#include "kazmig/report/policy_section.h"

namespace kazmig::report {

void AddGainersLosers(Section& section, const std::vector<app::RankedNet>& ranked, size_t count,
                      const std::vector<int>& sources, const std::string& period) {
  const Lang lang = section.lang();
  const std::vector<app::RankedNet> gainers = app::TopGainers(ranked, count);
  const std::vector<app::RankedNet> losers = app::TopLosers(ranked, count);
  auto list = [lang](const std::vector<app::RankedNet>& items) {
    std::string text;
    for (const app::RankedNet& item : items) {
      if (!text.empty()) text += ", ";
      text += LocalRegionName(item.name, lang) + " (" +
              Tr(lang, "per_1000", FormatThousands(item.rate_per_1000, 1, true)) + ")";
    }
    return text.empty() ? std::string(Msg(lang, "none")) : text;
  };
  section.Paragraph(Tr(lang, "gainers.text", period, list(gainers), list(losers)));
  Table table(
      {Tr(lang, "col.region"), Tr(lang, "gainers.col.net", period), Tr(lang, "gainers.col.rate")});
  for (const app::RankedNet& item : gainers) {
    table.AddRow({Cell::Text(LocalRegionName(item.name, lang)), Cell::Number(item.net, 0, true),
                  Cell::Number(item.rate_per_1000, 1, true)});
  }
  for (auto it = losers.rbegin(); it != losers.rend(); ++it) {
    table.AddRow({Cell::Text(LocalRegionName(it->name, lang)), Cell::Number(it->net, 0, true),
                  Cell::Number(it->rate_per_1000, 1, true)});
  }
  section.AddTable(table, Tr(lang, "gainers.table", period), sources, Msg(lang, "gainers.notes"),
                   {"official"});
}

}  // namespace kazmig::report

namespace kazmig::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The mark of an estimated number in running text, with its method in the tooltip.
std::string EstimatedMark(Lang lang) {
  return "<sup class=\"mark\" title=\"" + EscapeHtml(Msg(lang, "reg.mark.e")) + "\">e</sup>";
}

std::string Esc(const std::string& text) { return EscapeHtml(text); }

// "1.75<sup>e</sup> (range 1.25–2.25)"
std::string Estimated(const indicators::Band& band, int decimals, Lang lang) {
  return FormatThousands(band.value, decimals) + EstimatedMark(lang) + " (" +
         std::string(Msg(lang, "range")) + " " + FormatThousands(band.low, decimals) + "\u2013" +
         FormatThousands(band.high, decimals) + ")";
}

// A band's cells; `decimals` 0: estimated persons (3 significant digits, FormatEstimate).
std::vector<Cell> BandCells(const indicators::Band& band, int decimals) {
  if (decimals == 0) {
    return {Cell::Estimate(band.value, false, "e"), Cell::Estimate(band.low),
            Cell::Estimate(band.high)};
  }
  return {Cell::Number(band.value, decimals, false, "e"), Cell::Number(band.low, decimals),
          Cell::Number(band.high, decimals)};
}

std::string YearSpan(const std::vector<int>& years) {
  if (years.empty()) return {};
  if (years.front() == years.back()) return std::to_string(years.front());
  return std::to_string(years.front()) + "\u2013" + std::to_string(years.back());
}

}  // namespace

std::string RegularitiesSummaryHtml(const std::vector<app::SituationYear>& years,
                                    const std::vector<app::RankedNet>& ranked,
                                    const std::string& period, Lang lang) {
  std::string html;
  const app::SituationYear* latest_estimated = nullptr;
  const app::SituationYear* first_official = nullptr;
  const app::SituationYear* latest_official = nullptr;
  for (const app::SituationYear& year : years) {
    if (year.estimated) latest_estimated = &year;
    if (!std::isnan(year.anmr)) {
      if (first_official == nullptr) first_official = &year;
      latest_official = &year;
    }
  }
  if (latest_official != nullptr) {
    html +=
        Tr(lang, "reg.sum.anmr", FormatThousands(latest_official->anmr, 2), latest_official->year);
    if (first_official != latest_official) {
      const char* change = latest_official->anmr > first_official->anmr   ? "reg.sum.up"
                           : latest_official->anmr < first_official->anmr ? "reg.sum.down"
                                                                          : "reg.sum.same";
      html += Tr(lang, change, FormatThousands(first_official->anmr, 2), first_official->year);
    }
    html += Msg(lang, "reg.sum.official");
  }
  if (latest_estimated != nullptr) {
    const indicators::BandedIndicators& od = latest_estimated->od;
    const auto& a = latest_estimated->assumptions;
    html += Tr(lang, "reg.sum.assumed", FormatThousands(a.total_low), FormatThousands(a.total_high),
               FormatThousands(od.cmp.low, 2) + "\u2013" + FormatThousands(od.cmp.high, 2),
               latest_estimated->year,
               FormatThousands(od.mei.low, 1) + "\u2013" + FormatThousands(od.mei.high, 1));
  }
  const std::vector<app::RankedNet> gainers = app::TopGainers(ranked, 2);
  const std::vector<app::RankedNet> losers = app::TopLosers(ranked, 2);
  auto named = [lang](const std::vector<app::RankedNet>& items) {
    std::string names, rates;
    for (size_t idx = 0; idx < items.size(); ++idx) {
      const std::string separator = idx == 0 ? std::string()
                                    : idx + 1 == items.size()
                                        ? " " + std::string(Msg(lang, "and")) + " "
                                        : std::string(", ");
      names += separator + Esc(LocalRegionName(items[idx].name, lang));
      rates += separator + FormatThousands(items[idx].rate_per_1000, 1, true);
    }
    return std::make_pair(names, rates);
  };
  if (!gainers.empty()) {
    const auto [names, rates] = named(gainers);
    html += Tr(lang, "reg.sum.gained", names, Esc(period), rates);
    if (!losers.empty()) {
      const auto [loser_names, loser_rates] = named(losers);
      html += Tr(lang, "reg.sum.lost", loser_names, loser_rates);
    }
    html += ". ";
  }
  if (latest_estimated != nullptr) {
    const indicators::BandedIndicators& od = latest_estimated->od;
    html += Tr(
        lang, "reg.sum.gini",
        Msg(lang, od.gini_total_corrected.value >= 0.5 ? "reg.sum.concentrated" : "reg.sum.spread"),
        Estimated(od.gini_total_corrected, 3, lang), Estimated(od.acv, 2, lang));
    const auto& a = latest_estimated->assumptions;
    html += Tr(lang, "reg.sum.method", FormatThousands(a.decay_low, 1),
               FormatThousands(a.decay_high, 1), FormatThousands(a.total_low),
               FormatThousands(a.total_high), od.runs);
  }
  return html;
}

void AddRegularitiesSection(const app::SituationInput& data, Document& document) {
  const std::vector<app::SituationYear>& years = data.years;
  const std::vector<app::RankedNet>& ranked = data.ranked;
  if (ranked.empty() && years.empty()) return;
  const std::string& period = data.period;

  Section& section = document.AddSection("regularities", document.Text("sec.regularities"));
  const Lang lang = document.lang();
  const int official_source = document.Cite(document.Text("reg.source.official"));
  std::vector<int> estimate_sources;
  for (const app::StoredOd& od : data.internal_od) {
    estimate_sources.push_back(document.Cite(od.provenance.ToString()));
  }
  std::sort(estimate_sources.begin(), estimate_sources.end());
  estimate_sources.erase(std::unique(estimate_sources.begin(), estimate_sources.end()),
                         estimate_sources.end());
  std::vector<int> all_sources = estimate_sources;
  all_sources.insert(all_sources.begin(), official_source);

  const std::string summary = RegularitiesSummaryHtml(years, ranked, period, lang);
  if (!summary.empty()) {
    section.RawHtml("<p class=\"plain-words\"><strong>" + EscapeHtml(document.Text("reg.plain")) +
                    "</strong> " + summary + "</p>\n");
  }
  // One line for the executive summary: the latest year with the official ANMR, and its estimated
  // intensity when there is one.
  for (auto it = years.rbegin(); it != years.rend(); ++it) {
    if (std::isnan(it->anmr)) continue;
    std::string point = document.Text("summary.internal", it->year, FormatThousands(it->anmr, 2));
    if (it->estimated) point += document.Text("summary.internal.assumed");
    document.AddSummaryPoint(point + document.Text("summary.internal.see"));
    break;
  }

  std::vector<int> estimated_years, anmr_years;
  for (const app::SituationYear& year : years) {
    if (year.estimated) estimated_years.push_back(year.year);
    if (!std::isnan(year.anmr)) anmr_years.push_back(year.year);
  }
  std::vector<int> shown_years;
  for (const app::SituationYear& year : years) shown_years.push_back(year.year);

  // Intensity and effectiveness over time.
  section.RawHtml(fmt::format("<h3>{}</h3>\n",
                              EscapeHtml(document.Text("h.intensity", YearSpan(shown_years)))));
  section.Paragraph(document.Text("reg.intensity.intro"));
  LineChart intensity;
  intensity.lang = document.lang();
  intensity.title = document.Text("reg.intensity.chart");
  intensity.y_label = document.Text("per_100");
  intensity.decimals = 2;
  intensity.breaks = {{2024, document.Text("reg.break2024")}};
  // The estimated CMP and MEI follow the assumed gross total: a range per year, no trend line.
  LineSeries cmp{document.Text("reg.cmp.central"), "#2166ac", {}, false};
  LineSeries anmr{document.Text("reg.anmr"), "#1d2733", {}};
  LineBand cmp_band{document.Text("reg.cmp.range"), "#2166ac", {}, true};
  LineChart effectiveness;
  effectiveness.lang = document.lang();
  effectiveness.title = document.Text("reg.mei.chart");
  effectiveness.y_label = "MEI";
  effectiveness.decimals = 1;
  effectiveness.breaks = intensity.breaks;
  LineSeries mei{document.Text("reg.mei.central"), "#b2182b", {}, false};
  LineBand mei_band{document.Text("reg.mei.range"), "#b2182b", {}, true};
  Table intensity_table({document.Text("year"), document.Text("reg.anmr"), "CMP",
                         document.Text("reg.cmp.low"), document.Text("reg.cmp.high"),
                         document.Text("reg.movers"), document.Text("reg.movers.low"),
                         document.Text("reg.movers.high")});
  Table mei_table(
      {document.Text("year"), "MEI", document.Text("reg.mei.low"), document.Text("reg.mei.high")});
  for (const app::SituationYear& year : years) {
    anmr.points.emplace_back(year.year, year.anmr);
    std::vector<Cell> row{Cell::Html(std::to_string(year.year)), Cell::Number(year.anmr, 2)};
    if (year.estimated) {
      cmp.points.emplace_back(year.year, year.od.cmp.value);
      cmp_band.rows.emplace_back(year.year, year.od.cmp.low, year.od.cmp.high);
      mei.points.emplace_back(year.year, year.od.mei.value);
      mei_band.rows.emplace_back(year.year, year.od.mei.low, year.od.mei.high);
      for (Cell& cell : BandCells(year.od.cmp, 2)) row.push_back(std::move(cell));
      for (Cell& cell : BandCells(year.od.total_flow, 0)) row.push_back(std::move(cell));
      std::vector<Cell> mei_row{Cell::Html(std::to_string(year.year))};
      for (Cell& cell : BandCells(year.od.mei, 1)) mei_row.push_back(std::move(cell));
      mei_table.AddRow(std::move(mei_row));
    } else {
      for (int column = 0; column < 6; ++column) row.push_back(Cell::Number(kNaN));
    }
    intensity_table.AddRow(std::move(row));
  }
  intensity.series = {cmp, anmr};
  intensity.bands = {cmp_band};
  effectiveness.series = {mei};
  effectiveness.bands = {mei_band};
  const std::vector<std::string> both_kinds =
      estimated_years.empty() ? std::vector<std::string>{"official"}
                              : std::vector<std::string>{"official", "estimated"};
  section.AddFigure(RenderLineChart(intensity, PolicyMarkers(data)),
                    document.Text("reg.intensity.caption", YearSpan(shown_years)), all_sources,
                    intensity_table.Render(EscapeHtml(document.Text("reg.intensity.table"))),
                    both_kinds);
  if (!estimated_years.empty()) {
    section.AddFigure(RenderLineChart(effectiveness, PolicyMarkers(data)),
                      document.Text("reg.mei.caption", YearSpan(estimated_years)), estimate_sources,
                      mei_table.Render(EscapeHtml(document.Text("reg.mei.table"))), {"estimated"});
  } else {
    section.Note(document.Text("reg.no_matrix"));
  }
  section.Note(document.Text("reg.nets_years", YearSpan(anmr_years)));

  // Gainers and losers.
  if (!ranked.empty()) {
    section.RawHtml(fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("h.gainers"))));
    AddGainersLosers(section, ranked, 5, {official_source}, period);
    section.Note(document.Text("reg.jump2024"));
  }

  // The largest corridors of the latest estimated year.
  if (!data.internal_od.empty()) {
    const app::StoredOd& od = *app::ReferenceOd(data);
    section.RawHtml(
        fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("h.corridors", od.year))));
    AddCorridorTable(section, data.corridors, 10, {document.Cite(od.provenance.ToString())},
                     std::to_string(od.year));
  }

  // Concentration.
  if (!estimated_years.empty()) {
    section.RawHtml(fmt::format(
        "<h3>{}</h3>\n", EscapeHtml(document.Text("h.concentration", YearSpan(estimated_years)))));
    Table table({document.Text("year"), document.Text("reg.gini"), document.Text("reg.gini.low"),
                 document.Text("reg.gini.high"), document.Text("reg.gini.uncorrected"), "ACV",
                 document.Text("reg.acv.low"), document.Text("reg.acv.high")});
    for (const app::SituationYear& year : years) {
      if (!year.estimated) continue;
      std::vector<Cell> row{Cell::Html(std::to_string(year.year))};
      for (Cell& cell : BandCells(year.od.gini_total_corrected, 3)) row.push_back(std::move(cell));
      row.push_back(Cell::Number(year.od.gini_total.value, 3, false, "e"));
      for (Cell& cell : BandCells(year.od.acv, 2)) row.push_back(std::move(cell));
      table.AddRow(std::move(row));
    }
    section.AddTable(table, document.Text("reg.focus.table", YearSpan(estimated_years)),
                     estimate_sources, document.Text("reg.focus.notes"), {"estimated"});
  }
}

}  // namespace kazmig::report

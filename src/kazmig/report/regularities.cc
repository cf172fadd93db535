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
  const std::vector<app::RankedNet> gainers = app::TopGainers(ranked, count);
  const std::vector<app::RankedNet> losers = app::TopLosers(ranked, count);
  auto list = [](const std::vector<app::RankedNet>& items) {
    std::string text;
    for (const app::RankedNet& item : items) {
      if (!text.empty()) text += ", ";
      text += item.name + " (" + FormatThousands(item.rate_per_1000, 1, true) + " per 1,000)";
    }
    return text.empty() ? std::string("none") : text;
  };
  section.Paragraph("Over " + period +
                    ", the regions gaining most people through migration "
                    "(relative to their population) were " +
                    list(gainers) + "; those losing most were " + list(losers) + ".");
  Table table({"Region", "Net migration, " + period, "Per 1,000 per year"});
  for (const app::RankedNet& item : gainers) {
    table.AddRow({Cell::Text(item.name), Cell::Number(item.net, 0, true),
                  Cell::Number(item.rate_per_1000, 1, true)});
  }
  for (auto it = losers.rbegin(); it != losers.rend(); ++it) {
    table.AddRow({Cell::Text(it->name), Cell::Number(it->net, 0, true),
                  Cell::Number(it->rate_per_1000, 1, true)});
  }
  section.AddTable(table, "Regions gaining and losing through migration, " + period, sources,
                   "Net migration: official arrivals minus departures summed over the period. "
                   "Rate: net per 1,000 average population per year.",
                   {"official"});
}

}  // namespace kazmig::report

namespace kazmig::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kOfficialSource =
    "BNS: inter-regional net migration and average population (built-in dataset indicators "
    "net_internal, population_avg)";
// The mark of an estimated number in running text, with its method in the tooltip.
constexpr const char* kEstimatedMark =
    "<sup class=\"mark\" title=\"estimated: gravity prior constrained to the official regional "
    "nets (model-based)\">e</sup>";

std::string Esc(const std::string& text) { return EscapeHtml(text); }

// "1.75<sup>e</sup> (range 1.25–2.25)"
std::string Estimated(const indicators::Band& band, int decimals) {
  return FormatThousands(band.value, decimals) + kEstimatedMark + " (range " +
         FormatThousands(band.low, decimals) + "\u2013" + FormatThousands(band.high, decimals) +
         ")";
}

std::vector<Cell> BandCells(const indicators::Band& band, int decimals) {
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
                                    const std::string& period) {
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
    html += fmt::format(
        "The official regional balances alone show how much these moves redistributed the "
        "population: the aggregate net migration rate (ANMR) was {} per 100 residents in {}",
        FormatThousands(latest_official->anmr, 2), latest_official->year);
    if (first_official != latest_official) {
      const char* change = latest_official->anmr > first_official->anmr   ? "up from"
                           : latest_official->anmr < first_official->anmr ? "down from"
                                                                          : "as";
      html += fmt::format(", {} {} in {}", change, FormatThousands(first_official->anmr, 2),
                          first_official->year);
    }
    html += " (official). ";
  }
  if (latest_estimated != nullptr) {
    const indicators::BandedIndicators& od = latest_estimated->od;
    const auto& a = latest_estimated->assumptions;
    html += fmt::format(
        "How many people moved between regions is not published: kazmig's model assumes "
        "{}–{} inter-regional movers a year, so the gross intensity (CMP, {} per 100 "
        "residents in {}) and the effectiveness (MEI, {}) are assumptions carried through the "
        "model, shown as ranges, not findings. ",
        FormatThousands(a.total_low), FormatThousands(a.total_high),
        FormatThousands(od.cmp.low, 2) + "\u2013" + FormatThousands(od.cmp.high, 2),
        latest_estimated->year,
        FormatThousands(od.mei.low, 1) + "\u2013" + FormatThousands(od.mei.high, 1));
  }
  const std::vector<app::RankedNet> gainers = app::TopGainers(ranked, 2);
  const std::vector<app::RankedNet> losers = app::TopLosers(ranked, 2);
  auto named = [](const std::vector<app::RankedNet>& items) {
    std::string names, rates;
    for (size_t idx = 0; idx < items.size(); ++idx) {
      const char* separator = idx == 0 ? "" : idx + 1 == items.size() ? " and " : ", ";
      names += separator + Esc(items[idx].name);
      rates += separator + FormatThousands(items[idx].rate_per_1000, 1, true);
    }
    return std::make_pair(names, rates);
  };
  if (!gainers.empty()) {
    const auto [names, rates] = named(gainers);
    html += fmt::format(
        "Relative to their population, {} gained the most people through moves over {} ({} per "
        "1,000 residents a year, official)",
        names, Esc(period), rates);
    if (!losers.empty()) {
      const auto [loser_names, loser_rates] = named(losers);
      html += fmt::format("; {} lost the most ({} per 1,000)", loser_names, loser_rates);
    }
    html += ". ";
  }
  if (latest_estimated != nullptr) {
    const indicators::BandedIndicators& od = latest_estimated->od;
    html += fmt::format(
        "{}: the corrected Gini index of all inter-regional flows was {} (0 = every corridor "
        "carries the same flow, 1 = all moves in one corridor) and the aggregated coefficient of "
        "variation (ACV) {}. ",
        od.gini_total_corrected.value >= 0.5
            ? "Moves are concentrated on a minority of the corridors between regions"
            : "Moves are spread over many of the corridors between regions",
        Estimated(od.gini_total_corrected, 3), Estimated(od.acv, 2));
    const auto& a = latest_estimated->assumptions;
    html += fmt::format(
        "Numbers marked e are model-based estimates, not statistics: kazmig's gravity prior "
        "(regional populations and distances, decay {}\u2013{}) scaled to an assumed {}\u2013{} "
        "inter-regional movers a year and constrained to the official regional nets; the ranges "
        "are the minimum and maximum over the {} runs of that grid. Because the gross total is "
        "assumed, the estimated CMP follows that assumption and its change between years is not "
        "evidence of a trend; MEI (= 100 \u00d7 ANMR / CMP) inherits it too. The ANMR and the "
        "regional rates are official.",
        FormatThousands(a.decay_low, 1), FormatThousands(a.decay_high, 1),
        FormatThousands(a.total_low), FormatThousands(a.total_high), od.runs);
  }
  return html;
}

void AddRegularitiesSection(const app::SituationInput& data, Document& document) {
  const std::vector<app::SituationYear>& years = data.years;
  const std::vector<app::RankedNet>& ranked = data.ranked;
  if (ranked.empty() && years.empty()) return;
  const std::string& period = data.period;

  Section& section = document.AddSection("regularities", document.Text("sec.regularities"));
  const int official_source = document.Cite(kOfficialSource);
  std::vector<int> estimate_sources;
  for (const app::StoredOd& od : data.internal_od) {
    estimate_sources.push_back(document.Cite(od.provenance.ToString()));
  }
  std::sort(estimate_sources.begin(), estimate_sources.end());
  estimate_sources.erase(std::unique(estimate_sources.begin(), estimate_sources.end()),
                         estimate_sources.end());
  std::vector<int> all_sources = estimate_sources;
  all_sources.insert(all_sources.begin(), official_source);

  const std::string summary = RegularitiesSummaryHtml(years, ranked, period);
  if (!summary.empty()) {
    section.RawHtml("<p class=\"plain-words\"><strong>What the numbers say.</strong> " + summary +
                    "</p>\n");
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
  section.Paragraph(
      "Intensity: CMP, the inter-regional movers per 100 residents (estimated from the modelled "
      "origin-destination matrix). Impact: ANMR, the net redistribution of population between "
      "regions per 100 residents, computed from the official regional nets. Effectiveness: MEI, "
      "the share of moves that is not offset by a move in the opposite direction (estimated). "
      "ANMR = CMP \u00d7 MEI / 100.");
  LineChart intensity;
  intensity.title =
      "Inter-regional migration intensity (CMP, estimated) and net impact (ANMR, "
      "official), per 100 residents";
  intensity.y_label = "per 100 residents";
  intensity.decimals = 2;
  intensity.breaks = {{2024, "2024: internal registration change"}};
  // The estimated CMP and MEI follow the assumed gross total: a range per year, no trend line.
  LineSeries cmp{"CMP (estimated, central)", "#2166ac", {}, false};
  LineSeries anmr{"ANMR (official)", "#1d2733", {}};
  LineBand cmp_band{"CMP: range over the assumptions", "#2166ac", {}, true};
  LineChart effectiveness;
  effectiveness.title = "Migration effectiveness index (MEI, estimated), per 100 moves";
  effectiveness.y_label = "MEI";
  effectiveness.decimals = 1;
  effectiveness.breaks = intensity.breaks;
  LineSeries mei{"MEI (estimated, central)", "#b2182b", {}, false};
  LineBand mei_band{"MEI: range over the assumptions", "#b2182b", {}, true};
  Table intensity_table({"Year", "ANMR (official)", "CMP", "CMP low", "CMP high",
                         "Inter-regional movers", "Movers low", "Movers high"});
  Table mei_table({"Year", "MEI", "MEI low", "MEI high"});
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
  section.AddFigure(
      RenderLineChart(intensity, PolicyMarkers(data)),
      fmt::format("Net impact of inter-regional migration (ANMR, official, line) and the model's "
                  "intensity (CMP, estimated: a bar per year spanning the range over the assumed "
                  "gross totals and distance decays, no trend line, because the gross total is "
                  "assumed, not observed), {}. The dashed line marks the 2024 change in the "
                  "registration of internal moves.",
                  YearSpan(shown_years)),
      all_sources,
      intensity_table.Render("Data: intensity and net impact per 100 residents (e = estimated)"),
      both_kinds);
  if (!estimated_years.empty()) {
    section.AddFigure(
        RenderLineChart(effectiveness, PolicyMarkers(data)),
        fmt::format("Migration effectiveness index (MEI) of the estimated inter-regional matrix, "
                    "{}: a bar per year spanning the range over the assumptions. MEI = 100 "
                    "\u00d7 ANMR / CMP inherits the assumed gross total, so its change between "
                    "years is not evidence of a trend.",
                    YearSpan(estimated_years)),
        estimate_sources, mei_table.Render("Data: MEI per 100 moves (e = estimated)"),
        {"estimated"});
  } else {
    section.Note(
        "No estimated inter-regional matrix is available: CMP, MEI, the corridors and the "
        "concentration indicators cannot be shown (only the official ANMR).");
  }
  section.Note(
      "The built-in data have inter-regional nets for " + YearSpan(anmr_years) +
      " only; the longer all-flows balance (net_all, BNS table 6567) covers 2023\u20132024 and "
      "includes international migration, so it is not used for these inter-regional indicators.");

  // Gainers and losers.
  if (!ranked.empty()) {
    section.RawHtml(fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("h.gainers"))));
    AddGainersLosers(section, ranked, 5, {official_source}, period);
    section.Note(
        "Registered internal moves jump by about 48% in 2024 because of a change in registration; "
        "the nets are less affected than arrivals and departures, but compare years with care.");
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
    Table table({"Year", "Gini (corrected)", "Gini low", "Gini high", "Gini (uncorrected)", "ACV",
                 "ACV low", "ACV high"});
    for (const app::SituationYear& year : years) {
      if (!year.estimated) continue;
      std::vector<Cell> row{Cell::Html(std::to_string(year.year))};
      for (Cell& cell : BandCells(year.od.gini_total_corrected, 3)) row.push_back(std::move(cell));
      row.push_back(Cell::Number(year.od.gini_total.value, 3, false, "e"));
      for (Cell& cell : BandCells(year.od.acv, 2)) row.push_back(std::move(cell));
      table.AddRow(std::move(row));
    }
    section.AddTable(
        table,
        fmt::format("Spatial focusing of inter-regional migration, {}", YearSpan(estimated_years)),
        estimate_sources,
        "Gini: total Gini index of all off-diagonal flows, corrected (Bell et al. 2002) and "
        "uncorrected (Plane & Mulligan 1997); 0 = all corridors equal, 1 = all moves in one "
        "corridor. ACV: aggregated coefficient of variation of the in- and out-flow fields "
        "(migration.indices convention). e = estimated from the model-based matrix; low and "
        "high: minimum and maximum over the sensitivity runs.",
        {"estimated"});
  }
}

}  // namespace kazmig::report

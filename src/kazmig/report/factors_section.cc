#include "kazmig/report/factors_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/report/chart.h"
#include "kazmig/report/choropleth.h"

namespace kazmig::report {
namespace {

constexpr const char* kFont = "font-family=\"Source Sans Pro, Noto Sans, Arial, sans-serif\"";

// City labels moved aside, as on the report's other maps.
struct LabelOffset {
  const char* id;
  double dx;
  double dy;
};
constexpr LabelOffset kCityLabels[] = {{"71", 26, -16}, {"75", -30, 18}, {"79", -30, 14}};

std::string ModelName(const app::FactorModel& model) {
  if (model.spec == "regional") return "Regional balance";
  if (model.spec == "gross-arrivals") return "Internal arrivals";
  if (model.spec == "gross-departures") return "Internal departures";
  if (model.spec == "international-network") return "Migrant networks";
  if (model.spec == "cis-arrivals") return "Arrivals from CIS";
  if (model.spec == "cis-departures") return "Departures to CIS";
  return model.spec;
}

std::string ShortFactor(const app::FactorEstimate& f) {
  if (f.factor == "log_rel_income") return "Relative income " + f.change;
  if (f.factor == "unemployment") return "Unemployment " + f.change;
  if (f.factor == "housing_per_1000") return "Housing " + f.change;
  if (f.factor == "log_grp_per_capita") return "GRP per capita " + f.change;
  if (f.factor == "log_stock") return "Diaspora " + f.change;
  return f.change.empty() ? f.factor : f.change;
}

}  // namespace

std::string RenderCoefficientPlot(const CoefficientPlot& plot) {
  const double row_h = 22, top = 30, bottom = 12, label_w = 260, value_w = 150;
  const double height =
      top + row_h * static_cast<double>(std::max<size_t>(plot.rows.size(), 1)) + bottom;
  const double plot_left = label_w, plot_w = plot.width - label_w - value_w;
  double low = 0.0, high = 0.0;
  for (const CoefficientRow& row : plot.rows) {
    for (double v : {row.value, row.low, row.high}) {
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" {}>"
      "<title>{}</title><desc>Estimated effects with 95% intervals</desc>",
      plot.width, SvgNumber(height), kFont, EscapeHtml(plot.title));
  if (plot.rows.empty()) {
    return svg +
           fmt::format(
               "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#5b6673\">no data</text></svg>",
               plot_left, top + 14);
  }
  const std::vector<double> ticks = NiceTicks(low, high, 5);
  const double x_low = ticks.front(), x_high = ticks.back();
  auto x_of = [&](double value) { return plot_left + (value - x_low) / (x_high - x_low) * plot_w; };
  for (double tick : ticks) {
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"/>"
        "<text x=\"{0}\" y=\"{4}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6673\">{5}"
        "</text>",
        SvgNumber(x_of(tick)), top - 4, SvgNumber(height - bottom),
        tick == 0.0 ? "#1d2733" : "#e1e6ea", top - 8,
        FormatThousands(tick, plot.decimals > 0 ? 1 : 0));
  }
  if (!plot.value_label.empty()) {
    svg += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"10\" fill=\"#5b6673\">{}</text>",
                       top - 8, EscapeHtml(plot.value_label));
  }
  double y = top;
  for (const CoefficientRow& row : plot.rows) {
    const double cy = y + row_h / 2;
    const bool finite =
        std::isfinite(row.value) && std::isfinite(row.low) && std::isfinite(row.high);
    const bool clear = finite && (row.low > 0 || row.high < 0);
    const std::string value_text =
        finite ? fmt::format("{}e ({} to {})", FormatThousands(row.value, plot.decimals, true),
                             FormatThousands(row.low, plot.decimals, true),
                             FormatThousands(row.high, plot.decimals, true))
               : "not identified";
    svg += fmt::format(
        "<g class=\"coef\"><title>{0}: {1} (estimated; 95% interval)</title>"
        "<text x=\"{2}\" y=\"{3}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d2733\">{0}"
        "</text>",
        EscapeHtml(row.label), EscapeHtml(value_text), plot_left - 8, SvgNumber(cy + 4));
    if (finite) {
      const std::string color = row.value < 0 ? "#c0504d" : "#2f6fa6";
      svg += fmt::format(
          "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>"
          "<circle cx=\"{4}\" cy=\"{2}\" r=\"4.5\" fill=\"{5}\" stroke=\"{3}\" "
          "stroke-width=\"1.5\"/>",
          SvgNumber(x_of(row.low)), SvgNumber(x_of(row.high)), SvgNumber(cy), color,
          SvgNumber(x_of(row.value)), clear ? color : "#ffffff");
    }
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#1d2733\">{}</text>"
        "</g>",
        plot.width - 4, SvgNumber(cy + 4), EscapeHtml(value_text));
    y += row_h;
  }
  svg += "</svg>";
  return svg;
}

void AddFactorsSections(const app::SituationInput& data, Document& document) {
  if (!data.factor_models.empty()) {
    Section& section = document.AddSection("factors", document.Text("sec.factors"));
    section.Paragraph(
        "What goes with more or less migration, estimated from official statistics with fixed "
        "effects: each region compared with itself over time, each year with itself across "
        "regions. Every number in this section is an estimate (e), with its 95% interval; the "
        "factors are associations, not proven causes.");
    section.Note(
        "The inter-regional origin-destination matrix of the built-in data is itself modelled "
        "from distance and population, so no gravity model is fitted to it.");
    // One plot per scale: per 1,000 (regional), % (gross and networks), % (CIS year effects).
    CoefficientPlot per_thousand, percent, years;
    per_thousand.title = "Regional balance: effect per 1,000 residents a year";
    per_thousand.value_label = "change in the migration balance per 1,000 residents a year";
    percent.title = "Gross internal flows and migrant networks: effect, %";
    percent.value_label = "% change in the flow";
    percent.decimals = 1;
    years.title = "CIS partners: each year compared with the first, %";
    years.value_label = "% difference from the first year";
    years.decimals = 1;
    Table table(
        {"Model", "Factor", "Change", "Effect", "95% interval", "Observations", "In plain words"});
    std::vector<int> sources;
    for (const app::FactorModel& model : data.factor_models) {
      const int source = document.Cite(model.provenance.ToString());
      if (std::find(sources.begin(), sources.end(), source) == sources.end())
        sources.push_back(source);
      for (const app::FactorEstimate& f : model.factors) {
        CoefficientRow row{fmt::format("{}: {}", ModelName(model), ShortFactor(f)), f.effect,
                           f.effect_low, f.effect_high};
        if (model.spec == "regional")
          per_thousand.rows.push_back(row);
        else if (model.spec == "cis-arrivals" || model.spec == "cis-departures")
          years.rows.push_back(row);
        else
          percent.rows.push_back(row);
        const bool pct = f.effect_unit == "%";
        const int decimals = pct ? 1 : 2;
        table.AddRow(
            {Cell::Text(ModelName(model)), Cell::Text(f.label), Cell::Text(f.change),
             Cell::Number(f.effect, decimals, true, "e"),
             Cell::Text(fmt::format("{} to {}{}", FormatThousands(f.effect_low, decimals, true),
                                    FormatThousands(f.effect_high, decimals, true),
                                    pct ? " %" : " per 1,000")),
             Cell::Number(static_cast<double>(model.n_obs)), Cell::Text(f.statement)});
      }
    }
    std::sort(sources.begin(), sources.end());
    for (const CoefficientPlot* plot : {&per_thousand, &percent, &years}) {
      if (plot->rows.empty()) continue;
      section.AddFigure(RenderCoefficientPlot(*plot),
                        plot->title +
                            ": estimates (dots) and 95% intervals (lines); a hollow dot: "
                            "the interval includes zero. Data: the table below.",
                        sources, {}, {"estimated"}, document.UpcomingTable());
    }
    section.AddTable(table, "Factors of migration in plain words", sources,
                     "e: estimated (fixed-effects regression on official statistics; the "
                     "specification is in the source). Effects are for the change shown, other "
                     "things equal.",
                     {"estimated"});
    // Kazakhstan's corridors in the network model, the last period: estimate beside fitted value.
    if (!data.factor_corridors.empty()) {
      const std::string latest = data.factor_corridors.back().period;
      Table corridors({"Partner", "To Kazakhstan", "Network model", "From Kazakhstan",
                       "Network model", "Partner-born in Kazakhstan", "Kazakhstan-born there"});
      for (const app::CorridorFit& c : data.factor_corridors) {
        if (c.period != latest) continue;
        auto estimated = [](double value) {
          return Cell::Number(value, 0, false, std::isfinite(value) ? "e" : "");
        };
        // The source writes the apostrophe as a backtick ("People`s"): shown as an apostrophe.
        std::string name = c.name;
        for (size_t at = name.find('`'); at != std::string::npos; at = name.find('`', at)) {
          name.replace(at, 1, "\u2019");
        }
        corridors.AddRow({Cell::Text(name), estimated(c.to_kaz), estimated(c.to_kaz_model),
                          estimated(c.from_kaz), estimated(c.from_kaz_model),
                          Cell::Number(c.stock_in_kaz), Cell::Number(c.stock_from_kaz)});
      }
      std::vector<int> corridor_sources = sources;
      corridor_sources.push_back(document.Cite(
          "Abel, G. J. and Cohen, J. E. (2019), bilateral flow estimates (da_pb_closed), "
          "Scientific Data 6:82; UN DESA International Migrant Stock 2020"));
      std::sort(corridor_sources.begin(), corridor_sources.end());
      section.AddTable(corridors,
                       fmt::format("Kazakhstan's largest corridors {}: Abel & Cohen's estimated "
                                   "flows and the migrant-network model's fitted values",
                                   latest),
                       corridor_sources,
                       "e: estimated. The flows are Abel & Cohen's estimates (not official "
                       "statistics); the model's values are its fit with origin × period, "
                       "destination × period and pair effects and the diaspora at the period "
                       "start (UN DESA stocks).",
                       {"estimated"});
    }
    for (const app::FactorModel& model : data.factor_models) {
      std::string text = fmt::format(
          "{}: {}; {}; fixed effects {}; standard errors {}; {} observations ({}); units {}.",
          ModelName(model), model.outcome, model.method, model.fixed_effects, model.std_errors,
          model.n_obs, model.years, model.units);
      for (const std::string& s : model.not_identified) text += " Cannot identify: " + s + ".";
      for (const std::string& s : model.notes) text += " Note: " + s + ".";
      section.Note(text);
    }
  }
  const app::PotentialResult& potential = data.potential;
  if (potential.regions.empty() || data.system == nullptr) return;
  Section& section = document.AddSection("potential", document.Text("sec.potential"));
  section.Paragraph(fmt::format(
      "One scenario, predicted from the regional factor model without refitting: {}. The map "
      "shows the predicted change of each region's migration balance per 1,000 residents a year "
      "(estimated, e), the table the same with 95% intervals from the coefficient covariance "
      "(delta method) and in persons.",
      potential.scenario_name));
  Choropleth map;
  map.title = "Predicted change of the migration balance per 1,000 residents a year";
  map.features = &data.boundaries;
  map.legend_title = "Change in net migration per 1,000 a year (estimated)";
  map.decimals = 2;
  const RegionSystem& system = *data.system;
  Table table({"Region", "Change in factors", "Net per 1,000", "95% interval", "Net, persons",
               "95% interval"});
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const Region& region = system[region_idx];
    MapRegion map_region;
    map_region.label = region.name_en;
    map_region.label_lon = region.longitude;
    map_region.label_lat = region.latitude;
    for (const LabelOffset& offset : kCityLabels) {
      if (region.id == offset.id) {
        map_region.dot = true;
        map_region.label_dx = offset.dx;
        map_region.label_dy = offset.dy;
      }
    }
    for (const app::RegionPotential& r : potential.regions) {
      if (r.region != region.id) continue;
      map_region.value = r.net_rate.value;
      map_region.tooltip = fmt::format(
          "estimated: {} per 1,000 ({} to {})", FormatThousands(r.net_rate.value, 2, true),
          FormatThousands(r.net_rate.low, 2, true), FormatThousands(r.net_rate.high, 2, true));
    }
    if (map.features != nullptr && map.features->size() == system.size())
      map.regions.push_back(std::move(map_region));
  }
  for (const app::RegionPotential& r : potential.regions) {
    table.AddRow({Cell::Text(r.name), Cell::Text(r.changes.empty() ? "–" : r.changes),
                  Cell::Number(r.net_rate.value, 2, true, "e"),
                  Cell::Text(fmt::format("{} to {}", FormatThousands(r.net_rate.low, 2, true),
                                         FormatThousands(r.net_rate.high, 2, true))),
                  Cell::Number(r.net.value, 0, true, "e"),
                  Cell::Text(fmt::format("{} to {}", FormatThousands(r.net.low, 0, true),
                                         FormatThousands(r.net.high, 0, true)))});
  }
  const std::vector<int> sources = {document.Cite(potential.provenance)};
  if (map.regions.size() == system.size() && !data.boundaries.empty()) {
    section.AddFigure(RenderChoropleth(map),
                      "Predicted change of the migration balance per 1,000 residents a year under "
                      "the scenario, by region (2022 borders; estimated). Data: the table below.",
                      sources, {}, {"estimated"}, document.UpcomingTable());
  }
  section.AddTable(table, "Predicted change of the migration balance under the scenario", sources,
                   "e: estimated (counterfactual prediction from the regional factor model; 95% "
                   "intervals by the delta method). Changes need not sum to zero: the model has "
                   "no national constraint.",
                   {"estimated"});
  for (const std::string& note : potential.notes) section.Note(note);
}

}  // namespace kazmig::report

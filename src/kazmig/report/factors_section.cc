#include "kazmig/report/factors_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/app/potential.h"
#include "kazmig/report/chart.h"
#include "kazmig/report/choropleth.h"
#include "kazmig/report/flows_section.h"

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

constexpr const char* kSpecs[] = {"regional",         "gross-arrivals",
                                  "gross-departures", "international-network",
                                  "cis-arrivals",     "cis-departures"};
constexpr const char* kFactors[] = {"log_rel_income", "unemployment", "housing_per_1000",
                                    "log_grp_per_capita", "log_stock"};

bool Known(const char* const* begin, const char* const* end, const std::string& name) {
  return std::find_if(begin, end, [&](const char* item) { return name == item; }) != end;
}
bool KnownSpec(const std::string& spec) {
  return Known(std::begin(kSpecs), std::end(kSpecs), spec);
}
bool KnownFactor(const std::string& factor) {
  return Known(std::begin(kFactors), std::end(kFactors), factor);
}

std::string ModelName(const app::FactorModel& model, Lang lang) {
  return KnownSpec(model.spec) ? std::string(Msg(lang, "factors.model." + model.spec)) : model.spec;
}

// "2017 (vs 2016)" of a CIS year effect (factor "year_2017", change "2017 vs 2016").
std::string YearVs(const app::FactorEstimate& f, Lang lang) {
  const size_t vs = f.change.find(" vs ");
  const std::string year = f.factor.substr(5);
  return vs == std::string::npos ? year
                                 : Tr(lang, "factors.year_vs", year, f.change.substr(vs + 4));
}

// The change a factor's effect is stated for ("+10%", "+1 point", ...), in `lang`.
std::string ChangeText(const app::FactorEstimate& f, Lang lang) {
  if (lang != Lang::kEn && f.factor.rfind("year_", 0) == 0) return YearVs(f, lang);
  if (lang == Lang::kEn || !KnownFactor(f.factor)) return f.change;
  return Tr(lang, "factors.change." + f.factor);
}

// The factor's label ("unemployment rate, % (year before)"), in `lang`.
std::string FactorLabel(const app::FactorEstimate& f, Lang lang) {
  if (lang == Lang::kEn) return f.label;
  if (KnownFactor(f.factor)) return Tr(lang, "factors.label." + f.factor);
  if (f.factor.rfind("year_", 0) == 0) return Tr(lang, "factors.label.year", YearVs(f, lang));
  return f.label;
}

std::string ShortFactor(const app::FactorEstimate& f, Lang lang) {
  if (KnownFactor(f.factor)) {
    return Tr(lang, "factors.short." + f.factor) + " " + ChangeText(f, lang);
  }
  if (lang != Lang::kEn && f.factor.rfind("year_", 0) == 0) return YearVs(f, lang);
  return f.change.empty() ? f.factor : f.change;
}

std::string Num(double value, int decimals) {
  if (!std::isfinite(value)) return "\u2013";
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text == fmt::format("-{:.{}f}", 0.0, decimals)) text = text.substr(1);
  return text;
}

std::string Signed(double value, int decimals) {
  const std::string text = Num(value, decimals);
  return value > 0 && text != Num(0.0, decimals) ? "+" + text : text;
}

// The plain-words sentence of an estimate: the use case's (English) one, or the same statement
// written from the estimate's fields in `lang` (the wording of app/factors.cc PlainWords).
std::string Statement(const app::FactorEstimate& f, const std::string& spec, Lang lang) {
  if (lang == Lang::kEn || !KnownSpec(spec)) return f.statement;
  if (!std::isfinite(f.coefficient))
    return Tr(lang, "factors.pw.not_identified", FactorLabel(f, lang));
  const bool cis = spec == "cis-arrivals" || spec == "cis-departures";
  if (!cis && !KnownFactor(f.factor)) return f.statement;
  const bool percent = spec != "regional";
  const int decimals = percent ? 1 : 2;
  const std::string unit = percent ? "%" : "";
  const std::string subject = cis ? Tr(lang, "factors.pw.subject." + spec, f.factor.substr(5),
                                       f.change.find(" vs ") == std::string::npos
                                           ? std::string()
                                           : f.change.substr(f.change.find(" vs ") + 4))
                                  : Tr(lang, "factors.pw.subject." + f.factor);
  const std::string held =
      Tr(lang, "factors.pw.held." + std::string(cis                               ? "cis"
                                                : spec == "international-network" ? "network"
                                                                                  : "other"));
  const bool clear = f.effect_low > 0 || f.effect_high < 0;
  const bool up = f.effect > 0;
  const std::string noun = Tr(lang, "factors.pw.noun." + spec);
  const std::string direction = Tr(lang, std::string("factors.pw.") + (up ? "higher" : "lower") +
                                             (spec == "regional" ? "" : ".count"));
  if (clear) {
    const double lo = up ? f.effect_low : -f.effect_high, hi = up ? f.effect_high : -f.effect_low;
    return Tr(lang, "factors.pw.clear", subject, noun, Num(std::abs(f.effect), decimals) + unit,
              Num(lo, decimals) + "\u2013" + Num(hi, decimals) + unit, direction, held);
  }
  return Tr(lang, "factors.pw.unclear", subject, noun, Num(std::abs(f.effect), decimals) + unit,
            direction, Signed(f.effect_low, decimals) + unit,
            Signed(f.effect_high, decimals) + unit, held);
}

// A scenario's changes ("income +20%; unemployment -2 points", app/potential.cc) in `lang`: its
// factor and unit words from the catalogue.
std::string ChangesText(const std::string& changes, Lang lang) {
  if (lang == Lang::kEn) return changes;
  std::string out;
  std::string word;
  auto flush = [&] {
    for (const char* known :
         {"income", "unemployment", "housing", "grp", "points", "m2_per_1000"}) {
      if (word == known) {
        word = Msg(lang, std::string("potential.word.") + known);
        break;
      }
    }
    out += word;
    word.clear();
  };
  for (char c : changes) {
    if (c == ' ' || c == ';') {
      flush();
      out += c;
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

// A note of the model (FactorModel::note_data) in `lang` (not English: the use case's notes are).
std::string ModelNoteText(const app::FactorModel::Note& note, Lang lang) {
  const std::string id = "factors.note." + note.code;
  const auto number = [&](size_t idx) {
    return idx < note.numbers.size() ? note.numbers[idx] : std::nan("");
  };
  if (note.code == "residual_balances") {
    return Tr(lang, id, FormatThousands(number(0)), FormatThousands(number(1)));
  }
  if (note.code == "gross_registration") {
    return Tr(lang, id,
              Msg(lang, number(0) > 0 ? "factors.note.gross_registration.fitted"
                                      : "factors.note.gross_registration.out"));
  }
  if (note.code == "left_out") {
    std::string parts;
    for (size_t idx = 0; idx < note.labels.size(); ++idx) {
      parts += fmt::format("{}{} ({})", parts.empty() ? "" : "; ",
                           MsgOr(lang, "factors.left_out." + note.labels[idx], note.labels[idx]),
                           FormatThousands(number(idx)));
    }
    return Tr(lang, id, parts);
  }
  if (note.code == "flows_without_stock") {
    return Tr(lang, id, FormatThousands(number(0)), FormatThousands(number(1)));
  }
  return MsgOr(lang, id, note.code);
}

// The model's specification in `lang`: the use case's own note in English; elsewhere the
// catalogue's description of the specification and its notes (phrased from the notes' data).
std::string SpecificationNoteHtml(const app::FactorModel& model, Lang lang) {
  if (lang == Lang::kEn || !KnownSpec(model.spec)) {
    std::string text = fmt::format(
        "{}: {}; {}; fixed effects {}; standard errors {}; {} observations ({}); units {}.",
        ModelName(model, Lang::kEn), model.outcome, model.method, model.fixed_effects,
        model.std_errors, model.n_obs, model.years, model.units);
    for (const std::string& s : model.not_identified) text += " Cannot identify: " + s + ".";
    for (const std::string& s : model.notes) text += " Note: " + s + ".";
    return EscapeHtml(text);
  }
  std::string html = EscapeHtml(
      Tr(lang, "factors.spec." + model.spec, ModelName(model, lang), model.n_obs, model.years));
  if (!model.notes.empty() && model.note_data.size() == model.notes.size()) {
    std::string notes;
    for (const app::FactorModel::Note& note : model.note_data) {
      notes += (notes.empty() ? "" : "; ") + ModelNoteText(note, lang);
    }
    html += " " + EscapeHtml(std::string(Msg(lang, "factors.spec.notes")) + " " + notes + ".");
  } else if (!model.notes.empty()) {
    std::string notes;
    for (const std::string& s : model.notes) notes += (notes.empty() ? "" : "; ") + s;
    html += " " + EscapeHtml(Msg(lang, "factors.spec.notes_en")) + " <span lang=\"en\">" +
            EscapeHtml(notes) + ".</span>";
  }
  return html;
}

}  // namespace

std::string RenderCoefficientPlot(const CoefficientPlot& plot) {
  const double row_h = 22, top = 30, bottom = 12, value_w = 150;
  // Room for the longest label (about 6 px a character at 11 px; Russian labels are longer),
  // at least 260 px and at most half the width.
  size_t longest = 0;
  for (const CoefficientRow& row : plot.rows) {
    size_t characters = 0;
    for (unsigned char c : row.label) characters += (c & 0xC0) != 0x80;
    longest = std::max(longest, characters);
  }
  const double label_w =
      std::clamp(6.0 * static_cast<double>(longest) + 16.0, 260.0, plot.width / 2.0);
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
      "<title>{}</title><desc>{}</desc>",
      plot.width, SvgNumber(height), kFont, EscapeHtml(plot.title),
      EscapeHtml(Msg(plot.lang, "factors.plot.desc")));
  if (plot.rows.empty()) {
    return svg +
           fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#5b6673\">{}</text></svg>",
                       plot_left, top + 14, EscapeHtml(Msg(plot.lang, "no_data")));
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
        finite
            ? Tr(plot.lang, "factors.plot.value", FormatThousands(row.value, plot.decimals, true),
                 FormatThousands(row.low, plot.decimals, true),
                 FormatThousands(row.high, plot.decimals, true))
            : std::string(Msg(plot.lang, "factors.plot.not_identified"));
    svg += fmt::format(
        "<g class=\"coef\"><title>{0}: {1} ({4})</title>"
        "<text x=\"{2}\" y=\"{3}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d2733\">{0}"
        "</text>",
        EscapeHtml(row.label), EscapeHtml(value_text), plot_left - 8, SvgNumber(cy + 4),
        EscapeHtml(Msg(plot.lang, "factors.plot.tooltip")));
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
    const Lang lang = document.lang();
    section.Paragraph(document.Text("factors.intro"));
    section.Note(document.Text("factors.no_gravity"));
    // One plot per scale: per 1,000 (regional), % (gross and networks), % (CIS year effects).
    CoefficientPlot per_thousand, percent, years;
    per_thousand.lang = percent.lang = years.lang = lang;
    per_thousand.title = document.Text("factors.plot.regional");
    per_thousand.value_label = document.Text("factors.plot.regional.unit");
    percent.title = document.Text("factors.plot.gross");
    percent.value_label = document.Text("factors.plot.gross.unit");
    percent.decimals = 1;
    years.title = document.Text("factors.plot.cis");
    years.value_label = document.Text("factors.plot.cis.unit");
    years.decimals = 1;
    Table table({document.Text("factors.col.model"), document.Text("factors.col.factor"),
                 document.Text("factors.col.change"), document.Text("factors.col.effect"),
                 document.Text("factors.col.interval"), document.Text("factors.col.n"),
                 document.Text("factors.col.plain")});
    std::vector<int> sources;
    for (const app::FactorModel& model : data.factor_models) {
      const int source = document.Cite(model.provenance.ToString());
      if (std::find(sources.begin(), sources.end(), source) == sources.end())
        sources.push_back(source);
      for (const app::FactorEstimate& f : model.factors) {
        CoefficientRow row{fmt::format("{}: {}", ModelName(model, lang), ShortFactor(f, lang)),
                           f.effect, f.effect_low, f.effect_high};
        if (model.spec == "regional")
          per_thousand.rows.push_back(row);
        else if (model.spec == "cis-arrivals" || model.spec == "cis-departures")
          years.rows.push_back(row);
        else
          percent.rows.push_back(row);
        const bool pct = f.effect_unit == "%";
        const int decimals = pct ? 1 : 2;
        table.AddRow(
            {Cell::Text(ModelName(model, lang)), Cell::Text(FactorLabel(f, lang)),
             Cell::Text(ChangeText(f, lang)), Cell::Number(f.effect, decimals, true, "e"),
             Cell::Text(document.Text(pct ? "factors.interval.pct" : "factors.interval.rate",
                                      FormatThousands(f.effect_low, decimals, true),
                                      FormatThousands(f.effect_high, decimals, true))),
             Cell::Number(static_cast<double>(model.n_obs)),
             Cell::Text(Statement(f, model.spec, lang))});
      }
    }
    std::sort(sources.begin(), sources.end());
    for (const CoefficientPlot* plot : {&per_thousand, &percent, &years}) {
      if (plot->rows.empty()) continue;
      section.AddFigure(RenderCoefficientPlot(*plot),
                        document.Text("factors.plot.caption", plot->title), sources, {},
                        {"estimated"}, document.UpcomingTable());
    }
    section.AddTable(table, document.Text("factors.table"), sources,
                     document.Text("factors.table.notes"), {"estimated"});
    // Kazakhstan's corridors in the network model, the last period: estimate beside fitted value.
    if (!data.factor_corridors.empty()) {
      const std::string latest = data.factor_corridors.back().period;
      Table corridors({document.Text("abel.col.partner"), document.Text("factors.net.to"),
                       document.Text("factors.net.model"), document.Text("factors.net.from"),
                       document.Text("factors.net.model"), document.Text("factors.net.stock_in"),
                       document.Text("factors.net.stock_out")});
      for (const app::CorridorFit& c : data.factor_corridors) {
        if (c.period != latest) continue;
        auto estimated = [](double value) {
          return Cell::Estimate(value, false, std::isfinite(value) ? "e" : "");
        };
        const std::string name = lang == Lang::kEn ? CountryDisplayName(c.name)
                                                   : LocalCountryName(data, c.partner, lang);
        corridors.AddRow({Cell::Text(name), estimated(c.to_kaz), estimated(c.to_kaz_model),
                          estimated(c.from_kaz), estimated(c.from_kaz_model),
                          Cell::Number(c.stock_in_kaz), Cell::Number(c.stock_from_kaz)});
      }
      std::vector<int> corridor_sources = sources;
      corridor_sources.push_back(document.Cite(document.Text("factors.source.abel")));
      std::sort(corridor_sources.begin(), corridor_sources.end());
      section.AddTable(corridors, document.Text("factors.net.table", latest), corridor_sources,
                       document.Text("factors.net.notes"), {"estimated"});
    }
    for (const app::FactorModel& model : data.factor_models) {
      section.RawHtml("<p class=\"note\">" + SpecificationNoteHtml(model, lang) + "</p>\n");
    }
  }
  const app::PotentialResult& potential = data.potential;
  if (potential.regions.empty() || data.system == nullptr) return;
  Section& section = document.AddSection("potential", document.Text("sec.potential"));
  const Lang lang = document.lang();
  const bool default_scenario = potential.scenario_name == app::DefaultScenario().name;
  section.Paragraph(
      document.Text("potential.intro", default_scenario && lang != Lang::kEn
                                           ? document.Text("potential.default_scenario")
                                           : potential.scenario_name));
  Choropleth map;
  map.lang = lang;
  map.title = document.Text("potential.map");
  map.features = &data.boundaries;
  map.legend_title = document.Text("potential.legend");
  map.decimals = 2;
  const RegionSystem& system = *data.system;
  Table table({document.Text("col.region"), document.Text("potential.col.changes"),
               document.Text("potential.col.rate"), document.Text("factors.col.interval"),
               document.Text("potential.col.persons"), document.Text("factors.col.interval")});
  for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
    const Region& region = system[region_idx];
    MapRegion map_region;
    map_region.label = RegionName(region, lang);
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
      map_region.tooltip = document.Text(
          "potential.tooltip", FormatThousands(r.net_rate.value, 2, true),
          FormatThousands(r.net_rate.low, 2, true), FormatThousands(r.net_rate.high, 2, true));
    }
    if (map.features != nullptr && map.features->size() == system.size())
      map.regions.push_back(std::move(map_region));
  }
  for (const app::RegionPotential& r : potential.regions) {
    const std::string name = r.region == "KZ"
                                 ? (lang == Lang::kEn ? r.name : document.Text("potential.kz"))
                                 : LocalRegionName(r.name, lang);
    table.AddRow({Cell::Text(name),
                  Cell::Text(r.changes.empty() ? "–" : ChangesText(r.changes, lang)),
                  Cell::Number(r.net_rate.value, 2, true, "e"),
                  Cell::Text(document.Text("range.to", FormatThousands(r.net_rate.low, 2, true),
                                           FormatThousands(r.net_rate.high, 2, true))),
                  Cell::Estimate(r.net.value, true, "e"),
                  Cell::Text(document.Text("range.to", FormatEstimate(r.net.low, true),
                                           FormatEstimate(r.net.high, true)))});
  }
  const std::vector<int> sources = {document.Cite(potential.provenance)};
  if (map.regions.size() == system.size() && !data.boundaries.empty()) {
    section.AddFigure(RenderChoropleth(map), document.Text("potential.caption"), sources, {},
                      {"estimated"}, document.UpcomingTable());
  }
  section.AddTable(table, document.Text("potential.table"), sources,
                   document.Text("potential.notes"), {"estimated"});
  if (lang == Lang::kEn) {
    for (const std::string& note : potential.notes) section.Note(note);
  } else {
    // The use case's notes, written from its base years.
    section.Note(document.Text("potential.note.units", potential.base_year, potential.income_year,
                               potential.housing_year));
    section.Note(document.Text("potential.note.sum"));
    if (potential.notes.size() >= 3) {
      section.Note(document.Text("potential.note.flows", potential.flow_year));
    }
  }
}

}  // namespace kazmig::report

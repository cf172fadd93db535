#include "kazmig/report/policy_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "kazmig/core/crosswalk.h"
#include "kazmig/core/region.h"

namespace kazmig::report {
namespace {

std::string PValue(double p) {
  if (!std::isfinite(p)) return "—";
  return p < 0.001 ? "<0.001" : fmt::format("{:.3f}", p);
}

std::string MethodTitle(const std::string& method, Lang lang = Lang::kEn) {
  return MsgOr(lang, "policy.method." + method, method);
}

// Text from the register, the scenario files or the use case (titles, descriptions, messages):
// English; in another language quoted as such (lang="en").
std::string Quoted(const std::string& text, Lang lang) { return DataText(text, "", lang); }

// A register title: in Russian (and Kazakh) from the catalogue while the catalogue's English text
// is the register's title (an edited or user register is quoted in English instead).
std::string LocalMeasureTitle(const app::PolicyMeasureSummary& m, Lang lang) {
  const std::string id = "measure.title." + m.id;
  const bool known = HasMessage(id) && Msg(Lang::kEn, id) == m.title;
  return known ? std::string(Msg(lang, id)) : std::string();
}
std::string MeasureTitle(const app::PolicyMeasureSummary& m, Lang lang) {
  return DataText(m.title, LocalMeasureTitle(m, lang), lang);
}
Cell QuotedCell(const std::string& text, Lang lang) { return Cell::Html(Quoted(text, lang)); }

// A word of the data (a kind, a flow, a group, a unit) in `lang`, itself when unknown.
std::string Word(Lang lang, const std::string& kind, const std::string& word) {
  return lang == Lang::kEn ? word : MsgOr(lang, "policy." + kind + "." + word, word);
}

}  // namespace

std::string PolicyFigure(double value) {
  const double magnitude = std::fabs(value);
  return FormatThousands(value, magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : 2));
}

namespace {

// The Russian noun form after the count `n`: 1 период, 2 периода, 5 периодов (and 21, 22, 25).
const char* RussianPlural(long n, const char* one, const char* few, const char* many) {
  const long last_two = std::labs(n) % 100;
  const long last = last_two % 10;
  if (last_two >= 11 && last_two <= 14) return many;
  if (last == 1) return one;
  if (last >= 2 && last <= 4) return few;
  return many;
}

std::string Count(double value) { return fmt::format("{:.0f}", value); }

// A measured or projected effect with its sign: estimated persons to 3 significant digits (as in
// every table of estimates), a rate with one decimal.
std::string EffectFigure(double value, const std::string& unit) {
  return unit == "persons" ? FormatEstimate(value, true) : FormatThousands(value, 1, true);
}

// An amount with its unit in a sentence ("4.90 ‰", "100,680 persons").
std::string Amount(Lang lang, double value, const std::string& unit) {
  const std::string number = PolicyFigure(value);
  if (HasMessage("policy.amount." + unit)) return Tr(lang, "policy.amount." + unit, number);
  return unit.empty() ? number : number + " " + Word(lang, "unit", unit);
}

}  // namespace

std::string PolicyReasonText(const app::PolicyReason& reason, Lang lang) {
  const std::string id = "policy.why." + reason.code;
  if (!HasMessage(id)) return reason.code;
  const auto number = [&](size_t idx) {
    return idx < reason.numbers.size() ? reason.numbers[idx] : NAN;
  };
  const auto label = [&](size_t idx) {
    return idx < reason.labels.size() ? reason.labels[idx] : std::string("?");
  };
  if (reason.code == "few_pre") {
    const auto n = static_cast<long>(number(0));
    return Tr(lang, id, n,
              lang == Lang::kEn ? (n == 1 ? "pre-period" : "pre-periods")
                                : RussianPlural(n, "период", "периода", "периодов"));
  }
  if (reason.code == "no_pre" || reason.code == "no_post") return Tr(lang, id, label(0), label(1));
  if (reason.code == "its_underdetermined") {
    return Tr(lang, id, Count(number(0)), Count(number(1)));
  }
  if (reason.code == "its_singular") {
    std::string terms;
    for (const std::string& term : reason.labels) terms += (terms.empty() ? "" : ", ") + term;
    return Tr(lang, id, terms);
  }
  if (reason.code == "few_donors") return Tr(lang, id, Count(number(0)));
  if (reason.code == "pretrend") {
    return Tr(lang, id, fmt::format("{:.3f}", number(0)), fmt::format("{:g}", number(1)));
  }
  if (reason.code == "poor_fit") {
    return Tr(lang, id, PolicyFigure(number(0)), fmt::format("{:g}", number(1)),
              PolicyFigure(number(2)));
  }
  return std::string(Msg(lang, id));
}

std::string PolicyReasonsText(const app::PolicyEffectSummary& e, Lang lang) {
  if (lang == Lang::kEn || e.reasons.empty()) return e.reason;
  std::string text;
  for (const app::PolicyReason& reason : e.reasons) {
    text += (text.empty() ? "" : "; ") + PolicyReasonText(reason, lang);
  }
  return text;
}

std::string PolicyEffectSentence(const app::PolicyEffectSummary& e, Lang lang,
                                 const std::string& vintage) {
  if (lang == Lang::kEn) return e.message;
  if (!std::isfinite(e.estimate)) return Tr(lang, "policy.says.none", PolicyReasonsText(e, lang));
  std::string where;
  if (e.scope == "country") {
    where = Msg(lang, "policy.where.country");
  } else if (e.scope == "all_regions") {
    where = Msg(lang, "policy.where.all_regions");
  } else if (e.scope == "region") {
    std::string name = e.scope_id;
    if (RegionSystem::IsBuiltin(vintage)) {
      const RegionSystem& system = RegionSystem::Builtin(vintage);
      if (const auto idx = system.IndexOfId(e.scope_id)) name = RegionName(system[*idx], lang);
    }
    where = Tr(lang, "policy.where.region", name);
  } else {
    where = Tr(lang, "policy.where.regions", e.treated.size());
  }
  std::string sentence =
      Tr(lang, "policy.says", e.start, Word(lang, "outcome", e.outcome), where,
         Amount(lang, std::fabs(e.estimate), e.unit),
         Msg(lang, e.estimate >= 0 ? "policy.says.higher" : "policy.says.lower"),
         Msg(lang, "policy.than." + e.method), PolicyFigure(e.ci_low), PolicyFigure(e.ci_high));
  const bool excludes_zero = e.ci_low > 0 || e.ci_high < 0;
  if (!e.credible) {
    sentence += " " + Tr(lang, "policy.says.not_credible", PolicyReasonsText(e, lang));
  } else {
    sentence += " " + std::string(Msg(lang, excludes_zero ? "policy.says.excludes_zero"
                                                          : "policy.says.includes_zero"));
  }
  return sentence;
}

std::string PolicyUnitsText(const app::PolicyEffectSummary& e, Lang lang) {
  if (lang == Lang::kEn) return e.units;
  if (e.units_used == 0) return std::string(Msg(lang, "policy.design_units.national"));
  std::string text =
      Tr(lang, e.units_summed ? "policy.design_units.sum" : "policy.design_units", e.units_used);
  if (e.units_used < 16) text += Msg(lang, "policy.design_units.gaps");
  return text;
}

std::string PolicyAssumedText(const app::PolicyOptionRow& row, Lang lang) {
  if (row.changes.empty()) return std::string(Msg(lang, "policy.assumed.none"));
  std::string text;
  for (const app::PolicyAssumedChange& c : row.changes) {
    const std::string id = "policy.assumed." + c.kind;
    const std::string part =
        HasMessage(id) ? Tr(lang, id, FormatThousands(c.value, 0, c.kind == "international"),
                            c.first_year, c.last_year)
                       : c.kind;
    text += (text.empty() ? "" : "; ") + part;
  }
  return text;
}

std::string PolicyOptionSentence(const app::PolicyOptionRow& row, Lang lang,
                                 const std::string& target) {
  // Every language from the row's fields (English as the app's sentence, with the report's
  // number style).
  if (row.assumes_nothing) return std::string(Msg(lang, "policy.option.baseline"));
  std::string sentence = Tr(lang, "policy.option.assumes", PolicyAssumedText(row, lang));
  if (std::isfinite(row.diff)) {
    sentence += Tr(lang, "policy.option.moves", row.year, target, FormatEstimate(row.diff, true),
                   FormatEstimate(row.diff_low, true), FormatEstimate(row.diff_high, true));
  }
  sentence += ".";
  if (row.measures.empty()) sentence += " " + std::string(Msg(lang, "policy.option.no_measure"));
  for (const app::PolicyOptionEffect& e : row.effects) {
    const bool zero_inside = e.ci_low <= 0 && e.ci_high >= 0;
    sentence +=
        " " + Tr(lang, "policy.option.effect", e.measure, MethodTitle(e.method, lang),
                 Msg(lang, !e.credible   ? "policy.option.effect.no_evidence"
                           : zero_inside ? "policy.option.effect.zero"
                                         : "policy.option.effect.nonzero"),
                 EffectFigure(e.estimate, e.unit), Word(lang, "unit", e.unit),
                 EffectFigure(e.ci_low, e.unit), EffectFigure(e.ci_high, e.unit),
                 e.credible ? "" : "; " + std::string(Msg(lang, "policy.not_credible.short")));
  }
  if (!row.measures.empty() && row.effects.empty()) {
    sentence += " " + std::string(Msg(lang, "policy.option.not_evaluated"));
  }
  return sentence;
}

std::vector<ChartMarker> PolicyMarkers(const app::SituationInput& data, const std::string& vintage,
                                       const std::vector<std::string>& ids) {
  const bool country =
      ids.empty() || std::find(ids.begin(), ids.end(), std::string("KZ")) != ids.end();
  std::set<std::string> atoms;  // kz-2022 ids of the regions shown
  if (!country) {
    for (const std::string& id : ids) {
      if (!RegionSystem::IsBuiltin(vintage)) {
        atoms.insert(id);
        continue;
      }
      for (const std::string& atom : Crosswalk::Atoms(vintage, id)) atoms.insert(atom);
    }
  }
  std::vector<ChartMarker> markers;
  for (const app::PolicyMeasureSummary& m : data.policy.measures) {
    if (m.kind == "boundary") continue;
    const bool affects =
        country || m.national ||
        std::any_of(m.region_ids.begin(), m.region_ids.end(),
                    [&](const std::string& region) { return atoms.count(region) > 0; });
    if (!affects) continue;
    const std::string ru = LocalMeasureTitle(m, Lang::kRu);
    markers.push_back({m.x, m.id, fmt::format("{}: {}", m.date, m.title),
                       ru.empty() ? std::string() : fmt::format("{}: {}", m.date, ru)});
  }
  return markers;
}

void AddPolicySection(const app::SituationInput& data, Document& document) {
  const app::PolicySectionInput& policy = data.policy;
  if (!policy.present) return;
  Section& section = document.AddSection("policy", document.Text("sec.policy"));
  const Lang lang = document.lang();
  section.Paragraph(document.Text("policy.intro"));
  if (lang != Lang::kEn) section.Note(document.Text("policy.quoted_en"));
  const int register_source = document.Cite(document.Text("policy.source.register"));

  // Timeline.
  Table timeline({document.Text("policy.col.date"), document.Text("policy.col.measure"),
                  document.Text("policy.col.kind"), document.Text("policy.col.regions"),
                  document.Text("policy.col.source")});
  for (const app::PolicyMeasureSummary& m : policy.measures) {
    timeline.AddRow(
        {Cell::Text(m.date),
         Cell::Html(fmt::format("<b>{}</b>: {}", EscapeHtml(m.id), MeasureTitle(m, lang))),
         Cell::Text(Word(lang, "kind", m.kind)),
         Cell::Text(m.regions == "all" ? Word(lang, "regions", m.regions) : m.regions),
         Cell::Text(m.source.empty() ? document.Text("policy.not_given") : m.source)});
  }
  section.AddTable(timeline, document.Text("policy.timeline"), {register_source},
                   document.Text("policy.timeline.notes"));

  // Effects.
  if (!policy.effects.empty()) {
    Table effects({document.Text("policy.col.measure"), document.Text("policy.col.design"),
                   document.Text("policy.col.outcome"), document.Text("policy.col.from"),
                   document.Text("policy.col.estimate"), document.Text("factors.col.interval"),
                   document.Text("policy.col.prepost"), document.Text("policy.col.pretrend"),
                   document.Text("policy.col.placebo"), document.Text("policy.col.credible")});
    for (const app::PolicyEffectSummary& e : policy.effects) {
      const bool computed = std::isfinite(e.estimate);
      const int decimals = e.unit == "persons" ? 0 : 2;
      effects.AddRow({Cell::Text(e.measure), Cell::Text(MethodTitle(e.method, lang)),
                      Cell::Text(fmt::format("{} ({})", Word(lang, "outcome", e.outcome),
                                             Word(lang, "unit", e.unit))),
                      Cell::Text(e.start),
                      computed ? Cell::Number(e.estimate, decimals, true) : Cell::Text("—"),
                      computed ? Cell::Text(document.Text(
                                     "range.to", FormatThousands(e.ci_low, decimals, true),
                                     FormatThousands(e.ci_high, decimals, true)))
                               : Cell::Text("—"),
                      Cell::Text(fmt::format("{} / {}", e.pre_periods, e.post_periods)),
                      Cell::Text(PValue(e.pretrend_p)), Cell::Text(PValue(e.placebo_p)),
                      Cell::Text(document.Text(e.credible ? "yes" : "no"))});
    }
    std::string notes = document.Text("policy.effects.notes");
    for (size_t idx = 0; idx < policy.effects.size(); ++idx) {
      const app::PolicyEffectSummary& e = policy.effects[idx];
      bool seen = false;
      for (size_t before = 0; before < idx; ++before) {
        seen = seen || policy.effects[before].series == e.series;
      }
      if (!seen) {
        notes += lang == Lang::kEn ? fmt::format("{} — {}: {}; ", e.outcome, e.series, e.units)
                                   : fmt::format("{}; ", Word(lang, "outcome", e.outcome));
      }
    }
    section.AddTable(effects, document.Text("policy.effects.table"), {register_source}, notes,
                     {"official", "estimated"});
    std::string list = "<ul class=\"policy-effects\">";
    for (const app::PolicyEffectSummary& e : policy.effects) {
      list += fmt::format("<li><b>{} ({})</b>: {}</li>", EscapeHtml(e.measure),
                          EscapeHtml(MethodTitle(e.method, lang)),
                          EscapeHtml(PolicyEffectSentence(e, lang, e.units_vintage)));
    }
    section.RawHtml(list + "</ul>");
    // Charts of the computed designs: observed and counterfactual paths.
    for (const app::PolicyEffectSummary& e : policy.effects) {
      if (!std::isfinite(e.estimate) || e.observed.empty()) continue;
      LineChart chart;
      chart.lang = lang;
      chart.title = document.Text("policy.chart", e.measure, Word(lang, "outcome", e.outcome),
                                  MethodTitle(e.method, lang));
      chart.y_label = Word(lang, "unit", e.unit);
      chart.decimals = 1;
      chart.series.push_back({document.Text("policy.observed"), "#2166ac", e.observed});
      chart.series.push_back({document.Text("policy.counterfactual"), "#999999", e.counterfactual});
      // The measures of the treated units (every measure for a national design).
      const std::vector<ChartMarker> markers = PolicyMarkers(data, e.units_vintage, e.treated);
      // Its data: the two paths by year.
      std::map<int, std::pair<double, double>> by_year;
      for (const auto& [year, value] : e.observed) by_year[year] = {value, NAN};
      for (const auto& [year, value] : e.counterfactual) {
        by_year.try_emplace(year, NAN, NAN).first->second.second = value;
      }
      Table paths({document.Text("policy.paths.year"), document.Text("policy.paths.observed"),
                   document.Text("policy.paths.counterfactual")});
      for (const auto& [year, values] : by_year) {
        paths.AddRow({Cell::Html(std::to_string(year)), Cell::Number(values.first, 1),
                      Cell::Number(values.second, 1, false, "e")});
      }
      if (lang == Lang::kEn) {
        section.AddFigure(RenderLineChart(chart, markers),
                          fmt::format("{} and the counterfactual of the {} design ({}; {}). {}",
                                      e.outcome, MethodTitle(e.method), e.series, e.units,
                                      e.credible ? "The design passes its checks."
                                                 : "Not credible: " + e.reason + "."),
                          {register_source}, paths.Render(document.Text("policy.paths")),
                          {"estimated"});
      } else {
        section.AddFigure(
            RenderLineChart(chart, markers),
            document.Text("policy.chart.caption", Word(lang, "outcome", e.outcome),
                          MethodTitle(e.method, lang)) +
                " " + document.Text(e.credible ? "policy.credible" : "policy.not_credible"),
            {register_source}, paths.Render(document.Text("policy.paths")), {"estimated"});
        section.RawHtml("<p class=\"note\">" + EscapeHtml(document.Text("policy.units")) + " " +
                        EscapeHtml(PolicyUnitsText(e, lang)) + "</p>\n");
        if (!e.credible && !e.reason.empty()) {
          section.RawHtml("<p class=\"note\">" + EscapeHtml(document.Text("policy.reason")) + " " +
                          EscapeHtml(PolicyReasonsText(e, lang)) + "</p>\n");
        }
      }
    }
  }

  // Policy options in the projections.
  if (!policy.options.empty()) {
    Table options({document.Text("policy.col.scenario"), document.Text("policy.col.assumes"),
                   document.Text("policy.col.measures"), document.Text("policy.col.assumed"),
                   document.Text("policy.col.projected"), document.Text("factors.col.interval"),
                   document.Text("policy.col.measured"), document.Text("factors.col.plain")});
    for (const app::PolicyOptionRow& row : policy.options) {
      std::string measures;
      for (const std::string& id : row.measures) {
        measures += (measures.empty() ? "" : ", ") + EscapeHtml(id);
      }
      if (measures.empty()) measures = EscapeHtml(document.Text("none"));
      if (!row.measures_note.empty()) {
        measures += " — " + DataText(row.measures_note, row.measures_note_ru, lang);
      }
      std::string measured;
      for (const app::PolicyOptionEffect& e : row.effects) {
        measured += fmt::format(
            "{}{} {}: {} (95% {}) {}, {}", measured.empty() ? "" : "; ", e.measure,
            MethodTitle(e.method, lang), EffectFigure(e.estimate, e.unit),
            document.Text("range.to", EffectFigure(e.ci_low, e.unit),
                          EffectFigure(e.ci_high, e.unit)),
            Word(lang, "unit", e.unit),
            document.Text(e.credible ? "policy.credible.short" : "policy.not_credible.short"));
      }
      if (measured.empty()) {
        measured = row.measures.empty() ? "—" : document.Text("policy.not_evaluated");
      }
      const bool has_diff = std::isfinite(row.diff);
      const std::string target = lang == Lang::kEn ? row.target_name
                                                   : MsgOr(lang, "group." + row.target,
                                                           LocalRegionName(row.target_name, lang));
      options.AddRow(
          {Cell::Html(fmt::format(
               "<b>{}</b>", EscapeHtml(lang == Lang::kEn ? row.scenario
                                                         : MsgOr(lang, "scenario." + row.scenario,
                                                                 row.scenario)))),
           Cell::Html(DataText(row.description, row.description_ru, lang)), Cell::Html(measures),
           Cell::Text(PolicyAssumedText(row, lang)),
           has_diff ? Cell::Text(document.Text("policy.projected", FormatEstimate(row.diff, true),
                                               target, row.year))
                    : Cell::Text("—"),
           has_diff ? Cell::Text(document.Text("range.to", FormatEstimate(row.diff_low, true),
                                               FormatEstimate(row.diff_high, true)))
                    : Cell::Text("—"),
           Cell::Text(measured), Cell::Text(PolicyOptionSentence(row, lang, target))});
    }
    const int scenario_source = document.Cite(document.Text("policy.source.scenarios"));
    section.AddTable(options, document.Text("policy.options.table"),
                     {scenario_source, register_source}, document.Text("policy.options.notes"),
                     {"estimated"});
  }

  // Labour migration and repatriation.
  if (policy.labour.row_count() > 0) {
    Table labour({document.Text("policy.col.indicator"), document.Text("year"),
                  document.Text("policy.col.value"), document.Text("policy.col.unit"),
                  document.Text("policy.col.kind"), document.Text("policy.col.source")});
    for (size_t row = 0; row < policy.labour.row_count(); ++row) {
      const auto& cells = policy.labour.row(row);
      labour.AddRow({Cell::Text(cells[0].text), Cell::Text(cells[1].Shown()),
                     Cell::Html(EscapeHtml(cells[2].Shown()), true),
                     Cell::Text(Word(lang, "unit", cells[3].text)),
                     Cell::Text(lang == Lang::kEn ? cells[4].text
                                                  : MsgOr(lang, cells[4].text, cells[4].text)),
                     QuotedCell(policy.labour.ProvenanceOf(row), lang)});
    }
    const int labour_source = document.Cite(document.Text("policy.source.labour"));
    section.AddTable(labour, document.Text("policy.labour.table"), {labour_source},
                     document.Text("policy.labour.notes"), {"official", "estimated"});
  }

  // Ethnic composition of flows.
  if (!policy.ethnicity.empty()) {
    Table ethnic({document.Text("policy.col.period"), document.Text("policy.col.flow"),
                  document.Text("policy.col.group"), document.Text("policy.col.persons"),
                  document.Text("policy.col.share"), document.Text("policy.col.source")});
    for (const app::EthnicFlowRow& row : policy.ethnicity) {
      ethnic.AddRow(
          {Cell::Text(row.period), Cell::Text(Word(lang, "flow", row.flow)),
           Cell::Text(Word(lang, "group", row.group)),
           std::isfinite(row.persons) ? Cell::Number(row.persons) : Cell::Text("—"),
           std::isfinite(row.share_pct) ? Cell::Number(row.share_pct, 1) : Cell::Text("—"),
           QuotedCell(row.provenance, lang)});
    }
    const int ethnic_source = document.Cite(document.Text("policy.source.ethnic"));
    section.AddTable(ethnic, document.Text("policy.ethnic.table"), {ethnic_source},
                     document.Text("policy.ethnic.notes"), {"official"});
  }
  for (const app::PolicyGapNote& gap : policy.gaps) {
    section.RawHtml(
        "<p class=\"note\">" +
        EscapeHtml(Tr(lang, "policy.gap", gap.outcome, LocalRegionName(gap.name_en, lang),
                      gap.region_id, gap.first_year, gap.last_year)) +
        "</p>\n");
  }
  for (const std::string& note : policy.notes) {
    section.RawHtml("<p class=\"note\">" + Quoted(note, lang) + "</p>\n");
  }
}

}  // namespace kazmig::report

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

std::string MethodTitle(const std::string& method) {
  if (method == "its") return "interrupted time series";
  if (method == "did") return "difference-in-differences";
  if (method == "synth") return "synthetic control";
  return method;
}

}  // namespace

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
    if (affects) markers.push_back({m.x, m.id, fmt::format("{}: {}", m.date, m.title)});
  }
  return markers;
}

void AddPolicySection(const app::SituationInput& data, Document& document) {
  const app::PolicySectionInput& policy = data.policy;
  if (!policy.present) return;
  Section& section = document.AddSection("policy", document.Text("sec.policy"));
  section.Paragraph(
      "Kazakhstan's migration policy is a sequence of dated measures: laws, policy concepts, "
      "programmes of resettlement to the north, entry rules, and shocks from outside. The register "
      "below lists them with the regions each affects; the report's time-series charts mark them "
      "with dotted verticals. Each measure's effect is then measured with the standard designs of "
      "policy evaluation, and each result says whether the design is credible here: a number from "
      "a design that fails its checks is shown as a description, not as evidence of an effect.");
  const int register_source = document.Cite(
      "Register of migration-policy measures: legal acts (adilet.zan.kz, online.zakon.kz) and "
      "press reports, collected in kz_policy_labour/policy_measures.csv");

  // Timeline.
  Table timeline({"Date", "Measure", "Kind", "Regions", "Source"});
  for (const app::PolicyMeasureSummary& m : policy.measures) {
    timeline.AddRow(
        {Cell::Text(m.date),
         Cell::Html(fmt::format("<b>{}</b>: {}", EscapeHtml(m.id), EscapeHtml(m.title))),
         Cell::Text(m.kind), Cell::Text(m.regions),
         Cell::Text(m.source.empty() ? "not given" : m.source)});
  }
  section.AddTable(timeline, "Timeline of migration-policy measures", {register_source},
                   "Regions are kz-2022 codes; 'all' means the whole country.");

  // Effects.
  if (!policy.effects.empty()) {
    Table effects({"Measure", "Design", "Outcome", "From", "Estimate", "95% interval", "Pre / post",
                   "Pre-trend p", "Placebo p", "Credible"});
    for (const app::PolicyEffectSummary& e : policy.effects) {
      const bool computed = std::isfinite(e.estimate);
      const int decimals = e.unit == "persons" ? 0 : 2;
      effects.AddRow(
          {Cell::Text(e.measure), Cell::Text(MethodTitle(e.method)),
           Cell::Text(fmt::format("{} ({})", e.outcome, e.unit)), Cell::Text(e.start),
           computed ? Cell::Number(e.estimate, decimals, true) : Cell::Text("—"),
           computed ? Cell::Text(fmt::format("{} to {}", FormatThousands(e.ci_low, decimals, true),
                                             FormatThousands(e.ci_high, decimals, true)))
                    : Cell::Text("—"),
           Cell::Text(fmt::format("{} / {}", e.pre_periods, e.post_periods)),
           Cell::Text(PValue(e.pretrend_p)), Cell::Text(PValue(e.placebo_p)),
           Cell::Text(e.credible ? "yes" : "no")});
    }
    std::string notes =
        "ITS: segmented regression with Newey–West errors; DiD: two-way fixed effects clustered by "
        "region, pre-trend test = joint test of the event-study leads; synthetic control: donor "
        "weights on the simplex, placebo p from the RMSPE ratios. Series and units: ";
    for (size_t idx = 0; idx < policy.effects.size(); ++idx) {
      const app::PolicyEffectSummary& e = policy.effects[idx];
      bool seen = false;
      for (size_t before = 0; before < idx; ++before) {
        seen = seen || policy.effects[before].series == e.series;
      }
      if (!seen) notes += fmt::format("{} — {}: {}; ", e.outcome, e.series, e.units);
    }
    section.AddTable(effects, "Measured effects of policy measures, with their diagnostics",
                     {register_source}, notes, {"official", "estimated"});
    std::string list = "<ul class=\"policy-effects\">";
    for (const app::PolicyEffectSummary& e : policy.effects) {
      list += fmt::format("<li><b>{} ({})</b>: {}</li>", EscapeHtml(e.measure),
                          EscapeHtml(MethodTitle(e.method)), EscapeHtml(e.message));
    }
    section.RawHtml(list + "</ul>");
    // Charts of the computed designs: observed and counterfactual paths.
    for (const app::PolicyEffectSummary& e : policy.effects) {
      if (!std::isfinite(e.estimate) || e.observed.empty()) continue;
      LineChart chart;
      chart.title = fmt::format("{}: {} by {}", e.measure, e.outcome, MethodTitle(e.method));
      chart.y_label = e.unit;
      chart.decimals = 1;
      chart.series.push_back({"Observed (treated)", "#2166ac", e.observed});
      chart.series.push_back({"Without the measure (counterfactual)", "#999999", e.counterfactual});
      // The measures of the treated units (every measure for a national design).
      const std::vector<ChartMarker> markers = PolicyMarkers(data, e.units_vintage, e.treated);
      // Its data: the two paths by year.
      std::map<int, std::pair<double, double>> by_year;
      for (const auto& [year, value] : e.observed) by_year[year] = {value, NAN};
      for (const auto& [year, value] : e.counterfactual) {
        by_year.try_emplace(year, NAN, NAN).first->second.second = value;
      }
      Table paths({"Year", "Observed", "Counterfactual"});
      for (const auto& [year, values] : by_year) {
        paths.AddRow({Cell::Html(std::to_string(year)), Cell::Number(values.first, 1),
                      Cell::Number(values.second, 1, false, "e")});
      }
      section.AddFigure(RenderLineChart(chart, markers),
                        fmt::format("{} and the counterfactual of the {} design ({}; {}). {}",
                                    e.outcome, MethodTitle(e.method), e.series, e.units,
                                    e.credible ? "The design passes its checks."
                                               : "Not credible: " + e.reason + "."),
                        {register_source}, paths.Render("Observed and counterfactual, by year"),
                        {"estimated"});
    }
  }

  // Policy options in the projections.
  if (!policy.options.empty()) {
    Table options({"Scenario", "Assumes", "Measures in the register", "Assumed yearly change",
                   "Projected effect (vs baseline)", "95% interval",
                   "Measured effect of the measure", "In plain words"});
    for (const app::PolicyOptionRow& row : policy.options) {
      std::string measures;
      for (const std::string& id : row.measures) measures += (measures.empty() ? "" : ", ") + id;
      if (measures.empty()) measures = "none";
      if (!row.measures_note.empty()) measures += " — " + row.measures_note;
      std::string measured;
      for (const app::PolicyOptionEffect& e : row.effects) {
        const int decimals = e.unit == "persons" ? 0 : 1;
        measured += fmt::format(
            "{}{} {}: {} (95% {} to {}) {}, {}", measured.empty() ? "" : "; ", e.measure,
            MethodTitle(e.method), FormatThousands(e.estimate, decimals, true),
            FormatThousands(e.ci_low, decimals, true), FormatThousands(e.ci_high, decimals, true),
            e.unit, e.credible ? "credible" : "not credible");
      }
      if (measured.empty()) measured = row.measures.empty() ? "—" : "not evaluated";
      const bool has_diff = std::isfinite(row.diff);
      options.AddRow(
          {Cell::Html(fmt::format("<b>{}</b>", EscapeHtml(row.scenario))),
           Cell::Text(row.description), Cell::Text(measures), Cell::Text(row.assumed_change),
           has_diff ? Cell::Text(fmt::format("{} in {}, {}", FormatThousands(row.diff, 0, true),
                                             row.target_name, row.year))
                    : Cell::Text("—"),
           has_diff ? Cell::Text(fmt::format("{} to {}", FormatThousands(row.diff_low, 0, true),
                                             FormatThousands(row.diff_high, 0, true)))
                    : Cell::Text("—"),
           Cell::Text(measured), Cell::Text(row.sentence)});
    }
    const int scenario_source = document.Cite(
        "kazmig's projection scenarios (data/scenarios/*.json: description, measures, target) and "
        "the projections of the section on prospects");
    section.AddTable(options, "Policy options in the projections and the measures behind them",
                     {scenario_source, register_source},
                     "Projected effect: the scenario's population minus the baseline's on its "
                     "target row (a group of regions or the country), median of the paired draws "
                     "with its 95% interval (projected, estimated). Measured effect: the register "
                     "measure's evaluated effect from the table above (estimated), with its "
                     "credibility. The mapping from scenario to measures is the scenario file's "
                     "\"measures\" field.",
                     {"estimated"});
  }

  // Labour migration and repatriation.
  if (policy.labour.row_count() > 0) {
    Table labour({"Indicator", "Year", "Value", "Unit", "Kind", "Source"});
    for (size_t row = 0; row < policy.labour.row_count(); ++row) {
      const auto& cells = policy.labour.row(row);
      labour.AddRow({Cell::Text(cells[0].text), Cell::Text(cells[1].Shown()),
                     Cell::Html(EscapeHtml(cells[2].Shown()), true), Cell::Text(cells[3].text),
                     Cell::Text(cells[4].text), Cell::Text(policy.labour.ProvenanceOf(row))});
    }
    const int labour_source = document.Cite(
        "Ministry of Labour and Social Protection figures on foreign labour, kandas and "
        "resettlement quotas, as reported (kz_policy_labour)");
    section.AddTable(labour, "Labour migration, repatriation (kandas) and resettlement quotas",
                     {labour_source},
                     "Figures reported by the Ministry or the press citing it, not BNS tables. "
                     "Quota utilisation = foreign workers holding permits on one date of the year "
                     "divided by the year's quota (estimated).",
                     {"official", "estimated"});
  }

  // Ethnic composition of flows.
  if (!policy.ethnicity.empty()) {
    Table ethnic({"Period", "Flow", "Group", "Persons", "Share %", "Source"});
    for (const app::EthnicFlowRow& row : policy.ethnicity) {
      ethnic.AddRow(
          {Cell::Text(row.period), Cell::Text(row.flow), Cell::Text(row.group),
           std::isfinite(row.persons) ? Cell::Number(row.persons) : Cell::Text("—"),
           std::isfinite(row.share_pct) ? Cell::Number(row.share_pct, 1) : Cell::Text("—"),
           Cell::Text(row.provenance)});
    }
    const int ethnic_source = document.Cite(
        "Departures and arrivals by ethnic group as reported by the press citing the Bureau of "
        "National Statistics (kz_policy_labour/emigration_by_ethnicity.csv; the store compositions "
        "intl_departures_by_ethnicity and intl_arrivals_by_ethnicity)");
    section.AddTable(ethnic, "Ethnic composition of international migration flows", {ethnic_source},
                     "Counts for 2019 and shares for January-July 2013, as reported; the groups "
                     "shown are the ones the source names (not a complete breakdown).",
                     {"official"});
  }
  for (const std::string& note : policy.notes) section.Note(note);
}

}  // namespace kazmig::report

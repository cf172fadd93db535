#include "kazmig/report/corridor_chord.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kazmig/report/chord.h"
#include "kazmig/report/flows_section.h"

namespace kazmig::report {
namespace {

constexpr const char* kKazakhstanColor = "#0b4f71";
constexpr const char* kOtherColor = "#b0b7bf";
// Okabe & Ito's colours (readable with colour-blindness), then two greys-blues.
constexpr const char* kPartnerColors[] = {"#E69F00", "#56B4E9", "#009E73", "#D55E00",
                                          "#CC79A7", "#F0E442", "#0072B2", "#7f6a4f",
                                          "#8c6bb1", "#66a61e", "#a6761d", "#e7298a"};

}  // namespace

void AddCorridorChords(const app::SituationInput& data, Document& document, Section& section) {
  std::vector<const app::IntlCorridors*> panels;
  for (const app::IntlCorridors& corridors : data.largest_corridors) {
    if (!corridors.rows.empty()) panels.push_back(&corridors);
  }
  if (panels.empty()) return;
  // One colour per partner in every panel: the latest period's partners first.
  std::vector<std::string> partners;
  for (auto it = panels.rbegin(); it != panels.rend(); ++it) {
    for (const app::IntlCorridor& row : (*it)->rows) {
      if (std::find(partners.begin(), partners.end(), row.partner) == partners.end()) {
        partners.push_back(row.partner);
      }
    }
  }
  auto color_of = [&](const std::string& partner) {
    const size_t idx = static_cast<size_t>(std::find(partners.begin(), partners.end(), partner) -
                                           partners.begin());
    return std::string(kPartnerColors[idx % std::size(kPartnerColors)]);
  };
  const size_t k = panels.back()->rows.size();
  const std::string& first = panels.front()->period;
  const std::string& last = panels.back()->period;
  section.RawHtml(fmt::format("<h3>{}</h3>\n", EscapeHtml(document.Text("chord.h"))));
  section.Paragraph(document.Text("chord.intro", k));

  std::vector<int> sources;
  Table table({document.Text("chord.col.period"), document.Text("chord.col.rank"),
               document.Text("chord.col.partner"), document.Text("chord.col.to"),
               document.Text("chord.col.from"), document.Text("chord.col.total")});
  std::string svgs = "<div class=\"panels\">";
  for (const app::IntlCorridors* panel : panels) {
    ChordDiagram chord;
    chord.title = document.Text("chord.panel", panel->rows.size(), panel->period);
    const std::string kazakhstan = document.Text("chord.kazakhstan");
    chord.sectors.push_back({kazakhstan, kKazakhstanColor});
    for (const app::IntlCorridor& row : panel->rows) {
      const std::string name = section.lang() == Lang::kEn
                                   ? CountryDisplayName(row.partner_name)
                                   : LocalCountryName(data, row.partner, section.lang());
      chord.sectors.push_back({name, color_of(row.partner)});
      const int source = document.Cite(row.provenance.ToString());
      if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
        sources.push_back(source);
      }
      table.AddRow({Cell::Text(panel->period), Cell::Number(row.rank), Cell::Text(name),
                    Cell::Estimate(row.to_kazakhstan, false, "e"),
                    Cell::Estimate(row.from_kazakhstan, false, "e"),
                    Cell::Estimate(row.total, false, "e")});
    }
    const bool others = panel->other_partners > 0;
    if (others) {
      const std::string name = document.Text("chord.others", panel->other_partners);
      chord.sectors.push_back({name, kOtherColor});
      table.AddRow(
          {Cell::Text(panel->period), Cell::Text(""), Cell::Text(name),
           Cell::Estimate(panel->other_to_kazakhstan, false, "e"),
           Cell::Estimate(panel->other_from_kazakhstan, false, "e"),
           Cell::Estimate(panel->other_to_kazakhstan + panel->other_from_kazakhstan, false, "e")});
    }
    // flows[orig][dest]; sector 0 is Kazakhstan.
    const size_t n = chord.sectors.size();
    chord.flows.assign(n, std::vector<double>(n, 0.0));
    for (size_t row_idx = 0; row_idx < panel->rows.size(); ++row_idx) {
      chord.flows[row_idx + 1][0] = panel->rows[row_idx].to_kazakhstan;
      chord.flows[0][row_idx + 1] = panel->rows[row_idx].from_kazakhstan;
    }
    if (others) {
      chord.flows[n - 1][0] = panel->other_to_kazakhstan;
      chord.flows[0][n - 1] = panel->other_from_kazakhstan;
    }
    svgs += fmt::format("<div><p class=\"panel-title\">{}</p>{}</div>", EscapeHtml(chord.title),
                        RenderChord(chord));
  }
  svgs += "</div>";
  std::sort(sources.begin(), sources.end());
  const std::string side =
      table.Render(EscapeHtml(document.Text("chord.table", first, last))) +
      fmt::format("<p class=\"source\">{}</p>", EscapeHtml(document.Text("chord.notes")));
  section.AddFigure(svgs, document.Text("chord.caption", k, first, last), sources, side,
                    {"estimated"});
}

}  // namespace kazmig::report

// The report's "Flows" section and its building blocks: the largest inter-regional corridors of an
// estimated origin-destination matrix, with the sensitivity band (low–high over the prior's decay
// × gross total grid) and the *estimated* mark on every flow; a flow map (curved arrows over the
// region map); the international corridors (official CIS statistics by partner, Abel & Cohen's
// estimates).
//
//   app::CorridorInput in = app::CorridorsOf(stored_od, system);   // computed by the use case
//   report::AddCorridorTable(section, in, 10, {doc.Cite("kazmig gravity/IPF estimate")},
//                            "2024");
//   report::AddFlowsSection(data, document);   // from BuildSituationReport
#ifndef KAZMIG_REPORT_FLOWS_SECTION_H_
#define KAZMIG_REPORT_FLOWS_SECTION_H_

#include <cstddef>
#include <string>
#include <vector>

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

// Adds a table "Largest inter-regional corridors, <period>" (origin, destination, flow with the
// "e" mark, low, high, share of all inter-regional moves) with the *estimated* badge.
// The display name of a partner country (ISO3) in `lang`: the use case's Russian or Kazakh names,
// the CIS aggregates from the catalogue, else the English name, else the code.
// Names are shown with CountryDisplayName.
std::string LocalCountryName(const app::SituationInput& data, const std::string& code, Lang lang);
// A country's name for display: the source's backtick apostrophe ("People`s") as a typographic
// one ("People’s").
std::string CountryDisplayName(std::string name);

void AddCorridorTable(Section& section, const app::CorridorInput& input, size_t count,
                      const std::vector<int>& sources, const std::string& period);

// An enlarged inset of a flow map: a city drawn inside another region (Astana in Akmola, Almaty
// in Almaty Region, Shymkent in Turkistan) and that region, whose short corridors and converging
// arrows are too small to read at the map's scale.
struct FlowInset {
  std::vector<size_t> regions;  // indices into FlowMap::names, the enclosed city first
};

// A flow map: the regions (same projection and framing as the choropleth, geo::AlbersConic) in a
// neutral fill and one curved arrow per corridor from the origin's anchor to the destination's,
// its width proportional to the flow (the largest gets `max_width` pixels), with an arrowhead, a
// tooltip (from, to, flow and band) and a width legend. Each inset is a framed box, numbered from
// 1, at `inset_zoom` times the map's scale in an empty part of the picture (outside the country;
// the picture grows at the bottom when there is no room), with the area it enlarges outlined on
// the map and numbered alike; it holds the regions' outlines, every arrow that starts or ends at
// one of its regions (the same widths as on the map, cut at the frame) and the names.
struct FlowMap {
  std::string title;
  const std::vector<io::GeoFeature>* features = nullptr;  // one per region
  std::vector<std::string> names;                         // one per region
  std::vector<io::GeoPoint> anchors;                      // lon/lat of each region's arrow ends
  std::vector<app::Corridor> arrows;                      // indices into names/anchors
  std::string legend_title;
  double max_width = 14.0;
  int width = 900;
  std::vector<FlowInset> insets;  // usually FindFlowInsets(map)
  double inset_zoom = 2.5;
  Lang lang = Lang::kEn;  // of the description, tooltips and credit
};

// Renders the map: one <g class="flow-arrow"> per arrow; per inset a <g class="inset"> holding a
// nested <svg> with one <g class="inset-arrow"> per arrow drawn in it. Throws ComputeError
// (internal) when features, names and anchors differ in number or an arrow refers to no region.
std::string RenderFlowMap(const FlowMap& map);

// The insets a flow map needs: each pair of arrow ends of which one's anchor lies inside the
// other's outer boundary (a city enclosed by a region), the city first; north to south.
std::vector<FlowInset> FindFlowInsets(const FlowMap& map);

// The "Flows" section of the situation report: for the latest year of `data.internal_od`, the
// flow map of the country's 15 largest corridors (its data table beside it), each region's top 3
// origins and destinations (all estimated, with bands, and the statement that only the nets are
// official); then the international corridors: official arrivals and departures by CIS partner in
// the latest year and their trend, and Abel & Cohen's estimated 5-year flows for the main partners.
// Parts whose data are missing are left out with a note; nothing at all: no section.
void AddFlowsSection(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_FLOWS_SECTION_H_

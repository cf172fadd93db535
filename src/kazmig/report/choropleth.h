// A choropleth map of regions as inline SVG, drawn in the Albers equal-area conic projection for
// Kazakhstan (geo/projection.h), with a class legend, region labels and a tooltip per region.
//
// Classes: for a diverging variable (net migration), three classes below zero and three above,
// each side with its own "nice" step (1, 2, 2.5 or 5 × 10^k, at most a third of that side's
// extreme; the outer classes are open-ended), coloured with ColorBrewer's RdBu (red = losing,
// blue = gaining). Regions without a value are grey and listed
// as "no data" in the legend. Without any value the map is a plain reference map.
//
//   report::Choropleth map;
//   map.features = &boundaries;                 // one feature per region, same order
//   map.regions.push_back({"Astana", 21.4});     // label, value
//   map.legend_title = "Net inter-regional migration per 1,000, 2024";
//   std::string svg = report::RenderChoropleth(map);
#ifndef KAZMIG_REPORT_CHOROPLETH_H_
#define KAZMIG_REPORT_CHOROPLETH_H_

#include <limits>
#include <string>
#include <vector>

#include "kazmig/geo/projection.h"
#include "kazmig/report/messages.h"

namespace kazmig::report {

struct MapRegion {
  std::string label;
  double value = std::numeric_limits<double>::quiet_NaN();
  // Where to put the label (degrees); 0,0 = the centre of the region's bounding box.
  double label_lon = 0.0;
  double label_lat = 0.0;
  // Draw a dot at the label point and shift the label by (dx, dy) pixels (small city regions).
  bool dot = false;
  double label_dx = 0.0;
  double label_dy = 0.0;
  // Extra text in the tooltip (e.g. the source).
  std::string tooltip;
};

struct Choropleth {
  std::string title;
  const std::vector<io::GeoFeature>* features = nullptr;
  std::vector<MapRegion> regions;  // same order as *features
  std::string legend_title;
  int decimals = 1;
  bool show_values = true;  // second label line with the value
  int width = 900;
  Lang lang = Lang::kEn;  // of the description, "no data" and the credit
};

// The class edges of a diverging legend: -3n, -2n, -n, 0, p, 2p, 3p for the negative and positive
// steps n and p (only the inner five bound classes).
std::vector<double> DivergingEdges(const std::vector<double>& values);

// Renders the map. Throws ComputeError (internal) when features and regions differ in number.
std::string RenderChoropleth(const Choropleth& map);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_CHOROPLETH_H_

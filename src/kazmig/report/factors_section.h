// The report's "Factors" and "Potential" sections: what drives Kazakhstan's migration (the fitted
// specifications of app/factors.h: a coefficient plot with 95% intervals and the plain-words
// table) and one counterfactual (app/potential.h's example scenario: a map of the changed nets
// with its data table). Every number here is estimated and marked "e".
//
//   report::CoefficientPlot plot;
//   plot.title = "Regional balance: effects per 1,000 residents a year";
//   plot.rows.push_back({"Income +10%", -1.4, -6.8, 4.0});
//   std::string svg = report::RenderCoefficientPlot(plot);
//   report::AddFactorsSections(data, document);   // from BuildSituationReport, after "Flows"
#ifndef KAZMIG_REPORT_FACTORS_SECTION_H_
#define KAZMIG_REPORT_FACTORS_SECTION_H_

#include <string>
#include <vector>

#include "kazmig/app/report.h"
#include "kazmig/report/html.h"

namespace kazmig::report {

struct CoefficientRow {
  std::string label;
  double value = 0;
  double low = 0;
  double high = 0;
};

// A dot-and-whisker plot: one row per effect, a dot at the value, a line over its interval, a
// zero line; effects whose interval excludes zero are drawn solid, the others hollow.
struct CoefficientPlot {
  std::string title;
  std::string value_label;  // e.g. "per 1,000 residents a year"
  std::vector<CoefficientRow> rows;
  int decimals = 2;
  int width = 720;
  Lang lang = Lang::kEn;  // of the description and the value texts
};

// Renders the plot as inline SVG (one <g class="coef"> per row); an empty plot says "no data".
std::string RenderCoefficientPlot(const CoefficientPlot& plot);

// Adds "Factors" (when data.factor_models is not empty) and "Potential" (when data.potential has
// regions) to `document`.
void AddFactorsSections(const app::SituationInput& data, Document& document);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_FACTORS_SECTION_H_

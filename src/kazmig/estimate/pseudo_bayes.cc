#include "kazmig/estimate/pseudo_bayes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "kazmig/core/check.h"

namespace kazmig::estimate {

FfsResult FfsPseudoBayes(const FlowMatrix& stock1, const FlowMatrix& stock2,
                         const PseudoBayesOptions& options, PseudoBayesComponents* components) {
  const double weight = options.weight.value_or(kPseudoBayesWeight);
  CheckSetting(std::isfinite(weight) && weight >= 0 && weight <= 1, "FfsPseudoBayes",
               fmt::format("the weight must be in [0, 1], not {:g}", weight));
  CheckSetting(!options.demo.births.empty() && !options.demo.deaths.empty(), "FfsPseudoBayes",
               "births and deaths are required: the closed demographic account needs them");

  // One demographic adjustment, then the two fits on the same margins S1'' and S2''.
  AdjustedStocks adjusted = AdjustStocks(stock1, stock2, options.demo);
  PseudoBayesComponents local;
  PseudoBayesComponents& parts = components != nullptr ? *components : local;
  FfsDemoOptions fit = options.demo;
  fit.stayer_assumption = true;
  parts.min = FitBirthplaceFlows(adjusted, fit, &parts.min_table);
  fit.stayer_assumption = false;
  parts.ind = FitBirthplaceFlows(adjusted, fit, &parts.ind_table);

  // The mix is linear, so its sum over birthplaces is the mix of the two sums: no 3-D table is
  // built. The diagonals are zero in both.
  FfsResult result;
  result.flows = parts.min.flows;
  const std::vector<double>& ind = parts.ind.flows.data();
  std::vector<double>& mix = result.flows.data();
  for (size_t cell_idx = 0; cell_idx < mix.size(); ++cell_idx) {
    mix[cell_idx] = (1.0 - weight) * mix[cell_idx] + weight * ind[cell_idx];
  }
  result.method =
      "flows from stocks: pseudo-Bayesian closed demographic accounting, (1 - w) * minimum "
      "migration + w * independence per birthplace (Azose & Raftery 2019; Abel & Cohen 2019 "
      "da_pb_closed)";
  result.parameters =
      fmt::format("weight={:g} ({}); {}", weight,
                  options.weight ? "given" : fmt::format("default: {}", kPseudoBayesWeightSource),
                  DescribeDemoOptions(options.demo));
  result.iterations = parts.min.iterations + parts.ind.iterations;
  result.max_margin_error = std::max(parts.min.max_margin_error, parts.ind.max_margin_error);
  result.last_cell_change = std::max(parts.min.last_cell_change, parts.ind.last_cell_change);
  result.converged = parts.min.converged && parts.ind.converged;
  result.notes = std::move(adjusted.notes);
  return result;
}

}  // namespace kazmig::estimate

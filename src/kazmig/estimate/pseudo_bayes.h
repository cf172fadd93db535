// Pseudo-Bayesian closed demographic-accounting flows (Azose & Raftery 2019), as Abel & Cohen
// (2019) publish them as their recommended estimates (`da_pb_closed`): per birthplace b, on the
// same demographically adjusted stock tables (FfsDemo's steps 1-6, births and deaths included),
//
//   PB[o][d][b] = (1 - w) * MIN[o][d][b] + w * IND[o][d][b],   w = 0.13 by default,
//
// with MIN the closed minimum-migration estimate (stayer assumption, `--method demo`) and IND the
// independence estimate (the same fit without the stayer assumption, `--stayer-assumption false`;
// with the uniform seed its slice b is S1''[b][o] * S2''[b][d] / N_b). Flows are PB summed over
// birthplaces, diagonal zero. Both 3-D tables have the margins S1'' and S2'', so the mix has them
// too and needs no refit. Evidence for the rule and the weight: docs/methods estimation.md
// ("Other stock-based estimators") and docs/estimate.md.
//
//   PseudoBayesOptions options;                  // w = 0.13
//   options.demo.births = births;                // required: the accounting is closed
//   options.demo.deaths = deaths;
//   PseudoBayesComponents parts;
//   FfsResult r = FfsPseudoBayes(s1, s2, options, &parts);
//   r.flows(0, 2);                               // (1 - w) parts.min.flows + w parts.ind.flows
//   parts.min.iterations, parts.ind.max_margin_error
#ifndef KAZMIG_ESTIMATE_PSEUDO_BAYES_H_
#define KAZMIG_ESTIMATE_PSEUDO_BAYES_H_

#include <optional>

#include "kazmig/estimate/stocks.h"

namespace kazmig::estimate {

// The weight on the independence estimate that reproduces Abel & Cohen's published `da_pb_closed`
// flows: 0.13 in T. Laurent's reproduction of their six methods (`0.87 * hat_min_closed + (1 -
// 0.87) * independence`), and the best fit of migest's ffs_demo mixed at w to the published flows
// (w = 0.130 / 0.128 / 0.129 for 1995-2000 / 2005-10 / 2010-15; methods file, estimation.md).
inline constexpr double kPseudoBayesWeight = 0.13;
inline constexpr const char* kPseudoBayesWeightSource =
    "Abel & Cohen (2019) da_pb_closed: 0.87 * min_closed + 0.13 * independence (T. Laurent's "
    "reproduction; best fit to the published flows 0.128-0.130)";

struct PseudoBayesOptions {
  // The demographic account of both components. Births and deaths are required; the stayer
  // assumption is ignored (MIN is fitted with it, IND without). A seed is the prior of both fits.
  FfsDemoOptions demo;
  // w in [0, 1] on the independence estimate; unset: kPseudoBayesWeight, and the provenance
  // names its source.
  std::optional<double> weight;
};

// The two component fits behind a blend.
struct PseudoBayesComponents {
  FfsResult min;  // closed minimum migration (stayer assumption): flows, iterations, margin error
  FfsResult ind;  // independence (no stayer assumption)
  BirthplaceFlows min_table;  // the fitted 3-D tables, birthplace x origin x destination
  BirthplaceFlows ind_table;
};

// The blend above. The result's flows are the mix; iterations are those of both fits together,
// max_margin_error and last_cell_change the larger of the two, converged when both converged.
// Throws UsageError for a weight outside [0, 1] or births or deaths missing (the closed account
// needs them), and otherwise like FfsDemo.
FfsResult FfsPseudoBayes(const FlowMatrix& stock1, const FlowMatrix& stock2,
                         const PseudoBayesOptions& options,
                         PseudoBayesComponents* components = nullptr);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_PSEUDO_BAYES_H_

#include "kazmig/indicators/bands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/indicators/summary.h"

namespace kazmig::indicators {
namespace {

// The banded quantities of one matrix, in the order of kFields.
struct Values {
  double v[11];
};

Values ValuesOf(const FlowMatrix& flows, const std::vector<double>& population) {
  SystemInputs in;
  in.flows = &flows;
  in.population = &population;
  in.fit_decay = false;
  const SystemIndicators s = ComputeSystemIndicators(in);
  const Focusing& f = s.focusing;
  return {{s.total_flow, *s.cmp, *s.cmp_per_1000, *s.courgeau_k, s.mei, *s.anmr, f.gini_total,
           f.gini_total_corrected, f.mwg_mean, f.acv, f.connectivity}};
}

}  // namespace

BandedIndicators ComputeBandedIndicators(const FlowMatrix& central,
                                         const std::vector<const FlowMatrix*>& runs,
                                         const std::vector<double>& population) {
  BandedIndicators out;
  Band* bands[] = {&out.total_flow, &out.cmp,  &out.cmp_per_1000, &out.courgeau_k,
                   &out.mei,        &out.anmr, &out.gini_total,   &out.gini_total_corrected,
                   &out.mwg_mean,   &out.acv,  &out.connectivity};
  const Values first = ValuesOf(central, population);
  for (size_t field = 0; field < std::size(bands); ++field) {
    *bands[field] = {first.v[field], first.v[field], first.v[field]};
  }
  for (const FlowMatrix* run : runs) {
    if (run == nullptr || run->size() != central.size()) {
      throw ComputeError(fmt::format("a sensitivity run has {} regions, the central matrix {}",
                                     run == nullptr ? 0 : run->size(), central.size()));
    }
    const Values values = ValuesOf(*run, population);
    for (size_t field = 0; field < std::size(bands); ++field) {
      // NaN (an undefined value in a run) leaves the band as it is.
      bands[field]->low = std::fmin(bands[field]->low, values.v[field]);
      bands[field]->high = std::fmax(bands[field]->high, values.v[field]);
    }
  }
  out.runs = runs.size();
  return out;
}

double AnmrFromNets(const std::vector<double>& nets, const std::vector<double>& population) {
  if (nets.empty() || nets.size() != population.size()) {
    throw ComputeError(fmt::format("ANMR: {} nets and {} populations (need equal, non-empty)",
                                   nets.size(), population.size()));
  }
  double abs_net = 0, total = 0;
  for (size_t idx = 0; idx < nets.size(); ++idx) {
    if (!(population[idx] > 0)) {
      throw ComputeError(
          fmt::format("ANMR: population {} of region {} is not positive: rates are undefined",
                      population[idx], idx));
    }
    abs_net += std::abs(nets[idx]);
    total += population[idx];
  }
  return 100.0 * 0.5 * abs_net / total;
}

}  // namespace kazmig::indicators

// System-wide indicators of internal migration from an origin-destination matrix: intensity,
// impact, focusing and distance, as migest's index_* functions, migration.indices and IMAGE Studio
// compute them (methods/indicators.md).
//
//   indicators::SystemInputs in;
//   in.flows = &flows;                 // row = origin; diagonal ignored
//   in.population = &population;       // optional, same order as flows.ids()
//   in.distance = &distance;           // optional, same order
//   indicators::SystemIndicators s = indicators::ComputeSystemIndicators(in);
//   if (s.cmp) Print(*s.cmp);          // absent without population
//
// Formulas (M = off-diagonal total, O_i out, D_i in, p_i population, P = sum p_i over the
// matrix's regions, s_i = p_i / P):
//   cmp          = 100 M / P (crude migration probability/intensity, per 100; cmp_per_1000 = 10
//   cmp) courgeau_k   = cmp / ln(n^2)                                   (Courgeau 1973) mei = 100
//   sum |D_i - O_i| / sum (D_i + O_i)          (Shryock et al. 1975) anmr         = 100 (1/2) sum
//   |D_i - O_i| / P  (Bell et al. 2002); anmr = cmp mei / 100 preference   = sum_{i != j} m_ij / (M
//   s_i s_j)                 (migest index_impact) velocity     = sum_{i != j} m_ij P / (p_i p_j)
//   (migest index_impact) mean_distance = sum m_ij d_ij / M;  median_distance: see WeightedMedian
//   decay        = beta of m_ij ~ Poisson, log mu = a_i + b_j + beta ln d_ij (models/)
#ifndef KAZMIG_INDICATORS_SUMMARY_H_
#define KAZMIG_INDICATORS_SUMMARY_H_

#include <optional>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/indicators/focusing.h"

namespace kazmig::indicators {

struct SystemInputs {
  const FlowMatrix* flows = nullptr;
  const std::vector<double>* population = nullptr;  // optional
  const FlowMatrix* distance = nullptr;             // optional
  int threads = 1;
  bool fit_decay = true;  // the distance-decay model (skipped for speed when false)
  // Optional: ComputeFocusing(*flows, threads), computed already (the command computes it while
  // the distance file is read); used as is.
  const Focusing* focusing = nullptr;
};

struct DecayResult {
  double beta = 0;
  double std_error = 0;
  double deviance = 0;
  int iterations = 0;
  bool converged = false;
  std::string solver;
  size_t observations = 0;
};

struct SystemIndicators {
  size_t n = 0;
  double total_flow = 0;
  double mei = 0;
  std::optional<double> population;
  std::optional<double> cmp;
  std::optional<double> cmp_per_1000;
  std::optional<double> courgeau_k;
  std::optional<double> anmr;
  std::optional<double> preference;
  std::optional<double> velocity;
  Focusing focusing;
  std::optional<double> mean_distance;
  std::optional<double> median_distance;
  std::optional<DecayResult> decay;
};

// Computes the indicators the inputs allow. Throws ComputeError when the population or distance
// sizes do not match the flows, when a population used in a rate is not positive ("rates are
// undefined"), or when a distance is negative or not finite. The decay model's non-convergence is
// reported in `decay->converged`.
SystemIndicators ComputeSystemIndicators(const SystemInputs& inputs);

// Flow-weighted median with matrixStats::weightedMedian's default linear interpolation (migest's
// index_distance uses it): values with positive weight are sorted, each gets the mid-point
// cumulative weight c_k = (sum_{l<=k} w_l - w_k/2) / W, and the median is interpolated linearly
// between the two values whose c_k straddle 1/2 (the first value when c_0 >= 1/2, the last when
// no c_k reaches 1/2). NaN when no weight is positive.
double WeightedMedian(std::vector<double> values, std::vector<double> weights);

// Multiplicative components (migest multi_comp): m_ij = T (O_i/T) (D_j/T) I_ij, with I_ij the ratio
// of the observed flow to the independence-model flow O_i D_j / T (T = off-diagonal total,
// diagonal ignored; 0/0 cells are 0). `expected` is the independence model's flow T (O_i/T) (D_j/T)
// (0 on the diagonal).
struct MultiplicativeComponents {
  double total = 0;
  std::vector<double> origin_share;       // O_i / T
  std::vector<double> destination_share;  // D_j / T
  FlowMatrix interaction;                 // I_ij
  FlowMatrix expected;                    // T (O_i/T) (D_j/T)
};
MultiplicativeComponents ComputeMultiplicativeComponents(const FlowMatrix& flows);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_SUMMARY_H_

// High-dimensional fixed effects: the demeaning (within transformation) that PPML and OLS with
// fixed effects run on, and the recovery of the fixed-effect estimates.
//
//   models::FixedEffects fe;                 // one integer code per observation and dimension
//   fe.names = {"orig_period", "dest_period", "pair"};
//   fe.codes = {orig_codes, dest_codes, pair_codes};   // codes[dim][obs] in [0, levels[dim])
//   fe.levels = {n_orig, n_dest, n_pair};
//   models::Demeaner demeaner(fe, /*threads=*/2);
//   demeaner.SetWeights(weights);            // empty vector: every weight 1
//   Eigen::MatrixXd columns = ...;           // n x c: the columns to demean, in place
//   models::FixedEffectCoefficients start;   // warm starts per column (empty: zero)
//   models::DemeanStats stats = demeaner.Demean(columns, {.tolerance = 1e-8}, &start);
//
// Method: weighted alternating projections (Gaure 2013) in the space of the fixed-effect
// coefficients. For a column v and weights w, the fixed-effect part is the weighted least-squares
// fit sum_d alpha_d[code_d(i)]; one sweep visits each dimension d in turn and sets alpha_d[g] to
// the weighted mean over group g of v - sum_{e != d} alpha_e (a Gauss-Seidel step, kept as a
// running residual r = v - sum_d alpha_d so a step costs two passes over the observations). The
// sweeps are accelerated by Irons & Tuck (1969) extrapolation on alpha, as fixest does (Berge
// 2018): from x, F(x), F(F(x)) the step x2 - (d2.(x2 - x1) / d2.d2) (x2 - x1), d2 = x2 - 2x1 + x.
// Stopping rule (fixest's): max_g |F(alpha)_g - alpha_g| / (0.1 + |alpha_g|) < tolerance.
// The result is r, the residual of v after projecting out the fixed effects.
//
// Threads: columns are demeaned in parallel (one column per thread, each in a fixed order of
// operations), so the results are bit-identical for any thread count. Memory: the codes, the
// weights and one n-vector of workspace per thread, plus the coefficients (sum of levels) per
// column.
#ifndef KAZMIG_MODELS_FIXED_EFFECTS_H_
#define KAZMIG_MODELS_FIXED_EFFECTS_H_

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

namespace kazmig::models {

// Fixed effects as dense integer level codes: codes[dim][obs] in [0, levels[dim]). Any number of
// dimensions (0 means none), any number of levels.
struct FixedEffects {
  std::vector<std::string> names;
  std::vector<std::vector<int32_t>> codes;
  std::vector<int32_t> levels;

  size_t dims() const { return codes.size(); }
  // Observations (0 when there are no dimensions).
  size_t observations() const { return codes.empty() ? 0 : codes.front().size(); }
};

// Fixed effects with the observations where keep[obs] == 0 removed and each dimension's levels
// renumbered densely in order of first appearance; `old_level[dim][new_code]` gives the code in
// `fe` of each kept level (may be null).
FixedEffects SubsetFixedEffects(const FixedEffects& fe, const std::vector<uint8_t>& keep,
                                std::vector<std::vector<int32_t>>* old_level = nullptr);

// Checks the shape of `fe` (every dimension with n_obs codes in [0, levels)); throws ComputeError
// (internal) otherwise.
void CheckFixedEffects(const FixedEffects& fe, size_t n_obs);

// Fixed-effect coefficients per demeaned column: coef[column] holds sum(levels) values, dimension
// after dimension. Used as warm starts and returned updated.
using FixedEffectCoefficients = std::vector<Eigen::VectorXd>;

struct DemeanOptions {
  double tolerance = 1e-8;     // see the stopping rule above
  int max_iterations = 10000;  // sweeps per column
  bool accelerate = true;      // Irons-Tuck extrapolation
};

struct DemeanStats {
  int max_iterations = 0;  // largest number of sweeps over the columns
  bool converged = true;   // every column met the tolerance
  double max_change = 0;   // largest last relative change over the columns
};

class Demeaner {
 public:
  // Keeps a reference to `fe` (it must outlive the Demeaner). `threads` >= 1.
  Demeaner(const FixedEffects& fe, int threads);

  // Sets the observation weights (positive; empty = all 1) and the group weight sums. Groups whose
  // weights sum to zero get coefficient 0.
  void SetWeights(const Eigen::VectorXd& weights);

  // Replaces each column of `columns` (n_obs rows) by its residual after projecting out the fixed
  // effects with the current weights. `coef`, when not null, gives warm starts (columns without
  // one start at zero) and receives each column's coefficients. Without dimensions the columns
  // are unchanged.
  DemeanStats Demean(Eigen::Ref<Eigen::MatrixXd> columns, const DemeanOptions& options,
                     FixedEffectCoefficients* coef = nullptr) const;

  // The coefficients alpha (dimension after dimension, sum(levels) values) of the weighted
  // least-squares fit of `values` by the fixed effects, normalised as described at
  // NormaliseFixedEffects.
  Eigen::VectorXd Recover(const Eigen::VectorXd& values, const DemeanOptions& options,
                          DemeanStats* stats = nullptr) const;

  const FixedEffects& fixed_effects() const { return fe_; }
  // Offset of dimension `dim` in a coefficient vector.
  size_t offset(size_t dim) const { return offsets_[dim]; }
  size_t coefficient_count() const { return offsets_.back(); }

 private:
  double DemeanColumn(double* column, double* alpha, double* workspace,
                      const DemeanOptions& options, int* iterations) const;
  void Sweep(double* residual, double* alpha) const;

  const FixedEffects& fe_;
  int threads_;
  size_t n_obs_;
  std::vector<size_t> offsets_;  // dims + 1 entries
  std::vector<double> weights_;  // empty: all 1
  std::vector<double>
      inv_weight_sum_;  // per coefficient: 1 / sum of weights in the group (0 if none)
};

// Normalises fixed-effect coefficients (dimension after dimension, as Demeaner) so that in each
// dimension d >= 1 the level with code 0 has coefficient 0, the shift being moved to dimension 0
// (the sum over dimensions is unchanged for every observation when the effects form one
// connected set, the usual case; fixest uses one reference level per dimension as well).
void NormaliseFixedEffects(const FixedEffects& fe, Eigen::VectorXd& coefficients);

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_FIXED_EFFECTS_H_

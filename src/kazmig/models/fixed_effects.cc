#include "kazmig/models/fixed_effects.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::models {

void CheckFixedEffects(const FixedEffects& fe, size_t n_obs) {
  CheckShape(fe.levels.size() == fe.codes.size(), "FixedEffects",
             "levels and codes have different numbers of dimensions");
  for (size_t dim = 0; dim < fe.codes.size(); ++dim) {
    CheckSameSize("FixedEffects", "codes", fe.codes[dim].size(), "observations", n_obs);
    const int32_t levels = fe.levels[dim];
    for (const int32_t code : fe.codes[dim]) {
      CheckShape(code >= 0 && code < levels, "FixedEffects", "a code is outside [0, levels)");
    }
  }
}

FixedEffects SubsetFixedEffects(const FixedEffects& fe, const std::vector<uint8_t>& keep,
                                std::vector<std::vector<int32_t>>* old_level) {
  FixedEffects out;
  out.names = fe.names;
  if (old_level != nullptr) old_level->assign(fe.dims(), {});
  for (size_t dim = 0; dim < fe.dims(); ++dim) {
    std::vector<int32_t> new_code(static_cast<size_t>(fe.levels[dim]), -1);
    std::vector<int32_t> codes;
    codes.reserve(fe.codes[dim].size());
    int32_t next = 0;
    std::vector<int32_t> olds;
    for (size_t obs = 0; obs < keep.size(); ++obs) {
      if (keep[obs] == 0) continue;
      const int32_t code = fe.codes[dim][obs];
      if (new_code[static_cast<size_t>(code)] < 0) {
        new_code[static_cast<size_t>(code)] = next++;
        olds.push_back(code);
      }
      codes.push_back(new_code[static_cast<size_t>(code)]);
    }
    out.codes.push_back(std::move(codes));
    out.levels.push_back(next);
    if (old_level != nullptr) (*old_level)[dim] = std::move(olds);
  }
  return out;
}

Demeaner::Demeaner(const FixedEffects& fe, int threads)
    : fe_(fe), threads_(std::max(1, threads)), n_obs_(fe.observations()) {
  offsets_.push_back(0);
  for (size_t dim = 0; dim < fe.dims(); ++dim) {
    offsets_.push_back(offsets_.back() + static_cast<size_t>(fe.levels[dim]));
  }
  SetWeights(Eigen::VectorXd());
}

void Demeaner::SetWeights(const Eigen::VectorXd& weights) {
  if (weights.size() == 0 || fe_.dims() == 0) {
    weights_.clear();
  } else {
    CheckSameSize("Demeaner", "weights", static_cast<size_t>(weights.size()), "observations",
                  n_obs_);
    weights_.assign(weights.data(), weights.data() + weights.size());
  }
  inv_weight_sum_.assign(offsets_.back(), 0.0);
  for (size_t dim = 0; dim < fe_.dims(); ++dim) {
    double* sums = inv_weight_sum_.data() + offsets_[dim];
    const int32_t* codes = fe_.codes[dim].data();
    if (weights_.empty()) {
      for (size_t obs = 0; obs < n_obs_; ++obs) sums[codes[obs]] += 1.0;
    } else {
      for (size_t obs = 0; obs < n_obs_; ++obs) sums[codes[obs]] += weights_[obs];
    }
  }
  for (double& value : inv_weight_sum_) value = value > 0 ? 1.0 / value : 0.0;
}

// One Gauss-Seidel sweep over the dimensions: for each dimension, the weighted group means of the
// residual are added to alpha and removed from the residual.
void Demeaner::Sweep(double* residual, double* alpha) const {
  // The group sums are accumulated in the slots of alpha's dimension after saving alpha there:
  // use a small per-call buffer instead to keep alpha intact.
  thread_local std::vector<double> sums;
  for (size_t dim = 0; dim < fe_.dims(); ++dim) {
    const size_t levels = static_cast<size_t>(fe_.levels[dim]);
    sums.assign(levels, 0.0);
    double* group = sums.data();
    const int32_t* codes = fe_.codes[dim].data();
    if (weights_.empty()) {
      for (size_t obs = 0; obs < n_obs_; ++obs) group[codes[obs]] += residual[obs];
    } else {
      const double* weights = weights_.data();
      for (size_t obs = 0; obs < n_obs_; ++obs) group[codes[obs]] += weights[obs] * residual[obs];
    }
    const double* inv = inv_weight_sum_.data() + offsets_[dim];
    double* coef = alpha + offsets_[dim];
    for (size_t level = 0; level < levels; ++level) {
      group[level] *= inv[level];
      coef[level] += group[level];
    }
    for (size_t obs = 0; obs < n_obs_; ++obs) residual[obs] -= group[codes[obs]];
  }
}

namespace {

// max_g |a_g - b_g| / (0.1 + |a_g|)
double RelativeChange(const double* now, const double* before, size_t count) {
  double change = 0;
  for (size_t idx = 0; idx < count; ++idx) {
    change = std::max(change, std::abs(now[idx] - before[idx]) / (0.1 + std::abs(now[idx])));
  }
  return change;
}

}  // namespace

double Demeaner::DemeanColumn(double* column, double* alpha, double* workspace,
                              const DemeanOptions& options, int* iterations) const {
  const size_t n_coef = offsets_.back();
  // The residual lives in `column`: r = v - sum_d alpha_d.
  for (size_t dim = 0; dim < fe_.dims(); ++dim) {
    const int32_t* codes = fe_.codes[dim].data();
    const double* coef = alpha + offsets_[dim];
    for (size_t obs = 0; obs < n_obs_; ++obs) column[obs] -= coef[codes[obs]];
  }
  double* x0 = workspace;
  double* x1 = workspace + n_coef;
  double change = 0;
  *iterations = 0;
  while (*iterations < options.max_iterations) {
    std::copy(alpha, alpha + n_coef, x0);
    Sweep(column, alpha);
    ++*iterations;
    change = RelativeChange(alpha, x0, n_coef);
    if (change < options.tolerance || fe_.dims() == 1) {
      // One dimension: a single sweep is the exact projection.
      if (fe_.dims() == 1) change = 0;
      break;
    }
    if (!options.accelerate) continue;
    std::copy(alpha, alpha + n_coef, x1);
    Sweep(column, alpha);
    ++*iterations;
    change = RelativeChange(alpha, x1, n_coef);
    if (change < options.tolerance) break;
    // Irons-Tuck: x2 = alpha; step = x2 - x1; d2 = x2 - 2 x1 + x0.
    double numerator = 0;
    double denominator = 0;
    for (size_t idx = 0; idx < n_coef; ++idx) {
      const double step = alpha[idx] - x1[idx];
      const double d2 = alpha[idx] - 2 * x1[idx] + x0[idx];
      numerator += d2 * step;
      denominator += d2 * d2;
    }
    if (!(denominator > 0)) continue;
    const double factor = numerator / denominator;
    // x3 = x2 - factor * (x2 - x1); the residual moves by -(x3 - x2) summed over dimensions.
    for (size_t idx = 0; idx < n_coef; ++idx) x0[idx] = -factor * (alpha[idx] - x1[idx]);
    for (size_t dim = 0; dim < fe_.dims(); ++dim) {
      const int32_t* codes = fe_.codes[dim].data();
      const double* shift = x0 + offsets_[dim];
      for (size_t obs = 0; obs < n_obs_; ++obs) column[obs] -= shift[codes[obs]];
    }
    for (size_t idx = 0; idx < n_coef; ++idx) alpha[idx] += x0[idx];
  }
  return change;
}

DemeanStats Demeaner::Demean(Eigen::Ref<Eigen::MatrixXd> columns, const DemeanOptions& options,
                             FixedEffectCoefficients* coef) const {
  DemeanStats stats;
  if (fe_.dims() == 0) return stats;
  CheckSameSize("Demeaner::Demean", "rows", static_cast<size_t>(columns.rows()), "observations",
                n_obs_);
  const size_t n_cols = static_cast<size_t>(columns.cols());
  const size_t n_coef = offsets_.back();
  FixedEffectCoefficients local;
  FixedEffectCoefficients& alphas = coef != nullptr ? *coef : local;
  if (alphas.size() < n_cols) alphas.resize(n_cols);
  for (auto& alpha : alphas) {
    if (static_cast<size_t>(alpha.size()) != n_coef) alpha = Eigen::VectorXd::Zero(n_coef);
  }
  std::vector<int> iterations(n_cols, 0);
  std::vector<double> changes(n_cols, 0.0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<double> workspace(2 * n_coef);
    for (size_t col = next++; col < n_cols; col = next++) {
      changes[col] = DemeanColumn(columns.col(static_cast<Eigen::Index>(col)).data(),
                                  alphas[col].data(), workspace.data(), options, &iterations[col]);
    }
  };
  const int n_threads = std::min<int>(threads_, static_cast<int>(n_cols));
  if (n_threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int thread_idx = 1; thread_idx < n_threads; ++thread_idx) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
  }
  for (size_t col = 0; col < n_cols; ++col) {
    stats.max_iterations = std::max(stats.max_iterations, iterations[col]);
    stats.max_change = std::max(stats.max_change, changes[col]);
    if (!(changes[col] < options.tolerance) && fe_.dims() > 1) stats.converged = false;
  }
  return stats;
}

Eigen::VectorXd Demeaner::Recover(const Eigen::VectorXd& values, const DemeanOptions& options,
                                  DemeanStats* stats) const {
  Eigen::MatrixXd column = values;
  FixedEffectCoefficients coef;
  const DemeanStats got = Demean(column, options, &coef);
  if (stats != nullptr) *stats = got;
  Eigen::VectorXd alpha =
      coef.empty() ? Eigen::VectorXd::Zero(static_cast<Eigen::Index>(offsets_.back())) : coef[0];
  NormaliseFixedEffects(fe_, alpha);
  return alpha;
}

void NormaliseFixedEffects(const FixedEffects& fe, Eigen::VectorXd& coefficients) {
  if (fe.dims() < 2) return;
  size_t offset = static_cast<size_t>(fe.levels[0]);
  double shift_to_first = 0;
  for (size_t dim = 1; dim < fe.dims(); ++dim) {
    const size_t levels = static_cast<size_t>(fe.levels[dim]);
    if (levels == 0) continue;
    const double reference = coefficients[static_cast<Eigen::Index>(offset)];
    for (size_t level = 0; level < levels; ++level) {
      coefficients[static_cast<Eigen::Index>(offset + level)] -= reference;
    }
    shift_to_first += reference;
    offset += levels;
  }
  for (int32_t level = 0; level < fe.levels[0]; ++level) coefficients[level] += shift_to_first;
}

}  // namespace kazmig::models

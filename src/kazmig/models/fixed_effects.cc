#include "kazmig/models/fixed_effects.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::models {
namespace {

// A per-thread buffer for the one-dimension sweep.
std::vector<double>& DeltaScratch() {
  thread_local std::vector<double> scratch;
  return scratch;
}

// Accumulates sums[code] += value over a stream of (code, value) pairs. Consecutive equal codes
// (a table sorted by one fixed effect) are summed in a register: adding each to memory would make
// every step wait for the previous step's store to the same address.
class RunSum {
 public:
  explicit RunSum(double* sums) : sums_(sums) {}
  void Add(int32_t code, double value) {
    if (code != code_) {
      if (code_ >= 0) sums_[code_] += acc_;
      code_ = code;
      acc_ = value;
    } else {
      acc_ += value;
    }
  }
  void Flush() {
    if (code_ >= 0) sums_[code_] += acc_;
    code_ = -1;
  }

 private:
  double* sums_;
  int32_t code_ = -1;
  double acc_ = 0;
};

}  // namespace

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

// One Gauss-Seidel sweep over the dimensions: for each dimension d, the weighted group means of
// the residual (from the group sums accumulated by the previous pass) are added to alpha_d and
// removed from the residual, in the same pass that accumulates the group sums of the next
// dimension (of dimension 0 after the last), so a sweep reads the observations D times.
void Demeaner::Sweep(double* residual, double* alpha, double* sums) const {
  const size_t dims = fe_.dims();
  const double* weights = weights_.empty() ? nullptr : weights_.data();
  for (size_t dim = 0; dim < dims; ++dim) {
    const size_t levels = static_cast<size_t>(fe_.levels[dim]);
    double* delta = sums + offsets_[dim];
    const double* inv = inv_weight_sum_.data() + offsets_[dim];
    double* coef = alpha + offsets_[dim];
    for (size_t level = 0; level < levels; ++level) {
      delta[level] *= inv[level];
      coef[level] += delta[level];
    }
    const size_t next = dim + 1 < dims ? dim + 1 : 0;
    double* next_sums = sums + offsets_[next];
    const int32_t* codes = fe_.codes[dim].data();
    const int32_t* next_codes = fe_.codes[next].data();
    if (next == dim) {
      // One dimension: the pass subtracts and re-accumulates from the same codes.
      std::vector<double>& copy = DeltaScratch();
      copy.assign(delta, delta + levels);
      std::fill(next_sums, next_sums + levels, 0.0);
      const double* step = copy.data();
      RunSum acc(next_sums);
      for (size_t obs = 0; obs < n_obs_; ++obs) {
        const double value = residual[obs] - step[codes[obs]];
        residual[obs] = value;
        acc.Add(codes[obs], weights != nullptr ? weights[obs] * value : value);
      }
      acc.Flush();
      continue;
    }
    std::fill(next_sums, next_sums + fe_.levels[next], 0.0);
    RunSum acc(next_sums);
    if (weights != nullptr) {
      for (size_t obs = 0; obs < n_obs_; ++obs) {
        const double value = residual[obs] - delta[codes[obs]];
        residual[obs] = value;
        acc.Add(next_codes[obs], weights[obs] * value);
      }
    } else {
      for (size_t obs = 0; obs < n_obs_; ++obs) {
        const double value = residual[obs] - delta[codes[obs]];
        residual[obs] = value;
        acc.Add(next_codes[obs], value);
      }
    }
    acc.Flush();
  }
}

void Demeaner::Shift(double* residual, const double* shift, double* sums) const {
  const size_t dims = fe_.dims();
  const double* weights = weights_.empty() ? nullptr : weights_.data();
  std::fill(sums, sums + fe_.levels[0], 0.0);
  const int32_t* codes0 = fe_.codes[0].data();
  const double* shift0 = shift;
  if (dims == 3) {
    // The common case of three dimensions, unrolled.
    const int32_t* codes1 = fe_.codes[1].data();
    const int32_t* codes2 = fe_.codes[2].data();
    const double* shift1 = shift + offsets_[1];
    const double* shift2 = shift + offsets_[2];
    RunSum acc(sums);
    for (size_t obs = 0; obs < n_obs_; ++obs) {
      const double value =
          residual[obs] - shift0[codes0[obs]] - shift1[codes1[obs]] - shift2[codes2[obs]];
      residual[obs] = value;
      acc.Add(codes0[obs], weights != nullptr ? weights[obs] * value : value);
    }
    acc.Flush();
    return;
  }
  for (size_t dim = 1; dim < dims; ++dim) {
    const int32_t* codes = fe_.codes[dim].data();
    const double* step = shift + offsets_[dim];
    for (size_t obs = 0; obs < n_obs_; ++obs) residual[obs] -= step[codes[obs]];
  }
  RunSum acc(sums);
  for (size_t obs = 0; obs < n_obs_; ++obs) {
    const double value = residual[obs] - shift0[codes0[obs]];
    residual[obs] = value;
    acc.Add(codes0[obs], weights != nullptr ? weights[obs] * value : value);
  }
  acc.Flush();
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
  double* x0 = workspace;
  double* x1 = workspace + n_coef;
  double* sums = workspace + 2 * n_coef;
  // The residual lives in `column`: r = v - sum_d alpha_d (warm start), with its group sums.
  Shift(column, alpha, sums);
  double change = 0;
  *iterations = 0;
  while (*iterations < options.max_iterations) {
    std::copy(alpha, alpha + n_coef, x0);
    Sweep(column, alpha, sums);
    ++*iterations;
    if (fe_.dims() == 1) return 0;  // one dimension: a single sweep is the exact projection
    change = RelativeChange(alpha, x0, n_coef);
    if (change < options.tolerance) break;
    if (!options.accelerate) continue;
    std::copy(alpha, alpha + n_coef, x1);
    Sweep(column, alpha, sums);
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
    // x3 = x2 - factor * (x2 - x1): alpha moves by `shift` and the residual by -shift.
    for (size_t idx = 0; idx < n_coef; ++idx) x0[idx] = -factor * (alpha[idx] - x1[idx]);
    Shift(column, x0, sums);
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
    std::vector<double> workspace(3 * n_coef);
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

#include "kazmig/models/spatial_interaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include <ctime>
#include <limits>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/models/poisson_glm.h"
#include "kazmig/models/vector_sum.h"

namespace kazmig::models {
namespace {

struct Observation {
  size_t orig;
  size_t dest;
  double flow;
  double cost;  // f(c_ij)
};

std::vector<Observation> CollectObservations(const FlowMatrix& flows, const FlowMatrix& cost,
                                             CostForm form) {
  const size_t n = flows.size();
  CheckSameSize("FitDoublyConstrained", "cost regions", cost.size(), "flow regions", n);
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  std::vector<Observation> observations;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double flow = flows(orig_idx, dest_idx);
      const bool flow_ok = std::isfinite(flow) && flow >= 0;
      CheckData(flow_ok, "FitDoublyConstrained",
                flow_ok ? "" : fmt::format("flow {} -> {} is {}", orig_idx, dest_idx, flow));
      if (out[orig_idx] <= 0 || in[dest_idx] <= 0) continue;
      const double c = cost(orig_idx, dest_idx);
      const bool cost_ok = std::isfinite(c) && (form != CostForm::kPower || c > 0);
      CheckData(cost_ok, "FitDoublyConstrained",
                cost_ok ? ""
                        : fmt::format(
                              "cost {} -> {} is {} (must be {})", orig_idx, dest_idx, c,
                              form == CostForm::kPower ? "positive for the power form" : "finite"));
      observations.push_back(
          {orig_idx, dest_idx, flow, form == CostForm::kPower ? std::log(c) : c});
    }
  }
  return observations;
}

DoublyConstrainedFit FitByGlm(const FlowMatrix& flows, const std::vector<Observation>& obs,
                              const DoublyConstrainedOptions& options) {
  const size_t n = flows.size();
  // Dense index of the origins and destinations in use.
  std::vector<int> orig_level(n, -1), dest_level(n, -1);
  int n_orig = 0, n_dest = 0;
  for (const auto& o : obs) {
    if (orig_level[o.orig] < 0) orig_level[o.orig] = n_orig++;
    if (dest_level[o.dest] < 0) dest_level[o.dest] = n_dest++;
  }
  const Eigen::Index n_obs = static_cast<Eigen::Index>(obs.size());
  const Eigen::Index n_coef = 1 + (n_orig - 1) + (n_dest - 1) + 1;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n_obs, n_coef);
  Eigen::VectorXd y(n_obs);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    const Observation& o = obs[obs_idx];
    x(obs_idx, 0) = 1;
    if (orig_level[o.orig] > 0) x(obs_idx, orig_level[o.orig]) = 1;
    if (dest_level[o.dest] > 0) x(obs_idx, n_orig - 1 + dest_level[o.dest]) = 1;
    x(obs_idx, n_coef - 1) = o.cost;
    y[obs_idx] = o.flow;
  }
  PoissonGlmOptions glm_options;
  glm_options.max_iterations = options.max_iterations;
  const PoissonGlmResult glm = FitPoissonGlm(x, y, Eigen::VectorXd(), glm_options);
  DoublyConstrainedFit fit;
  fit.solver = "glm";
  fit.beta = glm.coefficients[n_coef - 1];
  fit.beta_se = glm.std_errors[n_coef - 1];
  fit.deviance = glm.deviance;
  fit.log_likelihood = glm.log_likelihood;
  fit.iterations = glm.iterations;
  fit.converged = glm.converged;
  fit.observations = obs.size();
  fit.fitted = FlowMatrix(flows.size());
  fit.fitted.set_ids(flows.ids());
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    fit.fitted(obs[obs_idx].orig, obs[obs_idx].dest) = glm.fitted[obs_idx];
  }
  return fit;
}

// Furness balancing for one beta; warm-starts from and updates `a`, `b`. Fills `mu` per
// observation and returns the profile score sum f (y - mu).
class FurnessProfile {
 public:
  FurnessProfile(size_t n, const std::vector<Observation>& obs) : n_(n), obs_(obs) {
    out_.assign(n, 0);
    in_.assign(n, 0);
    for (const auto& o : obs) {
      out_[o.orig] += o.flow;
      in_[o.dest] += o.flow;
    }
    a_.assign(n, 1);
    b_.assign(n, 1);
    kernel_.resize(obs.size());
    mu_.resize(obs.size());
  }

  double Score(double beta) {
    for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
      kernel_[obs_idx] = std::exp(beta * obs_[obs_idx].cost);
    }
    std::vector<double> sum(n_);
    for (int sweep = 0; sweep < 10000; ++sweep) {
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        sum[obs_[obs_idx].orig] += b_[obs_[obs_idx].dest] * kernel_[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (out_[region_idx] > 0) a_[region_idx] = out_[region_idx] / sum[region_idx];
      }
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        sum[obs_[obs_idx].dest] += a_[obs_[obs_idx].orig] * kernel_[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (in_[region_idx] > 0) b_[region_idx] = in_[region_idx] / sum[region_idx];
      }
      // After the column step the columns match; check the rows.
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
        mu_[obs_idx] = a_[obs_[obs_idx].orig] * b_[obs_[obs_idx].dest] * kernel_[obs_idx];
        sum[obs_[obs_idx].orig] += mu_[obs_idx];
      }
      double worst = 0;
      for (size_t region_idx = 0; region_idx < n_; ++region_idx) {
        if (out_[region_idx] > 0) {
          worst = std::max(worst, std::abs(sum[region_idx] / out_[region_idx] - 1));
        }
      }
      if (worst < 1e-13) break;
    }
    double score = 0;
    for (size_t obs_idx = 0; obs_idx < obs_.size(); ++obs_idx) {
      score += obs_[obs_idx].cost * (obs_[obs_idx].flow - mu_[obs_idx]);
    }
    return score;
  }
  const std::vector<double>& mu() const { return mu_; }

 private:
  size_t n_;
  const std::vector<Observation>& obs_;
  std::vector<double> out_, in_, a_, b_, kernel_, mu_;
};

// The root of a decreasing profile score g(beta): bracketing from 0 with steps doubling from
// `step0`, then the Illinois regula falsi until |delta beta| < tolerance (1 + |beta|).
struct ProfileRoot {
  double beta = 0;
  int evaluations = 0;
  bool converged = false;
};

template <typename Score>
ProfileRoot FindProfileRoot(Score&& score, double step0, double tolerance, int max_evaluations) {
  ProfileRoot root;
  int& evaluations = root.evaluations;
  double lo = 0, g_lo = score(0.0);
  ++evaluations;
  double hi = lo, g_hi = g_lo;
  // g is decreasing: a positive score means the root lies above.
  const double direction = g_lo > 0 ? 1.0 : -1.0;
  double step = step0;
  bool bracketed = g_lo == 0;
  while (!bracketed && evaluations < max_evaluations) {
    hi = lo + direction * step;
    g_hi = score(hi);
    ++evaluations;
    if (!std::isfinite(g_hi)) break;
    if ((g_hi > 0) != (g_lo > 0) || g_hi == 0) {
      bracketed = true;
    } else {
      lo = hi;
      g_lo = g_hi;
      step *= 2;
    }
  }
  double beta = lo;
  if (bracketed && g_lo != 0) {
    // Illinois regula falsi on [lo, hi].
    int side = 0;
    double previous = std::nan("");
    while (evaluations < max_evaluations) {
      beta = (lo * g_hi - hi * g_lo) / (g_hi - g_lo);
      const double g = score(beta);
      ++evaluations;
      const double scale = tolerance * (1 + std::abs(beta));
      if (std::abs(hi - lo) < scale || std::abs(beta - previous) < scale || g == 0) {
        root.converged = true;
        break;
      }
      if ((g > 0) == (g_hi > 0)) {
        hi = beta;
        g_hi = g;
        if (side == -1) g_lo /= 2;
        side = -1;
      } else {
        lo = beta;
        g_lo = g;
        if (side == 1) g_hi /= 2;
        side = 1;
      }
      previous = beta;
    }
  } else if (g_lo == 0) {
    root.converged = true;
  }
  root.beta = beta;
  return root;
}

DoublyConstrainedFit FitByProfile(const FlowMatrix& flows, const std::vector<Observation>& obs,
                                  const DoublyConstrainedOptions& options) {
  FurnessProfile profile(flows.size(), obs);
  // Scale of the cost to size the first bracketing step.
  double mean = 0, sq = 0;
  for (const auto& o : obs) mean += o.cost;
  mean /= static_cast<double>(obs.size());
  for (const auto& o : obs) sq += (o.cost - mean) * (o.cost - mean);
  const double sd = std::sqrt(sq / static_cast<double>(obs.size()));
  const double step0 = sd > 0 ? 1.0 / sd : 1.0;

  DoublyConstrainedFit fit;
  fit.solver = "profile";
  const ProfileRoot root = FindProfileRoot([&](double b) { return profile.Score(b); }, step0,
                                           options.tolerance, options.max_iterations);
  const double beta = root.beta;
  const int evaluations = root.evaluations;
  fit.converged = root.converged;
  // Observed profile information by central differences, then the fit at beta.
  const double h = 1e-5 * std::max(1.0, std::abs(beta)) * (sd > 0 ? 1.0 / sd : 1.0);
  const double g_plus = profile.Score(beta + h);
  const double g_minus = profile.Score(beta - h);
  const double slope = (g_plus - g_minus) / (2 * h);
  fit.beta_se = slope < 0 ? 1.0 / std::sqrt(-slope) : std::nan("");
  profile.Score(beta);
  fit.beta = beta;
  fit.iterations = evaluations;
  fit.observations = obs.size();
  fit.fitted = FlowMatrix(flows.size());
  fit.fitted.set_ids(flows.ids());
  Eigen::VectorXd y(static_cast<Eigen::Index>(obs.size())), mu(y.size());
  for (size_t obs_idx = 0; obs_idx < obs.size(); ++obs_idx) {
    fit.fitted(obs[obs_idx].orig, obs[obs_idx].dest) = profile.mu()[obs_idx];
    y[static_cast<Eigen::Index>(obs_idx)] = obs[obs_idx].flow;
    mu[static_cast<Eigen::Index>(obs_idx)] = profile.mu()[obs_idx];
  }
  fit.deviance = PoissonDeviance(y, mu);
  double llf = 0;
  for (Eigen::Index obs_idx = 0; obs_idx < y.size(); ++obs_idx) {
    llf += (y[obs_idx] > 0 ? y[obs_idx] * std::log(mu[obs_idx]) : 0.0) - mu[obs_idx] -
           std::lgamma(y[obs_idx] + 1);
  }
  fit.log_likelihood = llf;
  return fit;
}

}  // namespace

DoublyConstrainedFit FitDoublyConstrained(const FlowMatrix& flows, const FlowMatrix& cost,
                                          CostForm form, const DoublyConstrainedOptions& options) {
  const std::vector<Observation> obs = CollectObservations(flows, cost, form);
  size_t senders = 0, receivers = 0;
  {
    std::vector<char> s(flows.size(), 0), r(flows.size(), 0);
    for (const auto& o : obs) {
      s[o.orig] = 1;
      r[o.dest] = 1;
    }
    for (size_t region_idx = 0; region_idx < flows.size(); ++region_idx) {
      senders += s[region_idx];
      receivers += r[region_idx];
    }
  }
  if (senders < 2 || receivers < 2) {
    throw ComputeError(
        "FitDoublyConstrained: fewer than two regions send and receive flows; the distance "
        "decay is not identified");
  }
  const bool use_glm = options.solver == DoublyConstrainedSolver::kGlm ||
                       (options.solver == DoublyConstrainedSolver::kAuto &&
                        std::max(senders, receivers) <= kMaxDummyRegions);
  return use_glm ? FitByGlm(flows, obs, options) : FitByProfile(flows, obs, options);
}

}  // namespace kazmig::models

// ---------------------------------------------------------------------------------------------
// The spatial-interaction family.

namespace kazmig::models {
namespace {

constexpr const char* kFamily = "FitSpatialInteraction";

bool HasOriginEffects(SpatialConstraint c) {
  return c == SpatialConstraint::kProduction || c == SpatialConstraint::kDoubly;
}
bool HasDestEffects(SpatialConstraint c) {
  return c == SpatialConstraint::kAttraction || c == SpatialConstraint::kDoubly;
}

// Asks the kernel to back a large buffer with transparent huge pages before it is first written:
// the model's arrays hold tens of millions of numbers, and faulting them in 4 KiB pages costs
// as much as the arithmetic. Advice only (a no-op where unsupported).
void AdviseHugePages(void* data, size_t bytes) {
#ifdef __linux__
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  if (bytes < 2 * kHuge) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// Sizes `values` to n zeros, with the huge-page advice above.
template <typename T>
void AssignLarge(std::vector<T>& values, size_t n) {
  values.clear();
  values.shrink_to_fit();
  values.reserve(n);
  AdviseHugePages(values.data(), n * sizeof(T));
  values.assign(n, T{});
}

template <typename Derived>
void ResizeLarge(Eigen::PlainObjectBase<Derived>& values, Eigen::Index rows, Eigen::Index cols) {
  values.resize(rows, cols);
  AdviseHugePages(values.data(), static_cast<size_t>(rows * cols) * sizeof(double));
}

[[noreturn]] void FailData(const std::string& message) {
  CheckData(false, kFamily, message);
  throw ComputeError("unreachable");
}

std::string VarName(const std::vector<std::string>& names, size_t var_idx, const char* side) {
  if (var_idx < names.size() && !names[var_idx].empty()) return names[var_idx];
  return fmt::format("{} attribute {}", side, var_idx + 1);
}

// Runs work(chunk, begin, end) over min(threads, n) contiguous chunks of [0, n) (at least one; on
// this thread when one), chunk c being [c n / chunks, (c + 1) n / chunks).
template <typename Work>
void ForIndexedChunks(size_t n, int threads, Work&& work) {
  const size_t chunks = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), n));
  if (chunks == 1) {
    work(size_t{0}, size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  for (size_t chunk = 1; chunk < chunks; ++chunk) {
    pool.emplace_back([&, chunk] { work(chunk, chunk * n / chunks, (chunk + 1) * n / chunks); });
  }
  work(size_t{0}, size_t{0}, n / chunks);
  for (std::thread& thread : pool) thread.join();
}

// Runs work(begin, end) over `threads` contiguous chunks of [0, n) (on this thread when 1).
template <typename Work>
void ForChunks(size_t n, int threads, Work&& work) {
  ForIndexedChunks(n, threads, [&](size_t, size_t begin, size_t end) { work(begin, end); });
}

// The flows the model uses, the compact codes of the levels in use and the covariate columns
// (ln V, ln W, f(c): spint's column order after the effects).
struct Design {
  std::vector<uint32_t> used;      // indices into the data, in the order of the arrays below
  std::vector<uint32_t> orig;      // compact origin level (0 = reference)
  std::vector<uint32_t> dest;      // compact destination level
  std::vector<size_t> orig_level;  // compact -> data level
  std::vector<size_t> dest_level;
  Eigen::MatrixXd covariates;  // used.size() x (origin vars + dest vars + 1)
  Eigen::VectorXd y;
  size_t n_origin_vars = 0, n_dest_vars = 0;
};

// The levels the model uses: with origin effects, an origin that sends nothing has an effect of
// minus infinity and is left out (destinations likewise).
struct LevelCodes {
  std::vector<int64_t> orig_code, dest_code;   // data level -> compact level, -1 when left out
  std::vector<size_t> orig_level, dest_level;  // compact level -> data level
  size_t n_used = 0;                           // flows whose origin and destination are used
  int64_t orig(const SpatialInteractionData& data, size_t obs_idx) const {
    return orig_code[static_cast<size_t>(data.orig[obs_idx])];
  }
  int64_t dest(const SpatialInteractionData& data, size_t obs_idx) const {
    return dest_code[static_cast<size_t>(data.dest[obs_idx])];
  }
};

// Checks the data (the errors name the first bad flow in data order) and codes the levels in use.
LevelCodes CheckAndCode(const SpatialInteractionData& data,
                        const SpatialInteractionOptions& options) {
  const size_t n = data.flow.size();
  CheckSameSize(kFamily, "orig", data.orig.size(), "flow", n);
  CheckSameSize(kFamily, "dest", data.dest.size(), "flow", n);
  CheckSameSize(kFamily, "cost", data.cost.size(), "flow", n);
  for (const auto& v : data.origin_vars)
    CheckSameSize(kFamily, "origin attribute", v.size(), "flow", n);
  for (const auto& v : data.dest_vars)
    CheckSameSize(kFamily, "destination attribute", v.size(), "flow", n);
  const SpatialConstraint constraint = options.constraint;
  CheckSetting(!(HasOriginEffects(constraint) && !data.origin_vars.empty()), kFamily,
               "origin attributes are absorbed by the origin effects of a production- or "
               "doubly-constrained model; give them to the unconstrained or attraction-constrained "
               "model");
  CheckSetting(!(HasDestEffects(constraint) && !data.dest_vars.empty()), kFamily,
               "destination attributes are absorbed by the destination effects of an attraction- "
               "or doubly-constrained model; give them to the unconstrained or "
               "production-constrained model");
  CheckData(n > 0, kFamily, "there are no flows");
  CheckShape(n < (size_t{1} << 32), kFamily, "more than 2^32 - 1 flows");

  std::vector<double> out(data.n_orig, 0.0), in(data.n_dest, 0.0);
  for (size_t obs_idx = 0; obs_idx < n; ++obs_idx) {
    const int32_t o = data.orig[obs_idx], d = data.dest[obs_idx];
    CheckShape(o >= 0 && static_cast<size_t>(o) < data.n_orig && d >= 0 &&
                   static_cast<size_t>(d) < data.n_dest,
               kFamily, "a level code is out of range");
    const double flow = data.flow[obs_idx];
    if (!(std::isfinite(flow) && flow >= 0)) {
      FailData(fmt::format("flow {} is {}; flows must be finite and >= 0", obs_idx + 1, flow));
    }
    const double c = data.cost[obs_idx];
    const bool power = options.cost_form == CostForm::kPower;
    if (!(std::isfinite(c) && (!power || c > 0))) {
      FailData(fmt::format("cost {} is {}; it must be {}", obs_idx + 1, c,
                           power ? "positive for the power form (ln c)" : "finite"));
    }
    for (size_t var_idx = 0; var_idx < data.origin_vars.size(); ++var_idx) {
      const double v = data.origin_vars[var_idx][obs_idx];
      if (!(std::isfinite(v) && v > 0)) {
        FailData(fmt::format("{} of flow {} is {}; it must be positive (the model takes its log)",
                             VarName(data.origin_var_names, var_idx, "origin"), obs_idx + 1, v));
      }
    }
    for (size_t var_idx = 0; var_idx < data.dest_vars.size(); ++var_idx) {
      const double v = data.dest_vars[var_idx][obs_idx];
      if (!(std::isfinite(v) && v > 0)) {
        FailData(fmt::format("{} of flow {} is {}; it must be positive (the model takes its log)",
                             VarName(data.dest_var_names, var_idx, "destination"), obs_idx + 1, v));
      }
    }
    out[static_cast<size_t>(o)] += flow;
    in[static_cast<size_t>(d)] += flow;
  }

  LevelCodes codes;
  const bool by_orig = HasOriginEffects(constraint), by_dest = HasDestEffects(constraint);
  codes.orig_code.assign(data.n_orig, -1);
  codes.dest_code.assign(data.n_dest, -1);
  for (size_t level = 0; level < data.n_orig; ++level) {
    if (by_orig && !(out[level] > 0)) continue;
    codes.orig_code[level] = static_cast<int64_t>(codes.orig_level.size());
    codes.orig_level.push_back(level);
  }
  for (size_t level = 0; level < data.n_dest; ++level) {
    if (by_dest && !(in[level] > 0)) continue;
    codes.dest_code[level] = static_cast<int64_t>(codes.dest_level.size());
    codes.dest_level.push_back(level);
  }
  for (size_t obs_idx = 0; obs_idx < n; ++obs_idx) {
    if (codes.orig(data, obs_idx) >= 0 && codes.dest(data, obs_idx) >= 0) ++codes.n_used;
  }
  CheckData(codes.n_used > 0, kFamily, "no flow is positive");
  return codes;
}

Design BuildDesign(const SpatialInteractionData& data, const SpatialInteractionOptions& options,
                   const LevelCodes& codes) {
  const size_t n = data.flow.size();
  const SpatialConstraint constraint = options.constraint;
  Design design;
  design.n_origin_vars = data.origin_vars.size();
  design.n_dest_vars = data.dest_vars.size();
  design.orig_level = codes.orig_level;
  design.dest_level = codes.dest_level;
  // Used flows, grouped by compact origin (by destination for the attraction-constrained model):
  // the balancing solvers walk each group's flows contiguously.
  const bool group_by_dest = constraint == SpatialConstraint::kAttraction;
  const size_t n_groups = group_by_dest ? design.dest_level.size() : design.orig_level.size();
  std::vector<size_t> group_start(n_groups + 1, 0);
  for (size_t obs_idx = 0; obs_idx < n; ++obs_idx) {
    const int64_t o = codes.orig(data, obs_idx), d = codes.dest(data, obs_idx);
    if (o < 0 || d < 0) continue;
    ++group_start[static_cast<size_t>(group_by_dest ? d : o) + 1];
  }
  for (size_t group_idx = 0; group_idx < n_groups; ++group_idx) {
    group_start[group_idx + 1] += group_start[group_idx];
  }
  const size_t n_used = group_start[n_groups];
  AssignLarge(design.used, n_used);
  AssignLarge(design.orig, n_used);
  AssignLarge(design.dest, n_used);
  std::vector<size_t> next(group_start.begin(), group_start.end() - 1);
  for (size_t obs_idx = 0; obs_idx < n; ++obs_idx) {
    const int64_t o = codes.orig(data, obs_idx), d = codes.dest(data, obs_idx);
    if (o < 0 || d < 0) continue;
    const size_t slot = next[static_cast<size_t>(group_by_dest ? d : o)]++;
    design.used[slot] = static_cast<uint32_t>(obs_idx);
    design.orig[slot] = static_cast<uint32_t>(o);
    design.dest[slot] = static_cast<uint32_t>(d);
  }
  CheckData(n_used > 0, kFamily, "no flow is positive");

  const size_t n_cov = design.n_origin_vars + design.n_dest_vars + 1;
  ResizeLarge(design.covariates, static_cast<Eigen::Index>(n_used),
              static_cast<Eigen::Index>(n_cov));
  ResizeLarge(design.y, static_cast<Eigen::Index>(n_used), 1);
  // Element by element (the same for any thread count).
  ForChunks(n_used, options.threads, [&](size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      const size_t obs_idx = design.used[slot];
      const Eigen::Index row = static_cast<Eigen::Index>(slot);
      Eigen::Index col = 0;
      for (const auto& v : data.origin_vars) design.covariates(row, col++) = std::log(v[obs_idx]);
      for (const auto& v : data.dest_vars) design.covariates(row, col++) = std::log(v[obs_idx]);
      const double c = data.cost[obs_idx];
      design.covariates(row, col) = options.cost_form == CostForm::kPower ? std::log(c) : c;
      design.y[row] = data.flow[obs_idx];
    }
  });
  return design;
}

// lgamma(y + 1), from a table for the small whole numbers most flows are.
double LogFactorial(double y) {
  constexpr int kTable = 4096;
  static const std::vector<double> table = [] {
    std::vector<double> values(kTable);
    for (int value = 0; value < kTable; ++value) values[value] = std::lgamma(value + 1.0);
    return values;
  }();
  return (y < kTable && y == std::floor(y)) ? table[static_cast<size_t>(y)] : std::lgamma(y + 1);
}

// The fit statistics of spint/spglm from y, mu and k, in one pass over the flows.
// for_each(visit) calls visit(y_i, mu_i) for each of the n_obs flows used, in the design's order
// (every sum runs in that order; sum y as Eigen sums a vector, models/vector_sum.h). With
// threads > 1, sum y ln mu and sum ln y! are taken on a second thread by a second walk: the same
// order, so the figures are the same.
template <typename ForEach>
void FillStatisticsOver(size_t n_obs, ForEach&& for_each, SpatialInteractionFit& fit,
                        bool spint_deviance, int threads = 1) {
  const double n = static_cast<double>(n_obs);
  const double k = static_cast<double>(fit.k);
  double y_log_y = 0, y_log_mu = 0, sum_mu = 0, squares = 0, similarity = 0;
  double log_factorials = 0;
  VectorSum y_sum(n_obs);
  const bool helper = threads > 1;
  std::thread second;
  if (helper) {
    second = std::thread([&] {
      for_each([&](double yi, double mi) {
        if (yi > 0) y_log_mu += yi * std::log(mi);
        log_factorials += LogFactorial(yi);
      });
    });
  }
  for_each([&](double yi, double mi) {
    y_sum.Add(yi);
    if (yi > 0) {
      y_log_y += yi * std::log(yi);
      if (!helper) y_log_mu += yi * std::log(mi);
    }
    if (!helper) log_factorials += LogFactorial(yi);
    sum_mu += mi;
    const double r = yi - mi;
    squares += r * r;
    similarity += 2 * std::min(yi, mi) / (yi + mi);
  });
  if (helper) second.join();
  const double sum_y = y_sum.Result();
  const double mean_y = sum_y / n;
  const double log_mean_y = std::log(mean_y);
  fit.n_obs = n_obs;
  // 2 sum [y ln(y / mu) - (y - mu)] and the same at mu = mean(y), where sum (y - mu) = 0.
  fit.deviance = 2 * (y_log_y - y_log_mu - (spint_deviance ? 0.0 : sum_y - sum_mu));
  fit.null_deviance = 2 * (y_log_y - sum_y * log_mean_y);
  fit.llf = y_log_mu - sum_mu - log_factorials;
  fit.llnull = sum_y * log_mean_y - sum_y - log_factorials;
  fit.aic = -2 * fit.llf + 2 * k;
  fit.d2 = 1 - fit.deviance / fit.null_deviance;
  fit.adj_d2 = 1 - (n - 1) / (n - k) * (1 - fit.d2);
  fit.pseudo_r2 = 1 - fit.llf / fit.llnull;
  fit.adj_pseudo_r2 = 1 - (fit.llf - k) / fit.llnull;
  fit.srmse = std::sqrt(squares / n) / mean_y;
  fit.ssi = similarity / n;
}

void FillStatistics(const Eigen::VectorXd& y, const Eigen::VectorXd& mu, SpatialInteractionFit& fit,
                    bool spint_deviance = false) {
  FillStatisticsOver(
      static_cast<size_t>(y.size()),
      [&](auto&& visit) {
        for (Eigen::Index obs_idx = 0; obs_idx < y.size(); ++obs_idx)
          visit(y[obs_idx], mu[obs_idx]);
      },
      fit, spint_deviance);
}

// Copies the effects (compact levels) into the fit's per-level vectors; unused levels get -inf.
void SetEffects(const std::vector<size_t>& level_of, size_t n_levels, const Eigen::VectorXd& value,
                const Eigen::VectorXd& se, std::vector<double>& effects,
                std::vector<double>& effect_se) {
  effects.assign(n_levels, -std::numeric_limits<double>::infinity());
  effect_se.assign(n_levels, std::numeric_limits<double>::quiet_NaN());
  for (size_t code = 0; code < level_of.size(); ++code) {
    effects[level_of[code]] = value[static_cast<Eigen::Index>(code)];
    effect_se[level_of[code]] = se[static_cast<Eigen::Index>(code)];
  }
}

// Covariate coefficients (ln V, ln W, f(c)) from a vector in that order.
void SetCovariates(const Design& design, const Eigen::VectorXd& value, const Eigen::VectorXd& se,
                   SpatialInteractionFit& fit) {
  Eigen::Index col = 0;
  for (size_t var_idx = 0; var_idx < design.n_origin_vars; ++var_idx, ++col) {
    fit.origin_coefs.push_back(value[col]);
    fit.origin_coef_se.push_back(se[col]);
  }
  for (size_t var_idx = 0; var_idx < design.n_dest_vars; ++var_idx, ++col) {
    fit.dest_coefs.push_back(value[col]);
    fit.dest_coef_se.push_back(se[col]);
  }
  fit.beta = value[col];
  fit.beta_se = se[col];
}

std::string CovariateName(const SpatialInteractionData& data, const Design& design,
                          Eigen::Index col) {
  const size_t c = static_cast<size_t>(col);
  if (c < design.n_origin_vars) return VarName(data.origin_var_names, c, "origin");
  if (c < design.n_origin_vars + design.n_dest_vars) {
    return VarName(data.dest_var_names, c - design.n_origin_vars, "destination");
  }
  return "the cost";
}

SpatialInteractionFit FitByGlm(const SpatialInteractionData& data, const Design& design,
                               const SpatialInteractionOptions& options) {
  const bool by_orig = HasOriginEffects(options.constraint);
  const bool by_dest = HasDestEffects(options.constraint);
  const Eigen::Index n_obs = design.y.size();
  const Eigen::Index n_o = by_orig ? static_cast<Eigen::Index>(design.orig_level.size()) - 1 : 0;
  const Eigen::Index n_d = by_dest ? static_cast<Eigen::Index>(design.dest_level.size()) - 1 : 0;
  const Eigen::Index n_cov = design.covariates.cols();
  const Eigen::Index n_coef = 1 + n_o + n_d + n_cov;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n_obs, n_coef);
  x.col(0).setOnes();
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    const Eigen::Index o = design.orig[static_cast<size_t>(obs_idx)];
    const Eigen::Index d = design.dest[static_cast<size_t>(obs_idx)];
    if (by_orig && o > 0) x(obs_idx, o) = 1;
    if (by_dest && d > 0) x(obs_idx, 1 + n_o + d - 1) = 1;
  }
  x.rightCols(n_cov) = design.covariates;
  PoissonGlmOptions glm_options;
  glm_options.max_iterations = options.max_iterations;
  if (options.spint_iteration) glm_options.iteration = GlmIteration::kSpglm;
  const PoissonGlmResult glm = FitPoissonGlm(x, design.y, Eigen::VectorXd(), glm_options);
  if (glm.rank < n_coef) {
    std::string names;
    for (Eigen::Index col = 1 + n_o + n_d; col < n_coef; ++col) {
      if (std::isnan(glm.std_errors[col])) {
        names += (names.empty() ? "" : ", ") + CovariateName(data, design, col - 1 - n_o - n_d);
      }
    }
    CheckData(
        false, kFamily,
        fmt::format("the design is collinear ({} of {} columns identified){}", glm.rank, n_coef,
                    names.empty() ? std::string()
                                  : fmt::format(": {} is a combination of the others", names)));
  }
  SpatialInteractionFit fit;
  fit.solver = "glm";
  fit.k = static_cast<size_t>(n_coef);
  fit.iterations = glm.iterations;
  fit.converged = glm.converged;
  fit.remaining_change = glm.relative_change;
  fit.intercept = glm.coefficients[0];
  fit.intercept_se = glm.std_errors[0];
  if (by_orig) {
    Eigen::VectorXd value(n_o + 1), se(n_o + 1);
    value[0] = 0;
    se[0] = std::numeric_limits<double>::quiet_NaN();
    value.tail(n_o) = glm.coefficients.segment(1, n_o);
    se.tail(n_o) = glm.std_errors.segment(1, n_o);
    SetEffects(design.orig_level, data.n_orig, value, se, fit.origin_effects, fit.origin_effect_se);
  }
  if (by_dest) {
    Eigen::VectorXd value(n_d + 1), se(n_d + 1);
    value[0] = 0;
    se[0] = std::numeric_limits<double>::quiet_NaN();
    value.tail(n_d) = glm.coefficients.segment(1 + n_o, n_d);
    se.tail(n_d) = glm.std_errors.segment(1 + n_o, n_d);
    SetEffects(design.dest_level, data.n_dest, value, se, fit.dest_effects, fit.dest_effect_se);
  }
  SetCovariates(design, glm.coefficients.tail(n_cov), glm.std_errors.tail(n_cov), fit);
  AssignLarge(fit.fitted, data.flow.size());
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    fit.fitted[design.used[static_cast<size_t>(obs_idx)]] = glm.fitted[obs_idx];
  }
  FillStatistics(design.y, glm.fitted, fit, options.spint_iteration);
  return fit;
}

// One-sided balancing (production: groups are origins; attraction: destinations). The flows of
// group g are rows [start[g], start[g + 1]) of the design.
SpatialInteractionFit FitOneSided(const SpatialInteractionData& data, const Design& design,
                                  const SpatialInteractionOptions& options) {
  const bool by_dest = options.constraint == SpatialConstraint::kAttraction;
  const std::vector<uint32_t>& group = by_dest ? design.dest : design.orig;
  const size_t n_groups = by_dest ? design.dest_level.size() : design.orig_level.size();
  const Eigen::MatrixXd& x = design.covariates;
  const Eigen::VectorXd& y = design.y;
  const Eigen::Index n_obs = y.size(), p = x.cols();
  std::vector<size_t> start(n_groups + 1, 0);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) ++start[group[obs_idx] + 1];
  for (size_t group_idx = 0; group_idx < n_groups; ++group_idx)
    start[group_idx + 1] += start[group_idx];
  std::vector<double> total(n_groups, 0.0);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) total[group[obs_idx]] += y[obs_idx];

  // Concentrated log-likelihood, its gradient and Hessian (negative definite) at gamma; mu and the
  // group log-normalisers log_sum (ln sum_j exp(x gamma)) as by-products.
  Eigen::VectorXd eta(n_obs), mu(n_obs);
  std::vector<double> log_sum(n_groups);
  std::vector<Eigen::VectorXd> mean_x(n_groups);
  auto evaluate = [&](const Eigen::VectorXd& gamma, Eigen::VectorXd* gradient,
                      Eigen::MatrixXd* hessian) {
    eta.noalias() = x * gamma;
    double llc = y.dot(eta);
    if (gradient) gradient->setZero(p);
    if (hessian) hessian->setZero(p, p);
    for (size_t group_idx = 0; group_idx < n_groups; ++group_idx) {
      const Eigen::Index begin = static_cast<Eigen::Index>(start[group_idx]);
      const Eigen::Index size = static_cast<Eigen::Index>(start[group_idx + 1]) - begin;
      const double top = eta.segment(begin, size).maxCoeff();
      const Eigen::ArrayXd weight = (eta.segment(begin, size).array() - top).exp();
      const double sum = weight.sum();
      log_sum[group_idx] = top + std::log(sum);
      llc -= total[group_idx] * log_sum[group_idx];
      mu.segment(begin, size) = (weight * (total[group_idx] / sum)).matrix();
      if (gradient || hessian) {
        const auto block = x.middleRows(begin, size);
        mean_x[group_idx] = block.transpose() * (weight / sum).matrix();
        if (hessian) {
          const Eigen::MatrixXd centred = block.rowwise() - mean_x[group_idx].transpose();
          hessian->noalias() -=
              centred.transpose() * (mu.segment(begin, size).asDiagonal() * centred);
        }
      }
    }
    if (gradient) gradient->noalias() = x.transpose() * (y - mu);
    return llc;
  };

  SpatialInteractionFit fit;
  fit.solver = "balancing";
  Eigen::VectorXd gamma = Eigen::VectorXd::Zero(p), gradient(p);
  Eigen::MatrixXd hessian(p, p);
  double llc = evaluate(gamma, &gradient, &hessian);
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    fit.iterations = iteration;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(-hessian);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0).all()) {
      CheckData(false, kFamily,
                "the attributes and the cost are collinear within the fixed-effect groups");
    }
    Eigen::VectorXd step = ldlt.solve(gradient);
    Eigen::VectorXd candidate = gamma + step;
    double llc_new = evaluate(candidate, nullptr, nullptr);
    for (int halving = 0; halving < 40 && !(llc_new >= llc - 1e-12 * std::abs(llc)); ++halving) {
      step /= 2;
      candidate = gamma + step;
      llc_new = evaluate(candidate, nullptr, nullptr);
    }
    gamma = candidate;
    llc = evaluate(gamma, &gradient, &hessian);
    const double change = (step.array().abs() / (1 + gamma.array().abs())).maxCoeff();
    fit.remaining_change = change;
    if (change < 1e-10) {
      fit.converged = true;
      break;
    }
  }
  (void)llc;

  // Standard errors: S = -H is the information of gamma with the effects profiled out.
  const Eigen::MatrixXd s_inv = (-hessian).ldlt().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::VectorXd gamma_se = s_inv.diagonal().array().sqrt().matrix();
  // Effects alpha_g = ln(O_g) - log_sum_g; constant = alpha_0; effects relative to it.
  // Var(alpha_g) = 1/O_g + xbar_g' S^-1 xbar_g; Var(alpha_g - alpha_0) = 1/O_g + 1/O_0 +
  // (xbar_g - xbar_0)' S^-1 (xbar_g - xbar_0).
  Eigen::VectorXd alpha(static_cast<Eigen::Index>(n_groups));
  for (size_t group_idx = 0; group_idx < n_groups; ++group_idx) {
    alpha[static_cast<Eigen::Index>(group_idx)] = std::log(total[group_idx]) - log_sum[group_idx];
  }
  Eigen::VectorXd effect(alpha.size()), effect_se(alpha.size());
  for (Eigen::Index group_idx = 0; group_idx < alpha.size(); ++group_idx) {
    effect[group_idx] = alpha[group_idx] - alpha[0];
    const Eigen::VectorXd diff = mean_x[static_cast<size_t>(group_idx)] - mean_x[0];
    effect_se[group_idx] = std::sqrt(1 / total[static_cast<size_t>(group_idx)] + 1 / total[0] +
                                     diff.dot(s_inv * diff));
  }
  effect_se[0] = std::numeric_limits<double>::quiet_NaN();
  fit.intercept = alpha[0];
  fit.intercept_se = std::sqrt(1 / total[0] + mean_x[0].dot(s_inv * mean_x[0]));
  SetEffects(by_dest ? design.dest_level : design.orig_level, by_dest ? data.n_dest : data.n_orig,
             effect, effect_se, by_dest ? fit.dest_effects : fit.origin_effects,
             by_dest ? fit.dest_effect_se : fit.origin_effect_se);
  SetCovariates(design, gamma, gamma_se, fit);
  fit.k = 1 + (n_groups - 1) + static_cast<size_t>(p);
  AssignLarge(fit.fitted, data.flow.size());
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    fit.fitted[design.used[static_cast<size_t>(obs_idx)]] = mu[obs_idx];
  }
  FillStatistics(y, mu, fit);
  return fit;
}

// Furness balancing for the doubly-constrained model on many regions: mu_ij = a_i b_j K_ij with
// K = exp(beta f), a = O / K b, b = D / K'a. The kernel is held as a dense origin x destination
// matrix (zero where no flow is observed) when at least half the cells are observed, else by
// origin rows. The balancing iterates x = ln a through one Furness sweep x -> ln(O / K (D / K'a)),
// accelerated by SQUAREM (Varadhan & Roland 2008, scheme S3 with the steplength clamped to <= -1),
// until the largest change of ln a in a sweep is below a tolerance; a and b are warm-started from
// the previous beta. Score(beta) returns the profile score sum f (y - mu). The tolerance follows
// the step in beta: 1e-6 |delta beta| / (1 + |beta|), between 1e-13 and 1e-7, so that the early
// steps of the root search, far from the root, do not pay for digits the next step discards; the
// last steps, 1e-9 apart or less, balance to 1e-13 or nearly (Score(beta, 1e-13) forces it).
class TwoWayBalancer {
 public:
  using DenseMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // From a dense matrix of f (origin x destination, 0 where no flow is observed: the cells in
  // `missing`), the totals O and D and sum f y (FitTwoWayByRuns).
  TwoWayBalancer(DenseMatrix f_dense, std::vector<size_t> missing, Eigen::VectorXd out,
                 Eigen::VectorXd in, double fy, int threads)
      : n_orig_(static_cast<size_t>(f_dense.rows())),
        n_dest_(static_cast<size_t>(f_dense.cols())),
        threads_(std::max(1, threads)),
        dense_(true),
        fy_(fy),
        out_(std::move(out)),
        in_(std::move(in)),
        f_dense_(std::move(f_dense)),
        missing_(std::move(missing)) {
    log_a_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_orig_));
  }

  TwoWayBalancer(const Design& design, size_t n_orig, size_t n_dest, int threads)
      : orig_(&design.orig),
        dest_(&design.dest),
        n_orig_(n_orig),
        n_dest_(n_dest),
        threads_(std::max(1, threads)) {
    const std::vector<uint32_t>& orig = design.orig;
    const std::vector<uint32_t>& dest = design.dest;
    const size_t n_obs = dest.size();
    const Eigen::Index f_col = design.covariates.cols() - 1;
    out_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_orig));
    in_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_dest));
    for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
      const Eigen::Index row = static_cast<Eigen::Index>(obs_idx);
      out_[orig[obs_idx]] += design.y[row];
      in_[dest[obs_idx]] += design.y[row];
      fy_ += design.covariates(row, f_col) * design.y[row];
    }
    const double cells = static_cast<double>(n_orig) * static_cast<double>(n_dest);
    dense_ = cells <= 2.0 * static_cast<double>(n_obs) + 1e5;
    if (dense_) {
      ResizeLarge(f_dense_, static_cast<Eigen::Index>(n_orig), static_cast<Eigen::Index>(n_dest));
      f_dense_.setZero();
      std::vector<uint8_t> present(static_cast<size_t>(cells), 0);
      for (size_t obs_idx = 0; obs_idx < n_obs && dense_; ++obs_idx) {
        const size_t cell = orig[obs_idx] * n_dest + dest[obs_idx];
        if (present[cell]) dense_ = false;  // a pair given twice: keep the flows by row
        present[cell] = 1;
        f_dense_(orig[obs_idx], dest[obs_idx]) =
            design.covariates(static_cast<Eigen::Index>(obs_idx), f_col);
      }
      for (size_t cell = 0; cell < present.size() && dense_; ++cell) {
        if (!present[cell]) missing_.push_back(cell);
      }
    }
    if (!dense_) {
      f_dense_.resize(0, 0);
      missing_.clear();
      // The design groups the flows by origin.
      start_.assign(n_orig + 1, 0);
      for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) ++start_[orig[obs_idx] + 1];
      for (size_t orig_idx = 0; orig_idx < n_orig; ++orig_idx) {
        start_[orig_idx + 1] += start_[orig_idx];
      }
      f_sparse_ = design.covariates.col(f_col).array();
    }
    log_a_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_orig));
  }

  double Score(double beta, double tolerance = 0) {
    if (!(tolerance > 0)) {
      const double step = std::isfinite(beta_) ? std::abs(beta - beta_) : 1.0;
      tolerance = std::clamp(1e-6 * step / (1 + std::abs(beta)), 1e-13, 1e-7);
    }
    if (dense_) {
      if (k_dense_.size() != f_dense_.size()) AllocateKernel();
      ForChunks(static_cast<size_t>(f_dense_.rows()), threads_, [&](size_t begin, size_t end) {
        const Eigen::Index rows = static_cast<Eigen::Index>(end - begin);
        k_dense_.middleRows(static_cast<Eigen::Index>(begin), rows) =
            (beta * f_dense_.middleRows(static_cast<Eigen::Index>(begin), rows).array())
                .exp()
                .matrix();
      });
      for (size_t cell : missing_) k_dense_.data()[cell] = 0;
    } else {
      k_sparse_ = (beta * f_sparse_).exp();
    }
    // Warm start: ln a extrapolated linearly in beta from the last two balancings.
    Eigen::VectorXd x = log_a_, x1, x2, x3;
    if (have_previous_ && beta_ != previous_beta_) {
      x += ((beta - beta_) / (beta_ - previous_beta_)) * (log_a_ - previous_log_a_);
    }
    for (int cycle = 0; cycle < 10000; ++cycle) {
      Sweep(x, x1);
      const Eigen::VectorXd r = x1 - x;
      if (!(r.cwiseAbs().maxCoeff() >= tolerance)) {
        x = x1;
        break;
      }
      Sweep(x1, x2);
      const Eigen::VectorXd v = x2 - 2 * x1 + x;
      const double v_norm = v.norm();
      double alpha = v_norm > 0 ? -r.norm() / v_norm : -1.0;
      if (!(alpha < -1)) alpha = -1;  // alpha = -1 is the plain second sweep, x2
      const Eigen::VectorXd extrapolated = x - 2 * alpha * r + alpha * alpha * v;
      Sweep(extrapolated, x3);
      x = x3.allFinite() ? x3 : x2;
    }
    if (std::isfinite(beta_)) {
      previous_beta_ = beta_;
      previous_log_a_ = log_a_;
      have_previous_ = true;
    }
    beta_ = beta;
    log_a_ = x;
    a_ = x.array().exp().matrix();
    ColTimes(a_, col_);
    b_ = (in_.array() / col_.array()).matrix();
    // sum f mu = sum_i a_i sum_j f_ij K_ij b_j.
    double f_mu = 0;
    if (dense_) {
      // By row, summed in row order: the same for any thread count.
      ForChunks(n_orig_, threads_, [&](size_t begin, size_t end) {
        for (size_t orig_idx = begin; orig_idx < end; ++orig_idx) {
          const Eigen::Index row = static_cast<Eigen::Index>(orig_idx);
          row_[row] =
              (f_dense_.row(row).array() * k_dense_.row(row).array() * b_.transpose().array())
                  .sum();
        }
      });
      f_mu = a_.dot(row_);
    } else {
      for (size_t orig_idx = 0; orig_idx < n_orig_; ++orig_idx) {
        double sum = 0;
        for (size_t obs_idx = start_[orig_idx]; obs_idx < start_[orig_idx + 1]; ++obs_idx) {
          const Eigen::Index row = static_cast<Eigen::Index>(obs_idx);
          sum += f_sparse_[row] * k_sparse_[row] * b_[(*dest_)[obs_idx]];
        }
        f_mu += a_[static_cast<Eigen::Index>(orig_idx)] * sum;
      }
    }
    return fy_ - f_mu;
  }

  // mu of flow `obs_idx` of the design, at the last Score, into out[used[obs_idx]].
  void Mu(const std::vector<uint32_t>& used, std::vector<double>& out) const {
    const std::vector<uint32_t>& orig = *orig_;
    const std::vector<uint32_t>& dest = *dest_;
    const size_t n_obs = dest.size();
    ForChunks(n_obs, threads_, [&](size_t begin, size_t end) {
      for (size_t obs_idx = begin; obs_idx < end; ++obs_idx) {
        const double kernel = dense_ ? k_dense_(orig[obs_idx], dest[obs_idx])
                                     : k_sparse_[static_cast<Eigen::Index>(obs_idx)];
        out[used[obs_idx]] = a_[orig[obs_idx]] * b_[dest[obs_idx]] * kernel;
      }
    });
  }
  // Lets the dense kernel live in `storage` when it has room for every cell (a vector the caller
  // is done with, whose memory is faulted in already); else the kernel is allocated afresh.
  void UseKernelStorage(std::vector<double> storage) { k_storage_ = std::move(storage); }

  // mu of origin o to destination d (compact levels) at the last Score, dense kernel only.
  double Mu(size_t o, size_t d) const {
    const auto row = static_cast<Eigen::Index>(o), col = static_cast<Eigen::Index>(d);
    return a_[row] * b_[col] * k_dense_(row, col);
  }
  const Eigen::VectorXd& a() const { return a_; }
  const Eigen::VectorXd& b() const { return b_; }

 private:
  void AllocateKernel() {
    const auto cells = static_cast<size_t>(f_dense_.size());
    double* data = nullptr;
    if (k_storage_.capacity() >= cells &&
        reinterpret_cast<uintptr_t>(k_storage_.data()) % 16 == 0) {
      k_storage_.resize(cells);  // within its capacity: no copy
      data = k_storage_.data();
    } else {
      std::vector<double>().swap(k_storage_);
      k_fresh_.reset(new double[cells]);  // not zero-filled: every cell is written
      AdviseHugePages(k_fresh_.get(), cells * sizeof(double));
      data = k_fresh_.get();
    }
    new (&k_dense_) KernelMap(data, f_dense_.rows(), f_dense_.cols());
  }

  // out_j = sum_i a_i K_ij. Dense: threads take ranges of columns and add the rows in order, so
  // every sum is the same for any thread count.
  void ColTimes(const Eigen::VectorXd& a, Eigen::VectorXd& out) const {
    if (dense_) {
      out.setZero(static_cast<Eigen::Index>(n_dest_));
      ForChunks(n_dest_, threads_, [&](size_t begin, size_t end) {
        const Eigen::Index first = static_cast<Eigen::Index>(begin);
        const Eigen::Index count = static_cast<Eigen::Index>(end - begin);
        auto segment = out.segment(first, count);
        for (Eigen::Index orig_idx = 0; orig_idx < k_dense_.rows(); ++orig_idx) {
          segment += a[orig_idx] * k_dense_.row(orig_idx).segment(first, count).transpose();
        }
      });
      return;
    }
    out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_dest_));
    for (size_t orig_idx = 0; orig_idx < n_orig_; ++orig_idx) {
      const double ai = a[static_cast<Eigen::Index>(orig_idx)];
      for (size_t obs_idx = start_[orig_idx]; obs_idx < start_[orig_idx + 1]; ++obs_idx) {
        out[(*dest_)[obs_idx]] += ai * k_sparse_[static_cast<Eigen::Index>(obs_idx)];
      }
    }
  }
  // out_i = sum_j K_ij b_j.
  void RowTimes(const Eigen::VectorXd& b, Eigen::VectorXd& out) const {
    if (dense_) {
      out.resize(static_cast<Eigen::Index>(n_orig_));
      ForChunks(n_orig_, threads_, [&](size_t begin, size_t end) {
        for (size_t orig_idx = begin; orig_idx < end; ++orig_idx) {
          const Eigen::Index row = static_cast<Eigen::Index>(orig_idx);
          out[row] = k_dense_.row(row).dot(b.transpose());
        }
      });
      return;
    }
    out.resize(static_cast<Eigen::Index>(n_orig_));
    for (size_t orig_idx = 0; orig_idx < n_orig_; ++orig_idx) {
      double sum = 0;
      for (size_t obs_idx = start_[orig_idx]; obs_idx < start_[orig_idx + 1]; ++obs_idx) {
        sum += k_sparse_[static_cast<Eigen::Index>(obs_idx)] * b[(*dest_)[obs_idx]];
      }
      out[static_cast<Eigen::Index>(orig_idx)] = sum;
    }
  }
  // One Furness sweep on x = ln a: b = D / K'a, then ln(O / K b).
  void Sweep(const Eigen::VectorXd& x, Eigen::VectorXd& next) {
    a_ = x.array().exp().matrix();
    ColTimes(a_, col_);
    b_ = (in_.array() / col_.array()).matrix();
    RowTimes(b_, row_);
    next = (out_.array() / row_.array()).log().matrix();
  }

  const std::vector<uint32_t>* orig_ = nullptr;  // the design's (none from a dense f)
  const std::vector<uint32_t>* dest_ = nullptr;
  size_t n_orig_, n_dest_;
  int threads_ = 1;
  bool dense_ = false;
  double fy_ = 0;  // sum f y
  double beta_ = std::numeric_limits<double>::quiet_NaN(), previous_beta_ = 0;
  bool have_previous_ = false;
  Eigen::VectorXd previous_log_a_;
  Eigen::VectorXd out_, in_, log_a_, a_, b_, col_, row_;
  DenseMatrix f_dense_;
  // The dense kernel, on k_storage_ (UseKernelStorage) or k_fresh_; 16-byte aligned, as Eigen
  // aligns its own matrices, so that Eigen's loops split it the same way.
  using KernelMap = Eigen::Map<DenseMatrix, Eigen::Aligned16>;
  KernelMap k_dense_{nullptr, 0, 0};
  std::vector<double> k_storage_;
  std::unique_ptr<double[]> k_fresh_;
  std::vector<size_t> missing_;
  std::vector<size_t> start_;
  Eigen::ArrayXd f_sparse_, k_sparse_;
};

// The doubly-constrained fit by balancing, from a balancer (which holds the kernel and the totals)
// and the standard deviation of f (which sizes the first step of the root search).
// at_root(fit) fills fit.fitted (when options.fitted) and the statistics while the balancer is at
// the root; fit.k is set by then.
template <typename AtRoot>
SpatialInteractionFit FitTwoWayWith(const SpatialInteractionData& data, const LevelCodes& codes,
                                    TwoWayBalancer& balancer, double sd,
                                    const SpatialInteractionOptions& options, AtRoot&& at_root) {
  const size_t n_orig = codes.orig_level.size(), n_dest = codes.dest_level.size();
  const double scale = sd > 0 ? 1.0 / sd : 1.0;
  double last_beta = std::nan(""), last_score = std::nan("");
  auto score = [&](double beta) {
    last_beta = beta;
    last_score = balancer.Score(beta);
    return last_score;
  };
  const ProfileRoot root = FindProfileRoot(score, scale, 1e-9, options.max_iterations);
  SpatialInteractionFit fit;
  fit.solver = "balancing";
  fit.converged = root.converged;
  fit.iterations = root.evaluations;
  fit.beta = root.beta;
  fit.k = 1 + (n_orig - 1) + (n_dest - 1) + 1;
  if (!(last_beta == fit.beta)) last_score = balancer.Score(fit.beta, 1e-13);
  const double g_root = last_score;
  at_root(fit);
  const Eigen::VectorXd a = balancer.a(), b = balancer.b();
  // Observed profile information -g'(beta), which equals the inverse of the (beta, beta) element
  // of the inverse of the full information, by a forward difference (relative error about 1e-5).
  const double h = 1e-5 * std::max(1.0, std::abs(fit.beta)) * scale;
  const double slope = (balancer.Score(fit.beta + h, 1e-13) - g_root) / h;
  fit.beta_se = slope < 0 ? 1.0 / std::sqrt(-slope) : std::nan("");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double log_a0 = std::log(a[0]), log_b0 = std::log(b[0]);
  fit.intercept = log_a0 + log_b0;
  fit.intercept_se = nan;
  Eigen::VectorXd effect(static_cast<Eigen::Index>(n_orig));
  for (size_t orig_idx = 0; orig_idx < n_orig; ++orig_idx) {
    effect[static_cast<Eigen::Index>(orig_idx)] =
        std::log(a[static_cast<Eigen::Index>(orig_idx)]) - log_a0;
  }
  SetEffects(codes.orig_level, data.n_orig, effect, Eigen::VectorXd::Constant(effect.size(), nan),
             fit.origin_effects, fit.origin_effect_se);
  effect.resize(static_cast<Eigen::Index>(n_dest));
  for (size_t dest_idx = 0; dest_idx < n_dest; ++dest_idx) {
    effect[static_cast<Eigen::Index>(dest_idx)] =
        std::log(b[static_cast<Eigen::Index>(dest_idx)]) - log_b0;
  }
  SetEffects(codes.dest_level, data.n_dest, effect, Eigen::VectorXd::Constant(effect.size(), nan),
             fit.dest_effects, fit.dest_effect_se);
  return fit;
}

SpatialInteractionFit FitTwoWay(const SpatialInteractionData& data, const LevelCodes& codes,
                                const Design& design, const SpatialInteractionOptions& options) {
  const size_t n_orig = design.orig_level.size(), n_dest = design.dest_level.size();
  TwoWayBalancer balancer(design, n_orig, n_dest, options.threads);
  const auto f = design.covariates.col(design.covariates.cols() - 1);
  const double mean = f.mean();
  const double sd = std::sqrt((f.array() - mean).square().mean());
  return FitTwoWayWith(data, codes, balancer, sd, options, [&](SpatialInteractionFit& fit) {
    // mu at the root, straight into the fit's flows (in data order).
    AssignLarge(fit.fitted, data.flow.size());
    balancer.Mu(design.used, fit.fitted);
    FillStatisticsOver(
        design.used.size(),
        [&](auto&& visit) {
          for (size_t obs_idx = 0; obs_idx < design.used.size(); ++obs_idx) {
            visit(design.y[static_cast<Eigen::Index>(obs_idx)], fit.fitted[design.used[obs_idx]]);
          }
        },
        fit, false, options.threads);
  });
}

// A run of consecutive flows (rows [begin, end) of the data) from one origin (compact level).
struct OriginRun {
  size_t begin, end, orig;
};

// The doubly-constrained balancing without a design, for tables whose flows come in runs by
// origin (as origin-destination tables are written: by origin, then destination) and that give
// each pair once, with at least half of the origin x destination cells: f goes straight from the
// data into the dense matrix the balancer works on, and the sums in the design's order (flows by
// origin level, then in data order: the totals, sum f y, the mean and spread of f and the
// statistics) walk the runs sorted by origin, with Eigen's grouping where the design's vectors
// were summed by Eigen (VectorSum). The same figures, to the last bit, as FitTwoWay on the design,
// with no per-flow copies but the matrix of f (and the kernel). Returns false (and leaves `fit`)
// when the data do not qualify.
// `spare_cost`, when given, is data.cost itself, which may be taken once f is made: the kernel's
// storage.
bool FitTwoWayByRuns(const SpatialInteractionData& data, const LevelCodes& codes,
                     const SpatialInteractionOptions& options, std::vector<double>* spare_cost,
                     SpatialInteractionFit& fit) {
  const size_t n = data.flow.size(), n_used = codes.n_used;
  const size_t n_orig = codes.orig_level.size(), n_dest = codes.dest_level.size();
  const double cells = static_cast<double>(n_orig) * static_cast<double>(n_dest);
  if (!(cells <= 2.0 * static_cast<double>(n_used) + 1e5)) return false;  // sparse: the design
  std::vector<OriginRun> runs;
  for (size_t obs_idx = 0; obs_idx < n; ++obs_idx) {
    if (obs_idx > 0 && data.orig[obs_idx] == data.orig[obs_idx - 1]) continue;
    if (!runs.empty()) runs.back().end = obs_idx;
    if (runs.size() > n / 16 + 64) return false;  // not by origin: the design
    const int64_t o = codes.orig(data, obs_idx);
    runs.push_back({obs_idx, n, o < 0 ? SIZE_MAX : static_cast<size_t>(o)});
  }
  std::erase_if(runs, [](const OriginRun& run) { return run.orig == SIZE_MAX; });
  std::stable_sort(runs.begin(), runs.end(),
                   [](const OriginRun& lhs, const OriginRun& rhs) { return lhs.orig < rhs.orig; });
  const bool power = options.cost_form == CostForm::kPower;
  // Calls visit(obs_idx, o, d) for the flows used, in the design's order, from run `first` on.
  auto walk = [&](size_t first, size_t last, auto&& visit) {
    for (size_t run_idx = first; run_idx < last; ++run_idx) {
      const OriginRun& run = runs[run_idx];
      for (size_t obs_idx = run.begin; obs_idx < run.end; ++obs_idx) {
        const int64_t d = codes.dest(data, obs_idx);
        if (d >= 0) visit(obs_idx, run.orig, static_cast<size_t>(d));
      }
    }
  };

  // f by origin x destination: NaN marks a cell not (yet) given. Threads take ranges of origins.
  TwoWayBalancer::DenseMatrix f_dense;
  ResizeLarge(f_dense, static_cast<Eigen::Index>(n_orig), static_cast<Eigen::Index>(n_dest));
  const int threads = std::max(1, options.threads);
  const size_t chunks = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), n_orig));
  std::vector<std::vector<size_t>> missing(chunks);
  std::vector<uint8_t> twice(chunks, 0);
  ForIndexedChunks(n_orig, threads, [&](size_t chunk, size_t begin, size_t end) {
    const auto first_row = static_cast<Eigen::Index>(begin);
    const auto rows = static_cast<Eigen::Index>(end - begin);
    f_dense.middleRows(first_row, rows).setConstant(std::numeric_limits<double>::quiet_NaN());
    const auto by_orig = [](const OriginRun& run, size_t o) { return run.orig < o; };
    const size_t first = static_cast<size_t>(
        std::lower_bound(runs.begin(), runs.end(), begin, by_orig) - runs.begin());
    const size_t last = static_cast<size_t>(
        std::lower_bound(runs.begin(), runs.end(), end, by_orig) - runs.begin());
    walk(first, last, [&](size_t obs_idx, size_t o, size_t d) {
      double& cell = f_dense(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(d));
      if (!std::isnan(cell)) twice[chunk] = 1;
      const double c = data.cost[obs_idx];
      cell = power ? std::log(c) : c;
    });
    for (size_t cell = begin * n_dest; cell < end * n_dest; ++cell) {
      if (std::isnan(f_dense.data()[cell])) {
        f_dense.data()[cell] = 0;
        missing[chunk].push_back(cell);
      }
    }
  });
  for (uint8_t given_twice : twice) {
    if (given_twice) return false;  // a pair given twice: the design keeps the flows by row
  }
  std::vector<size_t> all_missing;
  for (const std::vector<size_t>& part : missing) {
    all_missing.insert(all_missing.end(), part.begin(), part.end());
  }

  // The totals, sum f y and the mean of f; then the spread of f (the balancer's and FitTwoWay's).
  Eigen::VectorXd out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_orig));
  Eigen::VectorXd in = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_dest));
  double fy = 0;
  VectorSum f_sum(n_used);
  walk(0, runs.size(), [&](size_t obs_idx, size_t o, size_t d) {
    const double y = data.flow[obs_idx];
    const double f = f_dense(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(d));
    out[static_cast<Eigen::Index>(o)] += y;
    in[static_cast<Eigen::Index>(d)] += y;
    fy += f * y;
    f_sum.Add(f);
  });
  const double mean = f_sum.Result() / static_cast<double>(n_used);
  VectorSum squares(n_used);
  walk(0, runs.size(), [&](size_t, size_t o, size_t d) {
    const double deviation =
        f_dense(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(d)) - mean;
    squares.Add(deviation * deviation);
  });
  const double sd = std::sqrt(squares.Result() / static_cast<double>(n_used));

  TwoWayBalancer balancer(std::move(f_dense), std::move(all_missing), std::move(out), std::move(in),
                          fy, options.threads);
  if (spare_cost != nullptr) balancer.UseKernelStorage(std::move(*spare_cost));  // costs read
  fit = FitTwoWayWith(data, codes, balancer, sd, options, [&](SpatialInteractionFit& at_root) {
    if (options.fitted) {
      AssignLarge(at_root.fitted, n);
      ForChunks(n, threads, [&](size_t begin, size_t end) {
        for (size_t obs_idx = begin; obs_idx < end; ++obs_idx) {
          const int64_t o = codes.orig(data, obs_idx), d = codes.dest(data, obs_idx);
          if (o >= 0 && d >= 0) {
            at_root.fitted[obs_idx] = balancer.Mu(static_cast<size_t>(o), static_cast<size_t>(d));
          }
        }
      });
    }
    FillStatisticsOver(
        n_used,
        [&](auto&& visit) {
          walk(0, runs.size(), [&](size_t obs_idx, size_t o, size_t d) {
            visit(data.flow[obs_idx], balancer.Mu(o, d));
          });
        },
        at_root, false, options.threads);
  });
  return true;
}

SpatialInteractionFit Fit(const SpatialInteractionData& data,
                          const SpatialInteractionOptions& options,
                          std::vector<double>* spare_cost) {
  const LevelCodes codes = CheckAndCode(data, options);
  const SpatialConstraint constraint = options.constraint;
  const bool by_orig = HasOriginEffects(constraint), by_dest = HasDestEffects(constraint);
  if (by_orig) {
    CheckData(codes.orig_level.size() >= 2 || !by_dest, kFamily,
              "fewer than two origins send flows; the origin effects leave nothing to fit");
  }
  if (by_dest) {
    CheckData(codes.dest_level.size() >= 2 || !by_orig, kFamily,
              "fewer than two destinations receive flows; the destination effects leave nothing "
              "to fit");
  }
  size_t levels = 0;
  if (by_orig) levels = std::max(levels, codes.orig_level.size());
  if (by_dest) levels = std::max(levels, codes.dest_level.size());
  const bool balancing = constraint != SpatialConstraint::kNone &&
                         (options.solver == SpatialSolver::kBalancing ||
                          (options.solver == SpatialSolver::kAuto && levels > kMaxDummyRegions));
  SpatialInteractionFit fit;
  const bool two_way = balancing && constraint == SpatialConstraint::kDoubly;
  if (!(two_way && options.direct && FitTwoWayByRuns(data, codes, options, spare_cost, fit))) {
    const Design design = BuildDesign(data, options, codes);
    if (!balancing) {
      fit = FitByGlm(data, design, options);
    } else if (two_way) {
      fit = FitTwoWay(data, codes, design, options);
    } else {
      fit = FitOneSided(data, design, options);
    }
    if (!options.fitted) std::vector<double>().swap(fit.fitted);
  }
  fit.n_dropped = data.flow.size() - codes.n_used;
  return fit;
}

}  // namespace

SpatialInteractionFit FitSpatialInteraction(const SpatialInteractionData& data,
                                            const SpatialInteractionOptions& options) {
  return Fit(data, options, nullptr);
}

SpatialInteractionFit FitSpatialInteraction(SpatialInteractionData&& data,
                                            const SpatialInteractionOptions& options) {
  return Fit(data, options, &data.cost);
}

}  // namespace kazmig::models

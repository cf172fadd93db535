#include "kazmig/estimate/stocks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <numeric>
#include <thread>
#include <utility>
#if defined(__GLIBC__)  // (defined by the standard headers above)
#include <malloc.h>     // malloc_trim
#endif

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"
#include "kazmig/estimate/internal/lanes.h"
#include "kazmig/estimate/ipf.h"

namespace kazmig::estimate {
namespace {

std::string Id(const FlowMatrix& m, size_t idx) {
  return idx < m.ids().size() ? m.ids()[idx] : fmt::format("#{}", idx + 1);
}

double Sum(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

std::vector<double> RowTotals(const FlowMatrix& m) { return m.RowSums(true); }
std::vector<double> ColTotals(const FlowMatrix& m) { return m.ColSums(true); }

// migest's rescale_integer_sum: scale to `total`, round half to even, and put the rounding
// residual on the largest cell (migest draws at random among equal largest cells; we take the
// first, so the result is reproducible).
std::vector<double> RescaleIntegerSum(const std::vector<double>& values, double total) {
  const double sum = Sum(values);
  std::vector<double> out(values.size());
  for (size_t idx = 0; idx < values.size(); ++idx) {
    out[idx] = std::nearbyint(values[idx] * (total / sum));
  }
  const double residual = total - Sum(out);
  if (residual != 0 && !out.empty()) {
    const size_t largest =
        static_cast<size_t>(std::max_element(values.begin(), values.end()) - values.begin());
    out[largest] += residual;
  }
  return out;
}

// Step 1 (migest's nb_non_zero): a column whose native-born cell is negative gets its
// non-negative cells rescaled to the column total (negative cells become 0).
void NativeBornNonNegative(FlowMatrix& m, std::vector<std::string>& notes, const char* which) {
  const size_t n = m.size();
  for (size_t col_idx = 0; col_idx < n; ++col_idx) {
    if (m(col_idx, col_idx) >= 0) continue;
    double total = 0.0, positive = 0.0;
    for (size_t row_idx = 0; row_idx < n; ++row_idx) {
      total += m(row_idx, col_idx);
      positive += std::max(m(row_idx, col_idx), 0.0);
    }
    const double factor = (total == 0 || positive == 0) ? 0.0 : total / positive;
    for (size_t row_idx = 0; row_idx < n; ++row_idx) {
      m(row_idx, col_idx) = std::max(m(row_idx, col_idx), 0.0) * factor;
    }
    notes.push_back(
        fmt::format("{}: more foreign-born than population in {}; its column was rescaled to a "
                    "zero native-born "
                    "cell",
                    which, Id(m, col_idx)));
  }
}

// Step 2 (migest's nb_scale_global): move the diagonals so that the stock growth equals births
// minus deaths, half on each table, as integers.
void MatchGlobal(FlowMatrix& m1, FlowMatrix& m2, double births, double deaths,
                 std::vector<std::string>& notes) {
  const size_t n = m1.size();
  auto diagonal = [n](const FlowMatrix& m) {
    std::vector<double> out(n);
    for (size_t idx = 0; idx < n; ++idx) out[idx] = m(idx, idx);
    return out;
  };
  auto set_diagonal = [n](FlowMatrix& m, const std::vector<double>& values) {
    for (size_t idx = 0; idx < n; ++idx) m(idx, idx) = values[idx];
  };
  const double nat_grow = births - deaths;
  double pop_grow = m2.Total(true) - m1.Total(true);
  double dd = nat_grow - pop_grow;
  double trace1 = Sum(diagonal(m1)), trace2 = Sum(diagonal(m2));
  // migest's odd-number branch: R's `round(dd %% 2) == 0 & dd %% 2 != 0` (floor modulo).
  const double mod2 = dd - 2.0 * std::floor(dd / 2.0);
  if (std::nearbyint(mod2) == 0 && mod2 != 0) {
    set_diagonal(m2, RescaleIntegerSum(diagonal(m2), trace2 + 1));
    pop_grow = m2.Total(true) - m1.Total(true);
    dd = nat_grow - pop_grow;
    trace2 = Sum(diagonal(m2));
  }
  if (dd != 0) {
    set_diagonal(m1, RescaleIntegerSum(diagonal(m1), trace1 - dd / 2));
    set_diagonal(m2, RescaleIntegerSum(diagonal(m2), trace2 + dd / 2));
    notes.push_back(fmt::format(
        "global balance: native-born cells moved by {:g} in total (half on each table) so that "
        "stock growth equals births minus deaths",
        dd));
  }
}

// Scales each row of `m` to `targets` (mipfp with one row margin: 0 when the target or the row
// is 0).
FlowMatrix ScaleRows(const FlowMatrix& m, const std::vector<double>& targets) {
  FlowMatrix out = m;
  const std::vector<double> sums = RowTotals(m);
  for (size_t row_idx = 0; row_idx < m.size(); ++row_idx) {
    const double factor =
        (targets[row_idx] == 0 || sums[row_idx] == 0) ? 0.0 : targets[row_idx] / sums[row_idx];
    for (size_t col_idx = 0; col_idx < m.size(); ++col_idx) out(row_idx, col_idx) *= factor;
  }
  return out;
}

// A negative cell of a table the demographic adjustment derived is a failure of the adjustment
// (ComputeError naming the cell), not of an argument.
void FailOnNegativeCell(const FlowMatrix& m, const char* what) {
  for (size_t row_idx = 0; row_idx < m.size(); ++row_idx) {
    for (size_t col_idx = 0; col_idx < m.size(); ++col_idx) {
      if (m(row_idx, col_idx) < 0) {
        throw ComputeError(fmt::format(
            "flows from stocks: {} is negative for birthplace {}, residence {} ({:g}); the "
            "demographic adjustment asks for more people than the stock holds (check births, "
            "deaths and the stock tables, or try --match-birthplace rescale)",
            what, Id(m, row_idx), Id(m, col_idx), m(row_idx, col_idx)));
      }
    }
  }
}

// std::max(worst, |a * b[idx] - a_old * b_old[idx]|) over idx in [0, count), as the scalar loop
// `worst = std::max(worst, std::abs(a * b[idx] - a_old * b_old[idx]))` returns it: the largest
// value, a NaN never taken (the maximum of a set does not depend on the order it is scanned in).
// kWidth 2, or 4 (AVX): internal/lanes.h.
template <size_t kWidth>
__attribute__((always_inline)) inline double MaxScaledChangeBody(double a, const double* b,
                                                                 double a_old, const double* b_old,
                                                                 size_t count, double worst) {
  using V = internal::Vec<kWidth>;
  using Bits = typename internal::VecOf<kWidth>::Bits;
  // a, a_old and worst in every lane.
  const internal::Lanes4 spread_a = {{a, a, a, a}}, spread_a_old = {{a_old, a_old, a_old, a_old}},
                         spread_worst = {{worst, worst, worst, worst}};
  V scale, scale_old, most0;
  std::memcpy(&scale, spread_a.lane, sizeof scale);
  std::memcpy(&scale_old, spread_a_old.lane, sizeof scale_old);
  std::memcpy(&most0, spread_worst.lane, sizeof most0);
  const Bits no_sign = Bits{} + INT64_MAX;
  // Two running maxima: two independent chains of comparisons.
  V most1 = most0;
  size_t idx = 0;
  for (; idx + 2 * kWidth <= count; idx += 2 * kWidth) {
    V now0, before0, now1, before1;
    std::memcpy(&now0, b + idx, sizeof now0);
    std::memcpy(&before0, b_old + idx, sizeof before0);
    std::memcpy(&now1, b + idx + kWidth, sizeof now1);
    std::memcpy(&before1, b_old + idx + kWidth, sizeof before1);
    const V change0 = (V)((Bits)(scale * now0 - scale_old * before0) & no_sign);
    const V change1 = (V)((Bits)(scale * now1 - scale_old * before1) & no_sign);
    most0 = most0 < change0 ? change0 : most0;
    most1 = most1 < change1 ? change1 : most1;
  }
  most0 = most0 < most1 ? most1 : most0;
  for (size_t lane = 0; lane < kWidth; ++lane) worst = worst < most0[lane] ? most0[lane] : worst;
  for (; idx < count; ++idx) {
    const double change = std::abs(a * b[idx] - a_old * b_old[idx]);
    worst = worst < change ? change : worst;
  }
  return worst;
}

// row[idx] += a * b[idx] for idx in [0, count) (vectorised by the compiler).
__attribute__((always_inline)) inline void AddScaledBody(double* __restrict row, double a,
                                                         const double* __restrict b, size_t count) {
  for (size_t idx = 0; idx < count; ++idx) row[idx] += a * b[idx];
}

#if KAZMIG_HAVE_AVX_VARIANT
KAZMIG_TARGET_AVX double MaxScaledChangeAvx(double a, const double* b, double a_old,
                                            const double* b_old, size_t count, double worst) {
  return MaxScaledChangeBody<4>(a, b, a_old, b_old, count, worst);
}
KAZMIG_TARGET_AVX void AddScaledAvx(double* row, double a, const double* b, size_t count) {
  AddScaledBody(row, a, b, count);
}
#endif

double MaxScaledChange(double a, const double* b, double a_old, const double* b_old, size_t count,
                       double worst) {
#if KAZMIG_HAVE_AVX_VARIANT
  if (internal::CpuHasAvx()) return MaxScaledChangeAvx(a, b, a_old, b_old, count, worst);
#endif
  return MaxScaledChangeBody<2>(a, b, a_old, b_old, count, worst);
}

void AddScaled(double* row, double a, const double* b, size_t count) {
#if KAZMIG_HAVE_AVX_VARIANT
  if (internal::CpuHasAvx()) return AddScaledAvx(row, a, b, count);
#endif
  AddScaledBody(row, a, b, count);
}

// The 3-D IPF of flows by birthplace: cells x[k][i][j] (birthplace k, origin i, destination j)
// with margins (origin, birthplace) = row_targets[k][i] and (destination, birthplace) =
// col_targets[k][j], fitted origin margin first. The seed of every birthplace slice is the same
// origin x destination matrix, so each slice is alpha_k,i * m_ij * beta_k,j and one cycle costs
// O(n) per slice for the usual seeds (all ones, or ones off the diagonal) and O(n^2) otherwise.
// The stopping rule is global over all slices, as in mipfp: the largest absolute change of any
// cell over one cycle (or, with relative_tol, every margin within it).
class SlicedIpf {
 public:
  enum class SeedKind { kOnes, kOnesOffDiagonal, kGeneral };

  SlicedIpf(size_t n, SeedKind kind, const FlowMatrix* seed)
      : n_(n), kind_(kind), seed_(seed), alpha_(n * n, 1.0), beta_(n * n, 1.0) {}

  // row_targets and col_targets are n x n, indexed [birthplace * n + region].
  void Fit(const std::vector<double>& row_targets, const std::vector<double>& col_targets,
           const FfsDemoOptions& options, FfsResult& result) {
    std::vector<double> old_alpha, old_beta, dots(n_);
    const bool cell_rule = !options.relative_tol.has_value();
    const double tol = cell_rule ? options.cell_change_tol : *options.relative_tol;
    result.iterations = 0;
    result.converged = false;
    while (result.iterations < options.max_iterations) {
      if (cell_rule) {
        old_alpha = alpha_;
        old_beta = beta_;
      }
      for (size_t pob_idx = 0; pob_idx < n_; ++pob_idx) {
        double* alpha = &alpha_[pob_idx * n_];
        double* beta = &beta_[pob_idx * n_];
        Dots(beta, alpha, /*rows=*/true, dots);
        for (size_t idx = 0; idx < n_; ++idx) {
          alpha[idx] = Update(alpha[idx], dots[idx], row_targets[pob_idx * n_ + idx]);
        }
        Dots(alpha, beta, /*rows=*/false, dots);
        for (size_t idx = 0; idx < n_; ++idx) {
          beta[idx] = Update(beta[idx], dots[idx], col_targets[pob_idx * n_ + idx]);
        }
      }
      ++result.iterations;
      if (cell_rule) {
        if (LowerBoundChange(old_alpha, old_beta) >= tol) continue;
        result.last_cell_change = MaxChange(old_alpha, old_beta, tol);
        if (result.last_cell_change < tol) {
          result.converged = true;
          break;
        }
      } else if (MarginError(row_targets, col_targets) <= tol) {
        result.converged = true;
        break;
      }
    }
    result.max_margin_error = MarginError(row_targets, col_targets);
  }

  const std::vector<double>& alpha() const { return alpha_; }
  const std::vector<double>& beta() const { return beta_; }

  // Adds the fitted cells summed over birthplace to `flows` (diagonal left alone).
  // Each cell sums over birthplaces in order. Origin by origin, so that the row being added to
  // stays in cache; with a seed of ones a cell is alpha * beta (alpha * 1 is alpha exactly).
  void AddFlows(FlowMatrix& flows) const {
    for (size_t orig_idx = 0; orig_idx < n_; ++orig_idx) {
      double* row = flows.row(orig_idx);
      for (size_t pob_idx = 0; pob_idx < n_; ++pob_idx) {
        const double alpha = alpha_[pob_idx * n_ + orig_idx];
        if (alpha == 0) continue;
        const double* beta = &beta_[pob_idx * n_];
        if (kind_ == SeedKind::kGeneral) {
          for (size_t dest_idx = 0; dest_idx < n_; ++dest_idx) {
            if (dest_idx == orig_idx) continue;
            row[dest_idx] += alpha * Seed(orig_idx, dest_idx) * beta[dest_idx];
          }
          continue;
        }
        AddScaled(row, alpha, beta, orig_idx);
        AddScaled(row + orig_idx + 1, alpha, beta + orig_idx + 1, n_ - orig_idx - 1);
      }
    }
  }

 private:
  double Seed(size_t orig_idx, size_t dest_idx) const {
    switch (kind_) {
      case SeedKind::kOnes:
        return 1.0;
      case SeedKind::kOnesOffDiagonal:
        return orig_idx == dest_idx ? 0.0 : 1.0;
      case SeedKind::kGeneral:
        break;
    }
    return (*seed_)(orig_idx, dest_idx);
  }

  static double Update(double factor, double sum_without_factor, double target) {
    const double margin = factor * sum_without_factor;
    if (target == 0 || margin == 0) return 0.0;
    return factor * (target / margin);
  }

  // rows: out[i] = sum_j m_ij other[j]; columns: out[j] = sum_i other[i] m_ij.
  void Dots(const double* other, const double* /*self*/, bool rows,
            std::vector<double>& out) const {
    if (kind_ != SeedKind::kGeneral) {
      double total = 0.0;
      for (size_t idx = 0; idx < n_; ++idx) total += other[idx];
      for (size_t idx = 0; idx < n_; ++idx) {
        out[idx] = kind_ == SeedKind::kOnes ? total : total - other[idx];
      }
      return;
    }
    if (rows) {
      for (size_t orig_idx = 0; orig_idx < n_; ++orig_idx) {
        const double* row = seed_->row(orig_idx);
        double sum = 0.0;
        for (size_t dest_idx = 0; dest_idx < n_; ++dest_idx) sum += row[dest_idx] * other[dest_idx];
        out[orig_idx] = sum;
      }
    } else {
      std::fill(out.begin(), out.end(), 0.0);
      for (size_t orig_idx = 0; orig_idx < n_; ++orig_idx) {
        const double weight = other[orig_idx];
        if (weight == 0) continue;
        const double* row = seed_->row(orig_idx);
        for (size_t dest_idx = 0; dest_idx < n_; ++dest_idx)
          out[dest_idx] += weight * row[dest_idx];
      }
    }
  }

  // A cheap lower bound of the largest cell change: the changes along the largest new column
  // factor (second largest on its own row) and the largest new row factor. When it already
  // exceeds the tolerance, the exact O(n^3) maximum is not needed.
  double LowerBoundChange(const std::vector<double>& old_alpha,
                          const std::vector<double>& old_beta) const {
    double bound = 0.0;
    for (size_t pob_idx = 0; pob_idx < n_; ++pob_idx) {
      const size_t base = pob_idx * n_;
      size_t best = 0, second = n_ > 1 ? 1 : 0, best_row = 0;
      for (size_t idx = 0; idx < n_; ++idx) {
        if (beta_[base + idx] > beta_[base + best]) best = idx;
        if (alpha_[base + idx] > alpha_[base + best_row]) best_row = idx;
      }
      for (size_t idx = 0; idx < n_; ++idx) {
        if (idx != best && (second == best || beta_[base + idx] > beta_[base + second])) {
          second = idx;
        }
      }
      for (size_t orig_idx = 0; orig_idx < n_; ++orig_idx) {
        const size_t dest_idx = orig_idx == best ? second : best;
        bound = std::max(bound, CellChange(base, orig_idx, dest_idx, old_alpha, old_beta));
      }
      for (size_t dest_idx = 0; dest_idx < n_; ++dest_idx) {
        bound = std::max(bound, CellChange(base, best_row, dest_idx, old_alpha, old_beta));
      }
    }
    return bound;
  }

  double CellChange(size_t base, size_t orig_idx, size_t dest_idx,
                    const std::vector<double>& old_alpha,
                    const std::vector<double>& old_beta) const {
    const double m = Seed(orig_idx, dest_idx);
    return std::abs(alpha_[base + orig_idx] * m * beta_[base + dest_idx] -
                    old_alpha[base + orig_idx] * m * old_beta[base + dest_idx]);
  }

  // The exact largest cell change; stops early once it reaches `tol` (the rule only needs to know
  // whether it is below).
  double MaxChange(const std::vector<double>& old_alpha, const std::vector<double>& old_beta,
                   double tol) const {
    double worst = 0.0;
    for (size_t pob_idx = 0; pob_idx < n_; ++pob_idx) {
      const size_t base = pob_idx * n_;
      for (size_t orig_idx = 0; orig_idx < n_; ++orig_idx) {
        if (kind_ == SeedKind::kGeneral) {
          for (size_t dest_idx = 0; dest_idx < n_; ++dest_idx) {
            worst = std::max(worst, CellChange(base, orig_idx, dest_idx, old_alpha, old_beta));
          }
          continue;
        }
        // A seed of ones: the change is |alpha beta - old alpha old beta| (x * 1 is x exactly);
        // off the diagonal only when the diagonal's seed is 0 (its change is 0 or NaN, which
        // std::max never takes).
        const double alpha = alpha_[base + orig_idx], alpha_old = old_alpha[base + orig_idx];
        const double* beta = &beta_[base];
        const double* beta_old = &old_beta[base];
        if (kind_ == SeedKind::kOnes) {
          worst = MaxScaledChange(alpha, beta, alpha_old, beta_old, n_, worst);
        } else {
          worst = MaxScaledChange(alpha, beta, alpha_old, beta_old, orig_idx, worst);
          worst = MaxScaledChange(alpha, beta + orig_idx + 1, alpha_old, beta_old + orig_idx + 1,
                                  n_ - orig_idx - 1, worst);
        }
      }
      if (worst >= tol) return worst;
    }
    return worst;
  }

  double MarginError(const std::vector<double>& row_targets,
                     const std::vector<double>& col_targets) const {
    std::vector<double> dots(n_);
    double worst = 0.0;
    for (size_t pob_idx = 0; pob_idx < n_; ++pob_idx) {
      const double* alpha = &alpha_[pob_idx * n_];
      const double* beta = &beta_[pob_idx * n_];
      Dots(beta, alpha, true, dots);
      for (size_t idx = 0; idx < n_; ++idx) {
        const double target = row_targets[pob_idx * n_ + idx];
        worst = std::max(worst, std::abs(alpha[idx] * dots[idx] - target) / std::max(1.0, target));
      }
      Dots(alpha, beta, false, dots);
      for (size_t idx = 0; idx < n_; ++idx) {
        const double target = col_targets[pob_idx * n_ + idx];
        worst = std::max(worst, std::abs(beta[idx] * dots[idx] - target) / std::max(1.0, target));
      }
    }
    return worst;
  }

  size_t n_;
  SeedKind kind_;
  const FlowMatrix* seed_;
  std::vector<double> alpha_;  // [pob * n + orig]
  std::vector<double> beta_;   // [pob * n + dest]
};

const char* MatchName(MatchBirthplace match) {
  switch (match) {
    case MatchBirthplace::kRescale:
      return "rescale";
    case MatchBirthplace::kOpen:
      return "open";
    case MatchBirthplace::kOpenDr:
      return "open-dr";
  }
  return "rescale";
}

}  // namespace

double BirthplaceFlows::Cell(size_t pob, size_t orig, size_t dest) const {
  const size_t at = pob * n;
  const double fitted = alpha[at + orig] * seed(orig, dest) * beta[at + dest];
  return orig == dest ? fitted + stayers[at + orig] : fitted;
}

std::string DescribeDemoOptions(const FfsDemoOptions& options) {
  return fmt::format("match_birthplace={}; births={}; deaths={}; seed={}; stop={}",
                     MatchName(options.match_birthplace), options.births.empty() ? "none" : "given",
                     options.deaths.empty() ? "none" : "given", options.seed ? "given" : "uniform",
                     options.relative_tol
                         ? fmt::format("relative margin gap <= {:g}", *options.relative_tol)
                         : fmt::format("cell change < {:g} (mipfp)", options.cell_change_tol));
}

FfsResult FfsDemo(const FlowMatrix& stock1, const FlowMatrix& stock2,
                  const FfsDemoOptions& options) {
  AdjustedStocks adjusted = AdjustStocks(stock1, stock2, options);
  FfsResult result = FitBirthplaceFlows(adjusted, options);
  result.method = "flows from stocks: demographic accounting (Abel 2013; Abel & Cohen 2019)";
  result.parameters = fmt::format("stayer_assumption={}; {}", options.stayer_assumption,
                                  DescribeDemoOptions(options));
  result.notes = std::move(adjusted.notes);
  return result;
}

AdjustedStocks AdjustStocks(const FlowMatrix& stock1, const FlowMatrix& stock2,
                            const FfsDemoOptions& options) {
  CheckSameSize("FfsDemo", "stock2's places", stock2.size(), "stock1's places", stock1.size());
  CheckData(stock1.size() > 0, "FfsDemo", "no places");
  CheckAllFinite("FfsDemo", "stock1 cell", stock1.data());
  CheckAllFinite("FfsDemo", "stock2 cell", stock2.data());
  const size_t n = stock1.size();
  const std::vector<double> births =
      options.births.empty() ? std::vector<double>(n, 0.0) : options.births;
  const std::vector<double> deaths =
      options.deaths.empty() ? std::vector<double>(n, 0.0) : options.deaths;
  CheckSameSize("FfsDemo", "births", births.size(), "places", n);
  CheckSameSize("FfsDemo", "deaths", deaths.size(), "places", n);
  if (options.seed)
    CheckSameSize("FfsDemo", "the seed's places", options.seed->size(), "places", n);
  AdjustedStocks adjusted;
  std::vector<std::string>& notes = adjusted.notes;

  FlowMatrix s1 = stock1, s2 = stock2;
  NativeBornNonNegative(s1, notes, "start stocks");
  NativeBornNonNegative(s2, notes, "end stocks");
  if (options.match_birthplace == MatchBirthplace::kRescale) {
    MatchGlobal(s1, s2, Sum(births), Sum(deaths), notes);
  }

  // Births to the native born, unless that would make the native-born cell negative.
  FlowMatrix birth_mat(n);
  {
    const std::vector<double> col_sums = ColTotals(s2);
    for (size_t region_idx = 0; region_idx < n; ++region_idx) {
      if (s2(region_idx, region_idx) - births[region_idx] < 0) {
        const double factor = (births[region_idx] == 0 || col_sums[region_idx] == 0)
                                  ? 0.0
                                  : births[region_idx] / col_sums[region_idx];
        for (size_t pob_idx = 0; pob_idx < n; ++pob_idx) {
          birth_mat(pob_idx, region_idx) = s2(pob_idx, region_idx) * factor;
        }
      } else {
        birth_mat(region_idx, region_idx) = births[region_idx];
      }
    }
  }
  // Deaths in proportion to the start stocks of each residence.
  FlowMatrix death_mat(n);
  {
    const std::vector<double> col_sums = ColTotals(s1);
    for (size_t region_idx = 0; region_idx < n; ++region_idx) {
      const double factor = (deaths[region_idx] == 0 || col_sums[region_idx] == 0)
                                ? 0.0
                                : deaths[region_idx] / col_sums[region_idx];
      for (size_t pob_idx = 0; pob_idx < n; ++pob_idx) {
        death_mat(pob_idx, region_idx) = s1(pob_idx, region_idx) * factor;
      }
    }
  }
  for (size_t cell_idx = 0; cell_idx < n * n; ++cell_idx) {
    s1.data()[cell_idx] -= death_mat.data()[cell_idx];
    s2.data()[cell_idx] -= birth_mat.data()[cell_idx];
  }
  // Freed before the birthplace fits, which would otherwise add their memory on top.
  birth_mat = FlowMatrix();
  death_mat = FlowMatrix();

  // Match birthplace totals.
  const std::vector<double> rows1 = RowTotals(s1), rows2 = RowTotals(s2);
  std::vector<double> gap(n);
  for (size_t idx = 0; idx < n; ++idx) gap[idx] = rows1[idx] - rows2[idx];
  switch (options.match_birthplace) {
    case MatchBirthplace::kRescale: {
      FailOnNegativeCell(s1, "the start stock after deaths");
      FailOnNegativeCell(s2, "the end stock after births");
      IpfOptions ipf;
      ipf.order = IpfOrder::kRowsFirst;
      ipf.max_iterations = options.max_iterations;
      if (options.relative_tol) {
        ipf.tol = *options.relative_tol;
      } else {
        ipf.stop_rule = IpfStopRule::kCellChange;
        ipf.tol = options.cell_change_tol;
      }
      std::vector<double> target1(n), target2(n);
      for (size_t idx = 0; idx < n; ++idx) {
        target1[idx] = rows1[idx] - gap[idx] / 2;
        target2[idx] = rows2[idx] + gap[idx] / 2;
      }
      for (size_t idx = 0; idx < n; ++idx) {
        if (target1[idx] < 0 || target2[idx] < 0) {
          throw ComputeError(fmt::format(
              "flows from stocks: the matched birthplace total of {} is negative ({:g}); the "
              "stock tables disagree too much for --match-birthplace rescale",
              Id(s1, idx), std::min(target1[idx], target2[idx])));
        }
      }
      // The two fits are independent: the end table's runs on a second thread.
      // An exception on that thread is carried back and rethrown here (an uncaught one would
      // end the process with std::terminate).
      Ipf2Result fit2;
      std::exception_ptr end_fit_error;
      std::thread end_fit;
      if (options.parallel) {
        end_fit = std::thread([&] {
          try {
            fit2 = Ipf2(s2, target2, ColTotals(s2), ipf);
          } catch (...) {
            end_fit_error = std::current_exception();
          }
        });
      } else {
        fit2 = Ipf2(s2, target2, ColTotals(s2), ipf);
      }
      Ipf2Result fit1;
      try {
        fit1 = Ipf2(s1, target1, ColTotals(s1), ipf);
      } catch (...) {
        if (end_fit.joinable()) end_fit.join();
        throw;
      }
      if (end_fit.joinable()) end_fit.join();
      if (end_fit_error) std::rethrow_exception(end_fit_error);
      if (!fit1.converged || !fit2.converged) {
        notes.push_back("birthplace rescaling did not converge");
      }
      fit1.fitted.set_ids(s1.ids());
      fit2.fitted.set_ids(s2.ids());
      s1 = std::move(fit1.fitted);
      s2 = std::move(fit2.fitted);
#if defined(__GLIBC__)
      // Hand back to the system the memory the two fits freed (their products' panels, the
      // tables they replaced): glibc keeps it in its heaps otherwise, under the later tables,
      // and the peak resident memory of `estimate stocks` grew by it.
      malloc_trim(0);
#endif
      break;
    }
    case MatchBirthplace::kOpen:
    case MatchBirthplace::kOpenDr: {
      std::vector<double> out_total(n), in_total(n);
      for (size_t idx = 0; idx < n; ++idx) {
        out_total[idx] = std::max(gap[idx], 0.0);
        in_total[idx] = std::max(-gap[idx], 0.0);
      }
      const bool open = options.match_birthplace == MatchBirthplace::kOpen;
      const FlowMatrix out_mat = ScaleRows(open ? s2 : s1, out_total);
      const FlowMatrix in_mat = ScaleRows(open ? s1 : s2, in_total);
      for (size_t cell_idx = 0; cell_idx < n * n; ++cell_idx) {
        s1.data()[cell_idx] -= out_mat.data()[cell_idx];
        s2.data()[cell_idx] -= in_mat.data()[cell_idx];
      }
      break;
    }
  }

  // Birthplace totals the matching could not equalise (a slow or infeasible rescaling stopped by
  // the cell-change rule) leave the accounts of the places where those people live open.
  {
    const std::vector<double> matched1 = RowTotals(s1), matched2 = RowTotals(s2);
    size_t worst_idx = 0;
    double worst = 0.0;
    for (size_t idx = 0; idx < n; ++idx) {
      const double left = std::abs(matched1[idx] - matched2[idx]);
      // Rounding noise of the fit on large birthplaces (two persons of 1.2 billion) is not news.
      if (left <= 1e-6 * std::max(matched1[idx], matched2[idx])) continue;
      if (left > worst) {
        worst = left;
        worst_idx = idx;
      }
    }
    if (worst > 1.0) {
      notes.push_back(fmt::format(
          "birthplace totals still differ after matching by up to {:.0f} persons (born in {}); "
          "the flows do not close the accounts of the places where they live by that much",
          worst, Id(s1, worst_idx)));
    }
  }
  adjusted.start = std::move(s1);
  adjusted.end = std::move(s2);
  return adjusted;
}

FfsResult FitBirthplaceFlows(const AdjustedStocks& adjusted, const FfsDemoOptions& options,
                             BirthplaceFlows* table) {
  const FlowMatrix& s1 = adjusted.start;
  const FlowMatrix& s2 = adjusted.end;
  CheckSameSize("FitBirthplaceFlows", "end stocks' places", s2.size(), "start stocks' places",
                s1.size());
  const size_t n = s1.size();
  if (options.seed) {
    CheckSameSize("FitBirthplaceFlows", "the seed's places", options.seed->size(), "places", n);
  }
  FfsResult result;
  // Margins of the 3-D table, [pob * n + region].
  std::vector<double> row_targets(n * n), col_targets(n * n);
  for (size_t pob_idx = 0; pob_idx < n; ++pob_idx) {
    for (size_t region_idx = 0; region_idx < n; ++region_idx) {
      row_targets[pob_idx * n + region_idx] = s1(pob_idx, region_idx);
      col_targets[pob_idx * n + region_idx] = s2(pob_idx, region_idx);
    }
  }
  SlicedIpf::SeedKind kind = SlicedIpf::SeedKind::kOnes;
  if (options.stayer_assumption) {
    // Stayers held fixed; the remaining movers of each birthplace are fitted.
    for (size_t pob_idx = 0; pob_idx < n; ++pob_idx) {
      for (size_t region_idx = 0; region_idx < n; ++region_idx) {
        const double stayers = std::min(s1(pob_idx, region_idx), s2(pob_idx, region_idx));
        row_targets[pob_idx * n + region_idx] -= stayers;
        col_targets[pob_idx * n + region_idx] -= stayers;
      }
      // Tiny differences between the birthplace totals: scale the destination margin to the
      // origin margin (migest does the same before its 3-D fit).
      double row_sum = 0.0, col_sum = 0.0;
      for (size_t region_idx = 0; region_idx < n; ++region_idx) {
        row_sum += row_targets[pob_idx * n + region_idx];
        col_sum += col_targets[pob_idx * n + region_idx];
      }
      const double factor = (row_sum == 0 || col_sum == 0) ? 0.0 : row_sum / col_sum;
      for (size_t region_idx = 0; region_idx < n; ++region_idx) {
        col_targets[pob_idx * n + region_idx] *= factor;
      }
    }
    kind = SlicedIpf::SeedKind::kOnesOffDiagonal;
  }
  FlowMatrix seed;
  if (options.seed) {
    kind = SlicedIpf::SeedKind::kGeneral;
    seed = *options.seed;
    CheckNonNegative("FfsDemo", "seed cell", seed.data());
    if (options.stayer_assumption) {
      for (size_t idx = 0; idx < n; ++idx) seed(idx, idx) = 0.0;
    }
  }
  for (size_t idx = 0; idx < n * n; ++idx) {
    if (row_targets[idx] < 0 || col_targets[idx] < 0) {
      FlowMatrix shown = row_targets[idx] < 0 ? s1 : s2;
      FailOnNegativeCell(shown, "the adjusted stock table");
    }
  }
  SlicedIpf ipf(n, kind, options.seed ? &seed : nullptr);
  ipf.Fit(row_targets, col_targets, options, result);
  if (table != nullptr) {
    table->n = n;
    table->stayers.assign(n * n, 0.0);
    if (options.stayer_assumption) {
      for (size_t pob_idx = 0; pob_idx < n; ++pob_idx) {
        for (size_t region_idx = 0; region_idx < n; ++region_idx) {
          table->stayers[pob_idx * n + region_idx] =
              std::min(s1(pob_idx, region_idx), s2(pob_idx, region_idx));
        }
      }
    }
    table->alpha = ipf.alpha();
    table->beta = ipf.beta();
    if (options.seed) {
      table->seed = seed;
    } else {
      table->seed = FlowMatrix(n, 1.0);
      if (options.stayer_assumption) table->seed.ZeroDiagonal();
    }
  }
  result.flows = FlowMatrix(s1.ids());
  if (result.flows.size() != n) result.flows = FlowMatrix(n);
  ipf.AddFlows(result.flows);
  result.flows.ZeroDiagonal();
  return result;
}

FfsResult FfsDiff(const FlowMatrix& stock1, const FlowMatrix& stock2, DiffType type) {
  CheckSameSize("FfsDiff", "stock2's places", stock2.size(), "stock1's places", stock1.size());
  CheckData(stock1.size() > 0, "FfsDiff", "no places");
  CheckAllFinite("FfsDiff", "stock1 cell", stock1.data());
  CheckAllFinite("FfsDiff", "stock2 cell", stock2.data());
  const size_t n = stock1.size();
  FfsResult result;
  result.method = "flows from stocks: stock differencing";
  result.parameters = type == DiffType::kZero ? "diff_type=zero" : "diff_type=return";
  result.flows = stock1.ids().size() == n ? FlowMatrix(stock1.ids()) : FlowMatrix(n);
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double growth = stock2(orig_idx, dest_idx) - stock1(orig_idx, dest_idx);
      double flow = std::max(growth, 0.0);
      if (type == DiffType::kReturn) {
        // A fall in the stock born in dest living in orig is read as a return move orig -> dest.
        flow += std::max(stock1(dest_idx, orig_idx) - stock2(dest_idx, orig_idx), 0.0);
      }
      result.flows(orig_idx, dest_idx) = flow;
    }
  }
  return result;
}

namespace {

// Solves A X = B for square A (Gaussian elimination with partial pivoting); false if singular.
bool Solve(FlowMatrix a, FlowMatrix& b) {
  const size_t n = a.size();
  double scale = 0.0;
  for (double value : a.data()) scale = std::max(scale, std::abs(value));
  for (size_t col_idx = 0; col_idx < n; ++col_idx) {
    size_t pivot = col_idx;
    for (size_t row_idx = col_idx + 1; row_idx < n; ++row_idx) {
      if (std::abs(a(row_idx, col_idx)) > std::abs(a(pivot, col_idx))) pivot = row_idx;
    }
    if (std::abs(a(pivot, col_idx)) <= 1e-13 * scale) return false;
    if (pivot != col_idx) {
      for (size_t idx = 0; idx < n; ++idx) {
        std::swap(a(pivot, idx), a(col_idx, idx));
        std::swap(b(pivot, idx), b(col_idx, idx));
      }
    }
    for (size_t row_idx = col_idx + 1; row_idx < n; ++row_idx) {
      const double factor = a(row_idx, col_idx) / a(col_idx, col_idx);
      if (factor == 0) continue;
      for (size_t idx = col_idx; idx < n; ++idx) a(row_idx, idx) -= factor * a(col_idx, idx);
      for (size_t idx = 0; idx < n; ++idx) b(row_idx, idx) -= factor * b(col_idx, idx);
    }
  }
  for (size_t row_idx = n; row_idx-- > 0;) {
    for (size_t idx = 0; idx < n; ++idx) {
      double value = b(row_idx, idx);
      for (size_t k = row_idx + 1; k < n; ++k) value -= a(row_idx, k) * b(k, idx);
      b(row_idx, idx) = value / a(row_idx, row_idx);
    }
  }
  return true;
}

}  // namespace

FfsResult FfsRates(const FlowMatrix& stock1, const FlowMatrix& stock2, RatesType type,
                   std::optional<double> total) {
  CheckSameSize("FfsRates", "stock2's places", stock2.size(), "stock1's places", stock1.size());
  CheckData(stock1.size() > 0, "FfsRates", "no places");
  CheckAllFinite("FfsRates", "stock1 cell", stock1.data());
  CheckAllFinite("FfsRates", "stock2 cell", stock2.data());
  const size_t n = stock1.size();
  FfsResult result;
  result.flows = stock1.ids().size() == n ? FlowMatrix(stock1.ids()) : FlowMatrix(n);
  if (type == RatesType::kDennett) {
    CheckSetting(total && std::isfinite(*total) && *total >= 0, "FfsRates",
                 "the dennett method needs a non-negative total");
    result.method = "flows from stocks: migration rates (Dennett 2016)";
    result.parameters = fmt::format("rates_type=dennett; total={:g}", *total);
    const double off_diagonal = stock1.Total(false);
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        if (orig_idx == dest_idx || off_diagonal == 0) continue;
        result.flows(orig_idx, dest_idx) = *total * stock1(orig_idx, dest_idx) / off_diagonal;
      }
    }
    return result;
  }
  result.method = "flows from stocks: migration rates (Rogers & von Rabenau 1971)";
  result.parameters = "rates_type=rogers-von-rabenau";
  FlowMatrix g = stock2;
  if (!Solve(stock1, g)) {
    throw ComputeError(
        "Rogers-von Rabenau: the start stock table is singular (S1 g = S2 has no "
        "unique solution)");
  }
  const std::vector<double> residents = ColTotals(stock1);
  size_t negative = 0;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double flow = g(orig_idx, dest_idx) * residents[orig_idx];
      result.flows(orig_idx, dest_idx) = flow;
      if (flow < 0) ++negative;
    }
  }
  if (negative > 0) {
    result.notes.push_back(fmt::format(
        "{} negative flows (the method does not constrain signs; they are kept)", negative));
  }
  return result;
}

}  // namespace kazmig::estimate

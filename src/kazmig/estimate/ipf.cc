#include "kazmig/estimate/ipf.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "kazmig/core/check.h"
#include "kazmig/estimate/internal/lanes.h"

namespace kazmig::estimate {
namespace {

double RelativeGap(double fitted, double target) {
  return std::abs(fitted - target) / std::max(1.0, std::abs(target));
}

// New factor so that factor * sum hits target; 0 when the target or the current margin is 0
// (mipfp's and migest's convention: an unreachable positive target leaves the margin at 0).
double UpdatedFactor(double factor, double sum_without_factor, double target) {
  const double margin = factor * sum_without_factor;
  if (target == 0 || margin == 0) return 0.0;
  return factor * (target / margin);
}

// out[panel] = sum over the panel's elements e (in order) of values[e] * both[pos[e]] (four
// lanes), for panels [0, panels); element e of panel p is in [start[p], start[p + 1]), and
// both[pos] holds x[pos] in every lane. Four panels are summed side by side (their common length,
// then each one's rest): independent chains of vector additions. kWidth 2 or 4 (AVX): the same
// lanes, the same operations in the same order.
template <size_t kWidth>
__attribute__((always_inline)) inline void PanelDotsBody(size_t panels, const size_t* start,
                                                         const uint32_t* pos,
                                                         const internal::Lanes4* values,
                                                         const internal::Lanes4* both,
                                                         internal::Lanes4* out) {
  using V = internal::Vec<kWidth>;
  constexpr size_t kParts = 4 / kWidth;
  // sum += the element's values times its factor, lane by lane.
  auto add = [&](size_t elem, V * sum) __attribute__((always_inline)) {
    V factor;
    std::memcpy(&factor, both[pos[elem]].lane, sizeof factor);
    for (size_t part = 0; part < kParts; ++part) {
      V value;
      std::memcpy(&value, values[elem].lane + part * kWidth, sizeof value);
      sum[part] += value * factor;
    }
  };
  auto store = [&](size_t panel, const V* sum) __attribute__((always_inline)) {
    std::memcpy(out[panel].lane, sum, sizeof(V) * kParts);
  };
  size_t panel = 0;
  for (; panel + 4 <= panels; panel += 4) {
    const size_t* first = start + panel;
    const size_t common = std::min(std::min(first[1] - first[0], first[2] - first[1]),
                                   std::min(first[3] - first[2], first[4] - first[3]));
    V sum0[kParts] = {}, sum1[kParts] = {}, sum2[kParts] = {}, sum3[kParts] = {};
    for (size_t elem = 0; elem < common; ++elem) {
      add(first[0] + elem, sum0);
      add(first[1] + elem, sum1);
      add(first[2] + elem, sum2);
      add(first[3] + elem, sum3);
    }
    for (size_t elem = first[0] + common; elem < first[1]; ++elem) add(elem, sum0);
    for (size_t elem = first[1] + common; elem < first[2]; ++elem) add(elem, sum1);
    for (size_t elem = first[2] + common; elem < first[3]; ++elem) add(elem, sum2);
    for (size_t elem = first[3] + common; elem < first[4]; ++elem) add(elem, sum3);
    store(panel, sum0);
    store(panel + 1, sum1);
    store(panel + 2, sum2);
    store(panel + 3, sum3);
  }
  for (; panel < panels; ++panel) {
    V sum[kParts] = {};
    for (size_t elem = start[panel]; elem < start[panel + 1]; ++elem) add(elem, sum);
    store(panel, sum);
  }
}

#if KAZMIG_HAVE_AVX_VARIANT
KAZMIG_TARGET_AVX void PanelDotsAvx(size_t panels, const size_t* start, const uint32_t* pos,
                                    const internal::Lanes4* values, const internal::Lanes4* both,
                                    internal::Lanes4* out) {
  PanelDotsBody<4>(panels, start, pos, values, both, out);
}
#endif

void PanelDots(size_t panels, const size_t* start, const uint32_t* pos,
               const internal::Lanes4* values, const internal::Lanes4* both,
               internal::Lanes4* out) {
#if KAZMIG_HAVE_AVX_VARIANT
  if (internal::CpuHasAvx()) return PanelDotsAvx(panels, start, pos, values, both, out);
#endif
  PanelDotsBody<2>(panels, start, pos, values, both, out);
}

// A sparse matrix cut into panels of four lines (rows, or columns): each panel lists the union of
// its lines' non-zero positions in ascending order, with the four values of each position side by
// side (0 where that line has none). Dots sums each line over its non-zero cells in ascending
// position order, as a plain loop does, four lines at a time in vectors (the same IEEE operations
// lane by lane). A padded 0 adds 0 * x = +0 to a sum that is never -0, which leaves it unchanged
// as long as x is finite (Dots checks).
class Panels {
 public:
  static constexpr size_t kLines = 4;

  // Panels of the rows of `m` (by_rows) or of its columns. Lines with similar numbers of
  // non-zeros share a panel (lines sorted by that number, most first): fewer padded zeros, and
  // neighbouring panels of similar lengths to sum side by side.
  static Panels Build(const FlowMatrix& m, bool by_rows) {
    Panels panels;
    const size_t n = m.size();
    panels.n_ = n;
    auto at = [&](size_t line, size_t pos) { return by_rows ? m(line, pos) : m(pos, line); };
    std::vector<size_t> nonzero(n, 0);
    for (size_t line = 0; line < n; ++line) {
      for (size_t pos = 0; pos < n; ++pos) nonzero[line] += at(line, pos) != 0;
    }
    panels.line_.resize(n);
    for (size_t line = 0; line < n; ++line) panels.line_[line] = line;
    std::stable_sort(panels.line_.begin(), panels.line_.end(),
                     [&](size_t lhs, size_t rhs) { return nonzero[lhs] > nonzero[rhs]; });
    // The value of the lane-th line of the panel starting at slot `first` (0 past the last line).
    auto lane_at = [&](size_t first, size_t lane, size_t pos) {
      return first + lane < n ? at(panels.line_[first + lane], pos) : 0.0;
    };
    // Two passes, counting the elements and then storing them, so that the arrays are allocated
    // once at their size (the peak memory stays that of the tables).
    for (const bool store : {false, true}) {
      size_t elements = 0;
      if (store) {
        panels.pos_.reserve(panels.start_.back());
        panels.values_.reserve(panels.start_.back());
      }
      panels.start_.assign(1, 0);
      for (size_t first = 0; first < n; first += kLines) {
        for (size_t pos = 0; pos < n; ++pos) {
          const internal::Lanes4 values = {{lane_at(first, 0, pos), lane_at(first, 1, pos),
                                            lane_at(first, 2, pos), lane_at(first, 3, pos)}};
          if (values.lane[0] == 0 && values.lane[1] == 0 && values.lane[2] == 0 &&
              values.lane[3] == 0) {
            continue;
          }
          ++elements;
          if (!store) continue;
          panels.pos_.push_back(static_cast<uint32_t>(pos));
          panels.values_.push_back(values);
        }
        panels.start_.push_back(elements);
      }
    }
    panels.both_.resize(n);
    panels.sums_.resize(panels.start_.size() - 1);
    panels.flat_.resize(n);
    return panels;
  }

  // out[line] = sum over positions p (ascending) of value(line, p) * x[p]. False, leaving out
  // alone, when some x[p] is not finite (the padded zeros would not add 0).
  bool Dots(const double* x, double* out) const {
    bool finite = true;
    for (size_t pos = 0; pos < n_; ++pos) {
      const double value = x[pos];
      finite = finite && std::isfinite(value);
      both_[pos] = internal::Lanes4{{value, value, value, value}};
    }
    if (!finite) return false;
    PanelDots(sums_.size(), start_.data(), pos_.data(), values_.data(), both_.data(), sums_.data());
    // Lanes4 is four doubles in a row: the sums of slots 0, 1, 2, ... in order.
    static_assert(sizeof(internal::Lanes4) == kLines * sizeof(double));
    std::memcpy(flat_.data(), sums_.data(), n_ * sizeof(double));
    for (size_t slot = 0; slot < n_; ++slot) out[line_[slot]] = flat_[slot];
    return true;
  }

 private:
  size_t n_ = 0;
  std::vector<size_t> line_;   // the line in each slot: panel slot / 4, lane slot % 4
  std::vector<size_t> start_;  // per panel, its first element; one past the last at the end
  std::vector<uint32_t> pos_;
  std::vector<internal::Lanes4> values_;
  // x[pos] in every lane, and the panels' sums (as vectors, then by slot): scratch of each Dots
  // (a SeedView belongs to one fit, on one thread).
  mutable std::vector<internal::Lanes4> both_;
  mutable std::vector<internal::Lanes4> sums_;
  mutable std::vector<double> flat_;
};

// The seed as the IPF loops see it: dense, or in panels when at most half of the cells are
// non-zero (bilateral stock tables are ~80% zeros), so that a cycle's products cost about the
// non-zeros. The sparse loops take the non-zero cells only, in the same order as the dense ones.
class SeedView {
 public:
  explicit SeedView(const FlowMatrix& m) : m_(m), n_(m.size()) {
    size_t nonzero = 0;
    for (double value : m.data()) nonzero += value != 0;
    sparse_ = nonzero * 2 <= n_ * n_;
    if (!sparse_) return;
    row_panels_ = Panels::Build(m, /*by_rows=*/true);
    col_panels_ = Panels::Build(m, /*by_rows=*/false);
  }

  // out = M * beta (row sums without alpha). Each row's sum runs over its columns in order; four
  // rows are summed side by side (four independent chains of additions instead of one), which
  // changes no sum.
  void RowDots(const std::vector<double>& beta, std::vector<double>& out) const {
    const double* b = beta.data();
    if (sparse_) {
      if (row_panels_.Dots(b, out.data())) return;
      // A factor that is not finite: row by row over the non-zero cells.
      for (size_t row_idx = 0; row_idx < n_; ++row_idx) {
        const double* row = m_.row(row_idx);
        double sum = 0.0;
        for (size_t col_idx = 0; col_idx < n_; ++col_idx) {
          if (row[col_idx] != 0) sum += row[col_idx] * b[col_idx];
        }
        out[row_idx] = sum;
      }
      return;
    }
    size_t row_idx = 0;
    for (; row_idx + 4 <= n_; row_idx += 4) {
      double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
      const double *r0 = m_.row(row_idx), *r1 = m_.row(row_idx + 1), *r2 = m_.row(row_idx + 2),
                   *r3 = m_.row(row_idx + 3);
      for (size_t col_idx = 0; col_idx < n_; ++col_idx) {
        s0 += r0[col_idx] * b[col_idx];
        s1 += r1[col_idx] * b[col_idx];
        s2 += r2[col_idx] * b[col_idx];
        s3 += r3[col_idx] * b[col_idx];
      }
      out[row_idx] = s0;
      out[row_idx + 1] = s1;
      out[row_idx + 2] = s2;
      out[row_idx + 3] = s3;
    }
    for (; row_idx < n_; ++row_idx) {
      double sum = 0.0;
      const double* row = m_.row(row_idx);
      for (size_t col_idx = 0; col_idx < n_; ++col_idx) sum += row[col_idx] * b[col_idx];
      out[row_idx] = sum;
    }
  }

  // out = M^T * alpha (column sums without beta), accumulated row by row for locality.
  void ColDots(const std::vector<double>& alpha, std::vector<double>& out) const {
    if (sparse_ && col_panels_.Dots(alpha.data(), out.data())) return;
    std::fill(out.begin(), out.end(), 0.0);
    for (size_t row_idx = 0; row_idx < n_; ++row_idx) {
      const double a = alpha[row_idx];
      if (a == 0) continue;
      const double* row = m_.row(row_idx);
      if (sparse_) {  // a factor that is not finite: the non-zero cells only
        for (size_t col_idx = 0; col_idx < n_; ++col_idx) {
          if (row[col_idx] != 0) out[col_idx] += a * row[col_idx];
        }
      } else {
        for (size_t col_idx = 0; col_idx < n_; ++col_idx) out[col_idx] += a * row[col_idx];
      }
    }
  }

  // Largest |alpha_i beta_j m_ij - old_alpha_i old_beta_j m_ij| over all cells; stops at the end
  // of the first row where it reaches `stop_at` (the stopping rule only asks whether it is below),
  // and sets *stop_row to that row (n when it did not stop).
  double MaxCellChange(const std::vector<double>& alpha, const std::vector<double>& beta,
                       const std::vector<double>& old_alpha, const std::vector<double>& old_beta,
                       double stop_at, size_t* stop_row) const {
    double worst = 0.0;
    size_t row_idx = 0;
    for (; row_idx < n_ && worst < stop_at; ++row_idx) {
      worst = std::max(worst, RowCellChange(row_idx, alpha, beta, old_alpha, old_beta));
    }
    *stop_row = worst < stop_at ? n_ : row_idx - 1;
    return worst;
  }

  // The largest change over the cells of one row (the non-zero ones when sparse), as
  // MaxCellChange takes it (the maximum of a set of numbers, NaN never taken, does not depend on
  // how the set is split).
  double RowCellChange(size_t row_idx, const std::vector<double>& alpha,
                       const std::vector<double>& beta, const std::vector<double>& old_alpha,
                       const std::vector<double>& old_beta) const {
    double worst = 0.0;
    const double a = alpha[row_idx], a_old = old_alpha[row_idx];
    const double* row = m_.row(row_idx);
    for (size_t col_idx = 0; col_idx < n_; ++col_idx) {
      if (sparse_ && row[col_idx] == 0) continue;
      worst = std::max(worst, std::abs(a * beta[col_idx] * row[col_idx] -
                                       a_old * old_beta[col_idx] * row[col_idx]));
    }
    return worst;
  }

 private:
  const FlowMatrix& m_;
  size_t n_;
  bool sparse_ = false;
  Panels row_panels_;  // groups of rows, for M beta
  Panels col_panels_;  // groups of columns, for M^T alpha
};

}  // namespace

Ipf2Result Ipf2(const FlowMatrix& seed, const std::vector<double>& row_totals,
                const std::vector<double>& col_totals, const IpfOptions& options) {
  const size_t n = seed.size();
  if (!row_totals.empty()) CheckSameSize("IPF", "row totals", row_totals.size(), "seed rows", n);
  if (!col_totals.empty()) {
    CheckSameSize("IPF", "column totals", col_totals.size(), "seed columns", n);
  }
  CheckPositiveSetting("IPF", "tol", options.tol);
  CheckAtLeastSetting("IPF", "max_iterations", options.max_iterations, 1);
  CheckNonNegative("IPF", "seed cell", seed.data());
  CheckNonNegative("IPF", "row total", row_totals);
  CheckNonNegative("IPF", "column total", col_totals);

  Ipf2Result result;
  result.alpha.assign(n, 1.0);
  result.beta.assign(n, 1.0);
  std::vector<double>& alpha = result.alpha;
  std::vector<double>& beta = result.beta;
  const bool fit_rows = !row_totals.empty();
  const bool fit_cols = !col_totals.empty();
  const bool rows_first = options.order == IpfOrder::kRowsFirst;

  const SeedView view(seed);
  std::vector<double> row_dots(n), col_dots(n), old_alpha, old_beta;
  // row_dots = M beta and col_dots = M^T alpha are kept while beta (alpha) is unchanged: the
  // margin error after a cycle and the next cycle's first update need the same products, which
  // are computed once (the same numbers as computing them again).
  bool row_dots_current = false, col_dots_current = false;
  auto refresh_row_dots = [&] {
    if (!row_dots_current) view.RowDots(beta, row_dots);
    row_dots_current = true;
  };
  auto refresh_col_dots = [&] {
    if (!col_dots_current) view.ColDots(alpha, col_dots);
    col_dots_current = true;
  };
  auto update_rows = [&] {
    refresh_row_dots();
    for (size_t idx = 0; idx < n; ++idx) {
      alpha[idx] = UpdatedFactor(alpha[idx], row_dots[idx], row_totals[idx]);
    }
    col_dots_current = false;
  };
  auto update_cols = [&] {
    refresh_col_dots();
    for (size_t idx = 0; idx < n; ++idx) {
      beta[idx] = UpdatedFactor(beta[idx], col_dots[idx], col_totals[idx]);
    }
    row_dots_current = false;
  };
  auto margin_error = [&] {
    double worst = 0.0;
    if (fit_rows) {
      refresh_row_dots();
      for (size_t idx = 0; idx < n; ++idx) {
        worst = std::max(worst, RelativeGap(alpha[idx] * row_dots[idx], row_totals[idx]));
      }
    }
    if (fit_cols) {
      refresh_col_dots();
      for (size_t idx = 0; idx < n; ++idx) {
        worst = std::max(worst, RelativeGap(beta[idx] * col_dots[idx], col_totals[idx]));
      }
    }
    return worst;
  };
  // The row where the last full scan of the cell changes stopped (reached tol).
  size_t hint_row = n;
  auto cell_change = [&] {
    return view.MaxCellChange(alpha, beta, old_alpha, old_beta, options.tol, &hint_row);
  };
  // An exact shortcut of the cell-change rule: when the cells of the row that stopped the last
  // scan changed by tol or more, this cycle has not converged either, whatever the other rows
  // did. (The last allowed cycle always scans, so that last_cell_change is the scan's value.)
  auto hint_not_converged = [&] {
    return hint_row < n && result.iterations < options.max_iterations &&
           view.RowCellChange(hint_row, alpha, beta, old_alpha, old_beta) >= options.tol;
  };
  while (result.iterations < options.max_iterations) {
    if (options.stop_rule == IpfStopRule::kCellChange) {
      old_alpha = alpha;
      old_beta = beta;
    }
    if (rows_first) {
      if (fit_rows) update_rows();
      if (fit_cols) update_cols();
    } else {
      if (fit_cols) update_cols();
      if (fit_rows) update_rows();
    }
    ++result.iterations;
    if (options.stop_rule == IpfStopRule::kCellChange) {
      if (hint_not_converged()) continue;
      result.last_cell_change = cell_change();
      if (result.last_cell_change < options.tol) {
        result.converged = true;
        break;
      }
    } else {
      result.max_margin_error = margin_error();
      if (result.max_margin_error <= options.tol) {
        result.converged = true;
        break;
      }
    }
  }
  result.max_margin_error = margin_error();
  result.fitted = seed;
  for (size_t row_idx = 0; row_idx < n; ++row_idx) {
    double* row = result.fitted.row(row_idx);
    for (size_t col_idx = 0; col_idx < n; ++col_idx) {
      row[col_idx] = alpha[row_idx] * beta[col_idx] * row[col_idx];
    }
  }
  return result;
}

std::vector<double> MarginOf(const Table& table, const std::vector<size_t>& keep) {
  std::vector<size_t> strides(table.dims.size(), 0);
  size_t margin_size = 1;
  for (size_t pos = keep.size(); pos-- > 0;) {
    strides[keep[pos]] = margin_size;
    margin_size *= table.dims[keep[pos]];
  }
  std::vector<double> out(margin_size, 0.0);
  std::vector<size_t> index(table.dims.size(), 0);
  size_t margin_idx = 0;
  for (size_t cell_idx = 0; cell_idx < table.values.size(); ++cell_idx) {
    out[margin_idx] += table.values[cell_idx];
    for (size_t dim = table.dims.size(); dim-- > 0;) {
      margin_idx += strides[dim];
      if (++index[dim] < table.dims[dim]) break;
      margin_idx -= strides[dim] * table.dims[dim];
      index[dim] = 0;
    }
  }
  return out;
}

IpfNResult IpfN(const Table& seed, const std::vector<Margin>& margins, const IpfOptions& options) {
  size_t cells = 1;
  for (size_t extent : seed.dims) cells *= extent;
  CheckSameSize("IPF", "seed", seed.values.size(), "the product of its dimensions", cells);
  CheckPositiveSetting("IPF", "tol", options.tol);
  CheckAtLeastSetting("IPF", "max_iterations", options.max_iterations, 1);
  CheckNonNegative("IPF", "seed cell", seed.values);
  // For each margin, the margin cell of every table cell.
  std::vector<std::vector<uint32_t>> cell_to_margin(margins.size());
  for (size_t margin_idx = 0; margin_idx < margins.size(); ++margin_idx) {
    const Margin& margin = margins[margin_idx];
    std::vector<size_t> strides(seed.dims.size(), 0);
    size_t margin_size = 1;
    for (size_t pos = margin.keep.size(); pos-- > 0;) {
      CheckShape(margin.keep[pos] < seed.dims.size() &&
                     (pos == 0 || margin.keep[pos - 1] < margin.keep[pos]),
                 "IPF", "margin dimensions must be ascending and in range");
      strides[margin.keep[pos]] = margin_size;
      margin_size *= seed.dims[margin.keep[pos]];
    }
    CheckSameSize("IPF", fmt::format("margin {}", margin_idx + 1), margin.values.size(),
                  "its dimensions' cells", margin_size);
    CheckNonNegative("IPF", "margin value", margin.values);
    std::vector<uint32_t>& map = cell_to_margin[margin_idx];
    map.resize(cells);
    std::vector<size_t> index(seed.dims.size(), 0);
    size_t target = 0;
    for (size_t cell_idx = 0; cell_idx < cells; ++cell_idx) {
      map[cell_idx] = static_cast<uint32_t>(target);
      for (size_t dim = seed.dims.size(); dim-- > 0;) {
        target += strides[dim];
        if (++index[dim] < seed.dims[dim]) break;
        target -= strides[dim] * seed.dims[dim];
        index[dim] = 0;
      }
    }
  }

  IpfNResult result;
  result.fitted = seed;
  std::vector<double>& x = result.fitted.values;
  std::vector<double> previous, sums, factor;
  auto margin_error = [&] {
    double worst = 0.0;
    for (size_t margin_idx = 0; margin_idx < margins.size(); ++margin_idx) {
      sums.assign(margins[margin_idx].values.size(), 0.0);
      const auto& map = cell_to_margin[margin_idx];
      for (size_t cell_idx = 0; cell_idx < cells; ++cell_idx) sums[map[cell_idx]] += x[cell_idx];
      for (size_t idx = 0; idx < sums.size(); ++idx) {
        worst = std::max(worst, RelativeGap(sums[idx], margins[margin_idx].values[idx]));
      }
    }
    return worst;
  };
  while (result.iterations < options.max_iterations) {
    if (options.stop_rule == IpfStopRule::kCellChange) previous = x;
    for (size_t margin_idx = 0; margin_idx < margins.size(); ++margin_idx) {
      const auto& map = cell_to_margin[margin_idx];
      const auto& target = margins[margin_idx].values;
      sums.assign(target.size(), 0.0);
      for (size_t cell_idx = 0; cell_idx < cells; ++cell_idx) sums[map[cell_idx]] += x[cell_idx];
      factor.resize(target.size());
      for (size_t idx = 0; idx < target.size(); ++idx) {
        factor[idx] = (target[idx] == 0 || sums[idx] == 0) ? 0.0 : target[idx] / sums[idx];
      }
      for (size_t cell_idx = 0; cell_idx < cells; ++cell_idx) x[cell_idx] *= factor[map[cell_idx]];
    }
    ++result.iterations;
    if (options.stop_rule == IpfStopRule::kCellChange) {
      double worst = 0.0;
      for (size_t cell_idx = 0; cell_idx < cells; ++cell_idx) {
        worst = std::max(worst, std::abs(x[cell_idx] - previous[cell_idx]));
      }
      result.last_cell_change = worst;
      if (worst < options.tol) {
        result.converged = true;
        break;
      }
    } else if (margin_error() <= options.tol) {
      result.converged = true;
      break;
    }
  }
  result.max_margin_error = margin_error();
  return result;
}

MarginSums CompareMarginSums(const std::vector<double>& row_totals,
                             const std::vector<double>& col_totals, double tol) {
  MarginSums sums;
  for (double value : row_totals) sums.rows += value;
  for (double value : col_totals) sums.cols += value;
  sums.agree = std::abs(sums.rows - sums.cols) <= std::max(tol, 1e-9) * std::max(1.0, sums.rows);
  return sums;
}

std::vector<double> RescaleColumnTotals(std::vector<double> col_totals, const MarginSums& sums) {
  const double factor = sums.ColumnFactor();
  for (double& value : col_totals) value *= factor;
  return col_totals;
}

}  // namespace kazmig::estimate

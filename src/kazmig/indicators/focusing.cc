#include "kazmig/indicators/focusing.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "kazmig/indicators/internal/radix_sort.h"

namespace kazmig::indicators {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-row statistics of a matrix's rows (used for rows, and for columns of the transpose).
struct LineStats {
  std::vector<double> pair_sum;  // S(row)
  std::vector<double> sd;        // population sd of the n-1 off-diagonal cells
};

double PairSumOfNonZero(std::vector<double>& nonzero, double count);

// The statistics of line `line_idx` (a row, or a column gathered into `line`): its n-1
// off-diagonal cells are gathered into `nonzero` (scratch) without branching on the value (zeros
// in a sparse matrix are unpredictable); their sum and the count of zeros give the sd.
void AddLineStats(const double* line, size_t line_idx, size_t n, std::vector<double>& nonzero,
                  LineStats& stats) {
  nonzero.resize(n);
  double sum = 0;
  size_t kept = 0;
  for (size_t cell_idx = 0; cell_idx < n; ++cell_idx) {
    if (cell_idx == line_idx) continue;
    const double v = line[cell_idx];
    nonzero[kept] = v;
    kept += v != 0.0 ? 1 : 0;
    sum += v;
  }
  nonzero.resize(kept);
  const double k = n > 0 ? static_cast<double>(n - 1) : 0.0;
  if (k > 0) {
    const double mean = sum / k;
    double sq = (k - static_cast<double>(kept)) * mean * mean;  // the zeros
    for (double v : nonzero) sq += (v - mean) * (v - mean);
    stats.sd[line_idx] = std::sqrt(sq / k);
  }
  stats.pair_sum[line_idx] = PairSumOfNonZero(nonzero, k);
}

LineStats ComputeRowStats(const FlowMatrix& m) {
  const size_t n = m.size();
  LineStats stats;
  stats.pair_sum.assign(n, 0);
  stats.sd.assign(n, 0);
  std::vector<double> nonzero;
  for (size_t row_idx = 0; row_idx < n; ++row_idx) {
    AddLineStats(m.row(row_idx), row_idx, n, nonzero, stats);
  }
  return stats;
}

// The column statistics, and the exchange sum sum_i sum_j |m_ij - m_ji| added to `exchange` in
// that order (i, then j). The columns are gathered in stripes of kStripe (each row's cells of a
// stripe are contiguous), so a buffer of kStripe x n values stands in for the transposed matrix:
// on 3,000 regions that is 1.5 MB instead of 72 MB, and fresh memory costs more to fault in than
// to fill.
LineStats ComputeColumnStats(const FlowMatrix& m, double& exchange) {
  constexpr size_t kStripe = 64;
  const size_t n = m.size();
  LineStats stats;
  stats.pair_sum.assign(n, 0);
  stats.sd.assign(n, 0);
  std::vector<double> stripe(std::min(n, kStripe) * n);
  std::vector<double> nonzero;
  for (size_t col_begin = 0; col_begin < n; col_begin += kStripe) {
    const size_t width = std::min(kStripe, n - col_begin);
    for (size_t row_idx = 0; row_idx < n; ++row_idx) {
      const double* cells = m.row(row_idx) + col_begin;
      for (size_t offset = 0; offset < width; ++offset)
        stripe[offset * n + row_idx] = cells[offset];
    }
    for (size_t offset = 0; offset < width; ++offset) {
      const size_t col_idx = col_begin + offset;
      const double* column = stripe.data() + offset * n;  // m(., col_idx)
      const double* row = m.row(col_idx);
      for (size_t other_idx = 0; other_idx < n; ++other_idx) {
        exchange += std::abs(row[other_idx] - column[other_idx]);  // the diagonal adds 0
      }
      AddLineStats(column, col_idx, n, nonzero, stats);
    }
  }
  return stats;
}

using Distinct = std::vector<std::pair<uint64_t, size_t>>;

// The distinct values that `visit` gives with their multiplicities, in increasing order, when
// there are at most `limit` of them and all are finite and non-negative (else nullopt): counted
// in an open-addressing table keyed by the bit pattern (ordered like the numbers for such values)
// that grows with the distinct values, so a few thousand of them stay in cache. visit(add) calls
// add(value) for each value and stops (returning false) when add returns false.
template <typename Visit>
std::optional<Distinct> DistinctSorted(Visit&& visit, size_t limit) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  constexpr uint64_t kEmpty = ~uint64_t{0};  // the bits of a NaN, never stored
  using Entry = std::pair<uint64_t, size_t>;
  int bits_log = 12;
  std::vector<Entry> table(size_t{1} << bits_log, {kEmpty, 0});
  auto slot_of = [&](uint64_t bits) {
    return static_cast<size_t>((bits * kMul) >> (64 - bits_log));
  };
  size_t distinct = 0;
  const bool complete = visit([&](const double v) {
    if (!std::isfinite(v) || std::signbit(v)) return false;
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    const size_t mask = table.size() - 1;
    for (size_t slot = slot_of(bits);; slot = (slot + 1) & mask) {
      if (table[slot].first == bits) {
        ++table[slot].second;
        break;
      }
      if (table[slot].first == kEmpty) {
        table[slot] = {bits, 1};
        if (++distinct > limit) return false;
        if (2 * distinct > table.size()) {  // at most half full: double it
          std::vector<Entry> old(2 * table.size(), {kEmpty, 0});
          old.swap(table);
          ++bits_log;
          const size_t new_mask = table.size() - 1;
          for (const Entry& entry : old) {
            if (entry.first == kEmpty) continue;
            size_t to = slot_of(entry.first);
            while (table[to].first != kEmpty) to = (to + 1) & new_mask;
            table[to] = entry;
          }
        }
        break;
      }
    }
    return true;
  });
  if (!complete) return std::nullopt;
  std::erase_if(table, [&](const Entry& entry) { return entry.first == kEmpty; });
  std::sort(table.begin(), table.end());
  return table;
}

// S(x) of `count` values of which the non-zero ones have the distinct values and multiplicities
// `distinct` (increasing) and the rest are zeros, which rank first: the terms of the sorted sum,
// added in increasing order of the values.
double PairSumOfDistinct(const Distinct& distinct, size_t nonzero_count, double count) {
  double total = 0;
  double rank = count - static_cast<double>(nonzero_count);
  for (const auto& [bits, multiplicity] : distinct) {
    double v;
    std::memcpy(&v, &bits, sizeof v);
    for (size_t copy = 0; copy < multiplicity; ++copy) {
      total += v * (2 * rank - count + 1);
      rank += 1;
    }
  }
  return 2 * total;
}

// S(x) of `count` values: the non-zero ones in `nonzero` (sorted here), the rest zeros, which
// (common in sparse matrices) rank first and are not sorted.
double PairSumBySorting(std::vector<double>& nonzero, double count) {
  double total = 0;
  double rank = count - static_cast<double>(nonzero.size());
  internal::RadixSortNonNegative(nonzero);
  for (double v : nonzero) {
    total += v * (2 * rank - count + 1);
    rank += 1;
  }
  return 2 * total;
}

// A long vector with few distinct values (integer counts) is not sorted but walked value by
// value: the distinct values of at least kDistinctMinSize values when there are at most one in
// kDistinctShare of them.
constexpr size_t kDistinctMinSize = size_t{1} << 15;
constexpr size_t kDistinctShare = 16;

// S(x) of `count` values: the non-zero ones in `nonzero` (reordered), the rest zeros. The terms
// are added in increasing order of the values, whether by sorting or by distinct values.
double PairSumOfNonZero(std::vector<double>& nonzero, double count) {
  if (nonzero.size() >= kDistinctMinSize) {
    const auto distinct = DistinctSorted(
        [&](auto&& add) {
          for (const double v : nonzero) {
            if (!add(v)) return false;
          }
          return true;
        },
        nonzero.size() / kDistinctShare);
    if (distinct) return PairSumOfDistinct(*distinct, nonzero.size(), count);
  }
  return PairSumBySorting(nonzero, count);
}

}  // namespace

double SumAbsPairDifferences(std::vector<double>& values) {
  std::vector<double> nonzero(values.size());
  size_t kept = 0;
  for (double v : values) {
    nonzero[kept] = v;
    kept += v != 0.0 ? 1 : 0;
  }
  nonzero.resize(kept);
  return PairSumOfNonZero(nonzero, static_cast<double>(values.size()));
}

Focusing ComputeFocusing(const FlowMatrix& flows, int threads) {
  const size_t n = flows.size();
  const double nd = static_cast<double>(n);
  Focusing f;
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  double total = 0;
  for (double v : out) total += v;

  const double cell_count = nd * (nd - 1);
  // Three independent tasks, spread over up to three threads (each is sequential inside, so the
  // results do not depend on the thread count): (A) all cells, (B) rows, (C) the columns and the
  // exchange sum.
  double total_pairs = 0, exchange = 0;
  size_t nonzero = 0;
  LineStats rows, cols;
  auto task_cells = [&] {
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      const double* row = flows.row(orig_idx);
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        nonzero += (row[dest_idx] != 0 && orig_idx != dest_idx) ? 1 : 0;
      }
    }
    // The distinct values are counted from the matrix itself, without a copy of the cells (as
    // PairSumOfNonZero would count them from one: same values, same sum).
    if (nonzero >= kDistinctMinSize) {
      const auto distinct = DistinctSorted(
          [&](auto&& add) {
            for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
              const double* row = flows.row(orig_idx);
              for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
                if (row[dest_idx] != 0 && orig_idx != dest_idx && !add(row[dest_idx])) {
                  return false;
                }
              }
            }
            return true;
          },
          nonzero / kDistinctShare);
      if (distinct) {
        total_pairs = PairSumOfDistinct(*distinct, nonzero, cell_count);
        return;
      }
    }
    // Only the non-zero off-diagonal cells are copied (counted first, so one exact allocation).
    std::vector<double> cells(nonzero + 1);  // + 1: the branch-free loop writes one past
    size_t kept = 0;
    for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
      const double* row = flows.row(orig_idx);
      for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
        const double v = row[dest_idx];
        cells[kept] = v;
        kept += (v != 0 && orig_idx != dest_idx) ? 1 : 0;
      }
    }
    cells.resize(kept);
    total_pairs = PairSumBySorting(cells, cell_count);
  };
  auto task_rows = [&] { rows = ComputeRowStats(flows); };
  auto task_cols = [&] { cols = ComputeColumnStats(flows, exchange); };
  const size_t workers = std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, 3);
  if (workers == 1 || n < 64) {
    task_cells();
    task_rows();
    task_cols();
  } else {
    std::function<void()> tasks[3] = {task_cols, task_cells, task_rows};
    std::atomic<int> next{0};
    auto worker = [&] {
      for (int task = next.fetch_add(1); task < 3; task = next.fetch_add(1)) tasks[task]();
    };
    // Failures on the pool's threads are carried back and rethrown here (an exception escaping a
    // std::thread would end the process).
    std::vector<std::exception_ptr> failures(workers);
    auto guarded = [&](size_t worker_idx) {
      try {
        worker();
      } catch (...) {
        failures[worker_idx] = std::current_exception();
      }
    };
    std::vector<std::thread> pool;
    for (size_t worker_idx = 1; worker_idx < workers; ++worker_idx) {
      pool.emplace_back(guarded, worker_idx);
    }
    guarded(0);
    for (auto& t : pool) t.join();
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
  }
  f.connectivity = cell_count > 0 ? static_cast<double>(nonzero) / cell_count : kNaN;
  f.gini_total = total_pairs / (2 * cell_count * total);
  f.gini_total_corrected = total_pairs / (2 * (cell_count - 1) * total);
  double row_pairs = 0, col_pairs = 0;
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    row_pairs += rows.pair_sum[region_idx];
    col_pairs += cols.pair_sum[region_idx];
  }
  f.gini_row = row_pairs / (2 * cell_count * total);
  f.gini_col = col_pairs / (2 * cell_count * total);
  f.gini_exchange = exchange / (2 * cell_count * total);
  f.gini_row_std = 100 * f.gini_row / f.gini_total;
  f.gini_col_std = 100 * f.gini_col / f.gini_total;
  f.gini_exchange_std = 100 * f.gini_exchange / f.gini_total;

  f.gini_out.resize(n);
  f.gini_in.resize(n);
  f.gini_out_uncorrected.resize(n);
  f.gini_in_uncorrected.resize(n);
  f.cv_out.resize(n);
  f.cv_in.resize(n);
  double mwg_out = 0, mwg_in = 0, acv_out = 0, acv_in = 0;
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    const double o = out[region_idx], d = in[region_idx];
    f.gini_out[region_idx] = rows.pair_sum[region_idx] / (2 * (nd - 2) * o);
    f.gini_in[region_idx] = cols.pair_sum[region_idx] / (2 * (nd - 2) * d);
    f.gini_out_uncorrected[region_idx] = rows.pair_sum[region_idx] / (2 * (nd - 1) * o);
    f.gini_in_uncorrected[region_idx] = cols.pair_sum[region_idx] / (2 * (nd - 1) * d);
    f.cv_out[region_idx] = rows.sd[region_idx] / (o / (nd - 1));
    f.cv_in[region_idx] = cols.sd[region_idx] / (d / (nd - 1));
    // migration.indices sums these with R's default na.rm = FALSE: a NaN term propagates.
    mwg_out += f.gini_out[region_idx] * d / total;
    mwg_in += f.gini_in[region_idx] * o / total;
    acv_out += o / total * f.cv_out[region_idx];
    acv_in += d / total * f.cv_in[region_idx];
  }
  f.mwg_out = mwg_out / nd;
  f.mwg_in = mwg_in / nd;
  f.mwg_mean = (f.mwg_in + f.mwg_out) / 2;
  f.acv_out = acv_out;
  f.acv_in = acv_in;
  f.acv = acv_in + acv_out;
  return f;
}

}  // namespace kazmig::indicators

#include "kazmig/indicators/focusing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace kazmig::indicators {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-row statistics of a matrix's rows (used for rows, and for columns of the transpose).
struct LineStats {
  std::vector<double> pair_sum;  // S(row)
  std::vector<double> sd;        // population sd of the n-1 off-diagonal cells
};

LineStats ComputeLineStats(const FlowMatrix& m, int threads) {
  const size_t n = m.size();
  LineStats stats;
  stats.pair_sum.assign(n, 0);
  stats.sd.assign(n, 0);
  auto work = [&](size_t begin, size_t end) {
    std::vector<double> buffer;
    buffer.reserve(n);
    for (size_t line_idx = begin; line_idx < end; ++line_idx) {
      buffer.clear();
      const double* row = m.row(line_idx);
      double sum = 0;
      for (size_t cell_idx = 0; cell_idx < n; ++cell_idx) {
        if (cell_idx == line_idx) continue;
        buffer.push_back(row[cell_idx]);
        sum += row[cell_idx];
      }
      const double k = static_cast<double>(buffer.size());
      double sq = 0;
      if (k > 0) {
        const double mean = sum / k;
        for (double v : buffer) sq += (v - mean) * (v - mean);
        stats.sd[line_idx] = std::sqrt(sq / k);
      }
      stats.pair_sum[line_idx] = SumAbsPairDifferences(buffer);
    }
  };
  const size_t workers = std::max<size_t>(1, std::min<size_t>(threads, n / 64 + 1));
  if (workers == 1) {
    work(0, n);
  } else {
    std::vector<std::thread> pool;
    for (size_t worker = 0; worker < workers; ++worker) {
      pool.emplace_back(work, n * worker / workers, n * (worker + 1) / workers);
    }
    for (auto& t : pool) t.join();
  }
  return stats;
}

}  // namespace

double SumAbsPairDifferences(std::vector<double>& values) {
  // Zeros (common in sparse matrices) are moved to the front and not sorted.
  auto nonzero_begin =
      std::partition(values.begin(), values.end(), [](double v) { return v == 0.0; });
  std::sort(nonzero_begin, values.end());
  const double count = static_cast<double>(values.size());
  double total = 0;
  double rank = static_cast<double>(nonzero_begin - values.begin());
  for (auto it = nonzero_begin; it != values.end(); ++it, rank += 1) {
    total += *it * (2 * rank - count + 1);
  }
  return 2 * total;
}

Focusing ComputeFocusing(const FlowMatrix& flows, int threads) {
  const size_t n = flows.size();
  const double nd = static_cast<double>(n);
  Focusing f;
  const std::vector<double> out = flows.RowSums();
  const std::vector<double> in = flows.ColSums();
  double total = 0;
  for (double v : out) total += v;

  // Totals over all off-diagonal cells.
  std::vector<double> cells;
  cells.reserve(n * (n > 0 ? n - 1 : 0));
  double exchange = 0;
  size_t nonzero = 0;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    const double* row = flows.row(orig_idx);
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      cells.push_back(row[dest_idx]);
      if (row[dest_idx] != 0) ++nonzero;
      exchange += std::abs(row[dest_idx] - flows(dest_idx, orig_idx));
    }
  }
  const double total_pairs = SumAbsPairDifferences(cells);
  const double cell_count = nd * (nd - 1);
  f.connectivity = cell_count > 0 ? static_cast<double>(nonzero) / cell_count : kNaN;
  f.gini_total = total_pairs / (2 * cell_count * total);
  f.gini_total_corrected = total_pairs / (2 * (cell_count - 1) * total);

  const LineStats rows = ComputeLineStats(flows, threads);
  const LineStats cols = ComputeLineStats(flows.Transposed(), threads);
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

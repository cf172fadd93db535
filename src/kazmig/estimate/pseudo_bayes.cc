#include "kazmig/estimate/pseudo_bayes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "kazmig/core/check.h"

namespace kazmig::estimate {
namespace {

// Sums of one multinomial unit: counts x (closed estimate), prior cells p (any scale).
struct UnitSums {
  double sx = 0, sp = 0, sxx = 0, sxp = 0, spp = 0;
  void Add(double x, double p) {
    sx += x;
    sp += p;
    sxx += x * x;
    sxp += x * p;
    spp += p * p;
  }
  void Add(const UnitSums& other) {
    sx += other.sx;
    sp += other.sp;
    sxx += other.sxx;
    sxp += other.sxp;
    spp += other.spp;
  }
};

// BFH's K^ = (N^2 - sum x^2) / sum (x - N lambda)^2 with lambda = p / sum p; +inf when x equals
// N lambda (no information on K), NaN when the unit is empty.
double EstimateK(const UnitSums& s) {
  if (s.sx <= 0 || s.sp <= 0) return std::numeric_limits<double>::quiet_NaN();
  const double c = s.sx / s.sp;  // N lambda = c p
  const double spread = std::max(s.sxx - 2.0 * c * s.sxp + c * c * s.spp, 0.0);
  const double numerator = std::max(s.sx * s.sx - s.sxx, 0.0);
  // Below rounding noise of the sums: the two tables agree on this unit.
  if (spread <= 1e-14 * s.sxx) return std::numeric_limits<double>::infinity();
  return numerator / spread;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

const char* LevelName(PseudoBayesLevel level) {
  switch (level) {
    case PseudoBayesLevel::kRow:
      return "birthplace x origin row";
    case PseudoBayesLevel::kBirthplace:
      return "birthplace";
    case PseudoBayesLevel::kTable:
      return "table";
  }
  return "row";
}

// Dense slices of the closed (stayers) and prior (independence) 3-D tables for one birthplace.
class Slices {
 public:
  Slices(const FfsDemoTables& closed, const FfsDemoTables* prior)
      : closed_(closed), prior_(prior), n_(closed.n) {}

  void Fill(size_t pob, std::vector<double>& x, std::vector<double>& p) const {
    const size_t n = n_;
    x.assign(n * n, 0.0);
    p.assign(n * n, 0.0);
    const double* alpha = &closed_.alpha[pob * n];
    const double* beta = &closed_.beta[pob * n];
    for (size_t orig = 0; orig < n; ++orig) {
      double* row = &x[orig * n];
      if (alpha[orig] != 0) {
        const double* seed = closed_.seed.row(orig);
        for (size_t dest = 0; dest < n; ++dest) row[dest] = alpha[orig] * seed[dest] * beta[dest];
      }
      row[orig] += closed_.stayers[pob * n + orig];
    }
    if (prior_ != nullptr) {
      const double* pa = &prior_->alpha[pob * n];
      const double* pb = &prior_->beta[pob * n];
      for (size_t orig = 0; orig < n; ++orig) {
        if (pa[orig] == 0) continue;
        const double* seed = prior_->seed.row(orig);
        double* row = &p[orig * n];
        for (size_t dest = 0; dest < n; ++dest) row[dest] = pa[orig] * seed[dest] * pb[dest];
      }
      return;
    }
    // Independence with a uniform seed: each slice is rank one, start_i end_j / sum(end).
    const double* start = &closed_.start[pob * n];
    const double* end = &closed_.end[pob * n];
    double end_total = 0.0;
    for (size_t idx = 0; idx < n; ++idx) end_total += end[idx];
    if (end_total <= 0) return;
    for (size_t orig = 0; orig < n; ++orig) {
      if (start[orig] == 0) continue;
      const double factor = start[orig] / end_total;
      double* row = &p[orig * n];
      for (size_t dest = 0; dest < n; ++dest) row[dest] = factor * end[dest];
    }
  }

 private:
  const FfsDemoTables& closed_;
  const FfsDemoTables* prior_;
  size_t n_;
};

// 2-D IPF of a dense slice to row targets `rows` and column targets `cols` (scaled to the rows'
// total), columns first; stops when every margin is within tol * max(1, target). Returns the
// iterations; `error` gets the final largest relative gap.
int RefitSlice(std::vector<double>& y, size_t n, const double* rows, const double* end_row,
               double tol, int max_iterations, double& error) {
  double row_total = 0.0, col_total = 0.0;
  for (size_t idx = 0; idx < n; ++idx) {
    row_total += rows[idx];
    col_total += end_row[idx];
  }
  std::vector<double> cols(n, 0.0), sums(n);
  if (col_total > 0) {
    for (size_t idx = 0; idx < n; ++idx) cols[idx] = end_row[idx] * (row_total / col_total);
  }
  auto gaps = [&]() {
    double worst = 0.0;
    std::fill(sums.begin(), sums.end(), 0.0);
    for (size_t orig = 0; orig < n; ++orig) {
      const double* row = &y[orig * n];
      double row_sum = 0.0;
      for (size_t dest = 0; dest < n; ++dest) {
        row_sum += row[dest];
        sums[dest] += row[dest];
      }
      worst = std::max(worst, std::abs(row_sum - rows[orig]) / std::max(1.0, rows[orig]));
    }
    for (size_t dest = 0; dest < n; ++dest) {
      worst = std::max(worst, std::abs(sums[dest] - cols[dest]) / std::max(1.0, cols[dest]));
    }
    return worst;  // leaves the column sums in `sums`
  };
  error = gaps();
  int iterations = 0;
  while (error > tol && iterations < max_iterations) {
    for (size_t dest = 0; dest < n; ++dest) {
      sums[dest] = (cols[dest] == 0 || sums[dest] == 0) ? 0.0 : cols[dest] / sums[dest];
    }
    for (size_t orig = 0; orig < n; ++orig) {
      double* row = &y[orig * n];
      double row_sum = 0.0;
      for (size_t dest = 0; dest < n; ++dest) {
        row[dest] *= sums[dest];
        row_sum += row[dest];
      }
      const double factor = (rows[orig] == 0 || row_sum == 0) ? 0.0 : rows[orig] / row_sum;
      for (size_t dest = 0; dest < n; ++dest) row[dest] *= factor;
    }
    ++iterations;
    error = gaps();
  }
  return iterations;
}

// The factors of one birthplace slice under the uniform seed (ones off the diagonal with
// stayers): closed x_ij = stayers_i [i = j] + alpha_i beta_j [i != j], prior p_ij = start_i
// end_j / sum(end).
struct SliceFactors {
  SliceFactors(const FfsDemoTables& t, size_t pob)
      : alpha(&t.alpha[pob * t.n]),
        beta(&t.beta[pob * t.n]),
        stayers(&t.stayers[pob * t.n]),
        start(&t.start[pob * t.n]),
        end(&t.end[pob * t.n]) {
    for (size_t idx = 0; idx < t.n; ++idx) {
      beta_sum += beta[idx];
      beta_sq += beta[idx] * beta[idx];
      end_sum += end[idx];
      end_sq += end[idx] * end[idx];
      beta_end += beta[idx] * end[idx];
    }
  }
  double Share(size_t orig) const { return end_sum > 0 ? start[orig] / end_sum : 0.0; }
  // The sums of row `orig` (x over destinations, p the prior row).
  UnitSums Row(size_t orig) const {
    UnitSums s;
    const double a = alpha[orig], b = beta[orig], st = stayers[orig], q = Share(orig);
    s.sx = st + a * (beta_sum - b);
    s.sp = q * end_sum;
    s.sxx = st * st + a * a * (beta_sq - b * b);
    s.sxp = q * (st * end[orig] + a * (beta_end - b * end[orig]));
    s.spp = q * q * end_sq;
    return s;
  }
  const double *alpha, *beta, *stayers, *start, *end;
  double beta_sum = 0, beta_sq = 0, end_sum = 0, end_sq = 0, beta_end = 0;
};

}  // namespace

double PseudoBayesWeight(const double* x, const double* lambda, size_t size, double* k) {
  UnitSums sums;
  for (size_t idx = 0; idx < size; ++idx) sums.Add(x[idx], lambda[idx]);
  const double estimate = EstimateK(sums);
  if (k != nullptr) *k = estimate;
  if (!(estimate > 0) || std::isinf(estimate)) return 0.0;
  return estimate / (sums.sx + estimate);
}

FfsResult FfsPseudoBayes(const FlowMatrix& stock1, const FlowMatrix& stock2,
                         const PseudoBayesOptions& options, PseudoBayesSummary* summary) {
  CheckSetting(!(options.k && options.weight), "FfsPseudoBayes", "give K or a weight, not both");
  CheckSetting(!options.k || (std::isfinite(*options.k) && *options.k >= 0), "FfsPseudoBayes",
               "K must be finite and non-negative");
  CheckSetting(!options.weight || (*options.weight >= 0 && *options.weight <= 1), "FfsPseudoBayes",
               "the weight must be in [0, 1]");
  FfsDemoOptions closed_options = options.demo;
  closed_options.stayer_assumption = true;
  FfsDemoTables closed;
  FfsResult closed_fit = FfsDemo(stock1, stock2, closed_options, &closed);
  // The prior: the same demographic account without the stayer assumption. With the uniform seed
  // each slice is rank one and needs no fit; a user seed needs the full fit.
  FfsDemoTables prior;
  std::optional<FfsResult> prior_fit;
  if (options.demo.seed) {
    FfsDemoOptions prior_options = options.demo;
    prior_options.stayer_assumption = false;
    prior_fit = FfsDemo(stock1, stock2, prior_options, &prior);
  }
  const Slices slices(closed, prior_fit ? &prior : nullptr);
  const size_t n = closed.n;

  // Pass 1: the sums of every unit.
  const size_t unit_count = options.level == PseudoBayesLevel::kRow          ? n * n
                            : options.level == PseudoBayesLevel::kBirthplace ? n
                                                                             : 1;
  std::vector<UnitSums> units(unit_count);
  std::vector<double> x, p;
  double closed_total = 0.0, prior_total = 0.0;
  // With the uniform seed and no refit, every sum follows from the factors of the two fits in
  // O(n) per slice (the closed slice is stayers + alpha_i beta_j off the diagonal, the prior
  // slice start_i end_j / sum(end)): no dense slice is built.
  const bool structured = options.structured && !prior_fit && !options.refit;
  auto unit_of = [&](size_t pob, size_t orig) {
    return options.level == PseudoBayesLevel::kRow          ? pob * n + orig
           : options.level == PseudoBayesLevel::kBirthplace ? pob
                                                            : 0;
  };
  for (size_t pob = 0; pob < n; ++pob) {
    if (structured) {
      const SliceFactors f(closed, pob);
      for (size_t orig = 0; orig < n; ++orig) {
        units[unit_of(pob, orig)].Add(f.Row(orig));
        closed_total += f.alpha[orig] * (f.beta_sum - f.beta[orig]);
        prior_total += f.Share(orig) * (f.end_sum - f.end[orig]);
      }
      continue;
    }
    slices.Fill(pob, x, p);
    for (size_t orig = 0; orig < n; ++orig) {
      UnitSums row;
      for (size_t dest = 0; dest < n; ++dest) {
        row.Add(x[orig * n + dest], p[orig * n + dest]);
        if (dest != orig) {
          closed_total += x[orig * n + dest];
          prior_total += p[orig * n + dest];
        }
      }
      units[unit_of(pob, orig)].Add(row);
    }
  }
  // The weight on the prior of every unit.
  std::vector<double> weights(unit_count, 0.0), ks, ws;
  double weighted = 0.0, people = 0.0;
  for (size_t unit = 0; unit < unit_count; ++unit) {
    const UnitSums& s = units[unit];
    if (s.sx <= 0) continue;
    double k = 0.0, w = 0.0;
    if (options.weight) {
      w = *options.weight;
      k = w >= 1 ? std::numeric_limits<double>::infinity() : s.sx * w / (1.0 - w);
    } else {
      k = options.k ? *options.k : EstimateK(s);
      if (std::isnan(k)) k = 0.0;  // no prior mass on this unit: nothing to blend
      w = std::isinf(k) ? 0.0 : k / (s.sx + k);
    }
    weights[unit] = w;
    ks.push_back(k);
    ws.push_back(w);
    weighted += w * s.sx;
    people += s.sx;
  }

  // Pass 2: blend, refit each slice, sum over birthplace.
  FfsResult result;
  result.method =
      "flows from stocks: pseudo-Bayes blend of closed demographic accounting towards "
      "independence (after Azose & Raftery 2019; not validated against their code)";
  const std::string k_rule = options.weight ? fmt::format("weight={:g}", *options.weight)
                             : options.k    ? fmt::format("K={:g}", *options.k)
                                            : std::string("K=BFH estimate per unit");
  result.flows = stock1.ids().size() == n ? FlowMatrix(stock1.ids()) : FlowMatrix(n);
  int refit_iterations = 0;
  double refit_error = 0.0;
  bool refit_converged = true;
  std::vector<double> y(n * n);
  std::vector<double> row_a(n), row_g(n);
  for (size_t pob = 0; pob < n; ++pob) {
    if (structured) {
      // Blend of row i: (1 - w_i) (stayers + alpha_i beta_j) + w_i (N_i / start_i) start_i
      // end_j / sum(end), i.e. a_i beta_j + g_i end_j off the diagonal.
      const SliceFactors f(closed, pob);
      double a_total = 0.0, g_total = 0.0, worst = 0.0, row_total = 0.0;
      for (size_t orig = 0; orig < n; ++orig) {
        const double w = weights[unit_of(pob, orig)];
        const double sx = f.stayers[orig] + f.alpha[orig] * (f.beta_sum - f.beta[orig]);
        row_a[orig] = (1.0 - w) * f.alpha[orig];
        // N lambda keeps the row's total N: the prior row is scaled by N / start_i.
        row_g[orig] = f.start[orig] > 0 ? w * sx / f.end_sum : 0.0;
        a_total += row_a[orig];
        g_total += row_g[orig];
        row_total += f.start[orig];
        worst = std::max(worst, std::abs(sx - f.start[orig]) / std::max(1.0, f.start[orig]));
      }
      for (size_t dest = 0; dest < n; ++dest) {
        const double w = weights[unit_of(pob, dest)];
        const double col = (1.0 - w) * f.stayers[dest] + f.beta[dest] * (a_total - row_a[dest]) +
                           f.end[dest] * g_total;
        const double target = f.end_sum > 0 ? f.end[dest] * (row_total / f.end_sum) : 0.0;
        worst = std::max(worst, std::abs(col - target) / std::max(1.0, target));
      }
      refit_error = std::max(refit_error, worst);
      for (size_t orig = 0; orig < n; ++orig) {
        const double a = row_a[orig], g = row_g[orig];
        if (a == 0 && g == 0) continue;
        double* out = result.flows.row(orig);
        for (size_t dest = 0; dest < n; ++dest) out[dest] += a * f.beta[dest] + g * f.end[dest];
      }
      continue;
    }
    slices.Fill(pob, x, p);
    for (size_t orig = 0; orig < n; ++orig) {
      const double w = weights[unit_of(pob, orig)];
      double x_total = 0.0, p_total = 0.0;
      for (size_t dest = 0; dest < n; ++dest) {
        x_total += x[orig * n + dest];
        p_total += p[orig * n + dest];
      }
      // N lambda keeps the row's total N (the two fits agree on it up to their tolerance).
      const double scale = p_total > 0 ? x_total / p_total : 0.0;
      for (size_t dest = 0; dest < n; ++dest) {
        const size_t cell = orig * n + dest;
        y[cell] = (1.0 - w) * x[cell] + w * scale * p[cell];
      }
    }
    {
      // Without the refit this only measures how far the blend is from the end stocks.
      double error = 0.0;
      const int iterations =
          RefitSlice(y, n, &closed.start[pob * n], &closed.end[pob * n], options.refit_tol,
                     options.refit ? options.refit_max_iterations : 0, error);
      refit_iterations = std::max(refit_iterations, iterations);
      refit_error = std::max(refit_error, error);
      if (options.refit && error > options.refit_tol) refit_converged = false;
    }
    for (size_t orig = 0; orig < n; ++orig) {
      double* out = result.flows.row(orig);
      const double* in = &y[orig * n];
      for (size_t dest = 0; dest < n; ++dest) {
        if (dest != orig) out[dest] += in[dest];
      }
    }
  }
  result.flows.ZeroDiagonal();
  result.iterations = closed_fit.iterations + refit_iterations;
  result.last_cell_change = closed_fit.last_cell_change;
  result.max_margin_error = std::max(refit_error, closed_fit.max_margin_error);
  result.converged =
      closed_fit.converged && (!prior_fit || prior_fit->converged) && refit_converged;
  result.notes = std::move(closed_fit.notes);
  if (!refit_converged) {
    result.notes.push_back(fmt::format(
        "pseudo-Bayes refit: a birthplace slice could not be fitted to its stocks (largest "
        "relative margin gap {:g})",
        refit_error));
  }
  const double k_median = Median(ks);
  const double w_median = Median(ws);
  result.parameters = fmt::format(
      "level={}; {}; prior=independence (stayer assumption off){}; refit={}; "
      "median K={:g}; median weight={:g}; people-weighted weight={:g}; closed total={:.0f}; "
      "prior total={:.0f}; {}",
      LevelName(options.level), k_rule, options.demo.seed ? " with the seed" : "", options.refit,
      k_median, w_median, people > 0 ? weighted / people : 0.0, closed_total, prior_total,
      closed_fit.parameters);
  if (summary != nullptr) {
    summary->units = ks.size();
    summary->k_median = k_median;
    summary->weight_median = w_median;
    summary->k_min = ks.empty() ? 0.0 : *std::min_element(ks.begin(), ks.end());
    summary->k_max = ks.empty() ? 0.0 : *std::max_element(ks.begin(), ks.end());
    summary->weight_min = ws.empty() ? 0.0 : *std::min_element(ws.begin(), ws.end());
    summary->weight_max = ws.empty() ? 0.0 : *std::max_element(ws.begin(), ws.end());
    summary->weight_mean = people > 0 ? weighted / people : 0.0;
    summary->closed_total = closed_total;
    summary->prior_total = prior_total;
    summary->refit_iterations = refit_iterations;
    summary->refit_margin_error = refit_error;
  }
  return result;
}

}  // namespace kazmig::estimate

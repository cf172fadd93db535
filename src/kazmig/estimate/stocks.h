// Flows from stocks: origin-destination migration flows estimated from two place-of-birth by
// place-of-residence stock tables (Abel 2013; Abel & Sander 2014; Abel & Cohen 2019).
//
//   FlowMatrix s1 = ..., s2 = ...;              // rows = place of birth, columns = residence
//   FfsDemoOptions options;                     // stayer assumption on, rescale, no births/deaths
//   FfsResult r = FfsDemo(s1, s2, options);
//   r.flows(0, 2);                              // A -> C, diagonal zero
//   r.iterations, r.max_margin_error, r.converged, r.method, r.parameters
//
// Stocks are FlowMatrix objects with row = place of birth (pob) and column = place of residence
// (por), over the same ordered place set; flows have row = origin, column = destination. All the
// functions here assume aligned inputs (same places, same order): the caller aligns files.
#ifndef KAZMIG_ESTIMATE_STOCKS_H_
#define KAZMIG_ESTIMATE_STOCKS_H_

#include <optional>
#include <string>
#include <vector>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::estimate {

// What every stock-based estimate returns.
struct FfsResult {
  FlowMatrix flows;  // origin x destination, diagonal 0
  std::string method;
  std::string parameters;  // "key=value; ..." for provenance
  int iterations = 0;
  double max_margin_error = 0.0;  // relative, over the final IPF's margins
  double last_cell_change = 0.0;  // largest cell change of the final IPF cycle
  bool converged = true;
  // Notes for the user (e.g. "column KWT had a negative native-born cell and was rescaled").
  std::vector<std::string> notes;
};

enum class MatchBirthplace { kRescale, kOpen, kOpenDr };

struct FfsDemoOptions {
  std::vector<double> births;  // by place of residence; empty = none
  std::vector<double> deaths;  // by place of residence; empty = none
  bool stayer_assumption = true;
  MatchBirthplace match_birthplace = MatchBirthplace::kRescale;
  // Prior for the origin x destination structure (off-diagonal cells used). Unlike migest, which
  // ignores it under the stayer assumption, it is honoured in both modes.
  std::optional<FlowMatrix> seed;
  // Stopping rule of every IPF inside: mipfp's largest absolute cell change < tol (migest uses
  // 1e-3, which reproduces its output). A relative margin rule is used when `relative_tol` is set.
  double cell_change_tol = 1e-3;
  std::optional<double> relative_tol;
  int max_iterations = 100000;
  // Run the two independent birthplace rescalings on two threads (off for --threads 1).
  bool parallel = true;
};

// The demographically adjusted stock tables of steps 1-6 below: S1'' and S2'' (place of birth x
// residence), with equal birthplace totals. They are the margins of every 3-D fit of step 7, so
// estimators that combine several fits (the pseudo-Bayes blend) adjust once and fit many times.
struct AdjustedStocks {
  FlowMatrix start;                // S1'': start stocks after deaths and the birthplace matching
  FlowMatrix end;                  // S2'': end stocks after births and the birthplace matching
  std::vector<std::string> notes;  // adjustments made on the way (negative native born, balance)
};

// The fitted 3-D table of step 7, birthplace x origin x destination, in factored form:
//   x[pob][orig][dest] = stayers[pob * n + orig] * (orig == dest)
//                        + alpha[pob * n + orig] * seed(orig, dest) * beta[pob * n + dest]
// Its margins are the adjusted stocks: sum over dest = start(pob, orig), sum over orig =
// end(pob, dest) (up to the fit's tolerance).
struct BirthplaceFlows {
  size_t n = 0;
  std::vector<double> stayers;  // min(S1'', S2'') under the stayer assumption, else 0
  std::vector<double> alpha, beta;
  FlowMatrix seed;  // origin x destination seed (0 on the diagonal with stayers)
  // One cell x[pob][orig][dest], stayers included.
  double Cell(size_t pob, size_t orig, size_t dest) const;
};

// Demographic accounting (migest's ffs_demo with its defaults: match global before the
// demographic adjustment, births to the native born, deaths in proportion). Steps, as in
// docs/methods estimation.md:
//  1. a column with a negative native-born cell has its non-negative cells rescaled to the
//     column total;
//  2. rescale only: the diagonals of S1 and S2 are moved (each by half) so that the stock growth
//     equals births minus deaths; rescaled diagonals are rounded to integers (R's round half to
//     even) and the rounding residual goes to the largest diagonal cell (migest picks at random
//     among ties; we pick the first largest);
//  3. births B = diag(b), or S2's column scaled to b_i when b_i > S2[i,i];
//  4. deaths D[., j] = S1[., j] d_j / colsum_j(S1);
//  5. S1' = S1 - D, S2' = S2 - B;
//  6. birthplace totals matched (rescale: 2-D IPF rows then columns; open, open-dr);
//  7. stayers min(S1''[k,i], S2''[k,i]) held fixed, the rest fitted by a 3-D IPF (seed 1 off the
//     diagonal; the user seed when given), flows summed over birthplace.
// Throws ComputeError ("internal") for misaligned inputs, InputError for non-finite stocks, a
// negative seed or no places, ComputeError when an intermediate table
// turns negative (the IPF cannot take it). Non-convergence is reported in the result.
FfsResult FfsDemo(const FlowMatrix& stock1, const FlowMatrix& stock2,
                  const FfsDemoOptions& options = {});

// Steps 1-6 of FfsDemo: the adjusted stock tables (ids of stock1). Throws as FfsDemo.
AdjustedStocks AdjustStocks(const FlowMatrix& stock1, const FlowMatrix& stock2,
                            const FfsDemoOptions& options = {});

// Step 7 of FfsDemo on adjusted tables: the 3-D fit with (options.stayer_assumption) or without
// the stayers, flows summed over birthplace with a zero diagonal. Returns flows, iterations,
// margin error and convergence (method, parameters and notes are left empty); `table`, when
// given, receives the fitted 3-D table. Throws ComputeError when a margin is negative.
FfsResult FitBirthplaceFlows(const AdjustedStocks& adjusted, const FfsDemoOptions& options,
                             BirthplaceFlows* table = nullptr);

// "key=value; ..." describing the options of FfsDemo other than the stayer assumption (births,
// deaths, birthplace matching, seed, stopping rule), for provenance.
std::string DescribeDemoOptions(const FfsDemoOptions& options);

enum class DiffType { kZero, kReturn };

// Stock differencing (migest's ffs_diff): Y = S2 - S1 with a zero diagonal; zero: max(Y, 0);
// return: max(Y, 0) + max(-Y^T, 0) (a fall in a stock is read as return migration).
FfsResult FfsDiff(const FlowMatrix& stock1, const FlowMatrix& stock2, DiffType type);

enum class RatesType { kDennett, kRogersVonRabenau };

// Migration rates (migest's ffs_rates). dennett: x = total * S1 / sum(S1 off the diagonal), i.e.
// the total distributed in proportion to the start stocks (Dennett 2016); rogers-von-rabenau:
// g = S1^-1 S2 (solve S1 g = S2) and x_ij = g_ij * colsum_i(S1), each row weighted by the
// population resident in the origin. Diagonal 0. Rogers-von Rabenau may give negative flows: they
// are kept and counted in the notes. Throws ComputeError when S1 is singular; dennett needs
// `total`.
FfsResult FfsRates(const FlowMatrix& stock1, const FlowMatrix& stock2, RatesType type,
                   std::optional<double> total);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_STOCKS_H_

// The modifiable areal unit problem (MAUP) for migration intensity and effectiveness, after IMAGE
// Studio (Stillwell, Daras & Bell 2018): n basic spatial units are aggregated many times at random
// into k contiguous regions, and the crude migration intensity (CMI) and the migration
// effectiveness index (MEI) are recomputed each time, to separate the scale effect (how the
// indicators move with k) from the zonation effect (their spread for one k).
//
//   indicators::MaupInputs in;
//   in.flows = &sparse;             // SparseFlows over n units (diagonal entries ignored)
//   in.population = &population;    // n values; only the total P enters the CMI
//   in.adjacency = &neighbours;     // neighbours[u] = units sharing a border with u
//   in.k_values = {4, 8, 16};
//   in.replications = 1000;
//   in.seed = 1;
//   in.threads = 2;
//   indicators::MaupResult r = indicators::RunMaup(in);
//   r.per_k[0].cmi.mean, r.per_k[0].mei.sd, ...
//
// Random contiguous aggregation (one replication for one k): draw k distinct seed units, at least
// one in every connected component of the adjacency graph (k must be >= the number of components);
// then grow all regions at once: repeatedly take a uniformly random entry (unit, region) from the
// frontier of candidate units adjacent to a region; an unassigned unit joins that region and adds
// its unassigned neighbours to the frontier. Every unit ends in exactly one region and every
// region is contiguous. Flows are aggregated by summing the sparse entries through the
// unit -> region map:
//   CMI = 100 M_k / P  (M_k = flows between different regions),
//   MEI = 100 sum_r |D_r - O_r| / sum_r (D_r + O_r).
// Replication r for the value k_idx draws from Rng(seed).Split(k_idx * 2^32 + r), so results are
// identical for any thread count. Summaries: mean, sd (divisor R - 1), min, max and the 5%, 25%,
// 50%, 75% and 95% quantiles (R's default type 7 interpolation).
#ifndef KAZMIG_INDICATORS_MAUP_H_
#define KAZMIG_INDICATORS_MAUP_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "kazmig/core/flow_matrix.h"
#include "kazmig/core/rng.h"

namespace kazmig::indicators {

using Adjacency = std::vector<std::vector<size_t>>;

struct MaupInputs {
  const SparseFlows* flows = nullptr;
  const std::vector<double>* population = nullptr;
  const Adjacency* adjacency = nullptr;
  std::vector<size_t> k_values;
  size_t replications = 1000;
  uint64_t seed = 1;
  int threads = 1;
  bool keep_draws = false;  // keep every replication's CMI and MEI in the result
};

struct Distribution {
  double mean = 0, sd = 0, min = 0, p05 = 0, p25 = 0, median = 0, p75 = 0, p95 = 0, max = 0;
};

struct MaupPerK {
  size_t k = 0;
  Distribution cmi;
  Distribution mei;
  std::vector<double> cmi_draws;  // when keep_draws
  std::vector<double> mei_draws;
};

struct MaupResult {
  size_t units = 0;
  size_t components = 0;
  double population = 0;
  double basic_cmi = 0;  // at the level of the basic units
  double basic_mei = 0;
  std::vector<MaupPerK> per_k;
};

// Runs the experiment. Throws ComputeError when sizes do not match, a k is < 1 or > n or smaller
// than the number of connected components, a unit index in the flows or adjacency is out of
// range, or the total population is not positive.
MaupResult RunMaup(const MaupInputs& inputs);

// One random contiguous aggregation into k regions: region index (0..k-1) per unit.
// `components` are the connected components (ComponentsOf); k >= components.size().
std::vector<uint32_t> RandomContiguousZoning(const Adjacency& adjacency,
                                             const std::vector<std::vector<size_t>>& components,
                                             size_t k, Rng& rng);

// Connected components of the adjacency graph (each a list of units, in increasing order).
std::vector<std::vector<size_t>> ComponentsOf(const Adjacency& adjacency);

// Adjacency from an edge list (undirected; duplicates and self-loops dropped).
Adjacency AdjacencyFromEdges(size_t n, const std::vector<std::pair<size_t, size_t>>& edges);

// Adjacency of polygons that share at least one boundary point (exact coordinate equality, as in
// topologically clean boundary files): `points[u]` are the vertices of unit u.
Adjacency AdjacencyFromSharedPoints(
    const std::vector<std::vector<std::pair<double, double>>>& points);

// R's type-7 quantile of sorted values.
double Quantile(const std::vector<double>& sorted, double prob);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_MAUP_H_

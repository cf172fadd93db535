#include "kazmig/indicators/maup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::indicators {
namespace {

using ::kazmig::testing::NearRel;

// A rows x cols grid of units with rook adjacency; flows of 10 between neighbours and 1 to the
// unit two steps to the right.
struct Grid {
  Adjacency adjacency;
  SparseFlows flows;
  std::vector<double> population;
};

Grid MakeGrid(size_t rows, size_t cols) {
  Grid g;
  const size_t n = rows * cols;
  std::vector<std::pair<size_t, size_t>> edges;
  g.flows.n = n;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const size_t u = r * cols + c;
      if (c + 1 < cols) edges.emplace_back(u, u + 1);
      if (r + 1 < rows) edges.emplace_back(u, u + cols);
      if (c + 1 < cols) g.flows.entries.push_back({u, u + 1, 10.0 + static_cast<double>(r)});
      if (c > 0) g.flows.entries.push_back({u, u - 1, 10.0});
      if (r + 1 < rows) g.flows.entries.push_back({u, u + cols, 10.0});
      if (c + 2 < cols) g.flows.entries.push_back({u, u + 2, 1.0});
    }
  }
  g.adjacency = AdjacencyFromEdges(n, edges);
  g.population.assign(n, 1000.0);
  return g;
}

bool RegionIsContiguous(const Adjacency& adjacency, const std::vector<uint32_t>& zone,
                        uint32_t region) {
  std::vector<size_t> members;
  for (size_t u = 0; u < zone.size(); ++u) {
    if (zone[u] == region) members.push_back(u);
  }
  if (members.empty()) return false;
  std::set<size_t> seen = {members[0]};
  std::vector<size_t> stack = {members[0]};
  while (!stack.empty()) {
    const size_t u = stack.back();
    stack.pop_back();
    for (size_t v : adjacency[u]) {
      if (zone[v] == region && seen.insert(v).second) stack.push_back(v);
    }
  }
  return seen.size() == members.size();
}

TEST(Maup, ZoningsAreCompleteAndContiguous) {
  const Grid g = MakeGrid(12, 15);
  const auto components = ComponentsOf(g.adjacency);
  ASSERT_EQ(components.size(), 1u);
  Rng rng(9);
  for (size_t k : {1u, 2u, 7u, 40u, 180u}) {
    for (int rep = 0; rep < 5; ++rep) {
      const auto zone = RandomContiguousZoning(g.adjacency, components, k, rng);
      std::set<uint32_t> used(zone.begin(), zone.end());
      EXPECT_EQ(used.size(), k);
      for (uint32_t region = 0; region < k; ++region) {
        EXPECT_TRUE(RegionIsContiguous(g.adjacency, zone, region)) << k << " " << region;
      }
    }
  }
}

TEST(Maup, IdenticalForAnyThreadCount) {
  const Grid g = MakeGrid(10, 10);
  MaupInputs in;
  in.flows = &g.flows;
  in.population = &g.population;
  in.adjacency = &g.adjacency;
  in.k_values = {3, 10, 25};
  in.replications = 60;
  in.seed = 123;
  in.keep_draws = true;
  in.threads = 1;
  const MaupResult one = RunMaup(in);
  in.threads = 3;
  const MaupResult three = RunMaup(in);
  for (size_t k_idx = 0; k_idx < 3; ++k_idx) {
    EXPECT_EQ(one.per_k[k_idx].cmi_draws, three.per_k[k_idx].cmi_draws);
    EXPECT_EQ(one.per_k[k_idx].mei_draws, three.per_k[k_idx].mei_draws);
    EXPECT_EQ(one.per_k[k_idx].cmi.mean, three.per_k[k_idx].cmi.mean);
  }
  in.seed = 124;
  EXPECT_NE(RunMaup(in).per_k[1].cmi_draws, one.per_k[1].cmi_draws);
}

TEST(Maup, ScaleEffectAndLimits) {
  const Grid g = MakeGrid(8, 8);
  MaupInputs in;
  in.flows = &g.flows;
  in.population = &g.population;
  in.adjacency = &g.adjacency;
  in.k_values = {1, 4, 32, 64};
  in.replications = 50;
  const MaupResult r = RunMaup(in);
  double total = 0;
  for (const auto& e : g.flows.entries) total += e.flow;
  EXPECT_TRUE(NearRel(r.basic_cmi, 100 * total / 64000));
  EXPECT_EQ(r.per_k[0].cmi.max, 0);              // one region: no moves between regions
  EXPECT_TRUE(std::isnan(r.per_k[0].mei.mean));  // and no effectiveness
  EXPECT_LT(r.per_k[1].cmi.mean, r.per_k[2].cmi.mean);
  EXPECT_TRUE(NearRel(r.per_k[3].cmi.min, r.basic_cmi, 1e-12));  // k = n: the basic units
  EXPECT_TRUE(NearRel(r.per_k[3].cmi.max, r.basic_cmi, 1e-12));
  EXPECT_TRUE(NearRel(r.per_k[3].mei.median, r.basic_mei, 1e-12));
  EXPECT_GT(r.per_k[1].cmi.sd, 0);  // zonation effect
  EXPECT_LE(r.per_k[1].cmi.p05, r.per_k[1].cmi.median);
  EXPECT_LE(r.per_k[1].cmi.median, r.per_k[1].cmi.p95);
}

TEST(Maup, RejectsImpossibleRequests) {
  Grid g = MakeGrid(3, 3);
  // Cut unit 8 off: two components.
  g.adjacency[8].clear();
  for (auto& list : g.adjacency) std::erase(list, 8u);
  MaupInputs in;
  in.flows = &g.flows;
  in.population = &g.population;
  in.adjacency = &g.adjacency;
  in.replications = 3;
  in.k_values = {1};
  EXPECT_THROW(RunMaup(in), ComputeError);
  in.k_values = {10};
  EXPECT_THROW(RunMaup(in), ComputeError);
  in.k_values = {2};
  EXPECT_NO_THROW(RunMaup(in));
  std::vector<double> zero(9, 0.0);
  in.population = &zero;
  EXPECT_THROW(RunMaup(in), ComputeError);
}

TEST(Maup, AdjacencyFromSharedBoundaryPoints) {
  // Three unit squares in a row, and a fourth far away.
  const std::vector<std::vector<std::pair<double, double>>> points = {
      {{0, 0}, {1, 0}, {1, 1}, {0, 1}},
      {{1, 0}, {2, 0}, {2, 1}, {1, 1}},
      {{2, 0}, {3, 0}, {3, 1}, {2, 1}},
      {{10, 10}, {11, 10}, {11, 11}}};
  const Adjacency a = AdjacencyFromSharedPoints(points);
  EXPECT_EQ(a[0], (std::vector<size_t>{1}));
  EXPECT_EQ(a[1], (std::vector<size_t>{0, 2}));
  EXPECT_TRUE(a[3].empty());
  EXPECT_EQ(ComponentsOf(a).size(), 2u);
}

TEST(Maup, QuantileType7) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_TRUE(NearRel(Quantile(v, 0.5), 2.5));
  EXPECT_TRUE(NearRel(Quantile(v, 0.05), 1.15));
  EXPECT_EQ(Quantile(v, 1.0), 4);
}

}  // namespace
}  // namespace kazmig::indicators

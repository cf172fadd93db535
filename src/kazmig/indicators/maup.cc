#include "kazmig/indicators/maup.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <numeric>
#include <thread>

#include "kazmig/core/error.h"
#include "kazmig/indicators/rates.h"

namespace kazmig::indicators {
namespace {

// Summary of the finite values (the MEI is undefined, NaN, for a zoning with no flows between
// regions, e.g. k = 1); all fields are NaN when none is finite.
Distribution Summarise(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  Distribution d;
  if (values.empty()) {
    const double nan = std::nan("");
    return {nan, nan, nan, nan, nan, nan, nan, nan, nan};
  }
  std::sort(values.begin(), values.end());
  const double count = static_cast<double>(values.size());
  d.mean = std::accumulate(values.begin(), values.end(), 0.0) / count;
  double sq = 0;
  for (double v : values) sq += (v - d.mean) * (v - d.mean);
  d.sd = values.size() > 1 ? std::sqrt(sq / (count - 1)) : 0.0;
  d.min = values.front();
  d.max = values.back();
  d.p05 = Quantile(values, 0.05);
  d.p25 = Quantile(values, 0.25);
  d.median = Quantile(values, 0.5);
  d.p75 = Quantile(values, 0.75);
  d.p95 = Quantile(values, 0.95);
  return d;
}

// CMI numerator and MEI for a zoning.
struct ZoneStats {
  double between = 0;
  double mei = 0;
};

ZoneStats Aggregate(const SparseFlows& flows, const std::vector<uint32_t>& zone, size_t k,
                    std::vector<double>& in, std::vector<double>& out) {
  in.assign(k, 0);
  out.assign(k, 0);
  ZoneStats s;
  for (const auto& e : flows.entries) {
    const uint32_t a = zone[e.orig], b = zone[e.dest];
    if (a == b) continue;
    out[a] += e.flow;
    in[b] += e.flow;
    s.between += e.flow;
  }
  s.mei = MigrationEffectiveness(SumTurnover(in, out));
  return s;
}

}  // namespace

double Quantile(const std::vector<double>& sorted, double prob) {
  if (sorted.empty()) return std::nan("");
  const double h = (static_cast<double>(sorted.size()) - 1) * prob;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<std::vector<size_t>> ComponentsOf(const Adjacency& adjacency) {
  const size_t n = adjacency.size();
  std::vector<char> seen(n, 0);
  std::vector<std::vector<size_t>> components;
  std::vector<size_t> stack;
  for (size_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    components.emplace_back();
    seen[start] = 1;
    stack.push_back(start);
    while (!stack.empty()) {
      const size_t unit = stack.back();
      stack.pop_back();
      components.back().push_back(unit);
      for (size_t next : adjacency[unit]) {
        if (!seen[next]) {
          seen[next] = 1;
          stack.push_back(next);
        }
      }
    }
    std::sort(components.back().begin(), components.back().end());
  }
  return components;
}

std::vector<uint32_t> RandomContiguousZoning(const Adjacency& adjacency,
                                             const std::vector<std::vector<size_t>>& components,
                                             size_t k, Rng& rng) {
  const size_t n = adjacency.size();
  constexpr uint32_t kUnassigned = UINT32_MAX;
  std::vector<uint32_t> zone(n, kUnassigned);
  std::vector<size_t> seeds;
  seeds.reserve(k);
  // One seed per component, then the rest uniformly among the remaining units.
  for (const auto& component : components) {
    seeds.push_back(component[rng.UniformInt(component.size())]);
  }
  std::vector<char> is_seed(n, 0);
  for (size_t s : seeds) is_seed[s] = 1;
  while (seeds.size() < k) {
    const size_t unit = rng.UniformInt(n);
    if (is_seed[unit]) continue;
    is_seed[unit] = 1;
    seeds.push_back(unit);
  }
  struct Candidate {
    uint32_t unit;
    uint32_t region;
  };
  std::vector<Candidate> frontier;
  frontier.reserve(2 * n);
  for (size_t region_idx = 0; region_idx < seeds.size(); ++region_idx) {
    zone[seeds[region_idx]] = static_cast<uint32_t>(region_idx);
  }
  for (size_t region_idx = 0; region_idx < seeds.size(); ++region_idx) {
    for (size_t next : adjacency[seeds[region_idx]]) {
      if (zone[next] == kUnassigned) {
        frontier.push_back({static_cast<uint32_t>(next), static_cast<uint32_t>(region_idx)});
      }
    }
  }
  while (!frontier.empty()) {
    const size_t pick = rng.UniformInt(frontier.size());
    const Candidate c = frontier[pick];
    frontier[pick] = frontier.back();
    frontier.pop_back();
    if (zone[c.unit] != kUnassigned) continue;
    zone[c.unit] = c.region;
    for (size_t next : adjacency[c.unit]) {
      if (zone[next] == kUnassigned) frontier.push_back({static_cast<uint32_t>(next), c.region});
    }
  }
  return zone;
}

Adjacency AdjacencyFromEdges(size_t n, const std::vector<std::pair<size_t, size_t>>& edges) {
  Adjacency adjacency(n);
  for (const auto& [a, b] : edges) {
    if (a >= n || b >= n) throw ComputeError("AdjacencyFromEdges: unit index out of range");
    if (a == b) continue;
    adjacency[a].push_back(b);
    adjacency[b].push_back(a);
  }
  for (auto& list : adjacency) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return adjacency;
}

Adjacency AdjacencyFromSharedPoints(
    const std::vector<std::vector<std::pair<double, double>>>& points) {
  std::map<std::pair<double, double>, std::vector<size_t>> owners;
  for (size_t unit = 0; unit < points.size(); ++unit) {
    for (const auto& p : points[unit]) {
      auto& list = owners[p];
      if (list.empty() || list.back() != unit) list.push_back(unit);
    }
  }
  std::vector<std::pair<size_t, size_t>> edges;
  for (const auto& [point, units] : owners) {
    for (size_t a = 0; a < units.size(); ++a) {
      for (size_t b = a + 1; b < units.size(); ++b) edges.emplace_back(units[a], units[b]);
    }
  }
  return AdjacencyFromEdges(points.size(), edges);
}

MaupResult RunMaup(const MaupInputs& inputs) {
  const SparseFlows& flows = *inputs.flows;
  const Adjacency& adjacency = *inputs.adjacency;
  const size_t n = adjacency.size();
  if (flows.n != n || inputs.population->size() != n) {
    throw ComputeError(
        fmt::format("RunMaup: {} units in the flows, {} in the population, {} in "
                    "the adjacency",
                    flows.n, inputs.population->size(), n));
  }
  for (const auto& e : flows.entries) {
    if (e.orig >= n || e.dest >= n) throw ComputeError("RunMaup: flow unit index out of range");
  }
  for (const auto& list : adjacency) {
    for (size_t next : list) {
      if (next >= n) throw ComputeError("RunMaup: adjacency unit index out of range");
    }
  }
  MaupResult result;
  result.units = n;
  result.population = std::accumulate(inputs.population->begin(), inputs.population->end(), 0.0);
  if (!(result.population > 0)) {
    throw ComputeError("RunMaup: the total population must be positive for the CMI");
  }
  const auto components = ComponentsOf(adjacency);
  result.components = components.size();
  for (size_t k : inputs.k_values) {
    if (k < 1 || k > n) {
      throw ComputeError(fmt::format("RunMaup: k = {} is outside 1..{} units", k, n));
    }
    if (k < components.size()) {
      throw ComputeError(fmt::format(
          "RunMaup: k = {} is smaller than the {} separate parts of the adjacency graph (every "
          "part needs a region of its own)",
          k, components.size()));
    }
  }
  {
    std::vector<uint32_t> identity(n);
    std::iota(identity.begin(), identity.end(), 0u);
    std::vector<double> in, out;
    const ZoneStats basic = Aggregate(flows, identity, n, in, out);
    result.basic_cmi = 100 * basic.between / result.population;
    result.basic_mei = basic.mei;
  }

  const size_t reps = inputs.replications;
  const size_t tasks = inputs.k_values.size() * reps;
  std::vector<double> cmi(tasks), mei(tasks);
  const Rng base(inputs.seed);
  std::atomic<size_t> next_task{0};
  auto worker = [&] {
    std::vector<double> in, out;
    for (size_t task = next_task.fetch_add(1); task < tasks; task = next_task.fetch_add(1)) {
      const size_t k_idx = task / reps, rep = task % reps;
      const size_t k = inputs.k_values[k_idx];
      Rng rng = base.Split((static_cast<uint64_t>(k_idx) << 32) | rep);
      const std::vector<uint32_t> zone = RandomContiguousZoning(adjacency, components, k, rng);
      const ZoneStats s = Aggregate(flows, zone, k, in, out);
      cmi[task] = 100 * s.between / result.population;
      mei[task] = s.mei;
    }
  };
  const size_t threads = std::max<size_t>(
      1, std::min<size_t>(static_cast<size_t>(std::max(1, inputs.threads)), tasks));
  if (threads == 1) {
    worker();
  } else {
    // A failure on a worker (out of memory, say) is carried to this thread and rethrown: an
    // exception escaping a std::thread would end the process (std::terminate).
    std::vector<std::exception_ptr> failures(threads);
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&worker, &failures, t] {
        try {
          worker();
        } catch (...) {
          failures[t] = std::current_exception();
        }
      });
    }
    for (auto& t : pool) t.join();
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
  }
  for (size_t k_idx = 0; k_idx < inputs.k_values.size(); ++k_idx) {
    MaupPerK per;
    per.k = inputs.k_values[k_idx];
    std::vector<double> c(cmi.begin() + k_idx * reps, cmi.begin() + (k_idx + 1) * reps);
    std::vector<double> m(mei.begin() + k_idx * reps, mei.begin() + (k_idx + 1) * reps);
    per.cmi = Summarise(c);
    per.mei = Summarise(m);
    if (inputs.keep_draws) {
      per.cmi_draws = std::move(c);
      per.mei_draws = std::move(m);
    }
    result.per_k.push_back(std::move(per));
  }
  return result;
}

}  // namespace kazmig::indicators

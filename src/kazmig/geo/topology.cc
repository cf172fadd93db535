#include "kazmig/geo/topology.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numbers>
#include <unordered_map>

namespace kazmig::geo {
namespace {

using io::GeoPoint;
using io::GeoRing;

constexpr double kKmPerDegree = 111.32;  // one degree of latitude (and of longitude at 0°)

struct PointKey {
  uint64_t x;
  uint64_t y;
  friend bool operator==(const PointKey&, const PointKey&) = default;
};
struct PointKeyHash {
  size_t operator()(const PointKey& key) const {
    return std::hash<uint64_t>()(key.x * 0x9E3779B97F4A7C15ULL ^ key.y);
  }
};
PointKey KeyOf(const GeoPoint& point) {
  // +0.0 and -0.0 compare equal as coordinates; give them one key.
  return {std::bit_cast<uint64_t>(point.x + 0.0), std::bit_cast<uint64_t>(point.y + 0.0)};
}

// Assigns dense ids to distinct points.
class PointIds {
 public:
  uint32_t Get(const GeoPoint& point) {
    auto [it, inserted] = ids_.emplace(KeyOf(point), static_cast<uint32_t>(points_.size()));
    if (inserted) points_.push_back(point);
    return it->second;
  }
  const GeoPoint& operator[](uint32_t id) const { return points_[id]; }
  size_t size() const { return points_.size(); }

 private:
  std::unordered_map<PointKey, uint32_t, PointKeyHash> ids_;
  std::vector<GeoPoint> points_;
};

// Distance from `point` to the segment a–b on the scaled plane (in degrees of latitude).
double SegmentDistance(const GeoPoint& point, const GeoPoint& a, const GeoPoint& b,
                       double x_scale) {
  const double px = (point.x - a.x) * x_scale;
  const double py = point.y - a.y;
  const double dx = (b.x - a.x) * x_scale;
  const double dy = b.y - a.y;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0.0 ? (px * dx + py * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = px - t * dx;
  const double ey = py - t * dy;
  return std::sqrt(ex * ex + ey * ey);
}

void DouglasPeuckerRange(const std::vector<GeoPoint>& line, size_t first, size_t last,
                         double tolerance, double x_scale, std::vector<bool>& keep) {
  // An explicit stack: arcs of thousands of points would recurse deeply on spirals.
  std::vector<std::pair<size_t, size_t>> stack{{first, last}};
  while (!stack.empty()) {
    const auto [begin, end] = stack.back();
    stack.pop_back();
    if (end <= begin + 1) continue;
    double farthest = -1.0;
    size_t farthest_idx = begin;
    for (size_t point_idx = begin + 1; point_idx < end; ++point_idx) {
      const double distance = SegmentDistance(line[point_idx], line[begin], line[end], x_scale);
      if (distance > farthest) {
        farthest = distance;
        farthest_idx = point_idx;
      }
    }
    if (farthest > tolerance) {
      keep[farthest_idx] = true;
      stack.emplace_back(begin, farthest_idx);
      stack.emplace_back(farthest_idx, end);
    }
  }
}

GeoPoint Round(const GeoPoint& point, double scale) {
  return {std::round(point.x * scale) / scale + 0.0, std::round(point.y * scale) / scale + 0.0};
}

// Removes consecutive duplicates (and a closing duplicate) from an open ring.
GeoRing Deduplicated(const GeoRing& ring) {
  GeoRing result;
  result.reserve(ring.size());
  for (const GeoPoint& point : ring) {
    if (result.empty() || !(result.back() == point)) result.push_back(point);
  }
  while (result.size() > 1 && result.front() == result.back()) result.pop_back();
  return result;
}

// Sign of the turn a -> b -> c (exact for the rounded coordinates we compare).
int Orientation(const GeoPoint& a, const GeoPoint& b, const GeoPoint& c) {
  const double turn = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return (turn > 0) - (turn < 0);
}

// True when segments a-b and c-d cross at a point interior to both (touching at an end point,
// as consecutive segments and neighbouring arcs do, is not a crossing).
bool ProperlyCross(const GeoPoint& a, const GeoPoint& b, const GeoPoint& c, const GeoPoint& d) {
  if (a == c || a == d || b == c || b == d) return false;
  return Orientation(a, b, c) * Orientation(a, b, d) < 0 &&
         Orientation(c, d, a) * Orientation(c, d, b) < 0;
}

// The arcs (among `active`) with a segment that crosses another segment of an active arc, found
// through a uniform grid over the segments' bounding boxes.
std::vector<size_t> CrossingArcs(const std::vector<std::vector<GeoPoint>>& arcs,
                                 const std::vector<bool>& active) {
  struct Segment {
    size_t arc;
    GeoPoint a;
    GeoPoint b;
  };
  std::vector<Segment> segments;
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  for (size_t arc_idx = 0; arc_idx < arcs.size(); ++arc_idx) {
    if (!active[arc_idx]) continue;
    for (size_t point_idx = 0; point_idx + 1 < arcs[arc_idx].size(); ++point_idx) {
      const GeoPoint& a = arcs[arc_idx][point_idx];
      const GeoPoint& b = arcs[arc_idx][point_idx + 1];
      if (a == b) continue;
      segments.push_back({arc_idx, a, b});
      min_x = std::min({min_x, a.x, b.x});
      max_x = std::max({max_x, a.x, b.x});
      min_y = std::min({min_y, a.y, b.y});
      max_y = std::max({max_y, a.y, b.y});
    }
  }
  if (segments.size() < 2) return {};
  constexpr int kCells = 128;
  const double cell_w = std::max((max_x - min_x) / kCells, 1e-9);
  const double cell_h = std::max((max_y - min_y) / kCells, 1e-9);
  auto cell_of = [&](double value, double origin, double size) {
    return std::clamp(static_cast<int>((value - origin) / size), 0, kCells - 1);
  };
  std::vector<std::vector<uint32_t>> grid(static_cast<size_t>(kCells) * kCells);
  for (size_t segment_idx = 0; segment_idx < segments.size(); ++segment_idx) {
    const Segment& segment = segments[segment_idx];
    const int x0 = cell_of(std::min(segment.a.x, segment.b.x), min_x, cell_w);
    const int x1 = cell_of(std::max(segment.a.x, segment.b.x), min_x, cell_w);
    const int y0 = cell_of(std::min(segment.a.y, segment.b.y), min_y, cell_h);
    const int y1 = cell_of(std::max(segment.a.y, segment.b.y), min_y, cell_h);
    for (int cell_x = x0; cell_x <= x1; ++cell_x) {
      for (int cell_y = y0; cell_y <= y1; ++cell_y) {
        grid[static_cast<size_t>(cell_x) * kCells + cell_y].push_back(
            static_cast<uint32_t>(segment_idx));
      }
    }
  }
  std::vector<bool> crossing(arcs.size(), false);
  for (const auto& cell : grid) {
    for (size_t first = 0; first < cell.size(); ++first) {
      for (size_t second = first + 1; second < cell.size(); ++second) {
        const Segment& s = segments[cell[first]];
        const Segment& t = segments[cell[second]];
        if ((crossing[s.arc] && crossing[t.arc]) || !ProperlyCross(s.a, s.b, t.a, t.b)) continue;
        crossing[s.arc] = true;
        crossing[t.arc] = true;
      }
    }
  }
  std::vector<size_t> result;
  for (size_t arc_idx = 0; arc_idx < arcs.size(); ++arc_idx) {
    if (crossing[arc_idx]) result.push_back(arc_idx);
  }
  return result;
}

}  // namespace

std::vector<GeoPoint> DouglasPeucker(const std::vector<GeoPoint>& line, double tolerance,
                                     double x_scale) {
  if (line.size() <= 2) return line;
  std::vector<bool> keep(line.size(), false);
  keep.front() = true;
  keep.back() = true;
  DouglasPeuckerRange(line, 0, line.size() - 1, tolerance, x_scale, keep);
  std::vector<GeoPoint> result;
  for (size_t point_idx = 0; point_idx < line.size(); ++point_idx) {
    if (keep[point_idx]) result.push_back(line[point_idx]);
  }
  return result;
}

double RingAreaKm2(const GeoRing& ring) {
  if (ring.size() < 3) return 0.0;
  double mean_latitude = 0.0;
  for (const GeoPoint& point : ring) mean_latitude += point.y;
  mean_latitude /= static_cast<double>(ring.size());
  double twice_area = 0.0;
  for (size_t point_idx = 0; point_idx < ring.size(); ++point_idx) {
    const GeoPoint& a = ring[point_idx];
    const GeoPoint& b = ring[(point_idx + 1) % ring.size()];
    twice_area += a.x * b.y - b.x * a.y;
  }
  const double x_scale = std::cos(mean_latitude * std::numbers::pi / 180.0);
  return std::abs(twice_area) / 2.0 * x_scale * kKmPerDegree * kKmPerDegree;
}

Topology BuildTopology(const std::vector<io::GeoFeature>& features) {
  PointIds ids;
  // Rings as point ids.
  std::vector<std::vector<std::vector<std::vector<uint32_t>>>> id_rings(features.size());
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    for (const io::GeoPolygon& polygon : features[feature_idx].polygons) {
      auto& polygon_ids = id_rings[feature_idx].emplace_back();
      for (const GeoRing& ring : polygon.rings) {
        auto& ring_ids = polygon_ids.emplace_back();
        for (const GeoPoint& point : Deduplicated(ring)) ring_ids.push_back(ids.Get(point));
      }
    }
  }

  // A point is a junction when two visits see different (unordered) neighbour pairs.
  constexpr uint64_t kUnseen = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> neighbours(ids.size(), kUnseen);
  std::vector<bool> junction(ids.size(), false);
  for (const auto& feature : id_rings) {
    for (const auto& polygon : feature) {
      for (const auto& ring : polygon) {
        const size_t n = ring.size();
        for (size_t point_idx = 0; point_idx < n; ++point_idx) {
          uint64_t prev = ring[(point_idx + n - 1) % n];
          uint64_t next = ring[(point_idx + 1) % n];
          if (prev > next) std::swap(prev, next);
          const uint64_t pair = prev << 32 | next;
          uint64_t& seen = neighbours[ring[point_idx]];
          if (seen == kUnseen) {
            seen = pair;
          } else if (seen != pair) {
            junction[ring[point_idx]] = true;
          }
        }
      }
    }
  }

  Topology topology;
  std::map<std::vector<uint32_t>, size_t> arc_index;
  auto add_arc = [&](std::vector<uint32_t> arc) -> ArcRef {
    if (auto it = arc_index.find(arc); it != arc_index.end()) {
      ++topology.arc_uses[it->second];
      return {it->second, false};
    }
    std::vector<uint32_t> reversed(arc.rbegin(), arc.rend());
    if (auto it = arc_index.find(reversed); it != arc_index.end()) {
      ++topology.arc_uses[it->second];
      return {it->second, true};
    }
    const size_t index = topology.arcs.size();
    std::vector<GeoPoint> points;
    points.reserve(arc.size());
    for (uint32_t id : arc) points.push_back(ids[id]);
    topology.arcs.push_back(std::move(points));
    topology.arc_uses.push_back(1);
    arc_index.emplace(std::move(arc), index);
    return {index, false};
  };

  topology.rings.resize(features.size());
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    for (const auto& polygon : id_rings[feature_idx]) {
      auto& polygon_arcs = topology.rings[feature_idx].emplace_back();
      for (const auto& ring : polygon) {
        auto& ring_arcs = polygon_arcs.emplace_back();
        const size_t n = ring.size();
        std::vector<size_t> cuts;
        for (size_t point_idx = 0; point_idx < n; ++point_idx) {
          if (junction[ring[point_idx]]) cuts.push_back(point_idx);
        }
        if (cuts.empty()) {
          // A closed arc, starting at its smallest point so that rings sharing it agree.
          size_t start = 0;
          for (size_t point_idx = 1; point_idx < n; ++point_idx) {
            const GeoPoint& a = ids[ring[point_idx]];
            const GeoPoint& b = ids[ring[start]];
            if (a.x < b.x || (a.x == b.x && a.y < b.y)) start = point_idx;
          }
          std::vector<uint32_t> arc;
          for (size_t step = 0; step <= n; ++step) arc.push_back(ring[(start + step) % n]);
          ring_arcs.push_back(add_arc(std::move(arc)));
          continue;
        }
        for (size_t cut_idx = 0; cut_idx < cuts.size(); ++cut_idx) {
          const size_t begin = cuts[cut_idx];
          const size_t end = cut_idx + 1 < cuts.size() ? cuts[cut_idx + 1] : cuts.front() + n;
          std::vector<uint32_t> arc;
          for (size_t point_idx = begin; point_idx <= end; ++point_idx) {
            arc.push_back(ring[point_idx % n]);
          }
          ring_arcs.push_back(add_arc(std::move(arc)));
        }
      }
    }
  }
  return topology;
}

GeoRing AssembleRing(const Topology& topology, const std::vector<ArcRef>& ring) {
  GeoRing points;
  for (const ArcRef& ref : ring) {
    const auto& arc = topology.arcs[ref.arc];
    // Each arc contributes every point but its last (the next arc's first).
    if (ref.reversed) {
      for (size_t point_idx = arc.size() - 1; point_idx > 0; --point_idx) {
        points.push_back(arc[point_idx]);
      }
    } else {
      points.insert(points.end(), arc.begin(), arc.end() - 1);
    }
  }
  return Deduplicated(points);
}

std::vector<io::GeoFeature> Simplify(const std::vector<io::GeoFeature>& features,
                                     const SimplifyOptions& options) {
  Topology topology = BuildTopology(features);

  // One x scale for every arc, so an arc simplifies the same way whichever ring asks.
  double min_latitude = 90.0;
  double max_latitude = -90.0;
  for (const auto& arc : topology.arcs) {
    for (const GeoPoint& point : arc) {
      min_latitude = std::min(min_latitude, point.y);
      max_latitude = std::max(max_latitude, point.y);
    }
  }
  const double x_scale =
      topology.arcs.empty()
          ? 1.0
          : std::cos((min_latitude + max_latitude) / 2.0 * std::numbers::pi / 180.0);

  // Which rings to keep: drop small unshared islands (not the largest part) and holes.
  struct KeptRing {
    size_t feature_idx;
    size_t polygon_idx;
    size_t ring_idx;
  };
  std::vector<KeptRing> kept;
  auto unshared = [&](const std::vector<ArcRef>& ring) {
    return std::all_of(ring.begin(), ring.end(),
                       [&](const ArcRef& ref) { return topology.arc_uses[ref.arc] == 1; });
  };
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    const auto& polygons = features[feature_idx].polygons;
    size_t largest = 0;
    for (size_t polygon_idx = 1; polygon_idx < polygons.size(); ++polygon_idx) {
      if (RingAreaKm2(polygons[polygon_idx].rings[0]) > RingAreaKm2(polygons[largest].rings[0])) {
        largest = polygon_idx;
      }
    }
    for (size_t polygon_idx = 0; polygon_idx < polygons.size(); ++polygon_idx) {
      const auto& rings = topology.rings[feature_idx][polygon_idx];
      for (size_t ring_idx = 0; ring_idx < rings.size(); ++ring_idx) {
        const bool is_main = polygon_idx == largest && ring_idx == 0;
        const bool small =
            RingAreaKm2(polygons[polygon_idx].rings[ring_idx]) < options.min_area_km2;
        if (!is_main && small && unshared(rings[ring_idx])) {
          if (ring_idx == 0) break;  // the whole island goes, holes included
          continue;
        }
        kept.push_back({feature_idx, polygon_idx, ring_idx});
      }
    }
  }

  // Simplify each arc once; re-simplify the arcs of rings that collapse, more finely.
  const double scale = std::pow(10.0, options.decimals);
  std::vector<double> tolerance(topology.arcs.size(), options.tolerance_km / kKmPerDegree);
  Topology simplified = topology;
  auto simplify_arc = [&](size_t arc_idx) {
    std::vector<GeoPoint> arc;
    for (const GeoPoint& point :
         DouglasPeucker(topology.arcs[arc_idx], tolerance[arc_idx], x_scale)) {
      const GeoPoint rounded = Round(point, scale);
      if (arc.empty() || !(arc.back() == rounded)) arc.push_back(rounded);
    }
    if (arc.size() == 1) arc.push_back(arc.front());  // a closed arc rounded to one point
    simplified.arcs[arc_idx] = std::move(arc);
  };
  for (size_t arc_idx = 0; arc_idx < topology.arcs.size(); ++arc_idx) simplify_arc(arc_idx);
  auto refine = [&](size_t arc_idx) {
    if (tolerance[arc_idx] == 0.0) return false;
    tolerance[arc_idx] = tolerance[arc_idx] < 1e-9 ? 0.0 : tolerance[arc_idx] / 4.0;
    simplify_arc(arc_idx);
    return true;
  };
  std::vector<bool> active(topology.arcs.size(), false);
  for (const KeptRing& ring : kept) {
    for (const ArcRef& ref : topology.rings[ring.feature_idx][ring.polygon_idx][ring.ring_idx]) {
      active[ref.arc] = true;
    }
  }
  // Crossings already present in the source once rounded cannot be removed by keeping more
  // points: leave those arcs at their tolerance.
  std::vector<bool> fixable(topology.arcs.size(), true);
  {
    std::vector<std::vector<GeoPoint>> rounded(topology.arcs.size());
    for (size_t arc_idx = 0; arc_idx < topology.arcs.size(); ++arc_idx) {
      if (!active[arc_idx]) continue;
      for (const GeoPoint& point : topology.arcs[arc_idx]) {
        const GeoPoint at = Round(point, scale);
        if (rounded[arc_idx].empty() || !(rounded[arc_idx].back() == at)) {
          rounded[arc_idx].push_back(at);
        }
      }
    }
    for (size_t arc_idx : CrossingArcs(rounded, active)) fixable[arc_idx] = false;
  }
  constexpr int kMaxRefinements = 30;
  for (int refinement = 0; refinement < kMaxRefinements; ++refinement) {
    bool changed = false;
    for (const KeptRing& ring : kept) {
      const auto& arcs = topology.rings[ring.feature_idx][ring.polygon_idx][ring.ring_idx];
      if (AssembleRing(simplified, arcs).size() >= 3) continue;
      for (const ArcRef& ref : arcs) changed = refine(ref.arc) || changed;
    }
    for (size_t arc_idx : CrossingArcs(simplified.arcs, active)) {
      if (fixable[arc_idx]) changed = refine(arc_idx) || changed;
    }
    if (!changed) break;
  }

  std::vector<io::GeoFeature> result(features.size());
  for (size_t feature_idx = 0; feature_idx < features.size(); ++feature_idx) {
    result[feature_idx].properties = features[feature_idx].properties;
  }
  size_t last_feature = std::numeric_limits<size_t>::max();
  size_t last_polygon = 0;
  for (const KeptRing& ring : kept) {
    GeoRing points =
        AssembleRing(simplified, topology.rings[ring.feature_idx][ring.polygon_idx][ring.ring_idx]);
    if (points.size() < 3) continue;  // collapsed below the rounding grid even unsimplified
    auto& polygons = result[ring.feature_idx].polygons;
    if (ring.ring_idx == 0 || ring.feature_idx != last_feature ||
        ring.polygon_idx != last_polygon) {
      if (ring.ring_idx != 0) continue;  // a hole whose outer ring collapsed
      polygons.emplace_back();
    }
    polygons.back().rings.push_back(std::move(points));
    last_feature = ring.feature_idx;
    last_polygon = ring.polygon_idx;
  }
  return result;
}

}  // namespace kazmig::geo

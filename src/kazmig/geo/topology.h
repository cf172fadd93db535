// Topology-preserving simplification of region boundaries.
//
// Neighbouring regions share their borders. Simplifying each polygon on its own moves the two
// copies of a border differently and opens gaps and overlaps between neighbours. Here, as in
// TopoJSON (Bostock 2013), the rings are first cut into *arcs* at *junctions* — points where the
// set of neighbours changes (a point whose neighbouring points differ between the rings that pass
// through it) — each distinct arc is stored once, simplified once with Douglas–Peucker (Douglas &
// Peucker 1973, Cartographica 10(2):112–122) keeping its end points, rounded once, and the rings
// are reassembled from the simplified arcs. A shared border is therefore the very same sequence
// of points in both neighbours.
//
// Douglas–Peucker: keep the end points of an arc; find the point farthest from the chord between
// them (distance measured in km on a local equirectangular plane, x scaled by cos of the mean
// latitude); if it is farther than the tolerance keep it and recurse on both halves, else drop
// every point between. Closed arcs (rings with no junction, e.g. islands and enclaves) start at
// their lexicographically smallest point, so two rings that share all their points produce the
// same arc. Simplification must not break the map: an arc of a ring that would collapse below
// three distinct points, and an arc with a segment that crosses another segment (its own or
// another arc's), is re-simplified at a quarter of its tolerance until that no longer happens (at
// zero tolerance every point is kept). Arcs that already cross in the source, once rounded, are
// left as they are: keeping more points would not help.
// Polygon parts other than a feature's largest, and holes, whose area is below
// `min_area_km2` and whose border no other feature shares are dropped (small islands and lakes).
//
//   geo::SimplifyOptions options;             // tolerance 1 km, 3 decimals
//   std::vector<io::GeoFeature> small = geo::Simplify(features, options);
#ifndef KAZMIG_GEO_TOPOLOGY_H_
#define KAZMIG_GEO_TOPOLOGY_H_

#include <cstddef>
#include <vector>

#include "kazmig/io/geojson.h"

namespace kazmig::geo {

struct ArcRef {
  size_t arc = 0;
  bool reversed = false;
};

// Rings expressed as sequences of shared arcs.
struct Topology {
  // Each arc is an open polyline from one junction to the next (first == last for closed arcs).
  std::vector<std::vector<io::GeoPoint>> arcs;
  // How many ring references each arc has (2 for a border shared by two regions).
  std::vector<int> arc_uses;
  // feature -> polygon -> ring -> arcs in ring order.
  std::vector<std::vector<std::vector<std::vector<ArcRef>>>> rings;
};

// Cuts every ring of `features` into arcs at junctions and stores each distinct arc once.
Topology BuildTopology(const std::vector<io::GeoFeature>& features);

// The points of a ring assembled from its arcs (open: the first point is not repeated).
io::GeoRing AssembleRing(const Topology& topology, const std::vector<ArcRef>& ring);

struct SimplifyOptions {
  double tolerance_km = 1.0;  // Douglas–Peucker tolerance
  int decimals = 3;           // coordinates rounded to this many decimal places of a degree
  double min_area_km2 = 5.0;  // unshared islands and holes smaller than this are dropped
};

// Simplifies the boundaries of `features` (properties are copied) with shared borders kept
// identical. Every feature keeps at least its largest polygon.
std::vector<io::GeoFeature> Simplify(const std::vector<io::GeoFeature>& features,
                                     const SimplifyOptions& options);

// Douglas–Peucker on a polyline (end points kept); `x_scale` multiplies longitudes before
// measuring (cos of the latitude), distances and `tolerance` are in degrees of latitude.
std::vector<io::GeoPoint> DouglasPeucker(const std::vector<io::GeoPoint>& line, double tolerance,
                                         double x_scale);

// Area of a ring in km² (positive; spherical excess ignored: local equirectangular plane).
double RingAreaKm2(const io::GeoRing& ring);

}  // namespace kazmig::geo

#endif  // KAZMIG_GEO_TOPOLOGY_H_

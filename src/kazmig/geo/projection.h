// Map projections for drawing Kazakhstan's regions.
//
// AlbersConic is the spherical Albers equal-area conic projection (Snyder 1987, "Map Projections —
// A Working Manual", USGS Professional Paper 1395, pp. 98–103, eqs. 14-1 to 14-4 and 14-6):
//   n = (sin φ1 + sin φ2) / 2,  C = cos² φ1 + 2 n sin φ1,
//   ρ = R √(C − 2 n sin φ) / n,  ρ0 = R √(C − 2 n sin φ0) / n,  θ = n (λ − λ0),
//   x = ρ sin θ,  y = ρ0 − ρ cos θ.
// Areas are true, so a choropleth's visual weight is proportional to territory. The defaults suit
// Kazakhstan (standard parallels 45° and 51° N, central meridian 67° E, origin 48° N).
//
//   geo::AlbersConic albers = geo::AlbersConic::Kazakhstan();
//   geo::XY xy = albers.Project({71.43, 51.13});   // Astana, in km from the origin
#ifndef KAZMIG_GEO_PROJECTION_H_
#define KAZMIG_GEO_PROJECTION_H_

#include "kazmig/io/geojson.h"

namespace kazmig::geo {

struct XY {
  double x = 0.0;  // east
  double y = 0.0;  // north
};

class AlbersConic {
 public:
  // Angles in degrees; `radius` in the unit of the output (default: km on a sphere of 6371 km).
  // Throws UsageError when the standard parallels are symmetric about the equator (n = 0).
  AlbersConic(double parallel1, double parallel2, double origin_latitude, double central_meridian,
              double radius = 6371.0);
  // Standard parallels 45° and 51° N, origin 48° N, central meridian 67° E, km.
  static AlbersConic Kazakhstan();

  XY Project(const io::GeoPoint& lon_lat) const;

 private:
  double n_;
  double c_;
  double rho0_;
  double lambda0_;
  double radius_;
};

}  // namespace kazmig::geo

#endif  // KAZMIG_GEO_PROJECTION_H_

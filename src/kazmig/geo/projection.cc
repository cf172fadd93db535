#include "kazmig/geo/projection.h"

#include <cmath>
#include <numbers>

#include "kazmig/core/error.h"

namespace kazmig::geo {
namespace {
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
}  // namespace

AlbersConic::AlbersConic(double parallel1, double parallel2, double origin_latitude,
                         double central_meridian, double radius)
    : lambda0_(central_meridian * kRadiansPerDegree), radius_(radius) {
  const double phi1 = parallel1 * kRadiansPerDegree;
  const double phi2 = parallel2 * kRadiansPerDegree;
  n_ = (std::sin(phi1) + std::sin(phi2)) / 2.0;
  if (std::abs(n_) < 1e-12) {
    throw UsageError("Albers projection: standard parallels symmetric about the equator");
  }
  c_ = std::cos(phi1) * std::cos(phi1) + 2.0 * n_ * std::sin(phi1);
  rho0_ = radius_ * std::sqrt(c_ - 2.0 * n_ * std::sin(origin_latitude * kRadiansPerDegree)) / n_;
}

AlbersConic AlbersConic::Kazakhstan() { return AlbersConic(45.0, 51.0, 48.0, 67.0); }

XY AlbersConic::Project(const io::GeoPoint& lon_lat) const {
  const double phi = lon_lat.y * kRadiansPerDegree;
  const double rho = radius_ * std::sqrt(c_ - 2.0 * n_ * std::sin(phi)) / n_;
  const double theta = n_ * (lon_lat.x * kRadiansPerDegree - lambda0_);
  return {rho * std::sin(theta), rho0_ - rho * std::cos(theta)};
}

}  // namespace kazmig::geo

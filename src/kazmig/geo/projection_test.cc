#include "kazmig/geo/projection.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::geo {
namespace {

using kazmig::testing::NearRel;

// Snyder (1987), p. 292, numerical example for the spherical Albers equal-area conic:
// φ1 = 29.5°, φ2 = 45.5°, φ0 = 23°, λ0 = −96°, R = 1; φ = 35°, λ = −75° gives
// x = 0.2952720, y = 0.2416774 (printed to 7 digits, hence the 1e-6 tolerance).
TEST(AlbersConic, MatchesSnydersNumericalExample) {
  const AlbersConic albers(29.5, 45.5, 23.0, -96.0, 1.0);
  const XY xy = albers.Project({-75.0, 35.0});
  EXPECT_TRUE(NearRel(xy.x, 0.2952720, 1e-6));
  EXPECT_TRUE(NearRel(xy.y, 0.2416774, 1e-6));
}

TEST(AlbersConic, OriginAndCentralMeridian) {
  const AlbersConic albers = AlbersConic::Kazakhstan();
  const XY origin = albers.Project({67.0, 48.0});
  EXPECT_NEAR(origin.x, 0.0, 1e-9);
  EXPECT_NEAR(origin.y, 0.0, 1e-9);
  // North is up along the central meridian; east is to the right.
  EXPECT_GT(albers.Project({67.0, 51.0}).y, 0.0);
  EXPECT_GT(albers.Project({80.0, 48.0}).x, 0.0);
  // Meridians converge northwards: a degree of longitude is shorter at 55° than at 41°.
  const double width_north = albers.Project({80.0, 55.0}).x - albers.Project({79.0, 55.0}).x;
  const double width_south = albers.Project({80.0, 41.0}).x - albers.Project({79.0, 41.0}).x;
  EXPECT_LT(width_north, width_south);
}

TEST(AlbersConic, EqualArea) {
  // A 1°×1° cell on the standard parallel 45° covers about 111.2 km × 78.7 km ≈ 8,750 km² on a
  // sphere of 6371 km; the projected quadrilateral keeps that area (to the curvature of its
  // sides, about 0.1%).
  const AlbersConic albers = AlbersConic::Kazakhstan();
  const XY a = albers.Project({70.0, 45.0});
  const XY b = albers.Project({71.0, 45.0});
  const XY c = albers.Project({71.0, 46.0});
  const XY d = albers.Project({70.0, 46.0});
  const double area = 0.5 * std::abs((a.x * b.y - b.x * a.y) + (b.x * c.y - c.x * b.y) +
                                     (c.x * d.y - d.x * c.y) + (d.x * a.y - a.x * d.y));
  // Exact spherical cell: R² Δλ (sin φ2 − sin φ1).
  const double pi = 3.14159265358979323846;
  const double exact =
      6371.0 * 6371.0 * (pi / 180.0) * (std::sin(46.0 * pi / 180.0) - std::sin(45.0 * pi / 180.0));
  EXPECT_TRUE(NearRel(area, exact, 1e-3));
}

TEST(AlbersConic, RejectsSymmetricParallels) {
  EXPECT_THROW(AlbersConic(-30.0, 30.0, 0.0, 0.0), UsageError);
}

}  // namespace
}  // namespace kazmig::geo

// The screen frame shared by the report's maps (choropleth, flow map): region outlines projected
// in the Albers equal-area conic for Kazakhstan (geo/projection.h) and scaled so that the outer
// rings fill the SVG's width with a margin.
//
//   report::MapFrame frame(boundaries, 900);
//   ScreenPoint p = frame.Screen({71.45, 51.17});   // SVG pixels, y down
//   frame.map_height();                              // the map's height with its margins
#ifndef KAZMIG_REPORT_MAP_FRAME_H_
#define KAZMIG_REPORT_MAP_FRAME_H_

#include <string>
#include <string_view>
#include <vector>

#include "kazmig/geo/projection.h"
#include "kazmig/report/messages.h"

namespace kazmig::report {

struct ScreenPoint {
  double x = 0;
  double y = 0;
};

class MapFrame {
 public:
  static constexpr double kPad = 12.0;  // margin around the map, pixels

  MapFrame(const std::vector<io::GeoFeature>& features, double width);

  ScreenPoint Screen(const io::GeoPoint& point) const;
  double map_height() const { return map_height_; }

 private:
  geo::AlbersConic albers_;
  double min_x_ = 0, max_y_ = 0, scale_ = 1, map_height_ = 0;
};

// The credit line of a map, right-aligned at (x, y): `lead` (may be empty), the projection and the
// boundaries' source and licence.
std::string MapCredit(std::string_view lead, double x, double y, Lang lang = Lang::kEn);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_MAP_FRAME_H_

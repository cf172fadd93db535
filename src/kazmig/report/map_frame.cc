#include "kazmig/report/map_frame.h"

#include <fmt/format.h>

#include <algorithm>

#include "kazmig/report/html.h"

namespace kazmig::report {

MapFrame::MapFrame(const std::vector<io::GeoFeature>& features, double width)
    : albers_(geo::AlbersConic::Kazakhstan()) {
  double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
  for (const io::GeoFeature& feature : features) {
    for (const io::GeoPolygon& polygon : feature.polygons) {
      for (const io::GeoPoint& point : polygon.rings[0]) {
        const geo::XY xy = albers_.Project(point);
        min_x = std::min(min_x, xy.x);
        max_x = std::max(max_x, xy.x);
        min_y = std::min(min_y, xy.y);
        max_y = std::max(max_y, xy.y);
      }
    }
  }
  min_x_ = min_x;
  max_y_ = max_y;
  scale_ = (width - 2 * kPad) / std::max(max_x - min_x, 1e-9);
  map_height_ = (max_y - min_y) * scale_ + 2 * kPad;
}

ScreenPoint MapFrame::Screen(const io::GeoPoint& point) const {
  const geo::XY xy = albers_.Project(point);
  return {kPad + (xy.x - min_x_) * scale_, kPad + (max_y_ - xy.y) * scale_};
}

std::string MapCredit(std::string_view lead, double x, double y, Lang lang) {
  return fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#8a949e\" text-anchor=\"end\">{}{}{}</text>",
      SvgNumber(x), SvgNumber(y), EscapeHtml(lead), lead.empty() ? "" : " ",
      EscapeHtml(Msg(lang, "map.credit")));
}

}  // namespace kazmig::report

#include "kazmig/report/flows_section.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "kazmig/app/data.h"
#include "kazmig/app/report.h"
#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/report/map_frame.h"
#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

class FlowsSectionTest : public ::testing::Test {
 protected:
  FlowsSectionTest()
      : system_(RegionSystem::Builtin("kz-2022")),
        boundaries_(geo::LoadRegionBoundaries(
            kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system_)) {
    data_.system = &system_;
    data_.boundaries = boundaries_;
  }

  // Nets: Astana +3,000, Almaty city +1,000, Turkistan -2,500, Abai -1,500; population 1 million
  // everywhere except Almaty city (2 million); the OD estimate of `years` stored from them and
  // read back by the use case.
  void FillOd(const std::vector<int>& years) {
    std::vector<std::string> ids = system_.ids();
    RegionSeries population("population_avg", "persons", ids);
    RegionSeries net_internal("net_internal", "persons", ids);
    const size_t p = population.AddProvenance(Provenance::Official("BNS table 6576"));
    const size_t n =
        net_internal.AddProvenance(Provenance::Official("BNS internal migration", "test"));
    for (int year : years) {
      for (size_t idx = 0; idx < ids.size(); ++idx) {
        const std::string& id = ids[idx];
        population.Set(idx, year, id == "75" ? 2e6 : 1e6, p);
        const double net = id == "71"   ? 3000
                           : id == "75" ? 1000
                           : id == "61" ? -2500
                           : id == "10" ? -1500
                                        : 0;
        net_internal.Set(idx, year, net, n);
      }
    }
    app::KzDataset kz = app::InMemoryKzDataset({&population, &net_internal}, years,
                                               kazmig::testing::SourceDir() / "data" / "kz");
    data_ = app::BuildSituationInput(kz, {}).input;
  }

  void FillInternational() {
    const Provenance cis = Provenance::Official("CIS-Stat and BNS", "test");
    const Provenance abel = Provenance::Estimated("Abel & Cohen (2019)", "test");
    for (int year : {2023, 2024, 2025}) {
      arrivals_.push_back({"RUS", "KAZ", year, "", 5000.0 + year, cis});
      arrivals_.push_back({"UZB", "KAZ", year, "", 12000, cis});
      arrivals_.push_back({"NON_CIS", "KAZ", year, "", 4000, cis});
      departures_.push_back({"KAZ", "RUS", year, "", 4700, cis});
      departures_.push_back({"KAZ", "UZB", year, "", 80, cis});
    }
    abel_.push_back({"KAZ", "DEU", 1990, "1990-1995", 393584, abel});
    abel_.push_back({"DEU", "KAZ", 1990, "1990-1995", 1105, abel});
    abel_.push_back({"KAZ", "RUS", 2015, "2015-2020", 783568, abel});
    abel_.push_back({"CHN", "KAZ", 2015, "2015-2020", 9000, abel});
  }

  // The use case's tables of data_ and the flows given, partner names as a dataset would give them.
  void Compute() {
    app::ComputeSituationTables(data_, arrivals_, departures_, abel_, [](const std::string& code) {
      return code == "RUS"   ? "Russia"
             : code == "UZB" ? "Uzbekistan"
             : code == "CHN" ? "China"
                             : code;
    });
  }

  std::string Render() {
    Compute();
    Document document("t", "t");
    AddFlowsSection(data_, document);
    return document.Render();
  }

  const RegionSystem& system_;
  std::vector<io::GeoFeature> boundaries_;
  std::vector<app::CountryFlow> arrivals_, departures_, abel_;
  app::SituationInput data_;
};

TEST_F(FlowsSectionTest, NoDataNoSection) {
  EXPECT_EQ(Render().find("id=\"flows\""), std::string::npos);
}

TEST_F(FlowsSectionTest, InternalCorridorsAreEstimatedWithBandsAndAFlowMap) {
  FillOd({2023, 2024});
  const std::string html = Render();
  ASSERT_NE(html.find("id=\"flows\""), std::string::npos);
  // The latest year is shown; the matrix is said to be model-based, with official nets only.
  EXPECT_NE(html.find("15 largest inter-regional corridors, 2024"), std::string::npos);
  EXPECT_NE(html.find("model-based"), std::string::npos);
  EXPECT_NE(html.find("Only the nets are official"), std::string::npos);
  EXPECT_NE(html.find("estimated: model-based inter-regional OD matrix"), std::string::npos);
  // The flow map: 15 arrows over the 20 regions, with a legend.
  EXPECT_EQ(CountOccurrences(html, "class=\"flow-arrow\""), 15u);
  EXPECT_NE(html.find("class=\"flow-map\""), std::string::npos);
  EXPECT_NE(html.find("class=\"legend\""), std::string::npos);
  // The map's credit line: the estimate warning, the projection and the boundaries' licence.
  EXPECT_NE(html.find("Model-based estimate: only the regional nets are official. Albers "
                      "equal-area conic"),
            std::string::npos);
  EXPECT_NE(html.find("Boundaries: geokz (A. Rodionov), CC BY 4.0"), std::string::npos);
  // Arrows are drawn largest first, widths from the largest (max_width) down.
  const std::string flow_attr = "data-flow=\"";
  std::vector<double> flows;
  for (size_t at = html.find("class=\"flow-arrow\""); at != std::string::npos;
       at = html.find("class=\"flow-arrow\"", at + 1)) {
    const size_t value = html.find(flow_attr, at) + flow_attr.size();
    flows.push_back(std::stod(html.substr(value, 32)));
  }
  ASSERT_EQ(flows.size(), 15u);
  EXPECT_TRUE(std::is_sorted(flows.rbegin(), flows.rend()));
  // Every region row of the per-region table, its estimated cells marked.
  EXPECT_NE(html.find("Largest corridors into and out of each region, 2024"), std::string::npos);
  EXPECT_GE(CountOccurrences(html, "<sup class=\"mark\">e</sup>"), 20u * 3 * 2);
  EXPECT_NE(html.find("+3,000"), std::string::npos);  // Astana's official net
  // The stored estimate of the latest year is shown, and its bands hold.
  ASSERT_EQ(data_.internal_od.size(), 2u);
  const app::StoredOd& od = data_.internal_od.back();
  EXPECT_EQ(od.year, 2024);
  for (size_t cell = 0; cell < od.central.data().size(); ++cell) {
    EXPECT_LE(od.low.data()[cell], od.central.data()[cell]);
    EXPECT_GE(od.high.data()[cell], od.central.data()[cell]);
  }
  EXPECT_EQ(data_.corridors.central.data(), od.central.data());
}

TEST_F(FlowsSectionTest, InternationalCorridorsOfficialAndEstimated) {
  FillInternational();
  const std::string html = Render();
  ASSERT_NE(html.find("id=\"flows\""), std::string::npos);
  EXPECT_NE(html.find("No estimated inter-regional matrix"), std::string::npos);
  EXPECT_NE(html.find("International migration by partner country, 2025 (official)"),
            std::string::npos);
  // Uzbekistan (12,080 in 2025) before Russia (7,025 + 4,700).
  EXPECT_LT(html.find("<td>Uzbekistan</td>"), html.find("<td>Russia</td>"));
  EXPECT_NE(html.find("Other countries, total"), std::string::npos);
  EXPECT_NE(html.find("<sup class=\"mark\">p</sup>"), std::string::npos);  // 2025: preliminary
  EXPECT_NE(html.find("official: CIS-Stat and BNS (test)"), std::string::npos);
  // Abel & Cohen: estimated, both directions, periods as columns.
  EXPECT_NE(html.find("Abel &amp; Cohen, 5-year periods"), std::string::npos);
  EXPECT_NE(html.find(">1990-1995</th>"), std::string::npos);
  // 393,584 as an estimate of persons: 3 significant digits (docs/output.md).
  EXPECT_NE(html.find("394,000<sup class=\"mark\">e</sup>"), std::string::npos);
  EXPECT_EQ(html.find("393,584"), std::string::npos);
  EXPECT_NE(html.find("<td>China</td>"), std::string::npos);
  EXPECT_NE(html.find("estimated: Abel &amp; Cohen (2019) (test)"), std::string::npos);
}

// The value of attribute `name` in the tag that starts at `at` ("" when absent).
std::string Attr(const std::string& svg, size_t at, const std::string& name) {
  const size_t end = svg.find('>', at);
  const size_t found = svg.find(" " + name + "=\"", at);
  if (found == std::string::npos || found > end) return "";
  const size_t value = found + name.size() + 3;
  return svg.substr(value, svg.find('"', value) - value);
}
double Num(const std::string& svg, size_t at, const std::string& name) {
  return std::stod(Attr(svg, at, name));
}

struct Rect {
  double x0, y0, x1, y1;
  bool Overlaps(const Rect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// The label boxes of `<text x y>name</text>` in [from, to) (13 px, centred; 0.56 em per letter,
// from 0.75 em above the baseline to 0.22 em below).
std::vector<std::pair<std::string, Rect>> LabelBoxes(const std::string& svg, size_t from,
                                                     size_t to) {
  std::vector<std::pair<std::string, Rect>> boxes;
  for (size_t at = svg.find("<text ", from); at < to; at = svg.find("<text ", at + 1)) {
    const size_t open = svg.find('>', at) + 1;
    const std::string name = svg.substr(open, svg.find('<', open) - open);
    double letters = 0;
    for (unsigned char c : name) letters += (c & 0xC0) != 0x80 ? 1 : 0;
    const double w = letters * 13 * 0.56, x = Num(svg, at, "x"), y = Num(svg, at, "y");
    boxes.push_back({name, {x - w / 2, y - 13 * 0.75, x + w / 2, y + 13 * 0.22}});
  }
  return boxes;
}

// Kazakhstan's 15 largest estimated corridors of 2024 (the built-in estimate), by English name.
class FlowMapInsets : public ::testing::Test {
 protected:
  FlowMapInsets()
      : system_(RegionSystem::Builtin("kz-2022")),
        boundaries_(geo::LoadRegionBoundaries(
            kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system_)) {
    map_.features = &boundaries_;
    for (const Region& region : system_.regions()) {
      map_.names.push_back(region.name_en);
      map_.anchors.push_back({region.longitude, region.latitude});
    }
    const std::vector<std::tuple<const char*, const char*, double>> top = {
        {"Almaty Region", "Almaty (city)", 21154},
        {"Turkistan", "Shymkent", 16721},
        {"Almaty (city)", "Almaty Region", 13345},
        {"Akmola", "Astana", 12700},
        {"Karagandy", "Astana", 9296},
        {"Turkistan", "Almaty (city)", 8590},
        {"Turkistan", "Astana", 8382},
        {"Zhambyl", "Almaty (city)", 7766},
        {"Shymkent", "Turkistan", 7705},
        {"Jetisu", "Almaty (city)", 5892},
        {"Pavlodar", "Astana", 5806},
        {"Zhambyl", "Astana", 5324},
        {"Turkistan", "Zhambyl", 5206},
        {"Turkistan", "Almaty Region", 4737},
        {"Kostanay", "Astana", 4700}};
    for (const auto& [from, to, flow] : top) {
      map_.arrows.push_back({Index(from), Index(to), flow, flow * 0.8, flow * 1.2});
    }
    map_.legend_title = "Estimated movers (e), 2024, central estimate";
  }
  size_t Index(const std::string& name) const {
    const auto it = std::find(map_.names.begin(), map_.names.end(), name);
    EXPECT_NE(it, map_.names.end()) << name;
    return static_cast<size_t>(it - map_.names.begin());
  }

  const RegionSystem& system_;
  std::vector<io::GeoFeature> boundaries_;
  FlowMap map_;
};

TEST_F(FlowMapInsets, OneInsetPerCityAndTheRegionAroundItNorthToSouth) {
  const std::vector<FlowInset> insets = FindFlowInsets(map_);
  ASSERT_EQ(insets.size(), 3u);
  const std::vector<std::vector<std::string>> want = {
      {"Astana", "Akmola"}, {"Almaty (city)", "Almaty Region"}, {"Shymkent", "Turkistan"}};
  for (size_t idx = 0; idx < 3; ++idx) {
    std::vector<std::string> got;
    for (size_t region : insets[idx].regions) got.push_back(map_.names[region]);
    EXPECT_EQ(got, want[idx]);
  }
  // Without the corridors between them there is no inset for a pair that is not both on the map.
  map_.arrows = {{Index("Karagandy"), Index("Astana"), 100, 90, 110}};
  EXPECT_TRUE(FindFlowInsets(map_).empty());
}

TEST_F(FlowMapInsets, InsetsAreFramedOutsideTheCountryWithLegibleLabelsThatDoNotOverlap) {
  map_.insets = FindFlowInsets(map_);
  const std::string svg = RenderFlowMap(map_);
  // The main map is unchanged: 15 arrows; each inset outlined on it and numbered.
  EXPECT_EQ(CountOccurrences(svg, "class=\"flow-arrow\""), 15u);
  EXPECT_EQ(CountOccurrences(svg, "<g class=\"inset\""), 3u);
  EXPECT_EQ(CountOccurrences(svg, "class=\"inset-outline\""), 3u);
  EXPECT_EQ(CountOccurrences(svg, "class=\"inset-key\""), 3u);
  const size_t view = svg.find("viewBox=\"0 0 900 ") + 17;
  const double height = std::stod(svg.substr(view, 16));
  // The main map's dots, by region.
  const size_t main_dots = svg.find("<g class=\"dots\">");
  std::map<std::string, std::pair<double, double>> dot;
  for (size_t at = svg.find("<circle", main_dots); at < svg.find("</g>", main_dots);
       at = svg.find("<circle", at + 1)) {
    dot[Attr(svg, at, "data-region")] = {Num(svg, at, "cx"), Num(svg, at, "cy")};
  }
  const MapFrame frame(boundaries_, 900);
  std::vector<Rect> frames;
  const std::vector<std::pair<std::string, Rect>> main_labels = LabelBoxes(
      svg, svg.find("<g class=\"labels\""), svg.find("</g>", svg.find("<g class=\"labels\"")));
  ASSERT_EQ(main_labels.size(), 11u);
  for (size_t at = svg.find("<g class=\"inset\""); at != std::string::npos;
       at = svg.find("<g class=\"inset\"", at + 1)) {
    const std::string regions = Attr(svg, at, "data-regions");
    SCOPED_TRACE(regions);
    const std::string window_text = Attr(svg, at, "data-window");
    Rect window{};
    ASSERT_EQ(std::sscanf(window_text.c_str(), "%lf,%lf,%lf,%lf", &window.x0, &window.y0,
                          &window.x1, &window.y1),
              4);
    const double zoom = Num(svg, at, "data-zoom");
    EXPECT_GE(zoom, 2.5);  // an enlargement worth the name
    const size_t nested = svg.find("<svg ", at);
    const Rect box{Num(svg, nested, "x"), Num(svg, nested, "y"),
                   Num(svg, nested, "x") + Num(svg, nested, "width"),
                   Num(svg, nested, "y") + Num(svg, nested, "height")};
    const size_t end = svg.find("</svg>", nested);
    // The frame is the window times the zoom (numbers written to 0.1 px), inside the picture, clear
    // of the other frames, of the map's labels and of the country (a grid of points in it lies in
    // no region).
    EXPECT_NEAR(box.x1 - box.x0, (window.x1 - window.x0) * zoom, 0.4);
    EXPECT_NEAR(box.y1 - box.y0, (window.y1 - window.y0) * zoom, 0.4);
    EXPECT_GE(box.x0, 0);
    EXPECT_GE(box.y0, 0);
    EXPECT_LE(box.x1, 900);
    EXPECT_LE(box.y1, height);
    for (const Rect& other : frames) EXPECT_FALSE(box.Overlaps(other));
    for (const auto& [name, label] : main_labels) EXPECT_FALSE(box.Overlaps(label)) << name;
    frames.push_back(box);
    for (double fx = 0; fx <= 1; fx += 0.1) {
      for (double fy = 0; fy <= 1; fy += 0.1) {
        const double x = box.x0 + fx * (box.x1 - box.x0), y = box.y0 + fy * (box.y1 - box.y0);
        for (const io::GeoFeature& feature : boundaries_) {
          for (const io::GeoPolygon& polygon : feature.polygons) {
            std::vector<ScreenPoint> ring;
            for (const io::GeoPoint& point : polygon.rings[0]) ring.push_back(frame.Screen(point));
            bool inside = false;
            for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
              if ((ring[i].y > y) != (ring[j].y > y) &&
                  x < (ring[j].x - ring[i].x) * (y - ring[i].y) / (ring[j].y - ring[i].y) +
                          ring[i].x) {
                inside = !inside;
              }
            }
            EXPECT_FALSE(inside) << "frame point " << x << "," << y << " on the country";
          }
        }
      }
    }
    // Its cities: the main map's dot, through the window's transform, is the inset's dot, well
    // inside the frame.
    const size_t inset_dots = svg.find("<g class=\"dots\">", nested);
    std::map<std::string, std::pair<double, double>> local;
    for (size_t dot_at = svg.find("<circle", inset_dots); dot_at < svg.find("</g>", inset_dots);
         dot_at = svg.find("<circle", dot_at + 1)) {
      local[Attr(svg, dot_at, "data-region")] = {Num(svg, dot_at, "cx"), Num(svg, dot_at, "cy")};
    }
    const std::string first = regions.substr(0, regions.find(';'));
    const std::string second = regions.substr(regions.find(';') + 1);
    for (const std::string& name : {first, second}) {
      ASSERT_EQ(local.count(name), 1u) << name;
      const auto [mx, my] = dot.at(name);
      const auto [lx, ly] = local.at(name);
      EXPECT_NEAR(lx, (mx - window.x0) * zoom, 0.4) << name;
      EXPECT_NEAR(ly, (my - window.y0) * zoom, 0.4) << name;
      EXPECT_GT(lx, 10);
      EXPECT_GT(ly, 10);
      EXPECT_LT(lx, box.x1 - box.x0 - 10);
      EXPECT_LT(ly, box.y1 - box.y0 - 10);
      EXPECT_GT(mx, window.x0);
      EXPECT_LT(mx, window.x1);
      EXPECT_GT(my, window.y0);
      EXPECT_LT(my, window.y1);
    }
    // Every arrow from or to them is drawn in the inset.
    size_t touching = 0;
    for (const app::Corridor& arrow : map_.arrows) {
      for (const std::string& name : {first, second}) {
        if (map_.names[arrow.origin] == name || map_.names[arrow.destination] == name) {
          ++touching;
          break;
        }
      }
    }
    const std::string inset = svg.substr(nested, end - nested);
    EXPECT_EQ(CountOccurrences(inset, "class=\"inset-arrow\""), touching);
    // Its labels: 13 px (at least 10 on screen at 1280 px, where the map is ~960 px wide), in
    // the frame, overlapping neither each other nor an arrow (sampled along each curve).
    const size_t labels = inset.find("<g class=\"labels inset-labels\"");
    ASSERT_NE(labels, std::string::npos);
    EXPECT_GE(Num(inset, labels, "font-size"), 10);
    const auto boxes = LabelBoxes(inset, labels, inset.size());
    EXPECT_GE(boxes.size(), 2u);
    for (size_t i = 0; i < boxes.size(); ++i) {
      const Rect& a = boxes[i].second;
      EXPECT_GE(a.x0, 0) << boxes[i].first;
      EXPECT_GE(a.y0, 0) << boxes[i].first;
      EXPECT_LE(a.x1, box.x1 - box.x0) << boxes[i].first;
      EXPECT_LE(a.y1, box.y1 - box.y0) << boxes[i].first;
      for (size_t j = i + 1; j < boxes.size(); ++j) {
        EXPECT_FALSE(a.Overlaps(boxes[j].second)) << boxes[i].first << " / " << boxes[j].first;
      }
      for (size_t path = inset.find("<path d=\"M", inset.find("<g class=\"flows\"")); path < labels;
           path = inset.find("<path d=\"M", path + 1)) {
        double x0, y0, cx, cy, x1, y1;
        ASSERT_EQ(std::sscanf(inset.c_str() + path + 10, "%lf,%lf Q%lf,%lf %lf,%lf", &x0, &y0, &cx,
                              &cy, &x1, &y1),
                  6);
        const double r = Num(inset, path, "stroke-width") / 2;
        for (int step = 0; step <= 100; ++step) {
          const double t = step / 100.0;
          const double px = (1 - t) * (1 - t) * x0 + 2 * t * (1 - t) * cx + t * t * x1;
          const double py = (1 - t) * (1 - t) * y0 + 2 * t * (1 - t) * cy + t * t * y1;
          EXPECT_FALSE(a.Overlaps({px - r, py - r, px + r, py + r}))
              << boxes[i].first << " on an arrow at " << px << "," << py;
        }
      }
    }
  }
  EXPECT_EQ(frames.size(), 3u);
}

TEST_F(FlowMapInsets, NoInsetsNoChange) {
  const std::string plain = RenderFlowMap(map_);
  EXPECT_EQ(plain.find("class=\"inset"), std::string::npos);
  map_.insets = FindFlowInsets(map_);
  const std::string with = RenderFlowMap(map_);
  // The main map's arrows are the same with and without insets.
  const auto arrows = [](const std::string& svg) {
    return svg.substr(svg.find("<g class=\"flows\""),
                      svg.find("<g class=\"dots\">") - svg.find("<g class=\"flows\""));
  };
  EXPECT_EQ(arrows(plain), arrows(with));
  map_.insets.push_back({{99}});
  EXPECT_THROW(RenderFlowMap(map_), ComputeError);
}

TEST(FlowMap, OneArrowPerCorridorWidthProportionalToFlow) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const auto boundaries = geo::LoadRegionBoundaries(
      kazmig::testing::SourceDir() / "data" / "kz" / "regions-2022.geojson", system);
  FlowMap map;
  map.features = &boundaries;
  for (const Region& region : system.regions()) {
    map.names.push_back(region.name_en);
    map.anchors.push_back({region.longitude, region.latitude});
  }
  map.arrows = {{0, 18, 1000, 800, 1200}, {18, 17, 500, 400, 600}};
  map.max_width = 10;
  const std::string svg = RenderFlowMap(map);
  EXPECT_EQ(CountOccurrences(svg, "class=\"flow-arrow\""), 2u);
  EXPECT_NE(svg.find("stroke-width=\"10.0\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-width=\"5.0\""), std::string::npos);
  EXPECT_NE(svg.find("(estimated; range 800\u20131,200)"), std::string::npos);
  map.arrows.push_back({0, 20, 1, 1, 1});
  EXPECT_THROW(RenderFlowMap(map), ComputeError);
  map.arrows.pop_back();
  map.names.pop_back();
  EXPECT_THROW(RenderFlowMap(map), ComputeError);
}

}  // namespace
}  // namespace kazmig::report

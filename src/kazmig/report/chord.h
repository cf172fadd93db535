// A chord diagram of migration flows, drawn as migest's mig_chord draws them (after circlize's
// chordDiagram): a circle of sector arcs, one per country, each as long as the country's total
// flow (out + in); a ribbon per corridor from the origin's arc to the destination's, as wide as the
// flow at both ends, in the origin's colour; a ribbon starts at the arc and ends short of it (the
// destination end lies inside the circle), which shows its direction.
//
//   report::ChordDiagram chord;
//   chord.title = "Kazakhstan's largest corridors, 2015-2020";
//   chord.sectors = {{"Kazakhstan", "#0b4f71"}, {"Russia", "#E69F00"}};
//   chord.flows = {{0, 783568}, {525610, 0}};   // flows[orig][dest]
//   std::string svg = report::RenderChord(chord);
#ifndef KAZMIG_REPORT_CHORD_H_
#define KAZMIG_REPORT_CHORD_H_

#include <cstddef>
#include <string>
#include <vector>

namespace kazmig::report {

struct ChordSector {
  std::string name;
  std::string color;  // CSS colour
};

struct ChordDiagram {
  std::string title;                       // <title> for screen readers
  std::vector<ChordSector> sectors;        // drawn clockwise from the top
  std::vector<std::vector<double>> flows;  // flows[orig][dest], persons; the diagonal is ignored
  int width = 560;                         // the viewBox; the circle fits with room for labels
  int height = 440;
};

// The geometry (angles in radians, clockwise from the top).
struct ChordLayout {
  std::vector<double> start, end;  // each sector's arc
  struct Ribbon {
    size_t orig = 0, dest = 0;
    double value = 0;
    double orig_start = 0, orig_end = 0;  // on the origin's arc (its outflow part)
    double dest_start = 0, dest_end = 0;  // on the destination's arc (its inflow part)
  };
  std::vector<Ribbon> ribbons;  // every positive flow, largest last (drawn on top)
};

// Sector i's arc is proportional to sum_j flows[i][j] + sum_j flows[j][i] (j != i), the arcs
// separated by `gap` radians; within an arc, the outflows come first (in the order of the
// destinations), then the inflows (in the order of the origins). A sector without flows gets no
// arc (start == end). Negative or NaN flows count as 0. The sizes of `flows` must match
// `sectors` (checked by RenderChord).
ChordLayout LayoutChord(const std::vector<std::vector<double>>& flows, double gap);

// The <svg> element: arcs, ribbons with a tooltip each ("Russia → Kazakhstan: 525,610"), a
// label per sector outside its arc (name, cut to 16 characters, and total; labels that would
// overlap are stacked in a column beside the circle with a leader line to their arc). Throws
// ComputeError (internal) when the sizes of `flows` and `sectors` differ.
std::string RenderChord(const ChordDiagram& chord);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_CHORD_H_

// Segment-based migration detection in digital trace data (Chi et al. 2020), per user.
//
// Reference: Chi, Lin, Fiorio, Abel, Zagheni & Weber (2020), "A general approach to detecting
// migration events in digital trace data", PLOS ONE 15(10): e0239408; reference implementation
// `g-chi/migration_detector` (Python). This is an independent implementation of the same rules,
// step for step (see docs/traces.md and ../shared/docs/methods/traces.md):
//
//  1. fill gaps: for each location, days between two observed days at most
//     `num_days_missing_gap` apart count as present;
//  2. segments: maximal runs of consecutive filled days, kept when they last `small_seg_len` days
//     or more;
//  3. density: a segment [s, e] survives when the observed (unfilled) days inside it number at
//     least `seg_prop` * (e - s + 1) (compared in double precision, as the reference does);
//  4. a user with surviving segments at fewer than two locations is not a migrant; otherwise
//     consecutive segments of one location merge when no segment of another location covers a day
//     between them;
//  5. overlap: for location L, each segment of another location (visited in natural location
//     order, then by start) whose intersection with what remains of L's segment has more than
//     `min_overlap_part_len` days removes that intersection from L; L's remaining days, sorted,
//     form runs, and runs of at least `num_stayed_days_migrant` days are residences;
//  6. pairing: with residences at two or more locations, sorted by (start, end), each residence i
//     pairs with the first later residence j at another location with
//     start_j - end_i >= 1 - min_overlap_part_len (j need not be adjacent);
//  7. a pair is kept when start_j - end_i <= `max_gap_home_des`; uncertainty is
//     start_j - end_i - 1;
//  8. migration day: for d in [end_i, start_j], error(d) = destination days observed in the window
//     before d + home days observed in the window after d; the smallest error wins, ties go to the
//     latest day.
// Departures from the reference, on inputs where it fails: duplicate (day, location) records
// count once (UserTrace holds distinct days); a kept pair whose window is empty (possible only
// when min_overlap_part_len > 0 lets start_j precede end_i, where the reference raises an error)
// is dated at start_j with 0 error days.
//
//   Detector detector(DetectParams{});
//   Detection detection;
//   detector.Detect(trace, &detection);
//   for (const Move& move : detection.moves) Use(trace.locations[move.home], move.migration_day);
#ifndef KAZMIG_TRACES_DETECT_H_
#define KAZMIG_TRACES_DETECT_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "kazmig/traces/user_trace.h"

namespace kazmig::traces {

struct DetectParams {
  int num_days_missing_gap = 7;
  int small_seg_len = 30;
  double seg_prop = 0.6;
  int min_overlap_part_len = 0;
  int num_stayed_days_migrant = 90;
  int max_gap_home_des = 30;
};

// Throws UsageError naming the parameter when one is out of range (lengths must be >= 1, the
// gap >= 0, seg_prop in [0, 1], min_overlap_part_len >= 0).
void CheckDetectParams(const DetectParams& params);

// Steps 1-3 for one location: appends the [start, end] segments of the sorted, distinct observed
// `days` that survive gap filling, the minimum length and the density rule.
void FindLocationSegments(std::span<const int32_t> days, const DetectParams& params,
                          std::vector<std::pair<int32_t, int32_t>>* out);

// A residence (a long segment after overlap removal); `location` indexes UserTrace::locations.
struct Residence {
  uint32_t location = 0;
  int32_t start = 0;  // day numbers, inclusive
  int32_t end = 0;
};

struct Move {
  uint32_t home = 0;  // indexes into UserTrace::locations
  uint32_t destination = 0;
  int32_t migration_day = 0;
  int32_t uncertainty = 0;
  int32_t num_error_day = 0;
  int32_t home_start = 0;
  int32_t home_end = 0;
  int32_t destination_start = 0;
  int32_t destination_end = 0;
};

struct Detection {
  std::vector<Residence> residences;  // sorted by (start, end, location); empty for non-migrants
                                      // with surviving segments at fewer than two locations
  std::vector<Move> moves;            // sorted by (migration_day, home_start)
};

// Reusable per-thread detector: keeps its scratch buffers between users.
class Detector {
 public:
  explicit Detector(DetectParams params);
  // Replaces *out with the residences and moves of `trace`.
  void Detect(const UserTrace& trace, Detection* out);

 private:
  struct Segment {
    uint32_t location;
    int32_t start;
    int32_t end;
  };
  void FindSegments(const UserTrace& trace);
  void MergeSegments();
  void RemoveOverlaps(int32_t origin, size_t words_per_location, size_t location_count);
  void DateMoves(const UserTrace& trace, Detection* out) const;

  DetectParams params_;
  std::vector<Segment> segments_;         // after steps 1-3, grouped by location, by start
  std::vector<Segment> merged_;           // after step 4, grouped by location, by start
  std::vector<uint32_t> merged_offsets_;  // merged_ of location L: [offsets[L], offsets[L+1])
  std::vector<uint64_t> bits_;            // one day bitset per location (step 5)
  std::vector<Residence> residences_;
};

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_DETECT_H_

// Transition curves (Fiorio, Zagheni, Abel et al. 2021, "Analyzing the effect of time in
// migration measurement using georeferenced digital trace data", Demography 58(1)).
//
// For a start day s, a buffer b and an interval i: L_u(t, b) is user u's modal location (most
// records; ties to the first location in natural order) among the events in the buffer window at
// t, undefined without events there. The window is [t - (b - 1) / 2, t - (b - 1) / 2 + b - 1]
// when centred (integer division), [t, t + b - 1] when forward. Measured migration
//   M(s, b, i) = sum_u 1[L_u(s, b) != L_u(s + i, b)] / sum_u 1[both defined].
// With perfect observation, no trips and moves at Poisson rate lambda without returns,
// M = 1 - exp(-lambda * i) for b = 1 (checked in curve_test.cc on simulated data).
//
//   CurveAccumulator curve(params, start_day);
//   store.ForEachUser(...) -> per-worker accumulators -> Combine -> Points()
#ifndef KAZMIG_TRACES_CURVE_H_
#define KAZMIG_TRACES_CURVE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "kazmig/traces/user_trace.h"

namespace kazmig::traces {

enum class Placement { kCentred, kForward };

// "centred" (or "centered") / "forward"; throws UsageError.
Placement ParsePlacement(std::string_view text);

struct CurveParams {
  std::vector<int> intervals;  // days, >= 1
  std::vector<int> buffers;    // days, >= 1
  Placement placement = Placement::kCentred;
};

struct CurvePoint {
  int32_t start = 0;
  int interval = 0;
  int buffer = 0;
  uint64_t users = 0;   // users with a location at both ends
  uint64_t movers = 0;  // of whom at different locations
  double rate = 0;      // movers / users, NaN when users = 0
};

// Aggregate state: Add users (on one thread), Combine accumulators of other threads, read Points.
class CurveAccumulator {
 public:
  // Throws UsageError when an interval or buffer is < 1 or a list is empty.
  CurveAccumulator(CurveParams params, int32_t start_day);
  void Add(const UserTrace& trace);
  void Combine(const CurveAccumulator& other);
  // One point per (interval, buffer), intervals outer, in the order given.
  std::vector<CurvePoint> Points() const;

 private:
  // Modal location index of `trace` in [first, last], or -1 without events there.
  static int ModalLocation(const UserTrace& trace, int32_t first, int32_t last);
  int32_t WindowFirst(int32_t day, int buffer) const;

  CurveParams params_;
  int32_t start_day_;
  std::vector<uint64_t> users_;
  std::vector<uint64_t> movers_;
};

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_CURVE_H_

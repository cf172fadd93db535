// One user's events, grouped by location: the unit that every per-user trace analysis reads.
//
// Locations are held in "natural" order (ids that are whole numbers compare numerically and come
// before other ids, which compare as text), so every result that depends on location order is the
// same whatever the order of rows in the input, the number of threads or the number of MPI ranks.
// Each location has its sorted, distinct observed days (day numbers, see dates.h), the number of
// input records on each of those days and how many of them were at night (hours 0-9 and 19-23).
//
//   UserTrace trace;
//   trace.user_id = "42";
//   trace.AddLocation("11", {0, 1, 2});
//   for (size_t loc_idx = 0; loc_idx < trace.location_count(); ++loc_idx) Use(trace.Days(loc_idx));
#ifndef KAZMIG_TRACES_USER_TRACE_H_
#define KAZMIG_TRACES_USER_TRACE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::traces {

struct UserTrace {
  std::string_view user_id;
  std::vector<std::string_view> locations;  // natural order, distinct
  std::vector<uint32_t> offsets{0};         // location loc_idx owns days[offsets[i]..offsets[i+1])
  std::vector<int32_t> days;                // sorted and distinct within each location
  std::vector<uint32_t> records;            // input records on that (location, day)
  std::vector<uint32_t> night_records;      // of which at night (0-9 h, 19-23 h)

  size_t location_count() const { return locations.size(); }
  std::span<const int32_t> Days(size_t loc_idx) const {
    return {days.data() + offsets[loc_idx], days.data() + offsets[loc_idx + 1]};
  }
  void Clear() {
    locations.clear();
    offsets.assign(1, 0);
    days.clear();
    records.clear();
    night_records.clear();
  }
  // Appends a location with its observed days (sorted, distinct), one record each (for tests).
  void AddLocation(std::string_view location, const std::vector<int32_t>& location_days) {
    locations.push_back(location);
    for (int32_t day : location_days) {
      days.push_back(day);
      records.push_back(1);
      night_records.push_back(0);
    }
    offsets.push_back(static_cast<uint32_t>(days.size()));
  }
};

// Natural order of location ids: true when `a` sorts before `b`.
bool NaturalLess(std::string_view a, std::string_view b);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_USER_TRACE_H_

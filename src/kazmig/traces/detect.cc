#include "kazmig/traces/detect.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <string>
#include <string_view>

#include "kazmig/core/check.h"

namespace kazmig::traces {
namespace {

// Bit operations on a day bitset; ranges are inclusive bit indices.
uint64_t RangeMask(size_t word_idx, size_t first, size_t last) {
  const size_t word_first = word_idx * 64;
  const size_t lo = std::max(first, word_first) - word_first;
  const size_t hi = std::min(last, word_first + 63) - word_first;
  const uint64_t upper = hi == 63 ? ~uint64_t{0} : ((uint64_t{1} << (hi + 1)) - 1);
  return upper & (~uint64_t{0} << lo);
}

size_t CountRange(const uint64_t* bits, size_t first, size_t last) {
  size_t count = 0;
  for (size_t word_idx = first / 64; word_idx <= last / 64; ++word_idx) {
    count += static_cast<size_t>(std::popcount(bits[word_idx] & RangeMask(word_idx, first, last)));
  }
  return count;
}

void SetRange(uint64_t* bits, size_t first, size_t last) {
  for (size_t word_idx = first / 64; word_idx <= last / 64; ++word_idx) {
    bits[word_idx] |= RangeMask(word_idx, first, last);
  }
}

void ClearRange(uint64_t* bits, size_t first, size_t last) {
  for (size_t word_idx = first / 64; word_idx <= last / 64; ++word_idx) {
    bits[word_idx] &= ~RangeMask(word_idx, first, last);
  }
}

// Steps 1-3: runs of filled days, kept when long and dense enough. Filling the days between
// observations at most `gap` apart makes a run exactly a maximal chain of observed days whose
// successive differences are at most max(gap, 1); the observed days inside a run are the chain.
template <typename Emit>
void ForEachLocationSegment(std::span<const int32_t> days, const DetectParams& params, Emit emit) {
  if (days.empty()) return;
  const int32_t bridge = std::max(params.num_days_missing_gap, 1);
  size_t run_first = 0;
  for (size_t day_idx = 1; day_idx <= days.size(); ++day_idx) {
    if (day_idx < days.size() && days[day_idx] - days[day_idx - 1] <= bridge) continue;
    const int32_t start = days[run_first];
    const int32_t end = days[day_idx - 1];
    const int64_t length = int64_t{end} - start + 1;
    const size_t observed = day_idx - run_first;
    if (length >= params.small_seg_len &&
        static_cast<double>(observed) >= params.seg_prop * static_cast<double>(length)) {
      emit(start, end);
    }
    run_first = day_idx;
  }
}

}  // namespace

void CheckDetectParams(const DetectParams& params) {
  constexpr std::string_view kFunction = "detect";
  CheckAtLeastSetting(kFunction, "--num-days-missing-gap", params.num_days_missing_gap, 0);
  CheckAtLeastSetting(kFunction, "--small-seg-len", params.small_seg_len, 1);
  CheckAtLeastSetting(kFunction, "--min-overlap-part-len", params.min_overlap_part_len, 0);
  CheckAtLeastSetting(kFunction, "--num-stayed-days-migrant", params.num_stayed_days_migrant, 1);
  CheckAtLeastSetting(kFunction, "--max-gap-home-des", params.max_gap_home_des, 0);
  CheckSetting(params.seg_prop >= 0.0 && params.seg_prop <= 1.0, kFunction,
               fmt::format("--seg-prop must be in [0, 1], got {}", params.seg_prop));
}

Detector::Detector(DetectParams params) : params_(params) { CheckDetectParams(params_); }

void FindLocationSegments(std::span<const int32_t> days, const DetectParams& params,
                          std::vector<std::pair<int32_t, int32_t>>* out) {
  ForEachLocationSegment(days, params,
                         [out](int32_t start, int32_t end) { out->emplace_back(start, end); });
}

void Detector::FindSegments(const UserTrace& trace) {
  segments_.clear();
  for (uint32_t loc_idx = 0; loc_idx < trace.location_count(); ++loc_idx) {
    ForEachLocationSegment(trace.Days(loc_idx), params_, [&](int32_t start, int32_t end) {
      segments_.push_back({loc_idx, start, end});
    });
  }
}

// Step 4: merge consecutive segments of one location when no other location's segment covers a
// day of the gap between them.
void Detector::MergeSegments() {
  merged_.clear();
  merged_offsets_.clear();
  for (size_t seg_idx = 0; seg_idx < segments_.size();) {
    const uint32_t location = segments_[seg_idx].location;
    Segment current = segments_[seg_idx];
    size_t next_idx = seg_idx + 1;
    for (; next_idx < segments_.size() && segments_[next_idx].location == location; ++next_idx) {
      const Segment& next = segments_[next_idx];
      const int32_t gap_first = current.end + 1;
      const int32_t gap_last = next.start - 1;
      bool covered = false;
      for (const Segment& other : segments_) {
        if (other.location != location && other.start <= gap_last && other.end >= gap_first) {
          covered = true;
          break;
        }
      }
      if (covered) {
        merged_.push_back(current);
        current = next;
      } else {
        current.end = next.end;
      }
    }
    merged_.push_back(current);
    seg_idx = next_idx;
  }
}

// Step 5 on day bitsets: one bitset per location over [origin, origin + 64 * words).
void Detector::RemoveOverlaps(int32_t origin, size_t words, size_t location_count) {
  bits_.assign(words * location_count, 0);
  for (const Segment& segment : merged_) {
    SetRange(bits_.data() + segment.location * words, static_cast<size_t>(segment.start - origin),
             static_cast<size_t>(segment.end - origin));
  }
  const size_t min_overlap = static_cast<size_t>(params_.min_overlap_part_len);
  for (const Segment& segment : merged_) {
    uint64_t* own = bits_.data() + segment.location * words;
    for (const Segment& other : merged_) {  // natural location order, then by start
      if (other.location == segment.location) continue;
      const int32_t first = std::max(segment.start, other.start);
      const int32_t last = std::min(segment.end, other.end);
      if (first > last) continue;
      const size_t first_bit = static_cast<size_t>(first - origin);
      const size_t last_bit = static_cast<size_t>(last - origin);
      if (CountRange(own, first_bit, last_bit) > min_overlap) ClearRange(own, first_bit, last_bit);
    }
  }
  residences_.clear();
  const size_t min_len = static_cast<size_t>(params_.num_stayed_days_migrant);
  for (uint32_t loc_idx = 0; loc_idx < location_count; ++loc_idx) {
    const uint64_t* own = bits_.data() + loc_idx * words;
    size_t bit = 0;
    const size_t total_bits = words * 64;
    while (bit < total_bits) {
      // Skip to the next set bit.
      size_t word_idx = bit / 64;
      uint64_t word = own[word_idx] & (~uint64_t{0} << (bit % 64));
      while (word == 0 && ++word_idx < words) word = own[word_idx];
      if (word == 0) break;
      const size_t run_start = word_idx * 64 + static_cast<size_t>(std::countr_zero(word));
      // Find the end of the run: the next clear bit.
      word_idx = run_start / 64;
      uint64_t inverted = ~own[word_idx] & (~uint64_t{0} << (run_start % 64));
      while (inverted == 0 && ++word_idx < words) inverted = ~own[word_idx];
      const size_t run_end = inverted == 0
                                 ? total_bits
                                 : word_idx * 64 + static_cast<size_t>(std::countr_zero(inverted));
      if (run_end - run_start >= min_len) {
        residences_.push_back({loc_idx, origin + static_cast<int32_t>(run_start),
                               origin + static_cast<int32_t>(run_end - 1)});
      }
      bit = run_end;
    }
  }
}

// Steps 6-8: pair residences, keep close pairs, date the move by the fewest contradicting days.
void Detector::DateMoves(const UserTrace& trace, Detection* out) const {
  const std::vector<Residence>& residences = out->residences;
  const int32_t pair_gap = 1 - params_.min_overlap_part_len;
  for (size_t home_idx = 0; home_idx + 1 < residences.size(); ++home_idx) {
    const Residence& home = residences[home_idx];
    for (size_t dest_idx = home_idx + 1; dest_idx < residences.size(); ++dest_idx) {
      const Residence& dest = residences[dest_idx];
      if (dest.location == home.location || dest.start - home.end < pair_gap) continue;
      if (dest.start - home.end <= params_.max_gap_home_des) {
        Move move;
        move.home = home.location;
        move.destination = dest.location;
        move.home_start = home.start;
        move.home_end = home.end;
        move.destination_start = dest.start;
        move.destination_end = dest.end;
        move.uncertainty = dest.start - home.end - 1;
        if (dest.start < home.end) {
          move.migration_day = dest.start;
          move.num_error_day = 0;
        } else {
          const std::span<const int32_t> home_days = trace.Days(home.location);
          const std::span<const int32_t> dest_days = trace.Days(dest.location);
          auto home_it = std::upper_bound(home_days.begin(), home_days.end(), home.end);
          const auto home_stop = std::upper_bound(home_it, home_days.end(), dest.start);
          auto dest_it = std::lower_bound(dest_days.begin(), dest_days.end(), home.end);
          int32_t before = 0;  // destination days in [home.end, day)
          auto after = static_cast<int32_t>(home_stop - home_it);  // home days in (day, dest.start]
          int32_t best_error = before + after;
          int32_t best_day = home.end;
          for (int32_t day = home.end + 1; day <= dest.start; ++day) {
            if (dest_it != dest_days.end() && *dest_it == day - 1) {
              ++before;
              ++dest_it;
            }
            if (home_it != home_stop && *home_it == day) {
              --after;
              ++home_it;
            }
            if (before + after <= best_error) {
              best_error = before + after;
              best_day = day;
            }
          }
          move.migration_day = best_day;
          move.num_error_day = best_error;
        }
        out->moves.push_back(move);
      }
      break;  // only the first later residence at another location pairs with this home
    }
  }
  std::sort(out->moves.begin(), out->moves.end(), [](const Move& a, const Move& b) {
    if (a.migration_day != b.migration_day) return a.migration_day < b.migration_day;
    return a.home_start < b.home_start;
  });
}

void Detector::Detect(const UserTrace& trace, Detection* out) {
  out->residences.clear();
  out->moves.clear();
  FindSegments(trace);
  // Step 4 precondition: segments at two or more locations.
  if (segments_.empty() || segments_.front().location == segments_.back().location) return;
  MergeSegments();
  int32_t first_day = merged_.front().start;
  int32_t last_day = merged_.front().end;
  for (const Segment& segment : merged_) {
    first_day = std::min(first_day, segment.start);
    last_day = std::max(last_day, segment.end);
  }
  const size_t words = static_cast<size_t>(last_day - first_day) / 64 + 1;
  RemoveOverlaps(first_day, words, trace.location_count());
  std::sort(residences_.begin(), residences_.end(), [](const Residence& a, const Residence& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end < b.end;
    return a.location < b.location;
  });
  out->residences = residences_;
  // Step 6 precondition: residences at two or more locations.
  bool two_locations = false;
  for (const Residence& residence : residences_) {
    if (residence.location != residences_.front().location) {
      two_locations = true;
      break;
    }
  }
  if (!two_locations) return;
  DateMoves(trace, out);
}

}  // namespace kazmig::traces

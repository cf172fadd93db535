#include "kazmig/traces/curve.h"

#include <algorithm>
#include <limits>
#include <string>

#include "kazmig/core/error.h"

namespace kazmig::traces {

Placement ParsePlacement(std::string_view text) {
  if (text == "centred" || text == "centered") return Placement::kCentred;
  if (text == "forward") return Placement::kForward;
  throw UsageError("--placement must be centred or forward, got '" + std::string(text) + "'");
}

CurveAccumulator::CurveAccumulator(CurveParams params, int32_t start_day)
    : params_(std::move(params)), start_day_(start_day) {
  if (params_.intervals.empty() || params_.buffers.empty()) {
    throw UsageError("--intervals and --buffers need at least one value each");
  }
  for (int value : params_.intervals) {
    if (value < 1) throw UsageError("--intervals: values must be >= 1 day");
  }
  for (int value : params_.buffers) {
    if (value < 1) throw UsageError("--buffers: values must be >= 1 day");
  }
  users_.assign(params_.intervals.size() * params_.buffers.size(), 0);
  movers_.assign(users_.size(), 0);
}

int32_t CurveAccumulator::WindowFirst(int32_t day, int buffer) const {
  return params_.placement == Placement::kForward ? day : day - (buffer - 1) / 2;
}

int CurveAccumulator::ModalLocation(const UserTrace& trace, int32_t first, int32_t last) {
  int best = -1;
  uint64_t best_records = 0;
  for (size_t loc_idx = 0; loc_idx < trace.location_count(); ++loc_idx) {
    const std::span<const int32_t> days = trace.Days(loc_idx);
    auto it = std::lower_bound(days.begin(), days.end(), first);
    uint64_t records = 0;
    for (; it != days.end() && *it <= last; ++it) {
      records += trace.records[trace.offsets[loc_idx] + static_cast<size_t>(it - days.begin())];
    }
    if (records > best_records) {
      best_records = records;
      best = static_cast<int>(loc_idx);
    }
  }
  return best;
}

void CurveAccumulator::Add(const UserTrace& trace) {
  for (size_t buffer_idx = 0; buffer_idx < params_.buffers.size(); ++buffer_idx) {
    const int buffer = params_.buffers[buffer_idx];
    const int32_t first = WindowFirst(start_day_, buffer);
    const int at_start = ModalLocation(trace, first, first + buffer - 1);
    if (at_start < 0) continue;
    for (size_t interval_idx = 0; interval_idx < params_.intervals.size(); ++interval_idx) {
      const int32_t later = WindowFirst(start_day_ + params_.intervals[interval_idx], buffer);
      const int at_end = ModalLocation(trace, later, later + buffer - 1);
      if (at_end < 0) continue;
      const size_t cell = interval_idx * params_.buffers.size() + buffer_idx;
      ++users_[cell];
      if (at_end != at_start) ++movers_[cell];
    }
  }
}

void CurveAccumulator::Combine(const CurveAccumulator& other) {
  for (size_t cell = 0; cell < users_.size(); ++cell) {
    users_[cell] += other.users_[cell];
    movers_[cell] += other.movers_[cell];
  }
}

std::vector<CurvePoint> CurveAccumulator::Points() const {
  std::vector<CurvePoint> points;
  for (size_t interval_idx = 0; interval_idx < params_.intervals.size(); ++interval_idx) {
    for (size_t buffer_idx = 0; buffer_idx < params_.buffers.size(); ++buffer_idx) {
      const size_t cell = interval_idx * params_.buffers.size() + buffer_idx;
      CurvePoint point;
      point.start = start_day_;
      point.interval = params_.intervals[interval_idx];
      point.buffer = params_.buffers[buffer_idx];
      point.users = users_[cell];
      point.movers = movers_[cell];
      point.rate = point.users
                       ? static_cast<double>(point.movers) / static_cast<double>(point.users)
                       : std::numeric_limits<double>::quiet_NaN();
      points.push_back(point);
    }
  }
  return points;
}

}  // namespace kazmig::traces

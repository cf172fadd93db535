// Calendar dates of trace events as day numbers.
//
// Trace events carry dates as `YYYYMMDD` or ISO 8601 (`2018-07-01`, `2018-07-01T13:45:00`,
// `2018-07-01 13:45`, with an optional zone suffix that is ignored). A date becomes a day number
// (days since 1970-01-01, proleptic Gregorian), so the detection algorithm works on integers and
// is invariant to the origin; the output converts back to `YYYYMMDD`.
//
//   DayTime parsed;
//   if (ParseEventDate("2018-09-29T08:00", &parsed) == DateStatus::kOk) {
//     std::string text = FormatYmd(parsed.day);  // "20180929"
//   }
#ifndef KAZMIG_TRACES_DATES_H_
#define KAZMIG_TRACES_DATES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kazmig::traces {

// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's days_from_civil).
int32_t DaysFromCivil(int year, int month, int day);
// The inverse of DaysFromCivil.
void CivilFromDays(int32_t days, int* year, int* month, int* day);

// Plausible range of event dates: 1970-01-01 .. 2100-12-31 (anything else is a data error,
// e.g. a Unix timestamp or a two-digit year pasted into the date column).
inline constexpr int kMinPlausibleYear = 1970;
inline constexpr int kMaxPlausibleYear = 2100;

struct DayTime {
  int32_t day = 0;  // days since 1970-01-01
  int hour = -1;    // 0..23 when the field had a time, else -1
};

enum class DateStatus { kOk, kMalformed, kImplausible };

// Parses a `YYYYMMDD` or ISO 8601 date or date-time (surrounding spaces allowed).
DateStatus ParseEventDate(std::string_view text, DayTime* out);

// `YYYYMMDD` of a day number.
std::string FormatYmd(int32_t day);
// Appends the 8 characters of `YYYYMMDD` to `out`.
void AppendYmd(int32_t day, std::string* out);

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_DATES_H_

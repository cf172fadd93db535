#include "kazmig/traces/dates.h"

namespace kazmig::traces {
namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int result = 0;
  for (size_t idx = pos; idx < pos + count; ++idx) {
    const unsigned digit = static_cast<unsigned char>(text[idx]) - '0';
    if (digit > 9) return false;
    result = result * 10 + static_cast<int>(digit);
  }
  *value = result;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

int32_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * static_cast<unsigned>(month + (month > 2 ? -3 : 9)) + 2) / 5 +
                               static_cast<unsigned>(day) - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int32_t>(day_of_era) - 719468;
}

void CivilFromDays(int32_t days, int* year, int* month, int* day) {
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  *day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  *month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  *year = static_cast<int>(year_of_era) + era * 400 + (*month <= 2);
}

DateStatus ParseEventDate(std::string_view text, DayTime* out) {
  if (text.size() == 8) {  // fast path: YYYYMMDD without spaces
    int year = 0, month = 0, day = 0;
    if (ReadDigits(text, 0, 4, &year) && ReadDigits(text, 4, 2, &month) &&
        ReadDigits(text, 6, 2, &day)) {
      if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
        return DateStatus::kMalformed;
      }
      if (year < kMinPlausibleYear || year > kMaxPlausibleYear) return DateStatus::kImplausible;
      out->day = DaysFromCivil(year, month, day);
      out->hour = -1;
      return DateStatus::kOk;
    }
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  int year = 0, month = 0, day = 0;
  size_t time_pos = 0;
  if (text.size() >= 10 && text[4] == '-') {
    if (!ReadDigits(text, 0, 4, &year) || text[7] != '-' || !ReadDigits(text, 5, 2, &month) ||
        !ReadDigits(text, 8, 2, &day)) {
      return DateStatus::kMalformed;
    }
    time_pos = 10;
  } else if (text.size() == 8) {
    if (!ReadDigits(text, 0, 4, &year) || !ReadDigits(text, 4, 2, &month) ||
        !ReadDigits(text, 6, 2, &day)) {
      return DateStatus::kMalformed;
    }
    time_pos = 8;
  } else {
    return DateStatus::kMalformed;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return DateStatus::kMalformed;
  }
  int hour = -1;
  if (time_pos < text.size()) {
    const char sep = text[time_pos];
    if (sep != 'T' && sep != ' ') return DateStatus::kMalformed;
    if (!ReadDigits(text, time_pos + 1, 2, &hour) || hour > 23) return DateStatus::kMalformed;
    // Minutes, seconds and zone are accepted as written; only the hour is used (night records).
    for (size_t idx = time_pos + 3; idx < text.size(); ++idx) {
      const char c = text[idx];
      const bool allowed =
          (c >= '0' && c <= '9') || c == ':' || c == '.' || c == 'Z' || c == '+' || c == '-';
      if (!allowed) return DateStatus::kMalformed;
    }
  }
  if (year < kMinPlausibleYear || year > kMaxPlausibleYear) return DateStatus::kImplausible;
  out->day = DaysFromCivil(year, month, day);
  out->hour = hour;
  return DateStatus::kOk;
}

void AppendYmd(int32_t day, std::string* out) {
  int year = 0, month = 0, mday = 0;
  CivilFromDays(day, &year, &month, &mday);
  char buffer[8];
  buffer[0] = static_cast<char>('0' + year / 1000 % 10);
  buffer[1] = static_cast<char>('0' + year / 100 % 10);
  buffer[2] = static_cast<char>('0' + year / 10 % 10);
  buffer[3] = static_cast<char>('0' + year % 10);
  buffer[4] = static_cast<char>('0' + month / 10);
  buffer[5] = static_cast<char>('0' + month % 10);
  buffer[6] = static_cast<char>('0' + mday / 10);
  buffer[7] = static_cast<char>('0' + mday % 10);
  out->append(buffer, 8);
}

std::string FormatYmd(int32_t day) {
  std::string text;
  AppendYmd(day, &text);
  return text;
}

}  // namespace kazmig::traces

#include "kazmig/policy/measures.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace kazmig::policy {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

std::optional<int> ParseDigits(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string Date::Iso() const { return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day); }

double Date::DecimalYear() const {
  int day_of_year = day;
  for (int m = 1; m < month; ++m) day_of_year += DaysInMonth(year, m);
  return year + (day_of_year - 1) / (IsLeap(year) ? 366.0 : 365.0);
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = ParseDigits(text.substr(0, 4));
  const auto month = ParseDigits(text.substr(5, 2));
  const auto day = ParseDigits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  if (*year < 1900 || *year > 2100 || *month < 1 || *month > 12) return std::nullopt;
  if (*day < 1 || *day > DaysInMonth(*year, *month)) return std::nullopt;
  return Date{*year, *month, *day};
}

const std::vector<std::string>& MeasureKinds() {
  static const std::vector<std::string> kinds = {
      "law", "concept", "programme", "quota", "entry-rule", "boundary", "external-shock", "other"};
  return kinds;
}

int FirstYearUnder(const Measure& measure) {
  return measure.date.month <= 6 ? measure.date.year : measure.date.year + 1;
}

std::vector<Marker> Markers(const std::vector<Measure>& measures, double x_min, double x_max,
                            const std::vector<std::string>& kinds) {
  std::vector<const Measure*> chosen;
  for (const Measure& measure : measures) {
    const double x = measure.date.DecimalYear();
    if (x < x_min || x >= x_max + 1) continue;
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), measure.kind) == kinds.end()) {
      continue;
    }
    chosen.push_back(&measure);
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](const Measure* a, const Measure* b) {
    return a->date.DecimalYear() < b->date.DecimalYear();
  });
  std::vector<Marker> markers;
  for (const Measure* measure : chosen) {
    markers.push_back({measure->date.DecimalYear(), measure->id, measure->title});
  }
  return markers;
}

const Measure* FindMeasure(const std::vector<Measure>& measures, std::string_view id) {
  for (const Measure& measure : measures) {
    if (measure.id == id) return &measure;
  }
  return nullptr;
}

}  // namespace kazmig::policy

// The register of migration-policy measures: dated laws, policy concepts, boundary changes, entry
// rules, programmes and external shocks, each with the regions it affects and its source; and the
// dated markers the report's time-series charts draw for them.
//
//   policy::Measure m;
//   m.id = "resettlement-north";
//   m.date = *policy::ParseDate("2017-01-01");
//   m.regions = {"11", "10", "63", "39", "59", "55"};   // kz-2022 ids; national: m.national
//   int first = policy::FirstYearUnder(m);              // 2017 (2018 for a date after June)
//   std::vector<policy::Marker> marks = policy::Markers(measures, 2000, 2024);
//
// The register is read and validated where files are read (importers/policy_labour.h reads the
// CSV, app/policy.h turns its rows into Measures); this module holds the plain types and rules.
#ifndef KAZMIG_POLICY_MEASURES_H_
#define KAZMIG_POLICY_MEASURES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kazmig::policy {

// A calendar date (proleptic Gregorian).
struct Date {
  int year = 0;
  int month = 1;
  int day = 1;

  // "YYYY-MM-DD".
  std::string Iso() const;
  // year + (day of year - 1) / days in year: where the date falls on a chart's year axis.
  double DecimalYear() const;
  friend bool operator==(const Date&, const Date&) = default;
};

// Parses "YYYY-MM-DD" (a valid calendar date, year 1900..2100); nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);

// The kinds of measure the register accepts.
const std::vector<std::string>& MeasureKinds();

struct Measure {
  std::string id;
  Date date;
  std::string title;
  std::string kind;                  // one of MeasureKinds()
  bool national = false;             // affects the whole country ("all")
  std::vector<std::string> regions;  // kz-2022 ids of the affected regions (empty when national)
  std::string source;                // URL or citation ("" when the register gives none)
};

// The first calendar year mostly under the measure: the year of its date when dated in January
// to June (in force for at least half of the year), else the next year (a law of July 2011 first
// shapes a year in 2012). Annual designs use it as the first post-period year.
int FirstYearUnder(const Measure& measure);

// A dated vertical marker on a time-series chart.
struct Marker {
  double x = 0;       // decimal year (Date::DecimalYear)
  std::string label;  // short: the measure's id
  std::string title;  // the full title (a tooltip)
};

// Markers of the measures dated within [x_min, x_max + 1) (a year axis shows year x as the point
// x), sorted by date; optionally only those whose kind is in `kinds` (empty: every kind).
std::vector<Marker> Markers(const std::vector<Measure>& measures, double x_min, double x_max,
                            const std::vector<std::string>& kinds = {});

// The measure with id `id`, or nullptr.
const Measure* FindMeasure(const std::vector<Measure>& measures, std::string_view id);

}  // namespace kazmig::policy

#endif  // KAZMIG_POLICY_MEASURES_H_

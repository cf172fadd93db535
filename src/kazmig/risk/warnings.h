// Early warnings: rules on a component's values over consecutive years, each flag naming its rule
// and the years and values behind it (methods/risk.md, step 6).
//
//   risk::Rule rule{"net_outflow", "net_migration_rate_1y", risk::RuleTest::kAtMost, -5, 3};
//   risk::ComponentHistory history{"net_migration_rate_1y", risk::Direction::kLessRisk,
//                                  {{2022, {...}}, {2023, {...}}, {2024, {...}}}};
//   std::vector<std::vector<risk::Flag>> flags =
//       risk::EvaluateRules({rule}, {history}, /*region_count=*/20, /*year=*/2024);
//   flags[r][0].detail;  // "net_migration_rate_1y <= -5 in 2022-2024: -6.1, -5.4, -7.2"
//
// Tests:
//   <=, <, >=, >   the value compares with `threshold` in each of `years` consecutive years
//                  ending in the index year (every one of them must have a value);
//   top_quintile_rising   the region is in the top quintile of risk in the index year (its value
//                  at or beyond the 80th percentile of the regions' values, type 7, in the risk
//                  direction: the highest values for '+', the lowest for '-') and its value moved
//                  towards more risk in each of the `years` - 1 steps before (strictly).
// A threshold is inclusive for <= and >=: a rule "<= -5" fires at -5 and not at -4.
#ifndef KAZMIG_RISK_WARNINGS_H_
#define KAZMIG_RISK_WARNINGS_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/risk/index.h"

namespace kazmig::risk {

enum class RuleTest { kAtMost, kBelow, kAtLeast, kAbove, kTopQuintileRising };
// "<=", "<", ">=", ">", "top_quintile_rising"; Parse returns false on other text.
std::string_view RuleTestName(RuleTest test);
bool ParseRuleTest(std::string_view text, RuleTest& test);

struct Rule {
  std::string name;
  std::string component;
  RuleTest test = RuleTest::kAtMost;
  double threshold = 0;  // unused by top_quintile_rising
  int years = 1;         // consecutive years ending in the index year (>= 1; >= 2 for rising)
};

// A component's values by year (each a value per region, NaN when missing), same regions as the
// index.
struct ComponentHistory {
  std::string name;
  Direction direction = Direction::kMoreRisk;
  std::map<int, std::vector<double>> by_year;
};

struct Flag {
  std::string rule;
  std::string component;
  std::string detail;  // the rule and the numbers, in words
  std::vector<int> years;
  std::vector<double> values;
};

// The flags of every region (outer index) in `year`. A rule whose component is not among
// `histories` is skipped (the caller checks rules files against its components); a rule that
// lacks a value in one of its years does not fire.
std::vector<std::vector<Flag>> EvaluateRules(const std::vector<Rule>& rules,
                                             const std::vector<ComponentHistory>& histories,
                                             size_t region_count, int year);

// The built-in rules (docs/risk.md): net migration at most -5 per 1,000 in 3 consecutive years;
// population change at most -5 per 1,000 in 3 consecutive years; the departures rate and the
// unemployment rate in the top quintile and rising over 2 years.
std::vector<Rule> DefaultRules();

}  // namespace kazmig::risk

#endif  // KAZMIG_RISK_WARNINGS_H_

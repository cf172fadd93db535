#include "kazmig/risk/warnings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/check.h"

namespace kazmig::risk {
namespace {

// Type-7 percentile of the finite values.
double Percentile(std::vector<double> values, double p) {
  values.erase(std::remove_if(values.begin(), values.end(),
                              [](double value) { return !std::isfinite(value); }),
               values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  if (values.size() == 1) return values[0];
  const double h = (static_cast<double>(values.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

bool Compare(RuleTest test, double value, double threshold) {
  switch (test) {
    case RuleTest::kAtMost:
      return value <= threshold;
    case RuleTest::kBelow:
      return value < threshold;
    case RuleTest::kAtLeast:
      return value >= threshold;
    case RuleTest::kAbove:
      return value > threshold;
    case RuleTest::kTopQuintileRising:
      break;
  }
  return false;
}

std::string Years(const std::vector<int>& years) {
  if (years.size() == 1) return fmt::format("{}", years[0]);
  return fmt::format("{}-{}", years.front(), years.back());
}

std::string Values(const std::vector<double>& values) {
  std::string out;
  for (double value : values) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{:.4g}", value);
  }
  return out;
}

}  // namespace

std::string_view RuleTestName(RuleTest test) {
  switch (test) {
    case RuleTest::kAtMost:
      return "<=";
    case RuleTest::kBelow:
      return "<";
    case RuleTest::kAtLeast:
      return ">=";
    case RuleTest::kAbove:
      return ">";
    case RuleTest::kTopQuintileRising:
      return "top_quintile_rising";
  }
  return "";
}

bool ParseRuleTest(std::string_view text, RuleTest& test) {
  for (RuleTest candidate : {RuleTest::kAtMost, RuleTest::kBelow, RuleTest::kAtLeast,
                             RuleTest::kAbove, RuleTest::kTopQuintileRising}) {
    if (text == RuleTestName(candidate)) {
      test = candidate;
      return true;
    }
  }
  return false;
}

std::vector<std::vector<Flag>> EvaluateRules(const std::vector<Rule>& rules,
                                             const std::vector<ComponentHistory>& histories,
                                             size_t region_count, int year) {
  std::vector<std::vector<Flag>> flags(region_count);
  for (const Rule& rule : rules) {
    CheckSetting(rule.years >= 1, "EvaluateRules",
                 fmt::format("rule '{}': years must be at least 1", rule.name));
    const auto history = std::find_if(histories.begin(), histories.end(),
                                      [&](const auto& h) { return h.name == rule.component; });
    if (history == histories.end()) continue;
    std::vector<int> years;
    for (int offset = rule.years - 1; offset >= 0; --offset) years.push_back(year - offset);
    std::vector<const std::vector<double>*> columns;
    for (int rule_year : years) {
      const auto it = history->by_year.find(rule_year);
      columns.push_back(it == history->by_year.end() || it->second.size() != region_count
                            ? nullptr
                            : &it->second);
    }
    if (std::find(columns.begin(), columns.end(), nullptr) != columns.end()) continue;
    const double sign = history->direction == Direction::kMoreRisk ? 1.0 : -1.0;
    double quintile = 0;
    if (rule.test == RuleTest::kTopQuintileRising) {
      std::vector<double> oriented = *columns.back();
      for (double& value : oriented) value *= sign;
      quintile = Percentile(oriented, 0.8);
    }
    for (size_t region_idx = 0; region_idx < region_count; ++region_idx) {
      std::vector<double> values;
      for (const auto* column : columns) values.push_back((*column)[region_idx]);
      if (std::any_of(values.begin(), values.end(),
                      [](double value) { return !std::isfinite(value); })) {
        continue;
      }
      bool fires = true;
      std::string detail;
      if (rule.test == RuleTest::kTopQuintileRising) {
        fires = rule.years >= 2 && sign * values.back() >= quintile;
        for (size_t step = 1; fires && step < values.size(); ++step) {
          fires = sign * values[step] > sign * values[step - 1];
        }
        detail = fmt::format(
            "{} in the top quintile of risk in {} ({} {:.4g}) and {} in every year of {}: {}",
            rule.component, year, sign > 0 ? "at or above" : "at or below", sign * quintile,
            sign > 0 ? "rising" : "falling", Years(years), Values(values));
      } else {
        for (double value : values) fires = fires && Compare(rule.test, value, rule.threshold);
        detail = fmt::format("{} {} {:.4g} in {}{}: {}", rule.component, RuleTestName(rule.test),
                             rule.threshold, years.size() > 1 ? "every year of " : "", Years(years),
                             Values(values));
      }
      if (fires) {
        flags[region_idx].push_back({rule.name, rule.component, detail, years, values});
      }
    }
  }
  return flags;
}

std::vector<Rule> DefaultRules() {
  return {
      {"net_outflow_3y", "net_migration_rate_1y", RuleTest::kAtMost, -5, 3},
      {"population_decline_3y", "population_change", RuleTest::kAtMost, -5, 3},
      {"departures_top_quintile_rising", "departures_rate", RuleTest::kTopQuintileRising, 0, 2},
      {"unemployment_top_quintile_rising", "unemployment", RuleTest::kTopQuintileRising, 0, 2},
  };
}

}  // namespace kazmig::risk

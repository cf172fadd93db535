#include "kazmig/core/check.h"

#include <fmt/format.h>

#include <cmath>

#include "kazmig/core/error.h"

namespace kazmig {
namespace {
[[noreturn]] void FailData(std::string_view function, std::string message) {
  throw InputError(fmt::format("{}: {}", function, message));
}
template <typename Ok>
void CheckEach(std::string_view function, std::string_view name, const std::vector<double>& values,
               Ok ok, std::string_view must) {
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (!ok(values[idx])) {
      FailData(function, fmt::format("{}[{}] is {}; it must be {}", name, idx, values[idx], must));
    }
  }
}
}  // namespace

void CheckAllFinite(std::string_view function, std::string_view name,
                    const std::vector<double>& values) {
  CheckEach(
      function, name, values, [](double v) { return std::isfinite(v); }, "finite");
}

void CheckNonNegative(std::string_view function, std::string_view name,
                      const std::vector<double>& values) {
  CheckEach(
      function, name, values, [](double v) { return std::isfinite(v) && v >= 0; },
      "finite and non-negative");
}

void CheckPositive(std::string_view function, std::string_view name,
                   const std::vector<double>& values) {
  CheckEach(
      function, name, values, [](double v) { return std::isfinite(v) && v > 0; },
      "finite and positive");
}

void CheckFinite(std::string_view function, std::string_view name, double value) {
  if (!std::isfinite(value))
    FailData(function, fmt::format("{} is {}; it must be finite", name, value));
}

void CheckNonNegative(std::string_view function, std::string_view name, double value) {
  if (!(std::isfinite(value) && value >= 0)) {
    FailData(function, fmt::format("{} is {}; it must be finite and non-negative", name, value));
  }
}

void CheckIncreasing(std::string_view function, std::string_view name,
                     const std::vector<double>& values) {
  for (size_t idx = 1; idx < values.size(); ++idx) {
    if (!(values[idx] > values[idx - 1])) {
      FailData(function, fmt::format("{}[{}] is {}; it must be greater than {}[{}] ({})", name, idx,
                                     values[idx], name, idx - 1, values[idx - 1]));
    }
  }
}

void CheckData(bool ok, std::string_view function, std::string_view message) {
  if (!ok) FailData(function, std::string(message));
}

void CheckPositiveSetting(std::string_view function, std::string_view name, double value) {
  if (!(std::isfinite(value) && value > 0)) {
    throw UsageError(fmt::format("{}: {} is {}; it must be positive", function, name, value));
  }
}

void CheckAtLeastSetting(std::string_view function, std::string_view name, double value,
                         double minimum) {
  if (!(value >= minimum)) {
    throw UsageError(
        fmt::format("{}: {} is {}; it must be at least {}", function, name, value, minimum));
  }
}

void CheckSetting(bool ok, std::string_view function, std::string_view message) {
  if (!ok) throw UsageError(fmt::format("{}: {}", function, message));
}

void CheckSameSize(std::string_view function, std::string_view name_a, size_t size_a,
                   std::string_view name_b, size_t size_b) {
  if (size_a != size_b) {
    throw ComputeError(fmt::format("internal: {}: {} has {} values but {} has {}", function, name_a,
                                   size_a, name_b, size_b));
  }
}

void CheckShape(bool ok, std::string_view function, std::string_view message) {
  if (!ok) throw ComputeError(fmt::format("internal: {}: {}", function, message));
}

}  // namespace kazmig

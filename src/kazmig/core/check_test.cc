#include "kazmig/core/check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kazmig/core/error.h"

namespace kazmig {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The message of the error `call` throws, checking its type; "" when it throws nothing.
template <typename ErrorType, typename Call>
std::string MessageOf(Call call) {
  try {
    call();
  } catch (const ErrorType& error) {
    return error.what();
  }
  return "";
}

TEST(CheckAllFinite, AcceptsFiniteValuesAndNamesTheFirstOther) {
  EXPECT_NO_THROW(CheckAllFinite("F", "x", {}));
  EXPECT_NO_THROW(CheckAllFinite("F", "x", {-1.0, 0.0, 2.5}));
  EXPECT_EQ(MessageOf<InputError>([] {
              CheckAllFinite("F", "x", {1.0, kInf, kNan});
            }),
            "F: x[1] is inf; it must be finite");
}

TEST(CheckNonNegative, VectorAcceptsZeroAndRejectsNegativeOrNan) {
  EXPECT_NO_THROW(CheckNonNegative("F", "stocks", std::vector<double>{0.0, 3.0}));
  EXPECT_EQ(MessageOf<InputError>([] {
              CheckNonNegative("F", "stocks", std::vector<double>{0.0, -2.0});
            }),
            "F: stocks[1] is -2; it must be finite and non-negative");
  EXPECT_THROW(CheckNonNegative("F", "stocks", std::vector<double>{kNan}), InputError);
}

TEST(CheckNonNegative, ScalarAcceptsZeroAndRejectsNegativeOrInfinite) {
  EXPECT_NO_THROW(CheckNonNegative("F", "total", 0.0));
  EXPECT_EQ(MessageOf<InputError>([] { CheckNonNegative("F", "total", -1.5); }),
            "F: total is -1.5; it must be finite and non-negative");
  EXPECT_THROW(CheckNonNegative("F", "total", kInf), InputError);
}

TEST(CheckPositive, RejectsZero) {
  EXPECT_NO_THROW(CheckPositive("F", "population", {1.0, 1e-300}));
  EXPECT_EQ(MessageOf<InputError>([] {
              CheckPositive("F", "population", {1.0, 0.0});
            }),
            "F: population[1] is 0; it must be finite and positive");
}

TEST(CheckFinite, RejectsNan) {
  EXPECT_NO_THROW(CheckFinite("F", "decay", -3.0));
  EXPECT_EQ(MessageOf<InputError>([] { CheckFinite("F", "decay", kNan); }),
            "F: decay is nan; it must be finite");
}

TEST(CheckIncreasing, RejectsATieOrADecrease) {
  EXPECT_NO_THROW(CheckIncreasing("F", "ages", {0, 5, 10}));
  EXPECT_NO_THROW(CheckIncreasing("F", "ages", {}));
  EXPECT_EQ(MessageOf<InputError>([] {
              CheckIncreasing("F", "ages", {0, 5, 5});
            }),
            "F: ages[2] is 5; it must be greater than ages[1] (5)");
  EXPECT_THROW(CheckIncreasing("F", "ages", {0, kNan}), InputError);
}

TEST(CheckData, ThrowsInputErrorWithTheMessageWhenFalse) {
  EXPECT_NO_THROW(CheckData(true, "F", "unused"));
  EXPECT_EQ(MessageOf<InputError>([] { CheckData(false, "F", "no places"); }), "F: no places");
}

TEST(CheckPositiveSetting, IsAUsageError) {
  EXPECT_NO_THROW(CheckPositiveSetting("IPF", "tol", 1e-10));
  EXPECT_EQ(MessageOf<UsageError>([] { CheckPositiveSetting("IPF", "tol", 0.0); }),
            "IPF: tol is 0; it must be positive");
  EXPECT_THROW(CheckPositiveSetting("IPF", "tol", kNan), UsageError);
  EXPECT_THROW(CheckPositiveSetting("IPF", "tol", kInf), UsageError);
}

TEST(CheckAtLeastSetting, AcceptsTheMinimumAndRejectsLessOrNan) {
  EXPECT_NO_THROW(CheckAtLeastSetting("IPF", "max_iterations", 1, 1));
  EXPECT_EQ(MessageOf<UsageError>([] { CheckAtLeastSetting("IPF", "max_iterations", 0, 1); }),
            "IPF: max_iterations is 0; it must be at least 1");
  EXPECT_THROW(CheckAtLeastSetting("IPF", "k", kNan, 0), UsageError);
}

TEST(CheckSetting, ThrowsUsageErrorWithTheMessageWhenFalse) {
  EXPECT_NO_THROW(CheckSetting(true, "F", "unused"));
  EXPECT_EQ(MessageOf<UsageError>([] { CheckSetting(false, "F", "give K or a weight"); }),
            "F: give K or a weight");
}

TEST(CheckSameSize, IsAnInternalComputeErrorNamingBothSizes) {
  EXPECT_NO_THROW(CheckSameSize("F", "births", 3, "places", 3));
  EXPECT_EQ(MessageOf<ComputeError>([] { CheckSameSize("F", "births", 2, "places", 3); }),
            "internal: F: births has 2 values but places has 3");
}

TEST(CheckShape, IsAnInternalComputeError) {
  EXPECT_NO_THROW(CheckShape(true, "F", "unused"));
  EXPECT_EQ(MessageOf<ComputeError>([] { CheckShape(false, "F", "margins out of range"); }),
            "internal: F: margins out of range");
}

// The exit code of the kazmig::Error `call` throws; kSuccess when it throws nothing.
template <typename Call>
ExitCode ExitCodeOf(Call call) {
  try {
    call();
  } catch (const Error& error) {
    return error.exit_code();
  }
  return ExitCode::kSuccess;
}

TEST(CheckErrors, MapToTheirExitCodes) {
  EXPECT_EQ(ExitCodeOf([] { CheckData(false, "F", "bad"); }), ExitCode::kInvalidInput);
  EXPECT_EQ(ExitCodeOf([] { CheckSetting(false, "F", "bad"); }), ExitCode::kUsage);
  EXPECT_EQ(ExitCodeOf([] { CheckShape(false, "F", "bad"); }), ExitCode::kComputeFailure);
}

}  // namespace
}  // namespace kazmig

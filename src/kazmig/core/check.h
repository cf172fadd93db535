// Argument checks that open a library function, as Stan Math's check_* helpers do: each names the
// function and the argument, and throws a kazmig::Error with a message a user can act on.
//
//   void EstimateThing(const std::vector<double>& stocks, double tol) {
//     CheckAllFinite("EstimateThing", "stocks", stocks);
//     CheckNonNegative("EstimateThing", "stocks", stocks);
//     CheckPositive("EstimateThing", "tol", tol);
//   }
//
// A failed check throws InputError (the values came from the user's data: exit 3, `FIELD: ...`)
// unless the function says the argument is a setting, when it throws UsageError (exit 2) through
// the *Setting variants. Programmer errors (two vectors of different lengths passed by our own
// code) are ComputeError (exit 1, "internal").
#ifndef KAZMIG_CORE_CHECK_H_
#define KAZMIG_CORE_CHECK_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace kazmig {

// Data checks (InputError): every value finite; every value >= 0; every value > 0.
void CheckAllFinite(std::string_view function, std::string_view name,
                    const std::vector<double>& values);
void CheckNonNegative(std::string_view function, std::string_view name,
                      const std::vector<double>& values);
void CheckPositive(std::string_view function, std::string_view name,
                   const std::vector<double>& values);
void CheckFinite(std::string_view function, std::string_view name, double value);
void CheckNonNegative(std::string_view function, std::string_view name, double value);
// Every value greater than the one before it (ages, years).
void CheckIncreasing(std::string_view function, std::string_view name,
                     const std::vector<double>& values);
// A condition on data, with the message to give when it fails (InputError "function: message").
void CheckData(bool ok, std::string_view function, std::string_view message);

// Setting checks (UsageError): a tolerance, a count, a bound the user chose.
void CheckPositiveSetting(std::string_view function, std::string_view name, double value);
void CheckAtLeastSetting(std::string_view function, std::string_view name, double value,
                         double minimum);
void CheckSetting(bool ok, std::string_view function, std::string_view message);

// Shape checks between arguments our own code passes (ComputeError "internal: ..."): two sizes
// that must agree (the message names both), or any other condition on the arguments' shape.
void CheckSameSize(std::string_view function, std::string_view name_a, size_t size_a,
                   std::string_view name_b, size_t size_b);
void CheckShape(bool ok, std::string_view function, std::string_view message);

}  // namespace kazmig

#endif  // KAZMIG_CORE_CHECK_H_

#include "kazmig/traces/user_trace.h"

namespace kazmig::traces {
namespace {

bool IsWholeNumber(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view StripLeadingZeros(std::string_view text) {
  while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
  return text;
}

}  // namespace

bool NaturalLess(std::string_view a, std::string_view b) {
  const bool a_number = IsWholeNumber(a);
  const bool b_number = IsWholeNumber(b);
  if (a_number != b_number) return a_number;
  if (a_number) {
    const std::string_view a_digits = StripLeadingZeros(a);
    const std::string_view b_digits = StripLeadingZeros(b);
    if (a_digits.size() != b_digits.size()) return a_digits.size() < b_digits.size();
    if (a_digits != b_digits) return a_digits < b_digits;
  }
  return a < b;  // text order, and the tie-break between "7" and "007"
}

}  // namespace kazmig::traces

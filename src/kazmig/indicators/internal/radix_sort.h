// LSD radix sort of non-negative doubles (optionally carrying a payload), used by the focusing and
// distance indicators to sort millions of flows in linear time.
//
//   std::vector<double> keys = {3, 0.5, 2};
//   internal::RadixSortNonNegative(keys);               // {0.5, 2, 3}
//   internal::RadixSortNonNegative(keys, &weights);      // weights follow their keys
//
// For non-negative IEEE doubles the bit patterns, read as unsigned integers, are ordered like the
// numbers, so eight passes of 8-bit digits sort them; passes in which every key has the same digit
// are skipped (typical for integer counts, whose low mantissa bits are all zero). The sort is
// stable. Keys with the sign bit set (negative numbers, -0.0) or NaN fall back to std::sort.
#ifndef KAZMIG_INDICATORS_INTERNAL_RADIX_SORT_H_
#define KAZMIG_INDICATORS_INTERNAL_RADIX_SORT_H_

#include <vector>

namespace kazmig::indicators::internal {

void RadixSortNonNegative(std::vector<double>& keys, std::vector<double>* payload = nullptr);

}  // namespace kazmig::indicators::internal

#endif  // KAZMIG_INDICATORS_INTERNAL_RADIX_SORT_H_

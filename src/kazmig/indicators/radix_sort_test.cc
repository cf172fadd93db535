#include "kazmig/indicators/internal/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kazmig/core/rng.h"

namespace kazmig::indicators::internal {
namespace {

TEST(RadixSort, MatchesStdSortAndCarriesPayload) {
  Rng rng(8);
  for (size_t n : {0u, 5u, 63u, 64u, 1000u, 50000u}) {
    std::vector<double> keys, payload;
    for (size_t idx = 0; idx < n; ++idx) {
      const double u = rng.Uniform01();
      keys.push_back(u < 0.3 ? std::floor(rng.Uniform(0, 20)) : rng.Uniform(0, 1e9) * u);
      payload.push_back(static_cast<double>(idx));
    }
    std::vector<double> expected = keys;
    std::sort(expected.begin(), expected.end());
    std::vector<double> original = keys;
    RadixSortNonNegative(keys, &payload);
    EXPECT_EQ(keys, expected) << n;
    for (size_t idx = 0; idx < n; ++idx) {
      EXPECT_EQ(original[static_cast<size_t>(payload[idx])], keys[idx]);
      // Stable: equal keys keep their input order.
      if (idx > 0 && keys[idx] == keys[idx - 1]) {
        EXPECT_LT(payload[idx - 1], payload[idx]);
      }
    }
  }
}

TEST(RadixSort, FallsBackForNegativeZeroAndNegatives) {
  std::vector<double> keys(100, 1.0);
  keys[3] = -0.0;
  keys[7] = -2;
  keys[9] = 0.5;
  RadixSortNonNegative(keys);
  EXPECT_EQ(keys[0], -2);
  EXPECT_EQ(keys[1], 0.0);
  EXPECT_EQ(keys[2], 0.5);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

}  // namespace
}  // namespace kazmig::indicators::internal

#include "kazmig/indicators/internal/radix_sort.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>

namespace kazmig::indicators::internal {
namespace {

constexpr size_t kSmall = 64;  // below this, insertion-friendly std::sort is faster

uint64_t Bits(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

void FallbackSort(std::vector<double>& keys, std::vector<double>* payload) {
  if (payload == nullptr) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<double> k(keys.size()), p(keys.size());
  for (size_t idx = 0; idx < order.size(); ++idx) {
    k[idx] = keys[order[idx]];
    p[idx] = (*payload)[order[idx]];
  }
  keys.swap(k);
  payload->swap(p);
}

}  // namespace

void RadixSortNonNegative(std::vector<double>& keys, std::vector<double>* payload) {
  const size_t n = keys.size();
  if (n < kSmall) {
    FallbackSort(keys, payload);
    return;
  }
  std::vector<uint64_t> a(n), b(n);
  // The bits in which some key differs from the first: digits outside them are the same for
  // every key, so they are neither counted nor passed over (integer counts leave half the digits
  // constant).
  const uint64_t first_bits = Bits(keys[0]);
  uint64_t varying = 0;
  for (size_t idx = 0; idx < n; ++idx) {
    const double v = keys[idx];
    if (std::signbit(v) || std::isnan(v)) {
      FallbackSort(keys, payload);
      return;
    }
    const uint64_t bits = Bits(v);
    a[idx] = bits;
    varying |= bits ^ first_bits;
  }
  std::array<std::array<size_t, 256>, 8> counts{};
  std::array<int, 8> active_digits;
  int active_count = 0;
  for (int digit = 0; digit < 8; ++digit) {
    if (((varying >> (8 * digit)) & 0xff) != 0) active_digits[active_count++] = digit;
  }
  for (size_t idx = 0; idx < n; ++idx) {
    const uint64_t bits = a[idx];
    for (int active = 0; active < active_count; ++active) {
      const int digit = active_digits[active];
      ++counts[digit][(bits >> (8 * digit)) & 0xff];
    }
  }
  std::vector<uint32_t> index_a, index_b;
  if (payload != nullptr) {
    index_a.resize(n);
    index_b.resize(n);
    std::iota(index_a.begin(), index_a.end(), 0u);
  }
  for (int active = 0; active < active_count; ++active) {
    const int digit = active_digits[active];
    auto& count = counts[digit];
    std::array<size_t, 256> offset;
    size_t running = 0;
    for (int bucket = 0; bucket < 256; ++bucket) {
      offset[bucket] = running;
      running += count[bucket];
    }
    const int shift = 8 * digit;
    if (payload == nullptr) {
      for (size_t idx = 0; idx < n; ++idx) b[offset[(a[idx] >> shift) & 0xff]++] = a[idx];
    } else {
      for (size_t idx = 0; idx < n; ++idx) {
        const size_t to = offset[(a[idx] >> shift) & 0xff]++;
        b[to] = a[idx];
        index_b[to] = index_a[idx];
      }
      index_a.swap(index_b);
    }
    a.swap(b);
  }
  for (size_t idx = 0; idx < n; ++idx) std::memcpy(&keys[idx], &a[idx], sizeof(double));
  if (payload != nullptr) {
    std::vector<double> p(n);
    for (size_t idx = 0; idx < n; ++idx) p[idx] = (*payload)[index_a[idx]];
    payload->swap(p);
  }
}

}  // namespace kazmig::indicators::internal

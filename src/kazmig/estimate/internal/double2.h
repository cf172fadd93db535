// Vectors of doubles for the IPF loops (GCC/Clang vector extension: SSE2 on x86-64, NEON on
// arm64). Lane by lane, +, - and * are the same IEEE operations as on scalars, so a loop over
// lanes gives bit for bit what the scalar loop gives when each lane does the scalar loop's
// operations in its order.
#ifndef KAZMIG_ESTIMATE_INTERNAL_DOUBLE2_H_
#define KAZMIG_ESTIMATE_INTERNAL_DOUBLE2_H_

#include <cstddef>
#include <cstdint>

namespace kazmig::estimate::internal {

// Four doubles: two SSE2 registers, or one AVX register in a function compiled for AVX too.
using Double4 = double __attribute__((vector_size(32)));
using Bits4 = int64_t __attribute__((vector_size(32)));
// Four doubles in memory, aligned for AVX however the code using them was compiled (Double4's own
// alignment is 16 bytes in baseline code and 32 in AVX code; arrays hold Lanes4).
struct alignas(32) Lanes4 {
  Double4 v;
};

// Marks a function to be compiled twice, for AVX and for the baseline, the better one chosen when
// the program loads (GCC on x86-64). "avx" does not include FMA, so a * b + c stays a rounded
// product and a rounded sum: the same numbers in both.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KAZMIG_AVX_CLONES __attribute__((target_clones("avx", "default")))
#else
#define KAZMIG_AVX_CLONES
#endif

}  // namespace kazmig::estimate::internal

#endif  // KAZMIG_ESTIMATE_INTERNAL_DOUBLE2_H_

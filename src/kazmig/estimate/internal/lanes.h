// Vectors of doubles for the IPF loops (GCC/Clang vector extension), and an AVX variant of a loop
// chosen at run time. Lane by lane, +, - and * are the same IEEE operations as on scalars, so a
// vector loop gives bit for bit what the scalar loop gives when each lane does the scalar loop's
// operations in its order. There is no FMA anywhere here (not in the baseline x86-64 instruction
// set, and "avx" does not include it): a * b + c stays a rounded product and a rounded sum.
//
//   template <size_t kWidth> void Body(...) { Vec<kWidth> ... }   // always_inline
//   KAZMIG_TARGET_AVX void BodyAvx(...) { Body<4>(...); }
//   if (CpuHasAvx()) BodyAvx(...); else Body<2>(...);
#ifndef KAZMIG_ESTIMATE_INTERNAL_LANES_H_
#define KAZMIG_ESTIMATE_INTERNAL_LANES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kazmig::estimate::internal {

using Double2 = double __attribute__((vector_size(16)));
using Double4 = double __attribute__((vector_size(32)));
using Bits2 = int64_t __attribute__((vector_size(16)));
using Bits4 = int64_t __attribute__((vector_size(32)));

// The vector of kWidth doubles (2: SSE2, the baseline; 4: AVX, only in functions compiled for
// it: elsewhere GCC splits it through the stack) and the integers of the same size. Code that
// works on them is an always_inline template (no vector passed or returned by value: that ABI
// differs with AVX), instantiated in a baseline function with 2 and an AVX one with 4; vectors
// come from memory and go back to it through std::memcpy (any alignment).
template <size_t kWidth>
struct VecOf;
template <>
struct VecOf<2> {
  using Double = Double2;
  using Bits = Bits2;
};
template <>
struct VecOf<4> {
  using Double = Double4;
  using Bits = Bits4;
};
template <size_t kWidth>
using Vec = typename VecOf<kWidth>::Double;

// Four doubles side by side in memory, 32-byte aligned.
struct alignas(32) Lanes4 {
  double lane[4];
};

// Tests only: whether the AVX variants may run (they do by default where the processor has AVX);
// set to false, the baseline loops run, so a test can compare both with the plain loops.
inline bool& AvxAllowedForTesting() {
  static bool allowed = true;
  return allowed;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KAZMIG_HAVE_AVX_VARIANT 1
#define KAZMIG_TARGET_AVX __attribute__((target("avx")))
// Whether the processor and the operating system run AVX (libgcc checks both), and tests allow it.
inline bool CpuHasAvx() {
  static const bool has = __builtin_cpu_supports("avx");
  return has && AvxAllowedForTesting();
}
#else
#define KAZMIG_HAVE_AVX_VARIANT 0
#define KAZMIG_TARGET_AVX
inline bool CpuHasAvx() { return false; }
#endif

}  // namespace kazmig::estimate::internal

#endif  // KAZMIG_ESTIMATE_INTERNAL_LANES_H_

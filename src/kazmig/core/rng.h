// Rng: kazmig's seeded random number generator.
//
// All draws derive from raw std::mt19937_64 output with kazmig's own transformations, so the same
// seed gives the same numbers with any standard library (the standard distributions differ
// between implementations). Child streams for threads or MPI ranks come from Split(), so results
// do not depend on how work is scheduled.
//
//   Rng rng(42);
//   double u = rng.Uniform01();          // [0, 1), 53 random bits
//   uint64_t k = rng.UniformInt(10);     // 0..9, unbiased
//   double z = rng.Normal();             // standard normal (Box-Muller, no cached state)
//   Rng worker = rng.Split(thread_idx);  // independent, reproducible stream
#ifndef KAZMIG_CORE_RNG_H_
#define KAZMIG_CORE_RNG_H_

#include <cstdint>
#include <random>

namespace kazmig {

class Rng {
 public:
  explicit Rng(uint64_t seed) : seed_(seed), engine_(seed) {}

  uint64_t seed() const { return seed_; }
  uint64_t NextU64() { return engine_(); }

  // Uniform on [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1): never 0, for logarithms.
  double UniformOpen01() { return (static_cast<double>(NextU64() >> 11) + 0.5) * 0x1.0p-53; }
  double Uniform(double low, double high) { return low + (high - low) * Uniform01(); }
  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire's multiply-and-reject).
  uint64_t UniformInt(uint64_t n);
  // Standard normal deviate (Box-Muller, two uniforms per draw, nothing cached).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Exponential with the given rate (> 0).
  double Exponential(double rate);
  // Poisson with the given mean (>= 0): inversion for mean < 30, else Hormann's PTRS.
  uint64_t Poisson(double mean);
  // Gamma(shape, scale), shape > 0 (Marsaglia-Tsang; shape < 1 by the boost U^(1/shape)).
  double Gamma(double shape, double scale = 1.0);
  // Bernoulli(p).
  bool Bernoulli(double p) { return Uniform01() < p; }

  // An independent generator for stream `stream` (thread, rank, replication), derived from this
  // generator's seed by SplitMix64 mixing; does not advance this generator.
  Rng Split(uint64_t stream) const;

 private:
  uint64_t seed_;
  std::mt19937_64 engine_;
};

// SplitMix64 finaliser: a bijective 64-bit mix used to derive seeds.
uint64_t MixSeed(uint64_t x);

}  // namespace kazmig

#endif  // KAZMIG_CORE_RNG_H_

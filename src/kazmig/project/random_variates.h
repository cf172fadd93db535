// Truncated normal and truncated gamma variates for the Gibbs samplers of the projection module,
// built on kazmig::Rng (raw std::mt19937_64 output, transformed by hand; no std:: distributions).
//
//   Rng rng(7);
//   double phi = TruncatedNormal(rng, 0.8, 0.3, 0.0, 1.0);      // N(0.8, 0.3^2) restricted to
//   (0,1) double b = GammaBelow(rng, 41.0, 0.5, 30.0);                // Gamma(41, rate 0.5) given
//   < 30 double tau = GammaAbove(rng, 0.5, 2.0, 4.0);                // Gamma(0.5, rate 2) given >
//   4
//
// Each returns an exact draw from the truncated law (rejection samplers with bounded acceptance,
// never a clamp), so moments can be checked against the closed forms.
#ifndef KAZMIG_PROJECT_RANDOM_VARIATES_H_
#define KAZMIG_PROJECT_RANDOM_VARIATES_H_

#include "kazmig/core/rng.h"

namespace kazmig::project {

// N(mean, sd^2) conditioned on low < x < high (either bound may be infinite, low < high, sd > 0).
// Chooses, as Robert (1995, "Simulation of truncated normal variables", Statistics and Computing
// 5) does, between plain normal rejection (the interval holds the mean and is wide), uniform
// rejection (a narrow interval) and exponential rejection (a tail). An infinite sd gives a uniform
// draw on a finite interval.
double TruncatedNormal(Rng& rng, double mean, double sd, double low, double high);

// Gamma(shape, rate) conditioned on x < upper (shape > 0, rate > 0, upper > 0). Plain gamma
// rejection when upper is at least the mean; below the mode (shape >= 2) an exponential envelope
// tangent to the log density at upper; otherwise x = upper * U^(1/shape) accepted with
// probability exp(-rate x). Each branch accepts with probability above 0.13.
double GammaBelow(Rng& rng, double shape, double rate, double upper);

// Gamma(shape, rate) conditioned on x > lower (shape > 0, rate > 0, lower >= 0). Plain gamma
// rejection when lower is at most the mean; beyond it, lower + an exponential accepted by the ratio
// of the density to its envelope (log-concave bound for shape >= 1, x^(shape-1) <= lower^(shape-1)
// for shape < 1).
double GammaAbove(Rng& rng, double shape, double rate, double lower);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_RANDOM_VARIATES_H_

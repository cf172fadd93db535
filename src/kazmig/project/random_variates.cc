#include "kazmig/project/random_variates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "kazmig/core/error.h"

namespace kazmig::project {
namespace {

// Standard normal restricted to low < z < high with 0 < low < high (high may be +inf).
double StandardNormalTail(Rng& rng, double low, double high) {
  const double width = high - low;
  if (width * std::max(low, 1.0) <= 1.0) {
    // Narrow interval: uniform proposal, accepted with exp((low^2 - z^2) / 2) <= 1.
    for (;;) {
      const double z = low + width * rng.Uniform01();
      if (rng.UniformOpen01() <= std::exp(0.5 * (low * low - z * z))) return z;
    }
  }
  // Robert (1995): z = low + Exp(lambda) with the optimal rate, accepted with
  // exp(-(z - lambda)^2 / 2).
  const double lambda = 0.5 * (low + std::sqrt(low * low + 4.0));
  for (;;) {
    const double z = low + rng.Exponential(lambda);
    if (z >= high) continue;
    const double gap = z - lambda;
    if (rng.UniformOpen01() <= std::exp(-0.5 * gap * gap)) return z;
  }
}

void CheckGammaArguments(const char* function, double shape, double rate, double bound) {
  if (!(shape > 0) || !(rate > 0) || !std::isfinite(shape) || !std::isfinite(rate) ||
      !(bound >= 0) || !std::isfinite(bound)) {
    throw ComputeError(
        fmt::format("internal: {}: shape {}, rate {}, bound {}", function, shape, rate, bound));
  }
}

}  // namespace

double TruncatedNormal(Rng& rng, double mean, double sd, double low, double high) {
  if (!(low < high) || std::isnan(mean) || std::isnan(sd) || !std::isfinite(mean)) {
    throw ComputeError(fmt::format("internal: TruncatedNormal: mean {}, sd {}, bounds ({}, {})",
                                   mean, sd, low, high));
  }
  if (sd <= 0) return std::clamp(mean, low, high);
  if (!std::isfinite(sd)) {
    if (!std::isfinite(low) || !std::isfinite(high)) {
      throw ComputeError("internal: TruncatedNormal: infinite sd on an unbounded interval");
    }
    return low + (high - low) * rng.Uniform01();
  }
  const double a = (low - mean) / sd;
  const double b = (high - mean) / sd;
  double z;
  if (a > 0) {
    z = StandardNormalTail(rng, a, b);
  } else if (b < 0) {
    z = -StandardNormalTail(rng, -b, -a);
  } else if (b - a >= std::sqrt(2.0 * std::numbers::pi)) {
    // The interval holds the mean and is wide: plain rejection accepts at least half the draws.
    do {
      z = rng.Normal();
    } while (z <= a || z >= b);
  } else {
    // A narrow interval around the mean: uniform proposal, accepted with exp(-z^2 / 2).
    for (;;) {
      z = a + (b - a) * rng.Uniform01();
      if (z > a && rng.UniformOpen01() <= std::exp(-0.5 * z * z)) break;
    }
  }
  // Rounding may put mean + sd z on a bound; keep the draw strictly inside.
  const double x = mean + sd * z;
  if (x <= low) return std::nextafter(low, high);
  if (x >= high) return std::nextafter(high, low);
  return x;
}

double GammaBelow(Rng& rng, double shape, double rate, double upper) {
  CheckGammaArguments("GammaBelow", shape, rate, upper);
  if (!(upper > 0)) throw ComputeError("internal: GammaBelow: upper bound 0");
  const double scaled = rate * upper;  // the bound in units of 1/rate
  const double mode = shape - 1.0;     // the mode in units of 1/rate (shape >= 1)
  const double plain_from = mode >= 4.0 ? mode - std::sqrt(mode) : mode;
  if (scaled >= shape || (shape >= 2.0 && scaled >= plain_from)) {
    // At least about 13% of the mass lies below the bound (it is beyond the mode less one sd).
    for (;;) {
      const double x = rng.Gamma(shape, 1.0 / rate);
      if (x < upper) return x;
    }
  }
  if (shape >= 2.0) {
    // Below the mode the log density (shape-1) log x - rate x is increasing and concave: the
    // tangent at `upper` bounds it, so x = upper - E with E ~ Exp(slope) truncated to (0, upper),
    // accepted with exp((shape-1) (log(x/upper) - (x - upper)/upper)) <= 1.
    const double slope = mode / upper - rate;
    for (;;) {
      double drop;
      if (slope * upper < 1e-12) {
        drop = upper * rng.Uniform01();
      } else {
        drop = -std::log1p(-rng.Uniform01() * -std::expm1(-slope * upper)) / slope;
      }
      const double x = upper - drop;
      if (!(x > 0)) continue;
      const double log_ratio = mode * (std::log(x / upper) - (x - upper) / upper);
      if (std::log(rng.UniformOpen01()) <= log_ratio) return x;
    }
  }
  // shape < 2 and upper below the mean (rate * upper < 2): x = upper U^(1/shape) has density
  // proportional to x^(shape-1) on (0, upper); accept with exp(-rate x) >= exp(-2).
  for (;;) {
    const double x = upper * std::pow(rng.UniformOpen01(), 1.0 / shape);
    if (rng.UniformOpen01() <= std::exp(-rate * x)) return x;
  }
}

double GammaAbove(Rng& rng, double shape, double rate, double lower) {
  CheckGammaArguments("GammaAbove", shape, rate, lower);
  if (rate * lower <= shape) {
    // The bound is at most the mean: plain rejection keeps about a third or more of the draws.
    for (;;) {
      const double x = rng.Gamma(shape, 1.0 / rate);
      if (x > lower) return x;
    }
  }
  if (shape >= 1.0) {
    // Beyond the mean the log density is concave and decreasing: the tangent at `lower` (slope
    // rate - (shape-1)/lower > 0) bounds it.
    const double decay = rate - (shape - 1.0) / lower;
    for (;;) {
      const double x = lower + rng.Exponential(decay);
      const double log_ratio = (shape - 1.0) * (std::log(x / lower) - (x - lower) / lower);
      if (std::log(rng.UniformOpen01()) <= log_ratio) return x;
    }
  }
  // shape < 1: x^(shape-1) <= lower^(shape-1) beyond lower, so propose lower + Exp(rate).
  for (;;) {
    const double x = lower + rng.Exponential(rate);
    if (rng.UniformOpen01() <= std::pow(x / lower, shape - 1.0)) return x;
  }
}

}  // namespace kazmig::project

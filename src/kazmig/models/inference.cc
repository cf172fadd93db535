#include "kazmig/models/inference.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kazmig/core/check.h"

namespace kazmig::models {
namespace {

constexpr double kEps = 1e-15;
constexpr double kTiny = 1e-300;
constexpr int kMaxTerms = 10000;

// The continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEps) break;
  }
  return h;
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  CheckShape(a > 0 && b > 0 && x >= 0 && x <= 1, "RegularizedIncompleteBeta",
             fmt::format("a = {}, b = {}, x = {} outside a, b > 0, 0 <= x <= 1", a, b, x));
  if (x == 0) return 0;
  if (x == 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

double RegularizedGammaQ(double a, double x) {
  CheckShape(a > 0 && x >= 0, "RegularizedGammaQ",
             fmt::format("a = {}, x = {} outside a > 0, x >= 0", a, x));
  if (x == 0) return 1;
  const double log_front = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    double term = 1 / a, sum = term;
    for (int n = 1; n <= kMaxTerms; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * kEps) break;
    }
    return 1 - sum * std::exp(log_front);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  double b = x + 1 - a, c = 1 / kTiny, d = 1 / b, h = d;
  for (int i = 1; i <= kMaxTerms; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEps) break;
  }
  return std::exp(log_front) * h;
}

double StudentTTwoSidedP(double t, double df) {
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return 0;
  if (df <= 0) return std::erfc(std::fabs(t) / std::sqrt(2.0));
  return RegularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
}

double StudentTQuantile(double p, double df) {
  CheckShape(p > 0 && p < 1, "StudentTQuantile", fmt::format("p = {} outside (0, 1)", p));
  if (p == 0.5) return 0;
  const double upper = p > 0.5 ? 1 - p : p;  // one-sided tail
  // Find t > 0 with P(T > t) = upper, i.e. two-sided p = 2 upper.
  double lo = 0, hi = 1;
  while (StudentTTwoSidedP(hi, df) > 2 * upper && hi < 1e12) hi *= 2;
  for (int iter = 0; iter < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++iter) {
    const double mid = (lo + hi) / 2;
    if (StudentTTwoSidedP(mid, df) > 2 * upper) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const double t = (lo + hi) / 2;
  return p > 0.5 ? t : -t;
}

double FUpperP(double f, double d1, double d2) {
  if (std::isnan(f)) return std::numeric_limits<double>::quiet_NaN();
  if (f <= 0) return 1;
  return RegularizedIncompleteBeta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

double ChiSquareUpperP(double x, double k) {
  if (std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0) return 1;
  return RegularizedGammaQ(k / 2, x / 2);
}

int NeweyWestLag(long long n_obs) {
  const int rule = static_cast<int>(std::floor(4 * std::pow(n_obs / 100.0, 2.0 / 9.0)));
  return static_cast<int>(std::clamp<long long>(rule, 1, std::max<long long>(1, n_obs - 2)));
}

Eigen::MatrixXd NeweyWestVcov(const Eigen::MatrixXd& x, const Eigen::VectorXd& residuals, int lag) {
  const Eigen::Index n = x.rows(), k = x.cols();
  CheckSameSize("NeweyWestVcov", "x rows", static_cast<size_t>(n), "residuals",
                static_cast<size_t>(residuals.size()));
  CheckShape(n > k && lag >= 0, "NeweyWestVcov",
             fmt::format("{} observations for {} coefficients, lag {}", n, k, lag));
  const Eigen::MatrixXd xtx = x.transpose() * x;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(xtx);
  CheckShape(ldlt.info() == Eigen::Success && ldlt.isPositive() &&
                 ldlt.vectorD().minCoeff() > 1e-12 * ldlt.vectorD().maxCoeff(),
             "NeweyWestVcov", "X'X is singular");
  const Eigen::MatrixXd bread = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
  // Scores u_t = x_t e_t.
  const Eigen::MatrixXd scores = x.array().colwise() * residuals.array();
  Eigen::MatrixXd meat = scores.transpose() * scores;
  for (int lag_idx = 1; lag_idx <= lag && lag_idx < n; ++lag_idx) {
    const double weight = 1.0 - lag_idx / (lag + 1.0);
    const Eigen::MatrixXd cross =
        scores.bottomRows(n - lag_idx).transpose() * scores.topRows(n - lag_idx);
    meat += weight * (cross + cross.transpose());
  }
  return bread * meat * bread * (static_cast<double>(n) / static_cast<double>(n - k));
}

WaldTest WaldZero(const Eigen::VectorXd& coefficients, const Eigen::MatrixXd& vcov,
                  const std::vector<int>& indices, double denominator_df) {
  const Eigen::Index q = static_cast<Eigen::Index>(indices.size());
  CheckShape(q > 0, "WaldZero", "no restriction");
  Eigen::VectorXd b(q);
  Eigen::MatrixXd v(q, q);
  for (Eigen::Index r = 0; r < q; ++r) {
    CheckShape(indices[r] >= 0 && indices[r] < coefficients.size(), "WaldZero",
               "index out of range");
    b[r] = coefficients[indices[r]];
    for (Eigen::Index c = 0; c < q; ++c) v(r, c) = vcov(indices[r], indices[c]);
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(v);
  const Eigen::VectorXd values = eig.eigenvalues();
  const double largest = values.maxCoeff();
  WaldTest test;
  if (!(largest > 0)) {
    test.p_value = std::numeric_limits<double>::quiet_NaN();
    return test;
  }
  const Eigen::VectorXd projected = eig.eigenvectors().transpose() * b;
  for (Eigen::Index idx = 0; idx < q; ++idx) {
    if (values[idx] <= 1e-12 * largest) continue;
    test.statistic += projected[idx] * projected[idx] / values[idx];
    ++test.restrictions;
  }
  test.f = test.statistic / test.restrictions;
  test.p_value = denominator_df > 0 ? FUpperP(test.f, test.restrictions, denominator_df)
                                    : ChiSquareUpperP(test.statistic, test.restrictions);
  return test;
}

}  // namespace kazmig::models

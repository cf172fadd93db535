// Inference helpers for the regression engine's results: Student t, F and chi-square tail
// probabilities and quantiles, Wald tests of linear restrictions, and Newey–West
// heteroskedasticity- and autocorrelation-consistent (HAC) covariance for time-series OLS.
//
//   double p = models::StudentTTwoSidedP(2.1, 16);         // P(|T_16| > 2.1)
//   double q = models::StudentTQuantile(0.975, 16);        // 2.1199...
//   Eigen::MatrixXd v = models::NeweyWestVcov(x, residuals, models::NeweyWestLag(x.rows()));
//   models::WaldTest w = models::WaldZero(b, v, {2, 3}, /*denominator_df=*/15);
//
// Distributions: the regularised incomplete beta I_x(a, b) by its continued fraction (modified
// Lentz; Press et al., Numerical Recipes, 3rd ed., section 6.4) and the regularised gamma by its
// series and continued fraction (section 6.2), evaluated to relative precision 1e-14.
//   t:   P(|T| > t) = I_{df / (df + t^2)}(df / 2, 1 / 2)
//   F:   P(F > f)   = I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2)
//   chi2: P(X > x)  = Q(k / 2, x / 2)
// Quantiles by bisection on the tail probability (to 1e-12 of the argument).
#ifndef KAZMIG_MODELS_INFERENCE_H_
#define KAZMIG_MODELS_INFERENCE_H_

#include <Eigen/Dense>
#include <vector>

namespace kazmig::models {

// I_x(a, b), a, b > 0, x in [0, 1]. Throws ComputeError (internal) outside the domain.
double RegularizedIncompleteBeta(double a, double b, double x);
// Q(a, x) = Gamma(a, x) / Gamma(a), a > 0, x >= 0.
double RegularizedGammaQ(double a, double x);

// P(|T_df| > |t|); df <= 0 means the normal distribution.
double StudentTTwoSidedP(double t, double df);
// The p-quantile of T_df (0 < p < 1); df <= 0 means the normal distribution.
double StudentTQuantile(double p, double df);
// P(F_{d1,d2} > f).
double FUpperP(double f, double d1, double d2);
// P(chi2_k > x).
double ChiSquareUpperP(double x, double k);

// The Newey–West (1994) automatic lag rule of thumb: floor(4 (T / 100)^(2/9)), at least 1 and at
// most T - 2 (T >= 3).
int NeweyWestLag(long long n_obs);

// Newey–West (1987) HAC covariance of OLS coefficients for observations in time order:
//   V = (X'X)^-1 S (X'X)^-1 * T / (T - k),
//   S = sum_t e_t^2 x_t x_t' + sum_{l=1}^{L} (1 - l / (L + 1)) sum_{t>l} e_t e_{t-l}
//       (x_t x_{t-l}' + x_{t-l} x_t'),
// Bartlett weights; the T / (T - k) small-sample factor as Stata's `newey`. `x` is the full design
// (with the intercept column), `residuals` y - X b. Lag 0 gives White's HC1. Throws ComputeError
// (internal) when sizes disagree, T <= k, or X'X is singular.
Eigen::MatrixXd NeweyWestVcov(const Eigen::MatrixXd& x, const Eigen::VectorXd& residuals, int lag);

// A Wald test that the coefficients `indices` are jointly zero: W = b_R' V_R^-1 b_R with q
// restrictions; F = W / q. p from F(q, denominator_df) when denominator_df > 0, else from
// chi2(q). V_R is inverted by a pseudo-inverse (eigenvalues below 1e-12 of the largest dropped,
// q reduced accordingly).
struct WaldTest {
  double statistic = 0;  // W
  int restrictions = 0;  // q (after dropping singular directions)
  double f = 0;          // W / q
  double p_value = 1;
};
WaldTest WaldZero(const Eigen::VectorXd& coefficients, const Eigen::MatrixXd& vcov,
                  const std::vector<int>& indices, double denominator_df);

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_INFERENCE_H_

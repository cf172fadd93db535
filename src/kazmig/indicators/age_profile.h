// Age profiles of migration: summary indicators of age-specific intensities and the Rogers–Castro
// model schedule fitted by non-linear least squares.
//
//   indicators::AgeIndicators s = indicators::ComputeAgeIndicators(ages, rates);
//   indicators::RogersCastroFit fit =
//       indicators::FitRogersCastro(ages, rates, indicators::RogersCastroForm::kRc11);
//   if (fit.converged) Print(fit.parameters, fit.derived.peaking);
//
// Summary indicators (Bell et al. 2002; Bell & Muhidin 2009; Bernard, Bell & Charles-Edwards 2014;
// migest index_age, with its defaults age_min = 5, age_max = 65, breadth = 5):
//   gmr              gross migraproduction: sum of m(x) (single-year ages)
//   peak_intensity   max m(x) over age_min < x < age_max; peak_age its age (first if tied)
//   peak_breadth     sum of m(x) for |x - peak_age| <= breadth
//   peak_share       100 peak_breadth / sum m(x)
//   mean_age         sum x m(x) / sum m(x)
//   murc, mdrc       the ages (age_min < x < age_max) of the maximum upward and downward change of
//                    the normalised schedule m(x) / sum m between consecutive ages; asymmetry =
//                    murc / mdrc
// Unlike migest (whose peak age is taken over all ages and whose breadth window indexes vector
// positions), the peak is searched within the study ages and the window is by age value.
//
// Rogers–Castro model schedule (Rogers & Castro 1981):
//   m(x) = a1 e^{-alpha1 x}                                          pre-labour (childhood)
//        + a2 exp(-alpha2 (x - mu2) - e^{-lambda2 (x - mu2)})        labour-force peak
//        + a3 exp(-alpha3 (x - mu3) - e^{-lambda3 (x - mu3)})        retirement peak   (rc11, rc13)
//        + a4 e^{lambda4 x}                                          post-retirement   (rc9, rc13)
//        + c
// rc7 = {a1, alpha1, a2, alpha2, mu2, lambda2, c}; rc9 adds a4, lambda4; rc11 adds a3, alpha3,
// mu3, lambda3; rc13 has all. Fitted by minimising the sum of squared errors with NLopt's BOBYQA
// (bound-constrained, derivative-free; Powell 2009) from a data-driven start and 3 seeded random
// restarts (the best is kept); each run stops when the relative change of the parameters is below
// 1e-8 or of the SSE below 1e-10, or after 2,000 evaluations per parameter. Derived measures
// (Rogers & Castro 1981): peaking = mu2, child dependency a1/a2, labour dependency a2/a1, labour
// asymmetry lambda2/alpha2, regularity alpha1/alpha2, and the model's high peak age (argmax of the
// labour component plus the rest over 10..50, on a 0.01-year grid).
#ifndef KAZMIG_INDICATORS_AGE_PROFILE_H_
#define KAZMIG_INDICATORS_AGE_PROFILE_H_

#include <string>
#include <vector>

namespace kazmig::indicators {

struct AgeIndicators {
  double gmr = 0;
  double peak_intensity = 0;
  double peak_age = 0;
  double peak_breadth = 0;
  double peak_share = 0;
  double mean_age = 0;
  double murc = 0;
  double mdrc = 0;
  double asymmetry = 0;
};

// Throws ComputeError when the lengths differ, fewer than 3 ages are given, ages are not strictly
// increasing, an intensity is negative or not finite, all intensities are 0, or no age lies
// strictly between age_min and age_max.
AgeIndicators ComputeAgeIndicators(const std::vector<double>& ages,
                                   const std::vector<double>& intensities, double age_min = 5,
                                   double age_max = 65, double breadth = 5);

enum class RogersCastroForm { kRc7, kRc9, kRc11, kRc13 };

// Parses "rc7", "rc9", "rc11", "rc13"; throws UsageError otherwise.
RogersCastroForm ParseRogersCastroForm(const std::string& text);

// Full parameter set; parameters a form does not use are 0.
struct RogersCastroParameters {
  double a1 = 0, alpha1 = 0;
  double a2 = 0, alpha2 = 0, mu2 = 0, lambda2 = 0;
  double a3 = 0, alpha3 = 0, mu3 = 0, lambda3 = 0;
  double a4 = 0, lambda4 = 0;
  double c = 0;
};

// The schedule's value at age x.
double RogersCastro(const RogersCastroParameters& p, double x);

struct RogersCastroFit {
  RogersCastroForm form = RogersCastroForm::kRc7;
  RogersCastroParameters parameters;
  std::vector<std::pair<std::string, double>> named;  // the form's parameters, in order
  double sse = 0;
  double r_squared = 0;  // 1 - SSE / total sum of squares
  int evaluations = 0;
  // The best run met its tolerance, or at least two starts reached the same minimum SSE (within
  // 1e-6 relative plus 1e-9 of the total sum of squares, i.e. the same R^2 to 9 decimals):
  // over-parameterised forms exhaust the evaluation budget at their minimum.
  bool converged = false;
  struct Derived {
    double peaking = 0;
    double child_dependency = 0;
    double labour_dependency = 0;
    double labour_asymmetry = 0;
    double regularity = 0;
    double high_peak_age = 0;
  } derived;
};

// Fits the schedule. Throws ComputeError on invalid data (as ComputeAgeIndicators) or when there
// are fewer ages than parameters.
RogersCastroFit FitRogersCastro(const std::vector<double>& ages,
                                const std::vector<double>& intensities, RogersCastroForm form,
                                unsigned long long seed = 1);

}  // namespace kazmig::indicators

#endif  // KAZMIG_INDICATORS_AGE_PROFILE_H_

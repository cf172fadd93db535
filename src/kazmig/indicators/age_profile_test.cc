#include "kazmig/indicators/age_profile.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::indicators {
namespace {

using ::kazmig::testing::NearRel;

// A typical schedule (Rogers & Castro 1981, "fundamental" parameters, rounded).
RogersCastroParameters Truth7() {
  RogersCastroParameters p;
  p.a1 = 0.02;
  p.alpha1 = 0.1;
  p.a2 = 0.06;
  p.alpha2 = 0.11;
  p.mu2 = 20.5;
  p.lambda2 = 0.45;
  p.c = 0.003;
  return p;
}

std::vector<double> Ages(int last) {
  std::vector<double> ages;
  for (int age = 0; age <= last; ++age) ages.push_back(age);
  return ages;
}

TEST(AgeIndicators, HandComputedSchedule) {
  // Ages 0..10 with a peak of 5 at age 6.
  const std::vector<double> ages = Ages(10);
  const std::vector<double> m = {1, 1, 1, 1, 2, 3, 5, 3, 2, 1, 0};
  const AgeIndicators s = ComputeAgeIndicators(ages, m, 2, 9, 1);
  EXPECT_EQ(s.gmr, 20);
  EXPECT_EQ(s.peak_age, 6);
  EXPECT_EQ(s.peak_intensity, 5);
  EXPECT_EQ(s.peak_breadth, 11);  // ages 5, 6, 7
  EXPECT_TRUE(NearRel(s.peak_share, 55));
  double weighted = 0;
  for (size_t a = 0; a < m.size(); ++a) weighted += ages[a] * m[a];
  EXPECT_TRUE(NearRel(s.mean_age, weighted / 20));
  EXPECT_EQ(s.murc, 6);  // +2 from age 5 to 6
  EXPECT_EQ(s.mdrc, 7);  // -2 from 6 to 7 (first of the ties)
  EXPECT_TRUE(NearRel(s.asymmetry, 6.0 / 7));
}

TEST(AgeIndicators, RejectsBadSchedules) {
  EXPECT_THROW(ComputeAgeIndicators({0, 1}, {1, 1}), InputError);
  EXPECT_THROW(ComputeAgeIndicators({0, 2, 1}, {1, 1, 1}), InputError);
  EXPECT_THROW(ComputeAgeIndicators({0, 1, 2}, {1, -1, 1}), InputError);
  EXPECT_THROW(ComputeAgeIndicators({0, 1, 2}, {0, 0, 0}), InputError);
  EXPECT_THROW(ComputeAgeIndicators({0, 1, 2}, {1, 1}), ComputeError);
  EXPECT_THROW(ParseRogersCastroForm("rc8"), UsageError);
}

TEST(RogersCastro, RecoversSevenParametersFromAnExactSchedule) {
  const std::vector<double> ages = Ages(80);
  std::vector<double> m;
  for (double x : ages) m.push_back(RogersCastro(Truth7(), x));
  const RogersCastroFit fit = FitRogersCastro(ages, m, RogersCastroForm::kRc7);
  EXPECT_TRUE(fit.converged);
  EXPECT_GT(fit.r_squared, 0.999999);
  // Exact data: the optimiser's tolerance, not the data, limits the agreement.
  EXPECT_TRUE(NearRel(fit.parameters.a1, 0.02, 1e-3));
  EXPECT_TRUE(NearRel(fit.parameters.alpha1, 0.1, 1e-3));
  EXPECT_TRUE(NearRel(fit.parameters.mu2, 20.5, 1e-3));
  EXPECT_TRUE(NearRel(fit.parameters.lambda2, 0.45, 1e-3));
  EXPECT_TRUE(NearRel(fit.parameters.c, 0.003, 1e-3));
  EXPECT_TRUE(NearRel(fit.derived.labour_asymmetry, 0.45 / 0.11, 1e-3));
  EXPECT_TRUE(NearRel(fit.derived.child_dependency, 0.02 / 0.06, 1e-3));
  EXPECT_EQ(fit.named.size(), 7u);
  EXPECT_EQ(fit.named[4].first, "mu2");
  EXPECT_GT(fit.derived.high_peak_age, 20);
  EXPECT_LT(fit.derived.high_peak_age, 30);
}

TEST(RogersCastro, RecoversElevenParametersWithNoise) {
  RogersCastroParameters truth = Truth7();
  truth.a3 = 0.0015;
  truth.alpha3 = 0.6;
  truth.mu3 = 65;
  truth.lambda3 = 0.4;
  const std::vector<double> ages = Ages(90);
  Rng rng(31);
  std::vector<double> m;
  for (double x : ages) m.push_back(RogersCastro(truth, x) * (1 + 0.01 * rng.Normal()));
  const RogersCastroFit fit = FitRogersCastro(ages, m, RogersCastroForm::kRc11);
  EXPECT_TRUE(fit.converged);
  EXPECT_GT(fit.r_squared, 0.99);
  EXPECT_NEAR(fit.parameters.mu2, 20.5, 1.0);
  EXPECT_NEAR(fit.parameters.mu3, 65, 3.0);
  EXPECT_EQ(fit.named.size(), 11u);
  // More parameters never fit worse than the nested 7-parameter form.
  EXPECT_LE(fit.sse, FitRogersCastro(ages, m, RogersCastroForm::kRc7).sse * (1 + 1e-9));
}

TEST(RogersCastro, ThirteenParameterFormRuns) {
  RogersCastroParameters truth = Truth7();
  truth.a4 = 0.0002;
  truth.lambda4 = 0.04;
  const std::vector<double> ages = Ages(85);
  std::vector<double> m;
  for (double x : ages) m.push_back(RogersCastro(truth, x));
  const RogersCastroFit fit9 = FitRogersCastro(ages, m, RogersCastroForm::kRc9);
  EXPECT_GT(fit9.r_squared, 0.9999);
  // The post-retirement slope trades off against the constant c over ages 0..85, so lambda4 is
  // only weakly identified: 10% is what the optimiser's tolerances guarantee here.
  EXPECT_TRUE(NearRel(fit9.parameters.lambda4, 0.04, 0.1));
  const RogersCastroFit fit13 = FitRogersCastro(ages, m, RogersCastroForm::kRc13);
  EXPECT_GT(fit13.r_squared, 0.999);
  EXPECT_EQ(fit13.named.size(), 13u);
}

}  // namespace
}  // namespace kazmig::indicators

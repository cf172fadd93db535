// Tests of the spatial-interaction family (FitSpatialInteraction): spint's reference fits of the
// Austria data, the balancing solvers against the GLM, Furness balancing at the fitted beta, and
// bad input.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/models/spatial_interaction.h"
#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

// The Austria flows (orig,dest,flow,dij,Oi,Dj) with levels coded in sorted label order, as spint
// (numpy.unique) codes them; Oi and Dj as origin and destination attributes.
struct Austria {
  SpatialInteractionData data;
  std::vector<double> oi, dj;
};

Austria ReadAustria(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  std::map<std::string, size_t> levels;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::vector<std::string> fields;
    std::string field;
    while (std::getline(ss, field, ',')) fields.push_back(field);
    rows.push_back(fields);
    levels.emplace(fields[0], 0);
    levels.emplace(fields[1], 0);
  }
  size_t code = 0;
  for (auto& [label, level] : levels) level = code++;
  Austria austria;
  SpatialInteractionData& data = austria.data;
  data.n_orig = data.n_dest = levels.size();
  for (const auto& row : rows) {
    data.orig.push_back(levels[row[0]]);
    data.dest.push_back(levels[row[1]]);
    data.flow.push_back(std::stod(row[2]));
    data.cost.push_back(std::stod(row[3]));
    austria.oi.push_back(std::stod(row[4]));
    austria.dj.push_back(std::stod(row[5]));
  }
  return austria;
}

// spint's coefficient vector: constant, origin effects of levels 1.., destination effects of
// levels 1.., ln V, ln W, beta (and the standard errors in the same order).
std::vector<double> SpintOrder(const SpatialInteractionFit& fit, bool se) {
  std::vector<double> out = {se ? fit.intercept_se : fit.intercept};
  const auto& o = se ? fit.origin_effect_se : fit.origin_effects;
  const auto& d = se ? fit.dest_effect_se : fit.dest_effects;
  for (size_t level = 1; level < o.size(); ++level) out.push_back(o[level]);
  for (size_t level = 1; level < d.size(); ++level) out.push_back(d[level]);
  for (double v : se ? fit.origin_coef_se : fit.origin_coefs) out.push_back(v);
  for (double v : se ? fit.dest_coef_se : fit.dest_coefs) out.push_back(v);
  out.push_back(se ? fit.beta_se : fit.beta);
  return out;
}

struct SpintReference {
  SpatialConstraint constraint;
  std::vector<double> params, std_err;
  double params_atol;  // the tolerance spint's test uses on params
  double aic, deviance, llf, llnull, d2, adj_d2, ssi, pseudo_r2, adj_pseudo_r2, srmse;
};

// spint's own test values for the Austria data (pysal/spint, spint/tests/test_gravity.py:
// test_Gravity, test_Production, test_Attraction -- written there as Production(f, d, o_var, ...),
// the same design as Attraction -- and test_Doubly; all 'exp' cost with a constant). SRMSE as in
// that file's earlier version, which the methods file quotes (0.37925655 for the doubly model);
// its later version prints values 7.8e-5 larger in relative terms for all four models (e.g.
// 0.37928619), a change in spint's arithmetic that the other statistics do not share. AIC is not
// in spint's doubly test: 2k - 2 llf with k = 18.
const std::vector<SpintReference>& References() {
  static const std::vector<SpintReference> refs = {
      {SpatialConstraint::kNone,
       {-7.95447436e+00, 8.63867812e-01, 8.80474585e-01, -6.20544765e-03},
       {7.55583451e-02, 5.16838440e-03, 4.78122141e-03, 5.18488192e-05},
       1e-7,
       20395.085388908723,
       19806.408696637576,
       -10193.542694454361,
       -88037.0499629,
       0.88713874099960177,
       0.88215956780840776,
       0.72706171189789603,
       0.88421303645743465,
       0.88416760104130376,
       0.62063116008447083},
      {SpatialConstraint::kProduction,
       {-1.11700938, 1.68662317, 2.15188689, 0.60300297, 0.88380784, 1.20926104, 0.68938983,
        1.15472804, 1.02479968, 0.89278717, -0.00727113},
       {5.08397030e-02, 1.74076264e-02, 1.69447835e-02, 2.15532803e-02, 1.92237854e-02,
        1.86458439e-02, 2.07504988e-02, 2.30026467e-02, 2.82189420e-02, 4.66889578e-03,
        5.26601057e-05},
       1e-4,
       15882.651018068489,
       15279.974241770311,
       -7930.3255090342445,
       -88037.0499629,
       0.912931356874,
       0.89865780882,
       0.740619203383,
       0.909920590111,
       0.909795642717,
       0.46622685091043831},
      {SpatialConstraint::kAttraction,
       {-0.88439723, 1.62180605, 1.92772078, 0.12462001, 0.62378812, 0.69646073, 0.20909411,
        0.6856777, 0.48539625, 0.89235874, -0.00693755},
       {5.49032782e-02, 1.53743830e-02, 1.53990555e-02, 2.11181777e-02, 1.76794099e-02,
        1.79055236e-02, 2.01205795e-02, 2.20260880e-02, 2.81192535e-02, 5.14257895e-03,
        5.12438958e-05},
       1e-3,
       16275.899321893821,
       15673.222613627502,
       -8126.9496609469106,
       -88037.0499629,
       .910690541438,
       .896049646592,
       .750634498293,
       .90768716507,
       .907562217676,
       0.59478477816884223},
      {SpatialConstraint::kDoubly,
       {6.20471518, 1.5449095, 2.4414292, 0.69924374, 0.94869185, 1.28967637, 0.74270015,
        1.19468573, 0.98874193, 1.49709841, 2.18492741, 0.18784818, 0.66434515, 0.74264938,
        0.21334535, 0.66765781, 0.39986094, -0.00791533},
       {2.23984552e-02, 1.76016753e-02, 1.77717586e-02, 2.17639650e-02, 1.93560527e-02,
        1.88287651e-02, 2.09658404e-02, 2.34162372e-02, 2.85372580e-02, 1.55744567e-02,
        1.62454834e-02, 2.13024018e-02, 1.78126603e-02, 1.80681617e-02, 2.03636073e-02,
        2.25133694e-02, 2.84200070e-02, 5.06213514e-05},
       1e-5,
       2 * 18 + 2 * 4970.5795707251054,
       9360.482092561484,
       -4970.5795707251054,
       -88037.0499629,
       .946661920897,
       .929870303401,
       .811852110904,
       .943539912198,
       .943335452826,
       0.37925654532618808},
  };
  return refs;
}

SpatialInteractionData ForConstraint(const Austria& austria, SpatialConstraint constraint) {
  SpatialInteractionData data = austria.data;
  if (constraint == SpatialConstraint::kNone || constraint == SpatialConstraint::kAttraction) {
    data.origin_vars.push_back(austria.oi);
  }
  if (constraint == SpatialConstraint::kNone || constraint == SpatialConstraint::kProduction) {
    data.dest_vars.push_back(austria.dj);
  }
  return data;
}

TEST(SpatialInteraction, AustriaMatchesSpintForEveryConstraint) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const Austria austria = ReadAustria(shared / "austria_dennett2012" / "austria_flows.csv");
  ASSERT_EQ(austria.data.flow.size(), 72u);
  for (const SpintReference& ref : References()) {
    for (SpatialSolver solver : {SpatialSolver::kGlm, SpatialSolver::kBalancing}) {
      if (ref.constraint == SpatialConstraint::kNone && solver == SpatialSolver::kBalancing) {
        continue;
      }
      SpatialInteractionOptions options;
      options.constraint = ref.constraint;
      options.cost_form = CostForm::kExponential;
      options.solver = solver;
      const SpatialInteractionFit fit =
          FitSpatialInteraction(ForConstraint(austria, ref.constraint), options);
      SCOPED_TRACE(::testing::Message() << "constraint " << static_cast<int>(ref.constraint)
                                        << " solver " << fit.solver);
      ASSERT_TRUE(fit.converged);
      EXPECT_EQ(fit.n_obs, 72u);
      EXPECT_EQ(fit.k, ref.params.size());
      const std::vector<double> params = SpintOrder(fit, false), se = SpintOrder(fit, true);
      ASSERT_EQ(params.size(), ref.params.size());
      for (size_t coef_idx = 0; coef_idx < params.size(); ++coef_idx) {
        // spint's assert_allclose: rtol 1e-7 plus its atol on params.
        EXPECT_NEAR(params[coef_idx], ref.params[coef_idx],
                    ref.params_atol + 1e-7 * std::abs(ref.params[coef_idx]))
            << "param " << coef_idx;
        const bool no_se = fit.solver == "balancing" &&
                           ref.constraint == SpatialConstraint::kDoubly &&
                           coef_idx + 1 < params.size();
        if (no_se) {
          EXPECT_TRUE(std::isnan(se[coef_idx]));
        } else {
          // spint stops its IRLS when the smallest coefficient change is below 1e-6 (here after 5
          // iterations) and takes the covariance from the weights of the iterate before the last
          // (SpintIterationExplainsTheLastDigits): its standard errors are those of a
          // not-quite-converged fit, within 2e-4 (relative) of the MLE's.
          EXPECT_TRUE(NearRel(se[coef_idx], ref.std_err[coef_idx], 2e-4)) << "se " << coef_idx;
        }
      }
      // spint's assertAlmostEqual(delta = 1e-4) on AIC and llf, assertAlmostEquals (7 places) on
      // the ratios. Its deviance, 2 sum y ln(y / mu), equals 2 sum [y ln(y / mu) - (y - mu)] only
      // where sum mu = sum y, at the MLE: at its fifth iterate it is up to 4e-4 lower.
      EXPECT_NEAR(fit.aic, ref.aic, 1e-4);
      EXPECT_NEAR(fit.deviance, ref.deviance, 5e-4);
      EXPECT_NEAR(fit.llf, ref.llf, 1e-4);
      EXPECT_NEAR(fit.llnull, ref.llnull, 1e-4);
      EXPECT_NEAR(fit.d2, ref.d2, 5e-8);
      EXPECT_NEAR(fit.adj_d2, ref.adj_d2, 5e-8);
      EXPECT_NEAR(fit.ssi, ref.ssi, 5e-8);
      EXPECT_NEAR(fit.pseudo_r2, ref.pseudo_r2, 5e-8);
      EXPECT_NEAR(fit.adj_pseudo_r2, ref.adj_pseudo_r2, 5e-8);
      EXPECT_NEAR(fit.srmse, ref.srmse, 5e-8);
    }
  }
}

// The differences above come from spint's iteration, not its formulas: spint's IRLS (spglm
// iwls: mu0 = (y + mean y) / 2, stop when min |delta b| < 1e-6, covariance (X' W X)^-1 with the W
// of the last step's start, deviance 2 sum y ln(y / mu)) written out here on the doubly-
// constrained design reproduces spint's printed figures to their last digit.
TEST(SpatialInteraction, SpintIterationExplainsTheLastDigits) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const Austria austria = ReadAustria(shared / "austria_dennett2012" / "austria_flows.csv");
  const SpatialInteractionData& data = austria.data;
  const Eigen::Index n_obs = static_cast<Eigen::Index>(data.flow.size());
  const Eigen::Index levels = static_cast<Eigen::Index>(data.n_orig);
  const Eigen::Index n_coef = 1 + 2 * (levels - 1) + 1;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n_obs, n_coef);
  Eigen::VectorXd y(n_obs);
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    const auto o = static_cast<Eigen::Index>(data.orig[static_cast<size_t>(obs_idx)]);
    const auto d = static_cast<Eigen::Index>(data.dest[static_cast<size_t>(obs_idx)]);
    x(obs_idx, 0) = 1;
    if (o > 0) x(obs_idx, o) = 1;
    if (d > 0) x(obs_idx, levels - 1 + d) = 1;
    x(obs_idx, n_coef - 1) = data.cost[static_cast<size_t>(obs_idx)];
    y[obs_idx] = data.flow[static_cast<size_t>(obs_idx)];
  }
  Eigen::VectorXd mu = (y.array() + y.mean()).matrix() / 2;
  Eigen::VectorXd eta = mu.array().log().matrix();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n_coef);
  Eigen::MatrixXd wx;
  double change = 1e6;
  int iterations = 0;
  while (change > 1e-6 && iterations < 200) {
    ++iterations;
    const Eigen::ArrayXd sqrt_w = mu.array().sqrt();
    const Eigen::VectorXd z = (eta.array() + (y.array() - mu.array()) / mu.array()).matrix();
    wx = sqrt_w.matrix().asDiagonal() * x;
    const Eigen::VectorXd b_new =
        (wx.transpose() * wx).ldlt().solve(wx.transpose() * (z.array() * sqrt_w).matrix());
    eta = x * b_new;
    mu = eta.array().exp().matrix();
    change = (b_new - b).cwiseAbs().minCoeff();
    b = b_new;
  }
  const Eigen::MatrixXd cov = (wx.transpose() * wx).inverse();
  double deviance = 0;
  for (Eigen::Index obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
    deviance += 2 * y[obs_idx] * std::log(y[obs_idx] / mu[obs_idx]);
  }
  const SpintReference& ref = References().back();
  EXPECT_EQ(iterations, 5);
  EXPECT_TRUE(NearRel(deviance, ref.deviance, 1e-12));
  for (Eigen::Index coef_idx = 0; coef_idx < n_coef; ++coef_idx) {
    // std_err printed to 9 significant digits.
    EXPECT_TRUE(NearRel(std::sqrt(cov(coef_idx, coef_idx)),
                        ref.std_err[static_cast<size_t>(coef_idx)], 1e-8))
        << coef_idx;
  }
}

}  // namespace
}  // namespace kazmig::models

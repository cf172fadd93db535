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

// Three ways to fit each model: the GLM iterating as spint does (the default), which must give
// spint's printed figures to their last digit; the GLM iterated to convergence and the balancing
// solvers, which give the MLE: spint stops its IRLS when the smallest coefficient change is below
// 1e-6 (here after 5 steps) and takes the covariance from the weights at the start of the last
// step (SpintIterationExplainsTheLastDigits), so the MLE's standard errors differ from spint's by
// up to 2e-4 (relative), its statistics by about 1e-8, and its deviance -- spint's is
// 2 sum y ln(y / mu), which equals 2 sum [y ln(y / mu) - (y - mu)] only where sum mu = sum y --
// by up to 4e-4.
TEST(SpatialInteraction, AustriaMatchesSpintForEveryConstraint) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const Austria austria = ReadAustria(shared / "austria_dennett2012" / "austria_flows.csv");
  ASSERT_EQ(austria.data.flow.size(), 72u);
  enum class Variant { kSpintGlm, kConvergedGlm, kBalancing };
  for (const SpintReference& ref : References()) {
    for (Variant variant : {Variant::kSpintGlm, Variant::kConvergedGlm, Variant::kBalancing}) {
      if (ref.constraint == SpatialConstraint::kNone && variant == Variant::kBalancing) continue;
      SpatialInteractionOptions options;
      options.constraint = ref.constraint;
      options.cost_form = CostForm::kExponential;
      options.solver =
          variant == Variant::kBalancing ? SpatialSolver::kBalancing : SpatialSolver::kGlm;
      options.spint_iteration = variant == Variant::kSpintGlm;
      const bool spint = variant == Variant::kSpintGlm;
      const SpatialInteractionFit fit =
          FitSpatialInteraction(ForConstraint(austria, ref.constraint), options);
      SCOPED_TRACE(::testing::Message() << "constraint " << static_cast<int>(ref.constraint)
                                        << " variant " << static_cast<int>(variant));
      ASSERT_TRUE(fit.converged);
      EXPECT_EQ(fit.n_obs, 72u);
      EXPECT_EQ(fit.k, ref.params.size());
      if (spint) {
        EXPECT_EQ(fit.iterations, 5);
      }
      const std::vector<double> params = SpintOrder(fit, false), se = SpintOrder(fit, true);
      ASSERT_EQ(params.size(), ref.params.size());
      for (size_t coef_idx = 0; coef_idx < params.size(); ++coef_idx) {
        // spint's test: assert_allclose, rtol 1e-7 plus its atol; spint's own iteration gives the
        // printed values to half a unit of their last digit (at most 8 decimals).
        EXPECT_NEAR(params[coef_idx], ref.params[coef_idx],
                    spint ? 5e-9 + 6e-9 * std::abs(ref.params[coef_idx])
                          : ref.params_atol + 1e-7 * std::abs(ref.params[coef_idx]))
            << "param " << coef_idx;
        const bool no_se = fit.solver == "balancing" &&
                           ref.constraint == SpatialConstraint::kDoubly &&
                           coef_idx + 1 < params.size();
        if (no_se) {
          EXPECT_TRUE(std::isnan(se[coef_idx]));
        } else {
          // Printed to 9 significant digits.
          EXPECT_TRUE(NearRel(se[coef_idx], ref.std_err[coef_idx], spint ? 6e-9 : 2e-4))
              << "se " << coef_idx;
        }
      }
      // spint's test: assertAlmostEqual(delta = 1e-4) on AIC, deviance and llf, assertAlmostEquals
      // (7 places) on the ratios; its own iteration matches them to rounding (1e-11 relative:
      // spint inverts X'WX, we solve by QR).
      const double ratio_tol = spint ? 1e-11 : 5e-8;
      EXPECT_NEAR(fit.aic, ref.aic, spint ? 1e-11 * ref.aic : 1e-4);
      EXPECT_NEAR(fit.deviance, ref.deviance, spint ? 1e-11 * ref.deviance : 5e-4);
      EXPECT_NEAR(fit.llf, ref.llf, spint ? -1e-11 * ref.llf : 1e-4);
      EXPECT_NEAR(fit.llnull, ref.llnull, 1e-7);
      EXPECT_NEAR(fit.d2, ref.d2, ratio_tol);
      EXPECT_NEAR(fit.adj_d2, ref.adj_d2, ratio_tol);
      EXPECT_NEAR(fit.ssi, ref.ssi, ratio_tol);
      EXPECT_NEAR(fit.pseudo_r2, ref.pseudo_r2, ratio_tol);
      EXPECT_NEAR(fit.adj_pseudo_r2, ref.adj_pseudo_r2, ratio_tol);
      EXPECT_NEAR(fit.srmse, ref.srmse, spint ? 1e-11 : 5e-8);
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

// Flows among `n` regions on a plane from a known model: log mu = 3 + a_i + b_j + 0.8 ln V_i +
// 0.6 ln W_j + beta f(d), every off-diagonal pair.
SpatialInteractionData Simulate(size_t n, CostForm form, double beta, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> px(n), py(n), a(n), b(n), v(n), w(n);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    px[region_idx] = rng.Uniform(0, 100);
    py[region_idx] = rng.Uniform(0, 100);
    a[region_idx] = rng.Uniform(-0.5, 0.5);
    b[region_idx] = rng.Uniform(-0.5, 0.5);
    v[region_idx] = rng.Uniform(1000, 50000);
    w[region_idx] = rng.Uniform(1000, 50000);
  }
  SpatialInteractionData data;
  data.n_orig = data.n_dest = n;
  std::vector<double> vo, wd;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double d = std::hypot(px[orig_idx] - px[dest_idx], py[orig_idx] - py[dest_idx]) + 1;
      const double f = form == CostForm::kPower ? std::log(d) : d;
      const double log_mu = -6 + a[orig_idx] + b[dest_idx] + 0.8 * std::log(v[orig_idx]) +
                            0.6 * std::log(w[dest_idx]) + beta * f;
      data.orig.push_back(orig_idx);
      data.dest.push_back(dest_idx);
      data.cost.push_back(d);
      data.flow.push_back(static_cast<double>(rng.Poisson(std::exp(log_mu))));
      vo.push_back(v[orig_idx]);
      wd.push_back(w[dest_idx]);
    }
  }
  data.origin_vars = {vo};
  data.dest_vars = {wd};
  return data;
}

SpatialInteractionData WithoutAbsorbed(SpatialInteractionData data, SpatialConstraint c) {
  if (c == SpatialConstraint::kProduction || c == SpatialConstraint::kDoubly) {
    data.origin_vars.clear();
  }
  if (c == SpatialConstraint::kAttraction || c == SpatialConstraint::kDoubly) {
    data.dest_vars.clear();
  }
  return data;
}

// The two solvers give the same coefficients, standard errors and statistics; the model recovers
// the decay it was simulated with.
TEST(SpatialInteraction, BalancingEqualsGlmAndRecoversTheDecay) {
  const double truth = -1.2;
  const SpatialInteractionData all = Simulate(30, CostForm::kPower, truth, 11);
  for (SpatialConstraint c : {SpatialConstraint::kProduction, SpatialConstraint::kAttraction,
                              SpatialConstraint::kDoubly}) {
    SCOPED_TRACE(static_cast<int>(c));
    const SpatialInteractionData data = WithoutAbsorbed(all, c);
    SpatialInteractionOptions glm_options, balancing_options;
    glm_options.constraint = balancing_options.constraint = c;
    glm_options.cost_form = balancing_options.cost_form = CostForm::kPower;
    glm_options.solver = SpatialSolver::kGlm;
    glm_options.spint_iteration = false;  // the MLE, as the balancing gives it
    balancing_options.solver = SpatialSolver::kBalancing;
    const SpatialInteractionFit glm = FitSpatialInteraction(data, glm_options);
    const SpatialInteractionFit bal = FitSpatialInteraction(data, balancing_options);
    ASSERT_TRUE(glm.converged);
    ASSERT_TRUE(bal.converged);
    EXPECT_EQ(glm.solver, "glm");
    EXPECT_EQ(bal.solver, "balancing");
    EXPECT_EQ(glm.k, bal.k);
    const std::vector<double> pg = SpintOrder(glm, false), pb = SpintOrder(bal, false);
    const std::vector<double> sg = SpintOrder(glm, true), sb = SpintOrder(bal, true);
    ASSERT_EQ(pg.size(), pb.size());
    for (size_t coef_idx = 0; coef_idx < pg.size(); ++coef_idx) {
      EXPECT_TRUE(NearRel(pb[coef_idx], pg[coef_idx], 1e-7, 1e-9)) << coef_idx;
      if (c == SpatialConstraint::kDoubly && coef_idx + 1 < pg.size()) {
        EXPECT_TRUE(std::isnan(sb[coef_idx]));  // documented: no effect SEs from Furness
      } else {
        // Central differences for the doubly-constrained beta; exact otherwise.
        EXPECT_TRUE(
            NearRel(sb[coef_idx], sg[coef_idx], c == SpatialConstraint::kDoubly ? 1e-4 : 1e-7))
            << coef_idx;
      }
    }
    EXPECT_TRUE(NearRel(bal.deviance, glm.deviance, 1e-9));
    EXPECT_TRUE(NearRel(bal.llf, glm.llf, 1e-10));
    EXPECT_TRUE(NearRel(bal.srmse, glm.srmse, 1e-7));
    EXPECT_TRUE(NearRel(bal.ssi, glm.ssi, 1e-8));
    for (size_t obs_idx = 0; obs_idx < data.flow.size(); ++obs_idx) {
      ASSERT_TRUE(NearRel(bal.fitted[obs_idx], glm.fitted[obs_idx], 1e-6)) << obs_idx;
    }
    // Only the doubly-constrained model is the simulated one (the others omit a_i or b_j).
    if (c == SpatialConstraint::kDoubly) {
      EXPECT_LT(std::abs(glm.beta - truth), 4 * glm.beta_se);
    }
  }
}

// The doubly-constrained balancing on more regions than the GLM takes (kAuto picks it): the same
// numbers, to the last bit, for any thread count, and the decay recovered.
TEST(SpatialInteraction, BalancingIsIdenticalForAnyThreadCount) {
  const SpatialInteractionData data =
      WithoutAbsorbed(Simulate(70, CostForm::kPower, -1.1, 21), SpatialConstraint::kDoubly);
  SpatialInteractionOptions options;
  options.cost_form = CostForm::kPower;
  const SpatialInteractionFit one = FitSpatialInteraction(data, options);
  options.threads = 2;
  const SpatialInteractionFit two = FitSpatialInteraction(data, options);
  options.threads = 3;
  const SpatialInteractionFit three = FitSpatialInteraction(data, options);
  ASSERT_TRUE(one.converged);
  EXPECT_EQ(one.solver, "balancing");
  for (const SpatialInteractionFit* other : {&two, &three}) {
    EXPECT_EQ(other->beta, one.beta);
    EXPECT_EQ(other->beta_se, one.beta_se);
    EXPECT_EQ(other->intercept, one.intercept);
    EXPECT_EQ(other->deviance, one.deviance);
    EXPECT_EQ(other->srmse, one.srmse);
    EXPECT_EQ(other->fitted, one.fitted);
    EXPECT_EQ(other->origin_effects, one.origin_effects);
  }
  EXPECT_LT(std::abs(one.beta + 1.1), 4 * one.beta_se);
}

void ExpectSameFit(const SpatialInteractionFit& lhs, const SpatialInteractionFit& rhs) {
  EXPECT_EQ(lhs.beta, rhs.beta);
  EXPECT_EQ(lhs.beta_se, rhs.beta_se);
  EXPECT_EQ(lhs.intercept, rhs.intercept);
  EXPECT_EQ(lhs.origin_effects, rhs.origin_effects);
  EXPECT_EQ(lhs.dest_effects, rhs.dest_effects);
  EXPECT_EQ(lhs.fitted, rhs.fitted);
  for (auto field :
       {&SpatialInteractionFit::deviance, &SpatialInteractionFit::null_deviance,
        &SpatialInteractionFit::llf, &SpatialInteractionFit::llnull, &SpatialInteractionFit::aic,
        &SpatialInteractionFit::d2, &SpatialInteractionFit::adj_d2,
        &SpatialInteractionFit::pseudo_r2, &SpatialInteractionFit::adj_pseudo_r2,
        &SpatialInteractionFit::srmse, &SpatialInteractionFit::ssi}) {
    EXPECT_EQ(lhs.*field, rhs.*field);
  }
  EXPECT_EQ(lhs.n_obs, rhs.n_obs);
  EXPECT_EQ(lhs.n_dropped, rhs.n_dropped);
  EXPECT_EQ(lhs.iterations, rhs.iterations);
  EXPECT_EQ(lhs.converged, rhs.converged);
}

// The regions renumbered at random (codes no longer follow the order of the rows, as when ids
// are sorted as text), so that the design's order (by origin code) differs from the data's.
SpatialInteractionData Renumbered(SpatialInteractionData data, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> code(data.n_orig);
  for (size_t idx = 0; idx < code.size(); ++idx) code[idx] = static_cast<int32_t>(idx);
  for (size_t idx = code.size(); idx > 1; --idx) {
    std::swap(code[idx - 1], code[rng.UniformInt(idx)]);
  }
  for (int32_t& o : data.orig) o = code[static_cast<size_t>(o)];
  for (int32_t& d : data.dest) d = code[static_cast<size_t>(d)];
  return data;
}

// The doubly-constrained balancing straight from the data (options.direct, flows in runs by
// origin) gives the design's figures to the last bit: renumbered regions, an origin and a
// destination with no flows (left out), an origin's flows in two runs, both cost forms, 1 and 2
// threads; and data it does not take (not by origin, a pair given twice) go to the design.
TEST(SpatialInteraction, DirectBalancingIsTheDesignsToTheLastBit) {
  for (CostForm form : {CostForm::kPower, CostForm::kExponential}) {
    SpatialInteractionData data =
        Renumbered(WithoutAbsorbed(Simulate(80, form, form == CostForm::kPower ? -1.2 : -0.02, 31),
                                   SpatialConstraint::kDoubly),
                   32);
    for (size_t obs_idx = 0; obs_idx < data.flow.size(); ++obs_idx) {
      if (data.orig[obs_idx] == 7 || data.dest[obs_idx] == 11) data.flow[obs_idx] = 0;
    }
    // Origin 3's first ten flows moved to the end: a second run of that origin.
    size_t first = 0;
    while (data.orig[first] != 3) ++first;
    for (std::vector<int32_t>* codes : {&data.orig, &data.dest}) {
      std::rotate(codes->begin() + static_cast<std::ptrdiff_t>(first),
                  codes->begin() + static_cast<std::ptrdiff_t>(first + 10), codes->end());
    }
    for (std::vector<double>* values : {&data.flow, &data.cost}) {
      std::rotate(values->begin() + static_cast<std::ptrdiff_t>(first),
                  values->begin() + static_cast<std::ptrdiff_t>(first + 10), values->end());
    }
    for (int threads : {1, 2}) {
      SpatialInteractionOptions options;
      options.cost_form = form;
      options.threads = threads;
      const SpatialInteractionFit direct = FitSpatialInteraction(data, options);
      options.direct = false;
      const SpatialInteractionFit design = FitSpatialInteraction(data, options);
      ASSERT_TRUE(direct.converged);
      EXPECT_EQ(direct.solver, "balancing");
      EXPECT_EQ(direct.n_dropped, 79u + 79u - 1u);
      ExpectSameFit(direct, design);
      // Handed over, the costs' storage holds the kernel: the same fit.
      SpatialInteractionData copy = data;
      options.direct = true;
      ExpectSameFit(FitSpatialInteraction(std::move(copy), options), direct);
      options.fitted = false;
      options.direct = true;
      const SpatialInteractionFit lean = FitSpatialInteraction(data, options);
      EXPECT_TRUE(lean.fitted.empty());
      EXPECT_EQ(lean.beta, direct.beta);
      EXPECT_EQ(lean.deviance, direct.deviance);
      EXPECT_EQ(lean.ssi, direct.ssi);
    }
  }
  SpatialInteractionData data =
      WithoutAbsorbed(Simulate(70, CostForm::kPower, -1.1, 33), SpatialConstraint::kDoubly);
  SpatialInteractionOptions options;
  options.cost_form = CostForm::kPower;
  SpatialInteractionData by_dest = data;  // the flows by destination: one run per flow
  for (size_t obs_idx = 0; obs_idx < data.flow.size(); ++obs_idx) {
    const size_t to = (obs_idx * 69) % data.flow.size();
    by_dest.orig[to] = data.orig[obs_idx];
    by_dest.dest[to] = data.dest[obs_idx];
    by_dest.flow[to] = data.flow[obs_idx];
    by_dest.cost[to] = data.cost[obs_idx];
  }
  SpatialInteractionData twice = data;  // the last pair given twice
  twice.orig.push_back(twice.orig.back());
  twice.dest.push_back(twice.dest.back());
  twice.flow.push_back(3);
  twice.cost.push_back(twice.cost.back());
  for (const SpatialInteractionData* other : {&by_dest, &twice}) {
    options.direct = true;
    const SpatialInteractionFit direct = FitSpatialInteraction(*other, options);
    options.direct = false;
    const SpatialInteractionFit design = FitSpatialInteraction(*other, options);
    ASSERT_TRUE(direct.converged);
    ExpectSameFit(direct, design);
  }
}

// Methods file: the doubly-constrained model equals Furness balancing
// A_i = 1 / sum_j B_j D_j exp(beta f(d_ij)), B_j = 1 / sum_i A_i O_i exp(beta f(d_ij)) at the
// fitted beta: mu_ij = A_i O_i B_j D_j exp(beta f(d_ij)) are the Poisson fit's fitted values.
TEST(SpatialInteraction, FurnessAtTheFittedBetaIsThePoissonFit) {
  for (CostForm form : {CostForm::kExponential, CostForm::kPower}) {
    const SpatialInteractionData data = WithoutAbsorbed(
        Simulate(25, form, form == CostForm::kPower ? -1.5 : -0.02, 5), SpatialConstraint::kDoubly);
    SpatialInteractionOptions options;
    options.constraint = SpatialConstraint::kDoubly;
    options.cost_form = form;
    options.solver = SpatialSolver::kGlm;
    options.spint_iteration = false;
    const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
    ASSERT_TRUE(fit.converged);
    const size_t n = data.n_orig, n_obs = data.flow.size();
    std::vector<double> out(n, 0), in(n, 0), kernel(n_obs);
    for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
      out[data.orig[obs_idx]] += data.flow[obs_idx];
      in[data.dest[obs_idx]] += data.flow[obs_idx];
      const double c = data.cost[obs_idx];
      kernel[obs_idx] = std::exp(fit.beta * (form == CostForm::kPower ? std::log(c) : c));
    }
    std::vector<double> a(n, 1), b(n, 1), sum(n);
    for (int sweep = 0; sweep < 1000; ++sweep) {
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
        sum[data.orig[obs_idx]] += b[data.dest[obs_idx]] * in[data.dest[obs_idx]] * kernel[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n; ++region_idx) a[region_idx] = 1 / sum[region_idx];
      std::fill(sum.begin(), sum.end(), 0.0);
      for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
        sum[data.dest[obs_idx]] +=
            a[data.orig[obs_idx]] * out[data.orig[obs_idx]] * kernel[obs_idx];
      }
      for (size_t region_idx = 0; region_idx < n; ++region_idx) b[region_idx] = 1 / sum[region_idx];
    }
    for (size_t obs_idx = 0; obs_idx < n_obs; ++obs_idx) {
      const size_t o = data.orig[obs_idx], d = data.dest[obs_idx];
      const double furness = a[o] * out[o] * b[d] * in[d] * kernel[obs_idx];
      ASSERT_TRUE(NearRel(furness, fit.fitted[obs_idx], 1e-7)) << obs_idx;
    }
  }
}

TEST(SpatialInteraction, FitStatisticsFollowSpintsFormulas) {
  const SpatialInteractionData data = Simulate(12, CostForm::kExponential, -0.03, 3);
  SpatialInteractionOptions options;
  options.constraint = SpatialConstraint::kNone;
  options.spint_iteration = false;
  const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.k, 4u);  // constant, ln V, ln W, beta
  const double n = static_cast<double>(fit.n_obs), k = 4;
  EXPECT_TRUE(NearRel(fit.aic, -2 * fit.llf + 2 * k));
  EXPECT_TRUE(NearRel(fit.d2, 1 - fit.deviance / fit.null_deviance));
  EXPECT_TRUE(NearRel(fit.adj_d2, 1 - (n - 1) / (n - k) * (1 - fit.d2)));
  EXPECT_TRUE(NearRel(fit.pseudo_r2, 1 - fit.llf / fit.llnull));
  EXPECT_TRUE(NearRel(fit.adj_pseudo_r2, 1 - (fit.llf - k) / fit.llnull));
  EXPECT_GT(fit.ssi, 0);
  EXPECT_LE(fit.ssi, 1);
  // A perfect fit has SRMSE 0 and SSI 1: flows equal to the fitted values of this fit, refitted.
  SpatialInteractionData exact = data;
  exact.flow = fit.fitted;
  const SpatialInteractionFit refit = FitSpatialInteraction(exact, options);
  EXPECT_NEAR(refit.srmse, 0, 1e-8);
  EXPECT_NEAR(refit.ssi, 1, 1e-10);
  EXPECT_NEAR(refit.d2, 1, 1e-8);
}

TEST(SpatialInteraction, DropsAllZeroOriginsAndCountsThem) {
  SpatialInteractionData data =
      WithoutAbsorbed(Simulate(8, CostForm::kPower, -1, 9), SpatialConstraint::kDoubly);
  for (size_t obs_idx = 0; obs_idx < data.flow.size(); ++obs_idx) {
    if (data.orig[obs_idx] == 0) data.flow[obs_idx] = 0;  // the reference origin sends nothing
  }
  SpatialInteractionOptions options;
  options.cost_form = CostForm::kPower;
  for (SpatialSolver solver : {SpatialSolver::kGlm, SpatialSolver::kBalancing}) {
    options.solver = solver;
    const SpatialInteractionFit fit = FitSpatialInteraction(data, options);
    ASSERT_TRUE(fit.converged);
    EXPECT_EQ(fit.n_dropped, 7u);
    EXPECT_EQ(fit.n_obs, 49u);
    EXPECT_TRUE(std::isinf(fit.origin_effects[0]));
    EXPECT_EQ(fit.origin_effects[1], 0.0);  // the new reference
    EXPECT_EQ(fit.fitted[0], 0.0);
    EXPECT_EQ(fit.k, 1u + 6 + 7 + 1);
  }
}

TEST(SpatialInteraction, RejectsBadInput) {
  const SpatialInteractionData good = Simulate(6, CostForm::kPower, -1, 1);
  SpatialInteractionOptions none;
  none.constraint = SpatialConstraint::kNone;
  none.cost_form = CostForm::kPower;
  EXPECT_NO_THROW(FitSpatialInteraction(good, none));
  SpatialInteractionData bad = good;
  bad.flow[3] = -1;
  EXPECT_THROW(FitSpatialInteraction(bad, none), InputError);
  bad = good;
  bad.cost[2] = std::nan("");
  EXPECT_THROW(FitSpatialInteraction(bad, none), InputError);
  bad = good;
  bad.cost[2] = 0;  // ln 0 for the power form
  EXPECT_THROW(FitSpatialInteraction(bad, none), InputError);
  SpatialInteractionOptions exp_form = none;
  exp_form.cost_form = CostForm::kExponential;
  EXPECT_NO_THROW(FitSpatialInteraction(bad, exp_form));
  bad = good;
  bad.dest_vars[0][4] = 0;
  bad.dest_var_names = {"pop"};
  try {
    FitSpatialInteraction(bad, none);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pop of flow 5 is 0"), std::string::npos) << e.what();
  }
  bad = good;
  bad.dest_vars.push_back(bad.dest_vars[0]);  // the same attribute twice: collinear
  bad.dest_var_names = {"pop", "pop2"};
  try {
    FitSpatialInteraction(bad, none);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("collinear"), std::string::npos) << e.what();
  }
  SpatialInteractionOptions production = none;
  production.constraint = SpatialConstraint::kProduction;
  EXPECT_THROW(FitSpatialInteraction(good, production), UsageError);  // origin attributes
  SpatialInteractionData zero = good;
  std::fill(zero.flow.begin(), zero.flow.end(), 0.0);
  EXPECT_THROW(FitSpatialInteraction(WithoutAbsorbed(zero, SpatialConstraint::kDoubly), {}),
               InputError);
}

}  // namespace
}  // namespace kazmig::models

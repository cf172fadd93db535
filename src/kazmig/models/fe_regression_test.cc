#include "kazmig/models/fe_regression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/models/poisson_glm.h"
#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

// A panel with two crossed fixed effects (levels a, b), two covariates, Poisson outcomes.
FeProblem MakePoissonProblem(uint64_t seed, Eigen::Index n, int32_t levels_a, int32_t levels_b,
                             const Eigen::Vector2d& beta) {
  Rng rng(seed);
  FeProblem problem;
  problem.y.resize(n);
  problem.x.resize(n, 2);
  problem.x_names = {"x1", "x2"};
  problem.fe.names = {"a", "b"};
  problem.fe.levels = {levels_a, levels_b};
  problem.fe.codes.assign(2, std::vector<int32_t>(static_cast<size_t>(n)));
  std::vector<double> effect_a(static_cast<size_t>(levels_a));
  std::vector<double> effect_b(static_cast<size_t>(levels_b));
  for (double& value : effect_a) value = rng.Normal(0, 0.5);
  for (double& value : effect_b) value = rng.Normal(0, 0.5);
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    const auto a = static_cast<int32_t>(obs % levels_a);
    const auto b = static_cast<int32_t>(rng.UniformInt(static_cast<uint64_t>(levels_b)));
    problem.fe.codes[0][static_cast<size_t>(obs)] = a;
    problem.fe.codes[1][static_cast<size_t>(obs)] = b;
    problem.x(obs, 0) = rng.Normal() + 0.3 * effect_a[static_cast<size_t>(a)];
    problem.x(obs, 1) = rng.Uniform(-1, 1);
    const double eta = problem.x.row(obs).dot(beta) + effect_a[static_cast<size_t>(a)] +
                       effect_b[static_cast<size_t>(b)] + 1.0;
    problem.y[obs] = static_cast<double>(rng.Poisson(std::exp(eta)));
  }
  return problem;
}

// The design with explicit dummies: covariates, an intercept, dummies for levels 1.. of each
// dimension.
Eigen::MatrixXd DummyDesign(const FeProblem& problem) {
  const Eigen::Index n = problem.y.size();
  Eigen::Index cols = problem.x.cols() + 1;
  for (const int32_t levels : problem.fe.levels) cols += levels - 1;
  Eigen::MatrixXd design = Eigen::MatrixXd::Zero(n, cols);
  design.leftCols(problem.x.cols()) = problem.x;
  design.col(problem.x.cols()).setOnes();
  Eigen::Index at = problem.x.cols() + 1;
  for (size_t dim = 0; dim < problem.fe.dims(); ++dim) {
    for (Eigen::Index obs = 0; obs < n; ++obs) {
      const int32_t code = problem.fe.codes[dim][static_cast<size_t>(obs)];
      if (code > 0) design(obs, at + code - 1) = 1;
    }
    at += problem.fe.levels[dim] - 1;
  }
  return design;
}

FeOptions TightOptions() {
  FeOptions options;
  options.tolerance = 1e-13;
  options.demean_tolerance = 1e-13;
  options.ssc_adjust = false;
  return options;
}

TEST(FitPpml, EqualsPoissonGlmWithExplicitDummies) {
  const FeProblem problem = MakePoissonProblem(7, 600, 12, 9, Eigen::Vector2d(0.4, -0.7));
  const FeResult fit = FitPpml(problem, TightOptions());
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.n_obs, 600);
  PoissonGlmOptions glm_options;
  glm_options.tolerance = 1e-14;
  const PoissonGlmResult glm = FitPoissonGlm(DummyDesign(problem), problem.y, {}, glm_options);
  ASSERT_TRUE(glm.converged);
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_TRUE(NearRel(fit.coefficients[coef], glm.coefficients[coef], 1e-8)) << coef;
    EXPECT_TRUE(NearRel(fit.std_errors[coef], glm.std_errors[coef], 1e-8)) << coef;
  }
  EXPECT_TRUE(NearRel(fit.deviance, glm.deviance, 1e-8));
}

TEST(FitPpml, IidSmallSampleFactorIsNMinusOneOverNMinusK) {
  const FeProblem problem = MakePoissonProblem(8, 300, 10, 5, Eigen::Vector2d(0.2, 0.5));
  FeOptions plain = TightOptions();
  FeOptions adjusted = TightOptions();
  adjusted.ssc_adjust = true;
  const FeResult a = FitPpml(problem, plain);
  const FeResult b = FitPpml(problem, adjusted);
  // K = 2 covariates + (10 - 1) + (5 - 1) + 1.
  EXPECT_EQ(b.n_params, 2 + 9 + 4 + 1);
  const double factor = std::sqrt(299.0 / (300.0 - 16.0));
  EXPECT_TRUE(NearRel(b.std_errors[0], a.std_errors[0] * factor, 1e-12));
}

TEST(FitPpml, OneFixedEffectMatchesClosedFormGivenBeta) {
  FeProblem problem = MakePoissonProblem(9, 400, 15, 3, Eigen::Vector2d(0.3, 0.1));
  problem.fe.names.resize(1);
  problem.fe.codes.resize(1);
  problem.fe.levels.resize(1);
  problem.offset = Eigen::VectorXd::LinSpaced(400, -0.2, 0.2);
  FeOptions options = TightOptions();
  options.recover_fixed_effects = true;
  const FeResult fit = FitPpml(problem, options);
  ASSERT_TRUE(fit.converged);
  ASSERT_EQ(fit.fixed_effects.size(), 1u);
  // alpha_g = log(sum_g y / sum_g exp(x b + offset)).
  std::vector<double> sum_y(15, 0.0);
  std::vector<double> sum_mu(15, 0.0);
  for (Eigen::Index obs = 0; obs < 400; ++obs) {
    const auto g = static_cast<size_t>(problem.fe.codes[0][static_cast<size_t>(obs)]);
    sum_y[g] += problem.y[obs];
    sum_mu[g] += std::exp(problem.x.row(obs).dot(fit.coefficients) + problem.offset[obs]);
  }
  for (size_t g = 0; g < 15; ++g) {
    EXPECT_TRUE(NearRel(fit.fixed_effects[0][static_cast<Eigen::Index>(g)],
                        std::log(sum_y[g] / sum_mu[g]), 1e-9, 1e-10))
        << g;
  }
}

TEST(FitPpml, DropsAllZeroGroupsAndSeparatedObservations) {
  FeProblem problem = MakePoissonProblem(10, 500, 20, 4, Eigen::Vector2d(0.3, 0.2));
  // Level 3 of dimension a: every outcome zero (25 observations).
  long long zero_group = 0;
  for (Eigen::Index obs = 0; obs < 500; ++obs) {
    if (problem.fe.codes[0][static_cast<size_t>(obs)] == 3) {
      problem.y[obs] = 0;
      ++zero_group;
    }
  }
  // A dummy covariate that is 1 only where the outcome is 0: those observations are separated.
  Eigen::MatrixXd x(500, 3);
  x.leftCols(2) = problem.x;
  x.col(2).setZero();
  long long separated = 0;
  for (Eigen::Index obs = 0; obs < 500; ++obs) {
    if (problem.y[obs] == 0 && problem.fe.codes[0][static_cast<size_t>(obs)] != 3 && obs % 3 == 0) {
      x(obs, 2) = 1;
      ++separated;
    }
  }
  ASSERT_GT(separated, 3);
  problem.x = x;
  problem.x_names = {"x1", "x2", "d"};
  const FeResult fit = FitPpml(problem, TightOptions());
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.n_dropped, zero_group + separated);
  EXPECT_EQ(fit.n_obs, 500 - zero_group - separated);
  ASSERT_GE(fit.dropped_reasons.size(), 2u);
  EXPECT_EQ(fit.dropped_reasons[0].count, zero_group);
  EXPECT_NE(fit.dropped_reasons[0].reason.find("'a'"), std::string::npos);
  EXPECT_EQ(fit.dropped_reasons[1].count, separated);
  // After dropping, d is zero everywhere: collinear, reported by name.
  ASSERT_EQ(fit.collinear.size(), 1u);
  EXPECT_EQ(fit.collinear[0], "d");
  EXPECT_TRUE(std::isnan(fit.coefficients[2]));
  EXPECT_TRUE(std::isfinite(fit.coefficients[0]));
}

TEST(FitPpml, InvariantToLevelCodingAndRowOrder) {
  const FeProblem problem = MakePoissonProblem(11, 500, 17, 6, Eigen::Vector2d(0.5, -0.2));
  const FeResult base = FitPpml(problem, TightOptions());
  // Reverse the rows and relabel the levels of a with a permutation.
  FeProblem shuffled = problem;
  const Eigen::Index n = problem.y.size();
  std::vector<int32_t> relabel(17);
  for (int32_t level = 0; level < 17; ++level)
    relabel[static_cast<size_t>(level)] = (level * 5) % 17;
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    const Eigen::Index from = n - 1 - obs;
    shuffled.y[obs] = problem.y[from];
    shuffled.x.row(obs) = problem.x.row(from);
    shuffled.fe.codes[0][static_cast<size_t>(obs)] =
        relabel[static_cast<size_t>(problem.fe.codes[0][static_cast<size_t>(from)])];
    shuffled.fe.codes[1][static_cast<size_t>(obs)] = problem.fe.codes[1][static_cast<size_t>(from)];
  }
  const FeResult other = FitPpml(shuffled, TightOptions());
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_TRUE(NearRel(other.coefficients[coef], base.coefficients[coef], 1e-9));
    EXPECT_TRUE(NearRel(other.std_errors[coef], base.std_errors[coef], 1e-8));
  }
}

TEST(FitPpml, RowsSortedByAFixedEffectGiveTheSameFit) {
  // Sorted by b, then a: long runs of one level in b and short ones in a (the demeaning sums a
  // run in a register before adding it to its group).
  const FeProblem problem = MakePoissonProblem(13, 800, 12, 5, Eigen::Vector2d(0.3, -0.4));
  const Eigen::Index n = problem.y.size();
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index lhs, Eigen::Index rhs) {
    const auto l = static_cast<size_t>(lhs);
    const auto r = static_cast<size_t>(rhs);
    return std::pair(problem.fe.codes[1][l], problem.fe.codes[0][l]) <
           std::pair(problem.fe.codes[1][r], problem.fe.codes[0][r]);
  });
  FeProblem sorted = problem;
  for (Eigen::Index row = 0; row < n; ++row) {
    const Eigen::Index from = order[static_cast<size_t>(row)];
    sorted.y[row] = problem.y[from];
    sorted.x.row(row) = problem.x.row(from);
    for (size_t dim = 0; dim < 2; ++dim) {
      sorted.fe.codes[dim][static_cast<size_t>(row)] =
          problem.fe.codes[dim][static_cast<size_t>(from)];
    }
  }
  const FeResult base = FitPpml(problem, TightOptions());
  const FeResult other = FitPpml(sorted, TightOptions());
  ASSERT_TRUE(base.converged && other.converged);
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_TRUE(NearRel(other.coefficients[coef], base.coefficients[coef], 1e-9)) << coef;
    EXPECT_TRUE(NearRel(other.std_errors[coef], base.std_errors[coef], 1e-8)) << coef;
  }
  EXPECT_TRUE(NearRel(other.deviance, base.deviance, 1e-10));
}

TEST(FitPpml, WithoutFixedEffectsEqualsPoissonGlmWithIntercept) {
  // Zero outcomes and no fixed effect: the separation check runs without a demeaning.
  FeProblem problem = MakePoissonProblem(14, 300, 3, 2, Eigen::Vector2d(0.2, 0.5));
  problem.fe = FixedEffects();
  for (Eigen::Index obs = 0; obs < 300; obs += 7) problem.y[obs] = 0;
  const FeResult fit = FitPpml(problem, TightOptions());
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.n_obs, 300);
  Eigen::MatrixXd design(300, 3);
  design.col(0).setOnes();
  design.rightCols(2) = problem.x;
  PoissonGlmOptions glm_options;
  glm_options.tolerance = 1e-14;
  const PoissonGlmResult glm = FitPoissonGlm(design, problem.y, {}, glm_options);
  ASSERT_TRUE(glm.converged);
  ASSERT_EQ(fit.names.front(), "(Intercept)");
  for (int coef = 0; coef < 3; ++coef) {
    EXPECT_TRUE(NearRel(fit.coefficients[coef], glm.coefficients[coef], 1e-8)) << coef;
  }
  EXPECT_TRUE(NearRel(fit.deviance, glm.deviance, 1e-8));
}

TEST(FitPpml, ResultsIdenticalForAnyThreadCount) {
  const FeProblem problem = MakePoissonProblem(12, 3000, 50, 30, Eigen::Vector2d(0.1, 0.2));
  FeOptions one;
  one.threads = 1;
  FeOptions three;
  three.threads = 3;
  const FeResult a = FitPpml(problem, one);
  const FeResult b = FitPpml(problem, three);
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_EQ(a.coefficients[coef], b.coefficients[coef]);
    EXPECT_EQ(a.std_errors[coef], b.std_errors[coef]);
  }
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.deviance, b.deviance);
}

TEST(FitPpml, KnownBetaCoveredByNinetyFivePercentIntervalsInMostReplications) {
  // 200 seeded replications of a small panel; the 95% Wald interval should cover the truth in
  // about 95% of them (90-98% accepts the binomial spread: sd = 1.5 points).
  const Eigen::Vector2d truth(0.5, -0.3);
  int covered = 0;
  const int replications = 200;
  for (int rep = 0; rep < replications; ++rep) {
    const FeProblem problem =
        MakePoissonProblem(1000 + static_cast<uint64_t>(rep), 400, 10, 8, truth);
    const FeResult fit = FitPpml(problem);
    ASSERT_TRUE(fit.converged);
    if (std::abs(fit.coefficients[0] - truth[0]) < 1.959964 * fit.std_errors[0]) ++covered;
  }
  const double share = static_cast<double>(covered) / replications;
  EXPECT_GE(share, 0.90);
  EXPECT_LE(share, 0.98);
}

// An OLS problem with two fixed effects.
FeProblem MakeLinearProblem(uint64_t seed, Eigen::Index n, int32_t levels_a, int32_t levels_b) {
  FeProblem problem = MakePoissonProblem(seed, n, levels_a, levels_b, Eigen::Vector2d(0.1, 0.1));
  Rng rng(seed + 99);
  for (Eigen::Index obs = 0; obs < n; ++obs) {
    problem.y[obs] = 1.5 * problem.x(obs, 0) - 0.5 * problem.x(obs, 1) +
                     0.2 * problem.fe.codes[0][static_cast<size_t>(obs)] -
                     0.1 * problem.fe.codes[1][static_cast<size_t>(obs)] + rng.Normal();
  }
  return problem;
}

TEST(FitOlsFe, EqualsOlsWithExplicitDummies) {
  const FeProblem problem = MakeLinearProblem(21, 500, 14, 6);
  FeOptions options = TightOptions();
  options.ssc_adjust = true;
  const FeResult fit = FitOlsFe(problem, options);
  const Eigen::MatrixXd design = DummyDesign(problem);
  const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(problem.y);
  const Eigen::VectorXd residual = problem.y - design * beta;
  const double n = 500;
  const double p = static_cast<double>(design.cols());
  const Eigen::MatrixXd vcov =
      (design.transpose() * design).inverse() * residual.squaredNorm() / (n - p);
  EXPECT_EQ(fit.n_params, design.cols());
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_TRUE(NearRel(fit.coefficients[coef], beta[coef], 1e-10)) << coef;
    EXPECT_TRUE(NearRel(fit.std_errors[coef], std::sqrt(vcov(coef, coef)), 1e-9)) << coef;
  }
  const double tss = (problem.y.array() - problem.y.mean()).matrix().squaredNorm();
  EXPECT_TRUE(NearRel(fit.r2, 1 - residual.squaredNorm() / tss, 1e-10));
  EXPECT_GT(fit.r2, fit.r2_within);
  // HC1: B (sum x~ e e x~') B * n / (n - K), the same with dummies (partialled out).
  options.vcov = VcovType::kHc1;
  const FeResult hc1 = FitOlsFe(problem, options);
  const Eigen::MatrixXd bread = (design.transpose() * design).inverse();
  const Eigen::MatrixXd scores = design.array().colwise() * residual.array();
  const Eigen::MatrixXd hc = bread * (scores.transpose() * scores) * bread * (n / (n - p));
  for (int coef = 0; coef < 2; ++coef) {
    EXPECT_TRUE(NearRel(hc1.std_errors[coef], std::sqrt(hc(coef, coef)), 1e-8)) << coef;
  }
}

TEST(FitOlsFe, WithoutFixedEffectsAddsAnIntercept) {
  FeProblem problem = MakeLinearProblem(22, 200, 5, 5);
  problem.fe = FixedEffects();
  const FeResult fit = FitOlsFe(problem);
  ASSERT_EQ(fit.names.size(), 3u);
  EXPECT_EQ(fit.names[0], "(Intercept)");
  Eigen::MatrixXd design(200, 3);
  design.col(0).setOnes();
  design.rightCols(2) = problem.x;
  const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(problem.y);
  for (int coef = 0; coef < 3; ++coef) {
    EXPECT_TRUE(NearRel(fit.coefficients[coef], beta[coef], 1e-10));
  }
  EXPECT_EQ(fit.r2, fit.r2_within);
}

TEST(FitOlsFe, TwoWayClusteredMatchesHandComputation) {
  FeProblem problem = MakeLinearProblem(23, 240, 8, 6);
  problem.fe = FixedEffects();
  // Clusters: 12 firms (obs % 12) and 10 years (obs / 24).
  std::vector<int32_t> firm(240);
  std::vector<int32_t> year(240);
  for (size_t obs = 0; obs < 240; ++obs) {
    firm[obs] = static_cast<int32_t>(obs % 12);
    year[obs] = static_cast<int32_t>(obs / 24);
  }
  problem.clusters = {firm, year};
  FeOptions options;
  options.vcov = VcovType::kCluster;
  const FeResult fit = FitOlsFe(problem, options);
  // By hand: X with an intercept, e = y - X b, meat_c = sum_g S_g S_g' with S_g = sum_{i in g}
  // x_i e_i, for firms, years and firm-year cells (2 observations each).
  Eigen::MatrixXd design(240, 3);
  design.col(0).setOnes();
  design.rightCols(2) = problem.x;
  const Eigen::VectorXd beta =
      (design.transpose() * design).ldlt().solve(design.transpose() * problem.y);
  const Eigen::VectorXd e = problem.y - design * beta;
  auto meat = [&](auto key) {
    std::map<long, Eigen::VectorXd> sums;
    for (size_t obs = 0; obs < 240; ++obs) {
      auto [it, inserted] = sums.emplace(key(obs), Eigen::VectorXd::Zero(3));
      it->second += design.row(static_cast<Eigen::Index>(obs)).transpose() *
                    e[static_cast<Eigen::Index>(obs)];
    }
    Eigen::MatrixXd total = Eigen::MatrixXd::Zero(3, 3);
    for (const auto& [k, s] : sums) total += s * s.transpose();
    return total;
  };
  const Eigen::MatrixXd m = meat([&](size_t obs) { return static_cast<long>(firm[obs]); }) +
                            meat([&](size_t obs) { return static_cast<long>(year[obs]); }) -
                            meat([&](size_t obs) { return 100L * firm[obs] + year[obs]; });
  const Eigen::MatrixXd bread = (design.transpose() * design).inverse();
  // G_min = 10 years; K = 3 (no fixed effects).
  const Eigen::MatrixXd v = bread * m * bread * (10.0 / 9.0) * (239.0 / (240.0 - 3.0));
  for (int coef = 0; coef < 3; ++coef) {
    EXPECT_TRUE(NearRel(fit.std_errors[coef], std::sqrt(v(coef, coef)), 1e-9)) << coef;
  }
  EXPECT_EQ(fit.t_df, 9);
}

TEST(FitOlsFe, ClusterNestingRemovesNestedFixedEffectsFromK) {
  const FeProblem base = MakeLinearProblem(24, 300, 10, 5);
  FeProblem problem = base;
  problem.clusters = {problem.fe.codes[0]};  // a is nested in the cluster (it is the cluster)
  FeOptions options;
  options.vcov = VcovType::kCluster;
  const FeResult fit = FitOlsFe(problem, options);
  EXPECT_EQ(fit.n_params, 2 + (5 - 1));
  EXPECT_EQ(fit.t_df, 9);
}

TEST(FitOlsFe, CollinearCovariateIsNamed) {
  FeProblem problem = MakeLinearProblem(25, 200, 10, 4);
  Eigen::MatrixXd x(200, 3);
  x.leftCols(2) = problem.x;
  // Constant within a: collinear with the fixed effect.
  for (Eigen::Index obs = 0; obs < 200; ++obs) {
    x(obs, 2) = 0.5 * problem.fe.codes[0][static_cast<size_t>(obs)];
  }
  problem.x = x;
  problem.x_names = {"x1", "x2", "by_a"};
  const FeResult fit = FitOlsFe(problem);
  ASSERT_EQ(fit.collinear.size(), 1u);
  EXPECT_EQ(fit.collinear[0], "by_a");
  EXPECT_TRUE(std::isfinite(fit.std_errors[0]));
}

TEST(Demeaner, ThreeDimensionsConvergeToTheProjection) {
  // The demeaned column is orthogonal to every dummy (weighted): group sums of w r are zero.
  const FeProblem problem = MakePoissonProblem(31, 2000, 40, 25, Eigen::Vector2d(0.1, 0.1));
  FixedEffects fe = problem.fe;
  std::vector<int32_t> third(2000);
  for (size_t obs = 0; obs < 2000; ++obs) third[obs] = static_cast<int32_t>((obs * 7) % 13);
  fe.names.push_back("c");
  fe.codes.push_back(third);
  fe.levels.push_back(13);
  Demeaner demeaner(fe, 2);
  Eigen::VectorXd w = Eigen::VectorXd::LinSpaced(2000, 0.5, 2.0);
  demeaner.SetWeights(w);
  Eigen::MatrixXd columns = problem.x;
  DemeanOptions options;
  options.tolerance = 1e-12;
  const DemeanStats stats = demeaner.Demean(columns, options);
  EXPECT_TRUE(stats.converged);
  for (size_t dim = 0; dim < 3; ++dim) {
    std::vector<double> sums(static_cast<size_t>(fe.levels[dim]), 0.0);
    for (size_t obs = 0; obs < 2000; ++obs) {
      sums[static_cast<size_t>(fe.codes[dim][obs])] +=
          w[static_cast<Eigen::Index>(obs)] * columns(static_cast<Eigen::Index>(obs), 0);
    }
    for (const double sum : sums) EXPECT_LT(std::abs(sum), 1e-8);
  }
}

TEST(FitPpml, NonConvergenceIsReportedNotThrown) {
  const FeProblem problem = MakePoissonProblem(53, 300, 10, 4, Eigen::Vector2d(0.3, -0.2));
  FeOptions options;
  options.max_iterations = 2;
  const FeResult fit = FitPpml(problem, options);
  EXPECT_FALSE(fit.converged);
  EXPECT_EQ(fit.iterations, 2);
  EXPECT_GT(fit.relative_change, options.tolerance);
}

TEST(FitPpml, RejectsNegativeOutcome) {
  FeProblem problem = MakePoissonProblem(41, 50, 5, 2, Eigen::Vector2d(0.1, 0.1));
  problem.y[3] = -1;
  EXPECT_THROW(FitPpml(problem), InputError);
}

TEST(FitFe, IntegerWeightsEqualDuplicatedRows) {
  // Weight 2 on every third row equals that row given twice (coefficients; OLS and PPML).
  const FeProblem problem = MakePoissonProblem(51, 300, 10, 4, Eigen::Vector2d(0.3, -0.2));
  FeProblem weighted = problem;
  weighted.weights = Eigen::VectorXd::Ones(300);
  FeProblem duplicated = problem;
  std::vector<Eigen::Index> extra;
  for (Eigen::Index obs = 0; obs < 300; obs += 3) {
    weighted.weights[obs] = 2;
    extra.push_back(obs);
  }
  const Eigen::Index n = 300 + static_cast<Eigen::Index>(extra.size());
  duplicated.y.conservativeResize(n);
  duplicated.x.conservativeResize(n, 2);
  for (size_t idx = 0; idx < extra.size(); ++idx) {
    const Eigen::Index row = 300 + static_cast<Eigen::Index>(idx);
    duplicated.y[row] = problem.y[extra[idx]];
    duplicated.x.row(row) = problem.x.row(extra[idx]);
    for (size_t dim = 0; dim < 2; ++dim) {
      duplicated.fe.codes[dim].push_back(problem.fe.codes[dim][static_cast<size_t>(extra[idx])]);
    }
  }
  const FeOptions options = TightOptions();
  for (const bool ppml : {true, false}) {
    const FeResult a = ppml ? FitPpml(weighted, options) : FitOlsFe(weighted, options);
    const FeResult b = ppml ? FitPpml(duplicated, options) : FitOlsFe(duplicated, options);
    for (int coef = 0; coef < 2; ++coef) {
      EXPECT_TRUE(NearRel(a.coefficients[coef], b.coefficients[coef], 1e-9)) << ppml;
    }
  }
}

TEST(FitPpml, OffsetShiftsTheLinearPredictor) {
  // An offset equal to 0.7 x2 gives x2's coefficient minus 0.7, the other one unchanged.
  const FeProblem problem = MakePoissonProblem(52, 400, 12, 5, Eigen::Vector2d(0.4, 0.9));
  FeProblem shifted = problem;
  shifted.offset = 0.7 * problem.x.col(1);
  const FeResult a = FitPpml(problem, TightOptions());
  const FeResult b = FitPpml(shifted, TightOptions());
  EXPECT_TRUE(NearRel(b.coefficients[0], a.coefficients[0], 1e-9));
  EXPECT_TRUE(NearRel(b.coefficients[1], a.coefficients[1] - 0.7, 1e-9));
  EXPECT_TRUE(NearRel(b.deviance, a.deviance, 1e-9));
}

TEST(Statistics, PValuesAndCriticalValues) {
  EXPECT_TRUE(NearRel(CriticalValue(0.95, 0), 1.959963984540054, 1e-10));
  EXPECT_TRUE(NearRel(TwoSidedPValue(1.959963984540054, 0), 0.05, 1e-10));
  // Student t: qt(0.975, 9) = 2.262157162740992, qt(0.975, 1) = 12.70620473617471 (R).
  EXPECT_TRUE(NearRel(CriticalValue(0.95, 9), 2.262157162740992, 1e-10));
  EXPECT_TRUE(NearRel(CriticalValue(0.95, 1), 12.70620473617471, 1e-10));
  // 2 * pt(-2, 5) = 0.10193947882986 (Simpson integration of the density, 2e5 panels).
  EXPECT_TRUE(NearRel(TwoSidedPValue(-2, 5), 0.10193947882986, 1e-12));
}

}  // namespace
}  // namespace kazmig::models

#include "kazmig/models/spatial_interaction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig::models {
namespace {

using ::kazmig::testing::NearRel;

// Reads the Austria flows (orig,dest,flow,dij,...) into flows and distances.
void ReadAustria(const std::filesystem::path& path, FlowMatrix& flows, FlowMatrix& dist) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::map<std::string, size_t> index;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::vector<std::string> fields;
    std::string field;
    while (std::getline(ss, field, ',')) fields.push_back(field);
    rows.push_back(fields);
    index.emplace(fields[0], 0);
    index.emplace(fields[1], 0);
  }
  std::vector<std::string> ids;
  for (auto& [id, idx] : index) {
    idx = ids.size();
    ids.push_back(id);
  }
  flows = FlowMatrix(ids);
  dist = FlowMatrix(ids, 1.0);
  for (const auto& r : rows) {
    flows(index[r[0]], index[r[1]]) = std::stod(r[2]);
    dist(index[r[0]], index[r[1]]) = std::stod(r[3]);
  }
}

// Reference (methods/models.md): spint's doubly-constrained exp-cost fit of Dennett (2012).
TEST(DoublyConstrained, AustriaReferenceBothSolvers) {
  KAZMIG_REQUIRE_SHARED_DATA(data);
  FlowMatrix flows, dist;
  ReadAustria(data / "austria_dennett2012" / "austria_flows.csv", flows, dist);
  ASSERT_EQ(flows.size(), 9u);
  for (auto solver : {DoublyConstrainedSolver::kGlm, DoublyConstrainedSolver::kProfile}) {
    DoublyConstrainedOptions options;
    options.solver = solver;
    const DoublyConstrainedFit fit =
        FitDoublyConstrained(flows, dist, CostForm::kExponential, options);
    ASSERT_TRUE(fit.converged) << fit.solver;
    EXPECT_EQ(fit.observations, 72u);
    // References printed to 6-8 significant digits.
    EXPECT_TRUE(NearRel(fit.beta, -0.00791533, 1e-6)) << fit.solver << " " << fit.beta;
    EXPECT_TRUE(NearRel(fit.deviance, 9360.482, 1e-6)) << fit.solver << " " << fit.deviance;
    EXPECT_TRUE(NearRel(fit.log_likelihood, -4970.5796, 1e-7)) << fit.solver;
  }
}

// Simulated doubly-constrained flows with a known decay; both solvers agree and recover it.
TEST(DoublyConstrained, SolversAgreeAndRecoverKnownDecay) {
  Rng rng(77);
  const size_t n = 25;
  FlowMatrix flows(n), dist(n);
  std::vector<double> x(n), y(n), a(n), b(n);
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    x[region_idx] = rng.Uniform(0, 100);
    y[region_idx] = rng.Uniform(0, 100);
    a[region_idx] = rng.Uniform(5, 7);
    b[region_idx] = rng.Uniform(0, 1);
  }
  const double truth = -1.3;
  for (size_t orig_idx = 0; orig_idx < n; ++orig_idx) {
    for (size_t dest_idx = 0; dest_idx < n; ++dest_idx) {
      if (orig_idx == dest_idx) continue;
      const double d = std::hypot(x[orig_idx] - x[dest_idx], y[orig_idx] - y[dest_idx]) + 1;
      dist(orig_idx, dest_idx) = d;
      flows(orig_idx, dest_idx) = static_cast<double>(
          rng.Poisson(std::exp(a[orig_idx] + b[dest_idx] + truth * std::log(d) + 3)));
    }
  }
  DoublyConstrainedOptions glm_options, profile_options;
  glm_options.solver = DoublyConstrainedSolver::kGlm;
  profile_options.solver = DoublyConstrainedSolver::kProfile;
  const auto glm = FitDoublyConstrained(flows, dist, CostForm::kPower, glm_options);
  const auto profile = FitDoublyConstrained(flows, dist, CostForm::kPower, profile_options);
  ASSERT_TRUE(glm.converged);
  ASSERT_TRUE(profile.converged);
  EXPECT_TRUE(NearRel(glm.beta, profile.beta, 1e-7));
  EXPECT_TRUE(NearRel(glm.deviance, profile.deviance, 1e-7));
  EXPECT_TRUE(NearRel(glm.beta_se, profile.beta_se, 1e-3));
  EXPECT_LT(std::abs(glm.beta - truth), 4 * glm.beta_se);
  // Doubly constrained: fitted margins equal observed margins.
  const auto fo = glm.fitted.RowSums(), oo = flows.RowSums();
  const auto fd = profile.fitted.ColSums(), od = flows.ColSums();
  for (size_t region_idx = 0; region_idx < n; ++region_idx) {
    EXPECT_TRUE(NearRel(fo[region_idx], oo[region_idx], 1e-6));
    EXPECT_TRUE(NearRel(fd[region_idx], od[region_idx], 1e-9));
  }
}

TEST(DoublyConstrained, LeavesOutSilentRegionsAndRejectsBadCosts) {
  FlowMatrix flows(4), dist(4, 10.0);
  // Region 3 neither sends nor receives.
  flows(0, 1) = 5;
  flows(1, 2) = 7;
  flows(2, 0) = 3;
  flows(0, 2) = 4;
  flows(1, 0) = 1;
  flows(2, 1) = 2;
  dist(0, 1) = 3;
  const auto fit = FitDoublyConstrained(flows, dist, CostForm::kPower);
  EXPECT_EQ(fit.observations, 6u);
  EXPECT_EQ(fit.fitted(3, 0), 0.0);
  FlowMatrix zero = dist;
  zero(0, 1) = 0;
  EXPECT_THROW(FitDoublyConstrained(flows, zero, CostForm::kPower), InputError);
  FlowMatrix negative = flows;
  negative(0, 2) = -4;
  EXPECT_THROW(FitDoublyConstrained(negative, dist, CostForm::kPower), InputError);
  EXPECT_THROW(FitDoublyConstrained(FlowMatrix(3), dist, CostForm::kPower), ComputeError);
  FlowMatrix lone(3);
  lone(0, 1) = 4;
  EXPECT_THROW(FitDoublyConstrained(lone, FlowMatrix(3, 1.0), CostForm::kPower), ComputeError);
}

}  // namespace
}  // namespace kazmig::models

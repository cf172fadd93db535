#include "kazmig/core/crosswalk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "kazmig/core/error.h"
#include "kazmig/core/rng.h"
#include "kazmig/testing/testing.h"

namespace kazmig {
namespace {

using ::kazmig::testing::NearRel;

// Average population 2022 at 2022 borders (BNS table 6576), rounded: only the split units matter.
std::map<std::string, double> Weights() {
  return {{"10", 612000}, {"63", 727000},  {"19", 1486000}, {"33", 697000}, {"35", 1134000},
          {"62", 221000}, {"61", 2074000}, {"79", 1185000}, {"11", 788000}, {"71", 1300000}};
}

std::vector<double> Values(const RegionSystem& system, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(system.size());
  for (auto& x : v) x = std::floor(rng.Uniform(0, 1e5)) + rng.Uniform01();
  return v;
}

TEST(Crosswalk, SplitsByWeightAndMergesBySum) {
  const auto& kz2018 = RegionSystem::Builtin("kz-2018");
  const auto& kz2022 = RegionSystem::Builtin("kz-2022");
  Crosswalk to2022(kz2018, kz2022, Weights());
  std::vector<double> v(kz2018.size(), 0.0);
  v[*kz2018.IndexOfId("63")] = 1000;  // East Kazakhstan at 2018 borders
  const auto out = to2022.ConvertCounts(v);
  EXPECT_TRUE(NearRel(out[*kz2022.IndexOfId("10")], 1000.0 * 612 / (612 + 727)));
  EXPECT_TRUE(NearRel(out[*kz2022.IndexOfId("63")], 1000.0 * 727 / (612 + 727)));
  EXPECT_EQ(std::accumulate(out.begin(), out.end(), 0.0), 1000.0);
  Crosswalk back(kz2022, kz2018, Weights());
  EXPECT_EQ(back.ConvertCounts(out), v);
}

TEST(Crosswalk, CountRoundTripsAreExactForEveryPairOfVintages) {
  for (const auto& from_name : RegionSystem::BuiltinNames()) {
    for (const auto& to_name : RegionSystem::BuiltinNames()) {
      const auto& from = RegionSystem::Builtin(from_name);
      const auto& to = RegionSystem::Builtin(to_name);
      // Split then merge reproduces the input exactly (coarse -> fine -> coarse).
      if (from.size() > to.size()) continue;
      for (uint64_t seed = 1; seed <= 20; ++seed) {
        const auto v = Values(from, seed);
        const auto there = Crosswalk(from, to, Weights()).ConvertCounts(v);
        const auto back = Crosswalk(to, from, Weights()).ConvertCounts(there);
        ASSERT_EQ(back, v) << from_name << " -> " << to_name << " seed " << seed;
        EXPECT_TRUE(NearRel(std::accumulate(there.begin(), there.end(), 0.0),
                            std::accumulate(v.begin(), v.end(), 0.0), 1e-12));
      }
    }
  }
}

TEST(Crosswalk, RatesAreCopiedOnSplitAndWeightedOnMerge) {
  const auto& kz2009 = RegionSystem::Builtin("kz-2009");
  const auto& kz2022 = RegionSystem::Builtin("kz-2022");
  std::vector<double> rates(kz2009.size(), 5.0);
  rates[*kz2009.IndexOfId("51")] = 12.5;
  const auto fine = Crosswalk(kz2009, kz2022, Weights()).ConvertRates(rates);
  EXPECT_EQ(fine[*kz2022.IndexOfId("61")], 12.5);
  EXPECT_EQ(fine[*kz2022.IndexOfId("79")], 12.5);
  std::vector<double> r2022(kz2022.size(), 1.0);
  r2022[*kz2022.IndexOfId("61")] = 10.0;
  r2022[*kz2022.IndexOfId("79")] = 20.0;
  const auto coarse = Crosswalk(kz2022, kz2009, Weights()).ConvertRates(r2022);
  EXPECT_TRUE(
      NearRel(coarse[*kz2009.IndexOfId("51")], (10.0 * 2074 + 20.0 * 1185) / (2074 + 1185)));
  EXPECT_EQ(coarse[*kz2009.IndexOfId("71")], 1.0);
}

TEST(Crosswalk, MissingWeightIsAnInputErrorNamingTheRegion) {
  auto weights = Weights();
  weights.erase("33");
  try {
    Crosswalk(RegionSystem::Builtin("kz-2018"), RegionSystem::Builtin("kz-2022"), weights);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("33"), std::string::npos) << e.what();
  }
  // Identity conversion needs no weights at all.
  EXPECT_NO_THROW(
      Crosswalk(RegionSystem::Builtin("kz-2022"), RegionSystem::Builtin("kz-2022"), {}));
  EXPECT_THROW(Crosswalk(RegionSystem::FromIds("x", {"a"}), RegionSystem::Builtin("kz-2022"), {}),
               UsageError);
}

TEST(Crosswalk, WrongLengthIsAnError) {
  Crosswalk cw(RegionSystem::Builtin("kz-2022"), RegionSystem::Builtin("kz-2022"), {});
  EXPECT_THROW(cw.ConvertCounts({1.0, 2.0}), InputError);
}

}  // namespace
}  // namespace kazmig

#include "kazmig/app/risk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::TempDir;

// The built-in index runs for every year with data and says which components are missing in
// which year (data/kz/SOURCES.md: net_all 2023-2024, housing to 2022, births/deaths/income and
// internal migration 2022-2024 at 2022 borders, unemployment and population_avg to 2025).
TEST(RiskUseCase, BuiltInIndexRunsForEveryYearWithData) {
  TempDir tmp;
  KzDataset kz =
      KzDataset::Open(tmp.path() / "kz.db", ::kazmig::testing::SourceDir() / "data" / "kz");
  RiskRequest request;
  request.draws = 100;
  const RiskResult latest = ComputeKzRisk(kz, request);
  EXPECT_EQ(latest.year, 2024);  // the latest year with the most components
  std::vector<int> years;
  for (const RiskResult::YearCoverage& coverage : latest.coverage) years.push_back(coverage.year);
  EXPECT_EQ(years, (std::vector<int>{2022, 2023, 2024, 2025}));
  const std::set<std::string> always_missing = {"net_migration_rate_5y",
                                                "net_migration_volatility"};
  for (const RiskResult::YearCoverage& coverage : latest.coverage) {
    request.year = coverage.year;
    const RiskResult result = ComputeKzRisk(kz, request);
    ASSERT_EQ(result.regions.size(), 20u) << coverage.year;
    EXPECT_EQ(result.components.size(), coverage.available.size());
    EXPECT_EQ(result.components.size() + coverage.missing.size(), 10u);
    std::set<std::string> missing;
    for (const auto& [name, reason] : coverage.missing) {
      missing.insert(name);
      EXPECT_FALSE(reason.empty());
    }
    for (const std::string& name : always_missing) EXPECT_TRUE(missing.count(name)) << name;
    const bool has_net_all = coverage.year == 2023 || coverage.year == 2024;
    EXPECT_EQ(missing.count("net_migration_rate_1y"), has_net_all ? 0u : 1u);
    EXPECT_EQ(missing.count("arrivals_per_housing"), coverage.year == 2022 ? 0u : 1u);
    // The JSON names the missing components of the year.
    EXPECT_EQ(result.method["missing_components"].size(), coverage.missing.size());
    // Ranks 1..20, each band inside [1, 20] and around its median.
    std::vector<int> ranks;
    for (const RiskRegion& region : result.regions) {
      ranks.push_back(region.rank);
      EXPECT_LE(region.rank_p05, region.median_rank);
      EXPECT_GE(region.rank_p95, region.median_rank);
      EXPECT_EQ(region.components.size(), result.components.size());
    }
    for (int rank = 1; rank <= 20; ++rank) EXPECT_EQ(ranks[static_cast<size_t>(rank - 1)], rank);
  }
  // 2023: East Kazakhstan's unemployment is flagged in the source and excluded; it is imputed
  // from 2022, said so, and the component's inputs are marked estimated.
  request.year = 2023;
  const RiskResult y2023 = ComputeKzRisk(kz, request);
  ASSERT_EQ(y2023.method["imputed"].size(), 1u);
  EXPECT_EQ(y2023.method["imputed"][0]["region"], "63");
  EXPECT_EQ(y2023.method["imputed"][0]["from_year"], 2022);
  for (const RiskComponentInfo& info : y2023.components) {
    EXPECT_EQ(info.inputs == "official", info.name != "unemployment") << info.name;
  }
  // A year without data names the years that have it.
  request.year = 2015;
  try {
    ComputeKzRisk(kz, request);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("years with data: 2022–2025"), std::string::npos)
        << error.what();
  }
}

TEST(RiskUseCase, ThreadsDoNotChangeTheResult) {
  TempDir tmp;
  const auto path = tmp.Write("c.csv",
                              "region,component,value,direction\n"
                              "A,u,4,+\nB,u,6,+\nC,u,9,+\nD,u,5,+\n"
                              "A,i,120,-\nB,i,100,-\nC,i,80,-\nD,i,90,-\n"
                              "A,p,5,-\nB,p,-10,-\nC,p,0,-\nD,p,-3,-\n");
  RiskRequest request;
  request.data = path.string();
  request.draws = 300;
  request.threads = 1;
  const std::string one = EncodeRisk(RunRisk(request), Format::kCsv);
  request.threads = 3;
  EXPECT_EQ(EncodeRisk(RunRisk(request), Format::kCsv), one);
}

}  // namespace
}  // namespace kazmig::app

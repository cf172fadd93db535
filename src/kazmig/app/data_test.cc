// Tests of the `kazmig data` use cases: the built-in dataset rebuilt byte for byte from the
// collected sources (skipped without ../shared/data) and its model-based OD estimate.
#include "kazmig/app/data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/builtin.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::TempDir;
namespace fs = std::filesystem;

TEST(Builtin, RebuildEqualsTheCommittedDataset) {
  KAZMIG_REQUIRE_SHARED_DATA(shared);
  const fs::path committed = kazmig::testing::SourceDir() / "data" / "kz";
  if (!fs::exists(committed / "indicators.csv")) GTEST_SKIP() << "data/kz not generated";
  TempDir tmp;
  BuildBuiltinDataset(shared, tmp.path() / "kz");
  size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path() / "kz")) {
    const fs::path name = entry.path().filename();
    ASSERT_TRUE(fs::exists(committed / name)) << name << " is not committed";
    EXPECT_EQ(io::ReadFile(entry.path()), io::ReadFile(committed / name))
        << name << " differs: run `kazmig data build-builtin --from ../shared/data --out data/kz`";
    ++compared;
  }
  EXPECT_GE(compared, 20u);
  // And every committed CSV of the dataset is produced by the build, except the country-name
  // table, which scripts/country_names.py makes from Debian's iso-codes (not from shared data).
  for (const auto& entry : fs::directory_iterator(committed)) {
    if (entry.path().extension() == ".csv" && entry.path().filename() != "country_names.csv") {
      EXPECT_TRUE(fs::exists(tmp.path() / "kz" / entry.path().filename()))
          << entry.path().filename() << " is committed but no longer built";
    }
  }
}

// The estimated inter-regional OD matrix of the built-in dataset: only years whose official nets
// are complete, every flow estimated and inside its band, rounded to importers::kOdDecimals, and
// the official nets reproduced to within that rounding.
TEST(ImportFile, ImplausibleYearIsAUsageErrorNamingTheRange) {
  TempDir tmp;
  const DataStore where{(tmp.path() / "kazmig.db").string(), tmp.path() / "no-builtin"};
  DataImportRequest request;
  request.format = "internal-migration";
  request.file = (tmp.path() / "missing.xlsx").string();  // never read: the year fails first
  for (int year : {1700, 1899, 2101, -5}) {
    request.year = year;
    try {
      ImportFile(where, request);
      ADD_FAILURE() << "--year " << year << " accepted";
    } catch (const UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("1900..2100"), std::string::npos) << error.what();
    }
  }
  EXPECT_FALSE(fs::exists(tmp.path() / "kazmig.db"));  // nothing written
}

TEST(EstimatedInternalOd, CompleteYearsOnlyBandsHoldNetsReproduced) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  store::Batch official;
  const Provenance bns = Provenance::Official("BNS", "test");
  for (size_t idx = 0; idx < kz2022.size(); ++idx) {
    const std::string& id = kz2022[idx].id;
    for (int year : {2023, 2024}) {
      official.series.push_back({"population_avg", "kz-2022", id, year,
                                 500000.0 + 10000.0 * static_cast<double>(idx), bns});
      // 2023 lacks Ulytau (62): incomplete, no matrix.
      if (year == 2023 && id == "62") continue;
      const double net = id == "71"   ? 4000
                         : id == "75" ? 1500
                         : id == "61" ? -3000
                         : id == "10" ? -2500
                                      : 0;
      official.series.push_back({"net_internal", "kz-2022", id, year, net, bns});
    }
  }
  const store::Batch od = EstimatedInternalOd(official);
  ASSERT_EQ(od.indicators.size(), 1u);
  EXPECT_EQ(od.indicators[0].name, "od_internal_estimated");
  ASSERT_EQ(od.flows.size(), kz2022.size() * (kz2022.size() - 1));
  std::map<std::string, double> net;
  const double scale = std::pow(10.0, importers::kOdDecimals);
  for (const store::FlowRow& row : od.flows) {
    EXPECT_EQ(row.year, 2024);
    EXPECT_FALSE(row.provenance.official());
    EXPECT_NE(row.provenance.detail.find("official net_internal of 2024"), std::string::npos);
    ASSERT_TRUE(row.low && row.high);
    EXPECT_LE(*row.low, row.value);
    EXPECT_GE(*row.high, row.value);
    EXPECT_LT(*row.low, *row.high);
    EXPECT_EQ(std::round(row.value * scale) / scale, row.value);
    net[row.dest] += row.value;
    net[row.orig] -= row.value;
  }
  const double tolerance = 2.0 * static_cast<double>(kz2022.size() - 1) * 0.5 / scale + 1e-9;
  EXPECT_NEAR(net["71"], 4000, tolerance);
  EXPECT_NEAR(net["61"], -3000, tolerance);
  EXPECT_NEAR(net["62"], 0, tolerance);
  // SOURCES.md says plainly that it is model-based, with its assumptions.
  const std::string sources = importers::SourcesMarkdown(od);
  EXPECT_NE(sources.find("**model-based estimate**"), std::string::npos);
  EXPECT_NE(sources.find("distance decay"), std::string::npos);
  EXPECT_NE(sources.find("only each region's net"), std::string::npos);
}

}  // namespace
}  // namespace kazmig::app

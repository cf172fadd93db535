#include "kazmig/app/kz_dataset.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::TempDir;

// Two years of kz-2022 nets and populations; 2023 lacks Almaty city's ("75") net.
store::Batch SmallKz() {
  store::Batch batch;
  batch.dataset = "kz";
  batch.indicators = {{"net_internal", store::IndicatorKind::kSeries, "persons", ""},
                      {"population_avg", store::IndicatorKind::kSeries, "persons", ""}};
  const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
  const Provenance bns = Provenance::Official("BNS", "test");
  for (int year : {2022, 2023}) {
    double sum = 0;
    for (size_t region_idx = 0; region_idx < kz.size(); ++region_idx) {
      const std::string& id = kz.regions()[region_idx].id;
      const double net = region_idx + 1 == kz.size() ? -sum : 100.0 * (region_idx % 5) - 150;
      sum += net;
      if (!(year == 2023 && id == "75"))
        batch.series.push_back({"net_internal", "kz-2022", id, year, net, bns});
      batch.series.push_back(
          {"population_avg", "kz-2022", id, year, 500000.0 + 1000.0 * region_idx, bns});
    }
  }
  return batch;
}

TEST(KzDataset, OneRuleForIncompleteYears) {
  store::Store db = store::Store::OpenInMemory();
  db.Write(SmallKz());
  KzDataset kz = KzDataset::FromStore(std::move(db));
  EXPECT_EQ(kz.CompleteYears(), std::vector<int>({2022}));
  EXPECT_EQ(kz.MissingRegions(2023), std::vector<std::string>({"75"}));
  EXPECT_TRUE(kz.MissingRegions(2022).empty());
  EXPECT_EQ(kz.MissingRegions(1999).size(), kz.system().size());
  // Series are loaded once: the same object comes back.
  EXPECT_EQ(&kz.Series("net_internal"), &kz.Series("net_internal"));
  EXPECT_EQ(kz.Series("births").region_count(), 0u);
}

TEST(KzDataset, NoStoredOdAndTheRunsOfAnIncompleteYearFail) {
  store::Store db = store::Store::OpenInMemory();
  db.Write(SmallKz());
  KzDataset kz = KzDataset::FromStore(std::move(db));
  EXPECT_TRUE(kz.StoredOdYears().empty());
  EXPECT_EQ(kz.FindStoredOd(2022), nullptr);
  EXPECT_THROW(kz.OdRuns(2023), ComputeError);
  const estimate::KzOdEstimate& runs = kz.OdRuns(2022);
  EXPECT_EQ(runs.scenarios.size(), 9u);
  EXPECT_EQ(&runs, &kz.OdRuns(2022));
}

TEST(KzDataset, CountryNamesComeFromTheBuiltInData) {
  TempDir dir;
  dir.Write("world_countries.csv", "iso3,name,region\nRUS,Russia,Europe\n");
  KzDataset kz = KzDataset::FromStore(store::Store::OpenInMemory(), dir.path());
  EXPECT_EQ(kz.CountryName("RUS"), "Russia");
  EXPECT_EQ(kz.CountryName("XYZ"), "XYZ");
}

// The built-in data: the stored OD estimate is what EstimateInternalOd gives for the stored
// series (rounded to 2 decimals), for every complete year and no other.
TEST(KzDataset, StoredOdIsTheOneEstimateOfTheBuiltInData) {
  TempDir tmp;
  KzDataset kz =
      KzDataset::Open(tmp.path() / "kz.db", ::kazmig::testing::SourceDir() / "data" / "kz");
  const std::vector<int> years = kz.StoredOdYears();
  ASSERT_FALSE(years.empty());
  EXPECT_EQ(years, kz.CompleteYears());
  for (int year : years) {
    const StoredOd* stored = kz.FindStoredOd(year);
    ASSERT_NE(stored, nullptr);
    EXPECT_FALSE(stored->provenance.official());
    const estimate::KzOdEstimate& runs = kz.OdRuns(year);
    const FlowMatrix& central = runs.central.fit.flows;
    ASSERT_EQ(central.size(), stored->central.size());
    for (size_t orig = 0; orig < central.size(); ++orig) {
      for (size_t dest = 0; dest < central.size(); ++dest) {
        if (orig == dest) continue;
        EXPECT_NEAR(stored->central(orig, dest), central(orig, dest), 0.0051)
            << year << " " << orig << "->" << dest;
        EXPECT_LE(stored->low(orig, dest), stored->central(orig, dest));
        EXPECT_GE(stored->high(orig, dest), stored->central(orig, dest));
      }
    }
  }
}

}  // namespace
}  // namespace kazmig::app

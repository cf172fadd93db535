#include "kazmig/store/checks.h"

#include <gtest/gtest.h>

#include "kazmig/core/region.h"
#include "kazmig/testing/testing.h"

namespace kazmig::store {
namespace {

const Provenance kOfficial = Provenance::Official("test");

const CheckResult& Get(const CheckReport& report, const std::string& name) {
  for (const auto& check : report.checks) {
    if (check.name == name) return check;
  }
  throw std::out_of_range(name);
}

// A complete kz-2022 year: population_jan1 for 2022 and 2023, births, deaths, net_all and
// net_internal for 2022, with national totals that close the accounts exactly.
Batch Consistent() {
  Batch batch;
  batch.dataset = "t";
  for (const char* name : {"population_jan1", "births", "deaths", "net_all", "net_internal",
                           "intl_net", "unemployment_rate"}) {
    batch.indicators.push_back({name, IndicatorKind::kSeries,
                                std::string(name) == "unemployment_rate" ? "%" : "persons", ""});
  }
  const RegionSystem& kz = RegionSystem::Builtin("kz-2022");
  double p0 = 0, p1 = 0, b = 0, d = 0, m = 0;
  for (size_t region_idx = 0; region_idx < kz.size(); ++region_idx) {
    const std::string& id = kz[region_idx].id;
    const double pop = 100000.0 * static_cast<double>(region_idx + 1);
    const double births = 2000 + static_cast<double>(region_idx);
    const double deaths = 1000;
    // Internal nets alternate so they sum to zero over the 20 regions.
    const double internal = region_idx % 2 == 0 ? 50.0 : -50.0;
    const double all = internal + 3;  // 3 international arrivals net per region
    batch.series.push_back({"population_jan1", "kz-2022", id, 2022, pop, kOfficial});
    batch.series.push_back(
        {"population_jan1", "kz-2022", id, 2023, pop + births - deaths + all, kOfficial});
    batch.series.push_back({"births", "kz-2022", id, 2022, births, kOfficial});
    batch.series.push_back({"deaths", "kz-2022", id, 2022, deaths, kOfficial});
    batch.series.push_back({"net_all", "kz-2022", id, 2022, all, kOfficial});
    batch.series.push_back({"net_internal", "kz-2022", id, 2022, internal, kOfficial});
    batch.series.push_back({"unemployment_rate", "kz-2022", id, 2022, 5, kOfficial});
    p0 += pop;
    p1 += pop + births - deaths + all;
    b += births;
    d += deaths;
    m += all;
  }
  batch.series.push_back({"population_jan1", "kz-2022", "KZ", 2022, p0, kOfficial});
  batch.series.push_back({"population_jan1", "kz-2022", "KZ", 2023, p1, kOfficial});
  batch.series.push_back({"intl_net", "kz-2022", "KZ", 2022, m, kOfficial});
  batch.series.push_back({"unemployment_rate", "kz-2022", "KZ", 2022, 4.9, kOfficial});
  return batch;
}

TEST(Checks, ConsistentDataPassesWithZeroResiduals) {
  Store db = Store::OpenInMemory();
  db.Write(Consistent());
  const CheckReport report = RunChecks(db, "t");
  EXPECT_TRUE(report.passed());
  EXPECT_TRUE(Get(report, "regions_sum_to_national").passed);
  const CheckResult& nets = Get(report, "internal_net_sums_to_zero");
  ASSERT_EQ(nets.rows.size(), 1u);
  EXPECT_EQ(nets.rows[0].residual, 0);
  const CheckResult& accounting = Get(report, "population_accounting");
  int regional = 0;
  for (const auto& row : accounting.rows) {
    if (row.region == "KZ" && row.year == 2022) {
      EXPECT_TRUE(row.computed);
      EXPECT_NEAR(row.residual, 0, 1e-6);
    }
    if (row.region != "KZ" && row.computed) {
      EXPECT_NEAR(row.residual, 0, 1e-6) << row.region;
      ++regional;
    }
  }
  EXPECT_EQ(regional, 20);
  const CheckResult& cross = Get(report, "cross_source_international");
  bool national = false;
  for (const auto& row : cross.rows) {
    if (row.region == "KZ") {
      national = true;
      EXPECT_EQ(row.status, "ok");
      EXPECT_NEAR(row.residual, 0, 1e-9);
    } else {
      EXPECT_NEAR(row.residual, 3, 1e-9);  // implied international net per region
    }
  }
  EXPECT_TRUE(national);
}

TEST(Checks, NonZeroInternalNetFailsTheAssertion) {
  Batch batch = Consistent();
  for (auto& row : batch.series) {
    if (row.indicator == "net_internal" && row.region_id == "75") row.value += 7;
  }
  Store db = Store::OpenInMemory();
  db.Write(batch);
  const CheckReport report = RunChecks(db, "t");
  EXPECT_FALSE(report.passed());
  EXPECT_FALSE(Get(report, "internal_net_sums_to_zero").passed);
  EXPECT_EQ(Get(report, "internal_net_sums_to_zero").rows[0].residual, 7);
}

TEST(Checks, RegionsNotSummingToNationalFailUnlessARegionIsMissing) {
  Batch batch = Consistent();
  for (auto& row : batch.series) {
    if (row.indicator == "population_jan1" && row.region_id == "KZ" && row.year == 2022) {
      row.value += 10000;  // 10,000 / 21e6 = 4.8e-4: within the 1e-3 tolerance
    }
  }
  Store db = Store::OpenInMemory();
  db.Write(batch);
  EXPECT_TRUE(Get(RunChecks(db, "t"), "regions_sum_to_national").passed);
  for (auto& row : batch.series) {
    if (row.indicator == "population_jan1" && row.region_id == "KZ" && row.year == 2022) {
      row.value += 1e6;  // far above tolerance
    }
  }
  Store bad = Store::OpenInMemory();
  bad.Write(batch);
  const CheckReport report = RunChecks(bad, "t");
  EXPECT_FALSE(report.passed());
  // A rate is never summed.
  for (const auto& row : Get(report, "regions_sum_to_national").rows) {
    EXPECT_NE(row.region, "unemployment_rate");
  }
  // Remove one region: the gap is reported, not failed.
  std::erase_if(batch.series, [](const SeriesRow& row) {
    return row.indicator == "population_jan1" && row.region_id == "10" && row.year == 2022;
  });
  Store gap = Store::OpenInMemory();
  gap.Write(batch);
  const CheckReport gap_report = RunChecks(gap, "t");
  const CheckResult& sums = Get(gap_report, "regions_sum_to_national");
  bool reported = false;
  for (const auto& row : sums.rows) {
    if (row.year == 2022 && row.status == "gap") {
      reported = true;
      EXPECT_NE(row.note.find("10"), std::string::npos);
    }
  }
  EXPECT_TRUE(reported);
}

TEST(Checks, MissingInputsAreNamedInsteadOfResiduals) {
  Batch batch = Consistent();
  std::erase_if(batch.series, [](const SeriesRow& row) { return row.indicator == "net_all"; });
  Store db = Store::OpenInMemory();
  db.Write(batch);
  const CheckReport report = RunChecks(db, "t");
  const CheckResult& accounting = Get(report, "population_accounting");
  bool named = false;
  for (const auto& row : accounting.rows) {
    if (row.region == "all" && row.year == 2022) {
      EXPECT_FALSE(row.computed);
      EXPECT_EQ(row.status, "missing");
      EXPECT_NE(row.note.find("net_all 2022"), std::string::npos) << row.note;
      named = true;
    }
  }
  EXPECT_TRUE(named);
}

TEST(Checks, EmptyDatasetPasses) {
  Store db = Store::OpenInMemory();
  const CheckReport report = RunChecks(db, "none");
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.checks.size(), 4u);
}

}  // namespace
}  // namespace kazmig::store

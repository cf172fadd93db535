#include "kazmig/app/indicators.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "kazmig/app/paths.h"
#include "kazmig/core/error.h"
#include "kazmig/store/store.h"

namespace kazmig::app {
namespace {

// A path in the temporary folder unique to this process (tests of several checkouts may run at
// once on one machine).
std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("kazmig_app_indicators_" + std::to_string(getpid()) + "_" + name);
}

std::string Fixture(const std::string& name) {
  const char* source = std::getenv("KAZMIG_SOURCE_DIR");
  return (std::filesystem::path(source != nullptr ? source : ".") / "tests" / "fixtures" /
          "indicators" / name)
      .string();
}

TEST(RunIndicators, HypReferenceInEveryFace) {
  IndicatorsRequest request;
  request.flows = Fixture("hyp_flows.csv");
  request.population = Fixture("hyp_population.csv");
  const IndicatorsResult result = RunIndicators(request);
  EXPECT_EQ(result.document["mei"].get<double>(), 25.0);  // methods/indicators.md `hyp`
  EXPECT_EQ(result.document["cmp"].get<double>(), 2.0);
  const std::string csv = EncodeIndicators(result, Format::kCsv, false);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "indicator,value");
  EXPECT_NE(csv.find("\nmei,25\n"), std::string::npos);
  EXPECT_NE(csv.find("\ngini_in.B,0.5\n"), std::string::npos);
  EXPECT_EQ(csv.find("method"), std::string::npos);
  const std::string text = EncodeIndicators(result, Format::kTable, false);
  EXPECT_NE(text.find("gini_total_corrected"), std::string::npos);
  EXPECT_TRUE(result.notes.empty());
}

TEST(RunIndicators, ProvenanceOnlyWhenAskedFor) {
  IndicatorsRequest request;
  request.flows = Fixture("hyp_flows.csv");
  EXPECT_EQ(EncodeIndicators(RunIndicators(request), Format::kCsv, false).find("provenance"),
            std::string::npos);
  request.with_provenance = true;
  const std::string csv = EncodeIndicators(RunIndicators(request), Format::kCsv, true);
  EXPECT_NE(csv.find("indicator,value,provenance\n"), std::string::npos);
  EXPECT_NE(csv.find("mei,25,computed by kazmig indicators from " + request.flows + "\n"),
            std::string::npos);
}

TEST(RunIndicators, UsageErrors) {
  EXPECT_THROW(RunIndicators({}), UsageError);
  IndicatorsRequest both;
  both.flows = Fixture("hyp_flows.csv");
  both.dataset = "kz";
  EXPECT_THROW(RunIndicators(both), UsageError);
  IndicatorsRequest unknown;
  unknown.dataset = "xx";
  EXPECT_THROW(RunIndicators(unknown), UsageError);
}

TEST(RunRegionIndicators, RowsWithRatesAndRanks) {
  RegionsRequest request;
  request.flows = Fixture("hyp_flows.csv");
  request.population = Fixture("hyp_population.csv");
  const IndicatorsResult result = RunRegionIndicators(request);
  ASSERT_EQ(result.table.row_count(), 3u);
  EXPECT_EQ(result.table.at(0, "region").text, "A");
  EXPECT_EQ(result.table.at(0, "net_rate").number, 30.0);  // 1000 x 30 / 1000
  EXPECT_EQ(result.document[0]["rank_net"], 1);
  const std::string csv = EncodeIndicators(result, Format::kCsv, false);
  EXPECT_EQ(csv.rfind("region,population,in,out,net,gross,in_rate,out_rate,net_rate", 0), 0u);
  EXPECT_NE(csv.find("\nA,1000,50,20,30,70,50,20,30,70,"), std::string::npos);
}

TEST(RunComponentIndicators, ExpectedAndInteraction) {
  ComponentsRequest request;
  request.flows = Fixture("hyp_flows.csv");
  const std::string csv = EncodeIndicators(RunComponentIndicators(request), Format::kCsv, false);
  EXPECT_NE(csv.find("\nA,B,10,6.666666666666666,1.5\n"), std::string::npos);
}

TEST(RunAgeIndicators, RejectsTooFewAges) {
  const std::filesystem::path path = TempPath("two_ages.csv");
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("age,rate\n0,0.1\n1,0.2\n", file);
    std::fclose(file);
  }
  AgeRequest request;
  request.rates = path.string();
  EXPECT_THROW(RunAgeIndicators(request), InputError);
  std::filesystem::remove(path);
}

TEST(RunMaupIndicators, BadKIsAUsageError) {
  MaupRequest request;
  request.flows = Fixture("grid_flows.csv");
  request.population = Fixture("grid_population.csv");
  request.adjacency = Fixture("grid_edges.csv");
  request.k = "4,x";
  EXPECT_THROW(RunMaupIndicators(request), UsageError);
  request.k = "4";
  request.replications = 5;
  const IndicatorsResult result = RunMaupIndicators(request);
  EXPECT_EQ(result.table.row_count(), 1u);
  EXPECT_EQ(result.document["units"], 36);
  EXPECT_EQ(EncodeIndicators(result, Format::kTable, false).rfind("36 units, basic CMI ", 0), 0u);
}

// The built-in dataset, loaded into a temporary store (skipped when data/kz is absent).
class KzIndicatorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    location_.builtin_dir = BuiltinDataDir();
    if (!std::filesystem::exists(location_.builtin_dir / "net_internal.csv")) return;
    location_.db_path = TempPath("kz.db").string();
    std::filesystem::remove(location_.db_path);
  }
  static void TearDownTestSuite() {
    if (!location_.db_path.empty()) std::filesystem::remove(location_.db_path);
  }
  void SetUp() override {
    if (location_.db_path.empty()) GTEST_SKIP() << "built-in data/kz not present";
  }
  static DatasetLocation location_;
};
DatasetLocation KzIndicatorsTest::location_;

TEST_F(KzIndicatorsTest, KzYearIndicatorsEqualsTheDatasetPath) {
  IndicatorsRequest request;
  request.dataset = "kz";
  request.location = location_;
  request.year = 2023;
  const IndicatorsResult result = RunIndicators(request);
  const Json& doc = result.document;

  KzDataset kz = KzDataset::Open(location_.db_path, location_.builtin_dir);
  const KzYear y = KzYearIndicators(kz, 2023);
  EXPECT_EQ(doc["anmr"].get<double>(), y.nets.anmr);
  EXPECT_EQ(doc["population"].get<double>(), y.nets.population);
  EXPECT_EQ(doc["n"].get<size_t>(), y.regions.size());
  EXPECT_EQ(doc["net"]["71"].get<double>(), 50078.0);  // Astana 2023 (PROVENANCE.md)
  ASSERT_TRUE(y.estimated.has_value()) << y.estimated_unavailable;
  const Json& e = doc["estimated"];
  EXPECT_EQ(e["cmp"]["value"].get<double>(), y.estimated->bands.cmp.value);
  EXPECT_EQ(e["cmp"]["low"].get<double>(), y.estimated->bands.cmp.low);
  EXPECT_EQ(e["cmp"]["high"].get<double>(), y.estimated->bands.cmp.high);
  EXPECT_EQ(e["mei"]["value"].get<double>(), y.estimated->bands.mei.value);
  EXPECT_EQ(e["mei"]["high"].get<double>(), y.estimated->bands.mei.high);
  EXPECT_EQ(e["runs"].get<size_t>(), y.estimated->runs);
  // The estimate is constrained to the official nets: its ANMR is the official one.
  EXPECT_NEAR(y.estimated->bands.anmr.value, y.nets.anmr, 1e-6 * y.nets.anmr);
  // And every year of the all-years output is the same as asked for one by one.
  request.year = 0;
  const IndicatorsResult all = RunIndicators(request);
  EXPECT_EQ(all.document["2023"]["anmr"].get<double>(), y.nets.anmr);
  EXPECT_EQ(all.document["2023"]["estimated"]["mei"]["value"].get<double>(),
            y.estimated->bands.mei.value);
}

TEST_F(KzIndicatorsTest, OnlyCompleteYears) {
  KzDataset kz = KzDataset::Open(location_.db_path, location_.builtin_dir);
  EXPECT_THROW(KzYearIndicators(kz, 1990), InputError);  // exit 3, naming the years (issue 18)
  IndicatorsRequest request;
  request.dataset = "kz";
  request.location = location_;
  const IndicatorsResult all = RunIndicators(request);
  std::vector<std::string> years;
  for (const auto& [year, object] : all.document.items()) years.push_back(year);
  std::vector<std::string> complete;
  for (int year : kz.CompleteYears()) complete.push_back(std::to_string(year));
  EXPECT_EQ(years, complete);
}

TEST(KzYearIndicators, AnIncompleteYearNamesTheMissingRegions) {
  // A store with the nets and populations of every kz-2022 region in 2022, and 2023 without
  // region 10 (Abai).
  store::Store db = store::Store::OpenInMemory();
  store::Batch batch;
  batch.dataset = std::string(store::kBuiltinDataset);
  batch.indicators.push_back({"net_internal", store::IndicatorKind::kSeries, "persons", ""});
  batch.indicators.push_back({"population_avg", store::IndicatorKind::kSeries, "persons", ""});
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  for (int year : {2022, 2023}) {
    for (size_t region_idx = 0; region_idx < kz2022.size(); ++region_idx) {
      const std::string& id = kz2022[region_idx].id;
      if (year == 2023 && id == "10") continue;
      const double net = region_idx == 0 ? -19.0 : 1.0;  // nets sum to zero
      batch.series.push_back(
          {"net_internal", "kz-2022", id, year, net, Provenance::Official("test nets")});
      batch.series.push_back({"population_avg", "kz-2022", id, year, 1000.0 + region_idx,
                              Provenance::Official("test population")});
    }
  }
  db.Write(batch);
  KzDataset kz = KzDataset::FromStore(std::move(db));
  EXPECT_EQ(kz.CompleteYears(), std::vector<int>{2022});
  const KzYear y = KzYearIndicators(kz, 2022);
  EXPECT_EQ(y.regions.size(), kz2022.size());
  EXPECT_EQ(y.nets.net_sum, 0.0);
  try {
    KzYearIndicators(kz, 2023);
    FAIL() << "an incomplete year must be an error";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("2023 are incomplete"), std::string::npos) << message;
    EXPECT_NE(message.find("region(s) 10;"), std::string::npos) << message;
    EXPECT_NE(message.find("complete years only (2022)"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace kazmig::app

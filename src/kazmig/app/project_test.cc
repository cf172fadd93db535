// Tests of the projection use cases on the built-in data: the table's shape and determinism,
// scenario files (composition, bad regions and quotas, JSON errors with line and column), the
// compare table's differences, the backtest, and the stored run.
#include "kazmig/app/project.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kazmig/app/scenarios.h"
#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

// A quick model: short chains (the sampler's own tests cover convergence).
ProjectRequest Quick() {
  ProjectRequest request;
  request.from = 2024;
  request.to = 2030;
  request.draws = 100;
  request.seed = 3;
  request.threads = 2;
  request.net_model.iterations = 1500;
  request.net_model.burn_in = 500;
  request.net_model.thin = 5;
  return request;
}

class ProjectTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    kz_ = new KzDataset(
        KzDataset::Open(dir_.path() / "kz.db", ::kazmig::testing::SourceDir() / "data" / "kz"));
  }
  static void TearDownTestSuite() {
    delete kz_;
    kz_ = nullptr;
  }
  static ::kazmig::testing::TempDir dir_;
  static KzDataset* kz_;
};
::kazmig::testing::TempDir ProjectTest::dir_;
KzDataset* ProjectTest::kz_ = nullptr;

TEST_F(ProjectTest, TableShapeAndDeterminism) {
  ProjectRequest request = Quick();
  request.scenarios = {"baseline", "resettlement-quota+kandas-inflow"};
  const ProjectionResult result = ProjectScenarios(*kz_, request);
  ASSERT_EQ(result.region_ids.size(), 20u);
  ASSERT_EQ(result.years.size(), 7u);
  const ResultTable table = ProjectionTable(result);
  EXPECT_EQ(table.row_count(), 20u * 7u * 2u);
  const std::vector<std::string> first = {"region",  "year",    "scenario", "median",
                                          "lower80", "upper80", "lower95",  "upper95"};
  for (size_t idx = 0; idx < first.size(); ++idx) EXPECT_EQ(table.columns()[idx], first[idx]);
  EXPECT_EQ(result.scenarios[1].name, "resettlement-quota+kandas-inflow");
  EXPECT_TRUE(result.base_estimated);  // 1 January 2024 by accounting
  // Quantiles are ordered; the base year has no spread.
  for (size_t region_idx = 0; region_idx < 20; ++region_idx) {
    const Quantiles& base = result.At(0, region_idx, 2024).population;
    EXPECT_EQ(base.lower95, base.upper95);
    const Quantiles& end = result.At(0, region_idx, 2030).population;
    EXPECT_LE(end.lower95, end.lower80);
    EXPECT_LE(end.lower80, end.median);
    EXPECT_LE(end.median, end.upper80);
    EXPECT_LE(end.upper80, end.upper95);
    EXPECT_LT(end.lower95, end.upper95);
  }
  // Same seed, same table; another thread count, same table.
  request.threads = 1;
  EXPECT_EQ(ProjectionTable(ProjectScenarios(*kz_, request)).Csv(), table.Csv());
  // The quota moves people north: North Kazakhstan (59) gains against the baseline, Turkistan
  // (61) loses, in every draw.
  const size_t north = result.RegionIndex("59");
  const size_t south = result.RegionIndex("61");
  for (size_t draw_idx = 0; draw_idx < result.draws; ++draw_idx) {
    EXPECT_GT(result.scenarios[1].run.Population(draw_idx, 6, north),
              result.scenarios[0].run.Population(draw_idx, 6, north));
    EXPECT_LT(result.scenarios[1].run.Population(draw_idx, 6, south),
              result.scenarios[0].run.Population(draw_idx, 6, south));
  }
  // The country's 2024 population is the sum of the regions' (about 20 million).
  const double country = result.scenarios[0].national[0].population.median;
  EXPECT_GT(country, 19.5e6);
  EXPECT_LT(country, 20.8e6);
}

// One scenario of a result (the API's /api/projections): every other field as it was.
TEST(ProjectionResult, OnlyScenarioKeepsEveryOtherField) {
  ProjectionResult all;
  all.region_ids = {"11", "15"};
  all.region_names = {"Akmola", "Aktobe"};
  all.base_year = 2024;
  all.years = {2024, 2025};
  all.draws = 7;
  all.seed = 42;
  all.base_estimated = true;
  all.last_official_population_year = 2023;
  all.provenance = "estimated: test";
  all.notes = {"a note"};
  all.model.bounded_values = 3;
  for (const char* name : {"baseline", "urban-pull"}) {
    ScenarioProjection s;
    s.name = name;
    all.scenarios.push_back(s);
  }
  const ProjectionResult one = all.OnlyScenario("urban-pull");
  ASSERT_EQ(one.scenarios.size(), 1u);
  EXPECT_EQ(one.scenarios[0].name, "urban-pull");
  EXPECT_EQ(one.region_ids, all.region_ids);
  EXPECT_EQ(one.region_names, all.region_names);
  EXPECT_EQ(one.base_year, 2024);
  EXPECT_EQ(one.years, all.years);
  EXPECT_EQ(one.draws, 7u);
  EXPECT_EQ(one.seed, 42u);
  EXPECT_TRUE(one.base_estimated);
  EXPECT_EQ(one.last_official_population_year, 2023);
  EXPECT_EQ(one.provenance, all.provenance);
  EXPECT_EQ(one.notes, all.notes);
  EXPECT_EQ(one.model.bounded_values, 3u);
  try {
    all.OnlyScenario("narnia");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()),
              "scenario 'narnia': not projected (one of baseline, urban-pull)");
  }
}

TEST_F(ProjectTest, HorizonBeforeBaseAndUnknownScenario) {
  ProjectRequest request = Quick();
  request.to = 2020;
  EXPECT_THROW(ProjectScenarios(*kz_, request), InputError);
  request = Quick();
  request.scenarios = {"no-such-scenario"};
  EXPECT_THROW(ProjectScenarios(*kz_, request), UsageError);
  request = Quick();
  request.from = 2030;
  EXPECT_THROW(ProjectScenarios(*kz_, request), InputError);
}

TEST_F(ProjectTest, ScenarioFileErrorsNameFileAndKey) {
  const RegionSystem& system = kz_->system();
  try {
    ParseScenario(R"({"name": "x", "changes": [{"type": "internal-transfer", "persons": 10,
                     "origins": [{"region": "Atlantis"}], "destinations": ["Akmola"]}]})",
                  "bad.json", system);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.json: changes[0].origins[0].region"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("Atlantis"), std::string::npos);
  }
  try {
    ParseScenario("{\n  \"name\": \"x\",\n  \"changes\": [,]\n}", "syntax.json", system);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), "syntax.json");
    EXPECT_EQ(error.line(), 3);
  }
  EXPECT_THROW(
      ParseScenario(R"({"name": "x", "changes": [{"type": "teleport"}]})", "t.json", system),
      InputError);
  // A quota larger than the sending region's population: the key is named.
  ::kazmig::testing::TempDir tmp;
  const auto path = tmp.Write("huge.json", R"({"name": "huge", "changes": [
    {"type": "internal-transfer", "persons": 5000000, "origins": ["Ulytau"],
     "destinations": ["Akmola"]}]})");
  ProjectRequest request = Quick();
  request.scenarios = {path.string()};
  try {
    ProjectScenarios(*kz_, request);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("huge.json: changes[0]"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("more than its population"), std::string::npos);
  }
}

TEST_F(ProjectTest, SeriesReferencesResolveFromTheData) {
  const auto lookup = [](std::string_view indicator, int year) -> std::optional<double> {
    if (indicator == "resettlement_quota" && year == 2025) return 9653;
    return std::nullopt;
  };
  const project::Scenario scenario = ParseScenario(
      R"({"name": "q", "changes": [{"type": "internal-transfer",
          "persons": {"series": "resettlement_quota", "year": 2025},
          "origins": ["Turkistan"], "destinations": ["Akmola"]}]})",
      "q.json", kz_->system(), lookup);
  ASSERT_EQ(scenario.transfers.size(), 1u);
  EXPECT_EQ(scenario.transfers[0].persons, 9653);
  EXPECT_THROW(ParseScenario(R"({"name": "q", "changes": [{"type": "international",
                   "persons": {"series": "resettlement_quota", "year": 1999}}]})",
                             "q.json", kz_->system(), lookup),
               InputError);
}

TEST_F(ProjectTest, CompareDifferencesAndShares) {
  CompareRequest request;
  request.projection = Quick();
  request.projection.scenarios = {"urban-pull"};
  const CompareResult result = CompareScenarios(*kz_, request);
  ASSERT_EQ(result.projection.scenarios.size(), 2u);
  EXPECT_EQ(result.projection.scenarios[0].name, "baseline");
  const size_t units = 20 + CompareGroups().size();
  ASSERT_EQ(result.table.row_count(), 2 * units);
  // Baseline rows: no difference; the shares of the groups and the country.
  for (size_t row_idx = 0; row_idx < units; ++row_idx) {
    EXPECT_EQ(result.table.at(row_idx, "diff_baseline").number, 0);
  }
  EXPECT_EQ(result.table.at(units - 1, "region").text, "KZ");
  EXPECT_EQ(result.table.at(units - 1, "share_percent").number, 100);
  // The urban pull: the cities gain; the moves are zero-sum, so the country changes only through
  // the different birth, death and international rates of the people moved (a small fraction).
  const size_t cities_row = units + 20 + 2;
  EXPECT_EQ(result.table.at(cities_row, "region").text, "CITIES");
  const double cities_gain = result.table.at(cities_row, "diff_baseline").number;
  EXPECT_GT(cities_gain, 0);
  EXPECT_LT(std::fabs(result.table.at(2 * units - 1, "diff_baseline").number), 0.05 * cities_gain);
  // Regions carry the risk index under the scenario (app/risk.h), in [0, 1]; groups do not.
  const Cell risk = result.table.at(0, "risk_score");
  ASSERT_FALSE(risk.missing());
  EXPECT_GE(risk.number, 0);
  EXPECT_LE(risk.number, 1);
  EXPECT_TRUE(result.table.at(cities_row, "risk_score").missing());
}

TEST_F(ProjectTest, BacktestOnBuiltInData) {
  BacktestRequest request;
  request.fit_to = 2016;
  request.to = 2023;
  request.draws = 200;
  request.net_model.iterations = 1500;
  request.net_model.burn_in = 500;
  request.net_model.thin = 5;
  const BacktestResult result = RunBacktest(*kz_, request);
  // Three models, 7 years each and the overall row.
  ASSERT_EQ(result.scores.size(), 3u * 8u);
  for (const BacktestScore& score : result.scores) {
    EXPECT_GT(score.observations, 0u);
    EXPECT_TRUE(std::isfinite(score.mape));
    EXPECT_LT(score.mape, 50) << score.model << " " << score.year;
    if (score.model == "kazmig") {
      EXPECT_GE(score.coverage95, score.coverage80);
      EXPECT_LE(score.coverage95, 1.0);
    } else {
      EXPECT_TRUE(std::isnan(score.coverage80));
    }
  }
  EXPECT_EQ(result.table.row_count(), result.scores.size());
  request.to = 2024;  // no official regional population on 1 January 2024
  EXPECT_THROW(RunBacktest(*kz_, request), InputError);
  request.to = 2016;
  EXPECT_THROW(RunBacktest(*kz_, request), InputError);
}

TEST_F(ProjectTest, StoredRunKeepsScenarioTextSeedAndSettings) {
  ProjectRequest request = Quick();
  request.scenarios = {"emigration-shock"};
  const ProjectionResult result = ProjectScenarios(*kz_, request);
  const long long id = StoreProjection(*kz_, result);
  EXPECT_GT(id, 0);
  const auto runs = kz_->store().LoadProjectionRuns();
  ASSERT_FALSE(runs.empty());
  const store::ProjectionRunRecord& run = runs.back();
  EXPECT_EQ(run.scenario, "emigration-shock");
  EXPECT_NE(run.scenario_text.find("\"emigration-shock\""), std::string::npos);
  EXPECT_EQ(run.seed, 3u);
  EXPECT_EQ(run.draws, 100);
  EXPECT_NE(run.settings.find("\"iterations\":1500"), std::string::npos) << run.settings;
  EXPECT_EQ(run.results.substr(0, 50), ProjectionTable(result).Csv().substr(0, 50));
}

}  // namespace
}  // namespace kazmig::app

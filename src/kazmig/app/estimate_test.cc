#include "kazmig/app/estimate.h"

#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::NearRel;
using ::kazmig::testing::TempDir;

std::string Fixture(const std::string& name) {
  return (::kazmig::testing::SourceDir() / "tests/fixtures/estimate" / name).string();
}

IpfRequest Cm2(const std::string& cols = "cm2_cols.csv") {
  IpfRequest request;
  request.seed = Fixture("cm2_seed.csv");
  request.row_totals = Fixture("cm2_rows.csv");
  request.col_totals = Fixture(cols);
  return request;
}

TEST(RunEstimateIpf, FitsMigestCm2AndEncodesEveryFace) {
  const EstimateResult result = RunEstimateIpf(Cm2());
  ASSERT_TRUE(result.converged);
  EXPECT_TRUE(result.notes.empty());
  ASSERT_EQ(EstimateTable(result).row_count(), 4u);  // the diagonal included
  EXPECT_TRUE(NearRel(EstimateTable(result).at(0, "flow").number, 13.250194, 2e-6));
  EXPECT_EQ(result.provenance.KindName(), "estimated");
  EXPECT_EQ(EstimateTable(result).ProvenanceOf(0), result.provenance.ToString());
  const std::string csv = EncodeEstimate(result, Format::kCsv, false);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "orig,dest,flow");
  const std::string with = EncodeEstimate(result, Format::kCsv, true);
  EXPECT_EQ(with.substr(0, with.find('\n')), "orig,dest,flow,provenance");
  // Written straight from the flow rows: byte for byte the table's own CSV.
  EXPECT_EQ(csv, EstimateTable(result).Csv(false));
  EXPECT_EQ(with, EstimateTable(result).Csv(true));
  EXPECT_EQ(result.document["method"], "ipf");
  EXPECT_EQ(EstimateDocument(result)["flows"].size(), 4u);
  EXPECT_FALSE(result.document.contains("flows"));  // built when encoded
  const std::string text = EncodeEstimate(result, Format::kTable, false);
  EXPECT_EQ(text.rfind(result.provenance.ToString() + "\n\norig  dest  flow\n", 0), 0u) << text;
}

TEST(RunEstimateIpf, UnequalMarginsFailOrAreRescaledWithANote) {
  EXPECT_THROW(RunEstimateIpf(Cm2("cm2_cols_bad.csv")), InputError);
  IpfRequest request = Cm2("cm2_cols_bad.csv");
  request.rescale_margins = true;
  const EstimateResult result = RunEstimateIpf(request);
  ASSERT_TRUE(result.converged);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0], "column totals rescaled by 0.926829 to the row total 38");
}

TEST(RunEstimateIpf, NonConvergenceIsReportedWithTheFigures) {
  IpfRequest request = Cm2();
  request.max_iterations = 1;
  const EstimateResult result = RunEstimateIpf(request);
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(result.iterations, 1);
  EXPECT_EQ(EstimateTable(result).row_count(), 0u);
  EXPECT_NE(result.failure.find("did not converge after 1 iterations"), std::string::npos);
}

// The hand-worked example of pseudo_bayes_test.cc: F1 with births and deaths.
StocksRequest PseudoBayes() {
  StocksRequest request;
  request.stock1 = Fixture("pb_s1.csv");
  request.stock2 = Fixture("pb_s2.csv");
  request.births = Fixture("pb_births.csv");
  request.deaths = Fixture("pb_deaths.csv");
  request.method = "pb";
  return request;
}

TEST(RunEstimateStocks, PseudoBayesReportsTheWeightAndBothFits) {
  const EstimateResult result = RunEstimateStocks(PseudoBayes());
  ASSERT_TRUE(result.converged);
  EXPECT_EQ(EstimateTable(result).row_count(), 12u);
  // A->C, rows in the order A->B, A->C, ...: 0.87 MIN + 0.13 IND summed over birthplaces, MIN
  // 50 (born in A), IND S1''[b][A] S2''[b][C] / N_b (pseudo_bayes_test.cc works the example).
  EXPECT_EQ(EstimateTable(result).at(1, "dest").text, "C");
  EXPECT_TRUE(NearRel(EstimateTable(result).at(1, "flow").number,
                      0.87 * 50 + 0.13 * (1000.0 * 60 / 1110 + 55.0 * 75 / 665 + 80.0 * 800 / 960),
                      1e-9));
  EXPECT_EQ(result.document["weight"], 0.13);
  EXPECT_NE(result.document["weight_source"].get<std::string>().find("da_pb_closed"),
            std::string::npos);
  for (const char* part : {"min", "ind"}) {
    const Json& fit = result.document["components"][part];
    EXPECT_GE(fit["iterations"].get<int>(), 1) << part;
    EXPECT_TRUE(fit["converged"].get<bool>()) << part;
    EXPECT_LE(fit["max_margin_error"].get<double>(), 1e-6) << part;
  }
  EXPECT_NE(result.method.find("pseudo-Bayesian"), std::string::npos);
  EXPECT_NE(result.provenance.ToString().find("weight=0.13 (default"), std::string::npos);
  StocksRequest given = PseudoBayes();
  given.pb_weight = 0.5;
  const EstimateResult half = RunEstimateStocks(given);
  EXPECT_EQ(half.document["weight"], 0.5);
  EXPECT_EQ(half.document["weight_source"], "--pb-weight");
  EXPECT_NE(half.provenance.ToString().find("weight=0.5 (given)"), std::string::npos);
}

// Contradictory settings are usage errors found before any file is read (the files below do not
// exist).
TEST(RunEstimateStocks, PseudoBayesSettingsAreCheckedFirst) {
  StocksRequest request = PseudoBayes();
  request.stock1 = request.stock2 = "no-such-file.csv";
  for (double weight : {-0.1, 1.5}) {
    request.pb_weight = weight;
    EXPECT_THROW(RunEstimateStocks(request), UsageError) << weight;
  }
  request.pb_weight.reset();
  StocksRequest no_births = request;
  no_births.births.clear();
  try {
    RunEstimateStocks(no_births);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("closed demographic accounts"), std::string::npos)
        << error.what();
  }
  StocksRequest no_deaths = request;
  no_deaths.deaths.clear();
  EXPECT_THROW(RunEstimateStocks(no_deaths), UsageError);
  StocksRequest no_stayers = request;
  no_stayers.stayer_assumption = false;
  EXPECT_THROW(RunEstimateStocks(no_stayers), UsageError);
  StocksRequest demo = request;
  demo.method = "demo";
  demo.pb_weight = 0.2;
  EXPECT_THROW(RunEstimateStocks(demo), UsageError);
  // With valid settings the missing file is what fails.
  EXPECT_THROW(RunEstimateStocks(request), InputError);
}

TEST(RunEstimateNet, UnbalancedNetsFailOrAreRescaled) {
  NetRequest request;
  request.prior = Fixture("net_prior.csv");
  request.net = Fixture("net_unbalanced.csv");
  EXPECT_THROW(RunEstimateNet(request), InputError);
  request.rescale_net = true;
  const EstimateResult result = RunEstimateNet(request);
  EXPECT_TRUE(result.converged);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0], "nets summed to 5; rescaled to zero (no-switches)");
  EXPECT_EQ(EstimateTable(result).row_count(), 12u);  // 4 x 3 off-diagonal pairs
}

TEST(RunRescaleNet, NamesTheFileWhenNoSwitchesCannotWork) {
  TempDir dir;
  RescaleNetRequest request;
  request.net = dir.Write("net.csv", "region,value\nA,3\nB,7\n").string();
  try {
    RunRescaleNet(request);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              request.net + ": RescaleNet: no-switches needs both positive and negative values");
  }
  request.method = "switches";
  const EstimateResult result = RunRescaleNet(request);
  EXPECT_EQ(result.table.at(0, "value").number, -2);
  EXPECT_EQ(EncodeEstimate(result, Format::kTable, false),
            "region  value\n-------------\nA          -2\nB           2\n"
            "note: value: estimated persons, rounded to 3 significant digits (full precision with "
            "--format csv or json)\n");
}

TEST(RunResidual, SurvivalRowsAreRegionAgeValue) {
  TempDir dir;
  ResidualRequest request;
  request.method = "survival";
  request.survival_type = "forward";
  request.pop0 = dir.Write("a0.csv", "region,age,value\nA,0,100\nA,5,200\nA,10,300\n").string();
  request.pop1 = dir.Write("a1.csv", "region,age,value\nA,0,90\nA,5,110\nA,10,170\n").string();
  request.survival = dir.Write("s.csv", "region,age,value\nall,0,0.9\nall,5,0.8\n").string();
  const EstimateResult result = RunResidual(request);
  EXPECT_EQ(EncodeEstimate(result, Format::kCsv, false), "region,age,value\nA,5,20\nA,10,10\n");
  EXPECT_EQ(result.text_table.columns()[2], "net");
  request.survival.clear();
  EXPECT_THROW(RunResidual(request), UsageError);
}

}  // namespace
}  // namespace kazmig::app

#include "kazmig/app/project_fit.h"

#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::TempDir;

// The InputError message of reading `contents` as a series file.
std::string ReadError(const TempDir& dir, const std::string& contents) {
  const std::string path = dir.Write("series.csv", contents).string();
  try {
    ReadRateSeries(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReadRateSeries, UnitsInFileOrderYearsSorted) {
  TempDir dir;
  const std::string path =
      dir.Write("series.csv",
                "Region,Year,Value\nsouth,2002,3\nnorth,2001,-1\nsouth,2000,1\nsouth,2001,2\n"
                "north,2000,-2\nnorth,2002,-3.5\n")
          .string();
  const std::vector<project::RateSeries> series = ReadRateSeries(path);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].unit, "south");
  EXPECT_EQ(series[0].first_year, 2000);
  EXPECT_EQ(series[0].rates, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(series[1].unit, "north");
  EXPECT_EQ(series[1].rates, (std::vector<double>{-2, -1, -3.5}));
  EXPECT_EQ(series[1].last_year(), 2002);
}

TEST(ReadRateSeries, LocatedErrors) {
  TempDir dir;
  const std::string ok_b = "b,2000,1\nb,2001,2\nb,2002,3\n";
  EXPECT_NE(ReadError(dir, "unit,year,value\na,2000,1\na,2002,2\na,2003,1\n" + ok_b)
                .find("series.csv:3: unit 'a' has a gap: no value for 2001"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\n" + ok_b + "a,2000,1\na,2001,2\n")
                .find("series.csv:5: unit 'a' has 2 year(s)"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\n" + ok_b + "b,2001,7\n")
                .find("series.csv:5:2: year: unit 'b': year 2001 is given twice"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\na,2000.5,1\n").find("series.csv:2:2:"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\na,1500,1\n").find("outside 1700..2300"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\n" + ok_b).find("only one unit ('b')"),
            std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\n").find("no data rows"), std::string::npos);
  EXPECT_NE(ReadError(dir, "unit,year,value\na,2000,-20000\n").find("beyond +-10000"),
            std::string::npos);
}

TEST(RunProjectFit, SummariesDiagnosticsAndEveryFace) {
  TempDir dir;
  ProjectFitRequest request;
  request.series = dir.Write("series.csv",
                             "unit,year,value\na,2000,1\na,2001,2\na,2002,1.5\na,2003,2.5\n"
                             "b,2000,-4\nb,2001,-3\nb,2002,-5\nb,2003,-4.5\n")
                       .string();
  request.settings.iterations = 1500;
  request.settings.burn_in = 500;
  request.settings.thin = 2;
  const ProjectFitResult result = RunProjectFit(request);
  EXPECT_EQ(result.fit.draw_count(), 1500u);
  // 2 units x (mu, phi, sigma) + 4 global parameters.
  ASSERT_EQ(result.table.row_count(), 10u);
  EXPECT_EQ(result.table.at(0, "parameter").text, "mu");
  EXPECT_EQ(result.table.at(0, "unit").text, "a");
  EXPECT_EQ(result.table.at(9, "parameter").text, "b");
  const Json& doc = result.document;
  EXPECT_EQ(doc["units"].size(), 2u);
  EXPECT_EQ(doc["units"][1]["unit"], "b");
  EXPECT_TRUE(doc["units"][0]["phi"]["median"].is_number());
  EXPECT_TRUE(doc["global"]["sigma_mu"]["upper95"].is_number());
  EXPECT_TRUE(doc["rhat"]["sigma[b]"].is_number());
  EXPECT_TRUE(doc["ess"]["a"].is_number());
  EXPECT_EQ(doc["method"]["draws"], 1500);
  EXPECT_EQ(doc["converged"], result.fit.converged());
  EXPECT_EQ(result.provenance.rfind("estimated: ", 0), 0u);
  const std::string csv = EncodeProjectFit(result, Format::kCsv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "parameter,unit,mean,median,lower80,upper80,lower95,upper95,rhat,ess");
  EXPECT_NE(EncodeProjectFit(result, Format::kTable).find("1500 draws (seed 1)"),
            std::string::npos);
  EXPECT_EQ(EncodeProjectFit(result, Format::kJson).back(), '\n');
}

}  // namespace
}  // namespace kazmig::app

#include "kazmig/app/od_matrix.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kazmig/app/names.h"

namespace kazmig::app {
namespace {

WideOd Small() {
  const double na = std::nan("");
  return WideOd{"kz-2022",
                2023,
                {"71", "75", "79"},
                {{na, 1234.5, 10}, {2000, na, 0.4}, {5, 6, na}},
                Unit::kEstimatedPersons};
}

TEST(WideOd, CsvHasIdsFullPrecisionAndTotals) {
  EXPECT_EQ(WideOdTable(Small(), false).Csv(),
            "year,orig,71,75,79,total\n"
            "2023,71,NA,1234.5,10,1244.5\n"
            "2023,75,2000,NA,0.4,2000.4\n"
            "2023,79,5,6,NA,11\n"
            "2023,total,2005,1240.5,10.4,3255.9\n");
}

TEST(WideOd, TextHasNamesCodesAndRoundedCells) {
  const std::string text = WideOdTable(Small(), true).Text();
  EXPECT_NE(text.find("origin         id  code  AST    ALA    SHY  total"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Almaty (city)  75  ALA   2,000      \u2013    0  2,000"), std::string::npos)
      << text;
  EXPECT_NE(text.find("moves within a region are not estimated"), std::string::npos);
}

TEST(Names, RegionsAndCountries) {
  EXPECT_EQ(RegionDisplayName("kz-2022", "75"), "Almaty (city)");
  EXPECT_EQ(RegionDisplayName("kz-2022", "KZ"), "Kazakhstan");
  EXPECT_EQ(RegionDisplayName("nowhere", "x1"), "x1");
  EXPECT_EQ(RegionShortName("kz-2022", "71"), "AST");
  const CountryNames none;  // no built-in folder: codes stay codes
  EXPECT_EQ(none.Name("DEU"), "DEU");
  const CountryNames aggregates{std::filesystem::path()};
  EXPECT_EQ(aggregates.Name("NON_CIS"), "non-CIS countries");
}

}  // namespace
}  // namespace kazmig::app

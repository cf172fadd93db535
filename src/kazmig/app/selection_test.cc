#include "kazmig/app/selection.h"

#include <gtest/gtest.h>

#include <string>

#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

TEST(YearRanges, RunsOfConsecutiveYears) {
  EXPECT_EQ(YearRanges({2022, 2023, 2024}), "2022–2024");
  EXPECT_EQ(YearRanges({2013, 2009, 2011, 2012}), "2009, 2011–2013");
  EXPECT_EQ(YearRanges({2020}), "2020");
  EXPECT_EQ(YearRanges({}), "none");
}

TEST(EditDistance, CountsEditsOverCodePointsIgnoringCase) {
  EXPECT_EQ(EditDistance("Karaganda", "Karagandy"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("ГЕРМАНИЯ", "германия"), 0u);
  EXPECT_EQ(EditDistance("Шымкен", "Шымкент"), 1u);  // one Cyrillic letter, not two bytes
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(ClosestNames, NearestFirstAndOnlyCloseOnes) {
  const std::vector<std::string> names = {"Akmola", "Aktobe", "Atyrau", "Karagandy"};
  EXPECT_EQ(ClosestNames("Akmla", names), std::vector<std::string>{"Akmola"});
  EXPECT_EQ(ClosestNames("Atyrua", names), std::vector<std::string>{"Atyrau"});
  EXPECT_EQ(ClosestNames("Karag", names), std::vector<std::string>{"Karagandy"});
  EXPECT_TRUE(ClosestNames("Zzzzzzzz", names).empty());
}

TEST(ResolvePlace, RegionsCountriesAndErrors) {
  const CountryNames countries = CountryNames::Load(testing::SourceDir() / "data" / "kz");
  ASSERT_FALSE(countries.empty());
  EXPECT_EQ(countries.Find("Россия"), "RUS");
  EXPECT_EQ(countries.Find("Germany"), "DEU");
  EXPECT_EQ(countries.Find("deu"), "DEU");
  EXPECT_EQ(countries.Find("Ресей"), "RUS");
  EXPECT_FALSE(countries.Find("Narnia"));

  EXPECT_EQ(ResolvePlace("--region", "г. Алматы", &countries).region, "75");
  EXPECT_EQ(ResolvePlace("--region", "Германия", &countries).country, "DEU");
  try {
    ResolvePlace("--region", "Germny", &countries);
    FAIL() << "an unknown name must be an error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("closest: Germany (DEU)"), std::string::npos)
        << error.what();
  }
  try {
    ResolvePlace("--region", "99", nullptr);
    FAIL() << "an unknown code must be an error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("KATO codes of the regions are 10, 11"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(ResolvePlace("--region", "Almaty", nullptr), InputError);  // city or region?
}

TEST(RequireYear, NamesTheYearsWithData) {
  EXPECT_NO_THROW(RequireYear("--year", 2023, {2022, 2023}, "x"));
  try {
    RequireYear("--year", 2021, {2022, 2023, 2024}, "net_internal");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--year 2021: net_internal has no data for 2021; years with data: 2022–2024");
  }
  try {
    RequireYear("--year", 1990, {2009, 2010}, "population_jan1 and population_avg", true);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--year 1990: population_jan1 and population_avg have no data for 1990; years "
              "with data: 2009–2010");
  }
}

}  // namespace
}  // namespace kazmig::app

#include "kazmig/core/region.h"

#include <gtest/gtest.h>

#include <set>

#include "kazmig/core/error.h"

namespace kazmig {
namespace {

TEST(RegionSystem, BuiltinVintagesHaveTheRightUnits) {
  EXPECT_EQ(RegionSystem::Builtin("kz-2009").size(), 16u);
  EXPECT_EQ(RegionSystem::Builtin("kz-2018").size(), 17u);
  EXPECT_EQ(RegionSystem::Builtin("kz-2022").size(), 20u);
  const auto& kz2018 = RegionSystem::Builtin("kz-2018");
  EXPECT_FALSE(kz2018.IndexOfId("51").has_value());
  EXPECT_TRUE(kz2018.IndexOfId("61").has_value());
  EXPECT_TRUE(kz2018.IndexOfId("79").has_value());
  EXPECT_FALSE(kz2018.IndexOfId("10").has_value());
  const auto& kz2009 = RegionSystem::Builtin("kz-2009");
  EXPECT_TRUE(kz2009.IndexOfId("51").has_value());
  EXPECT_FALSE(kz2009.IndexOfId("79").has_value());
}

TEST(RegionSystem, IdsAreUniqueAndCentroidsInsideKazakhstan) {
  for (const auto& name : RegionSystem::BuiltinNames()) {
    const auto& system = RegionSystem::Builtin(name);
    std::set<std::string> ids;
    for (const auto& region : system.regions()) {
      EXPECT_TRUE(ids.insert(region.id).second) << name << " " << region.id;
      EXPECT_GT(region.latitude, 40.5) << region.id;
      EXPECT_LT(region.latitude, 55.5) << region.id;
      EXPECT_GT(region.longitude, 46.5) << region.id;
      EXPECT_LT(region.longitude, 87.5) << region.id;
      EXPECT_FALSE(region.name_kk.empty());
      EXPECT_FALSE(region.name_ru.empty());
    }
  }
}

TEST(RegionSystem, ResolvesCodesAndNamesInThreeLanguages) {
  const auto& kz = RegionSystem::Builtin("kz-2022");
  const size_t almaty_city = *kz.IndexOfId("75");
  EXPECT_EQ(kz.Resolve("75"), almaty_city);
  EXPECT_EQ(kz.Resolve("KZ-ALA"), almaty_city);
  EXPECT_EQ(kz.Resolve("г. Алматы"), almaty_city);
  EXPECT_EQ(kz.Resolve("Almaty city"), almaty_city);
  EXPECT_EQ(kz.Resolve("ALMATY (CITY)"), almaty_city);
  EXPECT_EQ(kz.Resolve("750000000"), almaty_city);
  const size_t astana = *kz.IndexOfId("71");
  EXPECT_EQ(kz.Resolve("Nur-Sultan"), astana);
  EXPECT_EQ(kz.Resolve("Нур-Султан"), astana);
  EXPECT_EQ(kz.Resolve("Astana city"), astana);
  EXPECT_EQ(kz.Resolve("Шығыс Қазақстан"), *kz.IndexOfId("63"));
  EXPECT_EQ(kz.Resolve("ШЫҒЫС ҚАЗАҚСТАН"), *kz.IndexOfId("63"));
  EXPECT_EQ(kz.Resolve("Восточно-Казахстанская область"), *kz.IndexOfId("63"));
  EXPECT_EQ(kz.Resolve("Солтүстiк Қазақстан"), *kz.IndexOfId("59"));  // Latin i, as in geokz
  EXPECT_EQ(kz.Resolve("Qaraganda"), *kz.IndexOfId("35"));
  EXPECT_EQ(kz.Resolve("Almaty region"), *kz.IndexOfId("19"));
  EXPECT_EQ(kz.Resolve("Алматинская"), *kz.IndexOfId("19"));
  EXPECT_EQ(RegionSystem::Builtin("kz-2009").Resolve("ЮКО"),
            *RegionSystem::Builtin("kz-2009").IndexOfId("51"));
}

TEST(RegionSystem, AmbiguousAndUnknownNamesAreInputErrors) {
  const auto& kz = RegionSystem::Builtin("kz-2022");
  try {
    kz.Resolve("Almaty", "flows.csv:3:1");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ambiguous"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("flows.csv:3:1: ", 0), 0u) << e.what();
    EXPECT_EQ(e.exit_code(), ExitCode::kInvalidInput);
  }
  EXPECT_THROW(kz.Resolve("Atlantis"), InputError);
  EXPECT_FALSE(kz.Find("South Kazakhstan").has_value());  // not a unit of the 2022 vintage
  EXPECT_THROW(RegionSystem::Builtin("kz-1999"), UsageError);
}

TEST(RegionSystem, GenericSystemsMatchIdsExactly) {
  auto countries = RegionSystem::FromIds("countries", {"KAZ", "RUS", "KAZ", "UZB"});
  ASSERT_EQ(countries.size(), 3u);
  EXPECT_EQ(countries.Resolve("RUS"), 1u);
  EXPECT_FALSE(countries.Find("rus").has_value());
  EXPECT_THROW(countries.Resolve("DEU"), InputError);
}

TEST(NormalizeRegionKey, FoldsCaseAndDropsPunctuation) {
  EXPECT_EQ(NormalizeRegionKey("  Nur-Sultan (city) "), "nursultancity");
  EXPECT_EQ(NormalizeRegionKey("ҚАРАҒАНДЫ"), NormalizeRegionKey("қарағанды"));
  EXPECT_EQ(NormalizeRegionKey("Ёлка"), NormalizeRegionKey("елка"));
  EXPECT_EQ(NormalizeRegionKey(""), "");
  EXPECT_EQ(NormalizeRegionKey("\xff\xfe"), "");  // invalid UTF-8 is dropped, not a crash
}

}  // namespace
}  // namespace kazmig

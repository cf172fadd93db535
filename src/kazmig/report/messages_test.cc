#include "kazmig/report/messages.h"

#include <gtest/gtest.h>

#include "kazmig/core/error.h"

namespace kazmig::report {
namespace {

TEST(Messages, LanguagesAndFallback) {
  EXPECT_EQ(ParseLang("en"), Lang::kEn);
  EXPECT_EQ(ParseLang("ru"), Lang::kRu);
  EXPECT_EQ(ParseLang("kk"), Lang::kKk);
  EXPECT_THROW(ParseLang("de"), UsageError);
  EXPECT_EQ(Msg(Lang::kEn, "sec.regions"), "Regions and boundaries");
  EXPECT_EQ(Msg(Lang::kRu, "sec.regions"), "Регионы и границы");
  EXPECT_EQ(Msg(Lang::kKk, "sec.regions"), "Өңірлер және шекаралар");
  // A message without Kazakh text falls back to Russian.
  ASSERT_FALSE(HasKazakh("balance.intro"));
  EXPECT_EQ(Msg(Lang::kKk, "balance.intro"), Msg(Lang::kRu, "balance.intro"));
  EXPECT_THROW(Msg(Lang::kEn, "no.such.message"), ComputeError);
  EXPECT_EQ(Tr(Lang::kRu, "key.gain", "г. Астана", 2024),
            "г. Астана: наибольший межрегиональный прирост, 2024");
}

TEST(Messages, RegionNames) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const Region& abai = system[*system.IndexOfId("10")];
  EXPECT_EQ(RegionName(abai, Lang::kEn), "Abai");
  EXPECT_EQ(RegionName(abai, Lang::kRu), "Абайская");
  EXPECT_EQ(LocalRegionName(system, "Abai", Lang::kRu), "Абайская");
  EXPECT_EQ(LocalRegionName(system, "Narnia", Lang::kRu), "Narnia");
}

}  // namespace
}  // namespace kazmig::report

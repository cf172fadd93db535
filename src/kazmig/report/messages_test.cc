#include "kazmig/report/messages.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

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

// The placeholders {N} of a message.
std::set<int> Placeholders(std::string_view text) {
  std::set<int> found;
  const std::regex placeholder(R"(\{(\d+)\})");
  const std::string copy(text);
  for (auto it = std::sregex_iterator(copy.begin(), copy.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    found.insert(std::stoi((*it)[1].str()));
  }
  return found;
}

// Every message has its English and Russian text; the Russian and Kazakh ones use no placeholder
// the English one lacks, and every text formats (no stray brace).
TEST(Messages, CatalogueIsComplete) {
  ASSERT_GT(MessageCount(), 300u);
  std::set<std::string_view> ids;
  for (size_t index = 0; index < MessageCount(); ++index) {
    const std::string_view id = MessageId(index);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_FALSE(Msg(Lang::kEn, id).empty()) << id;
    EXPECT_FALSE(Msg(Lang::kRu, id).empty()) << id;
    const std::set<int> english = Placeholders(Msg(Lang::kEn, id));
    for (Lang lang : {Lang::kRu, Lang::kKk}) {
      for (int placeholder : Placeholders(Msg(lang, id))) {
        EXPECT_TRUE(english.count(placeholder)) << id << " {" << placeholder << "}";
      }
      EXPECT_NO_THROW(Tr(lang, id, "a", "b", "c", "d", "e", "f", "g", "h")) << id;
    }
    EXPECT_NO_THROW(Tr(Lang::kEn, id, "a", "b", "c", "d", "e", "f", "g", "h")) << id;
  }
}

// The Russian texts are Russian: no run of two English words outside names and abbreviations.
TEST(Messages, RussianTextsHaveNoEnglishPhrases) {
  const std::regex english(R"(\b[a-z]{2,} [a-z]{2,}\b)");
  for (size_t index = 0; index < MessageCount(); ++index) {
    const std::string_view id = MessageId(index);
    const std::string russian(Msg(Lang::kRu, id));
    std::smatch match;
    if (std::regex_search(russian, match, english)) {
      // Sources and commands keep their English names.
      const std::string words = match.str();
      const bool allowed = words.find("kazmig") != std::string::npos ||
                           russian.find("Handbook") != std::string::npos || words == "et al";
      EXPECT_TRUE(allowed) << id << ": '" << words << "' in " << russian;
    }
  }
}

TEST(Messages, RegionNames) {
  const RegionSystem& system = RegionSystem::Builtin("kz-2022");
  const Region& abai = system[*system.IndexOfId("10")];
  EXPECT_EQ(RegionName(abai, Lang::kEn), "Abai");
  EXPECT_EQ(RegionName(abai, Lang::kRu), "Абайская");
  EXPECT_EQ(LocalRegionName(system, "Abai", Lang::kRu), "Абайская");
  EXPECT_EQ(LocalRegionName(system, "Narnia", Lang::kRu), "Narnia");
  // Over the built-in systems: a kz-2009 unit's name too.
  EXPECT_EQ(LocalRegionName("South Kazakhstan", Lang::kRu), "Южно-Казахстанская");
  EXPECT_EQ(LocalRegionName("Astana", Lang::kEn), "Astana");
  EXPECT_EQ(MsgOr(Lang::kRu, "risk.component.unemployment", "x"), "безработица");
  EXPECT_EQ(MsgOr(Lang::kRu, "risk.component.no_such", "no_such"), "no_such");
}

}  // namespace
}  // namespace kazmig::report

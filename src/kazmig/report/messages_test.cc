#include "kazmig/report/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

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
  // By hand, not std::regex: GCC 12 warns (maybe-uninitialized) inside <regex> in the sanitizer
  // build, and warnings are errors.
  std::set<int> found;
  for (size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    size_t end = open + 1;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end > open + 1 && end < text.size() && text[end] == '}') {
      found.insert(std::stoi(std::string(text.substr(open + 1, end - open - 1))));
    }
  }
  return found;
}

// The first run of two English words (each of two or more lowercase ASCII letters, a word on its
// own, separated by one space), or "" (the pattern \b[a-z]{2,} [a-z]{2,}\b).
std::string FirstEnglishPhrase(std::string_view text) {
  const auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  const auto lower_word = [](std::string_view word) {
    return word.size() >= 2 &&
           std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  std::vector<std::pair<size_t, size_t>> words;  // [begin, end) of each run of word characters
  for (size_t at = 0; at < text.size();) {
    if (!word_char(text[at])) {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && word_char(text[end])) ++end;
    words.emplace_back(at, end);
    at = end;
  }
  for (size_t idx = 0; idx + 1 < words.size(); ++idx) {
    const auto [begin, end] = words[idx];
    const auto [next_begin, next_end] = words[idx + 1];
    if (next_begin == end + 1 && text[end] == ' ' && lower_word(text.substr(begin, end - begin)) &&
        lower_word(text.substr(next_begin, next_end - next_begin))) {
      return std::string(text.substr(begin, next_end - begin));
    }
  }
  return "";
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
  EXPECT_EQ(FirstEnglishPhrase("Таблица: flows by region"), "flows by");
  EXPECT_EQ(FirstEnglishPhrase("Abel Cohen, x1 ab, ab_c de"), "");
  for (size_t index = 0; index < MessageCount(); ++index) {
    const std::string_view id = MessageId(index);
    const std::string russian(Msg(Lang::kRu, id));
    if (const std::string words = FirstEnglishPhrase(russian); !words.empty()) {
      // Sources and commands keep their English names.
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

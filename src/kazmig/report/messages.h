// The report's message catalogue: every heading, label and sentence the situation report writes
// in more than one language, keyed by a message id, in English (en), Russian (ru) and Kazakh (kk).
// A Kazakh message that is not written yet falls back to the Russian one, and the report says so.
//
//   report::Lang lang = report::ParseLang("ru");               // UsageError for anything else
//   std::string title = report::Msg(lang, "title");            // "Миграционная ситуация: ..."
//   std::string s = report::Tr(lang, "key.gain", "Astana", 2024);  // fmt placeholders {0} {1}
//   report::RegionName(region, lang);                          // name_en / name_ru / name_kk
#ifndef KAZMIG_REPORT_MESSAGES_H_
#define KAZMIG_REPORT_MESSAGES_H_

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "kazmig/core/region.h"

namespace kazmig::report {

enum class Lang { kEn, kRu, kKk };

// "en", "ru" or "kk"; throws UsageError naming the languages otherwise.
Lang ParseLang(std::string_view code);
// "en", "ru", "kk" (the html lang attribute).
std::string_view LangCode(Lang lang);

// The message `id` in `lang` (kk falls back to ru when it has no Kazakh text). Throws ComputeError
// (internal) for an unknown id.
std::string_view Msg(Lang lang, std::string_view id);

// Whether the catalogue has a message `id`.
bool HasMessage(std::string_view id);
// The message `id` in `lang` when the catalogue has one, else `fallback` (texts named by data:
// component ids, units, rule names).
std::string MsgOr(Lang lang, std::string_view id, std::string_view fallback);

// Whether the catalogue has a Kazakh text of `id` (false: Msg falls back to Russian).
bool HasKazakh(std::string_view id);

// Msg formatted with fmt (positional placeholders {0}, {1}, ... or {}).
template <typename... Args>
std::string Tr(Lang lang, std::string_view id, Args&&... args) {
  return fmt::format(fmt::runtime(Msg(lang, id)), std::forward<Args>(args)...);
}

// The name of a region in `lang` (the built-in names of the region system).
const std::string& RegionName(const Region& region, Lang lang);
// The name in `lang` of the region of `system` whose English name is `name_en`; `name_en` itself
// when there is none (a name from another source).
std::string LocalRegionName(const RegionSystem& system, const std::string& name_en, Lang lang);
// The same over the built-in systems kz-2022, kz-2018 and kz-2009 (the first that has the name).
std::string LocalRegionName(const std::string& name_en, Lang lang);
// The number of messages and the id of the i-th (tests: every message in every language).
size_t MessageCount();
std::string_view MessageId(size_t index);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_MESSAGES_H_

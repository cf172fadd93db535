// The report's "Policy measures and their effects" section lays out the policy options of the
// projection scenarios: one row per scenario, with its measures, the projected and the measured
// effect (marked estimated) and the sentence.
#include "kazmig/report/policy_section.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

// The register's state resettlement programme to the north, affecting units 11 and 39.
app::PolicyMeasureSummary ResettlementNorth() {
  return {"resettlement-north", "2017-01-01", 2017.0,   "State resettlement",
          "programme",          "11, 39",     "adilet", false,
          {"11", "39"}};
}

TEST(PolicySection, OptionsTableHasOneRowPerScenario) {
  app::SituationInput data;
  data.policy.present = true;
  data.policy.measures = {ResettlementNorth()};
  const char* names[] = {"baseline",        "emigration-shock",   "kandas-inflow",
                         "relocant-inflow", "resettlement-quota", "urban-pull"};
  for (const char* name : names) {
    app::PolicyOptionRow row;
    row.scenario = name;
    row.description = std::string("Description of ") + name;
    row.target = "KZ";
    row.target_name = "Kazakhstan";
    row.year = 2035;
    row.assumes_nothing = row.scenario == "baseline";
    if (row.scenario == "resettlement-quota") {
      row.measures = {"resettlement-north"};
      row.target = "NORTH";
      row.target_name = "North";
      row.diff = 52000;
      row.diff_low = 40000;
      row.diff_high = 61000;
      row.effects.push_back({"resettlement-north", "did", "per 1,000", 4.9, -3.3, 13.1, false});
    }
    data.policy.options.push_back(row);
  }
  Document document("t", "s");
  AddPolicySection(data, document);
  const std::string html = document.Render();
  EXPECT_GE(
      CountOccurrences(html, "Policy options in the projections and the measures behind them"), 1u);
  for (const char* name : names) {
    EXPECT_EQ(CountOccurrences(html, std::string("<b>") + name + "</b>"), 1u) << name;
  }
  // The sentences are phrased from the rows' fields in English too, numbers in the report's style.
  EXPECT_EQ(CountOccurrences(html, "The baseline assumes no policy change"), 1u);
  EXPECT_EQ(CountOccurrences(html, "The scenario assumes none (trends continue)"), 5u);
  EXPECT_NE(html.find("by 2035 it moves North&#39;s population by +52,000 (95% +40,000 to "
                      "+61,000, projected, estimated)"),
            std::string::npos);
  EXPECT_NE(html.find("+52,000 in North, 2035"), std::string::npos);
  EXPECT_NE(html.find("+40,000 to +61,000"), std::string::npos);
  EXPECT_NE(html.find("not credible"), std::string::npos);
  EXPECT_EQ(CountOccurrences(html, ">none<"), 5u);  // the scenarios without a register measure

  // Without options (prospects not computed) the table is left out.
  data.policy.options.clear();
  Document bare("t", "s");
  AddPolicySection(data, bare);
  EXPECT_EQ(bare.Render().find("Policy options in the projections"), std::string::npos);
}

// Markers: a chart of the country gets every measure but boundary changes; a chart of some
// regions gets the national measures and those affecting one of its regions, compared through
// the kz-2022 atoms (kz-2009's East Kazakhstan, 63, holds today's Abai, 10).
TEST(PolicyMarkers, NationalAndTheShownRegionsMeasuresOnly) {
  app::SituationInput data;
  data.policy.present = true;
  data.policy.measures = {
      {"law", "2011-07-22", 2011.55, "A law", "law", "all", "", true, {}},
      {"north", "2017-01-01", 2017.0, "North", "programme", "11, 39", "", false, {"11", "39"}},
      {"abai", "2019-01-01", 2019.0, "Abai", "programme", "10", "", false, {"10"}},
      {"cities", "2020-01-01", 2020.0, "Cities", "programme", "75", "", false, {"75"}},
      {"split",
       "2022-06-08",
       2022.4,
       "New regions",
       "boundary",
       "10, 33, 62",
       "",
       false,
       {"10", "33", "62"}}};
  const auto ids = [](const std::vector<ChartMarker>& markers) {
    std::vector<std::string> out;
    for (const ChartMarker& m : markers) out.push_back(m.label);
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids(PolicyMarkers(data)), (Ids{"law", "north", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"KZ"})), (Ids{"law", "north", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"11"})), (Ids{"law", "north"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"75", "10"})), (Ids{"law", "abai", "cities"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2009", {"63"})), (Ids{"law", "abai"}));
  EXPECT_EQ(ids(PolicyMarkers(data, "kz-2022", {"47"})), (Ids{"law"}));
  const std::vector<ChartMarker> one = PolicyMarkers(data, "kz-2022", {"11"});
  ASSERT_EQ(one.size(), 2u);
  EXPECT_DOUBLE_EQ(one[1].x, 2017.0);
  EXPECT_EQ(one[1].title, "2017-01-01: North");
}

}  // namespace
}  // namespace kazmig::report

namespace kazmig::report {
namespace {

// The DiD of the northern resettlement programme as the built-in data give it (app/policy.cc).
app::PolicyEffectSummary NorthDid() {
  app::PolicyEffectSummary e;
  e.measure = "resettlement-north";
  e.method = "did";
  e.outcome = "residual_net_rate";
  e.unit = "per 1,000";
  e.start = "2017";
  e.estimate = 4.9012;
  e.ci_low = -3.3012;
  e.ci_high = 13.1234;
  e.credible = true;
  e.message = "From 2017 on, the residual net migration rate ... (English)";
  e.treated = {"11", "15", "39", "55", "59"};
  e.units_vintage = "kz-2009";
  e.scope = "regions";
  e.units_used = 15;
  return e;
}

TEST(PolicySentence, RussianDidWithItsNumbers) {
  const app::PolicyEffectSummary e = NorthDid();
  EXPECT_EQ(PolicyEffectSentence(e, Lang::kEn), e.message);  // English: the use case's sentence
  EXPECT_EQ(PolicyEffectSentence(e, Lang::kRu),
            "Начиная с 2017 года показатель «коэффициент сальдо миграции (остаточный)» в 5 "
            "затронутых мерой регионах был на 4.90 ‰ выше, чем в незатронутых регионах, с учётом "
            "различий до введения меры (95-процентный доверительный интервал: от -3.30 до 13.1). "
            "Интервал включает ноль: по этим данным изменение нельзя отличить от случайного "
            "колебания.");
  // Kazakh falls back to Russian.
  EXPECT_EQ(PolicyEffectSentence(e, Lang::kKk), PolicyEffectSentence(e, Lang::kRu));
  EXPECT_EQ(PolicyUnitsText(e, Lang::kRu),
            "15 из 16 единиц kz-2009 (позднее образованные единицы объединены с ними, "
            "численности сложены); в рядах остальных есть пропуски");
}

TEST(PolicySentence, RussianItsInPersonsAndNotCredibleSynth) {
  app::PolicyEffectSummary its;
  its.method = "its";
  its.outcome = "intl_net";
  its.unit = "persons";
  its.start = "2018";
  its.estimate = -100680.4;
  its.ci_low = -182621;
  its.ci_high = -18740;
  its.credible = true;
  its.scope = "country";
  EXPECT_EQ(PolicyEffectSentence(its, Lang::kRu),
            "Начиная с 2018 года показатель «сальдо международной миграции» в Казахстане был на "
            "100,680 человек ниже, чем можно было ожидать по тренду до введения меры "
            "(95-процентный доверительный интервал: от -182,621 до -18,740). Интервал не включает "
            "ноль: изменение вряд ли случайно.");
  EXPECT_EQ(PolicyUnitsText(its, Lang::kRu), "Казахстан (национальный ряд)");

  app::PolicyEffectSummary synth = NorthDid();
  synth.method = "synth";
  synth.estimate = -4.08;
  synth.ci_low = -22.2;
  synth.ci_high = 14.0;
  synth.credible = false;
  synth.reason = "poor pre-period fit: ...";
  synth.reasons = {{"poor_fit", {4.3512, 0.5, 7.5713}, {}}};
  const std::string ru = PolicyEffectSentence(synth, Lang::kRu);
  EXPECT_NE(ru.find("на 4.08 ‰ ниже, чем во взвешенной комбинации незатронутых регионов"),
            std::string::npos)
      << ru;
  EXPECT_NE(ru.find("Это не является надёжным свидетельством эффекта: плохая подгонка до "
                    "введения меры: синтетический контроль отклоняется от ряда затронутых "
                    "регионов в среднем на 4.35 (RMSPE), что превышает 0.5 стандартного "
                    "отклонения этого ряда до меры (7.57)"),
            std::string::npos)
      << ru;
  EXPECT_EQ(PolicyReasonsText(synth, Lang::kEn), synth.reason);
}

TEST(PolicySentence, NoEstimateWithTwoReasonsAndRussianPlurals) {
  app::PolicyEffectSummary e;
  e.method = "its";
  e.outcome = "net_internal_rate";
  e.unit = "per 1,000";
  e.estimate = std::nan("");
  e.reasons = {{"few_pre", {1}, {}}, {"its_underdetermined", {3, 4}, {}}};
  EXPECT_EQ(PolicyEffectSentence(e, Lang::kRu),
            "Оценки нет: только 1 период до введения меры (чтобы увидеть тренд до меры, нужно не "
            "менее трёх); числа периодов (3) недостаточно для оценки коэффициентов сегментной "
            "регрессии (4).");
  EXPECT_EQ(PolicyReasonText({"few_pre", {2}, {}}, Lang::kRu).substr(0, 30),
            std::string("только 2 периода до введения меры").substr(0, 30));
  EXPECT_NE(PolicyReasonText({"few_pre", {11}, {}}, Lang::kRu).find("11 периодов"),
            std::string::npos);
  EXPECT_NE(PolicyReasonText({"few_pre", {21}, {}}, Lang::kRu).find("21 период "),
            std::string::npos);
  EXPECT_NE(PolicyReasonText({"pretrend", {0.0123, 0.05}, {}}, Lang::kRu).find("p = 0.012 < 0.05"),
            std::string::npos);
  // Every reason code the policy module writes has a Russian text (not the bare code).
  for (const char* code :
       {"few_pre", "no_pre", "no_post", "its_underdetermined", "its_singular", "national_did",
        "national_synth", "all_treated", "did_collinear", "few_donors", "pretrend", "poor_fit"}) {
    EXPECT_NE(PolicyReasonText({code, {1, 2, 3}, {"a", "b"}}, Lang::kRu), code) << code;
  }
}

TEST(PolicySentence, RussianOptionSentence) {
  app::PolicyOptionRow row;
  row.scenario = "resettlement-quota";
  row.year = 2035;
  row.measures = {"resettlement-north"};
  row.changes = {{"transfer", 9653, 2025, 2035}};
  row.diff = 95075;
  row.diff_low = 91178;
  row.diff_high = 98715;
  row.effects.push_back({"resettlement-north", "did", "per 1,000", 4.9, -3.3, 13.1, true});
  EXPECT_EQ(PolicyAssumedText(row, Lang::kRu),
            "9,653 человек в год перемещаются между регионами, 2025–2035 гг.");
  EXPECT_EQ(PolicyOptionSentence(row, Lang::kRu, "север"),
            "Сценарий предполагает: 9,653 человек в год перемещаются между регионами, "
            "2025–2035 гг.; к 2035 году он изменяет численность населения (север) на +95,100 "
            "(95%: от +91,200 до +98,700; прогноз, оценка). Измеренный эффект меры "
            "resettlement-north (разность разностей, оценка) пока нельзя отличить от нуля "
            "(+4.9 на 1 000, 95%: от -3.3 до +13.1).");
  app::PolicyOptionRow baseline;
  baseline.assumes_nothing = true;
  baseline.sentence = "The baseline assumes no policy change; it is the reference for the others.";
  EXPECT_EQ(PolicyOptionSentence(baseline, Lang::kEn, "Kazakhstan"), baseline.sentence);
  EXPECT_EQ(PolicyAssumedText(baseline, Lang::kRu), "нет (тренды сохраняются)");
  // English from the same fields: thousands separated, the projection to 3 significant digits.
  EXPECT_EQ(PolicyOptionSentence(row, Lang::kEn, "North"),
            "The scenario assumes 9,653 persons a year moved between regions, 2025-2035; by 2035 "
            "it moves North's population by +95,100 (95% +91,200 to +98,700, projected, "
            "estimated). resettlement-north's measured effect (difference-in-differences, "
            "estimated) so far "
            "cannot be told from zero (+4.9 per 1,000, 95% -3.3 to +13.1).");
  app::PolicyOptionRow persons;
  persons.changes = {{"international", 12000, 2025, 2035}};
  persons.measures = {"eaeu-90-180-2023"};
  persons.effects.push_back({"eaeu-90-180-2023", "its", "persons", -44550, -118455, 29355, true});
  EXPECT_EQ(PolicyOptionSentence(persons, Lang::kEn, "Kazakhstan"),
            "The scenario assumes international net +12,000 persons a year, 2025-2035. "
            "eaeu-90-180-2023's measured effect (interrupted time series, estimated) so far cannot "
            "be told from zero (-44,600 persons, 95% -118,000 to +29,400).");
}

// A register title is Russian from the catalogue while the catalogue's English is the register's
// title; another title under the same id (an edited register) is quoted in English.
TEST(PolicySection, RegisterTitlesInRussianOnlyForTheKnownTitle) {
  app::SituationInput data;
  data.policy.present = true;
  app::PolicyMeasureSummary law = ResettlementNorth();
  law.id = "law-477-iv";
  law.title = std::string(Msg(Lang::kEn, "measure.title.law-477-iv"));
  app::PolicyMeasureSummary edited = ResettlementNorth();
  edited.id = "concept-2007-2015";
  edited.title = "An edited title";
  data.policy.measures = {law, edited};
  Document document("t", "s", Lang::kRu);
  AddPolicySection(data, document);
  const std::string html = document.Render();
  EXPECT_NE(html.find("Закон Республики Казахстан № 477-IV «О миграции населения»"),
            std::string::npos);
  EXPECT_EQ(html.find("On population migration"), std::string::npos);
  EXPECT_NE(html.find("<span lang=\"en\">An edited title</span>"), std::string::npos);
}

// In Russian the section quotes no sentence kazmig writes in English: the evaluation sentences,
// their reasons and units and the gap notes are Russian; only data (titles) stay lang="en".
TEST(PolicySection, RussianSectionHasNoGeneratedEnglish) {
  app::SituationInput data;
  data.policy.present = true;
  data.policy.measures = {ResettlementNorth()};
  app::PolicyEffectSummary e = NorthDid();
  e.units = "15 of the 16 kz-2009 units";
  e.observed = {{2016, 1.0}, {2017, 2.0}};
  e.counterfactual = {{2016, 1.0}, {2017, 1.5}};
  data.policy.effects = {e};
  data.policy.gaps = {{"residual_net_rate", "51", "South Kazakhstan", 2000, 2022}};
  Document document("t", "s", Lang::kRu);
  AddPolicySection(data, document);
  const std::string html = document.Render();
  EXPECT_EQ(html.find("From 2017 on"), std::string::npos);
  EXPECT_EQ(html.find("kz-2009 units"), std::string::npos);
  EXPECT_EQ(html.find("left out"), std::string::npos);
  EXPECT_NE(html.find("в 5 затронутых мерой регионах был на 4.90 ‰ выше"), std::string::npos);
  EXPECT_NE(html.find("регион «Южно-Казахстанская» (51) не включён"), std::string::npos);
  // The measure's title in the timeline (the chart marks it in a tooltip too).
  EXPECT_EQ(CountOccurrences(html, "<span lang=\"en\">"), 1u);
  // English: the use case's sentence and the same gap note as before.
  Document english("t", "s");
  AddPolicySection(data, english);
  const std::string en = english.Render();
  EXPECT_NE(en.find(EscapeHtml(e.message)), std::string::npos);
  EXPECT_NE(en.find("residual_net_rate: South Kazakhstan (51) left out: its series has a gap in "
                    "2000-2022"),
            std::string::npos);
}

}  // namespace
}  // namespace kazmig::report

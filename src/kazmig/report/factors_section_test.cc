#include "kazmig/report/factors_section.h"

#include <gtest/gtest.h>

#include "kazmig/testing/testing.h"

namespace kazmig::report {
namespace {

using ::kazmig::testing::CountOccurrences;

TEST(CoefficientPlot, OneMarkPerRowHollowWhenTheIntervalIncludesZero) {
  CoefficientPlot plot;
  plot.title = "Effects";
  plot.rows = {{"Housing", 1.5, 0.7, 2.3}, {"Income", -1.4, -6.8, 4.0}, {"Other", NAN, NAN, NAN}};
  const std::string svg = RenderCoefficientPlot(plot);
  EXPECT_EQ(CountOccurrences(svg, "<g class=\"coef\">"), 3u);
  EXPECT_EQ(CountOccurrences(svg, "<circle"), 2u);
  EXPECT_EQ(CountOccurrences(svg, "fill=\"#ffffff\""), 1u);  // Income's interval includes zero
  EXPECT_NE(svg.find("+1.50e (+0.70 to +2.30)"), std::string::npos);
  EXPECT_NE(svg.find("not identified"), std::string::npos);
  EXPECT_NE(RenderCoefficientPlot({}).find("no data"), std::string::npos);
}

TEST(FactorsSections, FactorsAndPotentialMarkedEstimated) {
  app::SituationInput data;
  data.system = &RegionSystem::Builtin("kz-2022");
  app::FactorModel model;
  model.spec = "regional";
  model.n_obs = 125;
  model.provenance = Provenance::Estimated("factor model: regional panel", "test");
  app::FactorEstimate f;
  f.spec = "regional";
  f.factor = "housing_per_1000";
  f.label = "housing commissioned";
  f.change = "+100 m² per 1,000";
  f.effect = 1.5;
  f.effect_low = 0.74;
  f.effect_high = 2.26;
  f.effect_unit = "per 1,000 residents a year";
  f.statement = "Regions that commissioned more housing gained residents.";
  model.factors.push_back(f);
  model.not_identified.push_back("time-invariant traits");
  data.factor_models.push_back(model);
  app::CorridorFit corridor;
  corridor.partner = "RUS";
  corridor.name = "Russian Federation";
  corridor.period = "2015-2020";
  corridor.to_kaz = 525610;
  corridor.to_kaz_model = 527616;
  corridor.from_kaz = 783568;
  corridor.from_kaz_model = NAN;
  corridor.stock_in_kaz = 2352598;
  corridor.stock_from_kaz = NAN;
  data.factor_corridors.push_back(corridor);
  for (const Region& region : data.system->regions()) {
    app::RegionPotential r;
    r.region = region.id;
    r.name = region.name_en;
    r.net_rate = {0.5, -0.1, 1.1};
    r.net = {500, -100, 1100};
    data.potential.regions.push_back(r);
  }
  data.potential.scenario_name = "+20% income in the north";
  data.potential.provenance = "estimated: counterfactual prediction";
  Document document("Report", "test");
  AddFactorsSections(data, document);
  const std::string html = document.Render();
  EXPECT_NE(html.find("Factors: what drives migration"), std::string::npos);
  EXPECT_NE(html.find("Potential: what would change"), std::string::npos);
  EXPECT_NE(html.find("Regions that commissioned more housing gained residents."),
            std::string::npos);
  EXPECT_NE(html.find("Cannot identify: time-invariant traits"), std::string::npos);
  EXPECT_NE(html.find("no gravity model is fitted"), std::string::npos);
  EXPECT_EQ(CountOccurrences(html, "<g class=\"coef\">"), 1u);
  // Every figure and table of both sections carries the estimated badge; no map without
  // boundaries, but the potential table has all 20 regions.
  EXPECT_GE(CountOccurrences(html, "badge estimated"), 3u);
  EXPECT_NE(html.find("Shymkent"), std::string::npos);
  EXPECT_NE(html.find("+20% income in the north"), std::string::npos);
  EXPECT_NE(html.find("largest corridors 2015-2020"), std::string::npos);
  EXPECT_NE(html.find("526,000"), std::string::npos);  // 525,610: estimated, 3 digits
}

// In Russian: the plain-words sentences written from the estimates' fields (a clear effect, an
// interval including zero, a CIS year effect), names from the catalogue and the built-in names,
// and the model's data-dependent notes quoted in English.
TEST(FactorsSections, RussianStatementsFromTheEstimates) {
  app::SituationInput data;
  data.system = &RegionSystem::Builtin("kz-2022");
  app::FactorModel regional;
  regional.spec = "regional";
  regional.n_obs = 125;
  regional.years = "2015, 2017";
  regional.notes.push_back("93 of 125 balances are residuals");
  regional.provenance = Provenance::Estimated("factor model: regional panel", "test");
  app::FactorEstimate housing;
  housing.factor = "housing_per_1000";
  housing.coefficient = 0.015;
  housing.change = "+100 m² per 1,000";
  housing.effect = 1.5;
  housing.effect_low = 0.74;
  housing.effect_high = 2.26;
  app::FactorEstimate income = housing;
  income.factor = "log_rel_income";
  income.effect = -1.41;
  income.effect_low = -6.78;
  income.effect_high = 3.97;
  regional.factors = {housing, income};
  app::FactorModel cis = regional;
  cis.spec = "cis-departures";
  cis.notes.clear();
  app::FactorEstimate year;
  year.factor = "year_2022";
  year.coefficient = -0.44;
  year.change = "2022 vs 2016";
  year.effect = -35.6;
  year.effect_low = -36.7;
  year.effect_high = -34.4;
  cis.factors = {year};
  data.factor_models = {regional, cis};
  app::CorridorFit corridor;
  corridor.partner = "RUS";
  corridor.name = "Russian Federation";
  corridor.period = "2015-2020";
  data.factor_corridors.push_back(corridor);
  data.country_names_ru["RUS"] = "Россия";
  Document document("Доклад", "тест", Lang::kRu);
  AddFactorsSections(data, document);
  const std::string html = document.Render();
  EXPECT_NE(html.find("В регионах, где на 1 000 жителей было введено на 100 м² жилья больше (в "
                      "предыдущем году), сальдо миграции на 1 000 жителей в год было в среднем "
                      "на 1.50 (0.74\u20132.26) выше, при прочих равных условиях."),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("в среднем на 1.41 ниже (95-процентный интервал: от -6.78 до +3.97)"),
            std::string::npos);
  EXPECT_NE(html.find("Число выбывших в страны СНГ в 2022 году (по сравнению с 2016 годом) было в "
                      "среднем на 35.6% (34.4\u201336.7%) меньше, при неизменном составе "
                      "стран-партнёров."),
            std::string::npos);
  EXPECT_NE(html.find("Факторы миграции простыми словами"), std::string::npos);
  EXPECT_NE(html.find("<td>Россия</td>"), std::string::npos);
  EXPECT_NE(html.find("<span lang=\"en\">93 of 125 balances are residuals.</span>"),
            std::string::npos);
  EXPECT_EQ(html.find("other things equal"), std::string::npos);
  EXPECT_EQ(html.find("Regional balance"), std::string::npos);
}

TEST(FactorsSections, NothingToShowAddsNothing) {
  app::SituationInput data;
  Document document("Report", "test");
  AddFactorsSections(data, document);
  EXPECT_EQ(document.Render().find("Factors: what drives migration"), std::string::npos);
}

}  // namespace
}  // namespace kazmig::report

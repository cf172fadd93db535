// The use cases of `kazmig policy` (app/policy.h) against the issue's CLI contract: the register's
// JSON keys, the effect document's keys in every path (credible or not), the built-in outcomes
// (a national measure under DiD says credible: false with the reason and offers ITS; ITS fills
// its own fields), a user's panel (a gap, a treated id not in it: InputError; fewer than 3
// pre-periods: credible false with the reason), the ethnic composition read from the store, and
// the policy options of the projection scenarios.
#include "kazmig/app/policy.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "kazmig/app/builtin_kz_test.h"
#include "kazmig/app/policy_section.h"
#include "kazmig/app/project.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& EffectKeys() {
  static const std::vector<std::string> keys = {
      "method",  "estimate", "ci95",       "std_error", "pre_periods", "post_periods",
      "treated", "control",  "pretrend_p", "placebo_p", "credible",    "message"};
  return keys;
}

// Every key of the issue's contract is present, ci95 is a pair, credible a boolean, and the
// numbers are numbers or null (never absent, never a string).
void ExpectContract(const Json& doc, const std::string& what) {
  for (const std::string& key : EffectKeys()) {
    EXPECT_TRUE(doc.contains(key)) << what << ": no key " << key;
  }
  ASSERT_TRUE(doc["ci95"].is_array()) << what;
  EXPECT_EQ(doc["ci95"].size(), 2u) << what;
  EXPECT_TRUE(doc["credible"].is_boolean()) << what;
  for (const char* key : {"estimate", "std_error", "pretrend_p", "placebo_p"}) {
    EXPECT_TRUE(doc[key].is_number() || doc[key].is_null()) << what << ": " << key;
  }
  EXPECT_TRUE(doc["pre_periods"].is_number_integer()) << what;
  EXPECT_TRUE(doc["post_periods"].is_number_integer()) << what;
  EXPECT_TRUE(doc["treated"].is_array()) << what;
  EXPECT_TRUE(doc["control"].is_array()) << what;
  EXPECT_TRUE(doc["message"].is_string()) << what;
  EXPECT_FALSE(doc["message"].get<std::string>().empty()) << what;
  if (!doc["credible"].get<bool>()) {
    EXPECT_FALSE(doc["reason"].get<std::string>().empty()) << what << ": no reason";
  }
}

// A user's panel: 6 regions (A, B treated from 2004), 2000-2007, value = region + year effects
// + 3 in the treated regions from 2004.
std::string PanelCsv(int first = 2000, int last = 2007, const std::string& skip = "") {
  std::string text = "region,year,value\n";
  const char* regions[] = {"A", "B", "C", "D", "E", "F"};
  for (int r = 0; r < 6; ++r) {
    for (int year = first; year <= last; ++year) {
      const std::string key = std::string(regions[r]) + std::to_string(year);
      if (key == skip) continue;
      const double value = r + 0.5 * (year - first) + ((year * 7 + r * 3) % 5) * 0.1 +
                           (r < 2 && year >= 2004 ? 3 : 0);
      text += fmt::format("{},{},{}\n", regions[r], year, value);
    }
  }
  return text;
}

TEST(PolicyEffectUser, EveryPathCarriesTheContractKeys) {
  kazmig::testing::TempDir dir;
  const fs::path panel = dir.Write("panel.csv", PanelCsv());
  for (const char* method : {"its", "did", "synth"}) {
    PolicyEffectRequest request;
    request.series = panel.string();
    request.start = 2004;
    request.method = method;
    request.treated = {"A", "B"};
    const PolicyEffectResult r = RunPolicyEffect(request);
    ExpectContract(r.document, method);
    EXPECT_EQ(r.document["method"], method);
    EXPECT_EQ(r.document["pre_periods"], 4);
    EXPECT_EQ(r.document["post_periods"], 4);
  }
  // DiD recovers the +3 (the noise-free part is additive): the hand-made panel's effect.
  PolicyEffectRequest did;
  did.series = panel.string();
  did.start = 2004;
  did.treated = {"A", "B"};
  const PolicyEffectResult r = RunPolicyEffect(did);
  EXPECT_EQ(r.document["method"], "did");  // the default with --treated
  EXPECT_EQ(r.document["treated"], Json::array({"A", "B"}));
  EXPECT_EQ(r.document["control"], Json::array({"C", "D", "E", "F"}));
  const double estimate = r.document["estimate"].get<double>();
  EXPECT_GT(estimate, 2.5);
  EXPECT_LT(estimate, 3.5);
  EXPECT_LE(r.document["ci95"][0].get<double>(), estimate);
  EXPECT_GE(r.document["ci95"][1].get<double>(), estimate);
  EXPECT_TRUE(r.document["pretrend_p"].is_number());
  EXPECT_TRUE(r.document["placebo_p"].is_null());
}

TEST(PolicyEffectUser, FewerThanThreePrePeriodsIsNotCredibleWithTheReason) {
  kazmig::testing::TempDir dir;
  PolicyEffectRequest request;
  request.series = dir.Write("short.csv", PanelCsv(2002, 2007)).string();
  request.start = 2004;  // 2002, 2003: two pre-periods
  request.treated = {"A", "B"};
  for (const char* method : {"its", "did", "synth"}) {
    request.method = method;
    const PolicyEffectResult r = RunPolicyEffect(request);
    ExpectContract(r.document, method);
    EXPECT_FALSE(r.document["credible"].get<bool>()) << method;
    EXPECT_EQ(r.document["pre_periods"], 2) << method;
    EXPECT_NE(r.document["reason"].get<std::string>().find("only 2 pre-periods"), std::string::npos)
        << method << ": " << r.document["reason"];
  }
  // A start at or before the first year: no pre-period, no number.
  request.method = "its";
  request.start = 2002;
  const PolicyEffectResult none = RunPolicyEffect(request);
  ExpectContract(none.document, "no pre-period");
  EXPECT_FALSE(none.document["credible"].get<bool>());
  EXPECT_TRUE(none.document["estimate"].is_null());
  // After the last year: no post-period.
  request.start = 2010;
  const PolicyEffectResult after = RunPolicyEffect(request);
  ExpectContract(after.document, "no post-period");
  EXPECT_TRUE(after.document["estimate"].is_null());
}

TEST(PolicyEffectUser, GapsAndUnknownTreatedIdsAreInputErrors) {
  kazmig::testing::TempDir dir;
  PolicyEffectRequest request;
  request.series = dir.Write("gap.csv", PanelCsv(2000, 2007, "C2003")).string();
  request.start = 2004;
  request.treated = {"A"};
  try {
    RunPolicyEffect(request);
    FAIL() << "a panel with a gap gave a number";
  } catch (const InputError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("gap.csv"), std::string::npos) << what;
    EXPECT_NE(what.find("region C has no value for 2003"), std::string::npos) << what;
  }
  request.series = dir.Write("ok.csv", PanelCsv()).string();
  request.treated = {"A", "Atlantis"};
  try {
    RunPolicyEffect(request);
    FAIL() << "a treated id not in the panel gave a number";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("Atlantis"), std::string::npos) << error.what();
  }
  // Options that do not fit together are usage errors.
  PolicyEffectRequest both = request;
  both.measure = "law-477-iv";
  EXPECT_THROW(RunPolicyEffect(both), UsageError);
  PolicyEffectRequest no_start;
  no_start.series = request.series;
  EXPECT_THROW(RunPolicyEffect(no_start), UsageError);
}

// The built-in data (the repository's data/kz, loaded once into a temporary store).
class PolicyBuiltin : public BuiltinKzTest<PolicyBuiltin> {
 protected:
  static PolicyEffectResult Effect(const std::string& measure, const std::string& outcome,
                                   const std::string& method = "") {
    PolicyEffectRequest request;
    request.measure = measure;
    request.outcome = outcome;
    request.method = method;
    return RunPolicyEffect(*kz_, request);
  }
};

// The components of change (also the report's section): natural increase is births minus deaths,
// the residual closes the accounting identity, consecutive years chain (the end of one is the
// start of the next), and the built-in data cover 2000-2022 at the kz-2009 units.
TEST_F(PolicyBuiltin, ComponentsOfChangeCloseTheAccountingIdentity) {
  const KzComponents c = KzComponentsOfChange(*kz_);
  ASSERT_FALSE(c.years.empty());
  EXPECT_EQ(c.years.front(), 2000);
  EXPECT_GE(c.years.back(), 2022);
  EXPECT_EQ(c.unit_ids.size(), RegionSystem::Builtin("kz-2009").size());
  size_t finite = 0;
  for (size_t y = 0; y < c.years.size(); ++y) {
    if (y > 0) {
      EXPECT_GT(c.years[y], c.years[y - 1]);
    }
    ASSERT_EQ(c.residual[y].size(), c.unit_ids.size());
    for (size_t u = 0; u < c.unit_ids.size(); ++u) {
      const std::string at = fmt::format("{} {}", c.unit_ids[u], c.years[y]);
      if (std::isnan(c.residual[y][u])) continue;
      ++finite;
      EXPECT_EQ(c.natural[y][u], c.births[y][u] - c.deaths[y][u]) << at;
      EXPECT_NEAR(c.population_end[y][u] - c.population_start[y][u],
                  c.natural[y][u] + c.residual[y][u], 1e-6)
          << at;
      if (y + 1 < c.years.size() && c.years[y + 1] == c.years[y] + 1 &&
          !std::isnan(c.population_start[y + 1][u])) {
        EXPECT_EQ(c.population_end[y][u], c.population_start[y + 1][u]) << at;
      }
    }
  }
  EXPECT_GT(finite, c.years.size() * 10);  // most units have every component in most years
}

TEST_F(PolicyBuiltin, ListHasTheContractKeys) {
  PolicyListRequest request;
  request.builtin_dir = kz_->builtin_dir();
  const PolicyListResult list = RunPolicyList(request);
  ASSERT_TRUE(list.document.is_array());
  ASSERT_GE(list.document.size(), 10u);
  for (const Json& item : list.document) {
    for (const char* key : {"id", "date", "title", "kind", "regions", "source"}) {
      EXPECT_TRUE(item.contains(key)) << item.dump() << ": " << key;
    }
    EXPECT_TRUE(item["regions"].is_array());
  }
  std::string previous;
  for (const Json& item : list.document) {  // by date
    EXPECT_LE(previous, item["date"].get<std::string>());
    previous = item["date"].get<std::string>();
  }
  EXPECT_EQ(list.table.columns(),
            (std::vector<std::string>{"id", "date", "title", "kind", "regions", "source"}));
}

TEST_F(PolicyBuiltin, NationalMeasureUnderDidIsNotCredibleAndOffersIts) {
  for (const char* method : {"did", "synth"}) {
    const PolicyEffectResult r = Effect("concept-2017-2021", "residual_net_rate", method);
    ExpectContract(r.document, method);
    EXPECT_EQ(r.document["method"], method);
    EXPECT_FALSE(r.document["credible"].get<bool>()) << method;
    EXPECT_TRUE(r.document["estimate"].is_null()) << method;
    const std::string reason = r.document["reason"];
    EXPECT_NE(reason.find("its"), std::string::npos) << reason;
    EXPECT_EQ(r.document["measure"], "concept-2017-2021");
    // Which series and units were used, and that the series is estimated.
    EXPECT_NE(r.document["series"].get<std::string>().find("estimated"), std::string::npos);
    EXPECT_NE(r.document["units"].get<std::string>().find("kz-2009"), std::string::npos);
  }
}

TEST_F(PolicyBuiltin, ItsOnTheNationalSeriesFillsItsFields) {
  // The default for a national measure is ITS on the national series.
  const PolicyEffectResult r = Effect("law-477-iv", "residual_net_rate");
  ExpectContract(r.document, "its");
  EXPECT_EQ(r.document["method"], "its");
  EXPECT_EQ(r.document["start"], "2012");     // dated 22 July 2011: the next year
  EXPECT_EQ(r.document["pre_periods"], 12);   // 2000-2011
  EXPECT_EQ(r.document["post_periods"], 11);  // 2012-2022
  EXPECT_TRUE(r.document["estimate"].is_number());
  EXPECT_TRUE(r.document["std_error"].get<double>() > 0);
  EXPECT_LT(r.document["ci95"][0].get<double>(), r.document["ci95"][1].get<double>());
  EXPECT_TRUE(r.document["pretrend_p"].is_null());  // ITS has no control group
  EXPECT_TRUE(r.document["placebo_p"].is_null());
  EXPECT_TRUE(r.document["slope_change"].is_number());
  EXPECT_GE(r.document["newey_west_lag"].get<int>(), 1);
  EXPECT_EQ(r.document["treated"], Json::array());
  EXPECT_EQ(r.document["path"].size(), 23u);
  // The official 2022-2024 nets cannot support a 2023 measure (one pre-period): said, no number
  // given as evidence.
  const PolicyEffectResult short_series = Effect("eaeu-90-180-2023", "net_internal_rate");
  ExpectContract(short_series.document, "net_internal_rate");
  EXPECT_FALSE(short_series.document["credible"].get<bool>());
}

TEST_F(PolicyBuiltin, RegionalMeasureDefaultsToDidOnItsUnits) {
  const PolicyEffectResult r = Effect("resettlement-north", "residual_net_rate");
  ExpectContract(r.document, "did");
  EXPECT_EQ(r.document["method"], "did");
  EXPECT_FALSE(r.document["treated"].empty());
  EXPECT_FALSE(r.document["control"].empty());
  EXPECT_TRUE(r.document["pretrend_p"].is_number());
  EXPECT_TRUE(r.document.contains("event_study"));
  // Unknown measures and outcomes are usage errors.
  EXPECT_THROW(Effect("no-such-measure", "residual_net_rate"), UsageError);
  EXPECT_THROW(Effect("law-477-iv", "no_such_outcome"), UsageError);
}

TEST_F(PolicyBuiltin, EthnicCompositionComesFromTheStore) {
  const ResultTable table = RunPolicyEthnicity(*kz_);
  ASSERT_EQ(table.row_count(), 12u);  // the shared table's rows
  EXPECT_EQ(table.at(0, "period").text, "2019");
  EXPECT_EQ(table.at(0, "flow").text, "departures");
  EXPECT_EQ(table.at(0, "ethnic_group").text, "Russian");
  EXPECT_EQ(table.at(0, "persons").number, 32800);
  EXPECT_TRUE(table.at(0, "share_pct").missing());
  size_t shares = 0;
  for (size_t row = 0; row < table.row_count(); ++row) {
    if (table.at(row, "period").text == "2013-01..2013-07") {
      ++shares;
      EXPECT_TRUE(table.at(row, "persons").missing());
      EXPECT_GT(table.at(row, "share_pct").number, 0);
    }
    EXPECT_NE(table.ProvenanceOf(row).find("official"), std::string::npos);
  }
  EXPECT_EQ(shares, 4u);
  // A composition, not a series: no regional rate is made of it.
  EXPECT_EQ(kz_->store().GetIndicator("intl_departures_by_ethnicity")->kind,
            store::IndicatorKind::kComposition);
  EXPECT_EQ(kz_->store().LoadSeriesRows("intl_departures_by_ethnicity").size(), 0u);
}

// The policy options of the projection scenarios: one row per built-in scenario with its
// measures (from the scenario file), its projected difference on its target row (from the
// comparison table), and its measures' evaluated effects. The projection itself is not run: the
// comparison rows are made here.
TEST_F(PolicyBuiltin, PolicyOptionsLinkScenariosToMeasuresAndEffects) {
  PolicySectionInput policy;
  ComputePolicySection(*kz_, policy);
  ASSERT_TRUE(policy.present);
  ProspectsInput prospects;
  prospects.available = true;
  prospects.year = 2035;
  for (const char* name : {"baseline", "resettlement-quota", "urban-pull", "kandas-inflow"}) {
    ScenarioProjection projected;
    projected.name = name;
    prospects.projection.scenarios.push_back(std::move(projected));
  }
  prospects.comparison =
      ResultTable({"scenario", "region", "name", "diff_baseline", "diff_lower95", "diff_upper95"});
  prospects.comparison.AddRow({Cell::Text("resettlement-quota"), Cell::Text("NORTH"),
                               Cell::Text("North"), Cell::Number(52000), Cell::Number(40000),
                               Cell::Number(61000)});
  prospects.comparison.AddRow({Cell::Text("resettlement-quota"), Cell::Text("KZ"),
                               Cell::Text("Kazakhstan"), Cell::Number(0), Cell::Number(0),
                               Cell::Number(0)});
  ComputePolicyOptions(*kz_, prospects, policy);
  ASSERT_EQ(policy.options.size(), 4u);
  const PolicyOptionRow& baseline = policy.options[0];
  EXPECT_EQ(baseline.scenario, "baseline");
  EXPECT_TRUE(baseline.measures.empty());
  EXPECT_EQ(baseline.assumed_change, "none (trends continue)");
  EXPECT_NE(baseline.sentence.find("reference"), std::string::npos);

  const PolicyOptionRow& quota = policy.options[1];
  EXPECT_EQ(quota.measures, std::vector<std::string>{"resettlement-north"});
  EXPECT_EQ(quota.target, "NORTH");
  EXPECT_EQ(quota.target_name, "North");
  EXPECT_EQ(quota.diff, 52000);
  EXPECT_EQ(quota.diff_low, 40000);
  EXPECT_EQ(quota.diff_high, 61000);
  EXPECT_NE(quota.assumed_change.find("persons a year moved between regions"), std::string::npos)
      << quota.assumed_change;
  // Its measure's evaluated designs (DiD and, when computed, the synthetic control).
  ASSERT_FALSE(quota.effects.empty());
  for (const PolicyOptionEffect& e : quota.effects) EXPECT_EQ(e.measure, "resettlement-north");
  EXPECT_NE(quota.sentence.find("+52000"), std::string::npos) << quota.sentence;
  EXPECT_NE(quota.sentence.find("resettlement-north's measured effect"), std::string::npos)
      << quota.sentence;

  const PolicyOptionRow& urban = policy.options[2];
  EXPECT_TRUE(urban.measures.empty());
  EXPECT_EQ(urban.target, "CITIES");
  EXPECT_TRUE(std::isnan(urban.diff));  // no comparison row given
  EXPECT_NE(urban.sentence.find("No measure in the register"), std::string::npos);

  const PolicyOptionRow& kandas = policy.options[3];
  EXPECT_EQ(kandas.measures, (std::vector<std::string>{"resettlement-north", "law-477-iv"}));
  EXPECT_EQ(kandas.target, "KZ");
}

TEST_F(PolicyBuiltin, PolicyOptionsRejectAnUnknownMeasureOrTarget) {
  PolicySectionInput policy;
  policy.present = true;
  policy.measures.push_back(
      {"resettlement-north", "2017-01-01", 2017.0, "t", "programme", "11", "", false, {"11"}});
  ProspectsInput prospects;
  prospects.available = true;
  prospects.year = 2035;
  ScenarioProjection projected;
  projected.name = "mine";
  prospects.projection.scenarios.push_back(projected);
  kazmig::testing::TempDir dir;
  const fs::path file =
      dir.Write("mine.json",
                R"({"name": "mine", "measures": ["resettlement-north", "nope"], "changes": []})");
  try {
    ComputePolicyOptions(*kz_, prospects, policy, dir.path().string());
    FAIL() << "an unknown measure id was accepted";
  } catch (const InputError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("mine.json"), std::string::npos) << what;
    EXPECT_NE(what.find("measures[1]"), std::string::npos) << what;
    EXPECT_NE(what.find("'nope'"), std::string::npos) << what;
  }
  dir.Write("mine.json", R"({"name": "mine", "target": "Atlantis", "changes": []})");
  try {
    ComputePolicyOptions(*kz_, prospects, policy, dir.path().string());
    FAIL() << "an unknown target was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("target"), std::string::npos) << error.what();
  }
  // A region given by name resolves to its id (the comparison's row).
  dir.Write("mine.json", R"({"name": "mine", "target": "Nur-Sultan", "changes": []})");
  ComputePolicyOptions(*kz_, prospects, policy, dir.path().string());
  ASSERT_EQ(policy.options.size(), 1u);
  EXPECT_EQ(policy.options[0].target, "71");
}

}  // namespace
}  // namespace kazmig::app

#include "kazmig/app/views.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "kazmig/app/builtin_kz_test.h"
#include "kazmig/core/error.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

namespace fs = std::filesystem;

store::FlowRow Flow(std::string orig, std::string dest, int year, std::string period,
                    double value) {
  store::FlowRow row;
  row.indicator = "abel_flows";
  row.orig = std::move(orig);
  row.dest = std::move(dest);
  row.year = year;
  row.period = std::move(period);
  row.value = value;
  return row;
}

TEST(InternationalChord, OfficialYearsAndAggregatesInTheOneSelection) {
  // The chord of /api/flows/international is app::SelectLargestCorridors: annual official rows
  // (no period) are selected by their year, the CIS aggregates are never partners.
  const std::vector<store::FlowRow> flows = {
      Flow("KAZ", "RUS", 2023, "", 700), Flow("RUS", "KAZ", 2023, "", 500),
      Flow("UZB", "KAZ", 2023, "", 120), Flow("CIS", "KAZ", 2023, "", 5000),
      Flow("KAZ", "RUS", 2022, "", 800),
  };
  const IntlCorridors top = SelectLargestCorridors(flows, "2023", 1, nullptr);
  EXPECT_EQ(top.periods, (std::vector<std::string>{"2022", "2023"}));
  ASSERT_EQ(top.rows.size(), 1u);
  EXPECT_EQ(top.rows[0].partner, "RUS");
  EXPECT_EQ(top.rows[0].total, 1200);
  EXPECT_EQ(top.other_partners, 1u);  // UZB; not CIS
  EXPECT_EQ(top.other_to_kazakhstan, 120);
}

TEST(MeasuresAffecting, TheRegionAndTheCountry) {
  policy::Measure national{"law", {2011, 7, 22}, "Law", "law", true, {}, ""};
  policy::Measure north{"north", {2017, 1, 1}, "North", "programme", false, {"35", "59"}, ""};
  policy::Measure south{"south", {2018, 1, 1}, "South", "programme", false, {"61"}, ""};
  const std::vector<policy::Measure> all = {national, north, south};
  const auto ids = [](const std::vector<policy::Measure>& measures) {
    std::vector<std::string> out;
    for (const policy::Measure& m : measures) out.push_back(m.id);
    return out;
  };
  EXPECT_EQ(ids(MeasuresAffecting(all, "59")), (std::vector<std::string>{"law", "north"}));
  EXPECT_EQ(ids(MeasuresAffecting(all, "61")), (std::vector<std::string>{"law", "south"}));
  EXPECT_EQ(ids(MeasuresAffecting(all, "75")), (std::vector<std::string>{"law"}));
  EXPECT_EQ(ids(MeasuresAffecting(all, "KZ")), (std::vector<std::string>{"law", "north", "south"}));
}

TEST(MapIndicators, EightWithLabelsAndUnits) {
  ASSERT_EQ(MapIndicators().size(), 8u);
  EXPECT_EQ(MapIndicators().front().id, "net_rate");
  for (const MapIndicator& indicator : MapIndicators()) {
    EXPECT_FALSE(indicator.label.empty());
    EXPECT_FALSE(indicator.unit.empty());
  }
}

// The built-in data (the repository's data/kz, loaded once into a temporary store).
class ViewsBuiltin : public BuiltinKzTest<ViewsBuiltin> {
 protected:
  static const Json* ValueOf(const Json& layer, const std::string& region) {
    for (const Json& row : layer.at("values")) {
      if (row.at("region") == region) return &row;
    }
    return nullptr;
  }
};

TEST_F(ViewsBuiltin, NetRateIsAllFlowsPerThousandWhereComplete) {
  const Json layer = MapLayer(*kz_, {.indicator = "net_rate", .year = 2023});
  EXPECT_EQ(layer.at("values").size(), 20u);
  // data/kz: net_all of Abai (10) in 2023 is -7141, its average population 608,893.5.
  const Json* abai = ValueOf(layer, "10");
  ASSERT_NE(abai, nullptr);
  EXPECT_NEAR(abai->at("value").get<double>(), -7141.0 / 608893.5 * 1000.0, 1e-9);
  EXPECT_EQ(abai->at("provenance").at("kind"), "official");
  EXPECT_EQ(abai->at("provenance").at("method"), "net_all / population_avg * 1000");
  // 2022 has no net_all: inter-regional only (Almaty city: 35,302 / 2,131,693).
  const Json older = MapLayer(*kz_, {.indicator = "net_rate", .year = 2022});
  EXPECT_NEAR(ValueOf(older, "75")->at("value").get<double>(), 35302.0 / 2131693.0 * 1000.0, 1e-9);
  EXPECT_NE(older.at("note").get<std::string>().find("net_internal"), std::string::npos);
  // Default: the latest year; the years listed.
  const Json latest = MapLayer(*kz_, {.indicator = "net_rate"});
  EXPECT_EQ(latest.at("year"), latest.at("years").back());
  EXPECT_EQ(latest.at("indicators").size(), 8u);
}

TEST_F(ViewsBuiltin, AYearWithoutDataNamesTheYearsThatHave) {
  try {
    MapLayer(*kz_, {.indicator = "net_rate", .year = 1990});
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("available years: 2022, 2023, 2024"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(MapLayer(*kz_, {.indicator = "bogus"}), UsageError);
}

TEST_F(ViewsBuiltin, PlainLayersAreTheStoredValues) {
  const Json population = MapLayer(*kz_, {.indicator = "population", .year = 2023});
  EXPECT_EQ(ValueOf(population, "10")->at("value").get<double>(), 608893.5);
  EXPECT_EQ(ValueOf(population, "75")->at("value").get<double>(), 2195288.0);
  for (const char* id : {"arrivals", "departures", "unemployment", "income"}) {
    const Json layer = MapLayer(*kz_, {.indicator = id});
    size_t with_values = 0;
    for (const Json& row : layer.at("values")) {
      if (row.at("value").is_null()) continue;
      ++with_values;
      EXPECT_TRUE(row.contains("provenance")) << id;
    }
    EXPECT_GT(with_values, 0u) << id;
  }
}

TEST_F(ViewsBuiltin, SeriesBreaksAtBoundaryChangesAndTheRegistrationChange) {
  std::vector<int> years;
  for (const SeriesBreak& b : SeriesBreaks(*kz_, "population_jan1")) years.push_back(b.year);
  EXPECT_EQ(years, (std::vector<int>{2017, 2022}));
  EXPECT_TRUE(SeriesBreaks(*kz_, "population_avg").empty());  // recalculated to 2022 borders
  const std::vector<SeriesBreak> arrivals = SeriesBreaks(*kz_, "arrivals_internal");
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_EQ(arrivals[0].year, 2024);
  const Json notes = SeriesAnnotations(*kz_, "population_jan1", "59");
  EXPECT_EQ(notes.at("breaks").size(), 2u);
  EXPECT_FALSE(notes.at("measures").empty());
}

TEST_F(ViewsBuiltin, InternalFlowsAreTheStoredEstimateWithItsBand) {
  const Json view = InternalFlowsView(*kz_, 0);
  const int year = view.at("year");
  EXPECT_EQ(year, view.at("years").back());
  const StoredOd* od = kz_->FindStoredOd(year);
  ASSERT_NE(od, nullptr);
  ASSERT_EQ(view.at("flows").size(), 20u * 19u);
  EXPECT_EQ(view.at("regions").size(), 20u);
  const Json& first = view.at("flows").front();
  EXPECT_EQ(first.at("value").get<double>(), od->central(0, 1));
  for (const Json& flow : view.at("flows")) {
    EXPECT_LE(flow.at("low").get<double>(), flow.at("value").get<double>());
    EXPECT_LE(flow.at("value").get<double>(), flow.at("high").get<double>());
    EXPECT_EQ(flow.at("provenance").at("kind"), "estimated");
  }
  EXPECT_THROW(InternalFlowsView(*kz_, 1990), UsageError);
}

TEST_F(ViewsBuiltin, InternationalCorridorsAndTheirChord) {
  const Json view = InternationalFlowsView(*kz_, "");
  EXPECT_EQ(view.at("period"), view.at("periods").back());
  const Json& chord = view.at("chord");
  ASSERT_FALSE(chord.at("links").empty());
  EXPECT_EQ(chord.at("nodes").front().at("id"), "KAZ");
  // The same corridors, in the same order, as the report's chord diagram (one selection).
  const IntlCorridors top =
      LargestCorridors(*kz_, view.at("period").get<std::string>(), kChordCorridors);
  ASSERT_EQ(chord.at("nodes").size(), top.rows.size() + 1);
  for (size_t i = 0; i < top.rows.size(); ++i) {
    EXPECT_EQ(chord.at("nodes")[i + 1].at("id"), top.rows[i].partner);
  }
  double sum = 0;
  for (const Json& link : chord.at("links")) sum += link.at("value").get<double>();
  double total = 0;
  for (const IntlCorridor& row : top.rows) total += row.total;
  EXPECT_DOUBLE_EQ(sum, total);
  for (const Json& row : view.at("rows")) {
    EXPECT_TRUE(row.at("provenance").at("kind") == "official" ||
                row.at("provenance").at("kind") == "estimated");
  }
  const Json official = InternationalFlowsView(*kz_, "2023");
  EXPECT_EQ(official.at("chord").at("source"), "official");
  for (const Json& row : official.at("rows")) EXPECT_EQ(row.at("year"), 2023);
  EXPECT_THROW(InternationalFlowsView(*kz_, "1800-1805"), UsageError);
}

}  // namespace
}  // namespace kazmig::app

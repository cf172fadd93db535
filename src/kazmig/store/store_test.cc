#include "kazmig/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/store/builtin.h"
#include "kazmig/testing/testing.h"

namespace kazmig::store {
namespace {

using ::kazmig::testing::TempDir;

size_t IndexOf(const RegionSeries& series, const std::string& id) {
  const auto& ids = series.region_ids();
  return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

Batch SmallBatch() {
  Batch batch;
  batch.dataset = "test";
  batch.indicators = {{"births", IndicatorKind::kSeries, "persons", "live births"},
                      {"moves", IndicatorKind::kFlows, "persons", ""},
                      {"stock", IndicatorKind::kStocks, "persons", ""}};
  const Provenance bns = Provenance::Official("BNS table 6548", "2024 release");
  const Provenance est = Provenance::Estimated("thousands-separator correction", "x/1000");
  batch.series = {{"births", "kz-2022", "75", 2023, 31234, bns},
                  {"births", "kz-2022", "71", 2023, 29000.5, bns},
                  {"births", "kz-2022", "KZ", 2023, 400000, bns},
                  {"births", "kz-2022", "75", 2022, 30000, est}};
  batch.flows = {{"moves", "iso3", "RUS", "KAZ", 2023, "", 11711, bns},
                 {"moves", "iso3", "UZB", "KAZ", 2023, "", 6519, bns},
                 {"moves", "iso3", "UZB", "KAZ", 2015, "2015-2020", 12, est}};
  batch.stocks = {{"stock", "iso3", "KAZ", "RUS", 2020, 2.5e6, bns}};
  return batch;
}

TEST(Store, MigratesNewDatabaseToLatestVersion) {
  TempDir tmp;
  Store db = Store::Open(tmp.path() / "sub" / "k.db");
  EXPECT_EQ(db.schema_version(), Store::LatestSchemaVersion());
  EXPECT_GE(Store::LatestSchemaVersion(), 1);
  EXPECT_FALSE(db.HasDataset("kz"));
  // Reopening an up-to-date database does not write to it.
  const std::string before = io::ReadFile(tmp.path() / "sub" / "k.db");
  { Store again = Store::Open(tmp.path() / "sub" / "k.db"); }
  EXPECT_EQ(io::ReadFile(tmp.path() / "sub" / "k.db"), before);
}

TEST(Store, RejectsAFileThatIsNotADatabase) {
  TempDir tmp;
  const auto path = tmp.Write("junk.db", std::string(5000, 'x'));
  EXPECT_THROW(Store::Open(path), ComputeError);
}

TEST(Store, MarksItsDatabasesAndRefusesAnotherProgramsDatabase) {
  TempDir tmp;
  { Store db = Store::Open(tmp.path() / "k.db"); }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((tmp.path() / "k.db").c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA application_id", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(stmt, 0), 0x4B5A4D47);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    // Another program's database: a table of its own, no mark.
    ASSERT_EQ(sqlite3_open((tmp.path() / "other.db").c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE notes (body TEXT)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  const std::string before = io::ReadFile(tmp.path() / "other.db");
  try {
    Store::Open(tmp.path() / "other.db");
    ADD_FAILURE() << "a foreign database was opened";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("not a kazmig database"), std::string::npos);
  }
  EXPECT_EQ(io::ReadFile(tmp.path() / "other.db"), before);  // untouched
}

TEST(Store, WritesAndLoadsSeriesWithProvenance) {
  Store db = Store::OpenInMemory();
  db.Write(SmallBatch());
  ASSERT_TRUE(db.HasDataset("test"));
  RegionSeries births = db.LoadSeries("births", "kz-2022", "test");
  EXPECT_EQ(births.unit(), "persons");
  // Built-in vintage: all 20 regions in system order, then "KZ".
  ASSERT_EQ(births.region_count(), 21u);
  EXPECT_EQ(births.region_ids().back(), "KZ");
  const size_t almaty = IndexOf(births, "75");
  EXPECT_EQ(births.Get(almaty, 2023).value(), 31234);
  EXPECT_EQ(births.ProvenanceOf(almaty, 2023).source, "BNS table 6548");
  EXPECT_FALSE(births.ProvenanceOf(almaty, 2022).official());
  EXPECT_EQ(births.Years(), (std::vector<int>{2022, 2023}));
  EXPECT_EQ(db.LoadSeries("births", "kz-2018", "test").region_count(), 0u);
  EXPECT_EQ(db.LoadSeries("nothing", "kz-2022", "test").region_count(), 0u);
}

TEST(Store, LoadsFlowsAndStocksOrderedByYear) {
  Store db = Store::OpenInMemory();
  db.Write(SmallBatch());
  const auto flows = db.LoadFlows("moves", "test");
  ASSERT_EQ(flows.size(), 3u);
  EXPECT_EQ(flows[0].year, 2015);
  EXPECT_EQ(flows[0].period, "2015-2020");
  EXPECT_EQ(flows[1].orig, "RUS");
  EXPECT_EQ(flows[1].value, 11711);
  const auto stocks = db.LoadStocks("stock", "test");
  ASSERT_EQ(stocks.size(), 1u);
  EXPECT_EQ(stocks[0].por, "RUS");
}

TEST(Store, ListsIndicatorsWithCoverage) {
  Store db = Store::OpenInMemory();
  db.Write(SmallBatch());
  const auto list = db.ListIndicators("test");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "births");
  EXPECT_EQ(list[0].first_year, 2022);
  EXPECT_EQ(list[0].last_year, 2023);
  EXPECT_EQ(list[0].value_count, 4);
  EXPECT_EQ(list[0].region_count, 3);
  EXPECT_EQ(list[0].provenance_kinds, (std::vector<std::string>{"official", "estimated"}));
}

TEST(Store, UpsertReplacesAndReplaceDatasetClears) {
  Store db = Store::OpenInMemory();
  db.Write(SmallBatch());
  Batch update;
  update.dataset = "test";
  update.series = {{"births", "kz-2022", "75", 2023, 1, Provenance::Official("newer")}};
  db.Write(update);  // indicator already described in the store
  RegionSeries births = db.LoadSeries("births", "kz-2022", "test");
  EXPECT_EQ(births.Get(IndexOf(births, "75"), 2023).value(), 1);
  Batch fresh;
  fresh.dataset = "test";
  fresh.indicators = {{"deaths", IndicatorKind::kSeries, "persons", ""}};
  fresh.series = {{"deaths", "kz-2022", "75", 2023, 5, Provenance::Official("x")}};
  db.Write(fresh, WriteMode::kReplaceDataset);
  EXPECT_EQ(db.LoadSeriesRows("births", "test").size(), 0u);
  EXPECT_EQ(db.LoadSeriesRows("deaths", "test").size(), 1u);
  EXPECT_TRUE(db.DeleteDataset("test"));
  EXPECT_FALSE(db.HasDataset("test"));
  EXPECT_FALSE(db.DeleteDataset("test"));
}

TEST(Store, FailingWriteLeavesTheFileByteIdentical) {
  TempDir tmp;
  const auto path = tmp.path() / "k.db";
  {
    Store db = Store::Open(path);
    db.Write(SmallBatch());
  }
  const std::string before = io::ReadFile(path);
  Store db = Store::Open(path);
  Batch bad = SmallBatch();
  bad.series.push_back(bad.series.front());  // duplicated key
  EXPECT_THROW(db.Write(bad), InputError);
  Batch nan = SmallBatch();
  nan.series[1].value = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(db.Write(nan), InputError);
  Batch undescribed;
  undescribed.dataset = "test";
  undescribed.series = {{"unknown", "kz-2022", "75", 2023, 1, Provenance::Official("x")}};
  EXPECT_THROW(db.Write(undescribed), InputError);
  Batch wrong_kind;
  wrong_kind.dataset = "test";
  wrong_kind.flows = {{"births", "kz-2022", "75", "71", 2023, "", 1, Provenance::Official("x")}};
  EXPECT_THROW(db.Write(wrong_kind), InputError);
  EXPECT_EQ(io::ReadFile(path), before);
  EXPECT_EQ(db.LoadSeriesRows("births", "test").size(), 4u);
}

TEST(Store, PreliminaryFlagSurvivesTheDatabaseAndTheDatasetFolder) {
  Provenance preliminary = Provenance::Official("CIS-Stat", "transcribed; 2025 may be preliminary");
  preliminary.preliminary = true;
  const Provenance final_figure = Provenance::Official("CIS-Stat", "transcribed");
  Batch batch;
  batch.dataset = "test";
  batch.indicators.push_back({"intl_arrivals", IndicatorKind::kSeries, "persons", ""});
  batch.series.push_back({"intl_arrivals", "kz-2022", "KZ", 2024, 29282, final_figure});
  batch.series.push_back({"intl_arrivals", "kz-2022", "KZ", 2025, 23761, preliminary});
  TempDir tmp;
  WriteDatasetFolder(batch, tmp.path() / "test");
  for (const Batch& written : {batch, ReadDatasetFolder(tmp.path() / "test")}) {
    Store db = Store::OpenInMemory();
    db.Write(written);
    const RegionSeries arrivals = db.LoadSeries("intl_arrivals", "kz-2022", "test");
    const size_t national = IndexOf(arrivals, "KZ");
    EXPECT_TRUE(arrivals.ProvenanceOf(national, 2025).preliminary);
    EXPECT_EQ(arrivals.ProvenanceOf(national, 2025), preliminary);
    EXPECT_FALSE(arrivals.ProvenanceOf(national, 2024).preliminary);
  }
}

TEST(DatasetFolder, RoundTripsABatchAndIsDeterministic) {
  TempDir tmp;
  const Batch batch = SmallBatch();
  WriteDatasetFolder(batch, tmp.path() / "test");
  const std::string fingerprint = FolderFingerprint(tmp.path() / "test");
  Batch read = ReadDatasetFolder(tmp.path() / "test");
  EXPECT_EQ(read.dataset, "test");
  EXPECT_EQ(read.series.size(), batch.series.size());
  EXPECT_EQ(read.flows.size(), batch.flows.size());
  EXPECT_EQ(read.stocks.size(), batch.stocks.size());
  Store a = Store::OpenInMemory();
  a.Write(batch);
  Store b = Store::OpenInMemory();
  b.Write(read);
  const auto rows_a = a.LoadSeriesRows("births", "test");
  const auto rows_b = b.LoadSeriesRows("births", "test");
  ASSERT_EQ(rows_a.size(), rows_b.size());
  for (size_t row_idx = 0; row_idx < rows_a.size(); ++row_idx) {
    EXPECT_EQ(rows_a[row_idx].region_id, rows_b[row_idx].region_id);
    EXPECT_EQ(rows_a[row_idx].value, rows_b[row_idx].value);
    EXPECT_EQ(rows_a[row_idx].provenance, rows_b[row_idx].provenance);
  }
  // Writing what was read gives the same bytes.
  WriteDatasetFolder(read, tmp.path() / "test");
  EXPECT_EQ(FolderFingerprint(tmp.path() / "test"), fingerprint);
}

Batch BandedBatch() {
  Batch batch;
  batch.dataset = "test";
  batch.indicators = {{"od", IndicatorKind::kFlows, "persons", "estimated OD"}};
  const Provenance est = Provenance::Estimated("model-based OD", "gravity prior");
  batch.flows = {{"od", "kz-2022", "75", "71", 2024, "", 1200.25, est},
                 {"od", "kz-2022", "71", "75", 2024, "", 900, est}};
  batch.flows[0].low = 1000.5;
  batch.flows[0].high = 1500;
  return batch;
}

TEST(Store, KeepsTheBandOfEstimatedFlows) {
  Store db = Store::OpenInMemory();
  db.Write(BandedBatch());
  const auto flows = db.LoadFlows("od", "test");
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[1].orig, "75");
  ASSERT_TRUE(flows[1].low && flows[1].high);
  EXPECT_EQ(*flows[1].low, 1000.5);
  EXPECT_EQ(*flows[1].high, 1500);
  EXPECT_FALSE(flows[0].low || flows[0].high);  // no band: NULL, not 0
  EXPECT_FALSE(flows[1].provenance.official());
}

TEST(Store, RejectsABandThatDoesNotHoldTheFlow) {
  Store db = Store::OpenInMemory();
  Batch batch = BandedBatch();
  batch.flows[0].high = 1200;  // below the flow
  EXPECT_THROW(db.Write(batch), InputError);
  EXPECT_FALSE(db.HasDataset("test"));
}

TEST(DatasetFolder, RoundTripsFlowBands) {
  TempDir tmp;
  WriteDatasetFolder(BandedBatch(), tmp.path() / "test");
  std::ifstream in(tmp.path() / "test" / "od.csv");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.substr(0, text.find('\n')), "orig,dest,year,flow,flow_low,flow_high");
  EXPECT_NE(text.find("71,75,2024,900,,\n"), std::string::npos) << text;
  const Batch read = ReadDatasetFolder(tmp.path() / "test");
  ASSERT_EQ(read.flows.size(), 2u);
  EXPECT_EQ(read.flows[1].low, std::optional<double>(1000.5));
  EXPECT_EQ(read.flows[1].high, std::optional<double>(1500));
  EXPECT_FALSE(read.flows[0].low);
  tmp.Write("test/od.csv", "orig,dest,year,flow,flow_low,flow_high\n75,71,2024,10,11,12\n");
  try {
    ReadDatasetFolder(tmp.path() / "test");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("od.csv:2:5"), std::string::npos) << error.what();
  }
}

TEST(DatasetFolder, NamesTheFirstLineThatRepeatsAKey) {
  TempDir tmp;
  WriteDatasetFolder(BandedBatch(), tmp.path() / "test");
  // Line 5 repeats line 2 and line 4 repeats line 3: the error is at the earlier repeat, line 4.
  tmp.Write("test/od.csv",
            "orig,dest,year,flow\n75,71,2024,1\n71,75,2024,2\n71,75,2024,3\n75,71,2024,4\n"
            "75,71,2023,5\n");
  try {
    ReadDatasetFolder(tmp.path() / "test");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("od.csv:4:1: orig: duplicated key"), std::string::npos)
        << error.what();
  }
}

TEST(Store, NamesTheDuplicatedKeyAndKeepsRowsWhateverTheirOrder) {
  Store db = Store::OpenInMemory();
  Batch bad = SmallBatch();
  bad.series.push_back(bad.series[1]);
  try {
    db.Write(bad);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("duplicated key (births, kz-2022, 71, 2023)"),
              std::string::npos)
        << error.what();
  }
  // Written in key order, read back the same whatever the order of the batch.
  Batch reversed = SmallBatch();
  std::reverse(reversed.series.begin(), reversed.series.end());
  std::reverse(reversed.flows.begin(), reversed.flows.end());
  Store a = Store::OpenInMemory();
  Store b = Store::OpenInMemory();
  a.Write(SmallBatch());
  b.Write(reversed);
  const auto series_a = a.LoadSeriesRows("births", "test");
  const auto series_b = b.LoadSeriesRows("births", "test");
  ASSERT_EQ(series_a.size(), 4u);
  ASSERT_EQ(series_b.size(), 4u);
  for (size_t idx = 0; idx < series_a.size(); ++idx) {
    EXPECT_EQ(series_a[idx].region_id, series_b[idx].region_id);
    EXPECT_EQ(series_a[idx].year, series_b[idx].year);
    EXPECT_EQ(series_a[idx].value, series_b[idx].value);
    EXPECT_EQ(series_a[idx].provenance, series_b[idx].provenance);
  }
  const auto flows_a = a.LoadFlows("moves", "test");
  const auto flows_b = b.LoadFlows("moves", "test");
  ASSERT_EQ(flows_a.size(), 3u);
  ASSERT_EQ(flows_b.size(), 3u);
  for (size_t idx = 0; idx < flows_a.size(); ++idx) {
    EXPECT_EQ(flows_a[idx].orig, flows_b[idx].orig);
    EXPECT_EQ(flows_a[idx].value, flows_b[idx].value);
  }
}

TEST(DatasetFolder, RejectsUnknownProvenanceKeyWithLocation) {
  TempDir tmp;
  WriteDatasetFolder(SmallBatch(), tmp.path() / "test");
  tmp.Write("test/births.csv", "region,year,value,provenance\n75,2023,1,nope\n");
  try {
    ReadDatasetFolder(tmp.path() / "test");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("births.csv:2:4"), std::string::npos) << error.what();
  }
}

TEST(DatasetFolder, RejectsRegionOutsideItsVintage) {
  TempDir tmp;
  WriteDatasetFolder(SmallBatch(), tmp.path() / "test");
  tmp.Write("test/births.csv",
            "region,year,value,vintage,provenance\n10,2019,1,kz-2018,"
            "bns-table-6548\n");
  EXPECT_THROW(ReadDatasetFolder(tmp.path() / "test"), InputError);
}

TEST(OpenWithBuiltin, LoadsOnceAndReloadsWhenTheFolderChanges) {
  TempDir tmp;
  Batch batch = SmallBatch();
  WriteDatasetFolder(batch, tmp.path() / "kz");
  const auto db_path = tmp.path() / "k.db";
  {
    Store db = OpenWithBuiltin(db_path, tmp.path() / "kz");
    EXPECT_TRUE(db.HasDataset("kz"));
    EXPECT_EQ(db.LoadSeriesRows("births").size(), 4u);
  }
  const std::string before = io::ReadFile(db_path);
  { Store db = OpenWithBuiltin(db_path, tmp.path() / "kz"); }
  EXPECT_EQ(io::ReadFile(db_path), before);  // idempotent: nothing written
  batch.series.pop_back();
  WriteDatasetFolder(batch, tmp.path() / "kz");
  Store db = OpenWithBuiltin(db_path, tmp.path() / "kz");
  EXPECT_EQ(db.LoadSeriesRows("births").size(), 3u);
}

// Two processes that both found the dataset absent: the second write finds the first one's
// load (same fingerprint) inside its transaction and writes nothing; another fingerprint replaces.
TEST(Write, ReplaceUnlessCurrentSkipsADatasetAlreadyLoadedWithTheFingerprint) {
  TempDir tmp;
  const auto db_path = tmp.path() / "k.db";
  Store first = Store::Open(db_path);
  Store second = Store::Open(db_path);
  ASSERT_FALSE(second.HasDataset("test"));
  Batch batch = SmallBatch();
  first.Write(batch, WriteMode::kReplaceDatasetUnlessCurrent, "f1");
  const auto loaded = first.GetDataset("test");
  ASSERT_TRUE(loaded);
  batch.series.pop_back();  // what the late writer holds differs: it must not be written
  second.Write(batch, WriteMode::kReplaceDatasetUnlessCurrent, "f1");
  EXPECT_EQ(second.GetDataset("test")->loaded_at, loaded->loaded_at);
  EXPECT_EQ(second.LoadSeriesRows("births", "test").size(), 4u);
  second.Write(batch, WriteMode::kReplaceDatasetUnlessCurrent, "f2");
  EXPECT_EQ(first.LoadSeriesRows("births", "test").size(), 3u);
  EXPECT_EQ(first.GetDataset("test")->fingerprint, "f2");
}

TEST(OpenWithBuiltin, MissingFolderIsAnErrorOnlyWhenNothingIsLoaded) {
  TempDir tmp;
  EXPECT_THROW(OpenWithBuiltin(tmp.path() / "k.db", tmp.path() / "absent"), ComputeError);
}

// Compositions (migration 5): a flow by group, counts, shares or both; read back in the
// stored order (shares then counts, largest first), round-tripped through the dataset folder.
Batch CompositionBatch() {
  Batch batch;
  batch.dataset = "test";
  batch.indicators = {{"departures_by_group", IndicatorKind::kComposition, "persons; %", ""}};
  const Provenance press = Provenance::Official("BNS figures, as reported", "press");
  auto row = [&](int year, const std::string& period, const std::string& group,
                 std::optional<double> persons, std::optional<double> share) {
    CompositionRow r;
    r.indicator = "departures_by_group";
    r.vintage = "kz-2022";
    r.region_id = "KZ";
    r.year = year;
    r.period = period;
    r.group = group;
    r.persons = persons;
    r.share_pct = share;
    r.provenance = press;
    return r;
  };
  batch.compositions = {row(2019, "", "German", 3100, std::nullopt),
                        row(2019, "", "Russian", 32800, std::nullopt),
                        row(2013, "2013-01..2013-07", "Ukrainian", std::nullopt, 8),
                        row(2013, "2013-01..2013-07", "Russian", 20000, 70.9)};
  return batch;
}

TEST(Store, WritesAndLoadsCompositions) {
  Store db = Store::OpenInMemory();
  db.Write(CompositionBatch());
  const auto meta = db.GetIndicator("departures_by_group", "test");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->kind, IndicatorKind::kComposition);
  EXPECT_EQ(KindName(meta->kind), "composition");
  EXPECT_EQ(ParseKindName("composition"), IndicatorKind::kComposition);
  const auto rows = db.LoadCompositions("departures_by_group", "test");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].period, "2013-01..2013-07");
  EXPECT_EQ(rows[0].group, "Russian");  // the larger share first
  EXPECT_EQ(*rows[0].persons, 20000);
  EXPECT_EQ(*rows[0].share_pct, 70.9);
  EXPECT_EQ(rows[1].group, "Ukrainian");
  EXPECT_FALSE(rows[1].persons);
  EXPECT_EQ(rows[2].group, "Russian");  // 2019: the larger count first
  EXPECT_EQ(rows[2].year, 2019);
  EXPECT_EQ(rows[2].period, "");
  EXPECT_FALSE(rows[2].share_pct);
  EXPECT_EQ(rows[3].group, "German");
  EXPECT_EQ(rows[3].provenance, Provenance::Official("BNS figures, as reported", "press"));
  // Not a series.
  EXPECT_TRUE(db.LoadSeriesRows("departures_by_group", "test").empty());
  const auto list = db.ListIndicators("test");
  ASSERT_EQ(list.size(), 1u);  // one indicator, one vintage
  EXPECT_EQ(list[0].kind, IndicatorKind::kComposition);
  EXPECT_EQ(list[0].first_year, 2013);
  EXPECT_EQ(list[0].last_year, 2019);
  EXPECT_EQ(list[0].value_count, 4);
  EXPECT_EQ(list[0].region_count, 3);  // groups
  EXPECT_TRUE(db.DeleteDataset("test"));
  EXPECT_TRUE(db.LoadCompositions("departures_by_group", "test").empty());
}

TEST(Store, RejectsBadCompositions) {
  Store db = Store::OpenInMemory();
  Batch over = CompositionBatch();
  over.compositions[2].share_pct = 40;  // 40 + 70.9 > 100
  EXPECT_THROW(db.Write(over), InputError);
  Batch empty = CompositionBatch();
  empty.compositions[0].persons.reset();
  EXPECT_THROW(db.Write(empty), InputError);
  Batch negative = CompositionBatch();
  negative.compositions[0].persons = -1;
  EXPECT_THROW(db.Write(negative), InputError);
  Batch duplicate = CompositionBatch();
  duplicate.compositions.push_back(duplicate.compositions[0]);
  EXPECT_THROW(db.Write(duplicate), InputError);
  Batch wrong_kind = CompositionBatch();
  wrong_kind.indicators[0].kind = IndicatorKind::kSeries;
  EXPECT_THROW(db.Write(wrong_kind), InputError);
  EXPECT_FALSE(db.HasDataset("test"));
}

TEST(DatasetFolder, RoundTripsCompositions) {
  TempDir tmp;
  WriteDatasetFolder(CompositionBatch(), tmp.path() / "test");
  const std::string text = io::ReadFile(tmp.path() / "test" / "departures_by_group.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "region,year,period,group,persons,share_pct");
  EXPECT_NE(text.find("KZ,2013,2013-01..2013-07,Ukrainian,,8\n"), std::string::npos) << text;
  EXPECT_NE(text.find("KZ,2019,,German,3100,\n"), std::string::npos) << text;
  const Batch read = ReadDatasetFolder(tmp.path() / "test");
  ASSERT_EQ(read.compositions.size(), 4u);
  Store db = Store::OpenInMemory();
  db.Write(read);
  EXPECT_EQ(db.LoadCompositions("departures_by_group", "test").size(), 4u);
  // A row with neither a count nor a share, at its line and column.
  tmp.Write("test/departures_by_group.csv",
            "region,year,period,group,persons,share_pct\nKZ,2019,,German,,\n");
  try {
    ReadDatasetFolder(tmp.path() / "test");
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("departures_by_group.csv:2:5"), std::string::npos)
        << error.what();
  }
}

// Migration 5 on a database of version 4 with data: the indicators keep their rows, the new
// kind is accepted, and the built-in dataset is marked for reloading (fingerprint cleared).
TEST(Store, MigratesAVersion4DatabaseWithItsData) {
  TempDir tmp;
  const auto path = tmp.path() / "v4.db";
  {
    Store db = Store::Open(path);
    db.Write(SmallBatch(), WriteMode::kUpsert, "abc");
  }
  {  // Take it back to version 4 (the schema before migration 5).
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    const char* downgrade = R"sql(
      DROP TABLE compositions;
      CREATE TABLE indicators_v4 (
        dataset TEXT NOT NULL REFERENCES datasets(name), name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('series', 'flows', 'stocks')),
        unit TEXT NOT NULL, notes TEXT NOT NULL, PRIMARY KEY (dataset, name));
      INSERT INTO indicators_v4 SELECT dataset, name, kind, unit, notes FROM indicators;
      DROP TABLE indicators;
      ALTER TABLE indicators_v4 RENAME TO indicators;
      DELETE FROM schema_version WHERE version = 5;
      PRAGMA user_version = 4;)sql";
    ASSERT_EQ(sqlite3_exec(raw, downgrade, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  Store db = Store::Open(path);
  EXPECT_EQ(db.schema_version(), 5);
  EXPECT_EQ(db.LoadSeriesRows("births", "test").size(), 4u);
  EXPECT_EQ(db.GetIndicator("moves", "test")->kind, IndicatorKind::kFlows);
  EXPECT_EQ(db.GetDataset("test")->fingerprint, "");
  Batch more = CompositionBatch();
  db.Write(more);
  EXPECT_EQ(db.LoadCompositions("departures_by_group", "test").size(), 4u);
}

}  // namespace
}  // namespace kazmig::store

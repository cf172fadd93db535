#include "kazmig/store/store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kazmig/core/crosswalk.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"

namespace kazmig::store {
namespace {

// Migration n (1-based) is kMigrations[n - 1]. Append only: never edit a released migration.
constexpr const char* kMigrations[] = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE datasets (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  fingerprint TEXT NOT NULL DEFAULT '',
  loaded_at TEXT NOT NULL
);
CREATE TABLE region_systems (
  name TEXT PRIMARY KEY,
  region_count INTEGER NOT NULL
);
CREATE TABLE regions (
  system TEXT NOT NULL REFERENCES region_systems(name),
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  iso TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_kk TEXT NOT NULL,
  name_ru TEXT NOT NULL,
  latitude REAL,
  longitude REAL,
  valid TEXT NOT NULL,
  PRIMARY KEY (system, id)
);
-- A unit of a built-in vintage covers these kz-2022 units ("atoms").
CREATE TABLE crosswalks (
  system TEXT NOT NULL,
  region_id TEXT NOT NULL,
  atom_id TEXT NOT NULL,
  PRIMARY KEY (system, region_id, atom_id)
);
CREATE TABLE indicators (
  dataset TEXT NOT NULL REFERENCES datasets(name),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('series', 'flows', 'stocks')),
  unit TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (dataset, name)
);
CREATE TABLE provenances (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('official', 'estimated')),
  source TEXT NOT NULL,
  detail TEXT NOT NULL,
  UNIQUE (kind, source, detail)
);
CREATE TABLE series (
  dataset TEXT NOT NULL,
  indicator TEXT NOT NULL,
  vintage TEXT NOT NULL,
  region_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  value REAL NOT NULL,
  provenance_id INTEGER NOT NULL REFERENCES provenances(id),
  PRIMARY KEY (dataset, indicator, vintage, region_id, year)
) WITHOUT ROWID;
CREATE TABLE flows (
  dataset TEXT NOT NULL,
  indicator TEXT NOT NULL,
  vintage TEXT NOT NULL,
  orig TEXT NOT NULL,
  dest TEXT NOT NULL,
  year INTEGER NOT NULL,
  period TEXT NOT NULL,
  value REAL NOT NULL,
  provenance_id INTEGER NOT NULL REFERENCES provenances(id),
  PRIMARY KEY (dataset, indicator, vintage, orig, dest, year, period)
) WITHOUT ROWID;
CREATE TABLE stocks (
  dataset TEXT NOT NULL,
  indicator TEXT NOT NULL,
  vintage TEXT NOT NULL,
  pob TEXT NOT NULL,
  por TEXT NOT NULL,
  year INTEGER NOT NULL,
  value REAL NOT NULL,
  provenance_id INTEGER NOT NULL REFERENCES provenances(id),
  PRIMARY KEY (dataset, indicator, vintage, pob, por, year)
) WITHOUT ROWID;
)sql",
    // 2: optional bands of estimated flows (NULL when a flow has none).
    R"sql(
ALTER TABLE flows ADD COLUMN low REAL;
ALTER TABLE flows ADD COLUMN high REAL;
)sql",
    // 3: reload the built-in dataset on next use: a kazmig without bands may have loaded the
    // current files (same fingerprint) and dropped their flow_low/flow_high columns.
    R"sql(
UPDATE datasets SET fingerprint = '';
)sql",
    // 4: projection runs (kazmig project), with what reproduces them: the scenario text, the seed
    // and the model settings, and the results table (CSV).
    R"sql(
CREATE TABLE projection_runs (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  dataset TEXT NOT NULL,
  scenario TEXT NOT NULL,
  scenario_text TEXT NOT NULL,
  seed INTEGER NOT NULL,
  draws INTEGER NOT NULL,
  base_year INTEGER NOT NULL,
  to_year INTEGER NOT NULL,
  settings TEXT NOT NULL,
  results TEXT NOT NULL
);
)sql",
    // 5: the indicator kind 'composition' (SQLite cannot change a CHECK: the table is rebuilt
    // with the same rows) and its values: a flow or population by group, as counts, shares (% of
    // the whole) or both. The built-in dataset reloads once so the new table is filled.
    R"sql(
CREATE TABLE indicators_v5 (
  dataset TEXT NOT NULL REFERENCES datasets(name),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('series', 'flows', 'stocks', 'composition')),
  unit TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (dataset, name)
);
INSERT INTO indicators_v5 (dataset, name, kind, unit, notes)
  SELECT dataset, name, kind, unit, notes FROM indicators;
DROP TABLE indicators;
ALTER TABLE indicators_v5 RENAME TO indicators;
CREATE TABLE compositions (
  dataset TEXT NOT NULL,
  indicator TEXT NOT NULL,
  vintage TEXT NOT NULL,
  region_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  period TEXT NOT NULL,
  grp TEXT NOT NULL,
  persons REAL CHECK (persons IS NULL OR persons >= 0),
  share_pct REAL CHECK (share_pct IS NULL OR (share_pct > 0 AND share_pct <= 100)),
  provenance_id INTEGER NOT NULL REFERENCES provenances(id),
  CHECK (persons IS NOT NULL OR share_pct IS NOT NULL),
  PRIMARY KEY (dataset, indicator, vintage, region_id, year, period, grp)
) WITHOUT ROWID;
UPDATE datasets SET fingerprint = '';
)sql",
};
constexpr int kLatestVersion = static_cast<int>(std::size(kMigrations));

// PRAGMA application_id of a kazmig database: "KZMG" in ASCII. Databases created before the mark
// existed (a `schema_version` table, no mark) are marked when next opened.
constexpr long long kApplicationId = 0x4B5A4D47;

// Thrown by Migrate for a database that belongs to another program.
struct ForeignDatabase {};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      throw ComputeError(fmt::format("store: cannot prepare '{}': {}", sql, sqlite3_errmsg(db)));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int idx, std::string_view text) {
    // An empty view may have a null data(), which SQLite would bind as NULL.
    Check(sqlite3_bind_text(stmt_, idx, text.empty() ? "" : text.data(),
                            static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
  }
  // Without a copy: `text` must stay unchanged until the statement is reset (Run() does).
  Statement& BindStatic(int idx, std::string_view text) {
    Check(sqlite3_bind_text(stmt_, idx, text.empty() ? "" : text.data(),
                            static_cast<int>(text.size()), SQLITE_STATIC));
    return *this;
  }
  Statement& Bind(int idx, double value) {
    Check(sqlite3_bind_double(stmt_, idx, value));
    return *this;
  }
  Statement& Bind(int idx, long long value) {
    Check(sqlite3_bind_int64(stmt_, idx, value));
    return *this;
  }
  Statement& Bind(int idx, int value) { return Bind(idx, static_cast<long long>(value)); }
  Statement& BindNull(int idx) {
    Check(sqlite3_bind_null(stmt_, idx));
    return *this;
  }
  // True while a row is available.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw ComputeError(fmt::format("store: {}", sqlite3_errmsg(db_)));
  }
  void Run() {
    Step();
    Reset();
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) const {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  long long Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) throw ComputeError(fmt::format("store: {}", sqlite3_errmsg(db_)));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw ComputeError(fmt::format("store: {}", message));
  }
}

// The indices of `rows` sorted by key(row) (a tuple), ties in input order.
template <typename Row, typename Key>
std::vector<size_t> KeyOrder(const std::vector<Row>& rows, Key key) {
  std::vector<size_t> order(rows.size());
  for (size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return key(rows[a]) < key(rows[b]); });
  return order;
}

// InputError "store: duplicated key K" when two neighbours in `order` have the same key.
template <typename Row, typename Key, typename Describe>
void ThrowOnDuplicate(const std::vector<Row>& rows, const std::vector<size_t>& order, Key key,
                      Describe describe) {
  for (size_t pos = 1; pos < order.size(); ++pos) {
    if (key(rows[order[pos - 1]]) == key(rows[order[pos]])) {
      throw InputError(fmt::format("store: duplicated key {}", describe(rows[order[pos]])));
    }
  }
}

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed.
class SqlTransaction {
 public:
  explicit SqlTransaction(sqlite3* db) : db_(db) { Exec(db_, "BEGIN IMMEDIATE"); }
  ~SqlTransaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  void Commit() {
    Exec(db_, "COMMIT");
    done_ = true;
  }

 private:
  sqlite3* db_;
  bool done_ = false;
};

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<IndicatorKind> ParseKind(std::string_view text) { return ParseKindName(text); }

// A stored provenance; its preliminary flag is set again from the stored detail.
Provenance MakeProvenance(const std::string& kind, std::string source, std::string detail) {
  Provenance p = kind == "official" ? Provenance::Official(std::move(source), std::move(detail))
                                    : Provenance::Estimated(std::move(source), std::move(detail));
  p.preliminary = Provenance::DetailMarksPreliminary(p.detail);
  return p;
}

void SeedRegionSystems(sqlite3* db) {
  Statement system(db, "INSERT INTO region_systems (name, region_count) VALUES (?, ?)");
  Statement region(db,
                   "INSERT INTO regions (system, id, position, iso, name_en, name_kk, name_ru, "
                   "latitude, longitude, valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement atom(db, "INSERT INTO crosswalks (system, region_id, atom_id) VALUES (?, ?, ?)");
  for (const std::string& name : RegionSystem::BuiltinNames()) {
    const RegionSystem& rs = RegionSystem::Builtin(name);
    system.Bind(1, name).Bind(2, static_cast<long long>(rs.size())).Run();
    for (size_t region_idx = 0; region_idx < rs.size(); ++region_idx) {
      const Region& r = rs[region_idx];
      region.Bind(1, name)
          .Bind(2, r.id)
          .Bind(3, static_cast<long long>(region_idx))
          .Bind(4, r.iso)
          .Bind(5, r.name_en)
          .Bind(6, r.name_kk)
          .Bind(7, r.name_ru)
          .Bind(8, r.latitude)
          .Bind(9, r.longitude)
          .Bind(10, r.valid)
          .Run();
      for (const std::string& atom_id : Crosswalk::Atoms(name, r.id)) {
        atom.Bind(1, name).Bind(2, r.id).Bind(3, atom_id).Run();
      }
    }
  }
}

}  // namespace

std::string_view KindName(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kSeries:
      return "series";
    case IndicatorKind::kFlows:
      return "flows";
    case IndicatorKind::kStocks:
      return "stocks";
    case IndicatorKind::kComposition:
      return "composition";
  }
  return "series";
}

std::optional<IndicatorKind> ParseKindName(std::string_view name) {
  for (IndicatorKind kind : {IndicatorKind::kSeries, IndicatorKind::kFlows, IndicatorKind::kStocks,
                             IndicatorKind::kComposition}) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

void Batch::Append(Batch other) {
  for (auto& meta : other.indicators) {
    const bool present = std::any_of(indicators.begin(), indicators.end(),
                                     [&](const IndicatorMeta& m) { return m.name == meta.name; });
    if (!present) indicators.push_back(std::move(meta));
  }
  std::move(other.series.begin(), other.series.end(), std::back_inserter(series));
  std::move(other.flows.begin(), other.flows.end(), std::back_inserter(flows));
  std::move(other.stocks.begin(), other.stocks.end(), std::back_inserter(stocks));
  std::move(other.compositions.begin(), other.compositions.end(), std::back_inserter(compositions));
}

struct Store::Impl {
  sqlite3* db = nullptr;
  ~Impl() {
    if (db != nullptr) sqlite3_close(db);
  }

  int Version() const {
    Statement exists(db,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                     "'schema_version'");
    exists.Step();
    if (exists.Int(0) == 0) return 0;
    Statement version(db, "SELECT max(version) FROM schema_version");
    if (!version.Step() || version.IsNull(0)) return 0;
    return static_cast<int>(version.Int(0));
  }

  // One integer PRAGMA (application_id, user_version).
  long long Pragma(const char* name) const {
    Statement q(db, fmt::format("PRAGMA {}", name));
    return q.Step() ? q.Int(0) : 0;
  }

  // True when the database holds any table, index, view or trigger.
  bool HasSchema() const {
    Statement q(db, "SELECT count(*) FROM sqlite_master");
    q.Step();
    return q.Int(0) > 0;
  }

  // Brings the schema to kLatestVersion and marks the file as kazmig's (PRAGMA application_id
  // kApplicationId, user_version = the schema version). A database marked by another program, or
  // an unmarked one with tables but no `schema_version` (another program's), is refused with
  // ForeignDatabase, before anything is written. Initialisation runs in one exclusive (IMMEDIATE)
  // transaction that re-reads the state once it holds the lock: of several processes opening a
  // fresh file at once, one creates the schema and the others wait (busy timeout) and find it.
  void Migrate() {
    if (Pragma("application_id") == kApplicationId && Version() == kLatestVersion) return;
    SqlTransaction tx(db);
    const long long application_id = Pragma("application_id");
    const int current = Version();
    if (application_id != kApplicationId &&
        (application_id != 0 || (current == 0 && HasSchema()))) {
      throw ForeignDatabase{};
    }
    if (current > kLatestVersion) {
      throw ComputeError(fmt::format(
          "store: database schema version {} is newer than this kazmig ({}); upgrade kazmig",
          current, kLatestVersion));
    }
    if (current == 0) {
      Exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    for (int version = current + 1; version <= kLatestVersion; ++version) {
      Exec(db, kMigrations[version - 1]);
      if (version == 1) SeedRegionSystems(db);
      Statement record(db, "INSERT INTO schema_version (version) VALUES (?)");
      record.Bind(1, version).Run();
    }
    Exec(db, fmt::format("PRAGMA application_id = {}", kApplicationId).c_str());
    Exec(db, fmt::format("PRAGMA user_version = {}", kLatestVersion).c_str());
    tx.Commit();
  }

  std::map<long long, Provenance> Provenances() const {
    std::map<long long, Provenance> out;
    Statement q(db, "SELECT id, kind, source, detail FROM provenances");
    while (q.Step()) out.emplace(q.Int(0), MakeProvenance(q.Text(1), q.Text(2), q.Text(3)));
    return out;
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::Open(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string(), 0, 0, "is a directory, not a kazmig database (--db FILE)");
  }
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    throw ComputeError(fmt::format("{}: cannot open the kazmig database: {}", path.string(),
                                   impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  // Concurrent commands wait for each other's writes (the built-in dataset's first load takes a
  // few seconds; many processes may queue behind it).
  sqlite3_busy_timeout(impl->db, 60000);
  try {
    Exec(impl->db, "PRAGMA foreign_keys = ON");
    impl->Migrate();
  } catch (const ForeignDatabase&) {
    // Exit 3 (invalid input): the file the user named is not a kazmig database; it is not changed.
    throw InputError(path.string(), 0, 0,
                     "not a kazmig database (an SQLite database of another program); kazmig "
                     "leaves it unchanged: give --db a new file or a kazmig database");
  } catch (const ComputeError& error) {
    throw ComputeError(
        fmt::format("{}: not a usable kazmig database ({})", path.string(), error.what()));
  }
  return Store(std::move(impl));
}

Store Store::OpenInMemory() {
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open(":memory:", &impl->db) != SQLITE_OK) {
    throw ComputeError("store: cannot open an in-memory database");
  }
  Exec(impl->db, "PRAGMA foreign_keys = ON");
  impl->Migrate();
  return Store(std::move(impl));
}

int Store::schema_version() const { return impl_->Version(); }
int Store::LatestSchemaVersion() { return kLatestVersion; }

bool Store::HasDataset(std::string_view dataset) const { return GetDataset(dataset).has_value(); }

std::optional<DatasetInfo> Store::GetDataset(std::string_view dataset) const {
  Statement q(impl_->db,
              "SELECT name, description, fingerprint, loaded_at FROM datasets WHERE name = ?");
  q.Bind(1, dataset);
  if (!q.Step()) return std::nullopt;
  return DatasetInfo{q.Text(0), q.Text(1), q.Text(2), q.Text(3)};
}

std::vector<DatasetInfo> Store::ListDatasets() const {
  Statement q(impl_->db,
              "SELECT name, description, fingerprint, loaded_at FROM datasets ORDER BY name");
  std::vector<DatasetInfo> out;
  while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
  return out;
}

std::optional<IndicatorMeta> Store::GetIndicator(std::string_view indicator,
                                                 std::string_view dataset) const {
  Statement q(impl_->db,
              "SELECT name, kind, unit, notes FROM indicators WHERE dataset = ? AND name = ?");
  q.Bind(1, dataset).Bind(2, indicator);
  if (!q.Step()) return std::nullopt;
  return IndicatorMeta{q.Text(0), ParseKind(q.Text(1)).value_or(IndicatorKind::kSeries), q.Text(2),
                       q.Text(3)};
}

std::vector<std::string> Store::SeriesVintages(std::string_view indicator,
                                               std::string_view dataset) const {
  Statement q(impl_->db,
              "SELECT DISTINCT vintage FROM series WHERE dataset = ? AND indicator = ? ORDER BY "
              "vintage");
  q.Bind(1, dataset).Bind(2, indicator);
  std::vector<std::string> out;
  while (q.Step()) out.push_back(q.Text(0));
  return out;
}

std::vector<SeriesRow> Store::LoadSeriesRows(std::string_view indicator,
                                             std::string_view dataset) const {
  const auto provenances = impl_->Provenances();
  Statement q(impl_->db,
              "SELECT vintage, region_id, year, value, provenance_id FROM series WHERE dataset = ? "
              "AND indicator = ? ORDER BY vintage, region_id, year");
  q.Bind(1, dataset).Bind(2, indicator);
  std::vector<SeriesRow> out;
  while (q.Step()) {
    out.push_back({std::string(indicator), q.Text(0), q.Text(1), static_cast<int>(q.Int(2)),
                   q.Double(3), provenances.at(q.Int(4))});
  }
  return out;
}

RegionSeries Store::LoadSeries(std::string_view indicator, std::string_view vintage,
                               std::string_view dataset) const {
  std::vector<SeriesRow> rows;
  for (SeriesRow& row : LoadSeriesRows(indicator, dataset)) {
    if (row.vintage == vintage) rows.push_back(std::move(row));
  }
  if (rows.empty()) return RegionSeries();
  std::vector<std::string> ids;
  if (RegionSystem::IsBuiltin(vintage)) {
    ids = RegionSystem::Builtin(vintage).ids();
    std::unordered_set<std::string> known(ids.begin(), ids.end());
    std::set<std::string> extra;  // "KZ" and any id outside the system, sorted
    for (const SeriesRow& row : rows) {
      if (!known.count(row.region_id)) extra.insert(row.region_id);
    }
    if (extra.erase(std::string(kNational))) ids.emplace_back(kNational);
    ids.insert(ids.end(), extra.begin(), extra.end());
  } else {
    std::set<std::string> sorted;
    for (const SeriesRow& row : rows) sorted.insert(row.region_id);
    ids.assign(sorted.begin(), sorted.end());
  }
  std::unordered_map<std::string, size_t> index;
  for (size_t region_idx = 0; region_idx < ids.size(); ++region_idx)
    index[ids[region_idx]] = region_idx;
  const auto meta = GetIndicator(indicator, dataset);
  RegionSeries series(std::string(indicator), meta ? meta->unit : std::string(), ids);
  for (const SeriesRow& row : rows) {
    series.Set(index.at(row.region_id), row.year, row.value, series.AddProvenance(row.provenance));
  }
  return series;
}

std::vector<FlowRow> Store::LoadFlows(std::string_view indicator, std::string_view dataset) const {
  const auto provenances = impl_->Provenances();
  Statement q(impl_->db,
              "SELECT vintage, orig, dest, year, period, value, provenance_id, low, high FROM "
              "flows WHERE dataset = ? AND indicator = ? ORDER BY year, period, orig, dest, "
              "vintage");
  q.Bind(1, dataset).Bind(2, indicator);
  std::vector<FlowRow> out;
  while (q.Step()) {
    out.push_back({std::string(indicator), q.Text(0), q.Text(1), q.Text(2),
                   static_cast<int>(q.Int(3)), q.Text(4), q.Double(5), provenances.at(q.Int(6))});
    if (!q.IsNull(7)) out.back().low = q.Double(7);
    if (!q.IsNull(8)) out.back().high = q.Double(8);
  }
  return out;
}

std::vector<StockRow> Store::LoadStocks(std::string_view indicator,
                                        std::string_view dataset) const {
  const auto provenances = impl_->Provenances();
  Statement q(impl_->db,
              "SELECT vintage, pob, por, year, value, provenance_id FROM stocks WHERE dataset = ? "
              "AND indicator = ? ORDER BY year, pob, por, vintage");
  q.Bind(1, dataset).Bind(2, indicator);
  std::vector<StockRow> out;
  while (q.Step()) {
    out.push_back({std::string(indicator), q.Text(0), q.Text(1), q.Text(2),
                   static_cast<int>(q.Int(3)), q.Double(4), provenances.at(q.Int(5))});
  }
  return out;
}

std::vector<CompositionRow> Store::LoadCompositions(std::string_view indicator,
                                                    std::string_view dataset) const {
  const auto provenances = impl_->Provenances();
  Statement q(
      impl_->db,
      "SELECT vintage, region_id, year, period, grp, persons, share_pct, provenance_id FROM "
      "compositions WHERE dataset = ? AND indicator = ? ORDER BY year, period, region_id, "
      "vintage, coalesce(share_pct, -1) DESC, coalesce(persons, -1) DESC, grp");
  q.Bind(1, dataset).Bind(2, indicator);
  std::vector<CompositionRow> out;
  while (q.Step()) {
    CompositionRow row;
    row.indicator = std::string(indicator);
    row.vintage = q.Text(0);
    row.region_id = q.Text(1);
    row.year = static_cast<int>(q.Int(2));
    row.period = q.Text(3);
    row.group = q.Text(4);
    if (!q.IsNull(5)) row.persons = q.Double(5);
    if (!q.IsNull(6)) row.share_pct = q.Double(6);
    row.provenance = provenances.at(q.Int(7));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<IndicatorInfo> Store::ListIndicators(std::string_view dataset) const {
  std::vector<IndicatorInfo> out;
  Statement metas(impl_->db,
                  "SELECT name, kind, unit, notes FROM indicators WHERE dataset = ? ORDER BY name");
  metas.Bind(1, dataset);
  while (metas.Step()) {
    const std::string name = metas.Text(0);
    const IndicatorKind kind = ParseKind(metas.Text(1)).value_or(IndicatorKind::kSeries);
    const char* table = kind == IndicatorKind::kSeries        ? "series"
                        : kind == IndicatorKind::kFlows       ? "flows"
                        : kind == IndicatorKind::kComposition ? "compositions"
                                                              : "stocks";
    // What region_count counts: regions, pairs, or (compositions) the groups.
    const char* place = kind == IndicatorKind::kSeries        ? "region_id"
                        : kind == IndicatorKind::kFlows       ? "orig || '>' || dest"
                        : kind == IndicatorKind::kComposition ? "grp"
                                                              : "pob || '>' || por";
    Statement q(impl_->db, fmt::format("SELECT vintage, min(year), max(year), count(*), count("
                                       "DISTINCT {}) FROM {} WHERE dataset = ? AND indicator = ? "
                                       "GROUP BY vintage ORDER BY min(year), vintage",
                                       place, table));
    q.Bind(1, dataset).Bind(2, name);
    bool any = false;
    while (q.Step()) {
      any = true;
      IndicatorInfo info;
      info.name = name;
      info.kind = kind;
      info.unit = metas.Text(2);
      info.notes = metas.Text(3);
      info.vintage = q.Text(0);
      info.first_year = static_cast<int>(q.Int(1));
      info.last_year = static_cast<int>(q.Int(2));
      info.value_count = q.Int(3);
      info.region_count = q.Int(4);
      Statement kinds(impl_->db,
                      fmt::format("SELECT DISTINCT p.kind FROM {} t JOIN provenances p ON p.id = "
                                  "t.provenance_id WHERE t.dataset = ? AND t.indicator = ? AND "
                                  "t.vintage = ? ORDER BY p.kind DESC",
                                  table));
      kinds.Bind(1, dataset).Bind(2, name).Bind(3, info.vintage);
      while (kinds.Step()) info.provenance_kinds.push_back(kinds.Text(0));
      out.push_back(std::move(info));
    }
    if (!any) {
      out.push_back({name, kind, metas.Text(2), "", 0, 0, 0, 0, {}, metas.Text(3)});
    }
  }
  return out;
}

void Store::Write(const Batch& batch, WriteMode mode, std::string_view fingerprint) {
  // Validate everything before touching the database.
  if (batch.dataset.empty()) throw InputError("store: a dataset needs a name");
  std::map<std::string, IndicatorKind> kinds;
  for (const IndicatorMeta& meta : batch.indicators) {
    if (meta.name.empty()) throw InputError("store: an indicator needs a name");
    if (!kinds.emplace(meta.name, meta.kind).second) {
      throw InputError(fmt::format("store: indicator '{}' described twice", meta.name));
    }
  }
  auto kind_of = [&](const std::string& name) -> std::optional<IndicatorKind> {
    if (auto it = kinds.find(name); it != kinds.end()) return it->second;
    if (mode == WriteMode::kUpsert) {
      if (auto meta = GetIndicator(name, batch.dataset)) {
        kinds.emplace(name, meta->kind);
        return meta->kind;
      }
    }
    return std::nullopt;
  };
  auto check = [&](const std::string& indicator, IndicatorKind expected, double value,
                   const auto& key) {
    const auto kind = kind_of(indicator);
    if (!kind) {
      throw InputError(fmt::format("store: indicator '{}' is not described in dataset '{}'",
                                   indicator, batch.dataset));
    }
    if (*kind != expected) {
      throw InputError(fmt::format("store: indicator '{}' is {}, not {}", indicator,
                                   KindName(*kind), KindName(expected)));
    }
    if (!std::isfinite(value)) {
      throw InputError(fmt::format("store: {}: value is not a finite number", key()));
    }
  };
  auto series_key = [](const SeriesRow& r) {
    return fmt::format("({}, {}, {}, {})", r.indicator, r.vintage, r.region_id, r.year);
  };
  auto flow_key = [](const FlowRow& r) {
    return fmt::format("({}, {}, {} -> {}, {}{})", r.indicator, r.vintage, r.orig, r.dest, r.year,
                       r.period.empty() ? "" : " " + r.period);
  };
  auto stock_key = [](const StockRow& r) {
    return fmt::format("({}, {}, {} -> {}, {})", r.indicator, r.vintage, r.pob, r.por, r.year);
  };
  for (const SeriesRow& r : batch.series) {
    check(r.indicator, IndicatorKind::kSeries, r.value, [&] { return series_key(r); });
  }
  for (const FlowRow& r : batch.flows) {
    check(r.indicator, IndicatorKind::kFlows, r.value, [&] { return flow_key(r); });
    if ((r.low && !(std::isfinite(*r.low) && *r.low <= r.value)) ||
        (r.high && !(std::isfinite(*r.high) && *r.high >= r.value))) {
      throw InputError(
          fmt::format("store: {}: the band must hold flow_low <= flow <= flow_high", flow_key(r)));
    }
  }
  for (const StockRow& r : batch.stocks) {
    check(r.indicator, IndicatorKind::kStocks, r.value, [&] { return stock_key(r); });
  }
  auto composition_key = [](const CompositionRow& r) {
    return fmt::format("({}, {}, {}, {}{}, {})", r.indicator, r.vintage, r.region_id, r.year,
                       r.period.empty() ? "" : " " + r.period, r.group);
  };
  for (const CompositionRow& r : batch.compositions) {
    if (!r.persons && !r.share_pct) {
      throw InputError(
          fmt::format("store: {}: a composition needs a count or a share", composition_key(r)));
    }
    check(r.indicator, IndicatorKind::kComposition, r.persons.value_or(r.share_pct.value_or(0)),
          [&] { return composition_key(r); });
    if ((r.persons && !(std::isfinite(*r.persons) && *r.persons >= 0)) ||
        (r.share_pct &&
         !(std::isfinite(*r.share_pct) && *r.share_pct > 0 && *r.share_pct <= 100))) {
      throw InputError(fmt::format("store: {}: persons must be >= 0 and share_pct in (0, 100]",
                                   composition_key(r)));
    }
    if (r.group.empty()) {
      throw InputError(fmt::format("store: {}: a composition needs a group", composition_key(r)));
    }
  }
  // Rows are written in primary-key order (B-tree appends rather than random inserts), and
  // equal neighbours in that order are duplicates: no key string per row.
  auto series_tie = [](const SeriesRow& r) {
    return std::tie(r.indicator, r.vintage, r.region_id, r.year);
  };
  auto flow_tie = [](const FlowRow& r) {
    return std::tie(r.indicator, r.vintage, r.orig, r.dest, r.year, r.period);
  };
  auto stock_tie = [](const StockRow& r) {
    return std::tie(r.indicator, r.vintage, r.pob, r.por, r.year);
  };
  const std::vector<size_t> series_order = KeyOrder(batch.series, series_tie);
  const std::vector<size_t> flow_order = KeyOrder(batch.flows, flow_tie);
  auto composition_tie = [](const CompositionRow& r) {
    return std::tie(r.indicator, r.vintage, r.region_id, r.year, r.period, r.group);
  };
  const std::vector<size_t> stock_order = KeyOrder(batch.stocks, stock_tie);
  const std::vector<size_t> composition_order = KeyOrder(batch.compositions, composition_tie);
  ThrowOnDuplicate(batch.series, series_order, series_tie, series_key);
  ThrowOnDuplicate(batch.flows, flow_order, flow_tie, flow_key);
  ThrowOnDuplicate(batch.stocks, stock_order, stock_tie, stock_key);
  ThrowOnDuplicate(batch.compositions, composition_order, composition_tie, composition_key);
  // Shares of one indicator, region and period sum to at most 100 (the rest: groups not listed).
  {
    std::map<std::tuple<std::string, std::string, std::string, int, std::string>, double> sums;
    for (const CompositionRow& r : batch.compositions) {
      if (!r.share_pct) continue;
      double& sum = sums[{r.indicator, r.vintage, r.region_id, r.year, r.period}];
      sum += *r.share_pct;
      if (sum > 100 + 1e-6) {
        throw InputError(fmt::format("store: {}: the shares of the period sum to {} (above 100)",
                                     composition_key(r), sum));
      }
    }
  }

  sqlite3* db = impl_->db;
  SqlTransaction tx(db);
  if (mode == WriteMode::kReplaceDatasetUnlessCurrent && !fingerprint.empty()) {
    Statement current(db, "SELECT fingerprint FROM datasets WHERE name = ?");
    current.Bind(1, batch.dataset);
    if (current.Step() && current.Text(0) == fingerprint) return;  // rolled back: nothing done
  }
  if (mode != WriteMode::kUpsert) {
    for (const char* table : {"series", "flows", "stocks", "compositions", "indicators"}) {
      Statement del(db, fmt::format("DELETE FROM {} WHERE dataset = ?", table));
      del.Bind(1, batch.dataset).Run();
    }
  }
  {
    Statement upsert(
        db,
        "INSERT INTO datasets (name, description, fingerprint, loaded_at) VALUES (?, "
        "?, ?, ?) ON CONFLICT(name) DO UPDATE SET loaded_at = excluded.loaded_at, "
        "description = CASE WHEN excluded.description = '' THEN description ELSE "
        "excluded.description END, fingerprint = CASE WHEN excluded.fingerprint = '' THEN "
        "fingerprint ELSE excluded.fingerprint END");
    upsert.Bind(1, batch.dataset)
        .Bind(2, batch.description)
        .Bind(3, fingerprint)
        .Bind(4, NowUtc())
        .Run();
  }
  {
    Statement meta(db,
                   "INSERT INTO indicators (dataset, name, kind, unit, notes) VALUES (?, ?, ?, ?, "
                   "?) ON CONFLICT(dataset, name) DO UPDATE SET kind = excluded.kind, unit = "
                   "excluded.unit, notes = excluded.notes");
    for (const IndicatorMeta& m : batch.indicators) {
      meta.Bind(1, batch.dataset)
          .Bind(2, m.name)
          .Bind(3, KindName(m.kind))
          .Bind(4, m.unit)
          .Bind(5, m.notes)
          .Run();
    }
  }
  // Provenance ids, interned.
  // Keyed by views into the batch's rows, which outlive the write: no copy per row.
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, long long> cache;
  Statement find_prov(db,
                      "SELECT id FROM provenances WHERE kind = ? AND source = ? AND detail = ?");
  Statement add_prov(db, "INSERT INTO provenances (kind, source, detail) VALUES (?, ?, ?)");
  auto prov_id = [&](const Provenance& p) {
    const auto key =
        std::make_tuple(p.KindName(), std::string_view(p.source), std::string_view(p.detail));
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    find_prov.Bind(1, p.KindName()).Bind(2, p.source).Bind(3, p.detail);
    long long id;
    if (find_prov.Step()) {
      id = find_prov.Int(0);
      find_prov.Reset();
    } else {
      find_prov.Reset();
      add_prov.Bind(1, p.KindName()).Bind(2, p.source).Bind(3, p.detail).Run();
      id = sqlite3_last_insert_rowid(db);
    }
    cache.emplace(key, id);
    return id;
  };
  {
    Statement ins(db,
                  "INSERT OR REPLACE INTO series (dataset, indicator, vintage, region_id, year, "
                  "value, provenance_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const size_t idx : series_order) {
      const SeriesRow& r = batch.series[idx];
      ins.BindStatic(1, batch.dataset)
          .BindStatic(2, r.indicator)
          .BindStatic(3, r.vintage)
          .BindStatic(4, r.region_id)
          .Bind(5, r.year)
          .Bind(6, r.value)
          .Bind(7, prov_id(r.provenance))
          .Run();
    }
  }
  {
    Statement ins(db,
                  "INSERT OR REPLACE INTO flows (dataset, indicator, vintage, orig, dest, year, "
                  "period, value, provenance_id, low, high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?)");
    for (const size_t idx : flow_order) {
      const FlowRow& r = batch.flows[idx];
      ins.BindStatic(1, batch.dataset)
          .BindStatic(2, r.indicator)
          .BindStatic(3, r.vintage)
          .BindStatic(4, r.orig)
          .BindStatic(5, r.dest)
          .Bind(6, r.year)
          .BindStatic(7, r.period)
          .Bind(8, r.value)
          .Bind(9, prov_id(r.provenance));
      if (r.low) ins.Bind(10, *r.low);
      if (r.high) ins.Bind(11, *r.high);
      ins.Run();
    }
  }
  {
    Statement ins(db,
                  "INSERT OR REPLACE INTO stocks (dataset, indicator, vintage, pob, por, year, "
                  "value, provenance_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const size_t idx : stock_order) {
      const StockRow& r = batch.stocks[idx];
      ins.BindStatic(1, batch.dataset)
          .BindStatic(2, r.indicator)
          .BindStatic(3, r.vintage)
          .BindStatic(4, r.pob)
          .BindStatic(5, r.por)
          .Bind(6, r.year)
          .Bind(7, r.value)
          .Bind(8, prov_id(r.provenance))
          .Run();
    }
  }
  {
    Statement ins(db,
                  "INSERT OR REPLACE INTO compositions (dataset, indicator, vintage, region_id, "
                  "year, period, grp, persons, share_pct, provenance_id) VALUES (?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?)");
    for (const size_t idx : composition_order) {
      const CompositionRow& r = batch.compositions[idx];
      ins.BindStatic(1, batch.dataset)
          .BindStatic(2, r.indicator)
          .BindStatic(3, r.vintage)
          .BindStatic(4, r.region_id)
          .Bind(5, r.year)
          .BindStatic(6, r.period)
          .BindStatic(7, r.group);
      if (r.persons) ins.Bind(8, *r.persons);
      if (r.share_pct) ins.Bind(9, *r.share_pct);
      ins.Bind(10, prov_id(r.provenance)).Run();
    }
  }
  tx.Commit();
}

bool Store::DeleteDataset(std::string_view dataset) {
  if (!HasDataset(dataset)) return false;
  SqlTransaction tx(impl_->db);
  for (const char* table :
       {"series", "flows", "stocks", "compositions", "indicators", "datasets"}) {
    Statement del(impl_->db,
                  fmt::format("DELETE FROM {} WHERE {} = ?", table,
                              std::string_view(table) == "datasets" ? "name" : "dataset"));
    del.Bind(1, dataset).Run();
  }
  tx.Commit();
  return true;
}

long long Store::SaveProjectionRun(const ProjectionRunRecord& record) {
  SqlTransaction tx(impl_->db);
  Statement insert(impl_->db,
                   "INSERT INTO projection_runs (created_at, dataset, scenario, scenario_text, "
                   "seed, draws, base_year, to_year, settings, results) VALUES (?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?)");
  insert.Bind(1, record.created_at.empty() ? NowUtc() : record.created_at)
      .Bind(2, record.dataset)
      .Bind(3, record.scenario)
      .Bind(4, record.scenario_text)
      .Bind(5, static_cast<long long>(record.seed))
      .Bind(6, record.draws)
      .Bind(7, record.base_year)
      .Bind(8, record.to_year)
      .Bind(9, record.settings)
      .Bind(10, record.results)
      .Run();
  const long long id = sqlite3_last_insert_rowid(impl_->db);
  tx.Commit();
  return id;
}

std::vector<ProjectionRunRecord> Store::LoadProjectionRuns() const {
  Statement select(impl_->db,
                   "SELECT id, created_at, dataset, scenario, scenario_text, seed, draws, "
                   "base_year, to_year, settings, results FROM projection_runs ORDER BY id");
  std::vector<ProjectionRunRecord> records;
  while (select.Step()) {
    ProjectionRunRecord record;
    record.id = select.Int(0);
    record.created_at = select.Text(1);
    record.dataset = select.Text(2);
    record.scenario = select.Text(3);
    record.scenario_text = select.Text(4);
    record.seed = static_cast<uint64_t>(select.Int(5));
    record.draws = select.Int(6);
    record.base_year = static_cast<int>(select.Int(7));
    record.to_year = static_cast<int>(select.Int(8));
    record.settings = select.Text(9);
    record.results = select.Text(10);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace kazmig::store

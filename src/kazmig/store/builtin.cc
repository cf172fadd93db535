#include "kazmig/store/builtin.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/io/csv.h"

namespace kazmig::store {
namespace {

namespace fs = std::filesystem;

std::optional<IndicatorKind> KindFromName(std::string_view text) { return ParseKindName(text); }

// An optional number column: nullopt when absent or empty.
std::optional<double> OptionalNumber(const io::CsvReader& csv, std::optional<size_t> col) {
  if (!col || csv.Field(*col).empty()) return std::nullopt;
  return csv.Double(*col);
}

// Optional column: its value on the current row, or `fallback` when the column is absent or the
// field empty.
std::string OptionalField(const io::CsvReader& csv, std::optional<size_t> col,
                          const std::string& fallback) {
  if (!col) return fallback;
  const std::string_view text = csv.Field(*col);
  return text.empty() ? fallback : std::string(text);
}

int Year(const io::CsvReader& csv, size_t col) {
  const int64_t year = csv.Int(col);
  if (year < 1800 || year > 2200) csv.Fail(col, fmt::format("implausible year {}", year));
  return static_cast<int>(year);
}

// Checks that an id belongs to its vintage when the vintage is built in.
void CheckId(const io::CsvReader& csv, size_t col, const std::string& vintage,
             std::string_view id) {
  if (!RegionSystem::IsBuiltin(vintage)) return;
  if (id == kNational) return;
  if (!RegionSystem::Builtin(vintage).IndexOfId(id)) {
    csv.Fail(col, fmt::format("region id '{}' is not a region of {}", id, vintage));
  }
}

// The last lines.size() rows of `rows` were read from one file, at `lines`: InputError
// "FILE:LINE:COL: duplicated key" at the earliest line that repeats the key of an earlier one
// (sorting instead of a set of key strings: the world tables have 200,000 rows).
template <typename Row, typename Key>
void ThrowOnDuplicateRow(const std::vector<Row>& rows, const std::vector<long>& lines,
                         const io::CsvReader& csv, size_t col, Key key) {
  const size_t first = rows.size() - lines.size();
  std::vector<size_t> order(lines.size());
  for (size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return key(rows[first + a]) < key(rows[first + b]); });
  long repeat = 0;
  for (size_t pos = 1; pos < order.size(); ++pos) {
    if (key(rows[first + order[pos - 1]]) == key(rows[first + order[pos]])) {
      const long line = lines[order[pos]];  // stable: the later of the two
      if (repeat == 0 || line < repeat) repeat = line;
    }
  }
  if (repeat != 0) {  // as csv.Fail(col, ...) would say on that line
    throw InputError(csv.name(), repeat, static_cast<long>(col) + 1,
                     fmt::format("{}: duplicated key", csv.header().at(col)));
  }
}

struct FileDefaults {
  std::string vintage;
  std::string provenance_key;
};

// A short, readable, unique key for a provenance: a slug of its source, with a counter on clash.
std::string MakeKey(const Provenance& p, std::set<std::string>& used) {
  std::string slug;
  for (char c : p.source) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      slug.push_back(static_cast<char>(std::tolower(u)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  if (slug.size() > 40) {  // cut at a word boundary
    slug.resize(40);
    if (const size_t dash = slug.rfind('-'); dash != std::string::npos && dash > 8) {
      slug.resize(dash);
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "p";
  if (!p.official()) slug = "est-" + slug;
  std::string key = slug;
  for (int counter = 2; used.count(key); ++counter) key = fmt::format("{}-{}", slug, counter);
  used.insert(key);
  return key;
}

}  // namespace

Batch ReadDatasetFolder(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw InputError(dir.string(), 0, 0, "dataset folder not found");
  }
  Batch batch;
  batch.dataset = dir.filename().string();
  std::map<std::string, Provenance> provenances;
  {
    io::CsvReader csv(dir / "provenance.csv");
    const size_t c_key = csv.Column("key"), c_kind = csv.Column("kind"),
                 c_source = csv.Column("source"), c_detail = csv.Column("detail");
    while (csv.Next()) {
      const std::string key(csv.RequiredField(c_key));
      const std::string_view kind = csv.RequiredField(c_kind);
      Provenance p;
      if (kind == "official") {
        p = Provenance::Official(std::string(csv.RequiredField(c_source)),
                                 std::string(csv.Field(c_detail)));
      } else if (kind == "estimated") {
        p = Provenance::Estimated(std::string(csv.RequiredField(c_source)),
                                  std::string(csv.Field(c_detail)));
      } else {
        csv.Fail(c_kind, fmt::format("kind must be official or estimated, not '{}'", kind));
      }
      p.preliminary = Provenance::DetailMarksPreliminary(p.detail);
      if (!provenances.emplace(key, std::move(p)).second) {
        csv.Fail(c_key, fmt::format("duplicated provenance key '{}'", key));
      }
    }
  }
  auto provenance_of = [&](const io::CsvReader& csv, size_t col, const std::string& key) {
    auto it = provenances.find(key);
    if (it == provenances.end()) {
      csv.Fail(col, fmt::format("unknown provenance key '{}' (see provenance.csv)", key));
    }
    return it->second;
  };

  struct Entry {
    IndicatorMeta meta;
    std::string file;
    FileDefaults defaults;
  };
  std::vector<Entry> entries;
  {
    io::CsvReader csv(dir / "indicators.csv");
    const size_t c_name = csv.Column("indicator"), c_kind = csv.Column("kind"),
                 c_unit = csv.Column("unit"), c_file = csv.Column("file"),
                 c_notes = csv.Column("notes");
    const auto c_vintage = csv.FindColumn("vintage");
    const auto c_prov = csv.FindColumn("provenance");
    std::set<std::string> names;
    while (csv.Next()) {
      Entry entry;
      entry.meta.name = std::string(csv.RequiredField(c_name));
      if (!names.insert(entry.meta.name).second) {
        csv.Fail(c_name, fmt::format("indicator '{}' listed twice", entry.meta.name));
      }
      const auto kind = KindFromName(csv.RequiredField(c_kind));
      if (!kind) csv.Fail(c_kind, "kind must be series, flows, stocks or composition");
      entry.meta.kind = *kind;
      entry.meta.unit = std::string(csv.Field(c_unit));
      entry.meta.notes = std::string(csv.Field(c_notes));
      entry.file = std::string(csv.RequiredField(c_file));
      if (entry.file.find('/') != std::string::npos || entry.file.find('\\') != std::string::npos) {
        csv.Fail(c_file, "file must be a plain file name inside the dataset folder");
      }
      entry.defaults.vintage = OptionalField(csv, c_vintage, "");
      entry.defaults.provenance_key = OptionalField(csv, c_prov, "");
      if (!entry.defaults.provenance_key.empty()) {
        provenance_of(csv, *c_prov, entry.defaults.provenance_key);
      }
      entries.push_back(std::move(entry));
    }
  }

  for (const Entry& entry : entries) {
    batch.indicators.push_back(entry.meta);
    io::CsvReader csv(dir / entry.file);
    const auto c_vintage = csv.FindColumn("vintage");
    const auto c_prov = csv.FindColumn("provenance");
    if (!c_vintage && entry.defaults.vintage.empty()) {
      throw InputError((dir / entry.file).string(), 1, 0,
                       "no vintage column and no vintage in indicators.csv");
    }
    if (!c_prov && entry.defaults.provenance_key.empty()) {
      throw InputError((dir / entry.file).string(), 1, 0,
                       "no provenance column and no provenance in indicators.csv");
    }
    auto row_vintage = [&] {
      std::string vintage = OptionalField(csv, c_vintage, entry.defaults.vintage);
      if (vintage.empty()) csv.Fail(*c_vintage, "empty vintage");
      return vintage;
    };
    auto row_provenance = [&] {
      const std::string key = OptionalField(csv, c_prov, entry.defaults.provenance_key);
      if (key.empty()) csv.Fail(*c_prov, "empty provenance");
      return provenance_of(csv, c_prov.value_or(0), key);
    };
    std::vector<long> lines;  // of this file's rows, for the duplicate check
    switch (entry.meta.kind) {
      case IndicatorKind::kSeries: {
        const size_t c_region = csv.Column("region"), c_year = csv.Column("year"),
                     c_value = csv.Column("value");
        while (csv.Next()) {
          SeriesRow row;
          row.indicator = entry.meta.name;
          row.vintage = row_vintage();
          row.region_id = std::string(csv.RequiredField(c_region));
          CheckId(csv, c_region, row.vintage, row.region_id);
          row.year = Year(csv, c_year);
          row.value = csv.Double(c_value);
          row.provenance = row_provenance();
          lines.push_back(csv.line());
          batch.series.push_back(std::move(row));
        }
        ThrowOnDuplicateRow(batch.series, lines, csv, c_region, [](const SeriesRow& r) {
          return std::tie(r.vintage, r.region_id, r.year);
        });
        break;
      }
      case IndicatorKind::kFlows: {
        const size_t c_orig = csv.Column("orig"), c_dest = csv.Column("dest"),
                     c_year = csv.Column("year"), c_value = csv.Column("flow");
        const auto c_period = csv.FindColumn("period");
        const auto c_low = csv.FindColumn("flow_low");
        const auto c_high = csv.FindColumn("flow_high");
        while (csv.Next()) {
          FlowRow row;
          row.indicator = entry.meta.name;
          row.vintage = row_vintage();
          row.orig = std::string(csv.RequiredField(c_orig));
          row.dest = std::string(csv.RequiredField(c_dest));
          CheckId(csv, c_orig, row.vintage, row.orig);
          CheckId(csv, c_dest, row.vintage, row.dest);
          row.year = Year(csv, c_year);
          row.period = OptionalField(csv, c_period, "");
          row.value = csv.Double(c_value);
          if (c_low && !csv.Field(*c_low).empty()) {
            row.low = csv.Double(*c_low);
            if (*row.low > row.value) csv.Fail(*c_low, "flow_low is above flow");
          }
          if (c_high && !csv.Field(*c_high).empty()) {
            row.high = csv.Double(*c_high);
            if (*row.high < row.value) csv.Fail(*c_high, "flow_high is below flow");
          }
          row.provenance = row_provenance();
          lines.push_back(csv.line());
          batch.flows.push_back(std::move(row));
        }
        ThrowOnDuplicateRow(batch.flows, lines, csv, c_orig, [](const FlowRow& r) {
          return std::tie(r.vintage, r.orig, r.dest, r.year, r.period);
        });
        break;
      }
      case IndicatorKind::kStocks: {
        const size_t c_pob = csv.Column("pob"), c_por = csv.Column("por"),
                     c_year = csv.Column("year"), c_value = csv.Column("stock");
        while (csv.Next()) {
          StockRow row;
          row.indicator = entry.meta.name;
          row.vintage = row_vintage();
          row.pob = std::string(csv.RequiredField(c_pob));
          row.por = std::string(csv.RequiredField(c_por));
          CheckId(csv, c_pob, row.vintage, row.pob);
          CheckId(csv, c_por, row.vintage, row.por);
          row.year = Year(csv, c_year);
          row.value = csv.Double(c_value);
          row.provenance = row_provenance();
          lines.push_back(csv.line());
          batch.stocks.push_back(std::move(row));
        }
        ThrowOnDuplicateRow(batch.stocks, lines, csv, c_pob, [](const StockRow& r) {
          return std::tie(r.vintage, r.pob, r.por, r.year);
        });
        break;
      }
      case IndicatorKind::kComposition: {
        const size_t c_region = csv.Column("region"), c_year = csv.Column("year"),
                     c_group = csv.Column("group");
        const auto c_period = csv.FindColumn("period");
        const auto c_persons = csv.FindColumn("persons");
        const auto c_share = csv.FindColumn("share_pct");
        if (!c_persons && !c_share) csv.Column("persons");  // throws: names the missing column
        while (csv.Next()) {
          CompositionRow row;
          row.indicator = entry.meta.name;
          row.vintage = row_vintage();
          row.region_id = std::string(csv.RequiredField(c_region));
          CheckId(csv, c_region, row.vintage, row.region_id);
          row.year = Year(csv, c_year);
          row.period = OptionalField(csv, c_period, "");
          row.group = std::string(csv.RequiredField(c_group));
          row.persons = OptionalNumber(csv, c_persons);
          row.share_pct = OptionalNumber(csv, c_share);
          if (!row.persons && !row.share_pct) {
            csv.Fail(c_persons.value_or(*c_share), "neither persons nor share_pct given");
          }
          if (row.persons && *row.persons < 0) csv.Fail(*c_persons, "persons is negative");
          if (row.share_pct && !(*row.share_pct > 0 && *row.share_pct <= 100)) {
            csv.Fail(*c_share, "share_pct is not in (0, 100]");
          }
          row.provenance = row_provenance();
          lines.push_back(csv.line());
          batch.compositions.push_back(std::move(row));
        }
        ThrowOnDuplicateRow(batch.compositions, lines, csv, c_group, [](const CompositionRow& r) {
          return std::tie(r.vintage, r.region_id, r.year, r.period, r.group);
        });
        break;
      }
    }
  }
  return batch;
}

void WriteDatasetFolder(const Batch& batch, const fs::path& dir) {
  fs::create_directories(dir);
  // Provenance keys in order of first use (deterministic for a given batch).
  std::vector<std::pair<std::string, Provenance>> keyed;
  std::set<std::string> used;
  auto key_of = [&](const Provenance& p) -> const std::string& {
    for (const auto& [key, known] : keyed) {
      if (known == p) return key;
    }
    keyed.emplace_back(MakeKey(p, used), p);
    return keyed.back().first;
  };

  struct FileOut {
    std::string file;
    std::string vintage;     // shared by every row, else empty
    std::string provenance;  // shared key, else empty
  };
  std::vector<std::pair<IndicatorMeta, FileOut>> listing;

  for (const IndicatorMeta& meta : batch.indicators) {
    FileOut out{meta.name + ".csv", "", ""};
    std::ostringstream text;
    io::CsvWriter csv(text);
    auto shared = [](const auto& rows, auto get) {
      std::string first;
      for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        const std::string value = get(*rows[row_idx]);
        if (row_idx == 0) {
          first = value;
        } else if (value != first) {
          return std::string();
        }
      }
      return first;
    };
    switch (meta.kind) {
      case IndicatorKind::kSeries: {
        std::vector<const SeriesRow*> rows;
        for (const SeriesRow& r : batch.series) {
          if (r.indicator == meta.name) rows.push_back(&r);
        }
        std::stable_sort(rows.begin(), rows.end(), [](const SeriesRow* a, const SeriesRow* b) {
          return std::tie(a->vintage, a->region_id, a->year) <
                 std::tie(b->vintage, b->region_id, b->year);
        });
        out.vintage = shared(rows, [](const SeriesRow& r) { return r.vintage; });
        out.provenance = shared(rows, [&](const SeriesRow& r) { return key_of(r.provenance); });
        csv.Field("region").Field("year").Field("value");
        if (out.vintage.empty()) csv.Field("vintage");
        if (out.provenance.empty()) csv.Field("provenance");
        csv.EndRow();
        for (const SeriesRow* r : rows) {
          csv.Field(r->region_id).Field(r->year).Field(r->value);
          if (out.vintage.empty()) csv.Field(r->vintage);
          if (out.provenance.empty()) csv.Field(key_of(r->provenance));
          csv.EndRow();
        }
        break;
      }
      case IndicatorKind::kFlows: {
        std::vector<const FlowRow*> rows;
        for (const FlowRow& r : batch.flows) {
          if (r.indicator == meta.name) rows.push_back(&r);
        }
        std::stable_sort(rows.begin(), rows.end(), [](const FlowRow* a, const FlowRow* b) {
          return std::tie(a->vintage, a->year, a->period, a->orig, a->dest) <
                 std::tie(b->vintage, b->year, b->period, b->orig, b->dest);
        });
        out.vintage = shared(rows, [](const FlowRow& r) { return r.vintage; });
        out.provenance = shared(rows, [&](const FlowRow& r) { return key_of(r.provenance); });
        const bool periods = std::any_of(rows.begin(), rows.end(),
                                         [](const FlowRow* r) { return !r->period.empty(); });
        csv.Field("orig").Field("dest").Field("year");
        if (periods) csv.Field("period");
        csv.Field("flow");
        const bool bands = std::any_of(rows.begin(), rows.end(),
                                       [](const FlowRow* r) { return r->low || r->high; });
        if (bands) csv.Field("flow_low").Field("flow_high");
        if (out.vintage.empty()) csv.Field("vintage");
        if (out.provenance.empty()) csv.Field("provenance");
        csv.EndRow();
        auto optional_field = [&csv](const std::optional<double>& value) {
          if (value) {
            csv.Field(*value);
          } else {
            csv.Field("");
          }
        };
        for (const FlowRow* r : rows) {
          csv.Field(r->orig).Field(r->dest).Field(r->year);
          if (periods) csv.Field(r->period);
          csv.Field(r->value);
          if (bands) {
            optional_field(r->low);
            optional_field(r->high);
          }
          if (out.vintage.empty()) csv.Field(r->vintage);
          if (out.provenance.empty()) csv.Field(key_of(r->provenance));
          csv.EndRow();
        }
        break;
      }
      case IndicatorKind::kStocks: {
        std::vector<const StockRow*> rows;
        for (const StockRow& r : batch.stocks) {
          if (r.indicator == meta.name) rows.push_back(&r);
        }
        std::stable_sort(rows.begin(), rows.end(), [](const StockRow* a, const StockRow* b) {
          return std::tie(a->vintage, a->year, a->pob, a->por) <
                 std::tie(b->vintage, b->year, b->pob, b->por);
        });
        out.vintage = shared(rows, [](const StockRow& r) { return r.vintage; });
        out.provenance = shared(rows, [&](const StockRow& r) { return key_of(r.provenance); });
        csv.Field("pob").Field("por").Field("year").Field("stock");
        if (out.vintage.empty()) csv.Field("vintage");
        if (out.provenance.empty()) csv.Field("provenance");
        csv.EndRow();
        for (const StockRow* r : rows) {
          csv.Field(r->pob).Field(r->por).Field(r->year).Field(r->value);
          if (out.vintage.empty()) csv.Field(r->vintage);
          if (out.provenance.empty()) csv.Field(key_of(r->provenance));
          csv.EndRow();
        }
        break;
      }
      case IndicatorKind::kComposition: {
        std::vector<const CompositionRow*> rows;
        for (const CompositionRow& r : batch.compositions) {
          if (r.indicator == meta.name) rows.push_back(&r);
        }
        // The groups of one period keep their order (as the source lists them).
        std::stable_sort(rows.begin(), rows.end(),
                         [](const CompositionRow* a, const CompositionRow* b) {
                           return std::tie(a->vintage, a->year, a->period, a->region_id) <
                                  std::tie(b->vintage, b->year, b->period, b->region_id);
                         });
        out.vintage = shared(rows, [](const CompositionRow& r) { return r.vintage; });
        out.provenance =
            shared(rows, [&](const CompositionRow& r) { return key_of(r.provenance); });
        csv.Field("region").Field("year").Field("period").Field("group");
        csv.Field("persons").Field("share_pct");
        if (out.vintage.empty()) csv.Field("vintage");
        if (out.provenance.empty()) csv.Field("provenance");
        csv.EndRow();
        for (const CompositionRow* r : rows) {
          csv.Field(r->region_id).Field(r->year).Field(r->period).Field(r->group);
          for (const std::optional<double>& value : {r->persons, r->share_pct}) {
            if (value) {
              csv.Field(*value);
            } else {
              csv.Field("");
            }
          }
          if (out.vintage.empty()) csv.Field(r->vintage);
          if (out.provenance.empty()) csv.Field(key_of(r->provenance));
          csv.EndRow();
        }
        break;
      }
    }
    io::WriteFileAtomically(dir / out.file, text.str());
    listing.emplace_back(meta, out);
  }
  {
    std::ostringstream text;
    io::CsvWriter csv(text);
    csv.Row("indicator", "kind", "unit", "file", "vintage", "provenance", "notes");
    for (const auto& [meta, out] : listing) {
      csv.Row(meta.name, KindName(meta.kind), meta.unit, out.file, out.vintage, out.provenance,
              meta.notes);
    }
    io::WriteFileAtomically(dir / "indicators.csv", text.str());
  }
  {
    std::ostringstream text;
    io::CsvWriter csv(text);
    csv.Row("key", "kind", "source", "detail");
    for (const auto& [key, p] : keyed) csv.Row(key, p.KindName(), p.source, p.detail);
    io::WriteFileAtomically(dir / "provenance.csv", text.str());
  }
}

std::string FolderFingerprint(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".csv") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64
  auto mix = [&hash](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
  };
  for (const fs::path& file : files) {
    mix(file.filename().string());
    mix(std::string_view("\0", 1));
    mix(io::ReadFile(file));
  }
  return fmt::format("{:016x}", hash);
}

Store OpenWithBuiltin(const fs::path& db, const fs::path& builtin_dir) {
  Store store = Store::Open(db);
  const auto loaded = store.GetDataset(kBuiltinDataset);
  if (!fs::is_directory(builtin_dir)) {
    if (loaded) return store;
    throw ComputeError(fmt::format(
        "the built-in dataset folder {} is missing (set KAZMIG_DATA_DIR to the repository's "
        "data/kz)",
        builtin_dir.string()));
  }
  const std::string fingerprint = FolderFingerprint(builtin_dir);
  if (loaded && loaded->fingerprint == fingerprint) return store;
  Batch batch = ReadDatasetFolder(builtin_dir);
  batch.dataset = std::string(kBuiltinDataset);
  batch.description = "Kazakhstan: built-in dataset (data/kz, see SOURCES.md)";
  store.Write(batch, WriteMode::kReplaceDatasetUnlessCurrent, fingerprint);
  return store;
}

}  // namespace kazmig::store

#include "kazmig/app/data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/names.h"
#include "kazmig/app/od_matrix.h"
#include "kazmig/app/selection.h"
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/core/region_series.h"
#include "kazmig/importers/bns_6584.h"
#include "kazmig/importers/builtin.h"
#include "kazmig/importers/common.h"
#include "kazmig/importers/econdata.h"
#include "kazmig/importers/internal_migration.h"
#include "kazmig/importers/kato_json.h"
#include "kazmig/importers/tidy.h"
#include "kazmig/importers/undesa.h"
#include "kazmig/io/csv.h"
#include "kazmig/policy/measures.h"
#include "kazmig/store/checks.h"

namespace kazmig::app {
namespace {

// The year's value of every kz-2022 region of `indicator` in `batch` (kz-2022 rows only).
RegionSeries Kz2022Series(const store::Batch& batch, const std::string& indicator) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  std::vector<std::string> ids;
  for (const Region& region : kz2022.regions()) ids.push_back(region.id);
  RegionSeries series(indicator, "persons", ids);
  for (const store::SeriesRow& row : batch.series) {
    if (row.indicator != indicator || row.vintage != "kz-2022") continue;
    if (const auto idx = kz2022.IndexOfId(row.region_id)) {
      series.Set(*idx, row.year, row.value, series.AddProvenance(row.provenance));
    }
  }
  return series;
}

double RoundOd(double value) {
  const double scale = std::pow(10.0, importers::kOdDecimals);
  return std::round(value * scale) / scale + 0.0;  // + 0.0: no "-0"
}

constexpr const char* kOdNotes =
    "ESTIMATED, model-based inter-regional origin-destination matrix (kz-2022), one per year "
    "with complete official nets: a gravity prior (average population, great-circle distance "
    "between centroids, decay 1) scaled to an assumed 350,000 movers a year, constrained to the "
    "official net_internal. Only the nets are official; flows between two regions are not "
    "published. flow_low/flow_high: cell-wise range over distance decay 0.5-1.5 and gross total "
    "250,000-450,000. Rounded to 2 decimals.";

}  // namespace

store::Batch EstimatedInternalOd(const store::Batch& official) {
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  const RegionSeries population = Kz2022Series(official, "population_avg");
  const RegionSeries nets = Kz2022Series(official, "net_internal");
  store::Batch out;
  out.dataset = official.dataset;
  out.indicators.push_back(
      {"od_internal_estimated", store::IndicatorKind::kFlows, "persons", kOdNotes});
  for (int year : nets.Years()) {
    const std::vector<double> column = nets.Column(year);
    if (std::any_of(column.begin(), column.end(), [](double v) { return std::isnan(v); })) {
      continue;  // incomplete nets: no matrix for that year
    }
    const estimate::KzOdEstimate od = EstimateInternalOd(population, nets, year);
    Provenance provenance = od.provenance;
    provenance.detail += fmt::format(
        "; flow_low/flow_high = cell-wise min/max over the {} runs of the grid; rounded to {} "
        "decimals",
        od.scenarios.size(), importers::kOdDecimals);
    const FlowMatrix& central = od.central.fit.flows;
    for (size_t orig_idx = 0; orig_idx < kz2022.size(); ++orig_idx) {
      for (size_t dest_idx = 0; dest_idx < kz2022.size(); ++dest_idx) {
        if (orig_idx == dest_idx) continue;
        store::FlowRow row{"od_internal_estimated",
                           "kz-2022",
                           kz2022.regions()[orig_idx].id,
                           kz2022.regions()[dest_idx].id,
                           year,
                           "",
                           RoundOd(central(orig_idx, dest_idx)),
                           provenance};
        row.low = std::min(RoundOd(od.low(orig_idx, dest_idx)), row.value);
        row.high = std::max(RoundOd(od.high(orig_idx, dest_idx)), row.value);
        out.flows.push_back(std::move(row));
      }
    }
  }
  return out;
}

store::Batch BuildBuiltinBatch(const std::filesystem::path& shared_data) {
  store::Batch batch = importers::BuildBuiltin(shared_data);
  // Model-based: after the official series it is computed from (its indicator listed last).
  batch.Append(EstimatedInternalOd(batch));
  return batch;
}

BuildBuiltinResult BuildBuiltinDataset(const std::filesystem::path& shared_data,
                                       const std::filesystem::path& out_dir) {
  const store::Batch batch = BuildBuiltinBatch(shared_data);
  importers::WriteBuiltin(batch, out_dir);
  importers::WriteWorldCountries(shared_data, out_dir);
  importers::WritePolicyMeasures(shared_data, out_dir, policy::MeasureKinds());
  return {batch.size(), batch.indicators.size()};
}

namespace {

using ordered_json = nlohmann::ordered_json;

store::Store OpenStore(const DataStore& where) {
  return store::OpenWithBuiltin(where.db_path, where.builtin_dir);
}

std::string RegionName(const std::string& vintage, const std::string& id) {
  if (id == store::kNational) return "Kazakhstan";
  if (!RegionSystem::IsBuiltin(vintage)) return id;
  const RegionSystem& system = RegionSystem::Builtin(vintage);
  if (auto idx = system.IndexOfId(id)) return system[*idx].name_en;
  return id;
}

ordered_json ProvenanceJson(const Provenance& p) {
  return {{"kind", p.KindName()}, {"source", p.source}, {"detail", p.detail}};
}

// The first sentence of `text` (up to ". " followed by a capital letter or the end).
std::string FirstSentence(const std::string& text) {
  for (size_t pos = text.find(". "); pos != std::string::npos; pos = text.find(". ", pos + 1)) {
    const size_t next = pos + 2;
    if (next < text.size() && std::isupper(static_cast<unsigned char>(text[next]))) {
      return text.substr(0, pos + 1);
    }
  }
  return text;
}

// "population" shows both population series (they are different definitions, kept apart).
std::vector<std::string> ExpandAlias(const std::string& name) {
  if (name == "population") return {"population_jan1", "population_avg"};
  return {name};
}

store::Batch ReadImport(const DataImportRequest& o) {
  if (o.year != 0 && (o.year < importers::kMinTableYear || o.year > importers::kMaxTableYear)) {
    throw UsageError(fmt::format("--year {} is not a plausible year (accepted: {}..{})", o.year,
                                 importers::kMinTableYear, importers::kMaxTableYear));
  }
  const importers::RegionNames names = o.crosswalk.empty()
                                           ? importers::RegionNames()
                                           : importers::RegionNames::FromCrosswalk(o.crosswalk);
  if (o.format.starts_with("tidy-")) {
    if (o.indicator.empty()) throw UsageError("--indicator is required for tidy formats");
    if (o.source.empty()) throw UsageError("--source is required for tidy formats");
    importers::TidyOptions options{o.indicator, o.unit, o.vintage,
                                   o.estimated ? Provenance::Estimated(o.source, o.detail)
                                               : Provenance::Official(o.source, o.detail),
                                   o.notes};
    if (o.format == "tidy-series") return importers::ImportTidySeries(o.file, options);
    if (o.format == "tidy-flows") return importers::ImportTidyFlows(o.file, options);
    if (o.format == "tidy-composition") return importers::ImportTidyComposition(o.file, options);
    return importers::ImportTidyStocks(o.file, options);
  }
  if (o.format == "bns-6584") return importers::ImportBns6584(o.file, names);
  if (o.format == "kato-json") return importers::ImportKatoJson(o.file);
  if (o.format == "econdata") return importers::ImportEcondataSeries(o.file, names, o.indicator);
  if (o.format == "cis-migration") return importers::ImportCisMigration(o.file);
  if (o.format == "internal-migration") {
    const auto year =
        o.year != 0 ? std::optional<int>(o.year) : importers::YearFromFileName(o.file);
    if (!year) throw UsageError("--year is required (the file name holds no year)");
    return importers::ImportInternalMigration(o.file, *year, names);
  }
  if (o.countries.empty()) {
    throw UsageError("--countries FILE (country-metadata-flags.csv) is required for " + o.format);
  }
  const auto countries = importers::CountryNames::FromMetadata(o.countries);
  if (o.format == "undesa-stock") return importers::ImportUnStock(o.file, countries, o.focus);
  return importers::ImportAbelFlows(o.file, countries, o.focus);
}

// `data show` found no rows: says why (app/selection.h). `place` is the resolved --region (or
// nullopt with `unknown_place` when it named nothing known).
void ThrowIfEmptySelection(const DataShowRequest& request,
                           const std::vector<store::IndicatorMeta>& metas,
                           const std::optional<PlaceMatch>& place,
                           const std::optional<InputError>& unknown_place, bool region_found,
                           const std::set<int>& years_found,
                           const std::set<std::string>& vintages_found,
                           const std::set<std::string>& ids_present, bool empty) {
  if (!empty) return;
  std::string what;
  for (const auto& meta : metas) what += (what.empty() ? "" : " and ") + meta.name;
  const bool plural = metas.size() > 1;
  if (!request.region.empty() && !region_found) {
    if (unknown_place) throw *unknown_place;
    std::string ids;
    size_t listed = 0;
    for (const std::string& id : ids_present) {
      if (listed++ == 30) {
        ids += ", …";
        break;
      }
      ids += (ids.empty() ? "" : ", ") + id;
    }
    throw InputError(fmt::format(
        "--region '{}'{}: {} {} no values for it; {} values for {}", request.region,
        place ? fmt::format(" ({})", place->label) : std::string(), what, plural ? "have" : "has",
        plural ? "they have" : "it has", ids.empty() ? std::string("nothing") : ids));
  }
  const std::string scope =
      request.region.empty()
          ? what
          : fmt::format("{} for {}", what, place ? place->label : request.region);
  if (request.year != 0) {
    RequireYear("--year", request.year, std::vector<int>(years_found.begin(), years_found.end()),
                scope, plural);
  }
  if (!request.vintage.empty()) {
    std::string vintages;
    for (const std::string& v : vintages_found) vintages += (vintages.empty() ? "" : ", ") + v;
    throw InputError(fmt::format(
        "--vintage {}: {} {} no values at that vintage; vintages with "
        "data: {}",
        request.vintage, scope, plural ? "have" : "has", vintages.empty() ? "none" : vintages));
  }
}

// One value `data show` prints.
struct ShowRow {
  std::string indicator;
  std::string vintage;
  std::string a;  // region or orig/pob
  std::string b;  // dest/por (flows, stocks)
  int year;
  std::string period;
  double value;
  Provenance provenance;
  std::optional<double> low = std::nullopt;  // band of an estimated flow
  std::optional<double> high = std::nullopt;
};

// The unit a value column of `data show` has in the aligned text: persons (estimated ones rounded
// to 3 significant digits when every row is estimated), percent, or amounts.
Unit ShowUnit(const std::vector<ShowRow>& rows, const std::string& unit) {
  const bool estimated =
      !rows.empty() && std::all_of(rows.begin(), rows.end(), [](const ShowRow& r) {
        return r.provenance.kind == Provenance::Kind::kEstimated;
      });
  return UnitOfMeasure(unit, estimated);
}

// The name of a place of `vintage`: a region of a built-in system, or a country (iso3).
std::string PlaceName(const std::string& vintage, const std::string& id,
                      const CountryNames& countries) {
  if (vintage == "iso3") return countries.Name(id);
  return RegionDisplayName(vintage, id);
}

// `data show --format table`: places by name with their id beside them, one unit per value
// column (from the indicators' unit; mixed units fall back to amounts), the unit in a footnote.
std::string ShowTable(const std::vector<ShowRow>& rows, const std::vector<std::string>& units,
                      bool pairs, bool flows, bool bands, bool with_provenance,
                      const std::filesystem::path& builtin_dir) {
  const CountryNames countries(builtin_dir);
  std::vector<std::string> columns = {"indicator", "vintage"};
  std::vector<Unit> kinds = {Unit::kAuto, Unit::kAuto};
  if (pairs) {
    const bool stocks = !flows;
    columns.insert(columns.end(), {stocks ? "birthplace" : "origin", stocks ? "pob" : "orig",
                                   stocks ? "residence" : "destination", stocks ? "por" : "dest"});
    kinds.insert(kinds.end(), {Unit::kAuto, Unit::kId, Unit::kAuto, Unit::kId});
  } else {
    columns.insert(columns.end(), {"region", "id"});
    kinds.insert(kinds.end(), {Unit::kAuto, Unit::kId});
  }
  columns.emplace_back("year");
  kinds.push_back(Unit::kAuto);  // a year, or the period of a flow ("2015-2020")
  bool same_unit = true;
  for (const std::string& u : units) same_unit = same_unit && u == units.front();
  const Unit value_unit =
      units.empty() ? Unit::kAuto : ShowUnit(rows, same_unit ? units.front() : std::string());
  columns.emplace_back("value");
  kinds.push_back(value_unit);
  if (bands) {
    columns.insert(columns.end(), {"low", "high"});
    kinds.insert(kinds.end(), {value_unit, value_unit});
  }
  ResultTable table(columns, kinds);
  for (const ShowRow& r : rows) {
    std::vector<Cell> cells = {Cell::Text(r.indicator), Cell::Text(r.vintage),
                               Cell::Text(PlaceName(r.vintage, r.a, countries)), Cell::Text(r.a)};
    if (pairs) {
      cells.push_back(Cell::Text(PlaceName(r.vintage, r.b, countries)));
      cells.push_back(Cell::Text(r.b));
    }
    cells.push_back(Cell::Text(flows && !r.period.empty() ? r.period : std::to_string(r.year)));
    cells.push_back(Cell::Number(r.value));
    if (bands) {
      for (const auto& v : {r.low, r.high}) cells.push_back(v ? Cell::Number(*v) : Cell::Missing());
    }
    const size_t handle =
        with_provenance ? table.AddProvenance(r.provenance.ToString()) : ResultTable::kNoProvenance;
    table.AddRow(std::move(cells), handle);
  }
  // (An imported indicator may have no unit: then no footnote.)
  if (!units.empty() && value_unit == Unit::kAmount && !(same_unit && units.front().empty())) {
    table.AddFootnote(same_unit ? "value in " + units.front()
                                : "values in the units `kazmig data list` gives per indicator");
  }
  return table.Text(with_provenance);
}

// `data show --wide`: each (indicator, vintage, year) of flows between regions of a built-in
// system as a matrix (app/od_matrix.h), in the system's region order.
std::string ShowWide(const std::vector<ShowRow>& rows, bool flows, Format format,
                     const std::string& unit) {
  if (!flows)
    throw UsageError("--wide shows flows (orig,dest) as a matrix; this indicator has none");
  std::map<std::tuple<std::string, std::string, int>, std::vector<const ShowRow*>> groups;
  for (const ShowRow& r : rows) groups[{r.indicator, r.vintage, r.year}].push_back(&r);
  std::string out;
  bool first_csv = true;
  for (const auto& [key, members] : groups) {
    const auto& [indicator, vintage, year] = key;
    if (!RegionSystem::IsBuiltin(vintage)) {
      throw UsageError(
          fmt::format("--wide needs flows between the regions of a built-in system; {} is in '{}'",
                      indicator, vintage));
    }
    const RegionSystem& system = RegionSystem::Builtin(vintage);
    WideOd od;
    od.vintage = vintage;
    od.year = year;
    for (size_t idx = 0; idx < system.size(); ++idx) od.ids.push_back(system[idx].id);
    const size_t n = od.ids.size();
    od.values.assign(n, std::vector<double>(n, std::nan("")));
    bool estimated = true;
    for (const ShowRow* r : members) {
      const auto orig = system.IndexOfId(r->a);
      const auto dest = system.IndexOfId(r->b);
      if (!orig || !dest) continue;
      od.values[*orig][*dest] = r->value;
      estimated = estimated && r->provenance.kind == Provenance::Kind::kEstimated;
    }
    od.unit =
        unit == "persons" ? (estimated ? Unit::kEstimatedPersons : Unit::kPersons) : Unit::kAmount;
    if (format == Format::kCsv) {
      std::string csv = WideOdTable(od, false).Csv();
      if (!first_csv) csv.erase(0, csv.find('\n') + 1);  // one header for all the years
      out += csv;
      first_csv = false;
    } else {
      if (!out.empty()) out += '\n';
      out += fmt::format("{}, {} ({}, {}): origins in rows, destinations in columns\n\n", indicator,
                         year, vintage, unit);
      out += WideOdTable(od, true).Text();
    }
  }
  return out;
}

}  // namespace

DataInitResult InitBuiltin(const DataStore& where, bool force) {
  if (force) {
    store::Store db = store::Store::Open(where.db_path);
    db.DeleteDataset(store::kBuiltinDataset);
  }
  store::Store db = OpenStore(where);
  DataInitResult result;
  std::set<std::string> names;
  for (const auto& info : db.ListIndicators()) {
    result.values += info.value_count;
    names.insert(info.name);
  }
  result.indicators = names.size();
  return result;
}

std::string ListIndicators(const DataStore& where, Format format) {
  store::Store db = OpenStore(where);
  if (!db.HasDataset(where.dataset)) {
    throw UsageError(fmt::format("no dataset '{}' in {}", where.dataset, where.db_path));
  }
  const auto list = db.ListIndicators(where.dataset);
  auto kinds = [](const store::IndicatorInfo& info) {
    std::string out;
    for (const auto& k : info.provenance_kinds) out += (out.empty() ? "" : "+") + k;
    return out;
  };
  std::ostringstream out;
  switch (format) {
    case Format::kCsv: {
      io::CsvWriter csv(out);
      csv.Row("indicator", "kind", "unit", "vintage", "first_year", "last_year", "values",
              "regions", "provenance", "notes");
      for (const auto& info : list) {
        csv.Row(info.name, store::KindName(info.kind), info.unit, info.vintage, info.first_year,
                info.last_year, info.value_count, info.region_count, kinds(info), info.notes);
      }
      break;
    }
    case Format::kJson: {
      ordered_json items = ordered_json::array();
      for (const auto& info : list) {
        items.push_back({{"indicator", info.name},
                         {"kind", store::KindName(info.kind)},
                         {"unit", info.unit},
                         {"vintage", info.vintage},
                         {"first_year", info.first_year},
                         {"last_year", info.last_year},
                         {"values", info.value_count},
                         {"regions", info.region_count},
                         {"provenance", info.provenance_kinds},
                         {"notes", info.notes}});
      }
      out << ordered_json{{"dataset", where.dataset}, {"indicators", items}}.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      // The definition (the notes' first sentence: what the indicator counts) last, where its
      // length does not widen the other columns; csv and json carry the full notes.
      std::vector<std::vector<std::string>> table{
          {"indicator", "kind", "unit", "vintage", "years", "values", "provenance", "definition"}};
      for (const auto& info : list) {
        table.push_back({info.name, std::string(store::KindName(info.kind)), info.unit,
                         info.vintage, fmt::format("{}-{}", info.first_year, info.last_year),
                         HumanNumber(static_cast<double>(info.value_count)), kinds(info),
                         FirstSentence(info.notes)});
      }
      out << AlignedText(table);
      break;
    }
  }
  return out.str();
}

namespace {

// The JSON document of `data show`: {"dataset", "indicators": [{"name", "kind", "unit", "notes"}],
// "values"} (series, flows and compositions alike), indented by two.
std::string ShowJson(const std::string& dataset, const std::vector<store::IndicatorMeta>& metas,
                     const ordered_json& values) {
  ordered_json indicators = ordered_json::array();
  for (const store::IndicatorMeta& meta : metas) {
    indicators.push_back({{"name", meta.name},
                          {"kind", store::KindName(meta.kind)},
                          {"unit", meta.unit},
                          {"notes", meta.notes}});
  }
  return ordered_json{{"dataset", dataset}, {"indicators", indicators}, {"values", values}}.dump(
             2) +
         "\n";
}

// `data show` of a composition: indicator,vintage,region,year,period,group,persons,share_pct
// (empty when not given), one row per group, in the stored order.
std::string ShowComposition(const store::Store& db, const DataStore& where,
                            const store::IndicatorMeta& meta, const std::set<std::string>& ids,
                            const DataShowRequest& request, Format format) {
  std::vector<store::CompositionRow> rows;
  for (store::CompositionRow& r : db.LoadCompositions(meta.name, where.dataset)) {
    if (!ids.empty() && !ids.count(r.region_id)) continue;
    if (request.year != 0 && r.year != request.year) continue;
    if (!request.vintage.empty() && r.vintage != request.vintage) continue;
    rows.push_back(std::move(r));
  }
  auto number = [](const std::optional<double>& v) {
    return v ? io::FormatNumber(*v) : std::string();
  };
  std::ostringstream out;
  switch (format) {
    case Format::kCsv: {
      io::CsvWriter csv(out);
      csv.Field("indicator").Field("vintage").Field("region").Field("year").Field("period");
      csv.Field("group").Field("persons").Field("share_pct");
      if (request.with_provenance) csv.Field("provenance");
      csv.EndRow();
      for (const store::CompositionRow& r : rows) {
        csv.Field(r.indicator).Field(r.vintage).Field(r.region_id).Field(r.year).Field(r.period);
        csv.Field(r.group).Field(number(r.persons)).Field(number(r.share_pct));
        if (request.with_provenance) csv.Field(r.provenance.ToString());
        csv.EndRow();
      }
      break;
    }
    case Format::kJson: {
      ordered_json values = ordered_json::array();
      for (const store::CompositionRow& r : rows) {
        ordered_json item = {{"indicator", r.indicator}, {"vintage", r.vintage},
                             {"region", r.region_id},    {"year", r.year},
                             {"period", r.period},       {"group", r.group}};
        item["persons"] = r.persons ? ordered_json(*r.persons) : ordered_json(nullptr);
        item["share_pct"] = r.share_pct ? ordered_json(*r.share_pct) : ordered_json(nullptr);
        item["provenance"] = ProvenanceJson(r.provenance);
        values.push_back(std::move(item));
      }
      out << ShowJson(where.dataset, {meta}, values);
      break;
    }
    case Format::kTable: {
      // For people: the region by name with its id, persons whole, shares with one decimal.
      auto shown = [](const std::optional<double>& v, Unit unit) {
        return v ? TableNumber(*v, unit) : std::string(kTableMissing);
      };
      std::vector<std::vector<std::string>> table{
          {"indicator", "region", "id", "year", "period", "group", "persons", "share_pct"}};
      if (request.with_provenance) table.front().push_back("provenance");
      for (const store::CompositionRow& r : rows) {
        std::vector<std::string> cells = {r.indicator,
                                          RegionDisplayName(r.vintage, r.region_id),
                                          r.region_id,
                                          std::to_string(r.year),
                                          r.period,
                                          r.group,
                                          shown(r.persons, Unit::kPersons),
                                          shown(r.share_pct, Unit::kPercent)};
        if (request.with_provenance) cells.push_back(r.provenance.ToString());
        table.push_back(cells);
      }
      out << AlignedText(table);
      break;
    }
  }
  return out.str();
}

}  // namespace

std::string ShowIndicator(const DataStore& where, const DataShowRequest& request, Format format) {
  store::Store db = OpenStore(where);
  std::vector<store::IndicatorMeta> metas;
  for (const std::string& name : ExpandAlias(request.indicator)) {
    auto meta = db.GetIndicator(name, where.dataset);
    if (!meta) {
      std::string known;
      for (const auto& info : db.ListIndicators(where.dataset)) {
        if (known.find(info.name + ",") == std::string::npos) known += info.name + ", ";
      }
      throw UsageError(fmt::format("no indicator '{}' in dataset '{}' (known: {}population)", name,
                                   where.dataset, known));
    }
    metas.push_back(*meta);
  }
  // Ids a row may match: the region as resolved (KATO, "KZ") and as written (ISO3 of flows).
  // A country (flows and stocks by ISO3) may be named by its code or its English, Russian or
  // Kazakh name. What cannot be resolved is an InputError (app/selection.h) unless some row
  // has it as its id (an imported dataset's own ids).
  std::set<std::string> region_ids;
  std::optional<PlaceMatch> place;
  std::optional<InputError> unknown_place;
  if (!request.region.empty()) {
    const CountryNames countries = CountryNames::Load(where.builtin_dir);
    try {
      place = ResolvePlace("--region", request.region, &countries);
      if (place->region) region_ids.insert(*place->region);
      if (place->country) region_ids.insert(*place->country);
    } catch (const InputError& error) {
      if (importers::RegionNames().IsAmbiguous(request.region)) throw;
      unknown_place = error;
    }
    region_ids.insert(request.region);
  }
  using Row = ShowRow;
  if (metas.size() == 1 && metas.front().kind == store::IndicatorKind::kComposition) {
    // A composition is national (KZ) unless imported with regions. A selection that leaves no
    // group is an error as for the other kinds (an unknown place, a year or vintage without data).
    bool region_found = false;
    std::set<int> years_found;
    std::set<std::string> vintages_found, ids_present;
    size_t kept = 0;
    for (const auto& r : db.LoadCompositions(metas.front().name, where.dataset)) {
      ids_present.insert(r.region_id);
      if (!region_ids.empty() && !region_ids.count(r.region_id)) continue;
      region_found = true;
      years_found.insert(r.year);
      if (request.year != 0 && r.year != request.year) continue;
      vintages_found.insert(r.vintage);
      if (!request.vintage.empty() && r.vintage != request.vintage) continue;
      ++kept;
    }
    ThrowIfEmptySelection(request, metas, place, unknown_place, region_found, years_found,
                          vintages_found, ids_present, kept == 0);
    return ShowComposition(db, where, metas.front(), region_ids, request, format);
  }
  std::vector<Row> rows;
  bool pairs = false;
  bool region_found = false;  // some row has the selected region
  std::set<int> years_found;  // the years of the rows of the selected region (any vintage)
  std::set<std::string> vintages_found;  // the vintages of those rows in the selected year
  std::set<std::string> ids_present;     // every region or country id of the indicator's rows
  for (const auto& meta : metas) {
    auto keep = [&](const std::string& vintage, const std::string& a, const std::string& b,
                    int year) {
      ids_present.insert(a);
      if (!b.empty()) ids_present.insert(b);
      if (!region_ids.empty() && !region_ids.count(a) && !region_ids.count(b)) return false;
      region_found = true;
      years_found.insert(year);
      if (request.year != 0 && year != request.year) return false;
      vintages_found.insert(vintage);
      if (!request.vintage.empty() && vintage != request.vintage) return false;
      return true;
    };
    switch (meta.kind) {
      case store::IndicatorKind::kSeries:
        for (auto& r : db.LoadSeriesRows(meta.name, where.dataset)) {
          if (keep(r.vintage, r.region_id, "", r.year)) {
            rows.push_back(
                {meta.name, r.vintage, r.region_id, "", r.year, "", r.value, r.provenance});
          }
        }
        break;
      case store::IndicatorKind::kFlows:
        pairs = true;
        for (auto& r : db.LoadFlows(meta.name, where.dataset)) {
          if (keep(r.vintage, r.orig, r.dest, r.year)) {
            rows.push_back({meta.name, r.vintage, r.orig, r.dest, r.year, r.period, r.value,
                            r.provenance, r.low, r.high});
          }
        }
        break;
      case store::IndicatorKind::kStocks:
        pairs = true;
        for (auto& r : db.LoadStocks(meta.name, where.dataset)) {
          if (keep(r.vintage, r.pob, r.por, r.year)) {
            rows.push_back({meta.name, r.vintage, r.pob, r.por, r.year, "", r.value, r.provenance});
          }
        }
        break;
      case store::IndicatorKind::kComposition:
        break;  // shown by ShowComposition (never part of an alias)
    }
  }
  ThrowIfEmptySelection(request, metas, place, unknown_place, region_found, years_found,
                        vintages_found, ids_present, rows.empty());
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    return std::tie(x.indicator, x.year, x.vintage) < std::tie(y.indicator, y.year, y.vintage);
  });
  const bool flows = pairs && metas.front().kind == store::IndicatorKind::kFlows;
  const char* first = pairs ? (flows ? "orig" : "pob") : "region";
  const char* second = flows ? "dest" : "por";
  const bool bands =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.low || r.high; });
  auto band_text = [](const std::optional<double>& v) {
    return v ? io::FormatNumber(*v) : std::string();
  };
  if (request.wide && format != Format::kJson) {
    return ShowWide(rows, flows, format, metas.front().unit);
  }
  std::ostringstream out;
  switch (format) {
    case Format::kCsv: {
      io::CsvWriter csv(out);
      csv.Field("indicator").Field("vintage").Field(first);
      if (pairs) csv.Field(second);
      csv.Field("year");
      if (flows) csv.Field("period");
      csv.Field("value");
      if (bands) csv.Field("low").Field("high");
      if (request.with_provenance) csv.Field("provenance");
      csv.EndRow();
      for (const Row& r : rows) {
        csv.Field(r.indicator).Field(r.vintage).Field(r.a);
        if (pairs) csv.Field(r.b);
        csv.Field(r.year);
        if (flows) csv.Field(r.period);
        csv.Field(r.value);
        if (bands) csv.Field(band_text(r.low)).Field(band_text(r.high));
        if (request.with_provenance) csv.Field(r.provenance.ToString());
        csv.EndRow();
      }
      break;
    }
    case Format::kJson: {
      ordered_json values = ordered_json::array();
      for (const Row& r : rows) {
        ordered_json item = {{"indicator", r.indicator}, {"vintage", r.vintage}};
        if (pairs) {
          item[first] = r.a;
          item[second] = r.b;
        } else {
          item["region"] = r.a;
          item["region_name"] = RegionName(r.vintage, r.a);
        }
        item["year"] = r.year;
        if (flows && !r.period.empty()) item["period"] = r.period;
        item["value"] = r.value;
        if (r.low) item["low"] = *r.low;
        if (r.high) item["high"] = *r.high;
        item["provenance"] = ProvenanceJson(r.provenance);
        values.push_back(std::move(item));
      }
      out << ShowJson(where.dataset, metas, values);
      break;
    }
    case Format::kTable: {
      std::vector<std::string> units;
      for (const auto& meta : metas) units.push_back(meta.unit);
      out << ShowTable(rows, units, pairs, flows, bands, request.with_provenance,
                       where.builtin_dir);
    } break;
  }
  return out.str();
}

const std::vector<std::string>& ImportFormats() {
  static const std::vector<std::string> kFormats = {
      "tidy-series",        "tidy-flows",   "tidy-stocks", "tidy-composition",
      "bns-6584",           "kato-json",    "econdata",    "cis-migration",
      "internal-migration", "undesa-stock", "abel-flows"};
  return kFormats;
}

DataImportResult ImportFile(const DataStore& where, const DataImportRequest& request) {
  store::Batch batch = ReadImport(request);  // parse and validate everything first
  batch.dataset = where.dataset;
  store::Store db = OpenStore(where);
  db.Write(batch);
  DataImportResult result;
  result.values = batch.size();
  for (const auto& meta : batch.indicators) {
    result.indicators += (result.indicators.empty() ? "" : ", ") + meta.name;
  }
  return result;
}

DataCheckResult CheckDataset(const DataStore& where, Format format) {
  store::Store db = OpenStore(where);
  const store::CheckReport report = store::RunChecks(db, where.dataset);
  std::ostringstream out;
  switch (format) {
    case Format::kCsv: {
      io::CsvWriter csv(out);
      csv.Row("check", "region", "year", "expected", "actual", "residual", "status", "note");
      for (const auto& check : report.checks) {
        for (const auto& r : check.rows) {
          csv.Field(check.name).Field(r.region).Field(r.year);
          if (r.computed) {
            csv.Field(r.expected).Field(r.actual).Field(r.residual);
          } else {
            csv.Field("").Field("").Field("");
          }
          csv.Field(r.status).Field(r.note).EndRow();
        }
      }
      break;
    }
    case Format::kJson: {
      ordered_json checks = ordered_json::array();
      for (const auto& check : report.checks) {
        ordered_json rows = ordered_json::array();
        for (const auto& r : check.rows) {
          ordered_json item = {{"region", r.region}, {"year", r.year}};
          if (r.computed) {
            item["expected"] = r.expected;
            item["actual"] = r.actual;
            item["residual"] = r.residual;
          }
          item["status"] = r.status;
          if (!r.note.empty()) item["note"] = r.note;
          if (!r.expected_series.empty()) item["expected_series"] = r.expected_series;
          if (!r.actual_series.empty()) item["actual_series"] = r.actual_series;
          rows.push_back(std::move(item));
        }
        checks.push_back({{"name", check.name},
                          {"description", check.description},
                          {"assertion", check.assertion},
                          {"tolerance", check.tolerance},
                          {"passed", check.passed},
                          {"summary", check.summary},
                          {"rows", rows}});
      }
      out << ordered_json{{"dataset", where.dataset},
                          {"passed", report.passed()},
                          {"checks", checks}}
                 .dump(2)
          << '\n';
      break;
    }
    case Format::kTable: {
      for (const auto& check : report.checks) {
        out << fmt::format("== {} [{}] {}\n   {}\n   tolerance: {}\n   {}\n\n", check.name,
                           check.assertion ? "assertion" : "information",
                           check.passed ? "PASS" : "FAIL", check.description, check.tolerance,
                           check.summary);
        // Rows about regions name them (at the borders of their year) with the id beside; the
        // figures are persons (whole numbers), except in the rows about indicators, whose units
        // differ (amounts, one decimal); "–" where a figure could not be computed.
        const bool regions = check.row_label == "region";
        std::vector<std::vector<std::string>> table{{check.row_label}};
        if (regions) table.front().emplace_back("id");
        for (const char* column : {"year", "expected", "actual", "residual", "status", "note"}) {
          table.front().emplace_back(column);
        }
        const Unit unit = regions ? Unit::kPersons : Unit::kAmount;
        auto figure = [&](const store::CheckRow& r, double value) {
          return r.computed ? TableNumber(value, unit) : std::string(kTableMissing);
        };
        for (const auto& r : check.rows) {
          std::vector<std::string> row = {r.region};
          if (regions) {
            const char* vintage = r.year >= 2022   ? "kz-2022"
                                  : r.year >= 2018 ? "kz-2018"
                                                   : "kz-2009";
            row = {r.region == "all" ? "all regions" : RegionDisplayName(vintage, r.region),
                   r.region};
          }
          for (const std::string& cell :
               {std::to_string(r.year), figure(r, r.expected), figure(r, r.actual),
                figure(r, r.residual), r.status, r.note}) {
            row.push_back(cell);
          }
          table.push_back(std::move(row));
        }
        out << AlignedText(table);
        out << '\n';
      }
      out << (report.passed() ? "All assertions hold.\n" : "Some assertions FAILED (see above).\n");
      break;
    }
  }
  DataCheckResult result;
  result.output = out.str();
  result.passed = report.passed();
  for (const auto& check : report.checks) {
    result.lines.push_back(
        fmt::format("{}: {} — {}", check.name, check.passed ? "ok" : "FAILED", check.summary));
  }
  return result;
}

KzDataset InMemoryKzDataset(const std::vector<const RegionSeries*>& series,
                            const std::vector<int>& od_years,
                            const std::filesystem::path& builtin_dir) {
  store::Batch batch;
  store::Batch od_inputs;
  for (const RegionSeries* one : series) {
    batch.indicators.push_back(
        {one->indicator(), store::IndicatorKind::kSeries, one->unit(), "in memory"});
    for (size_t region_idx = 0; region_idx < one->region_count(); ++region_idx) {
      for (int year : one->Years()) {
        const auto value = one->Get(region_idx, year);
        if (!value) continue;
        store::SeriesRow row{one->indicator(),
                             "kz-2022",
                             one->region_ids()[region_idx],
                             year,
                             *value,
                             one->ProvenanceOf(region_idx, year)};
        if (std::find(od_years.begin(), od_years.end(), year) != od_years.end()) {
          od_inputs.series.push_back(row);
        }
        batch.series.push_back(std::move(row));
      }
    }
  }
  batch.Append(EstimatedInternalOd(od_inputs));
  store::Store db = store::Store::OpenInMemory();
  db.Write(batch);
  return KzDataset::FromStore(std::move(db), builtin_dir);
}

}  // namespace kazmig::app

#include "kazmig/importers/tidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/importers/common.h"
#include "kazmig/io/csv.h"

namespace kazmig::importers {
namespace {

// Common row context: id resolution, provenance column, duplicate keys, sign rule.
class TidyContext {
 public:
  TidyContext(io::CsvReader& csv, const TidyOptions& options, store::IndicatorKind kind,
              store::Batch& batch)
      : csv_(csv), options_(options), builtin_(RegionSystem::IsBuiltin(options.vintage)) {
    if (options.indicator.empty()) throw UsageError("an indicator name is required");
    if (options.vintage.empty()) throw UsageError("a vintage is required");
    c_provenance_ = csv.FindColumn("provenance");
    store::IndicatorMeta meta{options.indicator, kind, options.unit, options.notes};
    try {
      const store::IndicatorMeta& known = BuiltinIndicator(options.indicator);
      if (known.kind != kind) {
        throw UsageError(fmt::format("indicator '{}' holds {}, not {}", options.indicator,
                                     store::KindName(known.kind), store::KindName(kind)));
      }
      if (meta.unit.empty()) meta.unit = known.unit;
      if (meta.notes.empty()) meta.notes = known.notes;
    } catch (const std::out_of_range&) {
      // A new indicator: described by the options.
    }
    batch.indicators.push_back(meta);
    batch.description = fmt::format("imported from {}", csv.name());
  }

  std::string Id(size_t col) const {
    const std::string_view text = csv_.RequiredField(col);
    if (!builtin_) return std::string(text);
    if (names_.Find(text) == store::kNational) return std::string(store::kNational);
    // Resolve through the vintage itself: historical names of its units, ambiguity messages.
    const RegionSystem& system = RegionSystem::Builtin(options_.vintage);
    if (auto idx = system.Find(text)) return system[*idx].id;
    const auto id = names_.Find(text);
    if (id && system.IndexOfId(*id)) return *id;
    if (names_.IsAmbiguous(text)) {
      csv_.Fail(col, fmt::format("ambiguous region '{}' in {}; use the KATO code or a fuller name",
                                 text, options_.vintage));
    }
    csv_.Fail(col, fmt::format("unknown region '{}' in {}", text, options_.vintage));
  }

  Provenance RowProvenance() const {
    if (!c_provenance_ || csv_.Field(*c_provenance_).empty()) return options_.provenance;
    try {
      return Provenance::Parse(csv_.Field(*c_provenance_));
    } catch (const InputError& error) {
      csv_.Fail(*c_provenance_, error.detail().empty() ? error.what() : error.detail());
    }
  }

  double Value(size_t col) const {
    const double value = csv_.Double(col);
    if (value < 0 && !AllowsNegative(options_.indicator)) {
      csv_.Fail(col, fmt::format("negative value {} for {}", value, options_.indicator));
    }
    return value;
  }

  void Unique(size_t col, const std::string& key) {
    auto [it, inserted] = seen_.emplace(key, csv_.line());
    if (!inserted) {
      csv_.Fail(col, fmt::format("duplicated key, first given on line {}", it->second));
    }
  }

  int Year(size_t col) const {
    const int64_t year = csv_.Int(col);
    if (year < kMinTableYear || year > kMaxTableYear) {
      csv_.Fail(col, fmt::format("implausible year {} (accepted: {}..{})", year, kMinTableYear,
                                 kMaxTableYear));
    }
    return static_cast<int>(year);
  }

 private:
  io::CsvReader& csv_;
  const TidyOptions& options_;
  bool builtin_;
  RegionNames names_;
  std::optional<size_t> c_provenance_;
  std::map<std::string, long> seen_;
};

}  // namespace

store::Batch ImportTidySeries(const std::filesystem::path& path, const TidyOptions& options) {
  io::CsvReader csv(path);
  store::Batch batch;
  TidyContext ctx(csv, options, store::IndicatorKind::kSeries, batch);
  const size_t c_region = csv.Column({"region", "id"}), c_value = csv.Column("value"),
               c_year = csv.Column("year");
  while (csv.Next()) {
    const std::string id = ctx.Id(c_region);
    const int year = ctx.Year(c_year);
    const double value = ctx.Value(c_value);
    ctx.Unique(c_region, fmt::format("{}|{}", id, year));
    batch.series.push_back(
        {options.indicator, options.vintage, id, year, value, ctx.RowProvenance()});
  }
  if (batch.series.empty()) throw InputError(path.string(), 0, 0, "no data rows");
  return batch;
}

store::Batch ImportTidyFlows(const std::filesystem::path& path, const TidyOptions& options) {
  io::CsvReader csv(path);
  store::Batch batch;
  TidyContext ctx(csv, options, store::IndicatorKind::kFlows, batch);
  const size_t c_orig = csv.Column("orig"), c_dest = csv.Column("dest"),
               c_flow = csv.Column("flow");
  const auto c_year = csv.FindColumn("year");
  const auto c_period = csv.FindColumn("period");
  if (!c_year && !c_period) csv.Column("year");  // throws: names the missing column
  while (csv.Next()) {
    const std::string orig = ctx.Id(c_orig);
    const std::string dest = ctx.Id(c_dest);
    int year = 0;
    std::string period;
    if (c_period && !csv.Field(*c_period).empty()) {
      period = std::string(csv.Field(*c_period));
      const size_t dash = period.find('-');
      const std::string first = period.substr(0, dash);
      if (first.size() != 4 || !std::all_of(first.begin(), first.end(), ::isdigit)) {
        csv.Fail(*c_period, fmt::format("period '{}' is not YYYY or YYYY-YYYY", period));
      }
      year = std::stoi(first);
      if (dash == std::string::npos) period.clear();
    } else if (c_year) {
      year = ctx.Year(*c_year);
    } else {
      csv.Fail(*c_period, "empty period");
    }
    const double value = ctx.Value(c_flow);
    ctx.Unique(c_orig, fmt::format("{}|{}|{}|{}", orig, dest, year, period));
    batch.flows.push_back(
        {options.indicator, options.vintage, orig, dest, year, period, value, ctx.RowProvenance()});
  }
  if (batch.flows.empty()) throw InputError(path.string(), 0, 0, "no data rows");
  return batch;
}

store::Batch ImportTidyStocks(const std::filesystem::path& path, const TidyOptions& options) {
  io::CsvReader csv(path);
  store::Batch batch;
  TidyContext ctx(csv, options, store::IndicatorKind::kStocks, batch);
  const size_t c_pob = csv.Column("pob"), c_por = csv.Column("por"), c_stock = csv.Column("stock"),
               c_year = csv.Column("year");
  while (csv.Next()) {
    const std::string pob = ctx.Id(c_pob);
    const std::string por = ctx.Id(c_por);
    const int year = ctx.Year(c_year);
    const double value = ctx.Value(c_stock);
    ctx.Unique(c_pob, fmt::format("{}|{}|{}", pob, por, year));
    batch.stocks.push_back(
        {options.indicator, options.vintage, pob, por, year, value, ctx.RowProvenance()});
  }
  if (batch.stocks.empty()) throw InputError(path.string(), 0, 0, "no data rows");
  return batch;
}

}  // namespace kazmig::importers

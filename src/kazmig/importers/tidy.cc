#include "kazmig/importers/tidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
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

std::optional<int> PeriodFirstYear(std::string_view period) {
  auto digits = [](std::string_view text, size_t count) {
    return text.size() == count &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto year_of = [](std::string_view text) { return std::stoi(std::string(text)); };
  if (digits(period, 4)) return year_of(period);
  if (period.size() == 9 && period[4] == '-' && digits(period.substr(0, 4), 4) &&
      digits(period.substr(5), 4)) {
    const int first = year_of(period.substr(0, 4));
    if (first > year_of(period.substr(5))) return std::nullopt;
    return first;
  }
  // YYYY-MM..YYYY-MM
  if (period.size() == 16 && period.substr(7, 2) == ".." && period[4] == '-' && period[13] == '-' &&
      digits(period.substr(0, 4), 4) && digits(period.substr(5, 2), 2) &&
      digits(period.substr(9, 4), 4) && digits(period.substr(14, 2), 2)) {
    const int y1 = year_of(period.substr(0, 4)), m1 = year_of(period.substr(5, 2));
    const int y2 = year_of(period.substr(9, 4)), m2 = year_of(period.substr(14, 2));
    if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12 || y1 * 12 + m1 > y2 * 12 + m2) return std::nullopt;
    return y1;
  }
  return std::nullopt;
}

store::Batch ImportTidyComposition(const std::filesystem::path& path, const TidyOptions& options) {
  io::CsvReader csv(path);
  store::Batch batch;
  TidyContext ctx(csv, options, store::IndicatorKind::kComposition, batch);
  const size_t c_group = csv.Column("group");
  auto c_region = csv.FindColumn("region");
  if (!c_region) c_region = csv.FindColumn("id");
  const auto c_year = csv.FindColumn("year");
  const auto c_period = csv.FindColumn("period");
  const auto c_persons = csv.FindColumn("persons");
  const auto c_share = csv.FindColumn("share_pct");
  if (!c_year && !c_period) csv.Column("year");       // throws: names the missing column
  if (!c_persons && !c_share) csv.Column("persons");  // throws: names the missing column
  std::map<std::string, double> share_sums;           // region|period -> sum of shares so far
  while (csv.Next()) {
    store::CompositionRow row;
    row.indicator = options.indicator;
    row.vintage = options.vintage;
    row.region_id = c_region && !csv.Field(*c_region).empty() ? ctx.Id(*c_region)
                                                              : std::string(store::kNational);
    if (c_period && !csv.Field(*c_period).empty()) {
      const std::string period(csv.Field(*c_period));
      const auto first = PeriodFirstYear(period);
      if (!first) {
        csv.Fail(*c_period, fmt::format("period '{}' is not YYYY, YYYY-YYYY or YYYY-MM..YYYY-MM "
                                        "(start not after end)",
                                        period));
      }
      row.year = *first;
      if (period.size() != 4) row.period = period;
      if (c_year && !csv.Field(*c_year).empty() && ctx.Year(*c_year) != row.year) {
        csv.Fail(*c_year, fmt::format("year {} is not the first year of period '{}'",
                                      csv.Field(*c_year), period));
      }
    } else if (c_year) {
      row.year = ctx.Year(*c_year);
    } else {
      csv.Fail(*c_period, "empty period");
    }
    if (row.year < kMinTableYear || row.year > kMaxTableYear) {
      csv.Fail(c_period.value_or(c_group), fmt::format("implausible year {}", row.year));
    }
    row.group = std::string(csv.RequiredField(c_group));
    if (c_persons && !csv.Field(*c_persons).empty()) {
      row.persons = csv.Double(*c_persons);
      if (*row.persons < 0) {
        csv.Fail(*c_persons, fmt::format("negative count {} for {}", *row.persons, row.group));
      }
    }
    if (c_share && !csv.Field(*c_share).empty()) {
      row.share_pct = csv.Double(*c_share);
      if (!(*row.share_pct > 0 && *row.share_pct <= 100)) {
        csv.Fail(*c_share, fmt::format("share {} is not in (0, 100]", *row.share_pct));
      }
      const std::string key = fmt::format("{}|{}|{}", row.region_id, row.year, row.period);
      double& sum = share_sums[key];
      sum += *row.share_pct;
      if (sum > 100 + 1e-6) {
        csv.Fail(*c_share,
                 fmt::format("the shares of {} in {} sum to {} (above 100)", row.region_id,
                             row.period.empty() ? std::to_string(row.year) : row.period, sum));
      }
    }
    if (!row.persons && !row.share_pct) {
      csv.Fail(c_persons.value_or(*c_share), "neither persons nor share_pct given");
    }
    ctx.Unique(c_group, fmt::format("{}|{}|{}|{}", row.region_id, row.year, row.period, row.group));
    row.provenance = ctx.RowProvenance();
    batch.compositions.push_back(std::move(row));
  }
  if (batch.compositions.empty()) throw InputError(path.string(), 0, 0, "no data rows");
  return batch;
}

}  // namespace kazmig::importers

#include "kazmig/app/cohort.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "kazmig/core/error.h"
#include "kazmig/core/provenance.h"
#include "kazmig/indicators/age_profile.h"
#include "kazmig/io/csv.h"
#include "kazmig/project/cohort_component.h"

namespace kazmig::app {
namespace {

using project::kFemale;
using project::kMale;
using project::kSexes;

constexpr int kBirthsAge = -1;   // the `births` row of a survival-ratio file
constexpr int kAllRegions = -1;  // region `all` in fertility and survival files
// The largest absolute value a schedule file may hold: far beyond any population, small enough
// that a projection's sums and products stay finite.
constexpr double kMaxValue = 1e15;

// One data row of a tidy file, with where it came from.
struct Row {
  std::string region;  // or the origin
  std::string dest;    // pairs only
  int sex = -1;        // -1: the file has no sex column
  int age = 0;         // meaningful when the file has an age column
  double value = 0;
  long line = 0;
};

struct TidyFile {
  std::string path;
  bool has_sex = false;
  bool has_age = false;
  size_t c_region = 0, c_dest = 0, c_sex = 0, c_age = 0, c_value = 0;
  std::vector<Row> rows;

  [[noreturn]] void Fail(const Row& row, size_t col, const std::string& message) const {
    throw InputError(path, row.line, static_cast<long>(col) + 1, message);
  }
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct ReadSpec {
  bool pairs = false;  // orig,dest instead of region
  bool sex_required = false;
  bool age_required = false;
  bool births_label = false;  // an age `births` is accepted
  bool non_negative = false;
  const char* what = "value";  // for the message on a negative value
};

// Reads a long tidy file: region (or orig,dest), optional sex and age, value.
TidyFile ReadTidy(const std::string& path, const ReadSpec& spec) {
  io::CsvReader csv(path);
  TidyFile file;
  file.path = path;
  if (spec.pairs) {
    file.c_region = csv.Column("orig");
    file.c_dest = csv.Column("dest");
  } else {
    file.c_region = csv.Column("region");
  }
  if (spec.sex_required) {
    file.c_sex = csv.Column("sex");
    file.has_sex = true;
  } else if (auto col = csv.FindColumn("sex")) {
    file.c_sex = *col;
    file.has_sex = true;
  }
  if (spec.age_required) {
    file.c_age = csv.Column("age");
    file.has_age = true;
  } else if (auto col = csv.FindColumn("age")) {
    file.c_age = *col;
    file.has_age = true;
  }
  file.c_value = csv.Column("value");
  while (csv.Next()) {
    Row row;
    row.line = csv.line();
    row.region = std::string(csv.RequiredField(file.c_region));
    if (spec.pairs) row.dest = std::string(csv.RequiredField(file.c_dest));
    if (file.has_sex) {
      const std::string sex = Lower(csv.RequiredField(file.c_sex));
      if (sex == "f" || sex == "female") {
        row.sex = kFemale;
      } else if (sex == "m" || sex == "male") {
        row.sex = kMale;
      } else {
        csv.Fail(file.c_sex, fmt::format("sex must be f or m (female, male), not '{}'", sex));
      }
    }
    if (file.has_age) {
      std::string age = Lower(csv.RequiredField(file.c_age));
      if (spec.births_label && age == "births") {
        row.age = kBirthsAge;
      } else {
        if (!age.empty() && age.back() == '+') age.pop_back();
        const bool digits =
            !age.empty() && age.size() <= 3 && std::all_of(age.begin(), age.end(), [](char c) {
              return std::isdigit(static_cast<unsigned char>(c)) != 0;
            });
        if (!digits) {
          csv.Fail(file.c_age,
                   fmt::format("not an age: '{}' (a whole number of years, the first age of the "
                               "group; '85+' for an open group{})",
                               csv.Field(file.c_age),
                               spec.births_label ? ", 'births' for the births' survival" : ""));
        }
        row.age = std::stoi(age);
      }
    }
    row.value = csv.Double(file.c_value);
    if (spec.non_negative && row.value < 0) {
      csv.Fail(file.c_value, fmt::format("negative {}: {}", spec.what, row.value));
    }
    if (std::abs(row.value) > kMaxValue) {
      csv.Fail(file.c_value, fmt::format("{} is beyond +-1e15, more people than there are",
                                         csv.Field(file.c_value)));
    }
    file.rows.push_back(std::move(row));
  }
  csv.RequireRecords();
  return file;
}

// The regions and age groups of the population file, and index lookups.
struct Layout {
  std::vector<std::string> regions;
  std::unordered_map<std::string, int> region_index;
  int width = 1;
  int ages = 0;  // groups: 0, width, ..., (ages - 1) width (open)

  int GroupOf(int age) const {
    if (age < 0 || age % width != 0 || age / width >= ages) return -1;
    return age / width;
  }
  std::string AgeList() const { return fmt::format("0, {}, ..., {}", width, (ages - 1) * width); }
};

// A region id of a schedule file: a population region, or `all` when allowed.
int ResolveRegion(const TidyFile& file, const Row& row, const Layout& layout, bool allow_all,
                  const std::string& text, size_t col) {
  const auto it = layout.region_index.find(text);
  if (it != layout.region_index.end()) return it->second;
  if (allow_all && Lower(text) == "all") return kAllRegions;
  file.Fail(row, col,
            fmt::format("unknown region '{}' (not in the population file{})", text,
                        allow_all ? "; 'all' applies to every region" : ""));
}

int ResolveGroup(const TidyFile& file, const Row& row, const Layout& layout) {
  const int group = layout.GroupOf(row.age);
  if (group < 0) {
    file.Fail(row, file.c_age,
              fmt::format("age {} is not an age group of the population file ({})", row.age,
                          layout.AgeList()));
  }
  return group;
}

// Reads the population: every region x sex x age group once, ages 0, n, 2n, ... without gaps.
project::CohortInput ReadPopulation(const std::string& path, Layout& layout) {
  ReadSpec spec;
  spec.sex_required = spec.age_required = spec.non_negative = true;
  spec.what = "population";
  const TidyFile file = ReadTidy(path, spec);
  std::map<int, const Row*> first_of_age;
  for (const Row& row : file.rows) {
    if (layout.region_index.emplace(row.region, static_cast<int>(layout.regions.size())).second) {
      layout.regions.push_back(row.region);
    }
    first_of_age.emplace(row.age, &row);  // keeps the first row of every age
  }
  const Row* first = first_of_age.begin()->second;
  if (first_of_age.begin()->first != 0) {
    file.Fail(*first, file.c_age,
              fmt::format("ages must start at 0 (the youngest age here is {})", first->age));
  }
  if (first_of_age.size() < 2) {
    file.Fail(*first, file.c_age, "at least two age groups are needed (the last one is open)");
  }
  auto it = std::next(first_of_age.begin());
  layout.width = it->first;
  int expected = 0;
  for (const auto& [age, row] : first_of_age) {
    if (age != expected) {
      file.Fail(*row, file.c_age,
                fmt::format("ages not contiguous: {} follows {} (age groups of {} year{} from 0 "
                            "expected, so {})",
                            age, expected - layout.width, layout.width,
                            layout.width == 1 ? "" : "s", expected));
    }
    expected += layout.width;
  }
  layout.ages = static_cast<int>(first_of_age.size());
  project::CohortInput input(static_cast<int>(layout.regions.size()), layout.ages, layout.width);
  input.region_names = layout.regions;
  project::RegionSexAge seen(input.regions(), layout.ages, 0);
  for (const Row& row : file.rows) {
    const int region = layout.region_index.at(row.region);
    const int group = layout.GroupOf(row.age);
    double& line = seen(region, row.sex, group);
    if (line != 0) {
      file.Fail(
          row, file.c_age,
          fmt::format("region '{}', sex {}, age {} given twice (first on line {})", row.region,
                      row.sex == kFemale ? "f" : "m", row.age, static_cast<long>(line)));
    }
    line = static_cast<double>(row.line);
    input.population(region, row.sex, group) = row.value;
  }
  for (int region = 0; region < input.regions(); ++region) {
    for (int sex = 0; sex < kSexes; ++sex) {
      for (int group = 0; group < layout.ages; ++group) {
        if (seen(region, sex, group) != 0) continue;
        throw InputError(
            path, 0, 0,
            fmt::format("no row for region '{}', sex {}, age {}: every region, sex "
                        "and age group needs a population (0 for none)",
                        layout.regions[region], sex == kFemale ? "f" : "m", group * layout.width));
      }
    }
  }
  return input;
}

// Values of a schedule by (region or kAllRegions, sex, group), each key once; a region's own row
// takes precedence over `all`.
class Schedule {
 public:
  // Returns false when the key was already given (and its first line in `first_line`).
  bool Add(int region, int sex, int group, const Row& row, long* first_line) {
    const auto [it, added] = values_.emplace(std::make_tuple(region, sex, group), &row);
    if (!added) *first_line = it->second->line;
    return added;
  }
  const Row* Find(int region, int sex, int group) const {
    auto it = values_.find(std::make_tuple(region, sex, group));
    if (it == values_.end()) it = values_.find(std::make_tuple(kAllRegions, sex, group));
    return it == values_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::tuple<int, int, int>, const Row*> values_;
};

void ReadFertility(const std::string& path, const Layout& layout, project::CohortInput& input) {
  ReadSpec spec;
  spec.age_required = spec.non_negative = true;
  spec.what = "fertility rate";
  const TidyFile file = ReadTidy(path, spec);
  Schedule schedule;
  for (const Row& row : file.rows) {
    const int region = ResolveRegion(file, row, layout, true, row.region, file.c_region);
    if (row.sex == kMale) {
      file.Fail(row, file.c_sex,
                "fertility is by age of mother: a male row (give female rows, or no sex column)");
    }
    const int group = ResolveGroup(file, row, layout);
    if (group == 0 && row.value > 0) {
      file.Fail(row, file.c_value,
                fmt::format("fertility of the first age group (0-{}) must be 0: its women at the "
                            "end of a step are born in the step",
                            layout.width - 1));
    }
    if (row.value > 1) {
      file.Fail(row, file.c_value,
                fmt::format("ASFR {} is above 1 birth per woman per year", row.value));
    }
    long first_line = 0;
    if (!schedule.Add(region, kFemale, group, row, &first_line)) {
      file.Fail(row, file.c_age,
                fmt::format("region '{}', age {} given twice (first on line {})", row.region,
                            row.age, first_line));
    }
  }
  for (int region = 0; region < input.regions(); ++region) {
    for (int group = 0; group < layout.ages; ++group) {
      const Row* row = schedule.Find(region, kFemale, group);
      input.fertility[static_cast<size_t>(region) * layout.ages + group] = row ? row->value : 0;
    }
  }
}

void ReadSurvival(const std::string& path, const CohortRequest& request, const Layout& layout,
                  project::CohortInput& input) {
  const bool ratios = request.survival_kind == "ratio";
  ReadSpec spec;
  spec.sex_required = spec.age_required = spec.non_negative = true;
  spec.births_label = ratios;
  spec.what = ratios ? "survival ratio" : "person-years";
  const TidyFile file = ReadTidy(path, spec);
  Schedule schedule;
  constexpr int kBirthsGroup = -1;
  for (const Row& row : file.rows) {
    const int region = ResolveRegion(file, row, layout, true, row.region, file.c_region);
    const int group = row.age == kBirthsAge ? kBirthsGroup : ResolveGroup(file, row, layout);
    if (ratios && row.value > 1) {
      file.Fail(row, file.c_value,
                fmt::format("survival ratio {} is above 1 (a proportion alive at the end of the "
                            "step)",
                            row.value));
    }
    if (!ratios && row.value == 0) {
      file.Fail(row, file.c_value, "life-table person-years must be positive");
    }
    long first_line = 0;
    if (!schedule.Add(region, row.sex, group, row, &first_line)) {
      file.Fail(row, file.c_age,
                fmt::format("region '{}', sex {}, age {} given twice (first on line {})",
                            row.region, row.sex == kFemale ? "f" : "m",
                            row.age == kBirthsAge ? std::string("births") : std::to_string(row.age),
                            first_line));
    }
  }
  const auto missing = [&](int region, int sex, const std::string& age) {
    return InputError(path, 0, 0,
                      fmt::format("no row for region '{}', sex {}, age {} (or region 'all')",
                                  layout.regions[region], sex == kFemale ? "f" : "m", age));
  };
  for (int region = 0; region < input.regions(); ++region) {
    for (int sex = 0; sex < kSexes; ++sex) {
      std::vector<const Row*> rows(layout.ages);
      for (int group = 0; group < layout.ages; ++group) {
        rows[group] = schedule.Find(region, sex, group);
        if (!rows[group]) throw missing(region, sex, std::to_string(group * layout.width));
      }
      if (ratios) {
        const Row* births = schedule.Find(region, sex, kBirthsGroup);
        if (!births) throw missing(region, sex, "'births' (the births' survival to group 0)");
        input.birth_survival[region * kSexes + sex] = births->value;
        for (int group = 0; group < layout.ages; ++group) {
          input.survival(region, sex, group) = rows[group]->value;
        }
        continue;
      }
      // Life-table person-years: the ratios L(x+n)/L(x) and L(0)/(n l0) must not exceed 1.
      std::vector<double> person_years(layout.ages);
      for (int group = 0; group < layout.ages; ++group) person_years[group] = rows[group]->value;
      for (int group = 1; group + 1 < layout.ages; ++group) {
        if (person_years[group] > person_years[group - 1]) {
          file.Fail(*rows[group], file.c_value,
                    fmt::format("person-years {} exceed those of age {} ({}): a survival ratio "
                                "above 1",
                                person_years[group], (group - 1) * layout.width,
                                person_years[group - 1]));
        }
      }
      if (person_years[0] > layout.width * request.radix) {
        file.Fail(*rows[0], file.c_value,
                  fmt::format("person-years {} of the first age group exceed width x radix = {} "
                              "(a births' survival above 1; see --radix)",
                              person_years[0], layout.width * request.radix));
      }
      const project::SurvivalSchedule survival =
          project::SurvivalFromLifeTable(person_years, request.radix, layout.width);
      input.birth_survival[region * kSexes + sex] = survival.births;
      for (int group = 0; group < layout.ages; ++group) {
        input.survival(region, sex, group) = survival.ratios[group];
      }
    }
  }
}

// Rogers & Castro's (1981) fundamental 7-parameter schedule (as migest's rc9.fund), with the
// overrides of a "name=value,..." spec.
indicators::RogersCastroParameters ParseRogersCastro(const std::string& spec) {
  indicators::RogersCastroParameters p;
  p.a1 = 0.02;
  p.alpha1 = 0.1;
  p.a2 = 0.06;
  p.alpha2 = 0.1;
  p.mu2 = 20;
  p.lambda2 = 0.4;
  p.c = 0.003;
  if (spec == "standard") return p;
  std::map<std::string, double*> fields = {
      {"a1", &p.a1},   {"alpha1", &p.alpha1},   {"a2", &p.a2}, {"alpha2", &p.alpha2},
      {"mu2", &p.mu2}, {"lambda2", &p.lambda2}, {"a3", &p.a3}, {"alpha3", &p.alpha3},
      {"mu3", &p.mu3}, {"lambda3", &p.lambda3}, {"a4", &p.a4}, {"lambda4", &p.lambda4},
      {"c", &p.c}};
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    const std::string item = spec.substr(start, end - start);
    const size_t eq = item.find('=');
    const auto it = eq == std::string::npos ? fields.end() : fields.find(item.substr(0, eq));
    double value = 0;
    bool ok = it != fields.end();
    if (ok) {
      try {
        size_t used = 0;
        value = std::stod(item.substr(eq + 1), &used);
        ok = used == item.size() - eq - 1 && std::isfinite(value) && value >= 0;
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok) {
      throw UsageError(fmt::format(
          "--rogers-castro: '{}' is not NAME=VALUE with a non-negative VALUE and NAME one of a1, "
          "alpha1, a2, alpha2, mu2, lambda2, a3, alpha3, mu3, lambda3, a4, lambda4, c (or give "
          "'standard')",
          item));
    }
    *it->second = value;
    start = end + 1;
  }
  return p;
}

// Shares of the age groups (by the group at the end of a step) under the schedule: a closed group
// x..x+n-1 weighs sum_k m(x + k + 0.5), the open group sum over its ages up to 100.
std::vector<double> RogersCastroShares(const indicators::RogersCastroParameters& p,
                                       const Layout& layout) {
  std::vector<double> shares(layout.ages, 0.0);
  double total = 0;
  for (int group = 0; group < layout.ages; ++group) {
    const int first = group * layout.width;
    const int last = group + 1 < layout.ages ? first + layout.width - 1 : std::max(first, 100);
    for (int age = first; age <= last; ++age)
      shares[group] += indicators::RogersCastro(p, age + 0.5);
    total += shares[group];
  }
  if (!(total > 0)) throw UsageError("--rogers-castro: the schedule is 0 at every age");
  for (double& share : shares) share /= total;
  return shares;
}

// Internal migration (orig,dest[,sex][,age],value) into the rates or counts of `input`.
void ReadMigration(const CohortRequest& request, const Layout& layout,
                   const std::vector<double>* shares, project::CohortInput& input,
                   std::vector<std::string>& notes) {
  const bool rates = request.migration_kind == "rates";
  ReadSpec spec;
  spec.pairs = true;
  spec.non_negative = true;
  spec.what = rates ? "migration rate" : "migration count";
  const TidyFile file = ReadTidy(request.migration, spec);
  if (!file.has_age && (rates || !shares)) {
    throw InputError(request.migration, 1, 0,
                     rates ? "migration rates need an age column (the rates of the age group at "
                             "the start of a step)"
                           : "no age column: give counts by age, or --rogers-castro to "
                             "distribute the totals over the age groups");
  }
  project::SexAgeFlows& flows = rates ? input.migration_rates : input.migration_counts;
  (rates ? input.has_migration_rates : input.has_migration_counts) = true;
  std::map<std::tuple<int, int, int, int>, long> seen;
  bool diagonal = false;
  for (const Row& row : file.rows) {
    const int origin = ResolveRegion(file, row, layout, false, row.region, file.c_region);
    const int destination = ResolveRegion(file, row, layout, false, row.dest, file.c_dest);
    const int group = file.has_age ? ResolveGroup(file, row, layout) : -1;
    const auto [it, added] =
        seen.emplace(std::make_tuple(origin, destination, row.sex, group), row.line);
    if (!added) {
      file.Fail(row, file.c_region,
                fmt::format("the same origin, destination{} given twice (first on line {})",
                            file.has_age ? ", sex and age" : " and sex", it->second));
    }
    if (origin == destination) {
      diagonal = true;
      continue;
    }
    for (int sex = 0; sex < kSexes; ++sex) {
      if (row.sex >= 0 && row.sex != sex) continue;
      // Counts without a sex column are split in halves; rates apply to both sexes.
      const double sex_factor = row.sex < 0 && !rates ? 0.5 : 1.0;
      for (int g = 0; g < layout.ages; ++g) {
        if (file.has_age && g != group) continue;
        const double age_factor = file.has_age ? 1.0 : (*shares)[g];
        flows(sex, g, origin, destination) = row.value * sex_factor * age_factor;
      }
    }
  }
  if (diagonal)
    notes.push_back(fmt::format("{}: rows with orig = dest ignored", request.migration));
}

// International net migration (region[,sex][,age],value), counts or rates.
void ReadInternational(const CohortRequest& request, const Layout& layout,
                       const std::vector<double>* shares, project::CohortInput& input) {
  const bool rates = request.international_kind == "rates";
  const TidyFile file = ReadTidy(request.international, ReadSpec{});
  if (!file.has_age && (rates || !shares)) {
    throw InputError(request.international, 1, 0,
                     rates ? "international rates need an age column (the rates of the age "
                             "group at the start of a step)"
                           : "no age column: give net counts by age, or --rogers-castro to "
                             "distribute the totals over the age groups");
  }
  project::RegionSexAge& values = rates ? input.international_rates : input.international_counts;
  (rates ? input.has_international_rates : input.has_international_counts) = true;
  std::map<std::tuple<int, int, int>, long> seen;
  for (const Row& row : file.rows) {
    const int region = ResolveRegion(file, row, layout, false, row.region, file.c_region);
    const int group = file.has_age ? ResolveGroup(file, row, layout) : -1;
    const auto [it, added] = seen.emplace(std::make_tuple(region, row.sex, group), row.line);
    if (!added) {
      file.Fail(row, file.c_region,
                fmt::format("the same region{} given twice (first on line {})",
                            file.has_age ? ", sex and age" : " and sex", it->second));
    }
    if (rates && std::abs(row.value) > 1) {
      file.Fail(
          row, file.c_value,
          fmt::format("a net migration rate of {} per person-year is beyond -1..1", row.value));
    }
    for (int sex = 0; sex < kSexes; ++sex) {
      if (row.sex >= 0 && row.sex != sex) continue;
      const double sex_factor = row.sex < 0 && !rates ? 0.5 : 1.0;
      for (int g = 0; g < layout.ages; ++g) {
        if (file.has_age && g != group) continue;
        const double age_factor = file.has_age ? 1.0 : (*shares)[g];
        values(region, sex, g) = row.value * sex_factor * age_factor;
      }
    }
  }
}

void CheckSettings(const CohortRequest& request) {
  if (request.survival_kind != "lx" && request.survival_kind != "ratio") {
    throw UsageError("--survival-kind must be lx or ratio");
  }
  if (request.migration_kind != "rates" && request.migration_kind != "counts") {
    throw UsageError("--migration-kind must be rates or counts");
  }
  if (request.international_kind != "rates" && request.international_kind != "counts") {
    throw UsageError("--international-kind must be counts or rates");
  }
  if (!(request.radix > 0) || !std::isfinite(request.radix)) {
    throw UsageError("--radix must be a positive number");
  }
  if (!(request.sex_ratio_at_birth > 0) || !std::isfinite(request.sex_ratio_at_birth)) {
    throw UsageError("--srb must be a positive number (males per female birth)");
  }
  if (request.population.empty() || request.fertility.empty() || request.survival.empty()) {
    throw UsageError("--population, --fertility and --survival are required");
  }
}

Json ConventionsJson(const Layout& layout) {
  return Json::array({
      fmt::format("age groups of {} year{} from 0, the last ({}+) open; one step = {} year{}",
                  layout.width, layout.width == 1 ? "" : "s", (layout.ages - 1) * layout.width,
                  layout.width, layout.width == 1 ? "" : "s"),
      "births = n sum_a ASFR(a) (W_a(t) + W_a(t+n)) / 2 by mother's region, split by the sex "
      "ratio at birth",
      "migration counts are per year, by the age group at the end of the step; half the step's "
      "migrants are exposed to the step's survival and movement",
      "migration rates are per person-year, by the age group at the start of the step",
      "multiregional movement P(a) = [I + (n/2) M(a)]^-1 [I - (n/2) M(a)] (Rogers 1975), the "
      "death rate on M's diagonal chosen so that without migration P(a) = diag(S(a))",
      "schedules are constant over the horizon",
  });
}

}  // namespace

CohortProjection RunCohort(const CohortRequest& request) {
  CheckSettings(request);
  std::optional<indicators::RogersCastroParameters> rogers_castro;
  if (!request.rogers_castro.empty()) rogers_castro = ParseRogersCastro(request.rogers_castro);

  Layout layout;
  project::CohortInput input = ReadPopulation(request.population, layout);
  if (request.to < request.from) {
    throw InputError(
        "--to", 0, 0,
        fmt::format("the horizon {} is before the base year {}", request.to, request.from));
  }
  if ((request.to - request.from) % layout.width != 0) {
    throw InputError("--to", 0, 0,
                     fmt::format("the horizon must be the base year plus a whole number of steps "
                                 "of {} years (the age-group width of {}): {} is not",
                                 layout.width, request.population, request.to));
  }
  const int steps = (request.to - request.from) / layout.width;
  input.sex_ratio_at_birth = request.sex_ratio_at_birth;
  ReadFertility(request.fertility, layout, input);
  ReadSurvival(request.survival, request, layout, input);

  CohortProjection result;
  std::vector<double> shares;
  if (rogers_castro) shares = RogersCastroShares(*rogers_castro, layout);
  const std::vector<double>* shares_ptr = rogers_castro ? &shares : nullptr;
  if (!request.migration.empty()) {
    ReadMigration(request, layout, shares_ptr, input, result.notes);
  }
  if (!request.international.empty()) {
    ReadInternational(request, layout, shares_ptr, input);
  }

  const bool single = input.regions() == 1 && request.migration.empty();
  project::CohortResult projection;
  try {
    projection = single ? project::ProjectSingleRegion(input, steps)
                        : project::ProjectMultiregional(input, steps);
  } catch (const InputError& error) {
    // The engine names the component; name the files it came from.
    std::string files = error.file();
    if (request.migration.empty() && request.international.empty()) throw;
    if (files == "migration rates") {
      files = request.migration;
    } else if (files == "migration") {
      files = request.migration.empty() ? request.international
              : request.international.empty()
                  ? request.migration
                  : fmt::format("{} and {}", request.migration, request.international);
    }
    throw InputError(files, error.line(), error.column(), error.detail());
  }

  const std::string method =
      single ? "cohort-component projection, single region (Preston, Heuveline & Guillot 2001, "
               "ch. 6)"
             : "cohort-component projection, multiregional (Rogers 1975, 1995)";
  std::string inputs =
      fmt::format("population {}, fertility {}, survival {} ({})", request.population,
                  request.fertility, request.survival, request.survival_kind);
  if (!request.migration.empty()) {
    inputs += fmt::format(", migration {} ({})", request.migration, request.migration_kind);
  }
  if (!request.international.empty()) {
    inputs +=
        fmt::format(", international {} ({})", request.international, request.international_kind);
  }
  if (rogers_castro) inputs += fmt::format(", Rogers-Castro {}", request.rogers_castro);
  const std::string provenance = Provenance::Estimated(method, inputs).ToString();

  result.population =
      ResultTable({"region", "year", "sex", "age", "population"},
                  {Unit::kAuto, Unit::kYear, Unit::kAuto, Unit::kId, Unit::kEstimatedPersons});
  result.components =
      ResultTable({"region", "from", "to", "population_start", "births", "deaths", "internal_in",
                   "internal_out", "international_net", "population_end"});
  const size_t handle = result.population.AddProvenance(provenance);
  const size_t component_handle = result.components.AddProvenance(provenance);
  for (int region = 0; region < input.regions(); ++region) {
    for (size_t step_idx = 0; step_idx < projection.population.size(); ++step_idx) {
      const int year = request.from + static_cast<int>(step_idx) * layout.width;
      for (int sex = 0; sex < kSexes; ++sex) {
        for (int group = 0; group < layout.ages; ++group) {
          result.population.AddRow(
              {Cell::Text(layout.regions[region]), Cell::Integer(year),
               Cell::Text(sex == kFemale ? "f" : "m"), Cell::Integer(group * layout.width),
               // The base population is the input, whole persons; projected ones estimated.
               Cell::Number(projection.population[step_idx](region, sex, group))
                   .In(step_idx == 0 ? Unit::kPersons : Unit::kEstimatedPersons)},
              handle);
        }
      }
    }
    for (size_t step_idx = 0; step_idx < projection.steps.size(); ++step_idx) {
      const project::CohortStep& step = projection.steps[step_idx];
      double births = 0, deaths = 0, in = 0, out = 0, international = 0;
      for (int sex = 0; sex < kSexes; ++sex) {
        births += step.births[region * kSexes + sex];
        for (int group = 0; group < layout.ages; ++group) {
          deaths += step.deaths(region, sex, group);
          in += step.internal_in(region, sex, group);
          out += step.internal_out(region, sex, group);
          international += step.international(region, sex, group);
        }
      }
      const int year = request.from + static_cast<int>(step_idx) * layout.width;
      result.components.AddRow(
          {Cell::Text(layout.regions[region]), Cell::Integer(year),
           Cell::Integer(year + layout.width),
           Cell::Number(projection.population[step_idx].RegionTotal(region)), Cell::Number(births),
           Cell::Number(deaths), Cell::Number(in), Cell::Number(out), Cell::Number(international),
           Cell::Number(projection.population[step_idx + 1].RegionTotal(region))},
          component_handle);
    }
  }

  Json& doc = result.document;
  doc["method"] = method;
  doc["conventions"] = ConventionsJson(layout);
  Json parameters;
  parameters["from"] = request.from;
  parameters["to"] = request.to;
  parameters["width"] = layout.width;
  parameters["steps"] = steps;
  parameters["age_groups"] = layout.ages;
  parameters["open_age"] = (layout.ages - 1) * layout.width;
  parameters["regions"] = layout.regions;
  parameters["sex_ratio_at_birth"] = request.sex_ratio_at_birth;
  parameters["survival_kind"] = request.survival_kind;
  if (request.survival_kind == "lx") parameters["radix"] = request.radix;
  if (!request.migration.empty()) parameters["migration_kind"] = request.migration_kind;
  if (!request.international.empty()) {
    parameters["international_kind"] = request.international_kind;
  }
  if (rogers_castro) parameters["rogers_castro"] = request.rogers_castro;
  doc["parameters"] = parameters;
  doc["provenance"] = provenance;
  doc["population"] = result.population.ToJson();
  doc["components"] = result.components.ToJson();
  if (!result.notes.empty()) doc["notes"] = result.notes;
  return result;
}

std::string EncodeCohort(const CohortProjection& result, Format format, bool with_provenance) {
  if (format == Format::kJson) return result.document.dump(2) + "\n";
  return result.population.Encode(format, with_provenance);
}

}  // namespace kazmig::app

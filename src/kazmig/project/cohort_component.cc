#include "kazmig/project/cohort_component.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <vector>

#include "kazmig/core/check.h"
#include "kazmig/core/error.h"

namespace kazmig::project {

double RegionSexAge::RegionTotal(int region) const {
  double total = 0;
  for (int sex = 0; sex < kSexes; ++sex) {
    for (int age = 0; age < ages_; ++age) total += (*this)(region, sex, age);
  }
  return total;
}

SurvivalSchedule SurvivalFromLifeTable(const std::vector<double>& person_years, double radix,
                                       int width) {
  constexpr const char* kFunction = "SurvivalFromLifeTable";
  CheckData(person_years.size() >= 2, kFunction, "survival: at least two age groups are needed");
  CheckAllFinite(kFunction, "survival person-years", person_years);
  CheckPositive(kFunction, "survival person-years", person_years);
  CheckData(std::isfinite(radix) && radix > 0, kFunction, "survival: the radix must be positive");
  CheckShape(width >= 1, kFunction, "width must be at least 1");
  const size_t groups = person_years.size();
  SurvivalSchedule schedule;
  schedule.ratios.assign(groups, 0.0);
  for (size_t age_idx = 0; age_idx + 2 < groups; ++age_idx) {
    CheckData(person_years[age_idx + 1] <= person_years[age_idx], kFunction,
              fmt::format("survival: person-years of age group {} exceed those of group {} (a "
                          "survival ratio above 1)",
                          age_idx + 1, age_idx));
    schedule.ratios[age_idx] = person_years[age_idx + 1] / person_years[age_idx];
  }
  // The open group: T_w / T_{w-n} for both the last closed group and the open group.
  const double open = person_years[groups - 1];
  const double open_ratio = open / (person_years[groups - 2] + open);
  schedule.ratios[groups - 2] = open_ratio;
  schedule.ratios[groups - 1] = open_ratio;
  CheckData(person_years[0] <= width * radix, kFunction,
            "survival: person-years of the first age group exceed width x radix (a birth "
            "survival above 1)");
  schedule.births = person_years[0] / (width * radix);
  return schedule;
}

CohortInput::CohortInput(int regions, int ages, int width_years)
    : width(width_years),
      population(regions, ages),
      survival(regions, ages),
      birth_survival(static_cast<size_t>(regions) * kSexes, 0.0),
      fertility(static_cast<size_t>(regions) * ages, 0.0),
      migration_rates(regions, ages),
      migration_counts(regions, ages),
      international_counts(regions, ages),
      international_rates(regions, ages) {}

namespace {

constexpr const char* kFunction = "ProjectMultiregional";

const char* SexName(int sex) { return sex == kFemale ? "female" : "male"; }

std::string RegionName(const CohortInput& input, int region) {
  if (static_cast<size_t>(region) < input.region_names.size()) return input.region_names[region];
  return fmt::format("region {}", region + 1);
}

// Checks the shapes (ComputeError) and the values (InputError naming the field) of `input`.
void Validate(const CohortInput& input, int steps) {
  const int regions = input.regions(), ages = input.ages();
  CheckShape(regions >= 1 && ages >= 2, kFunction, "at least one region and two age groups");
  CheckShape(input.width >= 1, kFunction, "the age-group width must be at least 1 year");
  CheckShape(input.survival.regions() == regions && input.survival.ages() == ages, kFunction,
             "survival has another shape than the population");
  CheckSameSize(kFunction, "birth_survival", input.birth_survival.size(), "regions x sexes",
                static_cast<size_t>(regions) * kSexes);
  CheckSameSize(kFunction, "fertility", input.fertility.size(), "regions x ages",
                static_cast<size_t>(regions) * ages);
  CheckSetting(steps >= 0, kFunction, "the number of steps must not be negative");
  const auto shape_ok = [&](const RegionSexAge& array) {
    return array.regions() == regions && array.ages() == ages;
  };
  const size_t flow_size = static_cast<size_t>(kSexes) * ages * regions * regions;
  CheckShape(!input.has_migration_rates || input.migration_rates.values().size() == flow_size,
             kFunction, "migration rates have another shape than the population");
  CheckShape(!input.has_migration_counts || input.migration_counts.values().size() == flow_size,
             kFunction, "migration counts have another shape than the population");
  CheckShape(!input.has_international_counts || shape_ok(input.international_counts), kFunction,
             "international counts have another shape than the population");
  CheckShape(!input.has_international_rates || shape_ok(input.international_rates), kFunction,
             "international rates have another shape than the population");

  CheckAllFinite(kFunction, "population", input.population.values());
  CheckNonNegative(kFunction, "population", input.population.values());
  CheckAllFinite(kFunction, "survival", input.survival.values());
  CheckAllFinite(kFunction, "birth survival", input.birth_survival);
  for (double ratio : input.survival.values()) {
    CheckData(ratio >= 0 && ratio <= 1, kFunction, "survival ratios must lie in [0, 1]");
  }
  for (double ratio : input.birth_survival) {
    CheckData(ratio >= 0 && ratio <= 1, kFunction, "birth survival must lie in [0, 1]");
  }
  CheckAllFinite(kFunction, "fertility", input.fertility);
  CheckNonNegative(kFunction, "fertility", input.fertility);
  for (int region_idx = 0; region_idx < regions; ++region_idx) {
    CheckData(input.fertility[static_cast<size_t>(region_idx) * ages] == 0, kFunction,
              fmt::format("fertility of the first age group must be 0 ({})",
                          RegionName(input, region_idx)));
  }
  CheckData(std::isfinite(input.sex_ratio_at_birth) && input.sex_ratio_at_birth > 0, kFunction,
            "the sex ratio at birth must be positive");
  if (input.has_migration_rates) {
    CheckAllFinite(kFunction, "migration rates", input.migration_rates.values());
    CheckNonNegative(kFunction, "migration rates", input.migration_rates.values());
  }
  if (input.has_migration_counts) {
    CheckAllFinite(kFunction, "migration counts", input.migration_counts.values());
    CheckNonNegative(kFunction, "migration counts", input.migration_counts.values());
  }
  if (input.has_international_counts) {
    CheckAllFinite(kFunction, "international counts", input.international_counts.values());
  }
  if (input.has_international_rates) {
    CheckAllFinite(kFunction, "international rates", input.international_rates.values());
  }
}

// A movement matrix P with what Move needs of it: its diagonal (stayers) and column sums
// (survivors); `diagonal` when P = diag(S) (no migration), so that Move skips the product.
struct Movement {
  Eigen::MatrixXd p;
  Eigen::VectorXd stay;
  Eigen::VectorXd survive;
  bool diagonal = true;
};

Movement Diagonal(const Eigen::VectorXd& survival) {
  Movement movement;
  movement.stay = survival;
  movement.survive = survival;
  movement.diagonal = true;
  return movement;
}

// Rogers' P = [I + h M]^{-1} [I - h M] for one sex and start age group (age -1: the cohort born
// in the step, h = n/4), column j = region at the start. Without migration it is diag(S).
Movement MovementMatrix(const CohortInput& input, int sex, int age) {
  const int regions = input.regions();
  const bool births = age < 0;
  const double h = births ? input.width / 4.0 : input.width / 2.0;
  Eigen::MatrixXd rates = Eigen::MatrixXd::Zero(regions, regions);  // (i, j): rate j -> i
  bool any_rate = false;
  if (input.has_migration_rates) {
    const int rate_age = births ? 0 : age;
    for (int origin = 0; origin < regions; ++origin) {
      for (int destination = 0; destination < regions; ++destination) {
        if (origin == destination) continue;
        const double rate = input.migration_rates(sex, rate_age, origin, destination);
        rates(destination, origin) = rate;
        any_rate = any_rate || rate != 0;
      }
    }
  }
  Eigen::VectorXd survival(regions);
  for (int region_idx = 0; region_idx < regions; ++region_idx) {
    survival(region_idx) = births ? input.birth_survival[region_idx * kSexes + sex]
                                  : input.survival(region_idx, sex, age);
  }
  if (!any_rate) return Diagonal(survival);

  Eigen::MatrixXd m = -rates;
  for (int region_idx = 0; region_idx < regions; ++region_idx) {
    const double s = survival(region_idx);
    // h d = (1 - S) / (1 + S): the death rate whose linear survival is S.
    const double h_death = (1 - s) / (1 + s);
    const double out = rates.col(region_idx).sum();
    const double exit = h_death + h * out;
    if (exit > 1 + 1e-12) {
      throw InputError(
          "migration rates", 0, 0,
          fmt::format("{}, {}, age group {}: (n/2) x (death rate + out-migration rates) = {:.6g} "
                      "> 1, beyond the linear approximation of Rogers' P(x) (lower rates or "
                      "narrower age groups)",
                      RegionName(input, region_idx), SexName(sex),
                      births ? std::string("born in the step") : std::to_string(age * input.width),
                      exit));
    }
    m(region_idx, region_idx) = h_death / h + out;
  }
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(regions, regions);
  Movement movement;
  movement.p = (identity + h * m).partialPivLu().solve(identity - h * m);
  // P >= 0 in exact arithmetic under the condition above; rounding may leave -1e-17.
  movement.p = movement.p.cwiseMax(0.0);
  movement.stay = movement.p.diagonal();
  movement.survive = movement.p.colwise().sum().transpose();
  movement.diagonal = false;
  return movement;
}

// next += P x for the cohort x (by region at the start) of one sex ending in group `age`, with
// its deaths (1 - sum_i P_ij) x_j, the moves out of each start region (sum_{i != j} P_ij) x_j and
// into each end region (P x)_i - P_ii x_i.
void Move(const Movement& movement, const Eigen::VectorXd& cohort, int sex, int age,
          RegionSexAge& next, CohortStep& step) {
  const Eigen::VectorXd moved = movement.diagonal
                                    ? Eigen::VectorXd(movement.stay.cwiseProduct(cohort))
                                    : Eigen::VectorXd(movement.p * cohort);
  for (int region_idx = 0; region_idx < cohort.size(); ++region_idx) {
    const double size = cohort(region_idx);
    const double stayed = movement.stay(region_idx) * size;
    next(region_idx, sex, age) += moved(region_idx);
    step.deaths(region_idx, sex, age) += (1 - movement.survive(region_idx)) * size;
    if (movement.diagonal) continue;
    step.internal_in(region_idx, sex, age) += moved(region_idx) - stayed;
    step.internal_out(region_idx, sex, age) +=
        (movement.survive(region_idx) - movement.stay(region_idx)) * size;
  }
}

// The cohort exposed in a step (entering + half the net migrants) must not be negative: else more
// than twice its size would emigrate in the step, and its deaths would be negative.
void RequireExposed(const CohortInput& input, double exposed, int region, int sex, int age,
                    int step_idx) {
  if (exposed >= 0) return;
  throw InputError("migration", 0, 0,
                   fmt::format("{}, {}, age group {} in step {}: net emigration exceeds twice the "
                               "cohort it leaves from (exposed population {:.6g})",
                               RegionName(input, region), SexName(sex), age * input.width,
                               step_idx + 1, exposed));
}

void RequireNonNegative(const CohortInput& input, const RegionSexAge& next, int step_idx) {
  for (int region_idx = 0; region_idx < input.regions(); ++region_idx) {
    for (int sex = 0; sex < kSexes; ++sex) {
      for (int age = 0; age < input.ages(); ++age) {
        const double value = next(region_idx, sex, age);
        if (!std::isfinite(value)) {
          throw ComputeError(fmt::format(
              "{}, {}, age group {} at the end of step {}: the projection overflowed ({})",
              RegionName(input, region_idx), SexName(sex), age * input.width, step_idx + 1, value));
        }
        if (value >= 0) continue;
        throw InputError(
            "migration", 0, 0,
            fmt::format("{}, {}, age group {} at the end of step {}: the population would become "
                        "negative ({:.6g}): net emigration exceeds the cohort",
                        RegionName(input, region_idx), SexName(sex), age * input.width,
                        step_idx + 1, value));
      }
    }
  }
}

CohortStep EmptyStep(int regions, int ages) {
  CohortStep step;
  step.births.assign(static_cast<size_t>(regions) * kSexes, 0.0);
  step.deaths = RegionSexAge(regions, ages);
  step.internal_in = RegionSexAge(regions, ages);
  step.internal_out = RegionSexAge(regions, ages);
  step.international = RegionSexAge(regions, ages);
  return step;
}

// Births of the step by mother's region: n sum_a F(a) (W_a(t) + W_a(t+n)) / 2.
std::vector<double> Births(const CohortInput& input, const RegionSexAge& start,
                           const RegionSexAge& next) {
  const int regions = input.regions(), ages = input.ages();
  std::vector<double> births(regions, 0.0);
  for (int region_idx = 0; region_idx < regions; ++region_idx) {
    double sum = 0;
    for (int age = 1; age < ages; ++age) {
      const double rate = input.fertility[static_cast<size_t>(region_idx) * ages + age];
      if (rate == 0) continue;
      sum += rate * 0.5 * (start(region_idx, kFemale, age) + next(region_idx, kFemale, age));
    }
    births[region_idx] = input.width * sum;
  }
  return births;
}

double SexShare(const CohortInput& input, int sex) {
  const double srb = input.sex_ratio_at_birth;
  return sex == kMale ? srb / (1 + srb) : 1 / (1 + srb);
}

// The net migration counts G of the step (n x yearly counts, plus international rates turned
// into counts) of every region for the cohort that ends in group `age` of `sex`; records the
// internal count flows and the international net in `step`. `births` (group 0 only): the
// births of this sex by region.
std::vector<double> NetCounts(const CohortInput& input, const RegionSexAge& start, int sex, int age,
                              const std::vector<double>& births, CohortStep& step) {
  const int regions = input.regions(), ages = input.ages();
  const double n = input.width;
  std::vector<double> net(regions, 0.0);
  for (int region_idx = 0; region_idx < regions; ++region_idx) {
    double international = 0;
    if (input.has_international_counts) {
      international += n * input.international_counts(region_idx, sex, age);
    }
    if (input.has_international_rates) {
      if (age == 0) {
        international += n / 2 * input.international_rates(region_idx, sex, 0) * births[region_idx];
      } else {
        international += n * input.international_rates(region_idx, sex, age - 1) *
                         start(region_idx, sex, age - 1);
        if (age == ages - 1) {
          international +=
              n * input.international_rates(region_idx, sex, age) * start(region_idx, sex, age);
        }
      }
    }
    step.international(region_idx, sex, age) = international;
    net[region_idx] += international;
  }
  if (input.has_migration_counts) {
    for (int origin = 0; origin < regions; ++origin) {
      for (int destination = 0; destination < regions; ++destination) {
        if (origin == destination) continue;
        const double flow = n * input.migration_counts(sex, age, origin, destination);
        if (flow == 0) continue;
        net[destination] += flow;
        net[origin] -= flow;
        step.internal_in(destination, sex, age) += flow;
        step.internal_out(origin, sex, age) += flow;
      }
    }
  }
  return net;
}

}  // namespace

CohortResult ProjectMultiregional(const CohortInput& input, int steps) {
  Validate(input, steps);
  const int regions = input.regions(), ages = input.ages();
  // P(a) per sex and start group, and the births' P; constant over the horizon.
  std::vector<Movement> movement(static_cast<size_t>(kSexes) * ages);
  std::vector<Movement> birth_movement(kSexes);
  for (int sex = 0; sex < kSexes; ++sex) {
    for (int age = 0; age < ages; ++age) {
      movement[static_cast<size_t>(sex) * ages + age] = MovementMatrix(input, sex, age);
    }
    birth_movement[sex] = MovementMatrix(input, sex, -1);
  }

  CohortResult result;
  result.width = input.width;
  result.population.reserve(steps + 1);
  result.population.push_back(input.population);
  result.steps.reserve(steps);
  Eigen::VectorXd cohort(regions), open_cohort(regions);
  const std::vector<double> no_births(regions, 0.0);
  for (int step_idx = 0; step_idx < steps; ++step_idx) {
    const RegionSexAge& start = result.population.back();
    RegionSexAge next(regions, ages);
    CohortStep step = EmptyStep(regions, ages);
    for (int sex = 0; sex < kSexes; ++sex) {
      for (int age = 1; age < ages; ++age) {
        const std::vector<double> net = NetCounts(input, start, sex, age, no_births, step);
        const bool open = age == ages - 1;
        for (int region_idx = 0; region_idx < regions; ++region_idx) {
          // Half the migrants join at the start: with the open group's own cohort when there is
          // one, else with the cohort that enters the group.
          cohort(region_idx) = start(region_idx, sex, age - 1) + (open ? 0 : net[region_idx] / 2);
          if (open) open_cohort(region_idx) = start(region_idx, sex, age) + net[region_idx] / 2;
          RequireExposed(input, open ? open_cohort(region_idx) : cohort(region_idx), region_idx,
                         sex, age, step_idx);
        }
        Move(movement[static_cast<size_t>(sex) * ages + age - 1], cohort, sex, age, next, step);
        if (open)
          Move(movement[static_cast<size_t>(sex) * ages + age], open_cohort, sex, age, next, step);
        for (int region_idx = 0; region_idx < regions; ++region_idx) {
          next(region_idx, sex, age) += net[region_idx] / 2;
        }
      }
    }
    const std::vector<double> births = Births(input, start, next);
    for (int sex = 0; sex < kSexes; ++sex) {
      std::vector<double> sex_births(regions);
      for (int region_idx = 0; region_idx < regions; ++region_idx) {
        sex_births[region_idx] = births[region_idx] * SexShare(input, sex);
        step.births[region_idx * kSexes + sex] = sex_births[region_idx];
      }
      const std::vector<double> net = NetCounts(input, start, sex, 0, sex_births, step);
      for (int region_idx = 0; region_idx < regions; ++region_idx) {
        cohort(region_idx) = sex_births[region_idx] + net[region_idx] / 2;
        RequireExposed(input, cohort(region_idx), region_idx, sex, 0, step_idx);
      }
      Move(birth_movement[sex], cohort, sex, 0, next, step);
      for (int region_idx = 0; region_idx < regions; ++region_idx) {
        next(region_idx, sex, 0) += net[region_idx] / 2;
      }
    }
    RequireNonNegative(input, next, step_idx);
    result.population.push_back(std::move(next));
    result.steps.push_back(std::move(step));
  }
  return result;
}

CohortResult ProjectSingleRegion(const CohortInput& input, int steps) {
  CheckShape(input.regions() == 1, "ProjectSingleRegion", "exactly one region");
  CheckShape(!input.has_migration_rates && !input.has_migration_counts, "ProjectSingleRegion",
             "internal migration needs several regions (ProjectMultiregional)");
  Validate(input, steps);
  const int ages = input.ages();
  const double n = input.width;
  const double srb = input.sex_ratio_at_birth;
  // Net migrants of the step for the cohort ending in group `age` (births: this sex's births).
  const auto net_migrants = [&](const RegionSexAge& start, int sex, int age, double births) {
    double net = 0;
    if (input.has_international_counts) net += n * input.international_counts(0, sex, age);
    if (input.has_international_rates) {
      const RegionSexAge& rate = input.international_rates;
      if (age == 0) {
        net += n / 2 * rate(0, sex, 0) * births;
      } else {
        net += n * rate(0, sex, age - 1) * start(0, sex, age - 1);
        if (age == ages - 1) net += n * rate(0, sex, age) * start(0, sex, age);
      }
    }
    return net;
  };

  CohortResult result;
  result.width = input.width;
  result.population.push_back(input.population);
  for (int step_idx = 0; step_idx < steps; ++step_idx) {
    const RegionSexAge& start = result.population.back();
    RegionSexAge next(1, ages);
    CohortStep step = EmptyStep(1, ages);
    for (int sex = 0; sex < kSexes; ++sex) {
      // Closed groups: N_a(t+n) = S_{a-1} (N_{a-1}(t) + G/2) + G/2.
      for (int age = 1; age < ages - 1; ++age) {
        const double net = net_migrants(start, sex, age, 0);
        const double survival = input.survival(0, sex, age - 1);
        const double exposed = start(0, sex, age - 1) + net / 2;
        RequireExposed(input, exposed, 0, sex, age, step_idx);
        next(0, sex, age) = survival * exposed + net / 2;
        step.deaths(0, sex, age) = (1 - survival) * exposed;
        step.international(0, sex, age) = net;
      }
      // The open group: S_{w-n} N_{w-n}(t) + S_w (N_w(t) + G/2) + G/2.
      const int open = ages - 1;
      const double net = net_migrants(start, sex, open, 0);
      const double last_closed = start(0, sex, open - 1);
      const double exposed = start(0, sex, open) + net / 2;
      RequireExposed(input, exposed, 0, sex, open, step_idx);
      const double survival_closed = input.survival(0, sex, open - 1);
      const double survival_open = input.survival(0, sex, open);
      next(0, sex, open) = survival_closed * last_closed + survival_open * exposed + net / 2;
      step.deaths(0, sex, open) =
          (1 - survival_closed) * last_closed + (1 - survival_open) * exposed;
      step.international(0, sex, open) = net;
    }
    // Births: n sum_a F(a) (W_a(t) + W_a(t+n)) / 2, then to group 0 with birth survival.
    double births = 0;
    for (int age = 1; age < ages; ++age) {
      births += input.fertility[age] * 0.5 * (start(0, kFemale, age) + next(0, kFemale, age));
    }
    births *= n;
    for (int sex = 0; sex < kSexes; ++sex) {
      const double sex_births = births * (sex == kMale ? srb / (1 + srb) : 1 / (1 + srb));
      const double net = net_migrants(start, sex, 0, sex_births);
      const double survival = input.birth_survival[sex];
      const double exposed = sex_births + net / 2;
      RequireExposed(input, exposed, 0, sex, 0, step_idx);
      next(0, sex, 0) = survival * exposed + net / 2;
      step.births[sex] = sex_births;
      step.deaths(0, sex, 0) = (1 - survival) * exposed;
      step.international(0, sex, 0) = net;
    }
    RequireNonNegative(input, next, step_idx);
    result.population.push_back(std::move(next));
    result.steps.push_back(std::move(step));
  }
  return result;
}

}  // namespace kazmig::project

// The cohort-component projection by age and sex: single-region (Preston, Heuveline & Guillot
// 2001, ch. 6) and multiregional (Rogers 1975, 1995), for users who supply age-specific
// population, fertility, survival and migration schedules.
//
//   project::CohortInput input(/*regions=*/2, /*ages=*/3, /*width=*/5);
//   input.population(0, project::kFemale, 0) = 1000;   // region 0, females, group 0-4
//   ...                                                 // fertility, survival, migration
//   project::CohortResult result = project::ProjectMultiregional(input, /*steps=*/2);
//   result.population[2](0, project::kMale, 2);         // region 0, males, 10+, after 10 years
//   result.steps[0].deaths(1, project::kFemale, 1);     // the components of the first step
//
// Time and age. Ages are groups of `width` n years, 0..n-1, n..2n-1, ..., and a last, open group
// (e.g. single years 0..99 and 100+, or 0-4, ..., 80-84, 85+). A step is n years, so the cohort in
// group a at t is in group a+1 at t+n; the open group at t+n holds the survivors of the last
// closed group and of the open group itself. Every schedule is constant over the horizon.
//
// Conventions (each one an assumption, stated in docs/projection.md):
//  - Survival. survival(r, s, a) is the proportion of those in group a at t who are alive at t+n
//    (in group a+1, or in the open group); for the open group the proportion of it alive at t+n.
//    birth_survival(r, s) is the proportion of the step's births alive at t+n (in group 0).
//    SurvivalFromLifeTable derives them from life-table person-years nLx (PHG 2001, ch. 6): the
//    last closed group and the open group share T_w / T_{w-n}.
//  - Fertility. fertility(r, a) is the annual births per woman in group a (ASFR, by age of
//    mother). Births in a step are B = n sum_a F(a) (W_a(t) + W_a(t+n)) / 2, the women averaged
//    over the start and the end of the step (PHG 2001, ch. 6), W_a(t+n) after survival and
//    migration. The first group's fertility must be 0 (its women at t+n are born in the step).
//    Births split by sex with the sex ratio at birth (males per female): B_m = B srb / (1 + srb).
//  - Migration counts (per year; internal origin-destination flows or international net) are
//    indexed by the age group the migrants are in at the END of the step (group 0 = born in the
//    step). Migrants are half exposed (PHG 2001, ch. 6): over a step G = n x count, half joins the
//    cohort at the start and is exposed to the cohort's survival and movement, half arrives at the
//    end: N_a(t+n) = S (entering + G / 2) + G / 2.
//  - Migration rates (per person-year; internal m_ij, international net) are indexed by the age
//    group of the population at risk at the START of the step. International net rates become
//    counts G = n rate N_{a}(t) for the cohort that starts in group a (n/2 rate B for births).
//  - Multiregional movement (Rogers 1975, ch. 3; Rogers 1995): for the cohort that starts in group
//    a, the matrix of the probabilities of being in region i at t+n, given region j at t, is
//        P(a) = [I + (n/2) M(a)]^{-1} [I - (n/2) M(a)],
//    with M(a)_jj = d_j(a) + sum_{i != j} m_ji(a) and M(a)_ij = -m_ji(a): out-migration rates
//    m_ji (j -> i) and the death rate d_j on the diagonal (column convention: column j is the
//    region at the start). d_j(a) = (2/n) (1 - S_j(a)) / (1 + S_j(a)) is the death rate whose
//    linear survival (1 - d n/2) / (1 + d n/2) is the supplied ratio S_j(a), so that without
//    migration P(a) = diag(S(a)) exactly and the multiregional run is the single-region runs.
//    The cohort born in the step moves with n/4 in place of n/2 (it lives half the step on
//    average) and survives with birth_survival. P(a) >= 0 when (n/2)(d_j + sum_i m_ji) <= 1 for
//    every j; otherwise the linear approximation fails and the rates are rejected (InputError).
//  - Accounting. For every region, sex and age group at the end of a step, exactly:
//        N_a(t+n) = entering_a + births (a = 0) - deaths_a + internal_in_a - internal_out_a
//                   + international_a,
//    where entering_a is N_{a-1}(t) (group 0: none; the open group: N_{w-n}(t) + N_w(t)). Deaths
//    include the deaths of the migrants' exposed half; internal in/out count the moves of the
//    survivors (rates) or the counts themselves (counts); sum_r internal_in = sum_r internal_out.
//    A population that would become negative (net emigration larger than the cohort), or an
//    exposed cohort (entering + G/2) below zero, is an InputError naming region, sex, age and
//    step: populations, and deaths, never go below zero.
#ifndef KAZMIG_PROJECT_COHORT_COMPONENT_H_
#define KAZMIG_PROJECT_COHORT_COMPONENT_H_

#include <cstddef>
#include <string>
#include <vector>

namespace kazmig::project {

inline constexpr int kFemale = 0;
inline constexpr int kMale = 1;
inline constexpr int kSexes = 2;

// Values by region x sex x age, stored flat with index (region * 2 + sex) * ages + age.
class RegionSexAge {
 public:
  RegionSexAge() = default;
  RegionSexAge(int regions, int ages, double value = 0)
      : regions_(regions),
        ages_(ages),
        values_(static_cast<size_t>(regions) * kSexes * ages, value) {}
  int regions() const { return regions_; }
  int ages() const { return ages_; }
  double& operator()(int region, int sex, int age) { return values_[Index(region, sex, age)]; }
  double operator()(int region, int sex, int age) const { return values_[Index(region, sex, age)]; }
  const std::vector<double>& values() const { return values_; }
  std::vector<double>& values() { return values_; }
  // The sum over sexes and ages of one region.
  double RegionTotal(int region) const;

 private:
  size_t Index(int region, int sex, int age) const {
    return (static_cast<size_t>(region) * kSexes + sex) * ages_ + age;
  }
  int regions_ = 0;
  int ages_ = 0;
  std::vector<double> values_;
};

// Values by sex x age x origin x destination (internal migration), index
// ((sex * ages + age) * regions + origin) * regions + destination. The diagonal is ignored.
class SexAgeFlows {
 public:
  SexAgeFlows() = default;
  SexAgeFlows(int regions, int ages)
      : regions_(regions),
        ages_(ages),
        values_(static_cast<size_t>(kSexes) * ages * regions * regions, 0.0) {}
  bool empty() const { return values_.empty(); }
  double& operator()(int sex, int age, int origin, int destination) {
    return values_[Index(sex, age, origin, destination)];
  }
  double operator()(int sex, int age, int origin, int destination) const {
    return values_[Index(sex, age, origin, destination)];
  }
  const std::vector<double>& values() const { return values_; }

 private:
  size_t Index(int sex, int age, int origin, int destination) const {
    return ((static_cast<size_t>(sex) * ages_ + age) * regions_ + origin) * regions_ + destination;
  }
  int regions_ = 0;
  int ages_ = 0;
  std::vector<double> values_;
};

// Survival of one region and sex: ratios by age group (the last for the open group) and the
// births' survival to group 0 (see the header comment).
struct SurvivalSchedule {
  std::vector<double> ratios;
  double births = 1;
};

// Survival ratios from life-table person-years: person_years[a] = nLx of group a (the last
// element: T_w of the open group), with radix l0 and group width n (PHG 2001, ch. 6):
//   S(a) = L(a+1) / L(a) for a < w-n;  S(w-n) = S(w) = T_w / (L(w-n) + T_w);  births = L(0) / (n
//   l0).
// Throws InputError ("survival: ...") for fewer than 2 groups, a non-positive or non-finite
// value, a non-positive radix, L(a+1) > L(a) for closed groups or L(0) > n l0 (a ratio above 1).
SurvivalSchedule SurvivalFromLifeTable(const std::vector<double>& person_years, double radix,
                                       int width);

// Everything a projection needs. Arrays are zero-filled by the constructor; the optional
// migration arrays are used only when their `has_*` flag is set.
struct CohortInput {
  CohortInput(int regions, int ages, int width);

  int width = 1;  // n: years per age group and per step
  // Names of the regions for messages (optional; "region N" otherwise).
  std::vector<std::string> region_names;
  RegionSexAge population;             // at the base year
  RegionSexAge survival;               // S(r, s, a), see the header comment
  std::vector<double> birth_survival;  // [region * 2 + sex]
  std::vector<double> fertility;       // [region * ages + age]: annual ASFR
  double sex_ratio_at_birth = 1.05;    // males per female

  bool has_migration_rates = false;
  SexAgeFlows migration_rates;  // m_ij per person-year, by age group at the start
  bool has_migration_counts = false;
  SexAgeFlows migration_counts;  // flows i -> j per year, by age group at the end
  bool has_international_counts = false;
  RegionSexAge international_counts;  // net per year, by age group at the end
  bool has_international_rates = false;
  RegionSexAge international_rates;  // net per person-year, by age group at the start

  int regions() const { return population.regions(); }
  int ages() const { return population.ages(); }
};

// The components of one step, by region, sex and age group at the end of the step (births: group
// 0 only, also in `births`). The accounting identity of the header comment holds for every cell.
struct CohortStep {
  std::vector<double> births;  // [region * 2 + sex]: births in the step by mother's region
  RegionSexAge deaths;
  RegionSexAge internal_in;
  RegionSexAge internal_out;
  RegionSexAge international;  // net
};

struct CohortResult {
  int width = 1;
  std::vector<RegionSexAge> population;  // steps + 1: the base and after every step
  std::vector<CohortStep> steps;
};

// The multiregional projection (Rogers) over `steps` steps of `width` years, with the movement
// matrices P(a) computed once. Throws InputError (field named) for a negative or non-finite
// population, fertility, rate or survival outside [0, 1], fertility in the first age group, a
// non-positive sex ratio, rates beyond the linear approximation, or a population that would
// become negative; ComputeError for arrays of the wrong shape; UsageError for steps < 0.
CohortResult ProjectMultiregional(const CohortInput& input, int steps);

// The single-region projection (PHG 2001 ch. 6), the scalar formulas written out: `input` must
// have one region and no internal migration (international = net migration). It gives what
// ProjectMultiregional gives for the same input (a separate code path, so each checks the other).
CohortResult ProjectSingleRegion(const CohortInput& input, int steps);

}  // namespace kazmig::project

#endif  // KAZMIG_PROJECT_COHORT_COMPONENT_H_

// Residual net migration: what population change leaves once natural change (or survival) is
// accounted for (UN Manual VI, "Methods of measuring internal migration", 1970, ch. 2).
//
//   std::vector<double> net = VitalStatisticsNet(pop0, pop1, births, deaths);
//   std::vector<double> net = SurvivalRatioNet(p0_by_age, p1_by_age, survival,
//                                              SurvivalMethod::kAverage);
//   std::vector<RegionAgeNet> all = SurvivalRatioNetByRegion(p0, p1, ratios,
//                                                            SurvivalMethod::kForward);
#ifndef KAZMIG_ESTIMATE_RESIDUAL_H_
#define KAZMIG_ESTIMATE_RESIDUAL_H_

#include <map>
#include <string>
#include <vector>

namespace kazmig::estimate {

// Vital statistics method: net_i = (P1_i - P0_i) - (B_i - D_i). Throws ComputeError when
// the sizes differ.
std::vector<double> VitalStatisticsNet(const std::vector<double>& pop0,
                                       const std::vector<double>& pop1,
                                       const std::vector<double>& births,
                                       const std::vector<double>& deaths);

enum class SurvivalMethod {
  kForward,  // N = P1(x+t) - s P0(x): migrants counted at the end of the period
  kReverse,  // N = P1(x+t) / s - P0(x): migrants counted at the start
  kAverage,  // (forward + reverse) / 2
};

// Survival-ratio method for one region. Cohort a is aged a at the start (pop0[a]) and a+1 age
// groups older at the end (pop1[a + 1]); survival[a] is the probability of surviving the period
// for cohort a (e.g. a life-table ratio L(x+t)/L(x), or a national census survival ratio). Returns
// one net per end-of-period age group 1..A-1 (element 0 of the result is end age group 1); the
// youngest group (born during the period) needs births and is left out.
// Throws ComputeError when the sizes differ, InputError when a survival ratio is not in (0, 1.5].
std::vector<double> SurvivalRatioNet(const std::vector<double>& pop0,
                                     const std::vector<double>& pop1,
                                     const std::vector<double>& survival, SurvivalMethod method);

// Values by region and age: `regions` in the order first met, `values` region -> age -> value;
// `source` names where the table came from (a file) in error messages.
struct RegionAgeTable {
  std::string source;
  std::vector<std::string> regions;
  std::map<std::string, std::map<double, double>> values;
};

// One residual net: the region, the age group at the end of the period, the net.
struct RegionAgeNet {
  std::string region;
  double age = 0;
  double value = 0;
};

// SurvivalRatioNet for every region of `pop0`, in its order: each region's start ages (ascending)
// are its age groups; `pop1` must hold every one of them for the region; `survival` gives the
// region's ratio for every start age but the last, or, when it lacks the region, the national
// ratios under the region "all". Rows are region-major with the end-of-period age. Throws
// InputError naming the table (its `source`) that lacks a region or an age, or whose ratio is
// outside (0, 1.5] ("SOURCE: REGION: SurvivalRatioNet: ...").
std::vector<RegionAgeNet> SurvivalRatioNetByRegion(const RegionAgeTable& pop0,
                                                   const RegionAgeTable& pop1,
                                                   const RegionAgeTable& survival,
                                                   SurvivalMethod method);

}  // namespace kazmig::estimate

#endif  // KAZMIG_ESTIMATE_RESIDUAL_H_

// The use case of `kazmig project cohort`: a cohort-component projection by age and sex
// (single-region, or Rogers' multiregional with internal migration) from the age-specific
// schedules a user supplies as long tidy CSV files (docs/projection.md, "Cohort-component
// engine"). Reads and checks the files (every bad value an InputError at FILE:LINE:COLUMN), builds
// project::CohortInput, runs project::ProjectMultiregional and returns the population by region,
// year, sex and age with the components of change of every region and step.
//
//   app::CohortRequest request;
//   request.population = "population.csv";   // region,sex,age,value
//   request.fertility = "asfr.csv";          // region,age,value (ASFR by age of mother)
//   request.survival = "lx.csv";             // region,sex,age,value (life-table nLx)
//   request.from = 2024;
//   request.to = 2034;
//   app::CohortProjection result = app::RunCohort(request);
//   std::cout << app::EncodeCohort(result, app::Format::kCsv, false);
//
// Distributing totals by a Rogers–Castro model schedule (indicators/age_profile.h) happens here:
// the project module cannot use indicators.
#ifndef KAZMIG_APP_COHORT_H_
#define KAZMIG_APP_COHORT_H_

#include <string>
#include <vector>

#include "kazmig/app/result_table.h"

namespace kazmig::app {

struct CohortRequest {
  std::string population;     // region,sex,age,value
  std::string fertility;      // region,age,value [sex: female rows only]
  std::string survival;       // region,sex,age,value
  std::string migration;      // optional: orig,dest[,sex][,age],value (internal)
  std::string international;  // optional: region[,sex][,age],value (net)
  int from = 0;               // base year: the year of the population file
  int to = 0;                 // horizon: from + a multiple of the age-group width
  double sex_ratio_at_birth = 1.05;
  std::string survival_kind = "lx";  // lx (life-table nLx, radix `radix`) or ratio
  double radix = 100000;
  std::string migration_kind = "rates";       // rates (per person-year) or counts (per year)
  std::string international_kind = "counts";  // counts (per year) or rates (per person-year)
  // "" (off), "standard" (Rogers & Castro's fundamental 7-parameter schedule) or a list
  // "a1=0.02,alpha1=0.1,..." overriding the standard values: distributes count files without an
  // age column over the age groups.
  std::string rogers_castro;
};

struct CohortProjection {
  // region,year,sex,age,population: every region x year (from, from + n, ..., to) x sex (f, m) x
  // age group (its first age; the last group is open), in the population file's region order.
  ResultTable population;
  // region,from,to,population_start,births,deaths,internal_in,internal_out,international_net,
  // population_end: every region and step; population_end = population_start + births - deaths
  // + internal_in - internal_out + international_net.
  ResultTable components;
  Json document;  // method, conventions, parameters, provenance, population, components
  std::vector<std::string> notes;
};

// Runs the projection. Throws InputError for bad files (located), for --to before --from or not
// a whole number of steps after it, and for schedules the engine rejects; UsageError for bad
// settings (kinds, radix, sex ratio, Rogers–Castro spec).
CohortProjection RunCohort(const CohortRequest& request);

// CSV and text: the population table; JSON: the document.
std::string EncodeCohort(const CohortProjection& result, Format format, bool with_provenance);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_COHORT_H_

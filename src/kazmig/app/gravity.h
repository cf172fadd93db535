// The use case of `kazmig model gravity`: reads a modelling table (one row per origin-destination
// flow), fits a member of the spatial-interaction family (models/spatial_interaction.h) and
// returns its coefficients, standard errors and fit statistics in the names every face shows.
//
//   app::GravityRequest request;
//   request.data = "austria.csv";
//   request.flow = "flow";
//   request.cost_var = "dij";
//   request.cost = "exp";
//   request.constraint = "doubly";
//   app::GravityResult result = app::RunGravity(request);
//   std::cout << app::EncodeGravity(result, app::Format::kJson);
//
// Names: `intercept`, each attribute as `log_<column>` (the model takes its logarithm), the cost
// as its column name; with `fixef`, the effects as `orig:<id>` and `dest:<id>` (the first id in
// sorted order is the reference, 0). Ids are sorted as text, as spint (numpy.unique) orders them,
// so the intercept is the same as spint's.
//
// Input errors are InputError located at FILE:LINE:COLUMN and name the column and the rows: a
// missing column, a value that is not a number, a negative flow, a cost that is not finite (or not
// positive for `pow`), an attribute that is not positive. Option errors are UsageError.
#ifndef KAZMIG_APP_GRAVITY_H_
#define KAZMIG_APP_GRAVITY_H_

#include <string>
#include <vector>

#include "kazmig/app/result_table.h"
#include "kazmig/models/spatial_interaction.h"

namespace kazmig::app {

struct GravityRequest {
  std::string data;  // CSV file, one row per flow
  std::string flow = "flow";
  std::string orig = "orig";
  std::string dest = "dest";
  std::string cost_var;                  // required
  std::string cost = "exp";              // exp (f = c) or pow (f = ln c)
  std::vector<std::string> origin_vars;  // logged origin attributes
  std::vector<std::string> dest_vars;    // logged destination attributes
  std::string constraint = "doubly";     // none, production, attraction, doubly
  bool fixef = false;                    // also report the fixed effects
  // IRLS to convergence instead of spint's stopping rule (models::SpatialInteractionOptions::
  // spint_iteration); the balancing solvers of large models always converge.
  bool converge = false;
  int threads = 1;  // of the doubly-constrained balancing; results identical for any number
};

struct GravityTerm {
  std::string name;
  double estimate = 0;
  double std_error = 0;  // NaN when not available (shown as null / NA)
};

struct GravityResult {
  models::SpatialInteractionFit fit;
  std::vector<GravityTerm> terms;  // in output order
  std::string constraint, cost;    // as requested
  bool spint_iteration = true;
  std::vector<std::string> notes;  // for stderr
};

// Reads the table and fits the model. Throws InputError / UsageError as described above;
// non-convergence is reported in result.fit.converged (the CLI exits 1).
GravityResult RunGravity(const GravityRequest& request);

// JSON: {"coefficients": {name: value}, "std_errors": {name: value or null}, "deviance", "llf",
// "llnull", "aic", "d2", "adj_d2", "pseudo_r2", "adj_pseudo_r2", "srmse", "ssi", "n_obs",
// "iterations", "method": {model, cost, solver, k, n_dropped, converged}}.
Json GravityJson(const GravityResult& result);
// CSV and text: `term,estimate,std_error`: one row per coefficient, then one per statistic
// (deviance ... iterations, std_error NA).
ResultTable GravityTable(const GravityResult& result);
std::string EncodeGravity(const GravityResult& result, Format format);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_GRAVITY_H_

// The use cases of `kazmig model ppml` and `kazmig model ols`: regressions with high-dimensional
// fixed effects on a modelling table the user names (models/fe_regression.h does the fitting).
//
//   app::ModelRequest request;
//   request.data = "panel.csv";
//   request.y = "flow";
//   request.x = {"log_stock"};
//   request.fe = {"orig_period", "dest_period", "pair"};
//   request.cluster = {"pair"};
//   app::ModelResult result = app::RunModelPpml(request);
//   if (!result.converged) throw ComputeError(result.failure);       // exit 1 with the figures
//   std::cout << app::EncodeModel(result, app::Format::kJson);
//   std::string fixef_csv = result.fixef.Csv();                      // fe,level,estimate
//
// Bad input is InputError naming the file, the column and the rows (a missing column, a value
// that is not a number, a negative outcome for PPML, a non-positive weight, a fixed effect with
// one level, covariates collinear with the others or the fixed effects); contradictory options
// are UsageError.
#ifndef KAZMIG_APP_MODEL_H_
#define KAZMIG_APP_MODEL_H_

#include <string>
#include <vector>

#include "kazmig/app/result_table.h"
#include "kazmig/models/fe_regression.h"

namespace kazmig::app {

struct ModelRequest {
  std::string data;                  // CSV modelling table
  std::string y;                     // outcome column
  std::vector<std::string> x;        // covariate columns (numeric)
  std::vector<std::string> fe;       // fixed-effect columns (categorical; any text)
  std::string offset;                // PPML: offset column (added to the linear predictor)
  std::string weights;               // observation weights column (positive)
  std::vector<std::string> cluster;  // one or two cluster columns (categorical)
  std::string se;                    // iid, hc1 or cluster; empty: cluster with --cluster, else iid
  bool fixef = false;                // recover the fixed-effect estimates (ModelResult::fixef)
  bool drop_singletons = false;
  bool detect_separation = true;
  int threads = 1;
};

struct ModelResult {
  std::string model;    // "ppml" or "ols"
  std::string se_type;  // iid, hc1, cluster
  models::FeResult fit;
  std::vector<std::string> fe_names;
  Json document;      // the JSON face (coefficients, std_errors, vcov, ...)
  ResultTable table;  // term, estimate, std_error, z|t, p, ci_low, ci_high
  ResultTable fixef;  // fe, level, estimate (when requested)
  bool converged = true;
  std::string failure;  // when not converged: what the face reports (exit 1)
  std::vector<std::string> notes;
};

ModelResult RunModelPpml(const ModelRequest& request);
ModelResult RunModelOls(const ModelRequest& request);

// JSON `document`, or the coefficient table as CSV or aligned text.
std::string EncodeModel(const ModelResult& result, Format format);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_MODEL_H_

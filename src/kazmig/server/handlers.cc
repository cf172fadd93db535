// The data endpoints. Each handler calls the app/ use case the matching command calls and encodes
// with the same encoder (docs/http.md names the command of each endpoint).
#include "kazmig/server/handlers.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kazmig/app/data.h"
#include "kazmig/app/factors.h"
#include "kazmig/app/indicators.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/app/policy.h"
#include "kazmig/app/policy_section.h"
#include "kazmig/app/project.h"
#include "kazmig/app/risk.h"
#include "kazmig/app/scenarios.h"
#include "kazmig/app/views.h"
#include "kazmig/core/error.h"

namespace kazmig::server {

// The heavy results, computed once on first use with the defaults the report uses.
struct HandlerContext::Heavy {
  std::optional<app::ProspectsInput> prospects;
  std::optional<app::RiskResult> risk;
  std::optional<app::PolicySectionInput> policy;
};

namespace {

HandlerContext::Heavy& HeavyOf(HandlerContext& context) {
  if (!context.heavy) context.heavy = std::make_shared<HandlerContext::Heavy>();
  return *context.heavy;
}

const app::ProspectsInput& Prospects(HandlerContext& context) {
  HandlerContext::Heavy& heavy = HeavyOf(context);
  if (!heavy.prospects) {
    app::ProspectsRequest request;
    request.threads = context.threads;
    heavy.prospects = app::ComputeProspects(*context.kz, request);
  }
  if (!heavy.prospects->available) {
    throw UsageError("no projections: " + heavy.prospects->unavailable);
  }
  return *heavy.prospects;
}

Json Number(double value) { return std::isnan(value) ? Json(nullptr) : Json(value); }

Json Points(const std::vector<std::pair<int, double>>& points) {
  Json out = Json::array();
  for (const auto& [year, value] : points)
    out.push_back({{"year", year}, {"value", Number(value)}});
  return out;
}

Json EffectJson(const app::PolicyEffectSummary& e) {
  return {{"measure", e.measure},
          {"method", e.method},
          {"outcome", e.outcome},
          {"series", e.series},
          {"units", e.units},
          {"unit", e.unit},
          {"start", e.start},
          {"estimate", Number(e.estimate)},
          {"ci95_low", Number(e.ci_low)},
          {"ci95_high", Number(e.ci_high)},
          {"std_error", Number(e.std_error)},
          {"pre_periods", e.pre_periods},
          {"post_periods", e.post_periods},
          {"pretrend_p", Number(e.pretrend_p)},
          {"placebo_p", Number(e.placebo_p)},
          {"credible", e.credible},
          {"reason", e.reason},
          {"message", e.message},
          {"treated", e.treated},
          {"units_vintage", e.units_vintage},
          {"observed", Points(e.observed)},
          {"counterfactual", Points(e.counterfactual)},
          {"provenance",
           {{"kind", "estimated"},
            {"method", e.method},
            {"source", e.series},
            {"detail", "kazmig policy effect --measure " + e.measure + " --method " + e.method}}}};
}

}  // namespace

Json HandleMap(HandlerContext& context, const ApiRequest& request) {
  app::MapLayerRequest layer;
  layer.indicator = request.indicator;
  layer.year = request.year.value_or(0);
  if (request.indicator == "projected_change") layer.projection = &Prospects(context).projection;
  return app::MapLayer(*context.kz, layer);
}

Json HandleSeries(HandlerContext& context, const ApiRequest& request) {
  const std::string region = RegionIdOrNotFound(request.region, /*allow_national=*/true);
  app::DataShowRequest show;
  show.indicator = request.indicator;
  show.region = region;
  show.with_provenance = true;
  Json document = ParseEncoded(app::ShowIndicator(
      {context.db_path, context.builtin_dir, std::string(app::kBuiltinDatasetName)}, show,
      app::Format::kJson));
  Json notes = app::SeriesAnnotations(*context.kz, request.indicator, region);
  document["measures"] = std::move(notes["measures"]);
  document["breaks"] = std::move(notes["breaks"]);
  return document;
}

Json HandleIndicators(HandlerContext& context, const ApiRequest& request) {
  app::IndicatorsRequest indicators;
  indicators.dataset = "kz";
  indicators.location = {context.db_path, context.builtin_dir};
  indicators.year = request.year.value_or(0);
  indicators.threads = context.threads;
  indicators.with_provenance = true;
  return ParseEncoded(app::EncodeIndicators(app::RunIndicators(indicators), app::Format::kJson,
                                            /*with_provenance=*/true));
}

Json HandleFlows(HandlerContext& context, const ApiRequest& request) {
  return app::InternalFlowsView(*context.kz, request.year.value_or(0));
}

Json HandleInternationalFlows(HandlerContext& context, const ApiRequest& request) {
  return app::InternationalFlowsView(*context.kz, request.period);
}

Json HandleFactors(HandlerContext& context, const ApiRequest& /*request*/) {
  app::FactorsRequest factors;
  factors.threads = context.threads;
  const app::FactorsResult result = app::RunFactors(*context.kz, factors);
  Json document = ParseEncoded(app::EncodeFactors(result, app::Format::kJson, true));
  if (document.is_object()) document["notes"] = result.notes;
  return document;
}

Json HandleRisk(HandlerContext& context, const ApiRequest& /*request*/) {
  HandlerContext::Heavy& heavy = HeavyOf(context);
  if (!heavy.risk) {
    app::RiskRequest request;
    request.threads = context.threads;
    heavy.risk = app::ComputeKzRisk(*context.kz, request);
  }
  Json document = app::RiskJson(*heavy.risk);
  document["notes"] = heavy.risk->notes;
  return document;
}

Json HandleScenarios(HandlerContext& context, const ApiRequest& /*request*/) {
  const app::ProspectsInput& prospects = Prospects(context);
  Json scenarios = Json::array();
  for (const app::ScenarioProjection& s : prospects.projection.scenarios) {
    scenarios.push_back({{"id", s.name}, {"name", s.name}, {"description", s.description}});
  }
  return {{"scenarios", std::move(scenarios)},
          {"year", prospects.year},
          {"base_year", prospects.projection.base_year},
          {"draws", prospects.projection.draws},
          {"seed", prospects.projection.seed},
          {"provenance", prospects.projection.provenance},
          {"comparison", prospects.comparison.ToJson(/*with_provenance=*/true)}};
}

Json HandleProjections(HandlerContext& context, const ApiRequest& request) {
  const app::ProspectsInput& prospects = Prospects(context);
  // The projection of this one scenario (UsageError naming the projected ones).
  const app::ProjectionResult one = prospects.projection.OnlyScenario(request.scenario);
  std::string region;
  if (!request.region.empty()) region = RegionIdOrNotFound(request.region, true);
  Json document = app::ProjectionJson(one);
  if (!region.empty()) {
    if (region != "KZ") {
      Json rows = Json::array();
      for (Json& row : document["rows"]) {
        if (row.value("region", "") == region) rows.push_back(std::move(row));
      }
      document["rows"] = std::move(rows);
    } else {
      document["rows"] = Json::array();
    }
    document["region"] = region;
  }
  return document;
}

Json HandlePolicy(HandlerContext& context, const ApiRequest& /*request*/) {
  HandlerContext::Heavy& heavy = HeavyOf(context);
  if (!heavy.policy) {
    app::PolicySectionInput section;
    app::ComputePolicySection(*context.kz, section);
    heavy.policy = std::move(section);
  }
  app::PolicyListRequest list;
  list.builtin_dir = context.builtin_dir;
  const app::PolicyListResult register_list = app::RunPolicyList(list);
  Json measures = ParseEncoded(app::EncodePolicyList(register_list, app::Format::kJson));
  Json effects = Json::array();
  for (const app::PolicyEffectSummary& e : heavy.policy->effects) effects.push_back(EffectJson(e));
  return {{"measures", std::move(measures)},
          {"effects", std::move(effects)},
          {"notes", heavy.policy->notes}};
}

}  // namespace kazmig::server

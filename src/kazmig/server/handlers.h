// One handler per endpoint (internal to the server module; api.cc dispatches). Each takes the
// context (the open dataset and the heavy results computed once) and a parsed request and returns
// the JSON body; it calls app/ and encodes with app's encoders, never computes. Errors: UsageError
// (400: a year, indicator or scenario the data does not have), NotFound (404).
#ifndef KAZMIG_SERVER_HANDLERS_H_
#define KAZMIG_SERVER_HANDLERS_H_

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "kazmig/server/request.h"

namespace kazmig::app {
class KzDataset;
}

namespace kazmig::server {

using Json = nlohmann::ordered_json;

// A region (or another named thing) that does not exist: 404.
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the handlers share: the open dataset and the heavy results computed on first use.
struct HandlerContext {
  app::KzDataset* kz = nullptr;
  std::string db_path;
  std::filesystem::path builtin_dir;
  int threads = 1;
  struct Heavy;
  std::shared_ptr<Heavy> heavy;  // lazily filled (handlers.cc)
};

// Parses an encoder's JSON text (the CLI's --format json output) into a document.
Json ParseEncoded(const std::string& text);

// handlers_regions.cc
Json HandleRegions(HandlerContext& context, const ApiRequest& request);
Json HandleRegion(HandlerContext& context, const ApiRequest& request);
Json HandleBoundaries(HandlerContext& context, const ApiRequest& request);
// The kz-2022 id of region `text` ("KZ" for the country); NotFound otherwise.
std::string RegionIdOrNotFound(const std::string& text, bool allow_national);

// handlers.cc
Json HandleMap(HandlerContext& context, const ApiRequest& request);
Json HandleSeries(HandlerContext& context, const ApiRequest& request);
Json HandleIndicators(HandlerContext& context, const ApiRequest& request);
Json HandleFlows(HandlerContext& context, const ApiRequest& request);
Json HandleInternationalFlows(HandlerContext& context, const ApiRequest& request);
Json HandleFactors(HandlerContext& context, const ApiRequest& request);
Json HandleRisk(HandlerContext& context, const ApiRequest& request);
Json HandleScenarios(HandlerContext& context, const ApiRequest& request);
Json HandleProjections(HandlerContext& context, const ApiRequest& request);
Json HandlePolicy(HandlerContext& context, const ApiRequest& request);

}  // namespace kazmig::server

#endif  // KAZMIG_SERVER_HANDLERS_H_

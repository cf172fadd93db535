// Request parsing of the HTTP API: a method, a decoded path and the query parameters become one
// typed ApiRequest, or a RequestError (400 naming the parameter and what is allowed, 404 for an
// unknown path, 405 for a method other than GET/HEAD). Parsing never touches the data: whether a
// region or a year exists is the handler's question (api.h).
//
//   server::QueryParams params = {{"indicator", "net_rate"}, {"year", "2023"}};
//   server::ParseResult parsed = server::ParseRequest("GET", "/api/map", params);
//   if (const auto* error = std::get_if<server::RequestError>(&parsed)) ...;  // 400, message
//   const server::ApiRequest& request = std::get<server::ApiRequest>(parsed);
//   request.CacheKey();  // "map?indicator=net_rate&year=2023": one key per distinct query
#ifndef KAZMIG_SERVER_REQUEST_H_
#define KAZMIG_SERVER_REQUEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kazmig::server {

// The query parameters in the order given (decoded).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

enum class Endpoint {
  kHealth,
  kRegions,
  kRegion,
  kBoundaries,
  kMap,
  kSeries,
  kIndicators,
  kFlows,
  kInternationalFlows,
  kFactors,
  kRisk,
  kScenarios,
  kProjections,
  kPolicy,
  kImport,  // POST /api/import (only with --allow-import)
  kStatic,  // a file under the web root
};

// The endpoint's path for messages and documentation ("/api/map").
std::string_view EndpointPath(Endpoint endpoint);

// The map indicators (GET /api/map?indicator=...), in the order the dashboard lists them.
const std::vector<std::string>& MapIndicatorIds();

struct ApiRequest {
  Endpoint endpoint = Endpoint::kHealth;
  std::string vintage;      // regions, region, boundaries: kz-2022 unless given
  std::string region;       // region: the {id}; series, projections: ?region=
  std::string indicator;    // map, series
  std::optional<int> year;  // map, indicators, flows
  std::string period;       // flows/international: "1990-1995" or a year
  std::string scenario;     // projections
  std::string static_path;  // static: the relative path under the web root ("index.html")
  bool head = false;        // HEAD instead of GET

  // One text per distinct query (the cache key): the endpoint and every parameter in a fixed
  // order, defaults filled in. Not used for static files.
  std::string CacheKey() const;
};

struct RequestError {
  int status = 400;
  std::string message;
};

using ParseResult = std::variant<ApiRequest, RequestError>;

// Parses one request. `path` is the decoded path ("/api/regions/75", "/app.js"); `params` the
// decoded query parameters. A parameter an endpoint does not take, a repeated parameter, an
// empty or malformed value is a 400 naming it; an unknown /api/ path is a 404; a static path with
// "..", ".", a backslash, a NUL or another control character, or an empty segment ("//") is a
// 400 (never a file outside the web root).
ParseResult ParseRequest(std::string_view method, std::string_view path, const QueryParams& params);

// The relative file path of a static request path, or nullopt when it must be refused (see
// ParseRequest): "/" and "" -> "index.html", "/a/" -> "a/index.html".
std::optional<std::string> StaticRelativePath(std::string_view path);

}  // namespace kazmig::server

#endif  // KAZMIG_SERVER_REQUEST_H_

// The API's handlers behind one facade: a parsed request (request.h) becomes a response whose
// body is the JSON the matching `kazmig` command prints (the same app/ call, the same encoder).
// The server is read-only, so each distinct query is computed once and its response kept in
// memory (a shared lock on the hot path: a cached answer takes microseconds). Computation is
// serialised (app::KzDataset is not thread-safe); the heavy results (projections, risk, policy
// effects) are computed on first use with the report's defaults and shared by the endpoints.
//
//   server::Api api({.db_path = app::DefaultDbPath(), .builtin_dir = app::BuiltinDataDir()});
//   std::shared_ptr<const server::Response> r = api.Handle(request);  // r->status, r->body
#ifndef KAZMIG_SERVER_API_H_
#define KAZMIG_SERVER_API_H_

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "kazmig/server/request.h"

namespace kazmig::server {

struct ApiConfig {
  std::string db_path;
  std::filesystem::path builtin_dir;
  int threads = 1;  // threads of the analyses a request computes
  // Most responses kept (distinct queries); beyond it answers are computed but not kept.
  size_t cache_limit = 4096;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::string etag;  // strong: "\"<16 hex digits>-<length hex>\"" of the body
};

// A JSON error response: {"error": MESSAGE, "status": STATUS}.
Response ErrorResponse(int status, std::string_view message);
// The strong entity tag of `body` (FNV-1a 64 of the bytes and the length, quoted).
std::string StrongEtag(std::string_view body);
// Whether an If-None-Match header value matches `etag` ("*", or one of a comma-separated list;
// weak "W/" tags compare by their opaque part).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

class Api {
 public:
  // Opens the store (loading the built-in dataset when missing, as every command does).
  explicit Api(ApiConfig config);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // The response to an API request (not kStatic, not kImport): 200 with the JSON body, 400 for a
  // value the data does not have (a year, an indicator, a scenario), 404 for an unknown region,
  // 500 (logged) for a failure that is not the request's fault. Every answer but a 500 is kept.
  std::shared_ptr<const Response> Handle(const ApiRequest& request);

  // POST /api/import: writes `body` (a file in request's `format`) into the store with the code
  // of `kazmig data import`, then drops every cached response. The caller checks the token.
  Response Import(const QueryParams& params, const std::string& body);

  // How many responses are cached.
  size_t CachedCount() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kazmig::server

#endif  // KAZMIG_SERVER_API_H_

#include "kazmig/server/api.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "kazmig/app/data.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/error.h"
#include "kazmig/server/handlers.h"

namespace kazmig::server {

Response ErrorResponse(int status, std::string_view message) {
  Response response;
  response.status = status;
  response.body = Json{{"error", message}, {"status", status}}.dump(2) + "\n";
  response.etag = StrongEtag(response.body);
  return response;
}

std::string StrongEtag(std::string_view body) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return fmt::format("\"{:016x}-{:x}\"", hash, body.size());
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  const auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
  };
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = trim(if_none_match.substr(0, comma));
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (!tag.empty() && tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

struct Api::State {
  ApiConfig config;
  std::mutex compute;  // app::KzDataset is not thread-safe: one computation at a time
  app::KzDataset kz;
  HandlerContext context;
  mutable std::shared_mutex cache_mutex;
  std::unordered_map<std::string, std::shared_ptr<const Response>> cache;

  explicit State(ApiConfig c)
      : config(std::move(c)), kz(app::KzDataset::Open(config.db_path, config.builtin_dir)) {
    context.kz = &kz;
    context.db_path = config.db_path;
    context.builtin_dir = config.builtin_dir;
    context.threads = config.threads;
  }
};

Api::Api(ApiConfig config) : state_(std::make_unique<State>(std::move(config))) {}
Api::~Api() = default;

size_t Api::CachedCount() const {
  std::shared_lock lock(state_->cache_mutex);
  return state_->cache.size();
}

namespace {

Json Dispatch(HandlerContext& context, const ApiRequest& request) {
  switch (request.endpoint) {
    case Endpoint::kHealth:
      return {{"status", "ok"}};
    case Endpoint::kRegions:
      return HandleRegions(context, request);
    case Endpoint::kRegion:
      return HandleRegion(context, request);
    case Endpoint::kBoundaries:
      return HandleBoundaries(context, request);
    case Endpoint::kMap:
      return HandleMap(context, request);
    case Endpoint::kSeries:
      return HandleSeries(context, request);
    case Endpoint::kIndicators:
      return HandleIndicators(context, request);
    case Endpoint::kFlows:
      return HandleFlows(context, request);
    case Endpoint::kInternationalFlows:
      return HandleInternationalFlows(context, request);
    case Endpoint::kFactors:
      return HandleFactors(context, request);
    case Endpoint::kRisk:
      return HandleRisk(context, request);
    case Endpoint::kScenarios:
      return HandleScenarios(context, request);
    case Endpoint::kProjections:
      return HandleProjections(context, request);
    case Endpoint::kPolicy:
      return HandlePolicy(context, request);
    case Endpoint::kImport:
    case Endpoint::kStatic:
      break;
  }
  throw NotFound("not an API endpoint");
}

}  // namespace

std::shared_ptr<const Response> Api::Handle(const ApiRequest& request) {
  const std::string key = request.CacheKey();
  {
    std::shared_lock lock(state_->cache_mutex);
    const auto it = state_->cache.find(key);
    if (it != state_->cache.end()) return it->second;
  }
  std::lock_guard compute(state_->compute);
  {
    // Another thread may have computed it while this one waited.
    std::shared_lock lock(state_->cache_mutex);
    const auto it = state_->cache.find(key);
    if (it != state_->cache.end()) return it->second;
  }
  Response response;
  try {
    // Compact: the same document as the command's --format json, without the indentation.
    response.body = Dispatch(state_->context, request).dump() + "\n";
    response.etag = StrongEtag(response.body);
  } catch (const NotFound& e) {
    response = ErrorResponse(404, e.what());
  } catch (const UsageError& e) {
    response = ErrorResponse(400, e.what());
  } catch (const InputError& e) {
    response = ErrorResponse(400, e.what());
  } catch (const std::exception& e) {
    std::cerr << "kazmig serve: error: " << key << ": " << e.what() << '\n';
    // Not kept: a failure that is not the request's fault may pass.
    return std::make_shared<const Response>(ErrorResponse(
        500, fmt::format("internal error computing {}", EndpointPath(request.endpoint))));
  }
  // Answers to a read-only server's queries do not change: 400 and 404 are kept too, so a
  // repeated bad query costs a lookup, not a computation.
  auto shared = std::make_shared<const Response>(std::move(response));
  std::unique_lock lock(state_->cache_mutex);
  if (state_->cache.size() < state_->config.cache_limit) state_->cache.emplace(key, shared);
  return shared;
}

Response Api::Import(const QueryParams& params, const std::string& body) {
  app::DataImportRequest request;
  std::string dataset(app::kBuiltinDatasetName);
  for (const auto& [name, value] : params) {
    if (name == "format") request.format = value;
    if (name == "indicator") request.indicator = value;
    if (name == "unit") request.unit = value;
    if (name == "vintage") request.vintage = value;
    if (name == "source") request.source = value;
    if (name == "detail") request.detail = value;
    if (name == "notes") request.notes = value;
    if (name == "estimated") request.estimated = value == "true" || value == "1";
    if (name == "year") request.year = std::atoi(value.c_str());
  }
  const auto& formats = app::ImportFormats();
  if (std::find(formats.begin(), formats.end(), request.format) == formats.end()) {
    std::string list;
    for (const std::string& f : formats) list += (list.empty() ? "" : ", ") + f;
    return ErrorResponse(400, "parameter 'format': unknown import format '" + request.format +
                                  "' (one of " + list + ")");
  }
  // The importers read files: the body goes to a private temporary file first.
  char path[] = "/tmp/kazmig-import-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return ErrorResponse(500, "cannot create a temporary file");
  FILE* file = fdopen(fd, "wb");
  const bool written =
      file != nullptr && std::fwrite(body.data(), 1, body.size(), file) == body.size();
  if (file != nullptr) std::fclose(file);
  request.file = path;
  std::lock_guard compute(state_->compute);
  Response response;
  try {
    if (!written) throw ComputeError("cannot write the temporary file");
    const app::DataImportResult result =
        app::ImportFile({state_->config.db_path, state_->config.builtin_dir, dataset}, request);
    response.body = Json{{"status", "ok"},
                         {"values", result.values},
                         {"indicators", result.indicators},
                         {"dataset", dataset}}
                        .dump(2) +
                    "\n";
    response.etag = StrongEtag(response.body);
  } catch (const UsageError& e) {
    response = ErrorResponse(400, e.what());
  } catch (const InputError& e) {
    response = ErrorResponse(400, e.what());
  } catch (const std::exception& e) {
    response = ErrorResponse(500, e.what());
  }
  std::remove(path);
  // The store changed: reopen the dataset view and forget every cached answer.
  if (response.status == 200) {
    state_->kz = app::KzDataset::Open(state_->config.db_path, state_->config.builtin_dir);
    state_->context.heavy.reset();
    std::unique_lock lock(state_->cache_mutex);
    state_->cache.clear();
  }
  return response;
}

}  // namespace kazmig::server

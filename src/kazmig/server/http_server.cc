#include "kazmig/server/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <ctime>
#include <thread>

#include "kazmig/core/error.h"
#include "kazmig/server/request.h"
#include "kazmig/server/static_files.h"

namespace kazmig::server {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kBacklog = 1024;  // pending connections the kernel keeps (Listener)

// Encoded forms the path must not contain: a slash, a backslash or a NUL spelled in percent
// encoding would change what the path names after decoding.
bool HasForbiddenEncoding(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  for (size_t pos = path.find('%'); pos != std::string::npos; pos = path.find('%', pos + 1)) {
    if (pos + 2 >= path.size()) return true;  // a truncated escape
    const char a = path[pos + 1];
    const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(path[pos + 2])));
    if ((a == '2' && b == 'f') || (a == '5' && b == 'c') || (a == '0' && b == '0')) return true;
  }
  return path.find('\\') != std::string::npos;
}

void SetCommonHeaders(httplib::Response& res) {
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
}

void Send(const httplib::Request& req, httplib::Response& res, int status,
          const std::string& content_type, const std::string& body, const std::string& etag) {
  SetCommonHeaders(res);
  if (!etag.empty()) res.set_header("ETag", etag);
  if (status == 200 && !etag.empty() && req.has_header("If-None-Match") &&
      EtagMatches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  res.status = status;
  res.set_content(body, content_type.c_str());
}

void SendError(const httplib::Request& req, httplib::Response& res, int status,
               const std::string& message) {
  const Response error = ErrorResponse(status, message);
  Send(req, res, status, kJsonType, error.body, "");
}

QueryParams ParamsOf(const httplib::Request& req) {
  QueryParams params;
  for (const auto& [name, value] : req.params) params.emplace_back(name, value);
  return params;
}

// cpp-httplib 0.11.4 listens with a backlog of 5 connections: a burst of new connections (64
// clients reconnecting after their keep-alive limit at once) overflows it and the kernel drops
// SYNs, which clients retry after 1 s and 3 s. This subclass reaches the listening socket to
// raise the backlog (listen() again on a listening socket only changes it; Linux caps it at
// net.core.somaxconn).
class Listener : public httplib::Server {
 public:
  void RaiseBacklog(int backlog) {
    const socket_t fd = svr_sock_;
    if (fd != INVALID_SOCKET) ::listen(fd, backlog);
  }
};

}  // namespace

bool ConstantTimeEquals(const std::string& given, const std::string& expected) {
  // Every byte of the longer string is looked at; the result folds in the length difference.
  const size_t n = std::max(given.size(), expected.size());
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (size_t idx = 0; idx < n; ++idx) {
    const unsigned char a = idx < given.size() ? static_cast<unsigned char>(given[idx]) : 0;
    const unsigned char b = idx < expected.size() ? static_cast<unsigned char>(expected[idx]) : 0;
    diff = static_cast<unsigned char>(diff | (a ^ b));
  }
  return diff == 0;
}

struct HttpServer::Impl {
  ServerOptions options;
  Api api;
  Listener http;
  std::atomic<bool> stopping{false};

  explicit Impl(ServerOptions o) : options(std::move(o)), api(options.api) {}

  void HandleGet(const httplib::Request& req, httplib::Response& res) {
    if (HasForbiddenEncoding(req.target)) {
      SendError(req, res, 400, "path: encoded '/', '\\' or NUL, or a backslash, refused");
      return;
    }
    const ParseResult parsed = ParseRequest(req.method, req.path, ParamsOf(req));
    if (const auto* error = std::get_if<RequestError>(&parsed)) {
      SendError(req, res, error->status, error->message);
      return;
    }
    const ApiRequest& request = std::get<ApiRequest>(parsed);
    if (request.endpoint == Endpoint::kStatic) {
      const std::optional<StaticFile> file = ReadStaticFile(options.web_root, request.static_path);
      if (!file) {
        SendError(req, res, 404, "not found: " + req.path.substr(0, 200));
        return;
      }
      Send(req, res, 200, file->content_type, file->body, StrongEtag(file->body));
      return;
    }
    if (request.endpoint == Endpoint::kImport) {
      SendError(req, res, 405, "method not allowed: POST /api/import");
      return;
    }
    const std::shared_ptr<const Response> response = api.Handle(request);
    Send(req, res, response->status, response->content_type, response->body, response->etag);
  }

  void HandlePost(const httplib::Request& req, httplib::Response& res) {
    const ParseResult parsed = ParseRequest(req.method, req.path, ParamsOf(req));
    if (const auto* error = std::get_if<RequestError>(&parsed)) {
      // A read-only server has no writing endpoint at all.
      if (!options.allow_import && req.path == "/api/import") {
        SendError(req, res, 403, "read-only server: POST /api/import needs --allow-import");
        return;
      }
      SendError(req, res, error->status, error->message);
      return;
    }
    if (!options.allow_import) {
      SendError(req, res, 403, "read-only server: POST /api/import needs --allow-import");
      return;
    }
    const std::string authorization = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(req, res, 401, "POST /api/import needs 'Authorization: Bearer TOKEN'");
      return;
    }
    if (!ConstantTimeEquals(authorization.substr(kBearer.size()), options.token)) {
      SendError(req, res, 403, "wrong token");
      return;
    }
    const Response response = api.Import(ParamsOf(req), req.body);
    Send(req, res, response.status, response.content_type, response.body, "");
  }

  void Configure() {
    const ServerLimits& limits = options.limits;
    const size_t workers = std::max<size_t>(1, limits.workers);
    http.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    http.set_payload_max_length(limits.max_body_bytes);
    http.set_read_timeout(limits.read_timeout_seconds, 0);
    http.set_write_timeout(limits.write_timeout_seconds, 0);
    http.set_keep_alive_timeout(limits.keep_alive_timeout_seconds);
    http.set_keep_alive_max_count(limits.keep_alive_max_requests);
    http.set_tcp_nodelay(true);
    // Every method but POST is answered before a body would be read.
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "POST") return httplib::Server::HandlerResponse::Unhandled;
      if (req.method != "GET" && req.method != "HEAD") {
        res.set_header("Allow", "GET, HEAD");
        SendError(req, res, 405, "method " + req.method.substr(0, 16) + " not allowed (GET, HEAD)");
        return httplib::Server::HandlerResponse::Handled;
      }
      HandleGet(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
    http.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      HandlePost(req, res);
    });
    // Errors the library raises itself (413 payload too large, 414 URI too long, 400 malformed)
    // get the same JSON body as the API's.
    const httplib::Server::HandlerWithResponse on_error = [](const httplib::Request& req,
                                                             httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      std::string message = "bad request";
      if (res.status == 413) message = "request body too large";
      if (res.status == 414) message = "request line too long";
      if (res.status == 404) message = "not found";
      SendError(req, res, res.status, message);
      return httplib::Server::HandlerResponse::Handled;
    };
    http.set_error_handler(on_error);
    http.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
          SendError(req, res, 500, "internal error");
        });
  }
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->Configure();
}

HttpServer::~HttpServer() = default;

int HttpServer::Bind() {
  const ServerOptions& options = impl_->options;
  if (options.port == 0) {
    const int port = impl_->http.bind_to_any_port(options.host);
    if (port <= 0) throw ComputeError("kazmig serve: cannot bind " + options.host);
    impl_->http.RaiseBacklog(kBacklog);
    return port;
  }
  if (!impl_->http.bind_to_port(options.host, options.port)) {
    throw ComputeError(
        fmt::format("kazmig serve: cannot bind {}:{} (in use?)", options.host, options.port));
  }
  impl_->http.RaiseBacklog(kBacklog);
  return options.port;
}

void HttpServer::Stop() {
  impl_->stopping = true;
  impl_->http.stop();
}

void HttpServer::RunUntilSignalled() {
  // Block SIGINT and SIGTERM here, before the worker threads exist (they inherit the mask); one
  // thread waits for them and stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([this, signals] {
    const timespec tick{0, 200'000'000};
    while (!impl_->stopping) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        Stop();
        break;
      }
    }
  });
  std::thread warm;
  if (impl_->options.warm) {
    warm = std::thread([this] {
      // The hot endpoints, computed once before the first client asks (each is cached).
      for (const char* path : {"/api/regions", "/api/indicators", "/api/flows"}) {
        if (impl_->stopping) return;
        const ParseResult parsed = ParseRequest("GET", path, {});
        if (const auto* request = std::get_if<ApiRequest>(&parsed)) impl_->api.Handle(*request);
      }
    });
  }
  impl_->http.listen_after_bind();
  impl_->stopping = true;
  waiter.join();
  if (warm.joinable()) warm.join();
}

}  // namespace kazmig::server

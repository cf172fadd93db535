// The HTTP face: cpp-httplib's thread-pool server (Debian's libcpp-httplib) in front of the
// request parser (request.h), the API (api.h) and the static files (static_files.h).
//
//   server::ServerOptions options;
//   options.api = {app::DefaultDbPath(), app::BuiltinDataDir()};
//   options.web_root = server::DefaultWebRoot(executable);
//   server::HttpServer http(options);
//   int port = http.Bind();          // 0 in options.port: a free port
//   http.RunUntilSignalled();        // serves until SIGINT or SIGTERM
//
// Limits (docs/http.md, "Limits"): request body (413), request line and header lines (8 KiB,
// compiled into the library: 414 / 400), read and write timeouts per socket operation, keep-alive
// timeout and requests per connection, a fixed pool of worker threads.
#ifndef KAZMIG_SERVER_HTTP_SERVER_H_
#define KAZMIG_SERVER_HTTP_SERVER_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "kazmig/server/api.h"

namespace kazmig::server {

struct ServerLimits {
  size_t max_body_bytes = 8u << 20;  // 413 beyond (only POST /api/import takes a body)
  int read_timeout_seconds = 5;      // per read of the socket (a stalled client is dropped)
  int write_timeout_seconds = 5;     // per write
  int keep_alive_timeout_seconds = 5;
  size_t keep_alive_max_requests = 10000;
  size_t workers = 64;  // worker threads (each serves one connection at a time)
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (Bind returns it)
  std::filesystem::path web_root;
  bool allow_import = false;  // POST /api/import exists only then, and needs `token`
  std::string token;          // the bearer token (compared in constant time)
  ServerLimits limits;
  ApiConfig api;
  bool warm = true;  // compute the hot endpoints in the background after binding
};

// Whether `given` equals `expected`, in time that depends only on their lengths (not on where
// they differ).
bool ConstantTimeEquals(const std::string& given, const std::string& expected);

class HttpServer {
 public:
  // Opens the API (the store). Throws as api.h's Api.
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; returns the port. Throws ComputeError when it cannot.
  int Bind();
  // Serves until Stop() (from another thread) or SIGINT/SIGTERM; the signals are blocked in
  // every thread of the process and waited for by one thread, so shutdown is orderly.
  void RunUntilSignalled();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kazmig::server

#endif  // KAZMIG_SERVER_HTTP_SERVER_H_

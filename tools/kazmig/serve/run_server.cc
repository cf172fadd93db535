// kazmig-serve's `serve`: the HTTP server (src/kazmig/server/). kazmig-serve is `kazmig` with this
// one command (main.cc, command.cc, serve.cc and this file): `kazmig serve ...` runs it with the
// same command line (serve_exec.cc), so its help, errors and exit codes are kazmig's.
//
// It lives beside kazmig in the build tree (BUILD/bin/kazmig-serve) and in PREFIX/lib/kazmig when
// installed (scripts/install.sh); the data and the web root are found as for PREFIX/bin/kazmig.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "../command.h"
#include "../serve.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/server/http_server.h"
#include "kazmig/server/static_files.h"

namespace kazmig::cli {
namespace {

namespace fs = std::filesystem;

// Where this executable is, and PREFIX when it is an installed PREFIX/lib/kazmig/kazmig-serve
// (empty in the build tree, where it is BUILD/bin/kazmig-serve beside BUILD/bin/kazmig).
struct Location {
  fs::path self;
  fs::path prefix;
};

Location FindLocation() {
  Location location;
  std::error_code error;
  location.self = fs::read_symlink("/proc/self/exe", error);
  const fs::path folder = location.self.parent_path();
  if (!error && folder.filename() == "kazmig" && folder.parent_path().filename() == "lib") {
    location.prefix = folder.parent_path().parent_path();
  }
  return location;
}

// The web root as PREFIX/bin/kazmig (or the build tree's kazmig) finds it: server::DefaultWebRoot
// of that binary. (The built-in data: app::BuiltinDataDir, which knows PREFIX/lib/kazmig too.)
fs::path WebRoot(const Location& location) {
  return server::DefaultWebRoot(location.prefix.empty() ? location.self
                                                        : location.prefix / "bin" / "kazmig");
}

// The token of --token-file: its text without surrounding whitespace; at least 16 characters.
std::string ReadToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, "cannot read the token file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!token.empty() && space(token.back())) token.pop_back();
  size_t start = 0;
  while (start < token.size() && space(token[start])) ++start;
  token.erase(0, start);
  if (token.size() < 16) {
    throw InputError(path, 1, 1, "the token must have at least 16 characters");
  }
  return token;
}

}  // namespace

void RunServe(const Globals& globals, const ServeOptions& options) {
  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  const Location location = FindLocation();
  server_options.web_root =
      options.web_root.empty() ? WebRoot(location) : fs::path(options.web_root);
  std::error_code error;
  if (!options.web_root.empty() && !fs::is_directory(options.web_root, error)) {
    throw UsageError("--web-root " + options.web_root + ": not a folder");
  }
  server_options.allow_import = options.allow_import;
  if (options.allow_import) server_options.token = ReadToken(options.token_file);
  server_options.limits.workers = options.workers;
  server_options.limits.max_body_bytes = options.max_body_mb << 20;
  server_options.api.db_path = globals.ResolvedDbPath();
  server_options.api.builtin_dir = BuiltinDataDir();
  server_options.api.threads = ResolveThreads(globals.threads);

  server::HttpServer http(server_options);
  const int port = http.Bind();
  const bool bracket = options.host.find(':') != std::string::npos;
  std::cout << fmt::format(
                   "kazmig serve: http://{}{}{}:{}/ (web root {}; {})", bracket ? "[" : "",
                   options.host, bracket ? "]" : "", port, server_options.web_root.string(),
                   options.allow_import ? "POST /api/import allowed with the token" : "read-only")
            << std::endl;
  if (options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1") {
    Note(globals, "listening on " + options.host +
                      ", not only on this machine: put a TLS proxy in front (docs/http.md)");
  }
  http.RunUntilSignalled();
  Say(globals, "kazmig serve: stopped");
}

}  // namespace kazmig::cli

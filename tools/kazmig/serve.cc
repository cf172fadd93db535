// `kazmig serve`: the JSON API under /api/ and the dashboard (the web root) over HTTP
// (src/kazmig/server/, docs/http.md).
//
//   kazmig serve [--port 8080] [--host 127.0.0.1] [--web-root DIR]
//                [--allow-import --token-file FILE] [--workers 64] [--max-body-mb 8]
//
// Read-only by default. --allow-import adds POST /api/import (the code of `kazmig data import`),
// which needs the bearer token read from --token-file. --port 0 picks a free port; the URL is
// printed on stdout once the socket is bound. SIGINT and SIGTERM stop the server cleanly.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"
#include "kazmig/server/http_server.h"
#include "kazmig/server/static_files.h"

namespace kazmig::cli {
namespace {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_root;
  bool allow_import = false;
  std::string token_file;
  size_t workers = 64;
  size_t max_body_mb = 8;
};

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

void Run(const Globals& globals, const ServeOptions& options) {
  if (options.allow_import && options.token_file.empty()) {
    throw UsageError(
        "--allow-import needs --token-file FILE (the bearer token of POST /api/import)");
  }
  if (!options.allow_import && !options.token_file.empty()) {
    throw UsageError("--token-file is only used with --allow-import");
  }
  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  server_options.web_root = options.web_root.empty() ? server::DefaultWebRoot(executable)
                                                     : std::filesystem::path(options.web_root);
  if (!options.web_root.empty() && !std::filesystem::is_directory(options.web_root, error)) {
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

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve the JSON API (/api/...) and the dashboard over HTTP (read-only by default)");
  cmd->add_option("--port", options->port, "TCP port (0: any free port; the URL is printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--web-root", options->web_root,
                  "Folder of the dashboard (default: build/web beside the binary's build tree, "
                  "or PREFIX/share/kazmig/web)");
  cmd->add_flag("--allow-import", options->allow_import,
                "Add POST /api/import (as `kazmig data import`), with a bearer token");
  cmd->add_option("--token-file", options->token_file,
                  "File holding the bearer token for --allow-import (at least 16 characters)");
  cmd->add_option("--workers", options->workers,
                  "Worker threads (each serves one connection at a time)")
      ->check(CLI::Range(size_t{1}, size_t{1024}))
      ->capture_default_str();
  cmd->add_option("--max-body-mb", options->max_body_mb, "Largest request body in MiB (413 beyond)")
      ->check(CLI::Range(size_t{1}, size_t{1024}))
      ->capture_default_str();
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"serve", 95, &Setup});

}  // namespace
}  // namespace kazmig::cli

// `kazmig serve`: the JSON API under /api/ and the dashboard (the web root) over HTTP
// (src/kazmig/server/, docs/http.md).
//
//   kazmig serve [--port 8080] [--host 127.0.0.1] [--web-root DIR]
//                [--allow-import --token-file FILE] [--workers 64] [--max-body-mb 8]
//
// Read-only by default. --allow-import adds POST /api/import (the code of `kazmig data import`),
// which needs the bearer token read from --token-file. --port 0 picks a free port; the URL is
// printed on stdout once the socket is bound. SIGINT and SIGTERM stop the server cleanly.
//
// This file (the options, the help and the usage checks) is in both `kazmig` and `kazmig-serve`;
// the server itself only in kazmig-serve, which `kazmig serve` runs (serve.h).
#include "serve.h"

#include <memory>

#include "command.h"
#include "kazmig/core/error.h"

namespace kazmig::cli {
namespace {

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
  cmd->callback([&globals, options] {
    if (options->allow_import && options->token_file.empty()) {
      throw UsageError(
          "--allow-import needs --token-file FILE (the bearer token of POST /api/import)");
    }
    if (!options->allow_import && !options->token_file.empty()) {
      throw UsageError("--token-file is only used with --allow-import");
    }
    RunServe(globals, *options);
  });
}

const bool registered = RegisterCommand({"serve", 95, &Setup});

}  // namespace
}  // namespace kazmig::cli

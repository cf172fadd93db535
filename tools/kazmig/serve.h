// `kazmig serve` is set up here (serve.cc: its options, help and usage checks) in both executables,
// but runs in its own: the HTTP server (cpp-httplib with OpenSSL, brotli and zlib) is linked only
// into kazmig-serve, so no other command loads those libraries at start-up (docs/http.md,
// docs/csv.md "Start-up"). In `kazmig` RunServe runs kazmig-serve with the same command line
// (serve_exec.cc); in kazmig-serve it serves (serve/run_server.cc).
#ifndef KAZMIG_TOOLS_SERVE_H_
#define KAZMIG_TOOLS_SERVE_H_

#include <cstddef>
#include <string>

#include "command.h"

namespace kazmig::cli {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_root;
  bool allow_import = false;
  std::string token_file;
  size_t workers = 64;
  size_t max_body_mb = 8;
};

// Runs the command once its options are parsed and checked (one definition per executable).
void RunServe(const Globals& globals, const ServeOptions& options);

}  // namespace kazmig::cli

#endif  // KAZMIG_TOOLS_SERVE_H_

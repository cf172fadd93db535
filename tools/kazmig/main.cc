// kazmig: the command line of the Kazakhstan migration observatory.
//
// Parses the command line with CLI11, runs the chosen command, and maps errors to exit codes:
// 0 success, 1 runtime failure, 2 usage error, 3 invalid input data (ARCHITECTURE.md).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "command.h"
#include "kazmig/core/error.h"

int main(int argc, char** argv) {
  using kazmig::ExitCode;
  CLI::App app{
      "kazmig: a migration observatory for Kazakhstan.\n"
      "Flows, rates and indicators; factors; potential flows; risks; projections and policy.\n"
      "Run `kazmig <command> --help` for the options of a command."};
  app.name("kazmig");
  app.set_version_flag("--version", std::string("kazmig ") + KAZMIG_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  kazmig::cli::Globals globals;
  app.add_option("--db", globals.db_path,
                 "SQLite database (default $KAZMIG_DB or ~/.local/share/kazmig/kazmig.db)");
  app.add_flag("--quiet,-q", globals.quiet, "No progress bars or notes on stderr");
  app.add_option("--threads", globals.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);

  for (const auto& spec : kazmig::cli::RegisteredCommands()) spec.setup(app, globals);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      app.exit(e);
      return static_cast<int>(ExitCode::kUsage);
    }
  } catch (const kazmig::Error& e) {
    std::cerr << "kazmig: error: " << e.what() << '\n';
    return static_cast<int>(e.exit_code());
  } catch (const std::bad_alloc&) {
    std::cerr << "kazmig: error: out of memory\n";
    return static_cast<int>(ExitCode::kComputeFailure);
  } catch (const std::exception& e) {
    std::cerr << "kazmig: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::kComputeFailure);
  }
  return static_cast<int>(ExitCode::kSuccess);
}

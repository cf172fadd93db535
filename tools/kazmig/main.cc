// kazmig: the command line of the Kazakhstan migration observatory.
//
// Parses the command line with CLI11, runs the chosen command, and maps errors to exit codes:
// 0 success, 1 runtime failure, 2 usage error, 3 invalid input data (ARCHITECTURE.md).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "command.h"
#include "kazmig/core/error.h"
#include "kazmig/core/parallel.h"

namespace {

// Prints `message` (after "kazmig: ") for an error that ends the command and returns `code`.
// Under MPI with several ranks (`traces detect`), an error every rank raised alike
// (IsCollective) is printed by rank 0 alone and every rank returns `code`; any other one is
// printed with this rank's number and ends every rank (AbortWorld), since the others
// may be waiting for this one in a collective operation.
int Fail(const std::exception& error, const std::string& message, kazmig::ExitCode code) {
  const kazmig::MpiWorld world = kazmig::RunningWorld();
  if (world.size == 1) {
    std::cerr << "kazmig: " << message << '\n';
  } else if (kazmig::IsCollective(error)) {
    if (world.root()) std::cerr << "kazmig: " << message << '\n';
  } else {
    std::cerr << "kazmig: rank " << world.rank << ": " << message << '\n';
    kazmig::AbortWorld(static_cast<int>(code));
  }
  return static_cast<int>(code);
}

}  // namespace

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
      // Under mpiexec every rank finds the same error in the same command line: rank 0 tells it.
      if (kazmig::LaunchRank() == 0) app.exit(e);
      return static_cast<int>(ExitCode::kUsage);
    }
  } catch (const kazmig::Error& e) {
    return Fail(e, std::string("error: ") + e.what(), e.exit_code());
  } catch (const std::bad_alloc& e) {
    return Fail(e, "error: out of memory", ExitCode::kComputeFailure);
  } catch (const std::exception& e) {
    return Fail(e, std::string("internal error: ") + e.what(), ExitCode::kComputeFailure);
  }
  return static_cast<int>(ExitCode::kSuccess);
}

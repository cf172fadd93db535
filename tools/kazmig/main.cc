// kazmig: the command line of the Kazakhstan migration observatory.
//
// Parses the command line with CLI11, runs the chosen command, and maps errors to exit codes:
// 0 success, 1 runtime failure, 2 usage error, 3 invalid input data (ARCHITECTURE.md).
#include <fmt/format.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

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

// A command's many small allocations (a result of 10^5 rows holds some 300,000 cells and strings)
// each touch fresh heap pages, and on this machine kind a page fault costs more than the work done
// on the page. The heap therefore grows in steps of 32 MiB (M_TOP_PAD, kept across frees) and its
// first step is advised as transparent huge pages: about 500 faults instead of 5,000 for
// `estimate ipf` on 231 x 231 (docs/csv.md, "Start-up and output"). Memory is only taken as it is
// touched, in 2 MiB pages: peak RSS grows by at most one such page.
void PrepareHeap() {
  constexpr size_t kPad = size_t{32} << 20;
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  if (mallopt(M_TOP_PAD, static_cast<int>(kPad)) != 1) return;
  // Blocks below the mmap threshold (128 KiB) come from the heap: take them until it grows.
  void* const before = sbrk(0);
  void* probes[8] = {};
  for (void*& probe : probes) {
    probe = std::malloc(size_t{64} << 10);
    if (sbrk(0) != before) break;
  }
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(before) + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(sbrk(0)) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice
  for (void* probe : probes) std::free(probe);
}

// The command word of the command line (`estimate` in `kazmig --quiet estimate ipf ...`): the first
// argument that is neither a global option nor the value of one; "" when there is none.
std::string CommandWord(int argc, char** argv) {
  for (int idx = 1; idx < argc; ++idx) {
    const std::string_view arg = argv[idx];
    if (arg == "--") return {};
    if (arg == "--db" || arg == "--threads") {
      ++idx;  // its value
      continue;
    }
    if (!arg.starts_with('-')) return std::string(arg);
  }
  return {};
}

bool HasArgument(int argc, char** argv, std::string_view wanted) {
  for (int idx = 1; idx < argc; ++idx) {
    if (argv[idx] == wanted) return true;
  }
  return false;
}

// Adds the subcommands this command line needs. Building every command's options (some 700 CLI11
// options and their validators) took about a third of the start-up instructions, so only the
// named command is set up (and its sub-commands registered as "word sub"); all of them when the
// command line names none that exists (`kazmig --help`, an unknown command: the same help and
// error text as ever), none for a plain `kazmig --version`.
void SetUpCommands(CLI::App& app, kazmig::cli::Globals& globals, int argc, char** argv) {
  const auto& commands = kazmig::cli::RegisteredCommands();
  const std::string word = CommandWord(argc, argv);
  const auto first_word = [](const std::string& name) { return name.substr(0, name.find(' ')); };
  bool known = false;
  for (const auto& spec : commands) known = known || first_word(spec.name) == word;
  if (known) {
    for (const auto& spec : commands) {
      if (first_word(spec.name) == word) spec.setup(app, globals);
    }
    return;
  }
  if (word.empty() && HasArgument(argc, argv, "--version") && !HasArgument(argc, argv, "--help") &&
      !HasArgument(argc, argv, "-h")) {
    return;
  }
  for (const auto& spec : commands) spec.setup(app, globals);
}

}  // namespace

int main(int argc, char** argv) {
  using kazmig::ExitCode;
  PrepareHeap();
  kazmig::cli::SetCommandLine(argv);
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

  SetUpCommands(app, globals, argc, argv);

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

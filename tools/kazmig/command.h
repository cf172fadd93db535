// The command registry and the helpers every command shares (output, formats, errors).
//
// A command lives in its own file and registers itself at static-initialisation time:
//
//   namespace {
//   void Setup(CLI::App& app, kazmig::cli::Globals& globals) {
//     auto* cmd = app.add_subcommand("regions", "List the regions of a boundary vintage");
//     ...
//     cmd->callback([&globals, options] { Run(globals, *options); });
//   }
//   const bool registered = kazmig::cli::RegisterCommand({"regions", 10, &Setup});
//   }  // namespace
//
// Commands parse their options into a struct, call the library, and print through Output.
// Errors are thrown (kazmig::Error) and mapped to exit codes in main.
#ifndef KAZMIG_TOOLS_COMMAND_H_
#define KAZMIG_TOOLS_COMMAND_H_

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/io/atomic_file.h"

namespace kazmig::cli {

// Options that every command accepts.
struct Globals {
  std::string db_path;  // --db or KAZMIG_DB or ~/.local/share/kazmig/kazmig.db
  bool quiet = false;   // --quiet: no progress, no notes on stderr
  int threads = 0;      // --threads: 0 = all cores

  // The database path with the defaults applied.
  std::string ResolvedDbPath() const;
  // Progress and notes are shown on stderr only when it is a terminal and --quiet is off.
  bool ShowProgress() const;
};

// A line on stderr unless --quiet (status lines, check results).
void Say(const Globals& globals, std::string_view line);
// "kazmig: note: TEXT" on stderr unless --quiet: an assumption or adjustment the user should know.
void Note(const Globals& globals, std::string_view text);

struct CommandSpec {
  std::string name;
  int order;  // position in `kazmig --help`
  std::function<void(CLI::App&, Globals&)> setup;
};

// Registers a top-level command; returns true (for a static initialiser).
bool RegisterCommand(CommandSpec spec);
const std::vector<CommandSpec>& RegisteredCommands();

// The command line as main() received it (argv, ending in a null pointer): `kazmig serve` runs
// kazmig-serve with it (serve.h).
void SetCommandLine(char** argv);
char** CommandLine();

// Adds --format (csv|json|table) and --output to `cmd`.
struct OutputOptions {
  std::string format = "csv";
  std::string output;
  bool with_provenance = false;
};
void AddOutputOptions(CLI::App* cmd, OutputOptions& options, bool provenance_flag = false);

// Writes the main output to stdout or atomically to --output.
class Output {
 public:
  explicit Output(const OutputOptions& options);
  std::ostream& stream() { return buffer_; }
  // Sends what was written to its destination (stdout, or renames the temporary file).
  void Commit();
  // Sends `text` (instead of what was written to stream()): one copy less for large outputs.
  void Commit(const std::string& text);

 private:
  std::string path_;
  std::ostringstream buffer_;
};

// Throws UsageError when two of a command's output options name the same file (compared after
// resolving `.`, `..` and symbolic links), e.g. `--out-events X --out-truth X`: one would overwrite
// the other. Each entry is {option name, path}; empty paths (stdout, or not given) are skipped.
void RequireDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& outputs);

// The repository's data/kz folder: $KAZMIG_DATA_DIR, else next to the binary's source tree, else
// /usr/share/kazmig/data/kz.
std::filesystem::path BuiltinDataDir();

}  // namespace kazmig::cli

#endif  // KAZMIG_TOOLS_COMMAND_H_

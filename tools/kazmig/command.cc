#include "command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "kazmig/app/paths.h"
#include "kazmig/core/error.h"

namespace kazmig::cli {

namespace {
char** command_line = nullptr;

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}
}  // namespace

bool RegisterCommand(CommandSpec spec) {
  Registry().push_back(std::move(spec));
  return true;
}

const std::vector<CommandSpec>& RegisteredCommands() {
  auto& registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const CommandSpec& a, const CommandSpec& b) { return a.order < b.order; });
  return registry;
}

void SetCommandLine(char** argv) { command_line = argv; }

char** CommandLine() { return command_line; }

std::string Globals::ResolvedDbPath() const { return app::DefaultDbPath(db_path); }

bool Globals::ShowProgress() const { return !quiet && isatty(STDERR_FILENO) != 0; }

void Say(const Globals& globals, std::string_view line) {
  if (!globals.quiet) std::cerr << line << '\n';
}

void Note(const Globals& globals, std::string_view text) {
  if (!globals.quiet) std::cerr << "kazmig: note: " << text << '\n';
}

void AddOutputOptions(CLI::App* cmd, OutputOptions& options, bool provenance_flag) {
  cmd->add_option("--format", options.format, "Output format: csv, json or table")
      ->check(CLI::IsMember({"csv", "json", "table"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", options.output,
                  "Write the result to FILE (atomically) instead of stdout");
  if (provenance_flag) {
    cmd->add_flag("--with-provenance", options.with_provenance,
                  "Add a provenance column (official/estimated, with source or method)");
  }
}

Output::Output(const OutputOptions& options) : path_(options.output) {}

void Output::Commit() { Commit(buffer_.str()); }

void Output::Commit(const std::string& text) {
  if (path_.empty()) {
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::cout.flush();
    if (!std::cout) throw ComputeError("failed writing to standard output");
    return;
  }
  io::WriteFileAtomically(path_, text);
}

void RequireDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  std::vector<std::pair<std::string, std::filesystem::path>> seen;
  for (const auto& [option, path] : outputs) {
    if (path.empty()) continue;
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (ec) resolved = std::filesystem::absolute(path).lexically_normal();
    for (const auto& [other_option, other] : seen) {
      if (other == resolved) {
        throw UsageError(fmt::format("{} and {} name the same file '{}': give each output its own",
                                     other_option, option, path));
      }
    }
    seen.emplace_back(option, resolved);
  }
}

std::filesystem::path BuiltinDataDir() { return app::BuiltinDataDir(); }

}  // namespace kazmig::cli

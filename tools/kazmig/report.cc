// `kazmig report [--out DIR] [--pdf] [--lang en|ru|kk] [--year YEAR]`: writes the situation report
// (DIR/index.html, default
// ./report) from the store, and optionally DIR/report.pdf through headless Chromium. Parse ->
// app::BuildSituationInput (loads and computes) -> report::BuildSituationReport (formats) -> write.
#include "kazmig/app/report.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "command.h"
#include "kazmig/app/kz_dataset.h"
#include "kazmig/core/error.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/report/situation.h"

extern char** environ;

namespace kazmig::cli {
namespace {

namespace fs = std::filesystem;

struct ReportOptions {
  std::string out = "report";
  bool pdf = false;
  std::string lang = "en";
  int year = 0;
};

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &tm);
  return text;
}

// The first of the usual Chromium executables found on PATH, or empty.
std::string FindChromium() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  for (const char* name :
       {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    std::string_view dirs(path);
    while (!dirs.empty()) {
      const size_t colon = dirs.find(':');
      const fs::path candidate = fs::path(std::string(dirs.substr(0, colon))) / name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
      if (colon == std::string_view::npos) break;
      dirs.remove_prefix(colon + 1);
    }
  }
  return {};
}

// Prints `html` to `pdf` with headless Chromium; throws ComputeError when it is missing or fails.
void PrintPdf(const fs::path& html, const fs::path& pdf) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    throw ComputeError(fmt::format(
        "--pdf needs headless Chromium, which was not found on PATH; install it (Debian: "
        "`sudo apt-get install chromium`) and run again. The HTML report is at {}",
        html.string()));
  }
  const fs::path temp = pdf.string() + ".tmp.pdf";
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + temp.string(),
                                   "file://" + fs::absolute(html).string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw ComputeError(fmt::format("could not start {}", chromium));
  // Chromium can hang (no display, a profile lock): give up after two minutes.
  constexpr auto kTimeout = std::chrono::seconds(120);
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() - start > kTimeout) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw ComputeError(fmt::format("{} did not finish printing the PDF within {} s", chromium,
                                     kTimeout.count()));
    }
    usleep(50'000);
  }
  std::error_code error;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(temp, error) ||
      fs::file_size(temp, error) == 0) {
    fs::remove(temp, error);
    throw ComputeError(fmt::format("{} failed to print {} to PDF", chromium, html.string()));
  }
  fs::rename(temp, pdf);
}

void Run(const Globals& globals, const ReportOptions& options) {
  // The built-in dataset is loaded on first use when its files are there.
  const report::Lang lang = report::ParseLang(options.lang);
  app::KzDataset kz = app::KzDataset::Open(globals.ResolvedDbPath(), BuiltinDataDir());
  const app::SituationResult result =
      app::BuildSituationInput(kz, {UtcNow(), std::string(KAZMIG_VERSION), options.year});
  for (const std::string& note : result.notes) Note(globals, note);
  const std::string html = report::BuildSituationReport(result.input, lang);

  const fs::path dir = options.out;
  const fs::path index = dir / "index.html";
  io::WriteFileAtomically(index, html);
  std::cout << index.string() << '\n';
  if (options.pdf) {
    const fs::path pdf = dir / "report.pdf";
    PrintPdf(index, pdf);
    std::cout << pdf.string() << '\n';
  }
}

void Setup(CLI::App& app, Globals& globals) {
  auto options = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report",
      "Write the situation report: a self-contained HTML page (DIR/index.html) with maps, charts "
      "and tables, optionally a PDF (DIR/report.pdf, needs headless Chromium)");
  cmd->add_option("--out", options->out, "Folder to write the report to")->capture_default_str();
  cmd->add_flag("--pdf", options->pdf, "Also print DIR/report.pdf with headless Chromium");
  cmd->add_option("--lang", options->lang,
                  "Language of the report: en, ru (Russian), kk (Kazakh: region names and "
                  "headings, the rest in Russian)")
      ->capture_default_str();
  cmd->add_option("--year", options->year,
                  "Reference year of the key figures, maps and corridors (a year with official "
                  "inter-regional nets; default: the latest)");
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"report", 80, &Setup});

}  // namespace
}  // namespace kazmig::cli

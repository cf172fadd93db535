// `kazmig report [--out DIR] [--pdf]`: writes the situation report (DIR/index.html, default
// ./report) from the store, and optionally DIR/report.pdf through headless Chromium.
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
#include "kazmig/core/error.h"
#include "kazmig/core/region.h"
#include "kazmig/estimate/kz_od.h"
#include "kazmig/geo/boundaries.h"
#include "kazmig/io/atomic_file.h"
#include "kazmig/report/situation.h"
#include "kazmig/store/store.h"

extern char** environ;

namespace kazmig::cli {
namespace {

namespace fs = std::filesystem;

struct ReportOptions {
  std::string out = "report";
  bool pdf = false;
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
  const fs::path builtin = BuiltinDataDir();
  const RegionSystem& kz2022 = RegionSystem::Builtin("kz-2022");
  const RegionSystem& kz2018 = RegionSystem::Builtin("kz-2018");
  const auto boundaries =
      geo::LoadRegionBoundaries(builtin / geo::BoundaryFileName("kz-2022"), kz2022);
  std::vector<io::GeoFeature> boundaries_2018;
  if (fs::exists(builtin / geo::BoundaryFileName("kz-2018"))) {
    boundaries_2018 = geo::LoadRegionBoundaries(builtin / geo::BoundaryFileName("kz-2018"), kz2018);
  }

  // The built-in dataset is loaded on first use when its files are there.
  store::Store db = fs::exists(builtin / "provenance.csv")
                        ? store::OpenWithBuiltin(globals.ResolvedDbPath(), builtin)
                        : store::Store::Open(globals.ResolvedDbPath());
  report::SituationData data;
  data.system = &kz2022;
  data.boundaries = &boundaries;
  if (!boundaries_2018.empty()) {
    data.system_2018 = &kz2018;
    data.boundaries_2018 = &boundaries_2018;
  }
  data.population_avg = db.LoadSeries("population_avg");
  data.net_internal = db.LoadSeries("net_internal");
  data.intl_arrivals = db.LoadSeries("intl_arrivals");
  data.intl_departures = db.LoadSeries("intl_departures");
  data.intl_net = db.LoadSeries("intl_net");
  // The estimated inter-regional OD matrix of every year whose official nets are complete.
  const RegionSeries population_2022 = db.LoadSeries("population_avg", "kz-2022");
  const RegionSeries net_2022 = db.LoadSeries("net_internal", "kz-2022");
  for (int year : net_2022.Years()) {
    try {
      data.internal_od.push_back(estimate::EstimateKzOd(
          estimate::KzOdInputsFromSeries(kz2022, population_2022, net_2022, year), {}));
    } catch (const ComputeError& error) {
      Note(globals, fmt::format("no estimated OD matrix for {}: {}", year, error.what()));
    }
  }
  // International corridors for the Flows section (official by partner; Abel & Cohen estimates).
  auto country_flows = [&db](const char* indicator) {
    std::vector<report::CountryFlow> flows;
    for (const store::FlowRow& row : db.LoadFlows(indicator)) {
      flows.push_back({row.orig, row.dest, row.year, row.period, row.value, row.provenance});
    }
    return flows;
  };
  data.intl_arrivals_by_partner = country_flows("intl_arrivals_by_partner");
  data.intl_departures_by_partner = country_flows("intl_departures_by_partner");
  data.abel_flows = country_flows("abel_flows");
  data.generated = UtcNow();
  if (auto dataset = db.GetDataset(store::kBuiltinDataset)) {
    data.dataset = fmt::format("{}; loaded {}", dataset->description, dataset->loaded_at);
  } else {
    data.dataset = "built-in dataset not loaded (run `kazmig data init`)";
  }
  data.version = KAZMIG_VERSION;
  const std::string html = report::BuildSituationReport(data);

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
  cmd->callback([&globals, options] { Run(globals, *options); });
}

const bool registered = RegisterCommand({"report", 80, &Setup});

}  // namespace
}  // namespace kazmig::cli

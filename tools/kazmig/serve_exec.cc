// `kazmig serve` in the kazmig executable: once its options are parsed and checked (serve.cc), the
// process becomes kazmig-serve with the same command line (execv: the same process id, so a
// script's signals, its exit code and its stdout reach the server as before; serve.h says why).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "command.h"
#include "kazmig/core/error.h"
#include "serve.h"

namespace kazmig::cli {

namespace {

constexpr const char* kServer = "kazmig-serve";

// Beside this binary (the build tree), then PREFIX/lib/kazmig for PREFIX/bin/kazmig (as
// libkazmig_mpi.so, core/parallel.cc).
std::vector<std::filesystem::path> ServerCandidates() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || self.empty()) return {};
  return {self.parent_path() / kServer,
          self.parent_path().parent_path() / "lib" / "kazmig" / kServer};
}

}  // namespace

void RunServe(const Globals& /*globals*/, const ServeOptions& /*options*/) {
  char** argv = CommandLine();
  std::string tried;
  int last_error = ENOENT;
  for (const std::filesystem::path& path : ServerCandidates()) {
    execv(path.c_str(), argv);                // returns only on failure
    if (errno != ENOENT) last_error = errno;  // the more telling reason
    tried += (tried.empty() ? "" : ", ") + path.string();
  }
  throw Error("cannot run " + std::string(kServer) + ", the server of `kazmig serve` (tried " +
              tried + "): " + std::strerror(last_error));
}

}  // namespace kazmig::cli

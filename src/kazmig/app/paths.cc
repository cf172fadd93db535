#include "kazmig/app/paths.h"

#include <cstdlib>
#include <system_error>

namespace kazmig::app {

std::string DefaultDbPath(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("KAZMIG_DB"); env != nullptr && *env != '\0') return env;
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::filesystem::path(home) / ".local" / "share";
  } else {
    base = ".";
  }
  return (base / "kazmig" / "kazmig.db").string();
}

std::filesystem::path InstalledDataDir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || exe.empty()) return {};
  // PREFIX/bin/kazmig, or a program of kazmig's own in PREFIX/lib/kazmig (kazmig-serve).
  const std::filesystem::path folder = exe.parent_path();
  std::filesystem::path prefix = folder.parent_path();
  if (folder.filename() == "kazmig" && prefix.filename() == "lib") prefix = prefix.parent_path();
  return prefix / "share" / "kazmig" / "data" / "kz";
}

std::filesystem::path BuiltinDataDir() {
  if (const char* env = std::getenv("KAZMIG_DATA_DIR"); env != nullptr && *env != '\0') return env;
  // An installed binary (`make install`): PREFIX/bin/kazmig finds PREFIX/share/kazmig/data/kz.
  if (const std::filesystem::path installed = InstalledDataDir();
      !installed.empty() && std::filesystem::is_directory(installed)) {
    return installed;
  }
  const std::filesystem::path source = std::filesystem::path(KAZMIG_SOURCE_DIR) / "data" / "kz";
  if (std::filesystem::is_directory(source)) return source;
  return "/usr/share/kazmig/data/kz";
}

}  // namespace kazmig::app

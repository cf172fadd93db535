#include "kazmig/app/paths.h"

#include <cstdlib>

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

std::filesystem::path BuiltinDataDir() {
  if (const char* env = std::getenv("KAZMIG_DATA_DIR"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path source = std::filesystem::path(KAZMIG_SOURCE_DIR) / "data" / "kz";
  if (std::filesystem::is_directory(source)) return source;
  return "/usr/share/kazmig/data/kz";
}

}  // namespace kazmig::app

#include "kazmig/server/static_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace kazmig::server {
namespace fs = std::filesystem;

namespace {

// Whether `path` is `root` or inside it (both resolved), compared component by component.
bool Inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator of the root
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

std::optional<StaticFile> ReadStaticFile(const fs::path& root, const std::string& relative,
                                         size_t max_bytes) {
  std::error_code error;
  if (relative.empty() || fs::path(relative).is_absolute()) return std::nullopt;
  const fs::path base = fs::canonical(root, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(base / relative, error);
  if (error || !Inside(base, file)) return std::nullopt;
  if (!fs::is_regular_file(file, error) || error) return std::nullopt;
  const auto size = fs::file_size(file, error);
  if (error || size > max_bytes) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return StaticFile{body.str(), ContentTypeOf(file)};
}

std::string ContentTypeOf(const fs::path& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".geojson", "application/geo+json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

fs::path DefaultWebRoot(const fs::path& executable) {
  const fs::path bin = executable.parent_path();
  const fs::path build = bin.parent_path() / "web";
  const fs::path installed = bin.parent_path() / "share" / "kazmig" / "web";
  std::error_code error;
  if (fs::is_directory(build, error)) return build;
  if (fs::is_directory(installed, error)) return installed;
  return build;
}

}  // namespace kazmig::server

#include "kazmig/testing/testing.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace kazmig::testing {

::testing::AssertionResult NearRel(double actual, double expected, double rel_tol, double abs_tol) {
  if (std::isnan(actual) || std::isnan(expected)) {
    return ::testing::AssertionFailure() << "NaN: actual " << actual << ", expected " << expected;
  }
  const double scale = std::max(std::fabs(actual), std::fabs(expected));
  const double diff = std::fabs(actual - expected);
  if (diff <= rel_tol * scale + abs_tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "actual " << actual << " vs expected " << expected << " (diff " << diff << ", allowed "
         << rel_tol * scale + abs_tol << ")";
}

std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("KAZMIG_SOURCE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  auto dir = std::filesystem::current_path();
  while (!dir.empty()) {
    if (std::filesystem::exists(dir / "src" / "kazmig") &&
        std::filesystem::exists(dir / "CMakeLists.txt")) {
      return dir;
    }
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::filesystem::current_path();
}

std::optional<std::filesystem::path> SharedDataDir() {
  if (const char* env = std::getenv("KAZMIG_SHARED_DATA"); env != nullptr && *env != '\0') {
    if (std::filesystem::is_directory(env)) return std::filesystem::path(env);
    return std::nullopt;
  }
  const auto candidate = SourceDir().parent_path() / "shared" / "data";
  if (std::filesystem::is_directory(candidate)) return candidate;
  return std::nullopt;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kazmig-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::Write(const std::string& name, const std::string& contents) const {
  const auto full = path_ / name;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream out(full, std::ios::binary);
  out << contents;
  return full;
}

size_t CountOccurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace kazmig::testing

// Helpers shared by kazmig's unit tests.
//
//   EXPECT_TRUE(kazmig::testing::NearRel(actual, expected));           // default 1e-9 relative
//   EXPECT_TRUE(kazmig::testing::NearRel(actual, 0.2666667, 1e-6));    // a 7-digit reference
//   auto dir = kazmig::testing::SharedDataDir();  // ../shared/data, or nullopt (test skips)
//   EXPECT_EQ(kazmig::testing::CountOccurrences(svg, "<path"), 20u);
#ifndef KAZMIG_TESTING_TESTING_H_
#define KAZMIG_TESTING_TESTING_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace kazmig::testing {

// Relative tolerance used when a test does not say otherwise: about 1e-9 of the larger magnitude,
// with an absolute floor `abs_tol` for values near zero. Tests that loosen it say why beside the
// call (e.g. "reference printed to 7 significant digits").
inline constexpr double kDefaultRelTol = 1e-9;
inline constexpr double kDefaultAbsTol = 1e-12;

// Succeeds when |actual - expected| <= rel_tol * max(|actual|, |expected|) + abs_tol.
::testing::AssertionResult NearRel(double actual, double expected, double rel_tol = kDefaultRelTol,
                                   double abs_tol = kDefaultAbsTol);

// The repository's root (from KAZMIG_SOURCE_DIR, set by CTest, else found upward from the cwd).
std::filesystem::path SourceDir();

// ../shared/data beside the repository (or $KAZMIG_SHARED_DATA), when it exists.
std::optional<std::filesystem::path> SharedDataDir();

// How many times `needle` occurs in `text`, without overlaps (e.g. elements in rendered HTML).
size_t CountOccurrences(const std::string& text, const std::string& needle);

// A fresh, empty temporary directory removed when the object is destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `contents` to path()/name and returns the full path.
  std::filesystem::path Write(const std::string& name, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

}  // namespace kazmig::testing

// Skips the current test with a message when ../shared/data is absent; otherwise binds `var`.
#define KAZMIG_REQUIRE_SHARED_DATA(var)                                                  \
  const auto var##_opt = ::kazmig::testing::SharedDataDir();                             \
  if (!var##_opt) GTEST_SKIP() << "../shared/data not present; skipping real-data test"; \
  const std::filesystem::path var = *var##_opt

#endif  // KAZMIG_TESTING_TESTING_H_

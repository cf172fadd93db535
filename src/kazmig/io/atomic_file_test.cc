#include "kazmig/io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "kazmig/core/error.h"

namespace kazmig::io {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(AtomicFile, ReplacingAFileKeepsItsPermissions) {
  const fs::path dir = TempDir("kazmig-atomic-mode");
  const fs::path path = dir / "secret.csv";
  WriteFileAtomically(path, "old\n");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  WriteFileAtomically(path, "new\n");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(ReadFile(path), "new\n");
  fs::remove_all(dir);
}

TEST(AtomicFile, WritesADeviceInPlaceInsteadOfReplacingIt) {
  WriteFileAtomically("/dev/null", "discarded\n");
  struct stat info {};
  ASSERT_EQ(::stat("/dev/null", &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
}

TEST(AtomicFile, FollowsASymbolicLinkAndKeepsIt) {
  const fs::path dir = TempDir("kazmig-atomic-link");
  WriteFileAtomically(dir / "real.csv", "old\n");
  fs::create_symlink("real.csv", dir / "link.csv");
  WriteFileAtomically(dir / "link.csv", "new\n");
  EXPECT_TRUE(fs::is_symlink(dir / "link.csv"));
  EXPECT_EQ(ReadFile(dir / "real.csv"), "new\n");
  fs::remove_all(dir);
}

TEST(AtomicFile, RefusesADirectoryAndLeavesNoTemporaryFile) {
  const fs::path dir = TempDir("kazmig-atomic-dir");
  fs::create_directories(dir / "out");
  EXPECT_THROW(WriteFileAtomically(dir / "out", "x"), UsageError);
  {
    AtomicFile file(dir / "never.csv");
    file.stream() << "partial";
  }  // no Commit: nothing is left behind
  EXPECT_FALSE(fs::exists(dir / "never.csv"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(ReadFile, RefusesADirectory) {
  const fs::path dir = TempDir("kazmig-readfile-dir");
  EXPECT_THROW(ReadFile(dir), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kazmig::io

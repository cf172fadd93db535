// A GoogleTest fixture for the app tests that read the built-in data (the repository's data/kz),
// loaded once per test suite into a temporary store; tests skip when data/kz is absent.
//
//   class ViewsBuiltin : public BuiltinKzTest<ViewsBuiltin> {};
//   TEST_F(ViewsBuiltin, Something) { ... *kz_ ... }
#ifndef KAZMIG_APP_BUILTIN_KZ_TEST_H_
#define KAZMIG_APP_BUILTIN_KZ_TEST_H_

#include <gtest/gtest.h>

#include <filesystem>

#include "kazmig/app/kz_dataset.h"
#include "kazmig/testing/testing.h"

namespace kazmig::app {

// `Suite` (the deriving fixture) gives every suite its own store.
template <typename Suite>
class BuiltinKzTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::filesystem::path builtin = ::kazmig::testing::SourceDir() / "data" / "kz";
    if (!std::filesystem::exists(builtin / "indicators.csv")) return;
    dir_ = new ::kazmig::testing::TempDir();
    kz_ = new KzDataset(KzDataset::Open(dir_->path() / "kz.db", builtin));
  }
  static void TearDownTestSuite() {
    delete kz_;
    delete dir_;
    kz_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (kz_ == nullptr) GTEST_SKIP() << "built-in data/kz not present";
  }
  static inline ::kazmig::testing::TempDir* dir_ = nullptr;
  static inline KzDataset* kz_ = nullptr;
};

}  // namespace kazmig::app

#endif  // KAZMIG_APP_BUILTIN_KZ_TEST_H_

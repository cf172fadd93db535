#include "kazmig/core/parallel.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "kazmig/core/error.h"

namespace kazmig {
namespace {

TEST(Parallel, ResolveThreadsKeepsARequestAndDefaultsToEveryCore) {
  EXPECT_EQ(ResolveThreads(3), 3);
  EXPECT_GE(ResolveThreads(0), 1);
  EXPECT_EQ(ResolveThreads(-2), ResolveThreads(0));
}

TEST(MpiWorld, AgreeOnFailureRunsTheStepOnce) {
  int runs = 0;
  AgreeOnFailure([&] { ++runs; });
  EXPECT_EQ(runs, 1);
}

// With one rank (these tests run without mpiexec) the step's own exception propagates, unmarked,
// so single-process errors are exactly as before.
TEST(MpiWorld, AgreeOnFailureAloneRethrowsTheErrorUnchanged) {
  ASSERT_EQ(World().size, 1);
  try {
    AgreeOnFailure([] { throw InputError("ev.csv", 4, 2, "malformed date"); });
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "ev.csv:4:2: malformed date");
    EXPECT_EQ(error.line(), 4);
    EXPECT_FALSE(IsCollective(error));
  }
  EXPECT_THROW(AgreeOnFailure([] { throw std::bad_alloc(); }), std::bad_alloc);
}

TEST(MpiWorld, CollectiveKeepsTheTypeMessageAndExitCode) {
  try {
    throw Collective<UsageError>("bad option");
  } catch (const Error& error) {
    EXPECT_TRUE(IsCollective(error));
    EXPECT_STREQ(error.what(), "bad option");
    EXPECT_EQ(error.exit_code(), ExitCode::kUsage);
  }
  const Collective<InputError> copied(InputError("ev.csv", 7, 0, "x"));
  EXPECT_STREQ(copied.what(), "ev.csv:7: x");
  EXPECT_EQ(copied.exit_code(), ExitCode::kInvalidInput);
  EXPECT_FALSE(IsCollective(std::runtime_error("plain")));
  EXPECT_TRUE(IsCollective(Collective<std::bad_alloc>()));
}

TEST(MpiWorld, RunningWorldWithoutMpiIsOneRank) {
  const MpiWorld world = RunningWorld();
  EXPECT_EQ(world.size, 1);
  EXPECT_TRUE(world.root());
}

}  // namespace
}  // namespace kazmig

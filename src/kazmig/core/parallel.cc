#include "kazmig/core/parallel.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kazmig/core/error.h"

#ifdef KAZMIG_MPI
#include <mpi.h>
#endif

namespace kazmig {
namespace {

// An error as AgreeOnFailure passes it between ranks: a kind byte, then the message.
enum class FailureKind : char { kNone, kInput, kUsage, kCompute, kOutOfMemory, kOther };

std::string EncodeFailure(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const InputError& error) {
    return static_cast<char>(FailureKind::kInput) + std::string(error.what());
  } catch (const UsageError& error) {
    return static_cast<char>(FailureKind::kUsage) + std::string(error.what());
  } catch (const Error& error) {
    return static_cast<char>(FailureKind::kCompute) + std::string(error.what());
  } catch (const std::bad_alloc&) {
    return std::string(1, static_cast<char>(FailureKind::kOutOfMemory));
  } catch (const std::exception& error) {
    return static_cast<char>(FailureKind::kOther) + std::string(error.what());
  } catch (...) {
    return static_cast<char>(FailureKind::kOther) + std::string("unknown exception");
  }
}

[[noreturn]] void ThrowCollective(const std::string& encoded) {
  const std::string message = encoded.substr(1);
  switch (static_cast<FailureKind>(encoded[0])) {
    case FailureKind::kInput:
      throw Collective<InputError>(message);
    case FailureKind::kUsage:
      throw Collective<UsageError>(message);
    case FailureKind::kCompute:
      throw Collective<ComputeError>(message);
    case FailureKind::kOutOfMemory:
      throw Collective<std::bad_alloc>();
    default:
      throw Collective<std::runtime_error>(message);
  }
}

}  // namespace

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

bool IsCollective(const std::exception& error) {
  return dynamic_cast<const CollectiveMark*>(&error) != nullptr;
}

void AgreeOnFailure(const std::function<void()>& step) {
  if (World().size == 1) return step();
  std::exception_ptr failure;
  try {
    step();
  } catch (...) {
    failure = std::current_exception();
  }
  const std::string local =
      failure ? EncodeFailure(failure) : std::string(1, static_cast<char>(FailureKind::kNone));
  for (const std::string& encoded : AllGather(local)) {
    if (static_cast<FailureKind>(encoded[0]) != FailureKind::kNone) ThrowCollective(encoded);
  }
}

#ifdef KAZMIG_MPI
namespace {
void FinalizeAtExit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}
}  // namespace

bool BuiltWithMpi() { return true; }

MpiWorld RunningWorld() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  MpiWorld world;
  if (initialized && !finalized) {
    MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  }
  return world;
}

int LaunchRank() {
  for (const char* name : {"PMI_RANK", "OMPI_COMM_WORLD_RANK"}) {
    const char* rank = std::getenv(name);
    if (rank != nullptr) return std::atoi(rank);
  }
  return 0;
}

void AbortWorld(int code) {
  if (RunningWorld().size == 1) std::exit(code);
  std::fflush(nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return
}

// True when an MPI launcher (mpiexec/mpirun of MPICH, Open MPI or a PMIx server) started this
// process. A process started on its own is one rank: MPI is not initialised at all then, so the
// library's own threads, signal handlers and debug output (on SIGHUP, for one) stay out of a plain
// run, whose stdout holds nothing but the result.
bool LaunchedByMpi() {
  for (const char* name :
       {"PMI_RANK", "PMI_SIZE", "PMI_FD", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

MpiWorld World() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    if (!LaunchedByMpi()) return MpiWorld{};
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    std::atexit(FinalizeAtExit);
  }
  MpiWorld world;
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  return world;
}

std::string GatherToRoot(const std::string& local) {
  const MpiWorld world = World();
  if (world.size == 1) return local;
  if (local.size() > static_cast<size_t>(INT32_MAX)) {
    throw ComputeError("MPI gather: a rank's result exceeds 2 GiB");
  }
  int local_size = static_cast<int>(local.size());
  std::vector<int> sizes(static_cast<size_t>(world.size));
  MPI_Gather(&local_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displacements(static_cast<size_t>(world.size), 0);
  long long total = 0;
  for (size_t rank = 0; rank < sizes.size(); ++rank) {
    displacements[rank] = static_cast<int>(total);
    total += sizes[rank];
  }
  if (world.root() && total > INT32_MAX) throw ComputeError("MPI gather exceeds 2 GiB");
  std::string all(world.root() ? static_cast<size_t>(total) : 0, '\0');
  MPI_Gatherv(local.data(), local_size, MPI_CHAR, all.data(), sizes.data(), displacements.data(),
              MPI_CHAR, 0, MPI_COMM_WORLD);
  return all;
}

namespace {
int CheckedCount(size_t size) {
  if (size > static_cast<size_t>(INT32_MAX)) throw ComputeError("MPI exchange exceeds 2 GiB");
  return static_cast<int>(size);
}

// Displacements of `counts`, checked to stay within an int.
std::vector<int> Displacements(const std::vector<int>& counts) {
  std::vector<int> displacements(counts.size(), 0);
  long long total = 0;
  for (size_t rank = 0; rank < counts.size(); ++rank) {
    displacements[rank] = CheckedCount(static_cast<size_t>(total));
    total += counts[rank];
  }
  CheckedCount(static_cast<size_t>(total));
  return displacements;
}
}  // namespace

std::vector<std::string> AllToAll(const std::vector<std::string>& outgoing) {
  const MpiWorld world = World();
  const auto ranks = static_cast<size_t>(world.size);
  if (outgoing.size() != ranks) throw ComputeError("AllToAll: one buffer per rank expected");
  if (ranks == 1) return outgoing;
  std::vector<int> send_counts(ranks), recv_counts(ranks);
  std::string send;
  for (size_t rank = 0; rank < ranks; ++rank) {
    send_counts[rank] = CheckedCount(outgoing[rank].size());
    send += outgoing[rank];
  }
  MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  const std::vector<int> send_displacements = Displacements(send_counts);
  const std::vector<int> recv_displacements = Displacements(recv_counts);
  std::string receive(static_cast<size_t>(recv_displacements.back() + recv_counts.back()), '\0');
  MPI_Alltoallv(send.data(), send_counts.data(), send_displacements.data(), MPI_CHAR,
                receive.data(), recv_counts.data(), recv_displacements.data(), MPI_CHAR,
                MPI_COMM_WORLD);
  std::vector<std::string> incoming(ranks);
  for (size_t rank = 0; rank < ranks; ++rank) {
    incoming[rank] = receive.substr(static_cast<size_t>(recv_displacements[rank]),
                                    static_cast<size_t>(recv_counts[rank]));
  }
  return incoming;
}

std::vector<std::string> AllGather(const std::string& local) {
  const MpiWorld world = World();
  if (world.size == 1) return {local};
  const auto ranks = static_cast<size_t>(world.size);
  int local_size = CheckedCount(local.size());
  std::vector<int> sizes(ranks);
  MPI_Allgather(&local_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD);
  const std::vector<int> displacements = Displacements(sizes);
  std::string all(static_cast<size_t>(displacements.back() + sizes.back()), '\0');
  MPI_Allgatherv(local.data(), local_size, MPI_CHAR, all.data(), sizes.data(), displacements.data(),
                 MPI_CHAR, MPI_COMM_WORLD);
  std::vector<std::string> each(ranks);
  for (size_t rank = 0; rank < ranks; ++rank) {
    each[rank] =
        all.substr(static_cast<size_t>(displacements[rank]), static_cast<size_t>(sizes[rank]));
  }
  return each;
}
#else
bool BuiltWithMpi() { return false; }
MpiWorld RunningWorld() { return MpiWorld{}; }
int LaunchRank() { return 0; }
void AbortWorld(int code) { std::exit(code); }
std::vector<std::string> AllToAll(const std::vector<std::string>& outgoing) { return outgoing; }
std::vector<std::string> AllGather(const std::string& local) { return {local}; }
MpiWorld World() { return MpiWorld{}; }
std::string GatherToRoot(const std::string& local) { return local; }
#endif

}  // namespace kazmig

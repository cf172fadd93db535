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
#include <dlfcn.h>

#include <filesystem>
#include <system_error>
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

// The entry points of libkazmig_mpi.so (core/mpi/kazmig_mpi.cc), loaded on first use by a process
// that an MPI launcher started: a plain run never loads MPI and the libraries it pulls in.
struct MpiModule {
  int (*running)();
  int (*init)();
  void (*finalize)();
  void (*world)(int*, int*);
  void (*abort)(int);
  void (*gather_int)(const int*, int*);
  void (*gatherv_bytes)(const char*, int, char*, const int*, const int*);
  void (*alltoall_int)(const int*, int*);
  void (*alltoallv_bytes)(const char*, const int*, const int*, char*, const int*, const int*);
  void (*allgather_int)(const int*, int*);
  void (*allgatherv_bytes)(const char*, int, char*, const int*, const int*);
};

constexpr const char* kModuleName = "libkazmig_mpi.so";

// Where the module is looked for: $KAZMIG_MPI_MODULE, beside the binary (the build tree), then
// PREFIX/lib/kazmig for a binary installed in PREFIX/bin.
std::vector<std::filesystem::path> ModuleCandidates() {
  std::vector<std::filesystem::path> candidates;
  if (const char* path = std::getenv("KAZMIG_MPI_MODULE"); path != nullptr && *path != '\0') {
    candidates.emplace_back(path);
  }
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / kModuleName);
    candidates.push_back(exe.parent_path().parent_path() / "lib" / "kazmig" / kModuleName);
  }
  return candidates;
}

template <typename F>
bool Bind(void* handle, const char* name, F& target) {
  target = reinterpret_cast<F>(dlsym(handle, name));
  return target != nullptr;
}

// The loaded module, or the reason it could not be loaded.
struct Loaded {
  MpiModule module{};
  std::string error;  // empty when loaded
};

Loaded LoadModule() {
  Loaded loaded;
  std::string tried;
  for (const std::filesystem::path& path : ModuleCandidates()) {
    // RTLD_GLOBAL: MPI implementations open plugins of their own that expect its symbols.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (handle == nullptr) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    MpiModule& m = loaded.module;
    const bool ok =
        Bind(handle, "kazmig_mpi_running", m.running) && Bind(handle, "kazmig_mpi_init", m.init) &&
        Bind(handle, "kazmig_mpi_finalize", m.finalize) &&
        Bind(handle, "kazmig_mpi_world", m.world) && Bind(handle, "kazmig_mpi_abort", m.abort) &&
        Bind(handle, "kazmig_mpi_gather_int", m.gather_int) &&
        Bind(handle, "kazmig_mpi_gatherv_bytes", m.gatherv_bytes) &&
        Bind(handle, "kazmig_mpi_alltoall_int", m.alltoall_int) &&
        Bind(handle, "kazmig_mpi_alltoallv_bytes", m.alltoallv_bytes) &&
        Bind(handle, "kazmig_mpi_allgather_int", m.allgather_int) &&
        Bind(handle, "kazmig_mpi_allgatherv_bytes", m.allgatherv_bytes);
    if (!ok) {
      loaded.error = path.string() + " is not kazmig's MPI module (a symbol is missing)";
      return loaded;
    }
    return loaded;
  }
  const char* why = dlerror();
  loaded.error = "cannot load kazmig's MPI module " + std::string(kModuleName) + " (tried " +
                 tried + (why != nullptr ? std::string("; ") + why : std::string()) + ")";
  return loaded;
}

// True when an MPI launcher (mpiexec/mpirun of MPICH, Open MPI or a PMIx server) started this
// process. A process started on its own is one rank: MPI is not loaded or initialised at all then,
// so the library's own threads, signal handlers and debug output (on SIGHUP, for one) stay out of
// a plain run, whose stdout holds nothing but the result.
bool LaunchedByMpi() {
  for (const char* name :
       {"PMI_RANK", "PMI_SIZE", "PMI_FD", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

// The module when this process was launched by MPI and it loaded, else nullptr (thread-safe).
const Loaded* LaunchedModule() {
  if (!LaunchedByMpi()) return nullptr;
  static const Loaded loaded = LoadModule();
  return &loaded;
}

// The module, for a collective call in a world of several ranks (which only exists when loaded).
const MpiModule& Module() { return LaunchedModule()->module; }

void FinalizeAtExit() { Module().finalize(); }

}  // namespace

bool BuiltWithMpi() { return true; }

MpiWorld RunningWorld() {
  MpiWorld world;
  const Loaded* loaded = LaunchedModule();
  if (loaded == nullptr || !loaded->error.empty()) return world;
  if (loaded->module.running()) loaded->module.world(&world.rank, &world.size);
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
  Module().abort(code);
  std::_Exit(code);  // MPI_Abort does not return
}

MpiWorld World() {
  const Loaded* loaded = LaunchedModule();
  if (loaded == nullptr) return MpiWorld{};
  if (!loaded->error.empty()) throw ComputeError(loaded->error);
  if (loaded->module.init()) std::atexit(FinalizeAtExit);
  MpiWorld world;
  loaded->module.world(&world.rank, &world.size);
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
  Module().gather_int(&local_size, sizes.data());
  std::vector<int> displacements(static_cast<size_t>(world.size), 0);
  long long total = 0;
  for (size_t rank = 0; rank < sizes.size(); ++rank) {
    displacements[rank] = static_cast<int>(total);
    total += sizes[rank];
  }
  if (world.root() && total > INT32_MAX) throw ComputeError("MPI gather exceeds 2 GiB");
  std::string all(world.root() ? static_cast<size_t>(total) : 0, '\0');
  Module().gatherv_bytes(local.data(), local_size, all.data(), sizes.data(), displacements.data());
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
  Module().alltoall_int(send_counts.data(), recv_counts.data());
  const std::vector<int> send_displacements = Displacements(send_counts);
  const std::vector<int> recv_displacements = Displacements(recv_counts);
  std::string receive(static_cast<size_t>(recv_displacements.back() + recv_counts.back()), '\0');
  Module().alltoallv_bytes(send.data(), send_counts.data(), send_displacements.data(),
                           receive.data(), recv_counts.data(), recv_displacements.data());
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
  Module().allgather_int(&local_size, sizes.data());
  const std::vector<int> displacements = Displacements(sizes);
  std::string all(static_cast<size_t>(displacements.back() + sizes.back()), '\0');
  Module().allgatherv_bytes(local.data(), local_size, all.data(), sizes.data(),
                            displacements.data());
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

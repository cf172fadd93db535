// Parallel execution: the thread count of a command, and the MPI world (rank, size and the few
// collectives the sharded pipelines need).
//
//   const int threads = ResolveThreads(requested);  // requested, or every core when 0
//
// Built without MPI (the default), the world is one rank. Built with -DKAZMIG_MPI=ON, the first
// call initialises MPI (and registers MPI_Finalize at exit), so the same binary runs alone or
// under `mpiexec -n N`. The trace pipeline (traces/pipeline.h) shards users by a hash of their id
// (traces/ingest.h, UserShard); each rank parses its own byte range of an uncompressed input and
// sends every record to the rank of its user (AllToAll), detects its users' moves, and rank 0
// gathers and sorts them, so the output is byte-identical to the single-process run.
//
//   const MpiWorld world = World();
//   std::string all = GatherToRoot(local_bytes);  // concatenation in rank order on rank 0
//
// Failures: a rank that throws while the others wait in a collective would hang the job. Steps
// that may fail on some ranks only run inside AgreeOnFailure, after which every rank throws the
// same error, marked Collective; the command line prints a Collective error once (rank 0) and
// ends any other error of a multi-rank run with AbortWorld.
//
//   AgreeOnFailure([&] { store = Ingest(...); });  // throws the lowest failing rank's error
//   ...
//   catch (const std::exception& e) { if (!IsCollective(e)) AbortWorld(1); }
#ifndef KAZMIG_CORE_PARALLEL_H_
#define KAZMIG_CORE_PARALLEL_H_

#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace kazmig {

// Resolves a thread count: `requested` when > 0, else the hardware concurrency (at least 1).
int ResolveThreads(int requested);

struct MpiWorld {
  int rank = 0;
  int size = 1;
  bool root() const { return rank == 0; }
};

// The world (initialising MPI on first use in an MPI build).
MpiWorld World();

// Rank 0 receives the concatenation of every rank's `local` in rank order; other ranks receive an
// empty string. Collective: every rank must call it.
std::string GatherToRoot(const std::string& local);

// Every rank sends outgoing[r] to rank r (outgoing.size() == world size) and receives, in
// incoming[r], what rank r sent it. Collective.
std::vector<std::string> AllToAll(const std::vector<std::string>& outgoing);

// Every rank receives every rank's `local`, in rank order. Collective.
std::vector<std::string> AllGather(const std::string& local);

// True when this binary was built with MPI.
bool BuiltWithMpi();

// The world when MPI is running (initialised and not finalised), else one rank. Unlike World(),
// never initialises MPI: for error handlers of commands that may not use it.
MpiWorld RunningWorld();

// In an MPI build, the rank that mpiexec gave this process in its environment (PMI_RANK, set by
// MPICH's Hydra, or OMPI_COMM_WORLD_RANK, set by Open MPI); 0 otherwise. Readable before MPI
// starts: for errors found while parsing the command line.
int LaunchRank();

// Marks an error that every rank of the world raised identically, after the ranks agreed on it,
// so that it is reported once and every rank exits normally. Catch it as `E`.
class CollectiveMark {
 public:
  virtual ~CollectiveMark() = default;
};
template <typename E>
class Collective : public E, public CollectiveMark {
 public:
  using E::E;
  Collective() = default;
  explicit Collective(const E& error) : E(error) {}
};

// True when `error` is marked Collective.
bool IsCollective(const std::exception& error);

// Runs `step` on every rank. When it throws on any rank, every rank throws the lowest failing
// rank's error, marked Collective: an InputError, UsageError or ComputeError (or another
// kazmig::Error, as a ComputeError) with its message, std::bad_alloc as itself, any other
// exception as a std::runtime_error with its message. With one rank `step`'s exception
// propagates unchanged. Collective: every rank must call it (with its own step), even a rank
// whose step has nothing to do.
void AgreeOnFailure(const std::function<void()>& step);

// Ends every rank of a running world with exit status `code` (MPI_Abort; MPICH's mpiexec then
// exits with `code` and prints one line of its own), after a pause of 100 ms that lets mpiexec
// pass on what this rank wrote to stderr (without it the message was lost in about one run in
// ten). Without a running multi-rank world, std::exit(code).
[[noreturn]] void AbortWorld(int code);

}  // namespace kazmig

#endif  // KAZMIG_CORE_PARALLEL_H_

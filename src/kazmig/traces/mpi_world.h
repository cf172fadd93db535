// The MPI world of the trace pipeline: rank, size and the few collectives it needs.
//
// Built without MPI (the default), the world is one rank. Built with -DKAZMIG_MPI=ON, the first
// call initialises MPI (and registers MPI_Finalize at exit), so the same binary runs alone or
// under `mpiexec -n N`. Users are sharded by a hash of their id (ingest.h, UserShard); each rank
// parses its own byte range of an uncompressed input and sends every record to the rank of its
// user (AllToAll), detects its users' moves, and rank 0 gathers and sorts them, so the output is
// byte-identical to the single-process run.
//
//   const MpiWorld world = World();
//   std::string all = GatherToRoot(local_bytes);  // concatenation in rank order on rank 0
#ifndef KAZMIG_TRACES_MPI_WORLD_H_
#define KAZMIG_TRACES_MPI_WORLD_H_

#include <string>
#include <vector>

namespace kazmig::traces {

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

}  // namespace kazmig::traces

#endif  // KAZMIG_TRACES_MPI_WORLD_H_

#include "kazmig/traces/mpi_world.h"

#include <cstdlib>
#include <vector>

#include "kazmig/core/error.h"

#ifdef KAZMIG_MPI
#include <mpi.h>
#endif

namespace kazmig::traces {

#ifdef KAZMIG_MPI
namespace {
void FinalizeAtExit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}
}  // namespace

bool BuiltWithMpi() { return true; }

MpiWorld World() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
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
#else
bool BuiltWithMpi() { return false; }
MpiWorld World() { return MpiWorld{}; }
std::string GatherToRoot(const std::string& local) { return local; }
#endif

}  // namespace kazmig::traces

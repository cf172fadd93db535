// libkazmig_mpi.so: the MPI calls of core/parallel.cc behind a small C interface of kazmig's own,
// built with -DKAZMIG_MPI=ON as a module beside the binary. parallel.cc loads it (dlopen) only in a
// process that an MPI launcher started, so a plain run of kazmig neither loads MPI nor the many
// libraries MPI pulls in (about 10 ms of dynamic loading per command before it was split off).
// Every buffer is of bytes (MPI_CHAR) or ints (MPI_INT) on MPI_COMM_WORLD; the root is rank 0.
#include <mpi.h>

extern "C" {

// 1 when MPI is initialised and not finalised.
__attribute__((visibility("default"))) int kazmig_mpi_running() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

// Initialises MPI (funneled threads) unless it already is; returns 1 when this call did it.
__attribute__((visibility("default"))) int kazmig_mpi_init() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return 0;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  return 1;
}

__attribute__((visibility("default"))) void kazmig_mpi_finalize() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

__attribute__((visibility("default"))) void kazmig_mpi_world(int* rank, int* size) {
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
}

__attribute__((visibility("default"))) void kazmig_mpi_abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
}

__attribute__((visibility("default"))) void kazmig_mpi_gather_int(const int* value, int* all) {
  MPI_Gather(value, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

__attribute__((visibility("default"))) void kazmig_mpi_gatherv_bytes(const char* local, int size,
                                                                     char* all, const int* sizes,
                                                                     const int* displacements) {
  MPI_Gatherv(local, size, MPI_CHAR, all, sizes, displacements, MPI_CHAR, 0, MPI_COMM_WORLD);
}

__attribute__((visibility("default"))) void kazmig_mpi_alltoall_int(const int* send, int* receive) {
  MPI_Alltoall(send, 1, MPI_INT, receive, 1, MPI_INT, MPI_COMM_WORLD);
}

__attribute__((visibility("default"))) void kazmig_mpi_alltoallv_bytes(
    const char* send, const int* send_counts, const int* send_displacements, char* receive,
    const int* receive_counts, const int* receive_displacements) {
  MPI_Alltoallv(send, send_counts, send_displacements, MPI_CHAR, receive, receive_counts,
                receive_displacements, MPI_CHAR, MPI_COMM_WORLD);
}

__attribute__((visibility("default"))) void kazmig_mpi_allgather_int(const int* value, int* all) {
  MPI_Allgather(value, 1, MPI_INT, all, 1, MPI_INT, MPI_COMM_WORLD);
}

__attribute__((visibility("default"))) void kazmig_mpi_allgatherv_bytes(const char* local, int size,
                                                                        char* all, const int* sizes,
                                                                        const int* displacements) {
  MPI_Allgatherv(local, size, MPI_CHAR, all, sizes, displacements, MPI_CHAR, MPI_COMM_WORLD);
}

}  // extern "C"

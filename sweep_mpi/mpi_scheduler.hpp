#pragma once
// The sweep engine's MPI back end (sweep/scheduler.hpp): `mpirun -np P
// waddington sweep ...` runs one cell at a time on every rank, rank 0
// included. Rank 0 coordinates: it deals out cell ids one at a time to the
// ranks that ask (dynamic assignment, so fast and slow cells balance), receives
// each CellOutcome and calls `done`, so only rank 0 writes the merged
// sweep.csv; the other ranks only compute (coordinator() false).
//
// Every rank builds the same job from the same command line, so a message
// carries only a cell id one way and an outcome (plain data) the other.
// A rank that dies loses only the cell it was running: rank 0 records every
// other outcome as it arrives (run the sweep with flush_seconds 0), mpirun
// then ends the job, and a rerun of the same command resumes.
//
// Built only when CMake finds MPI (WADDINGTON_HAVE_MPI). MPI is initialised
// by the first MpiScheduler and finalised when the process exits.
#include <string>

#include "sweep/scheduler.hpp"

namespace waddington::sweep {

class MpiScheduler final : public Scheduler {
 public:
  // Initialises MPI (once per process; MPI_THREAD_FUNNELED).
  MpiScheduler();
  void run(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
           const std::atomic<bool>& stop) override;
  int workers() const override { return size_; }
  bool coordinator() const override { return rank_ == 0; }
  std::string name() const override { return "mpi"; }
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  void coordinate(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
                  const std::atomic<bool>& stop);
  void compute(const CellJob& job, const std::atomic<bool>& stop);
  int rank_ = 0, size_ = 1;
};

// True when this process was started by mpirun/srun (OpenMPI, MPICH or Slurm
// PMI environment variables), i.e. when `--scheduler auto` should choose MPI.
bool launched_by_mpi();

// An outcome as bytes and back (exposed for the tests).
std::string pack_outcome(const CellOutcome& outcome);
CellOutcome unpack_outcome(const std::string& bytes);

}  // namespace waddington::sweep

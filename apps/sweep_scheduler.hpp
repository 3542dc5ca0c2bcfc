#pragma once
// The scheduler a sweep command runs on: the thread pool (default on one
// machine) or, when built with MPI and started by mpirun/srun, the MPI back
// end (sweep_mpi/): `--scheduler auto|threads|mpi`.
#include <memory>
#include <string>

#include "sweep/scheduler.hpp"

namespace waddington::app {

// "auto": MPI when the process was started by mpirun/srun and MPI is built
// in, else threads. "mpi" without MPI built in is EnvironmentError (exit 3);
// an unknown kind or a bad thread count is InputError.
std::unique_ptr<sweep::Scheduler> make_sweep_scheduler(const std::string& kind, int threads);

// True when this binary has the MPI back end.
bool mpi_available();

// How often a sweep on `scheduler` rewrites sweep.csv: under MPI after every
// cell (a job ended by a dying rank then loses only the running cells).
double flush_seconds_for(const sweep::Scheduler& scheduler, double requested);

}  // namespace waddington::app

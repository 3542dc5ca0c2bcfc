#include "apps/sweep_scheduler.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#ifdef WADDINGTON_HAVE_MPI
#include "sweep_mpi/mpi_scheduler.hpp"
#endif

namespace waddington::app {

bool mpi_available() {
#ifdef WADDINGTON_HAVE_MPI
  return true;
#else
  return false;
#endif
}

std::unique_ptr<sweep::Scheduler> make_sweep_scheduler(const std::string& kind, int threads) {
  if (kind != "auto" && kind != "threads" && kind != "mpi")
    throw InputError(fmt::format("--scheduler '{}': expected auto, threads or mpi", kind));
#ifdef WADDINGTON_HAVE_MPI
  if (kind == "mpi" || (kind == "auto" && sweep::launched_by_mpi())) return std::make_unique<sweep::MpiScheduler>();
#else
  if (kind == "mpi")
    throw EnvironmentError("--scheduler mpi: this waddington was built without MPI (install libopenmpi-dev and rebuild)");
#endif
  return sweep::make_scheduler({.threads = threads});
}

double flush_seconds_for(const sweep::Scheduler& scheduler, double requested) {
  return scheduler.name() == "mpi" ? 0.0 : requested;
}

}  // namespace waddington::app

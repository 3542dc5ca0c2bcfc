#include "sweep_mpi/mpi_scheduler.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "lib/errors.hpp"

namespace waddington::sweep {
namespace {

// Message tags. A computing rank sends kReady once, then one kResult per cell
// (which also asks for the next); rank 0 answers each with kWork or kStop.
constexpr int kReady = 1, kResult = 2, kWork = 3, kStop = 4;

// How long rank 0 waits, once stopping, for ranks still computing (a dead
// rank never answers); then the job is aborted after the table is written.
constexpr double kStopGraceSeconds = 30;
constexpr auto kPoll = std::chrono::microseconds(200);

// The process's MPI state: finalised at exit when every rank left the
// protocol cleanly, otherwise the job is aborted (a rank waiting for a
// message that will never come must not hang the job).
enum class Phase { kIdle, kRunning, kAbandon };
Phase g_phase = Phase::kIdle;

void finish_mpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  std::fflush(stdout);
  std::fflush(stderr);
  if (g_phase != Phase::kIdle) MPI_Abort(MPI_COMM_WORLD, 1);
  // A barrier that sleeps while it waits (a blocking MPI call spins a core
  // that the ranks still computing their last cell need); a rank that never
  // arrives (it failed before the sweep started) aborts the job.
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  const auto start = std::chrono::steady_clock::now();
  for (int flag = 0;;) {
    MPI_Test(&request, &flag, MPI_STATUS_IGNORE);
    if (flag) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60)) MPI_Abort(MPI_COMM_WORLD, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  MPI_Finalize();
}

void ensure_mpi() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw EnvironmentError("MPI could not be initialised");
  if (provided < MPI_THREAD_FUNNELED) throw EnvironmentError("MPI does not support a computing thread beside the MPI thread");
  // Any MPI error (e.g. a send to or from a rank that died) ends the whole job
  // instead of returning a code nobody waits on: set explicitly, not left to the
  // implementation's default. Together with the receives below, which all follow
  // a probe that matched a message (never a blocking wait for a rank that may be
  // gone), no rank waits forever on a dead one: the runtime (mpirun; srun with
  // --kill-on-bad-exit=1) ends the job, and on rank 0 a stop (SIGINT/SIGTERM)
  // ends the wait after kStopGraceSeconds.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
  std::atexit(finish_mpi);
}

// Waits (sleeping between polls) for the next message from `source`.
MPI_Status wait_for_message(int source) {
  MPI_Status status;
  for (int flag = 0;;) {
    MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) return status;
    std::this_thread::sleep_for(kPoll);
  }
}

std::string receive_bytes(const MPI_Status& status) {
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string bytes(std::size_t(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

template <class T>
void put(std::string& bytes, const T& value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <class T>
T get(const std::string& bytes, std::size_t& at) {
  if (at + sizeof(T) > bytes.size()) throw std::runtime_error("MPI sweep: a truncated cell outcome");
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string pack_outcome(const CellOutcome& o) {
  std::string bytes;
  put<std::uint64_t>(bytes, o.id);
  put<std::int32_t>(bytes, std::int32_t(o.status));
  put<double>(bytes, o.seconds);
  put<std::uint64_t>(bytes, o.values.size());
  for (double v : o.values) put<double>(bytes, v);
  put<std::uint64_t>(bytes, o.message.size());
  bytes += o.message;
  return bytes;
}

CellOutcome unpack_outcome(const std::string& bytes) {
  CellOutcome o;
  std::size_t at = 0;
  o.id = get<std::uint64_t>(bytes, at);
  const auto status = get<std::int32_t>(bytes, at);
  if (status < 0 || status > int(CellStatus::kFailed)) throw std::runtime_error("MPI sweep: a cell outcome with a bad status");
  o.status = CellStatus(status);
  o.seconds = get<double>(bytes, at);
  const auto n = get<std::uint64_t>(bytes, at);
  if (n > (bytes.size() - at) / sizeof(double)) throw std::runtime_error("MPI sweep: a truncated cell outcome");
  for (std::uint64_t k = 0; k < n; ++k) o.values.push_back(get<double>(bytes, at));
  const auto length = get<std::uint64_t>(bytes, at);
  if (length != bytes.size() - at) throw std::runtime_error("MPI sweep: a cell outcome of the wrong length");
  o.message = bytes.substr(at);
  return o;
}

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(name)) return true;
  return false;
}

MpiScheduler::MpiScheduler() {
  ensure_mpi();
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

void MpiScheduler::run(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
                       const std::atomic<bool>& stop) {
  g_phase = Phase::kRunning;
  if (rank_ == 0)
    coordinate(ids, job, done, stop);
  else
    compute(job, stop);
  if (g_phase == Phase::kRunning) g_phase = Phase::kIdle;
}

// A computing rank: ask, compute, send the outcome (which asks again), until told to stop.
void MpiScheduler::compute(const CellJob& job, const std::atomic<bool>& stop) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
  for (;;) {
    const MPI_Status status = wait_for_message(0);
    if (status.MPI_TAG == kStop) {
      MPI_Recv(nullptr, 0, MPI_BYTE, 0, kStop, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      return;
    }
    std::uint64_t id = 0;
    MPI_Recv(&id, 1, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    const std::string bytes = pack_outcome(job(std::size_t(id)));
    MPI_Send(bytes.data(), int(bytes.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
  }
}

// Rank 0: deals out ids to whichever rank asks (and to its own computing
// thread), records each outcome through `done` on this (the MPI) thread.
void MpiScheduler::coordinate(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
                              const std::atomic<bool>& stop) {
  std::mutex mutex;
  std::size_t next = 0;
  std::atomic<bool> failed{false};
  std::deque<CellOutcome> local;  // outcomes of rank 0's own thread, not yet recorded
  bool local_finished = false;
  std::exception_ptr error;

  auto take = [&](std::size_t* id) {
    std::lock_guard<std::mutex> lock(mutex);
    if (stop.load() || failed.load() || next >= ids.size()) return false;
    *id = ids[next++];
    return true;
  };
  std::thread worker([&] {
    for (std::size_t id; take(&id);) {
      CellOutcome outcome = job(id);
      std::lock_guard<std::mutex> lock(mutex);
      local.push_back(std::move(outcome));
    }
    std::lock_guard<std::mutex> lock(mutex);
    local_finished = true;
  });

  auto record = [&](CellOutcome&& outcome) {
    if (failed.load()) return;
    try {
      done(std::move(outcome));
    } catch (...) {
      error = std::current_exception();
      failed = true;
    }
  };

  int stopped = 0;  // computing ranks told to stop
  std::chrono::steady_clock::time_point stop_seen{};
  bool stopping = false;
  for (;;) {
    bool worked = false, finished_here = false;
    for (;;) {  // rank 0's own outcomes
      CellOutcome outcome;
      {
        std::lock_guard<std::mutex> lock(mutex);
        finished_here = local_finished;
        if (local.empty()) break;
        outcome = std::move(local.front());
        local.pop_front();
      }
      record(std::move(outcome));
      worked = true;
    }
    if (finished_here && stopped == size_ - 1) {
      bool empty;
      {
        std::lock_guard<std::mutex> lock(mutex);
        empty = local.empty();
      }
      if (empty) break;
      continue;
    }
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) {
      worked = true;
      const std::string bytes = receive_bytes(status);
      if (status.MPI_TAG == kResult) {
        CellOutcome outcome;
        try {
          outcome = unpack_outcome(bytes);
        } catch (...) {
          if (!error) error = std::current_exception();
          failed = true;
        }
        record(std::move(outcome));
      }
      std::size_t id = 0;
      if (take(&id)) {
        const std::uint64_t wire = id;
        MPI_Send(&wire, 1, MPI_UINT64_T, status.MPI_SOURCE, kWork, MPI_COMM_WORLD);
      } else {
        MPI_Send(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kStop, MPI_COMM_WORLD);
        ++stopped;
      }
    }
    if ((stop.load() || failed.load()) && !stopping) {
      stopping = true;
      stop_seen = std::chrono::steady_clock::now();
    }
    if (stopping && seconds_since(stop_seen) > kStopGraceSeconds) {
      // Some rank did not answer: it died or hangs. What arrived is recorded;
      // the caller writes the table, then the job is aborted at exit.
      // (rank 0's own thread sees the stop too and finishes or abandons its cell).
      g_phase = Phase::kAbandon;
      break;
    }
    if (!worked) std::this_thread::sleep_for(kPoll);
  }
  worker.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace waddington::sweep

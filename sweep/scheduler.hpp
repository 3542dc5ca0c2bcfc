#pragma once
// Where a sweep's cells run. Callers hand a scheduler a list of cell ids, a
// job that computes one cell and a callback that records one outcome; they
// never see threads or processes. The thread pool is here; the MPI back end
// (sweep_mpi/mpi_scheduler.hpp, optional) implements the same interface: the
// coordinating rank deals out ids and calls `done`, the other ranks call `job`
// (every rank builds the same job from the same command line) and send back
// the CellOutcome, which is plain data for that reason.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sweep/task.hpp"

namespace waddington::sweep {

// One cell's outcome as plain data.
struct CellOutcome {
  std::size_t id = 0;
  CellStatus status = CellStatus::kPending;  // kPending: abandoned
  std::vector<double> values;                // in Task::results order
  std::string message;
  double seconds = 0;
};

// Computes one cell; must not throw.
using CellJob = std::function<CellOutcome(std::size_t id)>;
// Records one outcome; the scheduler never calls it concurrently. If it throws,
// the scheduler starts no further job, waits for the running ones and rethrows.
using CellDone = std::function<void(CellOutcome&&)>;

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs job(id) for every id (in order of the list as far as workers allow)
  // and calls done() with each outcome. Once `stop` is true no new job starts;
  // returns when every started job has reported.
  virtual void run(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
                   const std::atomic<bool>& stop) = 0;
  // How many cells run at once.
  virtual int workers() const = 0;
  // False on the ranks of a distributed back end that only compute: they must
  // not write the results.
  virtual bool coordinator() const { return true; }
  virtual std::string name() const = 0;
};

// `threads` worker threads in this process, each running one cell at a time.
class ThreadPoolScheduler final : public Scheduler {
 public:
  explicit ThreadPoolScheduler(int threads);
  void run(const std::vector<std::size_t>& ids, const CellJob& job, const CellDone& done,
           const std::atomic<bool>& stop) override;
  int workers() const override { return threads_; }
  std::string name() const override { return "threads"; }

 private:
  int threads_;
};

struct SchedulerOptions {
  std::string kind = "threads";  // the only kind today
  int threads = 0;               // 0: the machine's hardware threads
  bool IsValid(std::string* why) const;
};

// Throws InputError for an unknown kind or a bad thread count.
std::unique_ptr<Scheduler> make_scheduler(const SchedulerOptions& options);

}  // namespace waddington::sweep

#pragma once
// The sweep engine: runs a task on every cell of a grid through a scheduler,
// keeps the results in OUT (sweep.json, sweep.csv, cells/<id>/, see store.hpp),
// resumes a sweep that was stopped, and stops cleanly when asked.
//
//   Grid grid = Grid::Parse({"n=1:60:1", "Tr=0.5:1.5:0.05"});
//   ThreadPoolScheduler pool(2);
//   SweepSummary s = run_sweep(grid, task, pool, {.out = "dir"});
//
// Knows nothing of Hopfield networks, never prints: progress goes to a callback.
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sweep/grid.hpp"
#include "sweep/scheduler.hpp"
#include "sweep/store.hpp"
#include "sweep/task.hpp"

namespace waddington::sweep {

struct Progress {
  std::size_t total = 0;     // cells in the grid
  std::size_t resumed = 0;   // finished by an earlier run, skipped
  std::size_t to_run = 0;    // cells this run set out to compute
  std::size_t done = 0;      // of those, finished (ok or failed)
  std::size_t failed = 0;    // of those, failed
  double elapsed_seconds = 0;
  double eta_seconds = -1;   // remaining wall time at the pace so far; -1 before the first cell
};

struct SweepOptions {
  // Output directory (see store.hpp). Required.
  std::filesystem::path out;
  // sweep.csv is rewritten after a cell finishes when at least this many
  // seconds passed since the last write, and always at the end. 0 writes after
  // every cell (a large grid of fast cells then spends its time writing).
  double flush_seconds = 1.0;
  // When set and true, no new cell starts; running cells are told through
  // CellContext::stop_requested() and either finish or are abandoned (stay
  // pending). The table is then written whole. E.g. an InterruptGuard's flag.
  const std::atomic<bool>* stop = nullptr;
  // Called after every finished cell (never concurrently) and once at the start.
  std::function<void(const Progress&)> on_progress;

  bool IsValid(std::string* why) const;
};

enum class SweepTermination {
  kNotRun,
  kCompleted,    // every cell finished (ok or failed)
  kInterrupted,  // stopped on request; pending cells remain, a rerun resumes
};
std::string ToString(SweepTermination termination);

struct SweepSummary {
  SweepTermination termination = SweepTermination::kNotRun;
  std::size_t cells = 0, resumed = 0, ran = 0, ok = 0, failed = 0, pending = 0;
  int workers = 0;
  double seconds = 0;       // wall time of this run
  double cell_seconds = 0;  // sum of the cells' own times in this run (seconds * workers when the pool is busy)
  double all_cell_seconds = 0;  // the same over every finished cell, resumed ones included
  std::vector<CellRecord> records;  // every cell, by id, as in sweep.csv
  std::vector<std::string> failures;  // "cell 17 (n=3 Tr=0.9): message", at most 20

  // "sweep completed: 1260 cells (0 resumed, 1260 run, 0 failed) in 312.4 s on 2 workers"
  std::string BriefReport() const;
  nlohmann::json ToJson() const;  // everything but the records
};

// Throws InputError when a grid axis is not one of the task's parameters, or
// when task.check rejects a cell. Called by run_sweep before anything runs.
void check_grid(const Grid& grid, const Task& task);

// Runs the sweep. Throws InputError (bad grid, OUT holds a different sweep),
// EnvironmentError (OUT not writable); a task's failure is data in the table.
SweepSummary run_sweep(const Grid& grid, const Task& task, Scheduler& scheduler, const SweepOptions& options);

}  // namespace waddington::sweep

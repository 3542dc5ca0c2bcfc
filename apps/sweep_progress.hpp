#pragma once
// A sweep's progress on stderr: on a terminal a bar with the ETA; otherwise
// (a log file, a batch job) one line every few seconds and one at the end.
#include <chrono>
#include <memory>
#include <string>

#include "apps/progress.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {

class SweepProgress {
 public:
  explicit SweepProgress(std::string label, double line_every_seconds = 5);
  // Pass as SweepOptions::on_progress (through a lambda).
  void update(const sweep::Progress& progress);
  void finish();

 private:
  std::string label_;
  double every_;
  bool terminal_;
  std::unique_ptr<ProgressBar> bar_;
  std::chrono::steady_clock::time_point last_line_;
  bool finished_ = false;
};

// run_sweep as the CLI runs it: Ctrl-C stops it cleanly (sweep/interrupt.hpp),
// progress under `label` on stderr, sweep.csv rewritten at most every
// `flush_seconds`. Failed cells are in the summary, not printed here.
sweep::SweepSummary run_sweep_with_progress(const std::string& label, const sweep::Grid& grid, const sweep::Task& task,
                                            sweep::Scheduler& scheduler, const std::string& out, double flush_seconds);

// "1h02m", "3m12s", "42s"
std::string format_duration(double seconds);

}  // namespace waddington::app

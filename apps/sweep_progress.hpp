#pragma once
// A sweep's progress on stderr through ProgressBar (apps/progress.hpp): on a
// terminal a bar with the ETA; otherwise one line every few seconds and one at the end.
#include <chrono>
#include <memory>
#include <string>

#include "apps/progress.hpp"
#include "sweep/sweep.hpp"

namespace waddington::app {

class SweepProgress {
 public:
  explicit SweepProgress(std::string label);
  // Pass as SweepOptions::on_progress (through a lambda).
  void update(const sweep::Progress& progress);
  void finish();

 private:
  std::string label_;
  std::unique_ptr<ProgressBar> bar_;
};

// run_sweep as the CLI runs it: Ctrl-C or SIGTERM stops it cleanly (sweep/interrupt.hpp;
// the signal is in sweep::last_interrupt_signal()),
// progress under `label` on stderr, sweep.csv rewritten at most every
// `flush_seconds`. Failed cells are in the summary, not printed here.
sweep::SweepSummary run_sweep_with_progress(const std::string& label, const sweep::Grid& grid, const sweep::Task& task,
                                            sweep::Scheduler& scheduler, const std::string& out, double flush_seconds);

}  // namespace waddington::app

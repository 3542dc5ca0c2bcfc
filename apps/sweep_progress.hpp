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

// "1h02m", "3m12s", "42s"
std::string format_duration(double seconds);

}  // namespace waddington::app

#pragma once
// Progress of long work on stderr, the same for every subcommand: on a
// terminal a one-line bar redrawn in place; otherwise (a log file, a pipe,
// Jupyter, nohup, a batch job) one line every few seconds and one at the end:
//   train: 1200/3000 epochs (40%), 85.3/s, 14s elapsed, ETA 21s, cost 1.2 acc 0.93
// `waddington --quiet` (or `waddington SUBCOMMAND --quiet`) turns it off.
#include <chrono>
#include <string>

namespace waddington::app {

class ProgressBar {
 public:
  // `total` units of work called `unit` (e.g. "epochs", "cells", "%").
  ProgressBar(std::string label, long total, std::string unit = "");
  ~ProgressBar();
  // Reports `done` units finished, with a free-form status (e.g. "cost 1.2 acc 0.93").
  void update(long done, const std::string& status = "");
  // Units done before this run started (a resumed run's): left out of the rate and ETA.
  void already_done(long done) { start_done_ = done > 0 ? done : 0; }
  // Changes the total (for work whose size is known only once it reports).
  void set_total(long total) { total_ = total > 0 ? total : 1; }
  // The last line (not on a terminal) or the end of the bar; idempotent.
  void finish();
  bool active() const { return active_; }

  // Process-wide: no progress at all (--quiet).
  static bool& quiet();
  // Seconds between two lines when stderr is not a terminal (default 5).
  static double& line_every_seconds();

 private:
  void line(long done, const std::string& status, double elapsed);
  double eta_seconds(long done, double elapsed) const;
  std::string label_, unit_;
  long total_;
  bool active_, terminal_;
  bool finished_ = false;
  long last_done_ = -1;
  long start_done_ = 0;  // units done before this run (already_done)
  std::string last_status_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// "1h02m", "3m12s", "42s"
std::string format_duration(double seconds);

}  // namespace waddington::app

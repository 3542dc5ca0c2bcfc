#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <chrono>
#include <string>

namespace waddington::app {

class ProgressBar {
 public:
  // `total` units of work; `label` is printed before the bar.
  ProgressBar(std::string label, long total);
  ~ProgressBar();
  // Reports `done` units finished, with a free-form status (e.g. "cost 1.2 acc 0.93").
  void update(long done, const std::string& status = "");
  void finish();
  bool active() const { return active_; }

 private:
  std::string label_;
  long total_;
  bool active_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace waddington::app

#include "apps/sweep_progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "sweep/interrupt.hpp"

namespace waddington::app {

std::string format_duration(double seconds) {
  if (!(seconds >= 0)) return "?";
  const long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

SweepProgress::SweepProgress(std::string label, double line_every_seconds)
    : label_(std::move(label)), every_(line_every_seconds), terminal_(::isatty(STDERR_FILENO) == 1),
      last_line_(std::chrono::steady_clock::now()) {}

void SweepProgress::update(const sweep::Progress& p) {
  if (p.to_run == 0) return;  // everything was resumed
  const std::string status = fmt::format("{} failed, {} resumed", p.failed, p.resumed);
  if (terminal_) {
    if (!bar_) bar_ = std::make_unique<ProgressBar>(label_, long(p.to_run));
    bar_->update(long(p.done), status);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (p.done < p.to_run && std::chrono::duration<double>(now - last_line_).count() < every_) return;
  last_line_ = now;
  std::fprintf(stderr, "%s: %zu/%zu cells (%s), %s elapsed, ETA %s\n", label_.c_str(), p.done, p.to_run,
               status.c_str(), format_duration(p.elapsed_seconds).c_str(),
               p.eta_seconds < 0 ? "?" : format_duration(p.eta_seconds).c_str());
}

void SweepProgress::finish() {
  if (finished_) return;
  finished_ = true;
  if (bar_) bar_->finish();
}

sweep::SweepSummary run_sweep_with_progress(const std::string& label, const sweep::Grid& grid, const sweep::Task& task,
                                            sweep::Scheduler& scheduler, const std::string& out, double flush_seconds) {
  sweep::InterruptGuard interrupt;
  SweepProgress progress(label);
  sweep::SweepOptions options;
  options.out = out;
  options.flush_seconds = flush_seconds;
  options.stop = &interrupt.flag();
  if (scheduler.coordinator())  // computing MPI ranks stay quiet
    options.on_progress = [&](const sweep::Progress& p) { progress.update(p); };
  const auto summary = sweep::run_sweep(grid, task, scheduler, options);
  if (scheduler.coordinator()) progress.finish();
  return summary;
}

}  // namespace waddington::app

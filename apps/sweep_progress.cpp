#include "apps/sweep_progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "sweep/interrupt.hpp"

namespace waddington::app {

SweepProgress::SweepProgress(std::string label) : label_(std::move(label)) {}

void SweepProgress::update(const sweep::Progress& p) {
  if (p.to_run == 0) return;  // everything was resumed
  if (!bar_) bar_ = std::make_unique<ProgressBar>(label_, long(p.to_run), "cells");
  bar_->update(long(p.done), fmt::format("{} failed, {} resumed", p.failed, p.resumed));
}

void SweepProgress::finish() {
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

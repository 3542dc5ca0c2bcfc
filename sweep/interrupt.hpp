#pragma once
// Ctrl-C for long sweeps: while an InterruptGuard lives, the first SIGINT or
// SIGTERM only sets a flag (pass it as SweepOptions::stop) so the sweep can
// write a consistent table and the program can exit with 130; a second one
// kills the process as usual. One guard at a time.
#include <atomic>

namespace waddington::sweep {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  const std::atomic<bool>& flag() const;
  bool interrupted() const { return flag().load(); }
  // The signal that set the flag (SIGINT, SIGTERM), or 0.
  int signal_number() const;
};

// The signal that stopped the last guarded run (SIGINT, SIGTERM), or 0; kept
// after the guard is gone, for the exit status.
int last_interrupt_signal();

}  // namespace waddington::sweep

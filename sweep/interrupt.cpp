#include "sweep/interrupt.hpp"

#include <csignal>
#include <stdexcept>

namespace waddington::sweep {
namespace {

std::atomic<bool> g_flag{false};
volatile std::sig_atomic_t g_signal = 0;
std::atomic<bool> g_active{false};
struct sigaction g_old_int, g_old_term;

extern "C" void on_signal(int signal) {
  g_signal = signal;
  g_flag.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_active.exchange(true)) throw std::logic_error("only one InterruptGuard at a time");
  g_flag = false;
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second signal gets the default action
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  g_active = false;
}

const std::atomic<bool>& InterruptGuard::flag() const { return g_flag; }

int InterruptGuard::signal_number() const { return int(g_signal); }

int last_interrupt_signal() { return int(g_signal); }

}  // namespace waddington::sweep

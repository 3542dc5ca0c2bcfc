#pragma once
// Exceptions are for bad input and a broken environment (STYLE.md); failure to
// converge is data in a Summary/Result, never an exception.
#include <stdexcept>
#include <string>

namespace waddington {

// Bad user input: a malformed file, an out-of-range option. The CLI prints the
// message on one line and exits with status 2.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The environment failed us: a file cannot be written, gnuplot is missing. Exit status 3.
struct EnvironmentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The computation ran but its result is incomplete (a branch did not converge,
// a window with no equilibrium): the outputs were written and say so, the
// warnings were printed. Exit status 1.
struct IncompleteResult : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The user stopped the run (Ctrl-C, SIGTERM) and what was finished was written
// consistently; a rerun resumes where supported. Exit status 128 + the signal
// (130 for SIGINT, 143 for SIGTERM).
struct Interrupted : std::runtime_error {
  explicit Interrupted(const std::string& what, int signal_number = 2)
      : std::runtime_error(what), signal(signal_number) {}
  int signal;
};

}  // namespace waddington

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

// The user stopped the run (Ctrl-C) and what was finished was written
// consistently; a rerun resumes where supported. Exit status 130.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace waddington

#pragma once
// Problems found while reading an input file that do not stop the read (bytes
// after an .npy array, which NumPy itself tolerates), kept for the program to
// show. The readers (lib/npy.cpp) note them here as well as in their result, so
// that every caller of every reader passes them on, however deep the read is
// (a training set, a saved run, a sweep's cells); the library never prints.
// Each distinct warning is kept once per process: a file read by every cell of
// a sweep is reported once. Thread-safe.
#include <string>
#include <vector>

namespace waddington {

// Records `warning` (one line, file content already escaped) unless it was noted before.
void note_read_warning(const std::string& warning);

// The warnings noted since the last call, in the order noted; each is returned once.
std::vector<std::string> take_read_warnings();

}  // namespace waddington

#pragma once
// Where the shared data sets live (paper200/, mnist/): one lookup for every
// command and library that falls back to them.
#include <string>

namespace waddington {

// $WADDINGTON_DATA when set and non-empty, else ../shared/data relative to the
// project root (the source tree this binary was built from).
std::string data_dir();

}  // namespace waddington

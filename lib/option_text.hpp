#pragma once
// The texts of the command-line vocabulary that every front end parses the
// same way (the CLI's apps/vocabulary.hpp and the Python module): a window
// "A:B" and a point "ALPHA,ELL". Errors are one-line InputErrors naming the option.
#include <string>
#include <utility>

namespace waddington {

// "A:B" as the closed window [A, B] (finite, A < B). Throws InputError naming `option`.
std::pair<double, double> parse_window(const std::string& text, const char* option);

// "ALPHA,ELL" (two finite numbers). Throws InputError naming `option`.
std::pair<double, double> parse_point(const std::string& text, const char* option);

}  // namespace waddington

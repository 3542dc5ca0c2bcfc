#include "lib/option_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "lib/errors.hpp"

namespace waddington {
namespace {

// Two finite numbers separated by `sep`, or nothing.
bool parse_two(const std::string& text, char sep, double* a, double* b) {
  const auto at = text.find(sep);
  if (at == std::string::npos || text.find(sep, at + 1) != std::string::npos) return false;
  const std::string first = text.substr(0, at), second = text.substr(at + 1);
  try {
    std::size_t used_a = 0, used_b = 0;
    *a = std::stod(first, &used_a), *b = std::stod(second, &used_b);
    return used_a == first.size() && used_b == second.size() && std::isfinite(*a) && std::isfinite(*b);
  } catch (const std::logic_error&) {
    return false;
  }
}

}  // namespace

std::pair<double, double> parse_window(const std::string& text, const char* option) {
  double lo = 0, hi = 0;
  if (!parse_two(text, ':', &lo, &hi)) throw InputError(fmt::format("{} '{}': expected A:B with two numbers", option, text));
  if (!(lo < hi)) throw InputError(fmt::format("{} {}: empty or inverted window (need A < B)", option, text));
  return {lo, hi};
}

std::pair<double, double> parse_point(const std::string& text, const char* option) {
  double alpha = 0, ell = 0;
  if (!parse_two(text, ',', &alpha, &ell))
    throw InputError(fmt::format("{} '{}': expected ALPHA,ELL (two numbers)", option, text));
  return {alpha, ell};
}

}  // namespace waddington

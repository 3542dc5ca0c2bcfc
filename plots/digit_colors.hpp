#pragma once
// One colour per digit 0-9 (matplotlib's tab10), shared by the learning-dynamics plots.
#include <string>

namespace waddington::plots {

inline std::string digit_color(int digit) {
  static const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kColors[((digit % 10) + 10) % 10];
}

}  // namespace waddington::plots

#pragma once
// The paper's Figure 6E-F from plain data: a heat map of a memory's dominant
// alpha over (n, T_r), the analytic transition line T_r*(n) drawn over it
// (white on black), and the measured switch points. One panel per memory.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace waddington::plots {

struct HeatCell {
  double n = 0, Tr = 0, value = 0;  // one grid cell; NaN values are left blank
};

struct TransitionPanel {
  std::string title;
  std::vector<HeatCell> cells;                    // any rectangular grid (spacing may vary)
  std::vector<std::pair<double, double>> line;     // (n, T_r*) of the analytic line, in order of n
  std::vector<std::pair<double, double>> switches;  // (n, T_r switch) measured
  std::vector<std::pair<double, double>> zeros;     // (n, T_r) where a second measure crosses zero (optional)
  std::string zeros_title;                          // its key entry
};

struct TransitionPlotData {
  std::string title;
  std::string value_label = "dominant alpha";
  double threshold = 0.75;  // marked on the colour bar
  std::vector<TransitionPanel> panels;
};

// Throws InputError for an unsupported extension, EnvironmentError if gnuplot fails.
void plot_transition_map(const std::filesystem::path& output, const TransitionPlotData& data);

}  // namespace waddington::plots

#pragma once
// The paper's Figure 4 (left) from plain data: each memory's trajectory over
// the saved epochs in the alphabar coordinates of three digits (docs/model.md
// §1.2), coloured by the digit the memory ends as.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace waddington::plots {

struct AlphabarTrajectory {
  int final_digit = 0;                        // colours the curve
  std::vector<std::array<double, 3>> points;  // (alphabar_a, alphabar_b, alphabar_c) per saved epoch, in order
};

struct AlphabarTrajectoriesData {
  std::string title;
  std::array<int, 3> digits{};                // the three coordinates' digits a, b, c
  std::vector<AlphabarTrajectory> memories;
  std::vector<std::array<double, 3>> split_points;  // where splits happened (mean alphabar of the parent), optional
};

// Throws InputError for an unsupported extension, EnvironmentError if gnuplot fails.
void plot_alphabar_trajectories(const std::filesystem::path& output, const AlphabarTrajectoriesData& data);

}  // namespace waddington::plots

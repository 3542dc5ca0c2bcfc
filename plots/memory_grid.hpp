#pragma once
// Pictures of memories (the paper's Figures 1B, 3B): K memories as a grid of
// side x side images on a diverging blue-white-red colour map centred on 0,
// each tile labelled with its dominant digit; one frame per picture, or an
// animated GIF of several frames.
#include <Eigen/Dense>

#include <filesystem>
#include <string>
#include <vector>

namespace waddington::plots {

struct MemoryGridFrame {
  std::string title;
  Eigen::MatrixXd memories;     // K x N, N = side^2, rows drawn in the order given
  std::vector<int> tile_labels; // K: the digit written on each tile (negative: none)
  // The plain data file (the canvas as a gnuplot matrix, NaN between tiles)
  // that the script reads; empty: OUTPUT.dat, or OUTPUT-stem_frame<i>.dat for a GIF.
  // Frames of a GIF may name the files of earlier single pictures (rewritten, same content).
  std::filesystem::path data_file;
};

struct MemoryGridOptions {
  int columns = 0;        // tiles per row; 0: about sqrt(K)
  double limit = 0;       // colour range [-limit, limit]; 0: the largest |entry| of all frames (at least 1e-12)
  int tile_pixels = 60;   // on-screen size of one tile
};

// One picture (.png, .svg, .pdf) of one frame, or an animated .gif with every
// frame. Throws InputError for an unsupported extension, no frame, frames of
// different shapes, or N not a perfect square; EnvironmentError if gnuplot fails.
void plot_memory_grid(const std::filesystem::path& output, const std::vector<MemoryGridFrame>& frames,
                      const MemoryGridOptions& options = {});

}  // namespace waddington::plots

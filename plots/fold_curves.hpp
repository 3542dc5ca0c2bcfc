#pragma once
// Saddle-node (fold) curves in the (n, T_r) plane from plain data, with the
// regions labelled by their number of stable equilibria and, optionally, the
// brute-force count of stable equilibria as a background map.
#include <filesystem>
#include <string>
#include <vector>

#include "plots/gnuplot.hpp"

namespace waddington::plots {

struct PlanePoint {
  double n = 0, Tr = 0;
};

// A labelled point: a special point (cusp, boundary exit) or a region label.
struct PlaneLabel {
  double n = 0, Tr = 0;
  std::string text;
};

// One cell of the background map: the number of stable equilibria at (n, Tr).
struct CountCell {
  double n = 0, Tr = 0;
  int stable_count = 0;
};

struct FoldCurvePlotData {
  std::string title;
  double n_min = 0, n_max = 1, Tr_min = 0, Tr_max = 1;
  std::vector<std::vector<PlanePoint>> curves;  // fold curves, each an ordered polyline
  std::vector<PlaneLabel> cusps;                // drawn as markers
  std::vector<PlaneLabel> exits;                // where a curve leaves the window or meets a boundary
  std::vector<PlaneLabel> regions;              // region labels ("2 stable: bistable")
  std::vector<CountCell> background;            // optional count map on a regular grid
  std::vector<double> reference_Tr;             // horizontal dotted lines (e.g. 0.893, 0.957)
};

// Throws InputError for an unsupported extension, EnvironmentError if gnuplot fails.
// The script behind the picture: data blocks "counts" ("n Tr count", the
// region map; drawn in one flat colour per count with a key entry per count),
// "folds", "cusps", "exits".
PlotScript fold_curves_script(const FoldCurvePlotData& data);

void plot_fold_curves(const std::filesystem::path& output, const FoldCurvePlotData& data);

}  // namespace waddington::plots

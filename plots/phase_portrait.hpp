#pragma once
// The phase portrait of the reduced two-memory flow (the paper's Figure 5B-D)
// from plain data: nullclines (memory purple, label orange), flow lines and
// direction arrows, fixed points coloured by stability, optional
// trajectories, and optionally the memory image of each fixed point. Axes:
// ell horizontally, alpha vertically.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "plots/gnuplot.hpp"

namespace waddington::plots {

using Curve = std::vector<std::array<double, 2>>;  // points (alpha, ell)

struct PortraitFixedPoint {
  double alpha = 0, ell = 0;
  std::string stability;  // "stable", "unstable" or "saddle"
  std::string label;      // shown next to the point (may be empty)
  // Optional memory picture (side x side values in [-1, 1], row-major).
  std::vector<double> image;
  int side = 0;
};

struct PhasePortraitData {
  std::string title;
  double alpha_min = 0, alpha_max = 1;
  std::vector<Curve> memory_nullclines, label_nullclines;
  std::vector<Curve> flow_lines;
  std::vector<std::array<double, 4>> arrows;  // alpha, ell, dalpha, dell (any length; drawn normalised)
  std::vector<Curve> trajectories;              // one curve per memory per trajectory, in time order
  std::vector<std::string> trajectory_titles;   // legend entry of each curve (default "trajectory i")
  std::vector<PortraitFixedPoint> fixed_points;
  std::vector<std::array<double, 2>> dead_regions;  // alpha intervals (all ell)
};

// The script behind the picture. Data blocks: "memory", "label", "flow"
// (curves as "ell alpha", blank lines between curves), "traj" (one gnuplot
// index per trajectory curve), "traj_start" and "traj_end" ("ell alpha curve"
// of each curve's first and last point), "traj_arrows" ("ell alpha dell dalpha
// curve": arrows of time at a quarter, half and three quarters of each
// curve's length), "arrows", "fp_stable"/"fp_saddle"/"fp_unstable" ("alpha
// ell"), "fp_labels", "img<i>". Dead regions are rectangles with a key entry.
PlotScript phase_portrait_script(const PhasePortraitData& data);

// Renders to .png/.svg/.pdf through plots::render (script kept as OUTPUT.gp).
void render_phase_portrait(const std::filesystem::path& output, const PhasePortraitData& data);

}  // namespace waddington::plots

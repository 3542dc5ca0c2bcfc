#pragma once
// `--plot` of the reduced-model commands (fixed-points, nullclines,
// trajectory, phase-portrait): the library's phase portrait
// (reduced_models/portrait.hpp) drawn by plots/phase_portrait.hpp.
#include <string>
#include <vector>

#include "reduced_models/portrait.hpp"

namespace waddington::app {

// Computes the portrait of `setup` with these fixed points and trajectories
// and renders it to `file` (.png/.svg/.pdf). `names`: the legend name of each
// trajectory (default "trajectory i"); a trajectory of K memories is drawn as
// K curves "<name>, memory mu".
void plot_phase_portrait(const std::string& file, const reduced::TwoMemorySetup& setup,
                         const std::vector<reduced::FixedPoint>& fixed_points,
                         const std::vector<reduced::TrajectoryResult>& trajectories,
                         const reduced::PortraitOptions& options, const std::vector<std::string>& names = {});

}  // namespace waddington::app

#pragma once
// The data of a phase portrait of the reduced two-memory flow (docs/model.md §2;
// the paper's Figure 5B-D) in a window of alpha: the nullclines, flow lines,
// the velocity field on a grid, trajectories, and the fixed points inside the
// window, each with the memory picture alpha A + alpha_B B when the samples
// are known. Plain data: plots/phase_portrait.hpp draws it.
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/nullclines.hpp"
#include "reduced_models/setup.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::reduced {

struct PortraitOptions {
  // The window of alpha (ell always spans [-1, 1]).
  double alpha_min = 0, alpha_max = 1;
  // Grid cells per axis of the nullclines.
  int nullcline_cells = 300;
  // Flow lines started per axis; 0 computes neither flow lines nor the velocity field.
  int flow_starts = 9;
  // Velocity arrows per axis.
  int arrow_cells = 16;

  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

// The velocity (dalpha/dt, dell/dt) at one point of the grid.
struct VelocityArrow {
  double alpha = 0, ell = 0, dalpha = 0, dell = 0;
};

struct PortraitFixedPoint {
  double alpha = 0, alpha_B = 0, ell = 0;
  Stability stability = Stability::kSaddle;
  // The memory alpha A + alpha_B B as a side x side picture (row-major);
  // empty without samples or when they are not square images.
  std::vector<double> image;
  int side = 0;
};

struct PhasePortrait {
  PortraitOptions options;
  Nullclines nullclines;
  std::vector<std::vector<Eigen::Vector2d>> flow_lines;  // points (alpha, ell)
  std::vector<VelocityArrow> velocity_field;
  // The path (alpha_mu, ell_mu) of every memory mu of every trajectory, in
  // order: one curve for the two-memory flow, K for the K-memory flow.
  std::vector<std::vector<Eigen::Vector2d>> trajectories;
  std::vector<PortraitFixedPoint> fixed_points;  // those inside the window, in the given order
};

// The portrait of setup.parameters' chart with the given fixed points and
// trajectories (computed by the caller, e.g. find_fixed_points and
// integrate_two_memory). Throws InputError when the options are invalid.
PhasePortrait phase_portrait(const TwoMemorySetup& setup, const std::vector<FixedPoint>& fixed_points,
                             const std::vector<TrajectoryResult>& trajectories, const PortraitOptions& options = {});

}  // namespace waddington::reduced

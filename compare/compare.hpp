#pragma once
// Reduced vs full (the paper's Figure 5C-D): the full trainer with two
// memories on the two samples (compare/full_pair.hpp) and the reduced
// (alpha, ell) flow (docs/model.md §2, reduced_models/trajectory.hpp) from the same
// start, epoch by epoch, time = epochs x rate.
//
// Start: both memories on the symmetric manifold at (alpha, ell), then the
// symmetry-breaking perturbation of size EPS = `split`: memory 1 at
// alpha + EPS/2, memory 2 at alpha - EPS/2 (same label ell, same chart), so
// |alpha_1 - alpha_2| = EPS at epoch 0. EPS = 0 keeps the memories identical
// (the full network then stays on the symmetric subspace to rounding).
// The full state is read every epoch as the mean of the two memories'
// projections (alpha = M X^+, ell = l_a); split = |alpha_1 - alpha_2|.
// Split epoch: the first epoch at which split >= split_threshold (default
// 0.01); the deviations are maxima over the epochs before it (all epochs
// when the memories never split).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/portrait.hpp"
#include "reduced_models/setup.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::compare {

struct CompareOptions {
  double alpha = 0.45, ell = 0.0;  // the symmetric start
  double split = 1e-6;             // EPS, the symmetry-breaking perturbation
  int epochs = 10000;
  double rate = 0.005;
  double split_threshold = 0.01;
  // Tolerances of the reduced integration (sampled every epoch).
  double absolute_tolerance = 1e-10, relative_tolerance = 1e-8;
  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

struct CompareRow {
  int epoch = 0;
  double alpha_full = 0, ell_full = 0;  // mean of the two memories
  double alpha_reduced = 0, ell_reduced = 0;
  double split = 0;                     // |alpha_1 - alpha_2|
  double alpha_1 = 0, ell_1 = 0, alpha_2 = 0, ell_2 = 0;
  double off_model = 0;  // max over memories of |l_b + ell|, |l_gamma + 1|, |rowmax|M| - 1|, |alpha_B - s(1-|alpha|)|
};

// The fixed point of the reduced flow nearest to a state (max-norm in (alpha, ell)).
struct NearestFixedPoint {
  bool found = false;
  int index = -1;
  double alpha = 0, ell = 0, distance = 0;
  reduced::Stability stability = reduced::Stability::kSaddle;
  nlohmann::json ToJson() const;
};

struct CompareResult {
  CompareOptions options;
  std::vector<CompareRow> rows;  // epochs 0..epochs
  int split_epoch = -1;          // -1: split stayed below the threshold
  double max_split = 0;
  // Before the split: max |alpha_full - alpha_reduced|, max |ell_full - ell_reduced|, and their epochs.
  double max_deviation_alpha = 0, max_deviation_ell = 0;
  int max_deviation_alpha_epoch = 0, max_deviation_ell_epoch = 0;
  double max_off_model = 0;  // max of CompareRow::off_model before the split
  reduced::FixedPointSummary fixed_points;
  NearestFixedPoint full_end, full_end_1, full_end_2, reduced_end;
  reduced::TrajectoryResult reduced_trajectory;  // as integrated (for plots)
  double full_seconds = 0, reduced_seconds = 0;

  std::string BriefReport() const;
  nlohmann::json ToJson() const;  // summary (not the rows)
};

// Runs both. The setup needs the samples (--images, --pair); its
// identical_memories is set to 2 for the reduced flow. Throws InputError.
CompareResult compare_reduced_full(const reduced::TwoMemorySetup& setup, const CompareOptions& options);

// What a phase-portrait plot of a comparison shows besides the reduced path:
// the setup with two identical memories, the full network as a two-memory
// trajectory (state alpha_1, ell_1, alpha_2, ell_2 at time epoch x rate), and
// an alpha window holding both paths (0.05 margin, within [-1, 1]; at least
// [0, 1]) without flow lines.
struct ComparePortrait {
  reduced::TwoMemorySetup setup;
  reduced::TrajectoryResult full;
  reduced::PortraitOptions options;
};
ComparePortrait compare_portrait(const reduced::TwoMemorySetup& setup, const CompareResult& result);

NearestFixedPoint nearest_fixed_point(const std::vector<reduced::FixedPoint>& points, double alpha, double ell);

}  // namespace waddington::compare

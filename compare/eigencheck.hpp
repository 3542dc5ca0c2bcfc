#pragma once
// Eigenvalues against trajectories: for each fixed point of the reduced flow
// at (n, T), trajectories started along each eigenvector at distance
// `distance` (both signs), the exponential rate fitted to their log-distance
// from the fixed point, against the eigenvalue.
//
//  - source "reduced": the (alpha, ell) flow (docs/model.md §2) integrated by
//    odeint (reduced_models/trajectory.hpp) from x* +- distance v, v the unit
//    eigenvector; for a boundary point (ell = +-1, label clipped) only the
//    direction along the bound (eigenvalue 0; the other is -infinity).
//    With `splitting`, also the K = 2 flow (docs/model.md §2.2) from memories at
//    x* +- distance w (w a unit eigenvector of the antisymmetric Jacobian),
//    direction "split<i>": the distance is |x_1 - x_2| / 2 in (alpha, ell).
//  - source "full" (`full`): the same starts in the full network with two
//    memories (compare/full_pair.hpp), projected every epoch; symmetric
//    directions measure the mean of the two memories, split directions
//    |x_1 - x_2| / 2; time = epochs x rate. The trainer is a discrete map: its
//    per-epoch multiplier is ~ 1 + lambda rate, so |lambda| rate must be small
//    for the fit to approach lambda.
//
// Fit: log d(t) = c + r t by Ceres least squares over the window 0 <= t <=
// window_decades / max(|lambda|, mu) (default 3: the distance changes by up
// to e^3 ~ 20), mu the largest positive eigenvalue of the system integrated
// (the point's eigenvalues; for split directions also the antisymmetric ones)
// so that no faster-growing mode takes over the window,
// `fit_samples` samples evenly spread. Complex eigenvalues: the real part
// against the fit along Re(v) (the log-distance oscillates; flagged).
// rel_error = |fitted - lambda| / |lambda|.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/setup.hpp"

namespace waddington::compare {

struct EigencheckOptions {
  double distance = 1e-6;       // start distance (reduced flow)
  double full_distance = 1e-4;  // start distance (full network: well above its rounding)
  double window_decades = 3;    // fit window: |lambda| t <= this
  int fit_samples = 60;
  bool splitting = true;        // the K = 2 splitting eigenvalues too
  bool full = false;
  double rate = 0.005;
  int max_full_epochs = 200000;
  double absolute_tolerance = 1e-15, relative_tolerance = 1e-12;
  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const;
};

struct EigencheckRow {
  int point = 0;
  double alpha = 0, ell = 0;
  reduced::Stability stability = reduced::Stability::kSaddle;
  std::string direction;  // "v0+", "v1-", "split0+", ...
  double eigenvalue = 0;  // real part
  double fitted_rate = 0, rel_error = 0;
  std::string source;     // "reduced" or "full"
  double window = 0;      // fit window in time units
  int samples = 0;
  std::string note;       // "complex", "window < 5 epochs", "left the chart", ...
};

struct EigencheckResult {
  EigencheckOptions options;
  reduced::FixedPointSummary fixed_points;
  std::vector<EigencheckRow> rows;
  double max_rel_error_reduced = 0, max_rel_error_full = 0;
  double seconds = 0;
  std::string csv() const;
  std::string table() const;
  nlohmann::json ToJson() const;
};

// Fits log d = c + r t (Ceres); returns r. Needs at least two samples with d > 0.
double fit_exponential_rate(const std::vector<double>& t, const std::vector<double>& d);

// Throws InputError. `full` needs the samples in the setup.
EigencheckResult eigencheck(const reduced::TwoMemorySetup& setup, const EigencheckOptions& options);

}  // namespace waddington::compare

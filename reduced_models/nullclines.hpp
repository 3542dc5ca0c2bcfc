#pragma once
// Nullclines of the reduced two-memory flow (docs/model.md §2) as ordered
// polylines: marching squares on the numerators F_1 (memory, dalpha/dt = 0)
// and F_2 = D_ell (label, dell/dt = 0), segments chained into curves. The
// label nullcline also has branches ON the bounds ell = +-1 wherever the
// clipped label is held there (D_ell pointing outward).
#include <Eigen/Core>

#include <string>
#include <vector>

#include "reduced_models/equilibrium.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

struct NullclineOptions {
  double alpha_min = -1, alpha_max = 1;
  // Grid cells per axis (ell always spans [-1, 1]).
  int alpha_cells = 300, ell_cells = 300;
  // Include the label-nullcline branches on ell = +-1.
  bool bound_branches = true;
  bool IsValid(std::string* why) const;
};

// An ordered curve of points (alpha, ell); closed when front() == back().
struct Polyline {
  std::vector<Eigen::Vector2d> points;
  bool on_bound = false;  // a label branch lying on ell = +-1
};

struct Nullclines {
  std::vector<Polyline> memory;  // dalpha/dt = 0
  std::vector<Polyline> label;   // dell/dt = 0
  std::vector<DeadRegion> dead_regions;
};

Nullclines compute_nullclines(const TwoMemoryParameters& p, const NullclineOptions& options = {});

// Chains the zero set of the grid values `f` (rows: alpha nodes, columns: ell
// nodes; cells with a `dead` corner are skipped) into polylines.
std::vector<Polyline> zero_contours(const Eigen::VectorXd& alpha, const Eigen::VectorXd& ell,
                                    const Eigen::MatrixXd& f,
                                    const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>& dead);

}  // namespace waddington::reduced

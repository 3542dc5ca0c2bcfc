#pragma once
// The numerators F_1, F_2 of the reduced flow (docs/model.md §2) on a regular
// (alpha, ell) grid, in their scaled form (log_numerators.hpp), with the
// per-alpha part computed once per grid column. Shared by the nullclines and
// the brute-force equilibrium finder; depends on the model only.
#include <Eigen/Core>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// F(i, j) at (alpha_i, ell_j) on (alpha_cells+1) x (ell_cells+1) nodes; ell
// spans [-1, 1]. Dead nodes (xA = xB = 0) are flagged, with F = 0 there.
struct NumeratorGrid {
  Eigen::VectorXd alpha, ell;
  Eigen::MatrixXd F1, F2;  // rows: alpha index, columns: ell index
  Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> dead;
};

NumeratorGrid evaluate_numerator_grid(const TwoMemoryParameters& p, double alpha_min, double alpha_max,
                                      int alpha_cells, int ell_cells);

}  // namespace waddington::reduced

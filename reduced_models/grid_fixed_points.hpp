#pragma once
// Brute force: the interior equilibria of the reduced flow (docs/model.md §2) as the
// cells of a fine regular (alpha, ell) grid where the two nullclines
// (marching-squares segments of F_1 = 0 and F_2 = 0) cross, optionally
// polished by plain Newton on the model's numerator residual. Shares nothing
// with find_fixed_points but the model: the tests check the solver with it,
// and `waddington continue --method grid` builds its diagram on it.
#include <string>
#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

struct GridFinderOptions {
  double alpha_min = -1, alpha_max = 1;
  int alpha_cells = 400, ell_cells = 400;
  // Polish every candidate with Newton (keeping only those that converge
  // inside their cell's neighbourhood); otherwise report cell centres.
  bool refine = true;
  bool IsValid(std::string* why) const;
};

struct GridCandidate {
  double alpha = 0, ell = 0;      // refined point, or the cell centre
  double cell_alpha = 0, cell_ell = 0;  // centre of the cell where it was detected
  bool refined = false;           // Newton converged
  double residual = 0;            // the numerator residual relative to its terms at (alpha, ell)
};

// Cells where the alpha-nullcline and the ell-nullcline cross. Dead cells are
// skipped. One candidate per crossing cell (duplicates from neighbouring cells
// merged after refinement). Interior equilibria only; validates (throws InputError).
std::vector<GridCandidate> grid_fixed_points(const TwoMemoryParameters& p, const GridFinderOptions& options = {});

}  // namespace waddington::reduced

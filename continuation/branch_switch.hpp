#pragma once
// Branch switching: the start of the other branch through a simple branch point
// found by continue_branch (pseudo_arclength.hpp).
//
// Algorithm (z = (x, p), J = [F_x | F_p] at the branch point): the kernel of J
// is 2-D there; the new direction t2 is the kernel vector orthogonal to the
// incoming tangent. Newton on [F(z); t2.(z - z_pred)] = 0 from
// z_pred = z_bp + ds t2 (that hyperplane contains the incoming tangent, so it
// meets only the new branch); the tangent at the corrected point is the kernel
// of J oriented along t2.
#include "continuation/pseudo_arclength.hpp"

namespace waddington::continuation {

// The start of the other branch through a branch point (a kBranchPoint special
// point of a result on `problem`), at distance options.ds from it. Continue it
// with direction +1 and -1 to get both halves (the -1 half crosses the branch
// point). converged = false (with a message) if no new branch was found.
BranchStart branch_switch(const Problem& problem, const SpecialPoint& branch_point,
                          const ContinuationOptions& options);

}  // namespace waddington::continuation

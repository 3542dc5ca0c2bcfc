#pragma once
// The fold-curve half of a diagram's completeness argument (docs/numerics.md §9).
//
// A pair of equilibria born at a fold and dying at another fold inside one
// interval of the count audit is invisible to counts. In the (n, T) plane,
// though, those folds lie on a fold curve, which two-parameter continuation
// follows through the whole band from any one of its points: the crossings of
// the diagram's line T = T0 by the fold curves of a band around it are the
// folds the diagram must have. A crossing without a fold seeds the equilibrium
// search just beside it (both sides, where the pair exists on one), and the
// diagram is traced again; a fold on no curve is reported as a doubt.
#include "reduced_models/bifurcation.hpp"

namespace waddington::reduced {

// The diagram in n by continuation with the count audit (detail::continuation_diagram)
// and the K = 2 splitting (add_splitting), checked against the fold curves of
// n in the window x T in T0 (1 +- options.fold_check_band), reseeded where it
// misses a crossing; its Completeness records the check. The diagram and the
// band's other seed diagrams are computed at once, and the splitting while the
// curves are traced (OpenMP; one by one inside an enclosing parallel region).
DiagramSummary checked_diagram(const TwoMemoryParameters& p, const DiagramOptions& options);

}  // namespace waddington::reduced

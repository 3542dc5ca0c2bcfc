#pragma once
// The regions of the (n, T) window cut by the fold curves (docs/numerics.md §10).
//
// The number of stable equilibria changes only across a fold curve (or a
// boundary event), so the regions of equal count are the faces of the window
// cut by the curves, not the connected components of a sampled map (which a
// thin wedge breaks into pieces and a coarse map joins across a curve). When
// every curve runs from the window's edge to its edge, each curve is a chord
// and every face touches the window's edge: the faces are found exactly by
// walking the edge, whatever the map's resolution.
#include <string>
#include <vector>

#include "reduced_models/bifurcation_folds.hpp"

namespace waddington::reduced {

struct FoldRegions {
  bool exact = false;  // the faces of the curves (false: curves end inside the window or cross)
  std::string why_not_exact;
  std::vector<RegionLabel> regions;  // one per face; stable = -1 where no count was available
  std::vector<int> node_region;      // per map node: its face (index into regions), -1 if none
  // Map nodes whose count differs from their face's (each a sentence); empty when consistent.
  std::vector<std::string> disagreements;
  int nodes_checked = 0;
};

// The faces of the window cut by s.curves, each labelled at its widest map
// node (or, for a face holding no node, at its edge point) with the count of
// its node holding one (stable >= 0) farthest from the curves, or
// `count_at(n, T)` at the label where no such node lies a map cell or more
// from the curves, and
// every map node that holds a count checked against its face.
FoldRegions fold_regions(const FoldCurveSummary& s, const std::function<RegionCell(double n, double T)>& count_at);

}  // namespace waddington::reduced

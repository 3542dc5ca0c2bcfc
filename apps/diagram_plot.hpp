#pragma once
// `--plot` of the diagram commands (continue, fold-curve): the reduced
// layer's summaries turned into the plain plot data of plots/.
#include <vector>

#include "plots/bifurcation_diagram.hpp"
#include "compare/diagram_validation.hpp"
#include "plots/fold_curves.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"
#include "reduced_models/k2_branches.hpp"

namespace waddington::app {

// Figure 5A data: every branch (stable rows marked) and special point against the continued parameter.
plots::BifurcationDiagramData diagram_data(const reduced::DiagramSummary& summary);
// The same with the validation's final full-network states as overlay crosses (none when it did not run).
plots::BifurcationDiagramData diagram_data(const reduced::DiagramSummary& summary,
                                           const compare::DiagramValidationSummary& validation);

// `data` with the asymmetric K = 2 branches drawn over it (one line per memory).
plots::BifurcationDiagramData with_split_branches(plots::BifurcationDiagramData data, const reduced::K2Summary& k2);

// The fold curves in (n, T_r), cusps, curve ends, labelled regions of the map and reference lines at `reference_Tr`.
plots::FoldCurvePlotData fold_curve_plot_data(const reduced::FoldCurveSummary& summary, const std::vector<double>& reference_Tr);

}  // namespace waddington::app

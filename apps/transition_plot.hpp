#pragma once
// `--plot` of transition-line: the measured cells and the analytic line turned
// into the plain plot data of plots/transition_map.hpp.
#include <optional>
#include <vector>

#include "compare/transition_verify.hpp"
#include "plots/transition_map.hpp"
#include "sweep/grid.hpp"
#include "sweep/store.hpp"
#include "sweep/task.hpp"

namespace waddington::app {

// One panel per memory: each cell's dominant alpha (NaN where the cell did not
// finish ok), the analytic line T_r*(n) on 401 values of n over the grid's
// range, the measured switches and (inter) the minor coefficient's zeros.
plots::TransitionPlotData transition_plot_data(const compare::TransitionExperiment& e, const compare::TransitionSummary& s,
                                               const sweep::Grid& grid, const sweep::Task& task,
                                               const std::vector<sweep::CellRecord>& records, std::optional<double> m);

}  // namespace waddington::app

#include "apps/transition_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace waddington::app {

plots::TransitionPlotData transition_plot_data(const compare::TransitionExperiment& e, const compare::TransitionSummary& s,
                                    const sweep::Grid& grid, const sweep::Task& task,
                                    const std::vector<sweep::CellRecord>& records, std::optional<double> m) {
  const auto& n_values = grid.axes()[0].values;
  const double n_lo = *std::min_element(n_values.begin(), n_values.end());
  const double n_hi = *std::max_element(n_values.begin(), n_values.end());
  std::vector<double> fine;
  for (int k = 0; k <= 400; ++k) fine.push_back(n_lo + (n_hi - n_lo) * k / 400.0);
  const auto line = reduced::transition_line(e.kind, e.AA(), e.AB(), e.BB(), fine, int(e.samples.cols()), m);
  plots::TransitionPlotData d;
  d.title = fmt::format("feature-to-prototype transition ({}-digit), {}", reduced::ToString(e.kind), e.description);
  d.threshold = s.threshold;
  for (int mu = 1; mu <= e.num_memories(); ++mu) {
    plots::TransitionPanel panel;
    panel.title = e.kind == reduced::TransitionKind::kInter ? fmt::format("memory {} (class {})", mu, e.classes[mu - 1])
                                                   : fmt::format("one memory (class {})", e.classes[0]);
    const std::string column = compare::dominant_column(e.kind, mu);
    const auto at = std::size_t(std::find(task.results.begin(), task.results.end(), column) - task.results.begin());
    for (std::size_t id = 0; id < grid.size(); ++id) {
      const auto cell = grid.cell(id);
      const bool ok = records[id].status == sweep::CellStatus::kOk;
      panel.cells.push_back({cell.values[0], cell.values[1], ok ? records[id].values[at] : std::nan("")});
    }
    for (const auto& p : line)
      if (p.memory == mu) panel.line.emplace_back(p.n, p.Tr_star);
    for (const auto& r : s.rows) {
      if (r.memory != mu) continue;
      if (r.Tr_switch) panel.switches.emplace_back(r.n, *r.Tr_switch);
      if (r.Tr_minor_zero) panel.zeros.emplace_back(r.n, *r.Tr_minor_zero);
    }
    panel.zeros_title = fmt::format("minor alpha = 0 ({})", compare::minor_column(mu));
    d.panels.push_back(std::move(panel));
  }
  return d;
}

}  // namespace waddington::app

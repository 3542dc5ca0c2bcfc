#pragma once
// Builds the phase-portrait picture data (plots/phase_portrait.hpp) from the
// reduced-model library results; shared by `fixed-points --plot` and
// `phase-portrait`.
#include <fmt/format.h>

#include "apps/reduced_options.hpp"
#include "plots/gnuplot.hpp"
#include "plots/phase_portrait.hpp"
#include "reduced_models/fixed_points.hpp"
#include "reduced_models/nullclines.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::app {

inline plots::Curve to_curve(const std::vector<Eigen::Vector2d>& points) {
  plots::Curve c;
  for (const auto& p : points) c.push_back({p(0), p(1)});
  return c;
}

struct PortraitInputs {
  double alpha_min = 0, alpha_max = 1;
  int nullcline_cells = 300;
  int flow_starts = 9;  // per axis; 0 draws no flow lines
  std::vector<reduced::TrajectoryResult> trajectories;
};

inline plots::PhasePortraitData portrait_data(const ReducedSetup& setup, const reduced::FixedPointSummary& fixed,
                                              const PortraitInputs& in) {
  const auto& p = setup.parameters;
  plots::PhasePortraitData d;
  d.alpha_min = in.alpha_min, d.alpha_max = in.alpha_max;
  d.title = fmt::format("n = {:g}, T = {:g} (T_r = {:.3g}, T_eff = {:.4g}), chart {:+d}", p.n, p.T, p.rescaled_temperature(),
                        p.effective_temperature(), p.chart);
  reduced::NullclineOptions no;
  no.alpha_min = in.alpha_min, no.alpha_max = in.alpha_max;
  no.alpha_cells = no.ell_cells = in.nullcline_cells;
  const auto nullclines = reduced::compute_nullclines(p, no);
  for (const auto& l : nullclines.memory) d.memory_nullclines.push_back(to_curve(l.points));
  for (const auto& l : nullclines.label) d.label_nullclines.push_back(to_curve(l.points));
  for (const auto& r : nullclines.dead_regions) d.dead_regions.push_back({r.alpha_min, r.alpha_max});
  if (in.flow_starts > 0) {
    reduced::FlowLineOptions fo;
    fo.alpha_min = in.alpha_min, fo.alpha_max = in.alpha_max;
    fo.starts_alpha = fo.starts_ell = in.flow_starts;
    for (const auto& line : reduced::flow_lines(p, fo)) d.flow_lines.push_back(to_curve(line));
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 16; ++j) {
        const double alpha = in.alpha_min + (i + 0.5) * (in.alpha_max - in.alpha_min) / 16, ell = -1 + (j + 0.5) / 8;
        const auto v = reduced::flow_velocity(p, alpha, ell, p.n, p.T);
        d.arrows.push_back({alpha, ell, v(0), v(1)});
      }
  }
  for (const auto& t : in.trajectories) {
    plots::Curve c;
    for (const auto& x : t.states)
      for (Eigen::Index mu = 0; 2 * mu + 1 < x.size(); ++mu) c.push_back({x(2 * mu), x(2 * mu + 1)});
    d.trajectories.push_back(std::move(c));
  }
  int index = 0;
  for (const auto& f : fixed.fixed_points) {
    if (f.alpha < in.alpha_min || f.alpha > in.alpha_max) continue;
    plots::PortraitFixedPoint q{f.alpha, f.ell, reduced::ToString(f.stability), fmt::format("{}", ++index), {}, 0};
    if (setup.A.size() == 784) {  // memory picture alpha A + alpha_B B as 28x28
      const Eigen::VectorXd memory = f.alpha * setup.A + f.alpha_B * setup.B;
      q.image.assign(memory.data(), memory.data() + memory.size());
      q.side = 28;
    }
    d.fixed_points.push_back(std::move(q));
  }
  return d;
}

}  // namespace waddington::app

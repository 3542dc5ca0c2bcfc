#include "apps/portrait_plot.hpp"

#include <fmt/format.h>

#include "plots/phase_portrait.hpp"

namespace waddington::app {
namespace {

plots::Curve to_curve(const std::vector<Eigen::Vector2d>& points) {
  plots::Curve c;
  for (const auto& p : points) c.push_back({p(0), p(1)});
  return c;
}

plots::PhasePortraitData picture(const reduced::TwoMemoryParameters& p, const reduced::PhasePortrait& portrait) {
  plots::PhasePortraitData d;
  d.alpha_min = portrait.options.alpha_min, d.alpha_max = portrait.options.alpha_max;
  d.title = fmt::format("n = {:g}, T = {:g} (T_r = {:.3g}, T_eff = {:.4g}), chart {:+d}", p.n, p.T, p.rescaled_temperature(),
                        p.effective_temperature(), p.chart);
  for (const auto& l : portrait.nullclines.memory) d.memory_nullclines.push_back(to_curve(l.points));
  for (const auto& l : portrait.nullclines.label) d.label_nullclines.push_back(to_curve(l.points));
  for (const auto& r : portrait.nullclines.dead_regions) d.dead_regions.push_back({r.alpha_min, r.alpha_max});
  for (const auto& line : portrait.flow_lines) d.flow_lines.push_back(to_curve(line));
  for (const auto& a : portrait.velocity_field) d.arrows.push_back({a.alpha, a.ell, a.dalpha, a.dell});
  for (const auto& t : portrait.trajectories) d.trajectories.push_back(to_curve(t));
  int index = 0;
  for (const auto& f : portrait.fixed_points)
    d.fixed_points.push_back({f.alpha, f.ell, reduced::ToString(f.stability), fmt::format("{}", ++index), f.image, f.side});
  return d;
}

}  // namespace

void plot_phase_portrait(const std::string& file, const reduced::TwoMemorySetup& setup,
                         const std::vector<reduced::FixedPoint>& fixed_points,
                         const std::vector<reduced::TrajectoryResult>& trajectories,
                         const reduced::PortraitOptions& options) {
  const auto portrait = reduced::phase_portrait(setup, fixed_points, trajectories, options);
  plots::render_phase_portrait(file, picture(setup.parameters, portrait));
}

}  // namespace waddington::app

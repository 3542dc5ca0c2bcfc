#include "apps/portrait_plot.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "plots/phase_portrait.hpp"

namespace waddington::app {
namespace {

plots::Curve to_curve(const std::vector<Eigen::Vector2d>& points) {
  plots::Curve c;
  for (const auto& p : points) c.push_back({p(0), p(1)});
  return c;
}

plots::PhasePortraitData picture(const reduced::TwoMemoryParameters& p, const reduced::PhasePortrait& portrait,
                                 const std::vector<reduced::TrajectoryResult>& trajectories,
                                 const std::vector<std::string>& names) {
  plots::PhasePortraitData d;
  d.alpha_min = portrait.options.alpha_min, d.alpha_max = portrait.options.alpha_max;
  std::size_t explicit_memories = 1;  // K > 1: trajectories of K memories, each at T
  for (const auto& t : trajectories)
    if (!t.states.empty()) explicit_memories = std::max(explicit_memories, std::size_t(t.states[0].size() / 2));
  if (explicit_memories > 1) {
    d.title = fmt::format("n = {:g}, T = {:g} (T_r = {:.3g}), chart {:+d}: {} memories, each at T; background: their "
                          "flow while equal (T_{{eff}} = {:.4g})",
                          p.n, p.T, p.rescaled_temperature(), p.chart, explicit_memories, p.effective_temperature());
  } else {
    d.title = fmt::format("n = {:g}, T = {:g} (T_r = {:.3g}); {}, chart {:+d}", p.n, p.T, p.rescaled_temperature(),
                          p.identical_memories == 1
                              ? std::string("one memory: T_{eff} = T")
                              : fmt::format("{:g} identical memories: T_{{eff}} = T / {:g}^{{1/n}} = {:.4g}",
                                            p.identical_memories, p.identical_memories, p.effective_temperature()),
                          p.chart);
  }
  for (const auto& l : portrait.nullclines.memory) d.memory_nullclines.push_back(to_curve(l.points));
  for (const auto& l : portrait.nullclines.label) d.label_nullclines.push_back(to_curve(l.points));
  for (const auto& r : portrait.nullclines.dead_regions) d.dead_regions.push_back({r.alpha_min, r.alpha_max});
  for (const auto& line : portrait.flow_lines) d.flow_lines.push_back(to_curve(line));
  for (const auto& a : portrait.velocity_field) d.arrows.push_back({a.alpha, a.ell, a.dalpha, a.dell});
  for (const auto& t : portrait.trajectories) d.trajectories.push_back(to_curve(t));
  // Legend entries: one curve per memory of each trajectory (phase_portrait keeps that order).
  for (std::size_t i = 0; i < trajectories.size(); ++i) {
    const std::size_t memories = trajectories[i].states.empty() ? 0 : std::size_t(trajectories[i].states[0].size() / 2);
    const std::string name = i < names.size() ? names[i] : fmt::format("trajectory {}", i + 1);
    for (std::size_t mu = 0; mu < memories; ++mu)
      d.trajectory_titles.push_back(memories == 1                               ? name
                                    : trajectories.size() == 1 && names.empty() ? fmt::format("memory {}", mu + 1)
                                                                                : fmt::format("{}, memory {}", name, mu + 1));
  }
  int index = 0;
  for (const auto& f : portrait.fixed_points)
    d.fixed_points.push_back({f.alpha, f.ell, reduced::ToString(f.stability), fmt::format("{}", ++index), f.image, f.side});
  return d;
}

}  // namespace

void plot_phase_portrait(const std::string& file, const reduced::TwoMemorySetup& setup,
                         const std::vector<reduced::FixedPoint>& fixed_points,
                         const std::vector<reduced::TrajectoryResult>& trajectories,
                         const reduced::PortraitOptions& options, const std::vector<std::string>& names) {
  const auto portrait = reduced::phase_portrait(setup, fixed_points, trajectories, options);
  plots::render_phase_portrait(file, picture(setup.parameters, portrait, trajectories, names));
}

}  // namespace waddington::app

#include "reduced_models/portrait.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace waddington::reduced {

bool PortraitOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail("--alpha-min/--alpha-max must be an interval inside [-1, 1]");
  if (nullcline_cells < 2) return fail(fmt::format("nullcline grid {} must have >= 2 cells per axis", nullcline_cells));
  if (flow_starts < 0) return fail(fmt::format("flow lines per axis {} must be >= 0", flow_starts));
  if (arrow_cells < 1) return fail(fmt::format("velocity arrows per axis {} must be >= 1", arrow_cells));
  return true;
}

nlohmann::json PortraitOptions::ToJson() const {
  return {{"alpha_range", {alpha_min, alpha_max}}, {"grid", nullcline_cells}, {"flow_lines", flow_starts},
          {"arrows", arrow_cells}};
}

namespace {

std::vector<VelocityArrow> velocity_field(const TwoMemoryParameters& p, const PortraitOptions& o) {
  std::vector<VelocityArrow> arrows;
  const int cells = o.arrow_cells;
  for (int i = 0; i < cells; ++i)
    for (int j = 0; j < cells; ++j) {
      const double alpha = o.alpha_min + (i + 0.5) * (o.alpha_max - o.alpha_min) / cells;
      const double ell = -1 + (j + 0.5) * 2 / cells;
      const auto v = flow_velocity(p, alpha, ell, p.n, p.T);
      arrows.push_back({alpha, ell, v(0), v(1)});
    }
  return arrows;
}

// One curve per memory: states are (alpha_1, ell_1, ..., alpha_K, ell_K).
std::vector<std::vector<Eigen::Vector2d>> memory_paths(const TrajectoryResult& t) {
  std::vector<std::vector<Eigen::Vector2d>> paths(t.states.empty() ? 0 : std::size_t(t.states[0].size() / 2));
  for (const auto& x : t.states)
    for (std::size_t mu = 0; mu < paths.size(); ++mu) paths[mu].emplace_back(x(2 * mu), x(2 * mu + 1));
  return paths;
}

}  // namespace

PhasePortrait phase_portrait(const TwoMemorySetup& setup, const std::vector<FixedPoint>& fixed_points,
                             const std::vector<TrajectoryResult>& trajectories, const PortraitOptions& o) {
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const auto& p = setup.parameters;
  PhasePortrait portrait;
  portrait.options = o;
  NullclineOptions no;
  no.alpha_min = o.alpha_min, no.alpha_max = o.alpha_max;
  no.alpha_cells = no.ell_cells = o.nullcline_cells;
  portrait.nullclines = compute_nullclines(p, no);
  if (o.flow_starts > 0) {
    FlowLineOptions fo;
    fo.alpha_min = o.alpha_min, fo.alpha_max = o.alpha_max;
    fo.starts_alpha = fo.starts_ell = o.flow_starts;
    portrait.flow_lines = flow_lines(p, fo);
    portrait.velocity_field = velocity_field(p, o);
  }
  for (const auto& t : trajectories)
    for (auto& path : memory_paths(t)) portrait.trajectories.push_back(std::move(path));
  const int side = setup.image_side();
  for (const auto& f : fixed_points) {
    if (f.alpha < o.alpha_min || f.alpha > o.alpha_max) continue;
    PortraitFixedPoint q{f.alpha, f.alpha_B, f.ell, f.stability, {}, 0};
    if (side > 0) {
      const Eigen::VectorXd memory = f.alpha * setup.A + f.alpha_B * setup.B;
      q.image.assign(memory.data(), memory.data() + memory.size());
      q.side = side;
    }
    portrait.fixed_points.push_back(std::move(q));
  }
  return portrait;
}

}  // namespace waddington::reduced

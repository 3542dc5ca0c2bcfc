// find_fixed_points: the seed grid, the cell refinement and the boundary
// search (reduced_models/detail/fixed_point_solver.hpp) put together; options,
// termination and reports.
#include "reduced_models/fixed_points.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <tuple>

#include "lib/errors.hpp"
#include "reduced_models/detail/fixed_point_solver.hpp"

namespace waddington::reduced {

FixedPointSummary find_fixed_points(const TwoMemoryParameters& p, const FixedPointOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const auto start = std::chrono::steady_clock::now();
  FixedPointSummary s;
  s.parameters = p;
  s.dead_regions = dead_regions(p, o.alpha_min, o.alpha_max);
  const detail::SeedGrid grid(p, o);
  detail::CellRefiner cells(grid);
  cells.run();
  s.seeds = cells.seeds();
  s.newton_failures = cells.newton_failures();
  if (o.boundary) s.fixed_points = detail::boundary_fixed_points(grid, &s.seeds, &s.newton_failures);
  for (const detail::Root& r : cells.roots()) {
    FixedPoint fp = analyse_fixed_point(p, r.alpha, r.ell, FixedPointKind::kInterior, o.splitting);
    fp.newton_iterations = r.iterations;
    s.fixed_points.push_back(std::move(fp));
  }
  std::sort(s.fixed_points.begin(), s.fixed_points.end(), [](const FixedPoint& a, const FixedPoint& b) {
    return std::tie(a.kind, a.alpha, a.ell) < std::tie(b.kind, b.alpha, b.ell);
  });
  s.termination = AnalysisTermination::kComplete;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

bool FixedPointOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha range [{}, {}] must be an interval inside [-1, 1]", alpha_min, alpha_max));
  if (seed_alpha_cells < 2 || seed_ell_cells < 2 || seed_alpha_cells > 100000 || seed_ell_cells > 100000)
    return fail(fmt::format("search grid {}x{} must have 2..100000 cells per axis", seed_alpha_cells, seed_ell_cells));
  if (!(tolerance > 0 && tolerance < 1e-6)) return fail(fmt::format("tolerance {} must be in (0, 1e-6)", tolerance));
  if (!(accept_residual >= tolerance && accept_residual < 1e-3))
    return fail(fmt::format("accept_residual {} must be in [tolerance, 1e-3)", accept_residual));
  if (max_iterations < 1) return fail("max_iterations must be >= 1");
  if (!(duplicate_distance > 0)) return fail("duplicate_distance must be positive");
  return true;
}

nlohmann::json FixedPointOptions::ToJson() const {
  return {{"alpha_range", {alpha_min, alpha_max}},
          {"search_grid", {seed_alpha_cells, seed_ell_cells}},
          {"tolerance", tolerance},
          {"accept_residual", accept_residual},
          {"max_iterations", max_iterations},
          {"duplicate_distance", duplicate_distance},
          {"boundary", boundary},
          {"splitting", splitting}};
}

int FixedPointSummary::count(Stability st) const {
  return int(std::count_if(fixed_points.begin(), fixed_points.end(), [st](const auto& f) { return f.stability == st; }));
}

std::string FixedPointSummary::BriefReport() const {
  if (termination == AnalysisTermination::kNotRun) return "fixed points: not run";
  const auto& p = parameters;
  std::string text = fmt::format("n={:g} T={:g} (T_eff={:.4g}, T_r={:.4g}) chart {:+d}: {} fixed point{} ({} stable, {} "
                                 "unstable, {} saddle)",
                                 p.n, p.T, p.effective_temperature(), p.rescaled_temperature(), p.chart,
                                 fixed_points.size(), fixed_points.size() == 1 ? "" : "s", count(Stability::kStable),
                                 count(Stability::kUnstable), count(Stability::kSaddle));
  for (const auto& d : dead_regions) text += fmt::format("; dead region alpha in [{:.4g}, {:.4g}]", d.alpha_min, d.alpha_max);
  return text;
}

nlohmann::json FixedPointSummary::ToJson() const {
  const auto& p = parameters;
  nlohmann::json j = {{"brief", BriefReport()}, {"termination", ToString(termination)}, {"seeds", seeds},
                      {"newton_failures", newton_failures}, {"seconds", seconds}, {"T_eff", p.effective_temperature()},
                      {"T_r", p.rescaled_temperature()}, {"stable", count(Stability::kStable)},
                      {"unstable", count(Stability::kUnstable)}, {"saddle", count(Stability::kSaddle)}};
  auto& points = j["fixed_points"] = nlohmann::json::array();
  for (const auto& f : fixed_points) points.push_back(f.ToJson());
  auto& dead = j["dead_regions"] = nlohmann::json::array();
  for (const auto& d : dead_regions) dead.push_back({{"alpha_min", d.alpha_min}, {"alpha_max", d.alpha_max}, {"chart", d.chart}});
  return j;
}

}  // namespace waddington::reduced

#include "reduced_models/grid_fixed_points.hpp"

#include <ceres/jet.h>
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>

#include "lib/errors.hpp"
#include "reduced_models/detail/fixed_point_solver.hpp"
#include "reduced_models/marching_squares.hpp"
#include "reduced_models/numerator_grid.hpp"

namespace waddington::reduced {
namespace {

struct NewtonResult {
  bool converged = false;
  double alpha = 0, ell = 0, residual = 0;
};

// Plain Newton on numerator_residual (exact Jacobian via Jets), steps limited
// to `max_step`, iterates kept inside the domain. Stops when the relative
// residual is below 1e-13 or the step stagnates at rounding level; converged
// when the residual is at most 1e-10 inside the domain.
NewtonResult newton(const TwoMemoryParameters& p, double alpha, double ell, double alpha_min, double alpha_max,
                    double max_step) {
  constexpr double kTolerance = 1e-13, kAccept = 1e-10;
  constexpr int kMaxIterations = 40;
  using J = ceres::Jet<double, 2>;
  NewtonResult r;
  for (int it = 0;; ++it) {
    r.residual = relative_residual(p, alpha, ell, p.n, p.T);
    if (r.residual <= kTolerance || it == kMaxIterations) break;
    const auto F = numerator_residual(p, J(alpha, 0), J(ell, 1), J(p.n), J(p.T));
    Eigen::Matrix2d jac;
    jac << F(0).v(0), F(0).v(1), F(1).v(0), F(1).v(1);
    const double det = jac.determinant();
    if (!std::isfinite(det) || det == 0) return r;
    Eigen::Vector2d step = -jac.inverse() * Eigen::Vector2d(F(0).a, F(1).a);
    const double size = step.cwiseAbs().maxCoeff();
    if (!std::isfinite(size)) return r;
    if (size > max_step) step *= max_step / size;
    alpha = std::clamp(alpha + step(0), alpha_min, alpha_max);
    ell = std::clamp(ell + step(1), -1.0, 1.0);
    if (size < 1e-14) {  // stagnation: the residual is at rounding level
      r.residual = relative_residual(p, alpha, ell, p.n, p.T);
      break;
    }
  }
  r.alpha = alpha, r.ell = ell;
  r.converged = r.residual <= kAccept && std::abs(ell) < 1.0 && !in_dead_region(p, alpha);
  return r;
}

}  // namespace

bool GridFinderOptions::IsValid(std::string* why) const {
  auto fail = [why](std::string m) { return (why ? *why = std::move(m) : m), false; };
  if (!(alpha_min >= -1 && alpha_max <= 1 && alpha_min < alpha_max))
    return fail(fmt::format("alpha range [{}, {}] must be an interval inside [-1, 1]", alpha_min, alpha_max));
  if (alpha_cells < 2 || ell_cells < 2 || double(alpha_cells) * ell_cells > 1e8)
    return fail(fmt::format("grid {}x{} must have >= 2 cells per axis and at most 1e8 cells", alpha_cells, ell_cells));
  return true;
}

std::vector<GridCandidate> grid_fixed_points(const TwoMemoryParameters& p, const GridFinderOptions& o) {
  p.Validate();
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  const NumeratorGrid g = evaluate_numerator_grid(p, o.alpha_min, o.alpha_max, o.alpha_cells, o.ell_cells);
  const double da = (o.alpha_max - o.alpha_min) / o.alpha_cells, dl = 2.0 / o.ell_cells;
  std::vector<GridCandidate> out;
  const detail::SolverConstants constants(p);
  std::array<detail::CellSegment, 2> s1, s2;
  for (int i = 0; i < o.alpha_cells; ++i)
    for (int j = 0; j < o.ell_cells; ++j) {
      if (g.dead(i, j) || g.dead(i + 1, j) || g.dead(i, j + 1) || g.dead(i + 1, j + 1)) continue;
      const int n1 = detail::cell_segments(g.F1(i, j), g.F1(i + 1, j), g.F1(i + 1, j + 1), g.F1(i, j + 1), s1);
      if (n1 == 0) continue;
      const int n2 = detail::cell_segments(g.F2(i, j), g.F2(i + 1, j), g.F2(i + 1, j + 1), g.F2(i, j + 1), s2);
      bool crossing = false;
      for (int a = 0; a < n1 && !crossing; ++a)
        for (int b = 0; b < n2 && !crossing; ++b)
          crossing = detail::segments_intersect(s1[a].a, s1[a].b, s2[b].a, s2[b].b);
      if (!crossing) continue;
      GridCandidate c;
      c.cell_alpha = c.alpha = g.alpha(i) + 0.5 * da;
      c.cell_ell = c.ell = g.ell(j) + 0.5 * dl;
      if (o.refine) {
        NewtonResult r = newton(p, c.alpha, c.ell, o.alpha_min, o.alpha_max, std::max(da, dl));
        if (!(r.converged && std::abs(r.alpha - c.alpha) <= 2 * da && std::abs(r.ell - c.ell) <= 2 * dl)) {
          // Plain Newton in ell fails where the label's nullcline is a layer far
          // thinner than the cell (T_r <= 0.8): the search's Newton in (alpha,
          // ell kappa) (docs/numerics.md §3), confined to the cells around.
          const detail::Box box{std::max(o.alpha_min, c.alpha - 2 * da), std::min(o.alpha_max, c.alpha + 2 * da),
                                std::max(-1.0, c.ell - 2 * dl), std::min(1.0, c.ell + 2 * dl)};
          const detail::NewtonResult b = detail::box_newton(p, c.alpha, c.ell, box, FixedPointOptions{}, constants);
          if (b.converged && !in_dead_region(p, b.alpha)) r = {true, b.alpha, b.ell, b.residual};
        }
        if (r.converged && std::abs(r.alpha - c.alpha) <= 2 * da && std::abs(r.ell - c.ell) <= 2 * dl) {
          c.alpha = r.alpha, c.ell = r.ell, c.refined = true;
          const bool duplicate = std::any_of(out.begin(), out.end(), [&](const GridCandidate& q) {
            return q.refined && std::abs(q.alpha - c.alpha) < 1e-8 && std::abs(q.ell - c.ell) < 1e-8;
          });
          if (duplicate) continue;
        }
      }
      c.residual = relative_residual(p, c.alpha, c.ell, p.n, p.T);
      out.push_back(c);
    }
  if (o.refine) {
    // A cell whose Newton failed next to a cell whose Newton found the root: the
    // same equilibrium (its nullclines cross in both), not a second one.
    std::vector<GridCandidate> kept;
    for (const GridCandidate& c : out) {
      const bool beside_refined = !c.refined && std::any_of(out.begin(), out.end(), [&](const GridCandidate& q) {
        return q.refined && std::abs(q.cell_alpha - c.cell_alpha) <= 1.5 * da && std::abs(q.cell_ell - c.cell_ell) <= 1.5 * dl;
      });
      if (!beside_refined) kept.push_back(c);
    }
    out = std::move(kept);
  }
  return out;
}

}  // namespace waddington::reduced

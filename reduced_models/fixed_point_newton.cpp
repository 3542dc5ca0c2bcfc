// Newton of the equilibrium search in (alpha, y = ell kappa(alpha)), confined
// to a box (docs/numerics.md §3).
#include <ceres/jet.h>

#include <Eigen/Dense>
#include <cmath>

#include "reduced_models/detail/fixed_point_solver.hpp"

namespace waddington::reduced::detail {

NewtonResult box_newton(const TwoMemoryParameters& p, double alpha, double ell, const Box& box,
                        const FixedPointOptions& o, const SolverConstants& k) {
  using J = ceres::Jet<double, 2>;
  NewtonResult r;
  double previous = kInf;
  for (int it = 0;; ++it) {
    r.iterations = it;
    r.residual = relative_residual(p, alpha, ell, p.n, p.T);
    if (r.residual <= o.tolerance || it == o.max_iterations) break;
    // Acceptable and no longer decreasing: converged to rounding level.
    if (r.residual <= o.accept_residual && r.residual > 0.5 * previous) break;
    previous = r.residual;
    const auto F = solver_residual(p, J(alpha, 0), J(ell, 1), k.m, k.log_t_eff, k.log_w);
    // Newton in (alpha, y = ell kappa(alpha)): the nullclines beyond the inner
    // layer follow ell ~ 1/kappa(alpha), straight lines in y (steps in ell units).
    double dlk = 0;
    const double lk = log_kappa(p, alpha, k.m, k.log_t_eff, &dlk);
    Eigen::Matrix2d jac;
    jac << F(0).v(0) - ell * dlk * F(0).v(1), F(0).v(1), F(1).v(0) - ell * dlk * F(1).v(1), F(1).v(1);
    const double det = jac.determinant();
    if (!std::isfinite(det) || det == 0) return r;
    const Eigen::Vector2d step = -jac.inverse() * Eigen::Vector2d(F(0).a, F(1).a);
    if (!step.allFinite()) return r;
    const double next_alpha = alpha + step(0);
    // A step that cancels ell to rounding level: the root is far closer to
    // ell = 0 than the iterate (the gamma layer, |ell| ~ w P(tanh x^n), can be
    // 1e-200 or underflow); continue from ell = 0, where F_1 is linear in ell.
    const double shifted = std::abs(ell + step(1)) < 1e-8 * std::abs(ell) ? 0.0 : ell + step(1);
    const double next_ell = shifted * std::exp(lk - log_kappa(p, next_alpha, k.m, k.log_t_eff, nullptr));
    if (!box.contains(next_alpha, next_ell) || !(std::abs(next_ell) < 1.0)) return r;
    const bool stagnant = std::abs(step(0)) <= 4e-16 * (1 + std::abs(alpha)) &&
                          std::abs(step(1)) <= 4e-16 * std::abs(ell) + 1e-300;
    alpha = next_alpha, ell = next_ell;
    if (stagnant) {
      r.residual = relative_residual(p, alpha, ell, p.n, p.T);
      break;
    }
  }
  r.alpha = alpha, r.ell = ell;
  r.converged = r.residual <= o.accept_residual && std::abs(ell) < 1.0 && !in_dead_region(p, alpha);
  return r;
}

}  // namespace waddington::reduced::detail

// Boundary equilibria of the equilibrium search (docs/numerics.md §6): on
// ell = +-1 only the alpha-equation is left; its roots count where the
// clipped label drive points outward.
#include <algorithm>
#include <cmath>
#include <limits>

#include "reduced_models/detail/fixed_point_solver.hpp"

namespace waddington::reduced::detail {

double boundary_root(const TwoMemoryParameters& p, double lo, double hi, double ell_bound) {
  double flo = boundary_residual(p, lo, ell_bound, p.n, p.T), fhi = boundary_residual(p, hi, ell_bound, p.n, p.T);
  if (flo == 0) return lo;
  if (fhi == 0) return hi;
  int side = 0;
  for (int i = 0; i < 200 && hi - lo > 4e-16 * std::max(1.0, std::abs(lo)); ++i) {
    double x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi) || i % 8 == 7) x = 0.5 * (lo + hi);
    const double fx = boundary_residual(p, x, ell_bound, p.n, p.T);
    if (fx == 0) return x;
    if ((fx > 0) == (flo > 0)) {
      lo = x, flo = fx;
      if (side == -1) fhi *= 0.5;
      side = -1;
    } else {
      hi = x, fhi = fx;
      if (side == +1) flo *= 0.5;
      side = +1;
    }
  }
  return std::abs(flo) < std::abs(fhi) ? lo : hi;
}

// A root that a double alpha cannot resolve to accept_residual: next to the
// chart corner alpha = +-1 the terms of F_1 = D_A (1-|alpha|) - s alpha D_B
// are themselves ~(1-|alpha|) D_A, so one ulp of alpha moves the relative
// residual by ~eps/(1-|alpha|) (4e-8 at 1-|alpha| = 1.4e-9, n = 80, T_r = 1),
// and rounding in F_1 is as large as that step. The bracketed root is kept
// when the relative residual is at most 1e-6 at it and at both neighbouring
// doubles: F_1 is continuous and at rounding level there, where a jump of
// F_1 would be O(1) on one side (docs/numerics.md §6). Only within 1e-6 of
// the corner; the 8 doubles on each side cover the final bracket of
// boundary_root (at most ~4 ulps wide), so a jump inside it is seen. The
// rounding level is 1e-6, or 16 eps / (1-|alpha|) where that is larger (the
// root 1.8e-10 from the corner at n = 53, T_r = 1.5, has neighbours at 1.8e-6),
// up to 1e-3 (closer to the corner than ~3.5e-12 the cap is below 16 eps / (1-|alpha|):
// a root is kept only while its actual residual stays under 1e-3, to ~5e-13 at T_r = 1.5;
// closer still, corner_root solves it in u = 1 - |alpha|).
bool root_at_rounding_level(const TwoMemoryParameters& p, double a, double bound, double residual) {
  constexpr double kCorner = 1e-6;
  const double level = std::clamp(16 * std::numeric_limits<double>::epsilon() / (1 - std::abs(a)), 1e-6, 1e-3);
  if (!(1 - std::abs(a) < kCorner) || !(residual <= level)) return false;
  for (double direction : {-2.0, 2.0}) {
    double x = a;
    for (int k = 0; k < 8 && std::abs(x) < 1; ++k) {
      x = std::nextafter(x, direction);
      if (!(analyse_fixed_point(p, x, bound, FixedPointKind::kBoundary, false).residual <= level)) return false;
    }
  }
  return true;
}

// Closer to the corner than alpha resolves (the rounding level beyond 1e-3:
// n > 67 at T_r = 1.5), the root of F_1 = u A + B in u = 1 - |alpha| (A: the
// terms that carry 1 - |alpha|, over it; B: the others), in log space with A
// and B taken at the corner itself: u* = -B / A. True with *log_u = log u*
// when A and B have opposite signs, and *residual the relative residual
// |u* A + B| / (|u* A| + |B|) (its rounding). docs/numerics.md §6.
bool corner_root(const TwoMemoryParameters& p, double corner, double bound, const SolverConstants& k, double* log_u,
                 double* residual) {
  const NumeratorColumn<double> c = numerator_column(p, corner, k.m, k.log_t_eff);
  const NumeratorTerms<double> t = numerator_terms(p, c, bound, k.m, k.log_w);
  // Coefficients with 1 - |alpha| taken out of t_0 = ell (1-|alpha|) ..., t_1 = (1-|alpha|) ...
  const double coef[4] = {bound, 1.0, t.coef[2], t.coef[3]};
  double log_part[2], sign_part[2];
  for (int part = 0; part < 2; ++part) {
    double top = -std::numeric_limits<double>::infinity();
    for (int j = 2 * part; j < 2 * part + 2; ++j)
      if (t.on[j] && coef[j] != 0) top = std::max(top, t.L[j]);
    if (!std::isfinite(top)) return false;
    double sum = 0;
    for (int j = 2 * part; j < 2 * part + 2; ++j)
      if (t.on[j] && coef[j] != 0) sum += coef[j] * std::exp(t.L[j] - top);
    if (sum == 0) return false;
    log_part[part] = top + std::log(std::abs(sum));
    sign_part[part] = sum > 0 ? 1.0 : -1.0;
  }
  if (sign_part[0] == sign_part[1]) return false;
  *log_u = log_part[1] - log_part[0];
  const double uA = sign_part[0] * std::exp(*log_u + log_part[0] - log_part[1]), B = sign_part[1];  // over |B|
  *residual = std::abs(uA + B) / (std::abs(uA) + std::abs(B));
  return true;
}

std::vector<FixedPoint> boundary_fixed_points(const SeedGrid& g, int* seeds, int* failures) {
  const TwoMemoryParameters& p = g.parameters();
  const FixedPointOptions& o = g.options();
  const auto& alpha = g.alpha();
  const auto& columns = g.columns();
  std::vector<FixedPoint> out;
  const int last = int(g.zeta().size()) - 1;
  for (int j : {0, last}) {
    const double bound = j == 0 ? -1.0 : 1.0;
    for (std::size_t i = 0; i + 1 < alpha.size(); ++i) {
      if (columns[i].dead || columns[i + 1].dead) continue;
      const double f0 = g.F1()(i, j), f1 = g.F1()(i + 1, j);
      if ((f0 > 0) == (f1 > 0) && f0 != 0) continue;
      ++*seeds;
      const double a = f0 == 0 ? alpha[i] : boundary_root(p, alpha[i], alpha[i + 1], bound);
      if (!(boundary_outward_drive(p, a, bound, p.n, p.T) > 0)) continue;
      const bool duplicate = std::any_of(out.begin(), out.end(), [&](const FixedPoint& f) {
        return f.ell == bound && std::abs(f.alpha - a) <= o.duplicate_distance;
      });
      if (duplicate) continue;
      FixedPoint fp = analyse_fixed_point(p, a, bound, FixedPointKind::kBoundary, false);
      if (!(fp.residual <= o.accept_residual) && !root_at_rounding_level(p, a, bound, fp.residual)) {
        // Unresolved next to the corner: the root in u = 1 - |alpha|, reported
        // at the double nearest it inside the chart, with the u-equation's residual.
        const double corner = a > 0 ? 1.0 : -1.0;
        double log_u = 0, u_residual = 1;
        if (!(1 - std::abs(a) < 1e-6) || !corner_root(p, corner, bound, g.constants(), &log_u, &u_residual) ||
            !(log_u < std::log(1e-6)) || !(u_residual <= o.accept_residual)) {
          ++*failures;  // a jump of F_1, not a root
          continue;
        }
        double at = corner * (1 - std::exp(log_u));
        if (std::abs(at) >= 1) at = std::nextafter(corner, 0.0);
        if (!(boundary_outward_drive(p, at, bound, p.n, p.T) > 0)) continue;
        fp = analyse_fixed_point(p, at, bound, FixedPointKind::kBoundary, false);
        fp.residual = u_residual;
      }
      out.push_back(std::move(fp));
    }
  }
  return out;
}

}  // namespace waddington::reduced::detail

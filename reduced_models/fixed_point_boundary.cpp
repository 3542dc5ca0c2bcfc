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
// a root is kept only while its actual residual stays under 1e-3, to ~5e-13 at T_r = 1.5).
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
        ++*failures;  // a jump of F_1, not a root
        continue;
      }
      out.push_back(std::move(fp));
    }
  }
  return out;
}

}  // namespace waddington::reduced::detail

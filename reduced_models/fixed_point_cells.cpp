// Cell refinement of the equilibrium search (docs/numerics.md §5): in every
// seed cell where both numerators change sign, Newton from the crossing of
// the nullclines; where it fails, the cell is split in four.
#include <algorithm>
#include <array>
#include <cmath>

#include "reduced_models/detail/fixed_point_solver.hpp"
#include "reduced_models/marching_squares.hpp"

namespace waddington::reduced::detail {
namespace {

constexpr int kMaxDepth = 40;      // cell splits below a seed cell
constexpr int kPruneDepth = 6;     // splits without a detected crossing, below a cell with one
constexpr int kSplitBudget = 256;  // splits below one seed cell at most

// F_2 first: the seed grid has F_1 only where F_2 changes sign (NaN elsewhere).
bool both_change_sign(const double* F1, const double* F2) {
  const auto [lo2, hi2] = std::minmax({F2[0], F2[1], F2[2], F2[3]});
  if (!(lo2 <= 0 && hi2 >= 0)) return false;
  const auto [lo1, hi1] = std::minmax({F1[0], F1[1], F1[2], F1[3]});
  return lo1 <= 0 && hi1 >= 0;
}

// Local (u, v) of the point at `position` on edge e.
void edge_point(int e, double position, double* u, double* v) {
  *u = e == 0 || e == 2 ? position : (e == 1 ? 1.0 : 0.0);
  *v = e == 1 || e == 3 ? position : (e == 2 ? 1.0 : 0.0);
}

}  // namespace

void CellRefiner::run() {
  const auto& alpha = g_.alpha();
  const auto& columns = g_.columns();
  const auto& zeta = g_.zeta();
  const auto &F1 = g_.F1(), &F2 = g_.F2();
  // Only between two-sided columns (f2_cells): a root next to a zero of an
  // overlap would sit within the first (h_min / 2) alpha step (and F_2 jumps there).
  for (const auto& [i, j] : g_.f2_cells()) {
    Cell c{alpha[i], alpha[i + 1], zeta(j), zeta(j + 1), &columns[i], &columns[i + 1],
           {F1(i, j), F1(i + 1, j), F1(i + 1, j + 1), F1(i, j + 1)},
           {F2(i, j), F2(i + 1, j), F2(i + 1, j + 1), F2(i, j + 1)}, i, j};
    if (!both_change_sign(c.F1, c.F2)) continue;
    ++seeds_;
    budget_ = kSplitBudget;
    refine(c, 0, false);
  }
}

// Both numerators at local (u, v) of cell c.
void CellRefiner::values_in(const Cell& c, double u, double v, double* F1, double* F2) const {
  const double zeta = c.zeta0 + v * (c.zeta1 - c.zeta0);
  if (u == 0) return g_.values(*c.k0, zeta, F1, F2);
  if (u == 1) return g_.values(*c.k1, zeta, F1, F2);
  g_.values(g_.column(c.alpha0 + u * (c.alpha1 - c.alpha0)), zeta, F1, F2);
}

// The zero of numerator f on edge e of cell c (e runs from corner e to corner
// e + 1, counter-clockwise from (0,0)), by regula falsi (Illinois), and the
// sign of the other numerator there. Seed-grid edges are cached (shared by two cells).
CellRefiner::EdgeRoot CellRefiner::edge_root(const Cell& c, int e, int f) {
  long key = -1;
  if (c.i >= 0) {  // edge key: (corner index along the grid, orientation, function)
    static constexpr int di[4] = {0, 1, 0, 0}, dj[4] = {0, 0, 1, 0};
    const long rows = g_.zeta().size();
    key = ((long(c.i + di[e]) * rows + (c.j + dj[e])) * 2 + (e % 2)) * 2 + f;
    if (const auto it = edge_roots_.find(key); it != edge_roots_.end()) return it->second;
  }
  static constexpr double cu[4] = {0, 1, 1, 0}, cv[4] = {0, 0, 1, 1};
  const double* F = f == 0 ? c.F1 : c.F2;
  const double* G = f == 0 ? c.F2 : c.F1;
  const int e1 = (e + 1) % 4;
  // Bracket [t0, t1] of the zero of f, with the other numerator g at its ends.
  // Only the sign of g at the zero matters: stop as soon as g has one sign on
  // the bracket (the other nullcline does not pass between its ends).
  double t0 = 0, t1 = 1, f0 = F[e], f1 = F[e1], g0 = G[e], g1 = G[e1], t = 0.5;
  int side = 0;
  for (int it = 0; it < 60 && (g0 > 0) != (g1 > 0) && t1 - t0 > 1e-13; ++it) {
    t = (t0 * f1 - t1 * f0) / (f1 - f0);
    if (!(t > t0 && t < t1) || it % 6 == 5) t = 0.5 * (t0 + t1);
    double V[2];
    values_in(c, cu[e] + t * (cu[e1] - cu[e]), cv[e] + t * (cv[e1] - cv[e]), &V[0], &V[1]);
    const double ft = V[f], gt = V[1 - f];
    if (ft == 0) {
      t0 = t1 = t, g0 = g1 = gt;
      break;
    }
    if ((ft >= 0) == (f0 >= 0)) {
      t0 = t, f0 = ft, g0 = gt;
      if (side == -1) f1 *= 0.5;
      side = -1;
    } else {
      t1 = t, f1 = ft, g1 = gt;
      if (side == +1) f0 *= 0.5;
      side = +1;
    }
  }
  t = f0 == f1 ? 0.5 * (t0 + t1) : std::clamp((t0 * f1 - t1 * f0) / (f1 - f0), t0, t1);
  const double other = std::abs(t - t0) < std::abs(t1 - t) ? g0 : g1;
  const EdgeRoot r{e < 2 ? t : 1 - t, other};  // edges 2 and 3 run towards the lower-left end
  if (key >= 0) edge_roots_.emplace(key, r);
  return r;
}

// Whether the nullclines cross in cell c: the other numerator changes sign
// between the two ends (edge_root) of a marching-squares segment of one
// numerator. This holds even where they are nearly parallel, where the
// intersection of the two interpolated segments is unreliable. (u, v): the
// interpolated zero along that segment.
bool CellRefiner::edge_crossing(const Cell& c, double* u, double* v) {
  for (int f = 0; f < 2; ++f) {
    const double* F = f == 0 ? c.F1 : c.F2;
    std::array<CellSegment, 2> seg;
    const int count = cell_segments(F[0], F[1], F[2], F[3], seg);
    for (int k = 0; k < count; ++k) {
      double g[2], pu[2], pv[2];
      for (int e = 0; e < 2; ++e) {
        const CellPoint& q = e == 0 ? seg[k].a : seg[k].b;
        const EdgeRoot r = edge_root(c, q.edge, f);
        edge_point(q.edge, r.position, &pu[e], &pv[e]);
        g[e] = r.other;
      }
      if ((g[0] > 0) == (g[1] > 0)) continue;
      const double t = g[0] / (g[0] - g[1]);
      *u = pu[0] + t * (pu[1] - pu[0]), *v = pv[0] + t * (pv[1] - pv[0]);
      return true;
    }
  }
  return false;
}

void CellRefiner::add_root(const NewtonResult& r) {
  const double d = g_.options().duplicate_distance;
  for (const Root& q : roots_)
    if (std::abs(q.alpha - r.alpha) <= d && std::abs(q.ell - r.ell) <= d) return;
  roots_.push_back({r.alpha, r.ell, r.iterations});
}

// Newton from the crossing in cell c (kept inside the cell grown by one
// cell width each way); if it fails, split c.
void CellRefiner::refine(const Cell& c, int depth, bool inherited) {
  double u = 0.5, v = 0.5;
  const bool crossing = edge_crossing(c, &u, &v);
  // A seed cell without a crossing is dropped (two crossings in one cell, as
  // right at a saddle-node, show as none: raise the seed grid to separate
  // them); below a cell with one where Newton failed (`inherited`), the
  // sub-cells are split to kPruneDepth even without a detected crossing.
  if (!crossing && (!inherited || depth >= kPruneDepth)) return;
  const bool try_newton = crossing && (depth < 4 || depth % 3 == 0 || depth == kMaxDepth);
  if (try_newton) {
    const FixedPointOptions& o = g_.options();
    const double da = c.alpha1 - c.alpha0, dz = c.zeta1 - c.zeta0;
    const double alpha = c.alpha0 + u * da, zeta = c.zeta0 + v * dz;
    const SeedColumn k = g_.column(alpha);
    const auto ell_range = [&](double zlo, double zhi) {
      return std::pair{std::min({SeedGrid::ell_at(*c.k0, zlo), SeedGrid::ell_at(*c.k1, zlo), SeedGrid::ell_at(k, zlo)}),
                       std::max({SeedGrid::ell_at(*c.k0, zhi), SeedGrid::ell_at(*c.k1, zhi), SeedGrid::ell_at(k, zhi)})};
    };
    const auto [ell_lo, ell_hi] = ell_range(std::max(-1.0, c.zeta0 - dz), std::min(1.0, c.zeta1 + dz));
    const Box box{std::max(o.alpha_min, c.alpha0 - da), std::min(o.alpha_max, c.alpha1 + da), ell_lo, ell_hi};
    const NewtonResult r =
        box_newton(g_.parameters(), alpha, SeedGrid::ell_at(k, zeta), box, o, g_.constants());
    if (r.converged) {
      add_root(r);
      // Inside the cell proper (up to a quarter cell): this cell's crossing is found.
      const auto [own_lo, own_hi] =
          ell_range(std::max(-1.0, c.zeta0 - 0.25 * dz), std::min(1.0, c.zeta1 + 0.25 * dz));
      const Box own{c.alpha0 - 0.25 * da, c.alpha1 + 0.25 * da, own_lo, own_hi};
      if (own.contains(r.alpha, r.ell)) return;
    } else {
      ++failures_;
    }
  }
  if (depth >= kMaxDepth || budget_ <= 0) return;
  --budget_;
  split(c, depth, inherited || crossing);
}

// Split in four: three new columns' worth of values (5 new nodes); the
// sub-cells where both numerators still change sign are refined.
void CellRefiner::split(const Cell& c, int depth, bool inherited) {
  const double am = 0.5 * (c.alpha0 + c.alpha1), zm = 0.5 * (c.zeta0 + c.zeta1);
  const SeedColumn km = g_.column(am);
  if (km.dead) return;
  double f1[9], f2[9];  // 3x3 nodes, index 3 * ia + iz
  const SeedColumn* ks[3] = {c.k0, &km, c.k1};
  const double zs[3] = {c.zeta0, zm, c.zeta1};
  f1[0] = c.F1[0], f2[0] = c.F2[0];
  f1[6] = c.F1[1], f2[6] = c.F2[1];
  f1[8] = c.F1[2], f2[8] = c.F2[2];
  f1[2] = c.F1[3], f2[2] = c.F2[3];
  for (int n : {1, 3, 4, 5, 7}) g_.values(*ks[n / 3], zs[n % 3], &f1[n], &f2[n]);
  const double as[3] = {c.alpha0, am, c.alpha1};
  for (int ia = 0; ia < 2; ++ia)
    for (int iz = 0; iz < 2; ++iz) {
      const int n00 = 3 * ia + iz, n10 = n00 + 3, n11 = n00 + 4, n01 = n00 + 1;
      Cell sub{as[ia], as[ia + 1], zs[iz], zs[iz + 1], ks[ia], ks[ia + 1],
               {f1[n00], f1[n10], f1[n11], f1[n01]}, {f2[n00], f2[n10], f2[n11], f2[n01]}};
      if (both_change_sign(sub.F1, sub.F2)) refine(sub, depth + 1, inherited);
    }
}

}  // namespace waddington::reduced::detail

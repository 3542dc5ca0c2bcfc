// Fixed points of the reduced flow: residuals, an independent brute-force grid,
// stability against simulation, boundary equilibria and the dead region.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

#include "lib/errors.hpp"
#include "reduced_models/detail/fixed_point_solver.hpp"
#include "reduced_models/fixed_points.hpp"
#include "reduced_models/grid_fixed_points.hpp"
#include "reduced_models/k_memory.hpp"
#include "reduced_models/trajectory.hpp"

using namespace waddington;
using namespace waddington::reduced;

namespace {
TwoMemoryParameters params(double n, double T, int chart = 1) {
  TwoMemoryParameters p;
  p.n = n, p.T = T, p.chart = chart;
  return p;
}

// log10 |ell| where F_k (k = 0: F_1, 1: F_2, numerator_residual) changes sign
// on the ray ell = side 10^t, t in [-300, t_max], at fixed alpha; NaN without
// a sign change at the ends. Bisection in t: independent of the solver.
double nullcline_log_ell(const TwoMemoryParameters& p, double alpha, double side, int k, double t_max) {
  auto f = [&](double t) { return numerator_residual(p, alpha, side * std::pow(10.0, t), p.n, p.T)(k); };
  double lo = -300, hi = t_max, flo = f(lo);
  if ((flo > 0) == (f(hi) > 0)) return std::nan("");
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi), fm = f(mid);
    if ((fm > 0) == (flo > 0)) lo = mid, flo = fm;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

struct GridComparison {
  int refined = 0;     // grid candidates where the grid's own Newton converged
  int unrefined = 0;   // crossing cells away from ell = 0 without a converged Newton
  int thin_layer = 0;  // unrefined crossing cells next to ell = 0
  int thin_layer_crossings = 0;  // nullcline crossings found by the log|ell| scan
};

// find_fixed_points against grid_fixed_points (cells x cells, Newton refinement):
// every refined grid point is a solver point; every unrefined crossing cell has
// a solver point within 1.5 cells. The two rows next to ell = 0 cannot resolve
// the layer |ell| ~ 1/(4 m x^n) (1e-45 at n = 100, T_r = 0.3): there the grid
// flags cells where the nullclines merely run side by side (or displaces a
// crossing by several cells). That layer is checked by a scan instead: at each
// grid alpha, the nullclines are located on the rays ell = +-10^t by bisection
// in t; where their order swaps between two alphas they cross, and the solver
// must have a point there.
GridComparison compare_with_grid(const TwoMemoryParameters& p, int cells) {
  const FixedPointSummary s = find_fixed_points(p);
  GridFinderOptions g;
  g.alpha_cells = g.ell_cells = cells;
  g.refine = true;
  const auto candidates = grid_fixed_points(p, g);
  const double da = 2.0 / cells, dl = 2.0 / cells;
  auto solver_has = [&](auto&& near) {
    return std::any_of(s.fixed_points.begin(), s.fixed_points.end(),
                       [&](const FixedPoint& f) { return f.kind == FixedPointKind::kInterior && near(f); });
  };
  GridComparison r;
  for (const auto& c : candidates) {
    INFO("n=" << p.n << " T=" << p.T << " chart=" << p.chart << ": grid point alpha=" << c.alpha << " ell=" << c.ell
              << " refined=" << c.refined << " (cell " << c.cell_alpha << ", " << c.cell_ell << ")");
    if (c.refined) {
      ++r.refined;
      CHECK(solver_has([&](const FixedPoint& f) {
        return std::abs(f.alpha - c.alpha) <= 1e-7 && std::abs(f.ell - c.ell) <= 1e-7;
      }));
    } else if (std::abs(c.cell_ell) > dl) {
      ++r.unrefined;
      CHECK(solver_has([&](const FixedPoint& f) {
        return std::abs(f.alpha - c.cell_alpha) <= 1.5 * da && std::abs(f.ell - c.cell_ell) <= 1.5 * dl;
      }));
    } else {
      ++r.thin_layer;
    }
  }
  const double t_max = std::log10(dl);
  for (double side : {-1.0, 1.0}) {
    double t1_prev = std::nan(""), t2_prev = std::nan(""), alpha_prev = -1;
    for (int i = 0; i <= cells; ++i) {
      const double alpha = -1 + i * da;
      double t1 = std::nan(""), t2 = std::nan("");
      if (!in_dead_region(p, alpha)) {
        t1 = nullcline_log_ell(p, alpha, side, 0, t_max);
        t2 = nullcline_log_ell(p, alpha, side, 1, t_max);
      }
      // A swap of order between neighbouring alphas with both nullclines moving
      // continuously (less than a decade; a larger jump is a change of branch).
      const bool swap = (t1 - t2) * (t1_prev - t2_prev) < 0 && std::abs(t1 - t1_prev) < 1 && std::abs(t2 - t2_prev) < 1;
      if (swap) {
        ++r.thin_layer_crossings;
        INFO("n=" << p.n << " T=" << p.T << " chart=" << p.chart << ": nullclines cross between alpha=" << alpha_prev
                  << " and " << alpha << " at ell ~ " << side << "e" << t1);
        CHECK(solver_has([&](const FixedPoint& f) {
          return f.alpha >= alpha_prev - da && f.alpha <= alpha + da && f.ell * side >= 0 && std::abs(f.ell) <= dl;
        }));
      }
      t1_prev = t1, t2_prev = t2, alpha_prev = alpha;
    }
  }
  // Nothing spurious: every solver point is a root of the numerators (checked
  // independently of the solver's internal residual forms).
  for (const auto& f : s.fixed_points) {
    if (f.kind != FixedPointKind::kInterior) continue;
    INFO("n=" << p.n << " T=" << p.T << " chart=" << p.chart << ": solver point alpha=" << f.alpha << " ell=" << f.ell);
    CHECK(relative_residual(p, f.alpha, f.ell, p.n, p.T) < 1e-10);
    CHECK(std::abs(f.ell) < 1.0);
    CHECK_FALSE(in_dead_region(p, f.alpha));
  }
  return r;
}
}  // namespace

namespace {
// A reported point is a root: its relative residual is below 1e-10, or it is a
// boundary point next to the chart corner |alpha| = 1, where a double alpha
// resolves the root only to ~eps/(1-|alpha|), and F_1 changes sign across it
// (on alpha -+ 1e-3 (1-|alpha|), far above F_1's rounding).
bool is_root(const TwoMemoryParameters& p, const FixedPoint& f) {
  if (f.residual < 1e-10) return true;
  const double gap = 1 - std::abs(f.alpha);
  // Next to the chart corner: at the rounding level of alpha there (docs/numerics.md §6).
  const double level = std::clamp(16 * std::numeric_limits<double>::epsilon() / gap, 1e-6, 1e-3);
  if (f.kind != FixedPointKind::kBoundary || !(gap < 1e-6) || !(f.residual <= level)) return false;
  const double d = std::copysign(1e-3 * gap, f.alpha);
  const double inner = boundary_residual(p, f.alpha - d, f.ell, p.n, p.T);
  const double outer = boundary_residual(p, f.alpha + d, f.ell, p.n, p.T);
  if ((inner > 0) == (outer > 0)) return false;
  // A root, not a jump: F_1 grows linearly away from it (ten times the
  // distance, about ten times the residual), where a jump stays O(1).
  const double near = boundary_residual(p, f.alpha - 10 * d, f.ell, p.n, p.T);
  const double far = boundary_residual(p, f.alpha - 100 * d, f.ell, p.n, p.T);
  const double ratio = std::abs(far) / std::abs(near);
  return ratio > 5 && ratio < 20;
}
}  // namespace

TEST_CASE("every reported fixed point has residual < 1e-10 (n 1..100, T_r 0.3..1.5, both charts)", "[short]") {
  int total = 0;
  for (double n : {1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 39.0, 50.0, 75.0, 100.0})
    for (double Tr : {0.3, 0.6, 0.89, 1.2, 1.5})
      for (int chart : {1, -1}) {
        const auto s = find_fixed_points(params(n, Tr * 784, chart));
        for (const auto& f : s.fixed_points) {
          INFO("n=" << n << " Tr=" << Tr << " chart=" << chart << " alpha=" << f.alpha << " ell=" << f.ell);
          CHECK(is_root(s.parameters, f));
          CHECK(std::isfinite(f.alpha));
          CHECK(std::abs(f.ell) <= 1.0);
          CHECK(f.jacobian.allFinite());
          CHECK_FALSE(in_dead_region(s.parameters, f.alpha));
          // Independent of the stored residual: the real flow's alpha-velocity vanishes.
          CHECK(std::abs(flow_velocity(s.parameters, f.alpha, f.ell, n, s.parameters.T, false)(0)) < 1e-8);
          ++total;
        }
      }
  CHECK(total > 50);
}

TEST_CASE("a fine brute-force grid finds no interior fixed point the solver missed (T = 700)", "[short]") {
  for (double n : {5.0, 10.0, 20.0, 30.0, 40.0, 50.0}) {
    const auto p = params(n, 700);
    const auto solver = find_fixed_points(p);
    GridFinderOptions grid;
    grid.alpha_cells = grid.ell_cells = 800;
    grid.refine = false;  // cell centres only: independent of Newton
    const auto candidates = grid_fixed_points(p, grid);
    const double da = 2.0 / grid.alpha_cells, dl = 2.0 / grid.ell_cells;
    int interior = 0;
    for (const auto& f : solver.fixed_points) interior += f.kind == FixedPointKind::kInterior;
    INFO("n = " << n << ": " << candidates.size() << " grid cells, " << interior << " interior solver points");
    CHECK(!candidates.empty());
    for (const auto& c : candidates) {
      const bool found = std::any_of(solver.fixed_points.begin(), solver.fixed_points.end(), [&](const FixedPoint& f) {
        return f.kind == FixedPointKind::kInterior && std::abs(f.alpha - c.cell_alpha) <= 1.5 * da &&
               std::abs(f.ell - c.cell_ell) <= 1.5 * dl;
      });
      INFO("grid cell at alpha=" << c.cell_alpha << " ell=" << c.cell_ell);
      CHECK(found);
    }
    // And the other way round: every interior solver point sits in a crossing cell.
    for (const auto& f : solver.fixed_points) {
      if (f.kind != FixedPointKind::kInterior) continue;
      const bool seen = std::any_of(candidates.begin(), candidates.end(), [&](const GridCandidate& c) {
        return std::abs(f.alpha - c.cell_alpha) <= 1.5 * da && std::abs(f.ell - c.cell_ell) <= 1.5 * dl;
      });
      CHECK(seen);
    }
  }
}

TEST_CASE("at n = 45, T = 635 the solver finds every equilibrium of a 2000 x 2000 brute-force grid", "[short]") {
  // Low temperature: x^n ~ 1, the label terms change on the scale 1/(4 m x^n) ~ 0.006
  // and all interior equilibria sit within |ell| < 0.02 (a seed grid uniform in ell missed two).
  const auto r = compare_with_grid(params(45, 635), 2000);
  CHECK(r.refined > 1);  // the grid sees more than the saddle
}

TEST_CASE("low temperatures and large n: the solver finds every equilibrium a fine brute-force grid finds", "[slow]") {
  // A subset of n in {1..100} x T_r in {0.3..1.5} x both charts (with both corners T_r = 0.3 and n = 100),
  // against a 1000 x 1000 grid with Newton refinement.
  GridComparison total;
  int cases = 0;
  for (double n : {1.0, 3.0, 8.0, 20.0, 45.0, 70.0, 100.0})
    for (double Tr : {0.3, 0.5, 0.7, 0.893, 0.957, 1.2, 1.5})
      for (int chart : {1, -1}) {
        const auto r = compare_with_grid(params(n, Tr * 784, chart), 1000);
        total.refined += r.refined, total.unrefined += r.unrefined, total.thin_layer += r.thin_layer;
        total.thin_layer_crossings += r.thin_layer_crossings;
        ++cases;
      }
  INFO(cases << " cases: " << total.refined << " refined grid points, " << total.unrefined << " unrefined cells, "
             << total.thin_layer << " cells next to ell = 0 (" << total.thin_layer_crossings << " real crossings)");
  CHECK(cases == 98);
  CHECK(total.refined > 50);
  CHECK(total.thin_layer_crossings >= 5);
}

TEST_CASE("the full sweep n 1..100, T_r 0.3..1.5, both charts reports only roots, and in the thin layer too", "[short]") {
  int points = 0, thin = 0;
  for (double n : {1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100})
    for (double Tr : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.893, 0.957, 1.0, 1.1, 1.2, 1.3, 1.5})
      for (int chart : {1, -1}) {
        const auto p = params(n, Tr * 784, chart);
        const auto s = find_fixed_points(p);
        for (const auto& f : s.fixed_points) {
          INFO("n=" << n << " Tr=" << Tr << " chart=" << chart << " alpha=" << f.alpha << " ell=" << f.ell);
          if (f.kind == FixedPointKind::kInterior) {
            CHECK(relative_residual(p, f.alpha, f.ell, p.n, p.T) < 1e-10);
            thin += std::abs(f.ell) < 1e-3;
          } else {
            CHECK(is_root(p, f));
          }
          ++points;
        }
      }
  CHECK(points > 500);
  CHECK(thin > 50);  // many equilibria live in the inner layer at low T_r
}

TEST_CASE("a prototype 1e-10 to 1e-19 from the chart corner is found at T_r = 1.5 and is a root", "[short]") {
  // On ell = +1 the root sits at 1 - alpha = 1.8e-10 (n = 53) and 9e-12 (n = 60),
  // where neighbouring doubles reach residuals of 1.8e-6 and 3.7e-5; the diagram
  // in n over 1:100 follows it by continuation and counts it.
  // Beyond n = 67 alpha cannot resolve it: solved in u = 1 - |alpha| (corner_root).
  for (double n : {53.0, 60.0, 70.0, 100.0}) {
    const auto p = params(n, 1.5 * 784, 1);
    const auto s = find_fixed_points(p);
    INFO("n = " << n);
    CHECK(s.fixed_points.size() == 3);
    bool corner = false;
    for (const auto& f : s.fixed_points)
      if (f.kind == FixedPointKind::kBoundary && f.ell == 1.0 && 1 - f.alpha < 1e-9) {
        corner = true;
        CHECK(f.stability == Stability::kStable);
        CHECK(is_root(p, f));
      }
    CHECK(corner);
  }
}

TEST_CASE("the paper's Figure 5 sequence: bistable at n = 20, monostable at n = 30, bistable at n = 39", "[short]") {
  auto stable = [](double n) { return find_fixed_points(params(n, 700)).count(Stability::kStable); };
  CHECK(stable(20) == 2);
  CHECK(stable(30) == 1);
  CHECK(stable(39) == 2);
}

TEST_CASE("a trajectory near a stable point decays at the rate of the leading eigenvalue", "[short]") {
  for (double n : {20.0, 39.0}) {
    const auto p = params(n, 700);
    const auto s = find_fixed_points(p);
    for (const auto& f : s.fixed_points) {
      if (f.stability != Stability::kStable || f.kind != FixedPointKind::kInterior) continue;
      const double lead = f.eigenvalues(0).real(), fast = f.eigenvalues(1).real();
      REQUIRE(f.eigenvalues(0).imag() == 0);
      // The fast part is exp(-8) smaller than the slow one after t1; fit over 2 slow time scales.
      const double t1 = 8.0 / std::abs(fast - lead), t2 = t1 + 2.0 / std::abs(lead);
      // Start along the fast direction plus a slow part; after the fast part has
      // died out, the distance decays like exp(lead t).
      const Eigen::Vector2d slow = f.eigenvectors.col(0).real().normalized(), quick = f.eigenvectors.col(1).real().normalized();
      const Eigen::Vector2d start = Eigen::Vector2d(f.alpha, f.ell) + 1e-3 * slow + 1e-3 * quick;
      TrajectoryOptions o;
      o.t_max = t2 + 0.5 / std::abs(lead);
      o.output_interval = o.t_max / 400;
      o.stop_speed = 0;
      o.absolute_tolerance = 1e-15, o.relative_tolerance = 1e-13;
      const auto r = integrate_two_memory(p, start(0), start(1), o);
      auto distance = [&](std::size_t i) { return (r.states[i] - Eigen::Vector2d(f.alpha, f.ell)).norm(); };
      std::size_t i1 = 0, i2 = 0;
      for (std::size_t i = 0; i < r.times.size(); ++i) {
        if (r.times[i] <= t1) i1 = i;
        if (r.times[i] <= t2) i2 = i;
      }
      REQUIRE(i2 > i1 + 10);
      const double rate = std::log(distance(i2) / distance(i1)) / (r.times[i2] - r.times[i1]);
      INFO("n=" << n << " alpha=" << f.alpha << " leading eigenvalue " << lead << ", simulated rate " << rate);
      CHECK(rate == Approx(lead).epsilon(0.01));
    }
  }
}

TEST_CASE("the antisymmetric eigenvalue predicts the splitting of two memories", "[short]") {
  const auto p = params(20, 700);
  const auto s = find_fixed_points(p);
  const auto it = std::find_if(s.fixed_points.begin(), s.fixed_points.end(),
                               [](const FixedPoint& f) { return f.stability == Stability::kStable; });
  REQUIRE(it != s.fixed_points.end());
  REQUIRE(it->has_antisymmetric);
  const double lead = it->antisymmetric_eigenvalues(0).real();
  REQUIRE(it->antisymmetric_eigenvalues(0).imag() == 0);
  CHECK(lead > 0);  // the paper's "saddle": attracting in (alpha, ell), memories split
  // Two memories at the point, split by +-1e-7 along alpha: the split grows like exp(lead t).
  Eigen::VectorXd x0(4);
  x0 << it->alpha + 1e-7, it->ell, it->alpha - 1e-7, it->ell;
  TrajectoryOptions o;
  o.t_max = 4.0 / lead;
  o.output_interval = o.t_max / 200;
  o.stop_speed = 0;
  o.absolute_tolerance = 1e-15, o.relative_tolerance = 1e-12;
  auto K2 = p;
  const auto r = integrate_k_memory(K2, x0, o);
  auto split = [&](std::size_t i) { return std::hypot(r.states[i](0) - r.states[i](2), r.states[i](1) - r.states[i](3)); };
  const std::size_t i1 = r.times.size() / 2, i2 = r.times.size() - 1;
  const double rate = std::log(split(i2) / split(i1)) / (r.times[i2] - r.times[i1]);
  INFO("antisymmetric eigenvalue " << lead << ", simulated splitting rate " << rate);
  CHECK(rate == Approx(lead).epsilon(0.02));
}

TEST_CASE("boundary equilibria on ell = +-1 hold the clipped label and attract along the bound", "[short]") {
  const auto p = params(100, 700);
  const auto s = find_fixed_points(p);
  int boundary = 0;
  for (const auto& f : s.fixed_points) {
    if (f.kind != FixedPointKind::kBoundary) continue;
    ++boundary;
    CHECK(std::abs(f.ell) == 1.0);
    CHECK(boundary_outward_drive(p, f.alpha, f.ell, p.n, p.T) > 0);
    CHECK(std::isinf(f.eigenvalues(1).real()));
    if (f.stability != Stability::kStable) continue;
    // A trajectory started inside, near it, ends on it.
    TrajectoryOptions o;
    o.t_max = 20;
    const auto r = integrate_two_memory(p, f.alpha + 0.01, f.ell * 0.97, o);
    CHECK(r.states.back()(0) == Approx(f.alpha).margin(1e-5));
    CHECK(r.states.back()(1) == f.ell);
  }
  CHECK(boundary >= 1);
}

TEST_CASE("the dead region is a region, never a set of fixed points", "[short]") {
  const auto p = params(20, 700, -1);
  const auto s = find_fixed_points(p);
  REQUIRE(!s.dead_regions.empty());
  for (const auto& d : s.dead_regions) {
    CHECK(d.alpha_min < d.alpha_max);
    // Independent check on a fine scan: inside, both overlaps are <= 0; just outside, one is > 0.
    for (double t = 0.001; t < 1; t += 0.01) {
      const double alpha = d.alpha_min + t * (d.alpha_max - d.alpha_min);
      const double aB = -(1 - std::abs(alpha));
      CHECK(alpha * p.AA + aB * p.AB <= 1e-9);
      CHECK(alpha * p.AB + aB * p.BB <= 1e-9);
    }
  }
  for (const auto& f : s.fixed_points) CHECK_FALSE(in_dead_region(p, f.alpha));
  CHECK(s.fixed_points.size() < 10);
}

TEST_CASE("fixed-point options are validated", "[short]") {
  FixedPointOptions o;
  CHECK(o.IsValid(nullptr));
  o.seed_alpha_cells = 1;
  CHECK_THROWS_AS(find_fixed_points(TwoMemoryParameters{}, o), InputError);
  GridFinderOptions g;
  CHECK(g.IsValid(nullptr));
  g.alpha_cells = 100000, g.ell_cells = 100000;
  CHECK_FALSE(g.IsValid(nullptr));
  CHECK(std::string(ToString(Stability::kSaddle)) == "saddle");
  Stability st;
  CHECK(FromString("unstable", &st));
  CHECK(st == Stability::kUnstable);
  CHECK_FALSE(FromString("wobbly", &st));
}

TEST_CASE("seed grid: the node values computed eight at a time are the one-node values to a few ulps", "[short]") {
  int compared = 0;
  for (double Tr : {0.3, 0.8, 1.5})
    for (double n : {1.0, 30.0, 100.0})
      for (int chart : {1, -1}) {
        TwoMemoryParameters p;
        p.T = Tr * p.num_pixels;
        p.n = n;
        p.chart = chart;
        const FixedPointOptions o;
        const detail::SeedGrid grid(p, o);
        for (std::size_t i = 0; i < grid.alpha().size(); ++i) {
          if (!grid.two_sided(i)) continue;
          for (Eigen::Index j = 0; j < grid.zeta().size(); ++j) {
            double F1 = 0, F2 = 0;
            grid.values(grid.columns()[i], grid.zeta()(j), &F1, &F2);
            const double g = grid.F2()(Eigen::Index(i), j);
            INFO("T_r " << Tr << " n " << n << " chart " << chart << " alpha " << grid.alpha()[i] << " zeta " << grid.zeta()(j));
            // R2 sums terms of up to a few hundred (n log x, (2m+1) log cosh):
            // a few of their ulps (1e-13) is the agreement to expect.
            CHECK(std::abs(g - F2) <= 2e-12 * std::max(1.0, std::abs(F2)));
            if (!std::isnan(grid.F1()(Eigen::Index(i), j))) CHECK(grid.F1()(Eigen::Index(i), j) == Approx(F1).epsilon(1e-12).margin(1e-12));
            ++compared;
          }
        }
      }
  CHECK(compared > 1000);
}

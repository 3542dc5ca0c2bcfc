// Bifurcation diagrams and fold curves of the reduced two-memory flow: every
// claim is checked against an independent computation (brute-force grids of
// sign changes, the real flow's Jacobian, closed forms for a normal form).
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <string>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"

using namespace waddington::reduced;

namespace {

// The paper's Figure 5 diagram: n in [1, 60] at T = 700 (computed once).
const DiagramSummary& figure5() {
  static const DiagramSummary s = [] {
    TwoMemoryParameters p;
    p.T = 700;
    DiagramOptions o;
    o.from = 1;
    o.to = 60;
    return compute_diagram(p, o);
  }();
  return s;
}

// Equilibria of a diagram at parameter n: branch crossings, interpolated.
std::vector<DiagramRow> crossings(const DiagramSummary& s, double n) {
  std::vector<DiagramRow> out;
  for (const auto& b : s.branches)
    for (std::size_t i = 0; i + 1 < b.rows.size(); ++i) {
      const DiagramRow &a = b.rows[i], &c = b.rows[i + 1];
      if (!((a.n <= n && n < c.n) || (c.n <= n && n < a.n))) continue;
      const double w = (n - a.n) / (c.n - a.n);
      DiagramRow r = a;
      r.n = n;
      r.alpha = a.alpha + w * (c.alpha - a.alpha);
      r.ell = a.ell + w * (c.ell - a.ell);
      out.push_back(r);
    }
  return out;
}

double distance(const DiagramRow& a, const DiagramRow& b) {
  return std::max(std::abs(a.alpha - b.alpha), std::abs(a.ell - b.ell));
}

}  // namespace

TEST_CASE("figure 5 diagram: complete, bistable - monostable - bistable", "[short]") {
  const auto& s = figure5();
  INFO(s.BriefReport());
  REQUIRE(s.complete());
  const auto folds = s.folds();
  REQUIRE(folds.size() == 2);
  const auto stable_at = [&](double n) {
    int k = 0;
    for (const auto& r : crossings(s, n)) k += r.stability == Stability::kStable;
    return k;
  };
  CHECK(stable_at(0.5 * (1 + folds[0].n)) == 2);
  CHECK(stable_at(0.5 * (folds[0].n + folds[1].n)) == 1);
  CHECK(stable_at(0.5 * (folds[1].n + 60)) == 2);
  CHECK(folds[0].n > 15);
  CHECK(folds[0].n < 32);
  CHECK(folds[1].n > folds[0].n);
}

TEST_CASE("figure 5 diagram: no Hopf point, and no row where the real flow has a complex pair", "[short]") {
  // The engine tests the real flow's eigenvalues (InteriorBranchProblem::stability_eigenvalues);
  // a Hopf point needs a complex pair, and on this diagram the real flow has none (eig1 != eig2 on every
  // interior row), so a reported Hopf point would be spurious.
  const auto& s = figure5();
  for (const auto& sp : s.special_points) CHECK(sp.type != SpecialPointType::kHopf);
  int interior = 0;
  for (const auto& b : s.branches)
    for (const auto& r : b.rows)
      if (r.kind == FixedPointKind::kInterior) {
        ++interior;
        CHECK(r.eig1 != r.eig2);
      }
  CHECK(interior > 100);
}

TEST_CASE("continuation vs brute-force grid: same equilibria at n = 3, 10, 20, 30, 40, 50, 58", "[short]") {
  const auto& s = figure5();
  const double h = 1.0 / 256;
  for (double n : {3.0, 10.0, 20.0, 30.0, 40.0, 50.0, 58.0}) {
    TwoMemoryParameters p;
    p.T = 700;
    p.n = n;
    const auto grid = grid_equilibria(p, h);
    const auto traced = crossings(s, n);
    INFO("n = " << n << ": grid " << grid.size() << ", continuation " << traced.size());
    CHECK(grid.size() == traced.size());
    for (const auto& g : grid) {
      double best = 1e9;
      Stability nearest = Stability::kSaddle;
      for (const auto& t : traced)
        if (distance(g, t) < best) best = distance(g, t), nearest = t.stability;
      INFO("grid point alpha=" << g.alpha << " ell=" << g.ell);
      CHECK(best <= 1.5 * h);
      CHECK(nearest == g.stability);  // stability from two independent linearisations
    }
    for (const auto& t : traced) {
      double best = 1e9;
      for (const auto& g : grid) best = std::min(best, distance(g, t));
      INFO("continued point alpha=" << t.alpha << " ell=" << t.ell);
      CHECK(best <= 1.5 * h);
    }
  }
}

TEST_CASE("folds: residual < 1e-10, zero eigenvalue of the real flow, bracketed by the grid's count", "[short]") {
  for (const auto& f : figure5().folds()) {
    INFO("fold at n = " << f.n);
    CHECK(f.converged);
    CHECK(f.residual < 1e-10);
    TwoMemoryParameters p;
    p.T = 700;
    p.n = f.n;
    p.chart = f.chart;
    // Independent: the real flow's exact Jacobian is singular there.
    const Eigen::Matrix2d J = flow_jacobian(p, f.alpha, f.ell);
    const double smallest = J.jacobiSvd().singularValues()(1), largest = J.jacobiSvd().singularValues()(0);
    CHECK(smallest / largest < 1e-8);
    const auto F = numerator_residual(p, f.alpha, f.ell, f.n, p.T);
    CHECK(F.lpNorm<Eigen::Infinity>() < 1e-10);
    // The grid finder's count changes by two across the fold.
    TwoMemoryParameters below = p, above = p;
    below.n = f.n - 0.5;
    above.n = f.n + 0.5;
    const auto before = grid_equilibria(below, 1.0 / 256).size(), after = grid_equilibria(above, 1.0 / 256).size();
    CHECK(std::abs(int(before) - int(after)) == 2);
  }
}

TEST_CASE("boundary points: interior branches meet ell = +-1 where the boundary branches are released", "[short]") {
  const auto& s = figure5();
  int contacts = 0;
  for (const auto& sp : s.special_points) {
    // Met from the interior branch ("ell=+1") or from the boundary branch traced first ("ell=+1 (label released)").
    if (sp.type != SpecialPointType::kBoundary || sp.where.rfind("ell=", 0) != 0) continue;
    ++contacts;
    TwoMemoryParameters p;
    p.T = 700;
    p.n = sp.n;
    // Both the interior equations and the boundary equation hold, and the label drive vanishes.
    CHECK(std::abs(boundary_residual(p, sp.alpha, sp.ell, sp.n, p.T)) < 1e-10);
    CHECK(std::abs(boundary_outward_drive(p, sp.alpha, sp.ell, sp.n, p.T)) < 1e-10);
    bool on_boundary_branch = false;
    for (const auto& b : s.branches)
      if (b.kind == FixedPointKind::kBoundary && b.ell_bound == sp.ell)
        for (const auto& r : b.rows) on_boundary_branch |= std::abs(r.n - sp.n) < 1e-8 && std::abs(r.alpha - sp.alpha) < 1e-8;
    CHECK(on_boundary_branch);
  }
  CHECK(contacts == 2);
}

TEST_CASE("fold curves reproduce the one-parameter folds at the same T", "[short]") {
  TwoMemoryParameters p;
  FoldPlaneOptions o;
  o.n_min = 2, o.n_max = 80, o.T_min = 0.8 * 784, o.T_max = 1.15 * 784;
  o.region_map = false;
  const auto curves = compute_fold_curves(p, o);
  INFO(curves.BriefReport());
  REQUIRE(curves.complete());
  for (double T : {650.0, 700.0, 760.0, 850.0}) {
    TwoMemoryParameters q = p;
    q.T = T;
    DiagramOptions d;
    d.from = o.n_min, d.to = o.n_max;
    const auto folds = compute_diagram(q, d).folds();
    const auto crossed = fold_crossings_at_T(curves, T);
    INFO("T = " << T);
    REQUIRE(folds.size() == crossed.size());
    for (std::size_t i = 0; i < folds.size(); ++i) {
      CHECK(crossed[i].converged);
      CHECK(std::abs(crossed[i].n - folds[i].n) < 1e-8);
      CHECK(std::abs(crossed[i].alpha - folds[i].alpha) < 1e-8);
    }
  }
}

TEST_CASE("continuation in T at fixed n finds the folds of the fold curves", "[short]") {
  TwoMemoryParameters p;
  p.n = 30;
  DiagramOptions d;
  d.parameter = BifurcationParameter::kT;
  d.from = 600, d.to = 900;
  const auto s = compute_diagram(p, d);
  REQUIRE(s.complete());
  for (const auto& f : s.folds()) {
    CHECK(f.residual < 1e-10);
    TwoMemoryParameters q = p;
    q.T = f.T;
    q.chart = f.chart;
    CHECK(numerator_residual(q, f.alpha, f.ell, 30.0, f.T).lpNorm<Eigen::Infinity>() < 1e-10);
    // The diagram in n at that T has a fold at n = 30.
    DiagramOptions dn;
    dn.from = 2, dn.to = 60;
    TwoMemoryParameters at_T = p;
    at_T.T = f.T;
    double best = 1e9;
    for (const auto& g : compute_diagram(at_T, dn).folds()) best = std::min(best, std::abs(g.n - 30));
    CHECK(best < 1e-7);
  }
}

TEST_CASE("bad input and non-convergence are reported, never a silent truncated diagram", "[short]") {
  TwoMemoryParameters p;
  DiagramOptions o;
  o.from = 60, o.to = 1;
  CHECK_THROWS_WITH(compute_diagram(p, o), Catch::Contains("inverted"));
  o.from = o.to = 5;
  CHECK_THROWS_WITH(compute_diagram(p, o), Catch::Contains("empty"));
  o.from = 1, o.to = 60;
  o.continuation.max_steps = 3;
  const auto truncated = compute_diagram(p, o);
  CHECK_FALSE(truncated.complete());
  CHECK(truncated.warnings.front().find("max_steps") != std::string::npos);
  o.continuation.max_steps = 20000;
  o.start = std::array<double, 2>{0.9, 0.9};
  const auto no_start = compute_diagram(p, o);
  CHECK_FALSE(no_start.complete());
  CHECK(no_start.warnings.front().find("no equilibrium near the start") != std::string::npos);
}

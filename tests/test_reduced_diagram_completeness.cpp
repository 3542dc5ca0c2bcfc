// Completeness of one-parameter diagrams (docs/numerics.md §9): the count
// audit and the fold-curve check, held against independent computations: the
// fold curves of a wide plane (their own seeds, far from the diagram's band)
// and brute-force equilibrium counts on an (alpha, ell) grid along the window.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/bifurcation_folds.hpp"

using namespace waddington::reduced;

namespace {

DiagramSummary diagram_in_n(double T, double from, double to, bool fold_check = true) {
  TwoMemoryParameters p;
  p.T = T;
  DiagramOptions o;
  o.from = from;
  o.to = to;
  o.fold_curve_check = fold_check;
  return compute_diagram(p, o);
}

std::vector<DiagramPoint> interior_folds(const DiagramSummary& d) {
  std::vector<DiagramPoint> out;
  for (const auto& f : d.folds())
    if (f.where == "interior") out.push_back(f);
  return out;
}

// Crossings of n by the diagram's branches.
int traced(const DiagramSummary& d, double n) {
  int count = 0;
  for (const auto& b : d.branches)
    for (std::size_t i = 0; i + 1 < b.rows.size(); ++i) count += (b.rows[i].n < n) != (b.rows[i + 1].n < n);
  return count;
}

}  // namespace

TEST_CASE("diagrams in n at T = 650..900 have every fold of the fold curves, and no other", "[short]") {
  // The reference: fold curves over the whole plane n 1:80 x T 600:950, seeded
  // at 15 temperatures of their own (none of them the diagrams' T).
  TwoMemoryParameters p;
  FoldPlaneOptions plane;
  plane.n_min = 1, plane.n_max = 80, plane.T_min = 600, plane.T_max = 950;
  plane.seed_T_values = 15;
  plane.region_map = false;
  const FoldCurveSummary curves = compute_fold_curves(p, plane);
  REQUIRE(curves.complete());
  for (double T : {650.0, 700.0, 750.0, 775.0, 800.0, 850.0, 900.0}) {
    INFO("T = " << T);
    const DiagramSummary d = diagram_in_n(T, 1, 80);
    REQUIRE(d.complete());
    CHECK(d.completeness.established());
    const auto expected = fold_crossings_at_T(curves, T);
    const auto folds = interior_folds(d);
    CHECK(folds.size() == expected.size());
    for (const auto& x : expected) {
      INFO("crossing at n = " << x.n);
      bool found = false;
      for (const auto& f : folds) found |= std::abs(f.n - x.n) < 1e-7 * x.n && f.chart == x.chart;
      CHECK(found);
    }
  }
}

TEST_CASE("the isola at T = 850 (a pair living between n = 1.29 and 4.70) is found by the fold-curve check", "[short]") {
  const DiagramSummary counts_only = diagram_in_n(850, 1, 80, false);
  const DiagramSummary checked = diagram_in_n(850, 1, 80, true);
  // The audit alone cannot see it: no check value falls inside the pair's life.
  CHECK(interior_folds(counts_only).size() == 1);
  CHECK(counts_only.completeness.fold_crossings == -1);
  REQUIRE(interior_folds(checked).size() == 3);
  CHECK(interior_folds(checked)[0].n == Approx(1.29340829).epsilon(1e-8));
  CHECK(interior_folds(checked)[1].n == Approx(4.70027847).epsilon(1e-8));
  CHECK(checked.completeness.fold_crossings == 3);
  CHECK(checked.completeness.fold_crossings_matched == 3);
  CHECK_FALSE(checked.completeness.fold_seed_values.empty());
  CHECK(checked.BriefReport().find("completeness: established") != std::string::npos);
}

TEST_CASE("the count audit seeds the branches the window's ends do not reach (T = 800)", "[short]") {
  const DiagramSummary d = diagram_in_n(800, 1, 80, false);
  int seeded = 0;
  for (const auto& c : d.completeness.checks) seeded += c.unaccounted > 0;
  CHECK(seeded >= 1);
  CHECK(d.completeness.established());
  // The folds near the window's start are real: the fold curve enters the
  // window at n = 1 near T = 773 (fold-curve), and at T = 800 the pair lives
  // from n = 1.0806 to 7.4437.
  const auto folds = interior_folds(d);
  REQUIRE(folds.size() == 3);
  CHECK(folds[0].n == Approx(1.08056249).epsilon(1e-8));
  CHECK(folds[1].n == Approx(7.44373867).epsilon(1e-8));
}

TEST_CASE("the traced branches hold every equilibrium a brute-force grid finds along the window", "[short]") {
  for (double T : {700.0, 800.0, 850.0}) {
    const DiagramSummary d = diagram_in_n(T, 1, 80);
    int compared = 0;
    for (double n = 1.37; n < 80; n += 2.9) {
      TwoMemoryParameters q;
      q.T = T;
      q.n = n;
      int grid = 0;
      for (const DiagramRow& r : grid_equilibria(q, 1.0 / 512)) {
        if (r.chart == -1 && std::abs(std::abs(r.alpha) - 1) < 1.0 / 512) continue;  // alpha_B = 0: counted on chart +1
        ++grid;
      }
      INFO("T = " << T << ", n = " << n);
      // The grid may miss a pair closer than its cell near a fold; it never sees more.
      CHECK(grid <= traced(d, n));
      compared += grid == traced(d, n);
    }
    CHECK(compared >= 25);  // of 28 values
  }
}

TEST_CASE("diagrams in T carry the count audit, a start point carries none and says so", "[short]") {
  TwoMemoryParameters p;
  p.n = 30;
  DiagramOptions o;
  o.parameter = BifurcationParameter::kT;
  o.from = 600;
  o.to = 900;
  const DiagramSummary inT = compute_diagram(p, o);
  CHECK(inT.completeness.audited);
  CHECK(inT.completeness.fold_crossings == -1);
  CHECK(inT.completeness.Report().find("fold curves not checked") != std::string::npos);
  p.T = 700;
  DiagramOptions s;
  s.from = 20, s.to = 40;
  s.start = std::array<double, 2>{0.45, -0.1};
  const DiagramSummary started = compute_diagram(p, s);
  CHECK_FALSE(started.completeness.established());
  CHECK(started.completeness.Report().find("not established") != std::string::npos);
}

TEST_CASE("the fold-curve check's band reuses the checked diagram as its T0 seed diagram: same curves as computing it",
          "[short]") {
  TwoMemoryParameters p;
  p.T = 850;
  DiagramOptions o;
  o.from = 1;
  o.to = 80;
  o.fold_curve_check = false;
  const DiagramSummary diagram = detail::continuation_diagram(p, o);
  FoldPlaneOptions plane;
  plane.n_min = o.from, plane.n_max = o.to;
  plane.T_min = 0.9 * p.T, plane.T_max = 1.1 * p.T;
  plane.diagram = o;
  plane.region_map = false;
  const FoldCurveSummary computed = compute_fold_curves(p, plane);
  const FoldCurveSummary reused = compute_fold_curves(p, plane, &diagram);
  CHECK(computed.diagrams_computed == plane.seed_T_values);
  CHECK(reused.diagrams_computed == plane.seed_T_values - 1);  // the middle one is `diagram`
  CHECK(reused.folds_found == computed.folds_found);
  REQUIRE(reused.curves.size() == computed.curves.size());
  for (std::size_t c = 0; c < computed.curves.size(); ++c) {
    REQUIRE(reused.curves[c].points.size() == computed.curves[c].points.size());
    for (std::size_t i = 0; i < computed.curves[c].points.size(); ++i) {
      CHECK(reused.curves[c].points[i].n == Approx(computed.curves[c].points[i].n).epsilon(1e-12));
      CHECK(reused.curves[c].points[i].T == Approx(computed.curves[c].points[i].T).epsilon(1e-12));
    }
  }
  const auto a = fold_crossings_at_T(computed, p.T), b = fold_crossings_at_T(reused, p.T);
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i].n == Approx(a[i].n).epsilon(1e-12));
  // A diagram at a T that is not a seed T of the band is not used.
  TwoMemoryParameters other = p;
  other.T = 851;
  const DiagramSummary elsewhere = detail::continuation_diagram(other, o);
  CHECK(compute_fold_curves(p, plane, &elsewhere).curves.size() == computed.curves.size());
}

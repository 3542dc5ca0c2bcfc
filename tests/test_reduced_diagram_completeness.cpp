// Completeness of one-parameter diagrams (docs/numerics.md §9): the count
// audit and the fold-curve check, held against independent computations: the
// fold curves of a wide plane (their own seeds, far from the diagram's band)
// and brute-force equilibrium counts on an (alpha, ell) grid along the window.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "lib/errors.hpp"
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
  plane.seed_n_values = 0;  // only the rows in n, which `diagram` is one of
  const FoldCurveSummary computed = compute_fold_curves(p, plane);
  const FoldCurveSummary reused = compute_fold_curves(p, plane, {&diagram, 1});
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
  CHECK(compute_fold_curves(p, plane, {&elsewhere, 1}).curves.size() == computed.curves.size());
}

namespace {

// Rows and special points of two diagrams, bit for bit.
void require_same_diagram(const DiagramSummary& a, const DiagramSummary& b) {
  REQUIRE(a.branches.size() == b.branches.size());
  for (std::size_t i = 0; i < a.branches.size(); ++i) {
    const auto &ra = a.branches[i].rows, &rb = b.branches[i].rows;
    REQUIRE(ra.size() == rb.size());
    for (std::size_t k = 0; k < ra.size(); ++k) {
      CHECK(ra[k].n == rb[k].n);
      CHECK(ra[k].alpha == rb[k].alpha);
      CHECK(ra[k].ell == rb[k].ell);
      CHECK(ra[k].stability == rb[k].stability);
      CHECK(ra[k].eig1 == rb[k].eig1);
      CHECK(ra[k].split1 == rb[k].split1);
      CHECK(ra[k].unstable_count_k2 == rb[k].unstable_count_k2);
    }
  }
  REQUIRE(a.special_points.size() == b.special_points.size());
  for (std::size_t k = 0; k < a.special_points.size(); ++k) {
    CHECK(a.special_points[k].type == b.special_points[k].type);
    CHECK(a.special_points[k].n == b.special_points[k].n);
    CHECK(a.special_points[k].where == b.special_points[k].where);
  }
}

// The band of the check at T0 in the window [from, to], as checked_diagram builds it.
FoldPlaneOptions band(const TwoMemoryParameters& p, double from, double to) {
  FoldPlaneOptions plane;
  plane.n_min = from, plane.n_max = to;
  plane.T_min = 0.9 * p.T, plane.T_max = 1.1 * p.T;
  plane.seed_T_values = 3;
  plane.seed_n_values = 0;  // as checked_diagram's band
  plane.diagram.from = from, plane.diagram.to = to;
  plane.diagram.fold_curve_check = false;
  plane.region_map = false;
  return plane;
}

TwoMemoryParameters at_T(double T) {
  TwoMemoryParameters p;
  p.T = T;
  return p;
}

DiagramOptions window(double from, double to, bool fold_check) {
  DiagramOptions o;
  o.from = from, o.to = to;
  o.fold_curve_check = fold_check;
  return o;
}

}  // namespace

TEST_CASE("the checked diagram (computed at once with its band) is the count-audited diagram and its splitting, bit for bit",
          "[short]") {
  const TwoMemoryParameters p = at_T(700);
  DiagramOptions o = window(1, 60, true);
  const DiagramSummary checked = compute_diagram(p, o);
  REQUIRE(checked.completeness.fold_crossings == 2);
  CHECK(checked.completeness.fold_seed_values.empty());  // nothing reseeded: the splitting computed beside the curves is kept
  o.fold_curve_check = false;
  DiagramSummary plain = detail::continuation_diagram(p, o);
  add_splitting(p, &plain);
  require_same_diagram(checked, plain);
  CHECK(checked.completeness.established());
}

TEST_CASE("the band's other diagrams skip the row analysis: stability unknown and NaN eigenvalues, the same folds",
          "[short]") {
  const TwoMemoryParameters p = at_T(770);
  DiagramOptions o = window(1, 60, false);
  const DiagramSummary analysed = detail::continuation_diagram(p, o);
  o.row_stability = false;
  const DiagramSummary folds_only = detail::continuation_diagram(p, o);
  REQUIRE(folds_only.branches.size() == analysed.branches.size());
  for (const auto& b : folds_only.branches)
    for (const auto& r : b.rows) {
      CHECK(r.stability == Stability::kUnknown);
      CHECK(std::isnan(r.eig1));
    }
  // Same rows (the analysis does not steer the continuation), no Hopf point sought.
  for (std::size_t i = 0; i < analysed.branches.size(); ++i)
    CHECK(folds_only.branches[i].rows.size() == analysed.branches[i].rows.size());
  const auto fa = interior_folds(analysed), fb = interior_folds(folds_only);
  REQUIRE(fa.size() == 2);
  REQUIRE(fb.size() == fa.size());
  for (std::size_t k = 0; k < fa.size(); ++k) CHECK(fb[k].n == fa[k].n);
}

TEST_CASE("fold curves: the folds of one seed diagram traced at once (tasks) give the curves traced one by one", "[short]") {
  TwoMemoryParameters p;
  p.T = 850;
  const FoldPlaneOptions plane = band(p, 1, 80);
  const FoldCurveSummary one_by_one = compute_fold_curves(p, plane);
  FoldCurveSummary at_once;
#pragma omp parallel num_threads(2)
#pragma omp single
  at_once = compute_fold_curves(p, plane);
  REQUIRE(one_by_one.curves.size() == 2);
  REQUIRE(at_once.curves.size() == one_by_one.curves.size());
  CHECK(at_once.folds_on_known_curve == one_by_one.folds_on_known_curve);
  for (std::size_t c = 0; c < one_by_one.curves.size(); ++c) {
    CHECK(at_once.curves[c].found_from == one_by_one.curves[c].found_from);
    REQUIRE(at_once.curves[c].points.size() == one_by_one.curves[c].points.size());
    for (std::size_t i = 0; i < one_by_one.curves[c].points.size(); ++i) {
      CHECK(at_once.curves[c].points[i].n == one_by_one.curves[c].points[i].n);
      CHECK(at_once.curves[c].points[i].T == one_by_one.curves[c].points[i].T);
      CHECK(at_once.curves[c].points[i].curve == int(c));
    }
  }
}

TEST_CASE("fold curves: the tracer's curves do not depend on the order the seed diagrams come in", "[short]") {
  TwoMemoryParameters p;
  p.T = 850;
  const FoldPlaneOptions plane = band(p, 1, 80);
  const FoldCurveSummary reference = compute_fold_curves(p, plane);  // T ascending
  std::vector<DiagramSummary> seeds;
  for (double T : fold_seed_T_values(plane)) {
    TwoMemoryParameters q = p;
    q.T = T;
    seeds.push_back(detail::continuation_diagram(q, plane.diagram));
  }
  REQUIRE(seeds.size() == 3);
  FoldCurveTracer tracer(p, plane);
  for (int k : {1, 2, 0}) tracer.add(seeds[k]);  // T0 first, as the check does
  const FoldCurveSummary reordered = tracer.finish();
  CHECK(reordered.curves.size() == reference.curves.size());
  CHECK(reordered.folds_found == reference.folds_found);
  const auto a = fold_crossings_at_T(reference, p.T), b = fold_crossings_at_T(reordered, p.T);
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i].n == Approx(a[i].n).epsilon(1e-10));
}

TEST_CASE("the fold-curve check validates its options before building the band (no band of zero temperatures)", "[short]") {
  TwoMemoryParameters p;
  p.T = 700;
  DiagramOptions o;
  o.from = 1, o.to = 60;
  for (int values : {-3, 0, 1, 2, 103}) {
    o.fold_check_T_values = values;
    CHECK_THROWS_AS(compute_diagram(p, o), waddington::InputError);
  }
}

TEST_CASE("a region map needs diagrams with row stability (its stable counts come from them)", "[short]") {
  FoldPlaneOptions plane;
  plane.n_min = 1, plane.n_max = 60, plane.T_min = 630, plane.T_max = 770;
  plane.diagram.row_stability = false;
  std::string why;
  CHECK_FALSE(plane.IsValid(&why));
  CHECK(why.find("row_stability") != std::string::npos);
  plane.region_map = false;  // curves only: folds are all that is used
  CHECK(plane.IsValid(&why));
}

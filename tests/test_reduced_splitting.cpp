// The K = 2 splitting of the reduced diagrams (docs/model.md §2.2): the
// splitting eigenvalues and unstable_count_k2 of every branch row, the
// symmetry-breaking branch points, and an independent check of the two blocks
// against the finite-difference Jacobian of the 4-variable K = 2 flow.
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/equilibrium.hpp"
#include "reduced_models/fixed_points.hpp"
#include "reduced_models/k_memory.hpp"

using namespace waddington::reduced;

namespace {

DiagramSummary diagram(double T, double from, double to) {
  TwoMemoryParameters p;
  p.T = T;
  DiagramOptions o;
  o.from = from;
  o.to = to;
  return compute_diagram(p, o);
}

// The paper's Figure 5 diagram: n in [1, 60] at T = 700 (computed once).
const DiagramSummary& figure5() {
  static const DiagramSummary s = diagram(700, 1, 60);
  return s;
}

TwoMemoryParameters at_row(const DiagramSummary& s, const DiagramRow& r) {
  TwoMemoryParameters q = s.parameters;
  q.n = r.n;
  q.T = r.T;
  q.chart = r.chart;
  return q;
}

int positive(double x) { return x > 0 ? 1 : 0; }

// The 4-variable K = 2 velocity's Jacobian by central differences (labels not clipped).
Eigen::Matrix4d k2_jacobian_fd(const TwoMemoryParameters& p, const Eigen::Vector4d& x, double h) {
  Eigen::Matrix4d J;
  for (int j = 0; j < 4; ++j) {
    Eigen::Vector4d plus = x, minus = x, vp, vm;
    plus(j) += h;
    minus(j) -= h;
    k_memory_velocity(p, 2, plus.data(), vp.data(), p.n, p.T, false);
    k_memory_velocity(p, 2, minus.data(), vm.data(), p.n, p.T, false);
    J.col(j) = (vp - vm) / (2 * h);
  }
  return J;
}

std::vector<std::complex<double>> sorted(std::vector<std::complex<double>> v) {
  std::sort(v.begin(), v.end(), [](auto a, auto b) { return a.real() < b.real(); });
  return v;
}

}  // namespace

TEST_CASE("splitting: both stable points at n = 40, T = 700 split (eigenvalue about +7)", "[short]") {
  TwoMemoryParameters p;
  p.T = 700;
  p.n = 40;
  const FixedPointSummary fps = find_fixed_points(p);
  int stable = 0;
  for (const FixedPoint& f : fps.fixed_points) {
    if (f.stability != Stability::kStable) continue;
    ++stable;
    REQUIRE(f.has_antisymmetric);
    CHECK(f.antisymmetric_eigenvalues(0).real() > 6.5);
    CHECK(f.antisymmetric_eigenvalues(0).real() < 8.0);
  }
  CHECK(stable == 2);
  // The diagram's rows next to n = 40 on the stable parts say the same.
  int rows_near = 0;
  for (const Branch& b : figure5().branches)
    for (const DiagramRow& r : b.rows)
      if (std::abs(r.n - 40) < 0.1 && r.stability == Stability::kStable) {
        ++rows_near;
        REQUIRE(r.has_splitting);
        CHECK(r.split1 > 6.5);
        CHECK(r.split1 < 8.0);
        CHECK(r.unstable_count_k2 == 1);  // stable on the manifold, unstable to splitting
        CHECK_FALSE(r.stable_k2());
      }
  CHECK(rows_near >= 2);
}

TEST_CASE("splitting: branch rows carry analyse_fixed_point's splitting eigenvalues, unstable_count_k2 adds the blocks",
          "[short]") {
  const DiagramSummary& s = figure5();
  int interior = 0, boundary = 0;
  for (const Branch& b : s.branches)
    for (const DiagramRow& r : b.rows) {
      REQUIRE(r.has_splitting);
      const TwoMemoryParameters q = at_row(s, r);
      const FixedPoint f = analyse_fixed_point(q, r.alpha, r.ell, r.kind, true);
      if (r.kind == FixedPointKind::kInterior) {
        ++interior;
        REQUIRE(f.has_antisymmetric);
        CHECK(r.split1 == Approx(f.antisymmetric_eigenvalues(0).real()).epsilon(1e-12));
        CHECK(r.split2 == Approx(f.antisymmetric_eigenvalues(1).real()).epsilon(1e-12));
        CHECK(r.unstable_count_k2 == positive(f.eigenvalues(0).real()) + positive(f.eigenvalues(1).real()) +
                                         positive(f.antisymmetric_eigenvalues(0).real()) +
                                         positive(f.antisymmetric_eigenvalues(1).real()));
      } else {
        ++boundary;
        // On a bound: the alphas' antisymmetric eigenvalue (J11 - J12)(0, 0); split2 is held.
        const double a = antisymmetric_jacobian(q, r.alpha, r.ell)(0, 0);
        CHECK(r.split1 == Approx(a).epsilon(1e-8));
        CHECK(std::isnan(r.split2));
        CHECK(r.unstable_count_k2 == positive(f.eigenvalues(0).real()) + positive(r.split1));
      }
    }
  CHECK(interior > 100);
  CHECK(boundary > 10);
  // Without identical_memories == 2 nothing is computed.
  TwoMemoryParameters p;
  p.T = 700;
  p.identical_memories = 3;
  DiagramOptions o;
  o.from = 20;
  o.to = 30;
  for (const Branch& b : compute_diagram(p, o).branches)
    for (const DiagramRow& r : b.rows) CHECK_FALSE(r.has_splitting);
}

TEST_CASE("splitting: no splitting branch point at T = 700, n in [1, 60]", "[short]") {
  for (const DiagramPoint& sp : figure5().special_points) CHECK(sp.where != "splitting");
}

TEST_CASE("splitting: located branch points at T_r = 1.1 (T = 862.4) are zeros of the leading splitting eigenvalue",
          "[short]") {
  const DiagramSummary s = diagram(862.4, 1, 30);
  std::vector<DiagramPoint> found;
  for (const DiagramPoint& sp : s.special_points)
    if (sp.where == "splitting") found.push_back(sp);
  REQUIRE(found.size() == 2);
  CHECK(found[0].n == Approx(15.1297690).margin(1e-6));
  CHECK(found[1].n == Approx(17.6004996).margin(1e-6));
  for (const DiagramPoint& sp : found) {
    CHECK(sp.type == SpecialPointType::kBranchPoint);
    CHECK(sp.converged);
    CHECK(std::abs(sp.test_value) < 1e-7);
    // Independently: the boundary equilibrium next to it on either side
    // (polished by the fixed-point search) has splitting eigenvalues of opposite signs.
    int signs[2] = {0, 0};
    for (int side = 0; side < 2; ++side) {
      TwoMemoryParameters q = s.parameters;
      q.n = sp.n + (side == 0 ? -1e-3 : 1e-3);
      q.chart = sp.chart;
      double best = 1;
      for (const FixedPoint& f : find_fixed_points(q).fixed_points) {
        if (f.kind != FixedPointKind::kBoundary || f.ell != sp.ell || std::abs(f.alpha - sp.alpha) > best) continue;
        best = std::abs(f.alpha - sp.alpha);
        const double a = splitting_spectrum(q, f.alpha, f.ell, f.kind).real[0].value();
        signs[side] = a > 0 ? 1 : a < 0 ? -1 : 0;
      }
      CHECK(best < 1e-2);
    }
    CHECK(signs[0] * signs[1] == -1);
  }
}

TEST_CASE("splitting: the 4-variable K = 2 Jacobian (finite differences) has the two blocks' eigenvalues", "[short]") {
  TwoMemoryParameters p;
  p.T = 700;
  int checked = 0;
  for (double n : {20.0, 40.0}) {
    p.n = n;
    for (const FixedPoint& f : find_fixed_points(p).fixed_points) {
      if (f.kind != FixedPointKind::kInterior) continue;
      const Eigen::Vector4d x(f.alpha, f.ell, f.alpha, f.ell);
      const Eigen::Matrix4d J = k2_jacobian_fd(p, x, 1e-7);
      Eigen::EigenSolver<Eigen::Matrix4d> solver(J, false);
      std::vector<std::complex<double>> fd, blocks;
      for (int i = 0; i < 4; ++i) fd.push_back(solver.eigenvalues()(i));
      for (int i = 0; i < 2; ++i) blocks.push_back(f.eigenvalues(i)), blocks.push_back(f.antisymmetric_eigenvalues(i));
      fd = sorted(fd);
      blocks = sorted(blocks);
      double scale = 0;
      for (const auto& z : blocks) scale = std::max(scale, std::abs(z));
      INFO("n = " << n << ", alpha = " << f.alpha << ", ell = " << f.ell);
      for (int i = 0; i < 4; ++i) {
        INFO("eigenvalue " << i << ": fd " << fd[i] << ", blocks " << blocks[i]);
        CHECK(std::abs(fd[i] - blocks[i]) <= 1e-5 * std::max(std::abs(blocks[i]), 1e-3 * scale));
      }
      // The unstable count of the full system.
      int unstable = 0;
      for (const auto& z : fd) unstable += z.real() > 0;
      int reduced = 0;
      for (int i = 0; i < 2; ++i)
        reduced += (f.eigenvalues(i).real() > 0) + (f.antisymmetric_eigenvalues(i).real() > 0);
      CHECK(unstable == reduced);
      ++checked;
    }
  }
  CHECK(checked >= 4);
}

TEST_CASE("splitting: on a label bound the alphas' finite-difference Jacobian has eig1 and splitting_eig1", "[short]") {
  // Both labels held at the bound: only alpha_1, alpha_2 move; their 2 x 2
  // Jacobian [[a, b], [b, a]] has a + b (the reduced along-bound eigenvalue)
  // and a - b (the antisymmetric one).
  const DiagramSummary s = diagram(862.4, 1, 30);
  int checked = 0;
  for (const Branch& b : s.branches) {
    if (b.kind != FixedPointKind::kBoundary) continue;
    for (std::size_t i = 0; i < b.rows.size(); i += 5) {
      const DiagramRow& r = b.rows[i];
      if (std::abs(r.alpha) < 1e-4 || std::abs(std::abs(r.alpha) - 1) < 1e-4) continue;  // next to a piece edge
      const TwoMemoryParameters q = at_row(s, r);
      const Eigen::Vector4d x(r.alpha, r.ell, r.alpha, r.ell);
      const Eigen::Matrix4d J = k2_jacobian_fd(q, x, 1e-7);
      const double a = J(0, 0), c = J(0, 2);
      INFO("n = " << r.n << ", alpha = " << r.alpha << ", ell = " << r.ell);
      CHECK(J(2, 2) == Approx(a).epsilon(1e-5));
      CHECK(a + c == Approx(r.eig1).epsilon(1e-5).margin(1e-7));
      CHECK(a - c == Approx(r.split1).epsilon(1e-5).margin(1e-7));
      ++checked;
    }
  }
  CHECK(checked >= 5);
}

// Stability labels and eigenvalues of the equilibria at every (n, T_r) of the
// documented range, against an independent reference (tests/reference_equilibria.hpp:
// drives carried as sign and log in long double, equilibria by brute force on
// a signed log|ell| grid, stability by the slow/fast decomposition or a
// finite-difference 2x2 Jacobian). The audit's grid: n in
// {1,2,3,5,10,20,30,40,60,80,100} x T_r in {0.3,...,1.5} x both charts.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <Eigen/Dense>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/k_memory.hpp"
#include "tests/reference_equilibria.hpp"

using namespace waddington;
using namespace waddington::reduced;
namespace R = waddington::testing::reference;

namespace {

struct Tally {
  int reference = 0, matched = 0, wrong_labels = 0, zero_eigenvalues = 0, magnitude_off = 0, uncertain = 0;
};

const char* label_name(R::Label l) {
  switch (l) {
    case R::Label::kStable: return "stable";
    case R::Label::kSaddle: return "saddle";
    case R::Label::kUnstable: return "unstable";
    default: return "uncertain";
  }
}

// Every reference equilibrium must be found with the same label and with
// eigenvalues of the right sign and magnitude (log10 |Re| within 1e-3 +
// 1e-6 |log10|, the finite-difference accuracy of the reference); a library
// eigenvalue may be 0 only where the reference's is.
void check_case(double n, double Tr, int chart, Tally* t) {
  TwoMemoryParameters p;
  p.n = n, p.T = Tr * p.num_pixels, p.chart = chart;
  const FixedPointSummary s = find_fixed_points(p);
  const R::Case c = R::make_case(p.AA, p.AB, p.BB, n, p.T, chart);
  for (const R::Equilibrium& e : R::equilibria(c, 400)) {
    ++t->reference;
    INFO("n=" << n << " Tr=" << Tr << " chart=" << chart << ": reference " << (e.boundary ? "boundary" : "interior")
              << " alpha=" << double(e.alpha) << " ell=" << double(e.ell) << " " << label_name(e.label));
    const FixedPoint* match = nullptr;
    for (const FixedPoint& f : s.fixed_points)
      if ((f.kind == FixedPointKind::kBoundary) == e.boundary && std::abs(f.alpha - double(e.alpha)) < 1e-6) match = &f;
    CHECK(match != nullptr);
    if (!match) continue;
    ++t->matched;
    if (e.label == R::Label::kUncertain) {
      ++t->uncertain;
      continue;
    }
    const Stability expected = e.label == R::Label::kStable   ? Stability::kStable
                               : e.label == R::Label::kSaddle ? Stability::kSaddle
                                                              : Stability::kUnstable;
    INFO("library: " << ToString(match->stability) << " eigenvalues " << match->spectrum.real[0].ToString() << ", "
                     << match->spectrum.real[1].ToString());
    CHECK(match->stability == expected);
    if (match->stability != expected) ++t->wrong_labels;
    const int count = e.boundary ? 1 : 2;
    for (int i = 0; i < count; ++i) {
      // The reference's order is (slow, fast) or leading first; compare as a set.
      const auto& lib = match->spectrum.real;
      const double want = double(e.eig.log10_abs[i]);
      const int want_sign = e.eig.sign[i];
      const bool zero_where_not = want_sign != 0 && (lib[0].sign == 0 || (count == 2 && lib[1].sign == 0));
      if (zero_where_not) ++t->zero_eigenvalues;
      CHECK_FALSE(zero_where_not);
      const double tol = 1e-3 + 1e-6 * std::abs(want);
      const bool found = (lib[0].sign == want_sign && std::abs(lib[0].log10_abs - want) <= tol) ||
                         (count == 2 && lib[1].sign == want_sign && std::abs(lib[1].log10_abs - want) <= tol);
      INFO("reference eigenvalue " << i << ": sign " << want_sign << " log10|Re| " << want);
      CHECK(found);
      if (!found) ++t->magnitude_off;
    }
  }
}

}  // namespace

TEST_CASE("low temperature: n = 80, T_r = 0.5 has one stable point at alpha = -0.0903 (the audit's example)", "[short]") {
  TwoMemoryParameters p;
  p.n = 80, p.T = 0.5 * p.num_pixels;
  const FixedPointSummary s = find_fixed_points(p);
  int stable = 0;
  for (const auto& f : s.fixed_points) {
    INFO("alpha=" << f.alpha << " " << ToString(f.stability));
    CHECK(f.spectrum.real[0].sign != 0);
    if (f.kind == FixedPointKind::kInterior) CHECK(f.spectrum.real[1].sign != 0);
    if (f.stability == Stability::kStable) {
      ++stable;
      CHECK(f.alpha == Approx(-0.090332).margin(1e-5));
      // Slow eigenvalue ~ -1.37e4, fast ~ -1.9e34: both finite and right in magnitude.
      CHECK(f.spectrum.real[1].log10_abs == Approx(34.278).margin(1e-2));
      CHECK(f.spectrum.real[0].log10_abs == Approx(4.138).margin(1e-2));
    }
  }
  CHECK(stable == 1);
  Tally t;
  check_case(80, 0.5, 1, &t);
  CHECK(t.wrong_labels == 0);
}

TEST_CASE("low temperature: labels and eigenvalues over the audit's (n, T_r, chart) grid", "[slow]") {
  Tally t;
  for (double n : {1, 2, 3, 5, 10, 20, 30, 40, 60, 80, 100})
    for (double Tr : {0.3, 0.4, 0.5, 0.7, 0.9, 1.0, 1.2, 1.5})
      for (int chart : {1, -1}) check_case(n, Tr, chart, &t);
  WARN("reference equilibria " << t.reference << ", matched " << t.matched << ", wrong labels " << t.wrong_labels
                               << ", zero eigenvalues where the truth is not 0 " << t.zero_eigenvalues
                               << ", magnitudes off " << t.magnitude_off << ", uncertain in the reference "
                               << t.uncertain);
  CHECK(t.wrong_labels == 0);
  CHECK(t.zero_eigenvalues == 0);
  CHECK(t.matched == t.reference);
}

// The scaled spectrum is the real flow's: at moderate T_r (doubles suffice)
// its eigenvalues equal those of the finite-difference Jacobian of the real
// (unclipped) velocity, Richardson-extrapolated central differences, and those
// of the exact (Jet) Jacobian in doubles; the splitting eigenvalues equal those
// of the K = 2 block J_11 - J_12.
TEST_CASE("low temperature: scaled eigenvalues equal the real flow's finite-difference eigenvalues at moderate T_r",
          "[short]") {
  int compared = 0;
  for (double n : {3.0, 10.0, 20.0, 40.0})
    for (double Tr : {0.9, 1.0, 1.2, 1.5})
      for (int chart : {1, -1}) {
        TwoMemoryParameters p;
        p.n = n, p.T = Tr * p.num_pixels, p.chart = chart;
        for (const FixedPoint& f : find_fixed_points(p).fixed_points) {
          if (f.kind != FixedPointKind::kInterior) continue;
          INFO("n=" << n << " Tr=" << Tr << " chart=" << chart << " alpha=" << f.alpha << " ell=" << f.ell);
          auto v = [&](double a, double l) { return flow_velocity(p, a, l, p.n, p.T, false); };
          // Steps well inside the label's inner layer (|ell| x^n ~ 1/(4m)), where the flow is linear.
          const double ha = 1e-6, hl = 1e-4 * std::max(std::abs(f.ell), 1e-4 / std::abs(f.spectrum.real[1].value()));
          auto fd = [&](double t) {
            Eigen::Matrix2d J;
            J.col(0) = (v(f.alpha + t * ha, f.ell) - v(f.alpha - t * ha, f.ell)) / (2 * t * ha);
            J.col(1) = (v(f.alpha, f.ell + t * hl) - v(f.alpha, f.ell - t * hl)) / (2 * t * hl);
            return J;
          };
          const Eigen::Matrix2d J = (4 * fd(0.5) - fd(1)) / 3;  // Richardson: O(h^4)
          Eigen::Vector2cd ev = Eigen::EigenSolver<Eigen::Matrix2d>(J).eigenvalues();
          if (ev(1).real() > ev(0).real()) std::swap(ev(0), ev(1));
          Eigen::Vector2cd exact = Eigen::EigenSolver<Eigen::Matrix2d>(flow_jacobian(p, f.alpha, f.ell)).eigenvalues();
          if (exact(1).real() > exact(0).real()) std::swap(exact(0), exact(1));
          const double scale = std::max(std::abs(ev(0)), std::abs(ev(1)));
          for (int i = 0; i < 2; ++i) {
            const double lib = f.spectrum.real[i].value();
            INFO("eigenvalue " << i << ": scaled " << lib << ", finite differences " << ev(i) << ", exact Jet "
                               << exact(i));
            CHECK(std::abs(lib - ev(i).real()) <= 1e-6 * std::max(std::abs(ev(i).real()), 1e-3 * scale));
            CHECK(std::abs(lib - exact(i).real()) <= 1e-9 * std::max(std::abs(exact(i).real()), 1e-6 * scale));
            CHECK(std::abs(f.spectrum.imag[i] - exact(i).imag()) <= 1e-9 * scale);
          }
          if (f.has_antisymmetric) {
            Eigen::Vector2cd anti = Eigen::EigenSolver<Eigen::Matrix2d>(antisymmetric_jacobian(p, f.alpha, f.ell)).eigenvalues();
            if (anti(1).real() > anti(0).real()) std::swap(anti(0), anti(1));
            const double s = std::max(std::abs(anti(0)), std::abs(anti(1)));
            for (int i = 0; i < 2; ++i)
              CHECK(std::abs(f.antisymmetric_spectrum.real[i].value() - anti(i).real()) <= 1e-9 * std::max(std::abs(anti(i).real()), 1e-6 * s));
          }
          ++compared;
        }
      }
  CHECK(compared > 20);
}

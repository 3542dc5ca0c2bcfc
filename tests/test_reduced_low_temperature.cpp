// Stability labels and eigenvalues of the equilibria at every (n, T_r) of the
// documented range, against an independent reference (tests/reference_equilibria.hpp:
// drives carried as sign and log in long double, equilibria by brute force on
// a signed log|ell| grid, stability by the slow/fast decomposition or a
// finite-difference 2x2 Jacobian). The audit's grid: n in
// {1,2,3,5,10,20,30,40,60,80,100} x T_r in {0.3,...,1.5} x both charts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
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
  int unresolved = 0;  // slow eigenvalue compared with the test's own evaluation (see unresolved_slow)
};

// The reference locates a label root on its signed log|ell| grid, whose
// smallest magnitude is 10^t_low (label_roots): an equilibrium whose label is
// below that (x_A = x_B at low T_r, where the label that balances F_1 is
// ~exp(-2 x^n), x^n up to 1e18: below even long double's range) is only
// approximated by the reference, and its slow finite difference along the
// label nullcline (ell jumping between roots near 0) is then noise. Those
// points are recognised here independently of the library, from the
// reference's long-double drives at the library's alpha: F_1 is linear in ell
// inside the inner layer, F_1 = rest + ell * slope, so the balancing label is
// -rest / slope, in log space.
R::Real log_ell_floor(const R::Model& M, R::Real alpha) {
  const R::Real dotA = alpha * M.AA + M.chart * (1 - std::fabs(alpha)) * M.AB;
  const R::Real dotB = alpha * M.AB + M.chart * (1 - std::fabs(alpha)) * M.BB;
  R::Real lxn = -1e30L;
  if (dotA > 0) lxn = std::max(lxn, M.n * (std::log(dotA) - M.log_t_eff));
  if (dotB > 0) lxn = std::max(lxn, M.n * (std::log(dotB) - M.log_t_eff));
  const R::Real t_low = -std::max<R::Real>(20, (std::log(4 * M.m) + lxn) / std::log(R::Real(10)) + 20);
  return t_low * std::log(R::Real(10));
}

// F_1's label slope (central difference in ell across 0 with a step inside
// the inner layer, where F_1 is linear in ell) and its value at ell = 0.
struct LabelLinear {
  R::LogNum rest, slope, balancing;  // balancing = -rest / slope
};
LabelLinear label_linear(const R::Model& M, R::Real alpha) {
  const R::Real h = R::fd_step_ell(M, alpha, 0);
  LabelLinear l;
  l.rest = R::F1(M, R::drives(M, alpha, 0), alpha);
  l.slope = R::mul(R::sub(R::F1(M, R::drives(M, alpha, h), alpha), R::F1(M, R::drives(M, alpha, -h), alpha)),
                   R::make(1, -std::log(2 * h)));
  if (l.rest.sign != 0 && l.slope.sign != 0) l.balancing = R::make(-l.rest.sign * l.slope.sign, l.rest.log - l.slope.log);
  return l;
}

// The slow eigenvalue at such a point, evaluated in the test from the
// reference's drives (long double, log space) at the library's alpha: the
// Schur complement of the real flow's Jacobian at the equilibrium,
//   slow = e^L0 (A00 - A01 A10 / A11),   e^-L0 = |D_A| + |D_B|,
// A the Jacobian of the numerators (F_1, D_ell). A01 = dF_1/dell and
// A11 = dD_ell/dell are central differences inside the inner layer, A10 =
// dD_ell/dalpha at ell = 0 (smooth there: x_A^n - x_B^n) a central difference
// with step 1e-7; D_A, D_B are taken at the balancing label (linear in ell,
// like F_1). A00 cannot be differenced (alpha would have to move by ~1e-20):
// it is bounded instead, |e^L0 A00| <= |d log(term)/dalpha| of F_1's terms
// <= ((4m+2) n x^n + n) max|dlog x/dalpha| + 1/(1-|alpha|) + 1/|alpha|, and the
// comparison is made only where that bound is 10^6 times below the Schur
// term (it is, by 10^(10^7) or more, at every such point of the grid).
struct Slow {
  bool ok = false;
  int sign = 0;
  R::Real log10_abs = 0, log10_a00_bound = 0;
};
Slow unresolved_slow(const R::Model& M, R::Real alpha, const LabelLinear& lin) {
  Slow out;
  const R::Real ln10 = std::log(R::Real(10));
  const R::Real h = R::fd_step_ell(M, alpha, 0), ha = 1e-7L;
  const R::Drives dp = R::drives(M, alpha, h), dm = R::drives(M, alpha, -h), d0 = R::drives(M, alpha, 0);
  const R::LogNum inv2h = R::make(1, -std::log(2 * h));
  const R::LogNum A01 = lin.slope;
  const R::LogNum A11 = R::mul(R::sub(dp.Dell, dm.Dell), inv2h);
  const R::LogNum A10 = R::mul(R::sub(R::drives(M, alpha + ha, 0).Dell, R::drives(M, alpha - ha, 0).Dell),
                               R::make(1, -std::log(2 * ha)));
  const R::LogNum dDA = R::mul(R::sub(dp.DA, dm.DA), inv2h), dDB = R::mul(R::sub(dp.DB, dm.DB), inv2h);
  const R::LogNum DA = R::add(d0.DA, R::mul(lin.balancing, dDA)), DB = R::add(d0.DB, R::mul(lin.balancing, dDB));
  const R::Real log_mem = R::add(R::make(DA.sign != 0, DA.log), R::make(DB.sign != 0, DB.log)).log;
  if (A01.sign == 0 || A10.sign == 0 || A11.sign == 0 || !std::isfinite(log_mem)) return out;
  const R::LogNum schur = R::mul(R::neg(R::mul(A01, A10)), R::make(A11.sign, -A11.log - log_mem));
  // The bound on e^L0 |A00|.
  R::Real g = 0, xn = 0;
  for (auto [X, Y] : {std::pair<R::Real, R::Real>{M.AA, M.AB}, {M.AB, M.BB}}) {
    const R::Real dot = alpha * X + M.chart * (1 - std::fabs(alpha)) * Y;
    const R::Real ddot = X - M.chart * (alpha > 0 ? 1 : -1) * Y;
    if (dot > 0) g = std::max(g, std::fabs(ddot) / dot), xn = std::max(xn, std::exp(M.n * (std::log(dot) - M.log_t_eff)));
  }
  const R::Real bound = ((4 * M.m + 2) * M.n * xn + M.n) * g + 1 / (1 - std::fabs(alpha)) + 1 / std::fabs(alpha);
  out.sign = schur.sign;
  out.log10_abs = schur.log / ln10;
  out.log10_a00_bound = std::log(bound) / ln10;
  out.ok = out.log10_abs > out.log10_a00_bound + 6;
  return out;
}

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
    // Every reference equilibrium is found, including the boundary ones within
    // ~1e-9 of the chart corner alpha = 1 (n = 40, T_r = 1.2 and 1.5; n = 80,
    // T_r = 1), which a double alpha resolves only to a relative residual of
    // ~1e-8 (fixed_point_boundary.cpp, root_at_rounding_level).
    if (!match) {
      FAIL_CHECK("not found by the library: n=" << n << " Tr=" << Tr << " chart=" << chart);
      continue;
    }
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
    // Where the reference cannot resolve the label (see log_ell_floor), its
    // slow eigenvalue (index 0 of a slow/fast pair) is replaced by the test's
    // own evaluation at the library's alpha; its fast one (d(dell/dt)/dell,
    // differenced inside the inner layer, where D_ell is the same at ell = 0
    // as at the unrepresentable true label) is kept.
    bool unresolved = false;
    Slow slow;
    if (!e.boundary) {
      const LabelLinear lin = label_linear(c.M, R::Real(match->alpha));
      // The balancing label is F_1's root only inside the inner layer
      // (layer = 1e6 x the reference's ell step at 0): the reference's own
      // label must lie there too, else its root is a genuine one outside.
      const R::Real layer = 1e6L * R::fd_step_ell(c.M, R::Real(match->alpha), 0);
      unresolved = lin.balancing.sign != 0 && lin.balancing.log < log_ell_floor(c.M, R::Real(match->alpha)) &&
                   std::fabs(e.ell) < 1e-2L * layer;
      if (unresolved) {
        ++t->unresolved;
        slow = unresolved_slow(c.M, R::Real(match->alpha), lin);
        INFO("unresolved by the reference: balancing log10|ell| " << double(lin.balancing.log / std::log(10.0L))
                                                                  << ", test's slow eigenvalue sign " << slow.sign
                                                                  << " log10|Re| " << double(slow.log10_abs)
                                                                  << " (A00 bound log10 " << double(slow.log10_a00_bound)
                                                                  << ")");
        CHECK(e.slow_fast);
        CHECK(slow.ok);
      }
    }
    for (int i = 0; i < count; ++i) {
      // The reference's order is (slow, fast) or leading first; compare as a set.
      const auto& lib = match->spectrum.real;
      const bool use_test = unresolved && i == 0 && slow.ok;
      const double want = double(use_test ? slow.log10_abs : e.eig.log10_abs[i]);
      const int want_sign = use_test ? slow.sign : e.eig.sign[i];
      const bool zero_where_not = want_sign != 0 && (lib[0].sign == 0 || (count == 2 && lib[1].sign == 0));
      if (zero_where_not) ++t->zero_eigenvalues;
      CHECK_FALSE(zero_where_not);
      const double tol = 1e-3 + 1e-6 * std::abs(want);
      const bool found = (lib[0].sign == want_sign && std::abs(lib[0].log10_abs - want) <= tol) ||
                         (count == 2 && lib[1].sign == want_sign && std::abs(lib[1].log10_abs - want) <= tol);
      INFO((use_test ? "test's" : "reference") << " eigenvalue " << i << ": sign " << want_sign << " log10|Re| " << want);
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
      // Slow eigenvalue ~ -1.37e4, fast ~ -8.4e34: both finite and right in
      // magnitude (the reference, check_case below, agrees; its earlier -1.9e34
      // divided by max(|D_ell|, |D_gam|) at its approximate root, where the
      // leftover D_ell exceeded |D_gam|).
      CHECK(f.spectrum.real[1].log10_abs == Approx(34.922).margin(1e-2));
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
                               << t.uncertain << ", slow eigenvalue from the test's own evaluation (label below the reference's resolution) "
                               << t.unresolved);
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
            // The finite-difference reference is rounding-limited (steps down to 1e-10 in ell
            // inside the inner layer): about 1e-6 relative for the slow eigenvalue at n = 10,
            // T_r = 0.9, where it moves with the last bits of the velocity. The exact check
            // against the Jet Jacobian follows.
            CHECK(std::abs(lib - ev(i).real()) <= 2e-6 * std::max(std::abs(ev(i).real()), 1e-3 * scale));
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

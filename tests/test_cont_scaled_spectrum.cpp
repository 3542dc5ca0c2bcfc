// Spectrum of a row-scaled 2x2 Jacobian diag(e^L0, e^L1) A: against Eigen's
// eigen-solver where the product is representable, against the closed-form
// slow/fast asymptotics where it is not, and the classification at the
// degenerate cases (fold, centre).
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <random>

#include "continuation/scaled_spectrum.hpp"

using namespace waddington::continuation;

namespace {
constexpr double kLn10 = 2.302585092994045684;
}

TEST_CASE("scaled spectrum equals the eigenvalues of the formed matrix at moderate scales", "[short]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> entry(-3, 3), scale(-6, 6);
  for (int trial = 0; trial < 2000; ++trial) {
    Eigen::Matrix2d A;
    A << entry(rng), entry(rng), entry(rng), entry(rng);
    const double L0 = scale(rng), L1 = scale(rng);
    Eigen::Matrix2d J = A;
    J.row(0) *= std::exp(L0);
    J.row(1) *= std::exp(L1);
    Eigen::Vector2cd ev = Eigen::EigenSolver<Eigen::Matrix2d>(J).eigenvalues();
    if (ev(1).real() > ev(0).real()) std::swap(ev(0), ev(1));
    const ScaledSpectrum s = scaled_spectrum(A, L0, L1);
    INFO("trial " << trial << " A=" << A << " L=" << L0 << "," << L1);
    const double size = std::abs(ev(0)) + std::abs(ev(1));
    for (int i = 0; i < 2; ++i) CHECK(std::abs(s.real[i].value() - ev(i).real()) <= 1e-9 * size);
    CHECK(s.complex == (std::abs(ev(0).imag()) > 0));
    if (s.complex) CHECK(std::abs(std::abs(s.imag[0]) - std::abs(ev(0).imag())) <= 1e-9 * size);
    // The classification follows the signs of the real parts.
    const int unstable = (ev(0).real() > 0) + (ev(1).real() > 0);
    CHECK(s.unstable_count == unstable);
    if (s.certain) {
      const Stability expected = unstable == 0 ? Stability::kStable
                                 : unstable == 2 ? Stability::kUnstable
                                                 : Stability::kSaddle;
      CHECK(s.stability == expected);
    }
  }
}

TEST_CASE("scaled spectrum: a fast row far beyond the double range (slow/fast asymptotics)", "[short]") {
  // J = diag(1, e^L) A with L = 1.3e6: fast eigenvalue e^L A11 (1 + O(e^-L)),
  // slow eigenvalue det A / A11 (exact to rounding).
  Eigen::Matrix2d A;
  A << 0.7, -2.5, 1.5, -4.0;
  const double L = 1.3e6;
  const ScaledSpectrum s = scaled_spectrum(A, 0, L);
  const double slow = (A.determinant()) / A(1, 1);  // (0.7*-4 + 3.75)/-4 = -0.2375
  // Leading first: the slow one (-0.2375) is larger than the fast -4 e^L.
  CHECK(s.real[0].sign == -1);
  CHECK(s.real[0].value() == Approx(slow).epsilon(1e-13));
  CHECK(s.real[1].sign == -1);
  CHECK(s.real[1].log10_abs == Approx((L + std::log(4.0)) / kLn10).epsilon(1e-15));
  CHECK(std::isinf(s.real[1].value()));
  CHECK(s.stability == Stability::kStable);
  CHECK(s.certain);
  // The same with det A < 0: a saddle whose slow eigenvalue is positive.
  A(0, 0) = 1.0;  // det = -4 + 3.75 = -0.25 -> slow = 0.0625 > 0
  const ScaledSpectrum t = scaled_spectrum(A, 0, L);
  CHECK(t.stability == Stability::kSaddle);
  CHECK(t.real[0].value() == Approx(0.0625).epsilon(1e-13));
  CHECK(t.unstable_count == 1);
}

TEST_CASE("scaled spectrum: the slow row far below the double range", "[short]") {
  // J = diag(e^-L, 1) A with L = 2e5: slow eigenvalue e^-L det A / A11, which
  // underflows as a double but keeps its sign and log10 magnitude.
  Eigen::Matrix2d A;
  A << -1.0, 0.5, 2.0, -3.0;
  const double L = 2e5;
  const ScaledSpectrum s = scaled_spectrum(A, -L, 0);
  const double slow_ln = -L + std::log(std::abs(A.determinant() / A(1, 1)));
  CHECK(s.real[0].sign == -1);
  CHECK(s.real[0].log10_abs == Approx(slow_ln / kLn10).epsilon(1e-14));
  CHECK(s.real[0].value() != 0);  // never 0 where the truth is not 0
  CHECK(s.real[1].value() == Approx(-3.0).epsilon(1e-14));
  CHECK(s.stability == Stability::kStable);
}

TEST_CASE("scaled spectrum: both rows scaled by the same huge factor", "[short]") {
  Eigen::Matrix2d A;
  A << 0.0, 1.0, -2.0, -0.5;  // complex pair -0.25 +- i sqrt(2 - 1/16)
  const double L = 5e4;
  const ScaledSpectrum s = scaled_spectrum(A, L, L);
  CHECK(s.complex);
  CHECK(s.real[0].sign == -1);
  CHECK(s.real[0].log10_abs == Approx((L + std::log(0.25)) / kLn10).epsilon(1e-14));
  CHECK(s.stability == Stability::kStable);
}

TEST_CASE("scaled spectrum: folds and centres are uncertain, not mislabelled", "[short]") {
  Eigen::Matrix2d fold;
  fold << 1.0, 2.0, 2.0, 4.0;  // det = 0
  CHECK(scaled_spectrum(fold, 0, 300).stability == Stability::kUnknown);
  CHECK_FALSE(scaled_spectrum(fold, 0, 300).certain);
  Eigen::Matrix2d centre;
  centre << 0.0, 1.0, -1.0, 0.0;  // trace 0, det 1
  const ScaledSpectrum c = scaled_spectrum(centre, 0, 0);
  CHECK(c.stability == Stability::kUnknown);
  CHECK(c.det_sign == 1);
  CHECK(c.trace_sign == 0);
}

TEST_CASE("WideReal prints and converts at any magnitude", "[short]") {
  WideReal w{-1, 560960.49};
  CHECK(w.ToString(4) == "-3.090e+560960");
  CHECK(std::isinf(w.value()));
  CHECK(w.value() < 0);
  WideReal v{1, -400.5};
  CHECK(v.ToString(3) == "3.16e-401");
  CHECK(v.value() > 0);
  CHECK(WideReal::FromDouble(-2.5).ToString() == "-2.5");
  CHECK(WideReal::FromDouble(0).ToString() == "0");
  // Only the mantissa digits log10|x| resolves: 6 at 10^(1e9) (its ulp is 1.2e-7),
  // none at 10^(1.18e18): a power of ten then, not a mantissa of noise.
  CHECK(WideReal{1, 1e9 + 0.5}.ToString(10) == "3.16228e+1000000000");
  CHECK(WideReal{1, 1.1805828419936174e18}.ToString(5) == "10^(1.1806e+18)");
  CHECK(WideReal{-1, 1.1805828419936174e18}.ToString(5) == "-10^(1.1806e+18)");
}

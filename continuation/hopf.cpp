// The Hopf test function and the classification of its zeros (see hopf.hpp).
#include "continuation/hopf.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

namespace waddington::continuation {
namespace {

constexpr double kClamp = 1e300;

double radius(const Eigen::VectorXcd& ev) {
  double r = 1;
  for (int i = 0; i < ev.size(); ++i) r = std::max(r, std::abs(ev(i)));
  return r;
}

}  // namespace

double bialternate_test_function(const Eigen::VectorXcd& ev) {
  if (!ev.allFinite()) return std::numeric_limits<double>::quiet_NaN();
  std::complex<double> product = 1;
  for (int i = 0; i < ev.size(); ++i)
    for (int j = i + 1; j < ev.size(); ++j) {
      product *= ev(i) + ev(j);
      // Keep the running product in range; the sign of the real part is what matters beyond it.
      const double m = std::abs(product);
      if (m > kClamp) product *= kClamp / m;
    }
  return std::clamp(product.real(), -kClamp, kClamp);
}

int unstable_complex_count(const Eigen::VectorXcd& ev, double imag_tolerance) {
  const double tol = imag_tolerance * radius(ev);
  int count = 0;
  for (int i = 0; i < ev.size(); ++i) count += ev(i).real() > 0 && std::abs(ev(i).imag()) > tol;
  return count;
}

CrossingPair crossing_pair(const Eigen::VectorXcd& ev, double imag_tolerance) {
  CrossingPair out;
  if (ev.size() < 2 || !ev.allFinite()) return out;
  const double tol = imag_tolerance * radius(ev);
  double best = std::numeric_limits<double>::infinity();
  int bi = -1, bj = -1;
  for (int i = 0; i < ev.size(); ++i)
    for (int j = i + 1; j < ev.size(); ++j)
      if (const double m = std::abs(ev(i) + ev(j)); m < best) best = m, bi = i, bj = j;
  const std::complex<double> a = ev(bi), b = ev(bj);
  // A conjugate pair: imaginary parts opposite and away from zero, real parts equal (to rounding).
  const bool conjugate = std::abs(a.imag()) > tol && a.imag() * b.imag() < 0 &&
                         std::abs(a - std::conj(b)) <= 1e-6 * std::abs(a);
  if (!conjugate) return out;
  out.found = true;
  out.real = 0.5 * (a.real() + b.real());
  out.frequency = 0.5 * (std::abs(a.imag()) + std::abs(b.imag()));
  return out;
}

}  // namespace waddington::continuation

#include "continuation/scaled_spectrum.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace waddington::continuation {
namespace {

constexpr double kLn10 = 2.302585092994045684;

int sign_of(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

// sign * exp(log_abs), as a WideReal.
WideReal from_log(int sign, double log_abs) {
  WideReal w;
  w.sign = sign;
  w.log10_abs = sign == 0 ? 0 : log_abs / kLn10;
  return w;
}

// a > b as real numbers.
bool greater(const WideReal& a, const WideReal& b) {
  if (a.sign != b.sign) return a.sign > b.sign;
  if (a.sign == 0) return false;
  return a.sign > 0 ? a.log10_abs > b.log10_abs : a.log10_abs < b.log10_abs;
}

}  // namespace

double WideReal::value() const {
  if (sign == 0) return 0;
  if (log10_abs > std::log10(DBL_MAX)) return sign * std::numeric_limits<double>::infinity();
  if (log10_abs < std::log10(DBL_MIN)) return sign * DBL_MIN;
  return sign * std::pow(10.0, log10_abs);
}

std::string WideReal::ToString(int digits) const {
  if (sign == 0) return "0";
  if (std::abs(log10_abs) < 300) return fmt::format("{:.{}g}", value(), digits);
  // The mantissa holds only the digits log10_abs resolves: 10^(ulp of log10_abs)
  // - 1 is its relative error. Where not even one digit is left (|log10_abs|
  // beyond ~4e14), the number is written as a power of ten.
  const double ulp = std::abs(std::nextafter(log10_abs, 2 * log10_abs) - log10_abs);
  const int resolved = int(std::floor(-std::log10(ulp * M_LN10)));
  if (resolved < 1) return fmt::format("{}10^({:.{}g})", sign < 0 ? "-" : "", log10_abs, digits);
  digits = std::min(digits, resolved);
  double exponent = std::floor(log10_abs);
  double mantissa = std::pow(10.0, log10_abs - exponent);
  if (mantissa >= 10) mantissa /= 10, exponent += 1;
  return fmt::format("{}{:.{}f}e{}{:.0f}", sign < 0 ? "-" : "", mantissa, std::max(digits - 1, 0),
                     exponent < 0 ? "-" : "+", std::abs(exponent));
}

WideReal WideReal::FromDouble(double v) {
  WideReal w;
  w.sign = sign_of(v);
  w.log10_abs = w.sign == 0 ? 0 : std::log10(std::abs(v));
  return w;
}

ScaledSpectrum scaled_spectrum(const Eigen::Matrix2d& A, double L0, double L1, double tol) {
  ScaledSpectrum s;
  const double L = std::max(L0, L1);
  const double r0 = std::exp(L0 - L), r1 = std::exp(L1 - L);  // one of them is 1
  const double m00 = r0 * A(0, 0), m11 = r1 * A(1, 1);
  const double tr = m00 + m11, tr_terms = std::abs(m00) + std::abs(m11);
  const double det_a = A(0, 0) * A(1, 1) - A(0, 1) * A(1, 0);
  const double det_terms = std::abs(A(0, 0) * A(1, 1)) + std::abs(A(0, 1) * A(1, 0));
  const bool det_certain = std::abs(det_a) > tol * det_terms;
  const bool trace_certain = std::abs(tr) > tol * tr_terms;
  s.det_sign = det_certain ? sign_of(det_a) : 0;
  s.trace_sign = trace_certain ? sign_of(tr) : 0;
  // det M = exp(L0 + L1 - 2L) det A; as a double it may underflow harmlessly
  // against tr^2, its log never does.
  const double log_det_m = (L0 + L1 - 2 * L) + std::log(std::abs(det_a));
  const double det_m = sign_of(det_a) * std::exp(log_det_m);
  const double disc = tr * tr - 4 * det_m;
  if (disc < 0) {
    s.complex = true;
    const double re = tr / 2, im = std::sqrt(-disc) / 2;
    s.real[0] = s.real[1] = from_log(sign_of(re), L + std::log(std::abs(re)));
    s.imag[0] = std::exp(L + std::log(im)), s.imag[1] = -s.imag[0];
  } else {
    const double mu1 = (tr + std::copysign(std::sqrt(disc), tr)) / 2;  // the larger in magnitude
    if (mu1 == 0) {
      s.real[0] = s.real[1] = WideReal{};
    } else {
      s.real[0] = from_log(sign_of(mu1), L + std::log(std::abs(mu1)));
      // lambda2 = e^L det M / mu1 = e^min(L0, L1) det A / mu1, in log space
      // (min(L0, L1) directly: L + (L0 + L1 - 2L) would cancel digits of L).
      s.real[1] = from_log(sign_of(det_a) * sign_of(mu1), std::min(L0, L1) + std::log(std::abs(det_a)) - std::log(std::abs(mu1)));
    }
    if (greater(s.real[1], s.real[0])) std::swap(s.real[0], s.real[1]);
  }
  for (const auto& r : s.real) s.unstable_count += r.sign > 0;
  if (s.det_sign < 0) s.stability = Stability::kSaddle;
  else if (s.det_sign > 0 && s.trace_sign < 0) s.stability = Stability::kStable;
  else if (s.det_sign > 0 && s.trace_sign > 0) s.stability = Stability::kUnstable;
  else s.stability = Stability::kUnknown;
  s.certain = s.stability != Stability::kUnknown;
  return s;
}

}  // namespace waddington::continuation

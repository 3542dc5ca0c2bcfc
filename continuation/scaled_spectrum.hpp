#pragma once
// Eigenvalues of a 2x2 Jacobian whose rows carry positive scale factors far
// outside the range of a double: J = diag(exp(L0), exp(L1)) * A, with A of
// moderate size and the log-scales L0, L1 given. This is the form of every
// flow "numerator / positive denominator" at an equilibrium: A is the
// numerators' Jacobian and exp(-L_i) the denominators. With a time-scale
// separation of e^(10^6) (a label that relaxes instantly) the product J cannot
// be formed, but its spectrum can:
//   - factor the larger scale out: J = exp(L) M, M = diag(exp(L0-L), exp(L1-L)) A,
//     L = max(L0, L1), so M has no entry above |A|;
//   - the larger eigenvalue of M from the stable quadratic formula; the smaller
//     one from det M = exp(L0+L1-2L) det A, in log space (it never underflows);
//   - classification from det A and the trace, with an explicit "uncertain"
//     where det A or the trace is at rounding level (a fold or a Hopf point).
// Each eigenvalue's real part is kept as sign and log10 magnitude: exact at
// any scale; value() gives the double when it is representable.
#include <Eigen/Core>

#include <array>
#include <string>

#include "continuation/types.hpp"

namespace waddington::continuation {

// A real number as sign * 10^log10_abs (sign 0: exactly zero).
struct WideReal {
  int sign = 0;
  double log10_abs = 0;
  // The double it stands for; +-infinity beyond the double range (use
  // log10_abs then), 0 only when it is exactly 0 (a denormal result keeps
  // sign and is returned as the smallest normal number with that sign).
  double value() const;
  // "-3.0912e+560960": sign, mantissa and exponent, exact at any magnitude.
  std::string ToString(int significant_digits = 10) const;
  static WideReal FromDouble(double v);
};

struct ScaledSpectrum {
  // Real parts, leading (largest real part) first; imaginary parts (a complex
  // pair only occurs when the two scales are comparable, so they are doubles).
  std::array<WideReal, 2> real;
  std::array<double, 2> imag = {0, 0};
  bool complex = false;
  // Signs of det J and trace J (0: at rounding level, see `certain`).
  int det_sign = 0, trace_sign = 0;
  int unstable_count = 0;  // real parts > 0
  Stability stability = Stability::kUnknown;
  // False when det A or the trace is within rounding of 0 (the point is at a
  // fold or a Hopf point): the stability is then kUnknown.
  bool certain = false;
};

// The spectrum of diag(exp(log_scale0), exp(log_scale1)) * A. `relative_tolerance`
// decides "at rounding level": |det A| <= tol (|A00 A11| + |A01 A10|), and the
// same for the trace against its terms.
ScaledSpectrum scaled_spectrum(const Eigen::Matrix2d& A, double log_scale0, double log_scale1,
                               double relative_tolerance = 1e-12);

}  // namespace waddington::continuation

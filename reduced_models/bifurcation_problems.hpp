#pragma once
// The reduced two-memory model (MODEL.md 2) as continuation problems on one
// smooth piece: the interior numerator system (2 equations in alpha, ell and
// the parameter), the boundary system on ell = +-1 (1 equation in alpha and
// the parameter) and the fold system (3 equations in alpha, ell, n, T). Each
// has domain tests g_i >= 0 (piece edges, ell = +-1, the window).
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "reduced_models/bifurcation.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced::detail {

// The numerator residual of MODEL.md 2 on a piece where sign(alpha) = sigma is
// fixed, so that alpha_B = s (1 - sigma alpha) stays smooth across the piece
// edges (the Newton iterates of an edge crossing may step slightly beyond).
// F_1 = s (D_A alpha_B - D_B alpha_A), F_2 = D_ell. False in the dead region.
template <class S>
bool piece_numerator(const TwoMemoryParameters& p, int sigma, const S& alpha, const S& ell, const S& n, const S& T,
                     S* F) {
  if (!(scalar_value(n) > 0) || !(scalar_value(T) > 0)) return false;
  const S alpha_B = S(double(p.chart)) * (S(1.0) - S(double(sigma)) * alpha);
  const Drives<S> d = two_memory_drives(p, alpha, alpha_B, ell, n, T);
  if (d.dead) return false;
  F[0] = d.A * (S(1.0) - S(double(sigma)) * alpha) - S(double(p.chart)) * alpha * d.B;
  F[1] = d.ell;
  return true;
}

inline int piece_sign(const SmoothPiece& piece) { return piece.alpha_min + piece.alpha_max > 0 ? +1 : -1; }

// Interior equilibria: y = (alpha, ell, parameter).
struct InteriorBranchProblem {
  static constexpr int kEquations = 2, kTests = 6;
  TwoMemoryParameters parameters;  // chart = piece.chart
  BifurcationParameter which = BifurcationParameter::kN;
  SmoothPiece piece;
  double from = 0, to = 1;

  template <class S>
  bool residual(const S* y, S* F) const {
    const bool by_n = which == BifurcationParameter::kN;
    return piece_numerator(parameters, piece_sign(piece), y[0], y[1], by_n ? y[2] : S(parameters.n),
                           by_n ? S(parameters.T) : y[2], F);
  }
  // Tests: 0 lower edge, 1 upper edge, 2 ell = +1, 3 ell = -1, 4 window start, 5 window end.
  template <class S>
  void tests(const S* y, S* g) const {
    g[0] = y[0] - piece.alpha_min;
    g[1] = piece.alpha_max - y[0];
    g[2] = 1.0 - y[1];
    g[3] = 1.0 + y[1];
    g[4] = y[2] - from;
    g[5] = to - y[2];
  }
};

// Boundary equilibria on ell = ell_bound: y = (alpha, parameter); they exist
// while the label drive points outward (test 4).
struct BoundaryBranchProblem {
  static constexpr int kEquations = 1, kTests = 5;
  TwoMemoryParameters parameters;
  BifurcationParameter which = BifurcationParameter::kN;
  SmoothPiece piece;
  double ell_bound = 1;
  double from = 0, to = 1;

  template <class S>
  bool both(const S* y, S* F) const {
    const bool by_n = which == BifurcationParameter::kN;
    return piece_numerator(parameters, piece_sign(piece), y[0], S(ell_bound), by_n ? y[1] : S(parameters.n),
                           by_n ? S(parameters.T) : y[1], F);
  }
  template <class S>
  bool residual(const S* y, S* F) const {
    S both_F[2];
    if (!both(y, both_F)) return false;
    F[0] = both_F[0];
    return true;
  }
  // Tests: 0 lower edge, 1 upper edge, 2 window start, 3 window end, 4 outward label drive.
  void tests(const double* y, double* g) const {
    g[0] = y[0] - piece.alpha_min;
    g[1] = piece.alpha_max - y[0];
    g[2] = y[1] - from;
    g[3] = to - y[1];
    double F[2];
    g[4] = both(y, F) ? ell_bound * F[1] : -1.0;
  }
};

// Folds in two parameters: y = (alpha, ell, n, T), F = (F_1, F_2, det dF/d(alpha, ell)).
// F_1, F_2 are differentiated exactly; the determinant is exact in value (an
// inner Jet) and its gradient is a central difference of that exact value
// (enough for Newton; the located folds satisfy the exact system).
struct FoldCurveProblem {
  static constexpr int kEquations = 3, kTests = 8;
  TwoMemoryParameters parameters;
  SmoothPiece piece;
  double n_min = 1, n_max = 60, T_min = 600, T_max = 900;

  // det of the numerator Jacobian in (alpha, ell) at y (NaN where undefined).
  double determinant(const double* y) const {
    using Inner = ceres::Jet<double, 2>;
    Inner f[2];
    if (!piece_numerator(parameters, piece_sign(piece), Inner(y[0], 0), Inner(y[1], 1), Inner(y[2]), Inner(y[3]), f))
      return NAN;
    return f[0].v(0) * f[1].v(1) - f[0].v(1) * f[1].v(0);
  }

  template <class S>
  bool residual(const S* y, S* F) const {
    S f[2];
    if (!piece_numerator(parameters, piece_sign(piece), y[0], y[1], y[2], y[3], f)) return false;
    F[0] = f[0];
    F[1] = f[1];
    double y0[4];
    for (int i = 0; i < 4; ++i) y0[i] = scalar_value(y[i]);
    if constexpr (std::is_same_v<S, double>) {
      F[2] = determinant(y0);
    } else {
      F[2] = S(determinant(y0));
      F[2].v.setZero();
      for (int k = 0; k < 4; ++k) {
        const double h = 1e-6 * std::max(1.0, std::abs(y0[k]));
        double yp[4], ym[4];
        std::copy(y0, y0 + 4, yp);
        std::copy(y0, y0 + 4, ym);
        yp[k] += h;
        ym[k] -= h;
        F[2].v += (determinant(yp) - determinant(ym)) / (2 * h) * y[k].v;
      }
    }
    return std::isfinite(scalar_value(F[2]));
  }
  // Tests: 0,1 piece edges; 2,3 ell = +-1; 4,5 n window; 6,7 T window.
  template <class S>
  void tests(const S* y, S* g) const {
    g[0] = y[0] - piece.alpha_min;
    g[1] = piece.alpha_max - y[0];
    g[2] = 1.0 - y[1];
    g[3] = 1.0 + y[1];
    g[4] = y[2] - n_min;
    g[5] = n_max - y[2];
    g[6] = y[3] - T_min;
    g[7] = T_max - y[3];
  }
};

}  // namespace waddington::reduced::detail

#pragma once
// The reduced two-memory model (docs/model.md §2) as problems of the generic
// continuation engine (continuation/), one smooth piece at a time:
//  - InteriorBranchProblem: the numerator system F(alpha, ell; p) = 0 (2 equations),
//  - BoundaryBranchProblem: the alpha-equation on ell = +-1 (1 equation), kept
//    while the clipped label drive points outward,
//  - FoldCurveProblem: F(alpha, ell; n, T) = 0 in two parameters, for the
//    engine's fold-curve continuation (minimally augmented system).
// Exact Jacobians through the engine's ceres::Jet adapters. The parameters are
// scaled (p = (value - offset) / scale for diagrams, n / n_scale and T / T_scale
// for fold curves) so that the engine's Euclidean
// arclength weighs alpha, ell and the window alike. Boundary functions are the
// piece edges and ell = +-1, offset outward by a rounding-level slack so that
// a branch started exactly on an edge (a continuation across it) starts inside.
#include <ceres/jet.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <fmt/format.h>

#include "continuation/problem.hpp"
#include "reduced_models/bifurcation.hpp"
#include "reduced_models/equilibrium.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced::detail {

// How far (in alpha, ell) beyond an edge a branch may go before it has left
// the piece: rounding of the start's Newton correction at fixed parameter.
inline constexpr double kEdgeSlack = 1e-14;
// The same for the label-release test ell_bound * D_ell >= 0 of a boundary
// branch started at the contact of an interior branch with ell = +-1 (the
// contact is polished so that D_ell vanishes to rounding, ~1e-13, there).
inline constexpr double kReleaseSlack = 1e-12;

// The numerator residual of docs/model.md §2 on a piece where sign(alpha) = sigma is
// fixed, so that alpha_B = s (1 - sigma alpha) stays smooth across the piece
// edges (Newton iterates of an edge crossing may step slightly beyond).
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

// Names of the boundary functions shared by the problems below.
inline std::string edge_name(const SmoothPiece& piece, int i) {
  switch (i) {
    case 0: return piece.lower_edge;
    case 1: return piece.upper_edge;
    case 2: return "ell=+1";
    case 3: return "ell=-1";
  }
  return "boundary " + std::to_string(i);
}

// Boundary function i of an (alpha, ell) problem on `piece` (names: edge_name):
// 0 lower edge, 1 upper edge, 2 ell = +1, 3 ell = -1; >= 0 inside.
inline double edge_boundary(const SmoothPiece& piece, int i, const continuation::Vector& x) {
  switch (i) {
    case 0: return x(0) - piece.alpha_min + kEdgeSlack;
    case 1: return piece.alpha_max - x(0) + kEdgeSlack;
    case 2: return 1.0 - x(1) + kEdgeSlack;
    default: return 1.0 + x(1) + kEdgeSlack;
  }
}

// x = (alpha, ell), p = (the continued parameter - offset) / scale.
struct InteriorFunctor {
  TwoMemoryParameters parameters;  // chart = the piece's chart
  BifurcationParameter which = BifurcationParameter::kN;
  int sigma = +1;
  double scale = 1, offset = 0;
  template <class S>
  bool operator()(const S* x, const S& p, S* f) const {
    const bool by_n = which == BifurcationParameter::kN;
    const S value = p * scale + offset;
    return piece_numerator(parameters, sigma, x[0], x[1], by_n ? value : S(parameters.n),
                           by_n ? S(parameters.T) : value, f);
  }
};

class InteriorBranchProblem : public continuation::AutoDiffProblem<InteriorFunctor, 2> {
 public:
  InteriorBranchProblem(const TwoMemoryParameters& q, BifurcationParameter which, const SmoothPiece& piece,
                        double scale, double offset)
      : AutoDiffProblem(InteriorFunctor{q, which, piece_sign(piece), scale, offset}), piece_(piece) {}
  // 0 lower edge, 1 upper edge, 2 ell = +1, 3 ell = -1.
  int boundary_count() const override { return 4; }
  double boundary_function(int i, const continuation::Vector& x, double) const override {
    return edge_boundary(piece_, i, x);
  }
  std::string boundary_name(int i) const override { return edge_name(piece_, i); }
  // The real flow's eigenvalues at the equilibrium (equilibrium_spectrum,
  // docs/numerics.md §7), not those of the numerators' Jacobian (its rows lack
  // the positive denominators, which move the trace's zero): the engine's Hopf
  // test must see the real flow. Real parts beyond the double range are
  // clamped to +-1e300 (a complex pair only occurs where both are moderate).
  Eigen::VectorXcd stability_eigenvalues(const continuation::Vector& x, double p) const override {
    const continuation::ScaledSpectrum s = spectrum(x, p);
    Eigen::VectorXcd ev(2);
    for (int k = 0; k < 2; ++k)
      ev(k) = {s.real[k].sign == 0 ? 0.0 : std::clamp(s.real[k].value(), -1e300, 1e300), s.imag[k]};
    return ev;
  }
  // The real flow's spectrum at (x, p) (equilibrium_spectrum at the parameters
  // of p). Every one computed is kept: the engine's Hopf test computes it at
  // each accepted point, and the diagram's rows (those points) take it from here.
  continuation::ScaledSpectrum spectrum(const continuation::Vector& x, double p) const {
    const std::array<double, 3> key = {x(0), x(1), p};
    if (const auto it = spectra_.find(key); it != spectra_.end()) return it->second;
    TwoMemoryParameters q = functor().parameters;
    const double value = p * functor().scale + functor().offset;
    (functor().which == BifurcationParameter::kN ? q.n : q.T) = value;
    return spectra_[key] = equilibrium_spectrum(q, x(0), x(1), FixedPointKind::kInterior);
  }

 private:
  SmoothPiece piece_;
  mutable std::map<std::array<double, 3>, continuation::ScaledSpectrum> spectra_;  // one problem per thread
};

// x = (alpha), ell = ell_bound fixed; p = (the continued parameter - offset) / scale.
struct BoundaryFunctor {
  TwoMemoryParameters parameters;
  BifurcationParameter which = BifurcationParameter::kN;
  int sigma = +1;
  double scale = 1, offset = 0;
  double ell_bound = 1;
  template <class S>
  bool both(const S* x, const S& p, S* F) const {
    const bool by_n = which == BifurcationParameter::kN;
    const S value = p * scale + offset;
    return piece_numerator(parameters, sigma, x[0], S(ell_bound), by_n ? value : S(parameters.n),
                           by_n ? S(parameters.T) : value, F);
  }
  template <class S>
  bool operator()(const S* x, const S& p, S* f) const {
    S F[2];
    if (!both(x, p, F)) return false;
    f[0] = F[0];
    return true;
  }
};

class BoundaryBranchProblem : public continuation::AutoDiffProblem<BoundaryFunctor, 1> {
 public:
  BoundaryBranchProblem(const TwoMemoryParameters& q, BifurcationParameter which, const SmoothPiece& piece,
                        double scale, double offset, double ell_bound)
      : AutoDiffProblem(BoundaryFunctor{q, which, piece_sign(piece), scale, offset, ell_bound}), piece_(piece) {}
  // 0 lower edge, 1 upper edge, 2 the label drive points outward (ell_bound * D_ell >= 0).
  int boundary_count() const override { return 3; }
  double boundary_function(int i, const continuation::Vector& x, double p) const override {
    if (i == 0) return x(0) - piece_.alpha_min + kEdgeSlack;
    if (i == 1) return piece_.alpha_max - x(0) + kEdgeSlack;
    double F[2];
    const double y[1] = {x(0)};
    if (!functor().both(y, p, F)) return -1.0;
    return functor().ell_bound * F[1] + kReleaseSlack;
  }
  std::string boundary_name(int i) const override {
    return i < 2 ? edge_name(piece_, i) : fmt::format("ell={:+g} (label released)", functor().ell_bound);
  }

 private:
  SmoothPiece piece_;
};

// x = (alpha, ell), p1 = n / n_scale, p2 = T / T_scale.
struct FoldFunctor {
  TwoMemoryParameters parameters;
  int sigma = +1;
  double n_scale = 1, T_scale = 1;
  template <class S>
  bool operator()(const S* x, const S& p1, const S& p2, S* f) const {
    return piece_numerator(parameters, sigma, x[0], x[1], p1 * n_scale, p2 * T_scale, f);
  }
};

class FoldCurveProblem : public continuation::AutoDiffTwoParameterProblem<FoldFunctor, 2> {
 public:
  FoldCurveProblem(const TwoMemoryParameters& q, const SmoothPiece& piece, double n_scale, double T_scale)
      : AutoDiffTwoParameterProblem(FoldFunctor{q, piece_sign(piece), n_scale, T_scale}), piece_(piece) {}
  int boundary_count() const override { return 4; }
  double boundary_function(int i, const continuation::Vector& x, double, double) const override {
    return edge_boundary(piece_, i, x);
  }
  std::string boundary_name(int i) const override { return edge_name(piece_, i); }

 private:
  SmoothPiece piece_;
};

// Newton on the piece's numerators at fixed parameters q (x = alpha, ell; ell
// held at `ell_bound` for a boundary branch). Returns the final max-norm
// residual (infinity if Newton failed).
inline double polish_on_piece(const TwoMemoryParameters& q, const SmoothPiece& piece, bool interior, double ell_bound, double x[2],
              double tolerance) {
  const int sigma = piece_sign(piece);
  double residual = std::numeric_limits<double>::infinity();
  for (int it = 0; it < 40; ++it) {
    using Jet = ceres::Jet<double, 2>;
    Jet F[2];
    if (!piece_numerator(q, sigma, Jet(x[0], 0), interior ? Jet(x[1], 1) : Jet(ell_bound), Jet(q.n), Jet(q.T),
                                 F))
      return std::numeric_limits<double>::infinity();
    residual = interior ? std::max(std::abs(F[0].a), std::abs(F[1].a)) : std::abs(F[0].a);
    if (residual <= tolerance) return residual;
    if (!interior) {
      x[0] -= F[0].a / F[0].v(0);
    } else {
      Eigen::Matrix2d J;
      J << F[0].v(0), F[0].v(1), F[1].v(0), F[1].v(1);
      const Eigen::Vector2d dx = J.fullPivLu().solve(-Eigen::Vector2d(F[0].a, F[1].a));
      x[0] += dx(0);
      x[1] += dx(1);
    }
    if (!std::isfinite(x[0]) || !std::isfinite(x[1])) return std::numeric_limits<double>::infinity();
  }
  return residual;
}

}  // namespace waddington::reduced::detail

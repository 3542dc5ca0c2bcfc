#pragma once
// Equilibria of the reduced two-memory flow (docs/model.md §2) and their analysis:
// the types every equilibrium search reports (FixedPoint, its kind and
// stability), the exact Jacobian of the real flow (ceres::Jet) with its
// eigen-decomposition at a located equilibrium, and the dead region (where
// xA = xB = 0 every drive vanishes: a region, never a set of equilibria).
// Independent of how the equilibria are found.
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "continuation/scaled_spectrum.hpp"
#include "continuation/types.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// Linear stability of an equilibrium: the continuation layer's enum
// (kStable, kUnstable, kSaddle, and kUnknown where the determinant or the
// trace is at rounding level: a fold, a Hopf point, or a boundary point whose
// along-bound eigenvalue is exactly 0). Names "stable", "unstable", "saddle",
// "unknown".
using Stability = continuation::Stability;
using continuation::FromString;
using continuation::ToString;

enum class FixedPointKind {
  kInterior,  // -1 < ell < 1, both velocity components vanish
  kBoundary,  // ell = +-1 with the label drive pointing outward (label clipped)
};
const char* ToString(FixedPointKind k);
bool FromString(const std::string& text, FixedPointKind* k);

struct FixedPoint {
  double alpha = 0, alpha_B = 0, ell = 0;
  int chart = +1;
  FixedPointKind kind = FixedPointKind::kInterior;
  // The numerator residual relative to the size of its terms
  // (relative_residual in two_memory.hpp; alpha-equation only on a bound):
  // dimensionless, rounding level ~1e-15.
  double residual = 0;
  // Max-norm of the real velocity there (the label part is amplified by
  // 1/|D_gam|, which can be ~1e6 at low n: rounding shows up as ~1e-9 here).
  double speed = 0;
  // Jacobian of the real flow d(dalpha/dt, dell/dt)/d(alpha, ell), exact.
  // For a boundary point the ell-row is zero (label clipped).
  Eigen::Matrix2d jacobian = Eigen::Matrix2d::Zero();
  // The spectrum of the real flow at the point, computed without under- or
  // overflow (equilibrium_spectrum): real parts as sign and log10 magnitude,
  // right at any scale (the label direction can be 10^(10^18) times faster
  // than the memory at T_r <= 0.5), and the stability from the signs of det
  // and trace (kUnknown where they are at rounding level). For a boundary point
  // real[0] is d(dalpha/dt)/dalpha along the bound and real[1] is not a flow
  // eigenvalue (sign 0): the clipped label is held (`held`).
  continuation::ScaledSpectrum spectrum;
  bool held = false;
  // The doubles of `spectrum` (real part +-inf beyond the double range, never 0
  // unless the eigenvalue is 0). For a boundary point eigenvalue 1 is
  // -infinity (the label is held in finite time). Eigenvectors (columns) are
  // those of `jacobian`, meaningful only where it is representable.
  Eigen::Vector2cd eigenvalues = Eigen::Vector2cd::Zero();
  Eigen::Matrix2cd eigenvectors = Eigen::Matrix2cd::Identity();
  Stability stability = Stability::kSaddle;
  // K = 2 splitting (docs/model.md §2.2, only when identical_memories == 2 and the
  // point is interior): eigenvalues of the antisymmetric block; a positive
  // real part means the two memories split. has_antisymmetric false otherwise.
  bool has_antisymmetric = false;
  Eigen::Vector2cd antisymmetric_eigenvalues = Eigen::Vector2cd::Zero();  // doubles of antisymmetric_spectrum
  continuation::ScaledSpectrum antisymmetric_spectrum;
  int newton_iterations = 0;

  // Eigenvalues sorted by decreasing real part (the leading one first).
  double leading_eigenvalue() const;
  nlohmann::json ToJson() const;
};

// Jacobian, eigen-decomposition, stability (and splitting) at a located
// equilibrium. `ell` is snapped to +-1 for a boundary point.
FixedPoint analyse_fixed_point(const TwoMemoryParameters& p, double alpha, double ell, FixedPointKind kind,
                               bool splitting = true);

// Exact Jacobian of the real (unclipped) velocity with respect to (alpha, ell),
// in doubles: lost to rounding at low T_r (use equilibrium_spectrum there).
Eigen::Matrix2d flow_jacobian(const TwoMemoryParameters& p, double alpha, double ell);

// The real flow's Jacobian at an equilibrium in the form
// J = diag(exp(log_scale0), exp(log_scale1)) * A: A is the Jacobian of the
// scaled numerators (F_1, D_ell) of two_memory.hpp (ceres::Jet) and the log
// scales carry the positive denominators in log space, log_scale0 = log of
// (numerator factor / (|D_A| + |D_B|)) and log_scale1 = log of (label factor /
// |D_gam|), so nothing under- or overflows (docs/numerics.md §7). Valid at an
// interior equilibrium (D_ell = 0: the label denominator is |D_gam|) and, row 0
// only, on a bound. `valid` is false in the dead region or without gamma classes.
struct ScaledJacobian {
  Eigen::Matrix2d A = Eigen::Matrix2d::Zero();
  double log_scale0 = 0, log_scale1 = 0;
  bool valid = false;
};
ScaledJacobian equilibrium_scaled_jacobian(const TwoMemoryParameters& p, double alpha, double ell);

// The spectrum and stability of the real flow at an equilibrium, at any scale:
// continuation::scaled_spectrum of equilibrium_scaled_jacobian. For a boundary
// point only real[0] (along the bound) is set. The one function the fixed
// points, the diagram rows and the grid cells take their stability from.
continuation::ScaledSpectrum equilibrium_spectrum(const TwoMemoryParameters& p, double alpha, double ell,
                                                  FixedPointKind kind);

// K = 2 splitting (docs/model.md §2.2) at a symmetric interior equilibrium:
// the antisymmetric block J_11 - J_12 has the same row denominators as the
// reduced flow, so it is scaled the same way.
continuation::ScaledSpectrum antisymmetric_spectrum(const TwoMemoryParameters& p, double alpha, double ell);

// The splitting spectrum at a symmetric equilibrium of either kind. Interior:
// antisymmetric_spectrum. On a bound ell = +-1 both labels are held (the
// label drive points outward for both memories), so only the two alphas move:
// their 2 x 2 Jacobian is [[a, b], [b, a]], a + b is the reduced along-bound
// eigenvalue and the antisymmetric one is a - b (= (J11 - J12)(0, 0), scaled
// like row 0): real[0] is set, real[1] has sign 0 (held, as for the reduced
// flow) and unstable_count counts real[0] only.
continuation::ScaledSpectrum splitting_spectrum(const TwoMemoryParameters& p, double alpha, double ell,
                                                FixedPointKind kind);

// A vertical strip alpha_min <= alpha <= alpha_max (all ell) where xA = xB = 0.
struct DeadRegion {
  double alpha_min = 0, alpha_max = 0;
  int chart = +1;
};

// The dead regions of the chart p.chart inside [alpha_min, alpha_max] (exact:
// the overlaps are linear in alpha on each side of alpha = 0).
// (in_dead_region, for one alpha, is part of the model: two_memory.hpp.)
std::vector<DeadRegion> dead_regions(const TwoMemoryParameters& p, double alpha_min = -1, double alpha_max = 1);

}  // namespace waddington::reduced

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

#include "continuation/types.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// Linear stability of an equilibrium: the engine's labels (stable: every
// eigenvalue has a negative real part; unstable: every one positive; saddle:
// both signs, or a zero real part; unknown: not decidable).
using Stability = continuation::Stability;
// reduced::ToString / FromString name the engine's enums too.
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
  // Eigenvalues and eigenvectors (columns) of `jacobian`. For a boundary
  // point eigenvalue 0 is d(dalpha/dt)/dalpha along the bound and eigenvalue 1
  // is -infinity: the clipped label is held in finite time.
  Eigen::Vector2cd eigenvalues = Eigen::Vector2cd::Zero();
  Eigen::Matrix2cd eigenvectors = Eigen::Matrix2cd::Identity();
  Stability stability = Stability::kSaddle;
  // K = 2 splitting (docs/model.md §2.2, only when identical_memories == 2 and the
  // point is interior): eigenvalues of the antisymmetric block; a positive
  // real part means the two memories split. has_antisymmetric false otherwise.
  bool has_antisymmetric = false;
  Eigen::Vector2cd antisymmetric_eigenvalues = Eigen::Vector2cd::Zero();
  int newton_iterations = 0;

  // Eigenvalues sorted by decreasing real part (the leading one first).
  double leading_eigenvalue() const;
  nlohmann::json ToJson() const;
};

// Jacobian, eigen-decomposition, stability (and splitting) at a located
// equilibrium. `ell` is snapped to +-1 for a boundary point.
FixedPoint analyse_fixed_point(const TwoMemoryParameters& p, double alpha, double ell, FixedPointKind kind,
                               bool splitting = true);

// Exact Jacobian of the real (unclipped) velocity with respect to (alpha, ell).
Eigen::Matrix2d flow_jacobian(const TwoMemoryParameters& p, double alpha, double ell);

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

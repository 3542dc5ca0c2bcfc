#pragma once
// Equilibria of the reduced two-memory flow (docs/model.md §2): interior ones
// (zeros of the numerator residual, found by Newton from the cells of a seed
// grid where both numerators change sign; the grid resolves the thin layer
// |ell| ~ 1/(4 m x^n) around ell = 0, and cells where Newton fails are split)
// and boundary ones on ell = +-1 (zeros of the alpha-equation where the
// clipped label drive points outward).
// Each comes with the exact Jacobian of the real flow (ceres::Jet), its
// eigen-decomposition and a stability class; the dead region is a region.
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// Linear stability of an equilibrium.
enum class Stability {
  kStable,    // every eigenvalue has a negative real part
  kUnstable,  // every eigenvalue has a positive real part
  kSaddle,    // real parts of both signs (or a zero one)
};
const char* ToString(Stability s);
bool FromString(const std::string& text, Stability* s);

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

// A vertical strip alpha_min <= alpha <= alpha_max (all ell) where xA = xB = 0.
struct DeadRegion {
  double alpha_min = 0, alpha_max = 0;
  int chart = +1;
};

// The dead regions of the chart p.chart inside [alpha_min, alpha_max] (exact:
// the overlaps are linear in alpha on each side of alpha = 0).
std::vector<DeadRegion> dead_regions(const TwoMemoryParameters& p, double alpha_min = -1, double alpha_max = 1);
bool in_dead_region(const TwoMemoryParameters& p, double alpha);

struct FixedPointOptions {
  // Search domain in alpha (the chart covers [-1, 1]); ell is always [-1, 1].
  double alpha_min = -1, alpha_max = 1;
  // Seed grid (cells), at least: alpha cells are refined where x^n changes
  // fast (large n), and the ell axis is stretched per alpha, uniform in zeta
  // with ell = sinh(Lambda zeta)/kappa, kappa = 1 + 4 m (xA^n + xB^n),
  // Lambda = asinh(kappa), with more zeta cells when kappa is large (low T).
  // Raise it if two equilibria may sit closer than a cell (right at a saddle-node).
  int seed_alpha_cells = 48, seed_ell_cells = 32;
  // Newton stops when the numerator residual (FixedPoint::residual) is below
  // `tolerance` or its step stagnates at rounding level, and keeps the point
  // when the residual is at most `accept_residual`.
  double tolerance = 1e-13;
  double accept_residual = 1e-10;
  int max_iterations = 40;
  // Two solutions closer than this (max-norm in (alpha, ell)) are one.
  double duplicate_distance = 1e-7;
  // Also look for boundary equilibria on ell = +-1.
  bool boundary = true;
  // Also compute the K = 2 splitting eigenvalues when identical_memories == 2.
  bool splitting = true;

  bool IsValid(std::string* why) const;
};

struct FixedPointSummary {
  bool run = false;
  TwoMemoryParameters parameters;
  std::vector<FixedPoint> fixed_points;  // sorted by chart, kind, alpha
  std::vector<DeadRegion> dead_regions;
  int seeds = 0;             // seed cells (interior) + bracketed roots (boundary)
  int newton_failures = 0;   // Newton runs that left their cell (which is then split) + brackets that were jumps
  double seconds = 0;

  int count(Stability s) const;
  // e.g. "n=20 T=700 (T_eff=674.0, T_r=0.893): 3 fixed points (2 stable, 1 saddle)"
  std::string BriefReport() const;
  nlohmann::json ToJson() const;
};

// All equilibria of the chart p.chart (validates p and options; throws InputError).
FixedPointSummary find_fixed_points(const TwoMemoryParameters& p, const FixedPointOptions& options = {});

// Jacobian, eigen-decomposition, stability (and splitting) at a located
// equilibrium. `ell` is snapped to +-1 for a boundary point.
FixedPoint analyse_fixed_point(const TwoMemoryParameters& p, double alpha, double ell, FixedPointKind kind,
                               bool splitting = true);

// Exact Jacobian of the real (unclipped) velocity with respect to (alpha, ell).
Eigen::Matrix2d flow_jacobian(const TwoMemoryParameters& p, double alpha, double ell);

// ---------------------------------------------------------------------------
// Brute force: sign changes of both numerators on a fine grid. Independent of
// the Newton solver; used by the tests and by `waddington continue --method grid`.

struct GridFinderOptions {
  double alpha_min = -1, alpha_max = 1;
  int alpha_cells = 400, ell_cells = 400;
  // Polish every candidate with Newton (keeping only those that converge
  // inside their cell's neighbourhood); otherwise report cell centres.
  bool refine = true;
  bool IsValid(std::string* why) const;
};

struct GridCandidate {
  double alpha = 0, ell = 0;      // refined point, or the cell centre
  double cell_alpha = 0, cell_ell = 0;  // centre of the cell where it was detected
  bool refined = false;           // Newton converged
  double residual = 0;            // max-norm of the numerator residual at (alpha, ell)
};

// Cells where the alpha-nullcline and the ell-nullcline (marching-squares
// segments of F_1 = 0 and F_2 = 0) cross. Dead cells are skipped. One
// candidate per crossing cell (duplicates from neighbouring cells merged after
// refinement). Interior equilibria only.
std::vector<GridCandidate> grid_fixed_points(const TwoMemoryParameters& p, const GridFinderOptions& options = {});

// The numerators F_1, F_2 on a regular grid (alpha_cells+1) x (ell_cells+1),
// evaluated with per-alpha quantities cached (fast path shared by the grid
// finder, the seeds and the nullclines). F(i, j) at alpha_i, ell_j; dead nodes
// are flagged.
struct NumeratorGrid {
  Eigen::VectorXd alpha, ell;
  Eigen::MatrixXd F1, F2;  // rows: alpha index, columns: ell index
  Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> dead;
};
NumeratorGrid evaluate_numerator_grid(const TwoMemoryParameters& p, double alpha_min, double alpha_max,
                                      int alpha_cells, int ell_cells);

}  // namespace waddington::reduced

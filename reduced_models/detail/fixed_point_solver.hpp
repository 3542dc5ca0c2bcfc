#pragma once
// The units of the robust equilibrium search behind find_fixed_points
// (fixed_points.hpp), each one step of docs/numerics.md:
//  - SeedGrid (fixed_point_seed_grid.cpp): the alpha nodes and the stretched
//    ell axis, with the log-ratio numerators at every node (§4);
//  - box_newton (fixed_point_newton.cpp): Newton in (alpha, y = ell kappa)
//    confined to a box (§3);
//  - CellRefiner (fixed_point_cells.cpp): the crossing of the nullclines in a
//    seed cell, Newton from it, and splitting where Newton fails (§5);
//  - boundary_fixed_points (fixed_point_boundary.cpp): roots of the
//    alpha-equation on ell = +-1 where the label is held (§6).
#include <Eigen/Core>

#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reduced_models/fixed_points.hpp"
#include "reduced_models/log_numerators.hpp"

namespace waddington::reduced::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// The model's constants every unit uses.
struct SolverConstants {
  explicit SolverConstants(const TwoMemoryParameters& p);
  double m = 0;          // cost power
  double log_t_eff = 0;  // log T_eff
  double log_w = 0;      // log w (-inf without gamma classes)
  double log_4m = 0;     // log 4m
};

// log kappa(alpha) with kappa = 1 + 4 m (xA^n + xB^n) (the overlaps that are
// on), and its derivative in alpha: 1/kappa is the width of the inner layer
// in ell (docs/numerics.md §1).
double log_kappa(const TwoMemoryParameters& p, double alpha, double m, double log_t_eff, double* derivative);

// ---------------------------------------------------------------------------
// The seed grid (docs/numerics.md §4)

// One alpha of the seed grid: the numerators' column and the map zeta -> ell.
struct SeedColumn {
  NumeratorColumn<double> c;
  bool dead = true;
  // ell(zeta) = sinh(lambda |zeta|) / kappa up to |ell| = 1/4 (at |zeta| =
  // zeta_c), then linear with slope `slope` up to |ell| = 1 at |zeta| = 1.
  double log_kappa = 0, lambda = 0, zeta_c = 0, slope = 0;
  // log|t_k| of the four terms of F_1 (NumeratorTerms) without log|ell| and
  // log P(u), -inf where absent, and the sign of t_k / ell (k = 0, 2) or of
  // t_k (k = 1, 3): the log-ratio d then costs one log per node.
  double base[4] = {-kInf, -kInf, -kInf, -kInf};
  double sign[4] = {0, 0, 0, 0};
};

// Nodes (alpha_i, zeta_j) with F_1 as the log-ratio d and F_2 as R2 at each
// (docs/numerics.md §2), evaluated from the column's cached parts: the signs
// of the numerators, values that interpolate well. Built once; read by the
// cell refinement and the boundary search.
class SeedGrid {
 public:
  SeedGrid(const TwoMemoryParameters& p, const FixedPointOptions& o);

  const TwoMemoryParameters& parameters() const { return p_; }
  const FixedPointOptions& options() const { return o_; }
  const SolverConstants& constants() const { return k_; }

  // The column at any alpha (nodes, and the alphas of refined cells).
  SeedColumn column(double alpha) const;
  static double ell_at(const SeedColumn& k, double zeta);
  // F_1 as d (+-1e3 where its terms have one sign, clamped to +-1e3), F_2 as R2.
  void values(const SeedColumn& k, double zeta, double* F1, double* F2) const;

  const std::vector<double>& alpha() const { return alpha_; }
  const std::vector<SeedColumn>& columns() const { return columns_; }
  const Eigen::VectorXd& zeta() const { return zeta_; }
  // Values at node (i, j), NaN where not computed: F_2 on the bounds j = 0,
  // last and everywhere in two-sided columns; F_1 on the bounds and at the
  // corners of the cells between two-sided columns where F_2 changes sign.
  const Eigen::MatrixXd& F1() const { return F1_; }
  const Eigen::MatrixXd& F2() const { return F2_; }
  // The cells (i, j) between two two-sided columns where F_2 changes sign
  // (min <= 0 <= max over the corners), in order of i, then j: the only cells
  // where the nullclines can cross (F_1 is known at their corners).
  const std::vector<std::pair<int, int>>& f2_cells() const { return f2_cells_; }
  // Both overlaps positive and the samples of different classes: F_2 can vanish.
  bool two_sided(std::size_t i) const { return columns_[i].c.a_on && columns_[i].c.b_on && !p_.same_class; }

 private:
  // What F_1 and F_2 at a node share: ell and log P(+-ell x^n) of both overlaps.
  struct NodeParts {
    double ell = 0, lpuA = 0, lpuB = 0;
  };
  NodeParts node_parts(const SeedColumn& k, double zeta) const;
  // node_parts and F_2 at every node of a two-sided column at once
  // (vectorised exp and log: the same values to a few ulps).
  void two_sided_nodes(const SeedColumn& k, NodeParts* parts, Eigen::Index row);
  double f1_value(const SeedColumn& k, const NodeParts& q) const;
  double f2_value(const SeedColumn& k, const NodeParts& q) const;
  std::vector<double> alpha_nodes() const;

  const TwoMemoryParameters& p_;
  const FixedPointOptions& o_;
  SolverConstants k_;
  std::vector<double> alpha_;
  std::vector<SeedColumn> columns_;
  Eigen::VectorXd zeta_;
  std::vector<std::pair<int, int>> f2_cells_;
  Eigen::MatrixXd F1_, F2_;
};

// ---------------------------------------------------------------------------
// Newton (docs/numerics.md §3)

struct Box {
  double alpha_lo, alpha_hi, ell_lo, ell_hi;
  bool contains(double alpha, double ell) const {
    return alpha >= alpha_lo && alpha <= alpha_hi && ell >= ell_lo && ell <= ell_hi;
  }
};

struct NewtonResult {
  bool converged = false;
  double alpha = 0, ell = 0, residual = kInf;
  int iterations = 0;
};

// Newton on solver_residual (log_numerators.hpp) from (alpha, ell); fails as
// soon as an iterate leaves `box` (the linearisation is not trusted beyond
// it: the cell is split instead). Converged when the numerator residual
// (FixedPoint::residual) is at most o.accept_residual after reaching
// o.tolerance or rounding-level steps.
NewtonResult box_newton(const TwoMemoryParameters& p, double alpha, double ell, const Box& box,
                        const FixedPointOptions& o, const SolverConstants& k);

// ---------------------------------------------------------------------------
// Cell refinement (docs/numerics.md §5)

struct Root {
  double alpha = 0, ell = 0;
  int iterations = 0;
};

// The interior equilibria from the seed cells where both numerators change
// sign: Newton from the nullclines' crossing in the cell; where it fails, the
// cell is split in four and the sub-cells treated alike.
class CellRefiner {
 public:
  explicit CellRefiner(const SeedGrid& grid) : g_(grid) {}
  void run();
  const std::vector<Root>& roots() const { return roots_; }  // de-duplicated
  int seeds() const { return seeds_; }                       // seed cells
  int newton_failures() const { return failures_; }          // Newton runs that left their box

 private:
  struct Cell {
    double alpha0, alpha1, zeta0, zeta1;
    const SeedColumn *k0, *k1;
    double F1[4], F2[4];  // corners (alpha0,zeta0), (alpha1,zeta0), (alpha1,zeta1), (alpha0,zeta1)
    int i = -1, j = -1;   // seed-grid cell (-1 below it)
  };
  // Where numerator f vanishes on a cell edge (as a fraction of the edge from
  // its lower-left end), and the other numerator there.
  struct EdgeRoot {
    double position = 0, other = 0;
  };

  void values_in(const Cell& c, double u, double v, double* F1, double* F2) const;
  EdgeRoot edge_root(const Cell& c, int e, int f);
  bool edge_crossing(const Cell& c, double* u, double* v);
  void add_root(const NewtonResult& r);
  void refine(const Cell& c, int depth, bool inherited);
  void split(const Cell& c, int depth, bool inherited);

  const SeedGrid& g_;
  std::vector<Root> roots_;
  std::unordered_map<long, EdgeRoot> edge_roots_;  // seed-grid edges, shared by two cells
  int budget_ = 0;  // splits left below the current seed cell
  int seeds_ = 0, failures_ = 0;
};

// ---------------------------------------------------------------------------
// Boundary equilibria (docs/numerics.md §6)

// Root of F_1(alpha, ell_bound) in [lo, hi] (a sign change): regula falsi with
// the Illinois modification, bisecting when it stalls; converges to a jump of
// F_1 as well (the caller checks the residual).
double boundary_root(const TwoMemoryParameters& p, double lo, double hi, double ell_bound);

// The equilibria on ell = +-1: a root in every alpha cell of the seed grid's
// bound rows where F_1 changes sign, kept where the label drive points
// outward and the residual is a root's. Counts brackets in *seeds and jumps
// of F_1 in *failures.
std::vector<FixedPoint> boundary_fixed_points(const SeedGrid& grid, int* seeds, int* failures);

}  // namespace waddington::reduced::detail

#pragma once
// Complete one-parameter bifurcation diagrams of the reduced two-memory flow
// (docs/model.md §2) in n or T, by continuation (continuation/) or by brute force.
//
// The flow is smooth only piecewise: |alpha| has a corner at alpha = 0, the
// overlaps max(., 0) at xA = 0 and xB = 0, the charts meet at alpha = +-1
// (alpha_B = 0), and labels are clipped at ell = +-1. The diagram is built
// piece by piece: on every smooth piece (a chart and an alpha interval, which
// do not depend on n or T) the interior equilibria are the zeros of the
// numerator residual, continued as a 2-D problem; on ell = +-1 the boundary
// equilibria are the zeros of the alpha-equation, continued as a 1-D problem
// and kept where the label drive points outward. A branch reaching a piece
// edge or ell = +-1 ends in a `boundary` special point, where it meets the
// branch of the neighbouring piece or the boundary branch.
#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "continuation/pseudo_arclength.hpp"
#include "continuation/types.hpp"
#include "reduced_models/fixed_points.hpp"
#include "reduced_models/termination.hpp"
#include "reduced_models/two_memory.hpp"

namespace waddington::reduced {

// The continuation parameter.
enum class BifurcationParameter { kN, kT };
const char* ToString(BifurcationParameter p);
bool FromString(const std::string& text, BifurcationParameter* p);

// How the diagram is computed.
enum class DiagramMethod {
  kContinuation,  // seeds from find_fixed_points, pseudo-arclength continuation
  kGrid,          // brute force: sign changes on an (alpha, ell) grid at every parameter value
};
const char* ToString(DiagramMethod m);
bool FromString(const std::string& text, DiagramMethod* m);

// The engine's special-point types. In the reduced diagrams: kFold, a
// saddle-node (det of the numerator Jacobian vanishes, the tangent turns in
// the parameter); kBranchPoint, two branches cross (det changes sign without
// a fold); kBoundary, a branch meets a piece edge (alpha_A = 0, alpha_B = 0,
// xA = 0, xB = 0), ell = +-1 or the window; kCusp, two fold curves meet
// (fold curves only); also kBranchPoint with where = "splitting", a
// symmetry-breaking point of the K = 2 system (identical_memories == 2): the
// leading splitting eigenvalue (DiagramRow::split1) changes sign along the
// branch, located by bisection in the parameter to 1e-10 (relative to the
// window). kEndpoint is not used.
using SpecialPointType = continuation::SpecialPointType;

// A maximal alpha interval of one chart on which the flow is smooth and not dead.
struct SmoothPiece {
  int chart = +1;
  double alpha_min = 0, alpha_max = 1;
  // What bounds the piece at alpha_min / alpha_max: "alpha_A=0", "alpha_B=0", "xA=0", "xB=0".
  std::string lower_edge, upper_edge;
};
// The smooth pieces of both charts within [alpha_min, alpha_max] (n and T do not move them).
std::vector<SmoothPiece> smooth_pieces(const TwoMemoryParameters& p, double alpha_min = -1, double alpha_max = 1);

// The checks the reduced analyses add to the engine's step and corrector
// options (steps in (0, 0.5], positive counts, a tolerance below 1e-3).
bool continuation_options_valid(const continuation::ContinuationOptions& options, std::string* why);
// The engine's step and corrector options as JSON (for the Options' ToJson).
nlohmann::json continuation_json(const continuation::ContinuationOptions& options);

// The parameters with the continuation parameter set to `value`.
TwoMemoryParameters at_parameter(TwoMemoryParameters p, BifurcationParameter which, double value);

struct DiagramOptions {
  BifurcationParameter parameter = BifurcationParameter::kN;
  // The window [from, to] of the continuation parameter (from < to).
  double from = 1, to = 60;
  // Domain in alpha (both charts are searched); ell is always [-1, 1].
  double alpha_min = -1, alpha_max = 1;
  // Continuation: seeds from find_fixed_points at `seed_values` equally spaced
  // parameter values (both ends included), at `extra_seed_values`, and (with
  // `count_audit`) wherever the count of equilibria disagrees with the traced
  // branches (docs/numerics.md §9).
  int seed_values = 2;
  std::vector<double> extra_seed_values;
  // After tracing, search at the midpoint of every interval between
  // consecutive events (window ends, seed values, special points) that holds
  // no earlier check: the number of equilibria changes only at folds and
  // boundary events, so an equilibrium there that no traced branch accounts
  // for seeds a new branch, and the audit repeats on the new intervals.
  bool count_audit = true;
  // Diagrams in n (continuation, no start point): also hold the diagram's
  // interior folds against the crossings of T = const by the fold curves of a
  // band T (1 +- fold_check_band) around it (reduced_models/diagram_completeness.hpp;
  // docs/numerics.md §9): a crossing without a fold seeds the search next to it,
  // a fold on no curve is a doubt. Off in the seed diagrams of the fold curves.
  bool fold_curve_check = true;
  double fold_check_band = 0.1;
  // Temperatures of the band whose diagrams in n seed the fold curves: equally
  // spaced over the band, ends included, odd, so that the middle one is T0
  // and its diagram the one checked (3: T0 (1 - band), T0, T0 (1 + band)).
  int fold_check_T_values = 3;
  // Analyse every row (stability, eigenvalues) and seek Hopf points. Off in
  // the band's other diagrams of the fold-curve check, which only give
  // folds: their rows then say stability `unknown` and eigenvalues NaN.
  bool row_stability = true;
  // Instead of the seed search: continue from this (alpha, ell) at `from`, on
  // the chart of the parameters (Newton must converge near it).
  std::optional<std::array<double, 2>> start;
  FixedPointOptions seed_search;
  // The engine's options for every branch (continuation/pseudo_arclength.hpp),
  // in the scaled space (alpha, ell, (parameter - from) / (to - from)): steps
  // ds, ds_min, ds_max (lower ds_max for a finer diagram), max_steps per
  // branch and direction, the corrector's newton_tolerance and
  // max_newton_iterations. newton_tolerance is also the tolerance of every
  // located special point and seed. The window (p_min, p_max), the direction,
  // locate_tolerance and compute_stability are set per branch.
  continuation::ContinuationOptions continuation = DefaultContinuation();
  // A seed within this distance (max-norm in alpha, ell) of a traced branch at
  // its parameter value is that branch.
  double duplicate_distance = 1e-6;
  // Continue the boundary equilibria on ell = +-1.
  bool boundary = true;
  // Grid method: parameter values (steps + 1) and the (alpha, ell) cell size.
  int param_steps = 59;
  double grid_resolution = 1.0 / 256;
  // Called with (work done, total work) as the diagram progresses (the
  // library prints nothing; the CLI draws a progress bar). May be empty.
  std::function<void(int, int)> on_progress;

  bool IsValid(std::string* why) const;
  // Every field but on_progress, by name (the continuation ones nested).
  nlohmann::json ToJson() const;
  // The defaults of `continuation`: ds 0.002 in [1e-7, 0.01], 20000 steps,
  // Newton to 1e-12 in at most 12 iterations.
  static continuation::ContinuationOptions DefaultContinuation();
};

// One point of a branch.
struct DiagramRow {
  int branch = 0;
  double n = 0, T = 0, alpha = 0, alpha_B = 0, ell = 0;
  Stability stability = Stability::kSaddle;
  int chart = +1;
  FixedPointKind kind = FixedPointKind::kInterior;
  // Real parts of the real flow's eigenvalues (leading first); on a label bound
  // (kind boundary) only eig1, the along-bound one: eig2 is NaN (the label is held).
  double eig1 = 0, eig2 = 0;
  // Of those, how many have a positive real part (equilibrium_spectrum's
  // unstable_count); -1 where the row was not analysed so (not an output column:
  // it spares the splitting post-pass a second spectrum).
  int unstable_count = -1;
  int newton_iterations = 0;
  double step = 0;  // arclength step that reached this row (0 for seeds and grid rows)
  // K = 2 splitting (docs/model.md §2.2), only when identical_memories == 2
  // (has_splitting): real parts of the antisymmetric block's eigenvalues,
  // leading first (splitting_spectrum; on a bound only split1, the alphas'
  // antisymmetric eigenvalue, split2 NaN: the labels are held), and the number
  // of eigenvalues with positive real part of the 4-variable K = 2 system there:
  // the reduced (symmetric) block's unstable count + the antisymmetric block's.
  bool has_splitting = false;
  double split1 = 0, split2 = 0;
  int unstable_count_k2 = 0;
  // Fully stable: stable on the symmetric manifold and to splitting.
  bool stable_k2() const { return stability == Stability::kStable && (!has_splitting || unstable_count_k2 == 0); }
};

struct Branch {
  int id = 0;
  int chart = +1;
  FixedPointKind kind = FixedPointKind::kInterior;
  double ell_bound = 0;        // +-1 for a boundary branch
  std::string found_from;       // e.g. "seed at n=25.58 (alpha=0.4977, ell=0.0780)"
  std::array<std::string, 2> ends;  // why each end stopped ("window n=60", "boundary ell=+1", ...)
  std::vector<DiagramRow> rows;  // ordered along the branch
};

struct DiagramPoint {
  SpecialPointType type = SpecialPointType::kFold;
  double n = 0, T = 0, alpha = 0, alpha_B = 0, ell = 0;
  int chart = +1;
  int branch = -1;        // the branch it was found on
  std::string where;      // "interior", "ell=+1", "alpha_B=0", "xA=0", ...
  bool converged = false; // localisation converged to `tolerance`
  double residual = 0;    // max-norm of the defining system at the located point
  double test_value = 0;  // det of the numerator Jacobian (folds) or the boundary test function;
                          // for a splitting branch point (where "splitting"), the leading splitting eigenvalue there;
                          // for a Hopf point, the frequency omega of the crossing pair +-i omega
};

// One check of the count audit: the equilibria the search found at `value`
// against the traced branches' crossings of that value.
struct CountCheck {
  double value = 0;
  int found = 0;      // equilibria found by the search (both charts, on a smooth piece)
  int traced = 0;     // crossings of `value` by the branches traced before the check
  int unaccounted = 0;  // found but on no traced branch: each seeded a branch
};

// How completeness of a continuation diagram was established.
struct Completeness {
  std::vector<CountCheck> checks;       // the count audit, in the order run
  std::vector<double> searched;         // every parameter value where the search ran
  // The fold-curve check (complete_diagram): crossings of the window's line by
  // the fold curves of the (n, T) plane, and how many are folds of the
  // diagram (-1: not run).
  int fold_crossings = -1, fold_crossings_matched = -1;
  std::vector<double> fold_seed_values;  // where unmatched crossings added seeds
  std::vector<std::string> doubts;       // why completeness is uncertain
  // Counts consistent after the audit (found == traced at the last check of
  // every interval) and every fold-curve crossing a fold; false when not audited.
  bool audited = false;
  bool established() const { return audited && doubts.empty(); }
  // e.g. "counts agree at 9 values; 2/2 fold-curve crossings are folds"
  std::string Report() const;
  nlohmann::json ToJson() const;
};

struct DiagramSummary {
  AnalysisTermination termination = AnalysisTermination::kNotRun;
  DiagramMethod method = DiagramMethod::kContinuation;
  TwoMemoryParameters parameters;  // the fixed ones (the continued one is in options)
  DiagramOptions options;
  std::vector<SmoothPiece> pieces;
  std::vector<DeadRegion> dead_regions;
  std::vector<Branch> branches;
  std::vector<DiagramPoint> special_points;  // sorted by parameter
  // How the branches were found.
  int seed_values = 0;       // parameter values searched
  int seeds_found = 0;       // equilibria found there
  int seeds_on_known_branch = 0;  // skipped: already on a traced branch
  int seeds_continued = 0;   // each started a new branch
  Completeness completeness;
  // Problems met (non-convergence, a step below ds_min): the diagram may be
  // incomplete when this is not empty.
  std::vector<std::string> warnings;
  double seconds = 0;

  // kComplete when nothing in `warnings`; kIncomplete otherwise.
  bool complete() const { return termination == AnalysisTermination::kComplete; }
  std::vector<DiagramPoint> folds() const;
  // e.g. "n in [1, 60] at T=700: 7 branches (13 seeds: 5 continued, 8 on known branches), 4 folds, 6 boundary points"
  std::string BriefReport() const;
  // The brief report and every special point (warnings are in `warnings`).
  std::string FullReport() const;
  nlohmann::json ToJson() const;
};

// The complete diagram by continuation (validates p and options; throws InputError),
// with the K = 2 splitting (add_splitting) when p.identical_memories == 2.
DiagramSummary compute_diagram(const TwoMemoryParameters& p, const DiagramOptions& options);

// The K = 2 splitting of a diagram (a no-op unless p.identical_memories == 2):
// every row's splitting fields (DiagramRow::split1, split2, unstable_count_k2)
// and, for a continuation diagram, a kBranchPoint (where "splitting") wherever
// split1 (real) changes sign between two rows of a branch, located by
// bisection in the parameter to 1e-10, the branch corrected by Newton at every
// trial value; special points stay sorted by parameter (stable sort). A
// post-pass (reduced_models/bifurcation_splitting.cpp): the continuation itself
// is untouched by it.
void add_splitting(const TwoMemoryParameters& p, DiagramSummary* summary);

namespace detail {
// compute_diagram and grid_diagram without the splitting post-pass.
DiagramSummary continuation_diagram(const TwoMemoryParameters& p, const DiagramOptions& options);
DiagramSummary grid_diagram_rows(const TwoMemoryParameters& p, const DiagramOptions& options);
}  // namespace detail

// The same by brute force (options.param_steps, options.grid_resolution):
// one row per equilibrium per parameter value, with `branch` the index of the
// equilibrium at that value; special points where the count changes.
DiagramSummary grid_diagram(const TwoMemoryParameters& p, const DiagramOptions& options);

// Brute-force equilibria at one point (n, T) of parameter space, both charts:
// interior ones at the centres of the (alpha, ell) cells where both numerators
// change sign, boundary ones at the alpha cells on ell = +-1 where the
// alpha-equation changes sign with the label drive outward; stability from
// the real flow's Jacobian there. `branch` is the index at this point.
// The warning of a grid diagram or grid map whose equilibria include some of
// unknown stability (Newton from the cell did not converge): `unknown` of
// `total`, the first described by `first`.
std::string grid_unknown_warning(int unknown, int total, const std::string& first);

std::vector<DiagramRow> grid_equilibria(const TwoMemoryParameters& p, double grid_resolution, bool boundary = true,
                                       double alpha_min = -1, double alpha_max = 1);

// Dispatches on `method`.
DiagramSummary bifurcation_diagram(const TwoMemoryParameters& p, const DiagramOptions& options, DiagramMethod method);

}  // namespace waddington::reduced

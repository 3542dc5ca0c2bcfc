#pragma once
// Saddle-node (fold) curves of the reduced two-memory flow in the (n, T)
// plane: folds found by one-parameter continuation in n at a few T values,
// each continued in (n, T) by the generic engine's continue_fold_curve (the
// minimally augmented system {F = 0, g = 0}, g the bordered test function of
// the numerator Jacobian, which vanishes where det dF/d(alpha, ell) does;
// docs/model.md §2: the numerators' det has the real flow's sign). Cusps are where
// the fold's normal-form coefficient changes sign; the ends (window, ell =
// +-1, piece edges) are reported. The plane is labelled by the number of stable equilibria.
#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "reduced_models/bifurcation.hpp"

namespace waddington::reduced {

struct FoldPlaneOptions {
  // The window in n and T (n_min < n_max, T_min < T_max).
  double n_min = 2, n_max = 80, T_min = 627.2, T_max = 901.6;
  // T values (equally spaced, ends included) where the diagram in n gives
  // seeds. With a region map of at least as many rows, the map rows nearest to
  // those (so the seed temperatures depend on map_T_cells).
  int seed_T_values = 5;
  // n values (equally spaced, ends included) where a diagram in T over the
  // window (folds only: no row analysis) also gives seeds: a curve thin in T
  // (the monostable band near T_r 0.83 for n in 50:100) can pass between the
  // seed rows, never between these columns. 0: none.
  int seed_n_values = 3;
  // Options of those one-parameter diagrams (window and parameter overwritten).
  DiagramOptions diagram;
  // The engine's options for each fold curve, in the scaled space (alpha,
  // ell, n / n-range, T / T-range): steps ds, ds_min, ds_max, max_steps, the
  // corrector's newton_tolerance and max_newton_iterations (newton_tolerance
  // also locates cusps and ends). The T window, locate_tolerance and the
  // event switches are set per curve.
  continuation::ContinuationOptions continuation = DefaultContinuation();
  // The count of stable equilibria on a coarse (n, T) grid labels the regions.
  bool region_map = true;
  int map_n_cells = 156, map_T_cells = 70;
  // When the regions are the faces of the fold curves (fold_regions.hpp), the
  // map is filled from them and checked on the rows counted by complete
  // diagrams in n: the seed rows (the seed T values are map rows then; their
  // diagrams exist) and this many rows midway between two seed rows (at most
  // one per gap; rows no seed diagram has seen). 0 (or curves that end inside
  // the window): every row is counted, the brute check.
  int map_check_rows = 2;
  // Brute-force map (`--method grid`): (alpha, ell) cell size of the grid finder.
  double grid_resolution = 1.0 / 256;
  std::function<void(int, int)> on_progress;

  bool IsValid(std::string* why) const;
  // Every field but the callbacks, by name (diagram and continuation nested).
  nlohmann::json ToJson() const;
  // The defaults of `continuation`: ds 0.002 in [1e-8, 0.01], 20000 steps,
  // Newton to 1e-12 in at most 12 iterations.
  static continuation::ContinuationOptions DefaultContinuation();
};

struct FoldCurveSample {
  int curve = 0;
  double n = 0, T = 0, alpha = 0, alpha_B = 0, ell = 0;
  int chart = +1;
};

struct FoldCurve {
  int id = 0;
  int chart = +1;
  std::string found_from;
  std::array<std::string, 2> ends;
  std::vector<FoldCurveSample> points;
};

// One node of the map: the number of stable (and all) equilibria at (n, T).
struct RegionCell {
  double n = 0, T = 0;
  int stable = 0, total = 0;
};

// A connected region of equal stable count, labelled at a representative node.
struct RegionLabel {
  double n = 0, T = 0;
  int stable = 0, cells = 0;
  int total = -1;  // all equilibria there (-1: not counted)
};

struct FoldCurveSummary {
  AnalysisTermination termination = AnalysisTermination::kNotRun;
  DiagramMethod method = DiagramMethod::kContinuation;
  TwoMemoryParameters parameters;
  FoldPlaneOptions options;
  std::vector<FoldCurve> curves;
  std::vector<DiagramPoint> special_points;  // cusps, and the curves' ends (type boundary)
  std::vector<RegionCell> map;               // (map_n_cells+1) x (map_T_cells+1), n-major
  // One per region. With curves from window edge to window edge: the faces of
  // the window cut by the curves (fold_regions.hpp), regions_from "fold curves";
  // otherwise the connected components of the map ("map components").
  std::vector<RegionLabel> regions;
  std::string regions_from;
  // The map held against the faces: nodes checked, and those whose stable
  // count differs from their face's (the count changed off a fold curve).
  int map_nodes_checked = 0;
  std::vector<std::string> map_disagreements;
  int folds_found = 0, folds_on_known_curve = 0;
  std::vector<std::string> warnings;
  double seconds = 0, map_seconds = 0;
  // Complete diagrams in n computed (seed T values, map rows, face labels);
  // the one passed as `known` and seed diagrams taken again are not counted.
  int diagrams_computed = 0;

  // kComplete when nothing in `warnings`; kIncomplete otherwise.
  bool complete() const { return termination == AnalysisTermination::kComplete; }
  std::string BriefReport() const;
  // The brief report and every special point (warnings are in `warnings`).
  std::string FullReport() const;
  nlohmann::json ToJson() const;
};

// Fold curves by continuation, and the region map (validates; throws InputError).
// The diagrams in n (at the seed T values, the map's check rows and faces) run
// on all cores. `given` holds diagrams in n over the window at some of the
// seed T values (fold_seed_T_values), computed by the caller (e.g. the
// diagram being checked and, with row_stability off, the band's others, all
// at once: docs/numerics.md §9): they are used instead of computing those.
FoldCurveSummary compute_fold_curves(const TwoMemoryParameters& p, const FoldPlaneOptions& options,
                                     std::span<const DiagramSummary> given = {});

// The seed temperatures of compute_fold_curves: options.seed_T_values equally
// spaced over [T_min, T_max], ends included; with a region map that can hold
// them, the nearest map rows (docs/numerics.md §10).
std::vector<double> fold_seed_T_values(const FoldPlaneOptions& options);

// The fold curves of compute_fold_curves (no region map) traced from seed
// diagrams handed in one at a time, for a caller that computes them itself
// (the fold-curve check traces the checked diagram's curves while the band's
// other diagrams are still being computed: docs/numerics.md §9). Each
// diagram's folds that lie on no curve traced so far start a curve. Curves
// traced end to end do not depend on the order (their ids and `found_from`
// do); a curve that stops early may, since another start may reach further.
class FoldCurveTracer {
 public:
  // Validates (throws InputError).
  FoldCurveTracer(const TwoMemoryParameters& p, const FoldPlaneOptions& options);
  ~FoldCurveTracer();
  FoldCurveTracer(const FoldCurveTracer&) = delete;
  FoldCurveTracer& operator=(const FoldCurveTracer&) = delete;
  // A diagram in n over the window (any T of the plane), its warnings taken.
  void add(const DiagramSummary& seed_diagram);
  // The curves, special points sorted by n; `seconds` the time spent in add.
  FoldCurveSummary finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Brute force: the map only, counted with the grid finder (no curves).
FoldCurveSummary grid_fold_map(const TwoMemoryParameters& p, const FoldPlaneOptions& options);

// Where the fold curves cross T = T0, each located exactly (Newton on F = 0,
// det = 0, T = T0 from the interpolated crossing).
std::vector<DiagramPoint> fold_crossings_at_T(const FoldCurveSummary& summary, double T0);

// A fold of a diagram at a crossing (fold_crossings_at_T): same chart, n within
// 1e-6 (relative), alpha and ell within 1e-4 (both are located to the engine's
// tolerance; the slack absorbs the two problems' different scalings).
bool same_fold(const DiagramPoint& a, const DiagramPoint& b);

// The seed values that resolve the crossings a diagram in n over [from, to]
// has no interior fold at: n_c +- {1e-4, 1e-3, 1e-2} x (to - from), inside the
// window (the pair born at such a fold lives on one side of it; docs/numerics.md
// §9). *matched, when given: how many crossings are folds of the diagram.
std::vector<double> seeds_beside_missed_folds(const DiagramSummary& diagram, const std::vector<DiagramPoint>& crossings,
                                              double from, double to, int* matched = nullptr);

// The stable and total count of equilibria of a complete diagram in n at one
// n (branches crossing n; stability of the nearer row).
RegionCell count_on_diagram(const DiagramSummary& diagram, double n);

}  // namespace waddington::reduced
